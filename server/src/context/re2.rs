//! A small regular-expression engine for the subset of Go's `regexp` (RE2, Perl flags)
//! syntax that moby/patternmatcher can produce when it turns a `.dockerignore` pattern
//! into a regular expression.
//!
//! Docker compiles each pattern with `regexp.Compile("^" + translated + "$")`, where the
//! translation passes many pattern characters through unchanged — character classes,
//! `\` escapes, `^` — so Go's regexp syntax leaks into `.dockerignore`: `\d` matches a
//! digit, `[[:alpha:]]` is a POSIX class, `[*]` becomes `[[^/]*]`. To match exactly what
//! Docker matches, we build the same regular-expression text and interpret it with Go's
//! rules here.
//!
//! Matching is a Thompson/Pike NFA simulation: time O(len(text) × len(program)), no
//! backtracking, so no input can make it exponential. Parsing is iterative except for
//! groups, whose nesting depth is bounded.

use std::fmt;

/// Why a regular expression cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ReError {
    /// Go's `regexp.Compile` rejects it (Docker then fails the build).
    Invalid(String),
    /// Valid in Go, but uses a feature this engine does not implement (`\p{Greek}`).
    Unsupported(String),
}

impl fmt::Display for ReError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReError::Invalid(m) => write!(f, "invalid regular expression: {m}"),
            ReError::Unsupported(m) => write!(f, "unsupported regular expression: {m}"),
        }
    }
}

const MAX_DEPTH: usize = 64;
const MAX_CHAR: u32 = 0x10FFFF;

#[derive(Clone, Debug, PartialEq, Eq)]
enum CharSet {
    Lit(char),
    /// `.` without the `s` flag: anything but a newline.
    AnyNotNl,
    /// Sorted, merged inclusive ranges of code points.
    Class(Vec<(u32, u32)>),
}

