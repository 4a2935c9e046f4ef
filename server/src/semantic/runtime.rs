//! The runtime model: what each stage's image holds — a shell, which libc, a C compiler,
//! a Go toolchain, CA certificates, zoneinfo, `/etc/passwd` and its users, curl/wget —
//! from the base image's known contents (knowledge.toml) and from what the stage adds
//! (`apk add`, `apt-get install`, `COPY --from=… /etc/ssl/certs/…`, `adduser`, `USER`).

use std::ops::Range;

use super::knowledge::{self, ImageFacts, Libc};
use super::shell::SimpleCommand;
use super::{Model, RefTarget};
use crate::syntax::{Args, Keyword, SyntaxTree};

/// Whether a fact is known to hold, known not to, or unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    Yes,
    No,
    Unknown,
}

impl Tri {
    pub fn from(b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            Tri::No
        }
    }
    pub fn yes(self) -> bool {
        self == Tri::Yes
    }
    pub fn no(self) -> bool {
        self == Tri::No
    }
    fn or(self, b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            self
        }
    }
}

/// A package a RUN installs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Installed {
    pub name: String,
    pub item: usize,
    pub range: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Runtime {
    pub stage: usize,
    /// The facts of the image at the root of the stage's chain, when known.
    pub base: Option<&'static ImageFacts>,
    /// The root is `scratch`.
    pub scratch: bool,
    pub shell: Tri,
    pub libc: Option<Libc>,
    pub go_toolchain: Tri,
    /// Tree item of what brought the toolchain in (the FROM, or the installing RUN).
    pub go_toolchain_item: Option<usize>,
    pub c_compiler: Tri,
    pub ca_certificates: Tri,
    pub zoneinfo: Tri,
    pub passwd: Tri,
    /// Accounts known to exist.
    pub users: Vec<String>,
    pub curl: Tri,
    pub wget: Tri,
    /// The effective USER (the last one of the chain), with its tree item.
    pub user: Option<(String, usize)>,
    /// The base image's own user (`None` = root or unknown).
    pub default_user: Option<String>,
    /// Packages installed in this stage (not its ancestors).
    pub installed: Vec<Installed>,
    /// `ENV TZ=…` is set in the chain.
    pub tz_env: Option<usize>,
}

impl Runtime {
    /// RULES.md's "shell-less": scratch, distroless, chainguard static, or built on one.
    pub fn shell_less(&self) -> bool {
        self.shell.no()
    }
    /// RULES.md's "static-runtime": shell-less or musl: a glibc cgo binary cannot run.
    pub fn static_runtime(&self) -> bool {
        self.shell_less() || self.libc == Some(Libc::Musl) || self.libc == Some(Libc::None)
    }
    /// Runs as root: no USER (and the base's own user is root), or USER root/0.
    pub fn runs_as_root(&self) -> Tri {
        match &self.user {
            Some((u, _)) => {
                let name = u.split(':').next().unwrap_or(u).trim();
                Tri::from(name == "root" || name == "0")
            }
            None => match (self.scratch, self.base, &self.default_user) {
                (true, _, _) => Tri::Yes,
                (_, Some(f), _) => Tri::from(f.runs_as_root()),
                (_, None, Some(u)) => Tri::from(u == "root" || u == "0"),
                _ => Tri::Unknown,
            },
        }
    }
}

const C_COMPILERS: &[&str] = &[
    "gcc",
    "build-base",
    "build-essential",
    "alpine-sdk",
    "clang",
    "g++",
    "musl-gcc",
    "mingw-w64-gcc",
    "cc",
];
const GO_PACKAGES: &[&str] = &["go", "golang", "golang-go"];

