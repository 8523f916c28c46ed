//! Sinks: the append-only NDJSON outputs and the commit protocol that keeps
//! them exactly-once with the [`Ledger`](crate::ledger::Ledger).
//!
//! * [`Journal`] — one append-only `.ndjson` file: whole-line appends, fsync,
//!   torn-tail repair on open, replay of lines past the committed length.
//! * [`records`] — the output record types (`article`, `reject`): the contract.
//! * [`json`] — the compact JSON writer for them (byte-identical to serde_json).
//! * [`Sink`] — the journals (articles, rejects, events, incidents) plus the
//!   ledger. Lines are written as they come, in chunks of `[output]
//!   write_buffer_kib` ([`Sink::write_if_full`]); `flush` writes the rest,
//!   syncs, then commits the ledger transaction, and rotates a journal that
//!   reached `[output] rotate_kib` (see [`SinkOptions`]).

pub mod journal;
pub mod json;
pub mod records;

use std::path::{Path, PathBuf};

pub use journal::Journal;

use crate::ledger::{Commit, Ledger, LedgerError};

/// Errors writing outputs. All are fatal: sitrep stops rather than lose data.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl SinkError {
    pub fn io(path: &Path, source: std::io::Error) -> SinkError {
        SinkError::Io { path: path.to_path_buf(), source }
    }
}

pub const ARTICLES: &str = "articles";
pub const REJECTS: &str = "rejects";
pub const EVENTS: &str = "events";
pub const INCIDENTS: &str = "incidents";

/// Articles and events written before a crash but never committed: the
/// timeline re-derives its revisions from them (see [`Sink::open`]).
#[derive(Debug, Default)]
pub struct Recovered {
    /// `articles.ndjson` lines, in journal order.
    pub articles: Vec<Vec<u8>>,
    /// `events.ndjson` lines, in journal order.
    pub events: Vec<Vec<u8>>,
}

/// How the journals are written (from `[output]`).
#[derive(Debug, Clone, Copy, Default)]
pub struct SinkOptions {
    /// fsync appends (and rotations) before the ledger records them.
    pub fsync: bool,
    /// Rotate a journal once it holds at least this many bytes (0: never).
    pub rotate_bytes: u64,
    /// Rotated files kept per journal; older ones are deleted (0: keep all).
    pub keep_rotated: u32,
    /// Write the queued lines once this many bytes wait (0: at each commit only).
    pub write_buffer_bytes: usize,
}

/// The output journals and the ledger, committed together.
pub struct Sink {
    pub articles: Journal,
    pub rejects: Journal,
    pub events: Journal,
    pub incidents: Journal,
    pub ledger: std::sync::Arc<Ledger>,
    article_buf: Vec<u8>,
    reject_buf: Vec<u8>,
    event_buf: Vec<u8>,
    pending: Commit,
    /// Bytes written to the journals since the last commit.
    uncommitted_bytes: usize,
    recovered: Recovered,
    /// Recovered journal lines wait for their first commit.
    pending_recovery: bool,
    opts: SinkOptions,
    /// Newest rotated file number of each journal (articles, rejects, events, incidents).
    segments: [u64; 4],
}

impl Sink {
    /// Open (and repair) the journals, then reconcile them with the ledger.
    ///
    /// Recovered lines (written, never committed) are queued for the next
    /// [`flush`](Sink::flush) and handed out once by [`Sink::take_recovered`]
    /// so the commit stage can feed them to the timeline before committing.
    pub fn open(out_dir: &Path, ledger: std::sync::Arc<Ledger>, opts: SinkOptions) -> Result<Sink, SinkError> {
        let segments = finish_rotations(out_dir, &ledger)?;
        let fsync = opts.fsync;
        let articles = Journal::open(&out_dir.join("articles.ndjson"), ARTICLES, fsync)?;
        let rejects = Journal::open(&out_dir.join("rejects.ndjson"), REJECTS, fsync)?;
        let events = Journal::open(&out_dir.join("events.ndjson"), EVENTS, fsync)?;
        let incidents = Journal::open(&out_dir.join("incidents.ndjson"), INCIDENTS, fsync)?;
        let mut sink = Sink {
            articles,
            rejects,
            events,
            incidents,
            ledger,
            article_buf: Vec::new(),
            reject_buf: Vec::new(),
            event_buf: Vec::new(),
            pending: Commit::default(),
            uncommitted_bytes: 0,
            recovered: Recovered::default(),
            pending_recovery: false,
            opts,
            segments,
        };
        sink.reconcile()?;
        Ok(sink)
    }

