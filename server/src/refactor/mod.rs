//! Refactors: a single-stage Go Dockerfile into the guide's multi-stage build (a
//! `builder` stage and a small alpine runtime), and a multi-stage file's runtime into
//! `scratch` or distroless. Pure: text in, text out, or a stated reason to decline.
//!
//! The rewrite works on the original text: the builder keeps every instruction of the
//! final stage that compiles (with the module download moved before the source copy and
//! `CGO_ENABLED=0` added where cgo is not needed); what matters at run time (ENV, EXPOSE,
//! USER, HEALTHCHECK, LABEL, CMD, ENTRYPOINT …) moves, with the comments above it, into
//! the runtime stage in its original order. Everything before the final stage is kept
//! byte for byte.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use crate::context::BuildContext;
use crate::i18n::{Lang, Text};
use crate::rules::df507_json_args_recommended::exec_form;
use crate::rules::go102_source_copied_before_deps::{
    copies_go_mod, copies_whole_context, uses_modules,
};
use crate::rules::go103_cgo_binary_in_static_runtime::debian_release;
use crate::rules::go109_cgo_disabled_but_required::cgo_requirements;
use crate::rules::{self, Ctx};
use crate::semantic::go::{self, GoCommand, GoVerb};
use crate::semantic::knowledge::{self, Libc};
use crate::semantic::{RefKind, RefTarget, VarKind};
use crate::syntax::{self, Args, InstrRef, Keyword, NodeKind, SyntaxTree};
use crate::text;

/// The rewrites dockwise offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// Single-stage → builder + alpine runtime (a glibc runtime when cgo is needed).
    MultiStage,
    /// The runtime stage → `scratch` with the CA bundle, zoneinfo and a numeric user.
    Scratch,
    /// The runtime stage → `gcr.io/distroless/static-debian12:nonroot`.
    Distroless,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::MultiStage, Target::Scratch, Target::Distroless];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Target::MultiStage => "to-multi-stage",
            Target::Scratch => "to-scratch",
            Target::Distroless => "to-distroless",
        }
    }

    pub fn parse(s: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == s)
    }

    /// The LSP code action kind (a sub-kind of `refactor.rewrite`).
    pub fn code_action_kind(self) -> &'static str {
        match self {
            Target::MultiStage => "refactor.rewrite.dockwise.to-multi-stage",
            Target::Scratch => "refactor.rewrite.dockwise.to-scratch",
            Target::Distroless => "refactor.rewrite.dockwise.to-distroless",
        }
    }

    /// The action's title.
    pub fn title(self) -> Text {
        match self {
            Target::MultiStage => text!(
                "Convert to a multi-stage build (builder + alpine runtime)",
                "改写为多阶段构建（构建阶段 + alpine 运行镜像）"
            ),
            Target::Scratch => text!(
                "Run the binary on scratch (CA bundle, zoneinfo, non-root user)",
                "改用 scratch 运行镜像（带 CA 证书、时区数据和非 root 用户）"
            ),
            Target::Distroless => text!(
                "Run the binary on distroless (static-debian12:nonroot)",
                "改用 distroless 运行镜像（static-debian12:nonroot）"
            ),
        }
    }
}

/// What a refactor did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The new Dockerfile.
    Rewritten(String),
    /// The file already has that shape: nothing to change.
    Unchanged(Text),
    /// The refactor does not apply or would change what the image does: why.
    Declined(Text),
}

/// Runs one refactor. `context` is the build context (for go.mod, go.sum and the
/// files the app may read); `dockerfile` the file's path in it; `lang` the language
/// of the few comments the rewrite adds.
pub fn refactor(
    text: &str,
    context: &dyn BuildContext,
    dockerfile: &str,
    target: Target,
    lang: Lang,
) -> Outcome {
    let outcome = rewrite(text, context, dockerfile, target, lang);
    let Outcome::Rewritten(new) = &outcome else {
        return outcome;
    };
    // The result must stand on its own: it parses as cleanly as the input did, has the
    // stages it should, and the same refactor has nothing left to do on it. A rewrite
    // that fails this is a bug; decline rather than hand it out.
    let before = syntax::parse(text);
    let after = syntax::parse(new);
    let froms = |t: &SyntaxTree| {
        t.instructions()
            .filter(|i| i.ins.keyword == Keyword::From)
            .count()
    };
    let stages_ok = match target {
        Target::MultiStage => froms(&after) == froms(&before) + 1,
        _ => froms(&after) == froms(&before) || froms(&after) == froms(&before) + 1,
    };
    let settled = matches!(
        rewrite(new, context, dockerfile, target, lang),
        Outcome::Unchanged(_)
    );
    if first_error_line(new, &after).is_some() || !stages_ok || !settled {
        return Outcome::Declined(text!(
            "dockwise could not rewrite this file safely (its result did not hold up to a second look); please report the file",
            "dockwise 无法安全地改写这个文件（改写结果未通过复查）；请报告该文件"
        ));
    }
    outcome
}

/// [`refactor`] without the check of its result.
fn rewrite(
    text: &str,
    context: &dyn BuildContext,
    dockerfile: &str,
    target: Target,
    lang: Lang,
) -> Outcome {
    let tree = syntax::parse(text);
    if let Some(line) = first_error_line(text, &tree) {
        return Outcome::Declined(text!(
            "line {}: the Dockerfile has a syntax error; fix it first",
            "第 {} 行：Dockerfile 有语法错误，请先修正",
            line
        ));
    }
    let single = rules::with_ctx(text, &tree, context, dockerfile, single_stage);
    let multi = match single {
        Err(why) => return Outcome::Declined(why),
        Ok(Some(s)) => {
            match rules::with_ctx(text, &tree, context, dockerfile, |cx| {
                to_multi(cx, &s, Some(lang))
            }) {
                Ok(t) => Some(t),
                Err(why) => return Outcome::Declined(why),
            }
        }
        Ok(None) => None,
    };
    if target == Target::MultiStage {
        return match multi {
            Some(t) => Outcome::Rewritten(t),
            None => rules::with_ctx(text, &tree, context, dockerfile, |cx| {
                if cx.go().iter().any(is_app_build) {
                    Outcome::Unchanged(text!(
                        "the final image does not carry the Go toolchain: the build already has a separate runtime stage",
                        "最终镜像里没有 Go 工具链：该构建已经有独立的运行阶段"
                    ))
                } else {
                    Outcome::Declined(text!(
                        "no `go build` or `go install` of the app was found, so there is no binary to move into a runtime stage",
                        "没有找到编译应用的 `go build` 或 `go install`，因此没有可以放进运行阶段的二进制文件"
                    ))
                }
            }),
        };
    }
    let base = multi.unwrap_or_else(|| text.to_string());
    let tree = syntax::parse(&base);
    let origin = (base != text).then_some(text);
    match rules::with_ctx(&base, &tree, context, dockerfile, |cx| {
        swap_runtime(cx, target, origin)
    }) {
        Ok(Some(t)) => Outcome::Rewritten(t),
        Ok(None) => Outcome::Unchanged(match target {
            Target::Scratch => text!(
                "the runtime stage is already `scratch`",
                "运行阶段已经是 `scratch`"
            ),
            _ => text!(
                "the runtime stage is already a distroless image",
                "运行阶段已经是 distroless 镜像"
            ),
        }),
        Err(why) => Outcome::Declined(why),
    }
}

// ---------------------------------------------------------------------------------
// Shared pieces

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |s| s.matches('\n').count()) + 1
}

fn first_error_line(text: &str, tree: &SyntaxTree) -> Option<usize> {
    tree.instructions()
        .find_map(|i| i.ins.errors.first().map(|_| line_of(text, i.start)))
}

