//! End-to-end latency of the language server as an editor sees it, beside
//! `docker-langserver` (npm `dockerfile-language-server-nodejs`) on the same files.
//!
//!     cargo bench --bench latency                              # print the table
//!     DOCKWISE_LATENCY_WRITE=1 cargo bench --bench latency     # and update docs/latency.md
//!     DOCKWISE_LATENCY_VERBOSE=1 cargo bench --bench latency   # + memory per phase, edit trend
//!     DOCKWISE_LATENCY_FILES=a/Dockerfile:b/Dockerfile cargo bench --bench latency
//!                                                  # + these files (`:`-separated, ASCII)
//!     DOCKWISE_LATENCY_BIN=path/to/dockwise cargo bench --bench latency   # another build
//!
//! Each server runs as a child process spoken to over stdio (JSON-RPC with
//! `Content-Length` framing; a reader thread timestamps every message as its body
//! arrives). Per server and file: initialize, initialized, didOpen, wait for the first
//! publishDiagnostics; then edits sent one at a time (one character inserted into, then
//! deleted from, a RUN line near the middle of the file), each timed from writing the
//! didChange to receiving the publishDiagnostics that answers it; then hover and
//! completion round trips; then peak RSS (`VmHWM` of the serving process and any
//! process it forked) before shutdown.
//!
//! `docker-langserver` is taken from `$DOCKER_LANGSERVER`, else from `PATH`; when it is
//! missing, only dockwise is measured. No wall-clock assertions: this reports figures.
//! It exits non-zero when a server crashes, answers with an error or stops answering.
//!
//! Targets (3,000-line file): edit → diagnostics p95 ≤ 5 ms, peak RSS ≤ 25 MiB.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "synthetic.rs"]
mod synthetic;

/// Edits measured per server and file (an even number: the text ends as it began).
const EDITS: usize = 300;
/// Edits made first and not measured (JIT and cache warm-up), also even.
const WARMUP_EDITS: usize = 10;
const HOVERS: usize = 100;
const COMPLETIONS: usize = 100;
/// The longest wait for any one awaited message.
const TIMEOUT: Duration = Duration::from_secs(10);
const URI: &str = "file:///tmp/dockwise-latency/Dockerfile";
const DIR: &str = "/tmp/dockwise-latency";

const TARGET_P95_MS: f64 = 5.0;
const TARGET_RSS_MIB: f64 = 25.0;

type Res<T> = Result<T, String>;

/// One message from the server and the moment its body had been read.
struct Msg {
    at: Instant,
    value: Value,
}

/// A server child process and its JSON-RPC connection.
struct Conn {
    name: String,
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Msg>,
    next_id: i64,
}

fn read_message(r: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut len: Option<usize> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let l = line.trim_end();
        if l.is_empty() {
            if len.is_some() {
                break;
            }
            continue;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.trim().eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().ok();
            }
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    Some(body)
}

