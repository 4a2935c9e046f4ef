//! DF515: unknown or malformed instruction flags, including `--mount` keys.

use super::prelude::*;
use crate::syntax::{edit_distance, Flag, Instruction};

pub static RULE: Rule = Rule {
    code: "DF515",
    name: "invalid-flag",
    severity: Severity::Error,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "An instruction flag is unknown or malformed",
        what: "Checks every `--flag` against what the instruction accepts (`COPY --from --chown --chmod --link --parents --exclude`, `RUN --mount --network --security --device`, `FROM --platform`, `HEALTHCHECK --interval …`), flags that need a value, boolean values, repeated flags, the keys and values of `--mount`, and a lone `--` that turns the next flag into a path.",
        why: "BuildKit fails on an unknown flag, and `COPY -- from=build /app /app` is worse: it silently copies a local path called `from=build`.",
        bad: "FROM golang:1.22 AS build\nRUN --mount=type=cache,taget=/go/pkg/mod go mod download\nFROM scratch\nCOPY --form=build /app /app\n",
        good: "FROM golang:1.22 AS build\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nFROM scratch\nCOPY --from=build /app /app\n",
        fix: "Replaces a misspelled flag or key with the one it is one or two letters away from, and joins `-- from=` into `--from=` (safe: the misspelled form fails or does something unintended).",
    },
    zh: RuleDoc {
        summary: "指令选项（flag）未知或格式错误",
        what: "按各指令支持的选项检查每个 `--flag`（`COPY --from --chown --chmod --link --parents --exclude`，`RUN --mount --network --security --device`，`FROM --platform`，`HEALTHCHECK --interval …`），还会检查必须带值的选项、布尔值、重复的选项、`--mount` 的键和值，以及会把下一个选项变成路径的单独 `--`。",
        why: "遇到未知选项，BuildKit 会直接报错；`COPY -- from=build /app /app` 更糟：它会悄悄复制一个名为 `from=build` 的本地路径。",
        bad: "FROM golang:1.22 AS build\nRUN --mount=type=cache,taget=/go/pkg/mod go mod download\nFROM scratch\nCOPY --form=build /app /app\n",
        good: "FROM golang:1.22 AS build\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nFROM scratch\nCOPY --from=build /app /app\n",
        fix: "把拼错的选项或键替换为只差一两个字母的正确名称，并把 `-- from=` 合并为 `--from=`（安全：拼错的写法要么报错，要么行为出乎意料）。",
    },
    check,
};

#[derive(Clone, Copy, PartialEq)]
enum Ty {
    Str,
    Bool,
    /// May be given several times.
    Strs,
}

fn allowed(kw: Keyword) -> Option<&'static [(&'static str, Ty)]> {
    Some(match kw {
        Keyword::From => &[("platform", Ty::Str)],
        Keyword::Copy => &[
            ("from", Ty::Str),
            ("chown", Ty::Str),
            ("chmod", Ty::Str),
            ("link", Ty::Bool),
            ("parents", Ty::Bool),
            ("exclude", Ty::Strs),
        ],
        Keyword::Add => &[
            ("chown", Ty::Str),
            ("chmod", Ty::Str),
            ("checksum", Ty::Str),
            ("link", Ty::Bool),
            ("keep-git-dir", Ty::Bool),
            ("unpack", Ty::Bool),
            ("exclude", Ty::Strs),
        ],
        Keyword::Run => &[
            ("mount", Ty::Strs),
            ("network", Ty::Str),
            ("security", Ty::Str),
            ("device", Ty::Strs),
        ],
        Keyword::Healthcheck => &[
            ("interval", Ty::Str),
            ("timeout", Ty::Str),
            ("start-period", Ty::Str),
            ("start-interval", Ty::Str),
            ("retries", Ty::Str),
        ],
        // BuildKit never parses the flags of STOPSIGNAL: they are ignored.
        Keyword::Stopsignal | Keyword::Unknown => return None,
        _ => &[],
    })
}

fn closest<'a>(word: &str, options: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    options
        .map(|o| (edit_distance(word, o), o))
        .filter(|&(d, o)| d <= 2 && d < o.len())
        .min_by_key(|&(d, _)| d)
        .map(|(_, o)| o)
}

const MOUNT_KEYS: &[&str] = &[
    "type",
    "from",
    "source",
    "src",
    "target",
    "dst",
    "destination",
    "readonly",
    "ro",
    "readwrite",
    "rw",
    "required",
    "size",
    "id",
    "sharing",
    "mode",
    "uid",
    "gid",
    "env",
];
const MOUNT_BOOL_KEYS: &[&str] = &["readonly", "ro", "readwrite", "rw", "required"];

