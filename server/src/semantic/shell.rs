//! A small POSIX shell tokenizer: enough to split the script of a RUN into simple
//! commands (`&&`, `||`, `;`, `|`, `&`, newlines), with their environment prefixes
//! (`CGO_ENABLED=0 go build`), words and redirections, each with absolute spans.
//! It never fails; what it cannot understand it keeps as plain words.

use std::ops::Range;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellWord {
    /// Absolute range in the source.
    pub range: Range<usize>,
    /// The word with quotes and escapes removed (variables left as written).
    pub text: crate::syntax::Str,
    /// Whether any part of it was quoted.
    pub quoted: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub name: crate::syntax::Str,
    pub name_range: Range<usize>,
    pub value: ShellWord,
    pub range: Range<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sep {
    Start,
    And,
    Or,
    Seq,
    Pipe,
    Background,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleCommand {
    /// The operator that joined this command to the previous one.
    pub sep: Sep,
    /// `NAME=value` prefixes.
    pub env: Vec<Assignment>,
    /// The command name and its arguments.
    pub words: Vec<ShellWord>,
    /// Redirection targets (`> file`).
    pub redirects: Vec<ShellWord>,
    pub range: Range<usize>,
}

impl SimpleCommand {
    pub fn name(&self) -> Option<&str> {
        self.words.first().map(|w| w.text.as_str())
    }
    /// The program name without its directory (`/usr/local/go/bin/go` → `go`).
    pub fn program(&self) -> Option<&str> {
        self.name().map(|n| n.rsplit('/').next().unwrap_or(n))
    }
    pub fn args(&self) -> &[ShellWord] {
        self.words.get(1..).unwrap_or(&[])
    }
}

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "in", "case",
    "esac", "{", "}", "!", "time", "exec",
];

/// Tokenizes a script given as (absolute offset, char) pairs.
pub fn commands(src: &[(usize, char)]) -> Vec<SimpleCommand> {
    let mut out = Vec::new();
    let mut cur = new_cmd(Sep::Start);
    let mut i = 0;
    let mut pending_redirect = false;
    let n = src.len();
    let flush = |cur: &mut SimpleCommand, out: &mut Vec<SimpleCommand>, sep: Sep| {
        let done = std::mem::replace(cur, new_cmd(sep));
        if !done.words.is_empty() || !done.env.is_empty() {
            out.push(done);
        }
    };
    while i < n {
        let c = src[i].1;
        match c {
            ' ' | '\t' | '\r' => {
                i += 1;
            }
            '\n' => {
                flush(&mut cur, &mut out, Sep::Seq);
                i += 1;
            }
            '#' => {
                // A comment runs to the end of the line.
                while i < n && src[i].1 != '\n' {
                    i += 1;
                }
            }
            ';' | '&' | '|' | '(' | ')' => {
                let two = i + 1 < n && src[i + 1].1 == c;
                let sep = match (c, two) {
                    ('&', true) => Sep::And,
                    ('|', true) => Sep::Or,
                    ('|', false) => Sep::Pipe,
                    ('&', false) => Sep::Background,
                    _ => Sep::Seq,
                };
                // `2>&1` / `>&2` are redirections, handled with `>` below.
                flush(&mut cur, &mut out, sep);
                i += if two { 2 } else { 1 };
            }
            '>' | '<' => {
                i += 1;
                while i < n && matches!(src[i].1, '>' | '<' | '&' | '|') {
                    i += 1;
                }
                // `>&1`: the fd number is glued on.
                pending_redirect = true;
            }
            _ => {
                let (word, next) = read_word(src, i);
                i = next;
                if word.range.is_empty() {
                    i += 1;
                    continue;
                }
                if pending_redirect {
                    pending_redirect = false;
                    cur.redirects.push(word);
                    continue;
                }
                // A file-descriptor prefix of a redirection (`2>`): drop the number.
                if i < n
                    && matches!(src[i].1, '>' | '<')
                    && word.text.chars().all(|c| c.is_ascii_digit())
                {
                    continue;
                }
                if cur.words.is_empty() && KEYWORDS.contains(&word.text.as_str()) && !word.quoted {
                    continue;
                }
                if cur.words.is_empty() && cur.env.is_empty() {
                    cur.range = word.range.clone();
                } else {
                    cur.range.end = word.range.end;
                }
                if cur.words.is_empty() {
                    if let Some(a) = assignment(&word) {
                        cur.env.push(a);
                        continue;
                    }
                }
                cur.words.push(word);
            }
        }
    }
    flush(&mut cur, &mut out, Sep::Seq);
    out
}

fn new_cmd(sep: Sep) -> SimpleCommand {
    SimpleCommand {
        sep,
        env: Vec::new(),
        words: Vec::new(),
        redirects: Vec::new(),
        range: 0..0,
    }
}

fn assignment(w: &ShellWord) -> Option<Assignment> {
    let eq = w.text.find('=')?;
    let name = &w.text[..eq];
    if name.is_empty()
        || !name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    // The name is never quoted, so its bytes start the word.
    let name_range = w.range.start..w.range.start + eq;
    Some(Assignment {
        name: name.into(),
        name_range: name_range.clone(),
        value: ShellWord {
            range: name_range.end + 1..w.range.end,
            text: w.text[eq + 1..].into(),
            quoted: w.quoted,
        },
        range: w.range.clone(),
    })
}

/// Reads one word starting at `i`; returns it and the index after it.
fn read_word(src: &[(usize, char)], mut i: usize) -> (ShellWord, usize) {
    let n = src.len();
    let start = src[i].0;
    let mut end = start;
    let mut text = crate::syntax::Str::default();
    let mut quoted = false;
    while i < n {
        let (pos, c) = src[i];
        match c {
            ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')' => break,
            '\'' => {
                quoted = true;
                i += 1;
                while i < n && src[i].1 != '\'' {
                    text.push(src[i].1);
                    i += 1;
                }
                end = src.get(i).map_or(end, |&(p, c)| p + c.len_utf8());
                i += 1;
            }
            '"' => {
                quoted = true;
                i += 1;
                while i < n && src[i].1 != '"' {
                    if src[i].1 == '\\' && i + 1 < n {
                        let nx = src[i + 1].1;
                        if nx == '\n' {
                            i += 2;
                            continue;
                        }
                        if matches!(nx, '"' | '\\' | '$' | '`') {
                            text.push(nx);
                            i += 2;
                            continue;
                        }
                    }
                    if src[i].1 == '$' && i + 1 < n && src[i + 1].1 == '(' {
                        i = copy_subst(src, i, &mut text);
                        continue;
                    }
                    text.push(src[i].1);
                    i += 1;
                }
                end = src.get(i).map_or(end, |&(p, c)| p + c.len_utf8());
                i += 1;
            }
            '\\' => {
                if i + 1 < n {
                    if src[i + 1].1 != '\n' {
                        text.push(src[i + 1].1);
                    }
                    end = src[i + 1].0 + src[i + 1].1.len_utf8();
                    i += 2;
                } else {
                    end = pos + 1;
                    i += 1;
                }
            }
            '$' if i + 1 < n && src[i + 1].1 == '(' => {
                i = copy_subst(src, i, &mut text);
                end = src
                    .get(i.saturating_sub(1))
                    .map_or(end, |&(p, c)| p + c.len_utf8());
            }
            '`' => {
                text.push('`');
                i += 1;
                while i < n && src[i].1 != '`' {
                    text.push(src[i].1);
                    i += 1;
                }
                if i < n {
                    text.push('`');
                    end = src[i].0 + 1;
                    i += 1;
                }
            }
            _ => {
                text.push(c);
                end = pos + c.len_utf8();
                i += 1;
            }
        }
    }
    (
        ShellWord {
            range: start..end.max(start),
            text,
            quoted,
        },
        i,
    )
}

/// Copies a `$( ... )` command substitution verbatim; returns the index after it.
fn copy_subst(src: &[(usize, char)], mut i: usize, text: &mut crate::syntax::Str) -> usize {
    let mut depth = 0;
    while i < src.len() {
        let c = src[i].1;
        text.push(c);
        i += 1;
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    i
}

/// The (offset, char) pairs of `text[range]`, leaving out `skip` ranges (sorted).
pub fn chars_of(text: &str, range: Range<usize>, skip: &[Range<usize>]) -> Vec<(usize, char)> {
    let mut out = Vec::with_capacity(range.len());
    let mut k = 0;
    let Some(s) = text.get(range.clone()) else {
        return out;
    };
    for (i, c) in s.char_indices() {
        let p = range.start + i;
        while k < skip.len() && skip[k].end <= p {
            k += 1;
        }
        if k < skip.len() && skip[k].start <= p {
            continue;
        }
        out.push((p, c));
    }
    out
}

/// The script of `sh -c '...'` / `bash -ec "..."`, if this command is one.
pub fn dash_c_script(cmd: &SimpleCommand) -> Option<&ShellWord> {
    let prog = cmd.program()?;
    if !matches!(prog, "sh" | "bash" | "ash" | "dash" | "zsh") {
        return None;
    }
    let args = cmd.args();
    let i = args.iter().position(|w| {
        w.text.starts_with('-') && !w.text.starts_with("--") && w.text.contains('c')
    })?;
    args.get(i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmds(s: &str) -> Vec<SimpleCommand> {
        commands(&chars_of(s, 0..s.len(), &[]))
    }

    #[test]
    fn splits_commands() {
        let c = cmds("apk add --no-cache git && CGO_ENABLED=0 GOOS=linux go build -o /out/app ./cmd/api 2>&1 | tee log; echo \"done $X\"");
        assert_eq!(c.len(), 4);
        assert_eq!(c[0].name(), Some("apk"));
        assert_eq!(c[1].env[0].name, "CGO_ENABLED");
        assert_eq!(c[1].env[0].value.text, "0");
        assert_eq!(c[1].name(), Some("go"));
        assert_eq!(c[1].sep, Sep::And);
        assert_eq!(c[1].words.len(), 5);
        assert_eq!(c[2].name(), Some("tee"));
        assert_eq!(c[3].args()[0].text, "done $X");
    }

    #[test]
    fn skips_ranges_and_keywords() {
        let s = "if true; then go build -ldflags '-s -w' .; fi";
        let c = cmds(s);
        let go = c.iter().find(|c| c.name() == Some("go")).unwrap();
        assert_eq!(go.args()[2].text, "-s -w");
        assert_eq!(&s[go.args()[2].range.clone()], "'-s -w'");
        let skip = [Range { start: 2, end: 4 }];
        let v = chars_of("ab\\\ncd", 0..6, &skip);
        assert_eq!(v.iter().map(|x| x.1).collect::<String>(), "abcd");
    }

    #[test]
    fn dash_c() {
        let c = cmds("sh -ec 'go build ./...'");
        assert_eq!(dash_c_script(&c[0]).unwrap().text, "go build ./...");
    }
}
