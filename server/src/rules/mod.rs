//! Rules: one file per rule (code, name, severity, docs in both languages, the check,
//! its fix), one registry, suppressions and configuration handled in one place.
//!
//! Architecture invariant: nothing under `rules/` does I/O; a rule sees the text, the
//! tree, the semantic model and the configuration, and reports through a [`Sink`].

pub mod config;
mod ctx401_dockerignore_missing;
mod ctx402_dockerignore_lets_git_in;
mod df501_syntax_error;
mod df502_instruction_before_from;
mod df503_unknown_stage_reference;
mod df504_duplicate_stage_name;
mod df505_reserved_stage_name;
mod df506_casing;
pub(crate) mod df507_json_args_recommended;
mod df508_multiple_instructions;
mod df509_undefined_variable;
mod df510_legacy_key_value;
mod df511_maintainer_deprecated;
mod df512_relative_workdir;
mod df513_invalid_expose;
mod df514_empty_continuation;
mod df515_invalid_flag;
mod df516_copy_multiple_sources_dest;
mod df517_constant_platform;
mod df518_unknown_rule_in_suppression;
pub mod docs;
pub mod fix;
mod go101_single_stage_go_image;
pub(crate) mod go102_source_copied_before_deps;
pub(crate) mod go103_cgo_binary_in_static_runtime;
mod go104_mod_verify_missing;
mod go105_debug_info_kept;
mod go106_obsolete_build_flags;
mod go107_hardcoded_target_platform;
mod go108_go_version_below_go_mod;
pub(crate) mod go109_cgo_disabled_but_required;
mod go110_module_cache_not_mounted;
mod go111_copied_binary_not_built;
mod go113_unpinned_go_install;
mod rt201_floating_base_tag;
mod rt202_apk_cache_kept;
mod rt203_shell_in_shell_less_stage;
mod rt204_missing_ca_certificates;
mod rt205_missing_zoneinfo;
mod rt206_named_user_without_passwd;
mod rt207_healthcheck_tool_missing;
mod rt208_toolchain_in_final_image;
mod sec301_runs_as_root;
mod sec302_secret_in_arg_or_env;
mod sec303_add_instead_of_copy;
pub mod suppress;

use std::collections::BTreeMap;
use std::ops::Range;

pub use fix::{apply_fixes, Applicability, Edit, FileChange, Fix};

use crate::context::{BuildContext, GoProject, NoContext};
use crate::i18n::{Lang, Text};
use crate::semantic::go::GoCommand;
use crate::semantic::runtime::Runtime;
use crate::semantic::{self, Model};
use crate::syntax::{InstrRef, SyntaxTree};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" | "e" => Some(Severity::Error),
            "warning" | "warn" | "w" => Some(Severity::Warning),
            "info" | "i" => Some(Severity::Info),
            "hint" | "h" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// What kind of fix a rule offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixKind {
    None,
    /// Applied by `dockwise fix` and "fix all".
    Safe,
    /// Offered as a code action only.
    Unsafe,
}

/// LSP diagnostic tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    Unnecessary,
    Deprecated,
}

/// One rule's documentation in one language.
#[derive(Clone, Copy, Debug)]
pub struct RuleDoc {
    /// One line: what the rule flags.
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    /// A Dockerfile that triggers the rule.
    pub bad: &'static str,
    /// The same Dockerfile, fixed.
    pub good: &'static str,
    /// What the fix does and how safe it is.
    pub fix: &'static str,
}

pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixKind,
    /// Equivalent rules of hadolint (`DL3006`) or BuildKit (`JSONArgsRecommended`).
    pub peers: &'static [&'static str],
    pub en: RuleDoc,
    pub zh: RuleDoc,
    pub check: fn(&Ctx<'_>, &mut Sink<'_>),
}

