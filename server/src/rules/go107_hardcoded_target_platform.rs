//! GO107: GOARCH/GOOS pinned to constants in a build stage.

use super::prelude::*;
use crate::semantic::go::{env_for, EnvSource, GoVerb};

pub static RULE: Rule = Rule {
    code: "GO107",
    name: "hardcoded-target-platform",
    severity: Severity::Info,
    fix: FixKind::Unsafe,
    peers: &[],
    en: RuleDoc {
        summary: "`GOARCH` is pinned to a constant instead of the target platform",
        what: "Flags a `go build` whose `GOARCH` (and `GOOS`) are fixed values such as `amd64`, set on the command, by `export`, `ENV` or an `ARG` default.",
        why: "`docker buildx build --platform linux/arm64` then still produces an amd64 binary inside an arm64 image, which fails with \"exec format error\". Go cross-compiles for free: build on the machine's own platform and let BuildKit tell Go the target.",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o /out/app .\n",
        good: "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nARG TARGETOS TARGETARCH\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .\n",
        fix: "Builds on `$BUILDPLATFORM`, declares `ARG TARGETOS TARGETARCH` and uses them (unsafe: a build without `--platform` now targets the builder's own architecture instead of amd64).",
    },
    zh: RuleDoc {
        summary: "`GOARCH` 被写死为常量，而不是目标平台",
        what: "当 `go build` 的 `GOARCH`（以及 `GOOS`）是 `amd64` 这样的固定值时给出提示，无论它是直接写在命令前，还是通过 `export`、`ENV` 或 `ARG` 默认值设置的。",
        why: "这样执行 `docker buildx build --platform linux/arm64` 时，arm64 镜像里装的仍是 amd64 的二进制文件，运行时会报“exec format error”。Go 的交叉编译几乎没有成本：在构建机自身的平台上编译，由 BuildKit 把目标平台告诉 Go 即可。",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o /out/app .\n",
        good: "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nARG TARGETOS TARGETARCH\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .\n",
        fix: "改为在 `$BUILDPLATFORM` 上构建，声明 `ARG TARGETOS TARGETARCH` 并使用它们（不安全：不带 `--platform` 的构建将以构建机自身的架构为目标，而不再固定为 amd64）。",
    },
    check,
};

fn constant(v: &str) -> bool {
    !v.is_empty() && !v.contains('$')
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let mut reported_items = Vec::new();
    for g in cx
        .go()
        .iter()
        .filter(|g| matches!(g.verb, GoVerb::Build | GoVerb::Install) && !g.onbuild)
    {
        let Some(arch) = env_for(cx.model, g, "GOARCH") else {
            continue;
        };
        if !constant(&arch.value) || reported_items.contains(&arch.range.start) {
            continue;
        }
        reported_items.push(arch.range.start);
        let os = env_for(cx.model, g, "GOOS").filter(|o| constant(&o.value));
        let d = sink.report(
            arch.range.clone(),
            text!(
                "`GOARCH={}` builds for one architecture whatever `--platform` says; use `$TARGETARCH` and build on `$BUILDPLATFORM`",
                "无论 `--platform` 指定哪个平台，`GOARCH={0}` 都只会编译出 {0} 的二进制文件；请改用 `$TARGETARCH`，并在 `$BUILDPLATFORM` 上交叉编译",
                arch.value
            ),
        );
        // The fix: only for prefix/ENV/export assignments we can rewrite in place.
        if !matches!(
            arch.source,
            EnvSource::Prefix | EnvSource::Env | EnvSource::Export
        ) {
            continue;
        }
        let stage = &cx.model.stages[g.stage];
        let Some(from) = cx.tree.instr_at(stage.item) else {
            continue;
        };
        let mut edits = Vec::new();
        edits.push(Edit::replace(arch.range.clone(), "GOARCH=$TARGETARCH"));
        if let Some(o) = &os {
            if matches!(
                o.source,
                EnvSource::Prefix | EnvSource::Env | EnvSource::Export
            ) && o.range.start != arch.range.start
            {
                edits.push(Edit::replace(o.range.clone(), "GOOS=$TARGETOS"));
            }
        }
        // Only a builder moves to the build machine's platform: the final image (or a
        // stage it is built on) keeps the target's, or it would be labelled with the
        // wrong one.
        let shipped = cx
            .final_stage()
            .is_some_and(|f| f == g.stage || cx.model.ancestors(f).contains(&g.stage));
        if from.ins.flag("platform").is_none() && !shipped {
            edits.push(Edit::insert(
                from.abs(from.ins.keyword_span).end,
                " --platform=$BUILDPLATFORM",
            ));
        }
        let declared = |n: &str| stage.defs.iter().any(|d| d.name == n && d.item < g.item);
        let mut args = Vec::new();
        if !declared("TARGETOS") && os.is_some() {
            args.push("TARGETOS");
        }
        if !declared("TARGETARCH") {
            args.push("TARGETARCH");
        }
        if !args.is_empty() {
            let end = from.start + from.len;
            let nl = if cx.text[..end].ends_with('\n') {
                ""
            } else {
                "\n"
            };
            edits.push(Edit::insert(end, format!("{nl}ARG {}\n", args.join(" "))));
        }
        d.with_fix(Fix::unsafe_(
            text!(
                "Cross-compile for `$TARGETARCH`",
                "改为按 `$TARGETARCH` 交叉编译"
            ),
            edits,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{check, Config};
    use crate::syntax::parse;

    fn fix_texts(text: &str) -> Vec<String> {
        let tree = parse(text);
        check(text, &tree, &Config::default())
            .diagnostics
            .into_iter()
            .filter(|d| d.code == "GO107")
            .flat_map(|d| d.fix.into_iter().flat_map(|f| f.edits))
            .map(|e| e.text)
            .collect()
    }

    #[test]
    fn only_a_builder_moves_to_the_build_platform() {
        // A builder stage: cross-compile on $BUILDPLATFORM.
        let edits = fix_texts("FROM golang:1.22 AS build\nRUN GOARCH=amd64 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n");
        assert!(
            edits
                .iter()
                .any(|e| e.contains("--platform=$BUILDPLATFORM")),
            "{edits:?}"
        );
        // The final stage (or one the final stage is built on) keeps the target platform.
        for text in [
            "FROM golang:1.22\nRUN GOARCH=amd64 go build -o /app .\nCMD [\"/app\"]\n",
            "FROM golang:1.22 AS base\nRUN GOARCH=amd64 go build -o /app .\nFROM base\nCMD [\"/app\"]\n",
        ] {
            let edits = fix_texts(text);
            assert!(edits.iter().any(|e| e == "GOARCH=$TARGETARCH"), "{edits:?}");
            assert!(!edits.iter().any(|e| e.contains("--platform")), "{edits:?}");
        }
    }
}
