//! DF518: a suppression comment or check directive names no known rule.

use super::prelude::*;
use super::suppress::{names, parse_comment, Source};
use crate::syntax::NodeKind;

pub static RULE: Rule = Rule {
    code: "DF518",
    name: "unknown-rule-in-suppression",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "A suppression names a rule that does not exist",
        what: "Checks the names in `# dockwise: ignore=…`, `# hadolint ignore=…` and BuildKit's `# check=skip=…`: dockwise codes must exist, hadolint names must look like `DL3006`/`SC2086`, and BuildKit names must be BuildKit checks. A near miss gets a suggestion.",
        why: "A misspelled code silences nothing, so the finding you meant to accept stays, or worse, you believe a problem is handled when it is not.",
        bad: "FROM alpine:3.20\n# dockwise: ignore=SEC031\nUSER 65532:65532\nCMD [\"/app\"]\n",
        good: "FROM alpine:3.20\n# dockwise: ignore=SEC301\nUSER 65532:65532\nCMD [\"/app\"]\n",
        fix: "Replaces a near miss with the code it most likely meant (safe: the misspelled name had no effect).",
    },
    zh: RuleDoc {
        summary: "忽略注释中写了不存在的规则",
        what: "检查 `# dockwise: ignore=…`、`# hadolint ignore=…` 以及 BuildKit 的 `# check=skip=…` 中的名称：dockwise 规则代码必须存在，hadolint 名称必须形如 `DL3006`/`SC2086`，BuildKit 名称必须是 BuildKit 的检查项。名称相近时会给出建议。",
        why: "拼错的代码什么也忽略不了：你本想接受的问题依旧会被报告；更糟的是，你会以为某个问题已经处理过了，其实并没有。",
        bad: "FROM alpine:3.20\n# dockwise: ignore=SEC031\nUSER 65532:65532\nCMD [\"/app\"]\n",
        good: "FROM alpine:3.20\n# dockwise: ignore=SEC301\nUSER 65532:65532\nCMD [\"/app\"]\n",
        fix: "把名称相近的错误代码替换为最可能的正确代码（安全：拼错的名称本来就不起作用）。",
    },
    check,
};

/// BuildKit's build checks (docs.docker.com/reference/build-checks).
const BUILDKIT_CHECKS: &[&str] = &[
    "StageNameCasing",
    "FromAsCasing",
    "NoEmptyContinuation",
    "ConsistentInstructionCasing",
    "DuplicateStageName",
    "ReservedStageName",
    "JSONArgsRecommended",
    "MaintainerDeprecated",
    "UndefinedArgInFrom",
    "WorkdirRelativePath",
    "UndefinedVar",
    "MultipleInstructionsDisallowed",
    "LegacyKeyValueFormat",
    "InvalidBaseImagePlatform",
    "RedundantTargetPlatform",
    "SecretsUsedInArgOrEnv",
    "InvalidDefaultArgInFrom",
    "FromPlatformFlagConstDisallowed",
    "CopyIgnoredFile",
    "ExposeProtoCasing",
    "ExposeInvalidFormat",
    "InvalidDefinitionDescription",
];

fn known(source: Source, name: &str) -> bool {
    let all = name == "all";
    match source {
        Source::Dockwise => super::rule_for_name(name).is_some() || all,
        Source::Hadolint => {
            let (p, n) = (name.get(..2).unwrap_or(""), name.get(2..).unwrap_or(""));
            matches!(p, "DL" | "SC") && !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
        }
        Source::BuildKit => all || BUILDKIT_CHECKS.contains(&name),
    }
}

fn suggestion(source: Source, name: &str) -> Option<String> {
    let candidates: Vec<String> = match source {
        Source::Dockwise => super::REGISTRY.iter().map(|r| r.code.to_string()).collect(),
        Source::BuildKit => BUILDKIT_CHECKS.iter().map(|s| s.to_string()).collect(),
        Source::Hadolint => return None,
    };
    candidates
        .into_iter()
        .map(|c| {
            (
                crate::syntax::edit_distance(&name.to_ascii_uppercase(), &c.to_ascii_uppercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Reports the unknown names of one comment or directive value found at `base`.
fn report(sink: &mut Sink<'_>, line: &str, base: usize, source: Source, list: &[String]) {
    for name in list {
        if known(source, name) {
            continue;
        }
        let Some(pos) = line.find(name.as_str()) else {
            continue;
        };
        let range = base + pos..base + pos + name.len();
        let d = match suggestion(source, name) {
            Some(s) => {
                let d = sink.report(
                    range.clone(),
                    text!(
                        "`{}` is not a known rule, so nothing is suppressed (did you mean `{}`?)",
                        "`{}` 不是已知的规则，因此什么也不会被忽略（是不是想写 `{}`？）",
                        name,
                        s
                    ),
                );
                d.with_fix(Fix::safe(
                    text!("Use `{}`", "改为 `{}`", s),
                    vec![Edit::replace(range, s.clone())],
                ));
                d
            }
            None => sink.report(
                range,
                text!(
                    "`{}` is not a known rule, so nothing is suppressed",
                    "`{}` 不是已知的规则，因此什么也不会被忽略",
                    name
                ),
            ),
        };
        d.with_tag(Tag::Unnecessary);
    }
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    if let Some((start, d)) = cx.tree.directive("check") {
        let v = d.value.split(' ').next().unwrap_or("");
        if let Some(skip) = v.split(';').find_map(|p| p.trim().strip_prefix("skip=")) {
            let end = start
                + cx.tree
                    .items()
                    .iter()
                    .find(|it| it.start as usize == start)
                    .map_or(0, |it| it.node.len as usize);
            let line = &cx.text[start..end];
            report(sink, line, start, Source::BuildKit, &names(skip));
        }
    }
    for it in cx.tree.items() {
        if !matches!(it.node.kind, NodeKind::Comment) {
            continue;
        }
        let start = it.start as usize;
        let line = &cx.text[start..start + it.node.len as usize];
        if let Some((source, _, list)) = parse_comment(line) {
            report(sink, line, start, source, &list);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn multibyte_names_do_not_panic() {
        // Found by fuzzing: a hadolint name starting with a multi-byte character.
        for text in [
            "FROM a\n# hadolint ignore=\u{FFFD}L3006\nRUN x\n",
            "FROM a\n# hadolint ignore=D\u{e9}\nRUN x\n",
            "FROM a\n# hadolint ignore=\u{e9}\nRUN x\n",
        ] {
            let tree = crate::syntax::parse(text);
            let r = crate::rules::check(text, &tree, &crate::rules::Config::default());
            assert!(r.diagnostics.iter().any(|d| d.code == "DF518"), "{text:?}");
        }
    }
}
