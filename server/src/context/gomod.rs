//! A tolerant parser of `go.mod` and `go.work`, following the lexical rules of
//! `golang.org/x/mod/modfile` (tokens separated by spaces, `//` comments, `"…"` and
//! `` `…` `` strings, `verb ( … )` blocks), and Go version arithmetic following the go
//! command's `internal/gover`.
//!
//! Tolerant: every input gives a value; what the go command would reject is listed in
//! `problems`, and the rest of the file is still read.
//!
//! Lines are zero-based; byte ranges are offsets into the parsed text.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;

/// A Go version as written in a `go` line (`1.21`, `1.21.5`, `1.22rc1`) or inside a
/// toolchain name (`go1.22.3`).
#[derive(Clone, Debug)]
pub struct GoVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: Option<u32>,
    /// A pre-release suffix such as `rc1` or `beta2` (never together with a patch).
    pub pre: Option<String>,
    /// The text it was parsed from, without any `go` prefix or toolchain suffix.
    pub raw: String,
}

impl GoVersion {
    /// Parses a version in the syntax of a go.mod `go` line
    /// (`^[1-9][0-9]*\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$`, where a
    /// pre-release never follows a patch: `1.21.0rc1` is no Go version).
    pub fn parse(s: &str) -> Option<GoVersion> {
        let (major, rest) = cut_num(s)?;
        let rest = rest.strip_prefix('.')?;
        let (minor, rest) = cut_num(rest)?;
        let mut v = GoVersion {
            major,
            minor,
            patch: None,
            pre: None,
            raw: s.to_string(),
        };
        if rest.is_empty() {
            return Some(v);
        }
        if let Some(p) = rest.strip_prefix('.') {
            let (patch, rest) = cut_num(p)?;
            if !rest.is_empty() {
                return None;
            }
            v.patch = Some(patch);
            return Some(v);
        }
        let letters = rest.bytes().take_while(u8::is_ascii_lowercase).count();
        if letters == 0 {
            return None;
        }
        let (_, tail) = cut_num(&rest[letters..])?;
        if !tail.is_empty() {
            return None;
        }
        v.pre = Some(rest.to_string());
        Some(v)
    }

    /// Parses a toolchain name: `go1.22.3`, `go1.21rc2`, and custom builds like
    /// `go1.21.3-bigcorp` (the suffix after `-` is dropped, as the go command does).
    /// `default` and anything else that names no version give `None`.
    pub fn from_toolchain(name: &str) -> Option<GoVersion> {
        if name.contains(['/', '\\']) {
            return None;
        }
        let v = name.strip_prefix("go")?;
        let end = v.find([' ', '\t', '-', '+']).unwrap_or(v.len());
        GoVersion::parse(&v[..end])
    }

    /// `(major, minor)`: the language version, e.g. `(1, 22)` for `1.22.3`.
    pub fn minor_tuple(&self) -> (u32, u32) {
        (self.major, self.minor)
    }

    /// The language version as text: `1.22`.
    pub fn lang(&self) -> String {
        format!("{}.{}", self.major, self.minor)
    }

    fn pre_parts(&self) -> Option<(&str, u32)> {
        let p = self.pre.as_deref()?;
        let k = p.bytes().take_while(u8::is_ascii_lowercase).count();
        let n = cut_num(&p[k..]).map(|(n, _)| n).unwrap_or(0);
        Some((&p[..k], n))
    }

    /// Go's version order (`internal/gover.Compare`): `1.21 < 1.21rc1 < 1.21.0 < 1.21.1`.
    pub fn compare(&self, other: &GoVersion) -> Ordering {
        (self.major, self.minor, self.patch, self.pre_parts()).cmp(&(
            other.major,
            other.minor,
            other.patch,
            other.pre_parts(),
        ))
    }

    /// Whether a toolchain of version `self` may build a module whose `go` line says
    /// `required`.
    pub fn at_least(&self, required: &GoVersion) -> bool {
        self.compare(required) != Ordering::Less
    }

    /// Whether an image tagged with this version satisfies `required`, reading a tag
    /// without a patch (`golang:1.22`) as "the latest 1.22.x" (it moves with each patch
    /// release), and a tag with a patch (`golang:1.22.1`) as exactly that release.
    pub fn tag_satisfies(&self, required: &GoVersion) -> bool {
        if self.patch.is_none() && self.pre.is_none() {
            self.minor_tuple() >= required.minor_tuple()
        } else {
            self.at_least(required)
        }
    }
}

