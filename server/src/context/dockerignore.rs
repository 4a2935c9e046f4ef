//! `.dockerignore` with Docker's exact semantics.
//!
//! A port of what `docker build` runs:
//! - reading: `moby/patternmatcher/ignorefile.ReadAll` (BuildKit's dockerfile frontend
//!   reads the file with it): a UTF-8 BOM is dropped from the first line; a line whose
//!   *first byte* is `#` is a comment (an indented `#` is a pattern!); surrounding white
//!   space is trimmed; `!` marks an exception and the rest is trimmed again; the pattern
//!   goes through Go's `filepath.Clean`, and one leading `/` is removed.
//! - compiling: `patternmatcher.New` (trim, `Clean` again, `!`, a `filepath.Match`
//!   syntax check — a bad pattern fails the whole build) and `Pattern.compile`, which
//!   classifies a pattern as an exact, prefix (`dir/**`), suffix (`**/x`, and anything
//!   starting with `**`) or regular-expression match and translates it to a Go regexp
//!   (`*` → `[^/]*`, `?` → `[^/]`, `**/` → `(.*/)?`, …). See [`super::re2`].
//! - matching: the last matching pattern wins; a path is excluded when it or one of its
//!   parent directories is. [`DockerIgnore::is_excluded`] follows what BuildKit's context
//!   walker (tonistiigi/fsutil `filterFS.Walk`) actually sends: it carries each parent
//!   directory's per-pattern results down (`MatchesUsingParentResults`) and skips an
//!   excluded directory outright when no exception could re-include anything below it.
//!   [`DockerIgnore::matches_or_parent_matches`] is patternmatcher's
//!   `MatchesOrParentMatches`, which differs in rare cases (see its doc).
//!
//! Paths use `/` and are relative to the context root. Unix semantics (`\` escapes);
//! on Windows clients Docker treats `\` as a separator instead.

use std::ops::Range;

use super::re2::{ReError, Regex};
use super::{normalize_path, BuildContext};

/// How Docker matches one pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchKind {
    /// The path equals the pattern.
    Exact,
    /// `dir/**`: the path starts with the pattern minus the trailing `**`.
    Prefix,
    /// Starts with `**` and has no other wildcard: the path ends with the pattern minus
    /// the leading `**` (so `**file` also matches `myfile`), or equals it minus `**/`.
    Suffix,
    /// Anything else: a Go regular expression.
    Regex,
    /// The regular expression does not compile (or uses a Go feature we do not model).
    Broken,
}

#[derive(Clone, Debug)]
enum Matcher {
    Exact,
    Prefix,
    Suffix,
    Regex(Box<Regex>),
    Broken,
}

/// One pattern of a `.dockerignore`, as Docker keeps it.
#[derive(Clone, Debug)]
pub struct Pattern {
    /// The cleaned pattern without its leading `!` (patternmatcher's `Pattern.String()`).
    pub text: String,
    /// A `!` exception: re-includes what it matches.
    pub exception: bool,
    /// Zero-based line in the file.
    pub line: u32,
    /// Byte range of the whole line in the file (without the line break).
    pub line_range: Range<usize>,
    kind: MatchKind,
    regex_source: Option<String>,
    matcher: Matcher,
    /// Broken in a way that makes Docker fail when the pattern is evaluated.
    fatal: bool,
}

impl Pattern {
    pub fn kind(&self) -> MatchKind {
        self.kind
    }

    /// The Go regular expression Docker builds for a [`MatchKind::Regex`] (or broken) pattern.
    pub fn regex_source(&self) -> Option<&str> {
        self.regex_source.as_deref()
    }

