//! Outline, folding and navigation for stage names and variables. Pure; byte ranges.

use std::ops::Range;

use crate::i18n::Text;
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

pub fn target_at(model: &Model, offset: usize) -> Option<Target> {
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
    None
}

/// Where the thing under the cursor is defined.
pub fn definition(model: &Model, offset: usize) -> Option<Range<usize>> {
    match target_at(model, offset)? {
        Target::Stage(s) => model.stages.get(s)?.name_range.clone(),
        Target::Variable { name, item } => model.resolve(&name, item).map(|d| d.name_range.clone()),
    }
}

/// Every occurrence of the thing under the cursor (definition included).
pub fn references(model: &Model, offset: usize) -> Vec<Range<usize>> {
    match target_at(model, offset) {
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

/// The edits that rename the stage or variable under the cursor to `new_name`: every
/// occurrence whose text is the old name (numeric `--from=0` references stay as they are).
pub fn rename(
    text: &str,
    model: &Model,
    offset: usize,
    new_name: &str,
) -> Result<Vec<Range<usize>>, Text> {
    let Some(target) = target_at(model, offset) else {
        return Err(crate::text!(
            "Only stage names and ARG/ENV variables can be renamed.",
            "只能重命名阶段名和 ARG/ENV 变量。"
        ));
    };
    let new = new_name.trim();
    let old = match &target {
        Target::Stage(s) => {
            let valid = new.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && new
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
            if !valid {
                return Err(crate::text!(
                    "`{}` is not a valid stage name: use a lower-case letter followed by letters, digits, `-`, `_` or `.`.",
                    "`{}` 不是合法的阶段名：须以小写字母开头，后面只能是小写字母、数字、`-`、`_` 或 `.`。",
                    new
                ));
            }
            if model.stages.iter().any(|st| {
                st.index != *s
                    && st
                        .name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(new))
            }) {
                return Err(crate::text!(
                    "Another stage is already named `{}`.",
                    "已经有一个阶段叫 `{}` 了。",
                    new
                ));
            }
            model
                .stages
                .get(*s)
                .and_then(|st| st.name.clone())
                .unwrap_or_default()
        }
        Target::Variable { name, .. } => {
            let valid = new
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && new.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(crate::text!(
                    "`{}` is not a valid variable name: use letters, digits and `_`, not starting with a digit.",
                    "`{}` 不是合法的变量名：只能由字母、数字和 `_` 组成，且不能以数字开头。",
                    new
                ));
            }
            name.clone()
        }
    };
    if old.is_empty() {
        return Err(crate::text!(
            "This stage has no name to rename; add `AS name` to its FROM first.",
            "这个阶段没有名字可改；先在 FROM 后加上 `AS 名字`。"
        ));
    }
    if let Target::Stage(_) = target {
        return Ok(references(model, offset)
            .into_iter()
            .filter(|r| {
                text.get(r.clone())
                    .is_some_and(|t| t.eq_ignore_ascii_case(&old))
            })
            .collect());
    }
    // A variable: every definition and use of the name in the file, so that inheritance
    // (a stage's bare `ARG X` taking the global default) keeps working after the rename.
    let builtin = |n: &str| {
        crate::semantic::PLATFORM_ARGS.contains(&n) || crate::semantic::PROXY_ARGS.contains(&n)
    };
    if builtin(&old) || builtin(new) {
        return Err(crate::text!(
            "`{}` is one of BuildKit's predefined build arguments; renaming to or from it changes what the build sees.",
            "`{}` 是 BuildKit 预定义的构建参数，改成它或把它改掉都会改变构建拿到的值。",
            if builtin(&old) { old.as_str() } else { new }
        ));
    }
    let defs: Vec<_> = model
        .global_args
        .iter()
        .chain(model.stages.iter().flat_map(|s| s.defs.iter()))
        .collect();
    if !defs.iter().any(|d| d.name == old) {
        return Err(crate::text!(
            "`{}` is not defined in this Dockerfile (it comes from the base image or the environment), so it cannot be renamed here.",
            "`{}` 不是在这个 Dockerfile 里定义的（来自基础镜像或外部环境），无法在这里重命名。",
            old
        ));
    }
    if defs.iter().any(|d| d.name == new) || model.uses.iter().any(|u| u.var.name == new) {
        return Err(crate::text!(
            "`{}` is already used in this Dockerfile; renaming would merge two variables.",
            "这个 Dockerfile 里已经有 `{}` 了，重命名会把两个变量混为一个。",
            new
        ));
    }
    let mut out: Vec<Range<usize>> = defs
        .iter()
        .filter(|d| d.name == old)
        .map(|d| d.name_range.clone())
        .chain(
            model
                .uses
                .iter()
                .filter(|u| u.var.name == old)
                .map(|u| u.var.name_range.clone()),
        )
        .filter(|r| text.get(r.clone()) == Some(old.as_str()))
        .collect();
    out.sort_by_key(|r| r.start);
    out.dedup();
    Ok(out)
}

