//! A cheap summary of the Go project in the build context (its `go.mod`, whether `go.sum`
//! and `vendor/` exist), made for every analysis; and, on demand only, where the `main`
//! packages are (the context root and `cmd/*`), which means listing folders and reading
//! Go files.

use super::gomod::{GoMod, GoWork};
use super::BuildContext;

/// What the build context says about the Go project in it.
#[derive(Clone, Debug, Default)]
pub struct GoProject {
    /// `go.mod` at the context root, parsed.
    pub go_mod: Option<GoMod>,
    /// `go.work` at the context root, parsed.
    pub go_work: Option<GoWork>,
    /// `go.sum` exists at the root.
    pub go_sum: bool,
    /// A `vendor` directory exists at the root.
    pub vendor: bool,
}

/// How many `.go` files of one directory are read at most to find its package name.
const MAX_FILES_PER_DIR: usize = 16;
/// How many `cmd/*` directories are looked at at most.
const MAX_CMD_DIRS: usize = 64;

/// Summarizes the Go project at the context root: a few files looked up, no folder
/// listed (it runs on every analysis, so on every keystroke in an editor). With a context
/// that knows nothing ([`BuildContext::known`] false) everything is empty.
pub fn go_project(ctx: &dyn BuildContext) -> GoProject {
    GoProject {
        go_mod: ctx.read_file("go.mod").map(|t| GoMod::parse(&t)),
        go_work: ctx.read_file("go.work").map(|t| GoWork::parse(&t)),
        go_sum: ctx.exists("go.sum") && !ctx.is_dir("go.sum"),
        vendor: ctx.is_dir("vendor"),
    }
}

/// Directories holding a `package main`: `"."` for the root, `"cmd/api"` for the others
/// (the form `go build ./cmd/api` takes). Only the root and `cmd/*` are looked at. Sorted.
/// Lists those folders and reads up to 16 Go files in each: call it when the answer is
/// needed, not on every analysis.
pub fn main_packages(ctx: &dyn BuildContext) -> Vec<String> {
    let mut out = Vec::new();
    if is_main_package(ctx, "") {
        out.push(".".to_string());
    }
    if let Some(entries) = ctx.list_dir("cmd") {
        for name in entries.iter().take(MAX_CMD_DIRS) {
            let dir = format!("cmd/{name}");
            if ctx.is_dir(&dir) && is_main_package(ctx, &dir) {
                out.push(dir);
            }
        }
    }
    out.sort();
    out
}

/// Whether the directory's Go package is `main`: decided by the first `.go` file that
/// the go command would build (not a test, not `_x.go`/`.x.go`, not `//go:build ignore`).
fn is_main_package(ctx: &dyn BuildContext, dir: &str) -> bool {
    let Some(entries) = ctx.list_dir(dir) else {
        return false;
    };
    let mut read = 0;
    for name in entries {
        if !name.ends_with(".go")
            || name.ends_with("_test.go")
            || name.starts_with('_')
            || name.starts_with('.')
        {
            continue;
        }
        if read >= MAX_FILES_PER_DIR {
            break;
        }
        let path = if dir.is_empty() {
            name.clone()
        } else {
            format!("{dir}/{name}")
        };
        let Some(src) = ctx.read_file(&path) else {
            continue;
        };
        read += 1;
        let header = go_file_header(&src);
        if header.ignored {
            continue;
        }
        if let Some(pkg) = header.package {
            return pkg == "main";
        }
    }
    false
}

/// What the top of a Go file says.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct GoHeader<'a> {
    pub package: Option<&'a str>,
    /// Excluded from every build by `//go:build ignore` (or `// +build ignore`).
    pub ignored: bool,
}

/// Reads the comments before the `package` clause and the package name.
pub(crate) fn go_file_header(src: &str) -> GoHeader<'_> {
    let mut h = GoHeader::default();
    let mut s = src.strip_prefix('\u{feff}').unwrap_or(src);
    loop {
        s = s.trim_start();
        if let Some(rest) = s.strip_prefix("//") {
            let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
            let line = line.trim();
            if let Some(expr) = line.strip_prefix("go:build") {
                h.ignored |= go_build_is_ignore(expr);
            } else if let Some(expr) = line.strip_prefix("+build") {
                h.ignored |= plus_build_is_ignore(expr);
            }
            s = after;
        } else if let Some(rest) = s.strip_prefix("/*") {
            s = match rest.find("*/") {
                Some(k) => &rest[k + 2..],
                None => return h,
            };
        } else {
            break;
        }
    }
    let Some(rest) = s.strip_prefix("package") else {
        return h;
    };
    if !rest.starts_with(|c: char| c.is_whitespace() || c == '/') {
        return h;
    }
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if end > 0 {
        h.package = Some(&rest[..end]);
    }
    h
}