impl Conn {
    fn spawn(name: &str, program: &Path, args: &[&str]) -> Res<Conn> {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{name}: cannot start {}: {e}", program.display()))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut r = BufReader::with_capacity(1 << 16, stdout);
            while let Some(body) = read_message(&mut r) {
                let at = Instant::now();
                let Ok(value) = serde_json::from_slice::<Value>(&body) else {
                    continue;
                };
                if tx.send(Msg { at, value }).is_err() {
                    break;
                }
            }
        });
        Ok(Conn {
            name: name.to_string(),
            child,
            stdin,
            rx,
            next_id: 1,
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Writes one message; returns the moment just before the write.
    fn send(&mut self, v: &Value) -> Res<Instant> {
        let body = serde_json::to_vec(v).map_err(|e| e.to_string())?;
        let mut buf = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        buf.extend_from_slice(&body);
        let t = Instant::now();
        if let Err(e) = self.stdin.write_all(&buf).and_then(|_| self.stdin.flush()) {
            return Err(self.died(&format!("writing to it ({e})")));
        }
        Ok(t)
    }

    fn notify(&mut self, method: &str, params: Value) -> Res<Instant> {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// Answers a request from the server so that it never waits on us.
    fn answer(&mut self, req: &Value) -> Res<()> {
        let method = req["method"].as_str().unwrap_or_default();
        let result = match method {
            "workspace/configuration" => {
                let n = req["params"]["items"].as_array().map_or(0, Vec::len);
                Value::Array(vec![Value::Null; n])
            }
            _ => Value::Null,
        };
        self.send(&json!({"jsonrpc": "2.0", "id": req["id"].clone(), "result": result}))?;
        Ok(())
    }

    /// Why the server stopped answering: its exit status when it has exited.
    fn died(&mut self, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(1);
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(s)) => break format!("exited ({s})"),
                _ if Instant::now() >= deadline => break "closed its output".to_string(),
                _ => thread::sleep(Duration::from_millis(10)),
            }
        };
        format!("{}: server {status} while {what}", self.name)
    }

    /// Waits for the first message matching `pred`, answering server requests and
    /// dropping other messages on the way.
    fn wait(&mut self, what: &str, pred: impl FnMut(&Value) -> bool) -> Res<Msg> {
        self.wait_within(TIMEOUT, what, pred)
    }

    fn wait_within(
        &mut self,
        timeout: Duration,
        what: &str,
        mut pred: impl FnMut(&Value) -> bool,
    ) -> Res<Msg> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(m) => {
                    if m.value.get("method").is_some() && m.value.get("id").is_some() {
                        self.answer(&m.value)?;
                        continue;
                    }
                    if pred(&m.value) {
                        return Ok(m);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "{}: timed out after {} s waiting for {what}",
                        self.name,
                        timeout.as_secs()
                    ))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(self.died(&format!("waiting for {what}")))
                }
            }
        }
    }

    /// Handles whatever has arrived already (answers requests, drops the rest).
    fn drain(&mut self) -> Res<()> {
        while let Ok(m) = self.rx.try_recv() {
            if m.value.get("method").is_some() && m.value.get("id").is_some() {
                self.answer(&m.value)?;
            }
        }
        Ok(())
    }

    /// Sends a request and waits for its response: the result and the round trip.
    fn request(&mut self, method: &str, params: Value) -> Res<(Value, Duration)> {
        let id = self.next_id;
        self.next_id += 1;
        let t =
            self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        let m = self.wait(&format!("the response to {method}"), |v| {
            v.get("method").is_none() && v["id"].as_i64() == Some(id)
        })?;
        if let Some(e) = m.value.get("error") {
            return Err(format!("{}: {method} failed: {e}", self.name));
        }
        Ok((m.value["result"].clone(), m.at.duration_since(t)))
    }

    /// Shuts the server down politely, then makes sure it is gone.
    fn stop(mut self) {
        let _ = self.drain();
        let id = self.next_id;
        if self
            .send(&json!({"jsonrpc": "2.0", "id": id, "method": "shutdown", "params": null}))
            .is_ok()
        {
            let _ = self.wait_within(Duration::from_secs(2), "the shutdown response", |v| {
                v["id"].as_i64() == Some(id)
            });
            let _ = self.notify("exit", Value::Null);
        }
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A `Field:   123 kB` line of a `/proc` file, in kiB.
fn kib_field(path: &str, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(path).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// With `DOCKWISE_LATENCY_VERBOSE=1`: the server's memory after each phase, on stderr.
fn trace_memory(c: &Conn, file: &str, phase: &str) {
    if std::env::var("DOCKWISE_LATENCY_VERBOSE").as_deref() != Ok("1") {
        return;
    }
    let status = format!("/proc/{}/status", c.pid());
    let mib = |f| kib_field(&status, f).map_or(f64::NAN, |k| k as f64 / 1024.0);
    let threads = std::fs::read_to_string(&status)
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Threads:").map(|v| v.trim().to_string()))
        })
        .unwrap_or_default();
    eprintln!(
        "latency:   {} {file} after {phase}: VmRSS {:.1} MiB, VmHWM {:.1} MiB, {threads} threads",
        c.name,
        mib("VmRSS"),
        mib("VmHWM"),
    );
}

