//! The rule pages (docs/rules/CODE.md and CODE.zh.md), generated from the rule sources
//! so that they cannot drift. `dockwise explain` and hovers use the same text.

use super::{FixKind, Rule, Severity, REGISTRY};
use crate::i18n::Lang;

fn severity(lang: Lang, s: Severity) -> &'static str {
    crate::i18n::ui::severity(lang, s)
}

fn fix_kind(lang: Lang, f: FixKind) -> &'static str {
    match (lang, f) {
        (Lang::En, FixKind::Safe) => "safe (applied by `dockwise fix`)",
        (Lang::En, FixKind::Unsafe) => "unsafe (offered as a code action)",
        (Lang::En, FixKind::None) => "none",
        (Lang::Zh, FixKind::Safe) => "安全（`dockwise fix` 会自动应用）",
        (Lang::Zh, FixKind::Unsafe) => "不安全（仅作为代码操作提供）",
        (Lang::Zh, FixKind::None) => "无",
    }
}

/// One rule's page.
pub fn page(rule: &Rule, lang: Lang) -> String {
    let d = rule.doc(lang);
    let (h_what, h_why, h_example, h_bad, h_good, h_fix, l_sev, l_fix, l_peers, other) = match lang
    {
        Lang::En => (
            "What it does",
            "Why is this bad?",
            "Example",
            "Triggers the rule:",
            "Fixed:",
            "Fix safety",
            "Default severity",
            "Fix",
            "Equivalent checks",
            "[中文](./{code}.zh.md)",
        ),
        Lang::Zh => (
            "作用",
            "为什么不好",
            "示例",
            "会触发该规则：",
            "修正后：",
            "修复安全性",
            "默认级别",
            "修复",
            "其他工具中的对应检查",
            "[English](./{code}.md)",
        ),
    };
    let peers = if rule.peers.is_empty() {
        "–".to_string()
    } else {
        rule.peers
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "<!-- Generated from server/src/rules; edit the rule source, then run `DOCKWISE_BLESS=1 cargo test --test docs`. -->\n\
         # {code} {name}\n\n\
         {summary}\n\n\
         {other}\n\n\
         | | |\n|---|---|\n| {l_sev} | {sev} |\n| {l_fix} | {fix} |\n| {l_peers} | {peers} |\n\n\
         ## {h_what}\n\n{what}\n\n\
         ## {h_why}\n\n{why}\n\n\
         ## {h_example}\n\n{h_bad}\n\n```dockerfile\n{bad}```\n\n{h_good}\n\n```dockerfile\n{good}```\n\n\
         ## {h_fix}\n\n{fixdoc}\n",
        code = rule.code,
        name = rule.name,
        summary = d.summary,
        other = other.replace("{code}", rule.code),
        sev = severity(lang, rule.severity),
        fix = fix_kind(lang, rule.fix),
        what = d.what,
        why = d.why,
        bad = d.bad,
        good = d.good,
        fixdoc = d.fix,
    )
}

/// The index page listing every rule.
pub fn index(lang: Lang) -> String {
    let (title, intro, cols) = match lang {
        Lang::En => (
            "# dockwise rules",
            "Every rule, its default severity and whether it has a fix. Suppress one with `# dockwise: ignore=CODE` on the line above, or for the whole file with `# dockwise: global ignore=CODE`. [中文](./README.zh.md)",
            "| code | name | severity | fix | summary |",
        ),
        Lang::Zh => (
            "# dockwise 规则",
            "下表列出所有规则、它们的默认级别以及是否提供修复。在某一行的上一行写 `# dockwise: ignore=CODE`，可在该行忽略这条规则；写 `# dockwise: global ignore=CODE` 则在整个文件中忽略它。[English](./README.md)",
            "| 代码 | 名称 | 级别 | 修复 | 说明 |",
        ),
    };
    let suffix = match lang {
        Lang::En => "",
        Lang::Zh => ".zh",
    };
    let mut s = format!("{title}\n\n{intro}\n\n{cols}\n|---|---|---|---|---|\n");
    for r in REGISTRY {
        s.push_str(&format!(
            "| [{code}](./{code}{suffix}.md) | {name} | {sev} | {fix} | {summary} |\n",
            code = r.code,
            name = r.name,
            sev = severity(lang, r.severity),
            fix = fix_kind(lang, r.fix),
            summary = r.doc(lang).summary
        ));
    }
    s
}

/// Every generated file: (path relative to docs/rules, contents).
pub fn all_pages() -> Vec<(String, String)> {
    let mut out = vec![
        ("README.md".to_string(), index(Lang::En)),
        ("README.zh.md".to_string(), index(Lang::Zh)),
    ];
    for r in REGISTRY {
        out.push((format!("{}.md", r.code), page(r, Lang::En)));
        out.push((format!("{}.zh.md", r.code), page(r, Lang::Zh)));
    }
    out
}
