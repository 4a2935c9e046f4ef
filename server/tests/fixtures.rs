//! Annotated fixtures: valid Dockerfiles whose comments say which diagnostics must
//! appear, and where. The annotation sits under the line it marks:
//!
//! ```text
//! CMD /app
//! #   ^^^^ warning[DF507]: `CMD` in shell form runs under ...
//! ```
//!
//! A `#` directly followed by `^` marks from column 0. A file without annotations must
//! produce no diagnostic at all. After the expectations match, the safe fixes are
//! applied: the result must parse as cleanly as before and must not still hold the
//! fixed findings.
//!
//! A fixture `X.Dockerfile` may have a sibling directory `X.context/`: the build context
//! (go.mod, go.sum, .dockerignore, sources …). It is then checked with that context, as
//! `dockwise check --context X.context` would; without one, with no context at all.

mod common;

use std::path::{Path, PathBuf};

use dockwise::cli::fs_context::FsContext;
use dockwise::context::{BuildContext, NoContext};
use dockwise::rules::{self, apply_fixes, Applicability, Config, Diagnostic};
use dockwise::syntax;

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Expect {
    line: usize,
    start: usize,
    end: usize,
    severity: String,
    code: String,
    message: String,
}

fn annotation(line: &str) -> Option<(usize, usize, String, String, String)> {
    let rest = line.strip_prefix('#')?;
    // `#^^^` marks from column 0; `#   ^^^` from the column of the first caret.
    let col = if rest.starts_with('^') {
        0
    } else {
        line.find('^')?
    };
    if !line[1..col.max(1)].chars().all(|c| c == ' ') {
        return None;
    }
    let from = if col == 0 { 1 } else { col };
    let carets = line[from..].chars().take_while(|&c| c == '^').count();
    let after = line[from + carets..].trim_start();
    let (sev, rest) = after.split_once('[')?;
    let (code, rest) = rest.split_once("]: ")?;
    Some((
        col,
        col + carets,
        sev.to_string(),
        code.to_string(),
        rest.to_string(),
    ))
}

fn expectations(text: &str) -> Vec<Expect> {
    let mut out = Vec::new();
    let mut target: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        match annotation(line) {
            Some((start, end, severity, code, message)) => {
                let line = target.expect("annotation before any line");
                out.push(Expect {
                    line,
                    start,
                    end,
                    severity,
                    code,
                    message,
                });
            }
            None => target = Some(n),
        }
    }
    out.sort();
    out
}

/// The build context of a fixture: its sibling `X.context/` directory, if any.
fn context_dir(p: &Path) -> Option<PathBuf> {
    let name = p.file_name()?.to_str()?.strip_suffix(".Dockerfile")?;
    let dir = p.with_file_name(format!("{name}.context"));
    dir.is_dir().then_some(dir)
}

fn context_of(p: &Path) -> Box<dyn BuildContext> {
    match context_dir(p) {
        Some(dir) => Box::new(FsContext::new(dir)),
        None => Box::new(NoContext),
    }
}

/// The diagnostics of a fixture, with its context when it has one.
fn diagnostics(text: &str, ctx: &dyn BuildContext, with_context: bool) -> Vec<Diagnostic> {
    let tree = syntax::parse(text);
    if with_context {
        rules::check_in(text, &tree, &Config::default(), ctx, "Dockerfile").diagnostics
    } else {
        rules::check(text, &tree, &Config::default()).diagnostics
    }
}

/// Column range (in characters) of a diagnostic on its first line.
fn actual(text: &str, diags: &[Diagnostic]) -> Vec<Expect> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut out: Vec<Expect> = diags
        .iter()
        .map(|d| {
            let line = line_starts.partition_point(|&s| s <= d.range.start) - 1;
            let ls = line_starts[line];
            let le = text[ls..].find('\n').map_or(text.len(), |i| ls + i);
            let le = if text[..le].ends_with('\r') {
                le - 1
            } else {
                le
            };
            let start = text[ls..d.range.start].chars().count();
            let end_byte = d.range.end.min(le);
            let end = text[ls..end_byte.max(d.range.start)]
                .chars()
                .count()
                .max(start + 1);
            Expect {
                line,
                start,
                end,
                severity: d.severity.as_str().to_string(),
                code: d.code.to_string(),
                message: d.message.en.clone(),
            }
        })
        .collect();
    out.sort();
    out
}

fn annotated_fixtures() -> Vec<PathBuf> {
    let root = common::repo_root().join("tests/fixtures");
    common::fixture_files()
        .into_iter()
        .filter(|p| {
            let rel = p.strip_prefix(&root).unwrap();
            // Parser probes are compared with BuildKit instead (tests/oracle.rs).
            !rel.starts_with("parser") && !rel.starts_with("bench")
        })
        .collect()
}

