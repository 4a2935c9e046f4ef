//! The tolerant parser. It follows BuildKit's `frontend/dockerfile/parser` line by line,
//! but never fails: what BuildKit rejects becomes a [`SyntaxError`] inside the node.
//!
//! Architecture invariant: no recursion depends on the input's size (ONBUILD nests one
//! level at most), and every loop advances by at least one byte.

use std::sync::Arc;

use super::lines::{continuation_at, leading_ws, line_at, Logical};
use super::tree::*;
use super::words::{
    extract_flags, heredoc_word, parse_words, shell_words, split_command, split_re_ws,
};

const BOM: &str = "\u{feff}";

/// Parses a whole Dockerfile.
pub fn parse(text: &str) -> SyntaxTree {
    let (mut items, escape, header_end) = parse_header(text);
    let header_items = items.len();
    let mut pos = header_end;
    while pos < text.len() {
        let node = parse_node(text, pos, escape);
        let len = node.len as usize;
        items.push(Item {
            start: pos as u32,
            node: Arc::new(node),
        });
        pos += len;
    }
    SyntaxTree {
        items,
        len: text.len(),
        escape,
        header_items,
    }
}

fn bom_len(text: &str, pos: usize) -> usize {
    if pos == 0 && text.starts_with(BOM) {
        BOM.len()
    } else {
        0
    }
}

/// Parser directives at the top of the file. Returns the directive items, the escape
/// character and where the body starts.
pub(crate) fn parse_header(text: &str) -> (Vec<Item>, char, usize) {
    let mut items = Vec::new();
    let mut escape = '\\';
    let mut seen: Vec<String> = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let (cend, next) = line_at(text, pos);
        let cstart = pos + bom_len(text, pos);
        let line = &text[cstart..cend];
        let lw = leading_ws(line);
        let Some(mut d) = match_directive(&line[lw..], cstart + lw - pos) else {
            break;
        };
        let name = d.name.to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            break;
        }
        if seen.contains(&name) {
            d.error = Some(SyntaxError {
                span: d.name_span,
                kind: ErrorKind::DuplicateDirective { name: name.clone() },
            });
        } else if name == "escape" {
            match d.value.as_str() {
                "\\" => escape = '\\',
                "`" => escape = '`',
                _ => {
                    d.error = Some(SyntaxError {
                        span: d.value_span,
                        kind: ErrorKind::InvalidEscape,
                    })
                }
            }
        }
        seen.push(name);
        items.push(Item {
            start: pos as u32,
            node: Arc::new(Node {
                len: (next - pos) as u32,
                kind: NodeKind::Directive(d),
            }),
        });
        pos = next;
    }
    (items, escape, pos)
}

/// BuildKit's `^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$`.
fn match_directive(line: &str, base: usize) -> Option<Directive> {
    let rest = line.strip_prefix('#')?;
    let ws = |s: &str| s.len() - s.trim_start_matches([' ', '\t']).len();
    let mut i = 1 + ws(rest);
    let b = line.as_bytes();
    if i >= b.len() || !b[i].is_ascii_alphabetic() {
        return None;
    }
    let name_start = i;
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    let name_end = i;
    i += ws(&line[i..]);
    if i >= b.len() || b[i] != b'=' {
        return None;
    }
    i += 1;
    i += ws(&line[i..]);
    let value = line[i..].trim_end_matches([' ', '\t']);
    if value.is_empty() {
        return None;
    }
    Some(Directive {
        name: line[name_start..name_end].into(),
        name_span: Span::new(base + name_start, base + name_end),
        value: value.into(),
        value_span: Span::new(base + i, base + i + value.len()),
        error: None,
    })
}