/// A `go build` / `go install` of the app (not a tool installed at a version).
fn is_app_build(g: &GoCommand) -> bool {
    !g.onbuild
        && match g.verb {
            GoVerb::Build => true,
            GoVerb::Install => !g
                .packages
                .iter()
                .any(|p| matches!(p.text.as_str(), "std" | "cmd") || p.text.contains('@')),
            _ => false,
        }
}

/// Output edits on the original text: removed items, text inserted before an item (or
/// at the end: key = number of items), and replacements inside items.
#[derive(Default)]
struct Edits {
    removed: HashSet<usize>,
    before: BTreeMap<usize, Vec<String>>,
    replace: Vec<(Range<usize>, String)>,
}

impl Edits {
    fn insert_before(&mut self, item: usize, s: String) {
        self.before.entry(item).or_default().push(s);
    }

    /// Removes an instruction and the comment lines directly above it.
    fn remove_with_comments(&mut self, tree: &SyntaxTree, item: usize) {
        for k in attached(tree, item) {
            self.removed.insert(k);
        }
    }

    /// The text of items `range`, with the edits applied.
    fn render(&self, text: &str, tree: &SyntaxTree, range: Range<usize>) -> String {
        let items = tree.items();
        let mut out = String::new();
        for k in range.clone() {
            if let Some(ins) = self.before.get(&k) {
                for s in ins {
                    push_line(&mut out, s);
                }
            }
            if self.removed.contains(&k) {
                continue;
            }
            let Some(it) = items.get(k) else { continue };
            let r = it.start as usize..it.start as usize + it.node.len as usize;
            out.push_str(&self.apply(text, r));
        }
        if range.end >= items.len() {
            if let Some(ins) = self.before.get(&items.len()) {
                for s in ins {
                    push_line(&mut out, s);
                }
            }
        }
        out
    }

    /// `text[r]` with the replacements that fall inside it.
    fn apply(&self, text: &str, r: Range<usize>) -> String {
        let mut reps: Vec<&(Range<usize>, String)> = self
            .replace
            .iter()
            .filter(|(e, _)| e.start >= r.start && e.end <= r.end)
            .collect();
        reps.sort_by_key(|(e, _)| (e.start, e.end));
        let mut out = String::new();
        let mut at = r.start;
        for (e, s) in reps {
            if e.start < at {
                continue;
            }
            out.push_str(&text[at..e.start]);
            out.push_str(s);
            at = e.end;
        }
        out.push_str(&text[at..r.end]);
        out
    }
}

/// Appends `s` on a line of its own.
fn push_line(out: &mut String, s: &str) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(s);
    if !out.ends_with('\n') {
        out.push('\n');
    }
}

/// An instruction item and the comment lines directly above it (no blank line between).
fn attached(tree: &SyntaxTree, item: usize) -> Vec<usize> {
    let items = tree.items();
    let mut k = item;
    while k > 0 && matches!(items[k - 1].node.kind, NodeKind::Comment) {
        k -= 1;
    }
    (k..=item).collect()
}

/// Whether the binary needs a C library at run time: not when cgo is off (and whether
/// `CGO_ENABLED=0` must be added), nor when cgo is on but the binary is linked
/// statically (`-extldflags "-static"`); otherwise it is needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cgo {
    Off { add_prefix: bool },
    Needed,
}

fn cgo_mode(cx: &Ctx<'_>, g: &GoCommand) -> Cgo {
    let needed = || {
        if g.links_statically() {
            Cgo::Off { add_prefix: false }
        } else {
            Cgo::Needed
        }
    };
    if let Some(v) = go::env_for(cx.model, g, "CGO_ENABLED") {
        return match v.value.as_str() {
            "0" => Cgo::Off { add_prefix: false },
            _ => needed(),
        };
    }
    let tags_need = g.tags().iter().any(|t| knowledge::cgo_build_tag(t));
    if tags_need || !cgo_requirements(cx).is_empty() || installs_c_toolchain(cx, g.stage) {
        return needed();
    }
    Cgo::Off { add_prefix: true }
}

/// The build stage (or one it is built on) installs a C compiler its base image lacks
/// (`apk add build-base`, `gcc musl-dev`…): it means to build with cgo, even where
/// go.mod cannot be read to say why.
fn installs_c_toolchain(cx: &Ctx<'_>, stage: usize) -> bool {
    // The runtime model knows which packages bring a C compiler, and carries what a
    // parent stage installed into its children.
    let root = cx.model.ancestors(stage).last().copied().unwrap_or(stage);
    let base_has_cc = cx.model.stages[root]
        .base
        .image
        .as_ref()
        .and_then(knowledge::image_facts)
        .is_none_or(|f| f.c_compiler);
    !base_has_cc
        && cx
            .runtimes()
            .get(stage)
            .is_some_and(|rt| rt.c_compiler.yes())
}

/// Adds `CGO_ENABLED=0` in front of the build command.
fn add_cgo_prefix(cx: &Ctx<'_>, g: &GoCommand, edits: &mut Edits) -> Result<(), Text> {
    let Some(run) = cx.tree.instr_at(g.item) else {
        return Ok(());
    };
    if matches!(run.onbuild_target().args, Args::Exec(_)) {
        return Err(text!(
            "line {}: the build is an exec-form `RUN`, where `CGO_ENABLED=0` cannot be prefixed; set it with `ENV CGO_ENABLED=0` first",
            "第 {} 行：构建命令是 exec 形式的 `RUN`，无法在前面加 `CGO_ENABLED=0`；请先用 `ENV CGO_ENABLED=0` 设置",
            line_of(cx.text, run.start)
        ));
    }
    edits
        .replace
        .push((g.range.start..g.range.start, "CGO_ENABLED=0 ".to_string()));
    Ok(())
}

/// The program a CMD/ENTRYPOINT runs, as written.
fn entry_program(ins: &syntax::Instruction) -> Option<String> {
    match &ins.args {
        Args::Exec(w) => w.first().map(|w| w.text.to_string()),
        Args::Shell(w) => w.text.split_whitespace().next().map(str::to_string),
        _ => None,
    }
}