impl Rule {
    pub fn doc(&self, lang: Lang) -> &RuleDoc {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
    /// The public documentation page of the rule.
    pub fn url(&self) -> String {
        format!("{DOCS_BASE}/{}.md", self.code)
    }
}

/// Where the rule pages live (generated from the rule sources into docs/rules).
pub const DOCS_BASE: &str = "https://github.com/dockwise/dockwise/blob/main/docs/rules";

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).finish()
    }
}

/// Related information: another place that explains the diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub range: Range<usize>,
    pub message: Text,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    /// The peer check this finding corresponds to, when a rule covers several
    /// (`FromAsCasing` for DF506), so `# check=skip=` can target it.
    pub peer: Option<&'static str>,
    pub severity: Severity,
    /// Absolute byte range.
    pub range: Range<usize>,
    pub message: Text,
    pub fix: Option<Fix>,
    pub related: Vec<Related>,
    pub tags: Vec<Tag>,
}

/// What a rule sees.
pub struct Ctx<'a> {
    pub text: &'a str,
    pub tree: &'a SyntaxTree,
    pub model: &'a Model,
    pub config: &'a Config,
    /// Every `go` command of every RUN (computed on first use).
    go_cell: std::cell::OnceCell<Vec<GoCommand>>,
    /// What each stage's image holds (computed on first use).
    runtimes_cell: std::cell::OnceCell<Vec<Runtime>>,
    /// The runtime model without what RUN installs (see `shell_less`).
    shells_cell: std::cell::OnceCell<Vec<Runtime>>,
    /// What lies beside the Dockerfile (`NoContext` when unknown).
    pub context: &'a dyn BuildContext,
    /// The Dockerfile's path relative to the context root.
    pub dockerfile: &'a str,
    /// The Go project in the context (empty when the context is unknown).
    pub project: &'a GoProject,
}

impl<'a> Ctx<'a> {
    /// Every `go` command of every RUN.
    pub fn go(&self) -> &[GoCommand] {
        self.go_cell
            .get_or_init(|| semantic::go::go_commands(self.text, self.tree, self.model))
    }

    /// What each stage's image holds.
    pub fn runtimes(&self) -> &[Runtime] {
        self.runtimes_cell
            .get_or_init(|| semantic::runtime::runtimes(self.text, self.tree, self.model))
    }

    /// The shell commands of the RUN at tree item `item`.
    pub fn commands_of(&self, item: usize) -> &[semantic::shell::SimpleCommand] {
        self.model.commands_of(self.text, self.tree, item)
    }

    /// Whether stage `stage` has no `/bin/sh`. Answered from the full runtime model
    /// when some rule already built it, else from a cheaper pass that does not split
    /// RUN scripts (a shell only comes from the base image or a COPY).
    pub fn shell_less(&self, stage: usize) -> bool {
        let rts = match self.runtimes_cell.get() {
            Some(r) => r.as_slice(),
            None => self
                .shells_cell
                .get_or_init(|| semantic::runtime::shells(self.tree, self.model)),
        };
        rts.get(stage).is_some_and(Runtime::shell_less)
    }