    /// Articles and events recovered from the journals' uncommitted tails.
    pub fn take_recovered(&mut self) -> Recovered {
        std::mem::take(&mut self.recovered)
    }

    /// Lines past the committed length were written before a crash: record
    /// them. Events are appended before their articles, so an uncommitted
    /// event whose article line never made it is dropped from the tail (it
    /// will be produced again with its article); committed data is never
    /// touched. Incident revisions are derived data: an uncommitted tail is
    /// cut, and the timeline derives the same revisions again from the
    /// recovered articles and events (it is deterministic).
    fn reconcile(&mut self) -> Result<(), SinkError> {
        let (a_len, r_len, e_len, i_len) = {
            let r = self.ledger.reader()?;
            (r.journal_len(ARTICLES)?, r.journal_len(REJECTS)?, r.journal_len(EVENTS)?, r.journal_len(INCIDENTS)?)
        };
        if self.incidents.len() > i_len {
            crate::internal_events::incident_tail_cut(self.incidents.len() - i_len);
            self.incidents.rewrite_tail(i_len, &[])?;
        }
        let mut c = Commit::default();
        let mut replayed = std::collections::HashSet::new();
        if self.articles.len() > a_len {
            self.recovered.articles = self.articles.tail_lines(a_len)?;
        }
        for rec in self.articles.replay_from(a_len)? {
            if let Some(id) = rec.id {
                c.articles.push((id, rec.offset));
                replayed.insert(id);
                if let (Some(h), false) = (rec.hash, rec.is_duplicate) {
                    c.content.push((h, id));
                }
            }
        }
        for rec in self.rejects.replay_from(r_len)? {
            if let Some(id) = rec.id {
                c.rejects.push((id, rec.offset));
            }
        }
        if self.events.len() > e_len {
            let reader = self.ledger.reader()?;
            let lines = self.events.tail_lines(e_len)?;
            let total = lines.len();
            let mut keep = Vec::new();
            for line in lines {
                let article = journal::article_of(&line);
                let ok = match article {
                    Some(a) => replayed.contains(&a) || reader.has_article(a)?,
                    None => false,
                };
                if ok {
                    keep.extend_from_slice(&line);
                    self.recovered.events.push(line);
                }
            }
            drop(reader);
            if keep.len() as u64 != self.events.len() - e_len {
                crate::internal_events::orphan_events_dropped(total);
                self.events.rewrite_tail(e_len, &keep)?;
            }
        }
        if !c.articles.is_empty() || !c.rejects.is_empty() {
            crate::internal_events::journal_replayed(c.articles.len(), c.rejects.len());
        }
        if a_len != self.articles.len() || r_len != self.rejects.len() || e_len != self.events.len() {
            // Committed by the first flush, together with what the timeline
            // derives from the recovered lines.
            self.pending = c;
            self.pending_recovery = true;
        }
        Ok(())
    }

    /// Queue incident revision lines (each ending in a newline) and the
    /// timeline's ledger rows for the next commit. The lines go to the file
    /// at once, after the lines they derive from: they are the largest batch
    /// a commit makes, and a copy of them would only wait for the commit.
    pub fn push_timeline(&mut self, changes: crate::timeline::Changes) -> Result<(), SinkError> {
        self.pending.timeline_rows.extend(changes.rows);
        if changes.lines.is_empty() {
            return Ok(());
        }
        self.write_queued()?;
        self.incidents.write(&changes.lines)?;
        self.uncommitted_bytes += changes.lines.len();
        Ok(())
    }

    /// Queue a clusterer row for the next commit.
    pub fn push_cluster_row(&mut self, seq: u64, blob: Vec<u8>) {
        self.pending.cluster_rows.push((seq, blob));
    }

    /// Delete cluster rows below `seq` in the next commit.
    pub fn evict_cluster_rows_below(&mut self, seq: u64) {
        self.pending.cluster_evict_below = Some(seq);
    }