    /// Whether this single pattern matches `path` exactly (no parent directories);
    /// `None` for a broken pattern. `path` is used as given.
    pub fn matches(&self, path: &str) -> Option<bool> {
        Some(match &self.matcher {
            Matcher::Exact => path == self.text,
            Matcher::Prefix => match self.text.strip_suffix("**") {
                Some(prefix) => path.starts_with(prefix),
                None => false,
            },
            Matcher::Suffix => match self.text.strip_prefix("**") {
                Some(suffix) => {
                    path.ends_with(suffix) || suffix.strip_prefix('/').is_some_and(|s| path == s)
                }
                None => false,
            },
            Matcher::Regex(re) => re.is_match(path),
            Matcher::Broken => return None,
        })
    }

    /// `matches(&path[..end])` for each end offset, in one pass for a regexp.
    fn prefix_results(&self, path: &str, ends: &[usize]) -> Option<Vec<bool>> {
        match &self.matcher {
            Matcher::Regex(re) => Some(re.matches_prefixes(path, ends)),
            Matcher::Broken => None,
            _ => ends
                .iter()
                .map(|&e| path.get(..e).and_then(|p| self.matches(p)))
                .collect(),
        }
    }
}

/// Lazily computed per-pattern results for one queried path and all its parent
/// directories (each pattern is run once over the whole path).
struct PathEval<'a> {
    patterns: &'a [Pattern],
    file: &'a str,
    /// Byte length of each prefix: `a`, `a/b`, …, the whole path.
    ends: Vec<usize>,
    cache: Vec<Option<Option<Vec<bool>>>>,
}

impl<'a> PathEval<'a> {
    fn new(patterns: &'a [Pattern], file: &'a str) -> PathEval<'a> {
        let mut ends: Vec<usize> = file.match_indices('/').map(|(i, _)| i).collect();
        ends.push(file.len());
        PathEval {
            patterns,
            file,
            ends,
            cache: vec![None; patterns.len()],
        }
    }

    fn depth(&self) -> usize {
        self.ends.len()
    }

    /// Whether pattern `idx` matches prefix `k` (`None`: the pattern is broken).
    fn matches(&mut self, idx: usize, k: usize) -> Option<bool> {
        let slot = self.cache.get_mut(idx)?;
        if slot.is_none() {
            let pat = self.patterns.get(idx)?;
            *slot = Some(pat.prefix_results(self.file, &self.ends));
        }
        slot.as_ref()?.as_ref()?.get(k).copied()
    }

    /// Whether pattern `idx` matches a parent directory of prefix `k`.
    fn parent_matches(&mut self, idx: usize, k: usize) -> bool {
        (0..k).any(|j| self.matches(idx, j).unwrap_or(false))
    }
}

/// Why a line of a `.dockerignore` is a problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternErrorKind {
    /// A lone `!`: patternmatcher refuses it (`illegal exclusion pattern: "!"`).
    LoneExclamation,
    /// `filepath.Match` rejects the syntax (`syntax error in pattern`): an unclosed `[`,
    /// a trailing `\`, `[]`, `[-x]`, `[a-]`, …
    BadPattern,
    /// Valid glob, but the Go regexp Docker builds from it does not compile (`[z-a]`,
    /// `[[:nope:]]`, `\k`): the build fails as soon as the pattern is evaluated.
    BadRegexp(String),
    /// Valid for Docker, but its regexp uses a Go feature this checker does not model
    /// (`\p{Greek}`); the pattern is taken to match nothing.
    Unsupported(String),
    /// A line of 64 KiB or more: Go's line scanner gives up and Docker cannot read the file.
    LineTooLong,
}

/// A problem with one line of a `.dockerignore`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    pub line: u32,
    pub line_range: Range<usize>,
    /// The pattern as Docker saw it (after `ReadAll`).
    pub pattern: String,
    pub kind: PatternErrorKind,
}

impl PatternError {
    /// Whether `docker build` fails because of it.
    pub fn fails_build(&self) -> bool {
        !matches!(self.kind, PatternErrorKind::Unsupported(_))
    }
}

