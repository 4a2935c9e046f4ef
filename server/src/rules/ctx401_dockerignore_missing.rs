//! CTX401: the whole context is copied and there is no .dockerignore.

use super::prelude::*;
use crate::context::find_dockerignore;
use crate::rules::go102_source_copied_before_deps::copies_whole_context;
use crate::rules::FileChange;

pub static RULE: Rule = Rule {
    code: "CTX401",
    name: "dockerignore-missing",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "The whole build context is copied but there is no `.dockerignore`",
        what: "Flags `COPY . .` (or any copy of the whole context) when the build context has neither a `.dockerignore` nor a `<Dockerfile>.dockerignore`. Needs the build context (the Dockerfile's folder, `--context`, or the editor's workspace).",
        why: "Without it, `.git`, local binaries, logs, coverage files, `node_modules` and any `.env` with secrets are sent to the builder and copied into the image. Every unrelated change (a commit, a log line) also invalidates the layer cache from that `COPY` on.",
        bad: "# build context: go.mod, go.sum, main.go (no .dockerignore)\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n",
        good: "# build context: go.mod, go.sum, main.go, .dockerignore\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n",
        fix: "Creates a `.dockerignore` with Go defaults (`.git`, `*.log`, coverage output, `Dockerfile*`, `.env`, editor folders). Safe: nothing the Go build needs is excluded.",
    },
    zh: RuleDoc {
        summary: "复制了整个构建上下文，却没有 `.dockerignore`",
        what: "当构建上下文中既没有 `.dockerignore`，也没有 `<Dockerfile>.dockerignore`，却出现了 `COPY . .`（或其他复制整个构建上下文的指令）时给出警告。此规则需要知道构建上下文（Dockerfile 所在目录、`--context` 指定的目录或编辑器的工作区）。",
        why: "没有它，`.git`、本地编译出的二进制文件、日志、覆盖率文件、`node_modules`，以及任何含有敏感信息的 `.env`，都会被发送给构建器并复制进镜像。而且每一次无关的改动（一次提交、一行日志）都会让这条 `COPY` 及其之后的层缓存全部失效。",
        bad: "# build context: go.mod, go.sum, main.go (no .dockerignore)\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n",
        good: "# build context: go.mod, go.sum, main.go, .dockerignore\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n",
        fix: "创建一个包含 Go 项目常用规则的 `.dockerignore`（`.git`、`*.log`、覆盖率输出、`Dockerfile*`、`.env`、编辑器目录）。安全：不会排除 Go 构建需要的任何文件。",
    },
    check,
};

/// The `.dockerignore` the fix creates.
pub const GO_DEFAULTS: &str = "\
# Created by dockwise: keep the build context small and free of secrets.
.git
.gitignore
.dockerignore
Dockerfile*
*.Dockerfile
*.log
coverage.out
*.out
*.test
*.prof
.env
.env.*
.idea
.vscode
node_modules
bin/
dist/
tmp/
";

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    if !cx.context.known() {
        return;
    }
    let Some(copy) = cx
        .tree
        .instructions()
        .find(|i| copies_whole_context(i.onbuild_target()))
    else {
        return;
    };
    if find_dockerignore(cx.context, cx.dockerfile).is_some() {
        return;
    }
    sink.report(
        copy.line_range(),
        text!(
            "the whole build context is copied and there is no `.dockerignore`: `.git`, logs, local binaries and secrets go into the image",
            "复制了整个构建上下文，却没有 `.dockerignore`：`.git`、日志、本地二进制文件和敏感信息都会进入镜像"
        ),
    )
    .with_fix(Fix::file(
        text!("Create a `.dockerignore` for Go", "创建适用于 Go 项目的 `.dockerignore`"),
        FileChange::Create {
            path: ".dockerignore".to_string(),
            text: GO_DEFAULTS.to_string(),
        },
    ));
}
