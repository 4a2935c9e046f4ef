//! What the server knows, as data: base images (shell, libc, C compiler, curl/wget, CA
//! certificates, zoneinfo, users…), the tags to pin to, Go releases, modules and build tags
//! that need cgo, Go environment variables and `go build` / `-ldflags` flags.
//!
//! The facts live in `knowledge.toml`. `build.rs` checks every entry (with `load.rs`) and
//! compiles them into a `static`, so looking something up costs nothing at start-up and a
//! malformed data file fails the build. Every entry there names its source and the day it
//! was checked, so updating a fact is a data change. Architecture invariant: pure lookups,
//! no I/O, no panics on any input.

mod types;

#[cfg(test)]
mod load;

pub use types::{
    go_version_from_tag, CgoBuildTags, CgoModule, GoEnv, GoFlag, GoRelease, GuideSize, ImageEntry,
    ImageFacts, ImageKind, KnownTags, Libc, Os, Recommended, ShellKind, Text,
};

use std::borrow::Cow;

use types::{normalize_registry, HubMirror, Knowledge, HUB, HUB_ALIASES};

use crate::i18n::Lang;
use crate::semantic::ImageRef;

/// Everything `knowledge.toml` says, checked and resolved by `build.rs`.
static KNOWLEDGE: Knowledge = include!(concat!(env!("OUT_DIR"), "/knowledge.rs"));

fn data() -> &'static Knowledge {
    &KNOWLEDGE
}

// ---------------------------------------------------------------------------------------
// Behaviour of the data types
// ---------------------------------------------------------------------------------------

impl ImageFacts {
    pub fn summary(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.summary_en,
            Lang::Zh => &self.summary_zh,
        }
    }

    /// Whether a source states the value of `field` (a field name of this struct).
    pub fn is_verified(&self, field: &str) -> bool {
        !self.unverified.iter().any(|f| f == field)
    }

    /// Runs as root unless the image sets a non-root `USER`.
    pub fn runs_as_root(&self) -> bool {
        match self.default_user.as_deref() {
            None => true,
            Some(u) => {
                let name = u.split(':').next().unwrap_or(u);
                name == "root" || name == "0" || name.eq_ignore_ascii_case("ContainerAdministrator")
            }
        }
    }

    /// A glibc-linked (cgo) binary can run here.
    pub fn has_glibc(&self) -> bool {
        self.os == Os::Linux && self.libc == Libc::Glibc
    }

    pub fn env_value(&self, name: &str) -> Option<&str> {
        self.env_values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| &**v)
    }
}

impl ImageEntry {
    pub fn summary(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.summary_en,
            Lang::Zh => &self.summary_zh,
        }
    }
}

impl CgoModule {
    pub fn reason(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.reason_en,
            Lang::Zh => &self.reason_zh,
        }
    }
}

impl GoEnv {
    pub fn doc(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.doc_en,
            Lang::Zh => &self.doc_zh,
        }
    }
}

impl GoFlag {
    pub fn doc(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.doc_en,
            Lang::Zh => &self.doc_zh,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------

/// The facts for an image reference: `golang`, `docker.io/library/golang:1.22`,
/// `golang:1.21-alpine3.19`, `gcr.io/distroless/static-debian12:nonroot`, digests…
/// A missing tag counts as `latest`. `None` for images the server knows nothing about.
pub fn image_facts(image: &ImageRef) -> Option<&'static ImageFacts> {
    matching_entries(image).next().map(|(_, facts)| facts)
}

/// The repository family an image reference belongs to.
pub fn image_entry(image: &ImageRef) -> Option<&'static ImageEntry> {
    matching_entries(image).next().map(|(e, _)| e)
}

/// [`image_facts`] for a reference written as text; `None` when it does not parse.
pub fn image_facts_for(reference: &str) -> Option<&'static ImageFacts> {
    image_facts(&ImageRef::parse(reference)?)
}

fn matching_entries(
    image: &ImageRef,
) -> impl Iterator<Item = (&'static ImageEntry, &'static ImageFacts)> {
    let (registry, repository) = registry_and_repository(image);
    let tag = image
        .tag
        .as_deref()
        .filter(|t| !t.is_empty())
        .unwrap_or("latest")
        .to_ascii_lowercase();
    data().images.iter().filter_map(move |e| {
        if !e.registries.iter().any(|r| *r == registry) {
            return None;
        }
        if !e.repositories.iter().any(|p| glob(p, &repository)) {
            return None;
        }
        let v = e
            .variants
            .iter()
            .find(|v| v.tags.is_empty() || v.tags.iter().any(|p| glob(p, &tag)))?;
        Some((e, v))
    })
}

