//! Abuse tests of the language-server process: the real `dockwise` binary, started with
//! no arguments as an editor starts it, spoken to over its stdin/stdout with
//! `Content-Length` framing, and fed what a broken or hostile client might send.
//!
//!     cargo test -p dockwise --test abuse                          # the short tests (seconds)
//!     cargo test -p dockwise --test abuse --features abuse-long    # + huge documents, 10,000 cycles
//!
//! Every test has a time budget: each wait is bounded by it, writes go through a writer
//! thread so that a server that stops reading cannot block the test, and the child is
//! killed when the test ends, passes or fails (`Drop`). The server's standard error is
//! kept and shown when a test fails.
//!
//! The tests marked `#[ignore = "server bug: …"]` state the behaviour the protocol asks
//! for and what the server does instead; they run with `--ignored`.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "../benches/synthetic.rs"]
mod synthetic;

const BIN: &str = env!("CARGO_BIN_EXE_dockwise");
/// The longest wait for an answer a healthy server gives at once. Generous: the tests run
/// on a debug build, in parallel, on machines that may be busy compiling.
const REPLY: Duration = Duration::from_secs(15);
/// How long a server may take to exit once its client has gone.
const EXIT: Duration = Duration::from_secs(5);
/// The budget of a short test.
const SHORT: Duration = Duration::from_secs(60);

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const SERVER_NOT_INITIALIZED: i64 = -32002;

/// What the reader thread saw on the server's standard output.
enum Event {
    Msg(Value),
    /// Output that is not a well-formed message: a server bug in itself.
    Bad(String),
    Eof,
}

enum WriteCmd {
    Bytes(Vec<u8>, Sender<std::io::Result<()>>),
    Close,
}

/// A `dockwise` language-server process and its connection.
struct Server {
    child: Child,
    pid: u32,
    writer: Option<Sender<WriteCmd>>,
    rx: Receiver<Event>,
    stderr: Arc<Mutex<Vec<u8>>>,
    next_id: i64,
    /// Answer the server's own requests (`client/registerCapability`) with `null`, as
    /// an editor does; off to play a client that never answers.
    answer_server_requests: bool,
    deadline: Instant,
    budget: Duration,
}

/// One frame: the header and the body, as the base protocol has it.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut v = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    v.extend_from_slice(body);
    v
}

/// Reads one message the strict way: headers, a blank line, exactly `Content-Length`
/// bytes of JSON. `Ok(None)` at a clean end of output.
fn read_frame(r: &mut impl BufRead) -> Result<Option<Value>, String> {
    let mut len: Option<usize> = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        match r.read_until(b'\n', &mut line) {
            Ok(0) if first => return Ok(None),
            Ok(0) => return Err("output ended inside a header".into()),
            Ok(_) => {}
            Err(e) => return Err(format!("reading the output: {e}")),
        }
        first = false;
        let line = String::from_utf8(line).map_err(|_| "a header is not UTF-8".to_string())?;
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        let (k, v) = l
            .split_once(':')
            .ok_or_else(|| format!("not a header: {l:?}"))?;
        if k.eq_ignore_ascii_case("content-length") {
            len = Some(v.trim().parse().map_err(|_| format!("bad length {v:?}"))?);
        }
    }
    let len = len.ok_or("a message without Content-Length")?;
    let mut body = vec![0; len];
    r.read_exact(&mut body)
        .map_err(|e| format!("output ended inside a body: {e}"))?;
    serde_json::from_slice(&body).map(Some).map_err(|e| {
        format!(
            "a body that is not JSON ({e}): {}",
            String::from_utf8_lossy(&body)
        )
    })
}

fn spawn_reader(stdout: ChildStdout) -> Receiver<Event> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut r = BufReader::with_capacity(1 << 16, stdout);
        loop {
            let ev = match read_frame(&mut r) {
                Ok(Some(v)) => Event::Msg(v),
                Ok(None) => Event::Eof,
                Err(e) => Event::Bad(e),
            };
            let last = !matches!(ev, Event::Msg(_));
            if tx.send(ev).is_err() || last {
                return;
            }
        }
    });
    rx
}

fn spawn_writer(mut stdin: ChildStdin) -> Sender<WriteCmd> {
    let (tx, rx) = mpsc::channel::<WriteCmd>();
    thread::spawn(move || {
        for cmd in rx {
            match cmd {
                WriteCmd::Bytes(b, ack) => {
                    let _ = ack.send(stdin.write_all(&b).and_then(|_| stdin.flush()));
                }
                WriteCmd::Close => return,
            }
        }
    });
    tx
}

fn spawn_stderr(mut stderr: std::process::ChildStderr) -> Arc<Mutex<Vec<u8>>> {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let b = buf.clone();
    thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = stderr.read(&mut chunk) {
            if n == 0 {
                return;
            }
            let mut v = b.lock().unwrap();
            if v.len() < 64 << 10 {
                v.extend_from_slice(&chunk[..n]);
            }
        }
    });
    buf
}

