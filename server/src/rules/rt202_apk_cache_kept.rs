//! RT202: `apk add` without `--no-cache`.

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "RT202",
    name: "apk-cache-kept",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    peers: &["DL3019"],
    en: RuleDoc {
        summary: "`apk add` without `--no-cache`",
        what: "Flags `apk add` that keeps the package index in the image: no `--no-cache`, and no `rm -rf /var/cache/apk` later in the same RUN. In stages that do not reach the final image it is only a hint.",
        why: "Without `--no-cache`, apk stores the downloaded index (a few MB) under `/var/cache/apk` in the layer, on an alpine image whose whole point is being about 5 MB. `--no-cache` fetches a fresh index and leaves nothing behind, so `apk update` is not needed either.",
        bad: "FROM alpine:3.20\nRUN apk add ca-certificates\n",
        good: "FROM alpine:3.20\nRUN apk add --no-cache ca-certificates\n",
        fix: "Adds `--no-cache` after `add` (safe).",
    },
    zh: RuleDoc {
        summary: "`apk add` 没有使用 `--no-cache`",
        what: "标出会把软件包索引留在镜像里的 `apk add`：没有 `--no-cache`，同一个 RUN 中后面也没有 `rm -rf /var/cache/apk`。在不会进入最终镜像的阶段中只作为建议。",
        why: "不加 `--no-cache` 时，apk 会把下载的索引（几 MB）保存在该层的 `/var/cache/apk` 中，而 alpine 镜像的最大卖点恰恰是只有 5 MB 左右。`--no-cache` 会临时获取最新索引，用完不留下任何缓存，因此也不再需要 `apk update`。",
        bad: "FROM alpine:3.20\nRUN apk add ca-certificates\n",
        good: "FROM alpine:3.20\nRUN apk add --no-cache ca-certificates\n",
        fix: "在 `add` 后添加 `--no-cache`（安全）。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    // Only the final stage's own layers (and its FROM ancestors') ship; stages that are
    // merely copied from contribute files, not layers.
    let shipped: Vec<usize> = cx
        .final_stage()
        .map(|f| std::iter::once(f).chain(cx.model.ancestors(f)).collect())
        .unwrap_or_default();
    for i in cx.tree.instructions() {
        if i.onbuild_target().keyword != Keyword::Run {
            continue;
        }
        let stage = cx.model.stage_of_item(i.index);
        // With a cache mount on /var/cache/apk the index stays out of the layer.
        let cache_mounted = i.onbuild_target().flags.iter().any(|f| {
            f.name == "mount"
                && f.part("type").and_then(|p| p.value.as_deref()) == Some("cache")
                && ["target", "dst", "destination"].iter().any(|k| {
                    f.part(k)
                        .and_then(|p| p.value.as_deref())
                        .is_some_and(|t| t.trim_end_matches('/') == "/var/cache/apk")
                })
        });
        if cache_mounted {
            continue;
        }
        let cmds = cx.commands_of(i.index);
        let cleaned = cmds.iter().any(|c| {
            c.program() == Some("rm")
                && c.args()
                    .iter()
                    .any(|a| a.text.starts_with("/var/cache/apk"))
        });
        if cleaned {
            continue;
        }
        for c in cmds {
            if c.program() != Some("apk") {
                continue;
            }
            let args = c.args();
            let Some(add) = args.iter().position(|a| a.text == "add") else {
                continue;
            };
            if args.iter().any(|a| a.text == "--no-cache") {
                continue;
            }
            let in_final = stage.is_some_and(|s| shipped.contains(&s));
            let d = sink.report(
                c.range.start..args[add].range.end,
                text!(
                    "`apk add` leaves its package index in the image; use `apk add --no-cache`",
                    "`apk add` 会把软件包索引留在镜像中；请使用 `apk add --no-cache`"
                ),
            );
            if !in_final {
                d.with_severity(Severity::Hint);
            }
            d.with_fix(Fix::safe(
                text!("Add `--no-cache`", "添加 `--no-cache`"),
                vec![Edit::insert(args[add].range.end, " --no-cache")],
            ));
        }
    }
}
