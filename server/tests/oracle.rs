//! Oracle test: our instruction list equals what BuildKit's own parser (PyPI `dockerfile`,
//! BuildKit v0.12.5) reports, for every corpus file and every fixture. Each known
//! disagreement is listed below with its reason; an unlisted one fails, and so does a
//! listed one that no longer happens.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use dockwise::syntax::{self, Args, Instruction, Keyword};
use serde_json::{json, Value};

/// (file name, reason). The oracle is an old BuildKit; where current BuildKit (which
/// dockwise follows) behaves differently, the file is listed here.
const KNOWN: &[(&str, &str)] = &[
    (
        "diegofernandes__k8s-facef__Dockerfile.Dockerfile",
        "`CMD [\"./app\"]%`: BuildKit v0.12.5 decodes the JSON prefix and ignores the rest; \
         current BuildKit (json.Unmarshal) and dockwise treat it as shell form",
    ),
    (
        "df507_json_args_recommended.Dockerfile",
        "`CMD [\"./app\"]%`: exec form in BuildKit v0.12.5, shell form in current BuildKit",
    ),
    (
        "json_forms.Dockerfile",
        "JSON array followed by text: exec form in v0.12.5, shell form in current BuildKit",
    ),
    (
        "check_before_escape.Dockerfile",
        "v0.12.5 does not know `# check=`, so it stops reading directives there and ignores \
         the `# escape=` after it; current BuildKit honours both",
    ),
    (
        "err_comments_only.Dockerfile",
        "BuildKit refuses a file with no instructions; dockwise parses it to no \
         instructions (an empty buffer in an editor is not an error)",
    ),
];

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn values(ins: &Instruction) -> Vec<String> {
    match &ins.args {
        Args::Empty => {
            if ins.keyword == Keyword::Unknown {
                vec![String::new()]
            } else {
                vec![]
            }
        }
        Args::Exec(w) | Args::List(w) => w.iter().map(|w| w.text.to_string()).collect(),
        Args::Shell(w) => vec![w.text.to_string()],
        Args::Text(_) if ins.keyword == Keyword::Onbuild => vec![String::new()],
        Args::Text(w) => {
            if ins.keyword == Keyword::Unknown {
                vec![String::new()]
            } else {
                vec![w.text.to_string()]
            }
        }
        Args::Pairs { pairs, .. } => {
            if ins.keyword == Keyword::Arg {
                pairs.iter().map(ins_text).collect()
            } else {
                pairs
                    .iter()
                    .flat_map(|p| {
                        [
                            p.key.text.to_string(),
                            p.value
                                .as_ref()
                                .map(|v| v.text.to_string())
                                .unwrap_or_default(),
                        ]
                    })
                    .collect()
            }
        }
        Args::Healthcheck(h) => {
            let mut v = vec![h.kind.text.to_string()];
            if let Some(c) = &h.cmd {
                match c.as_ref() {
                    Args::Exec(w) => v.extend(w.iter().map(|w| w.text.to_string())),
                    Args::Shell(w) => v.push(w.text.to_string()),
                    _ => {}
                }
            }
            v
        }
        // The binding shows a nested ONBUILD's trigger as one empty value.
        Args::OnBuild(inner) if inner.keyword == Keyword::Onbuild => vec![String::new()],
        Args::OnBuild(inner) => values(inner),
    }
}

fn ins_text(p: &syntax::KeyValue) -> String {
    match &p.value {
        Some(v) => format!("{}={}", p.key.text, v.text),
        None => p.key.text.to_string(),
    }
}

fn ours(text: &str) -> (Vec<Value>, bool) {
    let tree = syntax::parse(text);
    let mut has_error = tree.directives().any(|(_, d)| d.error.is_some());
    let mut out = Vec::new();
    for i in tree.instructions() {
        let ins = i.ins;
        has_error |=
            !ins.errors.is_empty() || ins.onbuild_inner().is_some_and(|x| !x.errors.is_empty());
        let inner = ins.onbuild_inner();
        let shown = inner.unwrap_or(ins);
        let end = i.start + i.len;
        let heredocs: Vec<Value> = if inner.is_some() {
            vec![] // the binding drops ONBUILD heredocs
        } else {
            ins.heredocs
                .iter()
                .map(|h| json!({"name": h.name, "content": h.content}))
                .collect()
        };
        out.push(json!({
            "cmd": ins.keyword_text.to_lowercase().to_string(),
            "start_line": line_of(text, i.start),
            "end_line": line_of(text, end.saturating_sub(1).max(i.start)),
            "flags": ins.flags.iter().map(|f| f.raw.to_string()).collect::<Vec<_>>(),
            "json": shown.is_exec_form(),
            "value": values(shown),
            "heredocs": heredocs,
            "sub_cmd": inner.map(|x| x.keyword_text.to_lowercase().to_string()),
        }));
    }
    (out, has_error)
}

fn strip(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("original");
    }
    v
}

#[test]
fn parser_agrees_with_buildkit() {
    let mut files: Vec<PathBuf> = common::corpus_files();
    files.extend(common::fixture_files());
    assert!(!files.is_empty());
    let script = common::repo_root().join("tests/oracle/buildkit_dump.py");
    let out = match Command::new("python3").arg(&script).args(&files).output() {
        Ok(o) => o,
        Err(e) => panic!("cannot run python3: {e}"),
    };
    if out.status.code() == Some(3) {
        if std::env::var_os("CI").is_some() {
            panic!("the oracle needs `pip install dockerfile==3.4.0`");
        }
        eprintln!("note: PyPI `dockerfile` not installed; oracle test skipped");
        return;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let oracle: BTreeMap<String, Value> = serde_json::from_slice(&out.stdout).unwrap();

    let mut disagreements = BTreeMap::new();
    let mut compared = 0;
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let text = common::read_text(f);
        let (mine, has_error) = ours(&text);
        let o = &oracle[&f.to_string_lossy().to_string()];
        let problem = if let Some(err) = o.get("error") {
            (!has_error).then(|| format!("BuildKit refuses it ({err}); we found no error"))
        } else {
            let theirs: Vec<Value> = o["ok"].as_array().unwrap().iter().map(strip).collect();
            compared += theirs.len();
            if theirs.len() != mine.len() {
                Some(format!(
                    "{} instructions, BuildKit has {}",
                    mine.len(),
                    theirs.len()
                ))
            } else {
                mine.iter()
                    .zip(&theirs)
                    .find(|(a, b)| a != b)
                    .map(|(a, b)| format!("ours {a}\nBuildKit {b}"))
            }
        };
        if let Some(p) = problem {
            disagreements.insert(name, p);
        }
    }
    let mut report = String::new();
    for (name, p) in &disagreements {
        if !KNOWN.iter().any(|(k, _)| k == name) {
            report.push_str(&format!("UNEXPECTED {name}:\n{p}\n\n"));
        }
    }
    for (k, why) in KNOWN {
        if !disagreements.contains_key(*k) {
            report.push_str(&format!(
                "STALE known disagreement {k} ({why}) no longer happens\n"
            ));
        }
    }
    assert!(report.is_empty(), "{report}");
    assert!(compared > 1000, "only {compared} instructions compared");
}
