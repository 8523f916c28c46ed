//! Internal events: the one place where sitrep logs *and* counts what
//! happens. Stages call these functions instead of `tracing` directly, so
//! every log line has a matching counter ([`STATS`], mirrored into the
//! `metrics` facade) and info-level output stays at one line per bundle
//! problem, never one per article.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use tracing::{debug, error, info, warn};

/// Process-wide counters, read by the progress display, the periodic stats
/// line and systemd's STATUS=.
#[derive(Debug, Default)]
pub struct Stats {
    pub bundles_done: AtomicU64,
    pub bundles_rejected: AtomicU64,
    pub bundles_unchanged: AtomicU64,
    pub articles_emitted: AtomicU64,
    pub articles_duplicate: AtomicU64,
    pub articles_skipped: AtomicU64,
    pub rejects_emitted: AtomicU64,
    pub bytes_read: AtomicU64,
    pub scans: AtomicU64,
    pub queued: AtomicU64,
    /// Group commits (journals synced, ledger transaction committed).
    pub commits: AtomicU64,
    /// `timeline.json` rewrites.
    pub view_writes: AtomicU64,
}

pub static STATS: Stats = Stats {
    bundles_done: AtomicU64::new(0),
    bundles_rejected: AtomicU64::new(0),
    bundles_unchanged: AtomicU64::new(0),
    articles_emitted: AtomicU64::new(0),
    articles_duplicate: AtomicU64::new(0),
    articles_skipped: AtomicU64::new(0),
    rejects_emitted: AtomicU64::new(0),
    bytes_read: AtomicU64::new(0),
    scans: AtomicU64::new(0),
    queued: AtomicU64::new(0),
    commits: AtomicU64::new(0),
    view_writes: AtomicU64::new(0),
};

impl Stats {
    /// A one-line summary for logs and systemd STATUS=.
    pub fn summary(&self) -> String {
        format!(
            "bundles={} rejected={} unchanged={} articles={} duplicates={} rejects={} queued={} commits={} view_writes={}",
            self.bundles_done.load(Relaxed),
            self.bundles_rejected.load(Relaxed),
            self.bundles_unchanged.load(Relaxed),
            self.articles_emitted.load(Relaxed),
            self.articles_duplicate.load(Relaxed),
            self.rejects_emitted.load(Relaxed),
            self.queued.load(Relaxed),
            self.commits.load(Relaxed),
            self.view_writes.load(Relaxed),
        )
    }
}

pub fn bundle_queued(path: &str, trigger: &'static str) {
    STATS.queued.fetch_add(1, Relaxed);
    metrics::counter!("sitrep_bundles_queued_total", "trigger" => trigger).increment(1);
    debug!(bundle = path, trigger, "bundle queued");
}

pub fn bundle_dequeued() {
    let _ = STATS.queued.fetch_update(Relaxed, Relaxed, |q| Some(q.saturating_sub(1)));
}

pub fn bundle_done(path: &str, articles: u64, emitted: u64, duplicates: u64, skipped: u64, rejects: u64) {
    STATS.bundles_done.fetch_add(1, Relaxed);
    STATS.articles_emitted.fetch_add(emitted, Relaxed);
    STATS.articles_duplicate.fetch_add(duplicates, Relaxed);
    STATS.articles_skipped.fetch_add(skipped, Relaxed);
    metrics::counter!("sitrep_bundles_processed_total").increment(1);
    metrics::counter!("sitrep_articles_emitted_total").increment(emitted);
    metrics::counter!("sitrep_articles_duplicate_total", "kind" => "exact").increment(duplicates);
    debug!(bundle = path, articles, emitted, duplicates, skipped, rejects, "bundle processed");
}

pub fn bundle_unchanged(path: &str) {
    STATS.bundles_unchanged.fetch_add(1, Relaxed);
    debug!(bundle = path, "bundle content unchanged (same sha256); nothing to do");
}

pub fn bundle_rejected(path: &str, code: &str, error: &str) {
    STATS.bundles_rejected.fetch_add(1, Relaxed);
    metrics::counter!("sitrep_bundles_rejected_total").increment(1);
    warn!(bundle = path, code, error, "bundle rejected");
}

