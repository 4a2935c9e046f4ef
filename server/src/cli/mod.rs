//! The command line: `dockwise check`, and (later) the language server on stdio.
//! This layer, with `lsp`, is the only one that touches the file system and stdout.

pub mod fs_context;
mod output;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::i18n::Lang;
use crate::rules::{self, Config, Severity};
use crate::syntax;

#[derive(Parser, Debug)]
#[command(
    name = "dockwise",
    version,
    about = "Checks Dockerfiles the way a Go and container engineer would (English / 中文).",
    long_about = None
)]
struct Cli {
    /// Run the language server on stdin/stdout (also what `dockwise` alone does).
    #[arg(long)]
    stdio: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check Dockerfiles and report problems.
    Check(CheckArgs),
    /// Apply the fixes of the findings (safe ones only unless --unsafe).
    Fix(FixArgs),
    /// Format Dockerfiles: upper-case keywords, continuation indentation, no trailing
    /// whitespace. Never changes what the file builds.
    Fmt(FmtArgs),
    /// Explain a rule: what it flags, why, an example and its fix.
    Explain(ExplainArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Rewrite a Go Dockerfile: to-multi-stage (builder + alpine runtime), to-scratch or
    /// to-distroless. Prints the result (or writes it with --write); exits 3 when the
    /// refactor does not apply, saying why.
    Refactor(RefactorArgs),
}

#[derive(clap::Args, Debug)]
struct RefactorArgs {
    /// to-multi-stage, to-scratch or to-distroless.
    refactor: String,
    /// The Dockerfile (`-` reads standard input; a folder means its Dockerfile).
    file: PathBuf,
    /// Write the result back to the file instead of printing it.
    #[arg(long)]
    write: bool,
    /// The build context (default: the Dockerfile's folder).
    #[arg(long)]
    context: Option<PathBuf>,
    /// Language of the messages and of the comments the rewrite adds: en or zh.
    #[arg(long)]
    lang: Option<String>,
}

#[derive(clap::Args, Debug)]
struct ExplainArgs {
    /// A rule code (GO101) or a peer name (DL3006, JSONArgsRecommended).
    code: String,
    /// Language: en or zh (default: from the environment).
    #[arg(long)]
    lang: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(clap::Args, Debug)]
struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
    /// Language: en or zh (default: from the environment).
    #[arg(long)]
    lang: Option<String>,
}

#[derive(clap::Args, Debug)]
struct FmtArgs {
    /// Files or directories; `-` reads standard input and prints the result.
    paths: Vec<PathBuf>,
    /// Only report the files that are not formatted (exit 1 if any).
    #[arg(long)]
    check: bool,
    /// Language of the messages: en or zh.
    #[arg(long)]
    lang: Option<String>,
}

#[derive(clap::Args, Debug)]
struct FixArgs {
    /// Files or directories; `-` reads standard input and prints the result.
    paths: Vec<PathBuf>,
    /// Also apply fixes that may change behaviour.
    #[arg(long = "unsafe")]
    unsafe_fixes: bool,
    /// Show what would change without writing files (exit 1 if anything would).
    #[arg(long)]
    check: bool,
    /// Language of the messages: en or zh.
    #[arg(long)]
    lang: Option<String>,
    /// Rule codes or peer names whose fixes are not applied.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// The build context (default: each Dockerfile's own folder).
    #[arg(long)]
    context: Option<PathBuf>,
    /// A configuration file (default: dockwise.toml found upward from the Dockerfile).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Do not read any configuration file.
    #[arg(long)]
    no_config: bool,
}

