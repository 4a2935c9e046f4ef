//! SEC303: ADD of a local file that is not an archive to extract.

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "SEC303",
    name: "add-instead-of-copy",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    peers: &["DL3020"],
    en: RuleDoc {
        summary: "`ADD` used to copy local files",
        what: "Flags `ADD` whose sources are local paths that are not archives (`.tar`, `.tar.gz`, `.tgz`, …), i.e. where `COPY` does the same.",
        why: "`ADD` also fetches URLs and unpacks archives, so a reader cannot tell what it will do without checking each source, and a renamed file can silently start being extracted. `COPY` does exactly one thing.",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nADD go.mod go.sum ./\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\n",
        fix: "Replaces `ADD` with `COPY` (safe when no source is an archive or a URL and only flags `COPY` also has are used).",
    },
    zh: RuleDoc {
        summary: "用 `ADD` 复制本地文件",
        what: "标出源路径都是本地文件且不是归档文件（`.tar`、`.tar.gz`、`.tgz` 等）的 `ADD`，也就是 `COPY` 完全可以胜任的情况。",
        why: "`ADD` 还会下载 URL、自动解压归档文件，读者必须逐个检查源路径才能知道它到底会做什么；某个文件改名后，还可能在不知不觉中变成被自动解压。`COPY` 只做一件事。",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nADD go.mod go.sum ./\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\n",
        fix: "把 `ADD` 换成 `COPY`（当没有源路径是归档文件或 URL、且只用到 `COPY` 也支持的选项时，修复是安全的）。",
    },
    check,
};

const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst",
    ".gz", ".bz2", ".xz", ".zst",
];

fn is_remote(s: &str) -> bool {
    s.contains("://") || s.starts_with("git@") || s.ends_with(".git")
}

fn maybe_archive(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    ARCHIVES.iter().any(|a| l.ends_with(a)) || l.contains('$') || l.ends_with('*')
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for i in cx.tree.instructions() {
        let ins = i.onbuild_target();
        if ins.keyword != Keyword::Add {
            continue;
        }
        let words = ins.args.words();
        if words.len() < 2 && ins.heredocs.is_empty() {
            continue;
        }
        let sources = &words[..words.len().saturating_sub(1)];
        if sources
            .iter()
            .any(|s| is_remote(&s.text) || maybe_archive(&s.text))
        {
            continue;
        }
        let copy_flags = ins
            .flags
            .iter()
            .all(|f| matches!(f.name.as_str(), "chown" | "chmod" | "link" | "exclude"));
        let kw = i.abs(ins.keyword_span);
        let d = sink.report(
            kw.clone(),
            text!(
                "`ADD` of local files does what `COPY` does, plus URL fetching and archive extraction; use `COPY`",
                "用 `ADD` 复制本地文件与 `COPY` 效果相同，但 `ADD` 还会隐式下载 URL、自动解压归档；请改用 `COPY`"
            ),
        );
        if copy_flags {
            let copy = if cx.slice(kw.clone()) == cx.slice(kw.clone()).to_ascii_lowercase() {
                "copy"
            } else {
                "COPY"
            };
            d.with_fix(Fix::safe(
                text!("Use `COPY`", "改用 `COPY`"),
                vec![Edit::replace(kw, copy)],
            ));
        }
    }
}
