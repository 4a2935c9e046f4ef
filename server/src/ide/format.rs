//! Formatting: the canonical layout of a Dockerfile, without changing what it builds.
//!
//! What it does: upper-case instruction keywords, no indentation before a keyword,
//! continuation lines indented by four spaces (only where whitespace already separates
//! them from the previous line and they are not inside a quoted string), no trailing
//! whitespace, one final line break. Heredoc bodies and terminators are never touched.
//!
//! Safety: the result is parsed again and compared instruction by instruction with the
//! original (keywords, flags, form, arguments with insignificant whitespace folded,
//! heredoc contents). If anything differs the formatter returns no edits at all.

use std::ops::Range;

use crate::syntax::{parse, Keyword, SyntaxTree};

const INDENT: &str = "    ";

/// Formatting was refused: the layout changes would have changed what the file builds
/// (a bug in the formatter, reported rather than risked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused;

/// Edits (byte range in `text`, replacement) that format the document, in order and
/// non-overlapping; empty when it is already formatted.
pub fn format(text: &str, tree: &SyntaxTree) -> Result<Vec<(Range<usize>, String)>, Refused> {
    let mut edits = edits(text, tree);
    if edits.is_empty() {
        return Ok(edits);
    }
    let mut out = apply(text, &edits);
    let mut out_tree = parse(&out);
    // One pass can enable another (a line holding only the escape gets indented, and
    // then has whitespace before its escape): run to a fixed point, so that formatting
    // a formatted file changes nothing.
    for _ in 0..4 {
        let more = self::edits(&out, &out_tree);
        if more.is_empty() {
            break;
        }
        out = apply(&out, &more);
        out_tree = parse(&out);
        edits = vec![minimal_edit(text, &out)];
    }
    if meaning(tree) == meaning(&out_tree) {
        Ok(edits)
    } else {
        Err(Refused)
    }
}

/// One edit turning `old` into `new`: the part between their common prefix and suffix.
pub(crate) fn minimal_edit(old: &str, new: &str) -> (Range<usize>, String) {
    let mut pre = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(pre) || !new.is_char_boundary(pre) {
        pre -= 1;
    }
    let max_suf = old.len().min(new.len()) - pre;
    let mut suf = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suf)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suf) || !new.is_char_boundary(new.len() - suf) {
        suf -= 1;
    }
    (pre..old.len() - suf, new[pre..new.len() - suf].to_string())
}

/// The formatted text.
pub fn formatted(text: &str, tree: &SyntaxTree) -> Result<String, Refused> {
    Ok(apply(text, &format(text, tree)?))
}