fn render(v: &[Expect]) -> String {
    v.iter()
        .map(|e| {
            format!(
                "  line {} cols {}..{} {}[{}]: {}",
                e.line + 1,
                e.start,
                e.end,
                e.severity,
                e.code,
                e.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check_file(p: &Path) -> Option<String> {
    let text = common::read_text(p);
    let with_context = context_dir(p).is_some();
    let ctx = context_of(p);
    let want = expectations(&text);
    let diags = diagnostics(&text, ctx.as_ref(), with_context);
    let got = actual(&text, &diags);
    if want != got {
        return Some(format!(
            "{}:\n expected:\n{}\n got:\n{}",
            p.display(),
            render(&want),
            render(&got)
        ));
    }
    // Safe fixes: they must apply and keep the file parsable, and fixing until stable
    // must leave none of the findings they fix. Fixes are computed with the same context;
    // their changes to other files of the context (a created `.dockerignore`) are not
    // written.
    let safe: Vec<_> = diags
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.applicability == Applicability::Safe && !f.edits.is_empty())
        .collect();
    if safe.is_empty() {
        return None;
    }
    let errors_before = diags.iter().filter(|d| d.code == "DF501").count();
    let syntax_errors = |t: &str| {
        diagnostics(t, ctx.as_ref(), with_context)
            .iter()
            .filter(|d| d.code == "DF501")
            .count()
    };
    // One round by hand: `fix_in` silently refuses a round that breaks the syntax.
    let (once, _) = apply_fixes(&text, safe.iter().copied());
    if syntax_errors(&once) > errors_before {
        return Some(format!(
            "{}: safe fixes introduced syntax errors:\n{once}",
            p.display()
        ));
    }
    let fixed = rules::fix::fix_in(&text, &Config::default(), false, ctx.as_ref(), "Dockerfile");
    let left: Vec<String> = diagnostics(&fixed.text, ctx.as_ref(), with_context)
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe && !f.edits.is_empty())
        })
        .map(|d| format!("{} ({})", d.code, d.message.en))
        .collect();
    if !left.is_empty() {
        return Some(format!(
            "{}: safe fixes do not converge, still offered after fixing:\n  {}\n{}",
            p.display(),
            left.join("\n  "),
            fixed.text
        ));
    }
    // What the fixes leave in `-ldflags` must still be something Go can split: a fix
    // that edits inside the value must not leave half a quoted string behind.
    let was_ok = ldflags_values(&text).iter().all(|o| go_split_ok(o));
    for v in ldflags_values(&fixed.text) {
        if was_ok && !go_split_ok(&v) {
            return Some(format!(
                "{}: safe fixes left an -ldflags value Go cannot split: {v:?}\n{}",
                p.display(),
                fixed.text
            ));
        }
    }
    None
}

/// The `-ldflags` values of every go command in a Dockerfile (after shell unquoting).
fn ldflags_values(text: &str) -> Vec<String> {
    let tree = dockwise::syntax::parse(text);
    let model = dockwise::semantic::analyze(text, &tree);
    dockwise::semantic::go::go_commands(text, &tree, &model)
        .iter()
        .filter_map(|g| g.ldflags().and_then(|f| f.value.clone()))
        .collect()
}

/// Whether Go's flag splitting (cmd/internal/quoted.Split: fields separated by spaces,
/// each possibly in '…' or "…", no escapes) accepts `s`.
fn go_split_ok(s: &str) -> bool {
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '"' || c == '\'' {
            chars.next();
            if !chars.by_ref().any(|x| x == c) {
                return false;
            }
            // The closing quote must end the field.
            if chars.peek().is_some_and(|x| !x.is_whitespace()) {
                return false;
            }
            continue;
        }
        // An unquoted field runs to the next space; a quote inside it is an error.
        while let Some(&x) = chars.peek() {
            if x.is_whitespace() {
                break;
            }
            if x == '"' || x == '\'' {
                return false;
            }
            chars.next();
        }
    }
    true
}

#[test]
fn annotated_fixtures_match() {
    let files = annotated_fixtures();
    assert!(files.len() >= 17, "only {} annotated fixtures", files.len());
    let failures: Vec<String> = files.iter().filter_map(|p| check_file(p)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every `X.context/` directory belongs to a fixture `X.Dockerfile` (or to a pending
/// one, `X.Dockerfile.pending`): a misspelt name would silently check without context.
#[test]
fn context_dirs_have_fixtures() {
    let mut stack = vec![common::repo_root().join("tests/fixtures")];
    let mut orphans = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if !p.is_dir() {
                continue;
            }
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            match name.strip_suffix(".context") {
                Some(stem) => {
                    let f = p.with_file_name(format!("{stem}.Dockerfile"));
                    let pending = p.with_file_name(format!("{stem}.Dockerfile.pending"));
                    if !f.is_file() && !pending.is_file() {
                        orphans.push(p.display().to_string());
                    }
                }
                None => stack.push(p),
            }
        }
    }
    assert!(
        orphans.is_empty(),
        "context folders without a fixture: {orphans:?}"
    );
}

/// Cgo the project needs (go.mod requires go-sqlite3) is not "fixed" away: GO103 is
/// reported, but without the `CGO_ENABLED=0` fix.
#[test]
fn needed_cgo_is_not_fixed_away() {
    let p = common::repo_root()
        .join("tests/fixtures/rules/go103_cgo_binary_in_static_runtime_sqlite.Dockerfile");
    let text = common::read_text(&p);
    let ctx = context_of(&p);
    let diags = diagnostics(&text, ctx.as_ref(), true);
    let go103: Vec<_> = diags.iter().filter(|d| d.code == "GO103").collect();
    assert!(!go103.is_empty(), "GO103 expected in {}", p.display());
    for d in go103 {
        assert!(
            d.fix.is_none(),
            "GO103 offers a fix although cgo is needed: {:?}",
            d.fix
        );
    }
}

#[test]
fn annotation_syntax() {
    assert_eq!(
        annotation("#   ^^^^ warning[DF507]: x y"),
        Some((4, 8, "warning".into(), "DF507".into(), "x y".into()))
    );
    assert_eq!(
        annotation("#^^^ error[DF501]: z"),
        Some((0, 3, "error".into(), "DF501".into(), "z".into()))
    );
    assert_eq!(annotation("# a comment ^ not one"), None);
}