impl CharSet {
    fn matches(&self, c: char) -> bool {
        match self {
            CharSet::Lit(l) => *l == c,
            CharSet::AnyNotNl => c != '\n',
            CharSet::Class(ranges) => {
                let v = c as u32;
                ranges.iter().any(|&(lo, hi)| lo <= v && v <= hi)
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Assertion {
    BeginText,
    EndText,
    WordBoundary,
    NotWordBoundary,
}

#[derive(Clone, Debug)]
enum Node {
    Empty,
    Set(CharSet),
    Assert(Assertion),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Star(Box<Node>),
    Plus(Box<Node>),
    Quest(Box<Node>),
}

#[derive(Clone, Debug)]
enum Inst {
    Set(CharSet),
    Split(usize, usize),
    Jmp(usize),
    Assert(Assertion),
    Match,
}

/// A compiled regular expression.
#[derive(Clone, Debug)]
pub(crate) struct Regex {
    insts: Vec<Inst>,
}

impl Regex {
    /// Compiles `re` with the semantics of Go's `regexp.Compile`.
    pub(crate) fn new(re: &str) -> Result<Regex, ReError> {
        let chars: Vec<char> = re.chars().collect();
        let mut p = Parser {
            s: &chars,
            i: 0,
            depth: 0,
        };
        let node = p.parse_alt()?;
        if p.i < chars.len() {
            // Only an unmatched ')' stops the top level early.
            return Err(ReError::Invalid(
                "unexpected ): unmatched parenthesis".to_string(),
            ));
        }
        let mut insts = Vec::new();
        compile(&node, &mut insts);
        insts.push(Inst::Match);
        Ok(Regex { insts })
    }

    /// Whether the expression matches anywhere in `text` (Go's `MatchString`).
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let n = self.insts.len();
        let mut clist = ThreadList::new(n);
        let mut nlist = ThreadList::new(n);
        let mut stack = Vec::new();
        for pos in 0..=chars.len() {
            // Unanchored search: a new thread starts at every position.
            self.add_thread(&mut clist, 0, pos, &chars, &mut stack);
            for k in 0..clist.dense.len() {
                let pc = clist.dense[k];
                match &self.insts[pc] {
                    Inst::Match => return true,
                    Inst::Set(set) => {
                        if let Some(&c) = chars.get(pos) {
                            if set.matches(c) {
                                self.add_thread(&mut nlist, pc + 1, pos + 1, &chars, &mut stack);
                            }
                        }
                    }
                    _ => {}
                }
            }
            std::mem::swap(&mut clist, &mut nlist);
            nlist.clear();
        }
        false
    }

    /// For each byte offset in `ends`, whether the expression matches `text[..end]`, in
    /// one pass over `text` when the ends are at `/` characters (or the end of the text);
    /// other ends are matched one by one.
    ///
    /// Sound because, at a `/`, every assertion but end-of-text has the same value as at
    /// the end of the text (`/` is no word character), so the threads alive at a `/` are
    /// those alive at the end of that prefix, plus those that pass an end-of-text there.
    pub(crate) fn matches_prefixes(&self, text: &str, ends: &[usize]) -> Vec<bool> {
        let indexed: Vec<(usize, char)> = text.char_indices().collect();
        let chars: Vec<char> = indexed.iter().map(|&(_, c)| c).collect();
        let mut out = vec![false; ends.len()];
        // (char position, index into `out`)
        let mut want: Vec<(usize, usize)> = Vec::new();
        for (oi, &e) in ends.iter().enumerate() {
            if e == text.len() {
                want.push((chars.len(), oi));
            } else if text.as_bytes().get(e) == Some(&b'/') {
                want.push((indexed.partition_point(|&(b, _)| b < e), oi));
            } else if let Some(prefix) = text.get(..e) {
                out[oi] = self.is_match(prefix);
            }
        }
        want.sort_unstable();
        let n = self.insts.len();
        let mut clist = ThreadList::new(n);
        let mut nlist = ThreadList::new(n);
        let mut scratch = ThreadList::new(n);
        let mut stack = Vec::new();
        let mut wi = 0;
        let mut matched = false;
        for pos in 0..=chars.len() {
            if wi >= want.len() {
                break;
            }
            if matched {
                // A match that ended earlier is a match of every longer prefix.
                break;
            }
            self.add_thread(&mut clist, 0, pos, &chars, &mut stack);
            let here = clist
                .dense
                .iter()
                .any(|&pc| matches!(self.insts[pc], Inst::Match));
            while let Some(&(wpos, oi)) = want.get(wi) {
                if wpos != pos {
                    break;
                }
                out[oi] =
                    here || self.matches_at_cut(&clist, pos, &chars, &mut scratch, &mut stack);
                wi += 1;
            }
            if here {
                matched = true;
                continue;
            }
            for k in 0..clist.dense.len() {
                let pc = clist.dense[k];
                if let Inst::Set(set) = &self.insts[pc] {
                    if let Some(&c) = chars.get(pos) {
                        if set.matches(c) {
                            self.add_thread(&mut nlist, pc + 1, pos + 1, &chars, &mut stack);
                        }
                    }
                }
            }
            std::mem::swap(&mut clist, &mut nlist);
            nlist.clear();
        }
        for &(_, oi) in &want[wi..] {
            out[oi] = matched;
        }
        out
    }

    /// Whether the threads at `pos` reach a match if the text were cut at `pos`: follow
    /// the end-of-text assertions that failed because the text went on.
    fn matches_at_cut(
        &self,
        clist: &ThreadList,
        pos: usize,
        chars: &[char],
        scratch: &mut ThreadList,
        stack: &mut Vec<usize>,
    ) -> bool {
        if pos >= chars.len() {
            return false;
        }
        let cut = &chars[..pos];
        scratch.clear();
        for &pc in &clist.dense {
            if matches!(self.insts[pc], Inst::Assert(Assertion::EndText)) {
                self.add_thread(scratch, pc + 1, pos, cut, stack);
            }
        }
        let found = scratch
            .dense
            .iter()
            .any(|&pc| matches!(self.insts[pc], Inst::Match));
        scratch.clear();
        found
    }

    fn add_thread(
        &self,
        list: &mut ThreadList,
        pc: usize,
        pos: usize,
        chars: &[char],
        stack: &mut Vec<usize>,
    ) {
        stack.clear();
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if pc >= self.insts.len() || !list.insert(pc) {
                continue;
            }
            match &self.insts[pc] {
                Inst::Jmp(x) => stack.push(*x),
                Inst::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Inst::Assert(a) => {
                    if assertion_holds(*a, pos, chars) {
                        stack.push(pc + 1);
                    }
                }
                Inst::Set(_) | Inst::Match => {}
            }
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn assertion_holds(a: Assertion, pos: usize, chars: &[char]) -> bool {
    match a {
        Assertion::BeginText => pos == 0,
        Assertion::EndText => pos == chars.len(),
        Assertion::WordBoundary | Assertion::NotWordBoundary => {
            let before = pos > 0 && chars.get(pos - 1).is_some_and(|&c| is_word(c));
            let after = chars.get(pos).is_some_and(|&c| is_word(c));
            (before != after) == (a == Assertion::WordBoundary)
        }
    }
}

struct ThreadList {
    dense: Vec<usize>,
    member: Vec<bool>,
}

impl ThreadList {
    fn new(n: usize) -> ThreadList {
        ThreadList {
            dense: Vec::with_capacity(n),
            member: vec![false; n],
        }
    }
    fn insert(&mut self, pc: usize) -> bool {
        match self.member.get_mut(pc) {
            Some(m) if !*m => {
                *m = true;
                self.dense.push(pc);
                true
            }
            _ => false,
        }
    }
    fn clear(&mut self) {
        for &pc in &self.dense {
            if let Some(m) = self.member.get_mut(pc) {
                *m = false;
            }
        }
        self.dense.clear();
    }
}

fn compile(node: &Node, out: &mut Vec<Inst>) {
    match node {
        Node::Empty => {}
        Node::Set(s) => out.push(Inst::Set(s.clone())),
        Node::Assert(a) => out.push(Inst::Assert(*a)),
        Node::Concat(items) => {
            for it in items {
                compile(it, out);
            }
        }
        Node::Alt(items) => {
            // split L1, next; L1: a; jmp end; next: split L2, next2; ...
            let mut jumps = Vec::new();
            for (k, it) in items.iter().enumerate() {
                if k + 1 < items.len() {
                    let split = out.len();
                    out.push(Inst::Split(split + 1, 0));
                    compile(it, out);
                    jumps.push(out.len());
                    out.push(Inst::Jmp(0));
                    let next = out.len();
                    out[split] = Inst::Split(split + 1, next);
                } else {
                    compile(it, out);
                }
            }
            let end = out.len();
            for j in jumps {
                out[j] = Inst::Jmp(end);
            }
        }
        Node::Star(e) => {
            let split = out.len();
            out.push(Inst::Split(split + 1, 0));
            compile(e, out);
            out.push(Inst::Jmp(split));
            let end = out.len();
            out[split] = Inst::Split(split + 1, end);
        }
        Node::Plus(e) => {
            let start = out.len();
            compile(e, out);
            let split = out.len();
            out.push(Inst::Split(start, split + 1));
        }
        Node::Quest(e) => {
            let split = out.len();
            out.push(Inst::Split(split + 1, 0));
            compile(e, out);
            let end = out.len();
            out[split] = Inst::Split(split + 1, end);
        }
    }
}

struct Parser<'a> {
    s: &'a [char],
    i: usize,
    depth: usize,
}

fn invalid(msg: &str) -> ReError {
    ReError::Invalid(msg.to_string())
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn peek_at(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).copied()
    }

    /// alternation := concat ('|' concat)*
    fn parse_alt(&mut self) -> Result<Node, ReError> {
        let mut alts = vec![self.parse_concat()?];
        while self.peek() == Some('|') {
            self.i += 1;
            alts.push(self.parse_concat()?);
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        })
    }

    /// concat := (atom quantifier?)*, up to '|' or ')' or the end.
    fn parse_concat(&mut self) -> Result<Node, ReError> {
        let mut items: Vec<Node> = Vec::new();
        // Whether the last item is a repetition (Perl forbids stacking them: `a**`).
        let mut last_repeat = false;
        while let Some(c) = self.peek() {
            match c {
                '|' | ')' => break,
                '*' | '+' | '?' => {
                    self.i += 1;
                    if self.peek() == Some('?') {
                        // Non-greedy: the same set of matches.
                        self.i += 1;
                    }
                    if last_repeat {
                        return Err(invalid("invalid nested repetition operator"));
                    }
                    let Some(prev) = items.pop() else {
                        return Err(invalid("missing argument to repetition operator"));
                    };
                    let b = Box::new(prev);
                    items.push(match c {
                        '*' => Node::Star(b),
                        '+' => Node::Plus(b),
                        _ => Node::Quest(b),
                    });
                    last_repeat = true;
                    continue;
                }
                '(' => {
                    self.i += 1;
                    if self.peek() == Some('?') {
                        // Flags and named groups never come out of a .dockerignore pattern.
                        return Err(ReError::Unsupported("(? group".to_string()));
                    }
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(ReError::Unsupported("groups nested too deep".to_string()));
                    }
                    let inner = self.parse_alt()?;
                    self.depth -= 1;
                    if self.peek() != Some(')') {
                        return Err(invalid("missing closing )"));
                    }
                    self.i += 1;
                    items.push(inner);
                }
                '[' => {
                    self.i += 1;
                    items.push(Node::Set(CharSet::Class(self.parse_class()?)));
                }
                '.' => {
                    self.i += 1;
                    items.push(Node::Set(CharSet::AnyNotNl));
                }
                '^' => {
                    self.i += 1;
                    items.push(Node::Assert(Assertion::BeginText));
                }
                '$' => {
                    self.i += 1;
                    items.push(Node::Assert(Assertion::EndText));
                }
                '\\' => {
                    self.i += 1;
                    let node = self.parse_escape_outside()?;
                    match node {
                        // `\Q...\E` may yield several literals; a following repetition
                        // applies to the last one only.
                        Node::Concat(lits) => items.extend(lits),
                        n => items.push(n),
                    }
                }
                _ => {
                    self.i += 1;
                    items.push(Node::Set(CharSet::Lit(c)));
                }
            }
            last_repeat = false;
        }
        Ok(Node::Concat(items))
    }

    /// After a `\` outside a class.
    fn parse_escape_outside(&mut self) -> Result<Node, ReError> {
        let Some(c) = self.peek() else {
            return Err(invalid("trailing backslash at end of expression"));
        };
        match c {
            'A' => {
                self.i += 1;
                Ok(Node::Assert(Assertion::BeginText))
            }
            'z' => {
                self.i += 1;
                Ok(Node::Assert(Assertion::EndText))
            }
            'b' => {
                self.i += 1;
                Ok(Node::Assert(Assertion::WordBoundary))
            }
            'B' => {
                self.i += 1;
                Ok(Node::Assert(Assertion::NotWordBoundary))
            }
            'C' => Err(invalid("invalid escape sequence: \\C")),
            'Q' => {
                self.i += 1;
                let mut lits = Vec::new();
                while let Some(ch) = self.peek() {
                    if ch == '\\' && self.peek_at(1) == Some('E') {
                        self.i += 2;
                        break;
                    }
                    lits.push(Node::Set(CharSet::Lit(ch)));
                    self.i += 1;
                }
                Ok(Node::Concat(lits))
            }
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => {
                self.i += 1;
                Ok(Node::Set(CharSet::Class(perl_class(c))))
            }
            'p' | 'P' => Err(ReError::Unsupported(format!("\\{c} Unicode class"))),
            _ => Ok(Node::Set(CharSet::Lit(self.parse_escape_char()?))),
        }
    }

    /// Go's `parseEscape` after the backslash: octal, hex, control letters, and escaped
    /// punctuation. Anything else is an invalid escape.
    fn parse_escape_char(&mut self) -> Result<char, ReError> {
        let Some(c) = self.peek() else {
            return Err(invalid("trailing backslash at end of expression"));
        };
        self.i += 1;
        let is_octal = |c: Option<char>| c.is_some_and(|c| ('0'..='7').contains(&c));
        match c {
            '1'..='7' | '0' => {
                if c != '0' && !is_octal(self.peek()) {
                    // A backreference (`\1`): not supported by RE2.
                    return Err(invalid("invalid escape sequence"));
                }
                let mut v = c as u32 - '0' as u32;
                for _ in 1..3 {
                    match self.peek() {
                        Some(d) if ('0'..='7').contains(&d) => {
                            v = v * 8 + (d as u32 - '0' as u32);
                            self.i += 1;
                        }
                        _ => break,
                    }
                }
                char::from_u32(v).ok_or_else(|| invalid("invalid escape sequence"))
            }
            'x' => {
                if self.peek() == Some('{') {
                    self.i += 1;
                    let mut v: u32 = 0;
                    let mut digits = 0;
                    loop {
                        match self.peek() {
                            Some('}') => {
                                self.i += 1;
                                break;
                            }
                            Some(d) if d.is_ascii_hexdigit() => {
                                v = v * 16 + d.to_digit(16).unwrap_or(0);
                                digits += 1;
                                self.i += 1;
                                if v > MAX_CHAR {
                                    return Err(invalid("invalid escape sequence"));
                                }
                            }
                            _ => return Err(invalid("invalid escape sequence")),
                        }
                    }
                    if digits == 0 {
                        return Err(invalid("invalid escape sequence"));
                    }
                    return char::from_u32(v).ok_or_else(|| invalid("invalid escape sequence"));
                }
                let (Some(h), Some(l)) = (self.peek(), self.peek_at(1)) else {
                    return Err(invalid("invalid escape sequence"));
                };
                let (Some(h), Some(l)) = (h.to_digit(16), l.to_digit(16)) else {
                    return Err(invalid("invalid escape sequence"));
                };
                self.i += 2;
                char::from_u32(h * 16 + l).ok_or_else(|| invalid("invalid escape sequence"))
            }
            'a' => Ok('\u{7}'),
            'f' => Ok('\u{c}'),
            'n' => Ok('\n'),
            'r' => Ok('\r'),
            't' => Ok('\t'),
            'v' => Ok('\u{b}'),
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok(c),
            _ => Err(invalid("invalid escape sequence")),
        }
    }

    /// After `[`: Go's `parseClass` with Perl flags (so `-` is fine anywhere, and a
    /// negated class also matches a newline).
    fn parse_class(&mut self) -> Result<Vec<(u32, u32)>, ReError> {
        let mut negated = false;
        if self.peek() == Some('^') {
            negated = true;
            self.i += 1;
        }
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        let mut first = true;
        loop {
            match self.peek() {
                None => return Err(invalid("missing closing ]")),
                Some(']') if !first => {
                    self.i += 1;
                    break;
                }
                _ => {}
            }
            first = false;
            // POSIX class: [:alpha:] (the name ends at the first ":]").
            if self.peek() == Some('[') && self.peek_at(1) == Some(':') {
                let rest = &self.s[self.i + 2..];
                if let Some(k) = rest.windows(2).position(|w| w[0] == ':' && w[1] == ']') {
                    let name: String = rest[..k].iter().collect();
                    let Some(group) = posix_class(&name) else {
                        return Err(invalid("invalid character class range"));
                    };
                    ranges.extend(group);
                    self.i += 2 + k + 2;
                    continue;
                }
            }
            if self.peek() == Some('\\') {
                match self.peek_at(1) {
                    Some(c @ ('d' | 'D' | 's' | 'S' | 'w' | 'W')) => {
                        self.i += 2;
                        ranges.extend(perl_class(c));
                        continue;
                    }
                    Some(c @ ('p' | 'P')) => {
                        return Err(ReError::Unsupported(format!("\\{c} Unicode class")));
                    }
                    _ => {}
                }
            }
            let lo = self.parse_class_char()?;
            let mut hi = lo;
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|c| c != ']') {
                self.i += 1;
                hi = self.parse_class_char()?;
                if hi < lo {
                    return Err(invalid("invalid character class range"));
                }
            }
            ranges.push((lo as u32, hi as u32));
        }
        let ranges = merge(ranges);
        Ok(if negated { complement(&ranges) } else { ranges })
    }

