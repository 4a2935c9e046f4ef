//! Rendering of check results: human (rustc-like), JSON, SARIF 2.1.0, GitHub annotations.

use serde_json::{json, Value};

use super::FileReport;
use crate::i18n::{ui, Lang};
use crate::rules::{self, Diagnostic, Severity};

/// Line starts, with LSP's line breaks (LF, CRLF, CR).
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

/// A 1-based line and column (in characters), and the byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let b = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if b.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Lines { text, starts }
    }
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = crate::document::floor_char_boundary(self.text, offset);
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        Pos {
            line: line + 1,
            column: self.text[start..offset].chars().count() + 1,
            offset,
        }
    }
    /// The text of a 1-based line without its line break.
    pub fn line_text(&self, line: usize) -> &'a str {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

fn paint(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn sev_color(s: Severity) -> &'static str {
    match s {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
        Severity::Hint => "1;32",
    }
}

/// rustc-style output: the message, the place, the source line and a caret range.
pub fn human(reports: &[FileReport], lang: Lang, color: bool) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings, mut others) = (0, 0, 0);
    for r in reports {
        let lines = Lines::new(&r.text);
        for d in &r.diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                _ => others += 1,
            }
            let start = lines.pos(d.range.start);
            let end = lines.pos(d.range.end);
            let head = format!("{}[{}]", ui::severity(lang, d.severity), d.code);
            out.push_str(&paint(color, sev_color(d.severity), &head));
            let colon = match lang {
                Lang::En => ": ",
                Lang::Zh => "：",
            };
            out.push_str(&paint(
                color,
                "1",
                &format!("{colon}{}", d.message.get(lang)),
            ));
            out.push('\n');
            let gutter = start.line.to_string().len();
            let pad = " ".repeat(gutter);
            out.push_str(&format!(
                "{pad}{} {}:{}:{}\n",
                paint(color, "1;34", "-->"),
                r.path,
                start.line,
                start.column
            ));
            let bar = paint(color, "1;34", "|");
            out.push_str(&format!("{pad} {bar}\n"));
            let src = lines.line_text(start.line);
            out.push_str(&format!(
                "{} {bar} {}\n",
                paint(color, "1;34", &start.line.to_string()),
                src.replace('\t', " ")
            ));
            let line_chars = src.chars().count();
            let from = start.column - 1;
            let to = if end.line == start.line {
                end.column - 1
            } else {
                line_chars
            };
            let width = to.saturating_sub(from).max(1);
            let carets = paint(color, sev_color(d.severity), &"^".repeat(width));
            out.push_str(&format!("{pad} {bar} {}{}\n", " ".repeat(from), carets));
            for rel in &d.related {
                let p = lines.pos(rel.range.start);
                let colon = match lang {
                    Lang::En => ": ",
                    Lang::Zh => "：",
                };
                out.push_str(&format!(
                    "{pad} {} {}{colon}{}:{}:{}\n",
                    paint(color, "1;34", "="),
                    rel.message.get(lang),
                    r.path,
                    p.line,
                    p.column
                ));
            }
            if let Some(f) = &d.fix {
                let colon = match lang {
                    Lang::En => ": ",
                    Lang::Zh => "：",
                };
                out.push_str(&format!(
                    "{pad} {} {}{colon}{}\n",
                    paint(color, "1;34", "="),
                    ui::fix_available(lang),
                    f.title.get(lang)
                ));
            }
            out.push('\n');
        }
    }
    out.push_str(&ui::summary(lang, reports.len(), errors, warnings, others));
    out.push('\n');
    out
}

// The JSON document, written straight from borrowed data (building a `serde_json::Value`
// tree first was a tenth of a one-file run). Fields are in alphabetical order: the same
// bytes as the `Value` rendering, which sorts keys.

#[derive(serde::Serialize)]
struct JsonPos {
    column: usize,
    line: usize,
    offset: usize,
}

#[derive(serde::Serialize)]
struct JsonRange {
    end: JsonPos,
    start: JsonPos,
}

#[derive(serde::Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    range: JsonRange,
}

#[derive(serde::Serialize)]
struct JsonEdit<'a> {
    range: JsonRange,
    text: &'a str,
}

#[derive(serde::Serialize)]
struct JsonFileChange<'a> {
    action: &'static str,
    path: &'a str,
    text: &'a str,
}

#[derive(serde::Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
    files: Vec<JsonFileChange<'a>>,
    title: &'a str,
}

#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    file: &'a str,
    fix: Option<JsonFix<'a>>,
    message: &'a str,
    name: Option<&'static str>,
    peer: Option<&'static str>,
    range: JsonRange,
    related: Vec<JsonRelated<'a>>,
    severity: &'static str,
    url: Option<String>,
}

#[derive(serde::Serialize)]
struct JsonError<'a> {
    file: &'a str,
    message: &'a str,
}

#[derive(serde::Serialize)]
struct JsonSummary {
    error: usize,
    files: usize,
    hint: usize,
    info: usize,
    warning: usize,
}

#[derive(serde::Serialize)]
struct JsonDoc<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: Vec<JsonError<'a>>,
    files: Vec<&'a str>,
    language: &'static str,
    summary: JsonSummary,
    tool: &'static str,
    version: &'static str,
}

