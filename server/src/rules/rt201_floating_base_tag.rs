//! RT201: a base image without a version (untagged, `latest`, `alpine`, a bare major).

use super::prelude::*;
use crate::semantic::{knowledge, ImageRef};

pub static RULE: Rule = Rule {
    code: "RT201",
    name: "floating-base-tag",
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    peers: &["DL3006", "DL3007"],
    en: RuleDoc {
        summary: "The base image has no version tag",
        what: "Flags `FROM` images that are untagged, `:latest`, a variant with no version (`golang:alpine`) or only a major version (`alpine:3`, `golang:1`). Stages, `scratch` and digest-pinned images are fine.",
        why: "A floating tag means a different image every time it moves: a new Go release, a new alpine with other package versions. Builds stop being reproducible, and a rollback can silently run on a newer base. The guide's advice: rely on semantic version tags, not `latest`.",
        bad: "FROM golang:alpine AS build\nFROM alpine:latest\n",
        good: "FROM golang:1.22-alpine AS build\nFROM alpine:3.20\n",
        fix: "Pins the tag to the current version dockwise knows (unsafe: it may be newer or older than what you run today). The versions come from a data file with dates and sources.",
    },
    zh: RuleDoc {
        summary: "基础镜像没有版本标签",
        what: "标出没有标签、使用 `:latest`、只有变体没有版本（如 `golang:alpine`）或只有主版本号（如 `alpine:3`、`golang:1`）的 `FROM` 镜像。引用的是阶段、`scratch` 或用摘要（digest）固定的镜像时不受影响。",
        why: "浮动标签每更新一次，就会指向另一个镜像：新的 Go 版本、软件包版本各不相同的新 alpine。构建不再可复现，回滚时也可能悄悄跑在更新的基础镜像上。指南的建议是：使用语义化版本标签，不要依赖 `latest`。",
        bad: "FROM golang:alpine AS build\nFROM alpine:latest\n",
        good: "FROM golang:1.22-alpine AS build\nFROM alpine:3.20\n",
        fix: "把标签固定为 dockwise 已知的当前版本（不安全：它可能比你现在用的更新或更旧）。版本信息来自一份注明了日期和来源的数据文件。",
    },
    check,
};

/// Release codenames: a version, not a floating name.
const CODENAMES: &[&str] = &[
    "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "bionic", "focal", "jammy",
    "noble", "oracular", "plucky",
];
/// Tags that move by design.
const FLOATING_WORDS: &[&str] = &[
    "stable", "edge", "lts", "current", "alpine", "slim", "nightly", "master", "main", "dev",
    "testing", "sid", "rolling", "mainline", "unstable",
];

/// Why a tag floats, if it does. `known` is whether dockwise knows the image (for an
/// unknown image a custom word tag such as `ci` may well be pinned by its owner).
fn floating(tag: Option<&str>, known: bool) -> Option<&'static str> {
    let Some(tag) = tag else {
        return Some("untagged");
    };
    if tag == "latest" {
        return Some("latest");
    }
    if !tag.chars().any(|c| c.is_ascii_digit()) {
        let words: Vec<&str> = tag.split(['-', '_', '.']).collect();
        if words.iter().any(|w| CODENAMES.contains(w)) {
            return None;
        }
        if known || words.iter().any(|w| FLOATING_WORDS.contains(w)) {
            return Some("variant");
        }
        return None;
    }
    // A bare major that spans many releases (`golang:1`, `alpine:3`, `python:3`); for
    // images whose major *is* the release (`debian:12`, `node:20`) it is a pin.
    let version = tag.split('-').next().unwrap_or(tag);
    if version.parse::<u32>().is_ok_and(|m| m <= 3) {
        return Some("major");
    }
    None
}