/// All processes descended from `pid` (a server that forks workers).
fn descendants(pid: u32) -> Vec<u32> {
    let mut parent_of: Vec<(u32, u32)> = Vec::new();
    if let Ok(rd) = std::fs::read_dir("/proc") {
        for e in rd.flatten() {
            let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else {
                continue;
            };
            // pid (comm) state ppid ...: comm may hold spaces and parentheses.
            let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
                continue;
            };
            if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|s| s.parse().ok()) {
                parent_of.push((p, ppid));
            }
        }
    }
    let mut out = Vec::new();
    let mut frontier = vec![pid];
    while let Some(q) = frontier.pop() {
        for &(p, pp) in &parent_of {
            if pp == q && !out.contains(&p) {
                out.push(p);
                frontier.push(p);
            }
        }
    }
    out
}

/// Peak RSS in MiB of the server and its descendants, and how many processes that is.
fn peak_rss_mib(pid: u32) -> Res<(f64, usize)> {
    let mut procs = vec![pid];
    procs.extend(descendants(pid));
    let mut kib = 0;
    for &p in &procs {
        kib += kib_field(&format!("/proc/{p}/status"), "VmHWM")
            .ok_or(format!("cannot read VmHWM of pid {p}"))?;
    }
    Ok((kib as f64 / 1024.0, procs.len()))
}

/// (line, character) of a byte offset; the benchmark files are ASCII, so UTF-16
/// columns are byte columns.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let line = text[..offset].matches('\n').count();
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, offset - start)
}

fn pos(p: (usize, usize)) -> Value {
    json!({"line": p.0, "character": p.1})
}

/// Where the benchmark edits and asks.
struct Spots {
    /// The edit point: inside `-o /out/...` of a `go build` RUN near the middle.
    edit: (usize, usize),
    /// The `RUN` keyword of that instruction (line, 0).
    run_line: usize,
    /// A FROM line in the second half of the file.
    from_line: usize,
}

fn spots(text: &str) -> Spots {
    assert!(text.is_ascii(), "the benchmark files are ASCII");
    let needle = "        -o /out/";
    let edit = if text.contains("        -o /out/svc") {
        synthetic::mid_run_offset(text)
    } else if !text.contains(needle) {
        other_edit_offset(text)
    } else {
        let from = text.len() / 2;
        let at = text[from..]
            .find(needle)
            .map(|i| from + i)
            .or_else(|| text.find(needle))
            .expect("a go build -o line");
        at + needle.len() - 1 // between "/out" and "/"
    };
    let run = text[..edit].rfind("\nRUN ").expect("a RUN before the edit") + 1;
    let half = text.len() / 2;
    let from = text[half..]
        .find("\nFROM ")
        .map(|i| half + i + 1)
        .or_else(|| text.find("FROM "))
        .expect("a FROM line");
    Spots {
        edit: position(text, edit),
        run_line: position(text, run).0,
        from_line: position(text, from).0,
    }
}

/// The edit point of a file given by path (`DOCKWISE_LATENCY_FILES`): inside the output
/// name of the `-o` flag of the RUN nearest after the middle (`-o main` → `-o m|ain`),
/// as the synthetic files edit their `-o /out/…` path; without one, before the last
/// character of the first line of the last RUN.
fn other_edit_offset(text: &str) -> usize {
    let runs: Vec<usize> = text
        .match_indices("\nRUN ")
        .map(|(i, _)| i + 1)
        .chain(text.starts_with("RUN ").then_some(0))
        .collect();
    let half = text.len() / 2;
    let flag = |run: usize| {
        let line_end = text[run..].find('\n').map_or(text.len(), |i| run + i);
        text[run..line_end]
            .find(" -o ")
            .map(|i| run + i + " -o ".len() + 1)
    };
    runs.iter()
        .filter(|&&r| r >= half)
        .chain(runs.iter())
        .find_map(|&r| flag(r))
        .unwrap_or_else(|| {
            let run = *runs.last().expect("a RUN instruction to edit");
            let line = text[run..].lines().next().unwrap_or_default();
            run + line.trim_end_matches(['\\', ' ', '\r']).len() - 1
        })
}

