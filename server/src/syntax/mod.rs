//! Syntax: a tolerant Dockerfile parser modeled on BuildKit's.

mod lines;
mod parser;
mod tree;
mod words;

use std::ops::Range;

pub(crate) use parser::parse_node;
pub use parser::{edit_distance, parse, suggest_keyword};
pub use tree::*;

/// An instruction together with where its node starts in the text.
#[derive(Clone, Copy, Debug)]
pub struct InstrRef<'a> {
    /// Absolute offset of the node.
    pub start: usize,
    /// Length of the node (physical lines, comments inside, heredoc bodies).
    pub len: usize,
    pub ins: &'a Instruction,
    /// Index of the node in the tree.
    pub index: usize,
}

impl<'a> InstrRef<'a> {
    /// Absolute range of a span of this instruction.
    pub fn abs(&self, span: Span) -> Range<usize> {
        span.abs(self.start)
    }
    /// The whole node.
    pub fn range(&self) -> Range<usize> {
        self.start..self.start + self.len
    }
    /// From the keyword to the end of the logical line (no heredoc bodies, no newline).
    pub fn line_range(&self) -> Range<usize> {
        let mut end = self.start + self.ins.line_end as usize;
        let args_end = self.abs(self.ins.args_span).end;
        let kw_end = self.abs(self.ins.keyword_span).end;
        end = end.min(args_end.max(kw_end)).max(kw_end);
        self.abs(self.ins.keyword_span).start..end
    }
}

impl SyntaxTree {
    pub fn items(&self) -> &[Item] {
        &self.items
    }
    /// Length of the text the tree was parsed from.
    pub fn text_len(&self) -> usize {
        self.len
    }
    /// The escape character (`\` or the one `# escape=` chose).
    pub fn escape(&self) -> char {
        self.escape
    }
    pub fn directives(&self) -> impl Iterator<Item = (usize, &Directive)> {
        self.items[..self.header_items]
            .iter()
            .filter_map(|it| match &it.node.kind {
                NodeKind::Directive(d) => Some((it.start as usize, d)),
                _ => None,
            })
    }
    pub fn directive(&self, name: &str) -> Option<(usize, &Directive)> {
        self.directives()
            .find(|(_, d)| d.name.eq_ignore_ascii_case(name))
    }
    pub fn instructions(&self) -> impl Iterator<Item = InstrRef<'_>> + '_ {
        self.items
            .iter()
            .enumerate()
            .filter_map(|(index, it)| match &it.node.kind {
                NodeKind::Instruction(ins) => Some(InstrRef {
                    start: it.start as usize,
                    len: it.node.len as usize,
                    ins,
                    index,
                }),
                _ => None,
            })
    }
    /// The instruction at tree item `index`, if that item is one.
    pub fn instr_at(&self, index: usize) -> Option<InstrRef<'_>> {
        let it = self.items.get(index)?;
        match &it.node.kind {
            NodeKind::Instruction(ins) => Some(InstrRef {
                start: it.start as usize,
                len: it.node.len as usize,
                ins,
                index,
            }),
            _ => None,
        }
    }
    /// Absolute ranges of comment lines outside instructions.
    pub fn comments(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.items.iter().filter_map(|it| match it.node.kind {
            NodeKind::Comment => Some(it.start as usize..(it.start + it.node.len) as usize),
            _ => None,
        })
    }
    /// Index of the item containing `offset` (the last item for the end of text).
    pub fn item_at(&self, offset: usize) -> Option<usize> {
        if self.items.is_empty() {
            return None;
        }
        let i = self
            .items
            .partition_point(|it| (it.start as usize) <= offset);
        Some(i.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests;
