//! Semantic tokens: what each span of a Dockerfile is, for editors to colour by meaning
//! (instruction keywords, flags, stage names, images, variables, comments, directives,
//! heredoc bodies). Pure; byte ranges, sorted, never overlapping, never across lines.

use std::ops::Range;

use crate::semantic::{Model, RefTarget};
use crate::syntax::{NodeKind, SyntaxTree};

/// Token types, in the order of the legend the LSP layer announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Keyword = 0,
    Parameter = 1,
    Namespace = 2,
    Type = 3,
    Variable = 4,
    Comment = 5,
    Macro = 6,
    String = 7,
}

/// The legend's names (LSP standard token types), index = `TokenKind as usize`.
pub const LEGEND: &[&str] = &[
    "keyword",
    "parameter",
    "namespace",
    "type",
    "variable",
    "comment",
    "macro",
    "string",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub kind: TokenKind,
    /// The place that defines the name (stage `AS name`, `ARG NAME`, `ENV NAME`).
    pub declaration: bool,
}

pub fn tokens(text: &str, tree: &SyntaxTree, model: &Model) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut push = |range: Range<usize>, kind: TokenKind, declaration: bool| {
        out.push(Token {
            range,
            kind,
            declaration,
        })
    };
    for it in tree.items() {
        let r = it.start as usize..(it.start + it.node.len) as usize;
        match &it.node.kind {
            NodeKind::Comment => push(r, TokenKind::Comment, false),
            NodeKind::Directive(_) => push(r, TokenKind::Macro, false),
            _ => {}
        }
    }
    for i in tree.instructions() {
        push(i.abs(i.ins.keyword_span), TokenKind::Keyword, false);
        for f in &i.ins.flags {
            // `--from` as the parameter; its value is coloured by what it names.
            let name = i.abs(f.name_span);
            push(i.abs(f.span).start..name.end, TokenKind::Parameter, false);
        }
        for c in &i.ins.comments {
            push(i.abs(*c), TokenKind::Comment, false);
        }
        for h in &i.ins.heredocs {
            push(i.abs(h.body), TokenKind::String, false);
        }
    }
    for st in &model.stages {
        if let Some(r) = &st.name_range {
            push(r.clone(), TokenKind::Namespace, true);
        }
        if st.base.stage.is_some() {
            push(st.base.range.clone(), TokenKind::Namespace, false);
        } else if !st.base.raw.contains('$') {
            push(st.base.range.clone(), TokenKind::Type, false);
        }
    }
    for r in &model.refs {
        if matches!(r.target, RefTarget::Stage(_)) {
            push(r.range.clone(), TokenKind::Namespace, false);
        }
    }
    for u in &model.uses {
        push(u.var.range.clone(), TokenKind::Variable, false);
    }
    for d in model
        .global_args
        .iter()
        .chain(model.stages.iter().flat_map(|s| s.defs.iter()))
    {
        push(d.name_range.clone(), TokenKind::Variable, true);
    }
    // Split multi-line tokens into one per line; drop empty ones.
    let mut lines: Vec<Token> = Vec::with_capacity(out.len());
    for t in out {
        let Some(s) = text.get(t.range.clone()) else {
            continue;
        };
        let mut at = t.range.start;
        for piece in s.split_inclusive(['\n', '\r']) {
            let content = piece.trim_end_matches(['\n', '\r']);
            if !content.is_empty() {
                lines.push(Token {
                    range: at..at + content.len(),
                    ..t.clone()
                });
            }
            at += piece.len();
        }
    }
    // Sorted; where tokens overlap the narrower one (more specific) wins.
    lines.sort_by_key(|t| (t.range.start, std::cmp::Reverse(t.range.end)));
    let mut clean: Vec<Token> = Vec::with_capacity(lines.len());
    for t in lines {
        if let Some(last) = clean.last_mut() {
            if t.range.start < last.range.end {
                // `t` lies inside `last` (sorted by start, wider first): cut `last` around it.
                let tail = t.range.end..last.range.end;
                last.range.end = t.range.start;
                let tail_tok = Token {
                    range: tail,
                    ..last.clone()
                };
                if last.range.is_empty() {
                    clean.pop();
                }
                clean.push(t);
                if !tail_tok.range.is_empty() {
                    clean.push(tail_tok);
                }
                continue;
            }
        }
        clean.push(t);
    }
    clean.retain(|t| !t.range.is_empty());
    clean.sort_by_key(|t| t.range.start);
    // A tail pushed after a nested token can overlap a later one: keep the first.
    let mut out: Vec<Token> = Vec::with_capacity(clean.len());
    for t in clean {
        if out
            .last()
            .is_some_and(|l: &Token| t.range.start < l.range.end)
        {
            continue;
        }
        out.push(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn kinds_and_no_overlap() {
        let text = "# syntax=docker/dockerfile:1\nARG GO=1.22\nFROM golang:${GO} AS build\n# note\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\nRUN <<EOF\necho $GO\nEOF\n";
        let tree = parse(text);
        let m = crate::semantic::analyze(text, &tree);
        let toks = tokens(text, &tree, &m);
        let of = |k: TokenKind| -> Vec<&str> {
            toks.iter()
                .filter(|t| t.kind == k)
                .map(|t| &text[t.range.clone()])
                .collect()
        };
        assert_eq!(of(TokenKind::Macro), ["# syntax=docker/dockerfile:1"]);
        assert!(of(TokenKind::Keyword).contains(&"FROM"));
        assert_eq!(of(TokenKind::Namespace), ["build", "build"]);
        assert_eq!(of(TokenKind::Type), ["alpine:3.20"]);
        assert!(of(TokenKind::Variable).contains(&"${GO}"));
        assert!(of(TokenKind::Parameter).contains(&"--mount"));
        assert!(of(TokenKind::String).contains(&"echo $GO"));
        for w in toks.windows(2) {
            assert!(w[0].range.end <= w[1].range.start, "{:?}", w);
        }
        for t in &toks {
            assert!(!text[t.range.clone()].contains('\n'));
        }
    }

    #[test]
    fn never_panics_and_never_overlaps_on_odd_input() {
        for text in [
            "",
            "FROM",
            "from ${A:-${B}} as x\ncopy --from=x --from=0 a b\n",
            "RUN <<A <<B\nx\nA\ny\nB\n",
            "ARG X\nFROM $X AS a\nFROM a AS b\nRUN --mount=from=a,target=/x true\n",
            "\u{feff}# escape=`\nFROM x\nRUN a `\n  b\n",
        ] {
            let tree = parse(text);
            let m = crate::semantic::analyze(text, &tree);
            let toks = tokens(text, &tree, &m);
            for w in toks.windows(2) {
                assert!(w[0].range.end <= w[1].range.start, "{text:?}: {w:?}");
            }
        }
    }
}
