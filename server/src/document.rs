//! An open document: its text (a rope for positions, a string for the parser), its
//! version, and its syntax tree, kept current by incremental re-parsing.
//!
//! Architecture invariant: after any sequence of edits, `tree()` equals `parse(text())`
//! (a property test checks it).

use std::ops::Range;
use std::sync::Arc;

use ropey::Rope;

use crate::syntax::{self, Item, SyntaxTree};

/// How LSP positions count characters within a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    Utf8,
    #[default]
    Utf16,
}

/// A zero-based line and a column in the negotiated encoding's code units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

impl Position {
    pub fn new(line: u32, character: u32) -> Position {
        Position { line, character }
    }
}

#[derive(Clone, Debug)]
pub struct Document {
    text: String,
    rope: Rope,
    version: i32,
    tree: SyntaxTree,
}

impl Document {
    pub fn new(text: impl Into<String>, version: i32) -> Document {
        let text = text.into();
        let rope = Rope::from_str(&text);
        let tree = syntax::parse(&text);
        Document {
            text,
            rope,
            version,
            tree,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }
    pub fn tree(&self) -> &SyntaxTree {
        &self.tree
    }
    pub fn version(&self) -> i32 {
        self.version
    }
    pub fn set_version(&mut self, version: i32) {
        self.version = version;
    }
    pub fn line_count(&self) -> usize {
        self.rope.len_lines()
    }

    /// Replaces the whole text.
    pub fn replace_all(&mut self, text: impl Into<String>) {
        let text = text.into();
        self.rope = Rope::from_str(&text);
        self.tree = syntax::parse(&text);
        self.text = text;
    }

    /// Applies an LSP content change: a range in `enc` positions (or the whole text).
    pub fn apply_change(
        &mut self,
        range: Option<(Position, Position)>,
        new: &str,
        enc: PositionEncoding,
    ) {
        match range {
            None => self.replace_all(new),
            Some((a, b)) => {
                let start = self.offset_of(a, enc);
                let end = self.offset_of(b, enc).max(start);
                self.edit(start..end, new);
            }
        }
    }

    /// Replaces a byte range (snapped to character boundaries) and re-parses only the
    /// logical instructions the edit touched.
    pub fn edit(&mut self, range: Range<usize>, new: &str) {
        let start = floor_char_boundary(&self.text, range.start.min(self.text.len()));
        let end = floor_char_boundary(&self.text, range.end.min(self.text.len())).max(start);
        let rs = self.rope.byte_to_char(start);
        let re = self.rope.byte_to_char(end);
        self.rope.remove(rs..re);
        self.rope.insert(rs, new);
        self.text.replace_range(start..end, new);
        self.reparse(start, end, new.len());
    }

    fn reparse(&mut self, start: usize, old_end: usize, new_len: usize) {
        let old = &mut self.tree.items;
        let delta = new_len as isize - (old_end - start) as isize;
        // The directive header decides the escape character: edits in or next to it
        // re-parse everything.
        let first_body_end = old
            .get(self.tree.header_items)
            .map_or(usize::MAX, |it| (it.start + it.node.len) as usize);
        if start <= first_body_end || old.is_empty() {
            self.tree = syntax::parse(&self.text);
            return;
        }
        // The first node touched; one step back so an edit at a node's start that joins
        // it to the node before (which may have run to the end of the text) is seen.
        let probe = start.saturating_sub(1);
        let first = old.partition_point(|it| (it.start as usize) <= probe) - 1;
        let first = first.max(self.tree.header_items);
        let text = &self.text;
        let escape = self.tree.escape;
        let mut pos = old[first].start as usize;
        let mut fresh: Vec<Item> = Vec::new();
        let mut j = first;
        let reuse_from = loop {
            if pos >= text.len() {
                break old.len();
            }
            // Advance j to the first old node whose shifted start is not before `pos`.
            while j < old.len() && (old[j].start as isize + delta) < pos as isize {
                j += 1;
            }
            if j < old.len()
                && old[j].start as usize >= old_end
                && (old[j].start as isize + delta) as usize == pos
                && pos != 0
            {
                break j;
            }
            let node = syntax::parse_node(text, pos, escape);
            let len = node.len as usize;
            fresh.push(Item {
                start: pos as u32,
                node: Arc::new(node),
            });
            pos += len;
        };
        for it in &mut old[reuse_from..] {
            it.start = (it.start as isize + delta) as u32;
        }
        old.splice(first..reuse_from, fresh);
        self.tree.len = self.text.len();
    }

    /// Byte offset of an LSP position; positions past the end of a line clamp to the
    /// line's end, lines past the end clamp to the end of the text.
    pub fn offset_of(&self, pos: Position, enc: PositionEncoding) -> usize {
        let line = pos.line as usize;
        if line >= self.rope.len_lines() {
            return self.text.len();
        }
        let line_start = self.rope.line_to_byte(line);
        let content_end = line_start + line_content_len(&self.text[line_start..]);
        let col = pos.character as usize;
        let offset = match enc {
            PositionEncoding::Utf8 => {
                floor_char_boundary(&self.text, (line_start + col).min(content_end))
            }
            PositionEncoding::Utf16 => {
                let mut units = 0;
                let mut off = line_start;
                for c in self.text[line_start..content_end].chars() {
                    if units + c.len_utf16() > col {
                        break;
                    }
                    units += c.len_utf16();
                    off += c.len_utf8();
                }
                off
            }
        };
        offset.min(content_end)
    }

    /// LSP position of a byte offset (clamped to the text).
    pub fn position_of(&self, offset: usize, enc: PositionEncoding) -> Position {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.rope.byte_to_line(offset);
        let line_start = self.rope.line_to_byte(line);
        let col = match enc {
            PositionEncoding::Utf8 => offset - line_start,
            PositionEncoding::Utf16 => self.text[line_start..offset]
                .chars()
                .map(char::len_utf16)
                .sum(),
        };
        Position::new(line as u32, col as u32)
    }

    /// Zero-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.rope.byte_to_line(offset.min(self.text.len()))
    }
}