impl Server {
    /// Starts `dockwise` with no arguments (the language server on stdio).
    fn start(budget: Duration) -> Server {
        let mut child = Command::new(BIN)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {BIN}: {e}"));
        let pid = child.id();
        let writer = spawn_writer(child.stdin.take().unwrap());
        let rx = spawn_reader(child.stdout.take().unwrap());
        let stderr = spawn_stderr(child.stderr.take().unwrap());
        Server {
            child,
            pid,
            writer: Some(writer),
            rx,
            stderr,
            next_id: 1,
            answer_server_requests: true,
            deadline: Instant::now() + budget,
            budget,
        }
    }

    /// Starts the server and goes through `initialize` / `initialized`.
    fn initialized(budget: Duration) -> Server {
        let mut s = Server::start(budget);
        s.initialize();
        s
    }

    fn initialize(&mut self) {
        let r = self.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "clientInfo": {"name": "dockwise-abuse-tests"},
                "rootUri": null,
                "capabilities": {
                    "textDocument": {"publishDiagnostics": {"versionSupport": true}},
                    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}
                }
            }),
        );
        assert!(
            r["result"]["capabilities"].is_object(),
            "initialize: {r}{}",
            self.context()
        );
        self.notify("initialized", json!({}));
        // `initialized` makes the server register a file watcher and wait for the
        // answer; answer it now, as an editor does, unless this client plays dead.
        if self.answer_server_requests {
            self.wait_for("client/registerCapability", REPLY, |m| {
                m["method"] == "client/registerCapability"
            });
        }
    }

    /// The server's standard error and state, for failure messages.
    fn context(&mut self) -> String {
        let status = match self.child.try_wait() {
            Ok(Some(s)) => format!("exited ({s})"),
            _ => "still running".to_string(),
        };
        let err = String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned();
        format!("\n[server {status}; stderr: {:?}]", err.trim())
    }

    /// The time left for a wait of at most `want`.
    fn bounded(&mut self, want: Duration, what: &str) -> Duration {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            let ctx = self.context();
            panic!(
                "the test's budget of {} s ran out before {what}{ctx}",
                self.budget.as_secs()
            );
        }
        want.min(left)
    }

    /// Writes raw bytes to the server's standard input.
    fn send_bytes(&mut self, bytes: Vec<u8>) {
        let n = bytes.len();
        let (ack_tx, ack_rx) = mpsc::channel();
        let w = self.writer.as_ref().expect("stdin is closed");
        w.send(WriteCmd::Bytes(bytes, ack_tx))
            .expect("the writer thread is gone");
        // Large writes wait for the server to read them: allow 1 s per MiB on top.
        let want = REPLY + Duration::from_secs((n >> 20) as u64);
        let t = self.bounded(want, "a write");
        match ack_rx.recv_timeout(t) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let ctx = self.context();
                panic!("writing {n} bytes to the server failed: {e}{ctx}")
            }
            Err(_) => {
                let ctx = self.context();
                panic!(
                    "the server did not read {n} bytes within {} s{ctx}",
                    t.as_secs()
                )
            }
        }
    }

    fn send(&mut self, v: &Value) {
        self.send_bytes(frame(&serde_json::to_vec(v).unwrap()));
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request; returns its id.
    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.request_within(REPLY, method, params)
    }

    fn request_within(&mut self, timeout: Duration, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id, timeout, method)
    }

    fn response(&mut self, id: i64, timeout: Duration, what: &str) -> Value {
        self.wait_for(&format!("the response to {what} (id {id})"), timeout, |m| {
            m.get("method").is_none() && m["id"] == json!(id)
        })
    }

    /// The next message, answering the server's requests on the way when asked to.
    /// `None` on timeout; panics on malformed output or when the output has ended.
    fn next(&mut self, timeout: Duration, what: &str) -> Option<Value> {
        let t = self.bounded(timeout, what);
        match self.rx.recv_timeout(t) {
            Ok(Event::Msg(m)) => {
                if self.answer_server_requests && m.get("method").is_some() && m.get("id").is_some()
                {
                    let id = m["id"].clone();
                    self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
                }
                Some(m)
            }
            Ok(Event::Bad(e)) => {
                let ctx = self.context();
                panic!("malformed output from the server while waiting for {what}: {e}{ctx}")
            }
            Ok(Event::Eof) | Err(RecvTimeoutError::Disconnected) => {
                let ctx = self.context();
                panic!("the server closed its output while waiting for {what}{ctx}")
            }
            Err(RecvTimeoutError::Timeout) => None,
        }
    }

    /// Waits for the first message matching `pred`, dropping others.
    fn wait_for(
        &mut self,
        what: &str,
        timeout: Duration,
        mut pred: impl FnMut(&Value) -> bool,
    ) -> Value {
        let end = Instant::now() + timeout;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            let m = if left.is_zero() {
                None
            } else {
                self.next(left, what)
            };
            match m {
                Some(m) if pred(&m) => return m,
                Some(_) => {}
                None => {
                    let ctx = self.context();
                    panic!("waited {} s for {what} in vain{ctx}", timeout.as_secs())
                }
            }
        }
    }

    /// The messages that arrive within `d` (for "nothing should come back").
    fn messages_for(&mut self, d: Duration) -> Vec<Value> {
        let end = Instant::now() + d;
        let mut out = Vec::new();
        loop {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return out;
            }
            match self.next(left, "any message") {
                Some(m) => out.push(m),
                None => return out,
            }
        }
    }

    /// The diagnostics published for `uri` (for `version` when given).
    fn diagnostics(&mut self, uri: &str, version: Option<i64>, timeout: Duration) -> Vec<Value> {
        let what = format!("publishDiagnostics for {uri} (version {version:?})");
        let m = self.wait_for(&what, timeout, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == json!(v))
        });
        m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Waits until every one of `uris` has had a publication matching `pred`, in any
    /// order (the server checks documents concurrently).
    fn diagnostics_of_all(&mut self, uris: &[String], what: &str, pred: impl Fn(&Value) -> bool) {
        let mut left: std::collections::HashSet<&str> = uris.iter().map(String::as_str).collect();
        let end = Instant::now() + REPLY;
        while !left.is_empty() {
            let t = end.saturating_duration_since(Instant::now());
            let m = if t.is_zero() {
                None
            } else {
                self.next(t, what)
            };
            let Some(m) = m else {
                let ctx = self.context();
                panic!(
                    "no {what} for {} documents within {} s{ctx}",
                    left.len(),
                    REPLY.as_secs()
                );
            };
            if m["method"] == "textDocument/publishDiagnostics" && pred(&m["params"]) {
                if let Some(u) = m["params"]["uri"].as_str() {
                    left.remove(u);
                }
            }
        }
    }

    /// Proves the server still reads and answers: an unknown request must come back as
    /// MethodNotFound.
    fn assert_serving(&mut self, after: &str) {
        let id = self.send_request("abuse/ping", json!({}));
        let r = self.response(id, REPLY, &format!("a request sent after {after}"));
        assert_eq!(
            r["error"]["code"],
            json!(METHOD_NOT_FOUND),
            "after {after}: {r}"
        );
    }

    fn close_stdin(&mut self) {
        if let Some(w) = self.writer.take() {
            let _ = w.send(WriteCmd::Close);
        }
    }

    /// Waits for the process to exit by itself.
    fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let end = Instant::now() + timeout;
        loop {
            if let Ok(Some(s)) = self.child.try_wait() {
                return Some(s);
            }
            if Instant::now() >= end {
                return None;
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Closes stdin and asserts the server then exits cleanly within [`EXIT`].
    fn assert_exits_on_eof(&mut self, after: &str) {
        let kids = children(self.pid);
        self.close_stdin();
        let t = Instant::now();
        match self.wait_exit(EXIT) {
            Some(s) => assert!(
                s.code().is_some(),
                "after {after}, the server died of a signal on end of input: {s}"
            ),
            None => {
                let ctx = self.context();
                panic!(
                    "after {after}, the server did not exit within {} s of its stdin closing{ctx}",
                    EXIT.as_secs()
                )
            }
        }
        assert!(t.elapsed() <= EXIT);
        for k in kids {
            assert!(!alive(k), "the server's child process {k} outlived it");
        }
    }

    fn vm_rss_kib(&self) -> u64 {
        status_kib(self.pid, "VmRSS").expect("VmRSS of the server")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.close_stdin();
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// A `Field:   123 kB` line of `/proc/<pid>/status`, in kiB.
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The processes whose parent is `pid`.
fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else {
            continue;
        };
        // pid (comm) state ppid …: the command name may hold spaces and parentheses.
        let ppid = stat
            .rfind(')')
            .and_then(|i| stat[i + 1..].split_whitespace().nth(1))
            .and_then(|s| s.parse::<u32>().ok());
        if ppid == Some(pid) {
            out.push(p);
        }
    }
    out
}

/// Whether `pid` is a live process (not gone, not a zombie).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rfind(')')
                .and_then(|i| s[i + 1..].split_whitespace().next().map(str::to_string))
        })
        .is_some_and(|state| state != "Z" && state != "X")
}