/// A parsed `.dockerignore`.
#[derive(Clone, Debug, Default)]
pub struct DockerIgnore {
    patterns: Vec<Pattern>,
    errors: Vec<PatternError>,
    has_exceptions: bool,
    /// fsutil's `onlyPrefixExcludeExceptions`: no exception has a wildcard (other than a
    /// trailing `/*` or `/**`), so an excluded directory can be skipped unless an
    /// exception names something inside it.
    only_prefix_exceptions: bool,
}

/// Lines as Go's `bufio.ScanLines` yields them: split at `\n`, one trailing `\r`
/// dropped, no empty last line after a final newline. Gives (line range, text).
fn scan_lines(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |k| start + k);
        let raw = &text[start..end];
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        out.push((start..start + line.len(), line));
        start = end + 1;
    }
    out
}

/// Go's bufio.Scanner default limit: a line of this many bytes or more is an error.
const MAX_LINE: usize = 64 * 1024;

/// `ignorefile.ReadAll`: the patterns of a `.dockerignore`, each with its zero-based line
/// number, exactly as Docker hands them to the pattern matcher.
pub fn read_all(text: &str) -> Vec<(u32, String)> {
    read_lines(text)
        .into_iter()
        .map(|(l, _, p)| (l, p))
        .collect()
}

fn read_lines(text: &str) -> Vec<(u32, Range<usize>, String)> {
    let mut out = Vec::new();
    for (n, (range, line)) in scan_lines(text).into_iter().enumerate() {
        let line_no = u32::try_from(n).unwrap_or(u32::MAX);
        let line = if n == 0 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        };
        // Comments are recognised before trimming: only a '#' in the first column.
        if line.starts_with('#') {
            continue;
        }
        let mut pattern = line.trim();
        if pattern.is_empty() {
            continue;
        }
        let invert = pattern.starts_with('!');
        if invert {
            pattern = pattern[1..].trim();
        }
        let mut p = String::new();
        if !pattern.is_empty() {
            let cleaned = go_clean(pattern);
            p = if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned[1..].to_string()
            } else {
                cleaned
            };
        }
        if invert {
            p.insert(0, '!');
        }
        out.push((line_no, range, p));
    }
    out
}

impl DockerIgnore {
    /// Parses the text of a `.dockerignore`. Never fails: problems are in [`Self::errors`].
    pub fn parse(text: &str) -> DockerIgnore {
        let mut di = DockerIgnore::default();
        for (n, (range, line)) in scan_lines(text).into_iter().enumerate() {
            if line.len() >= MAX_LINE {
                di.errors.push(PatternError {
                    line: u32::try_from(n).unwrap_or(u32::MAX),
                    line_range: range,
                    pattern: String::new(),
                    kind: PatternErrorKind::LineTooLong,
                });
            }
        }
        for (line, line_range, pat) in read_lines(text) {
            di.add(line, line_range, &pat);
        }
        di.only_prefix_exceptions = di
            .patterns
            .iter()
            .filter(|p| p.exception)
            .all(|p| !without_trailing_glob(&p.text).contains(['*', '[', ']', '?', '^', '\\']));
        di
    }

