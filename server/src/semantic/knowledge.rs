//! What the server knows, as data: base images (shell, libc, C compiler, curl/wget, CA
//! certificates, zoneinfo, users…), the tags to pin to, Go releases, modules and build tags
//! that need cgo, Go environment variables and `go build` / `-ldflags` flags.
//!
//! The facts live in `knowledge.toml`, compiled in with `include_str!` and parsed once.
//! Every entry there names its source and the day it was checked, so updating a fact is a
//! data change. Architecture invariant: pure lookups, no I/O, no panics on any input (the
//! embedded file is validated by a unit test; a malformed file is a test failure).

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::i18n::Lang;
use crate::semantic::ImageRef;

const DATA: &str = include_str!("knowledge.toml");

/// Docker Hub, however it is written.
const HUB: &str = "docker.io";
const HUB_ALIASES: &[&str] = &["docker.io", "index.docker.io", "registry-1.docker.io"];

/// The yes/no fields an entry may list as `unverified`.
const CHECKABLE_FIELDS: &[&str] = &[
    "shell",
    "libc",
    "c_compiler",
    "go_toolchain",
    "git",
    "curl",
    "wget",
    "ca_certificates",
    "zoneinfo",
    "passwd",
    "users",
    "default_user",
    "package_manager",
];

// ---------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------

/// The C library a dynamically linked binary would find in the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Libc {
    Glibc,
    Musl,
    /// No shared libc usable by your binaries (scratch, distroless static, static busybox;
    /// also Windows, see [`ImageFacts::os`]).
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    Linux,
    Windows,
}

/// What the image is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageKind {
    /// A distribution base (alpine, debian, ubuntu, wolfi-base, ubi-minimal).
    Os,
    /// A runtime with little or nothing in it (scratch, distroless, chainguard static, busybox).
    Minimal,
    /// Ships a Go toolchain (golang, chainguard go).
    GoToolchain,
    /// Another language's runtime or toolchain (node, python, rust).
    Language,
    /// A packaged application (nginx).
    Application,
    /// Meant to be copied from, not run (tonistiigi/xx).
    Helper,
}

/// Which shell `RUN` and shell-form `CMD` would use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShellKind {
    /// A POSIX `/bin/sh` (dash, bash or busybox ash from the distribution).
    Sh,
    /// A busybox shell added for debugging (distroless `:debug`, chainguard).
    Busybox,
    Powershell,
    Cmd,
}

/// What one variant of an image contains.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageFacts {
    pub id: String,
    /// `golang`, `alpine`, `distroless-static`, `busybox`…
    pub family: String,
    pub kind: ImageKind,
    pub os: Os,
    /// Tag patterns of this variant (`*` wildcard); empty = any tag.
    pub tags: Vec<String>,
    pub shell: bool,
    pub shell_kind: Option<ShellKind>,
    pub libc: Libc,
    /// A C compiler (gcc) is installed, so cgo stays on by default.
    pub c_compiler: bool,
    pub go_toolchain: bool,
    pub git: bool,
    pub curl: bool,
    pub wget: bool,
    pub ca_certificates: bool,
    /// `/usr/share/zoneinfo` (tzdata) is present.
    pub zoneinfo: bool,
    /// `/etc/passwd` exists.
    pub passwd: bool,
    /// Accounts a source names (may be incomplete).
    pub users: Vec<String>,
    /// The image's `USER`; `None` = root (or the OS default on Windows).
    pub default_user: Option<String>,
    /// `apk`, `apt`, `microdnf`…
    pub package_manager: Option<String>,
    /// Names of the environment variables the image sets.
    pub env: Vec<String>,
    /// Values of those that are fixed (`GOPATH` → `/go`, `GOTOOLCHAIN` → `local`).
    pub env_values: BTreeMap<String, String>,
    pub workdir: Option<String>,
    /// Only where a source gives a size.
    pub size_mb: Option<f64>,
    pub summary_en: String,
    pub summary_zh: String,
    pub source: String,
    pub checked: String,
    /// Fields no source states; their value is a conservative default.
    pub unverified: Vec<String>,
}

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
        self.env_values.get(name).map(String::as_str)
    }
}

