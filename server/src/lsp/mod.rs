//! The language server: tower-lsp-server glue over the pure core. Only this layer (and
//! `cli`) knows about tokio, the protocol types and the file system.
//!
//! Ordering rule (DESIGN.md): every notification applies its edit to the document store
//! synchronously, before its first `.await`; analysis runs afterwards on a snapshot in
//! `spawn_blocking`, and is published only if the document's version is still current.

mod disk_cache;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, RwLock};

use dashmap::DashMap;
use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::cli::fs_context::FsContext;
use crate::context::{BuildContext, NoContext};
use crate::document::{Document, Position as DocPos, PositionEncoding};
use crate::i18n::{Lang, Text};
use crate::rules::{self, Applicability, Config, Diagnostic as Finding, Severity};

/// Which language(s) messages are shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    One(Lang),
    Both,
}

impl Shown {
    fn text(self, t: &Text) -> String {
        match self {
            Shown::One(l) => t.get(l).to_string(),
            Shown::Both => format!("{}\n{}", t.en, t.zh),
        }
    }
    fn lang(self) -> Lang {
        match self {
            Shown::One(l) => l,
            Shown::Both => Lang::En,
        }
    }
}

#[derive(Clone, Debug)]
struct Settings {
    encoding: PositionEncoding,
    shown: Shown,
    config: Config,
    /// The client's locale, used when the language setting is `auto`.
    locale_lang: Lang,
    /// The client pulls diagnostics (`textDocument/diagnostic`); we do not push them.
    pull: bool,
}

pub struct Backend {
    client: Client,
    docs: Arc<DashMap<Uri, Document>>,
    settings: Arc<RwLock<Settings>>,
}

fn read_settings(s: &RwLock<Settings>) -> Settings {
    match s.read() {
        Ok(g) => g.clone(),
        Err(p) => p.into_inner().clone(),
    }
}

/// `auto`, `en`, `zh`, `both` → what to show, given the client's locale.
fn shown_from(value: Option<&str>, locale: Lang) -> Shown {
    match value.map(str::to_ascii_lowercase).as_deref() {
        Some("both") => Shown::Both,
        Some(v) => Lang::parse(v).map_or(Shown::One(locale), Shown::One),
        None => Shown::One(locale),
    }
}

/// Applies `language`, `ignore`, `severity`, `target` from an options object.
fn apply_options(settings: &mut Settings, options: &Value) {
    SETTINGS_GENERATION.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let options = options.get("dockwise").unwrap_or(options);
    if let Some(l) = options.get("language").and_then(Value::as_str) {
        settings.shown = shown_from(Some(l), settings.locale_lang);
    }
    if let Some(list) = options.get("ignore").and_then(Value::as_array) {
        settings.config.ignore = list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
    }
    if let Some(map) = options.get("severity").and_then(Value::as_object) {
        settings.config.severity = map
            .iter()
            .filter_map(|(k, v)| {
                let rule = rules::rule_for_name(k)?;
                Some((rule.code.to_string(), Severity::parse(v.as_str()?)?))
            })
            .collect();
    }
    if let Some(t) = options.get("target") {
        settings.config.target = t.as_str().map(str::to_string);
    }
}

fn lsp_pos(p: DocPos) -> Position {
    Position::new(p.line, p.character)
}

fn range_of(doc: &Document, r: &std::ops::Range<usize>, enc: PositionEncoding) -> Range {
    Range::new(
        lsp_pos(doc.position_of(r.start, enc)),
        lsp_pos(doc.position_of(r.end, enc)),
    )
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// The build context of a document: the folder of its file, when it is one.
fn context_of(uri: &Uri) -> (Box<dyn BuildContext>, String) {
    match uri.to_file_path() {
        Some(p) => {
            let (ctx, name) = FsContext::for_dockerfile(&PathBuf::from(p.as_ref()));
            (disk_cache::context(&ctx.root), name)
        }
        None => (Box::new(NoContext), "Dockerfile".to_string()),
    }
}

/// The configuration for a document: `dockwise.toml` found upward from its file, with
/// the editor's settings on top.
fn config_for(uri: &Uri, settings: &Config) -> Config {
    let path = uri.to_file_path().map(|p| PathBuf::from(p.as_ref()));
    let find = || {
        crate::cli::find_config(None, false, path.as_deref(), Lang::En)
            .ok()
            .flatten()
    };
    let file = match path.as_deref().and_then(|p| p.parent()) {
        Some(dir) => disk_cache::file_config(dir, find),
        None => find(),
    };
    let mut c = file.map(|f| f.config).unwrap_or_default();
    c.ignore.extend(settings.ignore.iter().cloned());
    c.severity
        .extend(settings.severity.iter().map(|(k, v)| (k.clone(), *v)));
    if settings.target.is_some() {
        c.target = settings.target.clone();
    }
    c
}

/// Documents larger than this are edited, outlined and hovered but not checked: no real
/// Dockerfile comes near it, and checking a generated monster would stall the editor.
const MAX_CHECKED_BYTES: usize = 2 << 20;

/// Runs the rules on a snapshot (blocking work).
fn analyze(doc: &Document, uri: &Uri, config: &Config) -> Vec<Finding> {
    analysis(doc, uri, config).map_or_else(Vec::new, |a| a.diagnostics.clone())
}

/// The findings and the semantic model they were computed on; `None` for a document
/// too large to check. The last one of each document is kept and handed out again
/// while the document's version, the settings and what was read from disk are the
/// same: the publish after an edit, then a hover or a code action at that version,
/// share one analysis.
fn analysis(doc: &Document, uri: &Uri, config: &Config) -> Option<Arc<rules::Analysis>> {
    if doc.text().len() > MAX_CHECKED_BYTES {
        return None;
    }
    let key = (
        doc.version(),
        SETTINGS_GENERATION.load(std::sync::atomic::Ordering::SeqCst),
        disk_cache::generation(),
    );
    if let Some((k, a)) = analyses().as_ref().and_then(|m| m.get(uri)) {
        if *k == key {
            return Some(a.clone());
        }
    }
    let (ctx, name) = context_of(uri);
    let config = config_for(uri, config);
    let a = Arc::new(rules::check_in(
        doc.text(),
        doc.tree(),
        &config,
        ctx.as_ref(),
        &name,
    ));
    analyses()
        .get_or_insert_with(std::collections::HashMap::new)
        .insert(uri.clone(), (key, a.clone()));
    Some(a)
}

/// The last analysis of each open document, with the (version, settings generation,
/// disk generation) it was made for.
type Analyses = std::collections::HashMap<Uri, ((i32, u64, u64), Arc<rules::Analysis>)>;
static ANALYSES: std::sync::Mutex<Option<Analyses>> = std::sync::Mutex::new(None);

fn analyses() -> std::sync::MutexGuard<'static, Option<Analyses>> {
    ANALYSES.lock().unwrap_or_else(|p| p.into_inner())
}