/// Parses the one node that starts at `pos` (a line start after the header).
pub(crate) fn parse_node(text: &str, pos: usize, escape: char) -> Node {
    let (cend, next) = line_at(text, pos);
    let cstart = pos + bom_len(text, pos);
    let line = &text[cstart..cend];
    let lw = leading_ws(line);
    let trimmed = &line[lw..];
    if trimmed.starts_with('#') {
        return Node {
            len: (next - pos) as u32,
            kind: NodeKind::Comment,
        };
    }
    let cont = continuation_at(trimmed, escape);
    if cont.is_none() && trimmed.is_empty() {
        return Node {
            len: (next - pos) as u32,
            kind: NodeKind::Blank,
        };
    }

    let rel = |p: usize| p - pos;
    let mut lg = Logical::default();
    let mut continuations = Vec::new();
    let mut comments = Vec::new();
    let mut empty_lines = Vec::new();
    let first_start = cstart + lw;
    match cont {
        Some(n) => {
            lg.push(&trimmed[..n], rel(first_start));
            continuations.push(Span::new(rel(first_start + n), rel(first_start + n + 1)));
        }
        None => lg.push(trimmed, rel(first_start)),
    }
    let mut eol = cont.is_none();
    let mut p = next;
    while !eol && p < text.len() {
        let (ce, nx) = line_at(text, p);
        let l = &text[p..ce];
        let lt = &l[leading_ws(l)..];
        if lt.starts_with('#') {
            comments.push(Span::new(rel(p), rel(ce)));
        } else if lt.is_empty() {
            empty_lines.push(Span::new(rel(p), rel(ce)));
        } else {
            match continuation_at(l, escape) {
                Some(n) => {
                    lg.push(&l[..n], rel(p));
                    continuations.push(Span::new(rel(p + n), rel(p + n + 1)));
                }
                None => {
                    lg.push(l, rel(p));
                    eol = true;
                }
            }
        }
        p = nx;
    }
    let line_end = p;

    let mut ins = instruction_from(&lg, 0, escape, false);
    ins.continuations = continuations;
    ins.comments = comments;
    ins.empty_continuation_lines = empty_lines;
    ins.line_end = rel(line_end) as u32;

    // Heredocs: BuildKit looks for them on the whole logical line of RUN/COPY/ADD in
    // shell form, then reads their bodies from the lines that follow.
    // ONBUILD is a compound instruction: its trigger decides (`canContainHeredoc`).
    let target = ins.onbuild_inner().unwrap_or(&ins);
    if target.keyword.allows_heredoc() && !target.is_exec_form() && lg.text.contains("<<") {
        for w in shell_words(&lg.text) {
            let Some((chomp, rest_off)) = heredoc_word(&w.raw) else {
                continue;
            };
            let Some((name, expand)) = heredoc_name(&w.raw[rest_off..]) else {
                continue;
            };
            let body_start = p;
            let mut content = String::new();
            let mut terminator = None;
            while p < text.len() {
                let (ce, nx) = line_at(text, p);
                let mut candidate = &text[p..ce];
                if chomp {
                    candidate = candidate.trim_start_matches('\t');
                }
                if candidate == name {
                    terminator = Some(Span::new(rel(p), rel(ce)));
                    p = nx;
                    break;
                }
                content.push_str(&text[p..nx]);
                p = nx;
            }
            let body_end = terminator.map_or(rel(p), |t| t.start as usize);
            let span = lg.span(w.range.start, w.range.end);
            if terminator.is_none() {
                ins.errors.push(SyntaxError {
                    span,
                    kind: ErrorKind::UnterminatedHeredoc { name: name.clone() },
                });
            }
            ins.heredocs.push(Heredoc {
                span,
                name,
                expand,
                chomp,
                body: Span::new(rel(body_start), body_end),
                content,
                terminator,
            });
        }
    }
    Node {
        len: (p - pos) as u32,
        kind: NodeKind::Instruction(Box::new(ins)),
    }
}