/// Go's time.ParseDuration, enough to validate values like `30s`, `1m30s`, `500ms`.
fn is_duration(s: &str) -> bool {
    if s == "0" {
        return true;
    }
    let mut rest = s;
    let mut any = false;
    while !rest.is_empty() {
        let num = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                .len();
        if num == 0 {
            return false;
        }
        rest = &rest[num..];
        let unit = ["ns", "us", "µs", "ms", "s", "m", "h"]
            .iter()
            .find(|u| rest.starts_with(**u) && !(**u == "m" && rest.starts_with("ms")));
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
        any = true;
    }
    any
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for i in cx.tree.instructions() {
        check_one(cx, sink, &i, i.ins);
        if let Some(inner) = i.ins.onbuild_inner() {
            check_one(cx, sink, &i, inner);
        }
    }
}

fn check_one(cx: &Ctx<'_>, sink: &mut Sink<'_>, i: &InstrRef<'_>, ins: &Instruction) {
    let kw = ins.keyword;
    let health_none =
        matches!(&ins.args, Args::Healthcheck(h) if h.kind.text.eq_ignore_ascii_case("none"));
    let Some(allowed) = allowed(kw) else { return };
    if health_none {
        return;
    }
    let kw_name = kw.as_str();
    if let Some(t) = ins.flag_terminator {
        terminator(cx, sink, i, ins, t, allowed);
    }
    let mut seen: Vec<&str> = Vec::new();
    for f in &ins.flags {
        let name = f.name.as_str();
        let Some(&(_, ty)) = allowed.iter().find(|(n, _)| *n == name) else {
            let fr = i.abs(f.name_span);
            match closest(name, allowed.iter().map(|(n, _)| *n)) {
                Some(s) => {
                    sink.report(
                        i.abs(f.span),
                        text!(
                            "`{}` has no flag `--{}` (did you mean `--{}`?)",
                            "`{}` 没有 `--{}` 选项（是不是想写 `--{}`？）",
                            kw_name,
                            name,
                            s
                        ),
                    )
                    .with_fix(Fix::safe(
                        text!("Use `--{}`", "改为 `--{}`", s),
                        vec![Edit::replace(fr, s)],
                    ));
                }
                None if allowed.is_empty() => {
                    sink.report(
                        i.abs(f.span),
                        text!("`{}` takes no flags", "`{}` 不接受任何选项", kw_name),
                    );
                }
                None => {
                    let list: Vec<String> = allowed.iter().map(|(n, _)| format!("--{n}")).collect();
                    let list = list.join(", ");
                    sink.report(
                        i.abs(f.span),
                        text!(
                            "`{}` has no flag `--{}`; it accepts {}",
                            "`{}` 没有 `--{}` 选项；可用的选项有 {}",
                            kw_name,
                            name,
                            list
                        ),
                    );
                }
            };
            continue;
        };
        if ty != Ty::Strs && seen.contains(&name) {
            sink.report(
                i.abs(f.span),
                text!("`--{}` is given twice", "`--{}` 指定了两次", name),
            );
        }
        seen.push(name);
        match (ty, &f.value) {
            (Ty::Str | Ty::Strs, None) => {
                sink.report(
                    i.abs(f.span),
                    text!(
                        "`--{}` needs a value: `--{}=…`",
                        "`--{}` 需要一个值：`--{}=…`",
                        name,
                        name
                    ),
                );
            }
            (Ty::Str | Ty::Strs, Some(v)) if v.is_empty() => {
                sink.report(
                    i.abs(f.span),
                    text!("`--{}` has an empty value", "`--{}` 的值为空", name),
                );
            }
            (Ty::Bool, Some(v)) if !matches!(v.to_ascii_lowercase().as_str(), "true" | "false") => {
                sink.report(
                    i.abs(f.span),
                    text!(
                        "`--{}` is a switch: write `--{}` or `--{}=false`",
                        "`--{}` 是开关选项：请写成 `--{}` 或 `--{}=false`",
                        name,
                        name,
                        name
                    ),
                );
            }
            _ => {}
        }
        let Some(v) = f.value.as_deref().filter(|v| !v.is_empty()) else {
            continue;
        };
        let vr = f
            .value_span
            .map(|s| i.abs(s))
            .unwrap_or_else(|| i.abs(f.span));
        match (kw, name) {
            (Keyword::Copy, "from") if v.contains('$') => {
                sink.report(
                    vr,
                    text!(
                        "`--from` does not expand variables; define a stage with `FROM ${{…}} AS name` and copy from it",
                        "`--from` 不支持变量展开；请用 `FROM ${{…}} AS 名称` 定义一个阶段，再从该阶段复制"
                    ),
                );
            }
            (Keyword::Run, "mount") => mount(sink, i, f),
            (Keyword::Run, "network") if !matches!(v, "default" | "none" | "host") => {
                sink.report(
                    vr,
                    text!(
                        "`--network={}` is not valid: use `default`, `none` or `host`",
                        "`--network={}` 无效：只能是 `default`、`none` 或 `host`",
                        v
                    ),
                );
            }
            (Keyword::Run, "security") if !matches!(v, "sandbox" | "insecure") => {
                sink.report(
                    vr,
                    text!(
                        "`--security={}` is not valid: use `sandbox` or `insecure`",
                        "`--security={}` 无效：只能是 `sandbox` 或 `insecure`",
                        v
                    ),
                );
            }
            (Keyword::Healthcheck, "retries") if v.parse::<u32>().is_err() && !v.contains('$') => {
                sink.report(
                    vr,
                    text!(
                        "`--retries={}` must be a whole number ≥ 0",
                        "`--retries={}` 必须是大于等于 0 的整数",
                        v
                    ),
                );
            }
            (Keyword::Healthcheck, _)
                if name != "retries" && !is_duration(v) && !v.contains('$') =>
            {
                sink.report(
                    vr,
                    text!(
                        "`--{}={}` is not a duration; write e.g. `30s`, `1m30s` or `500ms`",
                        "`--{}={}` 不是有效的时长；应写成 `30s`、`1m30s` 或 `500ms` 这样的形式",
                        name,
                        v
                    ),
                );
            }
            _ => {}
        }
    }
}

