//! Suppressions, handled in one place for every rule:
//! - `# dockwise: ignore=GO101,RT201` silences the next instruction;
//!   `# dockwise: global ignore=...` the whole file;
//! - `# hadolint ignore=DL3006` / `# hadolint global ignore=...`, through the rules' peers;
//! - BuildKit's `# check=skip=Name1,Name2` (or `skip=all`) directive for the file, and a
//!   `# check=skip=...` comment right above an instruction for that instruction.

use std::ops::Range;

use super::{rule, Diagnostic};
use crate::syntax::{NodeKind, SyntaxTree};

#[derive(Debug, Default)]
pub struct Suppressions {
    /// (names, the range they cover; `None` = whole file)
    entries: Vec<(Vec<String>, Option<Range<usize>>, Source)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Dockwise,
    Hadolint,
    BuildKit,
}

/// Parses the names after `ignore=` / `skip=`.
pub(crate) fn names(list: &str) -> Vec<String> {
    list.split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `# dockwise: [global] ignore=A,B` / `# hadolint [global] ignore=A,B` → (source, global, names).
pub(crate) fn parse_comment(line: &str) -> Option<(Source, bool, Vec<String>)> {
    let body = line.trim_start().strip_prefix('#')?.trim();
    let (source, rest) = if let Some(r) = body.strip_prefix("dockwise:") {
        (Source::Dockwise, r)
    } else if let Some(r) = body.strip_prefix("dockwise ") {
        (Source::Dockwise, r)
    } else if let Some(r) = body.strip_prefix("hadolint ") {
        (Source::Hadolint, r)
    } else if let Some(r) = body.strip_prefix("check=") {
        let skip = r.split(';').find_map(|p| p.trim().strip_prefix("skip="))?;
        let skip = skip.split(' ').next().unwrap_or("");
        return Some((Source::BuildKit, false, names(skip)));
    } else {
        return None;
    };
    let rest = rest.trim();
    let (global, rest) = match rest.strip_prefix("global") {
        Some(r) => (true, r.trim()),
        None => (false, rest),
    };
    let list = rest.strip_prefix("ignore=")?;
    // A trailing explanation after whitespace is allowed: `ignore=DL3006 pinned upstream`.
    let list = list.split_whitespace().next().unwrap_or("");
    Some((source, global, names(list)))
}

/// The edit that silences `code` on the instruction holding byte `offset`: a
/// `# dockwise: ignore=CODE` line above it, or `,CODE` added to such a line already there.
/// `None` when `offset` is not inside an instruction.
pub fn ignore_edit(
    text: &str,
    tree: &SyntaxTree,
    offset: usize,
    code: &str,
) -> Option<(Range<usize>, String)> {
    let i = tree.instr_at(tree.item_at(offset)?)?;
    let start = i.range().start;
    let line_start = text.get(..start)?.rfind(['\n', '\r']).map_or(0, |p| p + 1);
    let kw = i.abs(i.ins.keyword_span).start;
    let indent = text
        .get(line_start..kw)
        .filter(|w| w.chars().all(|c| c == ' ' || c == '\t'))
        .unwrap_or("");
    // The line above, when it is already a dockwise ignore comment.
    if line_start > 0 {
        let above_end = line_start
            - if text[..line_start].ends_with("\r\n") {
                2
            } else {
                1
            };
        let above_start = text[..above_end].rfind(['\n', '\r']).map_or(0, |p| p + 1);
        let above = &text[above_start..above_end];
        if let Some((Source::Dockwise, false, list)) = parse_comment(above) {
            if list.iter().any(|n| n.eq_ignore_ascii_case(code)) {
                return None;
            }
            let at = above.find("ignore=")? + "ignore=".len();
            let end = above[at..]
                .find(char::is_whitespace)
                .map_or(above.len(), |p| at + p);
            let pos = above_start + end;
            return Some((pos..pos, format!(",{code}")));
        }
    }
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Some((
        line_start..line_start,
        format!("{indent}# dockwise: ignore={code}{eol}"),
    ))
}

impl Suppressions {
    pub fn collect(text: &str, tree: &SyntaxTree) -> Suppressions {
        let mut s = Suppressions::default();
        if let Some((_, d)) = tree.directive("check") {
            let v = d.value.split(' ').next().unwrap_or("");
            if let Some(skip) = v.split(';').find_map(|p| p.trim().strip_prefix("skip=")) {
                s.entries.push((names(skip), None, Source::BuildKit));
            }
        }
        let items = tree.items();
        for (k, it) in items.iter().enumerate() {
            if !matches!(it.node.kind, NodeKind::Comment) {
                continue;
            }
            let start = it.start as usize;
            let line = &text[start..start + it.node.len as usize];
            let Some((source, global, list)) = parse_comment(line) else {
                continue;
            };
            if global {
                s.entries.push((list, None, source));
                continue;
            }
            // The next instruction, past other comments and blank lines.
            let next = items[k + 1..]
                .iter()
                .find(|n| matches!(n.node.kind, NodeKind::Instruction(_)));
            if let Some(n) = next {
                let r = n.start as usize..(n.start + n.node.len) as usize;
                s.entries.push((list, Some(r), source));
            }
        }
        s
    }

    /// Whether the diagnostic is silenced.
    pub fn suppresses(&self, _text: &str, d: &Diagnostic) -> bool {
        self.entries.iter().any(|(list, range, source)| {
            let in_range = range
                .as_ref()
                .is_none_or(|r| d.range.start >= r.start && d.range.start < r.end.max(r.start + 1));
            in_range && list.iter().any(|n| matches(n, *source, d))
        })
    }
}

fn matches(name: &str, source: Source, d: &Diagnostic) -> bool {
    let Some(rule) = rule(d.code) else {
        return false;
    };
    if source == Source::BuildKit && name == "all" {
        return rule.peers.iter().any(|p| is_buildkit_name(p));
    }
    if name.eq_ignore_ascii_case(d.code) {
        return true;
    }
    match d.peer {
        // A finding tied to one peer check answers to that name only.
        Some(p) => p.eq_ignore_ascii_case(name) || peer_alias(rule.peers, p, name),
        None => rule.peers.iter().any(|p| p.eq_ignore_ascii_case(name)),
    }
}

/// hadolint codes that stand for the same finding as a BuildKit peer name.
fn peer_alias(peers: &[&str], peer: &str, name: &str) -> bool {
    // Only hadolint names (DLxxxx) are aliases of the whole rule.
    !is_buildkit_name(name)
        && peers.iter().any(|p| p.eq_ignore_ascii_case(name))
        && !peer.is_empty()
}

fn is_buildkit_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && !s.starts_with("DL")
        && !s.starts_with("SC")
}

