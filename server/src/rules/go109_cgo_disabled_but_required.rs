//! GO109: CGO_ENABLED=0 while the build needs cgo.

use super::prelude::*;
use crate::semantic::go::{env_for, GoVerb};
use crate::semantic::knowledge;

pub static RULE: Rule = Rule {
    code: "GO109",
    name: "cgo-disabled-but-required",
    severity: Severity::Warning,
    fix: FixKind::None,
    peers: &[],
    en: RuleDoc {
        summary: "`CGO_ENABLED=0` although the build needs cgo",
        what: "Flags `CGO_ENABLED=0` on a build whose `go.mod` requires a module that only works with cgo (`github.com/mattn/go-sqlite3`, confluent-kafka-go, …) or whose `-tags` name such a module's build tags.",
        why: "With cgo off these packages either fail to compile or compile into stubs that fail at run time (go-sqlite3: \"Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work\"). Keep cgo on and ship a runtime with the matching C library (debian-slim or distroless/base with a glibc builder), or switch to a pure-Go alternative such as modernc.org/sqlite.",
        bad: "# go.mod: require github.com/mattn/go-sqlite3 v1.14.22\nFROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\n",
        good: "# go.mod: require github.com/mattn/go-sqlite3 v1.14.22\nFROM golang:1.22 AS build\nRUN CGO_ENABLED=1 go build -o /out/app .\n",
        fix: "None: keep cgo (and a glibc runtime), or replace the module.",
    },
    zh: RuleDoc {
        summary: "构建需要 cgo，却设置了 `CGO_ENABLED=0`",
        what: "当 `go.mod` 依赖了只能在开启 cgo 时工作的模块（`github.com/mattn/go-sqlite3`、confluent-kafka-go 等），或 `-tags` 中使用了这类模块的构建标签，而构建却设置了 `CGO_ENABLED=0` 时给出警告。",
        why: "关闭 cgo 后，这些包要么编译失败，要么编译成运行时才报错的空实现（go-sqlite3 会报“Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work”）。请保持 cgo 开启，并使用带有对应 C 库的运行镜像（构建阶段基于 glibc 时用 debian-slim 或 distroless/base），或者换用纯 Go 实现，例如 modernc.org/sqlite。",
        bad: "# go.mod: require github.com/mattn/go-sqlite3 v1.14.22\nFROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\n",
        good: "# go.mod: require github.com/mattn/go-sqlite3 v1.14.22\nFROM golang:1.22 AS build\nRUN CGO_ENABLED=1 go build -o /out/app .\n",
        fix: "无自动修复：请保留 cgo（并使用 glibc 运行镜像），或替换该模块。",
    },
    check,
};

/// The cgo-only modules go.mod requires (path, reason), for GO103 too.
pub fn cgo_requirements(cx: &Ctx<'_>) -> Vec<(String, String)> {
    let Some(m) = &cx.project.go_mod else {
        return Vec::new();
    };
    m.requires
        .iter()
        .filter_map(|r| {
            knowledge::cgo_module(&r.path)
                .map(|c| (r.path.clone(), c.reason(crate::i18n::Lang::En).to_string()))
        })
        .collect()
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let modules = cgo_requirements(cx);
    for g in cx
        .go()
        .iter()
        .filter(|g| matches!(g.verb, GoVerb::Build | GoVerb::Install | GoVerb::Test))
    {
        let Some(v) = env_for(cx.model, g, "CGO_ENABLED") else {
            continue;
        };
        if v.value != "0" {
            continue;
        }
        let tags: Vec<String> = g
            .tags()
            .into_iter()
            .filter(|t| knowledge::cgo_build_tag(t))
            .collect();
        let msg = if let Some((module, _)) = modules.first() {
            text!(
                "`CGO_ENABLED=0`, but go.mod requires `{}`, which only works with cgo: it will fail to build or fail at run time",
                "设置了 `CGO_ENABLED=0`，但 go.mod 依赖的 `{}` 必须开启 cgo 才能工作：要么编译失败，要么运行时出错",
                module
            )
        } else if let Some(tag) = tags.first() {
            text!(
                "`CGO_ENABLED=0`, but the build tag `{}` belongs to a module that needs cgo",
                "设置了 `CGO_ENABLED=0`，但构建标签 `{}` 属于一个需要 cgo 的模块",
                tag
            )
        } else {
            continue;
        };
        sink.report(v.range.clone(), msg);
    }
}
