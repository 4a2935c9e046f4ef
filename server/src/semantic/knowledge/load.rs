//! Loading `knowledge.toml`: parse, check every entry (source, date, both languages…),
//! resolve image variants over their base, and write the result out as Rust source.
//!
//! Runs in `build.rs` (which includes this file and `types.rs` with `#[path]`), so a
//! malformed data file fails the build with the entry to blame; the crate's tests use it
//! too, to prove that malformed data is an error and not a panic. It is not in the binary.
//! Nothing here may use `crate::` paths.

use std::collections::HashSet;

use serde::Deserialize;

use super::types::*;

/// The yes/no fields an entry may list as `unverified`.
pub const CHECKABLE_FIELDS: &[&str] = &[
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    meta: RawMeta,
    guide_sizes: Vec<GuideSize>,
    images: Vec<RawImage>,
    hub_mirrors: Vec<HubMirror>,
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
    checked: Text,
    #[allow(dead_code)]
    guide: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlatforms {
    list: List<Text>,
    source: Text,
    checked: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    version: Text,
    date: Text,
    #[serde(default)]
    note_en: Option<Text>,
    #[serde(default)]
    note_zh: Option<Text>,
    source: Text,
    checked: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImage {
    id: Text,
    name: Text,
    #[serde(default)]
    registries: List<Text>,
    repositories: List<Text>,
    summary_en: Text,
    summary_zh: Text,
    source: Text,
    checked: Text,
    base: RawFacts,
    variants: Vec<RawFacts>,
}

/// Image facts as written: every field optional, a variant laid over its entry's base.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFacts {
    id: Option<Text>,
    tags: Option<List<Text>>,
    family: Option<Text>,
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
    users: Option<List<Text>>,
    default_user: Option<Text>,
    package_manager: Option<Text>,
    env: Option<List<Text>>,
    workdir: Option<Text>,
    size_mb: Option<f64>,
    unverified: Option<List<Text>>,
    summary_en: Option<Text>,
    summary_zh: Option<Text>,
    source: Option<Text>,
    checked: Option<Text>,
}

pub fn parse(text: &str) -> Result<Knowledge, String> {
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

    for m in &raw.hub_mirrors {
        check_entry(&m.registry, &m.source, &m.checked)?;
        if m.registry.trim().is_empty()
            || *m.registry != *normalize_registry(Some(&m.registry))
            || m.registry == HUB
        {
            return Err(format!(
                "{}: a mirror's registry is a lower-case host other than Docker Hub",
                m.registry
            ));
        }
        if !(m.prefix.is_empty() || m.prefix.ends_with('/')) || m.prefix.starts_with('/') {
            return Err(format!(
                "{}: a mirror's prefix is empty or a path ending in /",
                m.registry
            ));
        }
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
    for p in raw.platforms.list.iter() {
        match p.split_once('/') {
            Some((o, a)) if !o.is_empty() && !a.is_empty() && !a.contains('/') => {}
            _ => return Err(format!("bad platform {p:?}")),
        }
    }

    let mut names = HashSet::new();
    for e in &raw.go_env {
        check_entry(&e.name, &e.source, &e.checked)?;
        check_bilingual(&e.name, &e.doc_en, &e.doc_zh)?;
        if !names.insert(&*e.name) {
            return Err(format!("duplicate Go env {}", e.name));
        }
    }
    check_flags("go build", &raw.go_build_flags)?;
    check_flags("ldflags", &raw.ldflags)?;

    Ok(Knowledge {
        guide_sizes: raw.guide_sizes.into(),
        images: images.into(),
        hub_mirrors: raw.hub_mirrors.into(),
        recommended: raw.recommended.into(),
        known_tags: raw.known_tags.into(),
        go_releases: releases.into(),
        cgo_modules: raw.cgo_modules.into(),
        cgo_build_tags: raw.cgo_build_tags.into(),
        platforms: raw.platforms.list,
        go_env: raw.go_env.into(),
        go_build_flags: raw.go_build_flags.into(),
        ldflags: raw.ldflags.into(),
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
    let registries: Vec<Text> = if e.registries.is_empty() {
        vec![HUB.into()]
    } else {
        e.registries
            .iter()
            .map(|r| normalize_registry(Some(r)).into())
            .collect()
    };
    let mut variants = Vec::with_capacity(e.variants.len());
    for v in &e.variants {
        let f = merge(&e.base, v).map_err(|m| format!("{}: {m}", e.id))?;
        if !ids.insert(f.id.to_string()) {
            return Err(format!("duplicate image id {}", f.id));
        }
        variants.push(f);
    }
    Ok(ImageEntry {
        id: e.id,
        name: e.name,
        registries: registries.into(),
        repositories: e
            .repositories
            .iter()
            .map(|r| Text::from(r.trim().to_ascii_lowercase()))
            .collect(),
        summary_en: e.summary_en,
        summary_zh: e.summary_zh,
        source: e.source,
        checked: e.checked,
        variants: variants.into(),
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
    let id = &*id;
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
    let mut env: Vec<Text> = Vec::new();
    let mut env_values: Vec<(Text, Text)> = Vec::new();
    for item in pick(&v.env, &base.env, "env", id)?.iter() {
        match item.split_once('=') {
            Some((k, val)) => {
                env.push(k.to_string().into());
                // Sorted by name and one value per name, as a map would keep them.
                match env_values.binary_search_by(|(n, _)| (**n).cmp(k)) {
                    Ok(i) => env_values[i].1 = val.to_string().into(),
                    Err(i) => env_values.insert(i, (k.to_string().into(), val.to_string().into())),
                }
            }
            None => env.push(item.clone()),
        }
    }
    // A variant's `unverified` adds to its base's.
    let mut unverified: Vec<Text> = base.unverified.clone().unwrap_or_default().into_owned();
    for u in v.unverified.clone().unwrap_or_default().iter() {
        if !unverified.contains(u) {
            unverified.push(u.clone());
        }
    }
    if let Some(bad) = unverified
        .iter()
        .find(|u| !CHECKABLE_FIELDS.contains(&&***u))
    {
        return Err(format!("{id}: unknown unverified field {bad}"));
    }
    let size_mb = opt(&v.size_mb, &base.size_mb);
    if size_mb.is_some_and(|s| !(s.is_finite() && s >= 0.0)) {
        return Err(format!("{id}: bad size"));
    }
    let facts = ImageFacts {
        id: id.to_string().into(),
        family: pick(&v.family, &base.family, "family", id)?,
        kind: pick(&v.kind, &base.kind, "kind", id)?,
        os,
        tags: v
            .tags
            .clone()
            .ok_or_else(|| format!("{id}: missing tags"))?
            .iter()
            .map(|t| Text::from(t.trim().to_ascii_lowercase()))
            .collect::<Vec<_>>()
            .into(),
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
        env: env.into(),
        env_values: env_values.into(),
        workdir: opt(&v.workdir, &base.workdir),
        size_mb,
        summary_en: pick(&v.summary_en, &None, "summary_en", id)?,
        summary_zh: pick(&v.summary_zh, &None, "summary_zh", id)?,
        source: pick(&v.source, &None, "source", id)?,
        checked: pick(&v.checked, &None, "checked", id)?,
        unverified: unverified.into(),
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
        if !names.insert(&*f.name) {
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
pub fn check_date(what: &str, date: &str) -> Result<(), String> {
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

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

// ---------------------------------------------------------------------------------------
// Writing the knowledge out as Rust
// ---------------------------------------------------------------------------------------

/// The knowledge as a Rust expression of type `Knowledge`, every text and list borrowed
/// (`Cow::Borrowed`), for `static KNOWLEDGE: Knowledge = …` (the types must be in scope).
pub fn to_rust(k: &Knowledge) -> String {
    let mut out = String::with_capacity(256 * 1024);
    k.emit(&mut out);
    out
}

trait Emit {
    fn emit(&self, out: &mut String);
}

impl Emit for bool {
    fn emit(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl Emit for u32 {
    fn emit(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl Emit for f64 {
    fn emit(&self, out: &mut String) {
        // `{:?}` always writes a float literal (`15.0`, `0.5`); the loader has rejected
        // NaN and infinities.
        out.push_str(&format!("{self:?}_f64"));
    }
}

impl Emit for Text {
    fn emit(&self, out: &mut String) {
        // `{:?}` of a str is a valid Rust string literal (quotes, backslashes and control
        // characters escaped).
        out.push_str(&format!("Cow::Borrowed({:?})", &**self));
    }
}

impl<T: Emit> Emit for Option<T> {
    fn emit(&self, out: &mut String) {
        match self {
            None => out.push_str("None"),
            Some(v) => {
                out.push_str("Some(");
                v.emit(out);
                out.push(')');
            }
        }
    }
}

impl<T: Emit + Clone> Emit for List<T> {
    fn emit(&self, out: &mut String) {
        out.push_str("Cow::Borrowed(&[");
        for v in self.iter() {
            v.emit(out);
            out.push_str(",\n");
        }
        out.push_str("])");
    }
}

impl<A: Emit, B: Emit> Emit for (A, B) {
    fn emit(&self, out: &mut String) {
        out.push('(');
        self.0.emit(out);
        out.push_str(", ");
        self.1.emit(out);
        out.push(')');
    }
}

/// Enums are written as their variant path (`Libc::Glibc`).
macro_rules! emit_enum {
    ($($t:ident),*) => {$(
        impl Emit for $t {
            fn emit(&self, out: &mut String) {
                out.push_str(&format!(concat!(stringify!($t), "::{:?}"), self));
            }
        }
    )*};
}
emit_enum!(Libc, Os, ImageKind, ShellKind);

/// A struct literal naming every field; a field left out of the list is a compile error
/// in the generated code, so the list cannot silently fall behind the type.
macro_rules! emit_struct {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl Emit for $t {
            fn emit(&self, out: &mut String) {
                out.push_str(concat!(stringify!($t), " {\n"));
                $(
                    out.push_str(concat!(stringify!($f), ": "));
                    self.$f.emit(out);
                    out.push_str(",\n");
                )*
                out.push('}');
            }
        }
    };
}

emit_struct!(ImageFacts {
    id,
    family,
    kind,
    os,
    tags,
    shell,
    shell_kind,
    libc,
    c_compiler,
    go_toolchain,
    git,
    curl,
    wget,
    ca_certificates,
    zoneinfo,
    passwd,
    users,
    default_user,
    package_manager,
    env,
    env_values,
    workdir,
    size_mb,
    summary_en,
    summary_zh,
    source,
    checked,
    unverified,
});
emit_struct!(ImageEntry {
    id,
    name,
    registries,
    repositories,
    summary_en,
    summary_zh,
    source,
    checked,
    variants,
});
emit_struct!(GuideSize {
    setup,
    size_mb,
    note_en,
    note_zh,
    source,
    checked
});
emit_struct!(Recommended {
    repository,
    registry,
    when_tag_contains,
    tag,
    reference,
    source,
    checked,
});
emit_struct!(HubMirror {
    registry,
    prefix,
    source,
    checked
});
emit_struct!(KnownTags {
    repository,
    registry,
    tags,
    source,
    checked
});
emit_struct!(GoRelease {
    version,
    date,
    note_en,
    note_zh,
    source,
    checked
});
emit_struct!(CgoModule {
    path,
    package,
    reason_en,
    reason_zh,
    source,
    checked
});
emit_struct!(CgoBuildTags {
    module,
    tags,
    note_en,
    note_zh,
    source,
    checked
});
emit_struct!(GoEnv {
    name,
    values,
    doc_en,
    doc_zh,
    source,
    checked
});
emit_struct!(GoFlag {
    name,
    takes_value,
    values,
    since,
    doc_en,
    doc_zh,
    source,
    checked
});
emit_struct!(Knowledge {
    guide_sizes,
    images,
    hub_mirrors,
    recommended,
    known_tags,
    go_releases,
    cgo_modules,
    cgo_build_tags,
    platforms,
    go_env,
    go_build_flags,
    ldflags,
});
