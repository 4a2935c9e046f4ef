//! Parser, checker and incremental-edit benchmarks on realistic Go Dockerfiles.
//!
//!     cargo bench --bench parse                 # everything
//!     cargo bench --bench parse -- keystroke    # one group (criterion filter)
//!
//! Targets: full parse + check of 3,000 lines ≤ 2 ms; one keystroke ≤ 50 µs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use dockwise::document::{Document, PositionEncoding};
use dockwise::rules::{self, Config};
use dockwise::syntax;

#[path = "synthetic.rs"]
mod synthetic;

// The same allocator the dockwise binary ships with, so the figures are the user's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const LINES: usize = 3000;

fn full(c: &mut Criterion) {
    let text = synthetic::go_services(LINES);
    let config = Config::default();

    c.bench_function("full_parse_3000", |b| {
        b.iter(|| syntax::parse(black_box(&text)))
    });
    c.bench_function("full_parse_and_check_3000", |b| {
        b.iter(|| {
            let tree = syntax::parse(black_box(&text));
            rules::check(&text, &tree, &config)
        })
    });
    // The foundation issue's measure: full parse + the BuildKit-parity (DF) rules.
    c.bench_function("full_parse_and_df_rules_3000", |b| {
        b.iter(|| {
            let tree = syntax::parse(black_box(&text));
            rules::check_rules(
                &text,
                &tree,
                &config,
                &dockwise::context::NoContext,
                "Dockerfile",
                &|r| r.code.starts_with("DF"),
            )
        })
    });
    // The checker alone, on an already parsed tree (what a server does after an edit).
    let tree = syntax::parse(&text);
    c.bench_function("check_only_3000", |b| {
        b.iter(|| rules::check(black_box(&text), &tree, &config))
    });

    let go60 = synthetic::GO_60;
    assert_eq!(go60.lines().count(), 60);
    c.bench_function("go_60_parse_and_check", |b| {
        b.iter(|| {
            let tree = syntax::parse(black_box(go60));
            rules::check(go60, &tree, &config)
        })
    });
}

/// Times `iters` edits made as `iters / 2` insert+delete pairs of one character at
/// `at()` (the document is back to its original text after each pair), so criterion
/// reports the time of one edit.
fn edit_pairs(doc: &mut Document, iters: u64, at: impl Fn(&Document) -> usize) -> Duration {
    let pairs = iters.div_ceil(2);
    let start = Instant::now();
    for _ in 0..pairs {
        let o = at(doc);
        doc.edit(o..o, "x");
        black_box(doc.tree());
        doc.edit(o..o + 1, "");
        black_box(doc.tree());
    }
    // Per edit: half of a pair.
    start.elapsed().mul_f64(iters as f64 / (2 * pairs) as f64)
}

fn keystroke(c: &mut Criterion) {
    let text = synthetic::go_services(LINES);
    let mid = synthetic::mid_run_offset(&text);
    let base = Document::new(text.clone(), 0);
    let config = Config::default();
    let mut g = c.benchmark_group("keystroke_3000");

    // The first insertion after a clone, in the middle of a RUN line: pays for the text
    // buffer's first growth and the rope's copy-on-write, so it is the slow case.
    g.bench_function("first_insert_mid_run", |b| {
        b.iter_batched(
            || base.clone(),
            |mut doc| {
                doc.edit(mid..mid, "x");
                doc
            },
            BatchSize::PerIteration,
        )
    });
    // Insert + delete in the middle of a RUN line; time per edit (half a pair).
    g.bench_function("pair_mid_run_per_edit", |b| {
        let mut doc = base.clone();
        b.iter_custom(|iters| edit_pairs(&mut doc, iters, |_| mid))
    });
    // Typing at the end of the file (after the last CMD); time per edit.
    g.bench_function("pair_end_per_edit", |b| {
        let mut doc = base.clone();
        b.iter_custom(|iters| edit_pairs(&mut doc, iters, |d| d.text().len()))
    });
    // As an LSP didChange delivers it: UTF-16 positions converted to offsets.
    let start = base.position_of(mid, PositionEncoding::Utf16);
    let end = base.position_of(mid + 1, PositionEncoding::Utf16);
    g.bench_function("pair_mid_run_lsp_utf16_per_edit", |b| {
        let mut doc = base.clone();
        b.iter_custom(|iters| {
            let pairs = iters.div_ceil(2);
            let t = Instant::now();
            for _ in 0..pairs {
                doc.apply_change(Some((start, start)), "x", PositionEncoding::Utf16);
                black_box(doc.tree());
                doc.apply_change(Some((start, end)), "", PositionEncoding::Utf16);
                black_box(doc.tree());
            }
            t.elapsed().mul_f64(iters as f64 / (2 * pairs) as f64)
        })
    });
    // A keystroke followed by a full re-check (diagnostics after every change).
    g.bench_function("insert_mid_run_then_check", |b| {
        b.iter_batched(
            || base.clone(),
            |mut doc| {
                doc.edit(mid..mid, "x");
                let a = rules::check(doc.text(), doc.tree(), &config);
                (doc, a)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, full, keystroke);
criterion_main!(benches);