fn package_names(c: &SimpleCommand) -> Option<Vec<(String, Range<usize>)>> {
    let prog = c.program()?;
    let args = c.args();
    let start = match prog {
        "apk" | "xx-apk" => args.iter().position(|a| a.text == "add")? + 1,
        "apt-get" | "apt" | "xx-apt-get" | "xx-apt" => {
            args.iter().position(|a| a.text == "install")? + 1
        }
        "yum" | "dnf" | "microdnf" | "tdnf" | "zypper" => {
            args.iter()
                .position(|a| a.text == "install" || a.text == "in")?
                + 1
        }
        _ => return None,
    };
    Some(
        args[start..]
            .iter()
            .filter(|a| !a.text.starts_with('-'))
            .map(|a| {
                // `curl=8.5.0-r0`, `gcc>12`: the name before any version constraint.
                let name = a
                    .text
                    .split(['=', '<', '>', '~'])
                    .next()
                    .unwrap_or("")
                    .to_string();
                (name, a.range.clone())
            })
            .filter(|(n, _)| !n.is_empty())
            .collect(),
    )
}

/// Ranges of the package words a RUN installs and deletes again in the same RUN: an
/// explicit `apk del gcc`, or a virtual package (`apk add --virtual .deps gcc …` and
/// later `apk del .deps`).
pub fn removed_in_same_run(cmds: &[SimpleCommand]) -> Vec<Range<usize>> {
    let deleted: Vec<&str> = cmds
        .iter()
        .filter(|c| matches!(c.program(), Some("apk" | "apt-get" | "apt")))
        .filter(|c| {
            c.args()
                .iter()
                .any(|a| matches!(a.text.as_str(), "del" | "purge" | "remove"))
        })
        .flat_map(|c| c.args().iter().map(|a| a.text.as_str()))
        .collect();
    let mut out = Vec::new();
    for c in cmds {
        let Some(pkgs) = package_names(c) else {
            continue;
        };
        let args = c.args();
        let group = args.iter().enumerate().find_map(|(k, a)| {
            if a.text == "--virtual" || a.text == "-t" {
                args.get(k + 1).map(|n| n.text.as_str())
            } else {
                a.text.strip_prefix("--virtual=")
            }
        });
        let group_deleted = group.is_some_and(|g| deleted.contains(&g));
        for (name, range) in pkgs {
            if group_deleted || deleted.contains(&name.as_str()) {
                out.push(range);
            }
        }
    }
    out
}

/// Whether a RUN downloads and unpacks a Go toolchain tarball (`go1.22.linux-amd64.tar.gz`).
fn installs_go_tarball(cmds: &[SimpleCommand]) -> bool {
    cmds.iter().any(|c| {
        c.words
            .iter()
            .chain(c.env.iter().map(|a| &a.value))
            .any(|w| {
                let t = w.text.as_str();
                (t.contains("go1.") || t.contains("GOLANG") || t.contains("golang"))
                    && t.contains(".tar.gz")
            })
            || (c.program() == Some("tar")
                && c.args()
                    .iter()
                    .any(|a| a.text.contains("/usr/local/go") || a.text.contains("GOROOT")))
    })
}

/// The runtime of every stage, in order.
pub fn runtimes(text: &str, tree: &SyntaxTree, model: &Model) -> Vec<Runtime> {
    build(tree, model, Some(text))
}

/// The runtime of every stage without looking inside RUN scripts: right about the
/// shell (which only the base image or a COPY brings), not about installed packages.
pub fn shells(tree: &SyntaxTree, model: &Model) -> Vec<Runtime> {
    build(tree, model, None)
}