fn uri(name: &str) -> String {
    format!("file:///tmp/dockwise-abuse/{name}/Dockerfile")
}

fn did_open(uri: &str, text: &str) -> Value {
    json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

// ---------------------------------------------------------------------------------------
// Lifecycle: before initialize, after shutdown, exit
// ---------------------------------------------------------------------------------------

#[test]
fn a_request_before_initialize_is_refused_and_the_server_keeps_serving() {
    let mut s = Server::start(SHORT);
    let u = uri("before-init");
    // A notification first: dropped, not fatal.
    s.notify("textDocument/didOpen", did_open(&u, "FROM alpine:3.20\n"));
    let r = s.request("textDocument/hover", at(&u, 0, 1));
    assert_eq!(r["error"]["code"], json!(SERVER_NOT_INITIALIZED), "{r}");
    let r = s.request("shutdown", json!(null));
    assert_eq!(r["error"]["code"], json!(SERVER_NOT_INITIALIZED), "{r}");

    s.initialize();
    let r = s.request("initialize", json!({"capabilities": {}}));
    assert_eq!(
        r["error"]["code"],
        json!(INVALID_REQUEST),
        "a second initialize: {r}"
    );
    s.notify("textDocument/didOpen", did_open(&u, synthetic::GO_60));
    let d = s.diagnostics(&u, Some(1), REPLY);
    assert!(d.iter().all(|d| d["source"] == "dockwise"), "{d:?}");
    let r = s.request("textDocument/hover", at(&u, 15, 1));
    assert!(r["result"]["contents"].is_object(), "hover on RUN: {r}");
    s.assert_exits_on_eof("a normal session");
}

#[test]
fn after_shutdown_requests_are_invalid_and_exit_then_eof_ends_the_process() {
    let mut s = Server::initialized(SHORT);
    let u = uri("shutdown");
    s.notify("textDocument/didOpen", did_open(&u, synthetic::GO_60));
    s.diagnostics(&u, Some(1), REPLY);
    let r = s.request("shutdown", json!(null));
    assert!(r.get("error").is_none() && r["result"].is_null(), "{r}");
    for (method, params) in [
        ("textDocument/hover", at(&u, 15, 1)),
        ("textDocument/completion", at(&u, 15, 1)),
        ("shutdown", json!(null)),
    ] {
        let r = s.request(method, params);
        assert_eq!(
            r["error"]["code"],
            json!(INVALID_REQUEST),
            "{method} after shutdown: {r}"
        );
    }
    // Notifications after shutdown are dropped: no diagnostics for a new document.
    s.notify(
        "textDocument/didOpen",
        did_open(&uri("late"), "FROM alpine\n"),
    );
    let late: Vec<Value> = s
        .messages_for(Duration::from_millis(500))
        .into_iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert!(late.is_empty(), "published after shutdown: {late:?}");
    s.notify("exit", json!(null));
    s.close_stdin();
    let status = s.wait_exit(EXIT).expect("exit after shutdown + exit + EOF");
    assert_eq!(status.code(), Some(0), "{status}");
}

/// LSP: "The server should exit with `success` code 0 if the shutdown request has been
/// received before; otherwise with `error` code 1." — on the `exit` notification, not
/// when the client finally closes the pipe.
#[test]
fn exit_after_shutdown_ends_the_process_with_code_0() {
    let mut s = Server::initialized(SHORT);
    let r = s.request("shutdown", json!(null));
    assert!(r.get("error").is_none(), "{r}");
    s.notify("exit", json!(null));
    // stdin stays open, as in a client that waits for the process to go.
    let status = s.wait_exit(EXIT);
    let ctx = s.context();
    let status = status.unwrap_or_else(|| panic!("no exit within 5 s of `exit`{ctx}"));
    assert_eq!(status.code(), Some(0), "{status}");
}

#[test]
fn exit_without_shutdown_ends_the_process_with_code_1() {
    let mut s = Server::initialized(SHORT);
    s.notify("exit", json!(null));
    let status = s.wait_exit(EXIT);
    let ctx = s.context();
    let status = status.unwrap_or_else(|| panic!("no exit within 5 s of `exit`{ctx}"));
    assert_eq!(status.code(), Some(1), "{status}");
}

// ---------------------------------------------------------------------------------------
// Unknown methods
// ---------------------------------------------------------------------------------------

#[test]
fn unknown_methods_get_method_not_found_and_unknown_notifications_are_ignored() {
    let mut s = Server::initialized(SHORT);
    let r = s.request("textDocument/noSuchThing", json!({}));
    assert_eq!(r["error"]["code"], json!(METHOD_NOT_FOUND), "{r}");
    // A string id is echoed as it came.
    s.send(&json!({"jsonrpc": "2.0", "id": "abc", "method": "abuse/unknown", "params": null}));
    let r = s.wait_for("the response to id \"abc\"", REPLY, |m| m["id"] == "abc");
    assert_eq!(r["error"]["code"], json!(METHOD_NOT_FOUND), "{r}");
    // A request without params and one with params of the wrong shape.
    s.send(&json!({"jsonrpc": "2.0", "id": 77, "method": "abuse/no-params"}));
    let r = s.response(77, REPLY, "a request without params");
    assert_eq!(r["error"]["code"], json!(METHOD_NOT_FOUND), "{r}");
    let r = s.request("textDocument/hover", json!({"bogus": 1}));
    assert_eq!(r["error"]["code"], json!(INVALID_PARAMS), "{r}");
    let r = s.request("textDocument/hover", json!([1, 2, 3]));
    assert_eq!(r["error"]["code"], json!(INVALID_PARAMS), "{r}");
    // Unknown notifications, `$/` ones included, are dropped without an answer.
    s.notify("abuse/notification", json!({"x": 1}));
    s.notify("$/abuse", json!({}));
    s.notify("$/cancelRequest", json!({"id": 123_456}));
    s.notify("$/setTrace", json!({"value": "verbose"}));
    s.assert_serving("unknown notifications");
    s.assert_exits_on_eof("unknown methods");
}

/// LSP: "If a server or client receives a request starting with '$/' it must error the
/// request with error code `MethodNotFound`".
/// (tower-lsp-server drops its own answer to those; the input filter renames them.)
#[test]
fn a_dollar_request_gets_method_not_found() {
    let mut s = Server::initialized(SHORT);
    let r = s.request("$/abuse", json!({}));
    assert_eq!(r["error"]["code"], json!(METHOD_NOT_FOUND), "{r}");
    // A `$/` notification is still ignored, and the session goes on.
    s.notify("$/abuse", json!({}));
    s.assert_serving("a `$/` request and notification");
}

// ---------------------------------------------------------------------------------------
// Malformed frames and bodies
// ---------------------------------------------------------------------------------------

#[test]
fn extra_headers_odd_spellings_and_empty_bodies_are_accepted() {
    let mut s = Server::initialized(SHORT);
    let ping = br#"{"jsonrpc":"2.0","id":501,"method":"abuse/ping"}"#;
    // A Content-Type header, a lower-case name, an unknown header.
    let mut b = format!(
        "content-type: application/vscode-jsonrpc; charset=utf-8\r\nX-Abuse: yes\r\ncontent-length: {}\r\n\r\n",
        ping.len()
    )
    .into_bytes();
    b.extend_from_slice(ping);
    s.send_bytes(b);
    let r = s.response(501, REPLY, "a frame with extra headers");
    assert_eq!(r["error"]["code"], json!(METHOD_NOT_FOUND), "{r}");
    // Stray blank lines between frames.
    s.send_bytes(b"\r\n\r\n\n".to_vec());
    s.assert_serving("blank lines between frames");
    // A header line that is not UTF-8 beside a good Content-Length.
    let mut b = b"X-\xff\xfe: \xfd\r\n".to_vec();
    b.extend_from_slice(&frame(
        br#"{"jsonrpc":"2.0","id":502,"method":"abuse/ping"}"#,
    ));
    s.send_bytes(b);
    let r = s.response(502, REPLY, "a frame with a header that is not UTF-8");
    assert_eq!(r["error"]["code"], json!(METHOD_NOT_FOUND), "{r}");
    // A header block of garbage lines with no Content-Length at all, ended by a blank line.
    s.send_bytes(b"hello world\r\n\xff\xfe\xfd\r\n\r\n".to_vec());
    s.assert_serving("a garbage header block");
    s.assert_exits_on_eof("odd headers");
}

/// An empty body is no message; what follows it must still be read at once.
#[test]
fn a_request_right_after_an_empty_frame_is_answered() {
    let mut s = Server::initialized(SHORT);
    let mut b = b"Content-Length: 0\r\n\r\n".to_vec();
    b.extend_from_slice(&frame(
        br#"{"jsonrpc":"2.0","id":601,"method":"abuse/ping"}"#,
    ));
    s.send_bytes(b);
    let r = s.response(
        601,
        Duration::from_secs(3),
        "a request right after an empty frame",
    );
    assert_eq!(r["error"]["code"], json!(METHOD_NOT_FOUND), "{r}");
}

/// A frame whose header has no usable length cannot be read; the base protocol says
/// nothing of recovery, but a robust server skips to the next `Content-Length` header
/// (tower-lsp-server's own decoder does) and answers the next well-formed message.
#[test]
fn the_server_resynchronises_after_a_header_without_a_usable_length() {
    let cases: [(&str, &[u8]); 5] = [
        (
            "no Content-Length",
            b"Content-Type: application/json\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"x\"}",
        ),
        ("a non-numeric length", b"Content-Length: abc\r\n\r\n{}"),
        ("a negative length", b"Content-Length: -5\r\n\r\n{}"),
        (
            "a length beyond u64",
            b"Content-Length: 99999999999999999999999\r\n\r\n{}",
        ),
        ("binary garbage", b"\x00\x01\x02\xff\xfe garbage without a newline"),
    ];
    for (what, bad) in cases {
        let mut s = Server::initialized(SHORT);
        s.send_bytes(bad.to_vec());
        s.assert_serving(what);
        s.assert_serving(&format!("{what}, a second time"));
    }
}

#[test]
fn a_huge_content_length_is_not_allocated_and_eof_still_ends_the_server() {
    let mut s = Server::initialized(SHORT);
    let before = s.vm_rss_kib();
    // 1 TiB announced, 2 bytes sent: the server must wait for the rest without reserving it.
    s.send_bytes(b"Content-Length: 1099511627776\r\n\r\n{}".to_vec());
    // And then a few MiB that it will take as part of that body.
    s.send_bytes(vec![b' '; 4 << 20]);
    thread::sleep(Duration::from_millis(300));
    let after = s.vm_rss_kib();
    assert!(
        after <= before + 48 * 1024,
        "VmRSS grew from {before} kiB to {after} kiB on a 1 TiB Content-Length"
    );
    assert!(s.child.try_wait().unwrap().is_none(), "the server died");
    s.assert_exits_on_eof("a huge Content-Length");
}

/// JSON-RPC asks for a -32700 / -32600 answer. tower-lsp-server gives it and then stops
/// reading its input, so dockwise's input reframer drops unreadable messages instead:
/// keeping the session matters more than the error answer
/// (`the_server_keeps_serving_after_a_malformed_body`).
#[test]
#[ignore = "deviation: unreadable messages are dropped (no -32700 answer) so the session survives"]
fn malformed_json_gets_a_parse_error_response() {
    let cases: [(&str, &[u8], i64); 6] = [
        ("not JSON", b"{not json}", PARSE_ERROR),
        (
            "truncated JSON",
            b"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"shutdown\"",
            PARSE_ERROR,
        ),
        ("bytes that are not UTF-8", b"\xff\xfe\xfd\xfc", PARSE_ERROR),
        ("a JSON array", b"[1,2,3]", INVALID_REQUEST),
        ("JSON null", b"null", INVALID_REQUEST),
        (
            "no jsonrpc member",
            b"{\"id\":4,\"method\":\"shutdown\"}",
            INVALID_REQUEST,
        ),
    ];
    for (what, body, code) in cases {
        let mut s = Server::initialized(SHORT);
        s.send_bytes(frame(body));
        let r = s.wait_for(&format!("an error response to {what}"), REPLY, |m| {
            m.get("error").is_some()
        });
        assert_eq!(r["error"]["code"], json!(code), "{what}: {r}");
        assert!(r["id"].is_null(), "{what}: {r}");
    }
}

/// JSON-RPC 2.0 answers an unreadable message with an error whose id is null; nothing
/// in it or in the LSP says to stop serving.
#[test]
fn the_server_keeps_serving_after_a_malformed_body() {
    let cases: [(&str, &[u8]); 5] = [
        ("not JSON", b"{not json}"),
        (
            "truncated JSON",
            b"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"shutdown\"",
        ),
        ("bytes that are not UTF-8", b"\xff\xfe\xfd\xfc"),
        ("a JSON array", b"[1,2,3]"),
        ("no jsonrpc member", b"{\"id\":4,\"method\":\"shutdown\"}"),
    ];
    for (what, body) in cases {
        let mut s = Server::initialized(SHORT);
        s.send_bytes(frame(body));
        s.assert_serving(what);
    }
}

#[test]
fn invalid_utf8_inside_a_document_is_replaced_not_fatal() {
    let mut s = Server::initialized(SHORT);
    let u = uri("invalid-utf8");
    // The bytes go straight into the JSON string: the body is not UTF-8.
    let mut body = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{u}","languageId":"dockerfile","version":1,"text":"FROM alpine:3.20\nRUN echo "#
    )
    .into_bytes();
    body.extend_from_slice(b"\xff\xfe\xc3\x28 \xe2\x82 \xf0\x9f\x92");
    body.extend_from_slice(br#"\nUSER 65532\n"}}}"#);
    s.send_bytes(frame(&body));
    let d = s.diagnostics(&u, Some(1), REPLY);
    assert!(d.iter().all(|d| d["code"] != "DF501"), "{d:?}");
    let r = s.request("textDocument/hover", at(&u, 1, 1));
    assert!(r.get("error").is_none(), "{r}");
    // A header line of raw bytes and a frame of them: skipped or answered, never fatal.
    s.send_bytes(b"\xff\xfe\xfd\xfc\r\n\r\n".to_vec());
    s.assert_serving("invalid UTF-8 in the document and between frames");
    s.assert_exits_on_eof("invalid UTF-8");
}

#[test]
fn binary_garbage_on_stdin_neither_crashes_nor_outlives_the_client() {
    let mut s = Server::initialized(SHORT);
    // 256 KiB of every byte value, newlines and NULs included, in a fixed scrambled order.
    let mut x: u32 = 0x1234_5678;
    let garbage: Vec<u8> = (0..256 << 10)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect();
    s.send_bytes(garbage);
    thread::sleep(Duration::from_millis(200));
    assert!(
        s.child.try_wait().unwrap().is_none(),
        "the server died on garbage{}",
        s.context()
    );
    s.assert_exits_on_eof("256 KiB of binary garbage");
}

// ---------------------------------------------------------------------------------------
// A client that disappears
// ---------------------------------------------------------------------------------------

#[test]
fn a_client_that_closes_stdin_mid_session_leaves_no_server_behind() {
    let mut s = Server::initialized(SHORT);
    let u = uri("vanishing");
    let big = synthetic::go_services(3000);
    s.notify("textDocument/didOpen", did_open(&u, &big));
    // Requests still in flight when the client goes. The server answers what it has
    // already read before it exits (into a pipe nobody reads), so the work queued here is
    // kept small enough for a debug build to finish well within the exit bound.
    for i in 0..20 {
        s.send_request("textDocument/hover", at(&u, 20 + i, 1));
    }
    s.send_request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": u}}),
    );
    s.assert_exits_on_eof("a client vanishing with 21 requests in flight");
}

