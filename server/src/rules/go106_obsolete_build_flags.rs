//! GO106: `-a -installsuffix cgo` and `-extldflags "-static"` with cgo off.

use super::prelude::*;
use crate::semantic::go::{env_for, GoCommand, GoVerb};

pub static RULE: Rule = Rule {
    code: "GO106",
    name: "obsolete-build-flags",
    severity: Severity::Info,
    fix: FixKind::Safe,
    peers: &[],
    en: RuleDoc {
        summary: "Build flags that do nothing since Go 1.10 or with cgo off",
        what: "Flags `-a -installsuffix cgo` (or `netgo`) on `go build`, and `-extldflags \"-static\"` inside `-ldflags` when `CGO_ENABLED=0`.",
        why: "`-installsuffix` kept cgo and non-cgo builds of the standard library apart in the days before the build cache; since Go 1.10 the cache keys builds by their settings, so it only slows the build down, and `-a` rebuilds every package from scratch on every build. `-extldflags` passes flags to the external C linker, which a `CGO_ENABLED=0` build never runs. Copy-pasted from old tutorials (the guide has them too), they make readers believe they matter.",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 go build -a -installsuffix cgo -o /out/app .\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n",
        fix: "Removes the flags (safe: the binary is the same, the build is faster).",
    },
    zh: RuleDoc {
        summary: "自 Go 1.10 起或关闭 cgo 后已不起作用的编译参数",
        what: "标出 `go build` 中的 `-a -installsuffix cgo`（或 `netgo`），以及 `CGO_ENABLED=0` 时 `-ldflags` 里的 `-extldflags \"-static\"`。",
        why: "在还没有编译缓存的年代，`-installsuffix` 用来把启用和禁用 cgo 编译出的标准库分开存放；从 Go 1.10 起，编译缓存会按编译设置区分结果，它只会拖慢构建，而 `-a` 会在每次构建时把所有包从头重新编译一遍。`-extldflags` 是传给外部 C 链接器的参数，而 `CGO_ENABLED=0` 的构建根本不会调用外部链接器。这些参数多半是从旧教程里照抄来的（指南里也有），会让读者误以为它们有用。",
        bad: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 go build -a -installsuffix cgo -o /out/app .\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n",
        fix: "删除这些参数（安全：产出的二进制文件不变，构建更快）。",
    },
    check,
};

/// The range to delete for a flag: the flag and the whitespace before it.
fn with_leading_space(cx: &Ctx<'_>, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let before = &cx.text[..r.start];
    let ws = before.len() - before.trim_end_matches([' ', '\t']).len();
    r.start - ws..r.end
}

