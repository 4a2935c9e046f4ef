//! DF503: references to stages that do not exist (yet), or near misses of their names.

use super::prelude::*;
use crate::semantic::{knowledge, ImageRef, Stage};
use crate::syntax::edit_distance;

pub static RULE: Rule = Rule {
    code: "DF503",
    name: "unknown-stage-reference",
    severity: Severity::Error,
    fix: FixKind::Safe,
    peers: &["DL3022", "DL3023"],
    en: RuleDoc {
        summary: "`COPY --from`, `FROM` or `RUN --mount=from` names a stage that is not there",
        what: "Checks every stage reference: a stage defined later or the stage itself (an error: BuildKit cannot use it), a name one or two letters away from a stage (an error, with the name it probably meant), a stage index that does not exist, and any other bare name, which BuildKit silently pulls from a registry as an image (a warning).",
        why: "A typo in `--from=buidler` does not fail where you wrote it: BuildKit tries to pull an image called `buidler` and the build fails later with a confusing registry error, or worse, succeeds with someone else's image.",
        bad: "FROM golang:1.22 AS builder\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /app .\nFROM alpine:3.20\nCOPY --from=buidler /app /app\n",
        good: "FROM golang:1.22 AS builder\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /app .\nFROM alpine:3.20\nCOPY --from=builder /app /app\n",
        fix: "For a near miss the fix replaces the name with the stage's name. It is safe: the misspelled name could only have pulled an unrelated image.",
    },
    zh: RuleDoc {
        summary: "`COPY --from`、`FROM` 或 `RUN --mount=from` 引用了不存在的阶段",
        what: "检查每一处阶段引用：引用后面才定义的阶段或阶段自身（错误：BuildKit 无法使用）；名称与某个阶段名只差一两个字母（错误，并给出可能想写的名称）；引用不存在的阶段序号；以及其他不带仓库地址、标签或摘要的裸名称，BuildKit 会悄悄把它当作镜像从镜像仓库拉取（警告）。",
        why: "`--from=buidler` 这样的拼写错误并不会在写错的地方报错：BuildKit 会去拉取名为 `buidler` 的镜像，构建随后因一条令人费解的镜像仓库错误而失败；更糟的是，它可能用别人的镜像构建成功。",
        bad: "FROM golang:1.22 AS builder\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /app .\nFROM alpine:3.20\nCOPY --from=buidler /app /app\n",
        good: "FROM golang:1.22 AS builder\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /app .\nFROM alpine:3.20\nCOPY --from=builder /app /app\n",
        fix: "名称相近时，修复会把它替换为对应的阶段名。该修复是安全的：拼错的名称只会拉取一个无关的镜像。",
    },
    check,
};

fn near_miss<'a>(stages: impl Iterator<Item = &'a Stage>, name: &str) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    // `build-env` for `build`, `builder` for `builder-go`: one name is the other plus a
    // `-…`/`_…` part.
    let extends = |a: &str, b: &str| {
        a.strip_prefix(b)
            .or_else(|| a.strip_suffix(b))
            .is_some_and(|rest| {
                rest.len() > 1 && (rest.starts_with(['-', '_']) || rest.ends_with(['-', '_']))
            })
    };
    stages
        .filter_map(|s| s.name.as_deref())
        .filter_map(|n| {
            let nl = n.to_ascii_lowercase();
            let d = edit_distance(&lower, &nl);
            if d > 0 && d <= 2 && d < n.len().min(lower.len()) {
                Some((d, n))
            } else if (extends(&lower, &nl) || extends(&nl, &lower))
                && lower != "scratch"
                && knowledge::image_facts_for(&lower).is_none()
            {
                Some((3, n))
            } else {
                None
            }
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, n)| n)
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let stages = &cx.model.stages;
    for r in &cx.model.refs {
        match r.target {
            RefTarget::Stage(s) if s >= r.in_stage => {
                let msg = if s == r.in_stage {
                    text!(
                        "stage `{}` cannot use itself",
                        "阶段 `{}` 不能引用它自己",
                        r.name
                    )
                } else {
                    text!(
                        "stage `{}` is defined later; a stage can only use stages above it",
                        "阶段 `{}` 在后面才定义；只能引用前面已定义的阶段",
                        r.name
                    )
                };
                let d = sink.report(r.range.clone(), msg);
                if let Some(n) = stages[s].name_range.clone() {
                    d.with_related(n, text!("defined here", "在此定义"));
                }
            }
            RefTarget::BadIndex => {
                sink.report(
                    r.range.clone(),
                    text!(
                        "there is no stage with index {} before this one (stages are numbered from 0)",
                        "此处之前没有序号为 {} 的阶段（阶段序号从 0 开始）",
                        r.name
                    ),
                );
            }
            RefTarget::Image => image_ref(cx, sink, &r.name, r.range.clone(), r.in_stage, true),
            _ => {}
        }
    }
    for st in stages {
        if st.base.stage.is_some() || st.base.raw.contains('$') || st.base.raw.is_empty() {
            continue;
        }
        image_ref(
            cx,
            sink,
            &st.base.raw,
            st.base.range.clone(),
            st.index,
            false,
        );
    }
}

/// A name that is no earlier stage: a later stage, the stage itself, a near miss, or an
/// image pulled by accident.
fn image_ref(
    cx: &Ctx<'_>,
    sink: &mut Sink<'_>,
    name: &str,
    range: std::ops::Range<usize>,
    in_stage: usize,
    from_flag: bool,
) {
    let stages = &cx.model.stages;
    if let Some(later) = stages
        .iter()
        .find(|s| s.index >= in_stage && s.is_named(name))
    {
        let msg = if later.index == in_stage {
            text!(
                "stage `{}` cannot use itself",
                "阶段 `{}` 不能引用它自己",
                name
            )
        } else {
            text!(
                "stage `{}` is defined later; a stage can only use stages above it",
                "阶段 `{}` 在后面才定义；只能引用前面已定义的阶段",
                name
            )
        };
        let d = sink.report(range, msg);
        if let Some(n) = later.name_range.clone() {
            d.with_related(n, text!("defined here", "在此定义"));
        }
        return;
    }
    let image = ImageRef::parse(name);
    let bare = image
        .as_ref()
        .is_some_and(|i| i.registry.is_none() && i.tag.is_none() && i.digest.is_none());
    if !bare {
        return;
    }
    if let Some(n) = near_miss(stages.iter().filter(|s| s.index < in_stage), name) {
        let d = sink.report(
            range.clone(),
            text!(
                "no stage is named `{}` (did you mean `{}`?); BuildKit would pull it as an image",
                "没有名为 `{}` 的阶段（是不是想写 `{}`？）；BuildKit 会把它当作镜像拉取",
                name,
                n
            ),
        );
        // BuildKit lower-cases stage names; the fix writes the canonical form.
        let n = n.to_ascii_lowercase();
        d.with_fix(Fix::safe(
            text!("Use stage `{}`", "改用阶段 `{}`", n),
            vec![Edit::replace(range, n.clone())],
        ));
        return;
    }
    if from_flag && name != "scratch" {
        sink.report(
            range,
            text!(
                "no stage is named `{}`: BuildKit will pull an image called `{}` from Docker Hub",
                "没有名为 `{}` 的阶段：BuildKit 会从 Docker Hub 拉取名为 `{}` 的镜像",
                name,
                name
            ),
        )
        .with_severity(Severity::Warning);
    }
}
