//! DF505: `scratch` and `context` cannot name a stage.

use super::prelude::*;
use crate::semantic::RESERVED_STAGE_NAMES;

pub static RULE: Rule = Rule {
    code: "DF505",
    name: "reserved-stage-name",
    severity: Severity::Error,
    fix: FixKind::None,
    peers: &["ReservedStageName", "DL3063"],
    en: RuleDoc {
        summary: "A stage is named `scratch` or `context`",
        what: "Flags stage names that BuildKit reserves: `scratch` (the empty image) and `context` (the build context).",
        why: "`FROM scratch` always means the empty image, never your stage, so a stage with that name can never be used as you intend.",
        bad: "FROM golang:1.22 AS scratch\n",
        good: "FROM golang:1.22 AS build\n",
        fix: "None: rename the stage.",
    },
    zh: RuleDoc {
        summary: "阶段被命名为 `scratch` 或 `context`",
        what: "标出 BuildKit 保留的阶段名：`scratch`（空镜像）和 `context`（构建上下文）。",
        why: "`FROM scratch` 永远指向空镜像，而不是你的阶段，所以这样命名的阶段无法按你的意图使用。",
        bad: "FROM golang:1.22 AS scratch\n",
        good: "FROM golang:1.22 AS build\n",
        fix: "无自动修复：请给阶段改名。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for s in &cx.model.stages {
        let (Some(name), Some(range)) = (&s.name, &s.name_range) else {
            continue;
        };
        if RESERVED_STAGE_NAMES
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name))
        {
            sink.report(
                range.clone(),
                text!(
                    "`{}` is reserved and cannot name a stage",
                    "`{}` 是保留名称，不能用作阶段名",
                    name
                ),
            );
        }
    }
}