/// `COPY -- from=x`: a lone `--` ends the flags.
fn terminator(
    cx: &Ctx<'_>,
    sink: &mut Sink<'_>,
    i: &InstrRef<'_>,
    ins: &Instruction,
    t: crate::syntax::Span,
    allowed: &[(&str, Ty)],
) {
    let tr = i.abs(t);
    let next = ins
        .args
        .words()
        .first()
        .map(|w| (w.text.clone(), i.abs(w.span)));
    let looks_like_flag = next.as_ref().and_then(|(w, _)| {
        let name = w.split('=').next().unwrap_or("");
        allowed
            .iter()
            .any(|(n, _)| *n == name)
            .then(|| name.to_string())
    });
    match (looks_like_flag, next) {
        (Some(name), Some((word, wr))) => {
            let _ = cx;
            sink.report(
                tr.start..wr.end,
                text!(
                    "`-- {}` is not a flag: the lone `--` ends the flags, so `{}` is read as a path; write `--{}`",
                    "`-- {}` 不是选项：单独的 `--` 表示选项到此结束，`{}` 会被当作路径；请写成 `--{}`",
                    word,
                    word,
                    word
                ),
            )
            .with_fix(Fix::safe(
                text!("Write `--{}`", "改为 `--{}`", name),
                vec![Edit::replace(tr.start..wr.start, "--")],
            ));
        }
        _ => {
            sink.report(
                tr,
                text!(
                    "a lone `--` ends the flags; remove it",
                    "单独的 `--` 表示选项到此结束；请删除它"
                ),
            )
            .with_severity(Severity::Warning);
        }
    }
}