/// An editor that crashes closes both ends at once: the server's stdin reaches EOF and
/// its writes to stdout fail (EPIPE, which must not kill it by SIGPIPE either: Rust
/// ignores SIGPIPE, so the write returns an error).
#[test]
fn a_client_that_dies_with_both_pipes_leaves_no_server_behind() {
    let mut child = Command::new(BIN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    // Read the initialize response on a thread that hands the pipe back.
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        let m = read_frame(&mut r);
        let _ = tx.send((m, r));
    });
    let msg = |v: Value| frame(&serde_json::to_vec(&v).unwrap());
    let mut out = msg(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                            "params": {"processId": null, "capabilities": {}}}));
    stdin.write_all(&out).unwrap();
    stdin.flush().unwrap();
    let (m, reader) = match rx.recv_timeout(REPLY) {
        Ok(x) => x,
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("no initialize response");
        }
    };
    assert!(matches!(m, Ok(Some(ref v)) if v["id"] == 1), "{m:?}");
    // No `initialized`: the server sends no request of its own (see the ignored test
    // below). A large document and many requests whose answers will have nowhere to go.
    let u = uri("crash");
    out = msg(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                     "params": did_open(&u, &synthetic::go_services(3000))}));
    for i in 0..200 {
        out.extend(msg(
            json!({"jsonrpc": "2.0", "id": 10 + i, "method": "textDocument/hover",
                              "params": at(&u, 20 + (i % 100) as u32, 1)}),
        ));
    }
    // The pipe holds less than this: write on a thread so the test cannot block.
    let pid = child.id();
    let writer = thread::spawn(move || {
        let _ = stdin.write_all(&out);
        // Dropping `stdin` here closes it.
    });
    thread::sleep(Duration::from_millis(50));
    drop(reader); // the read end of the server's stdout
    let end = Instant::now() + EXIT;
    let status = loop {
        if let Ok(Some(s)) = child.try_wait() {
            break Some(s);
        }
        if Instant::now() >= end {
            break None;
        }
        thread::sleep(Duration::from_millis(10));
    };
    if status.is_none() {
        let _ = child.kill();
    }
    let _ = child.wait();
    let _ = writer.join();
    let status = status.unwrap_or_else(|| {
        panic!("server {pid} still running 5 s after its client closed both pipes")
    });
    assert!(
        status.code().is_some(),
        "the server died of a signal: {status}"
    );
}

