//! GO102: the whole source is copied before the modules are downloaded.

use super::prelude::*;
use crate::semantic::go::GoVerb;
use crate::syntax::Instruction;

pub static RULE: Rule = Rule {
    code: "GO102",
    name: "source-copied-before-deps",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "Source code is copied before the Go modules are downloaded",
        what: "Flags a `COPY . .` (or `ADD .`, or any copy of the whole build context) that comes before the stage downloads modules (`go mod download`, `go build`, …) when there is no earlier `COPY go.mod go.sum` + `RUN go mod download`.",
        why: "Docker caches each layer until something it depends on changes. When the whole source comes first, every edit to any `.go` file invalidates the download layer and all dependencies are fetched again — minutes per build in CI. Copying only `go.mod` and `go.sum` first keeps the download cached until the dependencies really change.",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN go build -o /out/app .\n",
        fix: "Inserts `COPY go.mod go.sum ./` and `RUN go mod download` before the copy (safe: the same files end up in the image; only the layer order changes). When the build context is unknown it copies `go.*`, which also works for a module without `go.sum`.",
    },
    zh: RuleDoc {
        summary: "在下载 Go 模块之前就复制了全部源码",
        what: "当阶段下载模块（`go mod download`、`go build` 等）之前出现了 `COPY . .`（或 `ADD .`，或任何复制整个构建上下文的指令），而前面又没有 `COPY go.mod go.sum` + `RUN go mod download` 时给出警告。",
        why: "Docker 会缓存每一层，直到它依赖的内容发生变化。如果先复制全部源码，任何 `.go` 文件的改动都会让下载依赖的那一层失效，所有依赖都要重新下载——在 CI 中每次构建要多花好几分钟。先只复制 `go.mod` 和 `go.sum`，下载依赖的那一层就能一直命中缓存，直到依赖真正发生变化。",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN go build -o /out/app .\n",
        fix: "在复制源码之前插入 `COPY go.mod go.sum ./` 和 `RUN go mod download`（安全：镜像里的文件不变，只是调整了层的顺序）。构建上下文未知时改为复制 `go.*`，这样没有 `go.sum` 的模块也能正常构建。",
    },
    check,
};

/// Whether a COPY/ADD copies the whole build context (`.`, `./`, `*`).
pub fn copies_whole_context(ins: &Instruction) -> bool {
    if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
        return false;
    }
    let w = ins.args.words();
    if w.len() < 2 {
        return false;
    }
    w[..w.len() - 1]
        .iter()
        .any(|s| matches!(s.text.trim_matches('"'), "." | "./" | "*" | "./*"))
}

/// Whether a COPY/ADD copies go.mod (explicitly or by a `go.*` pattern).
pub fn copies_go_mod(ins: &Instruction) -> bool {
    if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
        return false;
    }
    let w = ins.args.words();
    w.len() >= 2
        && w[..w.len() - 1].iter().any(|s| {
            let t = s.text.trim_start_matches("./");
            t == "go.mod" || t == "go.*" || t.ends_with("/go.mod") || t == "go.mod*"
        })
}

