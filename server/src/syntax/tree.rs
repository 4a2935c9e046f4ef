//! The syntax tree: a value that tiles the whole text.
//!
//! Architecture invariant: every byte of the input belongs to exactly one top-level
//! [`Node`], in order, with no gaps. Spans inside a node are relative to the node's start,
//! so that an incremental re-parse can move the nodes after an edit by changing one number
//! per node (see `document.rs`).

use std::ops::Range;
use std::sync::Arc;

/// Short strings (most words, flags and keywords) are stored inline, without a heap
/// allocation: a 3,000-line file has tens of thousands of them.
pub type Str = compact_str::CompactString;

/// A byte range relative to the start of the node that holds it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
    /// The absolute range of this span inside a node that starts at `base`.
    pub fn abs(self, base: usize) -> Range<usize> {
        base + self.start as usize..base + self.end as usize
    }
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// The parsed file: parser directives, the escape character they chose, and the nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxTree {
    pub(crate) items: Vec<Item>,
    pub(crate) len: usize,
    pub(crate) escape: char,
    /// Index of the first item after the parser-directive header.
    pub(crate) header_items: usize,
}

/// One top-level node and its absolute start offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub start: u32,
    pub node: Arc<Node>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub len: u32,
    pub kind: NodeKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A line holding only whitespace (and maybe a lone BOM).
    Blank,
    /// A `#` comment line outside any instruction.
    Comment,
    /// A parser directive (`# syntax=`, `# escape=`, `# check=`) at the top of the file.
    Directive(Directive),
    /// One logical instruction: its physical lines, comments inside continuations,
    /// and heredoc bodies.
    Instruction(Box<Instruction>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    pub name_span: Span,
    pub value: String,
    pub value_span: Span,
    pub error: Option<SyntaxError>,
}

/// Instruction keywords as BuildKit knows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// Case-insensitive lookup, as BuildKit lower-cases the keyword before dispatch.
    pub fn parse(word: &str) -> Keyword {
        Keyword::ALL
            .iter()
            .copied()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
            .unwrap_or(Keyword::Unknown)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "",
        }
    }

    /// Instructions whose arguments may hold heredocs (BuildKit's `heredocDirectives`).
    pub fn allows_heredoc(self) -> bool {
        matches!(self, Keyword::Add | Keyword::Copy | Keyword::Run)
    }
}

/// One logical instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword as written (for casing checks and unknown instructions).
    pub keyword_text: Str,
    pub keyword_span: Span,
    pub flags: Vec<Flag>,
    /// A bare `--` that ended the flags (BuildKit drops it silently; we report it).
    pub flag_terminator: Option<Span>,
    pub args: Args,
    /// The source span of the arguments after the flags (may cross continuation lines).
    pub args_span: Span,
    pub heredocs: Vec<Heredoc>,
    /// Spans of the escape characters that continue a line.
    pub continuations: Vec<Span>,
    /// Comment lines inside a continuation.
    pub comments: Vec<Span>,
    /// Whitespace-only lines inside a continuation (BuildKit's NoEmptyContinuation).
    pub empty_continuation_lines: Vec<Span>,
    /// End of the logical line (before heredoc bodies), relative to the node.
    pub line_end: u32,
    pub errors: Vec<SyntaxError>,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// Whether the arguments are in exec (JSON array) form.
    pub fn is_exec_form(&self) -> bool {
        match &self.args {
            Args::Exec(_) => true,
            Args::Healthcheck(h) => matches!(h.cmd.as_deref(), Some(Args::Exec(_))),
            _ => false,
        }
    }

    /// The arguments as one logical text (continuations removed), for display.
    pub fn args_text(&self) -> String {
        match &self.args {
            Args::Empty => String::new(),
            Args::Shell(w) | Args::Text(w) => w.text.to_string(),
            Args::Exec(w) | Args::List(w) => w
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            Args::Pairs { pairs, .. } => pairs
                .iter()
                .map(|p| match &p.value {
                    Some(v) => format!("{}={}", p.key.text, v.text),
                    None => p.key.text.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" "),
            Args::Healthcheck(h) => h.kind.text.to_string(),
            Args::OnBuild(i) => i.args_text(),
        }
    }

    /// For ONBUILD, the triggered instruction.
    pub fn onbuild_inner(&self) -> Option<&Instruction> {
        match &self.args {
            Args::OnBuild(inner) => Some(inner),
            _ => None,
        }
    }
}