/// The usual order: `initialized` makes the server ask `client/registerCapability`; a
/// client that dies before answering must not leave the server waiting forever.
#[test]
fn a_client_that_dies_before_answering_the_server_leaves_no_server_behind() {
    let mut s = Server::start(SHORT);
    s.answer_server_requests = false;
    s.initialize();
    s.wait_for("client/registerCapability", REPLY, |m| {
        m["method"] == "client/registerCapability"
    });
    s.assert_exits_on_eof("a client that never answered registerCapability");
}

// ---------------------------------------------------------------------------------------
// Long tests: `--features abuse-long`
// ---------------------------------------------------------------------------------------

const LONG: Duration = Duration::from_secs(110);

#[test]
#[cfg_attr(not(feature = "abuse-long"), ignore = "long: --features abuse-long")]
fn a_ten_megabyte_document_gets_the_size_cap_diagnostic_and_stays_editable() {
    let mut s = Server::initialized(LONG);
    let u = uri("ten-mb");
    let mut text = String::with_capacity(10 << 20);
    while text.len() < 10_000_000 {
        text.push_str(synthetic::GO_60);
    }
    let lines = text.lines().count() as u32;
    s.notify("textDocument/didOpen", did_open(&u, &text));
    let d = s.diagnostics(&u, Some(1), Duration::from_secs(60));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["severity"], 3, "{d:?}");
    assert!(d[0]["message"].as_str().unwrap().contains("2 MiB"), "{d:?}");
    let r = s.request_within(
        Duration::from_secs(60),
        "textDocument/hover",
        at(&u, lines - 2, 1),
    );
    assert!(r.get("error").is_none(), "{r}");
    // An edit near the end is applied and answered.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": lines - 1, "character": 0}, "end": {"line": lines - 1, "character": 0}},
             "text": "# edited\n"}
        ]}),
    );
    let d = s.diagnostics(&u, Some(2), Duration::from_secs(60));
    assert_eq!(d.len(), 1, "{d:?}");
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    assert!(s.diagnostics(&u, None, REPLY).is_empty());
    s.assert_serving("a 10 MB document");
    s.assert_exits_on_eof("a 10 MB document");
}

