//! The core is pure: no I/O, no environment, no async runtime, no printing.

mod common;

use std::path::Path;

const CORE: &[&str] = &[
    "syntax",
    "semantic",
    "rules",
    "i18n",
    "context",
    "ide",
    "refactor",
    "document.rs",
];
const FORBIDDEN: &[&str] = &[
    "std::fs",
    "std::io::stdout",
    "std::io::stdin",
    "std::env",
    "std::process",
    "std::net",
    "println!",
    "eprintln!",
    "print!(",
    "tokio",
    "tower_lsp",
    "dbg!(",
];

fn scan(path: &Path, hits: &mut Vec<String>) {
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap().flatten() {
            scan(&e.path(), hits);
        }
        return;
    }
    if path.extension().is_none_or(|e| e != "rs") {
        return;
    }
    let text = std::fs::read_to_string(path).unwrap();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for f in FORBIDDEN {
            if code.contains(f) {
                hits.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
}

#[test]
fn core_is_pure() {
    let src = common::repo_root().join("server/src");
    let mut hits = Vec::new();
    for c in CORE {
        scan(&src.join(c), &mut hits);
    }
    assert!(hits.is_empty(), "I/O in the core:\n{}", hits.join("\n"));
}