    /// Queue an event record, serialized straight into the pending buffer.
    /// Returns its line (without newline), for reading it back.
    pub fn push_event_record<T: serde::Serialize>(&mut self, rec: &T) -> &[u8] {
        let start = self.event_buf.len();
        json::write(&mut self.event_buf, rec);
        let end = self.event_buf.len();
        self.event_buf.push(b'\n');
        &self.event_buf[start..end]
    }

    /// Queue an article record, serialized straight into the pending buffer.
    pub fn push_article_record<T: serde::Serialize>(&mut self, id: u128, content: Option<(u128, u128)>, rec: &T) {
        let off = self.articles.len() + self.article_buf.len() as u64;
        json::write(&mut self.article_buf, rec);
        self.article_buf.push(b'\n');
        self.pending.articles.push((id, off));
        if let Some(c) = content {
            self.pending.content.push(c);
        }
    }

    /// Queue a reject line.
    pub fn push_reject(&mut self, id: u128, line: &[u8]) {
        let off = self.rejects.len() + self.reject_buf.len() as u64;
        self.reject_buf.extend_from_slice(line);
        self.reject_buf.push(b'\n');
        self.pending.rejects.push((id, off));
    }

    /// A reject queued but not yet committed.
    pub fn has_pending_reject(&self, id: u128) -> bool {
        self.pending.rejects.iter().any(|(r, _)| *r == id)
    }

    /// Anything queued that `flush` would write or commit.
    pub fn has_pending(&self) -> bool {
        !self.pending.articles.is_empty()
            || !self.pending.rejects.is_empty()
            || !self.pending.content.is_empty()
            || !self.event_buf.is_empty()
            || self.uncommitted_bytes > 0
            || !self.pending.timeline_rows.is_empty()
            || self.pending_recovery
    }

    /// Number of queued, uncommitted articles.
    pub fn pending_articles(&self) -> usize {
        self.pending.articles.len()
    }

    /// Bytes of output lines produced since the last commit (written or queued).
    pub fn pending_bytes(&self) -> usize {
        self.uncommitted_bytes + self.article_buf.len() + self.event_buf.len() + self.reject_buf.len()
    }

    /// Write the queued lines if `write_buffer_bytes` of them wait. Called
    /// between articles, never inside one: an article's events are written
    /// before (or with) its own line, which recovery relies on.
    pub fn write_if_full(&mut self) -> Result<(), SinkError> {
        let queued = self.article_buf.len() + self.event_buf.len() + self.reject_buf.len();
        if self.opts.write_buffer_bytes > 0 && queued >= self.opts.write_buffer_bytes {
            self.write_queued()?;
            crate::failpoint::hit("after-write");
        }
        Ok(())
    }

    /// Write the queued lines, unsynced. Events before articles: see
    /// `reconcile` for why this order.
    fn write_queued(&mut self) -> Result<(), SinkError> {
        let keep = KEEP_BUFFER_BYTES.max(self.opts.write_buffer_bytes.saturating_mul(2));
        for (j, buf) in [
            (&mut self.events, &mut self.event_buf),
            (&mut self.articles, &mut self.article_buf),
            (&mut self.rejects, &mut self.reject_buf),
        ] {
            if !buf.is_empty() {
                j.write(buf)?;
                self.uncommitted_bytes += buf.len();
                buf.clear();
                if buf.capacity() > keep {
                    buf.shrink_to(keep);
                }
            }
        }
        Ok(())
    }

    /// Write and sync the queued lines, then commit them (and `bundles`) to the ledger.
    pub fn flush(&mut self, bundles: Vec<(String, crate::ledger::BundleState)>) -> Result<(), SinkError> {
        self.write_queued()?;
        for j in [&mut self.events, &mut self.articles, &mut self.rejects, &mut self.incidents] {
            j.sync()?;
        }
        crate::failpoint::hit("after-append");
        let mut c = std::mem::take(&mut self.pending);
        c.bundles = bundles;
        c.journal_lens = vec![
            (ARTICLES, self.articles.len()),
            (REJECTS, self.rejects.len()),
            (EVENTS, self.events.len()),
            (INCIDENTS, self.incidents.len()),
        ];
        self.ledger.commit(&c)?;
        self.uncommitted_bytes = 0;
        self.pending_recovery = false;
        self.rotate_full()
    }

