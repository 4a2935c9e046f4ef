//! Suppressions, handled in one place for every rule:
//! - `# dockwise: ignore=GO101,RT201` silences the next instruction;
//!   `# dockwise: global ignore=...` the whole file;
//! - `# hadolint ignore=DL3006` / `# hadolint global ignore=...`, through the rules' peers;
//! - BuildKit's `# check=skip=Name1,Name2` (or `skip=all`) directive for the file, and a
//!   `# check=skip=...` comment right above an instruction for that instruction.

use std::ops::Range;

use super::{rule, Diagnostic};
use crate::syntax::{NodeKind, SyntaxTree};

#[derive(Debug, Default)]
pub struct Suppressions {
    /// (names, the range they cover; `None` = whole file)
    entries: Vec<(Vec<String>, Option<Range<usize>>, Source)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Dockwise,
    Hadolint,
    BuildKit,
}

/// Parses the names after `ignore=` / `skip=`.
pub(crate) fn names(list: &str) -> Vec<String> {
    list.split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `# dockwise: [global] ignore=A,B` / `# hadolint [global] ignore=A,B` → (source, global, names).
pub(crate) fn parse_comment(line: &str) -> Option<(Source, bool, Vec<String>)> {
    let body = line.trim_start().strip_prefix('#')?.trim();
    let (source, rest) = if let Some(r) = body.strip_prefix("dockwise:") {
        (Source::Dockwise, r)
    } else if let Some(r) = body.strip_prefix("dockwise ") {
        (Source::Dockwise, r)
    } else if let Some(r) = body.strip_prefix("hadolint ") {
        (Source::Hadolint, r)
    } else if let Some(r) = body.strip_prefix("check=") {
        let skip = r.split(';').find_map(|p| p.trim().strip_prefix("skip="))?;
        let skip = skip.split(' ').next().unwrap_or("");
        return Some((Source::BuildKit, false, names(skip)));
    } else {
        return None;
    };
    let rest = rest.trim();
    let (global, rest) = match rest.strip_prefix("global") {
        Some(r) => (true, r.trim()),
        None => (false, rest),
    };
    let list = rest.strip_prefix("ignore=")?;
    // A trailing explanation after whitespace is allowed: `ignore=DL3006 pinned upstream`.
    let list = list.split_whitespace().next().unwrap_or("");
    Some((source, global, names(list)))
}

impl Suppressions {
    pub fn collect(text: &str, tree: &SyntaxTree) -> Suppressions {
        let mut s = Suppressions::default();
        if let Some((_, d)) = tree.directive("check") {
            let v = d.value.split(' ').next().unwrap_or("");
            if let Some(skip) = v.split(';').find_map(|p| p.trim().strip_prefix("skip=")) {
                s.entries.push((names(skip), None, Source::BuildKit));
            }
        }
        let items = tree.items();
        for (k, it) in items.iter().enumerate() {
            if !matches!(it.node.kind, NodeKind::Comment) {
                continue;
            }
            let start = it.start as usize;
            let line = &text[start..start + it.node.len as usize];
            let Some((source, global, list)) = parse_comment(line) else {
                continue;
            };
            if global {
                s.entries.push((list, None, source));
                continue;
            }
            // The next instruction, past other comments and blank lines.
            let next = items[k + 1..]
                .iter()
                .find(|n| matches!(n.node.kind, NodeKind::Instruction(_)));
            if let Some(n) = next {
                let r = n.start as usize..(n.start + n.node.len) as usize;
                s.entries.push((list, Some(r), source));
            }
        }
        s
    }

    /// Whether the diagnostic is silenced.
    pub fn suppresses(&self, _text: &str, d: &Diagnostic) -> bool {
        self.entries.iter().any(|(list, range, source)| {
            let in_range = range
                .as_ref()
                .is_none_or(|r| d.range.start >= r.start && d.range.start < r.end.max(r.start + 1));
            in_range && list.iter().any(|n| matches(n, *source, d))
        })
    }
}

fn matches(name: &str, source: Source, d: &Diagnostic) -> bool {
    let Some(rule) = rule(d.code) else {
        return false;
    };
    if source == Source::BuildKit && name == "all" {
        return rule.peers.iter().any(|p| is_buildkit_name(p));
    }
    if name.eq_ignore_ascii_case(d.code) {
        return true;
    }
    match d.peer {
        // A finding tied to one peer check answers to that name only.
        Some(p) => p.eq_ignore_ascii_case(name) || peer_alias(rule.peers, p, name),
        None => rule.peers.iter().any(|p| p.eq_ignore_ascii_case(name)),
    }
}

/// hadolint codes that stand for the same finding as a BuildKit peer name.
fn peer_alias(peers: &[&str], peer: &str, name: &str) -> bool {
    // Only hadolint names (DLxxxx) are aliases of the whole rule.
    !is_buildkit_name(name)
        && peers.iter().any(|p| p.eq_ignore_ascii_case(name))
        && !peer.is_empty()
}

fn is_buildkit_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && !s.starts_with("DL")
        && !s.starts_with("SC")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_comments() {
        assert_eq!(
            parse_comment("# dockwise: ignore=GO101,RT201"),
            Some((
                Source::Dockwise,
                false,
                vec!["GO101".into(), "RT201".into()]
            ))
        );
        assert_eq!(
            parse_comment("# hadolint global ignore=DL3006 pinned elsewhere"),
            Some((Source::Hadolint, true, vec!["DL3006".into()]))
        );
        assert_eq!(
            parse_comment("# check=skip=JSONArgsRecommended;error=true"),
            Some((Source::BuildKit, false, vec!["JSONArgsRecommended".into()]))
        );
        assert_eq!(parse_comment("# just a comment"), None);
    }
}
