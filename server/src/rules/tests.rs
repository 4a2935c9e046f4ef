//! Each rule's documented examples: the bad one raises exactly that rule, the good one
//! nothing; and every rule's metadata is complete in both languages.

use super::*;
use crate::syntax::parse;

/// The build context a rule example describes in its leading comments:
/// `# go.mod: go 1.23`, `# go.mod: require github.com/x/y v1.2.3`,
/// `# build context: go.mod, main.go, .dockerignore listing .git` …
fn example_context(text: &str) -> crate::context::MemoryContext {
    let mut ctx = crate::context::MemoryContext::new();
    let mut go_mod = String::from("module example.com/app\n");
    let mut has_mod = false;
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        let body = line.trim_start_matches('#').trim();
        if let Some(rest) = body.strip_prefix("go.mod:") {
            has_mod = true;
            go_mod.push_str(rest.trim());
            go_mod.push('\n');
        } else if let Some(rest) = body.strip_prefix("build context:") {
            for item in rest.split(',') {
                let item = item.trim();
                let name = item.split_whitespace().next().unwrap_or("");
                match name {
                    "" | "(no" => {}
                    ".dockerignore" if item.contains("without .git") => {
                        ctx.add_file(".dockerignore", "*.log\n")
                    }
                    ".dockerignore" => ctx.add_file(".dockerignore", ".git\n*.log\n"),
                    "go.mod" => has_mod = true,
                    n => ctx.add_file(n, "package main\n"),
                }
            }
        }
    }
    if has_mod {
        ctx.add_file("go.mod", &go_mod);
    }
    ctx
}

fn codes(text: &str) -> Vec<&'static str> {
    let tree = parse(text);
    let ctx = example_context(text);
    let mut c: Vec<&str> = check_in(text, &tree, &Config::default(), &ctx, "Dockerfile")
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect();
    c.dedup();
    c
}

/// The bad example raises the rule, the good one does not, and the rule is the only
/// difference between them: other advice (a hint about cache mounts, say) that a short
/// example cannot avoid must show up in both, so the pair isolates exactly this rule.
#[test]
fn bad_examples_raise_exactly_their_rule() {
    for rule in REGISTRY {
        for doc in [&rule.en, &rule.zh] {
            let mut bad = codes(doc.bad);
            let mut good = codes(doc.good);
            bad.sort();
            bad.dedup();
            good.sort();
            good.dedup();
            assert!(
                bad.contains(&rule.code),
                "{} bad example does not raise it:\n{}",
                rule.code,
                doc.bad
            );
            assert!(
                !good.contains(&rule.code),
                "{} good example raises it:\n{}",
                rule.code,
                doc.good
            );
            let extra: Vec<_> = bad
                .iter()
                .filter(|c| **c != rule.code && !good.contains(c))
                .collect();
            assert!(
                extra.is_empty(),
                "{} bad example also raises {extra:?}:\n{}",
                rule.code,
                doc.bad
            );
            // A file BuildKit cannot parse hides the rest of the advice; once it
            // parses, other rules may speak.
            let gained: Vec<_> = good
                .iter()
                .filter(|c| !bad.contains(c) && rule.code != "DF501")
                .collect();
            assert!(
                gained.is_empty(),
                "{} good example raises {gained:?}:\n{}",
                rule.code,
                doc.good
            );
            let tree = parse(doc.good);
            let ctx = example_context(doc.good);
            let errors: Vec<_> = check_in(doc.good, &tree, &Config::default(), &ctx, "Dockerfile")
                .diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.code)
                .collect();
            assert!(
                errors.is_empty(),
                "{} good example has errors {errors:?}",
                rule.code
            );
        }
    }
}

#[test]
fn registry_is_ordered_unique_and_documented() {
    // Groups in catalogue order, numbers ascending within a group, no duplicates.
    const GROUPS: [&str; 5] = ["GO", "RT", "SEC", "CTX", "DF"];
    let key = |code: &str| {
        let g = GROUPS
            .iter()
            .position(|g| code.starts_with(g))
            .expect("known group");
        let n: u32 = code[GROUPS[g].len()..].parse().expect("numeric code");
        (g, n)
    };
    let mut prev = (0, 0);
    for rule in REGISTRY {
        let k = key(rule.code);
        assert!(k > prev, "{} out of order", rule.code);
        prev = k;
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
        let (fixed, n) = fix::fix_until_stable(text, &Config::default(), false);
        if n == 0 {
            continue;
        }
        let tree = parse(&fixed);
        let again = check(&fixed, &tree, &Config::default()).diagnostics;
        let left: Vec<_> = again
            .iter()
            .filter(|d| {
                d.code == rule.code
                    && d.fix
                        .as_ref()
                        .is_some_and(|f| f.applicability == Applicability::Safe)
            })
            .collect();
        assert!(
            left.is_empty(),
            "{}: fixes did not converge:\n{fixed}\n{left:?}",
            rule.code
        );
    }
}

#[test]
fn suppressions() {
    let text = "# check=skip=JSONArgsRecommended\nFROM alpine:3.20\n# dockwise: ignore=DF511\nMAINTAINER x\nCMD /app\n# hadolint ignore=DL3000\nWORKDIR app\nUSER 65532:65532\n";
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
        .filter(|d| d.code == "DF506")
        .map(|d| d.peer)
        .collect();
    assert_eq!(c, vec![Some("StageNameCasing")]);
}
