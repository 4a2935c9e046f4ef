//! Hovers over what a Go engineer needs explained: base images (what is inside them),
//! stage references, variables (where they are defined, their value), instruction flags,
//! `go build` flags and `-ldflags` parts, Go environment variables. Pure; Markdown out.

use std::ops::Range;

use crate::i18n::Lang;
use crate::semantic::knowledge::{self, ImageFacts, Libc, ShellKind};
use crate::semantic::{Model, RefTarget, VarKind};
use crate::syntax::{Keyword, SyntaxTree};

/// The hover at byte `offset`: the range it applies to and its Markdown.
pub fn hover(
    text: &str,
    tree: &SyntaxTree,
    model: &Model,
    offset: usize,
    lang: Lang,
) -> Option<(Range<usize>, String)> {
    let inside = |r: &Range<usize>| r.start <= offset && offset <= r.end;
    // Base images and stage references in FROM.
    for st in &model.stages {
        if !inside(&st.base.range) {
            continue;
        }
        if let Some(s) = st.base.stage {
            return Some((st.base.range.clone(), stage_doc(text, model, s, lang)));
        }
        return Some((st.base.range.clone(), image_doc(&st.base, lang)));
    }
    for r in &model.refs {
        if inside(&r.range) {
            if let RefTarget::Stage(s) = r.target {
                return Some((r.range.clone(), stage_doc(text, model, s, lang)));
            }
        }
    }
    // Variables: uses and definitions.
    if let Some(h) = variable_hover(text, model, offset, lang) {
        return Some(h);
    }
    let i = tree.instr_at(tree.item_at(offset)?)?;
    // Instruction flags.
    for f in &i.ins.flags {
        let r = i.abs(f.span);
        if inside(&r) {
            let name = f.name.to_ascii_lowercase();
            let doc = flag_doc(i.ins.keyword, &name, lang)?;
            return Some((r, format!("**`--{name}`** — {doc}")));
        }
    }
    // Words in RUN: go flags, ldflags parts, Go environment variables.
    if matches!(i.ins.keyword, Keyword::Run | Keyword::Env | Keyword::Arg) {
        let line = i.range();
        let (wr, word) = word_at(text, line.clone(), offset)?;
        let before = text.get(line.start..wr.start).unwrap_or("");
        let bare = word.trim_matches(|c| c == '"' || c == '\'');
        let name = bare.split('=').next().unwrap_or(bare);
        if i.ins.keyword == Keyword::Run && name.starts_with('-') {
            let in_ldflags = in_ldflags(before);
            let flag = if in_ldflags {
                knowledge::ldflags_part(name).or_else(|| knowledge::go_build_flag(name))
            } else if is_go_build(before) {
                knowledge::go_build_flag(name).or_else(|| knowledge::ldflags_part(name))
            } else {
                None
            };
            if let Some(f) = flag {
                let what = if in_ldflags {
                    match lang {
                        Lang::En => " (linker flag, inside `-ldflags`)",
                        Lang::Zh => "（链接器参数，位于 `-ldflags` 中）",
                    }
                } else {
                    ""
                };
                return Some((wr, format!("**`{}`**{what} — {}", f.name, f.doc(lang))));
            }
        }
        if let Some(e) = knowledge::go_env(name) {
            return Some((wr, go_env_doc(e, lang)));
        }
    }
    None
}

fn go_env_doc(e: &knowledge::GoEnv, lang: Lang) -> String {
    let mut s = format!("**`{}`** — {}", e.name, e.doc(lang));
    if !e.values.is_empty() {
        let vals: Vec<String> = e.values.iter().take(12).map(|v| format!("`{v}`")).collect();
        let label = match lang {
            Lang::En => "Values",
            Lang::Zh => "可选值",
        };
        s.push_str(&format!("\n\n{label}: {}", vals.join(", ")));
    }
    s
}

fn line_no(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |t| t.matches('\n').count()) + 1
}

fn stage_doc(text: &str, model: &Model, s: usize, lang: Lang) -> String {
    let Some(st) = model.stages.get(s) else {
        return String::new();
    };
    let name = st.name.clone().unwrap_or_else(|| s.to_string());
    let line = line_no(text, st.range.start);
    let base = if st.base.expanded.is_empty() {
        &st.base.raw
    } else {
        &st.base.expanded
    };
    match lang {
        Lang::En => format!(
            "**Stage `{name}`** (index {s}, line {line}) — built `FROM {base}`, {} instruction(s).",
            st.items.len()
        ),
        Lang::Zh => format!(
            "**阶段 `{name}`**（序号 {s}，第 {line} 行）—— 基于 `{base}`，共 {} 条指令。",
            st.items.len()
        ),
    }
}