impl PartialEq for GoVersion {
    fn eq(&self, other: &GoVersion) -> bool {
        self.compare(other) == Ordering::Equal
    }
}
impl Eq for GoVersion {}
impl PartialOrd for GoVersion {
    fn partial_cmp(&self, other: &GoVersion) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for GoVersion {
    fn cmp(&self, other: &GoVersion) -> Ordering {
        self.compare(other)
    }
}
impl fmt::Display for GoVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// A decimal number without a leading zero (except `0` itself), and the rest.
fn cut_num(s: &str) -> Option<(u32, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || (n > 1 && s.starts_with('0')) {
        return None;
    }
    let v: u32 = s[..n].parse().ok()?;
    Some((v, &s[n..]))
}

/// Where a one-value directive (`go 1.22`, `toolchain go1.22.3`) sits in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub line: u32,
    /// From the keyword to the end of the value (comments excluded).
    pub range: Range<usize>,
    /// The value token (`1.22`, `go1.22.3`).
    pub value_range: Range<usize>,
    pub value: String,
}

/// A `require` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Require {
    pub path: String,
    pub version: String,
    /// Marked `// indirect`.
    pub indirect: bool,
    pub line: u32,
    /// The path and version tokens.
    pub range: Range<usize>,
}

/// A `replace` line: `old [v] => new [v]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replace {
    pub old_path: String,
    pub old_version: Option<String>,
    pub new_path: String,
    pub new_version: Option<String>,
    pub line: u32,
}

impl Replace {
    /// Whether the replacement is a directory (`./x`, `../x`, `/abs`): its files must be
    /// in the build context and copied before `go mod download`.
    pub fn is_local(&self) -> bool {
        is_dir_path(&self.new_path)
    }
}

fn is_dir_path(p: &str) -> bool {
    p == "."
        || p == ".."
        || p.starts_with("./")
        || p.starts_with("../")
        || p.starts_with('/')
        || p.starts_with(".\\")
        || p.starts_with("..\\")
}

/// A module path and version (`exclude` lines).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleVersion {
    pub path: String,
    pub version: String,
    pub line: u32,
}

/// Something the go command would reject (the parser went on regardless).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: u32,
    pub message: String,
}

/// A parsed `go.mod`.
#[derive(Clone, Debug, Default)]
pub struct GoMod {
    pub module: Option<String>,
    /// The `go` line: the minimum Go version the module needs.
    pub go: Option<GoVersion>,
    /// The `toolchain` line: the preferred toolchain (a suggestion, not a requirement:
    /// with `GOTOOLCHAIN=local` only the `go` line makes the go command refuse to run).
    pub toolchain: Option<GoVersion>,
    /// The toolchain name as written (`go1.22.3`, `default`).
    pub toolchain_name: Option<String>,
    pub go_directive: Option<Directive>,
    pub toolchain_directive: Option<Directive>,
    pub requires: Vec<Require>,
    pub replaces: Vec<Replace>,
    pub excludes: Vec<ModuleVersion>,
    /// Number of retracted versions or ranges (their contents are not kept).
    pub retracts: usize,
    /// `godebug key=value` settings, in order.
    pub godebug: Vec<(String, String)>,
    /// `tool` packages.
    pub tools: Vec<String>,
    /// `ignore` directories.
    pub ignores: Vec<String>,
    pub problems: Vec<Problem>,
}

impl GoMod {
    /// Parses a go.mod. Never fails; see `problems`.
    pub fn parse(text: &str) -> GoMod {
        let mut m = GoMod::default();
        let mut problems = Vec::new();
        for_each_entry(text, &mut problems, |e, problems| m.add(e, problems));
        m.problems = problems;
        m
    }

    /// The `require` line for a module path, if any.
    pub fn require(&self, path: &str) -> Option<&Require> {
        self.requires.iter().find(|r| r.path == path)
    }

    /// Replacements by local directories.
    pub fn local_replaces(&self) -> impl Iterator<Item = &Replace> {
        self.replaces.iter().filter(|r| r.is_local())
    }

    /// The higher of the `go` and `toolchain` versions: what the go command would switch
    /// to under the default `GOTOOLCHAIN=auto`.
    pub fn preferred_go(&self) -> Option<&GoVersion> {
        match (&self.go, &self.toolchain) {
            (Some(g), Some(t)) => Some(if t > g { t } else { g }),
            (g, t) => g.as_ref().or(t.as_ref()),
        }
    }