    fn parse_class_char(&mut self) -> Result<char, ReError> {
        match self.peek() {
            None => Err(invalid("missing closing ]")),
            Some('\\') => {
                self.i += 1;
                self.parse_escape_char()
            }
            Some(c) => {
                self.i += 1;
                Ok(c)
            }
        }
    }
}

fn merge(mut ranges: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    ranges.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

fn complement(ranges: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut next = 0u32;
    for &(lo, hi) in ranges {
        if lo > next {
            out.push((next, lo - 1));
        }
        next = hi.saturating_add(1);
    }
    if next <= MAX_CHAR {
        out.push((next, MAX_CHAR));
    }
    out
}

fn perl_class(c: char) -> Vec<(u32, u32)> {
    let base: Vec<(u32, u32)> = match c.to_ascii_lowercase() {
        'd' => vec![(0x30, 0x39)],
        // Go's \s is [\t\n\f\r ] (no \v).
        's' => vec![(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)],
        _ => vec![(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
    };
    if c.is_ascii_uppercase() {
        complement(&base)
    } else {
        base
    }
}

fn posix_class(name: &str) -> Option<Vec<(u32, u32)>> {
    let (negated, name) = match name.strip_prefix('^') {
        Some(n) => (true, n),
        None => (false, name),
    };
    let r: Vec<(u32, u32)> = match name {
        "alnum" => vec![(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
        "alpha" => vec![(0x41, 0x5A), (0x61, 0x7A)],
        "ascii" => vec![(0x00, 0x7F)],
        "blank" => vec![(0x09, 0x09), (0x20, 0x20)],
        "cntrl" => vec![(0x00, 0x1F), (0x7F, 0x7F)],
        "digit" => vec![(0x30, 0x39)],
        "graph" => vec![(0x21, 0x7E)],
        "lower" => vec![(0x61, 0x7A)],
        "print" => vec![(0x20, 0x7E)],
        "punct" => vec![(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
        "space" => vec![(0x09, 0x0D), (0x20, 0x20)],
        "upper" => vec![(0x41, 0x5A)],
        "word" => vec![(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
        "xdigit" => vec![(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
        _ => return None,
    };
    Some(if negated { complement(&r) } else { r })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(re: &str, text: &str) -> bool {
        Regex::new(re).unwrap().is_match(text)
    }

    #[test]
    fn generated_shapes() {
        assert!(m("^[^/]*$", "abc"));
        assert!(!m("^[^/]*$", "a/b"));
        assert!(m("^(.*/)?dir2/[^/]*$", "dir/dir2/file"));
        assert!(m("^(.*/)?dir2/[^/]*$", "dir2/file"));
        assert!(!m("^(.*/)?dir2/[^/]*$", "dir/dir2/file/"));
        assert!(m("^(.*/)?(.*/)?[^/]*\\.txt$", "file.txt"));
        assert!(m("^a[b-d]e$", "ace"));
        assert!(!m("^a[b-d]e$", "aae"));
        assert!(m("^a[^b-d]e$", "aze"));
        assert!(
            m("^a[^b-d]e$", "a\ne"),
            "negated classes match newline (ClassNL)"
        );
        assert!(!m("^.$", "\n"), ". does not match newline");
        assert!(m("^\\.[^/]*$", ".foo"));
    }

    #[test]
    fn go_syntax_leaks() {
        assert!(m("^foo\\d$", "foo1"));
        assert!(!m("^foo\\d$", "food"));
        assert!(m("^[[:alpha:]]$", "q"));
        assert!(!m("^[[:alpha:]]$", "1"));
        assert!(m("^[[:^alpha:]]$", "1"));
        assert!(m("^[[^/]*]$", "[[]"));
        assert!(m("^[[^/]*]$", "]"));
        assert!(m("^a\\Q$", "a$"));
        assert!(m("^a\\Q$", "a$tail"));
        assert!(m("^\\x41$", "A"));
        assert!(m("^\\101$", "A"));
        assert!(m("^a^b$", "") == m("^a^b$", "ab") && !m("^a^b$", "ab"));
        assert!(m("^\\bab\\b$", "ab"));
    }

    #[test]
    fn errors() {
        for bad in [
            "[z-a]",
            "[",
            "a**",
            "*a",
            "\\",
            "\\k",
            "\\1",
            "\\C",
            "(a",
            "a)",
            "[[:nope:]]",
            "\\x{110000}",
            "\\xZZ",
            "\\é",
        ] {
            assert!(
                matches!(Regex::new(bad), Err(ReError::Invalid(_))),
                "{bad:?} should be invalid"
            );
        }
        assert!(matches!(Regex::new("\\pL"), Err(ReError::Unsupported(_))));
        assert!(Regex::new("[[:]").is_ok());
        assert!(Regex::new("a*?").is_ok());
        assert!(Regex::new("^*").is_ok());
    }

    #[test]
    fn prefixes_in_one_pass() {
        let cases = [
            "^[^/]*$",
            "^(.*/)?b$",
            "^a(.*/)?.*$",
            "^a\\b",
            "^a\\B",
            "^a\\Q$",
            "a$",
            "^a/b$",
            "^[^b]*$",
            "b",
            "^(.*/)?[^/]*\\.go$",
        ];
        let texts = [
            "a/b/c",
            "a",
            "a/b",
            "b/a/b",
            "x.go/y/z.go",
            "a$/b",
            "",
            "/",
            "a//b/",
        ];
        for re in cases {
            let r = Regex::new(re).unwrap();
            for t in texts {
                let mut ends: Vec<usize> = t.match_indices('/').map(|(i, _)| i).collect();
                ends.push(t.len());
                ends.push(0);
                let got = r.matches_prefixes(t, &ends);
                for (k, &e) in ends.iter().enumerate() {
                    assert_eq!(got[k], r.is_match(&t[..e]), "{re:?} on {:?}", &t[..e]);
                }
            }
        }
    }

    #[test]
    fn linear_on_pathological_input() {
        let re = Regex::new(&format!("^{}$", "(.*/)?".repeat(40))).unwrap();
        let text = "a/".repeat(2000) + "b";
        assert!(!re.is_match(&text));
    }
}