/// Forgets a document's kept analysis (opened again, or closed).
fn forget_analysis(uri: &Uri) {
    if let Some(m) = analyses().as_mut() {
        m.remove(uri);
    }
}

/// Bumped whenever the settings change, so no analysis made under the old ones is reused.
static SETTINGS_GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The diagnostics of a snapshot, as the client sees them.
fn lsp_diagnostics(doc: &Document, uri: &Uri, s: &Settings) -> Vec<Diagnostic> {
    if doc.text().len() > MAX_CHECKED_BYTES {
        let mb = doc.text().len() as f64 / (1 << 20) as f64;
        let msg = crate::text!(
            "This file is {:.1} MiB; dockwise checks Dockerfiles up to 2 MiB, so it is not checked.",
            "这个文件有 {:.1} MiB；dockwise 只检查 2 MiB 以内的 Dockerfile，因此没有检查它。",
            mb
        );
        return vec![Diagnostic {
            range: Range::new(Position::new(0, 0), Position::new(0, 0)),
            severity: Some(DiagnosticSeverity::INFORMATION),
            source: Some("dockwise".to_string()),
            message: s.shown.text(&msg),
            ..Diagnostic::default()
        }];
    }
    analyze(doc, uri, &s.config)
        .iter()
        .map(|d| to_lsp(doc, uri, d, s))
        .collect()
}