/// Whether a `//go:build` expression can only mean "never build this file": the tag
/// `ignore`, alone or and-ed with others, not negated, with no `||`.
fn go_build_is_ignore(expr: &str) -> bool {
    !expr.contains("||")
        && !expr.contains('!')
        && expr
            .split(|c: char| c.is_whitespace() || c == '&' || c == '(' || c == ')')
            .any(|tag| tag == "ignore")
}

/// The same for a `// +build` line, where spaces separate alternatives and commas and-ed
/// terms: every alternative must require `ignore`.
fn plus_build_is_ignore(expr: &str) -> bool {
    let mut options = expr.split_whitespace().peekable();
    options.peek().is_some() && options.all(|o| o.split(',').any(|t| t == "ignore"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{MemoryContext, NoContext};

    #[test]
    fn header_of_go_files() {
        assert_eq!(go_file_header("package main\n").package, Some("main"));
        assert_eq!(
            go_file_header("// Copyright\n\n/* block\n comment */\npackage api // x\n").package,
            Some("api")
        );
        let gen = go_file_header("//go:build ignore\n\npackage main\n");
        assert!(gen.ignored);
        assert_eq!(gen.package, Some("main"));
        assert!(go_file_header("// +build ignore\n\npackage main\n").ignored);
        assert!(!go_file_header("//go:build !ignore\npackage main\n").ignored);
        assert!(!go_file_header("//go:build linux || ignore\npackage main\n").ignored);
        assert!(!go_file_header("//go:build linux\npackage main\n").ignored);
        assert!(go_file_header("//go:build ignore && linux\npackage main\n").ignored);
        assert!(!go_file_header("// +build linux ignore\npackage main\n").ignored);
        assert!(go_file_header("// +build linux,ignore\npackage main\n").ignored);
        assert_eq!(go_file_header("packagemain").package, None);
        assert_eq!(go_file_header("/* unterminated").package, None);
        assert_eq!(go_file_header("\u{feff}package main").package, Some("main"));
        assert_eq!(go_file_header("").package, None);
    }

    #[test]
    fn finds_main_packages_in_root_and_cmd() {
        let ctx = MemoryContext::new()
            .file("go.mod", "module example.com/app\n\ngo 1.22.3\n")
            .file("go.sum", "")
            .file("main.go", "package main\n\nfunc main() {}\n")
            .file("main_test.go", "package main_test\n")
            .file("cmd/api/main.go", "// Command api.\npackage main\n")
            .file("cmd/api/api_test.go", "package main\n")
            .file("cmd/lib/lib.go", "package lib\n")
            .file("cmd/tool/gen.go", "//go:build ignore\n\npackage main\n")
            .file("cmd/tool/tool.go", "package tool\n")
            .file("cmd/README.md", "docs")
            .file("internal/x/main.go", "package main\n")
            .dir("vendor");
        assert_eq!(main_packages(&ctx), vec![".", "cmd/api"]);
        let p = go_project(&ctx);
        assert!(p.go_sum);
        assert!(p.vendor);
        let m = p.go_mod.unwrap();
        assert_eq!(m.module.as_deref(), Some("example.com/app"));
        assert_eq!(m.go.unwrap().raw, "1.22.3");
        assert!(p.go_work.is_none());
    }

    #[test]
    fn library_root_with_generator_is_not_main() {
        let ctx = MemoryContext::new()
            .file("gen.go", "//go:build ignore\n\npackage main\n")
            .file("lib.go", "package lib\n");
        assert!(main_packages(&ctx).is_empty());
    }

    #[test]
    fn nothing_without_context() {
        let p = go_project(&NoContext);
        assert!(p.go_mod.is_none() && !p.go_sum && !p.vendor);
        assert!(main_packages(&NoContext).is_empty());
    }

    #[test]
    fn go_work_at_root() {
        let ctx = MemoryContext::new().file("go.work", "go 1.23\n\nuse (\n\t./api\n\t./lib\n)\n");
        let p = go_project(&ctx);
        let w = p.go_work.unwrap();
        assert_eq!(w.uses, vec!["./api", "./lib"]);
        assert!(p.go_mod.is_none());
    }
}