/// 100,000 short lines (1.2 MB, under the 2 MiB cap, so all of it is checked): 1,000
/// stages of 100 lines. (Not 10,000 stages of ten: several stage rules are quadratic in
/// the number of stages, 1.4 s in a release build and about 30 s in a debug one; nor one
/// stage of 100,000 RUNs: see the ignored test below.)
#[test]
#[cfg_attr(not(feature = "abuse-long"), ignore = "long: --features abuse-long")]
fn a_hundred_thousand_line_document_is_checked() {
    let mut s = Server::initialized(LONG);
    let u = uri("hundred-k");
    let mut text = String::new();
    for i in 0..1_000 {
        text.push_str(&format!(
            "FROM alpine:3.20 AS s{i}\nWORKDIR /s{i}\nCOPY f{i} .\n"
        ));
        for j in 0..94 {
            text.push_str(&format!("RUN echo {j}\n"));
        }
        text.push_str(&format!("ENV K{i}=v\nUSER 65532\nCMD [\"/s\"]\n"));
    }
    assert_eq!(text.lines().count(), 100_000);
    assert!(text.len() < 2 << 20);
    s.notify("textDocument/didOpen", did_open(&u, &text));
    let d = s.diagnostics(&u, Some(1), Duration::from_secs(90));
    assert!(
        d.iter().all(|d| d["severity"] != 1),
        "errors on a valid file: {:?}",
        &d[..d.len().min(5)]
    );
    let r = s.request_within(
        Duration::from_secs(60),
        "textDocument/hover",
        at(&u, 99_996, 1),
    );
    assert!(r.get("error").is_none(), "{r}");
    s.assert_serving("a 100,000-line document");
    s.assert_exits_on_eof("a 100,000-line document");
}