fn yes_no(b: bool, lang: Lang) -> &'static str {
    match (b, lang) {
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
        (true, Lang::Zh) => "有",
        (false, Lang::Zh) => "无",
    }
}

fn image_doc(base: &crate::semantic::Base, lang: Lang) -> String {
    let shown = if base.expanded.is_empty() {
        &base.raw
    } else {
        &base.expanded
    };
    let mut s = format!("**`{shown}`**");
    if base.raw != base.expanded && !base.expanded.is_empty() {
        let note = match lang {
            Lang::En => format!(" (written `{}`)", base.raw),
            Lang::Zh => format!("（原文为 `{}`）", base.raw),
        };
        s.push_str(&note);
    }
    if shown.eq_ignore_ascii_case("scratch") {
        s.push_str(match lang {
            Lang::En => " — the empty image: no shell, no libc, no CA certificates, no zoneinfo, no users. Size 0. Fits a static Go binary (`CGO_ENABLED=0`) and nothing else.",
            Lang::Zh => " —— 空镜像：没有 shell、没有 libc、没有 CA 证书、没有时区数据、没有用户，大小为 0。只适合静态编译（`CGO_ENABLED=0`）的 Go 程序。",
        });
        return s;
    }
    let Some(f) = base.image.as_ref().and_then(knowledge::image_facts) else {
        s.push_str(match lang {
            Lang::En => " — dockwise has no recorded facts about this image.",
            Lang::Zh => " —— dockwise 没有收录这个镜像的信息。",
        });
        return s;
    };
    s.push_str(match lang {
        Lang::En => " — ",
        Lang::Zh => " —— ",
    });
    s.push_str(f.summary(lang));
    s.push_str("\n\n");
    s.push_str(&facts_table(f, lang));
    s
}

fn facts_table(f: &ImageFacts, lang: Lang) -> String {
    let shell = match (f.shell, f.shell_kind) {
        (false, _) => yes_no(false, lang).to_string(),
        (true, Some(ShellKind::Powershell)) => "PowerShell".to_string(),
        (true, Some(ShellKind::Cmd)) => "cmd".to_string(),
        (true, Some(ShellKind::Busybox)) => "busybox sh".to_string(),
        (true, _) => "/bin/sh".to_string(),
    };
    let libc = match f.libc {
        Libc::Glibc => "glibc",
        Libc::Musl => "musl",
        Libc::None => match lang {
            Lang::En => "none",
            Lang::Zh => "无",
        },
    };
    let user = match (&f.default_user, lang) {
        (Some(u), _) => u.to_string(),
        (None, Lang::En) => "root".to_string(),
        (None, Lang::Zh) => "root".to_string(),
    };
    let size = f.size_mb.map(|m| format!("≈ {m} MB"));
    let rows: Vec<(&str, String)> = match lang {
        Lang::En => vec![
            ("shell", shell),
            ("libc", libc.to_string()),
            ("Go toolchain", yes_no(f.go_toolchain, lang).to_string()),
            (
                "C compiler (cgo on by default)",
                yes_no(f.c_compiler, lang).to_string(),
            ),
            (
                "CA certificates",
                yes_no(f.ca_certificates, lang).to_string(),
            ),
            ("zoneinfo", yes_no(f.zoneinfo, lang).to_string()),
            (
                "curl / wget",
                format!("{} / {}", yes_no(f.curl, lang), yes_no(f.wget, lang)),
            ),
            ("default user", user),
            ("size", size.unwrap_or_else(|| "not recorded".to_string())),
        ],
        Lang::Zh => vec![
            ("shell", shell),
            ("libc", libc.to_string()),
            ("Go 工具链", yes_no(f.go_toolchain, lang).to_string()),
            (
                "C 编译器（cgo 默认开启）",
                yes_no(f.c_compiler, lang).to_string(),
            ),
            ("CA 证书", yes_no(f.ca_certificates, lang).to_string()),
            ("时区数据 zoneinfo", yes_no(f.zoneinfo, lang).to_string()),
            (
                "curl / wget",
                format!("{} / {}", yes_no(f.curl, lang), yes_no(f.wget, lang)),
            ),
            ("默认用户", user),
            ("大小", size.unwrap_or_else(|| "未收录".to_string())),
        ],
    };
    let mut out = String::from("| | |\n|---|---|\n");
    for (k, v) in rows {
        out.push_str(&format!("| {k} | {v} |\n"));
    }
    let src = match lang {
        Lang::En => format!("\nSource: {} (checked {}).", f.source, f.checked),
        Lang::Zh => format!("\n来源：{}（核对于 {}）。", f.source, f.checked),
    };
    out.push_str(&src);
    out
}

