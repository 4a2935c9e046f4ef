//! Fixes: text edits with an applicability, and applying them without overlaps.

use std::ops::Range;

use crate::i18n::Text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Applicability {
    /// Keeps the meaning: applied by `dockwise fix` and "fix all".
    Safe,
    /// May change behaviour: offered as a code action, applied by `fix --unsafe`.
    Unsafe,
    /// Shown, never applied automatically.
    DisplayOnly,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Absolute byte range to replace.
    pub range: Range<usize>,
    pub text: String,
}

impl Edit {
    pub fn replace(range: Range<usize>, text: impl Into<String>) -> Edit {
        Edit {
            range,
            text: text.into(),
        }
    }
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            range: at..at,
            text: text.into(),
        }
    }
    pub fn delete(range: Range<usize>) -> Edit {
        Edit {
            range,
            text: String::new(),
        }
    }
}

/// A change to another file of the build context than the Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileChange {
    /// Create the file (path relative to the context root) with this text.
    Create { path: String, text: String },
    /// Append text to an existing file.
    Append { path: String, text: String },
}

impl FileChange {
    pub fn path(&self) -> &str {
        match self {
            FileChange::Create { path, .. } | FileChange::Append { path, .. } => path,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// An imperative: "Add `CGO_ENABLED=0`" / "添加 `CGO_ENABLED=0`".
    pub title: Text,
    pub applicability: Applicability,
    /// Edits of the Dockerfile.
    pub edits: Vec<Edit>,
    /// Changes to other files of the build context (`.dockerignore`).
    pub files: Vec<FileChange>,
    /// Restructures the file (GO101's multi-stage rewrite): `fix` applies it alone,
    /// before any other, and the other fixes then apply to its result.
    pub restructures: bool,
}

impl Fix {
    pub fn safe(title: Text, edits: Vec<Edit>) -> Fix {
        Fix {
            title,
            applicability: Applicability::Safe,
            edits,
            files: Vec::new(),
            restructures: false,
        }
    }
    pub fn unsafe_(title: Text, edits: Vec<Edit>) -> Fix {
        Fix {
            title,
            applicability: Applicability::Unsafe,
            edits,
            files: Vec::new(),
            restructures: false,
        }
    }
    /// A safe fix that only changes another file of the context.
    pub fn file(title: Text, change: FileChange) -> Fix {
        Fix {
            title,
            applicability: Applicability::Safe,
            edits: Vec::new(),
            files: vec![change],
            restructures: false,
        }
    }
}

/// Applies the fixes that do not overlap an earlier-chosen one; returns the new text
/// and how many fixes were applied. Fixes are taken in order of their first edit.
pub fn apply_fixes<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> (String, usize) {
    let mut fixes: Vec<&Fix> = fixes.into_iter().filter(|f| !f.edits.is_empty()).collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.range.start).min().unwrap_or(0));
    let mut taken: Vec<&Edit> = Vec::new();
    let mut count = 0;
    for f in fixes {
        let overlaps = f.edits.iter().any(|e| {
            taken.iter().any(|t| {
                let (a, b) = (&e.range, &t.range);
                a.start < b.end && b.start < a.end
                    || (a.start == b.start && (a.is_empty() || b.is_empty()))
            })
        });
        let valid = f.edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        });
        if overlaps || !valid {
            continue;
        }
        taken.extend(f.edits.iter());
        count += 1;
    }
    taken.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in taken {
        if e.range.start < pos {
            continue;
        }
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.text);
        pos = e.range.end;
    }
    out.push_str(&text[pos..]);
    (out, count)
}

/// The result of fixing a Dockerfile: its new text, how many fixes were applied, and
/// the changes to other files of the context those fixes need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    pub applied: usize,
    pub files: Vec<FileChange>,
}

/// Applies fixes round after round until none applies (at most eight rounds), refusing
/// any round whose result has more syntax errors than the input. `dockwise fix` and
/// "fix all" use it.
pub fn fix_until_stable(text: &str, config: &super::Config, allow_unsafe: bool) -> (String, usize) {
    let f = fix_in(
        text,
        config,
        allow_unsafe,
        &crate::context::NoContext,
        "Dockerfile",
    );
    (f.text, f.applied)
}

/// [`fix_until_stable`] with the build context, which some fixes also change.
pub fn fix_in(
    text: &str,
    config: &super::Config,
    allow_unsafe: bool,
    context: &dyn crate::context::BuildContext,
    dockerfile: &str,
) -> Fixed {
    let syntax_errors = |t: &str| {
        let tree = crate::syntax::parse(t);
        super::check(t, &tree, &super::Config::default())
            .diagnostics
            .iter()
            .filter(|d| d.code == "DF501")
            .count()
    };
    let baseline = syntax_errors(text);
    let mut current = text.to_string();
    let mut total = 0;
    let mut files: Vec<FileChange> = Vec::new();
    let allowed = |f: &&Fix| match f.applicability {
        Applicability::Safe => true,
        Applicability::Unsafe => allow_unsafe,
        Applicability::DisplayOnly => false,
    };
    for _ in 0..8 {
        let tree = crate::syntax::parse(&current);
        let diags = super::check_in(&current, &tree, config, context, dockerfile).diagnostics;
        let fixes: Vec<&Fix> = diags
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(allowed)
            .collect();
        // File changes are collected once each; the context does not change under us,
        // so a later round would propose them again.
        for f in &fixes {
            for c in &f.files {
                if !files.iter().any(|x| x.path() == c.path()) {
                    files.push(c.clone());
                    total += 1;
                }
            }
        }
        let mut text_fixes: Vec<&Fix> = fixes.into_iter().filter(|f| !f.edits.is_empty()).collect();
        // A restructuring fix goes alone: the others are recomputed on its result.
        if let Some(r) = text_fixes.iter().position(|f| f.restructures) {
            text_fixes = vec![text_fixes[r]];
        }
        if text_fixes.is_empty() {
            break;
        }
        let (next, n) = apply_fixes(&current, text_fixes);
        if n == 0 || next == current || syntax_errors(&next) > baseline {
            break;
        }
        current = next;
        total += n;
    }
    Fixed {
        text: current,
        applied: total,
        files,
    }
}