fn json_pos(p: Pos) -> JsonPos {
    JsonPos {
        column: p.column,
        line: p.line,
        offset: p.offset,
    }
}

fn diag_json<'a>(
    path: &'a str,
    lines: &Lines<'_>,
    d: &'a Diagnostic,
    lang: Lang,
) -> JsonDiagnostic<'a> {
    let range = |r: &std::ops::Range<usize>| JsonRange {
        end: json_pos(lines.pos(r.end)),
        start: json_pos(lines.pos(r.start)),
    };
    let rule = rules::rule(d.code);
    JsonDiagnostic {
        code: d.code,
        file: path,
        fix: d.fix.as_ref().map(|f| JsonFix {
            applicability: f.applicability.as_str(),
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    range: range(&e.range),
                    text: &e.text,
                })
                .collect(),
            files: f
                .files
                .iter()
                .map(|c| match c {
                    rules::FileChange::Create { path, text } => JsonFileChange {
                        action: "create",
                        path,
                        text,
                    },
                    rules::FileChange::Append { path, text } => JsonFileChange {
                        action: "append",
                        path,
                        text,
                    },
                })
                .collect(),
            title: f.title.get(lang),
        }),
        message: d.message.get(lang),
        name: rule.map(|r| r.name),
        peer: d.peer,
        range: range(&d.range),
        related: d
            .related
            .iter()
            .map(|r| JsonRelated {
                message: r.message.get(lang),
                range: range(&r.range),
            })
            .collect(),
        severity: d.severity.as_str(),
        url: rule.map(|r| r.url()),
    }
}

/// One JSON document for the whole run (docs/json-output.schema.json).
pub fn json(reports: &[FileReport], errors: &[(String, String)], lang: Lang) -> String {
    let mut diagnostics = Vec::new();
    for r in reports {
        let lines = Lines::new(&r.text);
        for d in &r.diagnostics {
            diagnostics.push(diag_json(&r.path, &lines, d, lang));
        }
    }
    let count = |s: Severity| {
        reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    };
    let doc = JsonDoc {
        diagnostics,
        errors: errors
            .iter()
            .map(|(f, m)| JsonError {
                file: f,
                message: m,
            })
            .collect(),
        files: reports.iter().map(|r| r.path.as_str()).collect(),
        language: lang.code(),
        summary: JsonSummary {
            error: count(Severity::Error),
            files: reports.len(),
            hint: count(Severity::Hint),
            info: count(Severity::Info),
            warning: count(Severity::Warning),
        },
        tool: "dockwise",
        version: env!("CARGO_PKG_VERSION"),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// SARIF 2.1.0.
pub fn sarif(reports: &[FileReport], lang: Lang) -> String {
    let rules_json: Vec<Value> = rules::REGISTRY
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.doc(lang).summary},
                "fullDescription": {"text": r.doc(lang).what},
                "helpUri": r.url(),
                "defaultConfiguration": {"level": sarif_level(r.severity)},
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        let lines = Lines::new(&r.text);
        for d in &r.diagnostics {
            let s = lines.pos(d.range.start);
            let e = lines.pos(d.range.end);
            let mut res = json!({
                "ruleId": d.code,
                "ruleIndex": rules::REGISTRY.iter().position(|x| x.code == d.code),
                "level": sarif_level(d.severity),
                "message": {"text": d.message.get(lang)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": r.path.replace('\\', "/")},
                        "region": {"startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column}
                    }
                }]
            });
            if let Some(f) = &d.fix {
                res["fixes"] = json!([{
                    "description": {"text": f.title.get(lang)},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": r.path.replace('\\', "/")},
                        "replacements": f.edits.iter().map(|ed| {
                            let a = lines.pos(ed.range.start);
                            let b = lines.pos(ed.range.end);
                            json!({
                                "deletedRegion": {"startLine": a.line, "startColumn": a.column, "endLine": b.line, "endColumn": b.column},
                                "insertedContent": {"text": ed.text}
                            })
                        }).collect::<Vec<_>>()
                    }]
                }]);
            }
            results.push(res);
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dockwise",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/dockwise/dockwise",
                "rules": rules_json,
            }},
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// GitHub Actions workflow commands.
pub fn github(reports: &[FileReport], lang: Lang) -> String {
    // Data in workflow commands escapes %, CR and LF; properties also escape : and ,.
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for r in reports {
        let lines = Lines::new(&r.text);
        for d in &r.diagnostics {
            let s = lines.pos(d.range.start);
            let e = lines.pos(d.range.end);
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            out.push_str(&format!(
                "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                prop(&r.path),
                s.line,
                s.column,
                e.line,
                e.column,
                prop(&format!("dockwise {}", d.code)),
                data(d.message.get(lang))
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let l = Lines::new("a中b\r\nxy\rz");
        assert_eq!(
            l.pos(4),
            Pos {
                line: 1,
                column: 3,
                offset: 4
            }
        );
        assert_eq!(
            l.pos(7),
            Pos {
                line: 2,
                column: 1,
                offset: 7
            }
        );
        assert_eq!(
            l.pos(10),
            Pos {
                line: 3,
                column: 1,
                offset: 10
            }
        );
        assert_eq!(l.line_text(1), "a中b");
    }
}
