//! Meaning on top of the syntax tree: stages and their base images, the stage graph
//! (FROM stage, COPY --from, RUN --mount=from), ARG/ENV scopes with BuildKit's rules,
//! variable references, and the shell commands of RUN.
//!
//! Architecture invariant: pure functions of (text, tree); no I/O.

pub mod go;
pub mod image;
pub mod knowledge;
pub mod runtime;
pub mod shell;
pub mod vars;

use std::ops::Range;

pub use image::ImageRef;

use crate::syntax::{Args, InstrRef, Instruction, Keyword, SyntaxTree};

/// BuildKit's automatic platform ARGs (available in FROM lines without a declaration;
/// inside a stage only after `ARG NAME`).
pub const PLATFORM_ARGS: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDOSVERSION",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETOSVERSION",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
];

/// Proxy build args: usable in RUN without a declaration.
pub const PROXY_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "FTP_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "ftp_proxy",
    "no_proxy",
    "all_proxy",
];

/// Stage names BuildKit reserves.
pub const RESERVED_STAGE_NAMES: &[&str] = &["scratch", "context"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VarKind {
    /// An ARG before the first FROM.
    GlobalArg,
    Arg,
    Env,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarDef {
    pub name: String,
    pub kind: VarKind,
    pub name_range: Range<usize>,
    /// The value as written (quotes kept), if any.
    pub value: Option<String>,
    pub value_range: Option<Range<usize>>,
    /// Tree item index of the defining instruction.
    pub item: usize,
}

/// A variable used where BuildKit (not the shell) expands it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarUse {
    pub var: vars::VarRef,
    pub item: usize,
    /// `None` for FROM lines (global scope).
    pub stage: Option<usize>,
    /// Whether BuildKit expands it (false for RUN/CMD/ENTRYPOINT text: the shell does).
    pub buildkit_expands: bool,
    /// In a FROM line (image name or --platform).
    pub in_from: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base {
    /// The image text as written (`golang:${GO_VERSION}-alpine`).
    pub raw: String,
    pub range: Range<usize>,
    /// Expanded with the global ARG defaults.
    pub expanded: String,
    pub image: Option<ImageRef>,
    /// The in-file stage it names, if any.
    pub stage: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// Tree item index of the FROM.
    pub item: usize,
    pub name: Option<String>,
    pub name_range: Option<Range<usize>>,
    pub base: Base,
    pub platform: Option<(String, Range<usize>)>,
    /// Tree item indices of the stage's instructions after its FROM.
    pub items: Vec<usize>,
    /// From the FROM's start to the next FROM's start.
    pub range: Range<usize>,
    /// ARG and ENV definitions made in this stage, in order.
    pub defs: Vec<VarDef>,
}

impl Stage {
    pub fn is_named(&self, name: &str) -> bool {
        self.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// `FROM <stage>`
    FromBase,
    /// `COPY --from=<stage>`
    CopyFrom,
    /// `RUN --mount=from=<stage>`
    MountFrom,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefTarget {
    Stage(usize),
    /// No stage by that name: BuildKit pulls it as an image.
    Image,
    /// A stage index that does not exist (or not yet).
    BadIndex,
    /// Holds a variable: not resolved statically.
    Dynamic,
}

/// An edge of the stage graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageRef {
    pub kind: RefKind,
    /// The stage the reference is written in.
    pub in_stage: usize,
    pub item: usize,
    pub name: String,
    pub range: Range<usize>,
    pub target: RefTarget,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Model {
    /// The shell commands of every RUN (by tree item), split on first use: rules
    /// that never look inside a RUN do not pay for it.
    commands: std::sync::OnceLock<std::collections::HashMap<usize, Vec<shell::SimpleCommand>>>,
    pub stages: Vec<Stage>,
    pub global_args: Vec<VarDef>,
    pub refs: Vec<StageRef>,
    pub uses: Vec<VarUse>,
    /// Items of instructions other than ARG before the first FROM.
    pub before_first_from: Vec<usize>,
}

impl Model {
    /// The shell commands of the RUN at tree item `item` (empty for anything else).
    /// `text` and `tree` must be the ones this model was built from.
    pub fn commands_of(
        &self,
        text: &str,
        tree: &SyntaxTree,
        item: usize,
    ) -> &[shell::SimpleCommand] {
        self.commands
            .get_or_init(|| {
                tree.instructions()
                    .filter(|i| i.onbuild_target().keyword == Keyword::Run)
                    .map(|i| (i.index, run_commands(text, i)))
                    .collect()
            })
            .get(&item)
            .map_or(&[], Vec::as_slice)
    }

    /// The stage that holds tree item `item`.
    pub fn stage_of_item(&self, item: usize) -> Option<usize> {
        let i = self.stages.partition_point(|s| s.item <= item);
        i.checked_sub(1)
    }

    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.is_named(name))
    }

    /// The final stage (the last one; `target` when given and found).
    pub fn final_stage(&self, target: Option<&str>) -> Option<&Stage> {
        target
            .and_then(|t| self.stage_by_name(t))
            .or_else(|| self.stages.last())
    }

    /// The chain of in-file parent stages, nearest first, excluding `stage` itself.
    pub fn ancestors(&self, stage: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.stages.get(stage).and_then(|s| s.base.stage);
        while let Some(p) = cur {
            if out.contains(&p) || p == stage {
                break;
            }
            out.push(p);
            cur = self.stages.get(p).and_then(|s| s.base.stage);
        }
        out
    }

    /// Definitions visible just before tree item `item` in `stage` (ENV and declared ARGs
    /// of the stage and its in-file ancestors), latest first.
    pub fn visible_defs(&self, stage: usize, item: usize) -> Vec<&VarDef> {
        let mut out: Vec<&VarDef> = Vec::new();
        if let Some(s) = self.stages.get(stage) {
            out.extend(s.defs.iter().rev().filter(|d| d.item < item));
        }
        for a in self.ancestors(stage) {
            out.extend(self.stages[a].defs.iter().rev());
        }
        out
    }

    /// The definition a name refers to at `item` (global ARGs for FROM lines).
    pub fn resolve(&self, name: &str, item: usize) -> Option<&VarDef> {
        match self.stage_of_item(item) {
            Some(s) if self.stages[s].item != item => self
                .visible_defs(s, item)
                .into_iter()
                .find(|d| d.name == name),
            _ => self
                .global_args
                .iter()
                .rev()
                .find(|d| d.name == name && d.item < item),
        }
    }

    /// The default of a global ARG, expanded with the ones before it.
    pub fn global_default(&self, name: &str) -> Option<String> {
        let d = self.global_args.iter().rev().find(|d| d.name == name)?;
        let v = d.value.as_ref()?;
        Some(vars::expand(v, '\\', &|n| {
            if n == name {
                None
            } else {
                self.global_default(n)
            }
        }))
    }
}

/// Builds the model.
pub fn analyze(text: &str, tree: &SyntaxTree) -> Model {
    let escape = tree.escape();
    let mut m = Model::default();
    let mut seen_from = false;
    for i in tree.instructions() {
        let ins = i.ins;
        if ins.keyword == Keyword::From {
            seen_from = true;
            let stage = from_stage(text, tree, &m, i);
            if let Some(s) = m.stages.last_mut() {
                s.range.end = i.start;
            }
            m.stages.push(stage);
            collect_uses(text, escape, &mut m, i, None, true);
            continue;
        }
        if !seen_from {
            if ins.keyword == Keyword::Unknown {
                // A misspelled FROM (`FORM`) is reported once, as a syntax error; the
                // lines after it are not also "before the first FROM".
                if crate::syntax::suggest_keyword(&ins.keyword_text) == Some("FROM") {
                    seen_from = true;
                }
                continue;
            }
            if ins.keyword == Keyword::Arg {
                let defs = arg_defs(ins, i, VarKind::GlobalArg);
                m.global_args.extend(defs);
            } else {
                m.before_first_from.push(i.index);
            }
            continue;
        }
        let Some(si) = m.stages.len().checked_sub(1) else {
            continue;
        };
        m.stages[si].items.push(i.index);
        collect_uses(text, escape, &mut m, i, Some(si), false);
        let effective = ins.onbuild_inner().is_none();
        if effective {
            match ins.keyword {
                Keyword::Arg => {
                    let defs = arg_defs(ins, i, VarKind::Arg);
                    m.stages[si].defs.extend(defs);
                }
                Keyword::Env => {
                    let defs = env_defs(ins, i);
                    m.stages[si].defs.extend(defs);
                }
                Keyword::Copy => {
                    if let Some(f) = ins.flag("from") {
                        if let (Some(v), Some(vs)) = (&f.value, f.value_span) {
                            let r = stage_ref(&m, RefKind::CopyFrom, si, i.index, v, i.abs(vs));
                            m.refs.push(r);
                        }
                    }
                }
                Keyword::Run => {
                    for f in ins
                        .flags
                        .iter()
                        .filter(|f| f.name.eq_ignore_ascii_case("mount"))
                    {
                        if let Some(p) = f.part("from") {
                            if let (Some(v), Some(vs)) = (&p.value, p.value_span) {
                                let r =
                                    stage_ref(&m, RefKind::MountFrom, si, i.index, v, i.abs(vs));
                                m.refs.push(r);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if let Some(s) = m.stages.last_mut() {
        s.range.end = text.len();
    }
    m
}

fn from_stage(text: &str, _tree: &SyntaxTree, m: &Model, i: InstrRef<'_>) -> Stage {
    let ins = i.ins;
    let words = match &ins.args {
        Args::List(w) => w.as_slice(),
        _ => &[],
    };
    let (raw, range) = match words.first() {
        Some(w) => (w.text.to_string(), i.abs(w.span)),
        None => (
            String::new(),
            i.abs(ins.keyword_span).end..i.abs(ins.keyword_span).end,
        ),
    };
    let (name, name_range) = match words {
        [_, kw, n] if kw.text.eq_ignore_ascii_case("as") => {
            (Some(n.text.to_string()), Some(i.abs(n.span)))
        }
        _ => (None, None),
    };
    // Platform args have no static value and expand to nothing here.
    let expanded = vars::expand(&raw, '\\', &|n| m.global_default(n));
    // `FROM cross-${CROSS}` names a stage once the ARG default is applied.
    let lookup = if raw.contains('$') { &expanded } else { &raw };
    let stage_parent = m.stages.iter().position(|s| {
        s.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(lookup))
    });
    // A `${X/a/b}` style modifier is not expanded here: the name is not known.
    let complex = vars::scan(&raw, 0, '\\').iter().any(|r| {
        let after = &raw[r.name_range.end.min(raw.len())..];
        r.has_modifier
            && !["-", ":-", "+", ":+"]
                .iter()
                .any(|op| after.starts_with(op))
    }) || vars::scan(&raw, 0, '\\').iter().any(|r| {
        m.global_args.iter().any(|d| {
            d.name == r.name
                && d.value
                    .as_deref()
                    .is_some_and(|v| v.contains("${") && v.contains('/'))
        })
    });
    let image = if stage_parent.is_some() || complex {
        None
    } else {
        ImageRef::parse(&expanded)
    };
    let platform = ins.flag("platform").and_then(|f| {
        let v = f.value.as_deref()?.to_string();
        Some((v, i.abs(f.value_span?)))
    });
    let _ = text;
    Stage {
        index: m.stages.len(),
        item: i.index,
        name,
        name_range,
        base: Base {
            raw,
            range,
            expanded,
            image,
            stage: stage_parent,
        },
        platform,
        items: Vec::new(),
        range: i.start..i.start,
        defs: Vec::new(),
    }
}

fn stage_ref(
    m: &Model,
    kind: RefKind,
    in_stage: usize,
    item: usize,
    name: &str,
    range: Range<usize>,
) -> StageRef {
    let target = if name.contains('$') {
        RefTarget::Dynamic
    } else if let Ok(n) = name.parse::<usize>() {
        if n < m.stages.len() {
            RefTarget::Stage(n)
        } else {
            RefTarget::BadIndex
        }
    } else {
        match m.stages.iter().position(|s| s.is_named(name)) {
            Some(s) => RefTarget::Stage(s),
            None => RefTarget::Image,
        }
    };
    StageRef {
        kind,
        in_stage,
        item,
        name: name.to_string(),
        range,
        target,
    }
}

fn arg_defs(ins: &Instruction, i: InstrRef<'_>, kind: VarKind) -> Vec<VarDef> {
    let Args::Pairs { pairs, .. } = &ins.args else {
        return Vec::new();
    };
    pairs
        .iter()
        .map(|p| VarDef {
            name: p.key.text.to_string(),
            kind: kind.clone(),
            name_range: i.abs(p.key.span),
            value: p.value.as_ref().map(|v| v.text.to_string()),
            value_range: p.value.as_ref().map(|v| i.abs(v.span)),
            item: i.index,
        })
        .collect()
}

fn env_defs(ins: &Instruction, i: InstrRef<'_>) -> Vec<VarDef> {
    let Args::Pairs { pairs, .. } = &ins.args else {
        return Vec::new();
    };
    pairs
        .iter()
        .map(|p| VarDef {
            name: p.key.text.to_string(),
            kind: VarKind::Env,
            name_range: i.abs(p.key.span),
            value: p.value.as_ref().map(|v| v.text.to_string()),
            value_range: p.value.as_ref().map(|v| i.abs(v.span)),
            item: i.index,
        })
        .collect()
}

/// Records the variable references of one instruction.
fn collect_uses(
    text: &str,
    escape: char,
    m: &mut Model,
    i: InstrRef<'_>,
    stage: Option<usize>,
    in_from: bool,
) {
    let ins = i.onbuild_target();
    let shell_expanded = matches!(
        ins.keyword,
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck | Keyword::Shell
    );
    let buildkit_expands = !shell_expanded && i.ins.keyword != Keyword::Onbuild;
    // Comment lines inside a continuation are not part of the instruction.
    let skipped: Vec<Range<usize>> = i.ins.comments.iter().map(|c| i.abs(*c)).collect();
    let mut push = |range: Range<usize>| {
        let Some(s) = text.get(range.clone()) else {
            return;
        };
        for r in vars::scan(s, range.start, escape) {
            if skipped
                .iter()
                .any(|c| c.start <= r.range.start && r.range.start < c.end)
            {
                continue;
            }
            m.uses.push(VarUse {
                var: r,
                item: i.index,
                stage,
                buildkit_expands,
                in_from,
            });
        }
    };
    for f in &i.ins.flags {
        if let Some(vs) = f.value_span {
            push(i.abs(vs));
        }
    }
    if ins.keyword == Keyword::Arg {
        // ARG values are expanded, names are not.
        if let Args::Pairs { pairs, .. } = &ins.args {
            for p in pairs {
                if let Some(v) = &p.value {
                    push(i.abs(v.span));
                }
            }
        }
    } else if !ins.args_span.is_empty() {
        push(i.abs(ins.args_span));
    }
}

impl<'a> InstrRef<'a> {
    /// For ONBUILD, the trigger instruction; otherwise the instruction itself.
    pub fn onbuild_target(&self) -> &'a Instruction {
        self.ins.onbuild_inner().unwrap_or(self.ins)
    }
}

/// The shell commands a RUN executes (shell form, `sh -c` in exec form, heredoc
/// scripts), with absolute spans.
pub fn run_commands(text: &str, i: InstrRef<'_>) -> Vec<shell::SimpleCommand> {
    let ins = i.onbuild_target();
    let mut out = Vec::new();
    match &ins.args {
        Args::Shell(w) => {
            // Continuations and the comment/empty lines inside them are not part of
            // the script BuildKit hands to the shell.
            let mut skip: Vec<Range<usize>> = Vec::new();
            for c in &i.ins.continuations {
                let r = i.abs(*c);
                let end = text[r.start..]
                    .find('\n')
                    .map_or(text.len(), |n| r.start + n + 1);
                skip.push(r.start..end);
            }
            for c in i.ins.comments.iter().chain(&i.ins.empty_continuation_lines) {
                let r = i.abs(*c);
                let end = text[r.end..]
                    .find('\n')
                    .map_or(text.len(), |n| r.end + n + 1);
                skip.push(r.start..end);
            }
            skip.sort_by_key(|r| r.start);
            let chars = shell::chars_of(text, i.abs(w.span), &skip);
            let cmds = shell::commands(&chars);
            out.extend(expand_dash_c(text, cmds));
        }
        Args::Exec(words) => {
            if let Some(pos) = words
                .iter()
                .position(|w| w.text.starts_with('-') && w.text.contains('c'))
            {
                let is_shell = words.first().is_some_and(|w| {
                    let p = w.text.rsplit('/').next().unwrap_or(&w.text);
                    matches!(p, "sh" | "bash" | "ash" | "dash")
                });
                if let (true, Some(script)) = (is_shell, words.get(pos + 1)) {
                    let r = i.abs(script.span);
                    let exact = r.len() == script.text.len() + 2;
                    let chars: Vec<(usize, char)> = script
                        .text
                        .char_indices()
                        .map(|(k, c)| (if exact { r.start + 1 + k } else { r.start }, c))
                        .collect();
                    out.extend(shell::commands(&chars));
                }
            } else if !words.is_empty() {
                // `["go", "build", "."]`: one command.
                out.push(shell::SimpleCommand {
                    sep: shell::Sep::Start,
                    env: Vec::new(),
                    words: words
                        .iter()
                        .map(|w| shell::ShellWord {
                            range: i.abs(w.span),
                            text: w.text.clone(),
                            quoted: true,
                        })
                        .collect(),
                    redirects: Vec::new(),
                    range: i.abs(words[0].span).start..i.abs(words[words.len() - 1].span).end,
                });
            }
        }
        _ => {}
    }
    for h in &i.ins.heredocs {
        let chars = shell::chars_of(text, i.abs(h.body), &[]);
        out.extend(expand_dash_c(text, shell::commands(&chars)));
    }
    out
}

/// Adds the commands inside `sh -c '...'` after the command that holds them.
fn expand_dash_c(text: &str, cmds: Vec<shell::SimpleCommand>) -> Vec<shell::SimpleCommand> {
    let mut out = Vec::with_capacity(cmds.len());
    for c in cmds {
        let inner = shell::dash_c_script(&c).and_then(|w| {
            let raw = text.get(w.range.clone())?;
            let q = raw.chars().next()?;
            if (q == '\'' || q == '"') && raw.len() >= 2 && raw.ends_with(q) {
                let r = w.range.start + 1..w.range.end - 1;
                Some(shell::commands(&shell::chars_of(text, r, &[])))
            } else {
                None
            }
        });
        out.push(c);
        if let Some(inner) = inner {
            out.extend(inner);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn stages_and_refs() {
        let text = "ARG GO=1.22\nFROM golang:${GO}-alpine AS build\nARG GO\nENV CGO_ENABLED=0\nRUN go build -o /app .\nFROM build AS test\nFROM scratch\nCOPY --from=build /app /app\nCOPY --from=nope /x /x\nCOPY --from=7 /y /y\n";
        let tree = parse(text);
        let m = analyze(text, &tree);
        assert_eq!(m.stages.len(), 3);
        let s0 = &m.stages[0];
        assert_eq!(s0.base.expanded, "golang:1.22-alpine");
        assert_eq!(
            s0.base.image.as_ref().unwrap().tag.as_deref(),
            Some("1.22-alpine")
        );
        assert_eq!(m.stages[1].base.stage, Some(0));
        assert_eq!(m.refs[0].target, RefTarget::Stage(0));
        assert_eq!(m.refs[1].target, RefTarget::Image);
        assert_eq!(m.refs[2].target, RefTarget::BadIndex);
        let run_item = tree
            .instructions()
            .find(|i| i.ins.keyword == Keyword::Run)
            .unwrap();
        assert_eq!(
            m.resolve("CGO_ENABLED", run_item.index).unwrap().kind,
            VarKind::Env
        );
        assert!(m.uses.iter().any(|u| u.var.name == "GO" && u.in_from));
    }

    #[test]
    fn run_commands_across_continuations() {
        let text =
            "RUN apk add git \\\n  # comment\n  && CGO_ENABLED=0 go build \\\n     -o /app .\n";
        let tree = parse(text);
        let i = tree.instructions().next().unwrap();
        let cmds = run_commands(text, i);
        assert_eq!(cmds.len(), 2);
        assert_eq!(cmds[1].env[0].name, "CGO_ENABLED");
        let o = &cmds[1].args()[2];
        assert_eq!(&text[o.range.clone()], "/app");
    }
}