fn to_lsp(doc: &Document, uri: &Uri, d: &Finding, s: &Settings) -> Diagnostic {
    let rule = rules::rule(d.code);
    let related = d
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), range_of(doc, &r.range, s.encoding)),
            message: s.shown.text(&r.message),
        })
        .collect::<Vec<_>>();
    let tags: Vec<DiagnosticTag> = d
        .tags
        .iter()
        .map(|t| match t {
            rules::Tag::Unnecessary => DiagnosticTag::UNNECESSARY,
            rules::Tag::Deprecated => DiagnosticTag::DEPRECATED,
        })
        .collect();
    Diagnostic {
        range: range_of(doc, &d.range, s.encoding),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: rule
            .and_then(|r| Uri::from_str(&r.url()).ok())
            .map(|href| CodeDescription { href }),
        source: Some("dockwise".to_string()),
        message: s.shown.text(&d.message),
        related_information: (!related.is_empty()).then_some(related),
        tags: (!tags.is_empty()).then_some(tags),
        data: d
            .fix
            .as_ref()
            .map(|f| serde_json::json!({"fix": s.shown.text(&f.title)})),
    }
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            docs: Arc::new(DashMap::new()),
            settings: Arc::new(RwLock::new(Settings {
                encoding: PositionEncoding::Utf16,
                shown: Shown::One(Lang::En),
                config: Config::default(),
                locale_lang: Lang::En,
                pull: false,
            })),
        }
    }

    /// Analyses the current version of a document and publishes its diagnostics, unless
    /// a newer version arrived meanwhile.
    async fn refresh(&self, uri: Uri) {
        let Some(snapshot) = self.docs.get(&uri).map(|d| d.clone()) else {
            return;
        };
        let settings = read_settings(&self.settings);
        if settings.pull {
            return;
        }
        let version = snapshot.version();
        let u = uri.clone();
        let s = settings.clone();
        let result = tokio::task::spawn_blocking(move || lsp_diagnostics(&snapshot, &u, &s)).await;
        let Ok(diags) = result else { return };
        let current = self.docs.get(&uri).map(|d| d.version());
        if current == Some(version) {
            self.client
                .publish_diagnostics(uri, diags, Some(version))
                .await;
        }
    }

    /// A snapshot of an open document for the read-only handlers: the document, the
    /// position encoding, its semantic model and, given a position, its byte offset.
    fn view(
        &self,
        uri: &Uri,
        pos: Option<Position>,
    ) -> Option<(Document, PositionEncoding, crate::semantic::Model, usize)> {
        let doc = self.docs.get(uri).map(|d| d.clone())?;
        let enc = read_settings(&self.settings).encoding;
        let offset = pos.map_or(0, |p| doc.offset_of(DocPos::new(p.line, p.character), enc));
        let model = crate::semantic::analyze(doc.text(), doc.tree());
        Some((doc, enc, model, offset))
    }

    async fn refresh_all(&self) {
        if read_settings(&self.settings).pull {
            // The client asks again when told that what it holds is stale.
            let _ = self.client.workspace_diagnostic_refresh().await;
            return;
        }
        let uris: Vec<Uri> = self.docs.iter().map(|e| e.key().clone()).collect();
        for u in uris {
            self.refresh(u).await;
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
        {
            let mut s = match self.settings.write() {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
            s.encoding = if utf8 {
                PositionEncoding::Utf8
            } else {
                PositionEncoding::Utf16
            };
            s.pull = params
                .capabilities
                .text_document
                .as_ref()
                .is_some_and(|t| t.diagnostic.is_some());
            // No locale from the client (Neovim, Helix): the environment the editor started
            // the server in decides, as for the command line.
            s.locale_lang = params
                .locale
                .as_deref()
                .map_or_else(crate::cli::lang_from_env, Lang::from_locale);
            s.shown = Shown::One(s.locale_lang);
            if let Some(o) = &params.initialization_options {
                apply_options(&mut s, o);
            }
        }
        let pull = read_settings(&self.settings).pull;
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(if utf8 {
                    PositionEncodingKind::UTF8
                } else {
                    PositionEncodingKind::UTF16
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Kind(
                    TextDocumentSyncKind::INCREMENTAL,
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("dockwise".to_string()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                    })
                }),
                document_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                inlay_hint_provider: Some(OneOf::Left(true)),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend: SemanticTokensLegend {
                                token_types: crate::ide::tokens::LEGEND
                                    .iter()
                                    .map(|t| SemanticTokenType::new(t))
                                    .collect(),
                                token_modifiers: vec![SemanticTokenModifier::DECLARATION],
                            },
                            full: Some(SemanticTokensFullOptions::Bool(true)),
                            range: None,
                            work_done_progress_options: WorkDoneProgressOptions::default(),
                        },
                    ),
                ),
                document_formatting_provider: Some(OneOf::Left(true)),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                }),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(
                        ["-", "$", "{", "=", ":"]
                            .iter()
                            .map(|c| c.to_string())
                            .collect(),
                    ),
                    ..CompletionOptions::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::new("source.fixAll.dockwise"),
                            CodeActionKind::REFACTOR_REWRITE,
                        ]),
                        ..CodeActionOptions::default()
                    },
                )),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "dockwise".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        // Files beside the Dockerfile change what the rules say: watch them.
        let watchers = [
            "**/go.mod",
            "**/go.sum",
            "**/.dockerignore",
            "**/*.dockerignore",
            "**/dockwise.toml",
            "**/.dockwise.toml",
        ]
        .iter()
        .map(|g| FileSystemWatcher {
            glob_pattern: GlobPattern::String(g.to_string()),
            kind: None,
        })
        .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "dockwise-watch".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        // A client that cannot register watchers still works; it just does not refresh.
        let _ = self.client.register_capability(vec![registration]).await;
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        disk_cache::clear();
        self.refresh_all().await;
    }

    async fn shutdown(&self) -> Result<()> {
        SHUT_DOWN.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        // A reopened document may start again at a version seen before.
        forget_analysis(&d.uri);
        self.docs
            .insert(d.uri.clone(), Document::new(d.text, d.version));
        self.refresh(d.uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let enc = read_settings(&self.settings).encoding;
        // Applied before the first `.await`: edits keep their order.
        {
            let Some(mut doc) = self.docs.get_mut(&uri) else {
                return;
            };
            for c in params.content_changes {
                let range = c.range.map(|r| {
                    (
                        DocPos::new(r.start.line, r.start.character),
                        DocPos::new(r.end.line, r.end.character),
                    )
                });
                doc.apply_change(range, &c.text, enc);
            }
            doc.set_version(params.text_document.version);
        }
        self.refresh(uri).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.docs.remove(&params.text_document.uri);
        forget_analysis(&params.text_document.uri);
        self.client
            .publish_diagnostics(params.text_document.uri, Vec::new(), None)
            .await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        {
            let mut s = match self.settings.write() {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
            apply_options(&mut s, &params.settings);
        }
        self.refresh_all().await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let pos = params.text_document_position_params.position;
        let Some(doc) = self.docs.get(&uri).map(|d| d.clone()) else {
            return Ok(None);
        };
        let s = read_settings(&self.settings);
        let offset = doc.offset_of(DocPos::new(pos.line, pos.character), s.encoding);
        // One analysis gives both the findings and the model the hovers read.
        let analysis = analysis(&doc, &uri, &s.config).unwrap_or_else(|| {
            Arc::new(rules::Analysis {
                model: crate::semantic::analyze(doc.text(), doc.tree()),
                diagnostics: Vec::new(),
            })
        });
        let (findings, model) = (&analysis.diagnostics, &analysis.model);
        let shown = |f: &dyn Fn(Lang) -> Option<String>| match s.shown {
            Shown::Both => match (f(Lang::En), f(Lang::Zh)) {
                (Some(en), Some(zh)) => Some(format!("{en}\n\n---\n\n{zh}")),
                (a, b) => a.or(b),
            },
            Shown::One(l) => f(l),
        };
        let mut parts: Vec<String> = Vec::new();
        let mut range: Option<std::ops::Range<usize>> = None;
        // Over a finding: the rule's explanation.
        if let Some(d) = findings
            .iter()
            .find(|d| d.range.start <= offset && offset <= d.range.end)
        {
            if let Some(rule) = rules::rule(d.code) {
                if let Some(t) = shown(&|l| Some(hover_text(rule, l))) {
                    parts.push(t);
                    range = Some(d.range.clone());
                }
            }
        }
        // What is under the cursor: image, stage, variable, flag, Go flag or variable.
        let tree = doc.tree();
        let mut what_range = None;
        if let Some((r, t)) =
            crate::ide::hover::hover(doc.text(), tree, model, offset, s.shown.lang())
        {
            what_range = Some(r);
            // The range is the same in both languages; only `both` needs the second text.
            let zh = (s.shown == Shown::Both)
                .then(|| crate::ide::hover::hover(doc.text(), tree, model, offset, Lang::Zh))
                .flatten();
            parts.push(match zh {
                Some((_, zh)) => format!("{t}\n\n---\n\n{zh}"),
                None => t,
            });
        }
        // Over an instruction keyword: what it does.
        if parts.is_empty() {
            if let Some(i) = tree.instructions().find(|i| {
                i.abs(i.ins.keyword_span).contains(&offset)
                    || i.abs(i.ins.keyword_span).end == offset
            }) {
                let k = i.ins.keyword;
                if let Some(t) = shown(&|l| {
                    crate::ide::keyword_doc(k, l).map(|d| format!("**{}** — {}", k.as_str(), d))
                }) {
                    parts.push(t);
                    what_range = Some(i.abs(i.ins.keyword_span));
                }
            }
        }
        if parts.is_empty() {
            return Ok(None);
        }
        let r = range.or(what_range).unwrap_or(offset..offset);
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range: Some(range_of(&doc, &r, s.encoding)),
        }))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some((doc, enc, model, _)) = self.view(&params.text_document.uri, None) else {
            return Ok(None);
        };
        let syms = crate::ide::navigation::symbols(doc.text(), doc.tree(), &model);
        fn conv(
            doc: &Document,
            s: crate::ide::navigation::Symbol,
            enc: PositionEncoding,
            top: bool,
        ) -> DocumentSymbol {
            #[allow(deprecated)]
            DocumentSymbol {
                name: s.name,
                detail: Some(s.detail),
                kind: if top {
                    SymbolKind::MODULE
                } else {
                    SymbolKind::FUNCTION
                },
                tags: None,
                deprecated: None,
                range: range_of(doc, &s.range, enc),
                selection_range: range_of(doc, &s.selection, enc),
                children: Some(
                    s.children
                        .into_iter()
                        .map(|c| conv(doc, c, enc, false))
                        .collect(),
                ),
            }
        }
        Ok(Some(DocumentSymbolResponse::Nested(
            syms.into_iter().map(|s| conv(&doc, s, enc, true)).collect(),
        )))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some((doc, _, model, _)) = self.view(&params.text_document.uri, None) else {
            return Ok(None);
        };
        let mut out: Vec<FoldingRange> =
            crate::ide::navigation::folding(doc.text(), doc.tree(), &model)
                .into_iter()
                .map(|r| {
                    let start = doc.line_of(r.start) as u32;
                    let end_off = doc
                        .text()
                        .get(..r.end)
                        .map_or(r.end, |t| t.trim_end().len());
                    let end = doc.line_of(end_off) as u32;
                    FoldingRange {
                        start_line: start,
                        end_line: end,
                        ..FoldingRange::default()
                    }
                })
                .filter(|f| f.end_line > f.start_line)
                .collect();
        out.sort_by_key(|f| (f.start_line, f.end_line));
        out.dedup_by_key(|f| (f.start_line, f.end_line));
        Ok(Some(out))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let uri = params.text_document_position_params.text_document.uri;
        let pos = params.text_document_position_params.position;
        let Some((doc, enc, model, offset)) = self.view(&uri, Some(pos)) else {
            return Ok(None);
        };
        Ok(crate::ide::navigation::definition(&model, offset).map(|r| {
            GotoDefinitionResponse::Scalar(Location::new(uri.clone(), range_of(&doc, &r, enc)))
        }))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let uri = params.text_document_position.text_document.uri;
        let pos = params.text_document_position.position;
        let Some((doc, enc, model, offset)) = self.view(&uri, Some(pos)) else {
            return Ok(None);
        };
        let refs = crate::ide::navigation::references(&model, offset);
        let skip_decl = !params.context.include_declaration;
        let def = crate::ide::navigation::definition(&model, offset);
        Ok(Some(
            refs.into_iter()
                .filter(|r| !(skip_decl && Some(r) == def.as_ref()))
                .map(|r| Location::new(uri.clone(), range_of(&doc, &r, enc)))
                .collect(),
        ))
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let uri = params.text_document_position_params.text_document.uri;
        let pos = params.text_document_position_params.position;
        let Some((doc, enc, model, offset)) = self.view(&uri, Some(pos)) else {
            return Ok(None);
        };
        let def = crate::ide::navigation::definition(&model, offset);
        Ok(Some(
            crate::ide::navigation::references(&model, offset)
                .into_iter()
                .map(|r| DocumentHighlight {
                    kind: Some(if Some(&r) == def.as_ref() {
                        DocumentHighlightKind::WRITE
                    } else {
                        DocumentHighlightKind::READ
                    }),
                    range: range_of(&doc, &r, enc),
                })
                .collect(),
        ))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let Some((doc, enc, model, offset)) =
            self.view(&params.text_document.uri, Some(params.position))
        else {
            return Ok(None);
        };
        Ok(crate::ide::navigation::references(&model, offset)
            .into_iter()
            .find(|r| r.start <= offset && offset <= r.end)
            .map(|r| PrepareRenameResponse::Range(range_of(&doc, &r, enc))))
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let uri = params.text_document_position.text_document.uri;
        let pos = params.text_document_position.position;
        let Some((doc, _, model, offset)) = self.view(&uri, Some(pos)) else {
            return Ok(None);
        };
        let s = read_settings(&self.settings);
        match crate::ide::navigation::rename(doc.text(), &model, offset, &params.new_name) {
            Ok(ranges) => {
                let new = params.new_name.trim().to_string();
                let edits = ranges
                    .into_iter()
                    .map(|r| TextEdit::new(range_of(&doc, &r, s.encoding), new.clone()))
                    .collect();
                Ok(Some(WorkspaceEdit {
                    changes: Some([(uri, edits)].into_iter().collect()),
                    ..WorkspaceEdit::default()
                }))
            }
            Err(why) => Err(tower_lsp_server::jsonrpc::Error::invalid_params(
                s.shown.text(&why),
            )),
        }
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let Some((doc, enc, model, _)) = self.view(&params.text_document.uri, None) else {
            return Ok(None);
        };
        Ok(Some(
            crate::ide::navigation::inlay_hints(&model)
                .into_iter()
                .map(|(at, label)| InlayHint {
                    position: lsp_pos(doc.position_of(at, enc)),
                    label: InlayHintLabel::String(label),
                    kind: None,
                    text_edits: None,
                    tooltip: None,
                    padding_left: Some(true),
                    padding_right: Some(false),
                    data: None,
                })
                .filter(|h| h.position >= params.range.start && h.position <= params.range.end)
                .collect(),
        ))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let Some((doc, enc, model, _)) = self.view(&params.text_document.uri, None) else {
            return Ok(None);
        };
        Ok(Some(
            crate::ide::navigation::image_links(&model)
                .into_iter()
                .filter_map(|(r, url)| {
                    Some(DocumentLink {
                        range: range_of(&doc, &r, enc),
                        target: Some(Uri::from_str(&url).ok()?),
                        tooltip: None,
                        data: None,
                    })
                })
                .collect(),
        ))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let empty = || {
            DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
                RelatedFullDocumentDiagnosticReport::default(),
            ))
        };
        let Some(snapshot) = self.docs.get(&uri).map(|d| d.clone()) else {
            return Ok(empty());
        };
        let s = read_settings(&self.settings);
        let u = uri.clone();
        let result = tokio::task::spawn_blocking(move || lsp_diagnostics(&snapshot, &u, &s)).await;
        let Ok(items) = result else {
            return Ok(empty());
        };
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let Some(doc) = self.docs.get(&params.text_document.uri).map(|d| d.clone()) else {
            return Ok(None);
        };
        let s = read_settings(&self.settings);
        match crate::ide::format::format(doc.text(), doc.tree()) {
            Ok(edits) => Ok(Some(
                edits
                    .into_iter()
                    .map(|(r, new)| TextEdit::new(range_of(&doc, &r, s.encoding), new))
                    .collect(),
            )),
            Err(_) => {
                let msg = s.shown.text(&crate::text!(
                    "dockwise did not format this file: the layout change would have changed what it builds.",
                    "dockwise 没有格式化这个文件：调整格式会改变构建结果。"
                ));
                self.client.show_message(MessageType::WARNING, msg).await;
                Ok(None)
            }
        }
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let Some((doc, enc, model, _)) = self.view(&params.text_document.uri, None) else {
            return Ok(None);
        };
        let mut data = Vec::new();
        let (mut line, mut col) = (0u32, 0u32);
        for t in crate::ide::tokens::tokens(doc.text(), doc.tree(), &model) {
            let a = doc.position_of(t.range.start, enc);
            let b = doc.position_of(t.range.end, enc);
            if a.line != b.line || b.character <= a.character {
                continue;
            }
            let delta_line = a.line - line;
            let delta_start = if delta_line == 0 {
                a.character - col
            } else {
                a.character
            };
            data.push(SemanticToken {
                delta_line,
                delta_start,
                length: b.character - a.character,
                token_type: t.kind as u32,
                token_modifiers_bitset: u32::from(t.declaration),
            });
            line = a.line;
            col = a.character;
        }
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: None,
            data,
        })))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri;
        let pos = params.text_document_position.position;
        let Some(doc) = self.docs.get(&uri).map(|d| d.clone()) else {
            return Ok(None);
        };
        let s = read_settings(&self.settings);
        let offset = doc.offset_of(DocPos::new(pos.line, pos.character), s.encoding);
        let items =
            crate::ide::completion::complete(doc.text(), doc.tree(), offset, s.shown.lang());
        let out = items
            .into_iter()
            .map(|i| {
                use crate::ide::completion::ItemKind as K;
                let range = range_of(&doc, &(i.replace_from..offset), s.encoding);
                CompletionItem {
                    label: i.label.clone(),
                    kind: Some(match i.kind {
                        K::Keyword => CompletionItemKind::KEYWORD,
                        K::Flag => CompletionItemKind::PROPERTY,
                        K::Stage => CompletionItemKind::REFERENCE,
                        K::Image => CompletionItemKind::MODULE,
                        K::Variable => CompletionItemKind::VARIABLE,
                        K::Value => CompletionItemKind::VALUE,
                    }),
                    detail: i.detail.clone(),
                    documentation: i
                        .doc
                        .as_ref()
                        .map(|d| Documentation::String(s.shown.text(d))),
                    insert_text_format: Some(if i.snippet {
                        InsertTextFormat::SNIPPET
                    } else {
                        InsertTextFormat::PLAIN_TEXT
                    }),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                        range,
                        i.insert.clone().unwrap_or_else(|| i.label.clone()),
                    ))),
                    ..CompletionItem::default()
                }
            })
            .collect();
        Ok(Some(CompletionResponse::Array(out)))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some(doc) = self.docs.get(&uri).map(|d| d.clone()) else {
            return Ok(None);
        };
        let s = read_settings(&self.settings);
        let start = doc.offset_of(
            DocPos::new(params.range.start.line, params.range.start.character),
            s.encoding,
        );
        let end = doc.offset_of(
            DocPos::new(params.range.end.line, params.range.end.character),
            s.encoding,
        );
        // The checks (and the fix-all pass) run off the async threads: a large document
        // must not hold up the requests behind it.
        let (findings, fixed) = tokio::task::spawn_blocking({
            let (doc, uri, config) = (doc.clone(), uri.clone(), s.config.clone());
            move || {
                let findings = analyze(&doc, &uri, &config);
                let fixed = (doc.text().len() <= MAX_CHECKED_BYTES).then(|| {
                    let (ctx, name) = context_of(&uri);
                    rules::fix::fix_in(doc.text(), &config, false, ctx.as_ref(), &name).text
                });
                (findings, fixed)
            }
        })
        .await
        .unwrap_or_default();
        let mut out: CodeActionResponse = Vec::new();
        let mut ignores: Vec<CodeActionOrCommand> = Vec::new();
        for d in &findings {
            if d.range.end < start || d.range.start > end {
                continue;
            }
            if let Some((r, new)) =
                rules::suppress::ignore_edit(doc.text(), doc.tree(), d.range.start, d.code)
            {
                let mut changes = std::collections::HashMap::new();
                changes.insert(
                    uri.clone(),
                    vec![TextEdit::new(range_of(&doc, &r, s.encoding), new)],
                );
                let title = match s.shown.lang() {
                    Lang::En => format!("Ignore {} on this instruction", d.code),
                    Lang::Zh => format!("在这条指令上忽略 {}", d.code),
                };
                ignores.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![to_lsp(&doc, &uri, d, &s)]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(changes),
                        ..WorkspaceEdit::default()
                    }),
                    is_preferred: Some(false),
                    ..CodeAction::default()
                }));
            }
            let Some(fix) = &d.fix else { continue };
            if fix.edits.is_empty() {
                continue;
            }
            let edits = fix
                .edits
                .iter()
                .map(|e| TextEdit::new(range_of(&doc, &e.range, s.encoding), e.text.clone()))
                .collect();
            let mut changes = std::collections::HashMap::new();
            changes.insert(uri.clone(), edits);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("{} ({})", s.shown.text(&fix.title), d.code),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![to_lsp(&doc, &uri, d, &s)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(fix.applicability == Applicability::Safe),
                ..CodeAction::default()
            }));
        }
        out.extend(ignores);
        // Fix all safe findings at once.
        if let Some(fixed) = fixed.filter(|f| f != doc.text()) {
            let whole = range_of(&doc, &(0..doc.text().len()), s.encoding);
            let mut changes = std::collections::HashMap::new();
            changes.insert(uri.clone(), vec![TextEdit::new(whole, fixed)]);
            let title = match s.shown.lang() {
                Lang::En => "Fix all safe dockwise findings",
                Lang::Zh => "修复所有可安全修复的 dockwise 问题",
            };
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: title.to_string(),
                kind: Some(CodeActionKind::new("source.fixAll.dockwise")),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                ..CodeAction::default()
            }));
        }
        // The refactors, where they apply: on a FROM line, or when asked for by kind
        // (an editor command over the whole file).
        let wants_refactor = params.context.only.as_ref().is_none_or(|only| {
            only.iter().any(|k| {
                let k = k.as_str();
                k == "refactor" || k.starts_with("refactor.rewrite")
            })
        });
        let asked_by_kind = params.context.only.as_ref().is_some_and(|only| {
            only.iter()
                .any(|k| k.as_str().starts_with("refactor.rewrite"))
        });
        let on_from = doc.tree().instructions().any(|i| {
            i.ins.keyword == crate::syntax::Keyword::From
                && i.range().start <= end
                && i.range().end >= start
        });
        if wants_refactor && (on_from || asked_by_kind) && doc.text().len() <= MAX_REFACTOR_BYTES {
            let text = doc.text().to_string();
            let lang = s.shown.lang();
            let outcomes = tokio::task::spawn_blocking({
                let (ctx, name) = context_of(&uri);
                move || {
                    crate::refactor::Target::ALL
                        .into_iter()
                        .map(|t| {
                            (
                                t,
                                crate::refactor::refactor(&text, ctx.as_ref(), &name, t, lang),
                            )
                        })
                        .collect::<Vec<_>>()
                }
            })
            .await
            .unwrap_or_default();
            for (t, outcome) in outcomes {
                let kind = t.code_action_kind();
                // Named exactly (not just `refactor`): the caller wants this action.
                let named = params
                    .context
                    .only
                    .as_ref()
                    .is_some_and(|only| only.iter().any(|k| k.as_str() == kind));
                let action = match outcome {
                    crate::refactor::Outcome::Rewritten(new) => {
                        let whole = range_of(&doc, &(0..doc.text().len()), s.encoding);
                        let mut changes = std::collections::HashMap::new();
                        changes.insert(uri.clone(), vec![TextEdit::new(whole, new)]);
                        CodeAction {
                            title: s.shown.text(&t.title()),
                            kind: Some(CodeActionKind::new(kind)),
                            edit: Some(WorkspaceEdit {
                                changes: Some(changes),
                                ..WorkspaceEdit::default()
                            }),
                            ..CodeAction::default()
                        }
                    }
                    // Asked for by name: say why it does not apply (editors show the
                    // reason of a disabled action).
                    crate::refactor::Outcome::Declined(why)
                    | crate::refactor::Outcome::Unchanged(why)
                        if named =>
                    {
                        CodeAction {
                            title: s.shown.text(&t.title()),
                            kind: Some(CodeActionKind::new(kind)),
                            disabled: Some(CodeActionDisabled {
                                reason: s.shown.text(&why),
                            }),
                            ..CodeAction::default()
                        }
                    }
                    _ => continue,
                };
                out.push(CodeActionOrCommand::CodeAction(action));
            }
        }
        // Honour the client's filter (`only`): a kind matches itself and its sub-kinds.
        if let Some(only) = &params.context.only {
            out.retain(|a| match a {
                CodeActionOrCommand::CodeAction(a) => a.kind.as_ref().is_some_and(|k| {
                    only.iter().any(|o| {
                        let (k, o) = (k.as_str(), o.as_str());
                        k == o || k.starts_with(&format!("{o}."))
                    })
                }),
                CodeActionOrCommand::Command(_) => false,
            });
        }
        Ok(Some(out))
    }
}

