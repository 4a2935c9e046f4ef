//! Completion: what may come at the cursor, from the syntax tree, the semantic model and
//! the knowledge file. Pure: the LSP layer converts the items.

use crate::i18n::{Lang, Text};
use crate::semantic::{self, knowledge, PLATFORM_ARGS};
use crate::syntax::{Keyword, SyntaxTree};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Keyword,
    Flag,
    Stage,
    Image,
    Variable,
    Value,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    /// One line shown beside the label.
    pub detail: Option<String>,
    pub doc: Option<Text>,
    /// Text to insert (a snippet when `snippet` is set); the label otherwise.
    pub insert: Option<String>,
    pub snippet: bool,
    /// Byte offset where the replaced word starts (the cursor is its end).
    pub replace_from: usize,
}

fn item(label: &str, kind: ItemKind, from: usize) -> Item {
    Item {
        label: label.to_string(),
        kind,
        detail: None,
        doc: None,
        insert: None,
        snippet: false,
        replace_from: from,
    }
}

/// Instruction snippets (`$1` … are tab stops).
const SNIPPETS: &[(&str, &str)] = &[
    ("FROM", "FROM ${1:golang:1.22} AS ${2:build}"),
    ("RUN", "RUN ${1:command}"),
    ("COPY", "COPY ${1:src} ${2:dest}"),
    ("ADD", "ADD ${1:src} ${2:dest}"),
    ("CMD", "CMD [\"${1:executable}\"]"),
    ("ENTRYPOINT", "ENTRYPOINT [\"${1:executable}\"]"),
    ("ENV", "ENV ${1:NAME}=${2:value}"),
    ("ARG", "ARG ${1:NAME}"),
    ("WORKDIR", "WORKDIR ${1:/app}"),
    ("USER", "USER ${1:65532:65532}"),
    ("EXPOSE", "EXPOSE ${1:8080}"),
    (
        "LABEL",
        "LABEL ${1:org.opencontainers.image.source}=${2:value}",
    ),
    (
        "HEALTHCHECK",
        "HEALTHCHECK --interval=${1:30s} CMD [\"${2:/app}\", \"${3:-health}\"]",
    ),
    ("SHELL", "SHELL [\"${1:/bin/sh}\", \"-c\"]"),
    ("VOLUME", "VOLUME ${1:/data}"),
    ("STOPSIGNAL", "STOPSIGNAL ${1:SIGTERM}"),
    ("ONBUILD", "ONBUILD ${1:RUN command}"),
];

/// Flags each instruction accepts.
fn flags_of(k: Keyword) -> &'static [&'static str] {
    match k {
        Keyword::From => &["--platform=$BUILDPLATFORM", "--platform="],
        Keyword::Copy => &[
            "--from=",
            "--chown=",
            "--chmod=",
            "--link",
            "--parents",
            "--exclude=",
        ],
        Keyword::Add => &[
            "--chown=",
            "--chmod=",
            "--checksum=",
            "--link",
            "--keep-git-dir",
            "--unpack",
            "--exclude=",
        ],
        Keyword::Run => &[
            "--mount=type=cache,target=/go/pkg/mod",
            "--mount=type=cache,target=/root/.cache/go-build",
            "--mount=type=bind,",
            "--mount=type=secret,id=",
            "--mount=type=ssh",
            "--mount=type=tmpfs,target=",
            "--network=",
            "--security=",
        ],
        Keyword::Healthcheck => &[
            "--interval=",
            "--timeout=",
            "--start-period=",
            "--start-interval=",
            "--retries=",
        ],
        _ => &[],
    }
}