fn variable_hover(
    text: &str,
    model: &Model,
    offset: usize,
    lang: Lang,
) -> Option<(Range<usize>, String)> {
    use super::navigation::{target_at, Target};
    let Target::Variable { name, item } = target_at(model, offset)? else {
        return None;
    };
    let range = model
        .uses
        .iter()
        .map(|u| u.var.name_range.clone())
        .chain(
            model
                .global_args
                .iter()
                .chain(model.stages.iter().flat_map(|s| s.defs.iter()))
                .map(|d| d.name_range.clone()),
        )
        .find(|r| r.start <= offset && offset <= r.end)?;
    let mut s = format!("**`{name}`**");
    match model.resolve(&name, item) {
        Some(d) => {
            let kind = match d.kind {
                VarKind::GlobalArg => match lang {
                    Lang::En => "global build argument (ARG before the first FROM)",
                    Lang::Zh => "全局构建参数（第一个 FROM 之前的 ARG）",
                },
                VarKind::Arg => match lang {
                    Lang::En => "build argument (ARG)",
                    Lang::Zh => "构建参数（ARG）",
                },
                VarKind::Env => match lang {
                    Lang::En => "environment variable (ENV)",
                    Lang::Zh => "环境变量（ENV）",
                },
            };
            let line = line_no(text, d.name_range.start);
            s.push_str(&match lang {
                Lang::En => format!(" — {kind}, defined on line {line}"),
                Lang::Zh => format!(" —— {kind}，定义在第 {line} 行"),
            });
            let inherited = (d.value.is_none() && d.kind == VarKind::Arg)
                .then(|| model.global_args.iter().rev().find(|g| g.name == name))
                .flatten()
                .and_then(|g| g.value.clone());
            match (&d.value, inherited) {
                (Some(v), _) => s.push_str(&match lang {
                    Lang::En => format!(", value `{v}`."),
                    Lang::Zh => format!("，值为 `{v}`。"),
                }),
                (None, Some(v)) => s.push_str(&match lang {
                    Lang::En => format!(", default `{v}` from the global ARG."),
                    Lang::Zh => format!("，默认值 `{v}` 继承自全局 ARG。"),
                }),
                (None, None) => s.push_str(match lang {
                    Lang::En => ", no default: empty unless `--build-arg` sets it.",
                    Lang::Zh => "，没有默认值：除非用 `--build-arg` 传入，否则为空。",
                }),
            }
        }
        None if crate::semantic::PLATFORM_ARGS.contains(&name.as_str()) => {
            s.push_str(match lang {
                Lang::En => " — set by BuildKit from the build's platforms (`--platform`); inside a stage it needs `ARG` to be visible.",
                Lang::Zh => " —— 由 BuildKit 根据构建平台（`--platform`）自动设置；在阶段内需要先声明 `ARG` 才能使用。",
            });
        }
        None => s.push_str(match lang {
            Lang::En => {
                " — not defined in this Dockerfile: it comes from the base image or is empty."
            }
            Lang::Zh => " —— 未在这个 Dockerfile 中定义：要么来自基础镜像，要么为空。",
        }),
    }
    if let Some(e) = knowledge::go_env(&name) {
        s.push_str("\n\n");
        s.push_str(&go_env_doc(e, lang));
    }
    Some((range, s))
}

/// The whitespace-delimited word of the logical instruction around `offset`.
fn word_at(text: &str, within: Range<usize>, offset: usize) -> Option<(Range<usize>, &str)> {
    let t = text.get(within.clone())?;
    let rel = offset.checked_sub(within.start)?;
    if rel > t.len() || !t.is_char_boundary(rel) {
        return None;
    }
    let start = t[..rel]
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(0, |(p, c)| p + c.len_utf8());
    let end = t[rel..]
        .find(|c: char| c.is_whitespace() || c == ';')
        .map_or(t.len(), |p| rel + p);
    let mut w = &t[start..end];
    let mut s = start;
    // `-ldflags="-s` → the word under the cursor is `-s`.
    if let Some(q) = w.rfind(['"', '\'']) {
        if s + q < rel {
            s += q + 1;
            w = &t[s..end];
        }
    }
    let w = w.trim_end_matches(['"', '\'', '\\']);
    (!w.is_empty()).then(|| (within.start + s..within.start + s + w.len(), w))
}

