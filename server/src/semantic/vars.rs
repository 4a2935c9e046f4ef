//! Variable references (`$NAME`, `${NAME}`, `${NAME:-default}` …) as BuildKit's shell
//! lexer finds them: not inside single quotes, not after the escape character.

use std::ops::Range;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// The whole reference (`${NAME:-x}`), absolute.
    pub range: Range<usize>,
    /// The name inside it, absolute.
    pub name_range: Range<usize>,
    /// `${NAME:-x}`, `${NAME-x}`, `${NAME:+x}` …: the reference has a fallback.
    pub has_modifier: bool,
}

/// Finds the references in `s`, whose first byte is at absolute offset `base`.
pub fn scan(s: &str, base: usize, escape: char) -> Vec<VarRef> {
    let b = s.as_bytes();
    let esc = escape as u32 as u8;
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_single = false;
    let mut in_double = false;
    while i < b.len() {
        let c = b[i];
        if escape.is_ascii() && c == esc && !in_single {
            i += 2;
            continue;
        }
        match c {
            b'\'' if !in_double => in_single = !in_single,
            b'"' if !in_single => in_double = !in_double,
            b'$' if !in_single => {
                if let Some((r, consumed)) = reference(&s[i..], base + i) {
                    out.push(r);
                    i += consumed;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}
fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Parses one reference at the start of `s` (which begins with `$`).
fn reference(s: &str, at: usize) -> Option<(VarRef, usize)> {
    let b = s.as_bytes();
    match b.get(1)? {
        b'{' => {
            let mut j = 2;
            while j < b.len() && is_name(b[j]) {
                j += 1;
            }
            if j == 2 {
                return None;
            }
            let name_end = j;
            // Find the closing brace, allowing nested `${...}` in the modifier word.
            let mut depth = 1;
            let mut k = j;
            while k < b.len() {
                match b[k] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                k += 1;
            }
            let end = (k + 1).min(b.len());
            Some((
                VarRef {
                    name: s[2..name_end].to_string(),
                    range: at..at + end,
                    name_range: at + 2..at + name_end,
                    has_modifier: name_end < k,
                },
                end,
            ))
        }
        &c if is_name_start(c) => {
            let mut j = 1;
            while j < b.len() && is_name(b[j]) {
                j += 1;
            }
            Some((
                VarRef {
                    name: s[1..j].to_string(),
                    range: at..at + j,
                    name_range: at + 1..at + j,
                    has_modifier: false,
                },
                j,
            ))
        }
        _ => None,
    }
}

/// Expands references with `lookup` (unknown names become empty, modifiers `:-`/`-`
/// and `:+`/`+` are honoured). Quotes are removed as the shell lexer does.
pub fn expand(s: &str, escape: char, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    let mut in_single = false;
    let mut in_double = false;
    while let Some((i, c)) = chars.next() {
        if c == escape && !in_single {
            if let Some((_, n)) = chars.next() {
                out.push(n);
            }
            continue;
        }
        match c {
            '\'' if !in_double => in_single = !in_single,
            '"' if !in_single => in_double = !in_double,
            '$' if !in_single => match reference(&s[i..], 0) {
                Some((r, consumed)) => {
                    let body = &s[i..i + consumed];
                    out.push_str(&apply(&r, body, escape, lookup));
                    while chars.peek().is_some_and(|&(j, _)| j < i + consumed) {
                        chars.next();
                    }
                }
                None => out.push('$'),
            },
            _ => out.push(c),
        }
    }
    out
}

fn apply(r: &VarRef, body: &str, escape: char, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let value = lookup(&r.name);
    if !r.has_modifier {
        return value.unwrap_or_default();
    }
    // body = ${NAME<op>word} — or unterminated (`${NAME:-x` at the end of the text).
    let inner = body.get(2 + r.name.len()..).unwrap_or("");
    let inner = inner.strip_suffix('}').unwrap_or(inner);
    let (colon, rest) = match inner.strip_prefix(':') {
        Some(r) => (true, r),
        None => (false, inner),
    };
    let set = match &value {
        Some(v) => !colon || !v.is_empty(),
        None => false,
    };
    match rest.chars().next() {
        Some('-') => {
            if set {
                value.unwrap_or_default()
            } else {
                expand(&rest[1..], escape, lookup)
            }
        }
        Some('+') => {
            if set {
                expand(&rest[1..], escape, lookup)
            } else {
                String::new()
            }
        }
        _ => value.unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_references() {
        let v = scan("a $X ${Y:-z} '$NO' \\$NO \"$Q\" $1 $", 10, '\\');
        let names: Vec<_> = v.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, vec!["X", "Y", "Q"]);
        assert_eq!(v[0].range, 12..14);
        assert!(v[1].has_modifier);
    }

    #[test]
    fn expands() {
        let look = |n: &str| match n {
            "V" => Some("1.22".to_string()),
            "E" => Some(String::new()),
            _ => None,
        };
        assert_eq!(
            expand("golang:${V}-alpine", '\\', &look),
            "golang:1.22-alpine"
        );
        assert_eq!(expand("${U:-x}${E:-y}${E-z}", '\\', &look), "xy");
        assert_eq!(expand("${V:+set}", '\\', &look), "set");
        assert_eq!(expand("'$V' \"$V\"", '\\', &look), "$V 1.22");
        // Found by fuzzing: an unterminated reference ending in a multi-byte character.
        assert_eq!(expand("${V:-中", '\\', &look), "1.22");
        assert_eq!(expand("${U:-中", '\\', &look), "中");
        assert_eq!(expand("${VPNKIT_VERSION\u{fffd}", '\\', &look), "");
    }
}
