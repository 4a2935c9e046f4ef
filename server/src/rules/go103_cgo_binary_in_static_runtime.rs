//! GO103: a binary built with cgo (possibly) on runs where its C library is missing.

use super::prelude::*;
use crate::semantic::go::{env_for, output_path, GoCommand, GoVerb};
use crate::semantic::knowledge::{self, Libc};
use crate::semantic::runtime::{Runtime, Tri};

pub static RULE: Rule = Rule {
    code: "GO103",
    name: "cgo-binary-in-static-runtime",
    severity: Severity::Error,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "A binary built with cgo on is copied into an image without its C library",
        what: "Flags a `go build` whose binary is copied into alpine (musl), scratch or distroless static, or into an older glibc, while cgo may be on: `CGO_ENABLED` is not `0` and the builder has a C compiler (plain `golang:X` images do; `golang:X-alpine` does not unless gcc is installed, and before Go 1.20 cgo was on anyway). It is an error for a glibc builder, a warning for an alpine builder with a C compiler or an old Go.",
        why: "With cgo on, packages such as `net` and `os/user` link against the builder's C library, so the binary is dynamic. On scratch there is no C library at all, on alpine there is musl instead of glibc, and an older Debian has an older glibc: the container dies at start with \"no such file or directory\" or \"GLIBC_2.34 not found\". `CGO_ENABLED=0` produces a fully static binary that runs anywhere.",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN go build -ldflags=\"-s -w\" -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "Prefixes the build with `CGO_ENABLED=0` (safe for code that does not need cgo, which dockwise checks: it is not offered when the build uses cgo build tags or, with the build context, cgo-only modules — see GO109).",
    },
    zh: RuleDoc {
        summary: "启用 cgo 编译的二进制文件被复制到了缺少对应 C 库的镜像中",
        what: "当 cgo 可能处于开启状态，而 `go build` 产出的二进制文件又被复制到 alpine（musl）、scratch、distroless static 或 glibc 版本更旧的镜像中时报告问题。cgo 可能开启是指：`CGO_ENABLED` 不为 `0`，且构建阶段有 C 编译器（普通的 `golang:X` 镜像有；`golang:X-alpine` 没有，除非另行安装了 gcc；而在 Go 1.20 之前，cgo 无论如何都默认开启）。构建阶段基于 glibc 时报告为错误；基于装有 C 编译器的 alpine，或 Go 版本较旧时报告为警告。",
        why: "开启 cgo 时，`net`、`os/user` 等包会链接构建阶段的 C 库，生成的二进制文件是动态链接的。scratch 里根本没有 C 库，alpine 用的是 musl 而不是 glibc，旧版 Debian 的 glibc 版本更低：容器一启动就会报“no such file or directory”或“GLIBC_2.34 not found”。`CGO_ENABLED=0` 能生成完全静态链接、在任何镜像里都能运行的二进制文件。",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN go build -ldflags=\"-s -w\" -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "在构建命令前加上 `CGO_ENABLED=0`（对不需要 cgo 的代码是安全的，dockwise 会检查这一点：如果构建使用了 cgo 构建标签，或者在已知构建上下文时依赖了必须开启 cgo 的模块，就不会提供此修复——参见 GO109）。",
    },
    check,
};

/// The Debian release of an image tag or repository, where it is spelled out.
pub fn debian_release(image: &crate::semantic::ImageRef) -> Option<u32> {
    let s = format!(
        "{}:{}",
        image.repository,
        image.tag.as_deref().unwrap_or("")
    );
    for (name, n) in [
        ("trixie", 13),
        ("bookworm", 12),
        ("bullseye", 11),
        ("buster", 10),
        ("stretch", 9),
    ] {
        if s.contains(name) {
            return Some(n);
        }
    }
    for n in [13u32, 12, 11, 10, 9] {
        if s.contains(&format!("debian{n}")) {
            return Some(n);
        }
    }
    // golang images before Debian 12 existed used Debian 11 by default.
    if image.short_name() == "golang" {
        if let Some((1, minor)) = image
            .tag
            .as_deref()
            .and_then(knowledge::go_version_from_tag)
        {
            if (17..=19).contains(&minor) && !s.contains("alpine") {
                return Some(11);
            }
        }
    }
    None
}