fn initialize_params() -> Value {
    json!({
        "processId": std::process::id(),
        "clientInfo": {"name": "dockwise-latency-bench"},
        "rootUri": format!("file://{DIR}"),
        "workspaceFolders": [{"uri": format!("file://{DIR}"), "name": "dockwise-latency"}],
        "capabilities": {
            "general": {"positionEncodings": ["utf-16"]},
            "workspace": {
                "configuration": true,
                "didChangeConfiguration": {"dynamicRegistration": true},
                "didChangeWatchedFiles": {"dynamicRegistration": true},
                "workspaceFolders": true
            },
            "textDocument": {
                "synchronization": {"dynamicRegistration": false, "didSave": true},
                "publishDiagnostics": {
                    "relatedInformation": true,
                    "versionSupport": true,
                    "tagSupport": {"valueSet": [1, 2]},
                    "codeDescriptionSupport": true,
                    "dataSupport": true
                },
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "completion": {
                    "completionItem": {
                        "snippetSupport": true,
                        "documentationFormat": ["markdown", "plaintext"],
                        "deprecatedSupport": true
                    },
                    "contextSupport": true
                }
            }
        }
    })
}

struct Stats {
    sorted: Vec<Duration>,
}

impl Stats {
    fn new(mut v: Vec<Duration>) -> Stats {
        v.sort();
        Stats { sorted: v }
    }
    /// Nearest-rank percentile, in ms.
    fn pct(&self, q: f64) -> f64 {
        if self.sorted.is_empty() {
            return f64::NAN;
        }
        let rank = ((q * self.sorted.len() as f64).ceil() as usize).clamp(1, self.sorted.len());
        self.sorted[rank - 1].as_secs_f64() * 1e3
    }
    fn max(&self) -> f64 {
        self.pct(1.0)
    }
}

struct Run {
    server: String,
    version: String,
    file: String,
    lines: usize,
    open_to_diags: Duration,
    diags_after_open: usize,
    edits: Stats,
    hover: Stats,
    hover_nonempty: usize,
    completion: Stats,
    completion_nonempty: usize,
    rss_mib: f64,
    procs: usize,
}

struct Server {
    name: &'static str,
    program: PathBuf,
    args: Vec<&'static str>,
    /// The version when the server does not report one in `serverInfo`.
    fallback_version: String,
}

fn is_diags_for_uri(v: &Value) -> bool {
    v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == URI
}

fn measure(server: &Server, file: &str, text: &str) -> Res<Run> {
    std::fs::create_dir_all(DIR).map_err(|e| format!("{DIR}: {e}"))?;
    std::fs::write(format!("{DIR}/Dockerfile"), text).map_err(|e| format!("{DIR}: {e}"))?;
    let spots = spots(text);
    let mut c = Conn::spawn(server.name, &server.program, &server.args)?;
    let result = session(&mut c, server, file, text, &spots);
    c.stop();
    result
}

