//! The `go` command model: every `go build` / `go install` / `go mod …` / `go get` /
//! `go run` a RUN executes (shell form, exec form, heredoc scripts, `sh -c`), with its
//! flags (`-o`, `-ldflags` with its own quoting, `-tags`, …), package arguments, and the
//! environment it runs with (RUN prefixes, `export`, ENV, ARG defaults).

use std::ops::Range;

use super::shell::{ShellWord, SimpleCommand};
use super::{Model, VarKind};
use crate::syntax::{Keyword, SyntaxTree};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GoVerb {
    Build,
    Install,
    ModDownload,
    ModVerify,
    ModTidy,
    ModVendor,
    Get,
    Run,
    Test,
    Vet,
    Generate,
    Other(String),
}

impl GoVerb {
    /// Whether the command compiles code (and so fetches modules and uses cgo).
    pub fn compiles(&self) -> bool {
        matches!(
            self,
            GoVerb::Build | GoVerb::Install | GoVerb::Run | GoVerb::Test | GoVerb::Vet
        )
    }
    /// Whether the command downloads modules.
    pub fn downloads(&self) -> bool {
        self.compiles()
            || matches!(
                self,
                GoVerb::ModDownload | GoVerb::Get | GoVerb::ModTidy | GoVerb::ModVendor
            )
    }
}

/// A flag of a go command: `-o out`, `-o=out`, `--ldflags=…`, `-trimpath`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoFlag {
    /// With one dash (`-o`), however it was written.
    pub name: String,
    pub value: Option<String>,
    /// The flag word(s), absolute.
    pub range: Range<usize>,
    pub value_range: Option<Range<usize>>,
}