/// The build context of one input and the Dockerfile's path inside it.
fn context_for(
    explicit: Option<&Path>,
    file: Option<&Path>,
) -> (Box<dyn crate::context::BuildContext>, String) {
    use fs_context::FsContext;
    match (explicit, file) {
        (Some(root), Some(f)) => {
            // The Dockerfile's path relative to the given context, when it is inside.
            let rel = std::fs::canonicalize(f)
                .ok()
                .zip(std::fs::canonicalize(root).ok())
                .and_then(|(f, r)| {
                    f.strip_prefix(&r)
                        .ok()
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                })
                .unwrap_or_else(|| {
                    f.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                });
            (Box::new(FsContext::new(root)), rel)
        }
        (Some(root), None) => (Box::new(FsContext::new(root)), "Dockerfile".to_string()),
        (None, Some(f)) => {
            let (ctx, name) = FsContext::for_dockerfile(f);
            (Box::new(ctx), name)
        }
        (None, None) => (
            Box::new(crate::context::NoContext),
            "Dockerfile".to_string(),
        ),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable output with the source line and a caret under the problem.
    Human,
    /// One JSON document (schema: docs/json-output.schema.json).
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailLevel {
    Error,
    Warning,
    Info,
    Hint,
    /// Never exit 1 because of findings.
    None,
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// Files or directories (searched for Dockerfile, *.Dockerfile, Dockerfile.*,
    /// Containerfile); `-` reads standard input. Defaults to the current directory.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Language of the messages: en or zh (default: from LANG / LC_ALL).
    #[arg(long)]
    lang: Option<String>,
    /// Exit with 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, default_value_t = FailLevel::Warning)]
    fail_level: FailLevel,
    /// Rule codes or peer names to ignore (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// The stage that is built (`docker build --target`); the last stage by default.
    #[arg(long)]
    target: Option<String>,
    /// The name shown for standard input.
    #[arg(long, default_value = "<stdin>")]
    stdin_filename: String,
    /// The build context (`docker build DIR`): where go.mod and .dockerignore are
    /// looked up. Default: each Dockerfile's own folder; none for standard input.
    #[arg(long)]
    context: Option<PathBuf>,
    /// A configuration file (default: dockwise.toml or .dockwise.toml found upward
    /// from each Dockerfile, or from the current directory for standard input).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Do not read any configuration file.
    #[arg(long)]
    no_config: bool,
    /// Never use colours.
    #[arg(long)]
    no_color: bool,
}

/// The language from the environment: DOCKWISE_LANG, then the locale variables.
pub fn lang_from_env() -> Lang {
    if let Some(l) = std::env::var("DOCKWISE_LANG")
        .ok()
        .and_then(|v| Lang::parse(&v))
    {
        return l;
    }
    for var in ["LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if !v.is_empty() {
                return Lang::from_locale(&v);
            }
        }
    }
    Lang::En
}

/// A checked file and its findings.
pub struct FileReport {
    pub path: String,
    pub text: String,
    pub diagnostics: Vec<rules::Diagnostic>,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Some(Command::Check(args)) => run_check(args),
        Some(Command::Fix(args)) => run_fix(args),
        Some(Command::Fmt(args)) => run_fmt(args),
        Some(Command::Explain(args)) => run_explain(args),
        Some(Command::Refactor(args)) => run_refactor(args),
        Some(Command::Rules(args)) => run_rules(args),
        // No command (or `--stdio`): the language server on stdin/stdout.
        None => crate::lsp::run_stdio(),
    }
}

fn is_dockerfile_name(name: &str) -> bool {
    // `Dockerfile.dockerignore` is the Dockerfile's ignore file, not a Dockerfile.
    if name.ends_with(".dockerignore") {
        return false;
    }
    name == "Dockerfile"
        || name == "Containerfile"
        || name.ends_with(".Dockerfile")
        || name.ends_with(".dockerfile")
        || name.starts_with("Dockerfile.")
        || name.ends_with(".Containerfile")
        || name.starts_with("Containerfile.")
}

/// Finds Dockerfiles under a directory (skipping hidden folders, node_modules, target).
fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<(String, String)>) {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push((dir.display().to_string(), e.to_string()));
            return;
        }
    };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            if name.starts_with('.') || name == "node_modules" || name == "target" {
                continue;
            }
            walk(&p, out, errors);
        } else if is_dockerfile_name(&name) && p.is_file() {
            out.push(p);
        }
    }
}

fn parse_lang(arg: &Option<String>) -> Result<Lang, ExitCode> {
    match arg {
        Some(l) => Lang::parse(l).ok_or_else(|| {
            eprintln!("dockwise: unknown language `{l}`: use `en` or `zh`");
            ExitCode::from(2)
        }),
        None => Ok(lang_from_env()),
    }
}

fn parse_ignore(list: &[String], lang: Lang) -> Result<Vec<String>, ExitCode> {
    let ignore: Vec<String> = list
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    for name in &ignore {
        if rules::rule_for_name(name).is_none() {
            eprintln!(
                "{}",
                match lang {
                    Lang::En => format!("dockwise: --ignore: unknown rule `{name}`"),
                    Lang::Zh => format!("dockwise：--ignore：未知的规则 `{name}`"),
                }
            );
            return Err(ExitCode::from(2));
        }
    }
    Ok(ignore)
}

