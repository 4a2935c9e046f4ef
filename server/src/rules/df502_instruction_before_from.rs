//! DF502: only ARG (and parser directives and comments) may come before the first FROM.

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "DF502",
    name: "instruction-before-from",
    severity: Severity::Error,
    fix: FixKind::None,
    peers: &["DL3061"],
    en: RuleDoc {
        summary: "An instruction other than `ARG` comes before the first `FROM`",
        what: "Flags every instruction other than `ARG` that appears before the first `FROM`.",
        why: "Each build stage starts at a `FROM`; before it there is no image to run or configure. BuildKit fails with \"no build stage in current context\".",
        bad: "WORKDIR /app\nFROM golang:1.22\n",
        good: "FROM golang:1.22\nWORKDIR /app\n",
        fix: "None: move the instruction below the `FROM` it belongs to.",
    },
    zh: RuleDoc {
        summary: "第一个 `FROM` 之前出现了 `ARG` 以外的指令",
        what: "标出第一个 `FROM` 之前所有不是 `ARG` 的指令。",
        why: "每个构建阶段都从 `FROM` 开始，在它之前还没有镜像可以运行或配置。BuildKit 会报错“no build stage in current context”。",
        bad: "WORKDIR /app\nFROM golang:1.22\n",
        good: "FROM golang:1.22\nWORKDIR /app\n",
        fix: "无自动修复：请把该指令移到它所属的 `FROM` 之后。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for i in cx.tree.instructions() {
        if !cx.model.before_first_from.contains(&i.index) {
            continue;
        }
        let kw = i.ins.keyword_text.to_uppercase();
        sink.report(
            i.abs(i.ins.keyword_span),
            text!(
                "`{}` before the first `FROM`: only `ARG` may come before it",
                "`{}` 出现在第一个 `FROM` 之前：这里只允许 `ARG`",
                kw
            ),
        );
    }
}
