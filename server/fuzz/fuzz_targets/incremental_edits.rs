//! An initial text and a sequence of edits. After every `Document::edit` the incrementally
//! maintained tree must equal a fresh parse of the text, and the text must equal a plain
//! `String` model of the same edits.
//!
//! Input layout: `TEXT [0x00 SCRIPT]`. TEXT (lossy UTF-8) is the initial document, so the
//! seed Dockerfiles are used as they are. SCRIPT is a list of edits, each
//! `OP POS_LO POS_HI ARG...`, decoded by `next_edit`.
#![no_main]

use dockwise::document::Document;
use dockwise::syntax;
use libfuzzer_sys::fuzz_target;

/// Fragments that matter to the parser, so that inserted text is often meaningful.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "\n", "\r\n", "\r", "\\", "\\\n", "\\\r\n", "`", "`\n", "#", "# ", " ", "\t", "<<", "<<-",
    "<<EOF\n", "<<-EOF\n", "<<'EOF'\n", "<<\"EOF\"\n", "EOF", "EOF\n", "\tEOF\n", "RUN ",
    "FROM ", "COPY ", "ADD ", "ONBUILD ", "ENV ", "ARG ", "CMD ", "ENTRYPOINT ", "SHELL ",
    "HEALTHCHECK CMD ", "HEALTHCHECK NONE", "WORKDIR ", "LABEL ", "EXPOSE ", "USER ",
    "VOLUME ", "STOPSIGNAL ", "MAINTAINER ", "a=b ", "A ", "[\"x\"]", "[\"x\", \"y\"]", "[",
    "]", "\"", "'", "=", "-", "--from=", "--mount=type=cache,target=/root/.cache ",
    "--platform=$BUILDPLATFORM ", "AS ", " as build", "中", "🙂", "é", "\u{2028}", "\u{85}",
    "x", "go build", "$", "${", "}", "${A:-b}", "$A", "# escape=`\n", "# escape=\\\n",
    "# syntax=docker/dockerfile:1\n", "# check=skip=all\n", "# dockwise: ignore=DF509\n",
    "# hadolint ignore=DL3006\n", "\u{feff}",
    "&&", ";", "|", "\n\n", "    ", "golang:1.22", "scratch",
];

const MAX_EDITS: usize = 64;

struct Script<'a> {
    bytes: &'a [u8],
}

impl<'a> Script<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(b)
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.byte()?, self.byte()?]))
    }
    fn take(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.bytes.len());
        let (a, b) = self.bytes.split_at(n);
        self.bytes = b;
        a
    }

    /// One edit against `text`: a byte range (not necessarily on character boundaries;
    /// `Document::edit` snaps it) and the new text.
    fn next_edit(&mut self, text: &str) -> Option<(usize, usize, String)> {
        let op = self.byte()?;
        let pos = self.u16()? as usize % (text.len() + 1);
        let (del, new) = match op & 3 {
            // Delete up to 255 bytes.
            0 => (self.byte()? as usize, String::new()),
            // Replace up to 3 bytes with a parser-relevant piece.
            1 => {
                let piece = PIECES[self.byte()? as usize % PIECES.len()];
                ((op >> 2) as usize & 3, piece.to_string())
            }
            // Replace up to 7 bytes with up to 15 raw bytes.
            2 => {
                let n = self.byte()? as usize % 16;
                let raw = self.take(n);
                (
                    (op >> 2) as usize & 7,
                    String::from_utf8_lossy(raw).into_owned(),
                )
            }
            // Paste a copy of up to 255 bytes of the text itself.
            _ => {
                let src = self.u16()? as usize % (text.len() + 1);
                let n = self.byte()? as usize;
                let a = floor(text, src);
                let b = floor(text, src.saturating_add(n));
                (0, text[a..b].to_string())
            }
        };
        Some((pos, pos.saturating_add(del), new))
    }
}

fn floor(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Lines as the rope counts them (LF, CRLF and lone CR break lines).
fn line_count(s: &str) -> usize {
    let b = s.as_bytes();
    let mut n = 1;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

fuzz_target!(|data: &[u8]| {
    let (text, script) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let text = String::from_utf8_lossy(text).into_owned();
    let mut model = text.clone();
    let mut doc = Document::new(text, 0);
    assert_eq!(doc.tree(), &syntax::parse(doc.text()));

    let mut script = Script { bytes: script };
    for step in 0..MAX_EDITS {
        let Some((start, end, new)) = script.next_edit(&model) else {
            break;
        };
        doc.edit(start..end, &new);
        // The same edit on a plain string, snapped the way `Document::edit` documents.
        let a = floor(&model, start);
        let b = floor(&model, end).max(a);
        model.replace_range(a..b, &new);
        assert_eq!(
            doc.text(),
            model,
            "text differs after edit {step} ({start}..{end}, {new:?})"
        );
        assert_eq!(
            doc.line_count(),
            line_count(&model),
            "rope line count differs after edit {step} ({start}..{end}, {new:?})"
        );
        let fresh = syntax::parse(doc.text());
        assert!(
            doc.tree() == &fresh,
            "incremental tree != parse(text) after edit {step} ({start}..{end}, {new:?})\n\
             text: {:?}\nincremental: {:#?}\nfresh: {:#?}",
            doc.text(),
            doc.tree(),
            fresh
        );
    }
});
