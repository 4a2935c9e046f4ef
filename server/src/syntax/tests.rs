use super::*;

fn instrs(text: &str) -> Vec<(String, String)> {
    let t = parse(text);
    t.instructions()
        .map(|i| (i.ins.keyword_text.to_string(), i.ins.args_text()))
        .collect()
}

fn tiles(text: &str) {
    let t = parse(text);
    let mut pos = 0;
    for it in t.items() {
        assert_eq!(it.start as usize, pos, "gap or overlap in {text:?}");
        assert!(it.node.len > 0, "empty node in {text:?}");
        pos += it.node.len as usize;
    }
    assert_eq!(pos, text.len());
}

#[test]
fn basic_instructions() {
    let text = "FROM golang:1.22 AS builder\nRUN go build -o /app .\n";
    tiles(text);
    assert_eq!(
        instrs(text),
        vec![
            ("FROM".into(), "golang:1.22 AS builder".into()),
            ("RUN".into(), "go build -o /app .".into())
        ]
    );
}

#[test]
fn continuation_with_comments_and_empty_lines() {
    let text = "RUN a \\\n  # note\n\n    b\nCMD x\n";
    tiles(text);
    let t = parse(text);
    let i = t.instructions().next().unwrap();
    assert_eq!(i.ins.args_text(), "a     b");
    assert_eq!(i.ins.comments.len(), 1);
    assert_eq!(i.ins.empty_continuation_lines.len(), 1);
    assert_eq!(t.instructions().count(), 2);
}

#[test]
fn escape_directive_backtick() {
    let text = "# escape=`\nFROM x\nRUN a `\n  b\\\nCMD c\n";
    tiles(text);
    let t = parse(text);
    assert_eq!(t.escape(), '`');
    let v: Vec<_> = t.instructions().map(|i| i.ins.args_text()).collect();
    assert_eq!(v, vec!["x", "a   b\\", "c"]);
}

#[test]
fn heredocs() {
    let text = "RUN <<EOF cat <<-\"EOT\"\necho hi\nEOF\n\tbye\n\tEOT\nCMD x\n";
    tiles(text);
    let t = parse(text);
    let i = t.instructions().next().unwrap();
    assert_eq!(i.ins.heredocs.len(), 2);
    assert_eq!(i.ins.heredocs[0].name, "EOF");
    assert_eq!(i.ins.heredocs[0].content, "echo hi\n");
    assert!(i.ins.heredocs[0].expand);
    assert_eq!(i.ins.heredocs[1].name, "EOT");
    assert!(!i.ins.heredocs[1].expand);
    assert!(i.ins.heredocs[1].chomp);
    assert_eq!(t.instructions().count(), 2);
}

#[test]
fn unterminated_heredoc_is_an_error_node() {
    let text = "RUN <<EOF\necho\n";
    tiles(text);
    let t = parse(text);
    let i = t.instructions().next().unwrap();
    assert!(matches!(
        i.ins.errors[0].kind,
        ErrorKind::UnterminatedHeredoc { .. }
    ));
}

#[test]
fn exec_and_shell_forms() {
    let t = parse("CMD [\"./app\", \"-x\"]\nCMD [\"./app\"]%\nCMD ['a']\nRUN [\"a\", 1]\n");
    let v: Vec<_> = t.instructions().collect();
    assert!(v[0].ins.is_exec_form());
    assert_eq!(v[0].ins.args.words()[1].text, "-x");
    assert!(!v[1].ins.is_exec_form());
    assert!(!v[2].ins.is_exec_form());
    assert!(matches!(v[3].ins.errors[0].kind, ErrorKind::NotStringArray));
}

#[test]
fn env_forms() {
    let t = parse("ENV A=1 B=\"x y\"\nENV C d e\nENV A=\nENV X\nENV A=1 B\n");
    let v: Vec<_> = t.instructions().collect();
    match &v[0].ins.args {
        Args::Pairs { pairs, legacy } => {
            assert!(!legacy);
            assert_eq!(pairs[1].key.text, "B");
            assert_eq!(pairs[1].value.as_ref().unwrap().text, "\"x y\"");
        }
        a => panic!("{a:?}"),
    }
    match &v[1].ins.args {
        Args::Pairs { pairs, legacy } => {
            assert!(legacy);
            assert_eq!(pairs[0].value.as_ref().unwrap().text, "d e");
        }
        a => panic!("{a:?}"),
    }
    assert!(v[2].ins.errors.is_empty());
    assert!(matches!(
        v[3].ins.errors[0].kind,
        ErrorKind::LegacyNeedsValue
    ));
    assert!(matches!(
        v[4].ins.errors[0].kind,
        ErrorKind::MissingEquals { .. }
    ));
}

#[test]
fn flags_with_parts() {
    let text = "RUN --mount=type=cache,target=/go/pkg/mod go mod download\n";
    let t = parse(text);
    let i = t.instructions().next().unwrap();
    let f = &i.ins.flags[0];
    assert_eq!(f.name, "mount");
    assert_eq!(
        &text[i.abs(f.span)],
        "--mount=type=cache,target=/go/pkg/mod"
    );
    let p = f.part("target").unwrap();
    assert_eq!(&text[i.abs(p.value_span.unwrap())], "/go/pkg/mod");
    assert_eq!(i.ins.args_text(), "go mod download");
}

#[test]
fn unknown_instruction_suggests() {
    let t = parse("FORM golang\n");
    let i = t.instructions().next().unwrap();
    match &i.ins.errors[0].kind {
        ErrorKind::UnknownInstruction { suggestion, .. } => assert_eq!(*suggestion, Some("FROM")),
        k => panic!("{k:?}"),
    }
}

#[test]
fn onbuild_and_healthcheck() {
    let t = parse("ONBUILD RUN go build\nHEALTHCHECK --interval=5s CMD curl -f x || exit 1\nHEALTHCHECK NONE\n");
    let v: Vec<_> = t.instructions().collect();
    assert_eq!(v[0].ins.onbuild_inner().unwrap().keyword, Keyword::Run);
    assert!(v[1].ins.errors.is_empty(), "{:?}", v[1].ins.errors);
    assert!(v[2].ins.errors.is_empty());
}

#[test]
fn crlf_bom_and_odd_bytes() {
    for text in [
        "\u{feff}FROM x\r\nRUN a \\\r\n  b\r\n",
        "\r\r\n\n",
        "\\",
        "RUN \\",
        "#",
        "# escape=x\nFROM a\n",
        "RUN <<",
        "FROM 中文 AS 🙂\n\tRUN\t1",
        "\u{feff}",
        "ONBUILD ONBUILD ONBUILD x",
        "COPY --=x\n",
        "COPY \"--a\"\n",
    ] {
        tiles(text);
    }
    let t = parse("\u{feff}FROM x\r\nRUN a \\\r\n  b\r\n");
    let v: Vec<_> = t.instructions().collect();
    assert_eq!(v[0].ins.keyword, Keyword::From);
    assert_eq!(v[1].ins.args_text(), "a   b");
}