/// Where an environment value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvSource {
    /// `CGO_ENABLED=0 go build` (the command's own prefix).
    Prefix,
    /// `export CGO_ENABLED=0` earlier in the same RUN.
    Export,
    /// `ENV` in the stage or an in-file ancestor.
    Env,
    /// `ARG NAME=default` in the stage.
    ArgDefault,
    /// `ARG NAME` without a default: set by `--build-arg` or empty.
    ArgNoDefault,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvValue {
    pub value: String,
    pub source: EnvSource,
    /// Where it is set (the assignment), absolute.
    pub range: Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoCommand {
    pub verb: GoVerb,
    /// Tree item of the RUN.
    pub item: usize,
    pub stage: usize,
    /// The simple command, absolute.
    pub range: Range<usize>,
    /// The `go` word.
    pub go_range: Range<usize>,
    /// The verb word(s) (`build`, `mod download`).
    pub verb_range: Range<usize>,
    pub flags: Vec<GoFlag>,
    /// Package or file arguments (`.`, `./cmd/api`, `main.go`, `pkg@v1.2.3`).
    pub packages: Vec<ShellWord>,
    /// `NAME=value` prefixes of this command.
    pub prefix_env: Vec<(String, EnvValue)>,
    /// `export NAME=value` earlier in the same RUN script.
    pub exported_env: Vec<(String, EnvValue)>,
    /// The WORKDIR the command runs in (None when unknown).
    pub workdir: Option<String>,
    /// Whether the RUN mounts a cache at the module cache / build cache.
    pub mod_cache_mounted: bool,
    pub build_cache_mounted: bool,
    /// The whole RUN is inside an ONBUILD trigger.
    pub onbuild: bool,
}

impl GoCommand {
    pub fn flag(&self, name: &str) -> Option<&GoFlag> {
        self.flags.iter().find(|f| f.name == name)
    }
    pub fn has_flag(&self, name: &str) -> bool {
        self.flag(name).is_some()
    }

    /// The `-ldflags` value, if given.
    pub fn ldflags(&self) -> Option<&GoFlag> {
        self.flags.iter().rev().find(|f| f.name == "-ldflags")
    }

    /// The words of `-ldflags` as the go command splits them (quotes respected).
    pub fn ldflags_words(&self) -> Vec<String> {
        self.ldflags()
            .and_then(|f| f.value.as_deref())
            .map(split_quoted)
            .unwrap_or_default()
    }

    /// The external linker is told to link statically (`-extldflags "-static"`, usually
    /// with `-linkmode external`): even with cgo, the binary needs no C library at run
    /// time.
    pub fn links_statically(&self) -> bool {
        // `-static` or `-static-pie`; not `-static-libgcc`, which leaves libc dynamic.
        let static_flag = |v: &str| {
            v.split_whitespace()
                .any(|x| matches!(x, "-static" | "-static-pie"))
        };
        let words = self.ldflags_words();
        words
            .windows(2)
            .any(|w| w[0] == "-extldflags" && static_flag(&w[1]))
            || words
                .iter()
                .any(|w| w.strip_prefix("-extldflags=").is_some_and(static_flag))
    }

    /// `-tags a,b` / `-tags "a b"`.
    pub fn tags(&self) -> Vec<String> {
        self.flags
            .iter()
            .filter(|f| f.name == "-tags")
            .filter_map(|f| f.value.as_deref())
            .flat_map(|v| {
                v.split([',', ' '])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// Flags of `go build` (and friends) that take a value.
const VALUE_FLAGS: &[&str] = &[
    "-o",
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-gccgoflags",
    "-tags",
    "-mod",
    "-modfile",
    "-overlay",
    "-p",
    "-pkgdir",
    "-buildmode",
    "-compiler",
    "-installsuffix",
    "-pgo",
    "-toolexec",
    "-C",
    "-covermode",
    "-coverpkg",
    "-exec",
    "-run",
    "-bench",
    "-count",
    "-timeout",
    "-buildvcs",
    "-cpu",
    "-parallel",
    "-json",
    "-coverprofile",
    "-fuzz",
];

/// Boolean flags that may also take `=true/false` (for `-buildvcs=false` style).
fn takes_value(name: &str) -> bool {
    VALUE_FLAGS.contains(&name) && name != "-buildvcs" && name != "-json"
}

/// Splits a flag value the way the go command splits `-ldflags`/`-gcflags`
/// (`cmd/internal/quoted`): whitespace-separated, with '…' and "…" quoting.
pub fn split_quoted(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                started = true;
            }
            None if c.is_whitespace() => {
                if started || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            None => cur.push(c),
        }
    }
    if started || !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn verb_of(cmd: &SimpleCommand) -> Option<(GoVerb, usize)> {
    let args = cmd.args();
    let first = args.first()?;
    Some(match first.text.as_str() {
        "build" => (GoVerb::Build, 1),
        "install" => (GoVerb::Install, 1),
        "get" => (GoVerb::Get, 1),
        "run" => (GoVerb::Run, 1),
        "test" => (GoVerb::Test, 1),
        "vet" => (GoVerb::Vet, 1),
        "generate" => (GoVerb::Generate, 1),
        "mod" => match args.get(1).map(|w| w.text.as_str()) {
            Some("download") => (GoVerb::ModDownload, 2),
            Some("verify") => (GoVerb::ModVerify, 2),
            Some("tidy") => (GoVerb::ModTidy, 2),
            Some("vendor") => (GoVerb::ModVendor, 2),
            Some(other) => (GoVerb::Other(format!("mod {other}")), 2),
            None => (GoVerb::Other("mod".into()), 1),
        },
        other => (GoVerb::Other(other.to_string()), 1),
    })
}

/// Whether a command is the go tool.
pub fn is_go(cmd: &SimpleCommand) -> bool {
    // tonistiigi/xx's `xx-go` wraps go for cross-compiling.
    matches!(cmd.program(), Some("go" | "xx-go"))
}

/// A parsed `go …` command line: verb, verb range, flags, package arguments.
type ParsedGo = (GoVerb, Range<usize>, Vec<GoFlag>, Vec<ShellWord>);

/// Parses one `go …` simple command.
fn parse_go(cmd: &SimpleCommand) -> Option<ParsedGo> {
    let (verb, n) = verb_of(cmd)?;
    let args = cmd.args();
    let verb_range = args[0].range.start..args[n - 1].range.end;
    let mut flags = Vec::new();
    let mut packages = Vec::new();
    let mut i = n;
    let mut flags_done = false;
    while i < args.len() {
        let w = &args[i];
        let t = w.text.as_str();
        if !flags_done && t == "--" {
            flags_done = true;
            i += 1;
            continue;
        }
        if !flags_done && t.starts_with('-') && t.len() > 1 {
            let norm = if t.starts_with("--") { &t[1..] } else { t };
            let (name, inline) = match norm.split_once('=') {
                Some((a, b)) => (a.to_string(), Some(b.to_string())),
                None => (norm.to_string(), None),
            };
            let (value, value_range, end) = match inline {
                Some(v) => {
                    let off = t.len() - v.len();
                    // The word's text has quotes removed; map to the source only when
                    // the word was not quoted.
                    let vr = if w.quoted {
                        w.range.clone()
                    } else {
                        w.range.start + off..w.range.end
                    };
                    (Some(v), Some(vr), w.range.end)
                }
                None if takes_value(&name) => match args.get(i + 1) {
                    Some(v) => {
                        i += 1;
                        (Some(v.text.to_string()), Some(v.range.clone()), v.range.end)
                    }
                    None => (None, None, w.range.end),
                },
                None => (None, None, w.range.end),
            };
            flags.push(GoFlag {
                name,
                value,
                range: w.range.start..end,
                value_range,
            });
        } else {
            // `go run main.go -port 80`: arguments after the files belong to the program.
            if verb == GoVerb::Run && !packages.is_empty() {
                break;
            }
            flags_done = flags_done || verb == GoVerb::Run;
            packages.push(w.clone());
        }
        i += 1;
    }
    Some((verb, verb_range, flags, packages))
}

/// Every go command of every RUN, in order.
pub fn go_commands(text: &str, tree: &SyntaxTree, model: &Model) -> Vec<GoCommand> {
    let mut out = Vec::new();
    for i in tree.instructions() {
        let target = i.onbuild_target();
        if target.keyword != Keyword::Run {
            continue;
        }
        let Some(stage) = model.stage_of_item(i.index) else {
            continue;
        };
        if model.stages[stage].item == i.index {
            continue;
        }
        let (mod_cache, build_cache) = cache_mounts(target);
        let cmds = model.commands_of(text, tree, i.index);
        let mut exported: Vec<(String, EnvValue)> = Vec::new();
        // Most RUNs run no `go` at all: only those need the WORKDIR, whose lookup walks
        // the stage (computing it for every RUN made long stages quadratic).
        if !cmds.iter().any(is_go) {
            continue;
        }
        let mut workdir =
            workdir_at(tree, model, stage, i.index).or_else(|| image_workdir(model, stage));
        for c in cmds {
            // `cd dir && go build …`: the shell's directory for the commands after it.
            // (A `cd` inside a subshell or a pipeline is rare enough to ignore.)
            if c.program() == Some("cd") {
                workdir = match c.args().first().map(|a| a.text.as_str()) {
                    Some(d) if !d.contains('$') && d != "-" => {
                        let p = join_path(workdir.as_deref(), d);
                        p.starts_with('/').then_some(p)
                    }
                    _ => None,
                };
                continue;
            }
            if matches!(c.program(), Some("export")) {
                for w in c.args() {
                    if let Some((k, v)) = w.text.split_once('=') {
                        // Exported twice with different values (the branches of a
                        // `case` or `if`): the value depends on the run, not on the text.
                        let v = match exported.iter().find(|(n, _)| n == k) {
                            Some((_, old)) if old.value != v => "$(conditional)",
                            _ => v,
                        };
                        exported.push((
                            k.to_string(),
                            EnvValue {
                                value: v.to_string(),
                                source: EnvSource::Export,
                                range: w.range.clone(),
                            },
                        ));
                    }
                }
                continue;
            }
            if !is_go(c) {
                continue;
            }
            let Some((verb, verb_range, flags, packages)) = parse_go(c) else {
                continue;
            };
            let prefix_env = c
                .env
                .iter()
                .map(|a| {
                    (
                        a.name.to_string(),
                        EnvValue {
                            value: a.value.text.to_string(),
                            source: EnvSource::Prefix,
                            range: a.range.clone(),
                        },
                    )
                })
                .collect();
            out.push(GoCommand {
                verb,
                item: i.index,
                stage,
                range: c.range.clone(),
                go_range: c.words[0].range.clone(),
                verb_range,
                flags,
                packages,
                prefix_env,
                exported_env: exported.clone(),
                workdir: workdir.clone(),
                mod_cache_mounted: mod_cache,
                build_cache_mounted: build_cache,
                onbuild: i.ins.keyword == Keyword::Onbuild,
            });
        }
    }
    out
}

/// (module cache mounted, build cache mounted) for a RUN's `--mount=type=cache` flags.
fn cache_mounts(ins: &crate::syntax::Instruction) -> (bool, bool) {
    let mut m = (false, false);
    for f in ins.flags.iter().filter(|f| f.name == "mount") {
        let is_cache = f.part("type").and_then(|p| p.value.as_deref()) == Some("cache");
        if !is_cache {
            continue;
        }
        // A misspelled `target` (`taget=`) is reported by DF515; here it still says
        // where the cache was meant to go, so GO110 does not pile on.
        let target = ["target", "dst", "destination"]
            .iter()
            .find_map(|k| f.part(k).and_then(|p| p.value.clone()))
            .or_else(|| {
                f.parts
                    .iter()
                    .find(|p| {
                        crate::syntax::edit_distance(&p.key.to_ascii_lowercase(), "target") <= 2
                    })
                    .and_then(|p| p.value.clone())
            })
            .unwrap_or_default();
        let t = target.trim_end_matches('/');
        if t == "/go/pkg/mod" || t.ends_with("/pkg/mod") || t == "/go/pkg" || t == "/go" {
            m.0 = true;
        }
        if t == "/root/.cache/go-build"
            || t.ends_with("/go-build")
            || t == "/root/.cache"
            || t.ends_with("/.cache")
        {
            m.1 = true;
        }
    }
    m
}

/// The WORKDIR in effect just before `item` in `stage` (following in-file ancestors);
/// `None` when it is the base image's (unknown here).
pub fn workdir_at(tree: &SyntaxTree, model: &Model, stage: usize, item: usize) -> Option<String> {
    let mut chain = vec![stage];
    chain.extend(model.ancestors(stage));
    // Walk from the root ancestor down, applying WORKDIRs in order.
    let mut dir: Option<String> = None;
    for &s in chain.iter().rev() {
        for &k in &model.stages[s].items {
            if s == stage && k >= item {
                break;
            }
            let Some(crate::syntax::NodeKind::Instruction(ins)) =
                tree.items().get(k).map(|it| &it.node.kind)
            else {
                continue;
            };
            if ins.keyword != Keyword::Workdir {
                continue;
            }
            if let crate::syntax::Args::Text(w) = &ins.args {
                let p = w.text.trim_matches('"').to_string();
                dir = Some(join_path(dir.as_deref(), &p));
            }
        }
    }
    dir
}

/// The WORKDIR the root image of a stage's chain sets (golang: `/go`), when known.
fn image_workdir(model: &Model, stage: usize) -> Option<String> {
    let root = model.ancestors(stage).last().copied().unwrap_or(stage);
    let image = model.stages.get(root)?.base.image.as_ref()?;
    super::knowledge::image_facts(image)?
        .workdir
        .as_deref()
        .map(str::to_string)
}

/// Joins a path onto a directory (`None` = unknown base → relative paths stay unknown).
pub fn join_path(base: Option<&str>, p: &str) -> String {
    if p.starts_with('/') {
        return normalize(p);
    }
    match base {
        Some(b) => normalize(&format!("{}/{}", b.trim_end_matches('/'), p)),
        None => p.to_string(),
    }
}

/// Removes `.` and `..` components and duplicate slashes of an absolute path.
pub fn normalize(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    let mut s = String::from("/");
    s.push_str(&parts.join("/"));
    s
}

/// The value an environment variable has for a go command, by precedence: the
/// command's prefix, an earlier `export`, then ENV / ARG of the stage and its ancestors.
pub fn env_for(model: &Model, cmd: &GoCommand, name: &str) -> Option<EnvValue> {
    if let Some((_, v)) = cmd.prefix_env.iter().rev().find(|(k, _)| k == name) {
        return Some(v.clone());
    }
    if let Some((_, v)) = cmd.exported_env.iter().rev().find(|(k, _)| k == name) {
        return Some(v.clone());
    }
    let def = model
        .visible_defs(cmd.stage, cmd.item)
        .into_iter()
        .find(|d| d.name == name)?;
    let source = match (&def.kind, &def.value) {
        (VarKind::Env, _) => EnvSource::Env,
        (_, Some(_)) => EnvSource::ArgDefault,
        (_, None) => EnvSource::ArgNoDefault,
    };
    let value = match &def.value {
        Some(v) => v.trim_matches('"').trim_matches('\'').to_string(),
        None => {
            // `ARG NAME` redeclaring a global ARG takes its default.
            model.global_default(name).unwrap_or_default()
        }
    };
    Some(EnvValue {
        value,
        source,
        range: def.name_range.start
            ..def
                .value_range
                .clone()
                .map_or(def.name_range.end, |r| r.end),
    })
}

/// The file name `go build` gives its output when `-o` is absent or a directory.
/// `module` is the module path from go.mod, when known.
pub fn default_binary_name(cmd: &GoCommand, module: Option<&str>) -> Option<String> {
    let pkgs: Vec<&str> = cmd.packages.iter().map(|w| w.text.as_str()).collect();
    let last_elem = |path: &str| -> Option<String> {
        let path = path.split('@').next().unwrap_or(path);
        let mut parts: Vec<&str> = path
            .trim_end_matches('/')
            .split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .collect();
        // A major-version suffix (`/v2`) is skipped, as the go command does.
        if parts.len() > 1
            && parts.last().is_some_and(|l| {
                l.len() > 1 && l.starts_with('v') && l[1..].chars().all(|c| c.is_ascii_digit())
            })
        {
            parts.pop();
        }
        parts.last().map(|s| s.to_string())
    };
    match pkgs.as_slice() {
        // In module mode the name comes from the module path, which only go.mod knows.
        [] | ["."] => module.and_then(last_elem),
        [p] if p.ends_with(".go") => {
            Some(p.rsplit('/').next()?.trim_end_matches(".go").to_string())
        }
        [p] if p.contains("...") => None,
        [p] if p.starts_with("./") || p.starts_with("../") => last_elem(p),
        [p] => last_elem(p),
        files if files.iter().all(|f| f.ends_with(".go")) => Some(
            files[0]
                .rsplit('/')
                .next()?
                .trim_end_matches(".go")
                .to_string(),
        ),
        _ => None,
    }
}

/// Where a `go build` / `go install` puts its binary (absolute), when it can be known.
pub fn output_path(cmd: &GoCommand, module: Option<&str>) -> Option<String> {
    match cmd.verb {
        GoVerb::Build => {
            let name = default_binary_name(cmd, module);
            match cmd.flag("-o").and_then(|f| f.value.clone()) {
                Some(o) if o.contains('$') => None,
                Some(o) if o.ends_with('/') => {
                    let dir = join_path(cmd.workdir.as_deref(), &o);
                    Some(format!("{}/{}", dir.trim_end_matches('/'), name?))
                }
                Some(o) => {
                    let p = join_path(cmd.workdir.as_deref(), &o);
                    if !p.starts_with('/') {
                        return None;
                    }
                    // "If the named output is an existing directory … executables will be
                    // written to that directory" (go help build).
                    if is_existing_dir(&p, cmd.workdir.as_deref()) {
                        return Some(format!("{}/{}", p.trim_end_matches('/'), name?));
                    }
                    Some(p)
                }
                None => {
                    let dir = cmd.workdir.as_deref()?;
                    Some(format!("{}/{}", dir.trim_end_matches('/'), name?))
                }
            }
        }
        GoVerb::Install => Some(format!("/go/bin/{}", default_binary_name(cmd, module)?)),
        _ => None,
    }
}

/// The Go settings that decide where `go mod download` fetches modules from and how it
/// checks them.
pub const MODULE_FETCH_ENV: &[&str] = &[
    "GOPROXY",
    "GOPRIVATE",
    "GONOPROXY",
    "GONOSUMDB",
    "GONOSUMCHECK",
    "GOSUMDB",
    "GOINSECURE",
    "GOFLAGS",
    "GO111MODULE",
];

/// The module-fetching settings ([`MODULE_FETCH_ENV`]) that the stages in `chain` make
/// after the tree item `after`: by `go env -w`, by `ENV`, or on the command line of a go
/// command. A `go mod download` inserted at `after` would run without them (a Chinese
/// build's `GOPROXY=https://goproxy.cn` above all); these are the `NAME=value` pairs to
/// give it, in order, each name once (the first setting wins, as it is the one in effect
/// when the build first fetches).
pub fn module_fetch_env_after(
    model: &Model,
    go: &[GoCommand],
    chain: &[usize],
    after: usize,
) -> Vec<(String, String)> {
    let mut found: Vec<(usize, String, String)> = Vec::new();
    let wanted = |n: &str| MODULE_FETCH_ENV.contains(&n);
    for &st in chain {
        for d in &model.stages[st].defs {
            if d.item > after && d.kind == VarKind::Env && wanted(&d.name) {
                if let Some(v) = &d.value {
                    let v = v.trim_matches('"').trim_matches('\'');
                    found.push((d.item, d.name.clone(), v.to_string()));
                }
            }
        }
    }
    for g in go
        .iter()
        .filter(|g| chain.contains(&g.stage) && g.item > after)
    {
        if g.verb == GoVerb::Other("env".into()) && g.flag("-w").is_some() {
            for w in &g.packages {
                if let Some((n, v)) = w.text.split_once('=') {
                    if wanted(n) {
                        found.push((g.item, n.to_string(), v.to_string()));
                    }
                }
            }
        }
        for (n, v) in g.prefix_env.iter().chain(&g.exported_env) {
            if wanted(n) {
                found.push((g.item, n.clone(), v.value.clone()));
            }
        }
    }
    found.sort_by_key(|(item, _, _)| *item);
    let mut out: Vec<(String, String)> = Vec::new();
    for (_, n, v) in found {
        if !out.iter().any(|(m, _)| *m == n) && !v.contains('$') {
            out.push((n, v));
        }
    }
    out
}

/// `NAME=value ` prefixes for a shell command, the value quoted where the shell needs it.
pub fn env_prefix(env: &[(String, String)]) -> String {
    env.iter()
        .map(|(n, v)| {
            let plain = !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.,:/=@+-%".contains(c));
            if plain {
                format!("{n}={v} ")
            } else {
                format!("{n}='{}' ", v.replace('\'', "'\\''"))
            }
        })
        .collect()
}

/// Directories certain to exist when a `go build` runs: its working directory and the
/// directories above it (WORKDIR and `cd` need them), and the ones every Go builder image
/// has (`/usr/local/bin`, GOPATH's `/go/bin`…).
fn is_existing_dir(path: &str, workdir: Option<&str>) -> bool {
    const ALWAYS: &[&str] = &[
        "/",
        "/bin",
        "/sbin",
        "/usr/bin",
        "/usr/local/bin",
        "/go",
        "/go/bin",
        "/tmp",
        "/root",
    ];
    let path = path.trim_end_matches('/');
    let path = if path.is_empty() { "/" } else { path };
    if ALWAYS.contains(&path) {
        return true;
    }
    workdir.is_some_and(|wd| {
        let wd = wd.trim_end_matches('/');
        wd == path || wd.starts_with(&format!("{path}/"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantic::analyze;
    use crate::syntax::parse;

    #[test]
    fn output_into_an_existing_directory() {
        let (_, c) = cmds("FROM golang:1.22\nWORKDIR /app/src\nRUN go build -o /app ./cmd/api && go build -o /usr/local/bin ./cmd/worker && go build -o /app/src/tool . && go build -o /app/api-bin ./cmd/api\n");
        // The working directory's parent, a standard directory: the binary goes inside.
        assert_eq!(output_path(&c[0], None).as_deref(), Some("/app/api"));
        assert_eq!(
            output_path(&c[1], None).as_deref(),
            Some("/usr/local/bin/worker")
        );
        // A file name, or a path not known to be a directory: the binary is that file.
        assert_eq!(output_path(&c[2], None).as_deref(), Some("/app/src/tool"));
        assert_eq!(output_path(&c[3], None).as_deref(), Some("/app/api-bin"));
        // The working directory itself, with the name from go.mod.
        let (_, c) = cmds("FROM golang:1.22\nWORKDIR /app\nRUN go build -o /app .\n");
        assert_eq!(
            output_path(&c[0], Some("example.com/myapp")).as_deref(),
            Some("/app/myapp")
        );
        assert_eq!(output_path(&c[0], None), None);
    }

    #[test]
    fn cd_changes_the_directory_of_later_commands() {
        let (_, c) = cmds("FROM golang:1.22\nWORKDIR /src\nRUN cd cmd/api && go build -o api . && cd /tmp && go build -o x ./y\n");
        assert_eq!(c[0].workdir.as_deref(), Some("/src/cmd/api"));
        assert_eq!(
            output_path(&c[0], None).as_deref(),
            Some("/src/cmd/api/api")
        );
        assert_eq!(c[1].workdir.as_deref(), Some("/tmp"));
    }

    fn cmds(text: &str) -> (Model, Vec<GoCommand>) {
        let tree = parse(text);
        let m = analyze(text, &tree);
        let c = go_commands(text, &tree, &m);
        (m, c)
    }

    #[test]
    fn finds_go_builds_with_flags_and_env() {
        let text = "FROM golang:1.22 AS b\nWORKDIR /src\nENV GOOS=linux\nARG CGO_ENABLED=0\nRUN apk add git && CGO_ENABLED=1 go build -trimpath -ldflags='-s -w -X main.v=1' -o /out/app ./cmd/api\n";
        let (m, c) = cmds(text);
        assert_eq!(c.len(), 1);
        let g = &c[0];
        assert_eq!(g.verb, GoVerb::Build);
        assert!(g.has_flag("-trimpath"));
        assert_eq!(g.ldflags_words(), vec!["-s", "-w", "-X", "main.v=1"]);
        assert_eq!(g.flag("-o").unwrap().value.as_deref(), Some("/out/app"));
        assert_eq!(g.packages[0].text, "./cmd/api");
        assert_eq!(
            env_for(&m, g, "CGO_ENABLED").unwrap().source,
            EnvSource::Prefix
        );
        assert_eq!(env_for(&m, g, "GOOS").unwrap().value, "linux");
        assert_eq!(g.workdir.as_deref(), Some("/src"));
        assert_eq!(output_path(g, None).as_deref(), Some("/out/app"));
    }

    #[test]
    fn output_names() {
        let text = "FROM golang:1.22\nWORKDIR /app\nRUN go build -o main .\nRUN go build ./cmd/api\nRUN go build\nRUN go install github.com/x/tool/v2@v2.1.0\nRUN go build main.go\nRUN go build -o bin/ ./cmd/worker\n";
        let (_, c) = cmds(text);
        let outs: Vec<Option<String>> = c
            .iter()
            .map(|g| output_path(g, Some("github.com/acme/shop")))
            .collect();
        assert_eq!(
            outs,
            vec![
                Some("/app/main".into()),
                Some("/app/api".into()),
                Some("/app/shop".into()),
                Some("/go/bin/tool".into()),
                Some("/app/main".into()),
                Some("/app/bin/worker".into()),
            ]
        );
    }

    #[test]
    fn heredoc_exports_and_exec_form() {
        let text = "FROM golang:1.22\nRUN <<EOT\nexport CGO_ENABLED=0\ngo build -o /x .\nEOT\nRUN [\"go\", \"mod\", \"download\"]\nRUN sh -c 'go vet ./...'\n";
        let (m, c) = cmds(text);
        assert_eq!(c.len(), 3);
        assert_eq!(
            env_for(&m, &c[0], "CGO_ENABLED").unwrap().source,
            EnvSource::Export
        );
        assert_eq!(c[1].verb, GoVerb::ModDownload);
        assert_eq!(c[2].verb, GoVerb::Vet);
    }

    #[test]
    fn split_quoted_like_go() {
        assert_eq!(
            split_quoted(r#"-w -s -extldflags "-static""#),
            vec!["-w", "-s", "-extldflags", "-static"]
        );
        assert_eq!(split_quoted("'-X a=b c'"), vec!["-X a=b c"]);
    }
}