/// Completions at byte `offset` of `text`.
pub fn complete(text: &str, tree: &SyntaxTree, offset: usize, lang: Lang) -> Vec<Item> {
    let offset = crate::document::floor_char_boundary(text, offset.min(text.len()));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    // The word being typed.
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == '"' || c == '\'' || c == ',' || c == '[')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    let from = line_start + word_start;

    // The first word of a line that is not continued from the one above: an instruction.
    let continued = text[..line_start]
        .trim_end_matches(['\n', '\r'])
        .trim_end()
        .ends_with(tree.escape());
    if !continued && before[..word_start].trim().is_empty() {
        let upper = word.to_ascii_uppercase();
        return SNIPPETS
            .iter()
            .filter(|(k, _)| k.starts_with(&upper))
            .map(|(k, snip)| Item {
                detail: keyword_detail(k, lang),
                insert: Some(snip.to_string()),
                snippet: true,
                ..item(k, ItemKind::Keyword, from)
            })
            .collect();
    }

    let model = semantic::analyze(text, tree);
    let instr = tree
        .item_at(offset.saturating_sub(1))
        .and_then(|k| tree.instr_at(k))
        .filter(|i| i.start <= offset && offset <= i.start + i.len);

    // `$NAME` / `${NAME`: variables in scope.
    if let Some(d) = word.rfind('$') {
        let prefix = word[d + 1..].trim_start_matches('{');
        let vfrom =
            from + d + 1 + (word[d + 1..].len() - word[d + 1..].trim_start_matches('{').len());
        let mut names: Vec<(String, Option<String>)> = Vec::new();
        match instr.and_then(|i| model.stage_of_item(i.index).map(|s| (s, i.index))) {
            Some((s, item_ix)) if model.stages[s].item != item_ix => {
                for d in model.visible_defs(s, item_ix) {
                    names.push((d.name.clone(), d.value.clone()));
                }
            }
            _ => {
                for d in &model.global_args {
                    names.push((d.name.clone(), d.value.clone()));
                }
                names.extend(PLATFORM_ARGS.iter().map(|p| (p.to_string(), None)));
            }
        }
        names.sort();
        names.dedup_by(|a, b| a.0 == b.0);
        return names
            .into_iter()
            .filter(|(n, _)| n.starts_with(prefix))
            .map(|(n, v)| Item {
                detail: v.map(|v| format!("= {v}")),
                ..item(&n, ItemKind::Variable, vfrom)
            })
            .collect();
    }

    let Some(i) = instr else { return Vec::new() };
    let ins = i.onbuild_target();

    // `--from=` in COPY: the stages above.
    if let Some(p) = word.strip_prefix("--from=") {
        let here = model.stage_of_item(i.index).unwrap_or(0);
        return model.stages[..here.min(model.stages.len())]
            .iter()
            .filter_map(|s| s.name.clone())
            .filter(|n| n.starts_with(p))
            .map(|n| item(&n, ItemKind::Stage, from + "--from=".len()))
            .collect();
    }

    // Flags right after the keyword.
    let args_start = i.abs(ins.args_span).start;
    if word.starts_with('-')
        && (offset <= args_start || ins.args_span.is_empty() || from <= args_start)
    {
        return flags_of(ins.keyword)
            .iter()
            .filter(|f| f.starts_with(word))
            .map(|f| item(f, ItemKind::Flag, from))
            .collect();
    }

    match ins.keyword {
        // Images after FROM (and its flags).
        Keyword::From if !word.starts_with('-') => {
            let mut out: Vec<Item> = Vec::new();
            for e in knowledge::known_images() {
                let name = e.name.clone();
                if name.starts_with(word) || word.is_empty() {
                    let summary = match lang {
                        Lang::En => e.summary_en.to_string(),
                        Lang::Zh => e.summary_zh.to_string(),
                    };
                    out.push(Item {
                        detail: Some(summary),
                        ..item(&name, ItemKind::Image, from)
                    });
                }
                // `golang:` → its known tags.
                if let Some(t) = word.strip_prefix(&format!("{name}:")) {
                    for tag in knowledge::tags(&name) {
                        if tag.starts_with(t) {
                            out.push(item(&format!("{name}:{tag}"), ItemKind::Image, from));
                        }
                    }
                }
            }
            out
        }
        Keyword::Run | Keyword::Env | Keyword::Arg => {
            let mut out = Vec::new();
            let line_cmd = before.trim_start();
            // `go build -…`: go's build flags.
            if ins.keyword == Keyword::Run && word.starts_with('-') && line_cmd.contains("go ") {
                for f in knowledge::go_build_flags() {
                    if f.name.starts_with(word) {
                        out.push(Item {
                            detail: Some(f.doc(lang).to_string()),
                            ..item(&f.name, ItemKind::Flag, from)
                        });
                    }
                }
                return out;
            }
            // `GOOS=` … values; `GO…` names.
            if let Some((name, value)) = word.split_once('=') {
                if let Some(e) = knowledge::go_env(name) {
                    for v in e.values.iter() {
                        if v.starts_with(value) {
                            out.push(item(v, ItemKind::Value, from + name.len() + 1));
                        }
                    }
                }
                return out;
            }
            if !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
            {
                for e in knowledge::go_envs() {
                    if e.name.starts_with(word) {
                        out.push(Item {
                            detail: Some(e.doc(lang).to_string()),
                            insert: Some(format!("{}=", e.name)),
                            ..item(&e.name, ItemKind::Variable, from)
                        });
                    }
                }
                for p in ["TARGETOS", "TARGETARCH", "TARGETPLATFORM", "BUILDPLATFORM"] {
                    if ins.keyword == Keyword::Arg && p.starts_with(word) {
                        out.push(item(p, ItemKind::Variable, from));
                    }
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

fn keyword_detail(k: &str, lang: Lang) -> Option<String> {
    let kw = Keyword::parse(k);
    crate::ide::keyword_doc(kw, lang).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn labels(text_with_cursor: &str) -> Vec<String> {
        let offset = text_with_cursor.find("$0").unwrap();
        let text = text_with_cursor.replace("$0", "");
        let tree = parse(&text);
        complete(&text, &tree, offset, Lang::En)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn multibyte_separators_do_not_panic() {
        // Found by fuzzing: a no-break space (two bytes) before the word being typed.
        let text = "FROM a\nRUN go build\u{a0}-tr";
        let tree = crate::syntax::parse(text);
        for off in 0..=text.len() {
            let _ = complete(text, &tree, off, Lang::En);
        }
    }

    #[test]
    fn instructions_at_line_start() {
        let l = labels("FROM alpine:3.20\nCO$0");
        assert_eq!(l, vec!["COPY"]);
        assert!(labels("$0").contains(&"FROM".to_string()));
    }

    #[test]
    fn flags_stages_and_variables() {
        assert!(
            labels("FROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --$0")
                .contains(&"--from=".to_string())
        );
        assert_eq!(
            labels("FROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=b$0"),
            vec!["build"]
        );
        let v = labels("ARG VERSION=1\nFROM alpine:3.20\nARG VERSION\nENV APP=1\nLABEL v=$V$0");
        assert_eq!(v, vec!["VERSION"]);
        assert!(labels("ARG GO=1.22\nFROM golang:${G$0").contains(&"GO".to_string()));
    }

    #[test]
    fn go_flags_and_env() {
        let f = labels("FROM golang:1.22\nRUN go build -tri$0");
        assert_eq!(f, vec!["-trimpath"]);
        assert!(labels("FROM golang:1.22\nRUN CGO_$0").contains(&"CGO_ENABLED".to_string()));
        let v = labels("FROM golang:1.22\nENV GOARCH=arm$0");
        assert!(v.contains(&"arm64".to_string()), "{v:?}");
        assert!(labels("FROM gola$0").contains(&"golang".to_string()));
    }
}
