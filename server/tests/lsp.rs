//! In-process protocol tests: the real server over an in-memory duplex stream.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tower_lsp_server::Server;

struct Client {
    write: tokio::io::WriteHalf<DuplexStream>,
    read: BufReader<tokio::io::ReadHalf<DuplexStream>>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    pending: Vec<Value>,
}

impl Client {
    async fn start(init: Value) -> Client {
        let (client_side, server_side) = tokio::io::duplex(1 << 20);
        let (sr, sw) = tokio::io::split(server_side);
        let (service, socket) = dockwise::lsp::service();
        // The same input path as `dockwise --stdio`.
        let sr = dockwise::lsp::sanitized(sr);
        tokio::spawn(async move {
            Server::new(sr, sw, socket)
                .concurrency_level(32)
                .serve(service)
                .await;
        });
        let (cr, cw) = tokio::io::split(client_side);
        let mut c = Client {
            write: cw,
            read: BufReader::new(cr),
            next_id: 1,
            pending: Vec::new(),
        };
        let r = c.request("initialize", init).await;
        assert!(r["result"]["capabilities"].is_object(), "{r}");
        c.notify("initialized", json!({})).await;
        c
    }

    async fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{}", body.len(), body);
        self.write.write_all(frame.as_bytes()).await.unwrap();
        self.write.flush().await.unwrap();
    }

    async fn send_raw(&mut self, body: &[u8]) {
        let head = format!("Content-Length: {}\r\n\r\n", body.len());
        self.write.write_all(head.as_bytes()).await.unwrap();
        self.write.write_all(body).await.unwrap();
        self.write.flush().await.unwrap();
    }

    async fn recv(&mut self) -> Value {
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            self.read.read_line(&mut line).await.unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.parse().unwrap();
            }
        }
        let mut buf = vec![0; len];
        self.read.read_exact(&mut buf).await.unwrap();
        serde_json::from_slice(&buf).unwrap()
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let m = tokio::time::timeout(Duration::from_secs(30), self.recv())
                .await
                .expect("response in time");
            if m.get("id") == Some(&json!(id)) && m.get("method").is_none() {
                return m;
            }
            if m.get("method").is_some() && m.get("id").is_some() {
                // A request from the server (e.g. workDoneProgress): answer it.
                let rid = m["id"].clone();
                self.send(json!({"jsonrpc": "2.0", "id": rid, "result": null}))
                    .await;
                self.pending.push(m);
                continue;
            }
            self.pending.push(m);
        }
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// The next publishDiagnostics for `uri` whose version is `version`.
    async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            if let Some(i) = self.pending.iter().position(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == version
            }) {
                let m = self.pending.remove(i);
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
            let m = match tokio::time::timeout(Duration::from_secs(30), self.recv()).await {
                Ok(m) => m,
                Err(_) => {
                    let seen: Vec<String> = self
                        .pending
                        .iter()
                        .map(|m| format!("{} v{}", m["method"], m["params"]["version"]))
                        .collect();
                    panic!("no diagnostics for version {version} within 30 s; pending: {seen:?}");
                }
            };
            // A request from the server (client/registerCapability): answer it.
            if m.get("method").is_some() && m.get("id").is_some() {
                let rid = m["id"].clone();
                self.send(json!({"jsonrpc": "2.0", "id": rid, "result": null}))
                    .await;
                continue;
            }
            self.pending.push(m);
        }
    }
}

const URI: &str = "file:///nonexistent-dockwise-test/Dockerfile";
const TEXT: &str = "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /app\nUSER 65532:65532\nCMD /app\n";

