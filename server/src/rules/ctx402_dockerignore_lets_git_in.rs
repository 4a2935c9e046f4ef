//! CTX402: .dockerignore does not exclude .git.

use super::prelude::*;
use crate::context::{find_dockerignore, DockerIgnore};
use crate::rules::go102_source_copied_before_deps::copies_whole_context;
use crate::rules::FileChange;

pub static RULE: Rule = Rule {
    code: "CTX402",
    name: "dockerignore-lets-git-in",
    severity: Severity::Info,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "`.dockerignore` does not exclude `.git`",
        what: "Flags a whole-context `COPY` when the `.dockerignore` in use lets the `.git` directory through.",
        why: "`.git` is often the largest directory of a repository and holds its whole history, including secrets that were committed and later removed. It also changes on every commit, so the `COPY . .` layer is never cached. Go does not need it unless the build stamps VCS information, which `-buildvcs=false` or an explicit `-ldflags -X` replaces.",
        bad: "# build context: go.mod, main.go, .dockerignore without .git\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n",
        good: "# build context: go.mod, main.go, .dockerignore listing .git\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n",
        fix: "Appends `.git` to the `.dockerignore` (safe; add `-buildvcs=false` to `go build` if it then complains about VCS stamping).",
    },
    zh: RuleDoc {
        summary: "`.dockerignore` 没有排除 `.git`",
        what: "当 Dockerfile 复制了整个构建上下文，而生效的 `.dockerignore` 却没有排除 `.git` 目录时给出提示。",
        why: "`.git` 往往是仓库里最大的目录，保存着完整的提交历史，包括曾经提交后又删除的敏感信息。而且每次提交它都会变化，导致 `COPY . .` 这一层永远无法命中缓存。Go 构建并不需要它，除非要把版本控制（VCS）信息写入二进制文件，而这完全可以用 `-buildvcs=false` 或显式的 `-ldflags -X` 代替。",
        bad: "# build context: go.mod, main.go, .dockerignore without .git\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n",
        good: "# build context: go.mod, main.go, .dockerignore listing .git\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n",
        fix: "在 `.dockerignore` 末尾追加 `.git`（安全；如果之后 `go build` 因无法写入 VCS 信息而报错，请加上 `-buildvcs=false`）。",
    },
    check,
};

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    if !cx.context.known() {
        return;
    }
    let Some(copy) = cx
        .tree
        .instructions()
        .find(|i| copies_whole_context(i.onbuild_target()))
    else {
        return;
    };
    let Some((path, text)) = find_dockerignore(cx.context, cx.dockerfile) else {
        return;
    };
    let ignore = DockerIgnore::parse(&text);
    if ignore.excludes_git() || ignore.fails_build() {
        return;
    }
    sink.report(
        copy.line_range(),
        text!(
            "`{}` does not exclude `.git`: the repository's history goes into the build and breaks the layer cache on every commit",
            "`{}` 没有排除 `.git`：仓库的全部历史都会进入构建，每次提交都会让层缓存失效",
            path
        ),
    )
    .with_fix(Fix::file(
        text!("Add `.git` to `{}`", "在 `{}` 中加入 `.git`", path),
        FileChange::Append {
            path,
            text: ".git\n".to_string(),
        },
    ));
}
