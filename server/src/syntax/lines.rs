//! Physical lines and the logical line that continuations join them into.

/// Splits off one physical line at `pos`: returns (end of content without trailing
/// CR/LF characters, start of the next line).
pub(crate) fn line_at(text: &str, pos: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let next = match memchr(b'\n', &bytes[pos..]) {
        Some(i) => pos + i + 1,
        None => text.len(),
    };
    // BuildKit's trimNewline is bytes.TrimRight(line, "\r\n").
    let mut end = next;
    while end > pos && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    (end, next)
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Byte length of the leading whitespace of `s` (Go's unicode.IsSpace).
pub(crate) fn leading_ws(s: &str) -> usize {
    s.len() - s.trim_start_matches(char::is_whitespace).len()
}

/// BuildKit's line continuation regex (`([^\\])\\[ \t]*$|^\\[ \t]*$` for `\\`): the
/// escape character, not itself escaped, followed by spaces or tabs at the end of the
/// line. Returns the length of `s` without the continuation, or `None`.
pub(crate) fn continuation_at(s: &str, escape: char) -> Option<usize> {
    let trimmed = s.trim_end_matches([' ', '\t']);
    let before = trimmed.strip_suffix(escape)?;
    if before.ends_with(escape) {
        return None;
    }
    Some(before.len())
}

/// The arguments of an instruction as one logical string (continuations removed,
/// comment and empty lines inside the continuation dropped), with a map back to the
/// source. Offsets in the map are relative to the node start.
#[derive(Default, Debug)]
pub(crate) struct Logical {
    pub text: String,
    /// (logical start, source start, length)
    segs: Vec<(u32, u32, u32)>,
}

impl Logical {
    pub fn push(&mut self, piece: &str, source_start: usize) {
        if piece.is_empty() {
            return;
        }
        self.segs.push((
            self.text.len() as u32,
            source_start as u32,
            piece.len() as u32,
        ));
        self.text.push_str(piece);
    }

    /// Source offset of a logical start offset.
    pub fn map_start(&self, off: usize) -> usize {
        let off = off as u32;
        // First segment whose end is beyond `off`.
        let i = self.segs.partition_point(|&(l, _, n)| l + n <= off);
        match self.segs.get(i) {
            Some(&(l, s, _)) if off >= l => (s + (off - l)) as usize,
            Some(&(_, s, _)) => s as usize,
            None => self.source_end(),
        }
    }

    /// Source offset of a logical end offset (an end at a segment boundary maps to the
    /// end of the earlier segment, not the start of the next line).
    pub fn map_end(&self, off: usize) -> usize {
        let off = off as u32;
        let i = self.segs.partition_point(|&(l, _, _)| l < off);
        if i == 0 {
            return self.segs.first().map_or(0, |&(_, s, _)| s as usize);
        }
        let (l, s, n) = self.segs[i - 1];
        (s + (off - l).min(n)) as usize
    }

    pub fn source_end(&self) -> usize {
        self.segs.last().map_or(0, |&(_, s, n)| (s + n) as usize)
    }

    pub fn span(&self, start: usize, end: usize) -> crate::syntax::Span {
        if start >= end {
            let p = self.map_start(start);
            return crate::syntax::Span::new(p, p);
        }
        crate::syntax::Span::new(self.map_start(start), self.map_end(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_detection() {
        assert_eq!(continuation_at("RUN a \\", '\\'), Some(6));
        assert_eq!(continuation_at("RUN a \\  \t", '\\'), Some(6));
        assert_eq!(continuation_at("RUN a", '\\'), None);
        assert_eq!(continuation_at("RUN a `", '`'), Some(6));
        assert_eq!(continuation_at("RUN a \\", '`'), None);
        assert_eq!(continuation_at("RUN a \\\\", '\\'), None);
        assert_eq!(continuation_at("\\", '\\'), Some(0));
    }

    #[test]
    fn logical_map() {
        let mut l = Logical::default();
        l.push("RUN a ", 0); // source 0..6
        l.push("  b", 10); // source 10..13
        assert_eq!(l.text, "RUN a   b");
        assert_eq!(l.map_start(4), 4);
        assert_eq!(l.map_start(6), 10);
        assert_eq!(l.map_end(6), 6);
        assert_eq!(l.map_end(9), 13);
        assert_eq!(l.map_start(9), 13);
    }
}
