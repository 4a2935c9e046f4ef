//! Property test: after random edit sequences the incrementally maintained tree equals a
//! fresh parse, and positions round-trip in utf-8 and utf-16.

use dockwise::document::{Document, PositionEncoding};
use dockwise::syntax;
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    "\\",
    "\\\n",
    "`",
    "#",
    " ",
    "\t",
    "<<",
    "<<-",
    "EOF",
    "EOF\n",
    "\tEOF\n",
    "RUN ",
    "FROM ",
    "COPY ",
    "ONBUILD ",
    "ENV ",
    "a=b ",
    "[\"x\"]",
    "\"",
    "'",
    "=",
    "-",
    "--from=",
    "中",
    "🙂",
    "é",
    "\u{2028}",
    "x",
    "go build",
    "# escape=`\n",
    "# syntax=docker/dockerfile:1\n",
    "\u{feff}",
    "HEALTHCHECK CMD ",
    "$",
    "{",
    "}",
];

const SEEDS: &[&str] = &[
    "",
    "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n",
    "# syntax=docker/dockerfile:1\n# escape=`\nFROM x\nRUN a `\n  b\n",
    "RUN <<EOF\necho 中文 🙂\nEOF\nCMD [\"x\"]\r\nRUN a \\\r\n  # c\r\n\r\n  b\r\n",
];

fn piece() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..4).prop_map(|v| v.concat())
}

#[derive(Debug, Clone)]
struct Edit {
    at: f64,
    del: usize,
    insert: String,
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        0.0f64..=1.0,
        prop_oneof![Just(0usize), 0usize..3, 0usize..40],
        piece(),
    )
        .prop_map(|(at, del, insert)| Edit { at, del, insert })
}

fn check_positions(doc: &Document) {
    let text = doc.text();
    let mut offsets: Vec<usize> = (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    if offsets.len() > 200 {
        let step = offsets.len() / 200;
        offsets = offsets.into_iter().step_by(step).collect();
    }
    for off in offsets {
        // The middle of a CRLF pair is not addressable in LSP; skip it.
        if off > 0 && off < text.len() && &text.as_bytes()[off - 1..off + 1] == b"\r\n" {
            continue;
        }
        for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            let p = doc.position_of(off, enc);
            assert_eq!(
                doc.offset_of(p, enc),
                off,
                "round trip {off} {enc:?} {p:?} in {text:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
    // 256 cases x up to 48 edits: well over 10,000 random edits per run.
    #[test]
    fn incremental_equals_full(seed in 0usize..SEEDS.len(), edits in prop::collection::vec(edit(), 40..48)) {
        let mut doc = Document::new(SEEDS[seed], 0);
        for (n, e) in edits.iter().enumerate() {
            let len = doc.text().len();
            let start = ((len as f64) * e.at) as usize;
            let end = (start + e.del).min(len);
            doc.edit(start..end, &e.insert);
            let fresh = syntax::parse(doc.text());
            prop_assert_eq!(doc.tree(), &fresh, "after edit {} on {:?}", n, doc.text());
        }
        check_positions(&doc);
    }
}