/// An input named on the command line: display name, path (None for stdin), bytes.
type Input = (String, Option<PathBuf>, Result<Vec<u8>, String>);

/// Reads the inputs named on the command line.
fn collect_inputs(
    paths: &[PathBuf],
    stdin_name: &str,
    lang: Lang,
    errors: &mut Vec<(String, String)>,
) -> Vec<Input> {
    let mut inputs = Vec::new();
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    for p in &paths {
        if p.as_os_str() == "-" {
            let mut buf = Vec::new();
            let r = std::io::stdin()
                .read_to_end(&mut buf)
                .map(|_| buf)
                .map_err(|e| e.to_string());
            inputs.push((stdin_name.to_string(), None, r));
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                walk(p, &mut found, errors);
                if found.is_empty() {
                    let msg = match lang {
                        Lang::En => "no Dockerfile found in this directory".to_string(),
                        Lang::Zh => "该目录中没有找到 Dockerfile".to_string(),
                    };
                    errors.push((p.display().to_string(), msg));
                }
                for f in found {
                    let r = std::fs::read(&f).map_err(|e| e.to_string());
                    inputs.push((f.display().to_string(), Some(f), r));
                }
            }
            Ok(_) => {
                let r = std::fs::read(p).map_err(|e| e.to_string());
                inputs.push((p.display().to_string(), Some(p.clone()), r));
            }
            Err(e) => errors.push((p.display().to_string(), e.to_string())),
        }
    }
    inputs
}

fn run_check(args: CheckArgs) -> ExitCode {
    let mut lang = match parse_lang(&args.lang) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let ignore = match parse_ignore(&args.ignore, lang) {
        Ok(i) => i,
        Err(c) => return c,
    };
    // The language may come from the configuration nearest the first input.
    let first = args
        .paths
        .first()
        .filter(|p| p.as_os_str() != "-")
        .map(PathBuf::as_path);
    match find_config(args.config.as_deref(), args.no_config, first, lang) {
        Ok(Some(f)) if args.lang.is_none() && std::env::var_os("DOCKWISE_LANG").is_none() => {
            if let Some(l) = f.language {
                lang = l;
            }
        }
        Ok(_) => {}
        Err(e) => {
            eprintln!("dockwise: {e}");
            return ExitCode::from(2);
        }
    }
    let mut errors: Vec<(String, String)> = Vec::new();
    let inputs = collect_inputs(&args.paths, &args.stdin_filename, lang, &mut errors);
    let mut reports = Vec::new();
    if let Some(c) = &args.context {
        if !c.is_dir() {
            eprintln!("dockwise: --context {}: not a directory", c.display());
            return ExitCode::from(2);
        }
    }
    for (path, file, r) in inputs {
        match r {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let tree = syntax::parse(&text);
                let (ctx, name) = context_for(args.context.as_deref(), file.as_deref());
                let fc = match find_config(
                    args.config.as_deref(),
                    args.no_config,
                    file.as_deref(),
                    lang,
                ) {
                    Ok(f) => f,
                    Err(e) => {
                        errors.push((path, e));
                        continue;
                    }
                };
                let config = merged_config(fc, &ignore, args.target.as_ref());
                let diagnostics =
                    rules::check_in(&text, &tree, &config, ctx.as_ref(), &name).diagnostics;
                reports.push(FileReport {
                    path,
                    text,
                    diagnostics,
                });
            }
            Err(e) => errors.push((path, e)),
        }
    }

    let color = matches!(args.format, Format::Human)
        && !args.no_color
        && std::env::var_os("NO_COLOR").is_none()
        && std::io::stdout().is_terminal();
    let rendered = match args.format {
        Format::Human => output::human(&reports, lang, color),
        Format::Json => output::json(&reports, &errors, lang),
        Format::Sarif => output::sarif(&reports, lang),
        Format::Github => output::github(&reports, lang),
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(rendered.as_bytes());
    let _ = out.flush();
    for (p, e) in &errors {
        eprintln!("dockwise: {p}: {e}");
    }

    if !errors.is_empty() {
        return ExitCode::from(2);
    }
    let threshold = match args.fail_level {
        FailLevel::Error => Some(Severity::Error),
        FailLevel::Warning => Some(Severity::Warning),
        FailLevel::Info => Some(Severity::Info),
        FailLevel::Hint => Some(Severity::Hint),
        FailLevel::None => None,
    };
    let failed = threshold.is_some_and(|t| {
        reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .any(|d| d.severity >= t)
    });
    ExitCode::from(u8::from(failed))
}