/// How likely cgo is on for this command, and why.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cgo {
    Off,
    /// Explicitly `CGO_ENABLED=1`.
    On,
    /// On by default: a C compiler is there.
    Default,
    /// On by default because Go is older than 1.20 (with or without a C compiler).
    OldDefault,
    Unknown,
}

fn cgo_state(cx: &Ctx<'_>, g: &GoCommand, builder: &Runtime) -> Cgo {
    if let Some(v) = env_for(cx.model, g, "CGO_ENABLED") {
        return match v.value.as_str() {
            "0" => Cgo::Off,
            "1" => Cgo::On,
            _ => Cgo::Unknown,
        };
    }
    let root = {
        let mut r = g.stage;
        for a in cx.model.ancestors(g.stage) {
            r = a;
        }
        r
    };
    // Cross-compiling turns cgo off by default. `GOOS=linux` in a Linux builder is
    // native; a literal GOARCH (or another GOOS) may differ from the builder's. So may
    // `$TARGETARCH` / `$TARGETOS` in a builder that runs on `--platform=$BUILDPLATFORM`;
    // without that flag the builder runs on the target platform, so they name its own.
    let on_build_platform = cx.model.stages[root]
        .platform
        .as_ref()
        .is_some_and(|(p, _)| p.contains("BUILDPLATFORM") || !p.contains('$'));
    let native = |name: &str, target_var: &str, native_literal: Option<&str>| match env_for(
        cx.model, g, name,
    ) {
        None => true,
        Some(v) => {
            Some(v.value.as_str()) == native_literal
                || (!on_build_platform && names_var(&v.value, target_var))
        }
    };
    if !native("GOARCH", "TARGETARCH", None) || !native("GOOS", "TARGETOS", Some("linux")) {
        return Cgo::Unknown;
    }
    let go_minor = cx.model.stages[root]
        .base
        .image
        .as_ref()
        .and_then(|i| i.tag.as_deref())
        .and_then(knowledge::go_version_from_tag);
    let old_go = go_minor.is_some_and(|v| v < (1, 20));
    match builder.c_compiler {
        Tri::Yes => Cgo::Default,
        Tri::No if old_go => Cgo::OldDefault,
        Tri::No => Cgo::Off,
        Tri::Unknown => Cgo::Unknown,
    }
}

