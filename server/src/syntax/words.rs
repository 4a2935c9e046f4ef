//! Word splitters that follow BuildKit's parser functions exactly. All offsets are
//! byte offsets into the logical string they were given.

use std::ops::Range;

fn is_go_space(c: char) -> bool {
    c.is_whitespace()
}

/// BuildKit's `reWhitespace` (`[\t\v\f\r ]+`).
pub(crate) fn is_re_ws(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// BuildKit's `splitCommand`: (keyword range, rest start) of a trimmed logical line.
pub(crate) fn split_command(line: &str) -> (Range<usize>, usize) {
    let start = line.len() - line.trim_start_matches(is_go_space).len();
    let end = line.trim_end_matches(is_go_space).len().max(start);
    let body = &line[start..end];
    match body.find(is_re_ws) {
        Some(i) => {
            let kw_end = start + i;
            let rest = &line[kw_end..end];
            let skip = rest.len() - rest.trim_start_matches(is_re_ws).len();
            (start..kw_end, kw_end + skip)
        }
        None => (start..end, end),
    }
}

/// One raw builder flag word found by [`extract_flags`].
pub(crate) struct RawFlag {
    pub range: Range<usize>,
    /// The word with quotes and escapes processed, as BuildKit reports it.
    pub value: String,
}

pub(crate) struct Flags {
    pub flags: Vec<RawFlag>,
    /// Range of a bare `--` terminator.
    pub terminator: Option<Range<usize>>,
    /// Where the rest of the line starts.
    pub rest: usize,
}

/// BuildKit's `extractBuilderFlags` over `line[from..end]`.
pub(crate) fn extract_flags(line: &str, from: usize, end: usize) -> Flags {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let b = line.as_bytes();
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = Vec::<u8>::new();
    let mut word_start = from;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut pos = from;
    loop {
        let at_end = pos >= end;
        let ch = if at_end { 0 } else { b[pos] };
        if phase == Phase::Spaces {
            if at_end {
                return Flags {
                    flags,
                    terminator: None,
                    rest: end,
                };
            }
            if (ch as char).is_ascii_whitespace() || ch == 0x0b {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 >= end || b[pos + 1] != b'-' {
                return Flags {
                    flags,
                    terminator: None,
                    rest: pos,
                };
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if at_end {
            if word != b"--" && (blank_ok || !word.is_empty()) {
                flags.push(RawFlag {
                    range: word_start..end,
                    value: String::from_utf8_lossy(&word).into_owned(),
                });
            }
            let terminator = (word == b"--").then_some(word_start..end);
            return Flags {
                flags,
                terminator,
                rest: end,
            };
        }
        if phase == Phase::Word {
            if (ch as char).is_ascii_whitespace() || ch == 0x0b {
                if word == b"--" {
                    // BuildKit returns the rest from this space on.
                    let skip = line[pos..end].len() - line[pos..end].trim_start().len();
                    return Flags {
                        flags,
                        terminator: Some(word_start..pos),
                        rest: pos + skip,
                    };
                }
                if blank_ok || !word.is_empty() {
                    flags.push(RawFlag {
                        range: word_start..pos,
                        value: String::from_utf8_lossy(&word).into_owned(),
                    });
                }
                word.clear();
                blank_ok = false;
                phase = Phase::Spaces;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            if ch == b'\\' {
                if pos + 1 >= end {
                    pos += 1;
                    continue;
                }
                pos += 1;
            }
            word.push(b[pos]);
            pos += 1;
            continue;
        }
        // Phase::Quote
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        if ch == b'\\' {
            if pos + 1 >= end {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
        }
        word.push(b[pos]);
        pos += 1;
    }
}

/// BuildKit's `parseWords` (ENV, LABEL, ARG): words keep their quotes and escapes.
/// Returns the ranges of the words in `s`.
pub(crate) fn parse_words(s: &str, escape: char) -> Vec<Range<usize>> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut start = 0;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut chars = s.char_indices().peekable();
    // Offset one past the last character that belongs to the current word.
    let mut last = 0;
    loop {
        let Some((pos, ch)) = chars.next() else {
            if phase != Phase::Spaces && (blank_ok || last > start) {
                words.push(start..last);
            }
            return words;
        };
        let w = ch.len_utf8();
        if phase == Phase::Spaces {
            if is_go_space(ch) {
                continue;
            }
            phase = Phase::Word;
            start = pos;
            last = pos;
        }
        if phase == Phase::Word {
            if is_go_space(ch) {
                if blank_ok || last > start {
                    words.push(start..last);
                }
                blank_ok = false;
                phase = Phase::Spaces;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                last = pos + w;
                continue;
            }
            if ch == escape {
                match chars.next() {
                    // An escape at the very end is dropped.
                    None => {
                        if blank_ok || last > start {
                            words.push(start..last);
                        }
                        return words;
                    }
                    Some((p2, c2)) => {
                        last = p2 + c2.len_utf8();
                        continue;
                    }
                }
            }
            last = pos + w;
            continue;
        }
        // Phase::Quote
        if ch == quote {
            phase = Phase::Word;
            last = pos + w;
            continue;
        }
        if ch == escape && quote != '\'' {
            match chars.next() {
                None => {
                    if blank_ok || last > start {
                        words.push(start..last);
                    }
                    return words;
                }
                Some((p2, c2)) => {
                    last = p2 + c2.len_utf8();
                    continue;
                }
            }
        }
        last = pos + w;
    }
}

/// Splits on BuildKit's `reWhitespace`; `s` is already trimmed.
pub(crate) fn split_re_ws(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if is_re_ws(c) {
            if let Some(st) = start.take() {
                out.push(st..i);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push(st..s.len());
    }
    out
}

/// A word of the shell lexer used to find heredocs: its range, its text with quotes
/// kept (RawQuotes) and with quotes removed.
pub(crate) struct ShellWord {
    pub range: Range<usize>,
    pub raw: String,
    pub cooked: String,
}

/// A small model of BuildKit's shell lexer (`ProcessWords` with an empty environment and
/// `\` as escape), enough to find heredoc words and compute their names.
pub(crate) fn shell_words(s: &str) -> Vec<ShellWord> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    let mut cur: Option<ShellWord> = None;
    while let Some((i, c)) = chars.next() {
        if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
            if let Some(mut w) = cur.take() {
                w.range.end = i;
                out.push(w);
            }
            continue;
        }
        let w = cur.get_or_insert_with(|| ShellWord {
            range: i..i,
            raw: String::new(),
            cooked: String::new(),
        });
        match c {
            '\'' => {
                w.raw.push(c);
                for (_, c2) in chars.by_ref() {
                    if c2 == '\'' {
                        w.raw.push(c2);
                        break;
                    }
                    w.raw.push(c2);
                    w.cooked.push(c2);
                }
            }
            '"' => {
                w.raw.push(c);
                while let Some((_, c2)) = chars.next() {
                    if c2 == '"' {
                        w.raw.push(c2);
                        break;
                    }
                    if c2 == '\\' {
                        if let Some(&(_, c3)) = chars.peek() {
                            chars.next();
                            w.raw.push(c2);
                            w.raw.push(c3);
                            if !matches!(c3, '"' | '\\' | '$' | '`') {
                                w.cooked.push(c2);
                            }
                            w.cooked.push(c3);
                            continue;
                        }
                    }
                    if c2 == '$' {
                        skip_variable(&mut chars, &mut w.raw);
                        continue;
                    }
                    w.raw.push(c2);
                    w.cooked.push(c2);
                }
            }
            '\\' => {
                w.raw.push(c);
                if let Some((_, c2)) = chars.next() {
                    w.raw.push(c2);
                    w.cooked.push(c2);
                }
            }
            '$' => {
                skip_variable(&mut chars, &mut w.raw);
            }
            _ => {
                w.raw.push(c);
                w.cooked.push(c);
            }
        }
    }
    if let Some(mut w) = cur.take() {
        w.range.end = s.len();
        out.push(w);
    }
    out
}

/// Consumes a `$name` / `${...}` reference (it expands to nothing in an empty
/// environment); a lone `$` stays literal.
fn skip_variable(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, raw: &mut String) {
    match chars.peek().map(|&(_, c)| c) {
        Some('{') => {
            raw.push('$');
            for (_, c) in chars.by_ref() {
                raw.push(c);
                if c == '}' {
                    break;
                }
            }
        }
        Some(c) if c.is_ascii_alphanumeric() || c == '_' => {
            raw.push('$');
            while let Some(&(_, c)) = chars.peek() {
                if c.is_ascii_alphanumeric() || c == '_' {
                    raw.push(c);
                    chars.next();
                } else {
                    break;
                }
            }
        }
        _ => raw.push('$'),
    }
}

/// BuildKit's heredoc word regex `^(\d*)<<(-?)([^<]*)$`: returns (chomp, rest offset).
pub(crate) fn heredoc_word(raw: &str) -> Option<(bool, usize)> {
    let digits = raw.len() - raw.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let after = raw[digits..].strip_prefix("<<")?;
    let (chomp, rest) = match after.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, after),
    };
    if rest.contains('<') || rest.is_empty() {
        return None;
    }
    Some((chomp, raw.len() - rest.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        parse_words(s, '\\').into_iter().map(|r| &s[r]).collect()
    }

    #[test]
    fn parse_words_keeps_quotes() {
        assert_eq!(
            words(r#"a=1 b="x y" c='z'"#),
            vec!["a=1", r#"b="x y""#, "c='z'"]
        );
        assert_eq!(words(r"a=x\ y b"), vec![r"a=x\ y", "b"]);
        assert_eq!(words("  "), Vec::<&str>::new());
        assert_eq!(words(r#"a="""#), vec![r#"a="""#]);
    }

    #[test]
    fn flags() {
        let l = "--from=builder --chown=1:1 /a /b";
        let f = extract_flags(l, 0, l.len());
        assert_eq!(f.flags.len(), 2);
        assert_eq!(f.flags[0].value, "--from=builder");
        assert_eq!(&l[f.rest..], "/a /b");
        let l = "-- from=x /a";
        let f = extract_flags(l, 0, l.len());
        assert!(f.flags.is_empty());
        assert_eq!(f.terminator, Some(0..2));
        assert_eq!(&l[f.rest..], "from=x /a");
        let l = r#"--mount="type=cache,target=/x" go"#;
        let f = extract_flags(l, 0, l.len());
        assert_eq!(f.flags[0].value, "--mount=type=cache,target=/x");
    }

    #[test]
    fn heredoc_words() {
        assert_eq!(heredoc_word("<<EOF"), Some((false, 2)));
        assert_eq!(heredoc_word("<<-EOF"), Some((true, 3)));
        assert_eq!(heredoc_word("2<<EOF"), Some((false, 3)));
        assert_eq!(heredoc_word("<<<EOF"), None);
        assert_eq!(heredoc_word("<<"), None);
        assert_eq!(heredoc_word("a<<EOF"), None);
        let w = shell_words(r#"RUN <<"EOF" cat"#);
        assert_eq!(w[1].raw, r#"<<"EOF""#);
        assert_eq!(w[1].cooked, "<<EOF");
    }

    #[test]
    fn split_cmd() {
        let (k, r) = split_command("RUN  echo hi");
        assert_eq!(k, 0..3);
        assert_eq!(r, 5);
        let (k, r) = split_command("FROM");
        assert_eq!(k, 0..4);
        assert_eq!(r, 4);
    }
}