fn cgo_off(cx: &Ctx<'_>, g: &GoCommand) -> bool {
    env_for(cx.model, g, "CGO_ENABLED").is_some_and(|v| v.value == "0")
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for g in cx
        .go()
        .iter()
        .filter(|g| matches!(g.verb, GoVerb::Build | GoVerb::Install | GoVerb::Test))
    {
        if let Some(suffix) = g.flag("-installsuffix") {
            let mut edits = vec![Edit::delete(with_leading_space(cx, suffix.range.clone()))];
            let mut range = suffix.range.clone();
            if let Some(a) = g.flag("-a") {
                edits.push(Edit::delete(with_leading_space(cx, a.range.clone())));
                range = a.range.start.min(range.start)..a.range.end.max(range.end);
            }
            let written = cx.slice(range.clone()).to_string();
            sink.report(
                range,
                text!(
                    "`{}` has had no use since Go 1.10: the build cache keeps cgo and non-cgo builds apart; remove it",
                    "`{}` 自 Go 1.10 起已无用处：编译缓存会自动区分启用与禁用 cgo 的编译结果；请删除",
                    written
                ),
            )
            .with_tag(Tag::Unnecessary)
            .with_fix(Fix::safe(text!("Remove `{}`", "删除 `{}`", written), edits));
        }
        // -extldflags "-static" while cgo is off.
        let Some(ld) = g.ldflags() else { continue };
        let words = g.ldflags_words();
        let Some(k) = words
            .iter()
            .position(|w| w == "-extldflags" || w.starts_with("-extldflags="))
        else {
            continue;
        };
        if !cgo_off(cx, g) {
            continue;
        }
        let static_only = words[k] == "-extldflags"
            && words.get(k + 1).is_some_and(|v| v.trim() == "-static")
            || words[k] == "-extldflags=-static";
        if !static_only {
            continue;
        }
        let vr = ld.value_range.clone().unwrap_or(ld.range.clone());
        let raw = cx.slice(vr.clone());
        // Find the `-extldflags ...-static...` text inside the raw value to delete it.
        let edit = raw.find("-extldflags").and_then(|p| {
            let rest = &raw[p..];
            let at = rest.find("-static")?;
            // The quote that opened `-static` (`"-static"`, `'-static'`, `\"-static\"`)
            // closes after it and goes too; a quote that was already open before
            // `-extldflags` (the whole `-ldflags` value) stays.
            let between = &rest["-extldflags".len()..at];
            let close = if between.ends_with("\\\"") {
                "\\\""
            } else if between.ends_with('"') {
                "\""
            } else if between.ends_with('\'') {
                "'"
            } else {
                ""
            };
            let mut end = at + "-static".len();
            if rest[end..].starts_with(close) {
                end += close.len();
            }
            let start = vr.start + p;
            Some(with_leading_space(cx, start..start + end))
        });
        let r = match &edit {
            Some(e) => {
                e.start + (cx.slice(e.clone()).len() - cx.slice(e.clone()).trim_start().len())
                    ..e.end
            }
            None => vr.clone(),
        };
        let d = sink.report(
            r,
            text!(
                "`-extldflags \"-static\"` does nothing with `CGO_ENABLED=0`: the external linker is never used; remove it",
                "`CGO_ENABLED=0` 时 `-extldflags \"-static\"` 不起作用：根本不会调用外部链接器；请删除"
            ),
        );
        d.with_tag(Tag::Unnecessary);
        if let Some(e) = edit {
            d.with_fix(Fix::safe(
                text!(
                    "Remove `-extldflags \"-static\"`",
                    "删除 `-extldflags \"-static\"`"
                ),
                vec![Edit::delete(e)],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::context::NoContext;
    use crate::rules::{fix::fix_in, Config};

    /// The build line after the safe fixes (GO105 and GO106 together).
    fn fixed_build(flags: &str) -> String {
        let text = format!(
            "FROM golang:1.22 AS b\nRUN CGO_ENABLED=0 go build {flags} -o /app .\nFROM scratch\nCOPY --from=b /app /app\n"
        );
        let out = fix_in(&text, &Config::default(), false, &NoContext, "Dockerfile").text;
        let line = out
            .lines()
            .find(|l| l.contains("go build"))
            .unwrap_or_default();
        let at = line.find("go build").unwrap_or(0);
        line[at..].to_string()
    }

    #[test]
    fn removing_extldflags_keeps_the_quotes_balanced() {
        let cases = [
            // The guide's own production line.
            (
                r#"-ldflags='-w -s -extldflags "-static"'"#,
                "go build -ldflags='-w -s' -o /app .",
            ),
            (
                r#"-ldflags '-extldflags "-static"'"#,
                "go build -ldflags '-s -w' -o /app .",
            ),
            (
                r#"-a -installsuffix cgo -ldflags '-extldflags "-static"'"#,
                "go build -ldflags '-s -w' -o /app .",
            ),
            (
                r#"-ldflags "-s -w -extldflags '-static'""#,
                r#"go build -ldflags "-s -w" -o /app ."#,
            ),
            (
                r#"-ldflags "-s -w -extldflags \"-static\"""#,
                r#"go build -ldflags "-s -w" -o /app ."#,
            ),
            (
                r#"-ldflags="-s -w -extldflags=-static""#,
                r#"go build -ldflags="-s -w" -o /app ."#,
            ),
            // GO105 alone, on a quoted inline value.
            (r#"-ldflags="-w""#, r#"go build -ldflags="-s -w" -o /app ."#),
            (
                r#"-ldflags="-X main.v=1""#,
                r#"go build -ldflags="-s -w -X main.v=1" -o /app ."#,
            ),
        ];
        for (flags, want) in cases {
            assert_eq!(fixed_build(flags), want, "{flags}");
        }
    }
}
