//! DF514: empty lines inside a continued instruction.

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "DF514",
    name: "empty-continuation",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    peers: &["NoEmptyContinuation"],
    en: RuleDoc {
        summary: "An empty line inside a continued instruction",
        what: "Flags blank lines between the lines of an instruction continued with `\\`.",
        why: "An empty line does not end the instruction: the next non-empty line is still joined to it, so `RUN a \\` followed by a blank line and `RUN b` becomes the single command `a RUN b`. BuildKit warns that these lines will become an error.",
        bad: "FROM alpine:3.20\nRUN apk add --no-cache git \\\n\n    curl\n",
        good: "FROM alpine:3.20\nRUN apk add --no-cache git \\\n    curl\n",
        fix: "Removes the empty line (safe: BuildKit ignores it).",
    },
    zh: RuleDoc {
        summary: "续行指令中出现空行",
        what: "标出用 `\\` 续行的指令中间的空行。",
        why: "空行并不会结束指令：下一个非空行仍会接在后面，于是 `RUN a \\` 加一个空行再加 `RUN b` 会变成一条命令 `a RUN b`。BuildKit 已经警告，这种写法将来会成为错误。",
        bad: "FROM alpine:3.20\nRUN apk add --no-cache git \\\n\n    curl\n",
        good: "FROM alpine:3.20\nRUN apk add --no-cache git \\\n    curl\n",
        fix: "删除该空行（安全：BuildKit 本来就忽略它）。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for i in cx.tree.instructions() {
        for s in &i.ins.empty_continuation_lines {
            let r = i.abs(*s);
            let line_end = cx.text[r.start..]
                .find('\n')
                .map_or(cx.text.len(), |n| r.start + n + 1);
            // An empty line has no characters; mark its line break so it can be seen.
            let shown = if r.is_empty() {
                r.start..line_end
            } else {
                r.clone()
            };
            sink.report(
                shown,
                text!(
                    "empty line inside a continued instruction; it does not end the instruction",
                    "续行指令中间出现空行；空行并不会结束这条指令"
                ),
            )
            .with_peer("NoEmptyContinuation")
            .with_fix(Fix::safe(
                text!("Remove the empty line", "删除空行"),
                vec![Edit::delete(r.start..line_end)],
            ));
        }
    }
}
