//! RT206: `USER name` where no `/etc/passwd` can resolve it.

use super::prelude::*;
use crate::semantic::runtime::Tri;

pub static RULE: Rule = Rule {
    code: "RT206",
    name: "named-user-without-passwd",
    severity: Severity::Error,
    fix: FixKind::Unsafe,
    peers: &["DL3066"],
    en: RuleDoc {
        summary: "`USER` names a user the image has no `/etc/passwd` for",
        what: "Flags `USER appuser` (a name, not a number) in a stage built on `scratch` that never copies `/etc/passwd` in.",
        why: "The container runtime resolves a user name through `/etc/passwd` in the image. On `scratch` there is none, so the container fails to start with \"unable to find user appuser: no matching entries in passwd file\". The guide's production Dockerfile copies `/etc/passwd` from the builder for exactly this reason; a numeric `USER 65532:65532` needs no file at all.",
        bad: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /out/app /app\nUSER appuser\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "Switches to the numeric `USER 65532:65532` (unsafe: files the app writes will be owned by that uid).",
    },
    zh: RuleDoc {
        summary: "`USER` 使用了用户名，但镜像中没有可供解析的 `/etc/passwd`",
        what: "当基于 `scratch` 的阶段使用 `USER appuser`（用户名而不是数字），却从未复制 `/etc/passwd` 时报错。",
        why: "容器运行时（container runtime）要通过镜像里的 `/etc/passwd` 把用户名解析成 uid。scratch 中没有这个文件，容器启动时会报“unable to find user appuser: no matching entries in passwd file”。指南的生产级 Dockerfile 正是为此从构建阶段复制了 `/etc/passwd`；而数字形式的 `USER 65532:65532` 根本不需要这个文件。",
        bad: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /out/app /app\nUSER appuser\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "改为数字形式的 `USER 65532:65532`（不安全：应用写出的文件将归该 uid 所有）。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for (s, rt) in cx.runtimes().iter().enumerate() {
        if !rt.scratch || rt.passwd != Tri::No {
            continue;
        }
        for i in cx.stage_instrs(s) {
            if i.ins.keyword != Keyword::User {
                continue;
            }
            let Args::Text(w) = &i.ins.args else { continue };
            let user = w.text.split(':').next().unwrap_or("").trim();
            if user.is_empty() || user.contains('$') || user.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            sink.report(
                i.abs(w.span),
                text!(
                    "`USER {}` needs `/etc/passwd` to resolve the name, and this scratch image has none: the container will not start; copy `/etc/passwd` from the builder or use a numeric `USER 65532:65532`",
                    "`USER {}` 需要 `/etc/passwd` 来解析用户名，而这个 scratch 镜像里没有：容器将无法启动；请从构建阶段复制 `/etc/passwd`，或改用数字形式的 `USER 65532:65532`",
                    user
                ),
            )
            .with_fix(Fix::unsafe_(
                text!("Use `USER 65532:65532`", "改用 `USER 65532:65532`"),
                vec![Edit::replace(i.abs(w.span), "65532:65532")],
            ));
        }
    }
}
