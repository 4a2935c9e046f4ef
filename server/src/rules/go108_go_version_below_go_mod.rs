//! GO108: the builder's Go is older than the `go` line of go.mod.

use super::prelude::*;
use crate::context::GoVersion;

pub static RULE: Rule = Rule {
    code: "GO108",
    name: "go-version-below-go-mod",
    severity: Severity::Error,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "The `golang` image is older than the Go version go.mod requires",
        what: "Compares the version in the builder's `golang:X.Y` tag with the `go` line of the `go.mod` in the build context. Needs the build context.",
        why: "Since Go 1.21 the `go` line is a minimum requirement, and the official images set `GOTOOLCHAIN=local`, so they refuse to download a newer toolchain: the build stops with \"go: go.mod requires go >= 1.23 (running go 1.22; GOTOOLCHAIN=local)\". Older Go versions fail later, on language features they do not know.",
        bad: "# go.mod: go 1.23\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\n",
        good: "# go.mod: go 1.23\nFROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\n",
        fix: "Raises the tag's version to the one go.mod requires, keeping the variant (`1.21-alpine` → `1.23-alpine`). Safe: the old tag cannot build this module.",
    },
    zh: RuleDoc {
        summary: "`golang` 镜像的版本低于 go.mod 要求的 Go 版本",
        what: "把构建阶段 `golang:X.Y` 标签中的版本与构建上下文中 `go.mod` 的 `go` 行进行比较。此规则需要知道构建上下文。",
        why: "从 Go 1.21 起，`go` 行是最低版本要求，而官方镜像设置了 `GOTOOLCHAIN=local`，不会自动下载更新的工具链：构建会直接停止并报“go: go.mod requires go >= 1.23 (running go 1.22; GOTOOLCHAIN=local)”。更早的 Go 版本则会在遇到不认识的语言特性时才失败。",
        bad: "# go.mod: go 1.23\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\n",
        good: "# go.mod: go 1.23\nFROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\n",
        fix: "把标签中的版本提升到 go.mod 要求的版本，并保留变体（`1.21-alpine` → `1.23-alpine`）。安全：旧标签本来就无法构建这个模块。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let Some(go_mod) = &cx.project.go_mod else {
        return;
    };
    let Some(required) = go_mod.go.clone() else {
        return;
    };
    // Only stages that run the go command on this module matter.
    let mut stages: Vec<usize> = cx.go().iter().map(|g| g.stage).collect();
    stages.sort_unstable();
    stages.dedup();
    let mut roots: Vec<usize> = stages
        .iter()
        .map(|&s| cx.model.ancestors(s).last().copied().unwrap_or(s))
        .collect();
    roots.sort_unstable();
    roots.dedup();
    for root in roots {
        let st = &cx.model.stages[root];
        let Some(image) = &st.base.image else {
            continue;
        };
        if image.short_name() != "golang" {
            continue;
        }
        let Some(tag) = image.tag.as_deref() else {
            continue;
        };
        let version_part = tag.split('-').next().unwrap_or(tag);
        let Some(have) = GoVersion::parse(version_part) else {
            continue;
        };
        if have.tag_satisfies(&required) {
            continue;
        }
        let want = required.lang();
        let d = sink.report(
            st.base.range.clone(),
            text!(
                "`{}` has Go {}, but go.mod requires go {}; the build will stop with \"go.mod requires go >= {}\"",
                "`{}` 中的 Go 版本是 {}，而 go.mod 要求 go {}；构建会报“go.mod requires go >= {}”并停止",
                st.base.expanded,
                have.raw,
                required.raw,
                required.raw
            ),
        );
        d.with_related(
            st.base.range.clone(),
            text!("go.mod: go {}", "go.mod：go {}", required.raw),
        );
        // Only a literal tag can be rewritten here.
        if st.base.raw.contains('$') {
            continue;
        }
        let Some(pos) = st.base.raw.rfind(version_part) else {
            continue;
        };
        let start = st.base.range.start + pos;
        d.with_fix(Fix::safe(
            text!("Use Go {}", "改用 Go {}", want),
            vec![Edit::replace(
                start..start + version_part.len(),
                want.clone(),
            )],
        ));
    }
}