/// A builder flag such as `--from=builder` or `--mount=type=cache,target=/go/pkg/mod`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub span: Span,
    /// The name without the leading dashes, as written.
    pub name: Str,
    pub name_span: Span,
    /// The value after `=`, with quotes removed as BuildKit does; `None` for `--link`.
    pub value: Option<Str>,
    pub value_span: Option<Span>,
    /// The flag as BuildKit reports it (`--from=builder`).
    pub raw: Str,
    /// `key=value` parts of comma-separated values (`--mount`), with their spans.
    pub parts: Vec<FlagPart>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagPart {
    pub span: Span,
    pub key: Str,
    pub key_span: Span,
    pub value: Option<Str>,
    pub value_span: Option<Span>,
}

impl Flag {
    pub fn part(&self, key: &str) -> Option<&FlagPart> {
        self.parts.iter().find(|p| p.key.eq_ignore_ascii_case(key))
    }
}

/// A word of an instruction's arguments: its source span and its logical text
/// (continuations removed, quotes and escapes kept as written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub span: Span,
    pub text: Str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub span: Span,
    pub key: Word,
    /// `None` for `ARG NAME` without a default.
    pub value: Option<Word>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HealthArgs {
    /// `CMD`, `NONE`, or whatever was written.
    pub kind: Word,
    pub cmd: Option<Box<Args>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Args {
    /// No arguments.
    Empty,
    /// Exec form: a JSON array of strings, each element decoded.
    Exec(Vec<Word>),
    /// Shell form: the command line as one piece of text.
    Shell(Word),
    /// Whitespace-separated words (FROM, COPY, ADD, EXPOSE, VOLUME).
    List(Vec<Word>),
    /// `key=value` pairs (ENV, LABEL) or ARG declarations.
    Pairs {
        pairs: Vec<KeyValue>,
        legacy: bool,
    },
    /// The whole rest as one string (MAINTAINER, USER, WORKDIR, STOPSIGNAL, unknown).
    Text(Word),
    Healthcheck(HealthArgs),
    OnBuild(Box<Instruction>),
}

impl Args {
    /// Words of list-like arguments (exec elements, list words); empty otherwise.
    pub fn words(&self) -> &[Word] {
        match self {
            Args::Exec(w) | Args::List(w) => w,
            _ => &[],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The `<<EOF` word in the instruction line.
    pub span: Span,
    pub name: String,
    /// Whether variables in the body are expanded (the delimiter was not quoted).
    pub expand: bool,
    /// `<<-`: leading tabs are stripped.
    pub chomp: bool,
    /// The body lines (without the terminator line).
    pub body: Span,
    pub content: String,
    /// The terminator line, if found.
    pub terminator: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    UnknownInstruction {
        word: String,
        suggestion: Option<&'static str>,
    },
    UnterminatedHeredoc {
        name: String,
    },
    /// A JSON array that holds something other than strings.
    NotStringArray,
    /// `ENV a=1 b` — a word without `=` in the key=value form.
    MissingEquals {
        word: String,
    },
    /// `ENV NAME` — the legacy form needs a value.
    LegacyNeedsValue,
    /// The instruction needs arguments and has none (or too few).
    MissingArguments {
        min: u8,
    },
    /// `FROM a b` or `FROM a AS` …
    FromArguments,
    /// `FROM a XX b`: the middle word must be `AS`.
    FromExpectedAs,
    /// `SHELL` must be written as a JSON array.
    ShellNotJson,
    /// `ONBUILD FROM`, `ONBUILD ONBUILD`, `ONBUILD MAINTAINER`.
    OnbuildNotAllowed {
        keyword: Keyword,
    },
    /// `HEALTHCHECK` with something other than `CMD` or `NONE`.
    HealthcheckKind,
    /// `HEALTHCHECK NONE` followed by arguments.
    HealthcheckNoneArgs,
    /// `# escape=x` with a value other than `\` or `` ` ``.
    InvalidEscape,
    /// The same parser directive given twice.
    DuplicateDirective {
        name: String,
    },
}
