//! DF507: CMD and ENTRYPOINT in shell form.

use super::prelude::*;
use crate::semantic::Model;

pub static RULE: Rule = Rule {
    code: "DF507",
    name: "json-args-recommended",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    peers: &["JSONArgsRecommended", "DL3025"],
    en: RuleDoc {
        summary: "`CMD` or `ENTRYPOINT` in shell form",
        what: "Flags `CMD` and `ENTRYPOINT` written as a plain command line instead of a JSON array, unless the stage set its own `SHELL`.",
        why: "In shell form the process runs as a child of `/bin/sh -c`, which does not forward signals: `docker stop` waits ten seconds and then kills your Go server without a graceful shutdown. Images without a shell (`scratch`, distroless) cannot run it at all.",
        bad: "FROM alpine:3.20\nCOPY app /app\nCMD /app --port 8080\n",
        good: "FROM alpine:3.20\nCOPY app /app\nCMD [\"/app\", \"--port\", \"8080\"]\n",
        fix: "Rewrites the command as a JSON array when it is a plain list of words (no variables, quotes, globs or operators). That is safe: without shell syntax the shell did nothing but split words.",
    },
    zh: RuleDoc {
        summary: "`CMD` 或 `ENTRYPOINT` 使用了 shell 形式",
        what: "标出写成普通命令行而不是 JSON 数组的 `CMD` 和 `ENTRYPOINT`（阶段自行设置了 `SHELL` 时除外）。",
        why: "shell 形式下，程序作为 `/bin/sh -c` 的子进程运行，而 shell 不会把信号转发给它：`docker stop` 等待十秒后会直接杀掉你的 Go 服务，无法优雅退出。没有 shell 的镜像（`scratch`、distroless）则根本无法运行它。",
        bad: "FROM alpine:3.20\nCOPY app /app\nCMD /app --port 8080\n",
        good: "FROM alpine:3.20\nCOPY app /app\nCMD [\"/app\", \"--port\", \"8080\"]\n",
        fix: "当命令只是普通单词列表（不含变量、引号、通配符或操作符）时，改写为 JSON 数组。该修复是安全的：没有 shell 语法时，shell 除了按空白分词之外什么也没做。",
    },
    check,
};

/// The JSON array equivalent of a plain shell command, if it has no shell syntax.
pub fn exec_form(cmd: &str) -> Option<String> {
    let special = |c: char| {
        matches!(
            c,
            '$' | '`'
                | '"'
                | '\''
                | '\\'
                | '*'
                | '?'
                | '['
                | ']'
                | '~'
                | '&'
                | '|'
                | ';'
                | '<'
                | '>'
                | '('
                | ')'
                | '{'
                | '}'
                | '#'
                | '='
        )
    };
    let words: Vec<&str> = cmd.split_whitespace().collect();
    if words.is_empty() || cmd.chars().any(special) {
        return None;
    }
    let parts: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    Some(format!("[{}]", parts.join(", ")))
}

/// Whether `SHELL` was set in this stage before `item` or in an in-file ancestor.
pub fn shell_set(cx: &Ctx<'_>, model: &Model, stage: usize, item: usize) -> bool {
    let mut stages = vec![stage];
    stages.extend(model.ancestors(stage));
    stages.iter().any(|&s| {
        model.stages[s]
            .items
            .iter()
            .any(|&k| (s != stage || k < item) && instr_keyword(cx, k) == Some(Keyword::Shell))
    })
}

fn instr_keyword(cx: &Ctx<'_>, item: usize) -> Option<Keyword> {
    match &cx.tree.items().get(item)?.node.kind {
        crate::syntax::NodeKind::Instruction(i) => Some(i.keyword),
        _ => None,
    }
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for i in cx.tree.instructions() {
        let kw = i.ins.keyword;
        if !matches!(kw, Keyword::Cmd | Keyword::Entrypoint) {
            continue;
        }
        let Args::Shell(w) = &i.ins.args else {
            continue;
        };
        let Some(stage) = cx.model.stage_of_item(i.index) else {
            continue;
        };
        // Windows images run shell form under `cmd /S /C`, where signals work differently.
        let root = cx.model.ancestors(stage).last().copied().unwrap_or(stage);
        let windows = cx.model.stages[root]
            .base
            .image
            .as_ref()
            .is_some_and(|img| {
                let r = img.repository.as_str();
                r.contains("windows")
                    || r.contains("nanoserver")
                    || r.contains("servercore")
                    || crate::semantic::knowledge::image_facts(img)
                        .is_some_and(|f| f.os == crate::semantic::knowledge::Os::Windows)
            });
        if windows {
            continue;
        }
        // Without a shell the command cannot run at all: RT203 says so.
        if shell_set(cx, cx.model, stage, i.index) || cx.shell_less(stage) {
            continue;
        }
        let name = i.ins.keyword_text.to_uppercase();
        if w.text.trim_start().starts_with('[') {
            // Meant as exec form, but not valid JSON: BuildKit runs the text through
            // `/bin/sh -c`, where `["./app"]%` is no command at all.
            sink.report(
                i.abs(w.span),
                text!(
                    "this `{}` is not valid JSON (check the quotes, commas and anything after `]`), so it runs as a shell command and will fail",
                    "这条 `{}` 不是合法的 JSON（请检查引号、逗号以及 `]` 之后的字符），因此会被当作 shell 命令执行并失败",
                    name
                ),
            )
            .with_severity(Severity::Error);
            continue;
        }
        let d = sink.report(
            i.abs(w.span),
            text!(
                "`{}` in shell form runs under `/bin/sh -c`, which does not pass signals on; use a JSON array",
                "shell 形式的 `{}` 由 `/bin/sh -c` 启动，信号不会转发给程序；请改用 JSON 数组",
                name
            ),
        );
        if let Some(json) = exec_form(&w.text) {
            d.with_fix(Fix::safe(
                text!("Write as `{}`", "改写为 `{}`", json),
                vec![Edit::replace(i.abs(w.span), json.clone())],
            ));
        }
    }
}
