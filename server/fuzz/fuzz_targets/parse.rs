//! Arbitrary bytes → lossy UTF-8 → parse. Checks that the tree tiles the text, then runs
//! every rule and applies the safe fixes (and checks the fixed text once more): none of
//! it may panic. The editor features and refactors have their own target (`ide`).
#![no_main]

use dockwise::rules::{self, Applicability, Config};
use dockwise::syntax;
use libfuzzer_sys::fuzz_target;

fn check_tiles(text: &str, tree: &syntax::SyntaxTree) {
    let mut pos: usize = 0;
    for (i, item) in tree.items().iter().enumerate() {
        assert_eq!(
            item.start as usize, pos,
            "item {i} starts at {} but the previous items end at {pos}",
            item.start
        );
        assert!(item.node.len > 0, "item {i} at {pos} is empty");
        pos += item.node.len as usize;
    }
    assert_eq!(
        pos,
        text.len(),
        "the items cover {pos} bytes of {}",
        text.len()
    );
    assert_eq!(tree.text_len(), text.len(), "tree.text_len() != text.len()");
}

fn check_and_fix(text: &str) -> String {
    let tree = syntax::parse(text);
    check_tiles(text, &tree);
    let analysis = rules::check(text, &tree, &Config::default());
    for d in &analysis.diagnostics {
        assert!(
            d.range.start <= d.range.end && d.range.end <= text.len(),
            "{} range {:?} outside the text (len {})",
            d.code,
            d.range,
            text.len()
        );
    }
    let safe = analysis
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.applicability == Applicability::Safe);
    let (fixed, _count) = rules::apply_fixes(text, safe);
    fixed
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let fixed = check_and_fix(&text);
    if fixed != *text {
        // The fixed text is new input too: it must parse, tile and check.
        check_and_fix(&fixed);
    }
});