    pub fn slice(&self, r: Range<usize>) -> &'a str {
        self.text.get(r).unwrap_or("")
    }

    /// The instructions of a stage after its FROM.
    pub fn stage_instrs(&self, stage: usize) -> impl Iterator<Item = InstrRef<'a>> + '_ {
        let items: &'a [usize] = self
            .model
            .stages
            .get(stage)
            .map_or(&[], |s| s.items.as_slice());
        items.iter().filter_map(|&k| self.tree.instr_at(k))
    }

    /// The stage that is built: `target` when configured and found, else the last one.
    pub fn final_stage(&self) -> Option<usize> {
        self.model
            .final_stage(self.config.target.as_deref())
            .map(|s| s.index)
    }

    /// Stages whose files end up in the final image: the final stage, its in-file
    /// ancestors, and (transitively) the stages they `COPY --from`.
    pub fn stages_reaching_final(&self) -> Vec<usize> {
        let Some(f) = self.final_stage() else {
            return Vec::new();
        };
        let mut out = vec![f];
        let mut i = 0;
        while i < out.len() {
            let s = out[i];
            let mut next: Vec<usize> = self.model.ancestors(s);
            for r in &self.model.refs {
                if r.in_stage == s && r.kind == semantic::RefKind::CopyFrom {
                    if let semantic::RefTarget::Stage(t) = r.target {
                        next.push(t);
                    }
                }
            }
            for n in next {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
            i += 1;
        }
        out
    }

    /// A CI-only image: no stage has a CMD or ENTRYPOINT, the final stage runs a Go
    /// toolchain, and nothing built is copied anywhere (tests, vet, `go build ./...`).
    pub fn ci_only(&self) -> bool {
        let has_entry = self.tree.instructions().any(|i| {
            matches!(
                i.ins.keyword,
                crate::syntax::Keyword::Cmd | crate::syntax::Keyword::Entrypoint
            )
        });
        if has_entry || self.go().is_empty() {
            return false;
        }
        let copies_from_stage = self.model.refs.iter().any(|r| {
            r.kind == semantic::RefKind::CopyFrom
                && matches!(r.target, semantic::RefTarget::Stage(_))
        });
        let outputs = self.go().iter().any(|g| g.has_flag("-o"));
        let checks_only = self.go().iter().any(|g| {
            matches!(
                g.verb,
                semantic::go::GoVerb::Test | semantic::go::GoVerb::Vet
            ) || (g.verb == semantic::go::GoVerb::Build
                && g.packages.iter().any(|p| p.text.ends_with("...")))
        });
        checks_only && !copies_from_stage && !outputs
    }

    /// Whether a RUN after a whole-context copy in `stage` builds the source by a script
    /// or make (`make build`, `./build.sh`, `RUN "go build main.go"`).
    pub fn builds_by_script(&self, stage: usize) -> bool {
        let instrs: Vec<InstrRef<'a>> = self.stage_instrs(stage).collect();
        let Some(copy) = instrs
            .iter()
            .find(|i| go102_source_copied_before_deps::copies_whole_context(i.ins))
        else {
            return false;
        };
        instrs
            .iter()
            .filter(|i| i.index > copy.index && i.ins.keyword == crate::syntax::Keyword::Run)
            .any(|i| {
                self.commands_of(i.index).iter().any(|c| {
                    let name = c.name().unwrap_or("");
                    let p = c.program().unwrap_or("");
                    p == "make"
                        || p.starts_with("build")
                        || name.starts_with("./")
                        || name.starts_with("go build")
                        || name.starts_with("go install")
                })
            })
    }

    /// The runtime of the final stage.
    pub fn final_runtime(&self) -> Option<&Runtime> {
        self.final_stage().and_then(|f| self.runtimes().get(f))
    }

    /// Whether the file builds Go code at all (any go build/install/run/test).
    pub fn builds_go(&self) -> bool {
        self.go().iter().any(|g| g.verb.compiles())
    }

    /// The line break used by the file (for inserted lines).
    pub fn eol(&self) -> &'static str {
        if self.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        }
    }

    /// The indentation of the line holding `offset`.
    pub fn indent_at(&self, offset: usize) -> &'a str {
        let start = self.text[..offset.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line = &self.text[start..];
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    }
}

/// Collects one rule's diagnostics.
pub struct Sink<'a> {
    rule: &'static Rule,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    /// Reports at `range` with the rule's default severity; returns the diagnostic so
    /// the caller can add a fix, related information or tags.
    pub fn report(&mut self, range: Range<usize>, message: Text) -> &mut Diagnostic {
        self.out.push(Diagnostic {
            code: self.rule.code,
            peer: None,
            severity: self.rule.severity,
            range,
            message,
            fix: None,
            related: Vec::new(),
            tags: Vec::new(),
        });
        self.out.last_mut().expect("just pushed")
    }
}