/// One repository family, with its variants in match order.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageEntry {
    pub id: String,
    /// The reference to offer in completion (`golang`, `gcr.io/distroless/static-debian12`).
    pub name: String,
    /// Normalized registries; `docker.io` is Docker Hub.
    pub registries: Vec<String>,
    /// Repository patterns (without Docker Hub's `library/`).
    pub repositories: Vec<String>,
    pub summary_en: String,
    pub summary_zh: String,
    pub source: String,
    pub checked: String,
    pub variants: Vec<ImageFacts>,
}

impl ImageEntry {
    pub fn summary(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.summary_en,
            Lang::Zh => &self.summary_zh,
        }
    }
}

/// A figure from the guide's size table.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideSize {
    pub setup: String,
    pub size_mb: f64,
    pub note_en: String,
    pub note_zh: String,
    pub source: String,
    pub checked: String,
}

/// A tag to pin to.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recommended {
    /// Short repository name (`golang`, `distroless/static-debian12`).
    pub repository: String,
    /// `None` for Docker Hub.
    #[serde(default)]
    pub registry: Option<String>,
    /// Applies only when the current tag contains this (`alpine`).
    #[serde(default)]
    pub when_tag_contains: Option<String>,
    pub tag: String,
    /// The full reference to suggest.
    pub reference: String,
    pub source: String,
    pub checked: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownTags {
    pub repository: String,
    #[serde(default)]
    pub registry: Option<String>,
    pub tags: Vec<String>,
    pub source: String,
    pub checked: String,
}

/// The first release of a Go minor version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoRelease {
    pub version: (u32, u32),
    /// `YYYY-MM-DD`.
    pub date: String,
    pub note_en: Option<String>,
    pub note_zh: Option<String>,
    pub source: String,
    pub checked: String,
}

/// A module (or package) that cannot build without cgo.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CgoModule {
    /// Module path, or package path when `package` is set.
    pub path: String,
    /// Only this package needs cgo, not the whole module.
    #[serde(default)]
    pub package: bool,
    pub reason_en: String,
    pub reason_zh: String,
    pub source: String,
    pub checked: String,
}

impl CgoModule {
    pub fn reason(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.reason_en,
            Lang::Zh => &self.reason_zh,
        }
    }
}

/// Build tags that only mean something to a cgo module.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CgoBuildTags {
    pub module: String,
    pub tags: Vec<String>,
    pub note_en: String,
    pub note_zh: String,
    pub source: String,
    pub checked: String,
}

/// A Go environment variable.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoEnv {
    pub name: String,
    /// The allowed values when the set is finite; empty otherwise.
    #[serde(default)]
    pub values: Vec<String>,
    pub doc_en: String,
    pub doc_zh: String,
    pub source: String,
    pub checked: String,
}

impl GoEnv {
    pub fn doc(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.doc_en,
            Lang::Zh => &self.doc_zh,
        }
    }
}

