//! Crash injection for the crash-safety tests.
//!
//! `SITREP_FAILPOINT=NAME:N` makes the process abort (as if `kill -9`) the
//! N-th time it passes the point `NAME`. Unset in production; reading the
//! variable happens once.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

static SPEC: OnceLock<Option<(String, u64)>> = OnceLock::new();
static HITS: AtomicU64 = AtomicU64::new(0);

/// Abort here if the failpoint `name` is armed and its count is reached.
pub fn hit(name: &str) {
    let spec = SPEC.get_or_init(|| {
        let v = std::env::var("SITREP_FAILPOINT").ok()?;
        let (n, c) = v.split_once(':').unwrap_or((v.as_str(), "1"));
        Some((n.to_string(), c.parse().unwrap_or(1)))
    });
    if let Some((n, count)) = spec {
        if n == name && HITS.fetch_add(1, Ordering::SeqCst) + 1 >= *count {
            eprintln!("sitrep: failpoint {name} reached: aborting");
            std::process::abort();
        }
    }
}
