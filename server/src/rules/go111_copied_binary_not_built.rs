//! GO111: `COPY --from=<stage>` names a file the stage's go build cannot have produced.

use super::prelude::*;
use crate::context::{find_dockerignore, DockerIgnore};
use crate::semantic::go::{join_path, output_path, workdir_at, GoVerb};

pub static RULE: Rule = Rule {
    code: "GO111",
    name: "copied-binary-not-built",
    severity: Severity::Error,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "`COPY --from` takes a binary from a path the build never wrote",
        what: "Compares the source of `COPY --from=<stage>` with where that stage's `go build` puts its output (the `-o` path, relative to `WORKDIR`, or the name Go gives it: the package's last path element, `main` for `main.go`). It only speaks when everything the stage runs is understood (go commands, package installs, `mkdir`…), so a `make` or a script that moves files keeps it quiet.",
        why: "BuildKit fails with \"failed to compute cache key: \"/app\" not found\" only after the whole build stage has run. The usual causes are a changed `-o`, a different `WORKDIR`, or relying on the default output name.",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY *.go ./\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o server .\nFROM scratch\nCOPY --from=build /src/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY *.go ./\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o server .\nFROM scratch\nCOPY --from=build /src/server /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "Replaces the source with the path the build writes, when there is exactly one (safe: the old path does not exist, so the build could not succeed).",
    },
    zh: RuleDoc {
        summary: "`COPY --from` 复制的路径上并没有构建产出的二进制文件",
        what: "把 `COPY --from=<阶段>` 的源路径与该阶段 `go build` 的输出位置进行比较（`-o` 指定的路径，相对路径以 `WORKDIR` 为起点；或 Go 默认的文件名：包路径的最后一段，`main.go` 则为 `main`）。只有当 dockwise 能理解该阶段执行的所有命令（go 命令、安装软件包、`mkdir` 等）时才会报告；遇到 `make` 或会移动文件的脚本时则不报告。",
        why: "BuildKit 要等整个构建阶段跑完，才会报出“failed to compute cache key: \"/app\" not found”。常见原因是改了 `-o`、换了 `WORKDIR`，或者依赖了默认的输出文件名。",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY *.go ./\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o server .\nFROM scratch\nCOPY --from=build /src/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY *.go ./\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o server .\nFROM scratch\nCOPY --from=build /src/server /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "当构建只有一个输出路径时，把源路径替换为它（安全：原路径根本不存在，构建不可能成功）。",
    },
    check,
};