impl Diagnostic {
    pub fn with_fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }
    pub fn with_severity(&mut self, s: Severity) -> &mut Self {
        self.severity = s;
        self
    }
    pub fn with_peer(&mut self, p: &'static str) -> &mut Self {
        self.peer = Some(p);
        self
    }
    pub fn with_related(&mut self, range: Range<usize>, message: Text) -> &mut Self {
        self.related.push(Related { range, message });
        self
    }
    pub fn with_tag(&mut self, t: Tag) -> &mut Self {
        self.tags.push(t);
        self
    }
}

/// Configuration (from `dockwise.toml`, the CLI or the editor).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Codes (or peer names) to ignore everywhere.
    pub ignore: Vec<String>,
    /// Per-rule severity overrides.
    pub severity: BTreeMap<String, Severity>,
    /// The stage that is built (`--target`); the last stage when `None`.
    pub target: Option<String>,
}

/// Every rule, in code order. Retired codes are never reused.
pub static REGISTRY: &[&Rule] = &[
    &go101_single_stage_go_image::RULE,
    &go102_source_copied_before_deps::RULE,
    &go103_cgo_binary_in_static_runtime::RULE,
    &go104_mod_verify_missing::RULE,
    &go105_debug_info_kept::RULE,
    &go106_obsolete_build_flags::RULE,
    &go107_hardcoded_target_platform::RULE,
    &go108_go_version_below_go_mod::RULE,
    &go109_cgo_disabled_but_required::RULE,
    &go110_module_cache_not_mounted::RULE,
    &go111_copied_binary_not_built::RULE,
    &go113_unpinned_go_install::RULE,
    &rt201_floating_base_tag::RULE,
    &rt202_apk_cache_kept::RULE,
    &rt203_shell_in_shell_less_stage::RULE,
    &rt204_missing_ca_certificates::RULE,
    &rt205_missing_zoneinfo::RULE,
    &rt206_named_user_without_passwd::RULE,
    &rt207_healthcheck_tool_missing::RULE,
    &rt208_toolchain_in_final_image::RULE,
    &sec301_runs_as_root::RULE,
    &sec302_secret_in_arg_or_env::RULE,
    &sec303_add_instead_of_copy::RULE,
    &ctx401_dockerignore_missing::RULE,
    &ctx402_dockerignore_lets_git_in::RULE,
    &df501_syntax_error::RULE,
    &df502_instruction_before_from::RULE,
    &df503_unknown_stage_reference::RULE,
    &df504_duplicate_stage_name::RULE,
    &df505_reserved_stage_name::RULE,
    &df506_casing::RULE,
    &df507_json_args_recommended::RULE,
    &df508_multiple_instructions::RULE,
    &df509_undefined_variable::RULE,
    &df510_legacy_key_value::RULE,
    &df511_maintainer_deprecated::RULE,
    &df512_relative_workdir::RULE,
    &df513_invalid_expose::RULE,
    &df514_empty_continuation::RULE,
    &df515_invalid_flag::RULE,
    &df516_copy_multiple_sources_dest::RULE,
    &df517_constant_platform::RULE,
    &df518_unknown_rule_in_suppression::RULE,
];

pub fn rule(code: &str) -> Option<&'static Rule> {
    REGISTRY
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

/// Finds the rule a code or a peer name (`DL3006`, `JSONArgsRecommended`) refers to.
pub fn rule_for_name(name: &str) -> Option<&'static Rule> {
    rule(name).or_else(|| {
        REGISTRY
            .iter()
            .copied()
            .find(|r| r.peers.iter().any(|p| p.eq_ignore_ascii_case(name)))
    })
}

