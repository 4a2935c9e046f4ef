//! RT204: a shell-less final image without CA certificates.

use super::prelude::*;
use crate::semantic::knowledge;
use crate::semantic::runtime::Tri;

pub static RULE: Rule = Rule {
    code: "RT204",
    name: "missing-ca-certificates",
    severity: Severity::Info,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "The final image has no CA certificates",
        what: "Flags a final stage on `scratch` (or another image without a CA bundle) that never copies `/etc/ssl/certs/ca-certificates.crt` in, when the file builds a Go program or the build context is a Go module whose prebuilt binary the final stage copies in. Distroless and Chainguard static already contain the bundle.",
        why: "Go's `crypto/tls` looks for the system's CA bundle; without it every HTTPS call fails with \"x509: certificate signed by unknown authority\" — only at run time, on the first request. If the service never calls out over TLS, ignore this.",
        bad: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "Copies the bundle from a stage that has it, or, when the binary is built outside the Dockerfile, from the pinned alpine image (safe: one file, read only by TLS).",
    },
    zh: RuleDoc {
        summary: "最终镜像中没有 CA 证书",
        what: "当最终阶段基于 `scratch`（或其他不含 CA 证书包的镜像），且从未复制 `/etc/ssl/certs/ca-certificates.crt` 时给出提示；前提是该文件会编译 Go 程序，或者构建上下文是一个 Go 模块、最终阶段复制的是预先构建好的二进制文件。distroless 和 Chainguard static 已自带证书包。",
        why: "Go 的 `crypto/tls` 会查找系统的 CA 证书包；没有它，所有 HTTPS 请求都会报“x509: certificate signed by unknown authority”——而且要到运行时发出第一个请求时才会暴露。如果服务从不发起 TLS 连接，可以忽略此提示。",
        bad: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "从含有证书包的阶段复制它；如果二进制文件是在 Dockerfile 之外构建的，就从固定版本的 alpine 镜像复制（安全：只是一个文件，而且只有 TLS 会读取它）。",
    },
    check,
};

/// A stage to copy system files from: one the final stage already copies from that has
/// the file, else any stage that has it.
pub fn donor(cx: &Ctx<'_>, fin: usize, has: impl Fn(usize) -> bool) -> Option<String> {
    let from_refs: Vec<usize> = cx
        .model
        .refs
        .iter()
        .filter(|r| r.in_stage == fin && r.kind == RefKind::CopyFrom)
        .filter_map(|r| match r.target {
            RefTarget::Stage(s) => Some(s),
            _ => None,
        })
        .collect();
    let pick = from_refs
        .iter()
        .copied()
        .find(|&s| has(s))
        .or_else(|| (0..fin).find(|&s| has(s)))?;
    let st = &cx.model.stages[pick];
    Some(st.name.clone().unwrap_or_else(|| pick.to_string()))
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let Some(fin) = cx.final_stage() else { return };
    let Some(rt) = cx.runtimes().get(fin) else {
        return;
    };
    // A Go binary built outside the Dockerfile (goreleaser, or `make` before `docker
    // build`): the context is a Go module and the final stage copies files from it.
    let prebuilt = || {
        cx.project.go_mod.is_some()
            && cx.stage_instrs(fin).any(|i| {
                matches!(i.ins.keyword, Keyword::Copy | Keyword::Add)
                    && i.ins.flag("from").is_none()
            })
    };
    if !rt.shell_less()
        || rt.ca_certificates != Tri::No
        || cx.ci_only()
        || !(cx.builds_go() || prebuilt())
    {
        return;
    }
    // Only images that run something.
    let runs = cx
        .stage_instrs(fin)
        .any(|i| matches!(i.ins.keyword, Keyword::Cmd | Keyword::Entrypoint));
    if !runs {
        return;
    }
    let st = &cx.model.stages[fin];
    let Some(from) = cx.tree.instr_at(st.item) else {
        return;
    };
    let msg = if cx.builds_go() {
        text!(
            "this image has no CA certificates, so HTTPS calls from the app will fail with \"x509: certificate signed by unknown authority\"; copy `/etc/ssl/certs/ca-certificates.crt` from the builder",
            "该镜像中没有 CA 证书，应用发起的 HTTPS 请求会报“x509: certificate signed by unknown authority”；请从构建阶段复制 `/etc/ssl/certs/ca-certificates.crt`"
        )
    } else {
        text!(
            "this image has no CA certificates, so HTTPS calls from the app will fail with \"x509: certificate signed by unknown authority\"; copy `/etc/ssl/certs/ca-certificates.crt` in from an image that has it",
            "该镜像中没有 CA 证书，应用发起的 HTTPS 请求会报“x509: certificate signed by unknown authority”；请从带有证书包的镜像中复制 `/etc/ssl/certs/ca-certificates.crt`"
        )
    };
    let d = sink.report(st.base.range.clone(), msg);
    // From a stage that has the bundle; with none (nothing is built here), from the
    // pinned alpine image, which `COPY --from` takes as well as a stage.
    let name = donor(cx, fin, |s| cx.runtimes()[s].ca_certificates.yes())
        .or_else(|| (!cx.builds_go()).then(|| knowledge::pinned_reference("alpine")));
    if let Some(name) = name {
        let end = from.start + from.len;
        let nl = if cx.text[..end].ends_with('\n') {
            ""
        } else {
            "\n"
        };
        d.with_fix(Fix::safe(
            text!(
                "Copy the CA bundle from `{}`",
                "从 `{}` 复制 CA 证书包",
                name
            ),
            vec![Edit::insert(
                end,
                format!(
                    "{nl}COPY --from={name} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n"
                ),
            )],
        ));
    }
}
