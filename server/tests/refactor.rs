//! The refactors (to-multi-stage, to-scratch, to-distroless) on before/after fixtures
//! and on every single-stage Go file of the corpus.
//!
//! `tests/refactor/NAME/before.Dockerfile` (with an optional build context in
//! `NAME/context/`) has, for each refactor, either `NAME/<refactor>.Dockerfile` (the
//! expected output) or `NAME/<refactor>.txt` (`declined: reason` / `unchanged: reason`).
//! Every output must parse with BuildKit's parser, must not draw GO101, GO102, GO103,
//! RT203, RT206, SEC301 or DF503, and must come back unchanged from a second run.
//! `DOCKWISE_BLESS=1 cargo test --test refactor` rewrites the expectations.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use dockwise::cli::fs_context::FsContext;
use dockwise::context::{BuildContext, NoContext};
use dockwise::i18n::Lang;
use dockwise::refactor::{refactor, Outcome, Target};
use dockwise::rules::{self, Config};
use dockwise::syntax;

/// What the issue says a refactored file must not be told.
const MUST_NOT_FIRE: &[&str] = &[
    "GO101", "GO102", "GO103", "RT203", "RT206", "SEC301", "DF503",
];

fn bless() -> bool {
    std::env::var_os("DOCKWISE_BLESS").is_some()
}

fn fixture_dirs() -> Vec<PathBuf> {
    let root = common::repo_root().join("tests/refactor");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("before.Dockerfile").is_file())
        .collect();
    v.sort();
    v
}

fn context_of(dir: &Path) -> Box<dyn BuildContext> {
    let c = dir.join("context");
    if c.is_dir() {
        Box::new(FsContext::new(c))
    } else {
        Box::new(NoContext)
    }
}

/// The problems of one rewritten text (empty when it is right).
fn problems(out: &str, ctx: &dyn BuildContext, target: Target) -> Vec<String> {
    let mut p = Vec::new();
    let tree = syntax::parse(out);
    let diags = rules::check_in(out, &tree, &Config::default(), ctx, "Dockerfile").diagnostics;
    for d in &diags {
        if MUST_NOT_FIRE.contains(&d.code) {
            p.push(format!("{}: {}", d.code, d.message.en));
        }
    }
    match refactor(out, ctx, "Dockerfile", target, Lang::En) {
        Outcome::Unchanged(_) => {}
        Outcome::Rewritten(again) if again == out => {}
        other => p.push(format!("second run is not a no-op: {other:?}")),
    }
    p
}