    fn add(&mut self, e: Entry<'_>, problems: &mut Vec<Problem>) {
        let args = e.args;
        let problem = |problems: &mut Vec<Problem>, msg: String| {
            problems.push(Problem {
                line: e.line,
                message: msg,
            })
        };
        match e.verb {
            "module" => {
                if self.module.is_some() {
                    problem(problems, "repeated module statement".into());
                } else if let [path] = args {
                    self.module = Some(path.text.clone());
                } else {
                    problem(problems, "usage: module module/path".into());
                    if let Some(first) = args.first() {
                        self.module = Some(first.text.clone());
                    }
                }
            }
            "go" => {
                if self.go_directive.is_some() {
                    problem(problems, "repeated go statement".into());
                    return;
                }
                let [v] = args else {
                    problem(problems, "go directive expects exactly one argument".into());
                    return;
                };
                let version = match GoVersion::parse(&v.text) {
                    Some(gv) => Some(gv),
                    None => {
                        problem(
                            problems,
                            format!("invalid go version '{}': must match format 1.23.0", v.text),
                        );
                        lax_go_version(&v.text)
                    }
                };
                self.go = version;
                self.go_directive = Some(directive(&e, v));
            }
            "toolchain" => {
                if self.toolchain_directive.is_some() {
                    problem(problems, "repeated toolchain statement".into());
                    return;
                }
                let [v] = args else {
                    problem(problems, "toolchain directive expects exactly one argument".into());
                    return;
                };
                let tv = GoVersion::from_toolchain(&v.text);
                if tv.is_none() && v.text != "default" {
                    problem(
                        problems,
                        format!("invalid toolchain version '{}': must match format go1.23.0 or default", v.text),
                    );
                }
                self.toolchain = tv;
                self.toolchain_name = Some(v.text.clone());
                self.toolchain_directive = Some(directive(&e, v));
            }
            "require" => match args {
                [path, version] => self.requires.push(Require {
                    path: path.text.clone(),
                    version: version.text.clone(),
                    indirect: is_indirect(e.comment),
                    line: e.line,
                    range: path.range.start..version.range.end,
                }),
                _ => problem(problems, "usage: require module/path v1.2.3".into()),
            },
            "exclude" => match args {
                [path, version] => self.excludes.push(ModuleVersion {
                    path: path.text.clone(),
                    version: version.text.clone(),
                    line: e.line,
                }),
                _ => problem(problems, "usage: exclude module/path v1.2.3".into()),
            },
            "replace" => match parse_replace(args, e.line) {
                Some(r) => self.replaces.push(r),
                None => problem(
                    problems,
                    "usage: replace module/path [v1.2.3] => other/module v1.4 | replace module/path [v1.2.3] => ../local/directory".into(),
                ),
            },
            "retract" => self.retracts += 1,
            "godebug" => match args {
                [kv] => match kv.text.split_once('=') {
                    Some((k, v)) => self.godebug.push((k.to_string(), v.to_string())),
                    None => problem(problems, "usage: godebug key=value".into()),
                },
                _ => problem(problems, "usage: godebug key=value".into()),
            },
            "tool" => match args {
                [path] => self.tools.push(path.text.clone()),
                _ => problem(problems, "usage: tool module/path/cmd".into()),
            },
            "ignore" => match args {
                [path] => self.ignores.push(path.text.clone()),
                _ => problem(problems, "usage: ignore path/to/directory".into()),
            },
            verb => problem(problems, format!("unknown directive: {verb}")),
        }
    }
}

/// A parsed `go.work`.
#[derive(Clone, Debug, Default)]
pub struct GoWork {
    pub go: Option<GoVersion>,
    pub toolchain: Option<GoVersion>,
    pub go_directive: Option<Directive>,
    /// The `use` directories, as written (`./api`, `.`).
    pub uses: Vec<String>,
    pub replaces: Vec<Replace>,
    pub godebug: Vec<(String, String)>,
    pub problems: Vec<Problem>,
}

impl GoWork {
    /// Parses a go.work. Never fails; see `problems`.
    pub fn parse(text: &str) -> GoWork {
        let mut w = GoWork::default();
        let mut all_problems = Vec::new();
        for_each_entry(text, &mut all_problems, |e, problems| {
            let problem = |problems: &mut Vec<Problem>, msg: &str| {
                problems.push(Problem {
                    line: e.line,
                    message: msg.to_string(),
                })
            };
            match (e.verb, e.args) {
                ("go", [v]) if w.go_directive.is_none() => {
                    w.go = GoVersion::parse(&v.text).or_else(|| {
                        problem(problems, "invalid go version");
                        lax_go_version(&v.text)
                    });
                    w.go_directive = Some(directive(&e, v));
                }
                ("toolchain", [v]) if w.toolchain.is_none() => {
                    w.toolchain = GoVersion::from_toolchain(&v.text);
                }
                ("use", [dir]) => w.uses.push(dir.text.clone()),
                ("use", _) => problem(problems, "usage: use local/dir"),
                ("replace", args) => match parse_replace(args, e.line) {
                    Some(r) => w.replaces.push(r),
                    None => problem(problems, "usage: replace module/path [v1.2.3] => other"),
                },
                ("godebug", [kv]) => {
                    if let Some((k, v)) = kv.text.split_once('=') {
                        w.godebug.push((k.to_string(), v.to_string()));
                    } else {
                        problem(problems, "usage: godebug key=value");
                    }
                }
                ("go" | "toolchain", _) => problem(problems, "repeated or malformed statement"),
                (verb, _) => problems.push(Problem {
                    line: e.line,
                    message: format!("unknown directive: {verb}"),
                }),
            }
        });
        w.problems = all_problems;
        w
    }
}

