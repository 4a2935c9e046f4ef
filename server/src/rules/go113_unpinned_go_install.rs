//! GO113: `go install` / `go get` of a module without a version.

use super::prelude::*;
use crate::semantic::go::GoVerb;

pub static RULE: Rule = Rule {
    code: "GO113",
    name: "unpinned-go-install",
    severity: Severity::Warning,
    fix: FixKind::None,
    peers: &["DL3062"],
    en: RuleDoc {
        summary: "`go install` or `go get` without a pinned version",
        what: "Flags `go install` and `go get` of a remote package with no `@version`, or with `@latest`, `@master`, `@main` or `@HEAD`.",
        why: "The image then contains whatever the tool's default branch held on the day it was built: builds are not reproducible, a breaking release breaks your pipeline, and a compromised release goes straight in. Since Go 1.17, `go install pkg@version` is the way to install a specific version.",
        bad: "FROM golang:1.22 AS tools\nRUN go install github.com/golangci/golangci-lint/cmd/golangci-lint@latest\n",
        good: "FROM golang:1.22 AS tools\nRUN go install github.com/golangci/golangci-lint/cmd/golangci-lint@v1.61.0\n",
        fix: "None: choose the version to pin.",
    },
    zh: RuleDoc {
        summary: "`go install` 或 `go get` 没有固定版本",
        what: "标出安装远程包时没有写 `@version`、或写成 `@latest`、`@master`、`@main`、`@HEAD` 的 `go install` 和 `go get`。",
        why: "这样镜像里装的是构建当天该工具默认分支上的内容：构建不可复现，上游发布不兼容的版本会直接打断流水线，被攻破的版本也会原封不动地进入镜像。从 Go 1.17 起，应使用 `go install pkg@version` 安装指定版本。",
        bad: "FROM golang:1.22 AS tools\nRUN go install github.com/golangci/golangci-lint/cmd/golangci-lint@latest\n",
        good: "FROM golang:1.22 AS tools\nRUN go install github.com/golangci/golangci-lint/cmd/golangci-lint@v1.61.0\n",
        fix: "无自动修复：请自行选择要固定的版本。",
    },
    check,
};

/// A remote import path: the first element has a dot (`github.com/...`, `golang.org/x/...`).
fn remote(p: &str) -> bool {
    let first = p.split('/').next().unwrap_or("");
    first.contains('.') && !p.starts_with('.') && !p.starts_with('/') && !p.contains('$')
}

/// Whether the stage (or an ancestor) has a module: go.mod or the whole context was
/// copied before `item`. Inside a module, `go install pkg` takes the version go.mod pins.
fn in_module(cx: &Ctx<'_>, stage: usize, item: usize) -> bool {
    let mut chain = vec![stage];
    chain.extend(cx.model.ancestors(stage));
    chain.iter().any(|&s| {
        cx.stage_instrs(s).any(|i| {
            (s != stage || i.index < item)
                && matches!(i.ins.keyword, Keyword::Copy | Keyword::Add)
                && i.ins.flag("from").is_none()
                && i.ins.args.words().iter().rev().skip(1).any(|w| {
                    let t = w.text.trim_start_matches("./");
                    t.is_empty() || t == "." || t == "*" || t.starts_with("go.")
                })
        })
    })
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for g in cx
        .go()
        .iter()
        .filter(|g| matches!(g.verb, GoVerb::Install | GoVerb::Get))
    {
        let module = in_module(cx, g.stage, g.item);
        let gopath_mode = crate::semantic::go::env_for(cx.model, g, "GO111MODULE")
            .is_some_and(|v| v.value == "off");
        for p in &g.packages {
            let (path, version) = match p.text.split_once('@') {
                Some((a, b)) => (a, Some(b)),
                None => (p.text.as_str(), None),
            };
            if !remote(path) {
                continue;
            }
            let floating = match version {
                // `go get` moves the module to its newest version; `go install` inside a
                // module builds the version go.mod pins.
                None => g.verb == GoVerb::Get || !module || gopath_mode,
                Some(v) => matches!(
                    v,
                    "latest" | "master" | "main" | "HEAD" | "upgrade" | "patch"
                ),
            };
            if !floating {
                continue;
            }
            let verb = if g.verb == GoVerb::Install {
                "go install"
            } else {
                "go get"
            };
            let msg = match version {
                None => text!(
                    "`{} {}` takes whatever version is current on the day of the build; pin it with `@vX.Y.Z`",
                    "`{} {}` 会安装构建当天的最新版本；请用 `@vX.Y.Z` 固定版本",
                    verb,
                    path
                ),
                Some(v) => text!(
                    "`@{}` is not a version: the build is not reproducible; pin it with `@vX.Y.Z`",
                    "`@{}` 不是具体的版本号，构建不可复现；请用 `@vX.Y.Z` 固定版本",
                    v
                ),
            };
            sink.report(p.range.clone(), msg);
        }
    }
}