fn apply(text: &str, edits: &[(Range<usize>, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (r, new) in edits {
        out.push_str(text.get(at..r.start).unwrap_or(""));
        out.push_str(new);
        at = r.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

fn edits(text: &str, tree: &SyntaxTree) -> Vec<(Range<usize>, String)> {
    // Bytes that belong to heredoc bodies and terminator lines: left alone.
    let mut frozen: Vec<Range<usize>> = Vec::new();
    let mut out: Vec<(Range<usize>, String)> = Vec::new();
    for i in tree.instructions() {
        for h in &i.ins.heredocs {
            let end = h.terminator.map_or(i.range().end, |t| i.abs(t).end);
            frozen.push(i.abs(h.body).start..end);
        }
        let kw = i.abs(i.ins.keyword_span);
        if !matches!(i.ins.keyword, Keyword::Unknown) {
            let canonical = i.ins.keyword.as_str();
            if !canonical.is_empty() && text.get(kw.clone()).is_some_and(|k| k != canonical) {
                out.push((kw.clone(), canonical.to_string()));
            }
        }
        // Indentation before the keyword.
        let line_start = text[..kw.start.min(text.len())]
            .rfind(['\n', '\r'])
            .map_or(0, |p| p + 1);
        let same_line = text
            .get(i.range().start.min(kw.start)..kw.start)
            .is_some_and(|t| !t.contains(['\n', '\r']));
        if same_line
            && line_start < kw.start
            && text
                .get(line_start..kw.start)
                .is_some_and(|w| w.chars().all(|c| c == ' ' || c == '\t'))
        {
            out.push((line_start..kw.start, String::new()));
        }
        // Continuation lines: where each starts, if it may be re-indented.
        let escape = tree.escape();
        let mut quote = QuoteState::default();
        let mut scanned = i.range().start;
        for c in &i.ins.continuations {
            let esc = i.abs(*c);
            quote.feed(text.get(scanned..esc.start).unwrap_or(""), escape);
            scanned = esc.end;
            if quote.open() {
                continue;
            }
            let before_space = text[..esc.start]
                .chars()
                .next_back()
                .is_some_and(|c| c == ' ' || c == '\t');
            // The next line after the escape (and its trailing whitespace and line break).
            let Some(nl) = text[esc.end..].find('\n').map(|p| esc.end + p + 1) else {
                continue;
            };
            let lead_end = nl
                + text[nl..]
                    .find(|c: char| c != ' ' && c != '\t')
                    .unwrap_or(text.len() - nl);
            let rest = &text[lead_end..];
            let next_is_blank = rest.starts_with('\n') || rest.starts_with('\r') || rest.is_empty();
            let next_is_comment = rest.starts_with('#');
            if next_is_blank || next_is_comment {
                continue;
            }
            let has_lead = lead_end > nl;
            if (has_lead || before_space) && text.get(nl..lead_end) != Some(INDENT) {
                out.push((nl..lead_end, INDENT.to_string()));
            }
        }
    }
    // Trailing whitespace on every line outside heredoc bodies.
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_end_matches([' ', '\t']);
        let r = pos + trimmed.len()..pos + content.len();
        if !r.is_empty() && !frozen.iter().any(|f| f.start <= r.start && r.start < f.end) {
            out.push((r, String::new()));
        }
        pos += line.len();
    }
    if !text.is_empty() && !text.ends_with('\n') && !text.ends_with('\r') {
        let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
        out.push((text.len()..text.len(), nl.to_string()));
    }
    out.retain(|(r, _)| {
        !frozen
            .iter()
            .any(|f| r.start < f.end && f.start < r.end.max(r.start + 1))
    });
    out.sort_by_key(|(r, _)| (r.start, r.end));
    // Drop overlaps (an indentation edit and a whitespace-only line's trim can meet).
    let mut clean: Vec<(Range<usize>, String)> = Vec::with_capacity(out.len());
    for e in out {
        if clean.last().is_some_and(|(p, _)| p.end > e.0.start) {
            continue;
        }
        clean.push(e);
    }
    clean
}

/// Whether a shell-ish scan is inside a quoted string.
#[derive(Default)]
struct QuoteState {
    single: bool,
    double: bool,
}

impl QuoteState {
    fn feed(&mut self, s: &str, escape: char) {
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            match c {
                '\'' if !self.double => self.single = !self.single,
                '"' if !self.single => self.double = !self.double,
                c if c == escape && !self.single => {
                    chars.next();
                }
                _ => {}
            }
        }
    }
    fn open(&self) -> bool {
        self.single || self.double
    }
}

/// What a document means to the builder, for the safety comparison.
fn meaning(tree: &SyntaxTree) -> Vec<String> {
    let mut out: Vec<String> = tree
        .directives()
        .map(|(_, d)| format!("{}={}", d.name.to_ascii_lowercase(), d.value))
        .collect();
    for i in tree.instructions() {
        let flags: Vec<&str> = i.ins.flags.iter().map(|f| f.raw.as_str()).collect();
        let heredocs: Vec<(&str, &str)> = i
            .ins
            .heredocs
            .iter()
            .map(|h| (h.name.as_str(), h.content.as_str()))
            .collect();
        out.push(format!(
            "{:?}|{}|{:?}|{}|{:?}|{}",
            i.ins.keyword,
            if matches!(i.ins.keyword, Keyword::Unknown) {
                i.ins.keyword_text.to_string()
            } else {
                String::new()
            },
            flags,
            i.ins.is_exec_form(),
            heredocs,
            fold_whitespace(&i.ins.args_text(), tree.escape()),
        ));
    }
    out
}

/// Runs of whitespace outside quotes become one space; the ends are trimmed.
fn fold_whitespace(s: &str, escape: char) -> String {
    let mut out = String::with_capacity(s.len());
    let mut q = QuoteState::default();
    let mut chars = s.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        if !q.open() && (c == ' ' || c == '\t') {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
        if c == escape && !q.single {
            if let Some(n) = chars.next() {
                out.push(n);
            }
            continue;
        }
        let mut buf = [0u8; 4];
        q.feed(c.encode_utf8(&mut buf), '\u{0}');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        formatted(s, &parse(s)).expect("formatting refused")
    }

    #[test]
    fn canonical_layout() {
        assert_eq!(
            fmt("from alpine:3.20   \n  run apk add --no-cache ca-certificates \\\n\t&& echo ok\ncmd [\"/app\"]"),
            "FROM alpine:3.20\nRUN apk add --no-cache ca-certificates \\\n    && echo ok\nCMD [\"/app\"]\n"
        );
        // Already formatted: nothing to do.
        let done = "FROM alpine:3.20\nRUN a \\\n    && b\n";
        assert_eq!(format(done, &parse(done)), Ok(Vec::new()));
    }

    #[test]
    fn never_changes_meaning() {
        // Joined without whitespace: indenting would split `ab` into two words.
        assert_eq!(fmt("RUN echo a\\\nb\n"), "RUN echo a\\\nb\n");
        // Inside a quoted string the indentation is part of the value.
        let quoted = "run echo \"a \\\n      b\"\n";
        assert_eq!(fmt(quoted), "RUN echo \"a \\\n      b\"\n");
        // Heredoc bodies keep their whitespace, trailing included.
        let heredoc = "run <<EOF  \n  echo hi   \n\tEOF\nEOF\n";
        assert_eq!(fmt(heredoc), "RUN <<EOF\n  echo hi   \n\tEOF\nEOF\n");
        // CRLF files keep CRLF.
        assert_eq!(fmt("from alpine \r\nrun x"), "FROM alpine\r\nRUN x\r\n");
        // Backtick escape.
        assert_eq!(
            fmt("# escape=`\nfrom mcr.microsoft.com/windows\nrun dir `\n  c:\\\n"),
            "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n    c:\\\n"
        );
    }

    #[test]
    fn idempotent_with_a_line_holding_only_the_escape() {
        // Found by fuzzing: the lone `\` line is indented by the first pass, which puts
        // whitespace before its escape and lets a second pass indent the next line.
        let text = "FROM a\nRUN echo x \\\n\\\n(   next\n";
        let once = fmt(text);
        assert_eq!(fmt(&once), once);
        // The edits are still minimal and leave the rest alone.
        let edits = format(text, &parse(text)).unwrap();
        assert_eq!(edits.len(), 1);
        assert!(edits[0].0.start > 10, "{edits:?}");
    }

    #[test]
    fn idempotent_on_the_fixtures_style_inputs() {
        for s in [
            "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n",
            "arg X=1\nfrom alpine\nenv A=1 \\\n  B=2\n",
            "FROM x\nRUN a \\\n# comment\n  b\n",
            "FROM x\n\t\\\n    run echo hi\n",
            "",
            "\n\n",
        ] {
            let once = fmt(s);
            assert_eq!(fmt(&once), once, "{s:?}");
        }
    }
}
