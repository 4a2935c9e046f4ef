//! Each rule's documented examples: the bad one raises exactly that rule, the good one
//! nothing; and every rule's metadata is complete in both languages.

use super::*;
use crate::syntax::parse;

fn codes(text: &str) -> Vec<&'static str> {
    let tree = parse(text);
    let mut c: Vec<&str> = check(text, &tree, &Config::default())
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect();
    c.dedup();
    c
}

#[test]
fn bad_examples_raise_their_rule_and_good_ones_nothing() {
    for rule in REGISTRY {
        for doc in [&rule.en, &rule.zh] {
            let bad = codes(doc.bad);
            assert_eq!(
                bad,
                vec![rule.code],
                "{} bad example:\n{}",
                rule.code,
                doc.bad
            );
            let good = codes(doc.good);
            assert!(
                good.is_empty(),
                "{} good example raises {good:?}:\n{}",
                rule.code,
                doc.good
            );
        }
    }
}

#[test]
fn registry_is_ordered_unique_and_documented() {
    let mut prev = "";
    for rule in REGISTRY {
        assert!(rule.code > prev, "{} out of order", rule.code);
        prev = rule.code;
        assert!(!rule.name.is_empty() && rule.name == rule.name.to_ascii_lowercase());
        for doc in [&rule.en, &rule.zh] {
            for (field, s) in [
                ("summary", doc.summary),
                ("what", doc.what),
                ("why", doc.why),
                ("fix", doc.fix),
            ] {
                assert!(!s.trim().is_empty(), "{} {field} is empty", rule.code);
            }
        }
        // The Chinese text must actually be Chinese.
        let zh = [rule.zh.summary, rule.zh.what, rule.zh.why, rule.zh.fix].concat();
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{} has no Chinese documentation",
            rule.code
        );
        assert_ne!(
            rule.en.summary, rule.zh.summary,
            "{} summary untranslated",
            rule.code
        );
    }
}

#[test]
fn messages_exist_in_both_languages() {
    for rule in REGISTRY {
        let tree = parse(rule.en.bad);
        for d in check(rule.en.bad, &tree, &Config::default()).diagnostics {
            assert!(!d.message.en.is_empty() && !d.message.zh.is_empty());
            assert_ne!(
                d.message.en, d.message.zh,
                "{}: untranslated message",
                d.code
            );
            assert!(
                d.message
                    .zh
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: message {:?} has no Chinese",
                d.code,
                d.message.zh
            );
            if let Some(f) = &d.fix {
                assert_ne!(f.title.en, f.title.zh, "{}: untranslated fix title", d.code);
            }
        }
    }
}

#[test]
fn safe_fixes_of_bad_examples_converge() {
    for rule in REGISTRY.iter().filter(|r| r.fix == FixKind::Safe) {
        let text = rule.en.bad;
        let tree = parse(text);
        let diags = check(text, &tree, &Config::default()).diagnostics;
        let fixes: Vec<&Fix> = diags
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability == Applicability::Safe)
            .collect();
        if fixes.is_empty() {
            continue;
        }
        let (fixed, n) = apply_fixes(text, fixes);
        assert!(n > 0);
        let tree = parse(&fixed);
        let again = check(&fixed, &tree, &Config::default()).diagnostics;
        assert!(
            !again.iter().any(|d| d.code == rule.code
                && d.fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == Applicability::Safe)),
            "{}: fix did not converge:\n{fixed}",
            rule.code
        );
    }
}

#[test]
fn suppressions() {
    let text = "# check=skip=JSONArgsRecommended\nFROM alpine:3.20\n# dockwise: ignore=DF511\nMAINTAINER x\nCMD /app\n# hadolint ignore=DL3000\nWORKDIR app\n";
    let tree = parse(text);
    let c = check(text, &tree, &Config::default()).diagnostics;
    assert!(c.is_empty(), "{c:?}");
    let cfg = Config {
        ignore: vec!["FromAsCasing".into()],
        ..Config::default()
    };
    let text = "FROM alpine:3.20 as Build\n";
    let tree = parse(text);
    let c: Vec<_> = check(text, &tree, &cfg)
        .diagnostics
        .into_iter()
        .map(|d| d.peer)
        .collect();
    assert_eq!(c, vec![Some("StageNameCasing")]);
}
