//! SEC302: ARG or ENV names that look like secrets.

use super::prelude::*;
use crate::syntax::NodeKind;

pub static RULE: Rule = Rule {
    code: "SEC302",
    name: "secret-in-arg-or-env",
    severity: Severity::Warning,
    fix: FixKind::None,
    peers: &["SecretsUsedInArgOrEnv", "DL3064"],
    en: RuleDoc {
        summary: "A secret is passed through `ARG` or `ENV`",
        what: "Flags `ARG` and `ENV` names that hold a word such as PASSWORD, PASSWD, SECRET, TOKEN, KEY, APIKEY, AUTH or CREDENTIALS (as a whole `_`-separated word, as BuildKit's check does; names with PUBLIC, FILE or VERSION are allowed).",
        why: "`ENV` values are stored in the image config, and `ARG` values in the image history: anyone who can pull the image can read them with `docker history` or `docker inspect`. Use a secret mount (`RUN --mount=type=secret,id=token …`) so the value never lands in a layer.",
        bad: "FROM golang:1.22 AS build\nARG GITHUB_TOKEN\nRUN git config --global url.\"https://${GITHUB_TOKEN}@github.com/\".insteadOf https://github.com/\n",
        good: "FROM golang:1.22 AS build\nRUN --mount=type=secret,id=github_token git config --global url.\"https://$(cat /run/secrets/github_token)@github.com/\".insteadOf https://github.com/\n",
        fix: "None: move the value to a secret mount (`docker build --secret id=github_token,env=GITHUB_TOKEN`).",
    },
    zh: RuleDoc {
        summary: "通过 `ARG` 或 `ENV` 传递了敏感信息",
        what: "标出名称中含有 PASSWORD、PASSWD、SECRET、TOKEN、KEY、APIKEY、AUTH、CREDENTIALS 等词（按 `_` 分隔的完整单词，与 BuildKit 的检查一致；带 PUBLIC、FILE 或 VERSION 的名称除外）的 `ARG` 和 `ENV`。",
        why: "`ENV` 的值保存在镜像配置中，`ARG` 的值保存在镜像历史中：任何能拉取镜像的人都能用 `docker history` 或 `docker inspect` 读到。请改用 secret 挂载（`RUN --mount=type=secret,id=token …`），让这些值永远不会写进任何一层。",
        bad: "FROM golang:1.22 AS build\nARG GITHUB_TOKEN\nRUN git config --global url.\"https://${GITHUB_TOKEN}@github.com/\".insteadOf https://github.com/\n",
        good: "FROM golang:1.22 AS build\nRUN --mount=type=secret,id=github_token git config --global url.\"https://$(cat /run/secrets/github_token)@github.com/\".insteadOf https://github.com/\n",
        fix: "无自动修复：请改用 secret 挂载（`docker build --secret id=github_token,env=GITHUB_TOKEN`）。",
    },
    check,
};

const SECRET: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];
const ALLOW: &[&str] = &["public", "file", "version"];

/// BuildKit's `SecretsUsedInArgOrEnv` test on a name.
pub fn looks_secret(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split('_').collect();
    words.iter().any(|w| SECRET.contains(w)) && !words.iter().any(|w| ALLOW.contains(w))
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for it in cx.tree.items() {
        let NodeKind::Instruction(ins) = &it.node.kind else {
            continue;
        };
        if !matches!(ins.keyword, Keyword::Arg | Keyword::Env) {
            continue;
        }
        let Args::Pairs { pairs, .. } = &ins.args else {
            continue;
        };
        for p in pairs {
            if !looks_secret(&p.key.text) {
                continue;
            }
            let kw = ins.keyword.as_str();
            sink.report(
                p.key.span.abs(it.start as usize),
                text!(
                    "`{}` looks like a secret; `{}` values stay readable in the image (`docker history`/`docker inspect`); use `RUN --mount=type=secret`",
                    "`{}` 看起来存放的是敏感信息；`{}` 的值会留在镜像中，可通过 `docker history`/`docker inspect` 读取；请改用 `RUN --mount=type=secret`",
                    p.key.text,
                    kw
                ),
            );
        }
    }
}
