//! DF516: several sources copied to a destination that is not a directory.

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "DF516",
    name: "copy-multiple-sources-dest",
    severity: Severity::Error,
    fix: FixKind::Safe,
    peers: &["DL3021"],
    en: RuleDoc {
        summary: "`COPY`/`ADD` with several sources needs a destination ending in `/`",
        what: "Flags `COPY` and `ADD` with two or more sources whose destination does not end with `/` (`.` and `..` are directories already and pass).",
        why: "With several sources the destination has to be a directory, and only a trailing `/` says so: the classic builder refuses anything else (\"When using COPY with more than one source file, the destination must be a directory and end with a /\"), and a reader cannot tell whether `/app/bin` is meant as a file or a folder.",
        bad: "FROM golang:1.22\nCOPY go.mod go.sum /src\n",
        good: "FROM golang:1.22\nCOPY go.mod go.sum /src/\n",
        fix: "Appends `/` to the destination (safe: a destination that receives several files is a directory).",
    },
    zh: RuleDoc {
        summary: "有多个源路径的 `COPY`/`ADD`，目标路径必须以 `/` 结尾",
        what: "标出有两个或更多源路径、但目标路径不以 `/` 结尾的 `COPY` 和 `ADD`（`.` 和 `..` 本身就是目录，不会被标出）。",
        why: "有多个源路径时，目标只能是目录，而只有结尾的 `/` 能把这一点写明白：经典构建器遇到其他写法会直接报错（“When using COPY with more than one source file, the destination must be a directory and end with a /”），读的人也分不清 `/app/bin` 指的是文件还是目录。",
        bad: "FROM golang:1.22\nCOPY go.mod go.sum /src\n",
        good: "FROM golang:1.22\nCOPY go.mod go.sum /src/\n",
        fix: "在目标路径末尾加上 `/`（安全：要接收多个文件的目标本来就是目录）。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for i in cx.tree.instructions() {
        let ins = i.onbuild_target();
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let words = ins.args.words();
        // After a stray `--` the flag became a "source"; DF515 reports that instead.
        if words.len() < 3 || ins.flag_terminator.is_some() {
            continue;
        }
        let dest = &words[words.len() - 1];
        let d = dest.text.as_str();
        // `.` and `..` (alone or at the end of a path) can only be directories: BuildKit
        // copies into them (it reads `.` as `./`).
        let last = d.rsplit(['/', '\\']).next().unwrap_or(d);
        if d.ends_with('/') || d.ends_with('\\') || d.contains('$') || matches!(last, "." | "..") {
            continue;
        }
        let r = i.abs(dest.span);
        // In exec form the span includes the closing quote.
        let at = if ins.is_exec_form() {
            r.end.saturating_sub(1)
        } else {
            r.end
        };
        let n = words.len() - 1;
        sink.report(
            r,
            text!(
                "{} sources are copied to `{}`, which must be a directory ending in `/`",
                "把 {} 个源路径复制到 `{}`，目标必须是以 `/` 结尾的目录",
                n,
                d
            ),
        )
        .with_fix(Fix::safe(
            text!("Write `{}/`", "改为 `{}/`", d),
            vec![Edit::insert(at, "/")],
        ));
    }
}