pub fn items_rejected(path: &str, count: usize) {
    metrics::counter!("sitrep_items_rejected_total").increment(count as u64);
    warn!(bundle = path, count, "records in bundle rejected (see rejects.ndjson)");
}

pub fn rejects_written(n: u64) {
    STATS.rejects_emitted.fetch_add(n, Relaxed);
}

pub fn bytes_read(n: u64) {
    STATS.bytes_read.fetch_add(n, Relaxed);
    metrics::counter!("sitrep_bytes_read_total").increment(n);
}

pub fn bundle_changed_while_reading(path: &str) {
    info!(bundle = path, "bundle changed while being read; will retry when it settles");
}

pub fn bundle_deleted(path: &str, articles: u32) {
    metrics::counter!("sitrep_bundles_deleted_total").increment(1);
    info!(bundle = path, articles, "bundle deleted from inbox; its emitted articles are kept");
}

pub fn bundle_vanished(path: &str) {
    debug!(bundle = path, "bundle vanished before it could be read");
}

pub fn scan_done(files: usize, queued: usize, elapsed_ms: u128, reason: &'static str) {
    STATS.scans.fetch_add(1, Relaxed);
    metrics::counter!("sitrep_scans_total", "reason" => reason).increment(1);
    if queued > 0 {
        info!(files, queued, elapsed_ms, reason, "reconciliation scan");
    } else {
        debug!(files, queued, elapsed_ms, reason, "reconciliation scan");
    }
}

pub fn scan_error(path: &Path, error: &dyn std::fmt::Display) {
    warn!(path = %path.display(), %error, "cannot read inbox entry during scan");
}

pub fn symlink_outside_inbox(path: &Path) {
    warn!(path = %path.display(), "ignoring symlink that points outside the inbox");
}

pub fn watch_overflow(reason: &str) {
    metrics::counter!("sitrep_watch_overflows_total").increment(1);
    info!(reason, "file-system notifications lost or unreliable; scheduling a full rescan");
}

pub fn watch_error(error: &dyn std::fmt::Display) {
    warn!(%error, "file watcher error; relying on periodic scans");
}

pub fn torn_tail_repaired(path: &Path, bytes: u64) {
    warn!(path = %path.display(), bytes, "removed a torn final line left by a crash");
}

pub fn journal_shorter_than_ledger(path: &Path, committed: u64, len: u64) {
    error!(
        path = %path.display(), committed, len,
        "output file is shorter than the ledger remembers (truncated or replaced by hand?); \
         already-emitted articles will not be written again"
    );
}

pub fn journal_rotated(to: &Path, segment: u64) {
    info!(path = %to.display(), segment, "output file rotated");
    metrics::counter!("sitrep_journal_rotations_total").increment(1);
}

pub fn journal_rotation_finished(to: &Path, segment: u64) {
    warn!(path = %to.display(), segment, "finished an output rotation interrupted by a crash");
}

pub fn rotated_file_deleted(path: &Path) {
    info!(path = %path.display(), "deleted a rotated output file (output.keep_rotated)");
}

pub fn rotated_file_delete_failed(path: &Path, e: &std::io::Error) {
    warn!(path = %path.display(), error = %e, "could not delete a rotated output file");
}

pub fn journal_replayed(articles: usize, rejects: usize) {
    info!(articles, rejects, "recovered records written before a crash into the ledger");
}

pub fn orphan_events_dropped(tail: usize) {
    warn!(tail, "dropped uncommitted event lines whose article was not written before a crash");
}

pub fn warc_skipped(path: &str, records: u64, skipped: &std::collections::BTreeMap<String, u64>) {
    let total: u64 = skipped.values().sum();
    for (reason, n) in skipped {
        metrics::counter!("sitrep_warc_records_skipped_total", "reason" => reason.clone()).increment(*n);
    }
    debug!(bundle = path, records, skipped = total, reasons = ?skipped, "WARC archive read");
}

pub fn cluster_restored(rows: usize, unreadable: usize, bytes: usize) {
    metrics::gauge!("sitrep_cluster_index_bytes").set(bytes as f64);
    if unreadable > 0 {
        warn!(rows, unreadable, "near-duplicate rows that could not be read were skipped (format change?)");
    }
    info!(rows, index_bytes = bytes, "near-duplicate and story index restored");
}

