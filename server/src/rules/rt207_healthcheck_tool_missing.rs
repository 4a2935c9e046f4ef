//! RT207: HEALTHCHECK calls curl or wget that the image does not have.

use super::prelude::*;
use crate::semantic::runtime::Tri;

pub static RULE: Rule = Rule {
    code: "RT207",
    name: "healthcheck-tool-missing",
    severity: Severity::Error,
    fix: FixKind::None,
    peers: &[],
    en: RuleDoc {
        summary: "`HEALTHCHECK` uses `curl` or `wget` that the image does not contain",
        what: "Flags a `HEALTHCHECK` whose command runs `curl` or `wget` in a stage that cannot have it: shell-less images (scratch, distroless) have neither; alpine has only busybox `wget`, so `curl` needs `apk add curl`; Debian slim has neither.",
        why: "The check fails every time, so Docker marks the container unhealthy and orchestrators restart a perfectly healthy service. The guide's example `CMD curl -f http://localhost:8080/health || exit 1` needs both a shell and curl. On minimal images, build a tiny health probe into your Go binary (`/app -healthcheck`) and call it in exec form.",
        bad: "FROM alpine:3.20\nCOPY app /app\nUSER 65532:65532\nHEALTHCHECK --interval=30s CMD curl -f http://localhost:8080/health || exit 1\nENTRYPOINT [\"/app\"]\n",
        good: "FROM alpine:3.20\nCOPY app /app\nUSER 65532:65532\nHEALTHCHECK --interval=30s CMD wget -q -O /dev/null http://localhost:8080/health || exit 1\nENTRYPOINT [\"/app\"]\n",
        fix: "None: install the tool, switch to one the image has, or add a health flag to the binary.",
    },
    zh: RuleDoc {
        summary: "`HEALTHCHECK` 调用了镜像中不存在的 `curl` 或 `wget`",
        what: "当 `HEALTHCHECK` 的命令在一个不可能有 `curl` 或 `wget` 的阶段中调用它们时报错：没有 shell 的镜像（scratch、distroless）两者都没有；alpine 只有 busybox 提供的 `wget`，要用 `curl` 得先 `apk add curl`；Debian slim 两者都没有。",
        why: "这样的检查每次都会失败，Docker 会把容器标记为不健康（unhealthy），编排工具就会反复重启一个其实运行良好的服务。指南中的示例 `CMD curl -f http://localhost:8080/health || exit 1` 同时需要 shell 和 curl。在精简镜像上，可以在 Go 程序里内置一个小小的健康检查（`/app -healthcheck`），再用 exec 形式调用它。",
        bad: "FROM alpine:3.20\nCOPY app /app\nUSER 65532:65532\nHEALTHCHECK --interval=30s CMD curl -f http://localhost:8080/health || exit 1\nENTRYPOINT [\"/app\"]\n",
        good: "FROM alpine:3.20\nCOPY app /app\nUSER 65532:65532\nHEALTHCHECK --interval=30s CMD wget -q -O /dev/null http://localhost:8080/health || exit 1\nENTRYPOINT [\"/app\"]\n",
        fix: "无自动修复：请安装该工具、换用镜像中已有的工具，或给二进制文件加一个健康检查参数。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for (s, rt) in cx.runtimes().iter().enumerate() {
        for i in cx.stage_instrs(s) {
            let Args::Healthcheck(h) = &i.ins.args else {
                continue;
            };
            let Some(cmd) = h.cmd.as_deref() else {
                continue;
            };
            let words: Vec<(String, std::ops::Range<usize>)> = match cmd {
                Args::Exec(w) => w
                    .first()
                    .map(|w| (w.text.to_string(), i.abs(w.span)))
                    .into_iter()
                    .collect(),
                Args::Shell(w) => {
                    // Every command word of the shell line (`curl … || exit 1`).
                    let base = i.abs(w.span).start;
                    let mut out = Vec::new();
                    let mut off = 0;
                    for part in w.text.split_inclusive(['|', '&', ';']) {
                        let trimmed = part.trim_start_matches(['|', '&', ';', ' ', '\t']);
                        let lead = part.len() - trimmed.len();
                        if let Some(word) = trimmed.split_whitespace().next() {
                            let start = base + off + lead;
                            out.push((word.to_string(), start..start + word.len()));
                        }
                        off += part.len();
                    }
                    out
                }
                _ => continue,
            };
            for (word, range) in words {
                let prog = word.rsplit('/').next().unwrap_or(&word);
                let have = match prog {
                    "curl" => rt.curl,
                    "wget" => rt.wget,
                    _ => continue,
                };
                if have != Tri::No {
                    continue;
                }
                let image = &cx.model.stages[cx.model.ancestors(s).last().copied().unwrap_or(s)]
                    .base
                    .expanded;
                let msg = if rt.shell_less() {
                    Text::new(
                        format!("`{prog}` does not exist in `{image}` (there is no shell either): this health check always fails"),
                        format!("`{image}` 中没有 `{prog}`（连 shell 也没有）：这个健康检查总会失败"),
                    )
                } else if prog == "curl" && rt.wget.yes() {
                    text!(
                        "`curl` is not installed in `{}` (it has busybox `wget`): this health check always fails; use `wget -q -O /dev/null …` or `apk add --no-cache curl`",
                        "`{}` 中没有安装 `curl`（只有 busybox 的 `wget`）：这个健康检查总会失败；请改用 `wget -q -O /dev/null …`，或 `apk add --no-cache curl`",
                        image
                    )
                } else {
                    text!(
                        "`{}` is not installed in `{}`: this health check always fails",
                        "`{1}` 中没有安装 `{0}`：这个健康检查总会失败",
                        prog,
                        image
                    )
                };
                sink.report(range, msg);
            }
        }
    }
}