fn build(tree: &SyntaxTree, model: &Model, text: Option<&str>) -> Vec<Runtime> {
    let mut out: Vec<Runtime> = Vec::with_capacity(model.stages.len());
    for st in &model.stages {
        let mut rt = match st.base.stage.and_then(|p| out.get(p)) {
            Some(parent) => Runtime {
                stage: st.index,
                installed: Vec::new(),
                ..parent.clone()
            },
            None => from_image(st.index, st.item, st.base.image.as_ref()),
        };
        for &k in &st.items {
            let Some(i) = tree.instr_at(k) else { continue };
            let ins = i.ins;
            match ins.keyword {
                Keyword::Run => {
                    let Some(text) = text else { continue };
                    let cmds = model.commands_of(text, tree, k);
                    let removed = removed_in_same_run(cmds);
                    for c in cmds {
                        if let Some(pkgs) = package_names(c) {
                            for (name, range) in pkgs {
                                // Installed and deleted in one RUN: never in the image.
                                if removed.iter().any(|r| r.start == range.start) {
                                    continue;
                                }
                                let n = name.as_str();
                                if C_COMPILERS.contains(&n) {
                                    rt.c_compiler = Tri::Yes;
                                }
                                if GO_PACKAGES.contains(&n)
                                    || n.starts_with("golang-1")
                                    || n.starts_with("go1")
                                {
                                    rt.go_toolchain = Tri::Yes;
                                    rt.go_toolchain_item.get_or_insert(k);
                                }
                                match n {
                                    "ca-certificates" | "ca-certificates-bundle" => {
                                        rt.ca_certificates = Tri::Yes
                                    }
                                    "tzdata" => rt.zoneinfo = Tri::Yes,
                                    "curl" => rt.curl = Tri::Yes,
                                    "wget" => rt.wget = Tri::Yes,
                                    _ => {}
                                }
                                rt.installed.push(Installed {
                                    name,
                                    item: k,
                                    range,
                                });
                            }
                        }
                        match c.program() {
                            Some("adduser" | "useradd") => {
                                if let Some(u) =
                                    c.args().iter().rev().find(|a| !a.text.starts_with('-'))
                                {
                                    rt.users.push(u.text.to_string());
                                    rt.passwd = Tri::Yes;
                                }
                            }
                            Some("update-ca-certificates") => rt.ca_certificates = Tri::Yes,
                            _ => {}
                        }
                    }
                    if installs_go_tarball(cmds) {
                        rt.go_toolchain = Tri::Yes;
                        rt.go_toolchain_item.get_or_insert(k);
                    }
                }
                Keyword::Copy | Keyword::Add => {
                    let words = ins.args.words();
                    if words.len() < 2 {
                        continue;
                    }
                    let from_stage = model.refs.iter().find(|r| r.item == k).and_then(|r| match r
                        .target
                    {
                        RefTarget::Stage(s) => out.get(s),
                        _ => None,
                    });
                    for src in &words[..words.len() - 1] {
                        let p = src.text.trim_end_matches('/');
                        if p.is_empty() || p == "/" {
                            // `COPY --from=x / /`: everything that stage had.
                            if let Some(f) = from_stage {
                                rt.ca_certificates = rt.ca_certificates.or(f.ca_certificates.yes());
                                rt.zoneinfo = rt.zoneinfo.or(f.zoneinfo.yes());
                                rt.passwd = rt.passwd.or(f.passwd.yes());
                                if f.shell.yes() {
                                    rt.shell = Tri::Yes;
                                }
                            }
                            continue;
                        }
                        if ins.flag("from").is_none() {
                            continue;
                        }
                        if p.starts_with("/etc/ssl/certs")
                            || p == "/etc/ssl"
                            || p.starts_with("/etc/pki/")
                            || p.ends_with("ca-certificates.crt")
                        {
                            rt.ca_certificates = Tri::Yes;
                        }
                        if p.starts_with("/usr/share/zoneinfo") || p == "/usr/share" {
                            rt.zoneinfo = Tri::Yes;
                        }
                        if p == "/etc/passwd" || p == "/etc" {
                            rt.passwd = Tri::Yes;
                            if let Some(f) = from_stage {
                                rt.users.extend(f.users.iter().cloned());
                            } else {
                                rt.users.push("*".to_string());
                            }
                        }
                        if matches!(p.rsplit('/').next(), Some("sh" | "busybox" | "bash")) {
                            rt.shell = Tri::Yes;
                        }
                    }
                }
                Keyword::User => {
                    if let Args::Text(w) = &ins.args {
                        rt.user = Some((w.text.trim().to_string(), k));
                    }
                }
                Keyword::Env => {
                    if let Args::Pairs { pairs, .. } = &ins.args {
                        if pairs.iter().any(|p| p.key.text == "TZ") {
                            rt.tz_env = Some(k);
                        }
                    }
                }
                _ => {}
            }
        }
        out.push(rt);
    }
    out
}

