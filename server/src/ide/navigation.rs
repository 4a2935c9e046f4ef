//! Outline, folding and navigation for stage names and variables. Pure; byte ranges.

use std::ops::Range;

use crate::semantic::{Model, RefTarget};
use crate::syntax::{Keyword, NodeKind, SyntaxTree};

/// One entry of the outline: a stage and its instructions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: String,
    pub range: Range<usize>,
    pub selection: Range<usize>,
    pub children: Vec<Symbol>,
}

pub fn symbols(text: &str, tree: &SyntaxTree, model: &Model) -> Vec<Symbol> {
    let mut out = Vec::new();
    for st in &model.stages {
        let Some(from) = tree.instr_at(st.item) else {
            continue;
        };
        let name = st
            .name
            .clone()
            .unwrap_or_else(|| format!("stage {}", st.index));
        let children = st
            .items
            .iter()
            .filter_map(|&k| tree.instr_at(k))
            .map(|i| {
                let line = text.get(i.line_range()).unwrap_or("");
                let short: String = line.chars().take(60).collect();
                Symbol {
                    name: i.ins.keyword.as_str().to_string(),
                    detail: short,
                    range: i.range(),
                    selection: i.abs(i.ins.keyword_span),
                    children: Vec::new(),
                }
            })
            .filter(|s| !s.name.is_empty())
            .collect();
        out.push(Symbol {
            name,
            detail: st.base.raw.clone(),
            range: st.range.clone(),
            selection: st
                .name_range
                .clone()
                .unwrap_or_else(|| from.abs(from.ins.keyword_span)),
            children,
        });
    }
    out
}

/// Foldable ranges: stages, multi-line instructions (continuations, heredocs), runs of
/// comment lines.
pub fn folding(text: &str, tree: &SyntaxTree, model: &Model) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = model.stages.iter().map(|s| s.range.clone()).collect();
    for i in tree.instructions() {
        let r = i.range();
        if text
            .get(r.clone())
            .is_some_and(|t| t.trim_end().contains('\n'))
        {
            out.push(r);
        }
    }
    let mut run: Option<Range<usize>> = None;
    for it in tree.items() {
        let r = it.start as usize..(it.start + it.node.len) as usize;
        if matches!(it.node.kind, NodeKind::Comment) {
            run = Some(run.map_or(r.clone(), |p| p.start..r.end));
        } else if let Some(p) = run.take() {
            if text
                .get(p.clone())
                .is_some_and(|t| t.trim_end().contains('\n'))
            {
                out.push(p);
            }
        }
    }
    if let Some(p) = run {
        if text
            .get(p.clone())
            .is_some_and(|t| t.trim_end().contains('\n'))
        {
            out.push(p);
        }
    }
    out
}

/// What is under the cursor: a stage or a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Stage(usize),
    Variable { name: String, item: usize },
}

pub fn target_at(tree: &SyntaxTree, model: &Model, offset: usize) -> Option<Target> {
    let inside = |r: &Range<usize>| r.start <= offset && offset <= r.end;
    for st in &model.stages {
        if st.name_range.as_ref().is_some_and(inside) {
            return Some(Target::Stage(st.index));
        }
        if st.base.stage.is_some() && inside(&st.base.range) {
            return st.base.stage.map(Target::Stage);
        }
    }
    for r in &model.refs {
        if inside(&r.range) {
            if let RefTarget::Stage(s) = r.target {
                return Some(Target::Stage(s));
            }
        }
    }
    for u in &model.uses {
        if inside(&u.var.range) {
            return Some(Target::Variable {
                name: u.var.name.clone(),
                item: u.item,
            });
        }
    }
    // On a definition's name.
    let defs = model
        .global_args
        .iter()
        .chain(model.stages.iter().flat_map(|s| s.defs.iter()));
    for d in defs {
        if inside(&d.name_range) {
            return Some(Target::Variable {
                name: d.name.clone(),
                item: d.item + 1,
            });
        }
    }
    let _ = tree;
    None
}

/// Where the thing under the cursor is defined.
pub fn definition(tree: &SyntaxTree, model: &Model, offset: usize) -> Option<Range<usize>> {
    match target_at(tree, model, offset)? {
        Target::Stage(s) => model.stages.get(s)?.name_range.clone(),
        Target::Variable { name, item } => model.resolve(&name, item).map(|d| d.name_range.clone()),
    }
}

/// Every occurrence of the thing under the cursor (definition included).
pub fn references(tree: &SyntaxTree, model: &Model, offset: usize) -> Vec<Range<usize>> {
    match target_at(tree, model, offset) {
        Some(Target::Stage(s)) => {
            let mut out: Vec<Range<usize>> = model
                .stages
                .get(s)
                .and_then(|st| st.name_range.clone())
                .into_iter()
                .collect();
            out.extend(
                model
                    .refs
                    .iter()
                    .filter(|r| r.target == RefTarget::Stage(s))
                    .map(|r| r.range.clone()),
            );
            out.extend(
                model
                    .stages
                    .iter()
                    .filter(|st| st.base.stage == Some(s))
                    .map(|st| st.base.range.clone()),
            );
            out
        }
        Some(Target::Variable { name, item }) => {
            let def = model.resolve(&name, item).map(|d| d.name_range.clone());
            let mut out: Vec<Range<usize>> = def.iter().cloned().collect();
            out.extend(
                model
                    .uses
                    .iter()
                    .filter(|u| u.var.name == name)
                    .filter(|u| model.resolve(&name, u.item).map(|d| d.name_range.clone()) == def)
                    .map(|u| u.var.name_range.clone()),
            );
            out
        }
        None => Vec::new(),
    }
}

/// Keyword of the instruction holding `offset`, for hover fallbacks.
pub fn keyword_at(tree: &SyntaxTree, offset: usize) -> Option<Keyword> {
    let i = tree.instr_at(tree.item_at(offset)?)?;
    let r = i.abs(i.ins.keyword_span);
    (r.start <= offset && offset <= r.end).then_some(i.ins.keyword)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn stage_and_variable_navigation() {
        let text = "ARG GO=1.22\nFROM golang:${GO} AS build\nARG GO\nRUN echo $GO\nFROM alpine:3.20\nCOPY --from=build /x /x\n";
        let tree = parse(text);
        let m = crate::semantic::analyze(text, &tree);
        let at = |needle: &str, nth: usize| text.match_indices(needle).nth(nth).unwrap().0 + 1;
        // From the COPY --from reference to the stage name.
        let def = definition(&tree, &m, at("build", 1)).unwrap();
        assert_eq!(&text[def.clone()], "build");
        assert_eq!(references(&tree, &m, at("build", 0)).len(), 2);
        // `$GO` in the RUN resolves to the stage's `ARG GO`.
        let d = definition(&tree, &m, at("$GO", 0) + 1).unwrap();
        assert_eq!(d.start, text.find("ARG GO\n").unwrap() + 4);
        assert_eq!(symbols(text, &tree, &m).len(), 2);
        assert!(!folding(text, &tree, &m).is_empty());
    }
}
