//! RT208: the final image installs build tools it does not run.

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "RT208",
    name: "toolchain-in-final-image",
    severity: Severity::Warning,
    fix: FixKind::None,
    peers: &[],
    en: RuleDoc {
        summary: "The final image installs compilers and build tools",
        what: "Flags packages such as `gcc`, `g++`, `make`, `build-base`, `build-essential`, `musl-dev`, `go` installed in the final stage and not removed in the same `RUN`.",
        why: "Build tools in the runtime image add tens to hundreds of MB and give an attacker who gets a shell a ready compiler. Removing them in a later `RUN` does not help: the layer that installed them still ships. Install them in the builder stage, or install and remove them in one `RUN` (`apk add --virtual .build-deps … && apk del .build-deps`).",
        bad: "FROM alpine:3.20\nRUN apk add --no-cache ca-certificates build-base\nCOPY app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        good: "FROM alpine:3.20\nRUN apk add --no-cache ca-certificates\nCOPY app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "None: move the tools to the builder stage.",
    },
    zh: RuleDoc {
        summary: "最终镜像安装了编译器和构建工具",
        what: "标出在最终阶段安装、且没有在同一个 `RUN` 中卸载的 `gcc`、`g++`、`make`、`build-base`、`build-essential`、`musl-dev`、`go` 等软件包。",
        why: "运行镜像里的构建工具会增加几十到几百 MB，还会给拿到 shell 的攻击者送上一套现成的编译器。在后面的 `RUN` 里再卸载也没用：安装它们的那一层依然留在镜像里。请在构建阶段安装它们，或者在同一个 `RUN` 中安装并卸载（`apk add --virtual .build-deps … && apk del .build-deps`）。",
        bad: "FROM alpine:3.20\nRUN apk add --no-cache ca-certificates build-base\nCOPY app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        good: "FROM alpine:3.20\nRUN apk add --no-cache ca-certificates\nCOPY app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "无自动修复：请把这些工具移到构建阶段。",
    },
    check,
};

const BUILD_TOOLS: &[&str] = &[
    "gcc",
    "g++",
    "make",
    "build-base",
    "build-essential",
    "alpine-sdk",
    "musl-dev",
    "libc-dev",
    "libc6-dev",
    "clang",
    "cmake",
    "autoconf",
    "automake",
    "libtool",
    "go",
    "golang",
    "golang-go",
];

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let Some(fin) = cx.final_stage() else { return };
    let Some(rt) = cx.runtimes().get(fin) else {
        return;
    };
    // A final stage that is a Go toolchain is either GO101's case (it builds the app)
    // or a Go tool image (goreleaser) that needs its compilers on purpose.
    if rt.go_toolchain.yes() {
        return;
    }
    if cx.ci_only() {
        return;
    }
    // A build-environment image (its command is a shell or a build tool) needs its tools.
    let build_env = cx.stage_instrs(fin).any(|i| {
        matches!(i.ins.keyword, Keyword::Cmd | Keyword::Entrypoint)
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
                    matches!(prog, "sh" | "bash" | "ash" | "make" | "gcc" | "go")
                })
    });
    if build_env {
        return;
    }
    for p in &rt.installed {
        if !BUILD_TOOLS.contains(&p.name.as_str()) {
            continue;
        }
        // Packages installed and deleted again in one RUN are not in `installed`.
        sink.report(
            p.range.clone(),
            text!(
                "`{}` is a build tool and ships in the final image; install it in the builder stage instead",
                "`{}` 是构建工具，会随最终镜像一起发布；请改为在构建阶段安装",
                p.name
            ),
        );
    }
}
