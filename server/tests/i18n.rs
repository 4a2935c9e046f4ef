//! Every message a user can see exists in Chinese as well as English: run every rule
//! over every fixture and corpus file and check each diagnostic's message, fix title and
//! related information in both languages.

mod common;

use dockwise::rules::{self, Config};
use dockwise::syntax;

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_diagnostic_is_bilingual() {
    let mut files = common::fixture_files();
    files.extend(common::corpus_files());
    let mut seen = 0;
    let mut problems = Vec::new();
    for f in &files {
        let text = common::read_text(f);
        let tree = syntax::parse(&text);
        for d in rules::check(&text, &tree, &Config::default()).diagnostics {
            seen += 1;
            let mut texts = vec![("message", &d.message)];
            if let Some(fix) = &d.fix {
                texts.push(("fix title", &fix.title));
            }
            for r in &d.related {
                texts.push(("related", &r.message));
            }
            for (what, t) in texts {
                if t.en.trim().is_empty() || !has_cjk(&t.zh) || t.en == t.zh || has_cjk(&t.en) {
                    problems.push(format!(
                        "{} {} {what}: en={:?} zh={:?}",
                        f.display(),
                        d.code,
                        t.en,
                        t.zh
                    ));
                }
            }
        }
    }
    assert!(seen > 300, "only {seen} diagnostics seen");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rule_docs_are_bilingual() {
    for r in rules::REGISTRY {
        for (en, zh) in [
            (r.en.summary, r.zh.summary),
            (r.en.what, r.zh.what),
            (r.en.why, r.zh.why),
            (r.en.fix, r.zh.fix),
        ] {
            assert!(has_cjk(zh), "{}: {zh:?}", r.code);
            assert!(!has_cjk(en), "{}: {en:?}", r.code);
        }
    }
}
