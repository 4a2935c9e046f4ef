//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `../shared` beside the repository (the corpus lives there, not in the repo). CI has
/// it; on a machine without it the corpus tests say so and fail only under CI.
pub fn shared_dir() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("DOCKWISE_SHARED") {
        return Some(PathBuf::from(p));
    }
    let p = repo_root().parent()?.join("shared");
    p.join("corpus/real").is_dir().then_some(p)
}

pub fn corpus_files() -> Vec<PathBuf> {
    let Some(shared) = shared_dir() else {
        if std::env::var_os("CI").is_some() {
            panic!("../shared/corpus/real is missing (set DOCKWISE_SHARED)");
        }
        eprintln!("note: ../shared/corpus/real not found; corpus checks skipped");
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = std::fs::read_dir(shared.join("corpus/real"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    v.sort();
    v
}

/// Every `*.Dockerfile` under tests/fixtures, recursively.
pub fn fixture_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![repo_root().join("tests/fixtures")];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "Dockerfile") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Reads a file as text the way the CLI does (invalid UTF-8 replaced).
pub fn read_text(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()
}