/// `laxGoVersionRE`-like recovery: `go1.21`, `v1.21`, `1.21.0-rc1`, `1.21.x` give 1.21.
fn lax_go_version(s: &str) -> Option<GoVersion> {
    let t = s
        .strip_prefix("go")
        .or_else(|| s.strip_prefix('v'))
        .unwrap_or(s);
    if let Some(v) = GoVersion::parse(t) {
        return Some(GoVersion {
            raw: s.to_string(),
            ..v
        });
    }
    let (major, rest) = cut_num(t)?;
    let (minor, _) = cut_num(rest.strip_prefix('.')?)?;
    Some(GoVersion {
        major,
        minor,
        patch: None,
        pre: None,
        raw: s.to_string(),
    })
}

fn directive(e: &Entry<'_>, value: &Tok) -> Directive {
    Directive {
        line: e.line,
        range: e.start..value.range.end,
        value_range: value.range.clone(),
        value: value.text.clone(),
    }
}

/// modfile's `isIndirect`: a suffix comment `// indirect` or `// indirect; more`.
fn is_indirect(comment: Option<&str>) -> bool {
    let Some(c) = comment else { return false };
    let mut fields = c.split_whitespace();
    matches!(
        (fields.next(), fields.next()),
        (Some("indirect"), None) | (Some("indirect;"), Some(_))
    )
}

fn parse_replace(args: &[Tok], line: u32) -> Option<Replace> {
    let arrow = args
        .iter()
        .position(|t| t.kind == TokKind::Word && t.text == "=>")?;
    let (old, new) = (&args[..arrow], &args[arrow + 1..]);
    let (old_path, old_version) = match old {
        [p] => (p.text.clone(), None),
        [p, v] => (p.text.clone(), Some(v.text.clone())),
        _ => return None,
    };
    let (new_path, new_version) = match new {
        [p] => (p.text.clone(), None),
        [p, v] => (p.text.clone(), Some(v.text.clone())),
        _ => return None,
    };
    Some(Replace {
        old_path,
        old_version,
        new_path,
        new_version,
        line,
    })
}

// ---------------------------------------------------------------------------------------
// Lexing and statements.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokKind {
    Word,
    Str,
    LParen,
    RParen,
    Punct,
}

#[derive(Clone, Debug)]
struct Tok {
    kind: TokKind,
    /// The word, or the string's value (unquoted).
    text: String,
    range: Range<usize>,
}

/// One statement: a verb and its arguments, from a single line or a line of a block.
struct Entry<'a> {
    verb: &'a str,
    args: &'a [Tok],
    line: u32,
    /// Byte offset where the statement starts (the verb, or the first token in a block).
    start: usize,
    /// The text of a comment on the same line, after `//`.
    comment: Option<&'a str>,
}

