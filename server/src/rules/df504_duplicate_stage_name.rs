//! DF504: two stages with the same name (compared case-insensitively, as BuildKit does).

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "DF504",
    name: "duplicate-stage-name",
    severity: Severity::Error,
    fix: FixKind::None,
    peers: &["DuplicateStageName", "DL3024"],
    en: RuleDoc {
        summary: "Two stages have the same name",
        what: "Flags a `FROM ... AS name` whose name (ignoring case) an earlier stage already uses.",
        why: "BuildKit refuses duplicate stage names, and even where a tool accepts them, `COPY --from=name` could only mean one of the stages.",
        bad: "FROM golang:1.22 AS build\nFROM alpine:3.20 AS build\n",
        good: "FROM golang:1.22 AS build\nFROM alpine:3.20 AS runtime\n",
        fix: "None: choose a distinct name and update the references to it.",
    },
    zh: RuleDoc {
        summary: "两个阶段同名",
        what: "标出名称（不区分大小写）与前面某个阶段重复的 `FROM ... AS 名称`。",
        why: "BuildKit 拒绝重复的阶段名；即便某些工具接受，`COPY --from=名称` 也只能指向其中一个阶段。",
        bad: "FROM golang:1.22 AS build\nFROM alpine:3.20 AS build\n",
        good: "FROM golang:1.22 AS build\nFROM alpine:3.20 AS runtime\n",
        fix: "无自动修复：请换一个不重复的名称，并同步修改对它的引用。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let stages = &cx.model.stages;
    for (k, s) in stages.iter().enumerate() {
        let (Some(name), Some(range)) = (&s.name, &s.name_range) else {
            continue;
        };
        if let Some(first) = stages[..k].iter().find(|p| p.is_named(name)) {
            let d = sink.report(
                range.clone(),
                text!(
                    "stage name `{}` is already used by an earlier stage",
                    "阶段名 `{}` 已被前面的阶段使用",
                    name
                ),
            );
            if let Some(r) = first.name_range.clone() {
                d.with_related(r, text!("first used here", "首次使用于此"));
            }
        }
    }
}
