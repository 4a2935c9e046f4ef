//! The `dockwise check` command as a user runs it: exit codes, formats, languages,
//! directories and standard input, and the JSON schema over the whole corpus.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn dockwise() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dockwise"));
    // Tests must not depend on the machine's locale.
    c.env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env_remove("DOCKWISE_LANG");
    c
}

fn run(args: &[&str]) -> Output {
    dockwise().args(args).output().unwrap()
}

fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut child = dockwise()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dockwise-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn schema() -> jsonschema::JSONSchema {
    let text =
        std::fs::read_to_string(common::repo_root().join("docs/json-output.schema.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::JSONSchema::compile(&v).expect("schema compiles")
}

fn validate(doc: &serde_json::Value) {
    let s = schema();
    let msgs: Vec<String> = match s.validate(doc) {
        Ok(()) => Vec::new(),
        Err(errors) => errors
            .map(|e| format!("{} at {}", e, e.instance_path))
            .take(10)
            .collect(),
    };
    assert!(
        msgs.is_empty(),
        "JSON output does not match docs/json-output.schema.json:\n{}",
        msgs.join("\n")
    );
}

const CLEAN: &str = "FROM alpine:3.20\nUSER 65532:65532\nCMD [\"/app\"]\n";
const WARN: &str = "FROM alpine:3.20\nUSER 65532:65532\nCMD /app\n";

#[test]
fn whole_corpus_in_one_process_matches_the_schema() {
    let mut files: Vec<PathBuf> = common::corpus_files();
    files.extend(common::fixture_files());
    let mut args = vec!["check".to_string(), "--format".into(), "json".into()];
    args.extend(files.iter().map(|p| p.display().to_string()));
    let o = dockwise().args(&args).output().unwrap();
    let code = o.status.code().expect("not killed by a signal");
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    validate(&doc);
    assert_eq!(doc["files"].as_array().unwrap().len(), files.len());
    assert!(doc["errors"].as_array().unwrap().is_empty());
}

#[test]
fn exit_codes() {
    let d = tempdir("exit");
    std::fs::write(d.join("clean.Dockerfile"), CLEAN).unwrap();
    std::fs::write(d.join("warn.Dockerfile"), WARN).unwrap();
    let clean = d.join("clean.Dockerfile").display().to_string();
    let warn = d.join("warn.Dockerfile").display().to_string();
    assert_eq!(run(&["check", &clean]).status.code(), Some(0));
    assert_eq!(run(&["check", &warn]).status.code(), Some(1));
    assert_eq!(
        run(&["check", "--fail-level", "error", &warn])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", "--fail-level", "none", &warn]).status.code(),
        Some(0)
    );
    let missing = run(&["check", "/definitely/not/here/Dockerfile"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/definitely/not/here/Dockerfile"));
    assert_eq!(
        run(&["check", "--format", "xml", &clean]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "--lang", "fr", &clean]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "--ignore", "NOPE123", &clean]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "--ignore", "DF507", &warn]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", "--ignore", "JSONArgsRecommended", &warn])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn human_output_shows_the_line_and_a_caret() {
    let o = run_stdin(&["check", "--stdin-filename", "Dockerfile", "-"], WARN);
    assert_eq!(o.status.code(), Some(1));
    let expected = "\
warning[DF507]: `CMD` in shell form runs under `/bin/sh -c`, which does not pass signals on; use a JSON array
 --> Dockerfile:3:5
  |
3 | CMD /app
  |     ^^^^
  = fix available: Write as `[\"/app\"]`

1 file(s) checked: 0 error(s), 1 warning(s), 0 other finding(s)
";
    assert_eq!(stdout(&o), expected);
}

#[test]
fn chinese_output() {
    let o = run_stdin(&["check", "--lang", "zh", "-"], WARN);
    let s = stdout(&o);
    assert!(s.contains("警告[DF507]"), "{s}");
    assert!(s.contains("信号不会转发给程序"), "{s}");
    assert!(s.contains("已检查 1 个文件"), "{s}");
    // The locale picks the language when --lang is absent.
    let o = dockwise()
        .args(["check", "-"])
        .env("LANG", "zh_CN.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(WARN.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(stdout(&o).contains("警告[DF507]"));
}

#[test]
fn json_sarif_and_github_formats() {
    let o = run_stdin(&["check", "--format", "json", "-"], WARN);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    validate(&doc);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "DF507");
    assert_eq!(d["range"]["start"]["line"], 3);
    assert_eq!(d["range"]["start"]["column"], 5);
    assert_eq!(d["fix"]["applicability"], "safe");

    let o = run_stdin(&["check", "--format", "sarif", "-"], WARN);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "DF507");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );

    let o = run_stdin(
        &[
            "check",
            "--format",
            "github",
            "--stdin-filename",
            "a,b:c",
            "-",
        ],
        WARN,
    );
    assert_eq!(
        stdout(&o).lines().next().unwrap(),
        "::warning file=a%2Cb%3Ac,line=3,col=5,endLine=3,endColumn=9,title=dockwise DF507::`CMD` in shell form runs under `/bin/sh -c`, which does not pass signals on; use a JSON array"
    );
}

#[test]
fn directories_are_searched_for_dockerfiles() {
    let d = tempdir("walk");
    for name in [
        "Dockerfile",
        "api.Dockerfile",
        "Dockerfile.dev",
        "Containerfile",
        "README.md",
        "Dockerfile.md.bak",
    ] {
        std::fs::write(d.join(name), CLEAN).unwrap();
    }
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/Dockerfile"), CLEAN).unwrap();
    std::fs::create_dir_all(d.join(".git")).unwrap();
    std::fs::write(d.join(".git/Dockerfile"), CLEAN).unwrap();
    let o = run(&["check", "--format", "json", &d.display().to_string()]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: Vec<String> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            Path::new(f.as_str().unwrap())
                .strip_prefix(&d)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(
        files,
        vec![
            "Containerfile",
            "Dockerfile",
            "Dockerfile.dev",
            "Dockerfile.md.bak",
            "api.Dockerfile",
            "sub/Dockerfile"
        ]
    );
    let empty = tempdir("empty");
    let o = run(&["check", &empty.display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn invalid_utf8_and_binary_input_do_not_crash() {
    let d = tempdir("bytes");
    let p = d.join("Dockerfile");
    std::fs::write(
        &p,
        b"FROM alpine:3.20\nRUN echo \xff\xfe\x00\nCMD [\"/app\"]\n",
    )
    .unwrap();
    let o = run(&["check", &p.display().to_string()]);
    assert!(matches!(o.status.code(), Some(0 | 1)));
}

#[test]
fn no_arguments_runs_the_language_server_until_stdin_closes() {
    // With no command dockwise serves LSP on stdio; a closed stdin ends it cleanly.
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(0));
    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("check"));
}

#[test]
fn fix_applies_safe_fixes_idempotently_and_never_loses_data() {
    let d = tempdir("fix");
    let p = d.join("Dockerfile");
    let src = "FROM golang:1.22 as Build\nCOPY go.mod go.sum /src\nFROM alpine:3.20\nCOPY --from=buidl /app /app\nUSER 65532:65532\nCMD /app\n";
    std::fs::write(&p, src).unwrap();
    let ps = p.display().to_string();
    assert_eq!(run(&["fix", "--check", &ps]).status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        src,
        "--check must not write"
    );
    assert_eq!(run(&["fix", &ps]).status.code(), Some(0));
    let once = std::fs::read_to_string(&p).unwrap();
    assert_eq!(
        once,
        "FROM golang:1.22 AS build\nCOPY go.mod go.sum /src/\nFROM alpine:3.20\nCOPY --from=build /app /app\nUSER 65532:65532\nCMD [\"/app\"]\n"
    );
    assert_eq!(run(&["fix", &ps]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        once,
        "a second run changes nothing"
    );
    assert_eq!(run(&["check", &ps]).status.code(), Some(0));

    // Standard input: the result goes to stdout.
    let o = run_stdin(&["fix", "-"], "FROM alpine:3.20\nENV A 1\nUSER 1\n");
    assert_eq!(stdout(&o), "FROM alpine:3.20\nENV A=1\nUSER 1\n");

    // Invalid UTF-8 is never rewritten.
    let bad = d.join("bad.Dockerfile");
    let bytes = b"FROM alpine:3.20\nENV A 1\nRUN echo \xff\n".to_vec();
    std::fs::write(&bad, &bytes).unwrap();
    assert_eq!(
        run(&["fix", &bad.display().to_string()]).status.code(),
        Some(2)
    );
    assert_eq!(std::fs::read(&bad).unwrap(), bytes);
}

#[test]
fn explain_and_rules() {
    let o = run(&["explain", "GO101"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("# GO101 single-stage-go-image"));
    let o = run(&["explain", "DL3006", "--lang", "zh"]);
    assert!(stdout(&o).contains("# RT201 floating-base-tag") && stdout(&o).contains("## 作用"));
    assert_eq!(run(&["explain", "NOPE"]).status.code(), Some(2));
    let o = run(&["rules", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), dockwise::rules::REGISTRY.len());
    assert!(codes.contains(&"SEC301") && codes.contains(&"CTX401"));
}

#[test]
fn configuration_file() {
    let d = tempdir("config");
    std::fs::write(d.join("Dockerfile"), WARN).unwrap();
    let dir = d.display().to_string();
    std::fs::write(
        d.join("dockwise.toml"),
        "language = \"zh\"\n[severity]\nDF507 = \"error\"\n",
    )
    .unwrap();
    let o = run(&["check", &dir]);
    assert!(stdout(&o).contains("错误[DF507]"), "{}", stdout(&o));
    assert_eq!(
        run(&["check", "--fail-level", "error", &dir]).status.code(),
        Some(1)
    );
    std::fs::write(
        d.join("dockwise.toml"),
        "ignore = [\"JSONArgsRecommended\"]\n",
    )
    .unwrap();
    assert_eq!(run(&["check", &dir]).status.code(), Some(0));
    assert_eq!(run(&["check", "--no-config", &dir]).status.code(), Some(1));
    std::fs::write(d.join("dockwise.toml"), "ignore = [\"NOPE\"]\n").unwrap();
    let o = run(&["check", &dir]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown rule `NOPE`"));
}

#[test]
fn refactor_prints_writes_and_declines() {
    let dir = tempdir("refactor");
    let f = dir.join("Dockerfile");
    let single = "FROM golang:1.22-alpine\nWORKDIR /app\nCOPY . .\nRUN go build -o main .\nCMD [\"./main\"]\n";
    std::fs::write(&f, single).unwrap();
    let path = f.to_str().unwrap();

    // Printed, the file untouched.
    let o = run(&["refactor", "to-multi-stage", path]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let out = stdout(&o);
    assert!(
        out.contains("AS builder") && out.contains("FROM alpine:"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&f).unwrap(), single);

    // Written; a second run has nothing to do and says so.
    let o = run(&["refactor", "to-scratch", path, "--write"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let written = std::fs::read_to_string(&f).unwrap();
    assert!(written.contains("FROM scratch"), "{written}");
    let o = run(&["refactor", "to-scratch", path, "--write", "--lang", "zh"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("无需改动"),
        "{o:?}"
    );
    assert_eq!(std::fs::read_to_string(&f).unwrap(), written);

    // Declined: exit 3 with the reason, in the chosen language; standard input works.
    let o = run_stdin(
        &["refactor", "to-multi-stage", "-", "--lang", "zh"],
        "FROM alpine:3.20\nRUN echo hi\n",
    );
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("没有找到"),
        "{o:?}"
    );
    assert!(o.stdout.is_empty());

    // GO101's unsafe fix is the same rewrite; the other fixes apply to its result.
    let o = run_stdin(&["fix", "--unsafe", "-"], single);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let fixed = stdout(&o);
    assert!(
        fixed.contains("AS builder") && fixed.contains("FROM alpine:"),
        "{fixed}"
    );
    assert_eq!(fixed.matches("adduser").count(), 1, "{fixed}");
    let o = run_stdin(&["check", "-", "--format", "json"], &fixed);
    assert!(!stdout(&o).contains("GO101"), "{}", stdout(&o));

    // A folder means the Dockerfile in it; a folder without one is a usage error.
    let o = run(&["refactor", "to-scratch", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(stdout(&o), written);
    let empty = tempdir("refactor-empty");
    let o = run(&["refactor", "to-scratch", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no Dockerfile"),
        "{o:?}"
    );

    // Usage errors: exit 2.
    assert_eq!(run(&["refactor", "to-wasm", path]).status.code(), Some(2));
    assert_eq!(
        run(&["refactor", "to-scratch", "-", "--write"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["refactor", "to-scratch", "/nonexistent/Dockerfile"])
            .status
            .code(),
        Some(2)
    );
}

/// A client that initializes, opens a file, asks something and then goes away without
/// `shutdown`/`exit`: the server must notice the closed stdin and exit (no orphan).
#[test]
fn server_exits_when_an_initialized_client_disappears() {
    let mut child = dockwise()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let frame = |v: serde_json::Value| {
        let b = v.to_string();
        format!("Content-Length: {}\r\n\r\n{}", b.len(), b)
    };
    let msgs = [
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
        serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///tmp/x/Dockerfile", "languageId": "dockerfile", "version": 1, "text": "FROM golang:1.22\nRUN go build -o /app .\n"}}}),
        serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": {"uri": "file:///tmp/x/Dockerfile"}, "position": {"line": 0, "character": 1}}}),
    ];
    for m in msgs {
        stdin.write_all(frame(m).as_bytes()).unwrap();
    }
    stdin.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    drop(stdin);
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        if start.elapsed() > std::time::Duration::from_secs(10) {
            let _ = child.kill();
            panic!("the server kept running after its client went away");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
