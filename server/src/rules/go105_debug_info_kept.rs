//! GO105: a shipped binary keeps its symbol table and DWARF debug information.

use super::prelude::*;
use crate::semantic::go::GoVerb;

pub static RULE: Rule = Rule {
    code: "GO105",
    name: "debug-info-kept",
    severity: Severity::Hint,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "The shipped Go binary keeps its debug information",
        what: "Flags a `go build` whose binary ends up in the final image without `-ldflags \"-s -w\"`.",
        why: "`-s` drops the symbol table and `-w` the DWARF debug information. Together they typically shrink a Go binary by a quarter to a third, which on `scratch` or distroless is most of the image. Production images are not debugged with a debugger inside the container, and panics still print file names and line numbers.",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "Adds `-ldflags=\"-s -w\"`, or puts `-s -w` in front of the existing `-ldflags` value (safe: the program behaves the same).",
    },
    zh: RuleDoc {
        summary: "最终镜像中的 Go 二进制文件保留了调试信息",
        what: "当某个 `go build` 产出的二进制文件进入最终镜像、却没有使用 `-ldflags \"-s -w\"` 时给出建议。",
        why: "`-s` 去掉符号表，`-w` 去掉 DWARF 调试信息，两者一起通常能让 Go 二进制文件缩小四分之一到三分之一，而在 `scratch` 或 distroless 镜像里，二进制文件就占了镜像的绝大部分。生产环境不会在容器里挂调试器排查问题，而且发生 panic 时依然会打印文件名和行号。",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
        fix: "添加 `-ldflags=\"-s -w\"`，或在已有的 `-ldflags` 值前面加上 `-s -w`（安全：程序行为不变）。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    // An image that ships the Go toolchain anyway (a dev image, or GO101's single-stage
    // build) gains nothing worth a hint from a stripped binary.
    if cx.final_runtime().is_some_and(|r| r.go_toolchain.yes()) {
        return;
    }
    let shipped = cx.stages_reaching_final();
    for g in cx
        .go()
        .iter()
        .filter(|g| g.verb == GoVerb::Build && !g.onbuild)
    {
        if !shipped.contains(&g.stage) {
            continue;
        }
        let words = g.ldflags_words();
        let has = |f: &str| words.iter().any(|w| w == f);
        if has("-s") && has("-w") {
            continue;
        }
        let exec = cx
            .tree
            .instr_at(g.item)
            .is_some_and(|i| i.onbuild_target().is_exec_form());
        let missing_what = match (has("-s"), has("-w")) {
            (false, true) => text!("its symbol table", "符号表"),
            (true, false) => text!("its DWARF debug information", "DWARF 调试信息"),
            _ => text!("its symbol table and debug information", "符号表和调试信息"),
        };
        let d = sink.report(
            g.verb_range.clone(),
            Text::new(
                format!("the binary is shipped with {}; build with `-ldflags=\"-s -w\"` to make it smaller", missing_what.en),
                format!("二进制文件连同{}一起进入了镜像；使用 `-ldflags=\"-s -w\"` 构建可以让它更小", missing_what.zh),
            ),
        );
        if exec {
            continue;
        }
        let missing: Vec<&str> = ["-s", "-w"].into_iter().filter(|f| !has(f)).collect();
        let add = missing.join(" ");
        let edit = match g.ldflags() {
            Some(ld) => {
                let Some(vr) = ld.value_range.clone() else {
                    continue;
                };
                // A quoted inline value (`-ldflags="-w"`) comes as the whole word: keep
                // what follows the `=`.
                let word = cx.slice(vr.clone());
                let vr = match ["-ldflags=", "--ldflags="]
                    .iter()
                    .find(|p| word.starts_with(**p))
                {
                    Some(p) => vr.start + p.len()..vr.end,
                    None => vr,
                };
                let raw = cx.slice(vr.clone());
                // The whole word quoted (`"-ldflags=-w"`): no place to add to.
                let unquoted = raw.trim_start_matches(['"', '\'']);
                if unquoted.starts_with("-ldflags") || unquoted.starts_with("--ldflags") {
                    continue;
                }
                if raw.starts_with(['"', '\'']) {
                    Edit::insert(vr.start + 1, format!("{add} "))
                } else if raw.contains(char::is_whitespace) || raw.is_empty() {
                    continue;
                } else {
                    Edit::replace(vr, format!("\"{add} {raw}\""))
                }
            }
            None => Edit::insert(g.verb_range.end, format!(" -ldflags=\"{add}\"")),
        };
        d.with_fix(Fix::safe(
            text!("Add `{}` to `-ldflags`", "在 `-ldflags` 中加入 `{}`", add),
            vec![edit],
        ));
    }
}