/// BuildKit's verdict on each text: `None` when it parses, else its error.
fn buildkit_errors(
    tag: &str,
    texts: &[(String, String)],
) -> Option<BTreeMap<String, Option<String>>> {
    // One folder per caller: the tests run in parallel.
    let dir = std::env::temp_dir().join(format!("dockwise-refactor-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (i, (name, text)) in texts.iter().enumerate() {
        let f = dir.join(format!("{i}.Dockerfile"));
        std::fs::write(&f, text).unwrap();
        files.push((name.clone(), f));
    }
    let script = common::repo_root().join("tests/oracle/buildkit_dump.py");
    let out = Command::new("python3")
        .arg(&script)
        .args(files.iter().map(|(_, f)| f))
        .output()
        .expect("python3");
    if out.status.code() == Some(3) {
        if std::env::var_os("CI").is_some() {
            panic!("the oracle needs `pip install dockerfile==3.4.0`");
        }
        eprintln!("note: PyPI `dockerfile` not installed; BuildKit parse check skipped");
        return None;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    Some(
        files
            .into_iter()
            .map(|(name, f)| {
                let e = v[f.to_string_lossy().as_ref()]
                    .get("error")
                    .map(|e| e.to_string());
                (name, e)
            })
            .collect(),
    )
}

fn describe(o: &Outcome) -> String {
    match o {
        Outcome::Rewritten(_) => "rewritten".to_string(),
        Outcome::Unchanged(t) => format!("unchanged: {}", t.en),
        Outcome::Declined(t) => format!("declined: {}", t.en),
    }
}

#[test]
fn fixtures_match_and_hold() {
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 15, "only {} refactor fixtures", dirs.len());
    let mut failures = Vec::new();
    let mut outputs = Vec::new();
    let mut rewrites = 0;
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let before = std::fs::read_to_string(dir.join("before.Dockerfile")).unwrap();
        let ctx = context_of(dir);
        for target in Target::ALL {
            let outcome = refactor(&before, ctx.as_ref(), "Dockerfile", target, Lang::En);
            let docker = dir.join(format!("{}.Dockerfile", target.name()));
            let txt = dir.join(format!("{}.txt", target.name()));
            if bless() {
                let _ = std::fs::remove_file(&docker);
                let _ = std::fs::remove_file(&txt);
                match &outcome {
                    Outcome::Rewritten(t) => std::fs::write(&docker, t).unwrap(),
                    o => std::fs::write(&txt, format!("{}\n", describe(o))).unwrap(),
                }
            }
            let expected = if docker.is_file() {
                format!("rewritten\n{}", std::fs::read_to_string(&docker).unwrap())
            } else if txt.is_file() {
                std::fs::read_to_string(&txt)
                    .unwrap()
                    .trim_end()
                    .to_string()
            } else {
                failures.push(format!("{name} {}: no expectation file", target.name()));
                continue;
            };
            let got = match &outcome {
                Outcome::Rewritten(t) => format!("rewritten\n{t}"),
                o => describe(o),
            };
            if got != expected {
                failures.push(format!(
                    "{name} {}:\n--- expected\n{expected}\n--- got\n{got}",
                    target.name()
                ));
            }
            if let Outcome::Rewritten(t) = &outcome {
                rewrites += 1;
                for p in problems(t, ctx.as_ref(), target) {
                    failures.push(format!("{name} {}: {p}", target.name()));
                }
                outputs.push((format!("{name} {}", target.name()), t.clone()));
            }
            // The reasons exist in Chinese too.
            if let Outcome::Declined(en) | Outcome::Unchanged(en) = &outcome {
                assert!(
                    en.zh
                        .chars()
                        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{name}: no Chinese reason"
                );
            }
        }
    }
    if let Some(verdicts) = buildkit_errors("fixtures", &outputs) {
        for (name, e) in verdicts {
            if let Some(e) = e {
                failures.push(format!("{name}: BuildKit refuses the output: {e}"));
            }
        }
    }
    assert!(
        rewrites >= 20,
        "only {rewrites} rewrites among the fixtures"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every single-stage Go file of the corpus: each refactor rewrites it into a file that
/// holds (as above), or declines with a reason. The outcomes are a committed snapshot.
#[test]
fn corpus_single_stage_files() {
    let files = common::corpus_files();
    if files.is_empty() {
        return;
    }
    let mut report = String::from(
        "# Refactor outcomes on the corpus's single-stage Go files\n\nGenerated by `server/tests/refactor.rs` (`DOCKWISE_BLESS=1 cargo test --test refactor` updates it).\n\n| file | refactor | outcome |\n|---|---|---|\n",
    );
    let mut failures = Vec::new();
    let mut outputs = Vec::new();
    let mut singles = 0;
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(text) = String::from_utf8(std::fs::read(f).unwrap()) else {
            continue;
        };
        let tree = syntax::parse(&text);
        let single = rules::check(&text, &tree, &Config::default())
            .diagnostics
            .iter()
            .any(|d| d.code == "GO101");
        if !single {
            continue;
        }
        singles += 1;
        for target in Target::ALL {
            let o = refactor(&text, &NoContext, "Dockerfile", target, Lang::En);
            report.push_str(&format!(
                "| {name} | {} | {} |\n",
                target.name(),
                describe(&o).replace('|', "\\|")
            ));
            if let Outcome::Rewritten(t) = &o {
                for p in problems(t, &NoContext, target) {
                    failures.push(format!("{name} {}: {p}\n{t}", target.name()));
                }
                outputs.push((format!("{name} {}", target.name()), t.clone()));
            }
        }
    }
    assert!(singles > 0, "no single-stage Go file in the corpus");
    if let Some(verdicts) = buildkit_errors("corpus", &outputs) {
        for (name, e) in verdicts {
            if let Some(e) = e {
                failures.push(format!("{name}: BuildKit refuses the output: {e}"));
            }
        }
    }
    let snap = common::repo_root().join("tests/refactor/corpus.md");
    if bless() {
        std::fs::write(&snap, &report).unwrap();
    }
    let expected = std::fs::read_to_string(&snap).unwrap_or_default();
    if expected != report {
        failures.push(format!(
            "tests/refactor/corpus.md is stale (DOCKWISE_BLESS=1 to update):\n{report}"
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