/// `$NAME` or `${NAME}`, nothing else.
fn names_var(value: &str, name: &str) -> bool {
    let v = value.trim();
    v.strip_prefix('$').is_some_and(|rest| {
        rest == name
            || rest
                .strip_prefix('{')
                .and_then(|r| r.strip_suffix('}'))
                .is_some_and(|r| r == name)
    })
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    // One finding per build and runtime stage, however many COPYs take the binary.
    let mut seen: Vec<(usize, usize)> = Vec::new();
    for r in &cx.model.refs {
        if r.kind != RefKind::CopyFrom {
            continue;
        }
        let RefTarget::Stage(src_stage) = r.target else {
            continue;
        };
        let Some(target_rt) = cx.runtimes().get(r.in_stage) else {
            continue;
        };
        let Some(builder_rt) = cx.runtimes().get(src_stage) else {
            continue;
        };
        let Some(copy) = cx.tree.instr_at(r.item) else {
            continue;
        };
        let sources: Vec<&str> = copy
            .ins
            .args
            .words()
            .iter()
            .rev()
            .skip(1)
            .map(|w| w.text.as_str())
            .collect();
        // The go builds of the source stage whose binary this COPY takes.
        let mut chain = vec![src_stage];
        chain.extend(cx.model.ancestors(src_stage));
        let stage_builds: Vec<&GoCommand> = cx
            .go()
            .iter()
            .filter(|g| {
                chain.contains(&g.stage)
                    && matches!(g.verb, GoVerb::Build | GoVerb::Install)
                    && !g.onbuild
            })
            .collect();
        let is_system = |s: &str| {
            s.starts_with("/etc")
                || s.starts_with("/usr/share")
                || s.starts_with("/usr/local/share")
        };
        let mut builds: Vec<&GoCommand> = stage_builds
            .iter()
            .copied()
            .filter(|g| {
                match output_path(
                    g,
                    cx.project.go_mod.as_ref().and_then(|m| m.module.as_deref()),
                ) {
                    Some(out) => sources.iter().any(|s| {
                        let s = s.trim_end_matches('/');
                        !s.is_empty()
                            && (out == s || out.starts_with(&format!("{s}/")) || s.contains('*'))
                    }),
                    None => sources.iter().any(|s| !is_system(s)),
                }
            })
            .collect();
        // A copy whose path matches no build output (a typo GO111 reports) still
        // carries the stage's binary when all the stage does is one `go build`.
        let only_go = chain.iter().all(|&st| {
            cx.stage_instrs(st)
                .filter(|i| i.ins.keyword == Keyword::Run)
                .all(|i| {
                    cx.commands_of(i.index)
                        .iter()
                        .all(|c| c.program() == Some("go"))
                })
        });
        if builds.is_empty()
            && only_go
            && stage_builds.len() == 1
            && stage_builds[0].verb == GoVerb::Build
            && sources.iter().any(|s| !is_system(s))
        {
            builds = stage_builds;
        }
        for g in builds {
            if seen.contains(&(g.range.start, r.in_stage)) {
                continue;
            }
            seen.push((g.range.start, r.in_stage));
            let cgo = cgo_state(cx, g, builder_rt);
            if matches!(cgo, Cgo::Off | Cgo::Unknown) {
                continue;
            }
            // `-tags netgo,osusergo` keeps net and os/user pure Go: static with cgo on.
            let tags = g.tags();
            let pure_tags =
                tags.iter().any(|t| t == "netgo") && tags.iter().any(|t| t == "osusergo");
            let static_link = pure_tags || g.links_statically();
            let builder_libc = builder_rt.libc;
            // Where the binary goes and whether its libc is there.
            let (problem, severity) = match (builder_libc, target_rt.libc) {
                (_, None) => continue,
                (Some(Libc::Glibc), Some(Libc::Musl | Libc::None)) if !static_link => {
                    (Problem::NoGlibc, Severity::Error)
                }
                (Some(Libc::Musl), Some(Libc::None)) if !static_link => {
                    (Problem::NoMusl, Severity::Warning)
                }
                (Some(Libc::Glibc), Some(Libc::Glibc)) => {
                    let b = cx.model.stages[root_of(cx, src_stage)]
                        .base
                        .image
                        .as_ref()
                        .and_then(debian_release);
                    let t = cx.model.stages[root_of(cx, r.in_stage)]
                        .base
                        .image
                        .as_ref()
                        .and_then(debian_release);
                    match (b, t) {
                        (Some(b), Some(t)) if t < b => {
                            (Problem::OlderGlibc(b, t), Severity::Warning)
                        }
                        _ => continue,
                    }
                }
                _ => continue,
            };
            let severity = if matches!(cgo, Cgo::Default | Cgo::OldDefault)
                && builder_libc == Some(Libc::Musl)
            {
                Severity::Warning
            } else {
                severity
            };
            let how = match cgo {
                Cgo::On => text!("`CGO_ENABLED=1`", "设置了 `CGO_ENABLED=1`"),
                Cgo::OldDefault => text!(
                    "cgo on (the default before Go 1.20)",
                    "开启了 cgo（Go 1.20 之前的默认行为）"
                ),
                _ => text!(
                    "cgo on (the default where a C compiler is present)",
                    "开启了 cgo（存在 C 编译器时的默认行为）"
                ),
            };
            // Code that needs cgo (GO109) is not "fixed" away: advise a runtime instead.
            // C libraries installed for the build (`libgit2-dev`, `sqlite-dev`) mean cgo is
            // wanted, as do cgo build tags and cgo-only modules.
            let dev_libs = builder_rt.installed.iter().any(|p| {
                (p.name.ends_with("-dev")
                    || p.name.ends_with("-devel")
                    || p.name.ends_with("-static"))
                    && !matches!(
                        p.name.as_str(),
                        "musl-dev" | "libc-dev" | "libc6-dev" | "linux-headers"
                    )
            });
            let needs_cgo = dev_libs
                || g.tags().iter().any(|t| knowledge::cgo_build_tag(t))
                || !crate::rules::go109_cgo_disabled_but_required::cgo_requirements(cx).is_empty();
            let remedy = if needs_cgo || cgo == Cgo::On {
                text!(
                    "run it on an image with the same C library (distroless/base or debian-slim for a glibc build)",
                    "把它放到带有相同 C 库的镜像中运行（glibc 构建可用 distroless/base 或 debian-slim）"
                )
            } else {
                text!("build with `CGO_ENABLED=0`", "使用 `CGO_ENABLED=0` 构建")
            };
            let msg = match problem {
                Problem::NoGlibc => Text::new(
                    format!("this binary is built with {} against glibc, but it runs in an image without glibc and will fail to start; {}", how.en, remedy.en),
                    format!("该二进制文件构建时{}，链接的是 glibc，但运行它的镜像中没有 glibc，一启动就会失败；请{}", how.zh, remedy.zh),
                ),
                Problem::NoMusl => Text::new(
                    format!("this binary is built with {} against musl, but it runs in an image with no C library; {}, or link it statically", how.en, remedy.en),
                    format!("该二进制文件构建时{}，链接的是 musl，但运行它的镜像中没有任何 C 库；请{}，或改为静态链接", how.zh, remedy.zh),
                ),
                Problem::OlderGlibc(b, t) => Text::new(
                    format!("this binary is built with {} on Debian {b} and runs on Debian {t}, whose glibc is older; it may fail with \"GLIBC_… not found\". Use a runtime as new as the builder, or {}", how.en, remedy.en),
                    format!("该二进制文件构建时{}，构建环境是 Debian {b}，却运行在 glibc 更旧的 Debian {t} 上，可能报“GLIBC_… not found”。请换用与构建阶段同样新的运行镜像，或{}", how.zh, remedy.zh),
                ),
            };
            let d = sink.report(g.go_range.start..g.verb_range.end, msg);
            d.with_severity(severity).with_related(
                copy.line_range(),
                text!(
                    "the binary is copied here",
                    "该二进制文件在这里被复制进镜像"
                ),
            );
            // Code that needs cgo (GO109) is not "fixed" away.
            let cgo_tags = g.tags().iter().any(|t| knowledge::cgo_build_tag(t))
                || !crate::rules::go109_cgo_disabled_but_required::cgo_requirements(cx).is_empty();
            let exec = cx
                .tree
                .instr_at(g.item)
                .is_some_and(|i| i.onbuild_target().is_exec_form());
            if cgo == Cgo::Default && !cgo_tags && !exec {
                d.with_fix(Fix::safe(
                    text!("Build with `CGO_ENABLED=0`", "使用 `CGO_ENABLED=0` 构建"),
                    vec![Edit::insert(g.go_range.start, "CGO_ENABLED=0 ")],
                ));
            }
        }
    }
}

enum Problem {
    NoGlibc,
    NoMusl,
    OlderGlibc(u32, u32),
}

fn root_of(cx: &Ctx<'_>, stage: usize) -> usize {
    cx.model.ancestors(stage).last().copied().unwrap_or(stage)
}
