//! The formatter over every corpus file and fixture: it is never refused (a refusal means
//! a layout change would have changed the build — a formatter bug), it is idempotent, and
//! `dockwise fmt --check` agrees with it.

mod common;

use dockwise::ide::format;
use dockwise::syntax;

#[test]
fn formats_every_real_file_without_changing_it_and_idempotently() {
    let mut files = common::corpus_files();
    files.extend(common::fixture_files());
    assert!(!files.is_empty());
    let mut changed = 0;
    let mut refused = Vec::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let tree = syntax::parse(&text);
        match format::formatted(&text, &tree) {
            Ok(once) => {
                if once != text {
                    changed += 1;
                }
                let twice = format::formatted(&once, &syntax::parse(&once))
                    .expect("formatting formatted text was refused");
                assert_eq!(twice, once, "not idempotent: {}", f.display());
            }
            Err(_) => refused.push(f.display().to_string()),
        }
    }
    assert!(refused.is_empty(), "formatting refused on {refused:#?}");
    eprintln!("{changed} of {} files would be reformatted", files.len());
}

#[test]
fn fmt_command_checks_writes_and_reads_stdin() {
    let dir = std::env::temp_dir().join(format!("dockwise-fmt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("Dockerfile");
    std::fs::write(
        &file,
        "from alpine:3.20  \nrun apk add curl \\\n  && true\n",
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_dockwise");
    let check = std::process::Command::new(bin)
        .args(["fmt", "--check", "--lang", "en"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stderr).contains("not formatted"));
    let write = std::process::Command::new(bin)
        .args(["fmt", "--lang", "zh"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(write.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&write.stderr).contains("已格式化"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "FROM alpine:3.20\nRUN apk add curl \\\n    && true\n"
    );
    let again = std::process::Command::new(bin)
        .args(["fmt", "--check"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    let mut child = std::process::Command::new(bin)
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"workdir /src")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "WORKDIR /src\n");
    let _ = std::fs::remove_dir_all(&dir);
}
