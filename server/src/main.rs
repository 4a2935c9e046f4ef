#[global_allocator]
static ALLOC: alloc::Alloc = alloc::Alloc;

fn main() -> std::process::ExitCode {
    // No transparent huge pages: mimalloc's arenas would otherwise be backed by 2 MiB pages
    // as soon as they are touched, tripling the language server's resident memory
    // (61 MiB → see docs/latency.md) for no measurable speed. mimalloc is built with
    // `no_thp`, so it never asks for them itself; this covers systems where THP is
    // `always`.
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and only sets a flag of
    // this process; it cannot touch memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    dockwise::cli::main()
}

/// Which allocator the process uses, chosen once before any Rust code runs.
///
/// The language server (no subcommand, or `--stdio`) runs on mimalloc: the parser and the
/// rules allocate many small, short-lived values, and it makes a full check of a
/// 3,000-line file about a third faster than the system allocator. A one-shot command
/// (`check`, `fix`, `fmt`…) runs for a millisecond or two, where setting up mimalloc's
/// arenas costs more (about 0.3 ms per process, measured with `perf stat`) than it can
/// win back; it uses the system allocator. See docs/benchmarks.md.
mod alloc {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicBool, Ordering};

    use mimalloc::MiMalloc;

    /// Set at most once, by [`choose`], before `main` and before the first allocation
    /// through this allocator; never changed afterwards, so every block is freed by the
    /// allocator that made it.
    static SYSTEM: AtomicBool = AtomicBool::new(false);

    /// The subcommands (and clap's own one-shot flags) that do not start the server.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    const ONE_SHOT: &[&[u8]] = &[
        b"check",
        b"fix",
        b"fmt",
        b"explain",
        b"rules",
        b"refactor",
        b"help",
        b"--help",
        b"-h",
        b"--version",
        b"-V",
    ];

    pub struct Alloc;

    #[inline]
    fn system() -> bool {
        SYSTEM.load(Ordering::Relaxed)
    }

    // SAFETY: every method forwards to one allocator, the same one for the whole life of
    // the process (see `SYSTEM`), so each block is freed or resized by its maker.
    unsafe impl GlobalAlloc for Alloc {
        #[inline]
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            if system() {
                System.alloc(layout)
            } else {
                MiMalloc.alloc(layout)
            }
        }

        #[inline]
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            if system() {
                System.alloc_zeroed(layout)
            } else {
                MiMalloc.alloc_zeroed(layout)
            }
        }

        #[inline]
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            if system() {
                System.dealloc(ptr, layout)
            } else {
                MiMalloc.dealloc(ptr, layout)
            }
        }

        #[inline]
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if system() {
                System.realloc(ptr, layout, new_size)
            } else {
                MiMalloc.realloc(ptr, layout, new_size)
            }
        }
    }

    /// glibc calls `.init_array` functions with the program's arguments, before Rust's
    /// runtime starts (which allocates) and so before any allocation through [`Alloc`].
    /// Priority 90 runs it ahead of the standard library's own argument hook (99).
    /// Elsewhere (musl, macOS, Windows) the language server's allocator is used throughout.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[used]
    #[link_section = ".init_array.00090"]
    static CHOOSE: extern "C" fn(
        std::ffi::c_int,
        *const *const std::ffi::c_char,
        *const *const std::ffi::c_char,
    ) = choose;

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    extern "C" fn choose(
        argc: std::ffi::c_int,
        argv: *const *const std::ffi::c_char,
        _envp: *const *const std::ffi::c_char,
    ) {
        if argc < 2 || argv.is_null() {
            return;
        }
        // SAFETY: glibc passes the `argv` it gives `main`: `argc` valid pointers to
        // NUL-terminated strings (checked non-null above and below).
        let first = unsafe {
            let p = *argv.add(1);
            if p.is_null() {
                return;
            }
            std::ffi::CStr::from_ptr(p).to_bytes()
        };
        if ONE_SHOT.contains(&first) {
            SYSTEM.store(true, Ordering::Relaxed);
        }
    }
}