fn session(c: &mut Conn, server: &Server, file: &str, text: &str, s: &Spots) -> Res<Run> {
    let (init, _) = c.request("initialize", initialize_params())?;
    let version = init["serverInfo"]["version"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| server.fallback_version.clone());
    c.notify("initialized", json!({}))?;
    trace_memory(c, file, "initialize");

    let t = c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": text}}),
    )?;
    let first = c.wait("the first publishDiagnostics", is_diags_for_uri)?;
    let open_to_diags = first.at.duration_since(t);
    let diags_after_open = first.value["params"]["diagnostics"]
        .as_array()
        .map_or(0, Vec::len);
    trace_memory(c, file, "didOpen and its diagnostics");
    if std::env::var("DOCKWISE_LATENCY_VERBOSE").as_deref() == Ok("1") {
        let mut codes = std::collections::BTreeMap::<String, usize>::new();
        for d in first.value["params"]["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let code = d["code"]
                .as_str()
                .map_or_else(|| d["code"].to_string(), str::to_string);
            *codes.entry(code).or_default() += 1;
        }
        eprintln!(
            "latency:   {} {file} diagnostics by code: {codes:?}",
            c.name
        );
    }

    // Edits: insert "x" at the edit point, then delete it, alternately.
    let mut version_no = 1;
    let mut times = Vec::with_capacity(EDITS);
    for i in 0..WARMUP_EDITS + EDITS {
        c.drain()?;
        version_no += 1;
        let (line, ch) = s.edit;
        let change = if i % 2 == 0 {
            json!({"range": {"start": pos((line, ch)), "end": pos((line, ch))}, "rangeLength": 0, "text": "x"})
        } else {
            json!({"range": {"start": pos((line, ch)), "end": pos((line, ch + 1))}, "rangeLength": 1, "text": ""})
        };
        let t = c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version_no}, "contentChanges": [change]}),
        )?;
        // A server that versions its diagnostics must answer this version (older ones
        // are stale); one that does not: the next publication for the file.
        let v = version_no;
        let m = c.wait(&format!("publishDiagnostics for edit {}", i + 1), |m| {
            is_diags_for_uri(m)
                && match m["params"]["version"].as_i64() {
                    Some(got) => got == v,
                    None => true,
                }
        })?;
        if i >= WARMUP_EDITS {
            times.push(m.at.duration_since(t));
        }
    }

    trace_memory(c, file, "the edits");
    if std::env::var("DOCKWISE_LATENCY_VERBOSE").as_deref() == Ok("1") {
        let ms = |d: &[Duration]| {
            d.iter().map(Duration::as_secs_f64).sum::<f64>() * 1e3 / d.len().max(1) as f64
        };
        let blocks: Vec<String> = times.chunks(50).map(|b| format!("{:.2}", ms(b))).collect();
        let (ins, del): (Vec<_>, Vec<_>) = times.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let ins: Vec<Duration> = ins.into_iter().map(|x| *x.1).collect();
        let del: Vec<Duration> = del.into_iter().map(|x| *x.1).collect();
        eprintln!(
            "latency:   {} {file} edit means (ms): insert {:.2}, delete {:.2}; per 50 edits {}",
            c.name,
            ms(&ins),
            ms(&del),
            blocks.join(" ")
        );
    }

    // Hover: the RUN keyword, a FROM image reference, a RUN --mount flag.
    let hover_at = [(s.run_line, 1), (s.from_line, 6), (s.run_line, 8)];
    let mut hover = Vec::with_capacity(HOVERS);
    let mut hover_nonempty = 0;
    for i in 0..HOVERS {
        c.drain()?;
        let p = hover_at[i % hover_at.len()];
        let (r, d) = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": pos(p)}),
        )?;
        hover_nonempty += usize::from(!r.is_null());
        hover.push(d);
    }

    trace_memory(c, file, "the hovers");

    // Completion: inside the RUN keyword ("RU|N"), right after "FROM ", inside the
    // RUN's --mount flag ("--mo|unt").
    let completion_at = [(s.run_line, 2), (s.from_line, 5), (s.run_line, 8)];
    let mut completion = Vec::with_capacity(COMPLETIONS);
    let mut completion_nonempty = 0;
    for i in 0..COMPLETIONS {
        c.drain()?;
        let p = completion_at[i % completion_at.len()];
        let (r, d) = c.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": pos(p), "context": {"triggerKind": 1}}),
        )?;
        let items = r
            .as_array()
            .or_else(|| r["items"].as_array())
            .map_or(0, Vec::len);
        completion_nonempty += usize::from(items > 0);
        completion.push(d);
    }

    c.drain()?;
    trace_memory(c, file, "the completions");
    let (rss_mib, procs) = peak_rss_mib(c.pid())?;
    Ok(Run {
        server: server.name.to_string(),
        version,
        file: file.to_string(),
        lines: text.lines().count(),
        open_to_diags,
        diags_after_open,
        edits: Stats::new(times),
        hover: Stats::new(hover),
        hover_nonempty,
        completion: Stats::new(completion),
        completion_nonempty,
        rss_mib,
        procs,
    })
}