/// The registry (normalized) and the repository the data knows the image by: a Docker Hub
/// mirror's reference becomes the Hub repository it mirrors, and Hub's `library/` goes.
fn registry_and_repository(image: &ImageRef) -> (String, String) {
    let mut registry = normalize_registry(image.registry.as_deref());
    let mut repo = image.repository.trim().to_ascii_lowercase();
    if let Some(rest) = data().hub_mirrors.iter().find_map(|m| {
        (*m.registry == *registry)
            .then(|| repo.strip_prefix(&*m.prefix))
            .flatten()
            .filter(|rest| !rest.is_empty())
            .map(str::to_string)
    }) {
        registry = HUB.to_string();
        repo = rest;
    } else if registry != HUB {
        // `<any registry>/[…/]library/<name>`: Docker Hub's official namespace, as pull
        // -through proxies and mirrors keep it (hub-mirror.c.163.com/library/golang,
        // ccr.ccs.tencentyun.com/library/alpine, swr…/docker.io/library/golang, and a
        // Harbor project named `library`, which holds copies of them).
        // Not on registries that are an origin themselves (ghcr.io/library is a GitHub
        // organisation), nor behind another registry's name in the path
        // (m.daocloud.io/ghcr.io/library/…).
        const ORIGINS: &[&str] = &[
            "ghcr.io",
            "quay.io",
            "gcr.io",
            "registry.k8s.io",
            "k8s.gcr.io",
            "mcr.microsoft.com",
            "public.ecr.aws",
            "registry.gitlab.com",
            "cgr.dev",
            "nvcr.io",
            "registry.redhat.io",
            "registry.access.redhat.com",
        ];
        let parts: Vec<&str> = repo.split('/').collect();
        if let [before @ .., "library", name] = parts.as_slice() {
            let hub_path = before
                .iter()
                .all(|p| !p.contains('.') || HUB_ALIASES.contains(p));
            if hub_path && !ORIGINS.contains(&registry.as_str()) {
                let name = name.to_string();
                registry = HUB.to_string();
                repo = name;
            }
        }
    }
    if registry == HUB {
        if let Some(r) = repo.strip_prefix("library/") {
            repo = r.to_string();
        }
    }
    (registry, repo)
}

/// Every image family the server knows, for completion.
pub fn known_images() -> impl Iterator<Item = &'static ImageEntry> {
    data().images.iter()
}

/// The guide's size table (golang:1.21 ≈ 800 MB, multi-stage + alpine ≈ 15 MB, …).
pub fn guide_sizes() -> &'static [GuideSize] {
    &data().guide_sizes
}

/// The tag to pin a repository to (`golang` → `1.27`, `alpine` → `3.24`,
/// `distroless/static-debian12` → `nonroot`). Takes the short repository name.
pub fn recommended_tag(repository_short_name: &str) -> Option<&'static str> {
    let repo = repository_short_name.trim().to_ascii_lowercase();
    let repo = repo.strip_prefix("library/").unwrap_or(&repo);
    data()
        .recommended
        .iter()
        .find(|r| r.when_tag_contains.is_none() && r.repository == repo)
        .map(|r| &*r.tag)
}

/// The recommendation for an image reference, keeping its flavor (`golang:alpine` →
/// `golang:1.27-alpine`, `gcr.io/distroless/static` → `gcr.io/distroless/static-debian12:nonroot`).
pub fn recommended_for(image: &ImageRef) -> Option<&'static Recommended> {
    let (registry, repo) = registry_and_repository(image);
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let candidates = data()
        .recommended
        .iter()
        .filter(|r| r.repository == repo && normalize_registry(r.registry.as_deref()) == registry);
    let mut plain = None;
    for r in candidates {
        match r.when_tag_contains.as_deref() {
            Some(w) if tag.contains(w) => return Some(r),
            Some(_) => {}
            None => {
                if plain.is_none() {
                    plain = Some(r);
                }
            }
        }
    }
    plain
}

/// The reference to write for a Docker Hub repository (`alpine` → `alpine:3.24`): its
/// recommended pin, or the bare name when the data has none.
pub fn pinned_reference(repository_short_name: &str) -> String {
    recommended_for(&ImageRef {
        repository: repository_short_name.to_string(),
        ..Default::default()
    })
    .map_or_else(
        || repository_short_name.to_string(),
        |r| r.reference.to_string(),
    )
}

/// A few known tags of a repository, for completion (short repository name).
pub fn tags(repository_short_name: &str) -> &'static [Text] {
    let repo = repository_short_name.trim().to_ascii_lowercase();
    let repo = repo.strip_prefix("library/").unwrap_or(&repo);
    data()
        .known_tags
        .iter()
        .find(|k| k.repository == repo)
        .map(|k| &*k.tags)
        .unwrap_or(&[])
}

/// The newest Go minor version the data knows of.
pub fn latest_go() -> (u32, u32) {
    data()
        .go_releases
        .iter()
        .map(|r| r.version)
        .max()
        .unwrap_or((1, 0))
}

/// The release date (`YYYY-MM-DD`) of Go `major.minor`.
pub fn go_release_date(minor: (u32, u32)) -> Option<&'static str> {
    go_release(minor).map(|r| &*r.date)
}

