//! DF510: `ENV key value` / `LABEL key value` instead of `key=value`.

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "DF510",
    name: "legacy-key-value",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    peers: &["LegacyKeyValueFormat"],
    en: RuleDoc {
        summary: "`ENV` or `LABEL` in the legacy `key value` form",
        what: "Flags `ENV NAME value` and `LABEL name value`, the whitespace-separated form.",
        why: "The legacy form sets exactly one variable and takes the rest of the line as its value, so `ENV A 1 B 2` sets `A` to `1 B 2`. Docker has deprecated it; `key=value` is unambiguous and allows several pairs.",
        bad: "FROM alpine:3.20\nENV APP_ENV production\n",
        good: "FROM alpine:3.20\nENV APP_ENV=production\n",
        fix: "Rewrites the pair as `key=value`, quoting the value when it holds spaces. Safe when the value has no quotes or escapes; otherwise offered as an unsafe fix.",
    },
    zh: RuleDoc {
        summary: "`ENV` 或 `LABEL` 使用了旧的 `key value` 写法",
        what: "标出用空格分隔的 `ENV NAME value` 和 `LABEL name value`。",
        why: "旧写法只设置一个变量，并把该行剩余部分全部当作值，所以 `ENV A 1 B 2` 会把 `A` 设为 `1 B 2`。Docker 已弃用这种写法；`key=value` 没有歧义，还能在一条指令中设置多个键值对。",
        bad: "FROM alpine:3.20\nENV APP_ENV production\n",
        good: "FROM alpine:3.20\nENV APP_ENV=production\n",
        fix: "改写为 `key=value`，值中含空格时加上引号。值不含引号和转义字符时修复是安全的，否则作为不安全修复提供。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for i in cx.tree.instructions() {
        let ins = i.onbuild_target();
        if !matches!(ins.keyword, Keyword::Env | Keyword::Label) {
            continue;
        }
        let Args::Pairs {
            pairs,
            legacy: true,
        } = &ins.args
        else {
            continue;
        };
        let Some(p) = pairs.first() else { continue };
        let Some(v) = &p.value else { continue };
        let name = ins.keyword_text.to_uppercase();
        let plain = !v.text.contains(['"', '\'', '\\', '`']);
        let value = if v.text.contains(char::is_whitespace) {
            format!("\"{}\"", v.text)
        } else {
            v.text.to_string()
        };
        let new = format!("{}={}", p.key.text, value);
        let title = text!("Write `{}`", "改为 `{}`", new);
        let edits = vec![Edit::replace(i.abs(p.span), new.clone())];
        let fix = if plain {
            Fix::safe(title, edits)
        } else {
            Fix::unsafe_(title, edits)
        };
        sink.report(
            i.abs(p.span),
            text!(
                "legacy `{} key value` form; write `{} key=value`",
                "旧的 `{} key value` 写法；请改为 `{} key=value`",
                name,
                name
            ),
        )
        .with_tag(Tag::Deprecated)
        .with_fix(fix);
    }
}