/// The heredoc's name and whether its body expands variables (`parseHeredoc`).
fn heredoc_name(rest: &str) -> Option<(String, bool)> {
    let words = shell_words(rest);
    if words.len() != 1 {
        return None;
    }
    let w = &words[0];
    let count = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
    let expand = count(&w.cooked) == count(&w.raw);
    Some((w.cooked.clone(), expand))
}

/// Builds an instruction from the logical line `lg.text[from..]`.
fn instruction_from(lg: &Logical, from: usize, escape: char, in_onbuild: bool) -> Instruction {
    let text = &lg.text[from..];
    let (kw, rest_start) = split_command(text);
    let kw = kw.start + from..kw.end + from;
    let rest_start = rest_start + from;
    let end = from + text.trim_end_matches(char::is_whitespace).len();
    let end = end.max(rest_start);
    let keyword_text: Str = lg.text[kw.clone()].into();
    let keyword = Keyword::parse(&keyword_text);
    let keyword_span = lg.span(kw.start, kw.end);
    let mut errors = Vec::new();

    let raw_flags = extract_flags(&lg.text, rest_start, end);
    let flags = raw_flags
        .flags
        .iter()
        .map(|f| make_flag(lg, f.range.clone(), &f.value))
        .collect();
    let flag_terminator = raw_flags
        .terminator
        .map(|r| lg.span(r.start, r.end.min(end)));
    let rs = raw_flags.rest;
    let rest = &lg.text[rs..end];
    let args_span = lg.span(rs, end);

    let word = |a: usize, b: usize| Word {
        span: lg.span(rs + a, rs + b),
        text: lg.text[rs + a..rs + b].into(),
    };
    let whole = || word(0, rest.len());
    let list = || -> Vec<Word> {
        split_re_ws(rest)
            .into_iter()
            .map(|r| word(r.start, r.end))
            .collect()
    };

    if keyword == Keyword::Unknown {
        errors.push(SyntaxError {
            span: keyword_span,
            kind: ErrorKind::UnknownInstruction {
                word: keyword_text.to_string(),
                suggestion: suggest_keyword(&keyword_text),
            },
        });
    }

    let args = match keyword {
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => {
            match maybe_json(lg, rs, end, &mut errors) {
                Some(a) => a,
                None if rest.is_empty() => Args::Empty,
                None => Args::Shell(whole()),
            }
        }
        Keyword::Add | Keyword::Copy | Keyword::Volume => {
            match maybe_json(lg, rs, end, &mut errors) {
                Some(a) => a,
                None if rest.is_empty() => Args::Empty,
                None => Args::List(list()),
            }
        }
        Keyword::From | Keyword::Expose => {
            if rest.is_empty() {
                Args::Empty
            } else {
                Args::List(list())
            }
        }
        Keyword::Env | Keyword::Label => name_val(lg, rs, end, escape, &mut errors),
        Keyword::Arg => {
            let pairs: Vec<KeyValue> = parse_words(rest, escape)
                .into_iter()
                .map(|r| key_value(lg, rs + r.start, rs + r.end, false))
                .collect();
            if pairs.is_empty() {
                Args::Empty
            } else {
                Args::Pairs {
                    pairs,
                    legacy: false,
                }
            }
        }
        Keyword::Healthcheck => health(lg, rs, end, &mut errors),
        Keyword::Onbuild => {
            if rest.is_empty() || in_onbuild {
                if rest.is_empty() {
                    Args::Empty
                } else {
                    Args::Text(whole())
                }
            } else {
                let inner = instruction_from(lg, rs, escape, true);
                if matches!(
                    inner.keyword,
                    Keyword::Onbuild | Keyword::From | Keyword::Maintainer
                ) {
                    errors.push(SyntaxError {
                        span: inner.keyword_span,
                        kind: ErrorKind::OnbuildNotAllowed {
                            keyword: inner.keyword,
                        },
                    });
                }
                Args::OnBuild(Box::new(inner))
            }
        }
        Keyword::Maintainer
        | Keyword::Stopsignal
        | Keyword::User
        | Keyword::Workdir
        | Keyword::Unknown => {
            if rest.is_empty() {
                Args::Empty
            } else {
                Args::Text(whole())
            }
        }
    };

    let mut ins = Instruction {
        keyword,
        keyword_text,
        keyword_span,
        flags,
        flag_terminator,
        args,
        args_span,
        heredocs: Vec::new(),
        continuations: Vec::new(),
        comments: Vec::new(),
        empty_continuation_lines: Vec::new(),
        line_end: 0,
        errors,
    };
    check_arity(&mut ins, text.contains("<<"));
    ins
}