    /// `patternmatcher.New` for one pattern.
    fn add(&mut self, line: u32, line_range: Range<usize>, pattern: &str) {
        let error = |kind| PatternError {
            line,
            line_range: line_range.clone(),
            pattern: pattern.to_string(),
            kind,
        };
        let p = pattern.trim();
        if p.is_empty() {
            return;
        }
        let mut p = go_clean(p);
        let exception = p.starts_with('!');
        if exception {
            if p.len() == 1 {
                self.errors.push(error(PatternErrorKind::LoneExclamation));
                return;
            }
            p.remove(0);
            self.has_exceptions = true;
        }
        if !glob_syntax_ok(&p) {
            self.errors.push(error(PatternErrorKind::BadPattern));
            return;
        }
        let (kind, source) = translate(&p);
        let mut fatal = false;
        let (kind, matcher, regex_source) = match kind {
            MatchKind::Exact => (kind, Matcher::Exact, None),
            MatchKind::Prefix => (kind, Matcher::Prefix, None),
            MatchKind::Suffix => (kind, Matcher::Suffix, None),
            MatchKind::Regex | MatchKind::Broken => match Regex::new(&source) {
                Ok(re) => (MatchKind::Regex, Matcher::Regex(Box::new(re)), Some(source)),
                Err(e) => {
                    self.errors.push(error(match e {
                        ReError::Invalid(m) => {
                            fatal = true;
                            PatternErrorKind::BadRegexp(m)
                        }
                        ReError::Unsupported(m) => PatternErrorKind::Unsupported(m),
                    }));
                    (MatchKind::Broken, Matcher::Broken, Some(source))
                }
            },
        };
        self.patterns.push(Pattern {
            text: p,
            exception,
            line,
            line_range,
            kind,
            regex_source,
            matcher,
            fatal,
        });
    }

    /// The patterns Docker would use, in order (lines it rejects are in [`Self::errors`]).
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Lines Docker rejects or that this checker cannot model.
    pub fn errors(&self) -> &[PatternError] {
        &self.errors
    }

    /// Whether `docker build` fails on this file (any error but an unsupported feature).
    pub fn fails_build(&self) -> bool {
        self.errors.iter().any(PatternError::fails_build)
    }

    /// Whether any pattern is a `!` exception.
    pub fn has_exceptions(&self) -> bool {
        self.has_exceptions
    }

    /// Whether `docker build` leaves `path` (relative to the context root, `/`
    /// separators; `./x` and `/x` are read as `x`) out of the build context. The root
    /// itself is never excluded. Broken patterns are taken to match nothing.
    pub fn is_excluded(&self, path: &str) -> bool {
        let Some(file) = clean_query(path) else {
            return false;
        };
        if self.patterns.is_empty() {
            return false;
        }
        let mut eval = PathEval::new(&self.patterns, &file);
        let depth = eval.depth();
        // fsutil's walk: each directory's per-pattern results carry down
        // (MatchesUsingParentResults); the first level has no parent to check.
        let mut parent: Vec<bool> = Vec::new();
        for k in 0..depth {
            let mut matched = false;
            let mut info = vec![false; self.patterns.len()];
            for (idx, pat) in self.patterns.iter().enumerate() {
                let mut m = parent.get(idx).copied().unwrap_or(false);
                if !m {
                    if pat.exception != matched {
                        continue;
                    }
                    m = eval.matches(idx, k).unwrap_or(false);
                }
                info[idx] = m;
                if m {
                    matched = !pat.exception;
                }
            }
            if k + 1 == depth {
                return matched;
            }
            if matched && self.walker_skips_dir(&file[..eval.ends[k]]) {
                return true;
            }
            parent = info;
        }
        false
    }

    /// Same as [`Self::is_excluded`].
    pub fn excludes(&self, name: &str) -> bool {
        self.is_excluded(name)
    }

    /// Whether the contents of `.git` stay out of the context (`.git`, `.git/`, `/.git`,
    /// `**/.git`, `.git/**`, `*`, `.*`, `**` …, and no exception lets them back in).
    pub fn excludes_git(&self) -> bool {
        [
            ".git/HEAD",
            ".git/config",
            ".git/index",
            ".git/objects/pack/pack-0000.pack",
            ".git/refs/heads/main",
        ]
        .iter()
        .all(|p| self.is_excluded(p))
    }