pub fn go_release(minor: (u32, u32)) -> Option<&'static GoRelease> {
    data().go_releases.iter().find(|r| r.version == minor)
}

/// Go releases from 1.10 on, oldest first.
pub fn go_releases() -> &'static [GoRelease] {
    &data().go_releases
}

/// The cgo-only module a module or package path belongs to. Matches by path prefix, so
/// `…/confluent-kafka-go/v2/kafka` finds `…/confluent-kafka-go`; a trailing `@version` is
/// ignored. `None` for modules not known to need cgo.
pub fn cgo_module(module_path: &str) -> Option<&'static CgoModule> {
    let p = module_path.trim();
    let p = p.split('@').next().unwrap_or(p).trim_end_matches('/');
    let p = p.to_ascii_lowercase();
    data()
        .cgo_modules
        .iter()
        .filter(|m| {
            let m = m.path.to_ascii_lowercase();
            p == m || (p.starts_with(&m) && p.as_bytes().get(m.len()) == Some(&b'/'))
        })
        .max_by_key(|m| m.path.len())
}

/// Whether a build tag only makes sense with a cgo module (`sqlite_fts5`, `libsqlite3`).
pub fn cgo_build_tag(tag: &str) -> bool {
    cgo_build_tag_info(tag).is_some()
}

/// The module a cgo-implying build tag belongs to.
pub fn cgo_build_tag_info(tag: &str) -> Option<&'static CgoBuildTags> {
    let t = tag.trim();
    data()
        .cgo_build_tags
        .iter()
        .find(|b| b.tags.iter().any(|x| x == t))
}

pub fn go_env(name: &str) -> Option<&'static GoEnv> {
    let n = name.trim();
    data().go_env.iter().find(|e| e.name == n)
}

pub fn go_envs() -> &'static [GoEnv] {
    &data().go_env
}

/// A `go build` flag by name: `-o`, `--o`, `o` and `-o=out` all find `-o`.
pub fn go_build_flag(name: &str) -> Option<&'static GoFlag> {
    find_flag(&data().go_build_flags, name)
}

pub fn go_build_flags() -> &'static [GoFlag] {
    &data().go_build_flags
}

/// A part of `-ldflags` by name (`-s`, `-w`, `-X`, `-extldflags`, `-linkmode`…).
pub fn ldflags_part(name: &str) -> Option<&'static GoFlag> {
    find_flag(&data().ldflags, name)
}

pub fn ldflags_parts() -> &'static [GoFlag] {
    &data().ldflags
}

fn find_flag(flags: &'static [GoFlag], name: &str) -> Option<&'static GoFlag> {
    let n = name.trim().trim_start_matches('-');
    let n = n.split('=').next().unwrap_or(n);
    if n.is_empty() {
        return None;
    }
    flags.iter().find(|f| f.name.trim_start_matches('-') == n)
}

/// Valid `GOOS/GOARCH` pairs, as `go tool dist list` prints them.
pub fn go_platforms() -> &'static [Text] {
    &data().platforms
}

pub fn is_go_platform(goos: &str, goarch: &str) -> bool {
    data().platforms.iter().any(|p| {
        p.split_once('/')
            .is_some_and(|(o, a)| o == goos.trim() && a == goarch.trim())
    })
}