fn from_image(stage: usize, item: usize, image: Option<&super::ImageRef>) -> Runtime {
    let unknown = Runtime {
        stage,
        base: None,
        scratch: false,
        shell: Tri::Unknown,
        libc: None,
        go_toolchain: Tri::Unknown,
        go_toolchain_item: None,
        c_compiler: Tri::Unknown,
        ca_certificates: Tri::Unknown,
        zoneinfo: Tri::Unknown,
        passwd: Tri::Unknown,
        users: Vec::new(),
        curl: Tri::Unknown,
        wget: Tri::Unknown,
        user: None,
        default_user: None,
        installed: Vec::new(),
        tz_env: None,
    };
    let Some(image) = image else { return unknown };
    if image.is_scratch() {
        return Runtime {
            scratch: true,
            shell: Tri::No,
            libc: Some(Libc::None),
            go_toolchain: Tri::No,
            c_compiler: Tri::No,
            ca_certificates: Tri::No,
            zoneinfo: Tri::No,
            passwd: Tri::No,
            curl: Tri::No,
            wget: Tri::No,
            ..unknown
        };
    }
    let Some(f) = knowledge::image_facts(image) else {
        return unknown;
    };
    // distroless `:debug` has a busybox shell at /busybox/sh but no /bin/sh, which is
    // what RUN and shell-form CMD use.
    let bin_sh = f.shell && !f.family.starts_with("distroless");
    Runtime {
        base: Some(f),
        shell: Tri::from(bin_sh),
        libc: Some(f.libc),
        go_toolchain: Tri::from(f.go_toolchain),
        go_toolchain_item: f.go_toolchain.then_some(item),
        c_compiler: Tri::from(f.c_compiler),
        ca_certificates: Tri::from(f.ca_certificates),
        zoneinfo: Tri::from(f.zoneinfo),
        passwd: Tri::from(f.passwd),
        users: f.users.iter().map(|u| u.to_string()).collect(),
        curl: Tri::from(f.curl),
        wget: Tri::from(f.wget),
        default_user: f.default_user.as_deref().map(str::to_string),
        ..unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantic::analyze;
    use crate::syntax::parse;

    fn rts(text: &str) -> Vec<Runtime> {
        let tree = parse(text);
        let m = analyze(text, &tree);
        runtimes(text, &tree, &m)
    }

    #[test]
    fn guide_production_shape() {
        let text = "FROM golang:1.21-alpine AS builder\nRUN apk add --no-cache git ca-certificates tzdata\nRUN adduser -D -g '' appuser\nFROM scratch\nCOPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo\nCOPY --from=builder /etc/passwd /etc/passwd\nUSER appuser\n";
        let r = rts(text);
        assert!(r[0].go_toolchain.yes());
        assert!(r[0].c_compiler.no(), "golang alpine has no gcc");
        assert!(r[0].users.contains(&"appuser".to_string()));
        let f = &r[1];
        assert!(f.shell_less() && f.static_runtime());
        assert!(f.ca_certificates.yes() && f.zoneinfo.yes() && f.passwd.yes());
        assert!(f.users.contains(&"appuser".to_string()));
        assert_eq!(f.runs_as_root(), Tri::No);
    }

    #[test]
    fn installs_and_inheritance() {
        let text = "FROM golang:1.22-alpine AS b\nRUN apk add --no-cache gcc musl-dev\nFROM b AS t\nFROM ubuntu:22.04\nRUN apt-get update && apt-get install -y golang-go curl\n";
        let r = rts(text);
        assert!(r[0].c_compiler.yes());
        assert!(r[1].c_compiler.yes(), "inherited from the parent stage");
        assert!(r[2].go_toolchain.yes() && r[2].curl.yes());
        assert_eq!(r[2].runs_as_root(), Tri::Yes);
    }
}