/// Splits the text into statements and calls `f` for each.
fn for_each_entry<F>(text: &str, problems: &mut Vec<Problem>, mut f: F)
where
    F: FnMut(Entry<'_>, &mut Vec<Problem>),
{
    let mut block: Option<(String, u32)> = None;
    let mut offset = 0usize;
    for (n, raw_line) in text.split('\n').enumerate() {
        let line_no = u32::try_from(n).unwrap_or(u32::MAX);
        let base = offset;
        offset += raw_line.len() + 1;
        let (tokens, comment) = lex_line(raw_line, base, line_no, problems);
        if tokens.is_empty() {
            continue;
        }
        let comment = comment.as_deref();
        if let Some((verb, _)) = &block {
            let verb = verb.clone();
            if tokens[0].kind == TokKind::RParen {
                block = None;
                continue;
            }
            let (entry_toks, closes) = match tokens.iter().position(|t| t.kind == TokKind::RParen) {
                Some(k) => (&tokens[..k], true),
                None => (&tokens[..], false),
            };
            if !entry_toks.is_empty() {
                f(
                    Entry {
                        verb: &verb,
                        args: entry_toks,
                        line: line_no,
                        start: entry_toks[0].range.start,
                        comment,
                    },
                    problems,
                );
            }
            if closes {
                block = None;
            }
            continue;
        }
        let first = &tokens[0];
        if first.kind != TokKind::Word {
            problems.push(Problem {
                line: line_no,
                message: format!("unexpected '{}'", first.text),
            });
            continue;
        }
        let verb = first.text.as_str();
        match tokens.iter().position(|t| t.kind == TokKind::LParen) {
            Some(k) => {
                if k != 1 {
                    problems.push(Problem {
                        line: line_no,
                        message: format!("unknown block type: {verb}"),
                    });
                }
                let after = &tokens[k + 1..];
                let (inner, closes) = match after.iter().position(|t| t.kind == TokKind::RParen) {
                    Some(j) => (&after[..j], true),
                    None => (after, false),
                };
                if !inner.is_empty() {
                    f(
                        Entry {
                            verb,
                            args: inner,
                            line: line_no,
                            start: inner[0].range.start,
                            comment,
                        },
                        problems,
                    );
                }
                if !closes {
                    block = Some((verb.to_string(), line_no));
                }
            }
            None => f(
                Entry {
                    verb,
                    args: &tokens[1..],
                    line: line_no,
                    start: first.range.start,
                    comment,
                },
                problems,
            ),
        }
    }
    if let Some((verb, line)) = block {
        problems.push(Problem {
            line,
            message: format!("unterminated {verb} block"),
        });
    }
}

fn is_punct(c: char) -> bool {
    matches!(c, '(' | ')' | '[' | ']' | '{' | '}' | ',')
}

/// Tokens of one physical line (byte offsets made absolute with `base`), and the text
/// of a `//` comment.
fn lex_line(
    line: &str,
    base: usize,
    line_no: u32,
    problems: &mut Vec<Problem>,
) -> (Vec<Tok>, Option<String>) {
    let mut toks = Vec::new();
    let mut comment = None;
    let mut it = line.char_indices().peekable();
    while let Some(&(i, c)) = it.peek() {
        if c.is_whitespace() {
            it.next();
            continue;
        }
        if line[i..].starts_with("//") {
            comment = Some(line[i + 2..].trim_end_matches('\r').to_string());
            break;
        }
        if is_punct(c) {
            it.next();
            let kind = match c {
                '(' => TokKind::LParen,
                ')' => TokKind::RParen,
                _ => TokKind::Punct,
            };
            toks.push(Tok {
                kind,
                text: c.to_string(),
                range: base + i..base + i + 1,
            });
            continue;
        }
        if c == '"' || c == '`' {
            it.next();
            let mut end = None;
            let mut escaped = false;
            for (j, d) in it.by_ref() {
                if c == '"' && escaped {
                    escaped = false;
                    continue;
                }
                if c == '"' && d == '\\' {
                    escaped = true;
                    continue;
                }
                if d == c {
                    end = Some(j);
                    break;
                }
            }
            let (body, stop) = match end {
                Some(j) => (&line[i + 1..j], j + 1),
                None => {
                    problems.push(Problem {
                        line: line_no,
                        message: "unterminated quoted string".into(),
                    });
                    let body = line[i + 1..].trim_end_matches('\r');
                    (body, line.len())
                }
            };
            let text = if c == '"' {
                unquote(body)
            } else {
                body.to_string()
            };
            toks.push(Tok {
                kind: TokKind::Str,
                text,
                range: base + i..base + stop,
            });
            continue;
        }
        // A word: up to a space, a punctuation character, or a `//` comment.
        let mut end = line.len();
        while let Some(&(j, d)) = it.peek() {
            if d.is_whitespace() || is_punct(d) || line[j..].starts_with("//") {
                end = j;
                break;
            }
            it.next();
        }
        toks.push(Tok {
            kind: TokKind::Word,
            text: line[i..end].to_string(),
            range: base + i..base + end,
        });
    }
    (toks, comment)
}

/// Interprets Go escapes in the body of a `"…"` string; an invalid escape is kept as is.
fn unquote(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = chars.get(i) else {
            out.push('\\');
            break;
        };
        i += 1;
        let simple = match e {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' | '"' | '\'' => Some(e),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let (digits, radix) = match e {
            'x' => (2, 16),
            'u' => (4, 16),
            'U' => (8, 16),
            '0'..='7' => (3, 8),
            _ => (0, 0),
        };
        let start = if radix == 8 { i - 1 } else { i };
        let code: Option<u32> = chars.get(start..start + digits).and_then(|ds| {
            ds.iter().try_fold(0u32, |acc, d| {
                d.to_digit(radix)
                    .and_then(|v| acc.checked_mul(radix).map(|a| a + v))
            })
        });
        match code.and_then(char::from_u32) {
            Some(ch) if digits > 0 => {
                out.push(ch);
                i = start + digits;
            }
            _ => {
                out.push('\\');
                out.push(e);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> GoVersion {
        GoVersion::parse(s).unwrap_or_else(|| panic!("{s:?} should parse"))
    }

    #[test]
    fn go_versions() {
        let x = v("1.21");
        assert_eq!(
            (x.major, x.minor, x.patch, x.pre.as_deref()),
            (1, 21, None, None)
        );
        let x = v("1.21.5");
        assert_eq!(x.patch, Some(5));
        assert_eq!(x.minor_tuple(), (1, 21));
        assert_eq!(x.lang(), "1.21");
        let x = v("1.22rc1");
        assert_eq!((x.patch, x.pre.as_deref()), (None, Some("rc1")));
        assert_eq!(v("1.0").minor_tuple(), (1, 0));
        for bad in [
            "",
            "1",
            "1.",
            "01.2",
            "1.02",
            "1.2.",
            "1.2.03",
            "1.21.0rc1",
            "go1.21",
            "v1.21",
            "1.21rc",
            "1.21RC1",
            "1.2.3.4",
            "1.21 ",
            "1.99999999999",
            "x",
            "1.21-rc1",
        ] {
            assert!(GoVersion::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn go_version_order() {
        // internal/gover: 1.21 < 1.21rc1 < 1.21rc2 < 1.21.0 < 1.21.1 < 1.22beta1 < 1.22.
        let order = [
            "1.9",
            "1.20",
            "1.20.14",
            "1.21",
            "1.21beta1",
            "1.21rc1",
            "1.21rc2",
            "1.21.0",
            "1.21.1",
            "1.21.10",
            "1.22",
            "1.22rc1",
            "1.22.0",
            "2.0",
        ];
        for w in order.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(v("1.21.0"), v("1.21.0"));
        assert!(v("1.22.3").at_least(&v("1.22")));
        assert!(!v("1.22.1").at_least(&v("1.22.3")));
        // An image tag without a patch is the latest of its line.
        assert!(v("1.22").tag_satisfies(&v("1.22.3")));
        assert!(!v("1.22.1").tag_satisfies(&v("1.22.3")));
        assert!(!v("1.21").tag_satisfies(&v("1.22")));
        assert!(v("1.23").tag_satisfies(&v("1.22.9")));
    }

    #[test]
    fn toolchain_names() {
        assert_eq!(GoVersion::from_toolchain("go1.22.3").unwrap().raw, "1.22.3");
        assert_eq!(
            GoVersion::from_toolchain("go1.21rc2")
                .unwrap()
                .pre
                .as_deref(),
            Some("rc2")
        );
        assert_eq!(
            GoVersion::from_toolchain("go1.21.3-bigcorp").unwrap().raw,
            "1.21.3"
        );
        assert_eq!(
            GoVersion::from_toolchain("go1.2rc1-gccgo").unwrap().minor,
            2
        );
        assert!(GoVersion::from_toolchain("default").is_none());
        assert!(GoVersion::from_toolchain("1.22.3").is_none());
        assert!(GoVersion::from_toolchain("go1.22/x").is_none());
        assert!(GoVersion::from_toolchain("go").is_none());
    }

    /// Shaped like gin-gonic/gin's go.mod: a direct and an indirect require block.
    #[test]
    fn two_require_blocks() {
        let text = "module github.com/gin-gonic/gin\n\ngo 1.20\n\nrequire (\n\tgithub.com/bytedance/sonic v1.11.6\n\tgithub.com/go-playground/validator/v10 v10.19.0\n\tgolang.org/x/net v0.25.0\n)\n\nrequire (\n\tgithub.com/bytedance/sonic/loader v0.1.1 // indirect\n\tgithub.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect\n\tgolang.org/x/sys v0.20.0 // indirect\n)\n";
        let m = GoMod::parse(text);
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        assert_eq!(m.module.as_deref(), Some("github.com/gin-gonic/gin"));
        assert_eq!(m.go.as_ref().unwrap().minor_tuple(), (1, 20));
        assert_eq!(m.requires.len(), 6);
        assert_eq!(m.requires.iter().filter(|r| r.indirect).count(), 3);
        let r = m.require("golang.org/x/net").unwrap();
        assert_eq!(
            (r.version.as_str(), r.indirect, r.line),
            ("v0.25.0", false, 7)
        );
        assert_eq!(&text[r.range.clone()], "golang.org/x/net v0.25.0");
        let r = m.require("github.com/modern-go/concurrent").unwrap();
        assert_eq!(r.version, "v0.0.0-20180306012644-bacd9c7ef1dd");
        assert!(r.indirect);
        assert!(m.toolchain.is_none());
    }

    /// Shaped like kubernetes' go.mod: header comments, requires, a replace block of
    /// local staging directories.
    #[test]
    fn replace_block_with_local_directories() {
        let text = "// This is a generated file. Do not edit directly.\n// Run hack/pin-dependency.sh to change pinned dependency versions.\n\nmodule k8s.io/kubernetes\n\ngo 1.20\n\nrequire (\n\tgithub.com/Azure/azure-sdk-for-go v68.0.0+incompatible\n\tk8s.io/api v0.0.0\n\tk8s.io/client-go v0.0.0\n)\n\nrequire (\n\tcloud.google.com/go/compute v1.19.0 // indirect\n)\n\nreplace (\n\tk8s.io/api => ./staging/src/k8s.io/api\n\tk8s.io/client-go => ./staging/src/k8s.io/client-go\n\tgithub.com/old/mod v1.0.0 => github.com/new/mod v1.2.0\n)\n";
        let m = GoMod::parse(text);
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        assert_eq!(m.module.as_deref(), Some("k8s.io/kubernetes"));
        assert_eq!(m.requires.len(), 4);
        assert_eq!(
            m.require("github.com/Azure/azure-sdk-for-go")
                .unwrap()
                .version,
            "v68.0.0+incompatible"
        );
        assert_eq!(m.replaces.len(), 3);
        assert_eq!(m.local_replaces().count(), 2);
        let r = &m.replaces[2];
        assert_eq!(r.old_version.as_deref(), Some("v1.0.0"));
        assert_eq!(r.new_path, "github.com/new/mod");
        assert_eq!(r.new_version.as_deref(), Some("v1.2.0"));
        assert!(!r.is_local());
        assert_eq!(m.replaces[0].new_path, "./staging/src/k8s.io/api");
    }

    /// Shaped like ory's go.mod: a three-part go version, a godebug block and a
    /// single-line replace by a local directory before the requires.
    #[test]
    fn godebug_block_and_single_line_replace() {
        let text = "module github.com/ory/talos\n\ngo 1.26.0\n\ngodebug (\n\tnetdns=go\n\tx509usefallbackroots=1\n)\n\nreplace github.com/ory/x => ./oryx\n\nrequire (\n\tgithub.com/gofrs/uuid v4.4.0+incompatible\n\tmodernc.org/sqlite v1.48.0\n)\n";
        let m = GoMod::parse(text);
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        let go = m.go.as_ref().unwrap();
        assert_eq!((go.minor_tuple(), go.patch), ((1, 26), Some(0)));
        assert_eq!(
            m.godebug,
            vec![
                ("netdns".to_string(), "go".to_string()),
                ("x509usefallbackroots".to_string(), "1".to_string())
            ]
        );
        assert_eq!(m.replaces.len(), 1);
        assert!(m.replaces[0].is_local());
        assert_eq!(m.replaces[0].line, 9);
        assert!(m.require("modernc.org/sqlite").is_some());
    }

    #[test]
    fn toolchain_directive_and_spans() {
        let text = "module example.com/app\n\ngo 1.22.3 // minimum\n\ntoolchain go1.23.1\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\nrequire github.com/ericlagergren/decimal v0.0.0-20190420051523-6335edbaa640 // Do not upgrade this package.\n";
        let m = GoMod::parse(text);
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        let gd = m.go_directive.as_ref().unwrap();
        assert_eq!(gd.line, 2);
        assert_eq!(&text[gd.range.clone()], "go 1.22.3");
        assert_eq!(&text[gd.value_range.clone()], "1.22.3");
        let td = m.toolchain_directive.as_ref().unwrap();
        assert_eq!(td.line, 4);
        assert_eq!(&text[td.range.clone()], "toolchain go1.23.1");
        assert_eq!(&text[td.value_range.clone()], "go1.23.1");
        assert_eq!(m.toolchain.as_ref().unwrap().raw, "1.23.1");
        assert_eq!(m.toolchain_name.as_deref(), Some("go1.23.1"));
        assert_eq!(m.preferred_go().unwrap().raw, "1.23.1");
        let sqlite = m.require("github.com/mattn/go-sqlite3").unwrap();
        assert_eq!((sqlite.line, sqlite.indirect), (6, false));
        assert!(
            !m.require("github.com/ericlagergren/decimal")
                .unwrap()
                .indirect
        );
    }

    #[test]
    fn retract_exclude_tool_ignore_and_comments() {
        let text = "// Deprecated: use example.com/v2 instead.\nmodule example.com/lib\n\ngo 1.25\n\nretract (\n\tv1.0.0 // Published by mistake.\n\t[v1.1.0, v1.1.9] // Broken builds.\n)\nretract v0.9.0\n\nexclude github.com/bad/dep v1.0.0\nexclude (\n\tgithub.com/bad/other v0.1.0\n)\n\ntool golang.org/x/tools/cmd/stringer\ntool (\n\texample.com/module/cmd/a\n)\n\nignore ./node_modules\nignore (\n\tstatic\n)\n\nrequire (\n\t// direct dependencies\n\tgolang.org/x/sync v0.7.0\n\n\tgithub.com/jackc/pgpassfile v1.0.0 //indirect\n\tgithub.com/x/y v1.0.0 // indirect; needed by z\n\tgithub.com/x/z v1.0.0 // indirectly\n)\n";
        let m = GoMod::parse(text);
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        assert_eq!(m.retracts, 3);
        assert_eq!(m.excludes.len(), 2);
        assert_eq!(
            m.tools,
            vec![
                "golang.org/x/tools/cmd/stringer",
                "example.com/module/cmd/a"
            ]
        );
        assert_eq!(m.ignores, vec!["./node_modules", "static"]);
        let ind: Vec<bool> = m.requires.iter().map(|r| r.indirect).collect();
        assert_eq!(ind, vec![false, true, true, false]);
    }

    #[test]
    fn quoted_paths() {
        let text = "module \"example.com/quoted\"\ngo 1.21\nrequire `example.com/raw` v1.0.0\nrequire \"example.com/esc\\u00e9\" v1.0.0\nreplace \"example.com/a b\" => \"../a b\"\n";
        let m = GoMod::parse(text);
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        assert_eq!(m.module.as_deref(), Some("example.com/quoted"));
        assert_eq!(m.requires[0].path, "example.com/raw");
        assert_eq!(m.requires[1].path, "example.com/escé");
        assert_eq!(m.replaces[0].old_path, "example.com/a b");
        assert!(m.replaces[0].is_local());
    }

    #[test]
    fn tolerance() {
        // CRLF, blank lines, one-line blocks.
        let m = GoMod::parse("module m\r\n\r\ngo 1.21\r\nrequire ( a v1.0.0 )\r\nrequire (\r\n\tb v2.0.0 // indirect\r\n)\r\n");
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        assert_eq!(m.go.unwrap().raw, "1.21");
        assert_eq!(m.requires.len(), 2);
        assert!(m.requires[1].indirect);

        // Unterminated block and bad lines: reported, the rest still read.
        let m = GoMod::parse("module m\ngo 1.22rc1\nrequire (\n\ta v1\n\tb\n");
        assert_eq!(m.go.as_ref().unwrap().pre.as_deref(), Some("rc1"));
        assert_eq!(m.requires.len(), 1);
        assert_eq!(m.problems.len(), 2, "{:?}", m.problems);

        // A lax go version is read, with a problem.
        let m = GoMod::parse("module m\ngo go1.21\n");
        assert_eq!(m.go.as_ref().unwrap().minor_tuple(), (1, 21));
        assert_eq!(m.problems.len(), 1);
        let m = GoMod::parse("go 1.21.x\n");
        assert_eq!(m.go.as_ref().unwrap().minor_tuple(), (1, 21));
        let m = GoMod::parse("go latest\n");
        assert!(m.go.is_none());
        assert!(m.go_directive.is_some());

        // Repeats keep the first.
        let m = GoMod::parse("go 1.21\ngo 1.22\ntoolchain default\n");
        assert_eq!(m.go.unwrap().raw, "1.21");
        assert!(m.toolchain.is_none());
        assert_eq!(m.toolchain_name.as_deref(), Some("default"));
        assert_eq!(m.problems.len(), 1);

        // Unknown directives, stray parentheses, unterminated strings.
        let m = GoMod::parse("frobnicate x\n)\nmodule \"unterminated\nrequire x v1 ) y\n");
        assert!(m.problems.len() >= 3, "{:?}", m.problems);

        // Empty and comment-only files.
        assert!(GoMod::parse("").module.is_none());
        assert!(GoMod::parse("// just a comment\n").problems.is_empty());
    }

    #[test]
    fn go_work() {
        let text = "go 1.23.0\n\ntoolchain go1.23.4\n\nuse (\n\t.\n\t./api // the API\n\t\"./with space\"\n)\nuse ./tools\n\nreplace example.com/x => ./x\ngodebug default=go1.21\n";
        let w = GoWork::parse(text);
        assert!(w.problems.is_empty(), "{:?}", w.problems);
        assert_eq!(w.go.as_ref().unwrap().raw, "1.23.0");
        assert_eq!(w.toolchain.as_ref().unwrap().raw, "1.23.4");
        assert_eq!(w.uses, vec![".", "./api", "./with space", "./tools"]);
        assert_eq!(w.replaces.len(), 1);
        assert_eq!(
            w.godebug,
            vec![("default".to_string(), "go1.21".to_string())]
        );
        assert_eq!(&text[w.go_directive.unwrap().value_range], "1.23.0");
        assert!(!GoWork::parse("use\nfoo bar\n").problems.is_empty());
    }

    #[test]
    fn random_input_never_panics() {
        let pieces = [
            "module",
            "go",
            "toolchain",
            "require",
            "replace",
            "=>",
            "(",
            ")",
            "[",
            "]",
            ",",
            "\"",
            "`",
            "\\",
            "//",
            "/*",
            "\n",
            "\r",
            " ",
            "\t",
            "1.21",
            "v1.0.0",
            "go1.2",
            "indirect",
            "é",
            "\u{feff}",
            "x",
            "godebug",
            "a=b",
            "retract",
            "use",
        ];
        let mut state: u64 = 0xDEAD_BEEF_CAFE_F00D;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(next() % 60) {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let m = GoMod::parse(&text);
            for r in &m.requires {
                assert!(text.get(r.range.clone()).is_some());
            }
            if let Some(d) = &m.go_directive {
                assert!(text.get(d.range.clone()).is_some());
            }
            let _ = m.preferred_go();
            let _ = GoWork::parse(&text);
        }
    }
}
