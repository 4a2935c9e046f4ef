//! GO101: the final image is the Go toolchain that built the app.

use super::prelude::*;
use crate::semantic::go::GoVerb;

pub static RULE: Rule = Rule {
    code: "GO101",
    name: "single-stage-go-image",
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    peers: &[],
    en: RuleDoc {
        summary: "The final image ships the Go toolchain that built the app",
        what: "Flags a final stage that is (or installs) a Go toolchain and also builds or runs the application in it: a single-stage build `FROM golang`, a distribution image that installs `go`, or `CMD go run`. Images that are Go tools on purpose (golangci-lint, goreleaser) and CI-only images are left alone.",
        why: "The Go toolchain is about 800 MB (`golang:1.21` in the guide's table) while the program needs none of it: Go compiles to one executable. Shipping the compiler, the module cache and the source widens the attack surface and slows every pull. A multi-stage build compiles in a `builder` stage and copies only the binary into alpine (≈15 MB) or scratch (≈10 MB).",
        bad: "FROM golang:1.21-alpine\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN go build -ldflags=\"-s -w\" -o main .\nCMD [\"./main\"]\n",
        good: "FROM golang:1.21-alpine AS builder\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN go build -ldflags=\"-s -w\" -o main .\n\nFROM alpine:3.20\nCOPY --from=builder /app/main /app/main\nCMD [\"/app/main\"]\n",
        fix: "Rewrites the file as a multi-stage build (the `to-multi-stage` refactor): the stage becomes `builder`, and a runtime stage on alpine gets the binary, CA certificates, a non-root user and the instructions that matter at run time. Unsafe: review the result (offered in the editor and by `dockwise fix --unsafe`; `dockwise refactor to-multi-stage` says why when it declines).",
    },
    zh: RuleDoc {
        summary: "最终镜像包含了用来编译应用的 Go 工具链",
        what: "当最终阶段本身就是（或安装了）Go 工具链，并且在其中编译或运行应用时给出警告：例如 `FROM golang` 的单阶段构建、安装了 `go` 的发行版镜像，或 `CMD go run`。本身就是 Go 工具的镜像（golangci-lint、goreleaser）和只用于 CI 的镜像不受影响。",
        why: "Go 工具链大约有 800 MB（指南表格中 `golang:1.21` 的大小），而程序运行时一点都用不上：Go 编译出来的就是一个可执行文件。把编译器、模块缓存和源码一起发布，会扩大攻击面，也拖慢每一次拉取。多阶段构建则在 `builder` 阶段编译，只把二进制文件复制到 alpine（约 15 MB）或 scratch（约 10 MB）中。",
        bad: "FROM golang:1.21-alpine\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN go build -ldflags=\"-s -w\" -o main .\nCMD [\"./main\"]\n",
        good: "FROM golang:1.21-alpine AS builder\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN go build -ldflags=\"-s -w\" -o main .\n\nFROM alpine:3.20\nCOPY --from=builder /app/main /app/main\nCMD [\"/app/main\"]\n",
        fix: "把文件改写为多阶段构建（即 `to-multi-stage` 重构）：原阶段成为 `builder`，新的 alpine 运行阶段只包含二进制文件、CA 证书、非 root 用户以及运行时需要的指令。该修复不保证安全，请检查结果（编辑器中可作为代码操作使用，也可运行 `dockwise fix --unsafe`；若无法改写，`dockwise refactor to-multi-stage` 会说明原因）。",
    },
    check,
};

