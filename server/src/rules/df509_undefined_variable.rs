//! DF509: variables used where they have no value.

use super::prelude::*;
use crate::semantic::{vars, ImageRef, VarUse, PLATFORM_ARGS};
use crate::syntax::{edit_distance, NodeKind};

pub static RULE: Rule = Rule {
    code: "DF509",
    name: "undefined-variable",
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    peers: &["UndefinedVar", "UndefinedArgInFrom", "InvalidDefaultArgInFrom"],
    en: RuleDoc {
        summary: "A variable is used where it has no value",
        what: "Flags `$NAME` in a `FROM` line that no `ARG` before the first `FROM` declares; a global `ARG` used inside a stage that did not redeclare it (it is empty there); a name that is a near miss of a defined variable; any undefined variable in a stage built from `scratch`; and global `ARG` defaults that make the `FROM` image name invalid.",
        why: "BuildKit expands an undefined variable to an empty string without failing, so `FROM golang:${GO_VERSON}` pulls `golang:` and `LABEL version=$VERSION` silently labels nothing. The global-ARG case is the classic one: an `ARG` before `FROM` is visible in `FROM` lines only.",
        bad: "ARG VERSION=1.0\nFROM alpine:3.20\nLABEL version=$VERSION\n",
        good: "ARG VERSION=1.0\nFROM alpine:3.20\nARG VERSION\nLABEL version=$VERSION\n",
        fix: "For a global ARG used in a stage, inserts `ARG NAME` after the stage's `FROM` (unsafe: it changes the value from empty to the global default, which is usually the intent).",
    },
    zh: RuleDoc {
        summary: "使用了在此处没有值的变量",
        what: "标出：`FROM` 行中使用、但第一个 `FROM` 之前没有任何 `ARG` 声明的 `$NAME`；在阶段内使用、但该阶段没有重新声明的全局 `ARG`（在阶段内它是空的）；与已定义变量名只差一两个字母的名称；基于 `scratch` 的阶段中任何未定义的变量；以及默认值会让 `FROM` 镜像名无效的全局 `ARG`。",
        why: "BuildKit 把未定义的变量展开为空字符串而不报错，于是 `FROM golang:${GO_VERSON}` 会去拉取 `golang:`，`LABEL version=$VERSION` 则悄悄设置了一个空标签。全局 ARG 是最典型的坑：写在第一个 `FROM` 之前的 `ARG` 只在 `FROM` 行中可见。",
        bad: "ARG VERSION=1.0\nFROM alpine:3.20\nLABEL version=$VERSION\n",
        good: "ARG VERSION=1.0\nFROM alpine:3.20\nARG VERSION\nLABEL version=$VERSION\n",
        fix: "对于在阶段中使用的全局 ARG，在该阶段的 `FROM` 之后插入 `ARG NAME`（不安全：变量的值会从空字符串变为全局默认值，不过这通常正是你的本意）。",
    },
    check,
};

/// Variables that common base images set; a use of them is not reported.
const IMAGE_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "HOSTNAME",
    "USER",
    "PWD",
    "SHELL",
    "LANG",
    "TERM",
    "GOPATH",
    "GOROOT",
    "GOLANG_VERSION",
    "GOTOOLCHAIN",
    "NODE_VERSION",
    "YARN_VERSION",
    "PYTHON_VERSION",
    "JAVA_HOME",
    "JAVA_VERSION",
    "RUSTUP_HOME",
    "CARGO_HOME",
    "RUST_VERSION",
    "NGINX_VERSION",
];

fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, c)| d > 0 && d <= 2 && name.len() >= 3 && d < c.len())
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

fn is_onbuild(cx: &Ctx<'_>, item: usize) -> bool {
    matches!(&cx.tree.items()[item].node.kind, NodeKind::Instruction(i) if i.keyword == Keyword::Onbuild)
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let m = cx.model;
    for u in &m.uses {
        if is_onbuild(cx, u.item) {
            continue;
        }
        if u.in_from {
            from_use(cx, sink, u);
        } else if let Some(stage) = u.stage {
            stage_use(cx, sink, u, stage);
        }
    }
    invalid_defaults(cx, sink);
}

fn from_use(cx: &Ctx<'_>, sink: &mut Sink<'_>, u: &VarUse) {
    let m = cx.model;
    let name = &u.var.name;
    let declared = m
        .global_args
        .iter()
        .any(|d| &d.name == name && d.item < u.item);
    if declared || PLATFORM_ARGS.contains(&name.as_str()) {
        return;
    }
    let globals = m.global_args.iter().map(|d| d.name.as_str());
    let msg = match suggest(name, globals) {
        Some(s) => text!(
            "`{}` is not declared by an `ARG` before the first `FROM` (did you mean `{}`?)",
            "`{}` 没有在第一个 `FROM` 之前用 `ARG` 声明（是不是想写 `{}`？）",
            name,
            s
        ),
        None => text!(
            "`{}` is not declared by an `ARG` before the first `FROM`, so it expands to nothing here",
            "`{}` 没有在第一个 `FROM` 之前用 `ARG` 声明，在这里会展开为空",
            name
        ),
    };
    sink.report(u.var.range.clone(), msg)
        .with_peer("UndefinedArgInFrom");
}

