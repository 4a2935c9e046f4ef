//! DF511: MAINTAINER is deprecated.

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "DF511",
    name: "maintainer-deprecated",
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    peers: &["MaintainerDeprecated", "DL4000"],
    en: RuleDoc {
        summary: "`MAINTAINER` is deprecated",
        what: "Flags the `MAINTAINER` instruction.",
        why: "`MAINTAINER` sets a legacy image field that tools no longer read. The OCI label `org.opencontainers.image.authors` is the standard place for it.",
        bad: "FROM alpine:3.20\nMAINTAINER Jane <jane@example.com>\n",
        good: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane <jane@example.com>\"\n",
        fix: "Replaces it with the OCI authors label (unsafe: the image's legacy author field is no longer set).",
    },
    zh: RuleDoc {
        summary: "`MAINTAINER` 已被弃用",
        what: "标出 `MAINTAINER` 指令。",
        why: "`MAINTAINER` 写入的是一个工具早已不再读取的旧镜像字段。标准做法是使用 OCI 标签 `org.opencontainers.image.authors`。",
        bad: "FROM alpine:3.20\nMAINTAINER Jane <jane@example.com>\n",
        good: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane <jane@example.com>\"\n",
        fix: "替换为 OCI 作者标签（不安全：镜像中旧的作者字段将不再设置）。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for i in cx.tree.instructions() {
        if i.ins.keyword != Keyword::Maintainer {
            continue;
        }
        let author = i.ins.args_text().replace('"', "\\\"");
        let range = i.line_range();
        sink.report(
            i.abs(i.ins.keyword_span),
            text!(
                "`MAINTAINER` is deprecated; use the label `org.opencontainers.image.authors`",
                "`MAINTAINER` 已弃用；请改用标签 `org.opencontainers.image.authors`"
            ),
        )
        .with_tag(Tag::Deprecated)
        .with_fix(Fix::unsafe_(
            text!("Use a `LABEL` instead", "改用 `LABEL`"),
            vec![Edit::replace(
                range,
                format!("LABEL org.opencontainers.image.authors=\"{author}\""),
            )],
        ));
    }
}
