//! DF508: more than one CMD, ENTRYPOINT or HEALTHCHECK in a stage.

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "DF508",
    name: "multiple-instructions",
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    peers: &["MultipleInstructionsDisallowed", "DL4003", "DL4004", "DL3012"],
    en: RuleDoc {
        summary: "A stage has several `CMD`, `ENTRYPOINT` or `HEALTHCHECK` instructions",
        what: "Flags each `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that a later one in the same stage overrides.",
        why: "Only the last one takes effect. The earlier ones are dead code that misleads the reader about how the container starts or is checked.",
        bad: "FROM alpine:3.20\nCMD [\"/app\", \"serve\"]\nCMD [\"/app\"]\n",
        good: "FROM alpine:3.20\nCMD [\"/app\"]\n",
        fix: "Removes the overridden instruction (unsafe: make sure the last one is the one you want).",
    },
    zh: RuleDoc {
        summary: "同一阶段中有多条 `CMD`、`ENTRYPOINT` 或 `HEALTHCHECK`",
        what: "标出被同一阶段中后面同类指令覆盖掉的 `CMD`、`ENTRYPOINT` 或 `HEALTHCHECK`。",
        why: "只有最后一条生效。前面的指令是死代码，会误导读者对容器启动方式或健康检查方式的理解。",
        bad: "FROM alpine:3.20\nCMD [\"/app\", \"serve\"]\nCMD [\"/app\"]\n",
        good: "FROM alpine:3.20\nCMD [\"/app\"]\n",
        fix: "删除被覆盖的指令（不安全：请确认最后一条正是你想要的）。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for stage in &cx.model.stages {
        for kw in [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck] {
            let these: Vec<InstrRef<'_>> = cx
                .stage_instrs(stage.index)
                .filter(|i| i.ins.keyword == kw)
                .collect();
            let Some(last) = these.last() else { continue };
            for i in &these[..these.len() - 1] {
                let name = kw.as_str();
                let line_range = i.range();
                sink.report(
                    i.line_range(),
                    text!(
                        "this `{}` is overridden by a later `{}` in the same stage; only the last one takes effect",
                        "此 `{}` 会被同一阶段后面的 `{}` 覆盖，只有最后一条生效",
                        name,
                        name
                    ),
                )
                .with_tag(Tag::Unnecessary)
                .with_related(last.line_range(), text!("the one that takes effect", "实际生效的指令"))
                .with_fix(Fix::unsafe_(
                    text!("Remove this `{}`", "删除这条 `{}`", name),
                    vec![Edit::delete(line_range)],
                ));
            }
        }
    }
}