/// Length of a line's content, without its line break (LF, CRLF or CR, as LSP counts).
fn line_content_len(rest: &str) -> usize {
    match rest.find(['\n', '\r']) {
        Some(i) => i,
        None => rest.len(),
    }
}

pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incremental_matches_full() {
        let mut d = Document::new("FROM a\nRUN b \\\n c\nCMD d\n", 1);
        d.edit(10..11, "");
        assert_eq!(d.tree(), &syntax::parse(d.text()));
        let n = d.text().len();
        d.edit(n..n, "RUN <<EOF\nx\n");
        assert_eq!(d.tree(), &syntax::parse(d.text()));
        d.edit(8..8, "\\\n");
        assert_eq!(d.tree(), &syntax::parse(d.text()));
    }

    #[test]
    fn positions_utf16() {
        let d = Document::new("A 🙂中\r\nb\rc", 0);
        let p = d.position_of(2 + 4 + 3, PositionEncoding::Utf16);
        assert_eq!(p, Position::new(0, 5));
        assert_eq!(d.offset_of(p, PositionEncoding::Utf16), 9);
        assert_eq!(
            d.position_of(11, PositionEncoding::Utf8),
            Position::new(1, 0)
        );
        assert_eq!(
            d.position_of(13, PositionEncoding::Utf8),
            Position::new(2, 0)
        );
        // Inside a surrogate pair: clamps to the character's start.
        assert_eq!(d.offset_of(Position::new(0, 3), PositionEncoding::Utf16), 2);
        assert_eq!(
            d.offset_of(Position::new(0, 99), PositionEncoding::Utf16),
            9
        );
        assert_eq!(
            d.offset_of(Position::new(9, 0), PositionEncoding::Utf16),
            d.text().len()
        );
    }
}