/// Whether the build can use Go modules: not with a Go older than 1.11, which had none.
/// (A context without go.mod proves little: the Dockerfile's folder is often not the
/// context it is built with.)
/// (The finding still stands there: dependencies belong in a layer of their own; only
/// the `go mod download` fix does not fit.)
pub fn uses_modules(cx: &Ctx<'_>, stage: usize) -> bool {
    let root = cx.model.ancestors(stage).last().copied().unwrap_or(stage);
    let version = cx.model.stages[root]
        .base
        .image
        .as_ref()
        .filter(|i| i.short_name() == "golang")
        .and_then(|i| i.tag.as_deref())
        .and_then(crate::semantic::knowledge::go_version_from_tag);
    version.is_none_or(|v| v >= (1, 11))
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for stage in &cx.model.stages {
        let instrs: Vec<InstrRef<'_>> = cx.stage_instrs(stage.index).collect();
        let Some(whole) = instrs.iter().find(|i| copies_whole_context(i.ins)) else {
            continue;
        };
        // A download after the whole copy.
        let downloads_after = cx.go().iter().any(|g| {
            g.stage == stage.index && g.item > whole.index && g.verb.downloads() && !g.onbuild
        });
        // `CMD go run …` downloads the modules at every container start.
        let runs_go_at_start = instrs.iter().any(|i| {
            i.index > whole.index
                && matches!(i.ins.keyword, Keyword::Cmd | Keyword::Entrypoint)
                && match &i.ins.args {
                    Args::Exec(w) => w.first().is_some_and(|w| w.text == "go"),
                    Args::Shell(w) => w.text.trim_start().starts_with("go "),
                    _ => false,
                }
        });
        let downloads_after = downloads_after || runs_go_at_start;
        // A make or script build in a Go toolchain downloads modules as well.
        let toolchain = cx
            .runtimes()
            .get(stage.index)
            .is_some_and(|r| r.go_toolchain.yes());
        if !(downloads_after || (toolchain && cx.builds_by_script(stage.index))) {
            continue;
        }
        // Vendored modules are in the source: nothing is downloaded.
        let vendored = cx.go().iter().any(|g| {
            g.stage == stage.index
                && (g.flag("-mod").and_then(|f| f.value.as_deref()) == Some("vendor")
                    || crate::semantic::go::env_for(cx.model, g, "GOFLAGS")
                        .is_some_and(|v| v.value.contains("-mod=vendor")))
        });
        if vendored {
            continue;
        }
        // Already done right: go.mod copied and modules downloaded before the whole copy.
        let mod_copied = instrs
            .iter()
            .any(|i| i.index < whole.index && copies_go_mod(i.ins));
        let downloaded_before = cx.go().iter().any(|g| {
            g.stage == stage.index
                && g.item < whole.index
                && matches!(
                    g.verb,
                    GoVerb::ModDownload | GoVerb::Get | GoVerb::ModTidy | GoVerb::Build
                )
        });
        if mod_copied && downloaded_before {
            continue;
        }
        // Also fine when an ancestor stage downloaded the modules after copying go.mod.
        let ancestor_ok = cx.model.ancestors(stage.index).iter().any(|&a| {
            cx.stage_instrs(a).any(|i| copies_go_mod(i.ins))
                && cx
                    .go()
                    .iter()
                    .any(|g| g.stage == a && g.verb == GoVerb::ModDownload)
        });
        if ancestor_ok {
            continue;
        }
        let d = sink.report(
            whole.line_range(),
            text!(
                "the whole source is copied before the Go modules are downloaded, so every code change downloads them all again; copy `go.mod` and `go.sum` and run `go mod download` first",
                "在下载 Go 模块之前就复制了全部源码，任何代码改动都会导致所有依赖重新下载；请先复制 `go.mod` 和 `go.sum` 并执行 `go mod download`"
            ),
        );
        // The fix copies into the same destination when it is the WORKDIR (`.`/`./`).
        let dest = whole
            .ins
            .args
            .words()
            .last()
            .map(|w| w.text.as_str())
            .unwrap_or("");
        if matches!(dest, "." | "./") && !mod_copied {
            let indent = cx.indent_at(whole.start);
            let eol = cx.eol();
            // With the context we know whether go.sum exists; without it, `go.*` matches
            // go.mod alone as well.
            let files = if !cx.context.known() {
                "go.*"
            } else if cx.project.go_sum {
                "go.mod go.sum"
            } else {
                "go.mod"
            };
            // Where the stage later sets GOPROXY & co., the early download needs them too.
            let env =
                crate::semantic::go::env_prefix(&crate::semantic::go::module_fetch_env_after(
                    cx.model,
                    cx.go(),
                    &[stage.index],
                    whole.index,
                ));
            let insert =
                format!("COPY {files} ./{eol}{indent}RUN {env}go mod download{eol}{indent}");
            d.with_fix(Fix::safe(
                text!(
                    "Copy `go.mod`/`go.sum` and download modules first",
                    "先复制 `go.mod`/`go.sum` 并下载模块"
                ),
                vec![Edit::insert(
                    whole.abs(whole.ins.keyword_span).start,
                    insert,
                )],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::context::NoContext;
    use crate::rules::{fix::fix_in, Config};

    #[test]
    fn the_early_download_gets_the_proxy_set_later() {
        let text = "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go env -w GOPROXY=https://goproxy.cn,direct && go build -o /app .\nENV GOSUMDB=sum.golang.google.cn\nFROM scratch\nCOPY --from=build /app /app\n";
        let out = fix_in(text, &Config::default(), false, &NoContext, "Dockerfile").text;
        assert!(
            out.contains(
                "GOPROXY=https://goproxy.cn,direct GOSUMDB=sum.golang.google.cn go mod download"
            ),
            "{out}"
        );
        // A value the shell would split is quoted.
        let text = "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN GOPROXY='https://a|https://b' go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n";
        let out = fix_in(text, &Config::default(), false, &NoContext, "Dockerfile").text;
        assert!(
            out.contains("GOPROXY='https://a|https://b' go mod download"),
            "{out}"
        );
    }
}