fn run_fix(args: FixArgs) -> ExitCode {
    let lang = match parse_lang(&args.lang) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let ignore = match parse_ignore(&args.ignore, lang) {
        Ok(i) => i,
        Err(c) => return c,
    };
    let mut errors = Vec::new();
    let inputs = collect_inputs(&args.paths, "<stdin>", lang, &mut errors);
    let mut changed_files = 0;
    for (name, path, r) in inputs {
        let bytes = match r {
            Ok(b) => b,
            Err(e) => {
                errors.push((name, e));
                continue;
            }
        };
        let text = match text_to_rewrite(bytes, lang) {
            Ok(t) => t,
            Err(e) => {
                errors.push((name, e));
                continue;
            }
        };
        let (ctx, ctx_name) = context_for(args.context.as_deref(), path.as_deref());
        let config = match find_config(
            args.config.as_deref(),
            args.no_config,
            path.as_deref(),
            lang,
        ) {
            Ok(fc) => merged_config(fc, &ignore, None),
            Err(e) => {
                errors.push((name, e));
                continue;
            }
        };
        let result = rules::fix::fix_in(&text, &config, args.unsafe_fixes, ctx.as_ref(), &ctx_name);
        let (fixed, n) = (result.text, result.applied);
        // Changes to other files of the context (.dockerignore), on disk only.
        if !args.check {
            let root = args
                .context
                .clone()
                .or_else(|| {
                    path.as_ref()
                        .and_then(|p| p.parent().map(Path::to_path_buf))
                })
                .filter(|_| path.is_some() || args.context.is_some());
            if let Some(root) = root {
                let root = if root.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    root
                };
                for change in &result.files {
                    if let Err(e) = apply_file_change(&root, change) {
                        errors.push((
                            root.join(change.path()).display().to_string(),
                            e.to_string(),
                        ));
                    } else {
                        let msg = match lang {
                            Lang::En => format!("{}: written", root.join(change.path()).display()),
                            Lang::Zh => format!("{}：已写入", root.join(change.path()).display()),
                        };
                        eprintln!("{msg}");
                    }
                }
            }
        }
        match path {
            None => emit(&fixed),
            Some(p) if fixed != text => {
                changed_files += 1;
                let msg = match lang {
                    Lang::En => format!("{name}: {n} fix(es) applied"),
                    Lang::Zh => format!("{name}：已应用 {n} 处修复"),
                };
                if args.check {
                    let msg = match lang {
                        Lang::En => format!("{name}: {n} fix(es) would be applied"),
                        Lang::Zh => format!("{name}：可应用 {n} 处修复"),
                    };
                    eprintln!("{msg}");
                } else if let Err(e) = std::fs::write(&p, fixed.as_bytes()) {
                    errors.push((name, e.to_string()));
                } else {
                    eprintln!("{msg}");
                }
            }
            Some(_) => {}
        }
    }
    for (p, e) in &errors {
        eprintln!("dockwise: {p}: {e}");
    }
    if !errors.is_empty() {
        ExitCode::from(2)
    } else if args.check && changed_files > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The text of a file that is about to be rewritten. Invalid UTF-8 is refused, since
/// rewriting would replace the invalid bytes: never lose data.
fn text_to_rewrite(bytes: Vec<u8>, lang: Lang) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|_| {
        match lang {
            Lang::En => "not valid UTF-8; left unchanged",
            Lang::Zh => "不是有效的 UTF-8，未做修改",
        }
        .to_string()
    })
}