    /// Rotate every journal that reached `rotate_bytes`. Runs right after a
    /// commit, so a rotated file holds only committed lines and recovery
    /// only ever reads the journal's current file.
    fn rotate_full(&mut self) -> Result<(), SinkError> {
        if self.opts.rotate_bytes == 0 {
            return Ok(());
        }
        let Sink { articles, rejects, events, incidents, segments, opts, ledger, .. } = self;
        let mut c = Commit::default();
        let mut rotated = Vec::new();
        for (j, seg) in [articles, rejects, events, incidents].into_iter().zip(segments.iter_mut()) {
            if j.len() < opts.rotate_bytes {
                continue;
            }
            let next = *seg + 1;
            let to = j.rotate(next)?;
            c.journal_lens.push((j.name, 0));
            c.journal_segments.push((j.name, next));
            rotated.push((j.path().to_path_buf(), to, next));
            *seg = next;
        }
        if rotated.is_empty() {
            return Ok(());
        }
        ledger.commit(&c)?;
        for (path, to, next) in rotated {
            crate::internal_events::journal_rotated(&to, next);
            prune_rotated(&path, next, opts.keep_rotated);
        }
        Ok(())
    }
}

/// Capacity a line buffer keeps after its lines are written (or twice
/// `write_buffer_bytes`, if larger): one huge article can push a buffer far
/// past it, and memory it grew to for that once is given back instead of
/// staying resident for months.
const KEEP_BUFFER_BYTES: usize = 1 << 20;

const JOURNALS: [&str; 4] = [ARTICLES, REJECTS, EVENTS, INCIDENTS];

/// Finish rotations a crash cut short (see [`journal::interrupted_rotation`])
/// and return each journal's rotation counter.
fn finish_rotations(out_dir: &Path, ledger: &Ledger) -> Result<[u64; 4], SinkError> {
    let mut segments = [0u64; 4];
    let mut c = Commit::default();
    {
        let r = ledger.reader()?;
        for (name, seg) in JOURNALS.into_iter().zip(segments.iter_mut()) {
            *seg = r.journal_segment(name)?;
            let len = r.journal_len(name)?;
            let path = out_dir.join(format!("{name}.ndjson"));
            if len > 0 && journal::interrupted_rotation(&path, *seg, len) {
                *seg += 1;
                c.journal_lens.push((name, 0));
                c.journal_segments.push((name, *seg));
                crate::internal_events::journal_rotation_finished(&journal::rotated_path(&path, *seg), *seg);
            }
        }
    }
    if !c.is_empty() {
        ledger.commit(&c)?;
    }
    Ok(segments)
}

/// Delete rotated files of `path` older than the newest `keep` (0: keep
/// all). A failure is logged: the files hold only committed output.
fn prune_rotated(path: &Path, newest: u64, keep: u32) {
    if keep == 0 || newest <= keep as u64 {
        return;
    }
    let (Some(dir), Some(stem)) = (path.parent(), path.file_stem().and_then(|s| s.to_str())) else { return };
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(n) = name.to_str().and_then(|n| journal::rotated_number(stem, n)) else { continue };
        if n + keep as u64 <= newest {
            match std::fs::remove_file(e.path()) {
                Ok(()) => crate::internal_events::rotated_file_deleted(&e.path()),
                Err(err) => crate::internal_events::rotated_file_delete_failed(&e.path(), &err),
            }
        }
    }
}

/// Replace `path` atomically: write a temporary file beside it, fsync it,
/// rename it over `path`, fsync the folder. A reader sees the old file or
/// the new one, never a half-written one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SinkError> {
    use std::io::Write;
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// [`write_atomic`] with the content produced by `write` into a buffered
/// writer (for content too big to build in memory first).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<(), SinkError> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    let io = |e| SinkError::io(path, e);
    let mut w = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&tmp).map_err(io)?);
    write(&mut w).map_err(io)?;
    w.flush().map_err(io)?;
    let f = w.into_inner().map_err(|e| io(e.into_error()))?;
    f.sync_all().map_err(io)?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(io)?;
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
    Ok(())
}