fn mount(sink: &mut Sink<'_>, i: &InstrRef<'_>, f: &Flag) {
    let mut ty = "bind";
    let mut has_target = false;
    let mut unknown_key = false;
    if f.parts.is_empty() {
        if let Some(v) = &f.value {
            // A single bare field (`--mount=cache`).
            sink.report(
                i.abs(f.span),
                text!(
                    "`--mount={}` needs `key=value` fields, e.g. `--mount=type=cache,target=/go/pkg/mod`",
                    "`--mount={}` 需要 `key=value` 形式的字段，例如 `--mount=type=cache,target=/go/pkg/mod`",
                    v
                ),
            );
        }
        return;
    }
    for p in &f.parts {
        let key = p.key.to_ascii_lowercase();
        let kr = i.abs(p.key_span);
        if !MOUNT_KEYS.contains(&key.as_str()) {
            unknown_key = true;
            match closest(&key, MOUNT_KEYS.iter().copied()) {
                Some(s) => {
                    sink.report(
                        kr.clone(),
                        text!(
                            "unknown `--mount` key `{}` (did you mean `{}`?)",
                            "未知的 `--mount` 键 `{}`（是不是想写 `{}`？）",
                            p.key,
                            s
                        ),
                    )
                    .with_fix(Fix::safe(
                        text!("Use `{}`", "改为 `{}`", s),
                        vec![Edit::replace(kr, s)],
                    ));
                }
                None => {
                    sink.report(
                        kr,
                        text!(
                            "unknown `--mount` key `{}`",
                            "未知的 `--mount` 键 `{}`",
                            p.key
                        ),
                    );
                }
            }
            continue;
        }
        let value = p.value.as_deref();
        if value.is_none() && !MOUNT_BOOL_KEYS.contains(&key.as_str()) {
            sink.report(
                i.abs(p.span),
                text!(
                    "`--mount` field `{}` needs a value: `{}=…`",
                    "`--mount` 字段 `{}` 需要一个值：`{}=…`",
                    p.key,
                    p.key
                ),
            );
            continue;
        }
        let vr = p.value_span.map(|s| i.abs(s)).unwrap_or(kr.clone());
        match (key.as_str(), value) {
            ("type", Some(v)) => {
                if matches!(v, "bind" | "cache" | "tmpfs" | "secret" | "ssh") {
                    ty = match v {
                        "cache" => "cache",
                        "tmpfs" => "tmpfs",
                        "secret" => "secret",
                        "ssh" => "ssh",
                        _ => "bind",
                    };
                } else {
                    let d = sink.report(
                        vr.clone(),
                        text!(
                            "unknown mount type `{}`: use `bind`, `cache`, `tmpfs`, `secret` or `ssh`",
                            "未知的挂载类型 `{}`：只能是 `bind`、`cache`、`tmpfs`、`secret` 或 `ssh`",
                            v
                        ),
                    );
                    if let Some(s) =
                        closest(v, ["bind", "cache", "tmpfs", "secret", "ssh"].into_iter())
                    {
                        d.with_fix(Fix::safe(
                            text!("Use `{}`", "改为 `{}`", s),
                            vec![Edit::replace(vr, s)],
                        ));
                    }
                }
            }
            ("target" | "dst" | "destination", _) => has_target = true,
            ("sharing", Some(v)) if !matches!(v, "shared" | "private" | "locked") => {
                sink.report(
                    vr,
                    text!(
                        "`sharing={}` is not valid: use `shared`, `private` or `locked`",
                        "`sharing={}` 无效：只能是 `shared`、`private` 或 `locked`",
                        v
                    ),
                );
            }
            ("from", Some(v)) if v.find('$').is_some_and(|k| k + 1 != v.len()) => {
                sink.report(
                    vr,
                    text!(
                        "`from` in `--mount` does not expand variables; define a stage alias instead",
                        "`--mount` 中的 `from` 不支持变量展开；请改为定义一个阶段别名"
                    ),
                );
            }
            ("required", _) if !matches!(ty, "secret" | "ssh") => {
                sink.report(
                    kr,
                    text!(
                        "`required` only applies to `secret` and `ssh` mounts (and must come after `type=`)",
                        "`required` 只适用于 `secret` 和 `ssh` 挂载（并且必须写在 `type=` 之后）"
                    ),
                );
            }
            ("size", _) if ty != "tmpfs" => {
                sink.report(
                    kr,
                    text!(
                        "`size` only applies to `tmpfs` mounts",
                        "`size` 只适用于 `tmpfs` 挂载"
                    ),
                );
            }
            ("mode" | "uid" | "gid", _) if !matches!(ty, "secret" | "ssh" | "cache") => {
                sink.report(
                    kr,
                    text!(
                        "`{}` is not allowed for `{}` mounts",
                        "`{}` 不能用于 `{}` 类型的挂载",
                        key,
                        ty
                    ),
                );
            }
            _ => {}
        }
    }
    // A misspelled `target` key was reported already.
    // A bind mount without a target mounts at the WORKDIR; cache and tmpfs need one.
    if !has_target && !unknown_key && matches!(ty, "cache" | "tmpfs") {
        sink.report(
            i.abs(f.span),
            text!(
                "a `{}` mount needs `target=`: where to mount it",
                "`{}` 挂载需要用 `target=` 指定挂载位置",
                ty
            ),
        );
    }
}