/// Documents larger than this get no refactor actions (they rewrite the whole text).
const MAX_REFACTOR_BYTES: usize = 256 * 1024;

fn hover_text(rule: &rules::Rule, lang: Lang) -> String {
    let d = rule.doc(lang);
    let (why, fix) = match lang {
        Lang::En => ("Why", "Fix"),
        Lang::Zh => ("原因", "修复"),
    };
    format!(
        "**{} {}** — {}\n\n{}\n\n**{why}:** {}\n\n**{fix}:** {}",
        rule.code, rule.name, d.summary, d.what, d.why, d.fix
    )
}

/// Serves the language server on stdin/stdout until the client exits.
pub fn run_stdio() -> std::process::ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("dockwise: cannot start the language server: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    rt.block_on(async {
        let (service, socket) = LspService::new(Backend::new);
        let (input, ended) = sanitized_with_end(tokio::io::stdin());
        let serve = Server::new(input, tokio::io::stdout(), socket)
            .concurrency_level(32)
            .serve(service);
        tokio::pin!(serve);
        // The server loop also waits for its output side, which stays open while the
        // service lives: a client that vanishes without `exit` would leave us running.
        // When stdin ends, give in-flight answers a moment, then stop.
        tokio::select! {
            _ = &mut serve => {}
            _ = ended => {
                let _ = tokio::time::timeout(std::time::Duration::from_secs(2), &mut serve).await;
            }
        }
    });
    rt.shutdown_timeout(std::time::Duration::from_millis(500));
    // `exit` without `shutdown` before it: code 1, as LSP asks.
    if EXIT_SEEN.load(std::sync::atomic::Ordering::SeqCst)
        && !SHUT_DOWN.load(std::sync::atomic::Ordering::SeqCst)
    {
        return std::process::ExitCode::from(1);
    }
    std::process::ExitCode::SUCCESS
}

