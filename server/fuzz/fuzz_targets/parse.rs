//! Arbitrary bytes → lossy UTF-8 → parse. Checks that the tree tiles the text, then runs
//! every rule and applies the safe fixes (and checks the fixed text once more): none of
//! it may panic.
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

/// The editor features over the same text: none may panic; semantic tokens never overlap;
/// a format that is not refused is idempotent.
fn editor_features(text: &str) {
    use dockwise::i18n::Lang;
    use dockwise::ide;
    let tree = syntax::parse(text);
    let model = dockwise::semantic::analyze(text, &tree);
    let toks = ide::tokens::tokens(text, &tree, &model);
    for w in toks.windows(2) {
        assert!(w[0].range.end <= w[1].range.start, "overlapping tokens {w:?}");
    }
    let _ = ide::navigation::symbols(text, &tree, &model);
    let _ = ide::navigation::folding(text, &tree, &model);
    let _ = ide::navigation::inlay_hints(&model);
    let _ = ide::navigation::image_links(&model);
    // A handful of offsets, spread over the text (every offset would be too slow).
    let step = (text.len() / 16).max(1);
    for mut off in (0..=text.len()).step_by(step) {
        // Editors send positions, which the document turns into char boundaries.
        while !text.is_char_boundary(off) {
            off -= 1;
        }
        let _ = ide::hover::hover(text, &tree, &model, off, Lang::Zh);
        let _ = ide::navigation::definition(&model, off);
        let _ = ide::navigation::references(&model, off);
        let _ = ide::navigation::rename(text, &model, off, "renamed");
        let _ = ide::completion::complete(text, &tree, off, Lang::En);
    }
    if let Ok(once) = ide::format::formatted(text, &tree) {
        let again = ide::format::formatted(&once, &syntax::parse(&once));
        assert_eq!(again.as_deref(), Ok(once.as_str()), "format is not idempotent");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    editor_features(&text);
    let fixed = check_and_fix(&text);
    if fixed != *text {
        // The fixed text is new input too: it must parse, tile and check.
        check_and_fix(&fixed);
    }
});