fn command_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// The version in the `package.json` of the npm package a `bin/` script belongs to.
fn npm_package_version(bin: &Path) -> Option<String> {
    let real = std::fs::canonicalize(bin).ok()?;
    let pkg = real.parent()?.parent()?.join("package.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(pkg).ok()?).ok()?;
    v["version"].as_str().map(str::to_string)
}

fn dockwise_version() -> String {
    let dir = env!("CARGO_MANIFEST_DIR");
    let rev = command_line("git", &["-C", dir, "rev-parse", "--short", "HEAD"]);
    let dirty = command_line("git", &["-C", dir, "status", "--porcelain", "--", "src"])
        .is_some_and(|s| !s.is_empty());
    match rev {
        Some(r) => format!(
            "{} (git {r}{})",
            env!("CARGO_PKG_VERSION"),
            if dirty { ", src modified" } else { "" }
        ),
        None => env!("CARGO_PKG_VERSION").to_string(),
    }
}

fn machine() -> String {
    let cpus = command_line("nproc", &[]).unwrap_or_else(|| {
        thread::available_parallelism().map_or("?".into(), |n| n.get().to_string())
    });
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")?
                .split_once(':')
                .map(|x| x.1.trim())
        })
        .unwrap_or("unknown");
    let mem = kib_field("/proc/meminfo", "MemTotal").map_or("?".into(), |k| {
        format!("{:.1} GiB", k as f64 / 1024.0 / 1024.0)
    });
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "nproc {cpus}; CPU: {model}; memory {mem}; Linux {}; load average at start {load}",
        kernel.trim()
    )
}

/// CPU time in clock ticks: (whole machine busy, whole machine total, this process
/// and its waited-for children).
fn cpu_ticks() -> Option<(u64, u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is inside user).
    let total: u64 = cpu.iter().take(8).sum();
    let idle = cpu.get(3)? + cpu.get(4)?;
    let me = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &me[me.rfind(')')? + 1..];
    // Fields 14-17 (utime stime cutime cstime) are 11-14 after the comm.
    let own: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(4)
        .filter_map(|v| v.parse::<u64>().ok())
        .sum();
    Some((total - idle, total, own))
}

/// How busy the machine was with other work while the benchmark ran, as a share of all
/// its CPUs: what tells a quiet run from a disturbed one.
fn others_load(start: Option<(u64, u64, u64)>) -> String {
    match (start, cpu_ticks()) {
        (Some((b0, t0, o0)), Some((b1, t1, o1))) if t1 > t0 => {
            let others = (b1 - b0).saturating_sub(o1 - o0) as f64 / (t1 - t0) as f64;
            format!("{:.0} %", others * 100.0)
        }
        _ => "unknown".to_string(),
    }
}

fn table(runs: &[Run]) -> String {
    let mut s = String::new();
    s.push_str(
        "| server | version | file | edit → diagnostics p50 / p95 / max (ms) | hover p50 / p95 (ms) | completion p50 / p95 (ms) | peak RSS (MiB) |\n",
    );
    s.push_str("|---|---|---|---|---|---|---|\n");
    for r in runs {
        let _ = writeln!(
            s,
            "| {} | {} | {} ({} lines) | {:.2} / {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {:.1}{} |",
            r.server,
            r.version,
            r.file,
            r.lines,
            r.edits.pct(0.5),
            r.edits.pct(0.95),
            r.edits.max(),
            r.hover.pct(0.5),
            r.hover.pct(0.95),
            r.completion.pct(0.5),
            r.completion.pct(0.95),
            r.rss_mib,
            if r.procs > 1 {
                format!(" ({} processes)", r.procs)
            } else {
                String::new()
            },
        );
    }
    s.push_str("\n| server | file | didOpen → first diagnostics (ms) | diagnostics on the file | non-empty hovers | non-empty completions |\n");
    s.push_str("|---|---|---|---|---|---|\n");
    for r in runs {
        let _ = writeln!(
            s,
            "| {} | {} | {:.1} | {} | {}/{} | {}/{} |",
            r.server,
            r.file,
            r.open_to_diags.as_secs_f64() * 1e3,
            r.diags_after_open,
            r.hover_nonempty,
            r.hover.sorted.len(),
            r.completion_nonempty,
            r.completion.sorted.len(),
        );
    }
    s
}

