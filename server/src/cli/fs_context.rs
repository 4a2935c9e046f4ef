//! The build context on the real file system: [`FsContext`] implements
//! [`BuildContext`] over a directory. Paths never leave the root: `..` components and
//! absolute paths are refused, and a symbolic link that resolves outside the root is
//! treated as absent.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::context::{normalize_path, BuildContext};

/// Files larger than this are not read (`read_file` gives `None`): go.mod, go.sum
/// headers, .dockerignore and Go sources are far smaller.
pub const MAX_READ_BYTES: u64 = 4 * 1024 * 1024;

/// A build context rooted at a directory.
#[derive(Clone, Debug)]
pub struct FsContext {
    pub root: PathBuf,
    /// The root with symbolic links resolved, looked up once (`None`: it does not exist).
    real_root: std::sync::OnceLock<Option<PathBuf>>,
}

impl FsContext {
    pub fn new(root: impl Into<PathBuf>) -> FsContext {
        FsContext {
            root: root.into(),
            real_root: std::sync::OnceLock::new(),
        }
    }

    /// The context `docker build .` would use for a Dockerfile run from its own
    /// directory: that directory, and the Dockerfile's name relative to it.
    pub fn for_dockerfile(dockerfile: &Path) -> (FsContext, String) {
        let dir = match dockerfile.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = dockerfile
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (FsContext::new(dir), name)
    }

    /// The real path of a context-relative path, if it exists and stays inside the root
    /// once symbolic links are resolved.
    fn resolve(&self, path: &str) -> Option<PathBuf> {
        let rel = normalize_path(path)?;
        let root = self
            .real_root
            .get_or_init(|| fs::canonicalize(&self.root).ok())
            .as_ref()?;
        if rel.is_empty() {
            return Some(root.clone());
        }
        let joined = root.join(&rel);
        // Most paths asked about (go.work, .dockerignore…) are not there: one stat says
        // so, where resolving links would read every component first.
        fs::symlink_metadata(&joined).ok()?;
        let real = fs::canonicalize(joined).ok()?;
        real.starts_with(root).then_some(real)
    }
}

impl BuildContext for FsContext {
    fn read_file(&self, path: &str) -> Option<String> {
        let real = self.resolve(path)?;
        // Check before opening: opening a FIFO would block.
        let meta = fs::metadata(&real).ok()?;
        if !meta.is_file() || meta.len() > MAX_READ_BYTES {
            return None;
        }
        let file = fs::File::open(&real).ok()?;
        let mut bytes = Vec::new();
        file.take(MAX_READ_BYTES + 1).read_to_end(&mut bytes).ok()?;
        if bytes.len() as u64 > MAX_READ_BYTES {
            return None;
        }
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn exists(&self, path: &str) -> bool {
        self.resolve(path).is_some()
    }

    fn is_dir(&self, path: &str) -> bool {
        self.resolve(path).is_some_and(|p| p.is_dir())
    }

    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        let real = self.resolve(path)?;
        let rd = fs::read_dir(real).ok()?;
        let mut names: Vec<String> = rd
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Some(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{find_dockerignore, go_project, main_packages, DockerIgnore};

    fn temp_dir(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("dockwise-fs-context-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn reads_a_real_directory() {
        let d = temp_dir("basic");
        let root = d.join("ctx");
        fs::create_dir_all(root.join("cmd/api")).unwrap();
        fs::write(root.join("go.mod"), "module example.com/x\n\ngo 1.22\n").unwrap();
        fs::write(root.join("go.sum"), "").unwrap();
        fs::write(root.join("cmd/api/main.go"), "package main\n").unwrap();
        fs::write(root.join(".dockerignore"), ".git\n").unwrap();
        fs::write(root.join("bad.txt"), b"ok \xff\xfe end").unwrap();
        fs::write(d.join("secret"), "outside").unwrap();

        let ctx = FsContext::new(&root);
        assert!(ctx.known());
        assert!(ctx.exists("go.mod"));
        assert!(ctx.exists("./go.mod"));
        assert!(ctx.is_dir("cmd"));
        assert!(ctx.is_dir(""));
        assert!(!ctx.is_dir("go.mod"));
        assert_eq!(ctx.list_dir("cmd").unwrap(), vec!["api"]);
        assert_eq!(
            ctx.list_dir("").unwrap(),
            vec![".dockerignore", "bad.txt", "cmd", "go.mod", "go.sum"]
        );
        assert_eq!(ctx.list_dir("go.mod"), None);
        assert_eq!(ctx.read_file("cmd"), None);
        assert_eq!(ctx.read_file("bad.txt").unwrap(), "ok \u{fffd}\u{fffd} end");

        // Nothing outside the root.
        assert_eq!(ctx.read_file("../secret"), None);
        assert!(!ctx.exists("../secret"));
        assert_eq!(ctx.read_file(d.join("secret").to_str().unwrap()), None);
        assert_eq!(ctx.list_dir(".."), None);

        assert_eq!(main_packages(&ctx), vec!["cmd/api"]);
        let p = go_project(&ctx);
        assert!(p.go_sum);
        let (path, text) = find_dockerignore(&ctx, "Dockerfile").unwrap();
        assert_eq!(path, ".dockerignore");
        assert!(DockerIgnore::parse(&text).excludes_git());

        let (c, name) = FsContext::for_dockerfile(&root.join("Dockerfile"));
        assert_eq!(c.root, root);
        assert_eq!(name, "Dockerfile");
        let (c, name) = FsContext::for_dockerfile(Path::new("Dockerfile"));
        assert_eq!(c.root, PathBuf::from("."));
        assert_eq!(name, "Dockerfile");

        let _ = fs::remove_dir_all(&d);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_do_not_escape() {
        let d = temp_dir("links");
        let root = d.join("ctx");
        fs::create_dir_all(root.join("inner")).unwrap();
        fs::write(d.join("secret"), "outside").unwrap();
        fs::write(root.join("inner/file"), "inside").unwrap();
        std::os::unix::fs::symlink(d.join("secret"), root.join("escape")).unwrap();
        std::os::unix::fs::symlink(&d, root.join("updir")).unwrap();
        std::os::unix::fs::symlink("inner/file", root.join("ok")).unwrap();

        let ctx = FsContext::new(&root);
        assert_eq!(ctx.read_file("escape"), None);
        assert!(!ctx.exists("escape"));
        assert_eq!(ctx.list_dir("updir"), None);
        assert_eq!(ctx.read_file("updir/secret"), None);
        assert_eq!(ctx.read_file("ok").as_deref(), Some("inside"));
        let _ = fs::remove_dir_all(&d);
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_not_opened() {
        let d = temp_dir("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(d.join("pipe"))
            .status()
            .is_ok_and(|s| s.success());
        if made {
            let ctx = FsContext::new(&d);
            assert!(ctx.exists("pipe"));
            assert_eq!(ctx.read_file("pipe"), None, "must not block on a FIFO");
        }
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn large_files_are_not_read() {
        let d = temp_dir("large");
        let big = vec![b'a'; (MAX_READ_BYTES + 1) as usize];
        fs::write(d.join("big"), &big).unwrap();
        fs::write(d.join("small"), b"a").unwrap();
        let ctx = FsContext::new(&d);
        assert_eq!(ctx.read_file("big"), None);
        assert!(ctx.exists("big"));
        assert_eq!(ctx.read_file("small").as_deref(), Some("a"));
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn missing_root_knows_no_files() {
        let ctx = FsContext::new("/nonexistent/dockwise/root");
        assert!(!ctx.exists("go.mod"));
        assert_eq!(ctx.list_dir(""), None);
    }
}
