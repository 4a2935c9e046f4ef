//! docs/rules is generated from the rule sources; a stale page fails this test.
//! Regenerate with `DOCKWISE_BLESS=1 cargo test --test docs`.

mod common;

#[test]
fn rule_docs_are_current() {
    let dir = common::repo_root().join("docs/rules");
    let bless = std::env::var_os("DOCKWISE_BLESS").is_some();
    let pages = dockwise::rules::docs::all_pages();
    let mut stale = Vec::new();
    for (name, want) in &pages {
        let path = dir.join(name);
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if &have != want {
            if bless {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, want).unwrap();
            } else {
                stale.push(name.clone());
            }
        }
    }
    // Pages of rules that no longer exist.
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().to_string();
            if !pages.iter().any(|(p, _)| *p == n) {
                if bless {
                    std::fs::remove_file(e.path()).unwrap();
                } else {
                    stale.push(format!("{n} (no such rule)"));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/rules is stale: {stale:?}\nrun `DOCKWISE_BLESS=1 cargo test --test docs` and commit the result"
    );
}

#[test]
fn every_rule_has_both_pages_with_chinese_text() {
    for r in dockwise::rules::REGISTRY {
        let zh = dockwise::rules::docs::page(r, dockwise::i18n::Lang::Zh);
        assert!(
            zh.contains("## 作用") && zh.contains("## 为什么不好"),
            "{}",
            r.code
        );
        let en = dockwise::rules::docs::page(r, dockwise::i18n::Lang::En);
        assert!(en.contains("## What it does"), "{}", r.code);
    }
}
