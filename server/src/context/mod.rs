//! What lies beside the Dockerfile: the build context, seen through a trait so that the
//! core stays pure. The command line and the language server give a file-system view
//! (`cli::fs_context::FsContext`); tests use [`MemoryContext`]; a Dockerfile with no
//! known context (stdin, an unsaved buffer) gets [`NoContext`], and rules that need the
//! context must then stay quiet instead of guessing.
//!
//! Architecture invariant: pure (no file system, environment, process or printing) and
//! never panics, whatever the input.
//!
//! - [`gomod`]: a tolerant `go.mod` / `go.work` parser and Go version arithmetic.
//! - [`dockerignore`]: `.dockerignore` with Docker's exact matching semantics.
//! - [`project`]: a cheap summary of the Go project in the context.

pub mod dockerignore;
pub mod gomod;
pub mod project;
mod re2;

#[cfg(test)]
mod tests_dockerignore;

use std::collections::{BTreeMap, BTreeSet};

pub use dockerignore::{find_dockerignore, DockerIgnore};
pub use gomod::{GoMod, GoVersion, GoWork, Require};
pub use project::{go_project, main_packages, GoProject};

/// What lies beside the Dockerfile. Paths are relative to the context root, with `/`
/// separators (`"go.mod"`, `"cmd/api/main.go"`); `""` (or `"."`) is the root itself.
/// Implementations reject paths that would leave the root (`..`, absolute paths).
pub trait BuildContext: Send + Sync {
    /// Text of a file, path relative to the context root with '/' separators ("go.mod", "cmd/api/main.go").
    fn read_file(&self, path: &str) -> Option<String>;
    fn exists(&self, path: &str) -> bool;
    fn is_dir(&self, path: &str) -> bool;
    /// Names of the entries of a directory ("" = root), sorted; None if not a directory.
    fn list_dir(&self, path: &str) -> Option<Vec<String>>;
    /// Whether this context knows anything at all. `false` for [`NoContext`]: a rule that
    /// needs the context must then report nothing rather than assume files are missing.
    fn known(&self) -> bool {
        true
    }
}

/// A reference, box or shared pointer to a context is that context.
macro_rules! forward_build_context {
    ($($ptr:ty),*) => {$(
        impl<T: BuildContext + ?Sized> BuildContext for $ptr {
            fn read_file(&self, path: &str) -> Option<String> {
                (**self).read_file(path)
            }
            fn exists(&self, path: &str) -> bool {
                (**self).exists(path)
            }
            fn is_dir(&self, path: &str) -> bool {
                (**self).is_dir(path)
            }
            fn list_dir(&self, path: &str) -> Option<Vec<String>> {
                (**self).list_dir(path)
            }
            fn known(&self) -> bool {
                (**self).known()
            }
        }
    )*};
}
forward_build_context!(&T, Box<T>, std::sync::Arc<T>);

/// Normalizes a context-relative path: `\`-free `/` separators, no empty or `.`
/// components, no trailing slash; `""` is the root. Returns `None` for a path that could
/// leave the root: an absolute path (`/x`), a `..` component, a Windows drive (`C:`), or
/// a NUL byte.
pub fn normalize_path(path: &str) -> Option<String> {
    if path.starts_with('/') || path.contains('\0') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for (i, comp) in path.split('/').enumerate() {
        match comp {
            "" | "." => {}
            ".." => return None,
            c => {
                if i == 0 && c.len() == 2 && c.ends_with(':') {
                    // "C:" — a Windows drive, never inside the context.
                    return None;
                }
                parts.push(c);
            }
        }
    }
    Some(parts.join("/"))
}

/// The parent directory of a normalized path (`"a/b"` → `"a"`, `"a"` → `""`).
fn parent_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..i],
        None => "",
    }
}

/// An in-memory build context, for tests and for editors that hold unsaved files.
///
/// ```text
/// MemoryContext::new().file("go.mod", "module x\n").dir("configs")
/// ```
/// Directories are implied by file paths (`cmd/api/main.go` makes `cmd` and `cmd/api`).
#[derive(Clone, Debug, Default)]
pub struct MemoryContext {
    files: BTreeMap<String, String>,
    dirs: BTreeSet<String>,
}

impl MemoryContext {
    pub fn new() -> MemoryContext {
        MemoryContext::default()
    }

    /// Adds (or replaces) a file. A path that would leave the root is ignored.
    pub fn file(mut self, path: &str, text: &str) -> MemoryContext {
        self.add_file(path, text);
        self
    }

    /// Adds an (empty) directory and its parents. A path that would leave the root is ignored.
    pub fn dir(mut self, path: &str) -> MemoryContext {
        self.add_dir(path);
        self
    }

    /// Adds (or replaces) a file in place.
    pub fn add_file(&mut self, path: &str, text: &str) {
        let Some(p) = normalize_path(path) else {
            return;
        };
        if p.is_empty() {
            return;
        }
        self.add_parents(&p);
        self.files.insert(p, text.to_string());
    }

    /// Adds a directory in place.
    pub fn add_dir(&mut self, path: &str) {
        let Some(p) = normalize_path(path) else {
            return;
        };
        if p.is_empty() {
            return;
        }
        self.add_parents(&p);
        self.dirs.insert(p);
    }

