//! The shapes of the knowledge, shared by the crate and by `build.rs` (which includes this
//! file with `#[path]`): the build script fills them from `knowledge.toml`, checks them and
//! writes them out as a Rust `static`, so the binary starts with its knowledge in place
//! instead of parsing 90 KB of TOML on every run.
//!
//! Text and lists are `Cow<'static, …>`: owned while the build script (or a test) loads
//! the TOML, borrowed from the binary's read-only data at run time. Nothing here may use
//! `crate::` paths; behaviour that needs the rest of the crate lives in `mod.rs`.

use std::borrow::Cow;

use serde::Deserialize;

pub type Text = Cow<'static, str>;
pub type List<T> = Cow<'static, [T]>;

/// Docker Hub, however it is written.
pub const HUB: &str = "docker.io";
pub const HUB_ALIASES: &[&str] = &["docker.io", "index.docker.io", "registry-1.docker.io"];

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
    pub id: Text,
    /// `golang`, `alpine`, `distroless-static`, `busybox`…
    pub family: Text,
    pub kind: ImageKind,
    pub os: Os,
    /// Tag patterns of this variant (`*` wildcard); empty = any tag.
    pub tags: List<Text>,
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
    pub users: List<Text>,
    /// The image's `USER`; `None` = root (or the OS default on Windows).
    pub default_user: Option<Text>,
    /// `apk`, `apt`, `microdnf`…
    pub package_manager: Option<Text>,
    /// Names of the environment variables the image sets.
    pub env: List<Text>,
    /// Values of those that are fixed (`GOPATH` → `/go`, `GOTOOLCHAIN` → `local`).
    pub env_values: List<(Text, Text)>,
    pub workdir: Option<Text>,
    /// Only where a source gives a size.
    pub size_mb: Option<f64>,
    pub summary_en: Text,
    pub summary_zh: Text,
    pub source: Text,
    pub checked: Text,
    /// Fields no source states; their value is a conservative default.
    pub unverified: List<Text>,
}

/// One repository family, with its variants in match order.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageEntry {
    pub id: Text,
    /// The reference to offer in completion (`golang`, `gcr.io/distroless/static-debian12`).
    pub name: Text,
    /// Normalized registries; `docker.io` is Docker Hub.
    pub registries: List<Text>,
    /// Repository patterns (without Docker Hub's `library/`).
    pub repositories: List<Text>,
    pub summary_en: Text,
    pub summary_zh: Text,
    pub source: Text,
    pub checked: Text,
    pub variants: List<ImageFacts>,
}

/// A figure from the guide's size table.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideSize {
    pub setup: Text,
    pub size_mb: f64,
    pub note_en: Text,
    pub note_zh: Text,
    pub source: Text,
    pub checked: Text,
}

/// A tag to pin to.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recommended {
    /// Short repository name (`golang`, `distroless/static-debian12`).
    pub repository: Text,
    /// `None` for Docker Hub.
    #[serde(default)]
    pub registry: Option<Text>,
    /// Applies only when the current tag contains this (`alpine`).
    #[serde(default)]
    pub when_tag_contains: Option<Text>,
    pub tag: Text,
    /// The full reference to suggest.
    pub reference: Text,
    pub source: Text,
    pub checked: Text,
}

/// A registry that serves Docker Hub's images under its own name.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubMirror {
    /// Lower case (`public.ecr.aws`).
    pub registry: Text,
    /// What comes before Hub's repository path (`docker/library/`; empty when the mirror
    /// keeps Hub's paths).
    pub prefix: Text,
    pub source: Text,
    pub checked: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownTags {
    pub repository: Text,
    #[serde(default)]
    pub registry: Option<Text>,
    pub tags: List<Text>,
    pub source: Text,
    pub checked: Text,
}

/// The first release of a Go minor version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoRelease {
    pub version: (u32, u32),
    /// `YYYY-MM-DD`.
    pub date: Text,
    pub note_en: Option<Text>,
    pub note_zh: Option<Text>,
    pub source: Text,
    pub checked: Text,
}

/// A module (or package) that cannot build without cgo.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CgoModule {
    /// Module path, or package path when `package` is set.
    pub path: Text,
    /// Only this package needs cgo, not the whole module.
    #[serde(default)]
    pub package: bool,
    pub reason_en: Text,
    pub reason_zh: Text,
    pub source: Text,
    pub checked: Text,
}

/// Build tags that only mean something to a cgo module.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CgoBuildTags {
    pub module: Text,
    pub tags: List<Text>,
    pub note_en: Text,
    pub note_zh: Text,
    pub source: Text,
    pub checked: Text,
}

/// A Go environment variable.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoEnv {
    pub name: Text,
    /// The allowed values when the set is finite; empty otherwise.
    #[serde(default)]
    pub values: List<Text>,
    pub doc_en: Text,
    pub doc_zh: Text,
    pub source: Text,
    pub checked: Text,
}

/// A `go build` flag or a part of `-ldflags`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoFlag {
    /// With its dash: `-o`, `-ldflags`, `-X`.
    pub name: Text,
    /// Needs a value (`-o out`, `-o=out`).
    pub takes_value: bool,
    /// The allowed values when the set is finite.
    #[serde(default)]
    pub values: List<Text>,
    /// The Go version that introduced it, when a source says.
    #[serde(default)]
    pub since: Option<Text>,
    pub doc_en: Text,
    pub doc_zh: Text,
    pub source: Text,
    pub checked: Text,
}

/// Everything, checked and resolved (each image variant laid over its entry's base).
#[derive(Debug)]
pub struct Knowledge {
    pub guide_sizes: List<GuideSize>,
    pub images: List<ImageEntry>,
    pub hub_mirrors: List<HubMirror>,
    pub recommended: List<Recommended>,
    pub known_tags: List<KnownTags>,
    pub go_releases: List<GoRelease>,
    pub cgo_modules: List<CgoModule>,
    pub cgo_build_tags: List<CgoBuildTags>,
    pub platforms: List<Text>,
    pub go_env: List<GoEnv>,
    pub go_build_flags: List<GoFlag>,
    pub ldflags: List<GoFlag>,
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

/// A registry as the data stores it: lower case, Docker Hub's aliases as `docker.io`.
pub fn normalize_registry(registry: Option<&str>) -> String {
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
