//! Process-wide allocator tuning, applied once at start-up by `main`.
//!
//! glibc's malloc gives each thread that contends for the heap its own arena,
//! up to 8 per core. sitrep allocates articles in the split/normalize workers
//! and frees them in the commit thread, so freed memory is scattered over
//! many arenas that never shrink: at 20,000 articles RSS was 347 MB with the
//! default and 252 MB with two arenas, at the same CPU time (BENCHMARKS.md).

/// Limit glibc to two malloc arenas unless `MALLOC_ARENA_MAX` says otherwise.
/// A no-op on other C libraries.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets a tunable; called before other threads start.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}
