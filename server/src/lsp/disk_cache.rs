//! What the language server reads from disk around a Dockerfile (the build context's
//! go.mod, go.sum, .dockerignore… and the dockwise.toml above it), kept for a moment so
//! that a burst of keystrokes does not read it all again for every analysis.
//!
//! Each analysis used to make some 30 file-system calls (about a third of a keystroke's
//! time on a local disk, far more on a network or WSL mount). Entries live for
//! [`TTL`], and are dropped at once when the client reports a watched file changed
//! (`workspace/didChangeWatchedFiles`, registered for go.mod, go.sum, .dockerignore and
//! dockwise.toml), so a client that watches files sees changes immediately and one that
//! does not sees them within [`TTL`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::cli::fs_context::FsContext;
use crate::context::BuildContext;
use crate::rules::config::FileConfig;

/// How long a folder's answers are reused without a change notice.
pub const TTL: Duration = Duration::from_secs(2);

/// With this many folders, expired ones are dropped before another is added.
const MAX_FOLDERS: usize = 64;

struct Entry {
    at: Instant,
    context: Arc<CachedContext>,
    /// `None` until asked for; then the dockwise.toml found upward (or none).
    config: Option<Option<FileConfig>>,
}

static CACHE: Mutex<Option<HashMap<PathBuf, Entry>>> = Mutex::new(None);

fn cache() -> MutexGuard<'static, Option<HashMap<PathBuf, Entry>>> {
    CACHE.lock().unwrap_or_else(|p| p.into_inner())
}

/// Forgets everything (a watched file changed).
pub fn clear() {
    *cache() = None;
    GENERATION.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

/// How many times the cache was cleared: what was computed from disk under an older
/// generation may be out of date.
pub fn generation() -> u64 {
    GENERATION.load(std::sync::atomic::Ordering::SeqCst)
}

static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Runs `f` on the folder's live entry, making a fresh one when there is none or it is
/// older than [`TTL`].
fn with_entry<R>(dir: &Path, f: impl FnOnce(&mut Entry) -> R) -> R {
    let mut guard = cache();
    let map = guard.get_or_insert_with(HashMap::new);
    let now = Instant::now();
    if map.len() >= MAX_FOLDERS {
        map.retain(|_, e| now.duration_since(e.at) < TTL);
    }
    let fresh = || Entry {
        at: now,
        context: Arc::new(CachedContext::new(FsContext::new(dir))),
        config: None,
    };
    let entry = map.entry(dir.to_path_buf()).or_insert_with(fresh);
    if now.duration_since(entry.at) >= TTL {
        *entry = fresh();
    }
    f(entry)
}

/// The build context of a Dockerfile in `dir` (its folder), shared while fresh.
pub fn context(dir: &Path) -> Box<dyn BuildContext> {
    Box::new(with_entry(dir, |e| e.context.clone()))
}

/// The configuration file that applies to a Dockerfile in `dir`, found upward.
pub fn file_config(dir: &Path, find: impl FnOnce() -> Option<FileConfig>) -> Option<FileConfig> {
    if let Some(c) = with_entry(dir, |e| e.config.clone()) {
        return c;
    }
    // Read without holding the lock; a concurrent reader may do the same work once.
    let found = find();
    with_entry(dir, |e| e.config = Some(found.clone()));
    found
}

/// A build context that remembers every answer it gave.
struct CachedContext {
    inner: FsContext,
    memo: Mutex<Memo>,
}

#[derive(Default)]
struct Memo {
    files: HashMap<String, Option<String>>,
    exists: HashMap<String, bool>,
    dirs: HashMap<String, bool>,
    lists: HashMap<String, Option<Vec<String>>>,
}

impl CachedContext {
    fn new(inner: FsContext) -> CachedContext {
        CachedContext {
            inner,
            memo: Mutex::new(Memo::default()),
        }
    }

    fn memo(&self) -> MutexGuard<'_, Memo> {
        self.memo.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Looks `path` up in one of the memo's maps, else asks the file system (without
/// holding the lock) and remembers the answer.
macro_rules! memoized {
    ($self:ident, $map:ident, $path:ident, $ask:expr) => {{
        if let Some(v) = $self.memo().$map.get($path) {
            return v.clone();
        }
        let v = $ask;
        $self.memo().$map.insert($path.to_string(), v.clone());
        v
    }};
}

impl BuildContext for CachedContext {
    fn read_file(&self, path: &str) -> Option<String> {
        memoized!(self, files, path, self.inner.read_file(path))
    }

    fn exists(&self, path: &str) -> bool {
        memoized!(self, exists, path, self.inner.exists(path))
    }

    fn is_dir(&self, path: &str) -> bool {
        memoized!(self, dirs, path, self.inner.is_dir(path))
    }

    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        memoized!(self, lists, path, self.inner.list_dir(path))
    }

    fn known(&self) -> bool {
        self.inner.known()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("dockwise-disk-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn answers_are_reused_until_cleared_and_config_is_looked_up_once() {
        let d = temp_dir("reuse");
        std::fs::write(d.join("go.mod"), "module a\n").unwrap();
        let ctx = context(&d);
        assert_eq!(ctx.read_file("go.mod").as_deref(), Some("module a\n"));
        assert!(!ctx.exists("go.sum"));

        // Changed on disk: the fresh entry still answers as before…
        std::fs::write(d.join("go.mod"), "module b\n").unwrap();
        std::fs::write(d.join("go.sum"), "").unwrap();
        let again = context(&d);
        assert_eq!(again.read_file("go.mod").as_deref(), Some("module a\n"));
        assert!(!again.exists("go.sum"));

        // …until a change notice clears it.
        clear();
        let after = context(&d);
        assert_eq!(after.read_file("go.mod").as_deref(), Some("module b\n"));
        assert!(after.exists("go.sum"));

        // The configuration lookup runs once per entry. (One test: the cache is global,
        // and a parallel test's `clear` would make this count race.)
        let mut calls = 0;
        for _ in 0..3 {
            let _ = file_config(&d, || {
                calls += 1;
                None
            });
        }
        assert_eq!(calls, 1);
        let _ = std::fs::remove_dir_all(&d);
    }
}
