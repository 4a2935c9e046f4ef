//! DF517: `FROM --platform` with a constant or with the redundant `$TARGETPLATFORM`.

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "DF517",
    name: "constant-platform",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    peers: &["FromPlatformFlagConstDisallowed", "RedundantTargetPlatform", "DL3029"],
    en: RuleDoc {
        summary: "`FROM --platform` pinned to a constant, or set to the default `$TARGETPLATFORM`",
        what: "Flags `FROM --platform=linux/amd64` (unless the stage name says which platform it is for) and `FROM --platform=$TARGETPLATFORM`, which is the default anyway.",
        why: "A constant platform breaks multi-platform builds: `docker buildx build --platform linux/arm64` still gets an amd64 stage, which then runs under emulation or produces the wrong binary. For Go, build on `$BUILDPLATFORM` and cross-compile with `GOOS=$TARGETOS GOARCH=$TARGETARCH`.",
        bad: "FROM --platform=linux/amd64 golang:1.22 AS build\n",
        good: "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n",
        fix: "Removes a redundant `--platform=$TARGETPLATFORM` (safe). A constant is left to you: `$BUILDPLATFORM` for build stages, nothing for runtime stages.",
    },
    zh: RuleDoc {
        summary: "`FROM --platform` 写死了常量，或设成了默认的 `$TARGETPLATFORM`",
        what: "标出 `FROM --platform=linux/amd64`（阶段名已注明平台时除外）和本来就是默认值的 `FROM --platform=$TARGETPLATFORM`。",
        why: "写死的平台会破坏多平台构建：执行 `docker buildx build --platform linux/arm64` 时仍然得到 amd64 的阶段，要么在模拟器中运行，要么产出错误架构的二进制文件。对 Go 来说，应在 `$BUILDPLATFORM` 上构建，并用 `GOOS=$TARGETOS GOARCH=$TARGETARCH` 交叉编译。",
        bad: "FROM --platform=linux/amd64 golang:1.22 AS build\n",
        good: "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n",
        fix: "删除多余的 `--platform=$TARGETPLATFORM`（安全）。写死的常量需要你自己处理：构建阶段改用 `$BUILDPLATFORM`，运行阶段则不写 `--platform`。",
    },
    check,
};

fn normalize_arch(a: &str) -> &str {
    match a {
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for i in cx.tree.instructions() {
        if i.ins.keyword != Keyword::From {
            continue;
        }
        // With repeated flags the last one wins; empty values are DF515's.
        let Some(f) =
            i.ins.flags.iter().rev().find(|f| {
                f.name == "platform" && f.value.as_deref().is_some_and(|v| !v.is_empty())
            })
        else {
            continue;
        };
        let Some(v) = f.value.as_deref() else {
            continue;
        };
        if v == "$TARGETPLATFORM" || v == "${TARGETPLATFORM}" {
            let fr = i.abs(f.span);
            let after = &cx.text[fr.end..];
            let ws = after.len() - after.trim_start_matches([' ', '\t']).len();
            sink.report(
                fr.clone(),
                text!(
                    "`--platform={}` is the default; remove it",
                    "`--platform={}` 就是默认值，可以删除",
                    v
                ),
            )
            .with_peer("RedundantTargetPlatform")
            .with_tag(Tag::Unnecessary)
            .with_fix(Fix::safe(
                text!("Remove `--platform`", "删除 `--platform`"),
                vec![Edit::delete(fr.start..fr.end + ws)],
            ));
            continue;
        }
        if v.contains('$') {
            continue;
        }
        let mut parts = v.split('/');
        let os = parts.next().unwrap_or("").to_ascii_lowercase();
        let arch = normalize_arch(&parts.next().unwrap_or("").to_ascii_lowercase()).to_string();
        let stage = cx
            .model
            .stages
            .iter()
            .find(|s| s.item == i.index)
            .and_then(|s| s.name.clone())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let names_it =
            (!os.is_empty() && stage.contains(&os)) || (!arch.is_empty() && stage.contains(&arch));
        if names_it {
            continue;
        }
        sink.report(
            i.abs(f.value_span.unwrap_or(f.span)),
            text!(
                "`--platform={}` pins this stage to one platform and breaks multi-platform builds; use `$BUILDPLATFORM` for build stages",
                "`--platform={}` 把该阶段固定在一个平台上，会破坏多平台构建；构建阶段请使用 `$BUILDPLATFORM`",
                v
            ),
        )
        .with_peer("FromPlatformFlagConstDisallowed");
    }
}
