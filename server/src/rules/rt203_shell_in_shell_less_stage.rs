//! RT203: shell commands in an image that has no shell.

use super::prelude::*;
use crate::rules::df507_json_args_recommended::exec_form;

pub static RULE: Rule = Rule {
    code: "RT203",
    name: "shell-in-shell-less-stage",
    severity: Severity::Error,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "A shell command in an image without a shell",
        what: "Flags `RUN`, shell-form `CMD`/`ENTRYPOINT` and shell-form `HEALTHCHECK CMD` in a stage built on `scratch`, distroless or Chainguard static (or on a stage built on one).",
        why: "Shell form means `/bin/sh -c \"…\"`, and these images have no `/bin/sh`: `RUN` fails the build, and a shell-form `CMD` fails when the container starts with \"exec: /bin/sh: no such file or directory\". The guide lists it among scratch's caveats.",
        bad: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 65532:65532\nCMD /app\n",
        good: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 65532:65532\nCMD [\"/app\"]\n",
        fix: "Rewrites `CMD`/`ENTRYPOINT` in exec form when the command is a plain list of words (safe). `RUN` has no automatic fix: do that work in the builder stage.",
    },
    zh: RuleDoc {
        summary: "在没有 shell 的镜像中使用了 shell 命令",
        what: "在以 `scratch`、distroless 或 Chainguard static 为基础（直接或经由其他阶段）的阶段中，标出 `RUN`、shell 形式的 `CMD`/`ENTRYPOINT`，以及 shell 形式的 `HEALTHCHECK CMD`。",
        why: "shell 形式就是 `/bin/sh -c \"…\"`，而这些镜像里没有 `/bin/sh`：`RUN` 会让构建失败，shell 形式的 `CMD` 会在容器启动时报“exec: /bin/sh: no such file or directory”。指南在 scratch 的注意事项里也提到了这一点。",
        bad: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 65532:65532\nCMD /app\n",
        good: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 65532:65532\nCMD [\"/app\"]\n",
        fix: "命令只是普通单词列表时，把 `CMD`/`ENTRYPOINT` 改写为 exec 形式（安全）。`RUN` 没有自动修复：请把这些工作放到构建阶段去做。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for (s, rt) in cx.runtimes().iter().enumerate() {
        if !rt.shell_less() {
            continue;
        }
        let image = cx.model.stages[cx.model.ancestors(s).last().copied().unwrap_or(s)]
            .base
            .expanded
            .clone();
        // A SHELL instruction (e.g. `SHELL ["/busybox/sh", "-c"]` on distroless :debug)
        // provides the shell for everything after it.
        let mut chain = vec![s];
        chain.extend(cx.model.ancestors(s));
        let shell_from = chain
            .iter()
            .flat_map(|&st| cx.stage_instrs(st))
            .filter(|i| i.ins.keyword == Keyword::Shell)
            .map(|i| i.index)
            .min();
        for i in cx.stage_instrs(s) {
            if shell_from.is_some_and(|k| k < i.index) {
                break;
            }
            let ins = i.ins;
            match (&ins.keyword, &ins.args) {
                (Keyword::Run, args) if !matches!(args, Args::Exec(_)) => {
                    sink.report(
                        i.line_range(),
                        text!(
                            "`{}` has no shell, so this `RUN` cannot execute; do this work in a builder stage and copy the result",
                            "`{}` 中没有 shell，这条 `RUN` 无法执行；请在构建阶段完成这些工作，再复制结果",
                            image
                        ),
                    );
                }
                (Keyword::Cmd | Keyword::Entrypoint, Args::Shell(w)) => {
                    let kw = ins.keyword.as_str();
                    let d = sink.report(
                        i.abs(w.span),
                        text!(
                            "shell-form `{}` needs `/bin/sh`, which `{}` does not have: the container will not start; use exec form",
                            "shell 形式的 `{}` 需要 `/bin/sh`，而 `{}` 中没有：容器将无法启动；请改用 exec 形式",
                            kw,
                            image
                        ),
                    );
                    if let Some(json) = exec_form(&w.text) {
                        d.with_fix(Fix::safe(
                            text!("Write as `{}`", "改写为 `{}`", json),
                            vec![Edit::replace(i.abs(w.span), json.clone())],
                        ));
                    }
                }
                (Keyword::Healthcheck, Args::Healthcheck(h)) => {
                    if let Some(Args::Shell(w)) = h.cmd.as_deref() {
                        sink.report(
                            i.abs(w.span),
                            text!(
                                "this health check runs under `/bin/sh`, which `{}` does not have; it will always fail",
                                "该健康检查要通过 `/bin/sh` 执行，而 `{}` 中没有；它会一直失败",
                                image
                            ),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}