fn run_fmt(args: FmtArgs) -> ExitCode {
    let lang = match parse_lang(&args.lang) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let mut errors = Vec::new();
    let inputs = collect_inputs(&args.paths, "<stdin>", lang, &mut errors);
    let mut unformatted = 0;
    for (name, path, r) in inputs {
        let bytes = match r {
            Ok(b) => b,
            Err(e) => {
                errors.push((name, e));
                continue;
            }
        };
        let text = match text_to_rewrite(bytes, lang) {
            Ok(t) => t,
            Err(e) => {
                errors.push((name, e));
                continue;
            }
        };
        let tree = syntax::parse(&text);
        let out = match crate::ide::format::formatted(&text, &tree) {
            Ok(o) => o,
            Err(_) => {
                let msg = match lang {
                    Lang::En => "left unchanged: formatting would have changed what it builds (please report this file)",
                    Lang::Zh => "未做修改：格式化会改变构建结果（请把这个文件报告给我们）",
                };
                errors.push((name, msg.to_string()));
                continue;
            }
        };
        match path {
            None if !args.check => emit(&out),
            _ if out == text => {}
            None => unformatted += 1,
            Some(p) => {
                unformatted += 1;
                if args.check {
                    let msg = match lang {
                        Lang::En => format!("{name}: not formatted"),
                        Lang::Zh => format!("{name}：格式不规范"),
                    };
                    eprintln!("{msg}");
                } else if let Err(e) = std::fs::write(&p, out.as_bytes()) {
                    errors.push((name, e.to_string()));
                } else {
                    let msg = match lang {
                        Lang::En => format!("{name}: formatted"),
                        Lang::Zh => format!("{name}：已格式化"),
                    };
                    eprintln!("{msg}");
                }
            }
        }
    }
    for (p, e) in &errors {
        eprintln!("dockwise: {p}: {e}");
    }
    if !errors.is_empty() {
        ExitCode::from(2)
    } else if args.check && unformatted > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes one fix's change to another file of the context, never overwriting a file
/// that a `Create` expects to be absent.
fn apply_file_change(root: &Path, change: &rules::FileChange) -> std::io::Result<()> {
    use std::io::Write as _;
    match change {
        rules::FileChange::Create { path, text } => {
            let p = root.join(path);
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(p)?;
            f.write_all(text.as_bytes())
        }
        rules::FileChange::Append { path, text } => {
            let p = root.join(path);
            let existing = std::fs::read(&p)?;
            let mut f = std::fs::OpenOptions::new().append(true).open(p)?;
            if !existing.is_empty() && !existing.ends_with(b"\n") {
                f.write_all(b"\n")?;
            }
            f.write_all(text.as_bytes())
        }
    }
}

fn run_refactor(args: RefactorArgs) -> ExitCode {
    use crate::refactor::{refactor, Outcome, Target};
    let lang = match parse_lang(&args.lang) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let Some(target) = Target::parse(args.refactor.trim()) else {
        let names: Vec<&str> = Target::ALL.iter().map(|t| t.name()).collect();
        eprintln!(
            "{}",
            match lang {
                Lang::En => format!(
                    "dockwise: no refactor `{}`; choose one of {}",
                    args.refactor,
                    names.join(", ")
                ),
                Lang::Zh => format!(
                    "dockwise：没有名为 `{}` 的重构；可选：{}",
                    args.refactor,
                    names.join("、")
                ),
            }
        );
        return ExitCode::from(2);
    };
    let mut args = args;
    let stdin = args.file.as_os_str() == "-";
    // A folder stands for the Dockerfile in it, as for `docker build DIR`.
    if !stdin && args.file.is_dir() {
        match ["Dockerfile", "Containerfile", "dockerfile"]
            .iter()
            .map(|n| args.file.join(n))
            .find(|p| p.is_file())
        {
            Some(p) => args.file = p,
            None => {
                let dir = args.file.display();
                eprintln!(
                    "{}",
                    match lang {
                        Lang::En => format!(
                            "dockwise: {dir}: no Dockerfile or Containerfile in this folder"
                        ),
                        Lang::Zh =>
                            format!("dockwise：{dir}：这个目录里没有 Dockerfile 或 Containerfile"),
                    }
                );
                return ExitCode::from(2);
            }
        }
    }
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        args.file.display().to_string()
    };
    if stdin && args.write {
        eprintln!(
            "{}",
            match lang {
                Lang::En => "dockwise: --write needs a file, not standard input",
                Lang::Zh => "dockwise：--write 需要指定文件，不能用于标准输入",
            }
        );
        return ExitCode::from(2);
    }
    let bytes = if stdin {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b).map(|_| b)
    } else {
        std::fs::read(&args.file)
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            eprintln!("dockwise: {name}: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match text_to_rewrite(bytes, lang) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("dockwise: {name}: {e}");
            return ExitCode::from(2);
        }
    };
    let file = (!stdin).then_some(args.file.as_path());
    let (ctx, ctx_name) = context_for(args.context.as_deref(), file);
    match refactor(&text, ctx.as_ref(), &ctx_name, target, lang) {
        Outcome::Rewritten(new) => {
            if args.write {
                if let Err(e) = std::fs::write(&args.file, new.as_bytes()) {
                    eprintln!("dockwise: {name}: {e}");
                    return ExitCode::from(2);
                }
                eprintln!(
                    "{}",
                    match lang {
                        Lang::En => format!("{name}: rewritten ({})", target.name()),
                        Lang::Zh => format!("{name}：已改写（{}）", target.name()),
                    }
                );
            } else {
                emit(&new);
            }
            ExitCode::SUCCESS
        }
        Outcome::Unchanged(why) => {
            if !args.write {
                emit(&text);
            }
            eprintln!(
                "{}",
                match lang {
                    Lang::En => format!("{name}: nothing to do: {}", why.get(lang)),
                    Lang::Zh => format!("{name}：无需改动：{}", why.get(lang)),
                }
            );
            ExitCode::SUCCESS
        }
        Outcome::Declined(why) => {
            eprintln!(
                "{}",
                match lang {
                    Lang::En => format!(
                        "dockwise: {name}: {} declined: {}",
                        target.name(),
                        why.get(lang)
                    ),
                    Lang::Zh => format!(
                        "dockwise：{name}：未执行 {}：{}",
                        target.name(),
                        why.get(lang)
                    ),
                }
            );
            ExitCode::from(3)
        }
    }
}