/// A `go build` flag or a part of `-ldflags`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoFlag {
    /// With its dash: `-o`, `-ldflags`, `-X`.
    pub name: String,
    /// Needs a value (`-o out`, `-o=out`).
    pub takes_value: bool,
    /// The allowed values when the set is finite.
    #[serde(default)]
    pub values: Vec<String>,
    /// The Go version that introduced it, when a source says.
    #[serde(default)]
    pub since: Option<String>,
    pub doc_en: String,
    pub doc_zh: String,
    pub source: String,
    pub checked: String,
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
    let registry = normalize_registry(image.registry.as_deref());
    let repository = match_repository(image, &registry);
    let tag = image
        .tag
        .as_deref()
        .filter(|t| !t.is_empty())
        .unwrap_or("latest")
        .to_ascii_lowercase();
    data().images.iter().filter_map(move |e| {
        if !e.registries.contains(&registry) {
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

fn normalize_registry(registry: Option<&str>) -> String {
    match registry {
        None => HUB.to_string(),
        Some(r) => {
            let r = r.trim().to_ascii_lowercase();
            if HUB_ALIASES.contains(&r.as_str()) {
                HUB.to_string()
            } else {
                r
            }
        }
    }
}

fn match_repository(image: &ImageRef, registry: &str) -> String {
    let repo = image.repository.trim().to_ascii_lowercase();
    if registry == HUB {
        match repo.strip_prefix("library/") {
            Some(r) => r.to_string(),
            None => repo,
        }
    } else {
        repo
    }
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
        .map(|r| r.tag.as_str())
}

/// The recommendation for an image reference, keeping its flavor (`golang:alpine` →
/// `golang:1.27-alpine`, `gcr.io/distroless/static` → `gcr.io/distroless/static-debian12:nonroot`).
pub fn recommended_for(image: &ImageRef) -> Option<&'static Recommended> {
    let registry = normalize_registry(image.registry.as_deref());
    let repo = match_repository(image, &registry);
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

/// A few known tags of a repository, for completion (short repository name).
pub fn tags(repository_short_name: &str) -> &'static [String] {
    let repo = repository_short_name.trim().to_ascii_lowercase();
    let repo = repo.strip_prefix("library/").unwrap_or(&repo);
    data()
        .known_tags
        .iter()
        .find(|k| k.repository == repo)
        .map(|k| k.tags.as_slice())
        .unwrap_or(&[])
}

/// `1.21-alpine` → (1, 21); `1.22.3-bookworm` → (1, 22); `alpine`, `latest`, `1` → `None`.
pub fn go_version_from_tag(tag: &str) -> Option<(u32, u32)> {
    let t = tag.trim();
    let t = t.strip_prefix("go").unwrap_or(t);
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let mut parts = t.get(..end)?.split('.');
    let major = parts.next()?.parse::<u32>().ok()?;
    let minor = parts.next()?.parse::<u32>().ok()?;
    Some((major, minor))
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
    go_release(minor).map(|r| r.date.as_str())
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
pub fn go_platforms() -> &'static [String] {
    &data().platforms
}

pub fn is_go_platform(goos: &str, goarch: &str) -> bool {
    data().platforms.iter().any(|p| {
        p.split_once('/')
            .is_some_and(|(o, a)| o == goos.trim() && a == goarch.trim())
    })
}

// ---------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------

#[derive(Debug)]
struct Knowledge {
    guide_sizes: Vec<GuideSize>,
    images: Vec<ImageEntry>,
    recommended: Vec<Recommended>,
    known_tags: Vec<KnownTags>,
    go_releases: Vec<GoRelease>,
    cgo_modules: Vec<CgoModule>,
    cgo_build_tags: Vec<CgoBuildTags>,
    platforms: Vec<String>,
    go_env: Vec<GoEnv>,
    go_build_flags: Vec<GoFlag>,
    ldflags: Vec<GoFlag>,
}

fn data() -> &'static Knowledge {
    static DATA_CELL: OnceLock<Knowledge> = OnceLock::new();
    DATA_CELL.get_or_init(|| {
        parse(DATA).expect("knowledge.toml is valid (checked by the knowledge unit tests)")
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    meta: RawMeta,
    guide_sizes: Vec<GuideSize>,
    images: Vec<RawImage>,
    recommended: Vec<Recommended>,
    known_tags: Vec<KnownTags>,
    go_releases: Vec<RawRelease>,
    cgo_modules: Vec<CgoModule>,
    cgo_build_tags: Vec<CgoBuildTags>,
    platforms: RawPlatforms,
    go_env: Vec<GoEnv>,
    go_build_flags: Vec<GoFlag>,
    ldflags: Vec<GoFlag>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    schema: u32,
    checked: String,
    #[allow(dead_code)]
    guide: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlatforms {
    list: Vec<String>,
    source: String,
    checked: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    version: String,
    date: String,
    #[serde(default)]
    note_en: Option<String>,
    #[serde(default)]
    note_zh: Option<String>,
    source: String,
    checked: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImage {
    id: String,
    name: String,
    #[serde(default)]
    registries: Vec<String>,
    repositories: Vec<String>,
    summary_en: String,
    summary_zh: String,
    source: String,
    checked: String,
    base: RawFacts,
    variants: Vec<RawFacts>,
}

/// Image facts as written: every field optional, a variant laid over its entry's base.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFacts {
    id: Option<String>,
    tags: Option<Vec<String>>,
    family: Option<String>,
    kind: Option<ImageKind>,
    os: Option<Os>,
    shell: Option<bool>,
    shell_kind: Option<ShellKind>,
    libc: Option<Libc>,
    c_compiler: Option<bool>,
    go_toolchain: Option<bool>,
    git: Option<bool>,
    curl: Option<bool>,
    wget: Option<bool>,
    ca_certificates: Option<bool>,
    zoneinfo: Option<bool>,
    passwd: Option<bool>,
    users: Option<Vec<String>>,
    default_user: Option<String>,
    package_manager: Option<String>,
    env: Option<Vec<String>>,
    workdir: Option<String>,
    size_mb: Option<f64>,
    unverified: Option<Vec<String>>,
    summary_en: Option<String>,
    summary_zh: Option<String>,
    source: Option<String>,
    checked: Option<String>,
}

fn parse(text: &str) -> Result<Knowledge, String> {
    let raw: RawFile = toml::from_str(text).map_err(|e| e.to_string())?;
    if raw.meta.schema != 1 {
        return Err(format!("unknown schema {}", raw.meta.schema));
    }
    check_date("meta", &raw.meta.checked)?;

    for g in &raw.guide_sizes {
        check_entry(&g.setup, &g.source, &g.checked)?;
        check_bilingual(&g.setup, &g.note_en, &g.note_zh)?;
        if !(g.size_mb.is_finite() && g.size_mb >= 0.0) {
            return Err(format!("{}: bad size", g.setup));
        }
    }

    let mut images = Vec::with_capacity(raw.images.len());
    let mut ids = HashSet::new();
    for e in raw.images {
        images.push(build_entry(e, &mut ids)?);
    }

    for r in &raw.recommended {
        check_entry(&r.repository, &r.source, &r.checked)?;
        if r.tag.trim().is_empty() || r.reference.trim().is_empty() {
            return Err(format!("{}: empty recommendation", r.repository));
        }
    }
    for k in &raw.known_tags {
        check_entry(&k.repository, &k.source, &k.checked)?;
        if k.tags.is_empty() {
            return Err(format!("{}: no tags", k.repository));
        }
    }

    let mut releases = Vec::with_capacity(raw.go_releases.len());
    for r in raw.go_releases {
        check_entry(&r.version, &r.source, &r.checked)?;
        check_date(&r.version, &r.date)?;
        let version = go_version_from_tag(&r.version)
            .filter(|_| r.version.chars().all(|c| c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("bad Go version {:?}", r.version))?;
        if let (Some(en), Some(zh)) = (&r.note_en, &r.note_zh) {
            check_bilingual(&r.version, en, zh)?;
        } else if r.note_en.is_some() != r.note_zh.is_some() {
            return Err(format!("{}: note in one language only", r.version));
        }
        releases.push(GoRelease {
            version,
            date: r.date,
            note_en: r.note_en,
            note_zh: r.note_zh,
            source: r.source,
            checked: r.checked,
        });
    }
    if releases.is_empty() {
        return Err("no Go releases".into());
    }
    for w in releases.windows(2) {
        if w[0].version >= w[1].version || w[0].date >= w[1].date {
            return Err(format!(
                "Go releases out of order at {}.{}",
                w[1].version.0, w[1].version.1
            ));
        }
    }

    for m in &raw.cgo_modules {
        check_entry(&m.path, &m.source, &m.checked)?;
        check_bilingual(&m.path, &m.reason_en, &m.reason_zh)?;
    }
    for b in &raw.cgo_build_tags {
        check_entry(&b.module, &b.source, &b.checked)?;
        check_bilingual(&b.module, &b.note_en, &b.note_zh)?;
        if b.tags
            .iter()
            .any(|t| t.trim().is_empty() || t.contains(','))
        {
            return Err(format!("{}: bad build tag", b.module));
        }
    }

    check_entry("platforms", &raw.platforms.source, &raw.platforms.checked)?;
    for p in &raw.platforms.list {
        match p.split_once('/') {
            Some((o, a)) if !o.is_empty() && !a.is_empty() && !a.contains('/') => {}
            _ => return Err(format!("bad platform {p:?}")),
        }
    }

    let mut names = HashSet::new();
    for e in &raw.go_env {
        check_entry(&e.name, &e.source, &e.checked)?;
        check_bilingual(&e.name, &e.doc_en, &e.doc_zh)?;
        if !names.insert(e.name.as_str()) {
            return Err(format!("duplicate Go env {}", e.name));
        }
    }
    check_flags("go build", &raw.go_build_flags)?;
    check_flags("ldflags", &raw.ldflags)?;

    Ok(Knowledge {
        guide_sizes: raw.guide_sizes,
        images,
        recommended: raw.recommended,
        known_tags: raw.known_tags,
        go_releases: releases,
        cgo_modules: raw.cgo_modules,
        cgo_build_tags: raw.cgo_build_tags,
        platforms: raw.platforms.list,
        go_env: raw.go_env,
        go_build_flags: raw.go_build_flags,
        ldflags: raw.ldflags,
    })
}

fn build_entry(e: RawImage, ids: &mut HashSet<String>) -> Result<ImageEntry, String> {
    check_entry(&e.id, &e.source, &e.checked)?;
    check_bilingual(&e.id, &e.summary_en, &e.summary_zh)?;
    if e.repositories.is_empty() || e.repositories.iter().any(|r| r.trim().is_empty()) {
        return Err(format!("{}: no repositories", e.id));
    }
    if e.variants.is_empty() {
        return Err(format!("{}: no variants", e.id));
    }
    let registries = if e.registries.is_empty() {
        vec![HUB.to_string()]
    } else {
        e.registries
            .iter()
            .map(|r| normalize_registry(Some(r)))
            .collect()
    };
    let mut variants = Vec::with_capacity(e.variants.len());
    for v in &e.variants {
        let f = merge(&e.base, v).map_err(|m| format!("{}: {m}", e.id))?;
        if !ids.insert(f.id.clone()) {
            return Err(format!("duplicate image id {}", f.id));
        }
        variants.push(f);
    }
    Ok(ImageEntry {
        id: e.id,
        name: e.name,
        registries,
        repositories: e
            .repositories
            .iter()
            .map(|r| r.trim().to_ascii_lowercase())
            .collect(),
        summary_en: e.summary_en,
        summary_zh: e.summary_zh,
        source: e.source,
        checked: e.checked,
        variants,
    })
}

fn merge(base: &RawFacts, v: &RawFacts) -> Result<ImageFacts, String> {
    fn pick<T: Clone>(v: &Option<T>, b: &Option<T>, name: &str, id: &str) -> Result<T, String> {
        v.clone()
            .or_else(|| b.clone())
            .ok_or_else(|| format!("{id}: missing {name}"))
    }
    fn opt<T: Clone>(v: &Option<T>, b: &Option<T>) -> Option<T> {
        v.clone().or_else(|| b.clone())
    }
    let id =
        v.id.clone()
            .ok_or_else(|| "variant without id".to_string())?;
    let id = id.as_str();
    let shell: bool = pick(&v.shell, &base.shell, "shell", id)?;
    let os: Os = pick(&v.os, &base.os, "os", id)?;
    let shell_kind = opt(&v.shell_kind, &base.shell_kind);
    let shell_kind = match (shell, shell_kind) {
        (false, None) => None,
        (false, Some(_)) => return Err(format!("{id}: shell_kind without a shell")),
        (true, Some(k)) => Some(k),
        (true, None) if os == Os::Linux => Some(ShellKind::Sh),
        (true, None) => return Err(format!("{id}: Windows shell needs shell_kind")),
    };
    let mut env = Vec::new();
    let mut env_values = BTreeMap::new();
    for item in pick(&v.env, &base.env, "env", id)? {
        match item.split_once('=') {
            Some((k, val)) => {
                env.push(k.to_string());
                env_values.insert(k.to_string(), val.to_string());
            }
            None => env.push(item),
        }
    }
    // A variant's `unverified` adds to its base's.
    let mut unverified: Vec<String> = base.unverified.clone().unwrap_or_default();
    for u in v.unverified.clone().unwrap_or_default() {
        if !unverified.contains(&u) {
            unverified.push(u);
        }
    }
    if let Some(bad) = unverified
        .iter()
        .find(|u| !CHECKABLE_FIELDS.contains(&u.as_str()))
    {
        return Err(format!("{id}: unknown unverified field {bad}"));
    }
    let size_mb = opt(&v.size_mb, &base.size_mb);
    if size_mb.is_some_and(|s| !(s.is_finite() && s >= 0.0)) {
        return Err(format!("{id}: bad size"));
    }
    let facts = ImageFacts {
        id: id.to_string(),
        family: pick(&v.family, &base.family, "family", id)?,
        kind: pick(&v.kind, &base.kind, "kind", id)?,
        os,
        tags: v
            .tags
            .clone()
            .ok_or_else(|| format!("{id}: missing tags"))?
            .iter()
            .map(|t| t.trim().to_ascii_lowercase())
            .collect(),
        shell,
        shell_kind,
        libc: pick(&v.libc, &base.libc, "libc", id)?,
        c_compiler: pick(&v.c_compiler, &base.c_compiler, "c_compiler", id)?,
        go_toolchain: pick(&v.go_toolchain, &base.go_toolchain, "go_toolchain", id)?,
        git: pick(&v.git, &base.git, "git", id)?,
        curl: pick(&v.curl, &base.curl, "curl", id)?,
        wget: pick(&v.wget, &base.wget, "wget", id)?,
        ca_certificates: pick(
            &v.ca_certificates,
            &base.ca_certificates,
            "ca_certificates",
            id,
        )?,
        zoneinfo: pick(&v.zoneinfo, &base.zoneinfo, "zoneinfo", id)?,
        passwd: pick(&v.passwd, &base.passwd, "passwd", id)?,
        users: pick(&v.users, &base.users, "users", id)?,
        default_user: opt(&v.default_user, &base.default_user),
        package_manager: opt(&v.package_manager, &base.package_manager),
        env,
        env_values,
        workdir: opt(&v.workdir, &base.workdir),
        size_mb,
        summary_en: pick(&v.summary_en, &None, "summary_en", id)?,
        summary_zh: pick(&v.summary_zh, &None, "summary_zh", id)?,
        source: pick(&v.source, &None, "source", id)?,
        checked: pick(&v.checked, &None, "checked", id)?,
        unverified,
    };
    check_entry(&facts.id, &facts.source, &facts.checked)?;
    check_bilingual(&facts.id, &facts.summary_en, &facts.summary_zh)?;
    Ok(facts)
}

fn check_flags(what: &str, flags: &[GoFlag]) -> Result<(), String> {
    let mut names = HashSet::new();
    for f in flags {
        check_entry(&f.name, &f.source, &f.checked)?;
        check_bilingual(&f.name, &f.doc_en, &f.doc_zh)?;
        if !f.name.starts_with('-') || f.name.len() < 2 || f.name.contains('=') {
            return Err(format!("{what}: bad flag name {:?}", f.name));
        }
        if !names.insert(f.name.as_str()) {
            return Err(format!("{what}: duplicate flag {}", f.name));
        }
        if let Some(s) = &f.since {
            if go_version_from_tag(s).is_none() {
                return Err(format!("{}: bad since {s:?}", f.name));
            }
        }
    }
    Ok(())
}

fn check_entry(what: &str, source: &str, checked: &str) -> Result<(), String> {
    if what.trim().is_empty() {
        return Err("entry without a name".into());
    }
    if source.trim().is_empty() {
        return Err(format!("{what}: no source"));
    }
    check_date(what, checked)
}

/// `YYYY-MM-DD`.
fn check_date(what: &str, date: &str) -> Result<(), String> {
    let bad = || format!("{what}: bad date {date:?}");
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = date.get(r)?;
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d))
            if y >= 2009 && (1..=12).contains(&m) && (1..=31).contains(&d) =>
        {
            Ok(())
        }
        _ => Err(bad()),
    }
}

fn check_bilingual(what: &str, en: &str, zh: &str) -> Result<(), String> {
    if en.trim().is_empty() || zh.trim().is_empty() {
        return Err(format!("{what}: text missing in one language"));
    }
    if !zh.chars().any(is_cjk) {
        return Err(format!(
            "{what}: the Chinese text has no Chinese characters"
        ));
    }
    Ok(())
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
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
    use super::*;

    fn facts(reference: &str) -> Option<&'static ImageFacts> {
        let r = ImageRef::parse(reference).unwrap_or_else(|| panic!("parse {reference}"));
        image_facts(&r)
    }

    fn id(reference: &str) -> Option<&'static str> {
        facts(reference).map(|f| f.id.as_str())
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
        for e in &k.images {
            assert!(!e.source.is_empty() && check_date(&e.id, &e.checked).is_ok());
            for v in &e.variants {
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
        for e in &k.images {
            texts.push((&e.summary_en, &e.summary_zh));
            for v in &e.variants {
                texts.push((&v.summary_en, &v.summary_zh));
            }
        }
        texts.extend(
            k.go_env
                .iter()
                .map(|e| (e.doc_en.as_str(), e.doc_zh.as_str())),
        );
        texts.extend(
            k.go_build_flags
                .iter()
                .chain(&k.ldflags)
                .map(|f| (f.doc_en.as_str(), f.doc_zh.as_str())),
        );
        texts.extend(
            k.cgo_modules
                .iter()
                .map(|m| (m.reason_en.as_str(), m.reason_zh.as_str())),
        );
        texts.extend(
            k.guide_sizes
                .iter()
                .map(|g| (g.note_en.as_str(), g.note_zh.as_str())),
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
        assert!(!w.env_values.contains_key("GOTOOLCHAIN"));

        let u = facts("ubuntu").unwrap();
        assert!(!u.zoneinfo && u.is_verified("zoneinfo") && !u.is_verified("curl"));

        let xx = facts("tonistiigi/xx").unwrap();
        assert_eq!(xx.kind, ImageKind::Helper);
        assert!(!xx.shell);
    }

    #[test]
    fn entries_for_completion() {
        let names: Vec<&str> = known_images().map(|e| e.name.as_str()).collect();
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
            cgo_build_tag_info("sqlite_json").map(|b| b.module.as_str()),
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
        assert_eq!(go_env("CGO_ENABLED").unwrap().values, ["0", "1"]);
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
                goos.contains(&o.to_string()) && goarch.contains(&a.to_string()),
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
            ldflags_part("-linkmode").unwrap().values,
            ["internal", "external", "auto"]
        );
        assert!(ldflags_parts().iter().all(|f| f.name.starts_with('-')));
        assert!(go_build_flags().iter().all(|f| f.name.starts_with('-')));
    }

    #[test]
    fn guide_sizes_are_the_guides() {
        let s: Vec<(&str, f64)> = guide_sizes()
            .iter()
            .map(|g| (g.setup.as_str(), g.size_mb))
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
            for v in &e.variants {
                for u in &v.unverified {
                    assert!(CHECKABLE_FIELDS.contains(&u.as_str()), "{}: {u}", v.id);
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