    /// patternmatcher's `MatchesOrParentMatches`: the last pattern that matches `path` or
    /// one of its parent directories decides. `Err` when Docker would fail on a pattern
    /// whose regexp does not compile (only once that pattern is evaluated, as in Go).
    ///
    /// It can differ from what BuildKit sends ([`Self::is_excluded`]): with `a/b` then
    /// `!a`, this says `a/b` is kept (the exception matches its parent `a`), but the
    /// walker evaluated `!a` at `a` only while nothing had matched yet (exceptions are
    /// skipped then), so `a/b` is excluded.
    pub fn matches_or_parent_matches(&self, path: &str) -> Result<bool, &PatternError> {
        let Some(file) = clean_query(path) else {
            return Ok(false);
        };
        self.decide(&file, true)
            .map(|(m, _)| m)
            .map_err(|idx| self.error_of(idx))
    }

    /// The pattern that decides `path` under [`Self::matches_or_parent_matches`]: the last
    /// one that changed the outcome (an exclusion if excluded, an exception if re-included).
    pub fn deciding_pattern(&self, path: &str) -> Option<&Pattern> {
        let file = clean_query(path)?;
        let (_, decider) = self.decide(&file, false).ok()?;
        decider.and_then(|i| self.patterns.get(i))
    }

    /// MatchesOrParentMatches on a clean path: the outcome and the deciding pattern.
    /// With `strict`, evaluating a pattern whose regexp Go rejects is an error.
    fn decide(&self, file: &str, strict: bool) -> Result<(bool, Option<usize>), usize> {
        let mut eval = PathEval::new(&self.patterns, file);
        let last = eval.depth() - 1;
        let mut matched = false;
        let mut decider = None;
        for (idx, pat) in self.patterns.iter().enumerate() {
            if pat.exception != matched {
                continue;
            }
            let m = match eval.matches(idx, last) {
                Some(m) => m || eval.parent_matches(idx, last),
                None if strict && pat.fatal => return Err(idx),
                None => false,
            };
            if m {
                matched = !pat.exception;
                decider = Some(idx);
            }
        }
        Ok((matched, decider))
    }

    fn error_of(&self, pattern_index: usize) -> &PatternError {
        let line = self.patterns.get(pattern_index).map(|p| p.line);
        // A broken pattern always has its error recorded on the same line.
        self.errors
            .iter()
            .find(|e| Some(e.line) == line && !matches!(e.kind, PatternErrorKind::LineTooLong))
            .or_else(|| self.errors.first())
            .unwrap_or(&NO_ERROR)
    }

    /// `PatternMatcher.MatchesOrParentMatches(file)` with `file` used as given (slow,
    /// kept as the reference for the tests). With
    /// `strict`, a broken pattern that gets evaluated is an error (its index); otherwise
    /// it matches nothing.
    #[cfg(test)]
    pub(crate) fn or_parent_matches(&self, file: &str, strict: bool) -> Result<bool, usize> {
        let parent = go_dir(file);
        let parent_dirs: Vec<&str> = parent.split('/').collect();
        let mut matched = false;
        for (idx, pat) in self.patterns.iter().enumerate() {
            if pat.exception != matched {
                continue;
            }
            let mut m = match pat.matches(file) {
                Some(m) => m,
                None if strict && pat_is_fatal(pat) => return Err(idx),
                None => false,
            };
            if !m && parent != "." {
                for i in 0..parent_dirs.len() {
                    let joined = parent_dirs[..=i].join("/");
                    if pat.matches(&joined).unwrap_or(false) {
                        m = true;
                        break;
                    }
                }
            }
            if m {
                matched = !pat.exception;
            }
        }
        Ok(matched)
    }