/// Inlay hints: the value a FROM's image takes once its ARGs are expanded
/// (`FROM golang:${GO}` → `golang:1.22`). `(offset, label)`.
pub fn inlay_hints(model: &Model) -> Vec<(usize, String)> {
    model
        .stages
        .iter()
        .filter(|st| st.base.raw != st.base.expanded && !st.base.expanded.is_empty())
        .map(|st| (st.base.range.end, format!("= {}", st.base.expanded)))
        .collect()
}

/// Links from each FROM's image to its page on the registry, for the registries whose
/// page address follows from the reference.
pub fn image_links(model: &Model) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    for st in &model.stages {
        if st.base.stage.is_some() || st.base.raw != st.base.expanded {
            continue;
        }
        let Some(img) = &st.base.image else { continue };
        let repo = img.repository.as_str();
        let url = match img.registry.as_deref() {
            None | Some("docker.io") | Some("index.docker.io") | Some("registry-1.docker.io") => {
                match repo.strip_prefix("library/") {
                    Some(official) => format!("https://hub.docker.com/_/{official}"),
                    None if !repo.contains('/') => format!("https://hub.docker.com/_/{repo}"),
                    None => format!("https://hub.docker.com/r/{repo}"),
                }
            }
            Some("ghcr.io") => format!("https://ghcr.io/{repo}"),
            Some("quay.io") => format!("https://quay.io/repository/{repo}"),
            Some("mcr.microsoft.com") => format!("https://mcr.microsoft.com/artifact/mar/{repo}"),
            Some("gcr.io") => format!("https://gcr.io/{repo}"),
            Some("cgr.dev") => match repo.strip_prefix("chainguard/") {
                Some(name) => {
                    format!("https://images.chainguard.dev/directory/image/{name}/overview")
                }
                None => continue,
            },
            Some("public.ecr.aws") => format!("https://gallery.ecr.aws/{repo}"),
            Some(_) => continue,
        };
        out.push((st.base.range.clone(), url));
    }
    out
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
        let def = definition(&m, at("build", 1)).unwrap();
        assert_eq!(&text[def.clone()], "build");
        assert_eq!(references(&m, at("build", 0)).len(), 2);
        // `$GO` in the RUN resolves to the stage's `ARG GO`.
        let d = definition(&m, at("$GO", 0) + 1).unwrap();
        assert_eq!(d.start, text.find("ARG GO\n").unwrap() + 4);
        assert_eq!(symbols(text, &tree, &m).len(), 2);
        assert!(!folding(text, &tree, &m).is_empty());
    }

    #[test]
    fn hints_and_links() {
        let text = "ARG GO=1.22\nFROM golang:${GO}-alpine AS build\nFROM gcr.io/distroless/static-debian12\nFROM build\nFROM ghcr.io/acme/tool:1\nFROM registry.example.com/x:1\nFROM bitnami/git\n";
        let tree = parse(text);
        let m = crate::semantic::analyze(text, &tree);
        let hints = inlay_hints(&m);
        assert_eq!(hints.len(), 1);
        assert_eq!(hints[0].1, "= golang:1.22-alpine");
        assert_eq!(hints[0].0, text.find(" AS build").unwrap());
        let links: Vec<String> = image_links(&m).into_iter().map(|l| l.1).collect();
        assert_eq!(
            links,
            [
                "https://gcr.io/distroless/static-debian12",
                "https://ghcr.io/acme/tool",
                "https://hub.docker.com/r/bitnami/git",
            ]
        );
    }

    #[test]
    fn rename_keeps_meaning() {
        let text = "ARG GO=1.22\nFROM golang:${GO} AS build\nARG GO\nRUN echo $GO\nFROM alpine:3.20\nCOPY --from=build /x /x\nCOPY --from=0 /y /y\n";
        let tree = parse(text);
        let m = crate::semantic::analyze(text, &tree);
        let apply = |edits: Vec<Range<usize>>, new: &str| {
            let mut t = text.to_string();
            for r in edits.into_iter().rev() {
                t.replace_range(r, new);
            }
            t
        };
        let at = |needle: &str| text.find(needle).unwrap() + 1;
        let e = rename(text, &m, at("build /x"), "compile").unwrap();
        let out = apply(e, "compile");
        assert!(
            out.contains("AS compile\n") && out.contains("--from=compile /x"),
            "{out}"
        );
        assert!(out.contains("--from=0 /y"), "{out}");
        // Renaming the RUN's $GO renames the global ARG too: the stage still inherits 1.22.
        let e = rename(text, &m, at("$GO"), "GO_VERSION").unwrap();
        let out = apply(e, "GO_VERSION");
        assert_eq!(out.matches("GO_VERSION").count(), 4, "{out}");
        assert!(!out.contains("GO ") && !out.contains("$GO\n"), "{out}");
        assert!(rename(text, &m, at("build /x"), "Bad Name").is_err());
        assert!(rename(text, &m, at("$GO"), "TARGETARCH").is_err());
        assert!(rename(text, &m, at("alpine"), "x").is_err());
    }
}
