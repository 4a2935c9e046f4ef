//! Image references: `[registry/]repository[:tag][@digest]`, as the Docker reference
//! grammar splits them.

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ImageRef {
    /// `ghcr.io`, `localhost:5000`; `None` for Docker Hub.
    pub registry: Option<String>,
    /// `golang`, `library/golang`, `distroless/static-debian12`.
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses a reference; `None` when it is empty, holds unexpanded variables or
    /// characters no reference may hold.
    pub fn parse(s: &str) -> Option<ImageRef> {
        // Only the characters a reference may hold (templates like `{{ .Tag }}` are not one).
        let valid =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':' | '@');
        if s.is_empty() || !s.chars().all(valid) {
            return None;
        }
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (s, None),
        };
        let (registry, path) = match rest.split_once('/') {
            Some((first, after))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (Some(first.to_string()), after)
            }
            _ => (None, rest),
        };
        let last_slash = path.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match path[last_slash..].rfind(':') {
            Some(i) => (
                path[..last_slash + i].to_string(),
                Some(path[last_slash + i + 1..].to_string()),
            ),
            None => (path.to_string(), None),
        };
        if repository.is_empty() {
            return None;
        }
        Some(ImageRef {
            registry,
            repository: repository.to_ascii_lowercase(),
            tag,
            digest,
        })
    }

    /// The repository without Docker Hub's `library/` prefix (`golang`, `bitnami/redis`).
    pub fn short_name(&self) -> &str {
        if self.registry.is_none() || self.registry.as_deref() == Some("docker.io") {
            self.repository
                .strip_prefix("library/")
                .unwrap_or(&self.repository)
        } else {
            &self.repository
        }
    }

    /// The last path component (`static-debian12` for `gcr.io/distroless/static-debian12`).
    pub fn base_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }

    pub fn is_scratch(&self) -> bool {
        self.registry.is_none() && self.repository == "scratch"
    }

    /// Hub images and `docker.io/...`.
    pub fn is_docker_hub(&self) -> bool {
        matches!(
            self.registry.as_deref(),
            None | Some("docker.io") | Some("index.docker.io")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        let r = ImageRef::parse("golang:1.22-alpine").unwrap();
        assert_eq!(
            (r.repository.as_str(), r.tag.as_deref()),
            ("golang", Some("1.22-alpine"))
        );
        let r = ImageRef::parse("localhost:5000/a/b:1@sha256:abc").unwrap();
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.repository, "a/b");
        assert_eq!(r.tag.as_deref(), Some("1"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::parse("gcr.io/distroless/static-debian12:nonroot").unwrap();
        assert_eq!(r.base_name(), "static-debian12");
        assert!(ImageRef::parse("${X}").is_none());
        assert!(ImageRef::parse("").is_none());
        assert_eq!(
            ImageRef::parse("docker.io/library/golang")
                .unwrap()
                .short_name(),
            "golang"
        );
    }
}
