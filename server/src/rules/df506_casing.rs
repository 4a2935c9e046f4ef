//! DF506: casing BuildKit warns about: stage names, `AS` against `FROM`, and
//! instruction keywords that differ from the file's majority.

use super::prelude::*;

pub static RULE: Rule = Rule {
    code: "DF506",
    name: "casing",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    peers: &["StageNameCasing", "FromAsCasing", "ConsistentInstructionCasing"],
    en: RuleDoc {
        summary: "Inconsistent casing of keywords or stage names",
        what: "Flags stage names that are not lowercase, an `AS` whose case differs from its `FROM` (`FROM x as y`), and instruction keywords written in a different case from most of the file.",
        why: "BuildKit lower-cases stage names, so `--from=Builder` and `AS builder` silently refer to the same stage; mixed casing makes a file harder to read and search, and BuildKit warns about all three.",
        bad: "FROM golang:1.22 as Builder\nrun go build ./...\nRUN go vet ./...\n",
        good: "FROM golang:1.22 AS builder\nRUN go build ./...\nRUN go vet ./...\n",
        fix: "Rewrites the word in the expected case. Safe: keywords and stage names are case-insensitive.",
    },
    zh: RuleDoc {
        summary: "关键字或阶段名的大小写不一致",
        what: "标出不是小写的阶段名、与 `FROM` 大小写不一致的 `AS`（如 `FROM x as y`），以及与文件中多数指令大小写不同的指令关键字。",
        why: "BuildKit 会把阶段名统一转成小写，因此 `--from=Builder` 与 `AS builder` 会不声不响地指向同一个阶段；大小写混用让文件更难阅读和搜索，而且 BuildKit 对这三种情况都会给出警告。",
        bad: "FROM golang:1.22 as Builder\nrun go build ./...\nRUN go vet ./...\n",
        good: "FROM golang:1.22 AS builder\nRUN go build ./...\nRUN go vet ./...\n",
        fix: "按应有的大小写改写该单词。该修复是安全的：关键字和阶段名都不区分大小写。",
    },
    check,
};

fn is_lower(s: &str) -> bool {
    s.chars().all(|c| !c.is_ascii_uppercase())
}
fn is_upper(s: &str) -> bool {
    s.chars().all(|c| !c.is_ascii_lowercase())
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    // Stage names and AS casing.
    for i in cx.tree.instructions() {
        if i.ins.keyword != Keyword::From {
            continue;
        }
        let Args::List(words) = &i.ins.args else {
            continue;
        };
        if words.len() != 3 || !words[1].text.eq_ignore_ascii_case("as") {
            continue;
        }
        let name = &words[2];
        if !is_lower(&name.text) {
            let r = i.abs(name.span);
            let lower = name.text.to_ascii_lowercase();
            sink.report(
                r.clone(),
                text!(
                    "stage name `{}` should be lowercase",
                    "阶段名 `{}` 应使用小写",
                    name.text
                ),
            )
            .with_peer("StageNameCasing")
            .with_fix(Fix::safe(
                text!("Rename to `{}`", "改为 `{}`", lower),
                vec![Edit::replace(r, lower.clone())],
            ));
        }
        let from = &i.ins.keyword_text;
        let as_word = &words[1].text;
        let want = if is_lower(from) {
            Some("as")
        } else if is_upper(from) {
            Some("AS")
        } else {
            None
        };
        if let Some(want) = want {
            if as_word != want {
                let r = i.abs(words[1].span);
                sink.report(
                    r.clone(),
                    text!(
                        "`{}` does not match the casing of `{}`",
                        "`{}` 与 `{}` 的大小写不一致",
                        as_word,
                        from
                    ),
                )
                .with_peer("FromAsCasing")
                .with_fix(Fix::safe(
                    text!("Write `{}`", "改为 `{}`", want),
                    vec![Edit::replace(r, want)],
                ));
            }
        }
    }

    // Instruction keywords against the majority (global ARGs are not counted).
    let counted: Vec<InstrRef<'_>> = cx
        .tree
        .instructions()
        .filter(|i| !cx.model.before_first_from.contains(&i.index))
        .filter(|i| cx.model.stage_of_item(i.index).is_some())
        .filter(|i| i.ins.keyword != Keyword::Unknown)
        .collect();
    let lower = counted
        .iter()
        .filter(|i| is_lower(&i.ins.keyword_text))
        .count();
    let upper = counted
        .iter()
        .filter(|i| is_upper(&i.ins.keyword_text))
        .count();
    let majority_lower = lower > upper;
    for i in counted {
        let kw = &i.ins.keyword_text;
        let ok = if majority_lower {
            is_lower(kw)
        } else {
            is_upper(kw)
        };
        if ok {
            continue;
        }
        let want = if majority_lower {
            kw.to_ascii_lowercase()
        } else {
            kw.to_ascii_uppercase()
        };
        let r = i.abs(i.ins.keyword_span);
        let (case_en, case_zh) = if majority_lower {
            ("lowercase", "小写")
        } else {
            ("uppercase", "大写")
        };
        sink.report(
            r.clone(),
            Text::new(
                format!("`{kw}` should be {case_en} like the other instructions"),
                format!("`{kw}` 应与其他指令一样使用{case_zh}"),
            ),
        )
        .with_peer("ConsistentInstructionCasing")
        .with_fix(Fix::safe(
            text!("Write `{}`", "改为 `{}`", want),
            vec![Edit::replace(r, want.clone())],
        ));
    }
}