/// Argument-count errors that BuildKit's `instructions/parse.go` reports.
fn check_arity(ins: &mut Instruction, may_have_heredoc: bool) {
    if !ins.errors.is_empty() || ins.keyword == Keyword::Unknown {
        return;
    }
    let at = if ins.args_span.is_empty() {
        ins.keyword_span
    } else {
        ins.args_span
    };
    let kind = match (&ins.keyword, &ins.args) {
        (Keyword::From, Args::Empty) => Some(ErrorKind::MissingArguments { min: 1 }),
        (Keyword::From, Args::List(w)) if w.len() == 3 => {
            (!w[1].text.eq_ignore_ascii_case("as")).then_some(ErrorKind::FromExpectedAs)
        }
        (Keyword::From, Args::List(w)) if w.len() != 1 => Some(ErrorKind::FromArguments),
        (Keyword::Copy | Keyword::Add, Args::Empty) => Some(ErrorKind::MissingArguments { min: 2 }),
        (Keyword::Copy | Keyword::Add, Args::List(w) | Args::Exec(w))
            if w.len() < 2 && !may_have_heredoc =>
        {
            Some(ErrorKind::MissingArguments { min: 2 })
        }
        (Keyword::Shell, Args::Shell(_)) => Some(ErrorKind::ShellNotJson),
        (
            Keyword::Run
            | Keyword::Shell
            | Keyword::Env
            | Keyword::Label
            | Keyword::Arg
            | Keyword::Workdir
            | Keyword::User
            | Keyword::Maintainer
            | Keyword::Stopsignal
            | Keyword::Expose
            | Keyword::Volume
            | Keyword::Onbuild
            | Keyword::Healthcheck,
            Args::Empty,
        ) => Some(ErrorKind::MissingArguments { min: 1 }),
        _ => None,
    };
    if let Some(kind) = kind {
        ins.errors.push(SyntaxError { span: at, kind });
    }
}