/// The same size in one stage: 100,000 RUN instructions (1.5 MB, under the cap).
#[test]
fn a_hundred_thousand_run_instructions_in_one_stage_are_checked_in_time() {
    let mut s = Server::initialized(LONG);
    let u = uri("hundred-k-runs");
    let mut text = String::from("FROM golang:1.22 AS build\n");
    for i in 0..99_999 {
        text.push_str(&format!("RUN echo {i}\n"));
    }
    s.notify("textDocument/didOpen", did_open(&u, &text));
    s.diagnostics(&u, Some(1), Duration::from_secs(30));
    let r = s.request_within(
        Duration::from_secs(10),
        "textDocument/hover",
        at(&u, 50_000, 1),
    );
    assert!(r.get("error").is_none(), "{r}");
}

#[test]
#[cfg_attr(not(feature = "abuse-long"), ignore = "long: --features abuse-long")]
fn a_run_with_fifty_thousand_continuation_lines_is_checked_and_editable() {
    let mut s = Server::initialized(LONG);
    let u = uri("continuations");
    let mut text = String::from("FROM alpine:3.20\nRUN set -e \\\n");
    for i in 0..50_000 {
        text.push_str(&format!("    && echo {i} \\\n"));
    }
    text.push_str("    && true\nUSER 65532\nCMD [\"/bin/true\"]\n");
    s.notify("textDocument/didOpen", did_open(&u, &text));
    let d = s.diagnostics(&u, Some(1), Duration::from_secs(60));
    assert!(d.iter().all(|d| d["severity"] != 1), "{d:?}");
    let r = s.request_within(Duration::from_secs(30), "textDocument/hover", at(&u, 1, 1));
    assert!(r["result"]["contents"].is_object(), "hover on RUN: {r}");
    // Edits deep inside the chain, each answered for its own version.
    for v in 2..6 {
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": v}, "contentChanges": [
                {"range": {"start": {"line": 25_000, "character": 12}, "end": {"line": 25_000, "character": 12}},
                 "text": "x"}
            ]}),
        );
        s.diagnostics(&u, Some(v), Duration::from_secs(30));
    }
    s.assert_serving("a RUN of 50,000 lines");
    s.assert_exits_on_eof("a RUN of 50,000 lines");
}