#[cfg(test)]
mod ignore_edit_tests {
    use super::*;
    use crate::syntax::parse;

    fn apply(text: &str, code: &str, at: &str) -> Option<String> {
        let tree = parse(text);
        let (r, new) = ignore_edit(text, &tree, text.find(at).unwrap(), code)?;
        let mut t = text.to_string();
        t.replace_range(r, &new);
        Some(t)
    }

    #[test]
    fn adds_or_extends_the_comment() {
        assert_eq!(
            apply("FROM alpine\n  CMD x\n", "DF507", "x").unwrap(),
            "FROM alpine\n  # dockwise: ignore=DF507\n  CMD x\n"
        );
        assert_eq!(
            apply(
                "FROM a\r\n# dockwise: ignore=RT201 pinned upstream\r\nCMD x\r\n",
                "DF507",
                "x"
            )
            .unwrap(),
            "FROM a\r\n# dockwise: ignore=RT201,DF507 pinned upstream\r\nCMD x\r\n"
        );
        assert_eq!(
            apply("FROM a\n# dockwise: ignore=DF507\nCMD x\n", "DF507", "x"),
            None
        );
        assert_eq!(apply("# just a comment\n", "DF507", "just"), None);
    }

    #[test]
    fn the_comment_really_silences() {
        let text = "FROM alpine:3.20\nCMD /app\n";
        let before = crate::rules::check(text, &parse(text), &crate::rules::Config::default());
        assert!(before.diagnostics.iter().any(|d| d.code == "DF507"));
        let after = apply(text, "DF507", "/app").unwrap();
        let r = crate::rules::check(&after, &parse(&after), &crate::rules::Config::default());
        assert!(!r.diagnostics.iter().any(|d| d.code == "DF507"), "{after}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_comments() {
        assert_eq!(
            parse_comment("# dockwise: ignore=GO101,RT201"),
            Some((
                Source::Dockwise,
                false,
                vec!["GO101".into(), "RT201".into()]
            ))
        );
        assert_eq!(
            parse_comment("# hadolint global ignore=DL3006 pinned elsewhere"),
            Some((Source::Hadolint, true, vec!["DL3006".into()]))
        );
        assert_eq!(
            parse_comment("# check=skip=JSONArgsRecommended;error=true"),
            Some((Source::BuildKit, false, vec!["JSONArgsRecommended".into()]))
        );
        assert_eq!(parse_comment("# just a comment"), None);
    }
}