pub fn cluster_recovered(rows: usize, lost: usize, bytes: usize) {
    if lost > 0 {
        warn!(rows, lost, "articles recovered from a crash stay out of the near-duplicate index: their records have no text (output.include_text = false) or cannot be read");
    }
    if rows > 0 {
        metrics::gauge!("sitrep_cluster_index_bytes").set(bytes as f64);
        info!(rows, index_bytes = bytes, "near-duplicate rows recovered from records written before a crash");
    }
}

pub fn cluster_window(articles: usize, stories: usize, bytes: usize, evicted: usize) {
    metrics::gauge!("sitrep_cluster_index_articles").set(articles as f64);
    metrics::gauge!("sitrep_cluster_index_bytes").set(bytes as f64);
    info!(articles, stories, index_bytes = bytes, evicted, "near-duplicate window");
}

pub fn quarantine_failed(path: &str, error: &dyn std::fmt::Display) {
    warn!(bundle = path, %error, "could not copy rejected file to quarantine");
}

pub fn stats_tick() {
    info!(summary = %STATS.summary(), "progress");
}

pub fn incident_tail_cut(bytes: u64) {
    info!(bytes, "cut uncommitted incident revisions; they are derived again from the recovered articles");
}

pub fn timeline_restored(open: usize, unreadable: usize) {
    metrics::gauge!("sitrep_timeline_open_incidents").set(open as f64);
    if unreadable > 0 {
        warn!(open, unreadable, "timeline rows that could not be read were skipped (format change?)");
    }
    info!(open, "incident timeline restored");
}

pub fn timeline_recovered(articles: usize, events: usize) {
    info!(articles, events, "fed articles recovered from a crash window to the incident timeline");
}

/// A group commit: `idle` when the input ran dry, else a size limit was reached.
pub fn committed(idle: bool) {
    STATS.commits.fetch_add(1, Relaxed);
    metrics::counter!("sitrep_commits_total", "trigger" => if idle { "idle" } else { "limit" }).increment(1);
}

pub fn timeline_view_written(elapsed: std::time::Duration) {
    STATS.view_writes.fetch_add(1, Relaxed);
    metrics::counter!("sitrep_timeline_view_writes_total").increment(1);
    metrics::counter!("sitrep_timeline_view_write_us_total").increment(elapsed.as_micros() as u64);
}

pub fn timeline_progress(t: &crate::timeline::Tally, open: usize) {
    metrics::gauge!("sitrep_timeline_open_incidents").set(open as f64);
    metrics::counter!("sitrep_incidents_opened_total").absolute(t.opened);
    metrics::counter!("sitrep_incidents_closed_total").absolute(t.closed);
    metrics::counter!("sitrep_incident_merges_total").absolute(t.merged);
    metrics::counter!("sitrep_incident_late_reports_total").absolute(t.late);
    debug!(open, opened = t.opened, merged = t.merged, closed = t.closed, late = t.late, "incident timeline");
}

/// The timeline's memory estimate by part next to the process's RSS, at
/// view writes (debug only: the estimate walks every open incident).
pub fn timeline_memory(t: &crate::timeline::Timeline, articles: u64) {
    if !tracing::enabled!(tracing::Level::DEBUG) {
        return;
    }
    let m = t.memory();
    let rss_kib = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse::<u64>().ok());
    debug!(
        articles,
        open = m.open,
        idle = m.idle,
        total = m.total(),
        live = m.live_bytes,
        idle_bytes = m.idle_bytes,
        by_article = m.by_article,
        buckets = m.buckets,
        by_story = m.by_story,
        closing = m.closing,
        strings = m.strings,
        rss_kib,
        "timeline memory"
    );
}

pub fn timeline_unreadable_record(journal: &str, error: &dyn std::fmt::Display) {
    warn!(journal, %error, "recovered line could not be read for the timeline; skipped");
}

pub fn timeline_view_failed(path: &Path, error: &dyn std::fmt::Display) {
    error!(path = %path.display(), %error, "could not write timeline.json (incidents.ndjson is unaffected)");
}