fn check(cx: &Ctx<'_>, sink: &mut Sink<'_>) {
    for st in &cx.model.stages {
        if st.base.stage.is_some() {
            continue;
        }
        let Some(image) = &st.base.image else {
            continue;
        };
        // A later stage's name is DF503's business, not a floating tag.
        if cx.model.stages.iter().any(|s| s.is_named(&st.base.raw)) {
            continue;
        }
        floating_ref(
            sink,
            image,
            &st.base.raw,
            &st.base.expanded,
            st.base.range.clone(),
        );
    }
    // `COPY --from=alpine:latest`: the copied files float just the same. A bare name
    // (`--from=alpine`) is DF503's: it may be a misspelt stage. Only `latest`: copying a
    // tool from its major-version tag (`--from=composer:2`) is how such images document
    // their use.
    for r in &cx.model.refs {
        if r.kind != RefKind::CopyFrom || r.target != RefTarget::Image || r.name.contains('$') {
            continue;
        }
        let Some(image) = ImageRef::parse(&r.name) else {
            continue;
        };
        if image.tag.as_deref() != Some("latest") {
            continue;
        }
        floating_ref(sink, &image, &r.name, &r.name, r.range.clone());
    }
}

/// Reports `image` (written `raw`, shown as `shown`, at `range`) when its tag floats,
/// with a fix that pins it where the knowledge has a current tag.
fn floating_ref(
    sink: &mut Sink<'_>,
    image: &ImageRef,
    raw: &str,
    shown: &str,
    range: std::ops::Range<usize>,
) {
    // An empty tag (`golang:${UNSET}`) is DF509's finding, not a floating one.
    if image.is_scratch() || image.digest.is_some() || image.tag.as_deref() == Some("") {
        return;
    }
    // distroless and Chainguard publish no version tags: `latest` is their scheme, and a
    // digest is the only pin.
    let registry = image.registry.as_deref().unwrap_or("");
    if (registry == "gcr.io" && image.repository.starts_with("distroless/"))
        || registry == "cgr.dev"
    {
        return;
    }
    let known = knowledge::image_facts(image).is_some();
    let Some(kind) = floating(image.tag.as_deref(), known) else {
        return;
    };
    let via_arg = raw.contains('$');
    let msg = match kind {
        "untagged" | "latest" => text!(
            "`{}` follows `latest`: the image changes under you and builds are not reproducible; pin a version",
            "`{}` 跟随 `latest`：镜像会在你不知情时变化，构建不可复现；请固定版本",
            shown
        ),
        "variant" => text!(
            "`{}` names a variant but no version: it moves with every release; pin a version",
            "`{}` 只写了变体、没有版本号：每次发布都会变化；请固定版本",
            shown
        ),
        _ => text!(
            "`{}` pins only the major version and follows every release under it; pin a minor version",
            "`{}` 只固定了主版本号，会跟随其下的每次发布；请固定到次版本号",
            shown
        ),
    };
    let d = sink.report(range.clone(), msg);
    if via_arg {
        return;
    }
    let Some(rec) = knowledge::recommended_for(image) else {
        return;
    };
    // Keep the registry and repository as written; replace only the tag.
    let repo_text = match raw.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => r.to_string(),
        _ => raw.to_string(),
    };
    // Keep the registry spelling as written when the repository stays the same.
    let new = if repo_text.ends_with(&*rec.repository) {
        format!("{repo_text}:{}", rec.tag)
    } else {
        rec.reference.to_string()
    };
    if new == raw {
        return;
    }
    d.with_fix(Fix::unsafe_(
        text!(
            "Pin to `{}` (known current as of {})",
            "固定为 `{}`（截至 {} 的当前版本）",
            new,
            rec.checked
        ),
        vec![Edit::replace(range, new.clone())],
    ));
}

#[cfg(test)]
mod tests {
    use super::floating;

    #[test]
    fn floating_tags() {
        assert_eq!(floating(None, true), Some("untagged"));
        assert_eq!(floating(Some("latest"), false), Some("latest"));
        assert_eq!(floating(Some("alpine"), true), Some("variant"));
        assert_eq!(floating(Some("stable-slim"), false), Some("variant"));
        assert_eq!(floating(Some("bullseye"), true), None);
        assert_eq!(floating(Some("ci"), false), None);
        assert_eq!(floating(Some("3"), true), Some("major"));
        assert_eq!(floating(Some("12-slim"), true), None);
        assert_eq!(floating(Some("20-alpine"), true), None);
        assert_eq!(floating(Some("1-alpine"), true), Some("major"));
        assert_eq!(floating(Some("1.22-alpine"), true), None);
        assert_eq!(floating(Some("3.20"), true), None);
        assert_eq!(floating(Some("bookworm-20240101"), true), None);
        assert_eq!(floating(Some("ltsc2022"), true), None);
    }
}