fn run_explain(args: ExplainArgs) -> ExitCode {
    let lang = match parse_lang(&args.lang) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let Some(rule) = rules::rule_for_name(args.code.trim()) else {
        eprintln!(
            "{}",
            match lang {
                Lang::En => format!(
                    "dockwise: no rule `{}`; `dockwise rules` lists them",
                    args.code
                ),
                Lang::Zh => format!(
                    "dockwise：没有名为 `{}` 的规则；运行 `dockwise rules` 可列出全部规则",
                    args.code
                ),
            }
        );
        return ExitCode::from(2);
    };
    emit(&rules::docs::page(rule, lang));
    ExitCode::SUCCESS
}

fn run_rules(args: RulesArgs) -> ExitCode {
    let lang = match parse_lang(&args.lang) {
        Ok(l) => l,
        Err(c) => return c,
    };
    match args.format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules::REGISTRY
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code,
                        "name": r.name,
                        "severity": r.severity.as_str(),
                        "fix": match r.fix {
                            rules::FixKind::Safe => "safe",
                            rules::FixKind::Unsafe => "unsafe",
                            rules::FixKind::None => "none",
                        },
                        "peers": r.peers,
                        "summary": r.doc(lang).summary,
                        "url": r.url(),
                    })
                })
                .collect();
            emit(&format!(
                "{}\n",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            ));
        }
        ListFormat::Human => {
            let mut out = String::new();
            for r in rules::REGISTRY {
                out.push_str(&format!(
                    "{:<7} {:<8} {:<36} {}\n",
                    r.code,
                    crate::i18n::ui::severity(lang, r.severity),
                    r.name,
                    r.doc(lang).summary
                ));
            }
            emit(&out);
        }
    }
    ExitCode::SUCCESS
}

/// Writes to standard output; a closed pipe (`dockwise rules | head`) is not an error.
fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Finds and parses the configuration for a file (or the current directory).
pub(crate) fn find_config(
    explicit: Option<&Path>,
    disabled: bool,
    near: Option<&Path>,
    lang: Lang,
) -> Result<Option<rules::config::FileConfig>, String> {
    if disabled {
        return Ok(None);
    }
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => {
            // A directory argument is its own starting point; a file starts at its folder.
            let start = near
                .and_then(|p| if p.is_dir() { Some(p) } else { p.parent() })
                .map(|p| {
                    if p.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        p.to_path_buf()
                    }
                })
                .unwrap_or_else(|| PathBuf::from("."));
            let start = std::fs::canonicalize(&start).unwrap_or(start);
            start.ancestors().find_map(|dir| {
                rules::config::FILE_NAMES
                    .iter()
                    .map(|n| dir.join(n))
                    .find(|p| p.is_file())
            })
        }
    };
    let Some(path) = path else { return Ok(None) };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    rules::config::parse(&text)
        .map(Some)
        .map_err(|e| format!("{}: {}", path.display(), e.get(lang)))
}

/// The configuration for one input: the file's, then the command line on top.
fn merged_config(
    file: Option<rules::config::FileConfig>,
    ignore: &[String],
    target: Option<&String>,
) -> Config {
    let mut c = file.map(|f| f.config).unwrap_or_default();
    c.ignore.extend(ignore.iter().cloned());
    if let Some(t) = target {
        c.target = Some(t.clone());
    }
    c
}
