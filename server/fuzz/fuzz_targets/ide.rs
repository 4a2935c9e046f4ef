//! Analysis, every editor feature at positions the input chooses, and the refactors.
//! Input: 8 bytes that seed the positions, then the Dockerfile (lossy UTF-8).
//! Nothing may panic; semantic tokens never overlap; a format that is not refused is
//! idempotent; a refactor's output parses without errors it did not have, and running
//! the same refactor on it changes nothing.
#![no_main]

use dockwise::context::NoContext;
use dockwise::i18n::Lang;
use dockwise::ide;
use dockwise::refactor::{refactor, Outcome, Target};
use dockwise::syntax;
use libfuzzer_sys::fuzz_target;

/// A small deterministic generator (xorshift), seeded by the input.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0.max(1);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

fn has_errors(tree: &syntax::SyntaxTree) -> bool {
    tree.instructions().any(|i| !i.ins.errors.is_empty())
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let mut seed = [0u8; 8];
    seed.copy_from_slice(&data[..8]);
    let mut rng = Rng(u64::from_le_bytes(seed));
    let text = String::from_utf8_lossy(&data[8..]).into_owned();
    let tree = syntax::parse(&text);
    let model = dockwise::semantic::analyze(&text, &tree);

    let toks = ide::tokens::tokens(&text, &tree, &model);
    for w in toks.windows(2) {
        assert!(w[0].range.end <= w[1].range.start, "overlapping tokens {w:?}");
    }
    let _ = ide::navigation::symbols(&text, &tree, &model);
    let _ = ide::navigation::folding(&text, &tree, &model);
    let _ = ide::navigation::inlay_hints(&model);
    let _ = ide::navigation::image_links(&model);
    for _ in 0..12 {
        let mut off = (rng.next() % (text.len() as u64 + 1)) as usize;
        // Editors send positions, which the document turns into char boundaries.
        while !text.is_char_boundary(off) {
            off -= 1;
        }
        let lang = if rng.next() % 2 == 0 { Lang::En } else { Lang::Zh };
        let _ = ide::hover::hover(&text, &tree, &model, off, lang);
        let _ = ide::navigation::definition(&model, off);
        let _ = ide::navigation::references(&model, off);
        let _ = ide::navigation::rename(&text, &model, off, "renamed");
        let _ = ide::completion::complete(&text, &tree, off, lang);
    }
    if let Ok(once) = ide::format::formatted(&text, &tree) {
        let again = ide::format::formatted(&once, &syntax::parse(&once));
        assert_eq!(again.as_deref(), Ok(once.as_str()), "format is not idempotent");
    }

    for target in Target::ALL {
        if let Outcome::Rewritten(new) = refactor(&text, &NoContext, "Dockerfile", target, Lang::En) {
            let t2 = syntax::parse(&new);
            assert!(
                !has_errors(&t2) || has_errors(&tree),
                "{} produced a syntax error:\n{new}",
                target.name()
            );
            match refactor(&new, &NoContext, "Dockerfile", target, Lang::En) {
                Outcome::Unchanged(_) => {}
                Outcome::Rewritten(again) if again == new => {}
                other => panic!("{} is not idempotent:\n{new}\n→ {other:?}", target.name()),
            }
        }
    }
});