    /// `PatternMatcher.MatchesUsingParentResults(file, parentInfo)`, `file` as given.
    #[cfg(test)]
    pub(crate) fn using_parent_results(
        &self,
        file: &str,
        parent: Option<&[bool]>,
        strict: bool,
    ) -> Result<(bool, Vec<bool>), usize> {
        let parent = parent.filter(|p| !p.is_empty());
        let mut matched = false;
        let mut info = vec![false; self.patterns.len()];
        for (idx, pat) in self.patterns.iter().enumerate() {
            let mut m = parent.and_then(|p| p.get(idx).copied()).unwrap_or(false);
            if !m {
                if pat.exception != matched {
                    continue;
                }
                m = match pat.matches(file) {
                    Some(m) => m,
                    None if strict && pat_is_fatal(pat) => return Err(idx),
                    None => false,
                };
                if !m && parent.is_none() {
                    let dir = go_dir(file);
                    if dir != "." {
                        let dirs: Vec<&str> = dir.split('/').collect();
                        for i in 0..dirs.len() {
                            if pat.matches(&dirs[..=i].join("/")).unwrap_or(false) {
                                m = true;
                                break;
                            }
                        }
                    }
                }
            }
            if let Some(slot) = info.get_mut(idx) {
                *slot = m;
            }
            if m {
                matched = !pat.exception;
            }
        }
        Ok((matched, info))
    }

    /// fsutil's walker: an excluded directory is not entered when no exception (all of
    /// them wildcard-free) names a path inside it.
    pub(crate) fn walker_skips_dir(&self, dir: &str) -> bool {
        if !self.only_prefix_exceptions {
            return false;
        }
        if !self.has_exceptions {
            return true;
        }
        let dir_slash = format!("{dir}/");
        !self.patterns.iter().filter(|p| p.exception).any(|p| {
            let s = format!("{}/", without_trailing_glob(&p.text));
            s.starts_with(&dir_slash)
        })
    }
}

static NO_ERROR: PatternError = PatternError {
    line: 0,
    line_range: 0..0,
    pattern: String::new(),
    kind: PatternErrorKind::BadPattern,
};

#[cfg(test)]
fn pat_is_fatal(pat: &Pattern) -> bool {
    // A pattern with an unsupported (but valid) regexp is not Docker's failure.
    pat.fatal
}

/// Normalizes a queried path: `./x`, `x/`, `/x` → `x`; `None` for the root or a path
/// that leaves it.
fn clean_query(path: &str) -> Option<String> {
    let trimmed = path.trim_start_matches('/');
    let p = normalize_path(trimmed)?;
    if p.is_empty() {
        None
    } else {
        Some(p)
    }
}

/// fsutil's `patternWithoutTrailingGlob`.
fn without_trailing_glob(p: &str) -> &str {
    let p = p.strip_suffix("/**").unwrap_or(p);
    p.strip_suffix("/*").unwrap_or(p)
}

/// Go's `path/filepath.Clean` on Unix.
pub(crate) fn go_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for comp in p.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    let joined = out.join("/");
    if rooted {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_string()
    } else {
        joined
    }
}

/// Go's `path/filepath.Dir` on Unix.
#[cfg(test)]
fn go_dir(p: &str) -> String {
    match p.rfind('/') {
        Some(i) => go_clean(&p[..=i]),
        None => ".".to_string(),
    }
}

/// Whether Go's `filepath.Match` accepts the pattern's syntax (it checks the whole
/// pattern even when the match fails early): `\` must escape something; a class is
/// `[` `^`? then one or more `lo` or `lo-hi` (a `-` or `]` only escaped) then `]`.
pub(crate) fn glob_syntax_ok(p: &str) -> bool {
    let chars: Vec<char> = p.chars().collect();
    let mut i = 0;
    // getEsc: one class character; the class must go on after it.
    let get_esc = |i: &mut usize| -> bool {
        match chars.get(*i) {
            None | Some('-') | Some(']') => return false,
            Some('\\') => {
                *i += 1;
                if *i >= chars.len() {
                    return false;
                }
            }
            Some(_) => {}
        }
        *i += 1;
        *i < chars.len()
    };
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                if i + 1 >= chars.len() {
                    return false;
                }
                i += 2;
            }
            '[' => {
                i += 1;
                if chars.get(i) == Some(&'^') {
                    i += 1;
                }
                let mut nrange = 0;
                loop {
                    if chars.get(i) == Some(&']') && nrange > 0 {
                        i += 1;
                        break;
                    }
                    if !get_esc(&mut i) {
                        return false;
                    }
                    if chars.get(i) == Some(&'-') {
                        i += 1;
                        if !get_esc(&mut i) {
                            return false;
                        }
                    }
                    nrange += 1;
                }
            }
            _ => i += 1,
        }
    }
    true
}

