//! DF513: EXPOSE values BuildKit rejects or warns about.

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "DF513",
    name: "invalid-expose",
    severity: Severity::Error,
    fix: FixKind::Safe,
    peers: &["ExposeInvalidFormat", "ExposeProtoCasing", "DL3011"],
    en: RuleDoc {
        summary: "`EXPOSE` with an invalid port, protocol or a host mapping",
        what: "Checks each `EXPOSE` value: the port must be 0–65535 (or a range `a-b`), the protocol `tcp`, `udp` or `sctp` in lowercase, and no host port or IP (`8080:80`) may be given.",
        why: "An invalid port or protocol fails the build. A host mapping is ignored: publishing ports is decided by `docker run -p`, not the image, and BuildKit warns that it will become an error.",
        bad: "FROM alpine:3.20\nEXPOSE 8080:80 53/UDP 70000\n",
        good: "FROM alpine:3.20\nEXPOSE 80 53/udp\n",
        fix: "Drops the host part of a mapping and lower-cases the protocol (safe: neither has any effect on the image).",
    },
    zh: RuleDoc {
        summary: "`EXPOSE` 中有无效的端口或协议，或指定了主机端口映射",
        what: "检查每个 `EXPOSE` 值：端口必须在 0–65535 之间（或写成 `a-b` 的范围），协议只能是小写的 `tcp`、`udp` 或 `sctp`，且不能指定主机端口或 IP（如 `8080:80`）。",
        why: "无效的端口或协议会导致构建失败。主机端口映射会被忽略：是否发布端口由 `docker run -p` 决定，与镜像无关；BuildKit 也已警告这种写法将来会成为错误。",
        bad: "FROM alpine:3.20\nEXPOSE 8080:80 53/UDP 70000\n",
        good: "FROM alpine:3.20\nEXPOSE 80 53/udp\n",
        fix: "去掉映射中的主机部分，并把协议改成小写（安全：两者对镜像都没有任何作用）。",
    },
    check,
};

fn valid_port(p: &str) -> bool {
    let one = |s: &str| {
        !s.is_empty()
            && s.len() <= 5
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n <= 65535)
    };
    match p.split_once('-') {
        Some((a, b)) => one(a) && one(b) && a.parse::<u32>().ok() <= b.parse::<u32>().ok(),
        None => one(p),
    }
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for i in cx.tree.instructions() {
        if i.ins.keyword != Keyword::Expose {
            continue;
        }
        for w in i.ins.args.words() {
            let spec = w.text.as_str();
            if spec.contains('$') {
                continue;
            }
            let r = i.abs(w.span);
            let (ports, proto) = match spec.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (spec, None),
            };
            let container = ports.rsplit(':').next().unwrap_or(ports);
            if !valid_port(container) {
                sink.report(
                    r.clone(),
                    text!(
                        "`{}` is not a valid port (0–65535, or a range like `8000-8010`)",
                        "`{}` 不是有效的端口（应为 0–65535，或 `8000-8010` 这样的范围）",
                        spec
                    ),
                );
                continue;
            }
            if let Some(proto) = proto {
                let lower = proto.to_ascii_lowercase();
                if !matches!(lower.as_str(), "tcp" | "udp" | "sctp") {
                    sink.report(
                        r.clone(),
                        text!(
                            "unknown protocol `{}`: use `tcp`, `udp` or `sctp`",
                            "未知协议 `{}`：只能是 `tcp`、`udp` 或 `sctp`",
                            proto
                        ),
                    );
                    continue;
                }
            }
            let fixed = match proto {
                Some(p) => format!("{container}/{}", p.to_ascii_lowercase()),
                None => container.to_string(),
            };
            if ports.contains(':') {
                sink.report(
                    r.clone(),
                    text!(
                        "`{}` maps a host port, which `EXPOSE` ignores; publish ports with `docker run -p`",
                        "`{}` 指定了主机端口，`EXPOSE` 会忽略它；请用 `docker run -p` 发布端口",
                        spec
                    ),
                )
                .with_severity(Severity::Warning)
                .with_peer("ExposeInvalidFormat")
                .with_fix(Fix::safe(
                    text!("Expose `{}` only", "只暴露 `{}`", fixed),
                    vec![Edit::replace(r, fixed.clone())],
                ));
            } else if proto.is_some_and(|p| p != p.to_ascii_lowercase()) {
                sink.report(
                    r.clone(),
                    text!(
                        "protocol in `{}` should be lowercase",
                        "`{}` 中的协议应为小写",
                        spec
                    ),
                )
                .with_severity(Severity::Warning)
                .with_peer("ExposeProtoCasing")
                .with_fix(Fix::safe(
                    text!("Write `{}`", "改为 `{}`", fixed),
                    vec![Edit::replace(r, fixed.clone())],
                ));
            }
        }
    }
}