/// Opening and closing documents must not leak. The bound: after a warm-up of 500
/// cycles (allocator arenas, the knowledge file, thread-local caches all reach their
/// working size), VmRSS after another 10,000 cycles is at most 8 MiB above that
/// baseline. mimalloc keeps some freed pages and the batch of 50 open documents varies,
/// hence the slack; a leak of what one closed document holds (its text, tree, model and
/// diagnostics: tens of kiB for this 60-line file) would add hundreds of MiB, and even
/// 1 kiB per cycle would add 10 MiB and fail.
#[test]
#[cfg_attr(not(feature = "abuse-long"), ignore = "long: --features abuse-long")]
fn ten_thousand_open_close_cycles_return_to_the_baseline_memory() {
    const BATCH: usize = 50;
    let mut s = Server::initialized(LONG);
    let mut cycle = 0usize;
    let mut run = |s: &mut Server, n: usize| {
        for _ in 0..n / BATCH {
            let uris: Vec<String> = (0..BATCH)
                .map(|k| uri(&format!("cycle-{}", cycle + k)))
                .collect();
            cycle += BATCH;
            for u in &uris {
                s.notify("textDocument/didOpen", did_open(u, synthetic::GO_60));
            }
            s.diagnostics_of_all(&uris, "diagnostics after open", |p| p["version"] == 1);
            for u in &uris {
                s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
            }
            // On close the server clears the document's diagnostics (no version).
            s.diagnostics_of_all(&uris, "the clearing after close", |p| {
                p["version"].is_null() && p["diagnostics"] == json!([])
            });
        }
    };
    run(&mut s, 500);
    thread::sleep(Duration::from_millis(300));
    let baseline = s.vm_rss_kib();
    run(&mut s, 10_000);
    thread::sleep(Duration::from_millis(300));
    let after = s.vm_rss_kib();
    let peak = status_kib(s.pid, "VmHWM").unwrap_or(0);
    eprintln!(
        "open/close cycles: VmRSS {:.1} MiB after 500, {:.1} MiB after 10,500 (peak {:.1} MiB)",
        baseline as f64 / 1024.0,
        after as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    assert!(
        after <= baseline + 8 * 1024,
        "VmRSS grew from {baseline} kiB to {after} kiB over 10,000 open/close cycles"
    );
    // A closed document is gone: hovering it answers nothing.
    let r = s.request("textDocument/hover", at(&uri("cycle-0"), 15, 1));
    assert!(r["result"].is_null(), "{r}");
    s.assert_exits_on_eof("10,500 open/close cycles");
}