/// Commands whose effect on the file system we understand well enough.
const KNOWN: &[&str] = &[
    "go",
    "apk",
    "apt-get",
    "apt",
    "mkdir",
    "echo",
    "cd",
    "true",
    "set",
    "export",
    "adduser",
    "useradd",
    "addgroup",
    "groupadd",
    "git",
    "update-ca-certificates",
    "rm",
    "ls",
    "test",
    "[",
    "xx-go",
    "xx-verify",
    "upx",
];

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let mut cache: std::collections::HashMap<usize, Option<StageInfo>> = Default::default();
    // The Dockerfile's folder is only a guess at the context (`docker build -f
    // deploy/Dockerfile .` is common); it is trusted when it holds the go.mod (or go.work)
    // the stage's `go build` needs.
    let context_trusted =
        cx.context.known() && (cx.project.go_mod.is_some() || cx.project.go_work.is_some());
    // The ignore file, read and parsed once, when a path is first looked up.
    let ignore: std::cell::OnceCell<Option<DockerIgnore>> = std::cell::OnceCell::new();
    for r in &cx.model.refs {
        if r.kind != RefKind::CopyFrom {
            continue;
        }
        let RefTarget::Stage(s) = r.target else {
            continue;
        };
        let info = cache.entry(s).or_insert_with(|| stage_info(cx, s));
        let Some(StageInfo {
            outputs,
            dests,
            whole,
            globs,
        }) = info.as_ref()
        else {
            continue;
        };
        let Some(copy) = cx.tree.instr_at(r.item) else {
            continue;
        };
        let words = copy.ins.args.words();
        if words.len() < 2 {
            continue;
        }
        for src in &words[..words.len() - 1] {
            let p = src.text.trim_end_matches('/');
            if p.is_empty() || p.contains(['*', '?', '[', '$']) || !p.starts_with('/') {
                continue;
            }
            // System paths come from the base image; anything under a COPY destination
            // may come from the build context.
            if [
                "/etc", "/usr", "/lib", "/bin", "/sbin", "/var", "/opt", "/root", "/tmp",
                "/go/bin", "/go/pkg",
            ]
            .iter()
            .any(|sys| p == *sys || p.starts_with(&format!("{sys}/")))
                && !outputs.iter().any(|o| o.starts_with(p))
            {
                continue;
            }
            let produced = outputs
                .iter()
                .any(|o| o == p || o.starts_with(&format!("{p}/")));
            let under = |d: &String| {
                let d = d.trim_end_matches('/');
                d.is_empty() || p == d || p.starts_with(&format!("{d}/"))
            };
            // Under a whole-context copy the file may come from the context itself.
            let globbed = globs.iter().any(|(dir, pat)| {
                p.strip_prefix(&format!("{dir}/"))
                    .map(|rest| rest.split('/').next().unwrap_or(rest))
                    .is_some_and(|name| glob_match(pat, name))
            });
            // Under a copy of the whole context: the file may be in the context, which,
            // when it is trusted, says whether it is (and .dockerignore whether it is sent).
            let mut ignored: Option<String> = None;
            let in_whole = whole.iter().any(|(d, root)| {
                if !under(d) {
                    return false;
                }
                if !root || !context_trusted {
                    return true;
                }
                let d = d.trim_end_matches('/');
                let rel = p.strip_prefix(d).unwrap_or(p).trim_start_matches('/');
                if rel.is_empty() {
                    return true;
                }
                match in_context(cx, rel, &ignore) {
                    InContext::Sent => true,
                    InContext::Ignored => {
                        ignored = Some(rel.to_string());
                        false
                    }
                    InContext::Absent => false,
                }
            });
            let from_context = dests.iter().any(under) || in_whole || globbed;
            if produced || from_context {
                continue;
            }
            let stage_name = cx.model.stages[s]
                .name
                .clone()
                .unwrap_or_else(|| s.to_string());
            if let Some(rel) = ignored {
                sink.report(
                    copy.abs(src.span),
                    text!(
                        "`{}` is never in stage `{}`: `.dockerignore` keeps `{}` out of the build context",
                        "`{}` 不会出现在阶段 `{}` 里：`.dockerignore` 把 `{}` 排除在了构建上下文之外",
                        p,
                        stage_name,
                        rel
                    ),
                );
                continue;
            }
            let list = outputs
                .iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let d = sink.report(
                copy.abs(src.span),
                text!(
                    "stage `{}` never writes `{}`: its Go build produces {}",
                    "阶段 `{}` 从未生成 `{}`：它的 Go 构建产出的是 {}",
                    stage_name,
                    p,
                    list
                ),
            );
            // Offered only where the path reads as a program (no file extension): a
            // missing `config.yaml` is not a misspelt binary.
            let base = p.rsplit('/').next().unwrap_or(p);
            if let ([only], false) = (outputs.as_slice(), base.contains('.')) {
                d.with_fix(Fix::safe(
                    text!("Copy `{}`", "改为复制 `{}`", only),
                    vec![Edit::replace(copy.abs(src.span), only.clone())],
                ));
            }
        }
    }
}

/// Whether the build context holds `rel` and `docker build` sends it (not excluded by the
/// Dockerfile's ignore file).
fn in_context(
    cx: &Ctx<'_>,
    rel: &str,
    ignore: &std::cell::OnceCell<Option<DockerIgnore>>,
) -> InContext {
    if !cx.context.exists(rel) {
        return InContext::Absent;
    }
    let ignore = ignore.get_or_init(|| {
        find_dockerignore(cx.context, cx.dockerfile).map(|(_, text)| DockerIgnore::parse(&text))
    });
    match ignore {
        Some(i) if i.is_excluded(rel) => InContext::Ignored,
        _ => InContext::Sent,
    }
}