/// BuildKit's `parseJSON`: `Some(Exec)` when `lg.text[from..end]` is a JSON array of
/// strings; `None` when it is not JSON (shell form); an error when it is a JSON array
/// holding something else.
fn maybe_json(
    lg: &Logical,
    from: usize,
    end: usize,
    errors: &mut Vec<SyntaxError>,
) -> Option<Args> {
    let s = &lg.text[from..end];
    let lead = s.len() - s.trim_start().len();
    let t = &s[lead..];
    if !t.starts_with('[') {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(t).ok()?;
    let serde_json::Value::Array(items) = value else {
        return None;
    };
    if items.iter().any(|v| !v.is_string()) {
        errors.push(SyntaxError {
            span: lg.span(from, end),
            kind: ErrorKind::NotStringArray,
        });
        return Some(Args::Empty);
    }
    // Valid array of strings: find each string literal's range.
    let base = from + lead;
    let b = t.as_bytes();
    let mut words = Vec::with_capacity(items.len());
    let mut i = 0;
    let mut idx = 0;
    while i < b.len() {
        if b[i] == b'"' {
            let st = i;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            let text = items[idx].as_str().unwrap_or_default().into();
            idx += 1;
            words.push(Word {
                span: lg.span(base + st, base + i.min(b.len())),
                text,
            });
        } else {
            i += 1;
        }
    }
    Some(Args::Exec(words))
}

fn key_value(lg: &Logical, start: usize, end: usize, require_eq: bool) -> KeyValue {
    let text = &lg.text[start..end];
    let (key_end, value) = match text.find('=') {
        Some(i) => (
            start + i,
            Some(Word {
                span: lg.span(start + i + 1, end),
                text: text[i + 1..].into(),
            }),
        ),
        None => (end, None),
    };
    debug_assert!(!require_eq || value.is_some());
    KeyValue {
        span: lg.span(start, end),
        key: Word {
            span: lg.span(start, key_end),
            text: lg.text[start..key_end].into(),
        },
        value,
    }
}

/// BuildKit's `parseNameVal` for ENV and LABEL.
fn name_val(
    lg: &Logical,
    rs: usize,
    end: usize,
    escape: char,
    errors: &mut Vec<SyntaxError>,
) -> Args {
    let rest = &lg.text[rs..end];
    let words = parse_words(rest, escape);
    let Some(first) = words.first() else {
        return Args::Empty;
    };
    if !rest[first.clone()].contains('=') {
        // Legacy `ENV name value`: the key is the first whitespace-separated word and
        // the value is everything after it.
        let parts = split_re_ws(rest);
        let key_r = parts[0].clone();
        let key = Word {
            span: lg.span(rs + key_r.start, rs + key_r.end),
            text: rest[key_r.clone()].into(),
        };
        let after = &rest[key_r.end..];
        let skip = after.len() - after.trim_start_matches(super::words::is_re_ws).len();
        let vstart = key_r.end + skip;
        if vstart >= rest.len() {
            errors.push(SyntaxError {
                span: key.span,
                kind: ErrorKind::LegacyNeedsValue,
            });
        }
        let value = (vstart < rest.len()).then(|| Word {
            span: lg.span(rs + vstart, end),
            text: rest[vstart..].into(),
        });
        return Args::Pairs {
            pairs: vec![KeyValue {
                span: lg.span(rs, end),
                key,
                value,
            }],
            legacy: true,
        };
    }
    let mut pairs = Vec::with_capacity(words.len());
    for r in words {
        if !rest[r.clone()].contains('=') {
            errors.push(SyntaxError {
                span: lg.span(rs + r.start, rs + r.end),
                kind: ErrorKind::MissingEquals {
                    word: rest[r.clone()].into(),
                },
            });
            continue;
        }
        pairs.push(key_value(lg, rs + r.start, rs + r.end, true));
    }
    Args::Pairs {
        pairs,
        legacy: false,
    }
}

/// BuildKit's `parseHealthConfig`.
fn health(lg: &Logical, rs: usize, end: usize, errors: &mut Vec<SyntaxError>) -> Args {
    let rest = &lg.text[rs..end];
    if rest.is_empty() {
        return Args::Empty;
    }
    let sep = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let after = &rest[sep..];
    let next = sep + (after.len() - after.trim_start().len());
    let kind = Word {
        span: lg.span(rs, rs + sep),
        text: rest[..sep].into(),
    };
    let cmd_text = &rest[next..];
    let cmd = if cmd_text.is_empty() {
        None
    } else {
        Some(Box::new(match maybe_json(lg, rs + next, end, errors) {
            Some(a) => a,
            None => Args::Shell(Word {
                span: lg.span(rs + next, end),
                text: cmd_text.into(),
            }),
        }))
    };
    if kind.text.eq_ignore_ascii_case("none") {
        if cmd.is_some() {
            errors.push(SyntaxError {
                span: lg.span(rs + next, end),
                kind: ErrorKind::HealthcheckNoneArgs,
            });
        }
    } else if !kind.text.eq_ignore_ascii_case("cmd") {
        errors.push(SyntaxError {
            span: kind.span,
            kind: ErrorKind::HealthcheckKind,
        });
    } else if cmd.is_none() {
        errors.push(SyntaxError {
            span: kind.span,
            kind: ErrorKind::MissingArguments { min: 1 },
        });
    }
    Args::Healthcheck(HealthArgs { kind, cmd })
}

fn make_flag(lg: &Logical, range: std::ops::Range<usize>, value: &str) -> Flag {
    let raw_text = &lg.text[range.clone()];
    let body = value.strip_prefix("--").unwrap_or(value);
    let (name, val) = match body.find('=') {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    // Spans are found in the raw text; quotes make the cooked value differ from it,
    // so the value span covers everything after the first `=` as written.
    let raw_body_start = range.start + 2.min(raw_text.len());
    let raw_eq = raw_text.find('=').map(|i| range.start + i);
    let name_span = lg.span(raw_body_start, raw_eq.unwrap_or(range.end));
    let value_span = raw_eq.map(|e| lg.span(e + 1, range.end));
    let mut parts = Vec::new();
    if let (Some(v), Some(e)) = (val, raw_eq) {
        if v.contains(',') || v.contains('=') {
            // Positions of parts are taken from the raw text when it equals the cooked
            // value (the usual case); otherwise parts share the value's span.
            let raw_val = &lg.text[e + 1..range.end];
            let exact = raw_val == v;
            let mut off = 0;
            for piece in v.split(',') {
                let (k, pv) = match piece.find('=') {
                    Some(i) => (&piece[..i], Some(&piece[i + 1..])),
                    None => (piece, None),
                };
                let ps = e + 1 + off;
                let sp = |a: usize, b: usize| {
                    if exact {
                        lg.span(ps + a, ps + b)
                    } else {
                        lg.span(e + 1, range.end)
                    }
                };
                parts.push(FlagPart {
                    span: sp(0, piece.len()),
                    key: k.into(),
                    key_span: sp(0, k.len()),
                    value: pv.map(Str::from),
                    value_span: pv.map(|_| sp(k.len() + 1, piece.len())),
                });
                off += piece.len() + 1;
            }
        }
    }
    Flag {
        span: lg.span(range.start, range.end),
        name: name.into(),
        name_span,
        value: val.map(Str::from),
        value_span,
        raw: value.into(),
        parts,
    }
}

/// "Did you mean" for unknown instructions: the closest keyword within edit distance 2.
pub fn suggest_keyword(word: &str) -> Option<&'static str> {
    let w = word.to_ascii_uppercase();
    Keyword::ALL
        .iter()
        .map(|k| (edit_distance(&w, k.as_str()), k.as_str()))
        .filter(|&(d, k)| d <= 2 && d < k.len())
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

/// Damerau-Levenshtein (optimal string alignment) distance, so `FORM` is one swap from
/// `FROM`. Callers only care about small distances: strings whose lengths differ by more
/// than 3 return early, and long strings are not compared at all.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.abs_diff(lb) > 3 {
        return la.abs_diff(lb);
    }
    if la > 64 || lb > 64 {
        return usize::MAX;
    }
    let mut ab = [' '; 64];
    let mut bb = [' '; 64];
    for (i, c) in a.chars().enumerate() {
        ab[i] = c;
    }
    for (i, c) in b.chars().enumerate() {
        bb[i] = c;
    }
    let (a, b) = (&ab[..la], &bb[..lb]);
    // Three rolling rows of the matrix, on the stack.
    let w = lb + 1;
    let mut rows = [[0usize; 65]; 3];
    for (j, cell) in rows[0][..w].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=la {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i;
        for j in 1..=lb {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[prev][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[prev2][j - 2] + 1);
            }
            rows[cur][j] = v;
        }
    }
    rows[la % 3][lb]
}

#[cfg(test)]
mod distance_tests {
    use super::edit_distance;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("FORM", "FROM"), 1);
        assert_eq!(edit_distance("RUNN", "RUN"), 1);
        assert_eq!(edit_distance("buidler", "builder"), 1);
        assert_eq!(edit_distance("taget", "target"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("a", "abcdefgh"), 7);
    }
}