fn targets(runs: &[Run]) -> String {
    let mut s = String::new();
    for r in runs
        .iter()
        .filter(|r| r.server == "dockwise" && r.lines >= 3000)
    {
        let p95 = r.edits.pct(0.95);
        let _ = writeln!(
            s,
            "Targets on the {}-line file: edit → diagnostics p95 {:.2} ms (target ≤ {TARGET_P95_MS} ms: {}), peak RSS {:.1} MiB (target ≤ {TARGET_RSS_MIB} MiB: {}).",
            r.lines,
            p95,
            if p95 <= TARGET_P95_MS { "met" } else { "MISSED" },
            r.rss_mib,
            if r.rss_mib <= TARGET_RSS_MIB { "met" } else { "MISSED" },
        );
    }
    s
}

const METHOD: &str = "\
Each server runs as a child process, spoken to over stdio (LSP JSON-RPC with `Content-Length`
framing; a reader thread timestamps each message as soon as its body has been read). The client
declares UTF-16 positions, push diagnostics (with `versionSupport`), hover, completion and
`workspace/configuration` (answered with `null` per item, so servers use their defaults;
`client/registerCapability` is answered with `null`). For each server and file, a fresh process:

1. `initialize`, `initialized`, `didOpen` of `file:///tmp/dockwise-latency/Dockerfile` (the same
   text is also written there, as an editor would have saved it), wait for the first
   `publishDiagnostics`.
2. 10 warm-up edits, then 300 measured edits, sent one at a time: an incremental `didChange`
   that inserts `x` into, and next deletes it from, the `-o /out/…` line of a `go build` RUN
   instruction near the middle of the file (the text alternates between two valid states; the
   version goes up by one each time). Each edit is timed from writing the `didChange` to
   receiving the `publishDiagnostics` that answers it: for a server that sends `version`, the
   one carrying the edit's version; for one that does not (docker-langserver), the next
   publication for the file. The next edit is sent only after that.
3. 100 `textDocument/hover` requests, round robin over: the `RUN` keyword of that instruction,
   a FROM line's image reference (column 6), the RUN's `--mount` flag; then 100
   `textDocument/completion` requests over: inside `RUN` (`RU|N`), right after `FROM `,
   inside `--mount` (`--mo|unt`). Timed from writing the request to reading its response.
4. Peak RSS: `VmHWM` from `/proc/<pid>/status` of the server process (plus any process it
   forked, counted in the table when there is one), read before `shutdown`.
   docker-langserver is started as `docker-langserver --stdio`, whose `#!/usr/bin/env node`
   line makes the child process `node` itself.

p50/p95 are nearest-rank percentiles. The files come from `server/benches/synthetic.rs`:
`go_services(3000)` (a 3,000-line multi-stage monorepo build) and `GO_60` (a 60-line Go
Dockerfile). Wall-clock figures depend on the machine and its load; compare the two servers
within one run, not across runs.
";