/// Words of a CMD/ENTRYPOINT/HEALTHCHECK command.
fn command_words(args: &Args) -> Vec<String> {
    match args {
        Args::Exec(w) => w.iter().map(|w| w.text.to_string()).collect(),
        Args::Shell(w) => w.text.split_whitespace().map(str::to_string).collect(),
        Args::Healthcheck(h) => h.cmd.as_deref().map(command_words).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// A stage name as BuildKit accepts it (`[a-z][a-z0-9-_.]*`, any case).
fn is_stage_name(n: &str) -> bool {
    n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A user name `adduser` accepts and a shell reads as one word.
fn is_user_name(n: &str) -> bool {
    n.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && n.len() <= 32
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A path or package name that can be written into a generated instruction as it is
/// (no quoting, variables, heredoc markers or flags).
fn is_plain_word(w: &str) -> bool {
    !w.is_empty()
        && !w.starts_with('-')
        && w.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '.' | '_' | '-' | '+' | '/' | '@' | ':' | '%' | ',')
        })
}

fn is_numeric_user(u: &str) -> bool {
    let name = u.split(':').next().unwrap_or(u);
    !name.is_empty() && name.chars().all(|c| c.is_ascii_digit())
}

fn is_root_user(u: &str) -> bool {
    let name = u.split(':').next().unwrap_or(u).trim();
    name == "root" || name == "0"
}

// ---------------------------------------------------------------------------------
// Single stage → multi-stage

struct Single {
    fin: usize,
    /// The last build of the app (the program the image runs, usually).
    build: GoCommand,
    /// Every build of the final stage (a server and its migration tool …).
    builds: Vec<GoCommand>,
}

/// `Some` when the final image is the Go toolchain that builds the app (GO101's
/// condition), with the build command to keep.
fn single_stage(cx: &Ctx<'_>) -> Result<Option<Single>, Text> {
    let Some(fin) = cx.final_stage() else {
        return Err(text!(
            "the Dockerfile has no `FROM`",
            "Dockerfile 中没有 `FROM`"
        ));
    };
    if rules::findings_of(cx, "GO101").is_empty() {
        return Ok(None);
    }
    single_of(cx, fin).map(Some)
}

/// GO101's fix: the multi-stage rewrite as one edit (the span that changes), or `None`
/// where the refactor declines. Called by GO101 itself, which has established that the
/// final stage is the toolchain that builds the app. The rewrite adds no comment: a fix
/// has no language.
pub(crate) fn multi_stage_fix(cx: &Ctx<'_>) -> Option<(Range<usize>, String)> {
    let fin = cx.final_stage()?;
    if first_error_line(cx.text, cx.tree).is_some() {
        return None;
    }
    let s = single_of(cx, fin).ok()?;
    let new = to_multi(cx, &s, None).ok()?;
    Some(crate::ide::format::minimal_edit(cx.text, &new))
}

/// The build to keep, given that the final stage `fin` is a Go toolchain image.
fn single_of(cx: &Ctx<'_>, fin: usize) -> Result<Single, Text> {
    let mut chain = vec![fin];
    chain.extend(cx.model.ancestors(fin));
    let Some(g) = cx
        .go()
        .iter()
        .rev()
        .find(|g| chain.contains(&g.stage) && is_app_build(g))
    else {
        return Err(text!(
            "the final image compiles the app with `go run` or a script, so there is no `go build` whose binary could be copied out; add a `go build -o` step first",
            "最终镜像通过 `go run` 或脚本编译应用，没有可供复制的 `go build` 产物；请先加一条 `go build -o` 构建步骤"
        ));
    };
    if g.stage != fin {
        let name = cx.model.stages[g.stage]
            .name
            .clone()
            .unwrap_or_else(|| g.stage.to_string());
        return Err(text!(
            "the app is built in stage `{}`, which the final stage starts from; split these stages by hand",
            "应用在阶段 `{}` 中构建，而最终阶段又基于它；请手动拆分这些阶段",
            name
        ));
    }
    let builds = cx
        .go()
        .iter()
        .filter(|b| b.stage == fin && is_app_build(b))
        .cloned()
        .collect();
    Ok(Single {
        fin,
        build: g.clone(),
        builds,
    })
}

/// Where the build writes the binary (absolute).
fn binary_path(
    cx: &Ctx<'_>,
    g: &GoCommand,
    fin: usize,
    workdir: Option<&str>,
) -> Result<String, Text> {
    let module = cx.project.go_mod.as_ref().and_then(|m| m.module.as_deref());
    if g.verb == GoVerb::Install {
        if let Some(bin) = go::env_for(cx.model, g, "GOBIN") {
            if let Some(name) = go::default_binary_name(g, module) {
                if bin.value.starts_with('/') && !bin.value.contains('$') {
                    return Ok(format!("{}/{}", bin.value.trim_end_matches('/'), name));
                }
            }
        }
    }
    if let Some(p) = go::output_path(g, module) {
        return Ok(p);
    }
    // No `-o` and no go.mod to name it: the program the image runs is the binary.
    let entry = cx
        .stage_instrs(fin)
        .filter(|i| matches!(i.ins.keyword, Keyword::Entrypoint | Keyword::Cmd))
        .filter_map(|i| entry_program(i.ins))
        .next();
    if let Some(p) = entry {
        if p.starts_with('/') {
            return Ok(go::normalize(&p));
        }
        if p.starts_with("./") {
            if let Some(wd) = workdir.or(g.workdir.as_deref()) {
                return Ok(go::join_path(Some(wd), &p));
            }
        }
    }
    Err(text!(
        "cannot tell where `go build` writes the binary (no `-o`, and the module name is unknown); add `-o /app/<name>` to it",
        "无法确定 `go build` 把二进制文件写到哪里（没有 `-o`，也不知道模块名）；请给它加上 `-o /app/<名称>`"
    ))
}

/// Directories an app commonly reads at run time, copied into the runtime image when
/// the whole context was copied and they exist in it.
const ASSET_DIRS: &[&str] = &[
    "configs",
    "config",
    "templates",
    "static",
    "web",
    "public",
    "assets",
    "migrations",
    "locales",
    "i18n",
    "views",
    "www",
];

const CONFIG_EXTENSIONS: &[&str] = &[
    ".yaml",
    ".yml",
    ".json",
    ".toml",
    ".ini",
    ".conf",
    ".env",
    ".properties",
];

/// Environment keys that only matter to the Go toolchain.
fn is_go_env_key(k: &str) -> bool {
    k.starts_with("GO") || k.starts_with("CGO_") || k == "PATH"
}

/// Packages the runtime may need because the original image had them and the app
/// uses them at run time.
const RUNTIME_PACKAGES: &[&str] = &["tzdata", "curl", "bash"];

/// Packages only the build uses (compilers, VCS, fetch and archive tools).
const BUILD_ONLY_PACKAGES: &[&str] = &[
    "git",
    "gcc",
    "g++",
    "make",
    "build-base",
    "build-essential",
    "musl-dev",
    "libc-dev",
    "libc6-dev",
    "binutils",
    "upx",
    "upx-ucl",
    "protobuf",
    "protoc",
    "openssh-client",
    "openssh",
    "pkgconfig",
    "pkg-config",
    "pkgconf",
    "go",
    "mercurial",
    "bzr",
    "subversion",
    "linux-headers",
    "cmake",
    "autoconf",
    "automake",
    "libtool",
    "wget",
    "unzip",
    "tar",
    "gzip",
    "xz",
    "xz-utils",
    "file",
    "jq",
    "patch",
    "clang",
    "llvm",
    "gnupg",
    "dirmngr",
    "apt-transport-https",
    "software-properties-common",
    "lsb-release",
    "nodejs",
    "npm",
    "yarn",
    "python3",
    "python",
    "zip",
    "bzip2",
    "ccache",
    "gdb",
    "dpkg-dev",
    "fakeroot",
];

/// `lang`: the language of the comment above the runtime stage (`None`: no comment).
fn to_multi(cx: &Ctx<'_>, s: &Single, lang: Option<Lang>) -> Result<String, Text> {
    let text = cx.text;
    let tree = cx.tree;
    let fin = s.fin;
    let st = &cx.model.stages[fin];
    let g = &s.build;
    let rt = cx.runtimes().get(fin).cloned();

    // The runtime image.
    // cgo is needed when any build of the stage needs it.
    let cgo = if s.builds.iter().any(|b| cgo_mode(cx, b) == Cgo::Needed) {
        Cgo::Needed
    } else {
        cgo_mode(cx, g)
    };
    let alpine = knowledge::pinned_reference("alpine");
    let root = cx.model.ancestors(fin).last().copied().unwrap_or(fin);
    let root_image = cx.model.stages[root].base.image.clone();
    let libc = rt.as_ref().and_then(|r| r.libc);
    // Packages the original image installed for the app itself (not build tools): the
    // runtime needs them too, from the same package manager.
    let mut extras: Vec<String> = Vec::new();
    if let Some(r) = &rt {
        for p in &r.installed {
            let n = p.name.as_str();
            let build_only = BUILD_ONLY_PACKAGES.contains(&n)
                || n.ends_with("-dev")
                || n.ends_with("-devel")
                || n.starts_with('.')
                || n.starts_with("golang")
                || n.starts_with("go1")
                || REPLACEABLE_PACKAGES.contains(&n)
                || RUNTIME_PACKAGES.contains(&n);
            if !build_only && !extras.iter().any(|e| e == n) {
                extras.push(n.to_string());
            }
        }
    }
    let glibc_runtime = match (cgo, libc) {
        (Cgo::Needed, Some(Libc::Glibc)) => true,
        (_, Some(Libc::Glibc)) => !extras.is_empty(),
        (Cgo::Needed, Some(Libc::Musl)) => false,
        (Cgo::Needed, _) => {
            return Err(text!(
                "the build needs cgo and the builder's C library is unknown, so no runtime image can be chosen safely",
                "构建需要 cgo，但不清楚构建镜像使用的 C 库，无法安全地选择运行镜像"
            ))
        }
        (_, Some(Libc::Musl)) => false,
        _ if !extras.is_empty() => {
            return Err(text!(
                "the image installs {} for the app, and dockwise does not know which runtime image provides it; split the stages by hand",
                "镜像为应用安装了 {}，dockwise 不知道哪个运行镜像能提供它；请手动拆分阶段",
                extras.join(", ")
            ))
        }
        _ => false,
    };
    let (runtime_image, apk) = if glibc_runtime {
        let release = root_image.as_ref().and_then(debian_release);
        let name = match release {
            Some(13) => "trixie",
            Some(12) => "bookworm",
            Some(11) => "bullseye",
            _ => {
                return Err(if cgo == Cgo::Needed {
                    text!(
                        "the build needs cgo, so the binary needs the same glibc at run time, and the builder's Debian release is not in its tag; pin it (for example `golang:1.22-bookworm`) and try again",
                        "构建需要 cgo，运行时必须有相同版本的 glibc，但构建镜像的标签里看不出 Debian 版本；请固定它（例如 `golang:1.22-bookworm`）后再试"
                    )
                } else {
                    text!(
                        "the image installs {} for the app with apt, so the runtime must be the same Debian release, which the builder's tag does not name; pin it (for example `golang:1.22-bookworm`) and try again",
                        "镜像用 apt 为应用安装了 {}，运行镜像必须是相同的 Debian 版本，但构建镜像的标签里看不出版本；请固定它（例如 `golang:1.22-bookworm`）后再试",
                        extras.join(", ")
                    )
                })
            }
        };
        (format!("debian:{name}-slim"), false)
    } else {
        (alpine.clone(), true)
    };

    let mut edits = Edits::default();
    if let Cgo::Off { .. } = cgo {
        for b in &s.builds {
            if cgo_mode(cx, b) == (Cgo::Off { add_prefix: true }) {
                add_cgo_prefix(cx, b, &mut edits)?;
            }
        }
    }

    // The builder's name.
    let builder = match &st.name {
        // A name BuildKit would not accept as a stage name: refer to it by its index.
        Some(n) if is_stage_name(n) => n.clone(),
        Some(_) => fin.to_string(),
        None => {
            // `FROM image` alone: anything after the image would make `AS` land wrong.
            let words = match &cx.tree.instr_at(st.item).map(|i| &i.ins.args) {
                Some(Args::List(w)) => w.len(),
                _ => 0,
            };
            if words != 1 {
                return Err(text!(
                    "line {}: this `FROM` line is not `FROM image [AS name]`; fix it first",
                    "第 {} 行：这条 `FROM` 不是 `FROM 镜像 [AS 名称]` 的形式；请先修正",
                    line_of(text, cx.tree.instr_at(st.item).map_or(0, |i| i.start))
                ));
            }
            let taken = |n: &str| cx.model.stages.iter().any(|s| s.is_named(n));
            let name = ["builder", "build", "go-builder"]
                .into_iter()
                .find(|n| !taken(n))
                .unwrap_or("builder-stage");
            edits
                .replace
                .push((st.base.range.end..st.base.range.end, format!(" AS {name}")));
            name.to_string()
        }
    };

    let workdir = go::workdir_at(tree, cx.model, fin, usize::MAX);
    let explicit_wd = workdir.is_some();
    let image_wd = root_image
        .as_ref()
        .and_then(knowledge::image_facts)
        .and_then(|f| f.workdir.as_deref().map(str::to_string));
    let wd = workdir.clone().or(image_wd);
    let bin = binary_path(cx, g, fin, wd.as_deref())?;
    if !is_plain_word(&bin) {
        return Err(text!(
            "the binary's path `{}` would need quoting in a `COPY`; give `go build -o` a plain path",
            "二进制文件路径 `{}` 在 `COPY` 中需要加引号；请给 `go build -o` 一个普通路径",
            bin
        ));
    }
    let dest = match bin.strip_prefix("/go/bin/") {
        Some(name) => format!("/usr/local/bin/{name}"),
        None => bin.clone(),
    };

    // Instructions that belong to the runtime.
    let instrs: Vec<InstrRef<'_>> = cx.stage_instrs(fin).collect();
    let mut moved: Vec<usize> = Vec::new();
    let mut copied: Vec<usize> = Vec::new();
    for i in &instrs {
        let after = i.index > g.item;
        match i.ins.keyword {
            Keyword::Expose
            | Keyword::Cmd
            | Keyword::Entrypoint
            | Keyword::User
            | Keyword::Healthcheck
            | Keyword::Label
            | Keyword::Volume
            | Keyword::Stopsignal
            | Keyword::Maintainer => moved.push(i.index),
            Keyword::Env => {
                let runtime_keys = match &i.ins.args {
                    Args::Pairs { pairs, .. } => pairs.iter().any(|p| !is_go_env_key(&p.key.text)),
                    _ => false,
                };
                if after {
                    moved.push(i.index);
                } else if runtime_keys {
                    copied.push(i.index);
                }
            }
            Keyword::Copy | Keyword::Add if after && i.ins.flag("from").is_none() => {
                moved.push(i.index)
            }
            _ => {}
        }
    }

    // The user the app runs as.
    let last_user = instrs
        .iter()
        .rev()
        .find(|i| i.ins.keyword == Keyword::User)
        .and_then(|i| match &i.ins.args {
            Args::Text(w) => Some((i.index, w.text.trim().to_string())),
            _ => None,
        });
    let mut add_user: Option<String> = None;
    let mut user_line: Option<String> = None;
    match &last_user {
        Some((_, u)) if is_numeric_user(u) && !is_root_user(u) => {}
        Some((_, u)) if !is_root_user(u) => {
            let name = u.split(':').next().unwrap_or(u).to_string();
            if !is_user_name(&name) {
                return Err(text!(
                    "`USER {}` is not a plain user name that the runtime stage could create; use a name like `appuser` or a numeric id",
                    "`USER {}` 不是运行阶段能够创建的普通用户名；请使用 `appuser` 这样的名字或数字 ID",
                    u
                ));
            }
            if name != "nobody" {
                add_user = Some(name);
            }
        }
        _ => {
            add_user = Some("appuser".to_string());
            user_line = Some("USER appuser".to_string());
        }
    }
    // Root USER lines go: the runtime runs as the new user.
    if user_line.is_some() {
        moved.retain(|&k| {
            tree.instr_at(k)
                .is_none_or(|i| i.ins.keyword != Keyword::User)
        });
    }

    // Runtime packages.
    let mut packages = vec!["ca-certificates".to_string()];
    let installed: Vec<&str> = rt
        .as_ref()
        .map(|r| r.installed.iter().map(|p| p.name.as_str()).collect())
        .unwrap_or_default();
    let health_words: Vec<String> = instrs
        .iter()
        .filter(|i| moved.contains(&i.index))
        .filter(|i| {
            matches!(
                i.ins.keyword,
                Keyword::Healthcheck | Keyword::Cmd | Keyword::Entrypoint
            )
        })
        .flat_map(|i| command_words(&i.ins.args))
        .collect();
    let tz_env = instrs.iter().any(|i| {
        i.ins.keyword == Keyword::Env
            && matches!(&i.ins.args, Args::Pairs { pairs, .. } if pairs.iter().any(|p| p.key.text == "TZ"))
    });
    if let Some(odd) = extras.iter().find(|p| !is_plain_word(p)) {
        return Err(text!(
            "the image installs `{}`, which dockwise cannot repeat in the runtime stage as it is (a variable or an unusual name); split the stages by hand",
            "镜像安装了 `{}`，dockwise 无法原样在运行阶段重复安装（它是变量或不常见的名字）；请手动拆分阶段",
            odd
        ));
    }
    packages.extend(extras.iter().cloned());
    for p in RUNTIME_PACKAGES {
        let used = match *p {
            "tzdata" => tz_env || installed.contains(p),
            "curl" => health_words.iter().any(|w| w == "curl"),
            _ => health_words.iter().any(|w| w == p || w.ends_with("/bash")),
        };
        if used {
            packages.push(p.to_string());
        }
    }

    // Download the modules before the source is copied (GO102).
    let whole = instrs
        .iter()
        .find(|i| i.index < g.item && copies_whole_context(i.ins));
    let vendored =
        cx.project.vendor || g.flag("-mod").and_then(|f| f.value.as_deref()) == Some("vendor");
    let mut src_root: Option<String> = None;
    if let Some(whole) = whole {
        let dest_word = whole
            .ins
            .args
            .words()
            .last()
            .map(|w| w.text.trim_matches('"').to_string())
            .unwrap_or_else(|| ".".to_string());
        let at = go::workdir_at(tree, cx.model, fin, whole.index)
            .or_else(|| wd.clone().filter(|_| !explicit_wd));
        src_root = Some(go::join_path(at.as_deref(), &dest_word)).filter(|p| p.starts_with('/'));
        let mod_copied = instrs
            .iter()
            .any(|i| i.index < whole.index && copies_go_mod(i.ins));
        if !mod_copied && !vendored && !uses_modules(cx, fin) {
            return Err(text!(
                "line {}: the source is copied before the dependencies are fetched, and this build's Go predates modules (older than 1.11), so dockwise cannot set up a `go mod download` layer; move to modules first",
                "第 {} 行：在获取依赖之前就复制了源码，而这个构建所用的 Go 版本低于 1.11，还不支持模块，dockwise 无法为它建立 `go mod download` 层；请先迁移到 Go 模块",
                line_of(text, whole.start)
            ));
        }
        if !mod_copied && !vendored {
            // Unknown context: `go.*` copies go.sum only when there is one.
            let files = match (cx.project.go_mod.is_some(), cx.project.go_sum) {
                (true, true) => "go.mod go.sum",
                (true, false) => "go.mod",
                (false, _) => "go.*",
            };
            let here = matches!(dest_word.as_str(), "." | "./");
            let mod_dest = if here {
                "./".to_string()
            } else {
                format!("{}/", dest_word.trim_end_matches('/'))
            };
            let mut lines = vec![format!("COPY {files} {mod_dest}")];
            // GOPROXY & co. set after the copy must reach the early download too.
            let mut chain = vec![fin];
            chain.extend(cx.model.ancestors(fin));
            let env = go::env_prefix(&go::module_fetch_env_after(
                cx.model,
                cx.go(),
                &chain,
                whole.index,
            ));
            // An existing download step after the copy moves up instead (unless it
            // relies on settings made after the copy).
            let download = instrs.iter().filter(|_| env.is_empty()).find(|i| {
                i.index > whole.index && i.index < g.item && i.ins.keyword == Keyword::Run && {
                    let cmds = cx.commands_of(i.index);
                    !cmds.is_empty()
                        && cmds.iter().all(|c| {
                            c.program() == Some("go")
                                && matches!(c.args().first().map(|a| a.text.as_str()), Some("mod"))
                                && matches!(
                                    c.args().get(1).map(|a| a.text.as_str()),
                                    Some("download" | "verify")
                                )
                        })
                }
            });
            match download {
                Some(d) if here => {
                    let r = d.range();
                    lines.push(text[r].to_string());
                    edits.remove_with_comments(tree, d.index);
                }
                _ if here => lines.push(format!("RUN {env}go mod download")),
                _ => lines.push(format!(
                    "RUN cd {} && {env}go mod download",
                    dest_word.trim_end_matches('/')
                )),
            }
            for l in lines {
                edits.insert_before(attached(tree, whole.index)[0], l);
            }
        }
    }

    // Files the app reads that the original image had.
    let mut assets: Vec<String> = Vec::new();
    if let Some(root_dir) = &src_root {
        let mut refs: Vec<String> = Vec::new();
        for i in instrs.iter() {
            let words: Vec<String> = match i.ins.keyword {
                Keyword::Cmd | Keyword::Entrypoint => command_words(&i.ins.args),
                Keyword::Env => match &i.ins.args {
                    Args::Pairs { pairs, .. } => pairs
                        .iter()
                        .filter_map(|p| p.value.as_ref().map(|v| v.text.to_string()))
                        .collect(),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            for w in words {
                for tok in w.split(['=', ',', ' ']) {
                    let tok = tok.trim_matches(|c| c == '"' || c == '\'');
                    if tok.starts_with('-') || tok.contains('$') || tok.is_empty() {
                        continue;
                    }
                    let configish = CONFIG_EXTENSIONS.iter().any(|e| tok.ends_with(e));
                    if !(configish || tok.contains('/')) {
                        continue;
                    }
                    let abs = go::join_path(wd.as_deref(), tok);
                    if abs == bin || !abs.starts_with('/') {
                        continue;
                    }
                    let Some(rel) =
                        abs.strip_prefix(&format!("{}/", root_dir.trim_end_matches('/')))
                    else {
                        continue;
                    };
                    let first = rel.split('/').next().unwrap_or(rel).to_string();
                    let is_dir = rel.contains('/');
                    let ok = if cx.context.known() {
                        cx.context.exists(&first)
                    } else {
                        configish || (is_dir && ASSET_DIRS.contains(&first.as_str()))
                    };
                    if ok && is_plain_word(&first) {
                        refs.push(first);
                    }
                }
            }
        }
        if cx.context.known() {
            for d in ASSET_DIRS {
                if cx.context.is_dir(d) {
                    refs.push(d.to_string());
                }
            }
        }
        for r in refs {
            if !assets.contains(&r) && r != ".git" {
                assets.push(r);
            }
        }
    }

    // CMD / ENTRYPOINT in exec form; the binary's new place when it moved.
    for i in &instrs {
        if !matches!(i.ins.keyword, Keyword::Cmd | Keyword::Entrypoint) {
            continue;
        }
        if let Args::Shell(w) = &i.ins.args {
            if let Some(json) = exec_form(&w.text) {
                let json = if dest != bin {
                    json.replace(&bin, &dest)
                } else {
                    json
                };
                edits.replace.push((i.abs(w.span), json));
                continue;
            }
        }
        if dest != bin {
            let r = i.line_range();
            let line = &text[r.clone()];
            if line.contains(&bin) {
                edits.replace.push((r, line.replace(&bin, &dest)));
            }
        }
    }

    // ARGs the moved instructions use must be declared again in the runtime stage.
    let moved_set: HashSet<usize> = moved.iter().chain(&copied).copied().collect();
    let mut arg_lines: Vec<String> = Vec::new();
    for u in &cx.model.uses {
        if !moved_set.contains(&u.item) || !u.buildkit_expands {
            continue;
        }
        let defs = cx.model.visible_defs(fin, u.item);
        let Some(def) = defs.iter().find(|d| d.name == u.var.name) else {
            continue;
        };
        let line = match &def.kind {
            // The stage's own ARG, as written (its default included).
            VarKind::Arg => match cx.tree.instr_at(def.item) {
                Some(i) => text[i.line_range()].to_string(),
                None => continue,
            },
            VarKind::GlobalArg => format!("ARG {}", def.name),
            VarKind::Env => continue,
        };
        if !arg_lines.contains(&line) {
            arg_lines.push(line);
        }
    }

    // The builder: the final stage without what moved out.
    for &k in &moved {
        edits.remove_with_comments(tree, k);
    }
    let n = tree.items().len();
    let mut builder_text = edits.render(text, tree, 0..n);
    let trimmed = builder_text.trim_end().len();
    builder_text.truncate(trimmed);
    if builder_text.ends_with(tree.escape()) {
        // The last instruction continues past the end of the file: anything appended
        // would become part of it.
        return Err(text!(
            "the last instruction ends with a line continuation (`{}`) and no next line; remove it first",
            "最后一条指令以续行符（`{}`）结尾，后面却没有下一行；请先删除它",
            tree.escape()
        ));
    }
    builder_text.push('\n');

    // The runtime stage.
    let mut out = builder_text;
    out.push('\n');
    if let Some(lang) = lang {
        push_line(
            &mut out,
            text!(
                "# Runtime image: only the binary and the files it needs at run time.",
                "# 运行镜像：只包含二进制文件及其运行时需要的文件。"
            )
            .get(lang),
        );
    }
    push_line(&mut out, &format!("FROM {runtime_image}"));
    for a in &arg_lines {
        push_line(&mut out, a);
    }
    if apk {
        push_line(
            &mut out,
            &format!("RUN apk --no-cache add {}", packages.join(" ")),
        );
    } else {
        push_line(
            &mut out,
            &format!(
                "RUN apt-get update && apt-get install -y --no-install-recommends {} && rm -rf /var/lib/apt/lists/*",
                packages.join(" ")
            ),
        );
    }
    if let Some(u) = &add_user {
        if apk {
            push_line(&mut out, &format!("RUN adduser -D -g '' {u}"));
        } else {
            push_line(
                &mut out,
                &format!("RUN useradd --no-create-home --shell /usr/sbin/nologin {u}"),
            );
        }
    }
    let relative_entry = instrs.iter().any(|i| {
        matches!(i.ins.keyword, Keyword::Cmd | Keyword::Entrypoint)
            && entry_program(i.ins).is_some_and(|p| !p.starts_with('/'))
    });
    let runtime_wd = if explicit_wd || relative_entry || !assets.is_empty() {
        wd.clone()
    } else {
        None
    };
    if let Some(w) = &runtime_wd {
        push_line(&mut out, &format!("WORKDIR {w}"));
    }
    let rel_in_wd = |p: &str| -> String {
        match &runtime_wd {
            Some(w) => match p.strip_prefix(&format!("{}/", w.trim_end_matches('/'))) {
                Some(r) if !r.is_empty() => format!("./{r}"),
                _ => p.to_string(),
            },
            None => p.to_string(),
        }
    };
    push_line(
        &mut out,
        &format!("COPY --from={builder} {bin} {}", rel_in_wd(&dest)),
    );
    // The stage's other binaries, where their paths are known.
    let module = cx.project.go_mod.as_ref().and_then(|m| m.module.as_deref());
    let mut copied_bins = vec![bin.clone()];
    for b in &s.builds {
        let Some(p) = go::output_path(b, module) else {
            continue;
        };
        if copied_bins.contains(&p) {
            continue;
        }
        let d = match p.strip_prefix("/go/bin/") {
            Some(name) => format!("/usr/local/bin/{name}"),
            None => p.clone(),
        };
        push_line(
            &mut out,
            &format!("COPY --from={builder} {p} {}", rel_in_wd(&d)),
        );
        copied_bins.push(p);
    }
    if let Some(root_dir) = &src_root {
        for a in &assets {
            let src = format!("{}/{}", root_dir.trim_end_matches('/'), a);
            if !is_plain_word(&src) {
                continue;
            }
            push_line(
                &mut out,
                &format!("COPY --from={builder} {src} {}", rel_in_wd(&src)),
            );
        }
    }
    let mut runtime_items: Vec<usize> = copied.iter().chain(moved.iter()).copied().collect();
    runtime_items.sort_unstable();
    let mut user_done = user_line.is_none();
    // The user is new: what the app writes must be its own, which the rewrite cannot see.
    let user_line = user_line.map(|u| match lang {
        Some(lang) => format!(
            "{}\n{u}",
            text!(
                "# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).",
                "# 应用现在以非 root 用户运行：它要写入的目录必须归该用户所有（可用 COPY --chown）。"
            )
            .get(lang)
        ),
        None => u,
    });
    for k in runtime_items {
        let is_entry = tree.instr_at(k).is_some_and(|i| {
            matches!(
                i.ins.keyword,
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
            )
        });
        if is_entry && !user_done {
            if let Some(u) = &user_line {
                push_line(&mut out, u);
            }
            user_done = true;
        }
        // The instruction with the comments above it, and its own replacements.
        let items = tree.items();
        let (first, it) = (&items[attached(tree, k)[0]], &items[k]);
        let chunk = first.start as usize..it.start as usize + it.node.len as usize;
        push_line(&mut out, &edits.apply(text, chunk));
    }
    if !user_done {
        if let Some(u) = &user_line {
            push_line(&mut out, u);
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------
// Runtime → scratch / distroless

/// What the RUN lines of a runtime stage did that the new base must provide.
#[derive(Default)]
struct Provided {
    certs: bool,
    zoneinfo: bool,
}

const REPLACEABLE_PACKAGES: &[&str] = &["ca-certificates", "ca-certificates-bundle", "tzdata"];

/// Whether a RUN only installs CA certificates / tzdata or creates a user, things the
/// new runtime gets another way.
/// `Err` holds the packages it installs that the new image cannot get (may be empty
/// when it is some other command).
fn replaceable_run(cx: &Ctx<'_>, item: usize, p: &mut Provided) -> Result<(), Vec<String>> {
    let cmds = cx.commands_of(item);
    if cmds.is_empty() {
        return Err(Vec::new());
    }
    for c in cmds {
        let args: Vec<&str> = c.args().iter().map(|a| a.text.as_str()).collect();
        let plain: Vec<&str> = args
            .iter()
            .copied()
            .filter(|a| !a.starts_with('-'))
            .collect();
        let ok = match c.program() {
            Some("apk") => match plain.first() {
                Some(&"add") => plain[1..].iter().all(|p| REPLACEABLE_PACKAGES.contains(p)),
                Some(&"update") => true,
                _ => false,
            },
            Some("apt-get" | "apt") => match plain.first() {
                Some(&"install") => plain[1..].iter().all(|p| REPLACEABLE_PACKAGES.contains(p)),
                Some(&"update" | &"clean") => true,
                _ => false,
            },
            Some("rm") => plain
                .iter()
                .all(|a| a.starts_with("/var/lib/apt/lists") || a.starts_with("/var/cache/apk")),
            Some(
                "adduser" | "addgroup" | "useradd" | "groupadd" | "update-ca-certificates" | "true",
            ) => true,
            _ => false,
        };
        if !ok {
            let installs = matches!(plain.first(), Some(&"add" | &"install"))
                && matches!(c.program(), Some("apk" | "apt-get" | "apt"));
            let pkgs = if installs {
                plain[1..]
                    .iter()
                    .filter(|p| !REPLACEABLE_PACKAGES.contains(p))
                    .map(|p| p.to_string())
                    .collect()
            } else {
                Vec::new()
            };
            return Err(pkgs);
        }
        if plain.iter().any(|a| a.starts_with("ca-certificates"))
            || c.program() == Some("update-ca-certificates")
        {
            p.certs = true;
        }
        if plain.contains(&"tzdata") {
            p.zoneinfo = true;
        }
    }
    Ok(())
}

fn copies_path(cx: &Ctx<'_>, stage: usize, pred: impl Fn(&str) -> bool) -> bool {
    cx.stage_instrs(stage).any(|i| {
        matches!(i.ins.keyword, Keyword::Copy | Keyword::Add) && {
            let w = i.ins.args.words();
            w.len() >= 2
                && w[..w.len() - 1]
                    .iter()
                    .any(|s| pred(s.text.trim_end_matches('/')))
        }
    })
}

/// `origin`: the user's file when `cx.text` is the multi-stage rewrite of it, so that
/// the lines named in a refusal are the user's.
fn swap_runtime(
    cx: &Ctx<'_>,
    target: Target,
    origin: Option<&str>,
) -> Result<Option<String>, Text> {
    let text = cx.text;
    let tree = cx.tree;
    let Some(fin) = cx.final_stage() else {
        return Err(text!(
            "the Dockerfile has no `FROM`",
            "Dockerfile 中没有 `FROM`"
        ));
    };
    let st = &cx.model.stages[fin];
    let scratch = target == Target::Scratch;
    let what = if scratch { "scratch" } else { "distroless" };
    if let Some(p) = st.base.stage {
        let name = cx.model.stages[p]
            .name
            .clone()
            .unwrap_or_else(|| p.to_string());
        return Err(text!(
            "the final stage starts from stage `{}`, so its base image is not its own to change; put the runtime in a stage of its own first",
            "最终阶段基于阶段 `{}`，它的基础镜像无法单独替换；请先把运行阶段独立出来",
            name
        ));
    }
    let Some(img) = st.base.image.clone() else {
        return Err(text!(
            "the final stage's base image (`{}`) is not known before the build, so it cannot be replaced safely",
            "最终阶段的基础镜像（`{}`）在构建前无法确定，不能安全替换",
            st.base.raw
        ));
    };
    if scratch && img.is_scratch() {
        return Ok(None);
    }
    let distroless_now = img.repository.contains("distroless");
    if !scratch && distroless_now {
        return Ok(None);
    }
    // Only a plain base (a distribution or a minimal image) can be swapped: an
    // application image (`nginx`, `debian-iptables`, a DNS server …) brings what the
    // program needs, which dockwise cannot list.
    let plain_base = knowledge::image_facts(&img).is_some_and(|f| {
        matches!(
            f.kind,
            knowledge::ImageKind::Os | knowledge::ImageKind::Minimal
        )
    });
    if !plain_base {
        return Err(text!(
            "the runtime image `{}` is not a plain base image dockwise knows (alpine, debian, ubuntu, distroless …): it may bring things the app needs, so replace it by hand",
            "运行镜像 `{}` 不是 dockwise 了解的纯基础镜像（alpine、debian、ubuntu、distroless 等），其中可能有应用依赖的内容；请手动替换",
            st.base.raw
        ));
    }
    // The binary: a COPY --from of a stage that builds Go.
    let mut found: Option<(usize, GoCommand)> = None;
    for r in &cx.model.refs {
        if r.kind != RefKind::CopyFrom || r.in_stage != fin {
            continue;
        }
        let RefTarget::Stage(b) = r.target else {
            continue;
        };
        let mut chain = vec![b];
        chain.extend(cx.model.ancestors(b));
        if let Some(g) = cx
            .go()
            .iter()
            .rev()
            .find(|g| chain.contains(&g.stage) && is_app_build(g))
        {
            found = Some((b, g.clone()));
            break;
        }
    }
    let Some((b, g)) = found else {
        return Err(text!(
            "the final stage copies no Go binary from a build stage, so dockwise cannot tell what it would run on {}",
            "最终阶段没有从构建阶段复制 Go 二进制文件，dockwise 无法判断换成 {} 之后要运行什么",
            what
        ));
    };

    let mut edits = Edits::default();
    // A static binary.
    let builder_rt = cx.runtimes().get(b).cloned();
    // Every build of the app in the builder's chain must be static.
    let mut chain = vec![b];
    chain.extend(cx.model.ancestors(b));
    let b_builds: Vec<&GoCommand> = cx
        .go()
        .iter()
        .filter(|x| chain.contains(&x.stage) && is_app_build(x))
        .collect();
    let cgo = if b_builds.iter().any(|x| cgo_mode(cx, x) == Cgo::Needed) {
        Cgo::Needed
    } else {
        cgo_mode(cx, &g)
    };
    let new_image = match cgo {
        Cgo::Off { .. } => {
            for x in &b_builds {
                if cgo_mode(cx, x) == (Cgo::Off { add_prefix: true }) {
                    add_cgo_prefix(cx, x, &mut edits)?;
                }
            }
            if scratch {
                "scratch".to_string()
            } else {
                knowledge::recommended_tag("distroless/static-debian12").map_or_else(
                    || "gcr.io/distroless/static-debian12:nonroot".to_string(),
                    |t| format!("gcr.io/distroless/static-debian12:{t}"),
                )
            }
        }
        Cgo::Needed => {
            let musl = builder_rt.as_ref().and_then(|r| r.libc) == Some(Libc::Musl);
            if musl {
                return Err(text!(
                    "the build needs cgo and links against musl (the builder is alpine-based), so the binary needs alpine's C library at run time, which neither scratch nor distroless has; keep an alpine runtime, or link statically with `-ldflags '-linkmode external -extldflags \"-static\"'`",
                    "构建需要 cgo，并且链接的是 musl（构建镜像基于 alpine），运行时离不开 alpine 的 C 库，而 scratch 和 distroless 都没有；请保留 alpine 运行镜像，或用 `-ldflags '-linkmode external -extldflags \"-static\"'` 静态链接"
                ));
            }
            if scratch {
                return Err(text!(
                    "the build needs cgo, and a cgo binary needs a C library, which scratch does not have; use to-distroless or keep a glibc runtime",
                    "构建需要 cgo，而 cgo 二进制文件依赖 C 库，scratch 里没有；请改用 to-distroless，或保留 glibc 运行镜像"
                ));
            }
            let root = cx.model.ancestors(b).last().copied().unwrap_or(b);
            let release = cx.model.stages[root]
                .base
                .image
                .as_ref()
                .and_then(debian_release);
            let glibc = builder_rt.as_ref().and_then(|r| r.libc) == Some(Libc::Glibc);
            if !(glibc && release == Some(12)) {
                return Err(text!(
                    "the build needs cgo, and distroless `base-debian12` only runs binaries built against Debian 12's glibc; build on a `-bookworm` golang image first",
                    "构建需要 cgo，而 distroless `base-debian12` 只能运行基于 Debian 12 glibc 编译的二进制文件；请先改用 `-bookworm` 版本的 golang 构建镜像"
                ));
            }
            "gcr.io/distroless/base-debian12:nonroot".to_string()
        }
    };
    edits.replace.push((st.base.range.clone(), new_image));

    // What the old runtime did that needs a shell.
    let mut provided = Provided::default();
    let passwd_copied = copies_path(cx, fin, |p| p == "/etc/passwd" || p == "/etc");
    let new_user = if scratch { "65532:65532" } else { "nonroot" };
    let mut has_user = false;
    let mut first_entry: Option<usize> = None;
    let instrs: Vec<InstrRef<'_>> = cx.stage_instrs(fin).collect();
    let line_in_user_file = |i: &InstrRef<'_>| -> usize {
        let own = line_of(text, i.start);
        let Some(o) = origin else { return own };
        let t = &text[i.line_range()];
        o.find(t).map_or(own, |at| line_of(o, at))
    };
    // What the program and its health check need first (the rewrite's own RUN lines
    // only exist for them), then the RUN lines.
    let mut ordered: Vec<&InstrRef<'_>> = instrs
        .iter()
        .filter(|i| i.ins.keyword != Keyword::Run)
        .collect();
    ordered.extend(instrs.iter().filter(|i| i.ins.keyword == Keyword::Run));
    for i in ordered {
        let line = line_in_user_file(i);
        match i.ins.keyword {
            Keyword::Run => {
                match replaceable_run(cx, i.index, &mut provided) {
                    Ok(()) => edits.remove_with_comments(tree, i.index),
                    Err(pkgs) if !pkgs.is_empty() => {
                        // In a rewrite of a single-stage file this RUN is ours: name the
                        // user's line that installs the package.
                        let line = match origin {
                            Some(o) if !o.contains(&text[i.line_range()]) => o
                                .lines()
                                .position(|l| {
                                    !l.trim_start().starts_with('#')
                                        && l.split_whitespace().any(|w| w == pkgs[0])
                                })
                                .map_or(line, |n| n + 1),
                            _ => line,
                        };
                        return Err(text!(
                            "line {}: the app needs {} at run time, which only a package manager can install, and {} has none; keep a runtime with a package manager (to-multi-stage)",
                            "第 {} 行：应用运行时需要 {}，只能用包管理器安装，而 {} 没有包管理器；请保留带包管理器的运行镜像（to-multi-stage）",
                            line,
                            pkgs.join(", "),
                            what
                        ));
                    }
                    Err(_) => return Err(text!(
                        "line {}: this `RUN` needs a shell and tools that {} does not have; move it into the build stage (and copy its result) or drop it",
                        "第 {} 行：这条 `RUN` 需要 shell 和 {} 中没有的工具；请把它移到构建阶段（再复制结果），或者删除它",
                        line,
                        what
                    )),
                }
            }
            Keyword::Cmd | Keyword::Entrypoint => {
                first_entry.get_or_insert(i.index);
                if let Args::Shell(w) = &i.ins.args {
                    match exec_form(&w.text) {
                        Some(json) => edits.replace.push((i.abs(w.span), json)),
                        None => {
                            return Err(text!(
                                "line {}: this shell-form `{}` uses shell syntax, and {} has no shell; write it as a JSON array first",
                                "第 {} 行：这条 shell 形式的 `{}` 用到了 shell 语法，而 {} 没有 shell；请先改写为 JSON 数组",
                                line,
                                i.ins.keyword.as_str(),
                                what
                            ))
                        }
                    }
                }
            }
            Keyword::Healthcheck => {
                first_entry.get_or_insert(i.index);
                if let Args::Healthcheck(h) = &i.ins.args {
                    let shell = matches!(h.cmd.as_deref(), Some(Args::Shell(_)));
                    let words = command_words(&i.ins.args);
                    let tool = words
                        .first()
                        .map(|w| w.rsplit('/').next().unwrap_or(w))
                        .unwrap_or("");
                    if h.cmd.is_some()
                        && (shell || matches!(tool, "curl" | "wget" | "sh" | "bash" | "nc"))
                    {
                        return Err(text!(
                            "line {}: this `HEALTHCHECK` needs a shell or `curl`/`wget`, which {} does not have; give the app a health subcommand (for example `HEALTHCHECK CMD [\"/app\", \"health\"]`) first",
                            "第 {} 行：这条 `HEALTHCHECK` 需要 shell 或 `curl`/`wget`，而 {} 中没有；请先给应用加一个健康检查子命令（例如 `HEALTHCHECK CMD [\"/app\", \"health\"]`）",
                            line,
                            what
                        ));
                    }
                }
            }
            Keyword::User => {
                has_user = true;
                if let Args::Text(w) = &i.ins.args {
                    let u = w.text.trim();
                    let keep = (is_numeric_user(u) && !is_root_user(u))
                        || (passwd_copied && !is_root_user(u))
                        || (!scratch && u.split(':').next() == Some("nonroot"));
                    if !keep {
                        edits.replace.push((i.abs(w.span), new_user.to_string()));
                    }
                }
            }
            Keyword::Copy | Keyword::Add => {
                if let Some(f) = i.ins.flag("chown") {
                    if let (Some(v), Some(vs)) = (&f.value, f.value_span) {
                        if !is_numeric_user(v)
                            && !passwd_copied
                            && (!v.starts_with("nonroot") || scratch)
                        {
                            // Without /etc/passwd names cannot be resolved: root is 0.
                            let id = if is_root_user(v) { "0:0" } else { new_user };
                            edits.replace.push((i.abs(vs), id.to_string()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if scratch && !has_user {
        let at = first_entry.map_or(tree.items().len(), |k| attached(tree, k)[0]);
        edits.insert_before(at, "USER 65532:65532".to_string());
    }

    // Scratch gets the CA bundle and zoneinfo from the builder.
    if scratch {
        let rt = cx.runtimes().get(fin).cloned();
        let had_zoneinfo = provided.zoneinfo
            || rt
                .as_ref()
                .is_some_and(|r| r.tz_env.is_some() || r.zoneinfo.yes());
        let certs_copied = copies_path(cx, fin, |p| {
            p.starts_with("/etc/ssl/certs") || p == "/etc/ssl" || p.ends_with("ca-certificates.crt")
        });
        let zone_copied = copies_path(cx, fin, |p| {
            p.starts_with("/usr/share/zoneinfo") || p == "/usr/share"
        });
        let need_certs = !certs_copied;
        let need_zone = had_zoneinfo && !zone_copied;
        let builder_name = cx.model.stages[b]
            .name
            .clone()
            .filter(|n| is_stage_name(n))
            .unwrap_or_else(|| b.to_string());
        let mut lines = Vec::new();
        if need_certs {
            lines.push(format!(
                "COPY --from={builder_name} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/"
            ));
        }
        if need_zone {
            lines.push(format!(
                "COPY --from={builder_name} /usr/share/zoneinfo /usr/share/zoneinfo"
            ));
        }
        // The builder must have them.
        let mut missing = Vec::new();
        let brt = builder_rt.as_ref();
        if need_certs && !brt.is_some_and(|r| r.ca_certificates.yes()) {
            missing.push("ca-certificates");
        }
        if need_zone && !brt.is_some_and(|r| r.zoneinfo.yes()) {
            missing.push("tzdata");
        }
        if !missing.is_empty() {
            let pm = brt
                .and_then(|r| r.base)
                .and_then(|f| f.package_manager.clone());
            let install = match pm.as_deref() {
                Some("apk") => format!("RUN apk add --no-cache {}", missing.join(" ")),
                Some("apt") => format!(
                    "RUN apt-get update && apt-get install -y --no-install-recommends {} && rm -rf /var/lib/apt/lists/*",
                    missing.join(" ")
                ),
                _ => {
                    return Err(text!(
                        "the build stage may lack {} and dockwise does not know how to install it there; add it to the build stage first",
                        "构建阶段可能缺少 {}，dockwise 不知道如何在其中安装；请先在构建阶段装好它",
                        missing.join(", ")
                    ))
                }
            };
            let bst = &cx.model.stages[b];
            let at = bst.items.first().copied().unwrap_or(bst.item + 1);
            edits.insert_before(at, install);
        }
        if !lines.is_empty() {
            let at = st.items.first().copied().unwrap_or(tree.items().len());
            let at = if st.items.is_empty() {
                at
            } else {
                attached(tree, at)[0]
            };
            for l in lines {
                edits.insert_before(at, l);
            }
        }
    }
    Ok(Some(edits.render(text, tree, 0..tree.items().len())))
}

#[cfg(test)]
mod tests;