    fn add_parents(&mut self, path: &str) {
        let mut parent = parent_of(path);
        while !parent.is_empty() {
            if !self.dirs.insert(parent.to_string()) {
                break;
            }
            parent = parent_of(parent);
        }
    }
}

impl BuildContext for MemoryContext {
    fn read_file(&self, path: &str) -> Option<String> {
        let p = normalize_path(path)?;
        self.files.get(&p).cloned()
    }

    fn exists(&self, path: &str) -> bool {
        match normalize_path(path) {
            Some(p) => p.is_empty() || self.files.contains_key(&p) || self.dirs.contains(&p),
            None => false,
        }
    }

    fn is_dir(&self, path: &str) -> bool {
        match normalize_path(path) {
            Some(p) => p.is_empty() || self.dirs.contains(&p),
            None => false,
        }
    }

    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        let p = normalize_path(path)?;
        if !p.is_empty() && !self.dirs.contains(&p) {
            return None;
        }
        let prefix = if p.is_empty() {
            String::new()
        } else {
            format!("{p}/")
        };
        let mut names = BTreeSet::new();
        let children = self
            .files
            .keys()
            .chain(self.dirs.iter())
            .filter_map(|k| k.strip_prefix(prefix.as_str()));
        for rest in children {
            if let Some(name) = rest.split('/').next() {
                if !name.is_empty() {
                    names.insert(name.to_string());
                }
            }
        }
        Some(names.into_iter().collect())
    }
}

/// A context that knows nothing: every file is unknown (not "missing"). Rules that need
/// the context check [`BuildContext::known`] and stay quiet.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoContext;

impl BuildContext for NoContext {
    fn read_file(&self, _path: &str) -> Option<String> {
        None
    }
    fn exists(&self, _path: &str) -> bool {
        false
    }
    fn is_dir(&self, _path: &str) -> bool {
        false
    }
    fn list_dir(&self, _path: &str) -> Option<Vec<String>> {
        None
    }
    fn known(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize_path("").as_deref(), Some(""));
        assert_eq!(normalize_path(".").as_deref(), Some(""));
        assert_eq!(normalize_path("./go.mod").as_deref(), Some("go.mod"));
        assert_eq!(normalize_path("cmd//api/").as_deref(), Some("cmd/api"));
        assert_eq!(normalize_path("a/./b").as_deref(), Some("a/b"));
        assert_eq!(normalize_path("/etc/passwd"), None);
        assert_eq!(normalize_path("../x"), None);
        assert_eq!(normalize_path("a/../../x"), None);
        assert_eq!(normalize_path("a/.."), None);
        assert_eq!(normalize_path("C:/x"), None);
        assert_eq!(normalize_path("a\0b"), None);
        assert_eq!(normalize_path("...").as_deref(), Some("..."));
    }

    #[test]
    fn memory_context_implies_directories() {
        let ctx = MemoryContext::new()
            .file("go.mod", "module x\n")
            .file("cmd/api/main.go", "package main\n")
            .file("cmd/worker/main.go", "package main\n")
            .dir("configs")
            .dir("empty/nested");
        assert!(ctx.known());
        assert!(ctx.exists("go.mod"));
        assert!(ctx.exists("./go.mod"));
        assert!(!ctx.is_dir("go.mod"));
        assert!(ctx.is_dir("cmd"));
        assert!(ctx.is_dir("cmd/api"));
        assert!(ctx.is_dir("empty"));
        assert!(ctx.is_dir(""));
        assert!(ctx.is_dir("."));
        assert!(!ctx.exists("missing"));
        assert_eq!(ctx.read_file("go.mod").as_deref(), Some("module x\n"));
        assert_eq!(ctx.read_file("cmd"), None);
        assert_eq!(ctx.read_file("../go.mod"), None);
        assert_eq!(
            ctx.list_dir("").unwrap(),
            vec!["cmd", "configs", "empty", "go.mod"]
        );
        assert_eq!(ctx.list_dir("cmd").unwrap(), vec!["api", "worker"]);
        assert_eq!(ctx.list_dir("empty").unwrap(), vec!["nested"]);
        assert_eq!(ctx.list_dir("empty/nested").unwrap(), Vec::<String>::new());
        assert_eq!(ctx.list_dir("go.mod"), None);
        assert_eq!(ctx.list_dir("missing"), None);
        assert_eq!(ctx.list_dir("/"), None);
    }

    #[test]
    fn memory_context_ignores_escaping_paths() {
        let ctx = MemoryContext::new()
            .file("../evil", "x")
            .file("/abs", "y")
            .dir("..");
        assert_eq!(ctx.list_dir("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn no_context_knows_nothing() {
        let ctx = NoContext;
        assert!(!ctx.known());
        assert!(!ctx.exists("go.mod"));
        assert!(!ctx.is_dir(""));
        assert_eq!(ctx.read_file("go.mod"), None);
        assert_eq!(ctx.list_dir(""), None);
        let dynamic: &dyn BuildContext = &ctx;
        assert!(!dynamic.known());
        let boxed: Box<dyn BuildContext> = Box::new(MemoryContext::new());
        assert!(boxed.known());
        let shared: std::sync::Arc<dyn BuildContext> = std::sync::Arc::new(NoContext);
        assert!(!shared.known());
    }
}
