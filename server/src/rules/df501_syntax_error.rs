//! DF501: what BuildKit refuses to parse, with the exact range and a "did you mean".

use super::prelude::*;
use crate::syntax::{ErrorKind, Instruction, NodeKind, SyntaxError};

pub static RULE: Rule = Rule {
    code: "DF501",
    name: "syntax-error",
    severity: Severity::Error,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "The Dockerfile cannot be parsed by BuildKit",
        what: "Reports what `docker build` would reject before running a single step: unknown instructions, unterminated heredocs, JSON arrays that hold something other than strings, `ENV`/`LABEL` words without `=`, missing arguments, invalid parser directives.",
        why: "BuildKit stops at the first such error, so nothing is built. Seeing every error at once, with its exact place, saves a round trip per mistake.",
        bad: "FORM golang:1.22\nRUN go build ./...\n",
        good: "FROM golang:1.22\nRUN go build ./...\n",
        fix: "For a misspelled instruction the fix replaces it with the suggested keyword. It is safe: the misspelled line could not have built.",
    },
    zh: RuleDoc {
        summary: "BuildKit 无法解析该 Dockerfile",
        what: "报告 `docker build` 在执行任何步骤之前就会拒绝的问题：未知指令、未闭合的 heredoc、含有非字符串元素的 JSON 数组、缺少 `=` 的 `ENV`/`LABEL` 键值项、缺少参数、无效的解析器指令。",
        why: "BuildKit 遇到第一个这样的错误就会停止，什么也构建不出来。一次性看到所有错误及其准确位置，就不必每改一处错误都重新构建一次。",
        bad: "FORM golang:1.22\nRUN go build ./...\n",
        good: "FROM golang:1.22\nRUN go build ./...\n",
        fix: "指令拼写错误时，修复会把它替换为建议的关键字。该修复是安全的：拼错的那一行本来就无法构建。",
    },
    check,
};

/// The message of a syntax error.
pub fn message(kind: &ErrorKind) -> Text {
    match kind {
        ErrorKind::UnknownInstruction { word, suggestion } => match suggestion {
            Some(s) => text!(
                "unknown instruction `{}` (did you mean `{}`?)",
                "未知指令 `{}`（是不是想写 `{}`？）",
                word,
                s
            ),
            None => text!("unknown instruction `{}`", "未知指令 `{}`", word),
        },
        ErrorKind::UnterminatedHeredoc { name } => text!(
            "heredoc `{}` is never closed: no line holds exactly `{}`",
            "heredoc `{}` 没有闭合：找不到内容恰好为 `{}` 的结束行",
            name,
            name
        ),
        ErrorKind::NotStringArray => text!(
            "a JSON array here must hold strings only",
            "此处的 JSON 数组只能包含字符串"
        ),
        ErrorKind::MissingEquals { word } => text!(
            "`{}` has no `=`: every word must be `name=value` in this form",
            "`{}` 缺少 `=`：这种写法要求每一项都是 `name=value`",
            word
        ),
        ErrorKind::LegacyNeedsValue => text!(
            "a name without `=` needs a value after it",
            "没有 `=` 的名称后面必须跟一个值"
        ),
        ErrorKind::MissingArguments { min } => {
            if *min >= 2 {
                text!(
                    "needs at least {} arguments: the source(s) and the destination",
                    "至少需要 {} 个参数：源路径和目标路径",
                    min
                )
            } else {
                text!("needs an argument", "缺少参数")
            }
        }
        ErrorKind::FromArguments => text!(
            "`FROM` takes an image, optionally followed by `AS name`",
            "`FROM` 的参数应为一个镜像，后面可以再跟 `AS 名称`"
        ),
        ErrorKind::FromExpectedAs => text!(
            "expected `AS` between the image and the stage name",
            "镜像和阶段名之间应为 `AS`"
        ),
        ErrorKind::ShellNotJson => text!(
            "`SHELL` must be written as a JSON array, e.g. `SHELL [\"/bin/bash\", \"-c\"]`",
            "`SHELL` 必须写成 JSON 数组，例如 `SHELL [\"/bin/bash\", \"-c\"]`"
        ),
        ErrorKind::OnbuildNotAllowed { keyword } => text!(
            "`{}` is not allowed as an `ONBUILD` trigger",
            "`{}` 不能作为 `ONBUILD` 的触发指令",
            keyword.as_str()
        ),
        ErrorKind::HealthcheckKind => text!(
            "`HEALTHCHECK` must be followed by `CMD` or `NONE`",
            "`HEALTHCHECK` 后面只能是 `CMD` 或 `NONE`"
        ),
        ErrorKind::HealthcheckNoneArgs => text!(
            "`HEALTHCHECK NONE` takes no arguments",
            "`HEALTHCHECK NONE` 不接受参数"
        ),
        ErrorKind::InvalidEscape => text!(
            "the escape character must be `\\` or `` ` ``",
            "转义字符只能是 `\\` 或 `` ` ``"
        ),
        ErrorKind::DuplicateDirective { name } => text!(
            "the `{}` parser directive is given twice; BuildKit accepts only one",
            "解析器指令 `{}` 写了两次；BuildKit 只接受一个",
            name
        ),
    }
}

fn report(sink: &mut Sink<'_>, base: usize, e: &SyntaxError) {
    let range = e.span.abs(base);
    let d = sink.report(range.clone(), message(&e.kind));
    if let ErrorKind::UnknownInstruction {
        suggestion: Some(s),
        ..
    } = &e.kind
    {
        d.with_fix(Fix::safe(
            text!("Replace with `{}`", "替换为 `{}`", s),
            vec![Edit::replace(range, *s)],
        ));
    }
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for it in cx.tree.items() {
        let base = it.start as usize;
        match &it.node.kind {
            NodeKind::Directive(d) => {
                if let Some(e) = &d.error {
                    report(sink, base, e);
                }
            }
            NodeKind::Instruction(ins) => {
                let all: Vec<&Instruction> = std::iter::once(ins.as_ref())
                    .chain(ins.onbuild_inner())
                    .collect();
                for i in all {
                    for e in &i.errors {
                        report(sink, base, e);
                    }
                }
            }
            _ => {}
        }
    }
}