fn write_doc(report: &str, date: &str) -> Res<PathBuf> {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs");
    let path = std::fs::canonicalize(&docs)
        .unwrap_or(docs)
        .join("latency.md");
    let doc = format!(
        "# Language-server latency: dockwise beside docker-langserver\n\n\
         Generated by `server/benches/latency.rs` on {date}. Reproduce with\n\n\
         ```sh\n\
         cargo bench --bench latency                             # print the figures\n\
         DOCKWISE_LATENCY_WRITE=1 cargo bench --bench latency    # and rewrite this file\n\
         ```\n\n\
         `docker-langserver` (npm `dockerfile-language-server-nodejs`) is taken from\n\
         `$DOCKER_LANGSERVER`, else from `PATH` (`npm install -g dockerfile-language-server-nodejs`);\n\
         without it only dockwise is measured.\n\n\
         **Targets** on the 3,000-line synthetic file: edit → diagnostics p95 ≤ {TARGET_P95_MS} ms\n\
         (docker-langserver was measured at 102 ms), peak RSS ≤ {TARGET_RSS_MIB} MiB (docker-langserver: 112 MiB).\n\n\
         ## Method\n\n{METHOD}\n\
         ## Results (one run, both servers)\n\n{report}"
    );
    std::fs::write(&path, doc).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

fn main() -> ExitCode {
    let date = command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default();
    let machine = machine();
    let ticks = cpu_ticks();
    let big = synthetic::go_services(3000);
    let mut files: Vec<(String, String)> = vec![
        ("go_services(3000)".to_string(), big),
        ("GO_60".to_string(), synthetic::GO_60.to_string()),
    ];
    // Files given by path, e.g. the guide's examples (`bench/lsp.sh` passes them).
    if let Some(paths) = std::env::var_os("DOCKWISE_LATENCY_FILES") {
        for p in std::env::split_paths(&paths).filter(|p| !p.as_os_str().is_empty()) {
            match std::fs::read_to_string(&p) {
                Ok(text) if text.is_ascii() => files.push((p.display().to_string(), text)),
                Ok(_) => {
                    eprintln!("latency: {} is not ASCII; skipped", p.display());
                    return ExitCode::FAILURE;
                }
                Err(e) => {
                    eprintln!("latency: {}: {e}", p.display());
                    return ExitCode::FAILURE;
                }
            }
        }
    }

    let mut servers = vec![Server {
        name: "dockwise",
        // DOCKWISE_LATENCY_BIN measures another build (e.g. a release binary kept aside).
        program: std::env::var_os("DOCKWISE_LATENCY_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_dockwise"))),
        args: vec!["--stdio"],
        fallback_version: dockwise_version(),
    }];
    let mut notes = String::new();
    let peer = std::env::var_os("DOCKER_LANGSERVER")
        .map(PathBuf::from)
        .or_else(|| find_on_path("docker-langserver"));
    match peer {
        Some(p) => {
            let node = command_line("node", &["--version"]).unwrap_or_default();
            let v = npm_package_version(&p).unwrap_or_else(|| "?".into());
            servers.push(Server {
                name: "docker-langserver",
                fallback_version: if node.is_empty() {
                    v
                } else {
                    format!("{v} (Node {node})")
                },
                program: p,
                args: vec!["--stdio"],
            });
        }
        None => {
            let _ = writeln!(
                notes,
                "Note: docker-langserver not found (set DOCKER_LANGSERVER or put it on PATH: \
                 `npm install -g dockerfile-language-server-nodejs`); only dockwise was measured.\n"
            );
            eprint!("{notes}");
        }
    }

    let mut runs = Vec::new();
    let mut failed = false;
    for server in &servers {
        for (file, text) in &files {
            eprintln!("latency: {} on {file} …", server.name);
            match measure(server, file, text) {
                Ok(mut r) => {
                    if r.server == "dockwise" {
                        // serverInfo says only the crate version; add the git revision.
                        r.version = server.fallback_version.clone();
                    }
                    runs.push(r);
                }
                Err(e) => {
                    eprintln!("latency: FAILED: {e}");
                    let _ = writeln!(notes, "**{} on {file} failed:** {e}\n", server.name);
                    failed = true;
                }
            }
        }
    }

    let report = format!(
        "{}\n{}\n{notes}Machine: {machine}; CPU used by other processes during the run: {} of \
         all CPUs.\n",
        table(&runs),
        targets(&runs),
        others_load(ticks),
    );
    println!("\n{report}");
    if std::env::var("DOCKWISE_LATENCY_WRITE").as_deref() == Ok("1") {
        match write_doc(&report, &date) {
            Ok(p) => eprintln!("latency: wrote {}", p.display()),
            Err(e) => {
                eprintln!("latency: cannot write the report: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
