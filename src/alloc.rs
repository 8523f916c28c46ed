//! The process-wide allocator: mimalloc (3.x), tuned once at start-up by `main`.
//!
//! sitrep allocates articles in the split/normalize workers and frees them in
//! the commit thread. With glibc's malloc that either scatters freed memory
//! over many per-thread arenas that never shrink (RSS 347 MB at 20,000
//! articles with the default arenas) or, limited to two arenas, makes the
//! threads queue on the arena locks (≈ 8 % of all CPU samples were futex
//! calls from malloc/free in `perf`). mimalloc keeps a heap per thread and
//! takes cross-thread frees back without a lock: 3–10× fewer context
//! switches at the same peak RSS; the CPU saving (pair means −6 %) was within
//! the noise of a loaded machine (BENCHMARKS.md, session 6).
//!
//! Resident memory is kept at glibc's level by building mimalloc without
//! transparent huge pages (the `no_thp` feature: 2 MiB pages kept ≈ 50 MB
//! more resident on 10,000 articles) and by returning freed pages to the OS
//! at once rather than after a second.

/// The allocator every Rust allocation in the `sitrep` binary goes through.
pub type Allocator = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3.x's `mi_option_e` (include/mimalloc.h);
/// the sys crate does not name it. The test below pins its meaning.
const OPT_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Return freed memory to the OS at once. `MIMALLOC_PURGE_DELAY` still wins.
pub fn tune() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a tunable in mimalloc's option table; 0 is a valid delay.
        unsafe { libmimalloc_sys::mi_option_set(OPT_PURGE_DELAY, 0) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purge_delay_index_is_right_and_tune_sets_it() {
        // SAFETY: reads the option table.
        let get = || unsafe { libmimalloc_sys::mi_option_get(OPT_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // mimalloc 3.x purges freed pages after 1,000 ms by default.
            assert_eq!(get(), 1000, "mimalloc's option table changed: check OPT_PURGE_DELAY in src/alloc.rs");
            tune();
            assert_eq!(get(), 0);
        }
    }
}