/// Go tools whose images run a Go toolchain on purpose.
const GO_TOOLS: &[&str] = &[
    "golangci-lint",
    "goreleaser",
    "gopls",
    "ko",
    "mage",
    "buf",
    "air",
    "dlv",
];

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let Some(fin) = cx.final_stage() else { return };
    let Some(rt) = cx.runtimes().get(fin) else {
        return;
    };
    if !rt.go_toolchain.yes() || cx.ci_only() {
        return;
    }
    let mut chain = vec![fin];
    chain.extend(cx.model.ancestors(fin));
    let app_build = cx.go().iter().any(|g| {
        chain.contains(&g.stage)
            && !g.onbuild
            && match g.verb {
                GoVerb::Build | GoVerb::Run => true,
                // `go install tool@v1.2.3` installs a tool, not the app.
                GoVerb::Install => !g
                    .packages
                    .iter()
                    .any(|p| matches!(p.text.as_str(), "std" | "cmd") || p.text.contains('@')),
                _ => false,
            }
    });
    // `CMD ["go", "run", …]` / `CMD go run main.go`: compiled at every start. An image
    // whose ENTRYPOINT is `go` itself (`go test`, `go vet`) runs the toolchain on purpose.
    let entry_is_go = cx.stage_instrs(fin).any(|i| {
        i.ins.keyword == Keyword::Entrypoint
            && match &i.ins.args {
                Args::Exec(w) => w.first().is_some_and(|w| w.text == "go"),
                Args::Shell(w) => w.text.trim() == "go",
                _ => false,
            }
    });
    if entry_is_go {
        return;
    }
    let go_at_start = cx.stage_instrs(fin).any(|i| {
        matches!(i.ins.keyword, Keyword::Cmd | Keyword::Entrypoint)
            && match &i.ins.args {
                Args::Exec(w) => {
                    let first = w.first().map_or("", |w| w.text.as_str());
                    let prog = first.rsplit('/').next().unwrap_or(first);
                    (prog == "go" && w.get(1).is_some_and(|w| w.text == "run"))
                        // `["go run main.go"]`: one word, which exec cannot even start.
                        || (w.len() == 1 && compiles_at_start(first))
                        // `["sh", "-c", "go build … && ./app"]`
                        || (matches!(prog, "sh" | "bash" | "ash" | "dash")
                            && w.get(1).is_some_and(|w| w.text == "-c")
                            && w.get(2).is_some_and(|w| compiles_at_start(&w.text)))
                }
                Args::Shell(w) => compiles_at_start(&w.text),
                _ => false,
            }
    });
    let tool_image = cx.stage_instrs(fin).any(|i| {
        matches!(i.ins.keyword, Keyword::Entrypoint | Keyword::Cmd)
            && i.ins
                .args
                .words()
                .first()
                .or(match &i.ins.args {
                    Args::Shell(w) => Some(w),
                    _ => None,
                })
                .is_some_and(|w| {
                    let first = w.text.split_whitespace().next().unwrap_or("");
                    let prog = first.rsplit('/').next().unwrap_or(first);
                    GO_TOOLS.contains(&prog)
                })
    });
    if tool_image && !app_build {
        return;
    }
    let by_script = chain.iter().any(|&s| cx.builds_by_script(s));
    if !(app_build || go_at_start || by_script) {
        return;
    }
    let st = &cx.model.stages[fin];
    let range = match rt.go_toolchain_item {
        Some(k) if k != st.item => cx
            .tree
            .instr_at(k)
            .map_or(st.base.range.clone(), |i| i.line_range()),
        _ => {
            // The toolchain came with the base image of the chain's root.
            let root = chain.last().copied().unwrap_or(fin);
            cx.model.stages[root].base.range.clone()
        }
    };
    let size = rt
        .base
        .and_then(|f| f.size_mb)
        .filter(|s| *s >= 100.0)
        .map(|s| format!("{s:.0}"));
    let msg = match (go_at_start, size) {
        (true, _) => text!(
            "the final image compiles the app every time the container starts (its start command runs `go run` or `go build`) and ships the whole Go toolchain; build a binary in a builder stage and run that",
            "容器每次启动都要重新编译应用（启动命令里执行了 `go run` 或 `go build`），而且最终镜像包含完整的 Go 工具链；请在构建阶段编译出二进制文件，直接运行它"
        ),
        (false, Some(mb)) => text!(
            "the final image is the Go toolchain that built the app (about {} MB); compile in a builder stage and copy only the binary into a small runtime image",
            "最终镜像就是用于编译应用的 Go 工具链（约 {} MB）；请在构建阶段编译，只将二进制文件复制到精简的运行镜像中",
            mb
        ),
        (false, None) => text!(
            "the final image carries the Go toolchain that built the app; compile in a builder stage and copy only the binary into a small runtime image",
            "最终镜像中仍包含用于编译应用的 Go 工具链；请在构建阶段编译，只将二进制文件复制到精简的运行镜像中"
        ),
    };
    let d = sink.report(range, msg);
    if let Some((r, new)) = crate::refactor::multi_stage_fix(cx) {
        let mut fix = Fix::unsafe_(
            crate::refactor::Target::MultiStage.title(),
            vec![Edit::replace(r, new)],
        );
        fix.restructures = true;
        d.with_fix(fix);
    }
}

/// Whether a start-up command line compiles Go: one of its commands (split on `&&`,
/// `||`, `;` and `|`) is `go run` or `go build`.
fn compiles_at_start(script: &str) -> bool {
    script
        .split(['&', '|', ';', '\n'])
        .map(|c| c.split_whitespace().collect::<Vec<_>>())
        .any(|w| matches!(w.as_slice(), [go, "run" | "build", ..] if go.rsplit('/').next() == Some("go")))
}
