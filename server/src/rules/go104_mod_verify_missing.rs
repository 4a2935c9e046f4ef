//! GO104: `go mod download` without `go mod verify`.

use super::prelude::*;
use crate::semantic::go::GoVerb;

pub static RULE: Rule = Rule {
    code: "GO104",
    name: "mod-verify-missing",
    severity: Severity::Hint,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "`go mod download` without `go mod verify`",
        what: "Flags a stage that downloads modules with `go mod download` and never runs `go mod verify`.",
        why: "`go mod verify` checks that the downloaded modules in the cache still match the hashes in `go.sum`, so a tampered module cache (a poisoned cache mount, a compromised proxy mirror) fails the build instead of ending up in your binary. The guide's production Dockerfile runs it right after the download.",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\n",
        fix: "Appends `&& go mod verify` to the download command (safe: it only reads the cache and fails on a mismatch).",
    },
    zh: RuleDoc {
        summary: "执行了 `go mod download` 却没有 `go mod verify`",
        what: "当阶段用 `go mod download` 下载了模块、却从未执行 `go mod verify` 时给出建议。",
        why: "`go mod verify` 会检查缓存中已下载的模块是否仍与 `go.sum` 中的哈希一致。这样一旦模块缓存被篡改（例如缓存挂载被投毒、模块代理被攻破），构建就会直接失败，而不是把有问题的代码编进你的二进制文件。指南中的生产级 Dockerfile 就在下载之后紧接着执行了它。",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\n",
        fix: "在下载命令后追加 `&& go mod verify`（安全：它只读取缓存，哈希不一致时才会失败）。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for stage in &cx.model.stages {
        let downloads: Vec<_> = cx
            .go()
            .iter()
            .filter(|g| g.stage == stage.index && g.verb == GoVerb::ModDownload && !g.onbuild)
            .collect();
        let verified = cx
            .go()
            .iter()
            .any(|g| g.stage == stage.index && g.verb == GoVerb::ModVerify);
        if verified {
            continue;
        }
        let Some(first) = downloads.first() else {
            continue;
        };
        // The fix goes after the command; in exec form there is no shell to chain with.
        let exec = cx
            .tree
            .instr_at(first.item)
            .is_some_and(|i| i.onbuild_target().is_exec_form());
        let d = sink.report(
            first.range.clone(),
            text!(
                "the module cache is never re-checked against `go.sum` after the download; add `go mod verify`, which fails the build if the cache was tampered with",
                "下载之后没有再用 `go.sum` 复查模块缓存；请添加 `go mod verify`，缓存一旦被篡改，构建会直接失败"
            ),
        );
        if !exec {
            d.with_fix(Fix::safe(
                text!("Add `&& go mod verify`", "添加 `&& go mod verify`"),
                vec![Edit::insert(first.range.end, " && go mod verify")],
            ));
        }
    }
}