/// Whether the text before a word leaves it inside an `-ldflags` quoted value.
fn in_ldflags(before: &str) -> bool {
    let Some(p) = before.rfind("-ldflags") else {
        return false;
    };
    let after = &before[p..];
    let quotes = after.matches(['"', '\'']).count();
    quotes % 2 == 1
}

fn is_go_build(before: &str) -> bool {
    let seg = before.rsplit([';', '&', '|']).next().unwrap_or(before);
    let words: Vec<&str> = seg.split_whitespace().collect();
    words
        .windows(2)
        .any(|w| w[0] == "go" && matches!(w[1], "build" | "install" | "run" | "test" | "vet"))
}

/// What an instruction flag does.
fn flag_doc(k: Keyword, name: &str, lang: Lang) -> Option<&'static str> {
    use Keyword::*;
    Some(match (k, name, lang) {
        (From, "platform", Lang::En) => "the platform of the base image. `--platform=$BUILDPLATFORM` runs the stage natively and lets Go cross-compile with `GOOS`/`GOARCH` (`TARGETOS`/`TARGETARCH`), much faster than emulation.",
        (From, "platform", Lang::Zh) => "基础镜像的平台。写成 `--platform=$BUILDPLATFORM` 时该阶段以本机架构运行，再用 `GOOS`/`GOARCH`（`TARGETOS`/`TARGETARCH`）交叉编译，比模拟执行快得多。",
        (Copy, "from", Lang::En) | (Run, "from", Lang::En) => "copies from another stage (by name or index) or an image instead of the build context — how a multi-stage build moves the binary into the runtime stage.",
        (Copy, "from", Lang::Zh) | (Run, "from", Lang::Zh) => "从另一个阶段（名称或序号）或镜像复制，而不是从构建上下文复制——多阶段构建就是靠它把二进制文件搬进运行阶段。",
        (Copy | Add, "chown", Lang::En) => "owner of the copied files (`user:group`, names or numeric IDs). Cheaper than a later `RUN chown`, which duplicates the files in a new layer.",
        (Copy | Add, "chown", Lang::Zh) => "复制后文件的属主（`用户:组`，名称或数字 ID）。比之后再 `RUN chown` 省空间——后者会在新的一层里把文件再存一遍。",
        (Copy | Add, "chmod", Lang::En) => "permissions of the copied files (octal like `0755`, or symbolic with the Dockerfile 1.10 syntax).",
        (Copy | Add, "chmod", Lang::Zh) => "复制后文件的权限（八进制如 `0755`；Dockerfile 1.10 语法起也支持符号形式）。",
        (Copy | Add, "link", Lang::En) => "copies into an independent layer, so changing earlier layers does not invalidate it and it can be reused across rebuilds of the base.",
        (Copy | Add, "link", Lang::Zh) => "把文件放进独立的一层，前面的层变化时它不会失效，基础镜像重建后也能直接复用。",
        (Copy, "parents", Lang::En) => "keeps the source paths' parent directories under the destination (Dockerfile 1.7 labs syntax and later).",
        (Copy, "parents", Lang::Zh) => "在目标目录下保留源路径的上级目录结构（需要 Dockerfile 1.7 labs 或更新的语法）。",
        (Copy | Add, "exclude", Lang::En) => "a pattern of files not to copy, like a per-instruction `.dockerignore`.",
        (Copy | Add, "exclude", Lang::Zh) => "不复制匹配该模式的文件，相当于只对这条指令生效的 `.dockerignore`。",
        (Add, "checksum", Lang::En) => "the expected `sha256:` digest of a remote file; the build fails if the download differs.",
        (Add, "checksum", Lang::Zh) => "远程文件应有的 `sha256:` 摘要；下载内容不符时构建失败。",
        (Add, "keep-git-dir", Lang::En) => "keeps the `.git` directory when adding a Git repository.",
        (Add, "keep-git-dir", Lang::Zh) => "添加 Git 仓库时保留 `.git` 目录。",
        (Add, "unpack", Lang::En) => "whether to unpack a local archive (`ADD` unpacks by default; `COPY` never does).",
        (Add, "unpack", Lang::Zh) => "是否解压本地归档文件（`ADD` 默认解压，`COPY` 从不解压）。",
        (Run, "mount", Lang::En) => "mounts something for this command only. For Go: `type=cache,target=/go/pkg/mod` and `type=cache,target=/root/.cache/go-build` keep modules and build cache between builds; `type=secret` passes credentials without leaving them in a layer; `type=bind` reads files without copying them.",
        (Run, "mount", Lang::Zh) => "只为这条命令挂载内容。Go 项目常用：`type=cache,target=/go/pkg/mod` 和 `type=cache,target=/root/.cache/go-build` 在多次构建之间保留模块和编译缓存；`type=secret` 传递凭据而不留在镜像层里；`type=bind` 直接读取文件而不复制。",
        (Run, "network", Lang::En) => "network for this command: `default`, `none` (no network — proves the step is offline) or `host`.",
        (Run, "network", Lang::Zh) => "这条命令使用的网络：`default`、`none`（断网，可证明该步骤不依赖网络）或 `host`。",
        (Run, "security", Lang::En) => "`insecure` runs the command with extended privileges (needs the builder's entitlement); `sandbox` is the default.",
        (Run, "security", Lang::Zh) => "`insecure` 以扩展权限运行命令（需要构建器授权）；默认为 `sandbox`。",
        (Healthcheck, "interval", Lang::En) => "time between checks (default 30s).",
        (Healthcheck, "interval", Lang::Zh) => "两次检查之间的间隔（默认 30s）。",
        (Healthcheck, "timeout", Lang::En) => "a check slower than this fails (default 30s).",
        (Healthcheck, "timeout", Lang::Zh) => "单次检查超过这个时间即算失败（默认 30s）。",
        (Healthcheck, "start-period", Lang::En) => "grace time after start during which failures do not count (default 0s).",
        (Healthcheck, "start-period", Lang::Zh) => "容器启动后的宽限期，期间的失败不计数（默认 0s）。",
        (Healthcheck, "start-interval", Lang::En) => "time between checks during the start period.",
        (Healthcheck, "start-interval", Lang::Zh) => "宽限期内两次检查之间的间隔。",
        (Healthcheck, "retries", Lang::En) => "consecutive failures before the container is unhealthy (default 3).",
        (Healthcheck, "retries", Lang::Zh) => "连续失败多少次后容器被标记为不健康（默认 3）。",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn at(text: &str, needle: &str, lang: Lang) -> String {
        let tree = parse(text);
        let m = crate::semantic::analyze(text, &tree);
        let off = text.find(needle).unwrap() + 1;
        hover(text, &tree, &m, off, lang)
            .map(|h| h.1)
            .unwrap_or_default()
    }

    const T: &str = "ARG GO=1.22\nFROM --platform=$BUILDPLATFORM golang:${GO}-alpine AS build\nARG GO\nARG TARGETARCH\nRUN --mount=type=cache,target=/go/pkg/mod CGO_ENABLED=0 GOARCH=$TARGETARCH go build -trimpath -ldflags=\"-s -w -X main.v=$GO\" -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n";

    #[test]
    fn images_stages_variables_flags_and_go() {
        let img = at(T, "golang:", Lang::En);
        assert!(
            img.contains("golang:1.22-alpine") && img.contains("musl"),
            "{img}"
        );
        let img_zh = at(T, "golang:", Lang::Zh);
        assert!(img_zh.contains("CA 证书"), "{img_zh}");
        assert!(at(T, "scratch", Lang::En).contains("no shell"));
        let st = at(T, "build /out", Lang::En);
        assert!(
            st.contains("Stage `build`") && st.contains("line 2"),
            "{st}"
        );
        let v = at(T, "GO\nARG TARGET", Lang::En);
        assert!(v.contains("default `1.22` from the global ARG"), "{v}");
        assert!(at(T, "--platform", Lang::Zh).contains("交叉编译"));
        assert!(at(T, "--mount", Lang::En).contains("/go/pkg/mod"));
        let cgo = at(T, "CGO_ENABLED", Lang::En);
        assert!(cgo.starts_with("**`CGO_ENABLED`**"), "{cgo}");
        assert!(at(T, "-trimpath", Lang::En).starts_with("**`-trimpath`**"));
        let s = at(T, "-s -w", Lang::Zh);
        assert!(s.starts_with("**`-s`**") && s.contains("链接器"), "{s}");
        assert!(at(T, "-X main", Lang::En).starts_with("**`-X`**"));
        assert!(at(T, "TARGETARCH\nRUN", Lang::En).contains("build argument"));
    }

    #[test]
    fn never_panics_anywhere() {
        let tree = parse(T);
        let m = crate::semantic::analyze(T, &tree);
        for off in 0..=T.len() + 2 {
            let _ = hover(T, &tree, &m, off, Lang::Zh);
        }
        let odd = "FROM ${X:-\nRUN go build\u{a0}-ldflags \"-X 'a=中文\u{3000}b'\" ;; -\u{00e9}\n";
        let tree = parse(odd);
        let m = crate::semantic::analyze(odd, &tree);
        for off in 0..=odd.len() + 2 {
            let _ = hover(odd, &tree, &m, off, Lang::En);
        }
    }
}