fn open(text: &str, version: i64) -> Value {
    json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": version, "text": text}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_hover_and_code_actions() {
    let mut c =
        Client::start(json!({"capabilities": {}, "initializationOptions": {"language": "zh"}}))
            .await;
    c.notify("textDocument/didOpen", open(TEXT, 1)).await;
    let diags = c.diagnostics(URI, 1).await;
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(
        codes.contains(&"GO102") && codes.contains(&"DF507"),
        "{codes:?}"
    );
    let df507 = diags.iter().find(|d| d["code"] == "DF507").unwrap();
    assert_eq!(df507["source"], "dockwise");
    assert_eq!(df507["range"]["start"], json!({"line": 7, "character": 4}));
    assert!(
        df507["message"].as_str().unwrap().contains("信号"),
        "{df507}"
    );
    assert!(df507["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("DF507.md"));

    // Hover over the finding: the rule's explanation, in Chinese.
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 7, "character": 5}}),
        )
        .await;
    let md = h["result"]["contents"]["value"].as_str().unwrap();
    assert!(md.contains("DF507") && md.contains("原因"), "{md}");

    // Hover over a keyword.
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 2}}),
        )
        .await;
    assert!(h["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("WORKDIR"));

    // The quick fix for DF507 rewrites the CMD in exec form.
    let a = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 7, "character": 4}, "end": {"line": 7, "character": 8}}, "context": {"diagnostics": []}}),
        )
        .await;
    let actions = a["result"].as_array().unwrap();
    let fix = actions
        .iter()
        .find(|x| x["kind"] == "quickfix")
        .expect("a quick fix");
    let edit = &fix["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "[\"/app\"]");
    assert!(actions
        .iter()
        .any(|x| x["kind"] == "source.fixAll.dockwise"));
    let ignore = actions
        .iter()
        .find(|x| x["title"] == "在这条指令上忽略 DF507")
        .expect("an ignore action");
    let edit = &ignore["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "# dockwise: ignore=DF507\n");
    assert_eq!(edit["range"]["start"], json!({"line": 7, "character": 0}));

    // A changed go.mod or .dockerignore refreshes the diagnostics.
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": "file:///nonexistent-dockwise-test/go.mod", "type": 2}]}),
    )
    .await;
    let again = c.diagnostics(URI, 1).await;
    assert_eq!(again.len(), diags.len());

    // Completion after `go build -` offers go's flags.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 0}}, "text": "RUN go build -tri\n"}
        ]}),
    )
    .await;
    let _ = c.diagnostics(URI, 2).await;
    let r = c
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": 3, "character": 17}}),
        )
        .await;
    let labels: Vec<&str> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"-trimpath"), "{labels:?}");

    // Switching the language live.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockwise": {"language": "en"}}}),
    )
    .await;
    let diags = c.diagnostics(URI, 2).await;
    let df507 = diags.iter().find(|d| d["code"] == "DF507").unwrap();
    assert!(
        df507["message"].as_str().unwrap().contains("signals"),
        "{df507}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf16_positions_and_utf8_negotiation() {
    // `$V` comes after Chinese and an emoji on its line: utf-16 column 17, utf-8 column 23.
    let text = "ARG V=1\nFROM alpine:3.20\nARG V\nRUN echo \"中文🙂\" $V\n";
    let at = |line: u32, character: u32| json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}});
    let mut c = Client::start(json!({"capabilities": {}})).await;
    c.notify("textDocument/didOpen", open(text, 1)).await;
    let _ = c.diagnostics(URI, 1).await;
    let d = c.request("textDocument/definition", at(3, 17)).await;
    assert_eq!(
        d["result"]["range"],
        json!({"start": {"line": 2, "character": 4}, "end": {"line": 2, "character": 5}}),
        "{d}"
    );
    let h = c.request("textDocument/documentHighlight", at(3, 17)).await;
    assert!(
        h["result"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["range"]["start"] == json!({"line": 3, "character": 17})),
        "{h}"
    );
    // Insert "!" after the closing quote (utf-16 column 15, past the emoji): `$V` moves by one.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 3, "character": 15}, "end": {"line": 3, "character": 15}}, "text": "!"}
        ]}),
    )
    .await;
    let _ = c.diagnostics(URI, 2).await;
    let d = c.request("textDocument/definition", at(3, 18)).await;
    assert_eq!(
        d["result"]["range"]["start"],
        json!({"line": 2, "character": 4}),
        "{d}"
    );
    let h = c.request("textDocument/documentHighlight", at(3, 18)).await;
    assert!(
        h["result"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["range"]["start"] == json!({"line": 3, "character": 18})),
        "{h}"
    );

    // A client that offers utf-8 gets it: the same `$V` is at byte column 23.
    let mut c2 = Client::start(
        json!({"capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}}),
    )
    .await;
    c2.notify("textDocument/didOpen", open(text, 1)).await;
    let _ = c2.diagnostics(URI, 1).await;
    let h = c2
        .request("textDocument/documentHighlight", at(3, 23))
        .await;
    assert!(
        h["result"].as_array().unwrap().iter().any(|x| x["range"]
            == json!({"start": {"line": 3, "character": 23}, "end": {"line": 3, "character": 24}})),
        "{h}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_rapid_edits_keep_their_order() {
    let mut c = Client::start(json!({"capabilities": {}})).await;
    let base = "FROM alpine:3.20\nUSER 65532:65532\nCMD /app\n";
    c.notify("textDocument/didOpen", open(base, 1)).await;
    let _ = c.diagnostics(URI, 1).await;
    // Type 5,000 characters one keystroke at a time into a comment on line 0.
    let n = 5000;
    let mut expected = String::from("# ");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "# \n"}
        ]}),
    )
    .await;
    for k in 0..n {
        let ch = (b'a' + (k % 26) as u8) as char;
        let col = expected.len();
        expected.push(ch);
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 3 + k}, "contentChanges": [
                {"range": {"start": {"line": 0, "character": col}, "end": {"line": 0, "character": col}}, "text": ch.to_string()}
            ]}),
        )
        .await;
    }
    let last = 2 + n as i64;
    let diags = c.diagnostics(URI, last).await;
    // The final text is intact: the CMD finding sits on line 3, column 4.
    let df507 = diags
        .iter()
        .find(|d| d["code"] == "DF507")
        .expect("DF507 on the final text");
    assert_eq!(df507["range"]["start"], json!({"line": 3, "character": 4}));
    // And the edits arrived in order: a fix-all over the final text contains the comment.
    let a = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 8}}, "context": {"diagnostics": []}}),
        )
        .await;
    let all = a["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "source.fixAll.dockwise")
        .unwrap();
    let new_text = all["edit"]["changes"][URI][0]["newText"].as_str().unwrap();
    assert!(
        new_text.starts_with(&format!("{expected}\n")),
        "edits were reordered"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_documents_and_bad_positions_do_not_crash() {
    let mut c = Client::start(json!({"capabilities": {}})).await;
    let h = c
        .request("textDocument/hover", json!({"textDocument": {"uri": "file:///nope"}, "position": {"line": 0, "character": 0}}))
        .await;
    assert!(h["result"].is_null());
    c.notify("textDocument/didOpen", open("FROM alpine:3.20\n", 1))
        .await;
    let _ = c.diagnostics(URI, 1).await;
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 999, "character": 999}}),
        )
        .await;
    assert!(h.get("error").is_none(), "{h}");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 50, "character": 3}, "end": {"line": 0, "character": 0}}, "text": "x"}
        ]}),
    )
    .await;
    let _ = c.diagnostics(URI, 2).await;
    let r = c.request("shutdown", json!(null)).await;
    assert!(r.get("error").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outline_folding_definition_and_references() {
    let mut c = Client::start(json!({"capabilities": {}})).await;
    c.notify("textDocument/didOpen", open(TEXT, 1)).await;
    let _ = c.diagnostics(URI, 1).await;
    let doc = json!({"uri": URI});

    let s = c
        .request("textDocument/documentSymbol", json!({"textDocument": doc}))
        .await;
    let syms = s["result"].as_array().expect("symbols");
    let names: Vec<&str> = syms.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2, "{s}");
    assert_eq!(names[0], "build");
    assert_eq!(syms[0]["children"].as_array().unwrap().len(), 3, "{s}");

    let f = c
        .request("textDocument/foldingRange", json!({"textDocument": doc}))
        .await;
    let folds = f["result"].as_array().expect("folds");
    assert!(
        folds
            .iter()
            .any(|r| r["startLine"] == 0 && r["endLine"] == 3),
        "{f}"
    );

    // `build` in `COPY --from=build` (line 5) goes to `AS build` on line 0.
    let d = c
        .request(
            "textDocument/definition",
            json!({"textDocument": doc, "position": {"line": 5, "character": 14}}),
        )
        .await;
    assert_eq!(
        d["result"]["range"],
        json!({"start": {"line": 0, "character": 20}, "end": {"line": 0, "character": 25}}),
        "{d}"
    );
    let r = c
        .request(
            "textDocument/references",
            json!({"textDocument": doc, "position": {"line": 0, "character": 22},
                   "context": {"includeDeclaration": false}}),
        )
        .await;
    let refs = r["result"].as_array().expect("refs");
    assert_eq!(refs.len(), 1, "{r}");
    assert_eq!(
        refs[0]["range"]["start"],
        json!({"line": 5, "character": 12})
    );
    let h = c
        .request(
            "textDocument/documentHighlight",
            json!({"textDocument": doc, "position": {"line": 0, "character": 22}}),
        )
        .await;
    assert_eq!(h["result"].as_array().map(Vec::len), Some(2), "{h}");

    let p = c
        .request(
            "textDocument/prepareRename",
            json!({"textDocument": doc, "position": {"line": 5, "character": 14}}),
        )
        .await;
    assert_eq!(
        p["result"]["start"],
        json!({"line": 5, "character": 12}),
        "{p}"
    );
    let r = c
        .request(
            "textDocument/rename",
            json!({"textDocument": doc, "position": {"line": 5, "character": 14}, "newName": "compile"}),
        )
        .await;
    let edits = r["result"]["changes"][URI].as_array().expect("edits");
    assert_eq!(edits.len(), 2, "{r}");
    assert!(edits.iter().all(|e| e["newText"] == "compile"));
    let bad = c
        .request(
            "textDocument/rename",
            json!({"textDocument": doc, "position": {"line": 5, "character": 14}, "newName": "Not Valid"}),
        )
        .await;
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("stage name"),
        "{bad}"
    );

    let l = c
        .request("textDocument/documentLink", json!({"textDocument": doc}))
        .await;
    let links: Vec<&str> = l["result"]
        .as_array()
        .expect("links")
        .iter()
        .map(|l| l["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        links,
        [
            "https://hub.docker.com/_/golang",
            "https://hub.docker.com/_/alpine"
        ],
        "{l}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inlay_hints_show_expanded_images() {
    let mut c = Client::start(json!({"capabilities": {}})).await;
    let text = "ARG GO=1.22\nFROM golang:${GO}-alpine AS build\nRUN true\n";
    c.notify("textDocument/didOpen", open(text, 1)).await;
    let _ = c.diagnostics(URI, 1).await;
    let h = c
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}}}),
        )
        .await;
    let hints = h["result"].as_array().expect("hints");
    assert_eq!(hints.len(), 1, "{h}");
    assert_eq!(hints[0]["label"], "= golang:1.22-alpine");
    assert_eq!(hints[0]["position"], json!({"line": 1, "character": 24}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_diagnostics_when_the_client_asks_for_them() {
    let mut c = Client::start(json!({"capabilities": {"textDocument": {"diagnostic": {}}}})).await;
    c.notify("textDocument/didOpen", open(TEXT, 1)).await;
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(r["result"]["kind"], "full", "{r}");
    let codes: Vec<&str> = r["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"GO102") && codes.contains(&"DF507"),
        "{codes:?}"
    );
    // Settings changed: the client is told to pull again instead of being pushed to.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"language": "zh"}}),
    )
    .await;
    let _ = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    let _ = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert!(
        c.pending
            .iter()
            .any(|m| m["method"] == "workspace/diagnostic/refresh"),
        "{:?}",
        c.pending
    );
    assert!(
        !c.pending
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "pushed although the client pulls: {:?}",
        c.pending
    );
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let df507 = r["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "DF507")
        .cloned()
        .unwrap();
    assert!(
        df507["message"].as_str().unwrap().contains("信号"),
        "{df507}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn formatting_returns_layout_edits() {
    let mut c = Client::start(json!({"capabilities": {}})).await;
    c.notify(
        "textDocument/didOpen",
        open("from alpine:3.20  \nrun true", 1),
    )
    .await;
    let _ = c.diagnostics(URI, 1).await;
    let r = c
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}}),
        )
        .await;
    let edits = r["result"].as_array().expect("edits");
    let texts: Vec<&str> = edits
        .iter()
        .map(|e| e["newText"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["FROM", "", "RUN", "\n"], "{r}");
    assert_eq!(
        edits[1]["range"],
        json!({"start": {"line": 0, "character": 16}, "end": {"line": 0, "character": 18}})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn image_and_go_hovers_follow_the_language_setting() {
    let mut c =
        Client::start(json!({"capabilities": {}, "initializationOptions": {"language": "en"}}))
            .await;
    c.notify("textDocument/didOpen", open(TEXT, 1)).await;
    let _ = c.diagnostics(URI, 1).await;
    let hover = |line: u32, character: u32| json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}});
    // The base image of the build stage: what is inside it.
    let h = c.request("textDocument/hover", hover(0, 7)).await;
    let v = h["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(v.contains("CA certificates") && v.contains("glibc"), "{h}");
    // `-ldflags="-s` → the linker flag.
    let h = c.request("textDocument/hover", hover(3, 38)).await;
    let v = h["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(v.starts_with("**`-s`**"), "{h}");
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"language": "zh"}}),
    )
    .await;
    let _ = c.diagnostics(URI, 1).await;
    let h = c.request("textDocument/hover", hover(0, 7)).await;
    let v = h["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(v.contains("CA 证书"), "{h}");
    let h = c.request("textDocument/hover", hover(3, 6)).await;
    let v = h["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(v.contains("CGO_ENABLED") && v.contains("可选值"), "{h}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn semantic_tokens_decode_to_the_right_spans() {
    let mut c = Client::start(json!({"capabilities": {}})).await;
    c.notify("textDocument/didOpen", open(TEXT, 1)).await;
    let _ = c.diagnostics(URI, 1).await;
    let r = c
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let data: Vec<u64> = r["result"]["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(data.len() % 5, 0);
    // Decode to (line, start, length, type, modifiers).
    let (mut line, mut col) = (0, 0);
    let mut toks = Vec::new();
    for t in data.chunks(5) {
        if t[0] > 0 {
            col = 0;
        }
        line += t[0];
        col += t[1];
        toks.push((line, col, t[2], t[3], t[4]));
    }
    // keyword=0, namespace=2, type=3; declaration modifier = 1.
    assert_eq!(toks[0], (0, 0, 4, 0, 0), "{toks:?}");
    assert!(
        toks.contains(&(0, 5, 11, 3, 0)),
        "golang:1.22 as a type: {toks:?}"
    );
    assert!(
        toks.contains(&(0, 20, 5, 2, 1)),
        "AS build declares: {toks:?}"
    );
    assert!(
        toks.contains(&(5, 12, 5, 2, 0)),
        "--from=build refers: {toks:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abuse_invalid_utf8_huge_documents_and_cancellation() {
    let mut c = Client::start(json!({"capabilities": {}})).await;
    // A frame whose body is not UTF-8: the server answers or drops it, and keeps serving.
    c.send_raw(b"{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"file:///x\",\"languageId\":\"dockerfile\",\"version\":1,\"text\":\"FROM \xff\xfe\"}}}")
        .await;
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert!(h.get("result").is_some() || h.get("error").is_some(), "{h}");

    // A 10 MiB document: opened, edited, hovered; one informational diagnostic says it is
    // not checked.
    let big = "RUN echo hello world and some more text to make the line longer\n".repeat(170_000);
    assert!(big.len() > 10 << 20);
    c.notify("textDocument/didOpen", open(&big, 1)).await;
    let d = c.diagnostics(URI, 1).await;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["severity"], 3);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 100000, "character": 0}, "end": {"line": 100000, "character": 3}}, "text": "run"}
        ]}),
    )
    .await;
    let _ = c.diagnostics(URI, 2).await;
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 100000, "character": 1}}),
        )
        .await;
    assert!(h.get("error").is_none(), "{h}");

    // Cancelling a request: answered (result or RequestCancelled), and the server goes on.
    let id = c.next_id;
    c.next_id += 1;
    c.send(
        json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/semanticTokens/full",
                  "params": {"textDocument": {"uri": URI}}}),
    )
    .await;
    c.notify("$/cancelRequest", json!({"id": id})).await;
    loop {
        let m = tokio::time::timeout(Duration::from_secs(60), c.recv())
            .await
            .expect("an answer to the cancelled request");
        if m.get("id") == Some(&json!(id)) {
            assert!(
                m.get("result").is_some() || m["error"]["code"] == -32800,
                "{m}"
            );
            break;
        }
    }
    let r = c.request("shutdown", json!(null)).await;
    assert!(r.get("error").is_none(), "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refactor_actions_are_offered_where_they_apply() {
    let single = "FROM golang:1.22-alpine\nWORKDIR /app\nCOPY . .\nRUN go build -o main .\nEXPOSE 8080\nCMD [\"./main\"]\n";
    let mut c =
        Client::start(json!({"capabilities": {}, "initializationOptions": {"language": "zh"}}))
            .await;
    c.notify("textDocument/didOpen", open(single, 1)).await;
    let _ = c.diagnostics(URI, 1).await;
    // Asked by kind over the whole file, as an editor command does.
    let r = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 6, "character": 0}},
                   "context": {"diagnostics": [], "only": ["refactor.rewrite"]}}),
        )
        .await;
    let actions = r["result"].as_array().unwrap().clone();
    let kinds: Vec<&str> = actions
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "refactor.rewrite.dockwise.to-multi-stage",
            "refactor.rewrite.dockwise.to-scratch",
            "refactor.rewrite.dockwise.to-distroless"
        ],
        "{r}"
    );
    // Titles and the comment the rewrite adds follow the language.
    assert!(actions[0]["title"].as_str().unwrap().contains("多阶段构建"));
    let new = actions[0]["edit"]["changes"][URI][0]["newText"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(new.contains("FROM golang:1.22-alpine AS builder"), "{new}");
    assert!(new.contains("FROM alpine:"), "{new}");
    assert!(new.contains("# 运行镜像"), "{new}");

    // Only one kind when only that kind is asked for; nothing with a quickfix filter.
    let r = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 4}},
                   "context": {"diagnostics": [], "only": ["refactor.rewrite.dockwise.to-scratch"]}}),
        )
        .await;
    assert_eq!(r["result"].as_array().unwrap().len(), 1, "{r}");
    let r = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 4}},
                   "context": {"diagnostics": [], "only": ["quickfix"]}}),
        )
        .await;
    assert!(r["result"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| !a["kind"].as_str().unwrap().starts_with("refactor")));

    // Applied: the multi-stage action is no longer offered on the result.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": new}]}),
    )
    .await;
    let _ = c.diagnostics(URI, 2).await;
    let r = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 4}},
                   "context": {"diagnostics": []}}),
        )
        .await;
    let kinds: Vec<String> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["kind"].as_str().map(str::to_string))
        .filter(|k| k.starts_with("refactor"))
        .collect();
    assert_eq!(
        kinds,
        [
            "refactor.rewrite.dockwise.to-scratch",
            "refactor.rewrite.dockwise.to-distroless"
        ]
    );
    // Asked for by name where it does not apply: a disabled action with the reason.
    let r = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 4}},
                   "context": {"diagnostics": [], "only": ["refactor.rewrite.dockwise.to-multi-stage"]}}),
        )
        .await;
    let actions = r["result"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{r}");
    assert!(actions[0]["edit"].is_null(), "{r}");
    let reason = actions[0]["disabled"]["reason"].as_str().unwrap();
    assert!(reason.contains("运行阶段"), "{reason}");
}
