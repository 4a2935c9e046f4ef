//! The rule × file table over the real-world corpus (../shared/corpus/real), checked
//! against the hand labels of its NOTES.md and kept as a committed snapshot
//! (tests/corpus_report.md; regenerate with `DOCKWISE_BLESS=1 cargo test --test corpus_report`).
//!
//! What must hold:
//! - no GO rule fires on a file NOTES.md files under "non-go";
//! - files tagged toolchain-ok, runtime-only, ci-only or cgo-needed get no GO101, GO103,
//!   GO105 or GO110, and cgo-needed files get no "build with CGO_ENABLED=0" fix;
//! - every tag below that NOTES.md gives a Go file is found by its rule, except the
//!   misses listed in `KNOWN_MISSES` with their reason.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use dockwise::rules::{self, Config};
use dockwise::syntax;

/// Tag → the rules that find it.
const TAG_RULES: &[(&str, &[&str])] = &[
    ("copy-before-deps", &["GO102"]),
    ("toolchain-runtime", &["GO101"]),
    ("cgo-libc-risk", &["GO103"]),
    ("shell-no-shell", &["RT203"]),
    ("legacy-flags", &["GO106"]),
    ("float-tag", &["RT201"]),
    ("root", &["SEC301"]),
    ("add-not-copy", &["SEC303"]),
    ("no-certs", &["RT204"]),
    ("no-cache-mount", &["GO110"]),
    ("legacy-syntax", &["DF510", "DF511"]),
    ("casing", &["DF506"]),
    ("shell-form", &["DF507", "RT203"]),
];

/// (file, tag, why dockwise does not find it).
const KNOWN_MISSES: &[(&str, &str, &str)] = &[
    (
        "gogs__gogs__Dockerfile.Dockerfile",
        "toolchain-runtime",
        "the Go toolchain is installed by docker/build.sh, a script outside the Dockerfile; \
         nothing in the file shows Go is there",
    ),
    (
        "gucarletto__go-blockchain-tutorial__Dockerfile.Dockerfile",
        "cgo-libc-risk",
        "the binary is copied with `COPY -- from=build`, which BuildKit reads as a copy from \
         the build context, not from the stage; DF515 reports the broken flag instead",
    ),
];

const QUIET_TAGS: &[&str] = &["toolchain-ok", "runtime-only", "ci-only", "cgo-needed"];
const QUIET_RULES: &[&str] = &["GO101", "GO103", "GO105", "GO110"];

struct Labels {
    section: String,
    tags: Vec<String>,
}

