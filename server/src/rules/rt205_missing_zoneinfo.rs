//! RT205: `ENV TZ` in an image without time-zone data.

use super::prelude::*;
use crate::rules::rt204_missing_ca_certificates::donor;
use crate::semantic::runtime::Tri;

pub static RULE: Rule = Rule {
    code: "RT205",
    name: "missing-zoneinfo",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "`ENV TZ` is set but the image has no time-zone data",
        what: "Flags a final stage without `/usr/share/zoneinfo` (scratch, or a base without tzdata) that sets `ENV TZ`, unless the binary embeds the database (`-tags timetzdata`).",
        why: "Go reads `TZ` and looks the zone up in `/usr/share/zoneinfo`; when the file is missing, `time.Local` silently falls back to UTC and `time.LoadLocation(\"Asia/Shanghai\")` returns an error. Timestamps are off by hours with no error at start. The guide lists both remedies: copy zoneinfo, or embed it.",
        bad: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /out/app /app\nENV TZ=Asia/Shanghai\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo\nCOPY --from=build /out/app /app\nENV TZ=Asia/Shanghai\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "Copies `/usr/share/zoneinfo` from a stage that has it (safe). Alternatively build with `-tags timetzdata` (about 450 KB larger).",
    },
    zh: RuleDoc {
        summary: "设置了 `ENV TZ`，但镜像中没有时区数据",
        what: "当最终阶段没有 `/usr/share/zoneinfo`（scratch，或未安装 tzdata 的基础镜像），却设置了 `ENV TZ`，且二进制文件没有内嵌时区数据库（`-tags timetzdata`）时给出警告。",
        why: "Go 读取 `TZ` 后会去 `/usr/share/zoneinfo` 中查找时区；文件不存在时，`time.Local` 会悄悄退回到 UTC，`time.LoadLocation(\"Asia/Shanghai\")` 则返回错误。时间戳会差上好几个小时，启动时却没有任何报错。指南给出了两种办法：复制 zoneinfo，或把时区数据编译进二进制文件。",
        bad: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /out/app /app\nENV TZ=Asia/Shanghai\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo\nCOPY --from=build /out/app /app\nENV TZ=Asia/Shanghai\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "从含有时区数据的阶段复制 `/usr/share/zoneinfo`（安全）。也可以改用 `-tags timetzdata` 构建（二进制文件大约增加 450 KB）。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let Some(fin) = cx.final_stage() else { return };
    let Some(rt) = cx.runtimes().get(fin) else {
        return;
    };
    let Some(tz_item) = rt.tz_env else { return };
    if rt.zoneinfo != Tri::No {
        return;
    }
    let embedded = cx
        .go()
        .iter()
        .any(|g| g.tags().iter().any(|t| t == "timetzdata"));
    if embedded {
        return;
    }
    let Some(tz) = cx.tree.instr_at(tz_item) else {
        return;
    };
    let Some(pair) = (match &tz.ins.args {
        Args::Pairs { pairs, .. } => pairs.iter().find(|p| p.key.text == "TZ"),
        _ => None,
    }) else {
        return;
    };
    // Go falls back to UTC when a zone cannot be loaded, so UTC itself needs no data.
    let value = pair
        .value
        .as_ref()
        .map(|v| v.text.trim_matches('"').trim_start_matches(':').to_string())
        .unwrap_or_default();
    let utc = [
        "",
        "UTC",
        "Etc/UTC",
        "GMT",
        "Etc/GMT",
        "UCT",
        "Etc/UCT",
        "Zulu",
        "Universal",
    ];
    if utc.contains(&value.as_str()) {
        return;
    }
    let d = sink.report(
        tz.abs(pair.span),
        text!(
            "`TZ` is set but this image has no `/usr/share/zoneinfo`: Go silently falls back to UTC; copy zoneinfo from the builder or build with `-tags timetzdata`",
            "设置了 `TZ`，但该镜像中没有 `/usr/share/zoneinfo`：Go 会悄悄退回到 UTC；请从构建阶段复制 zoneinfo，或使用 `-tags timetzdata` 构建"
        ),
    );
    if let Some(name) = donor(cx, fin, |s| cx.runtimes()[s].zoneinfo.yes()) {
        let st = &cx.model.stages[fin];
        let Some(from) = cx.tree.instr_at(st.item) else {
            return;
        };
        let end = from.start + from.len;
        let nl = if cx.text[..end].ends_with('\n') {
            ""
        } else {
            "\n"
        };
        d.with_fix(Fix::safe(
            text!("Copy zoneinfo from `{}`", "从 `{}` 复制 zoneinfo", name),
            vec![Edit::insert(
                end,
                format!("{nl}COPY --from={name} /usr/share/zoneinfo /usr/share/zoneinfo\n"),
            )],
        ));
    }
}