enum InContext {
    Absent,
    Ignored,
    Sent,
}

/// Shell-style `*` / `?` matching of one path element (`[...]` matches anything).
fn glob_match(pat: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pat.chars().collect(), name.chars().collect());
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == '[' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(sp) = star {
            pi = sp + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// What a source stage can hand out: its build outputs and what reached it by COPY.
struct StageInfo {
    outputs: Vec<String>,
    dests: Vec<String>,
    /// Destinations of whole-context copies; `true` when the copy is of the context's
    /// root (`COPY . .`), so a path under it is that path in the context.
    whole: Vec<(String, bool)>,
    globs: Vec<(String, String)>,
}

/// `None` when the stage builds nothing, or does something we cannot follow.
fn stage_info(cx: &Ctx<'_>, s: usize) -> Option<StageInfo> {
    let mut chain = vec![s];
    chain.extend(cx.model.ancestors(s));
    let builds: Vec<_> = cx
        .go()
        .iter()
        .filter(|g| {
            chain.contains(&g.stage)
                && matches!(g.verb, GoVerb::Build | GoVerb::Install)
                && !g.onbuild
        })
        .collect();
    if builds.is_empty() {
        return None;
    }
    // Every output must be known, and every RUN understood.
    let outputs: Vec<String> = builds
        .iter()
        .filter_map(|g| {
            output_path(
                g,
                cx.project.go_mod.as_ref().and_then(|m| m.module.as_deref()),
            )
        })
        .collect();
    if outputs.len() != builds.len() {
        return None;
    }
    let mut understood = true;
    // Paths the stage received by COPY/ADD (each may be a file or a directory), and
    // the destinations of whole-context copies (anything may be under them).
    let mut dests: Vec<String> = Vec::new();
    let mut whole: Vec<(String, bool)> = Vec::new();
    // (directory, file-name pattern) of wildcard copies such as `COPY *.go ./`.
    let mut globs: Vec<(String, String)> = Vec::new();
    for &st in &chain {
        for i in cx.stage_instrs(st) {
            match i.ins.keyword {
                Keyword::Run => {
                    understood &= cx
                        .commands_of(i.index)
                        .iter()
                        .all(|c| c.program().is_some_and(|p| KNOWN.contains(&p)));
                }
                Keyword::Copy | Keyword::Add => {
                    let words = i.ins.args.words();
                    let Some((d, srcs)) = words.split_last() else {
                        continue;
                    };
                    let wd = workdir_at(cx.tree, cx.model, st, i.index);
                    let dest = join_path(wd.as_deref(), &d.text);
                    let into_dir = d.text.ends_with('/') || srcs.len() > 1 || d.text == ".";
                    for src in srcs {
                        let t = src.text.trim_end_matches('/');
                        if matches!(t, "" | "." | "*" | "./*") || t.contains('$') {
                            // `--from`/`--parents` copies are not of the context's root.
                            let root = !t.contains('$')
                                && i.ins.flag("from").is_none()
                                && i.ins.flag("parents").is_none();
                            whole.push((dest.clone(), root));
                        } else if t.contains(['*', '?', '[']) {
                            let base = t.rsplit('/').next().unwrap_or(t);
                            globs.push((dest.trim_end_matches('/').to_string(), base.to_string()));
                        } else if into_dir {
                            let base = t.rsplit('/').next().unwrap_or(t);
                            dests.push(format!("{}/{}", dest.trim_end_matches('/'), base));
                        } else {
                            dests.push(dest.clone());
                        }
                    }
                    if !i.ins.heredocs.is_empty() {
                        whole.push((dest.clone(), false));
                    }
                }
                Keyword::Onbuild => understood = false,
                _ => {}
            }
        }
    }
    let base_known = cx
        .runtimes()
        .get(chain.last().copied().unwrap_or(s))
        .is_some_and(|rt| rt.base.is_some() || rt.scratch);
    if !understood || !base_known {
        return None;
    }
    Some(StageInfo {
        outputs,
        dests,
        whole,
        globs,
    })
}
