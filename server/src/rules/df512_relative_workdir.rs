//! DF512: the first WORKDIR of a stage chain is relative.

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "DF512",
    name: "relative-workdir",
    severity: Severity::Warning,
    fix: FixKind::None,
    peers: &["WorkdirRelativePath", "DL3000"],
    en: RuleDoc {
        summary: "A relative `WORKDIR` with no absolute one before it",
        what: "Flags the first `WORKDIR` of a stage (and of the in-file stages it builds on) when its path is relative.",
        why: "A relative `WORKDIR` is resolved against the base image's working directory, which you do not control: `golang` images use `/go`, others `/`. When the base changes, your files land somewhere else and `COPY --from` paths break.",
        bad: "FROM golang:1.22\nWORKDIR app\n",
        good: "FROM golang:1.22\nWORKDIR /app\n",
        fix: "None: write the absolute path you mean.",
    },
    zh: RuleDoc {
        summary: "`WORKDIR` 使用了相对路径，且之前没有绝对路径的 `WORKDIR`",
        what: "当某个阶段（连同它所基于的、同一文件中定义的阶段）中的第一个 `WORKDIR` 是相对路径时给出警告。",
        why: "相对路径的 `WORKDIR` 以基础镜像的工作目录为起点，而这不受你控制：`golang` 镜像是 `/go`，其他镜像可能是 `/`。一旦更换基础镜像，文件就会落到别处，`COPY --from` 的路径也会失效。",
        bad: "FROM golang:1.22\nWORKDIR app\n",
        good: "FROM golang:1.22\nWORKDIR /app\n",
        fix: "无自动修复：请写出你想要的绝对路径。",
    },
    check,
};

fn is_absolute(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with('/')
        || p.starts_with('\\')
        || p.starts_with('$')
        || p.starts_with('"') && p[1..].starts_with(['/', '$'])
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    let m = cx.model;
    let workdirs: Vec<InstrRef<'_>> = cx
        .tree
        .instructions()
        .filter(|i| i.ins.keyword == Keyword::Workdir)
        .collect();
    for st in &m.stages {
        let chain: Vec<usize> = std::iter::once(st.index)
            .chain(m.ancestors(st.index))
            .collect();
        // Ancestors with any WORKDIR settle the question.
        let inherited = chain[1..].iter().any(|&a| {
            workdirs
                .iter()
                .any(|w| m.stages[a].items.contains(&w.index))
        });
        if inherited {
            continue;
        }
        let Some(first) = workdirs.iter().find(|w| st.items.contains(&w.index)) else {
            continue;
        };
        let Args::Text(path) = &first.ins.args else {
            continue;
        };
        if !is_absolute(&path.text) {
            sink.report(
                first.abs(path.span),
                text!(
                    "relative `WORKDIR {}` depends on the base image's working directory; use an absolute path",
                    "相对路径 `WORKDIR {}` 取决于基础镜像的工作目录；请使用绝对路径",
                    path.text,
                ),
            );
        }
    }
}