fn stage_use(cx: &Ctx<'_>, sink: &mut Sink<'_>, u: &VarUse, stage: usize) {
    let m = cx.model;
    let name = u.var.name.as_str();
    let visible = m.visible_defs(stage, u.item);
    if visible.iter().any(|d| d.name == name) || IMAGE_ENV.contains(&name) {
        return;
    }
    let global = m.global_args.iter().any(|d| d.name == name);
    let platform = PLATFORM_ARGS.contains(&name);
    if global || platform {
        let st = &m.stages[stage];
        let from_line_end = {
            let it = &cx.tree.items()[st.item];
            (it.start + it.node.len) as usize
        };
        let needs_newline = !cx.text[..from_line_end].ends_with('\n');
        let insert = if needs_newline {
            format!("\nARG {name}\n")
        } else {
            format!("ARG {name}\n")
        };
        let msg = if global {
            text!(
                "`{}` is a global `ARG`: inside a stage it is empty until the stage declares `ARG {}`",
                "`{}` 是全局 `ARG`：在阶段内必须先写 `ARG {}` 重新声明，否则为空",
                name,
                name
            )
        } else {
            text!(
                "`{}` is a predefined platform `ARG`: inside a stage it is empty until the stage declares `ARG {}`",
                "`{}` 是预定义的平台 `ARG`：在阶段内必须先写 `ARG {}` 声明，否则为空",
                name,
                name
            )
        };
        sink.report(u.var.range.clone(), msg)
            .with_peer("UndefinedVar")
            .with_fix(Fix::unsafe_(
                text!("Add `ARG {}` to the stage", "在该阶段添加 `ARG {}`", name),
                vec![Edit::insert(from_line_end, insert)],
            ));
        return;
    }
    if !u.buildkit_expands {
        return;
    }
    let names = visible.iter().map(|d| d.name.as_str());
    if let Some(s) = suggest(name, names) {
        sink.report(
            u.var.range.clone(),
            text!(
                "`{}` is not defined in this stage (did you mean `{}`?)",
                "`{}` 在此阶段中未定义（是不是想写 `{}`？）",
                name,
                s
            ),
        )
        .with_peer("UndefinedVar");
        return;
    }
    // Only a stage built from scratch has a fully known environment.
    let mut root = stage;
    for a in m.ancestors(stage) {
        root = a;
    }
    let from_scratch = m.stages[root]
        .base
        .image
        .as_ref()
        .is_some_and(ImageRef::is_scratch);
    if from_scratch {
        sink.report(
            u.var.range.clone(),
            text!(
                "`{}` is not defined in this stage and expands to nothing",
                "`{}` 在此阶段中未定义，会展开为空",
                name
            ),
        )
        .with_peer("UndefinedVar");
    }
}

/// Global ARG defaults that make a FROM image name invalid.
fn invalid_defaults(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let m = cx.model;
    for st in &m.stages {
        if !st.base.raw.contains('$') || st.base.stage.is_some() {
            continue;
        }
        let refs = vars::scan(&st.base.raw, 0, '\\');
        // Only plain references (no `${X/a/b}` or other modifiers) whose ARGs have defaults
        // that are plain too can be computed here.
        let simple = |r: &vars::VarRef, text: &str| {
            let after = &text[r.name_range.end.min(text.len())..];
            !r.has_modifier
                || ["-", ":-", "+", ":+"]
                    .iter()
                    .any(|op| after.starts_with(op))
        };
        let resolvable = refs.iter().all(|r| {
            simple(r, &st.base.raw)
                && m.global_args.iter().any(|d| {
                    d.name == r.name
                        && d.item < st.item
                        // An ARG without a default expands to nothing unless
                        // `--build-arg` sets it: BuildKit warns about that too.
                        && d.value
                            .as_deref()
                            .is_none_or(|v| vars::scan(v, 0, '\\').iter().all(|x| simple(x, v)))
                })
        });
        if !resolvable || refs.is_empty() {
            continue;
        }
        let e = &st.base.expanded;
        let valid = ImageRef::parse(e).is_some_and(|r| {
            // Tags may hold capitals; repositories may not.
            r.tag.as_deref() != Some("")
                && r.digest.as_deref() != Some("")
                && !r.repository.ends_with('/')
                && !r.repository.is_empty()
        });
        if !valid {
            let msg = if e.trim().is_empty() {
                text!(
                    "with the global `ARG` defaults this image name is empty: the build fails unless every build passes `--build-arg`; give the `ARG` a default",
                    "按全局 `ARG` 的默认值，此镜像名为空：除非每次构建都传入 `--build-arg`，否则构建会失败；请为该 `ARG` 设置默认值"
                )
            } else {
                text!(
                    "with the global `ARG` defaults this image name becomes `{}`, which is not a valid image",
                    "按全局 `ARG` 的默认值，此镜像名会变成 `{}`，这不是有效的镜像名",
                    e
                )
            };
            sink.report(st.base.range.clone(), msg)
                .with_peer("InvalidDefaultArgInFrom");
        }
    }
}