/// patternmatcher's `Pattern.compile` with the `/` separator: the match kind and the
/// regular expression text (meaningful for [`MatchKind::Regex`]).
pub(crate) fn translate(pattern: &str) -> (MatchKind, String) {
    let mut chars: Vec<char> = pattern.chars().collect();
    // text/scanner drops a byte-order mark at the very start.
    if chars.first() == Some(&'\u{feff}') {
        chars.remove(0);
    }
    let mut reg = String::from("^");
    let mut kind = MatchKind::Exact;
    let mut k = 0;
    let mut iteration = 0;
    while k < chars.len() {
        let ch = chars[k];
        k += 1;
        if ch == '*' {
            if chars.get(k) == Some(&'*') {
                k += 1;
                if chars.get(k) == Some(&'/') {
                    k += 1;
                }
                if k >= chars.len() {
                    if kind == MatchKind::Exact {
                        kind = MatchKind::Prefix;
                    } else {
                        reg.push_str(".*");
                        kind = MatchKind::Regex;
                    }
                } else {
                    reg.push_str("(.*/)?");
                    kind = MatchKind::Regex;
                }
                if iteration == 0 {
                    kind = MatchKind::Suffix;
                }
            } else {
                reg.push_str("[^/]*");
                kind = MatchKind::Regex;
            }
        } else if ch == '?' {
            reg.push_str("[^/]");
            kind = MatchKind::Regex;
        } else if ".+()|{}$".contains(ch) {
            reg.push('\\');
            reg.push(ch);
        } else if ch == '\\' {
            if let Some(&next) = chars.get(k) {
                k += 1;
                reg.push('\\');
                reg.push(next);
                kind = MatchKind::Regex;
            } else {
                reg.push('\\');
            }
        } else if ch == '[' || ch == ']' {
            reg.push(ch);
            kind = MatchKind::Regex;
        } else {
            reg.push(ch);
        }
        iteration += 1;
    }
    if kind == MatchKind::Regex {
        reg.push('$');
    }
    (kind, reg)
}

/// Finds the ignore file BuildKit uses for a Dockerfile: `<Dockerfile path>.dockerignore`
/// (beside the Dockerfile, e.g. `build/api.Dockerfile.dockerignore`) takes precedence
/// over `.dockerignore` at the context root; the two are never merged.
/// `dockerfile_name` is the Dockerfile's path relative to the context root. Returns the
/// path and text of the file in use.
///
/// A Dockerfile outside the context (`-f ../Dockerfile`) can have its own ignore file
/// outside the context too; this only sees the context, so it then reports the root one.
pub fn find_dockerignore(
    ctx: &dyn BuildContext,
    dockerfile_name: &str,
) -> Option<(String, String)> {
    if let Some(df) = normalize_path(dockerfile_name).filter(|d| !d.is_empty()) {
        let mut candidates = vec![format!("{df}.dockerignore")];
        // `docker build` without -f falls back to a lower-case `dockerfile`, but BuildKit
        // still names the ignore file after `Dockerfile`.
        let (dir, base) = match df.rfind('/') {
            Some(i) => (&df[..=i], &df[i + 1..]),
            None => ("", df.as_str()),
        };
        if base == "dockerfile" {
            candidates.insert(0, format!("{dir}Dockerfile.dockerignore"));
        }
        for c in candidates {
            if let Some(text) = ctx.read_file(&c) {
                return Some((c, text));
            }
        }
    }
    ctx.read_file(".dockerignore")
        .map(|text| (".dockerignore".to_string(), text))
}
