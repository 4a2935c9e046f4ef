//! SEC301: the final image runs as root.

use super::prelude::*;
use crate::semantic::runtime::Tri;

pub static RULE: Rule = Rule {
    code: "SEC301",
    name: "runs-as-root",
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    peers: &["DL3002"],
    en: RuleDoc {
        summary: "The container runs as root",
        what: "Flags a final stage with no `USER` (or `USER root`/`0`) whose base image does not already run as a non-root user (distroless `:nonroot`, Chainguard images, a stage that set `USER`). Images that drop privileges themselves (`su-exec`, `gosu`, `s6`) or manage the network (`iptables`) are left alone.",
        why: "Root in the container is root on the host's kernel: one bug in the app or the runtime and the attacker owns the container's files, can bind low ports and is one escape away from the host. A Go binary needs no privileges to serve on 8080. The guide: run as a non-root user, least privilege first.",
        bad: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "Adds a non-root user fitting the base (unsafe: the app can no longer write where root could): `USER 65532:65532` on scratch, `adduser -D -g '' appuser` + `USER appuser` on alpine, `USER nonroot` on distroless.",
    },
    zh: RuleDoc {
        summary: "容器以 root 身份运行",
        what: "当最终阶段没有 `USER`（或为 `USER root`/`0`），且基础镜像本身也不是以非 root 用户运行（distroless `:nonroot`、Chainguard 镜像、设置过 `USER` 的阶段）时给出警告。自行降权（`su-exec`、`gosu`、`s6`）或需要管理网络（`iptables`）的镜像不受影响。",
        why: "容器里的 root 就是宿主机内核眼中的 root：应用或运行时只要有一个漏洞，攻击者就能掌控容器里的文件、监听低端口，离逃逸到宿主机也只差一步。Go 程序在 8080 端口提供服务根本不需要任何特权。指南的要求是：以非 root 用户运行，坚持最小权限。",
        bad: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "添加与基础镜像相适应的非 root 用户（不安全：应用将无法再写入只有 root 能写的位置）：scratch 上用 `USER 65532:65532`，alpine 上用 `adduser -D -g '' appuser` 加 `USER appuser`，distroless 上用 `USER nonroot`。",
    },
    check,
};

/// Packages that mean the image manages privileges or the network itself.
const ROOT_BY_DESIGN: &[&str] = &[
    "su-exec",
    "gosu",
    "s6",
    "s6-overlay",
    "setpriv",
    "iptables",
    "ip6tables",
    "nftables",
    "iproute2",
];

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let Some(fin) = cx.final_stage() else { return };
    let Some(rt) = cx.runtimes().get(fin) else {
        return;
    };
    if rt.runs_as_root() != Tri::Yes || cx.ci_only() {
        return;
    }
    let mut chain = vec![fin];
    chain.extend(cx.model.ancestors(fin));
    let by_design = chain.iter().any(|&s| {
        cx.runtimes()[s]
            .installed
            .iter()
            .any(|p| ROOT_BY_DESIGN.contains(&p.name.as_str()))
            || cx.model.stages[s].base.raw.contains("iptables")
    });
    // nginx's master process starts as root and runs its workers unprivileged.
    let nginx = rt.base.is_some_and(|f| f.family == "nginx")
        || cx.stage_instrs(fin).any(|i| {
            matches!(i.ins.keyword, Keyword::Cmd | Keyword::Entrypoint)
                && i.ins
                    .args
                    .words()
                    .first()
                    .is_some_and(|w| w.text == "nginx")
        });
    if by_design || nginx {
        return;
    }
    // Not an application image: a base image for other builds (ONBUILD COPY of the
    // source), a toolchain image, or a scratch stage that exports build artifacts
    // (no CMD/ENTRYPOINT and no binary of ours in it).
    let onbuild = cx.tree.instructions().any(|i| {
        i.ins
            .onbuild_inner()
            .is_some_and(|t| matches!(t.keyword, Keyword::Copy | Keyword::Add))
    });
    let runs = chain.iter().any(|&s| {
        cx.stage_instrs(s)
            .any(|i| matches!(i.ins.keyword, Keyword::Cmd | Keyword::Entrypoint))
    });
    let ships_binary = cx.model.refs.iter().any(|r| {
        chain.contains(&r.in_stage)
            && r.kind == RefKind::CopyFrom
            && matches!(r.target, RefTarget::Stage(s) if cx.go().iter().any(|g| g.stage == s && g.verb.compiles()))
    }) || cx.go().iter().any(|g| chain.contains(&g.stage) && g.verb.compiles());
    let artifacts = rt.scratch && !runs && !ships_binary;
    let builds_app = cx
        .go()
        .iter()
        .any(|g| chain.contains(&g.stage) && g.verb.compiles() && !g.onbuild);
    let toolchain_image = rt.go_toolchain.yes() && !runs && !builds_app;
    if (onbuild && !builds_app) || artifacts || toolchain_image {
        return;
    }
    let st = &cx.model.stages[fin];
    let explicit = rt.user.as_ref().and_then(|(_, k)| cx.tree.instr_at(*k));
    let range = match &explicit {
        Some(u) => u.line_range(),
        None => st.base.range.clone(),
    };
    let msg = match explicit {
        Some(_) => text!(
            "the container runs as root; switch to a non-root user",
            "容器以 root 身份运行；请切换到非 root 用户"
        ),
        None => text!(
            "the final image sets no `USER`, so the container runs as root; add a non-root user",
            "最终镜像没有设置 `USER`，容器将以 root 身份运行；请添加非 root 用户"
        ),
    };
    let d = sink.report(range, msg);
    if explicit.is_some() {
        return;
    }
    // The fix: a user that fits the base, before the ENTRYPOINT/CMD (or at the end).
    let anchor = cx
        .stage_instrs(fin)
        .find(|i| matches!(i.ins.keyword, Keyword::Entrypoint | Keyword::Cmd))
        .map(|i| i.start);
    let at = anchor.unwrap_or_else(|| {
        let last = st.items.last().copied().unwrap_or(st.item);
        cx.tree
            .instr_at(last)
            .map_or(cx.text.len(), |i| i.start + i.len)
    });
    let nl = if at > 0 && !cx.text[..at].ends_with('\n') {
        "\n"
    } else {
        ""
    };
    let family = rt.base.map(|f| &*f.family).unwrap_or("");
    let lines = if rt.scratch || rt.shell_less() {
        if family.starts_with("distroless") {
            "USER nonroot\n".to_string()
        } else {
            "USER 65532:65532\n".to_string()
        }
    } else if rt.base.and_then(|f| f.package_manager.as_deref()) == Some("apk") {
        "RUN adduser -D -g '' appuser\nUSER appuser\n".to_string()
    } else if rt.base.and_then(|f| f.package_manager.as_deref()) == Some("apt") {
        "RUN useradd --system --no-create-home --uid 65532 appuser\nUSER appuser\n".to_string()
    } else {
        "USER 65532:65532\n".to_string()
    };
    d.with_fix(Fix::unsafe_(
        text!("Run as a non-root user", "改为以非 root 用户运行"),
        vec![Edit::insert(at, format!("{nl}{lines}"))],
    ));
}