fn notes(shared: &std::path::Path) -> BTreeMap<String, Labels> {
    let text = std::fs::read_to_string(shared.join("corpus/real/NOTES.md")).unwrap();
    let mut out = BTreeMap::new();
    let mut section = String::new();
    for line in text.lines() {
        if let Some(s) = line.strip_prefix("## ") {
            section = s.trim().to_string();
            continue;
        }
        let Some(rest) = line.strip_prefix("- `") else {
            continue;
        };
        let Some((file, after)) = rest.split_once('`') else {
            continue;
        };
        let tags = after
            .trim_start_matches(" - ")
            .strip_prefix('[')
            .and_then(|t| t.split_once(']'))
            .map(|(t, _)| t.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        out.insert(
            file.to_string(),
            Labels {
                section: section.clone(),
                tags,
            },
        );
    }
    out
}

#[test]
fn corpus_report_agrees_with_notes() {
    let files = common::corpus_files();
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let labels = notes(&shared);
    assert_eq!(
        labels.len(),
        files.len(),
        "NOTES.md and the corpus disagree on the files"
    );

    // file → code → count, and the fixes offered.
    let mut table: BTreeMap<String, BTreeMap<&'static str, usize>> = BTreeMap::new();
    let mut problems = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let text = common::read_text(f);
        let tree = syntax::parse(&text);
        let diags = rules::check(&text, &tree, &Config::default()).diagnostics;
        let row = table.entry(name.clone()).or_default();
        for d in &diags {
            *row.entry(d.code).or_default() += 1;
        }
        let Some(l) = labels.get(&name) else {
            problems.push(format!("{name}: not in NOTES.md"));
            continue;
        };
        if l.section == "non-go" {
            for code in row.keys().filter(|c| c.starts_with("GO")) {
                problems.push(format!("{name}: {code} fires on a non-Go file"));
            }
        }
        if l.tags.iter().any(|t| QUIET_TAGS.contains(&t.as_str())) {
            for code in row.keys().filter(|c| QUIET_RULES.contains(c)) {
                problems.push(format!("{name} ({:?}): {code} must stay quiet", l.tags));
            }
        }
        if l.tags.iter().any(|t| t == "cgo-needed") {
            let disables = diags.iter().any(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| f.edits.iter().any(|e| e.text.contains("CGO_ENABLED=0")))
            });
            if disables {
                problems.push(format!(
                    "{name}: offers CGO_ENABLED=0 although cgo is needed"
                ));
            }
        }
        for (tag, codes) in TAG_RULES {
            if !l.tags.iter().any(|t| t == tag) {
                continue;
            }
            let found = codes.iter().any(|c| row.contains_key(c));
            let known = KNOWN_MISSES.iter().any(|(f, t, _)| *f == name && t == tag);
            if !found && !known {
                problems.push(format!("{name}: tag {tag} not found by {codes:?}"));
            }
            if found && known {
                problems.push(format!(
                    "{name}: {tag} is found now; remove it from KNOWN_MISSES"
                ));
            }
        }
    }

    // Precision and recall per tagged rule, over the Go files (go-single, go-multi, odd).
    let mut stats = String::new();
    stats.push_str("| tag | rule | found | missed | fired without the tag | precision | recall |\n|---|---|---|---|---|---|---|\n");
    for (tag, codes) in TAG_RULES {
        let (mut tp, mut fneg, mut fpos) = (0, 0, 0);
        for (file, row) in &table {
            let Some(l) = labels.get(file) else { continue };
            if l.section == "non-go" {
                continue;
            }
            let tagged = l.tags.iter().any(|t| t == tag);
            let fired = codes.iter().any(|c| row.contains_key(c));
            match (tagged, fired) {
                (true, true) => tp += 1,
                (true, false) => fneg += 1,
                (false, true) => fpos += 1,
                _ => {}
            }
        }
        let p = if tp + fpos == 0 {
            "–".to_string()
        } else {
            format!("{:.0}%", 100.0 * tp as f64 / (tp + fpos) as f64)
        };
        let r = if tp + fneg == 0 {
            "–".to_string()
        } else {
            format!("{:.0}%", 100.0 * tp as f64 / (tp + fneg) as f64)
        };
        stats.push_str(&format!(
            "| {tag} | {} | {tp} | {fneg} | {fpos} | {p} | {r} |\n",
            codes.join("/")
        ));
    }

    // The snapshot: the table, the statistics, the known misses.
    let codes: BTreeSet<&str> = table.values().flat_map(|r| r.keys().copied()).collect();
    let mut report = String::from(
        "<!-- Generated by server/tests/corpus_report.rs; regenerate with `DOCKWISE_BLESS=1 cargo test --test corpus_report`. -->\n\
         # dockwise over the real-world corpus\n\n\
         Findings per file and rule (no build context: the corpus holds Dockerfiles only).\n\n",
    );
    report.push_str("| file | NOTES section | ");
    report.push_str(&codes.iter().copied().collect::<Vec<_>>().join(" | "));
    report.push_str(" |\n|---|---|");
    report.push_str(&"---|".repeat(codes.len()));
    report.push('\n');
    for (file, row) in &table {
        let section = labels.get(file).map_or("?", |l| l.section.as_str());
        report.push_str(&format!(
            "| {} | {section} |",
            file.trim_end_matches(".Dockerfile")
        ));
        for c in &codes {
            match row.get(c) {
                Some(n) => report.push_str(&format!(" {n} |")),
                None => report.push_str(" |"),
            }
        }
        report.push('\n');
    }
    report.push_str("\n## Agreement with the hand labels (Go files)\n\n");
    report.push_str(&stats);
    report.push_str("\n\"Fired without the tag\" counts files where the rule fires but NOTES.md does not name the tag; NOTES.md lists what an expert would flag first, not every finding, so this is an upper bound on false positives.\n\n## Known misses\n\n");
    for (f, t, why) in KNOWN_MISSES {
        report.push_str(&format!("- `{f}` — {t}: {why}\n"));
    }

    let path = common::repo_root().join("tests/corpus_report.md");
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if std::env::var_os("DOCKWISE_BLESS").is_some() {
        std::fs::write(&path, &report).unwrap();
    } else if have != report {
        problems.push(
            "tests/corpus_report.md is stale: run `DOCKWISE_BLESS=1 cargo test --test corpus_report` and review the diff".into(),
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