/// The result of a check: the model it was built on and the diagnostics.
pub struct Analysis {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs every rule, then applies suppressions and configured severities. Diagnostics
/// come back sorted by position.
pub fn check(text: &str, tree: &SyntaxTree, config: &Config) -> Analysis {
    check_in(text, tree, config, &NoContext, "Dockerfile")
}

/// Runs every rule with the build context the Dockerfile is built in; `dockerfile` is
/// its path relative to the context root.
pub fn check_in(
    text: &str,
    tree: &SyntaxTree,
    config: &Config,
    context: &dyn BuildContext,
    dockerfile: &str,
) -> Analysis {
    check_rules(text, tree, config, context, dockerfile, &|_| true)
}

/// [`check_in`] with only the rules `select` accepts (the benchmark of the BuildKit-parity
/// rules uses it). The Go and runtime models are only built when a rule asks for them.
pub fn check_rules(
    text: &str,
    tree: &SyntaxTree,
    config: &Config,
    context: &dyn BuildContext,
    dockerfile: &str,
    select: &dyn Fn(&Rule) -> bool,
) -> Analysis {
    let (mut out, model) = in_ctx(text, tree, config, context, dockerfile, |cx| {
        let mut out = Vec::new();
        for rule in REGISTRY.iter().filter(|r| select(r)) {
            let mut sink = Sink {
                rule,
                out: &mut out,
            };
            (rule.check)(cx, &mut sink);
        }
        out
    });
    let sup = suppress::Suppressions::collect(text, tree);
    out.retain(|d| !sup.suppresses(text, d) && !config_ignores(config, d));
    for d in &mut out {
        if let Some(s) = config.severity.get(d.code) {
            d.severity = *s;
        }
    }
    out.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
    Analysis {
        model,
        diagnostics: out,
    }
}

/// Calls `f` with the context rules see (default configuration), for the refactors,
/// which reuse the Go and runtime models.
pub(crate) fn with_ctx<R>(
    text: &str,
    tree: &SyntaxTree,
    context: &dyn BuildContext,
    dockerfile: &str,
    f: impl FnOnce(&Ctx<'_>) -> R,
) -> R {
    in_ctx(text, tree, &Config::default(), context, dockerfile, f).0
}

/// Builds the context rules see, calls `f` with it, and hands back the model too.
fn in_ctx<R>(
    text: &str,
    tree: &SyntaxTree,
    config: &Config,
    context: &dyn BuildContext,
    dockerfile: &str,
    f: impl FnOnce(&Ctx<'_>) -> R,
) -> (R, Model) {
    let model = semantic::analyze(text, tree);
    let project = crate::context::go_project(context);
    let r = f(&Ctx {
        text,
        tree,
        model: &model,
        config,
        go_cell: std::cell::OnceCell::new(),
        runtimes_cell: std::cell::OnceCell::new(),
        shells_cell: std::cell::OnceCell::new(),
        context,
        dockerfile,
        project: &project,
    });
    (r, model)
}

/// The findings of one rule, before suppressions (a refactor asks whether GO101's
/// condition holds, whatever the user chose to silence).
pub(crate) fn findings_of(cx: &Ctx<'_>, code: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(rule) = rule(code) {
        let mut sink = Sink {
            rule,
            out: &mut out,
        };
        (rule.check)(cx, &mut sink);
    }
    out
}

fn config_ignores(config: &Config, d: &Diagnostic) -> bool {
    config.ignore.iter().any(|i| {
        i.eq_ignore_ascii_case(d.code)
            || d.peer.is_some_and(|p| p.eq_ignore_ascii_case(i))
            || rule(d.code).is_some_and(|r| {
                r.peers.iter().any(|p| p.eq_ignore_ascii_case(i)) && d.peer.is_none()
            })
    })
}

/// Helpers the rule files share.
pub(crate) mod prelude {
    pub use super::{Ctx, Edit, Fix, FixKind, Rule, RuleDoc, Severity, Sink, Tag};
    pub use crate::i18n::Text;
    pub use crate::semantic::{RefKind, RefTarget};
    pub use crate::syntax::{Args, InstrRef, Keyword};
    pub use crate::text;
}

#[cfg(test)]
mod tests;