/// Re-frames the client's messages so that a body with invalid UTF-8 arrives with its
/// bad bytes replaced (U+FFFD) instead of stopping the server: tower-lsp-server's decoder
/// ends the input stream on the first such frame.
pub fn sanitized<R>(input: R) -> tokio::io::DuplexStream
where
    R: tokio::io::AsyncRead + Unpin + Send + 'static,
{
    sanitized_with_end(input).0
}

/// [`sanitized`], and a receiver that completes when the input has ended (the client
/// closed our stdin or sent something that cannot be framed).
pub fn sanitized_with_end<R>(
    input: R,
) -> (tokio::io::DuplexStream, tokio::sync::oneshot::Receiver<()>)
where
    R: tokio::io::AsyncRead + Unpin + Send + 'static,
{
    let (server_side, feed) = tokio::io::duplex(1 << 20);
    let (ended, ended_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        reframe(input, feed).await;
        let _ = ended.send(());
    });
    (server_side, ended_rx)
}

/// Copies LSP messages from `input` to `feed`, re-framed with valid UTF-8 bodies.
async fn reframe<R>(input: R, mut feed: tokio::io::DuplexStream)
where
    R: tokio::io::AsyncRead + Unpin + Send + 'static,
{
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
    {
        let mut r = tokio::io::BufReader::new(input);
        loop {
            // Headers: lines up to an empty one.
            let mut len: Option<u64> = None;
            let mut saw_header = false;
            loop {
                let mut line = Vec::new();
                match r.read_until(b'\n', &mut line).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                let l = String::from_utf8_lossy(&line);
                let l = l.trim();
                if l.is_empty() {
                    if saw_header {
                        break;
                    }
                    continue;
                }
                saw_header = true;
                // Anywhere in the line: after a frame whose length was unusable, its body
                // and the next header arrive as one line, and this is how we resync.
                if let Some(at) = l.to_ascii_lowercase().rfind("content-length:") {
                    let v = l[at + "content-length:".len()..].trim();
                    len = v.parse().ok().filter(|&n: &u64| n <= MAX_FRAME_BYTES);
                }
            }
            // No usable length: skip to the next header. An empty frame carries nothing.
            let Some(len) = len.filter(|&n| n > 0) else {
                continue;
            };
            let mut body = Vec::new();
            match (&mut r).take(len).read_to_end(&mut body).await {
                Ok(n) if n as u64 == len => {}
                _ => return,
            }
            let body = match String::from_utf8(body) {
                Ok(s) => s,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            };
            // tower-lsp-server stops reading after a body it cannot decode; such a
            // message is dropped here so the session goes on.
            let mut body = body;
            match serde_json::from_str::<Envelope>(&body) {
                Err(_) => continue,
                Ok(e) if e.method.as_deref() == Some("exit") => {
                    EXIT_SEEN.store(true, std::sync::atomic::Ordering::SeqCst);
                }
                // "If a server or client receives a request starting with '$/' it must
                // error the request with error code MethodNotFound" (LSP). tower-lsp-server
                // drops its answer to such requests, so they reach it under another name,
                // which it answers with MethodNotFound and the request's id.
                Ok(Envelope {
                    method: Some(m),
                    id: Some(_),
                    ..
                }) if m.starts_with("$/") => {
                    if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&body) {
                        v["method"] =
                            serde_json::Value::String(format!("dockwise/unsupported{}", &m[1..]));
                        body = v.to_string();
                    }
                }
                Ok(_) => {}
            }
            let head = format!("Content-Length: {}\r\n\r\n", body.len());
            if feed.write_all(head.as_bytes()).await.is_err()
                || feed.write_all(body.as_bytes()).await.is_err()
            {
                return;
            }
        }
    }
}

/// Whether the client sent `shutdown`: `exit` without it ends the process with code 1.
static SHUT_DOWN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// Whether the client sent `exit` (seen by the reframer).
static EXIT_SEEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Frames larger than this are treated as malformed (a 10 MB document is about 10 MB).
const MAX_FRAME_BYTES: u64 = 256 << 20;

/// The part of a JSON-RPC message the reframer checks: an object with `jsonrpc`.
#[derive(serde::Deserialize)]
struct Envelope {
    #[allow(dead_code)]
    jsonrpc: serde::de::IgnoredAny,
    #[serde(default)]
    method: Option<String>,
    /// Present on requests (a notification has none).
    #[serde(default)]
    id: Option<serde::de::IgnoredAny>,
}

/// The service, for in-process tests over any byte stream.
pub fn service() -> (LspService<Backend>, tower_lsp_server::ClientSocket) {
    LspService::new(Backend::new)
}