/// `*` matches any run of characters; everything else matches itself (ASCII case-insensitive).
fn glob(pattern: &str, text: &str) -> bool {
    let p = pattern.as_bytes();
    let t = text.as_bytes();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if c.eq_ignore_ascii_case(&t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

#[cfg(test)]
mod tests {
    use super::load::{check_date, is_cjk, parse, CHECKABLE_FIELDS};
    use super::*;

    const DATA: &str = include_str!("knowledge.toml");

    /// `build.rs` wrote what the generator writes for today's data file (and the
    /// generated file is not stale).
    #[test]
    fn generated_source_is_the_generators() {
        let k = parse(DATA).unwrap_or_else(|e| panic!("knowledge.toml: {e}"));
        let generated = include_str!(concat!(env!("OUT_DIR"), "/knowledge.rs"));
        assert!(generated.contains(&super::load::to_rust(&k)));
    }

    /// What `build.rs` compiled in is what the data file says today.
    #[test]
    fn compiled_in_data_is_the_data_file() {
        let k = parse(DATA).unwrap_or_else(|e| panic!("knowledge.toml: {e}"));
        assert_eq!(format!("{k:?}"), format!("{:?}", data()));
    }

    fn facts(reference: &str) -> Option<&'static ImageFacts> {
        let r = ImageRef::parse(reference).unwrap_or_else(|| panic!("parse {reference}"));
        image_facts(&r)
    }

    fn id(reference: &str) -> Option<&'static str> {
        facts(reference).map(|f| f.id.as_ref())
    }

    #[test]
    fn embedded_data_parses() {
        let k = parse(DATA).unwrap_or_else(|e| panic!("knowledge.toml: {e}"));
        assert!(k.images.len() >= 20);
        assert!(k.go_env.len() >= 18);
        assert!(k.go_build_flags.len() >= 22);
        assert!(k.ldflags.len() >= 6);
        assert!(!k.platforms.is_empty());
    }

    #[test]
    fn malformed_data_is_an_error_not_a_panic() {
        assert!(parse("").is_err());
        assert!(parse("not toml [[[").is_err());
        assert!(parse("[meta]\nschema = 1\n").is_err());
        // A typo in a field name is caught.
        let typo = DATA.replacen("zoneinfo = true", "zonenfo = true", 1);
        assert!(parse(&typo).is_err());
        // A variant missing a required field is caught.
        let missing = DATA.replacen("summary_zh = \"空镜像（0 字节）", "summary_xx = \"", 1);
        assert!(parse(&missing).is_err());
        // A bad date is caught.
        let date = DATA.replacen("checked = \"2026-11-27\"", "checked = \"2026-13-27\"", 1);
        assert!(parse(&date).is_err());
    }

    #[test]
    fn every_entry_has_source_and_checked_date() {
        let k = data();
        let mut seen = 0;
        for e in k.images.iter() {
            assert!(!e.source.is_empty() && check_date(&e.id, &e.checked).is_ok());
            for v in e.variants.iter() {
                assert!(!v.source.is_empty(), "{}", v.id);
                assert!(check_date(&v.id, &v.checked).is_ok(), "{}", v.id);
                seen += 1;
            }
        }
        let rows = k
            .guide_sizes
            .iter()
            .map(|g| (&g.source, &g.checked))
            .chain(k.recommended.iter().map(|r| (&r.source, &r.checked)))
            .chain(k.known_tags.iter().map(|r| (&r.source, &r.checked)))
            .chain(k.go_releases.iter().map(|r| (&r.source, &r.checked)))
            .chain(k.cgo_modules.iter().map(|r| (&r.source, &r.checked)))
            .chain(k.cgo_build_tags.iter().map(|r| (&r.source, &r.checked)))
            .chain(k.go_env.iter().map(|r| (&r.source, &r.checked)))
            .chain(k.go_build_flags.iter().map(|r| (&r.source, &r.checked)))
            .chain(k.ldflags.iter().map(|r| (&r.source, &r.checked)));
        for (source, checked) in rows {
            assert!(!source.trim().is_empty());
            assert!(check_date("row", checked).is_ok(), "{checked}");
            seen += 1;
        }
        assert!(seen > 150);
    }

    #[test]
    fn every_doc_is_bilingual() {
        let k = data();
        let mut texts: Vec<(&str, &str)> = Vec::new();
        for e in k.images.iter() {
            texts.push((&e.summary_en, &e.summary_zh));
            for v in e.variants.iter() {
                texts.push((&v.summary_en, &v.summary_zh));
            }
        }
        texts.extend(
            k.go_env
                .iter()
                .map(|e| (e.doc_en.as_ref(), e.doc_zh.as_ref())),
        );
        texts.extend(
            k.go_build_flags
                .iter()
                .chain(k.ldflags.iter())
                .map(|f| (f.doc_en.as_ref(), f.doc_zh.as_ref())),
        );
        texts.extend(
            k.cgo_modules
                .iter()
                .map(|m| (m.reason_en.as_ref(), m.reason_zh.as_ref())),
        );
        texts.extend(
            k.guide_sizes
                .iter()
                .map(|g| (g.note_en.as_ref(), g.note_zh.as_ref())),
        );
        for (en, zh) in texts {
            assert!(!en.trim().is_empty());
            assert!(!en.chars().any(is_cjk), "English text with CJK: {en}");
            assert!(zh.chars().any(is_cjk), "Chinese text without CJK: {zh}");
        }
        let flag = go_build_flag("-trimpath").unwrap();
        assert_eq!(flag.doc(Lang::Zh), flag.doc_zh);
    }

    #[test]
    fn matches_image_references() {
        let cases: &[(&str, Option<&str>)] = &[
            ("golang", Some("golang-debian")),
            ("golang:latest", Some("golang-debian")),
            ("golang:1.22", Some("golang-debian")),
            ("docker.io/library/golang:1.22", Some("golang-debian")),
            ("index.docker.io/library/golang:1.22", Some("golang-debian")),
            ("library/golang:1.23-trixie", Some("golang-debian")),
            ("golang:1.22.3-bookworm", Some("golang-debian")),
            ("golang:1.20-bullseye", Some("golang-debian")),
            ("golang:1.21", Some("golang-1.21")),
            ("golang:1.21.5-bookworm", Some("golang-1.21")),
            ("golang:1.21-alpine", Some("golang-alpine")),
            ("golang:1.21-alpine3.19", Some("golang-alpine")),
            ("golang:alpine", Some("golang-alpine")),
            (
                "golang:1.27-windowsservercore-ltsc2022",
                Some("golang-windowsservercore"),
            ),
            ("golang:nanoserver", Some("golang-nanoserver")),
            ("golang@sha256:0123456789abcdef", Some("golang-debian")),
            // Docker Hub mirrors name Hub's images.
            (
                "public.ecr.aws/docker/library/golang:1.22",
                Some("golang-debian"),
            ),
            ("PUBLIC.ECR.AWS/docker/library/alpine:3.20", Some("alpine")),
            (
                "mirror.gcr.io/library/golang:1.22-alpine",
                Some("golang-alpine"),
            ),
            ("mirror.gcr.io/alpine:3.20", Some("alpine")),
            (
                "docker.m.daocloud.io/library/golang:1.22",
                Some("golang-debian"),
            ),
            ("docker.m.daocloud.io/alpine", Some("alpine")),
            (
                "m.daocloud.io/docker.io/library/alpine:3.20",
                Some("alpine"),
            ),
            // …but not other paths on the same registries.
            ("public.ecr.aws/someone/golang:1.22", None),
            ("public.ecr.aws/docker/library", None),
            // Any registry's `library/<name>` is the official image.
            (
                "hub-mirror.c.163.com/library/golang:1.22",
                Some("golang-debian"),
            ),
            ("ccr.ccs.tencentyun.com/library/alpine:3.20", Some("alpine")),
            (
                "swr.cn-north-4.myhuaweicloud.com/ddn-k8s/docker.io/library/golang:1.22-alpine",
                Some("golang-alpine"),
            ),
            ("harbor.example.com/library/alpine", Some("alpine")),
            ("harbor.example.com/library/myapp", None),
            ("registry.example.com/team/golang", None),
            ("m.daocloud.io/ghcr.io/library/alpine", None),
            (
                "golang:1.22-alpine@sha256:0123456789abcdef",
                Some("golang-alpine"),
            ),
            ("alpine", Some("alpine")),
            ("alpine:latest", Some("alpine")),
            ("alpine:3.19", Some("alpine")),
            ("scratch", Some("scratch")),
            ("busybox:latest", Some("busybox")),
            ("busybox:1.36-glibc", Some("busybox-glibc")),
            ("busybox:musl", Some("busybox-musl")),
            ("busybox:uclibc", Some("busybox-uclibc")),
            ("debian:bookworm-slim", Some("debian-slim")),
            ("debian:12", Some("debian")),
            ("ubuntu:24.04", Some("ubuntu")),
            ("gcr.io/distroless/static", Some("distroless-static")),
            (
                "gcr.io/distroless/static-debian12",
                Some("distroless-static"),
            ),
            (
                "gcr.io/distroless/static-debian12:nonroot",
                Some("distroless-static-nonroot"),
            ),
            (
                "gcr.io/distroless/static-debian12:debug",
                Some("distroless-static-debug"),
            ),
            (
                "gcr.io/distroless/static:debug-nonroot",
                Some("distroless-static-debug-nonroot"),
            ),
            (
                "gcr.io/distroless/base-debian11:debug-nonroot",
                Some("distroless-base-debug-nonroot"),
            ),
            ("gcr.io/distroless/base-debian12", Some("distroless-base")),
            (
                "gcr.io/distroless/base-nossl-debian12:nonroot",
                Some("distroless-base-nossl-nonroot"),
            ),
            (
                "gcr.io/distroless/cc-debian12:latest",
                Some("distroless-cc"),
            ),
            (
                "cgr.dev/chainguard/static:latest",
                Some("chainguard-static"),
            ),
            ("cgr.dev/chainguard/go:latest", Some("chainguard-go")),
            (
                "cgr.dev/chainguard/go:latest-dev",
                Some("chainguard-go-dev"),
            ),
            (
                "cgr.dev/chainguard/wolfi-base",
                Some("chainguard-wolfi-base"),
            ),
            (
                "registry.access.redhat.com/ubi9/ubi-minimal:9.4",
                Some("ubi-minimal"),
            ),
            (
                "registry.access.redhat.com/ubi8/ubi-micro",
                Some("ubi-micro"),
            ),
            ("node:20-alpine", Some("node-alpine")),
            ("node:20-bookworm-slim", Some("node-slim")),
            ("node:22", Some("node")),
            ("python:3.12-slim", Some("python-slim")),
            ("rust:1-alpine", Some("rust-alpine")),
            ("nginx:alpine", Some("nginx-alpine")),
            ("nginx", Some("nginx")),
            ("tonistiigi/xx", Some("tonistiigi-xx")),
            ("tonistiigi/xx:1.6.1", Some("tonistiigi-xx")),
            // Not known: None, never a wrong entry.
            ("mcr.microsoft.com/windows/servercore:ltsc2022", None),
            ("gcr.io/golang", None),
            ("ghcr.io/library/golang:1.22", None),
            ("myorg/golang:1.22", None),
            ("golangci/golangci-lint:v1.59", None),
            ("localhost:5000/alpine", None),
            ("gcr.io/distroless/java21-debian12", None),
        ];
        assert!(cases.len() >= 25);
        for (reference, expected) in cases {
            assert_eq!(id(reference), *expected, "{reference}");
        }
    }

    #[test]
    fn image_facts_say_what_is_inside() {
        let g = facts("golang:1.22").unwrap();
        assert_eq!(g.family, "golang");
        assert!(g.go_toolchain && g.c_compiler && g.shell && g.curl && g.wget && g.git);
        assert_eq!(g.libc, Libc::Glibc);
        assert_eq!(g.workdir.as_deref(), Some("/go"));
        assert_eq!(g.env_value("GOPATH"), Some("/go"));
        assert_eq!(g.env_value("GOTOOLCHAIN"), Some("local"));
        assert!(g.env.iter().any(|e| e == "GOLANG_VERSION"));
        assert!(g.runs_as_root());

        let a = facts("golang:1.21-alpine").unwrap();
        assert_eq!(a.libc, Libc::Musl);
        assert!(a.go_toolchain && !a.c_compiler && !a.curl && a.wget && !a.zoneinfo);
        assert_eq!(a.package_manager.as_deref(), Some("apk"));

        let s = facts("scratch").unwrap();
        assert!(!s.shell && !s.ca_certificates && !s.zoneinfo && !s.passwd);
        assert_eq!(s.libc, Libc::None);
        assert_eq!(s.size_mb, Some(0.0));

        let al = facts("alpine:latest").unwrap();
        assert!(al.shell && al.wget && !al.curl && al.ca_certificates && !al.zoneinfo);
        assert_eq!(al.size_mb, Some(5.0));

        let d = facts("gcr.io/distroless/static-debian12:nonroot").unwrap();
        assert!(!d.shell && d.ca_certificates && d.zoneinfo && d.passwd);
        assert_eq!(d.default_user.as_deref(), Some("65532"));
        assert!(!d.runs_as_root());
        assert!(d.users.iter().any(|u| u == "nonroot"));

        let dbg = facts("gcr.io/distroless/base-debian11:debug-nonroot").unwrap();
        assert!(dbg.shell && dbg.has_glibc() && !dbg.runs_as_root());
        assert_eq!(dbg.shell_kind, Some(ShellKind::Busybox));

        let cg = facts("cgr.dev/chainguard/static:latest").unwrap();
        assert!(!cg.shell && !cg.runs_as_root() && cg.libc == Libc::None);

        let n = facts("node:20-alpine").unwrap();
        assert!(n.shell && n.libc == Libc::Musl && !n.go_toolchain);

        let w = facts("golang:nanoserver").unwrap();
        assert_eq!(w.os, Os::Windows);
        assert_eq!(w.shell_kind, Some(ShellKind::Cmd));
        assert!(!w.runs_as_root());
        assert!(w.env_value("GOTOOLCHAIN").is_none());

        let u = facts("ubuntu").unwrap();
        assert!(!u.zoneinfo && u.is_verified("zoneinfo") && !u.is_verified("curl"));

        let xx = facts("tonistiigi/xx").unwrap();
        assert_eq!(xx.kind, ImageKind::Helper);
        assert!(!xx.shell);
    }

    #[test]
    fn entries_for_completion() {
        let names: Vec<&str> = known_images().map(|e| e.name.as_ref()).collect();
        for n in [
            "golang",
            "alpine",
            "scratch",
            "gcr.io/distroless/static-debian12",
        ] {
            assert!(names.contains(&n), "{n}");
        }
        let e = image_entry(&ImageRef::parse("golang:1.22-alpine").unwrap()).unwrap();
        assert_eq!(e.id, "golang");
        assert!(e.summary(Lang::Zh).chars().any(is_cjk));
        assert!(image_facts_for("alpine").is_some());
        assert!(image_facts_for("${IMAGE}").is_none());
    }

    #[test]
    fn go_versions_from_tags() {
        let cases: &[(&str, Option<(u32, u32)>)] = &[
            ("1.21-alpine", Some((1, 21))),
            ("1.22.3-bookworm", Some((1, 22))),
            ("1.21-alpine3.19", Some((1, 21))),
            ("1.27", Some((1, 27))),
            ("1.21.0", Some((1, 21))),
            ("1.21rc2", Some((1, 21))),
            ("1.27-windowsservercore-ltsc2022", Some((1, 27))),
            ("alpine", None),
            ("latest", None),
            ("1", None),
            ("1-alpine", None),
            ("tip-20251026", None),
            ("", None),
            ("1..2", None),
            ("99999999999.1", None),
        ];
        for (tag, want) in cases {
            assert_eq!(go_version_from_tag(tag), *want, "{tag}");
        }
    }

    #[test]
    fn go_releases_and_recommendations() {
        let latest = latest_go();
        assert!(latest >= (1, 27));
        let rec = recommended_tag("golang").unwrap();
        assert_eq!(go_version_from_tag(rec), Some(latest));
        assert_eq!(go_release_date((1, 20)), Some("2023-02-01"));
        assert_eq!(go_release_date((1, 21)), Some("2023-08-08"));
        assert_eq!(go_release_date((1, 10)), Some("2018-02-16"));
        assert_eq!(go_release_date((1, 9)), None);
        assert!(go_release((1, 20)).unwrap().note_en.is_some());
        // Every minor from 1.10 to the latest is there.
        for minor in 10..=latest.1 {
            assert!(go_release_date((1, minor)).is_some(), "1.{minor}");
        }
        assert_eq!(go_releases().first().map(|r| r.version), Some((1, 10)));

        assert_eq!(recommended_tag("alpine"), Some("3.24"));
        assert_eq!(recommended_tag("library/golang"), Some(rec));
        assert_eq!(
            recommended_tag("distroless/static-debian12"),
            Some("nonroot")
        );
        assert_eq!(recommended_tag("nosuchimage"), None);
        let r = recommended_for(&ImageRef::parse("golang:alpine").unwrap()).unwrap();
        assert_eq!(r.tag, format!("{}-alpine", rec));
        let r = recommended_for(&ImageRef::parse("golang").unwrap()).unwrap();
        assert_eq!(r.tag, rec);
        let r = recommended_for(&ImageRef::parse("gcr.io/distroless/static").unwrap()).unwrap();
        assert_eq!(r.reference, "gcr.io/distroless/static-debian12:nonroot");
        assert!(recommended_for(&ImageRef::parse("quay.io/alpine").unwrap()).is_none());

        assert!(tags("golang").iter().any(|t| t == rec));
        assert!(tags("alpine").iter().any(|t| t == "3.24"));
        assert!(tags("nosuchimage").is_empty());
    }

    #[test]
    fn cgo_modules_by_prefix() {
        let yes = [
            "github.com/mattn/go-sqlite3",
            "github.com/mattn/go-sqlite3@v1.14.22",
            "github.com/confluentinc/confluent-kafka-go/kafka",
            "github.com/confluentinc/confluent-kafka-go/v2",
            "github.com/confluentinc/confluent-kafka-go/v2/kafka",
            "gopkg.in/confluentinc/confluent-kafka-go.v1/kafka",
            "github.com/go-gl/glfw/v3.3/glfw",
            "github.com/google/gopacket/pcap",
            "github.com/miekg/pkcs11",
            "github.com/ThalesIgnite/crypto11",
            "github.com/DataDog/zstd",
            "github.com/godror/godror",
        ];
        for m in yes {
            assert!(cgo_module(m).is_some(), "{m}");
        }
        let no = [
            "github.com/ebitengine/purego",
            "modernc.org/sqlite",
            "github.com/shirou/gopsutil/v3",
            "github.com/google/gopacket",
            "github.com/google/gopacket/layers",
            "github.com/mattn/go-sqlite3x",
            "github.com/mattn/go-isatty",
            "",
            "/",
        ];
        for m in no {
            assert!(cgo_module(m).is_none(), "{m}");
        }
        let k = cgo_module("github.com/confluentinc/confluent-kafka-go/v2").unwrap();
        assert!(k.reason(Lang::Zh).contains("librdkafka"));
        assert!(
            cgo_module("github.com/google/gopacket/pcap")
                .unwrap()
                .package
        );

        assert!(cgo_build_tag("sqlite_fts5"));
        assert!(cgo_build_tag("libsqlite3"));
        assert!(!cgo_build_tag("netgo"));
        assert!(!cgo_build_tag(""));
        assert_eq!(
            cgo_build_tag_info("sqlite_json").map(|b| b.module.as_ref()),
            Some("github.com/mattn/go-sqlite3")
        );
    }

    #[test]
    fn go_env_and_flags() {
        for name in [
            "CGO_ENABLED",
            "GOOS",
            "GOARCH",
            "GOARM",
            "GOAMD64",
            "GOFLAGS",
            "GOPROXY",
            "GOPRIVATE",
            "GONOSUMDB",
            "GOSUMDB",
            "GOTOOLCHAIN",
            "GOCACHE",
            "GOMODCACHE",
            "GOPATH",
            "GO111MODULE",
            "GOWORK",
            "GOEXPERIMENT",
            "GODEBUG",
        ] {
            assert!(go_env(name).is_some(), "{name}");
        }
        assert_eq!(*go_env("CGO_ENABLED").unwrap().values, ["0", "1"]);
        assert!(go_env("GOOS").unwrap().values.iter().any(|v| v == "linux"));
        assert!(go_env("GOARCH")
            .unwrap()
            .values
            .iter()
            .any(|v| v == "arm64"));
        assert!(go_env("cgo_enabled").is_none());
        assert!(go_envs().len() >= 18);
        // GOOS and GOARCH values agree with the platform list.
        let goos = &go_env("GOOS").unwrap().values;
        let goarch = &go_env("GOARCH").unwrap().values;
        for p in go_platforms() {
            let (o, a) = p.split_once('/').unwrap();
            assert!(
                goos.iter().any(|g| g == o) && goarch.iter().any(|g| g == a),
                "{p}"
            );
        }
        assert!(is_go_platform("linux", "arm64"));
        assert!(!is_go_platform("linux", "wasm"));

        for name in [
            "-o",
            "-ldflags",
            "-gcflags",
            "-tags",
            "-trimpath",
            "-buildvcs",
            "-a",
            "-installsuffix",
            "-mod",
            "-race",
            "-v",
            "-x",
            "-p",
            "-buildmode",
            "-pgo",
            "-cover",
            "-work",
            "-modfile",
            "-overlay",
            "-asmflags",
            "-n",
            "-C",
        ] {
            assert!(go_build_flag(name).is_some(), "{name}");
        }
        assert_eq!(go_build_flag("--ldflags").unwrap().name, "-ldflags");
        assert_eq!(go_build_flag("-o=/app").unwrap().name, "-o");
        assert!(go_build_flag("-o").unwrap().takes_value);
        assert!(!go_build_flag("-trimpath").unwrap().takes_value);
        assert!(go_build_flag("-nosuch").is_none());
        assert!(go_build_flag("-").is_none());
        assert!(go_build_flag("").is_none());
        assert_eq!(
            go_build_flag("-pgo").unwrap().since.as_deref(),
            Some("1.20")
        );

        for name in ["-s", "-w", "-X", "-extldflags", "-linkmode", "-buildid"] {
            assert!(ldflags_part(name).is_some(), "{name}");
        }
        assert_eq!(
            *ldflags_part("-linkmode").unwrap().values,
            ["internal", "external", "auto"]
        );
        assert!(ldflags_parts().iter().all(|f| f.name.starts_with('-')));
        assert!(go_build_flags().iter().all(|f| f.name.starts_with('-')));
    }

    #[test]
    fn guide_sizes_are_the_guides() {
        let s: Vec<(&str, f64)> = guide_sizes()
            .iter()
            .map(|g| (g.setup.as_ref(), g.size_mb))
            .collect();
        assert!(s.contains(&("golang:1.21", 800.0)));
        assert!(s.contains(&("multi-stage + alpine", 15.0)));
        assert!(s.contains(&("multi-stage + scratch", 10.0)));
        assert!(s.contains(&("alpine", 5.0)));
        assert!(s.contains(&("scratch", 0.0)));
        assert_eq!(facts("golang:1.21").unwrap().size_mb, Some(800.0));
        // No size is claimed for an image no source measures.
        assert_eq!(facts("golang:1.22").unwrap().size_mb, None);
        assert_eq!(facts("debian").unwrap().size_mb, None);
    }

    #[test]
    fn glob_patterns() {
        assert!(glob("*alpine*", "1.21-alpine3.19"));
        assert!(glob("*alpine*", "alpine"));
        assert!(glob("distroless/static-*", "distroless/static-debian12"));
        assert!(!glob("distroless/static-*", "distroless/static"));
        assert!(glob("debug*", "debug-nonroot"));
        assert!(glob("ubi*/ubi-minimal", "ubi9/ubi-minimal"));
        assert!(glob("*-dev", "latest-dev"));
        assert!(!glob("*-dev", "latest"));
        assert!(glob("", ""));
        assert!(!glob("", "a"));
        assert!(glob("*", ""));
        assert!(glob("a*b*c", "aXXbYYc"));
        assert!(!glob("a*b*c", "aXXbYY"));
        assert!(glob("ALP*", "alpine"));
    }

    #[test]
    fn unverified_fields_are_named_correctly() {
        for e in known_images() {
            for v in e.variants.iter() {
                for u in v.unverified.iter() {
                    assert!(CHECKABLE_FIELDS.contains(&&**u), "{}: {u}", v.id);
                }
                // The fallback variant, if any, is last.
                let fallback = e.variants.iter().position(|x| x.tags.is_empty());
                if let Some(i) = fallback {
                    assert_eq!(i, e.variants.len() - 1, "{}", e.id);
                }
            }
        }
    }

    mod never_panics {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn lookups_take_any_input(s in ".{0,40}") {
                let _ = go_version_from_tag(&s);
                let _ = cgo_module(&s);
                let _ = cgo_build_tag(&s);
                let _ = go_env(&s);
                let _ = go_build_flag(&s);
                let _ = ldflags_part(&s);
                let _ = recommended_tag(&s);
                let _ = tags(&s);
                let _ = image_facts_for(&s);
                let _ = glob(&s, &s);
                let _ = glob("*a*", &s);
            }

            #[test]
            fn any_image_ref(registry in proptest::option::of("[a-z.:0-9]{0,12}"),
                             repository in "[a-z0-9/._-]{0,20}",
                             tag in proptest::option::of("[A-Za-z0-9._-]{0,20}")) {
                let r = ImageRef { registry, repository, tag, digest: None };
                let _ = image_facts(&r);
                let _ = image_entry(&r);
                let _ = recommended_for(&r);
            }
        }
    }
}
