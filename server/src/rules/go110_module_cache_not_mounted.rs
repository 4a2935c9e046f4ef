//! GO110: module downloads and builds without BuildKit cache mounts.

use super::prelude::*;
use crate::semantic::go::GoVerb;

pub static RULE: Rule = Rule {
    code: "GO110",
    name: "module-cache-not-mounted",
    severity: Severity::Hint,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "Go downloads or builds without a BuildKit cache mount",
        what: "Flags a RUN with `go mod download` that has no `--mount=type=cache,target=/go/pkg/mod`, and a RUN with `go build` that lacks the module cache or the build cache (`/root/.cache/go-build`).",
        why: "A layer cache is all-or-nothing: when `go.sum` changes, every module is downloaded again, and every package is recompiled after any source change. A cache mount keeps the module and build caches between builds, so only what changed is fetched or compiled.",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download && go mod verify\n",
        fix: "Adds the cache mounts to the RUN (safe: the caches are outside the image; BuildKit, the default builder since Docker 23, is required).",
    },
    zh: RuleDoc {
        summary: "Go 下载依赖或编译时没有使用 BuildKit 缓存挂载",
        what: "当执行 `go mod download` 的 RUN 没有 `--mount=type=cache,target=/go/pkg/mod`，或执行 `go build` 的 RUN 缺少模块缓存或编译缓存（`/root/.cache/go-build`）挂载时给出建议。",
        why: "层缓存要么全部命中、要么全部失效：`go.sum` 一变，所有模块都要重新下载；源码一改，所有包都要重新编译。缓存挂载能在多次构建之间保留模块缓存和编译缓存，只需下载、编译真正变化的部分。",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download && go mod verify\n",
        fix: "为该 RUN 添加缓存挂载（安全：缓存位于镜像之外；需要 BuildKit，它自 Docker 23 起是默认构建器）。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    // A CI image (tests and vet in a toolchain, nothing shipped) is not what this
    // advice is about.
    if cx.ci_only() {
        return;
    }
    let mut seen = Vec::new();
    for g in cx.go().iter().filter(|g| !g.onbuild) {
        if seen.contains(&g.item) {
            continue;
        }
        let builds = matches!(
            g.verb,
            GoVerb::Build | GoVerb::Install | GoVerb::Test | GoVerb::Run
        );
        if !(builds || g.verb == GoVerb::ModDownload) {
            continue;
        }
        // One finding per RUN, for everything its go commands need.
        let all: Vec<_> = cx.go().iter().filter(|x| x.item == g.item).collect();
        let need_build = all
            .iter()
            .any(|x| matches!(x.verb, GoVerb::Build | GoVerb::Install | GoVerb::Test));
        let mut mounts = Vec::new();
        if !g.mod_cache_mounted {
            mounts.push("--mount=type=cache,target=/go/pkg/mod");
        }
        if need_build && !g.build_cache_mounted {
            mounts.push("--mount=type=cache,target=/root/.cache/go-build");
        }
        seen.push(g.item);
        if mounts.is_empty() {
            continue;
        }
        let Some(run) = cx.tree.instr_at(g.item) else {
            continue;
        };
        let kw = run.abs(run.ins.keyword_span);
        let d = sink.report(
            kw.clone(),
            text!(
                "this RUN starts with empty Go caches every time the layer is rebuilt; add `{}`",
                "每次重建该层时，这条 RUN 指令都要从空的 Go 缓存开始；请添加 `{}`",
                mounts.join(" ")
            ),
        );
        let mut edits = vec![Edit::insert(kw.end, format!(" {}", mounts.join(" ")))];
        if cx.tree.directive("syntax").is_none() && !cx.text.starts_with('\u{feff}') {
            edits.push(Edit::insert(
                0,
                format!("# syntax=docker/dockerfile:1{}", cx.eol()),
            ));
        }
        d.with_fix(Fix::safe(text!("Add cache mounts", "添加缓存挂载"), edits));
    }
}
