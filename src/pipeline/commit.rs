//! The commit stage: the one stateful, ordered stage. It runs on its own
//! thread, takes units in bundle order, asks [`ExactDedupe`] for verdicts,
//! writes records through the [`Sink`] and commits progress to the ledger.
//!
//! Commit points: the end of every bundle, and every `commit_max_articles`
//! articles or `commit_max_kib` of output inside a large one. The bundle's own state is recorded only at
//! its end, so a crash mid-bundle makes it be processed again, and the
//! already-emitted articles are then recognised and skipped.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::{Body, BundleInfo, PipelineError, Unit};
use crate::dedupe::{reject_id, ExactDedupe, Verdict};
use crate::internal_events as ev;
use crate::ledger::BundleState;
use crate::model::{ItemReject, RejectReason};
use crate::sink::records::{self, hex128, BundleRef, Duplicate, RecordOptions, RejectRecord};
use crate::sink::{Sink, SinkError};
use crate::watch::InFlight;

/// When a group commit is cut inside a large bundle (or a run of small ones).
#[derive(Debug, Clone, Copy)]
pub struct CommitLimits {
    /// Queued articles (`pipeline.commit_max_articles`).
    pub articles: usize,
    /// Queued bytes of output lines (`pipeline.commit_max_kib`).
    pub bytes: usize,
}

/// Per-bundle tallies.
#[derive(Default)]
struct Tally {
    emitted: u64,
    duplicates: u64,
    skipped: u64,
    rejects: u64,
    events: u64,
}

pub struct CommitStage {
    sink: Sink,
    dedupe: ExactDedupe,
    inflight: Arc<InFlight>,
    opts: RecordOptions,
    commit_max: CommitLimits,
    progress: Option<indicatif::ProgressBar>,
    current: Option<Arc<BundleInfo>>,
    tally: Tally,
    ingested_at: String,
    started: std::time::Instant,
    articles_total: u64,
    /// Finished bundles waiting for the next group commit: (path, state, recheck).
    done: Vec<(String, Option<BundleState>, bool)>,
    /// Near-duplicate and story state (rebuilt from the ledger at start-up).
    clusterer: Option<crate::dedupe::Clusterer>,
    window_days: i32,
    next_seq: u64,
    /// Ingest day of the current bundle (days since 1970-01-01 UTC).
    ingest_day: i32,
    /// The near-duplicate window's clock.
    clock: crate::clock::WindowClock,
    /// The oldest window day still kept in the ledger's cluster table.
    evicted_through: i32,
    /// Re-extracts events of an article that inherited its date from its
    /// story, so its relative dates ("on Friday") resolve.
    extractor: Option<crate::extract::Extractor>,
    /// The incident timeline, fed every committed article in commit order.
    timeline: Option<TimelineState>,
}

/// The timeline and its `timeline.json` view.
struct TimelineState {
    timeline: crate::timeline::Timeline,
    view_path: std::path::PathBuf,
    interval: std::time::Duration,
    written: Option<std::time::Instant>,
    /// How long the last write took.
    last_cost: std::time::Duration,
    /// Changed since `timeline.json` was last written.
    stale: bool,
}

/// Most bundles committed in one ledger transaction.
const MAX_GROUP: usize = 256;

impl CommitStage {
    pub fn new(
        sink: Sink,
        inflight: Arc<InFlight>,
        opts: RecordOptions,
        commit_max: CommitLimits,
        progress: Option<indicatif::ProgressBar>,
        near: Option<crate::dedupe::NearDupConfig>,
    ) -> Result<CommitStage, PipelineError> {
        let mut next_seq = 0;
        let mut window_days = 0;
        let mut clock = crate::clock::WindowClock::default();
        let clusterer = match near {
            Some(cfg) => {
                window_days = cfg.window_days as i32;
                let (c, seq) = restore_clusterer(&sink, &cfg)?;
                next_seq = seq;
                clock = crate::clock::WindowClock::at(Some(c.current_day()).filter(|d| *d != i32::MIN));
                Some(c)
            }
            None => None,
        };
        Ok(CommitStage {
            sink,
            dedupe: ExactDedupe::default(),
            inflight,
            opts,
            commit_max,
            progress,
            current: None,
            tally: Tally::default(),
            ingested_at: String::new(),
            started: std::time::Instant::now(),
            articles_total: 0,
            done: Vec::new(),
            clusterer,
            window_days,
            next_seq,
            ingest_day: today(),
            clock,
            evicted_through: i32::MIN,
            extractor: None,
            timeline: None,
        })
    }

    pub fn set_extractor(&mut self, x: Option<crate::extract::Extractor>) {
        self.extractor = x;
    }

    /// Turn the incident timeline on: restore it from the ledger, feed it
    /// what a crash left uncommitted, and commit that recovery before any
    /// new input is judged (recovered articles must be known to the ledger).
    pub fn set_timeline(
        &mut self,
        cfg: Option<crate::timeline::TimelineConfig>,
        out_dir: &std::path::Path,
    ) -> Result<(), PipelineError> {
        if let Some(cfg) = cfg {
            let interval = std::time::Duration::from_millis(cfg.write_interval_ms);
            let reader = self.reader()?;
            let mut rows = Vec::new();
            reader.for_each_timeline_row(|id, blob| rows.push((id, blob.to_vec()))).map_err(SinkError::from)?;
            drop(reader);
            let (timeline, bad) = crate::timeline::Timeline::restore(cfg, rows.iter().map(|(k, v)| (*k, v.as_slice())));
            ev::timeline_restored(timeline.open_incidents(), bad);
            self.timeline = Some(TimelineState {
                timeline,
                view_path: out_dir.join("timeline.json"),
                interval,
                written: None,
                last_cost: std::time::Duration::ZERO,
                stale: true,
            });
        }
        let rec = self.sink.take_recovered();
        self.recover_cluster_rows(&rec);
        if let Some(t) = self.timeline.as_mut() {
            feed_recovered(&mut t.timeline, &rec);
        }
        self.commit(true)
    }

    /// Group commit: finished bundles are committed together when the input
    /// runs dry, or every `MAX_GROUP` bundles / [`CommitLimits`], which
    /// turns thousands of small files into a few fsyncs without delaying a
    /// lone file.
    pub fn run(&mut self, mut rx: mpsc::Receiver<Unit>) -> Result<(), PipelineError> {
        loop {
            let unit = match rx.try_recv() {
                Ok(u) => u,
                Err(mpsc::error::TryRecvError::Empty) => {
                    self.commit(true)?;
                    match rx.blocking_recv() {
                        Some(u) => u,
                        None => break,
                    }
                }
                Err(mpsc::error::TryRecvError::Disconnected) => break,
            };
            self.handle(unit)?;
            if self.done.len() >= MAX_GROUP || self.commit_due() {
                self.commit(false)?;
            }
        }
        self.commit(true)?;
        // At shutdown the view is written whatever it costs.
        if let Some(t) = self.timeline.as_mut() {
            t.written = None;
        }
        self.write_view(true);
        if let Some(p) = &self.progress {
            p.finish_and_clear();
        }
        Ok(())
    }

    /// A group commit reached one of its limits.
    fn commit_due(&self) -> bool {
        self.sink.pending_articles() >= self.commit_max.articles || self.sink.pending_bytes() >= self.commit_max.bytes
    }

    fn begin(&mut self, info: &Arc<BundleInfo>) {
        let same = self.current.as_ref().is_some_and(|c| Arc::ptr_eq(c, info));
        if !same {
            self.current = Some(info.clone());
            self.dedupe.start_bundle();
            self.tally = Tally::default();
            self.ingested_at = now_rfc3339();
            self.ingest_day = today();
        }
    }

    fn handle(&mut self, unit: Unit) -> Result<(), PipelineError> {
        let info = unit.info;
        self.begin(&info);
        match unit.body {
            Body::Raw(_) => unreachable!("normalize stage converts Raw batches"),
            Body::Normalized(items) => {
                let mut reader = self.reader()?;
                for item in items {
                    match item {
                        Ok(an) => self.article(&reader, &info, &an)?,
                        Err(rej) => self.item_reject(&info, &rej)?,
                    }
                    self.sink.write_if_full()?;
                    if self.commit_due() {
                        drop(reader);
                        self.commit(false)?;
                        reader = self.reader()?;
                    }
                }
            }
            Body::ItemRejects(items) => {
                ev::items_rejected(&info.rel, items.len());
                for rej in &items {
                    self.item_reject(&info, rej)?;
                }
            }
            Body::End { articles } => {
                let st = BundleState {
                    size: info.size,
                    mtime_ns: info.mtime_ns,
                    sha256: info.sha256.clone().unwrap_or_default(),
                    articles,
                    rejected: false,
                    deleted: false,
                };
                self.finish(&info, Some(st), false)?;
                let t = &self.tally;
                ev::bundle_done(&info.rel, articles as u64, t.emitted, t.duplicates, t.skipped, t.rejects);
            }
            Body::FileReject { reason, quarantined } => {
                self.file_reject(&info, &reason, quarantined)?;
                let st = BundleState {
                    size: info.size,
                    mtime_ns: info.mtime_ns,
                    sha256: info.sha256.clone().unwrap_or_default(),
                    articles: 0,
                    rejected: true,
                    deleted: false,
                };
                self.finish(&info, Some(st), false)?;
            }
            Body::Unchanged => {
                let prev = self
                    .sink
                    .ledger
                    .reader()
                    .and_then(|r| r.bundle(&info.rel))
                    .map_err(crate::sink::SinkError::from)?;
                let st = match prev {
                    Some(p) => BundleState { size: info.size, mtime_ns: info.mtime_ns, ..p },
                    None => BundleState {
                        size: info.size,
                        mtime_ns: info.mtime_ns,
                        sha256: info.sha256.clone().unwrap_or_default(),
                        articles: 0,
                        rejected: false,
                        deleted: false,
                    },
                };
                ev::bundle_unchanged(&info.rel);
                self.finish(&info, Some(st), false)?;
            }
            Body::Retry => self.finish(&info, None, true)?,
            Body::Vanished => self.finish(&info, None, false)?,
        }
        Ok(())
    }

    fn finish(&mut self, info: &BundleInfo, st: Option<BundleState>, recheck: bool) -> Result<(), PipelineError> {
        self.done.push((info.rel.clone(), st, recheck));
        self.current = None;
        self.articles_total += self.tally.emitted;
        Ok(())
    }

    /// Append, fsync and commit everything decided so far; release finished
    /// bundles. `idle`: the input ran dry, so also bring `timeline.json` up to
    /// date if no bundle is left upstream.
    fn commit(&mut self, idle: bool) -> Result<(), PipelineError> {
        if let Some(t) = self.timeline.as_mut() {
            let changes = t.timeline.take_changes();
            if !changes.is_empty() {
                t.stale = true;
                self.sink.push_timeline(changes)?;
            }
        }
        if self.done.is_empty() && !self.sink.has_pending() {
            self.write_view(idle && self.inflight.is_empty());
            return Ok(());
        }
        let states = self.done.iter().filter_map(|(rel, st, _)| st.clone().map(|s| (rel.clone(), s))).collect();
        if let (Some(_), Some(clock)) = (&self.clusterer, self.clock.day) {
            let cutoff = clock - self.window_days;
            if cutoff > self.evicted_through {
                self.evict_rows_before(cutoff)?;
            }
        }
        self.sink.flush(states)?;
        ev::committed(idle);
        self.dedupe.committed();
        let n = self.done.len() as u64;
        for (rel, _, recheck) in self.done.drain(..) {
            self.inflight.done(&rel, recheck);
        }
        // The input ran dry here, but if bundles are still being split or
        // normalized it is only the workers lagging (many small files do that
        // all the time): the view then waits for its interval, or for the
        // moment nothing is left upstream.
        self.write_view(idle && self.inflight.is_empty());
        if let Some(p) = &self.progress {
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            p.set_message(format!(
                "{} articles, {:.0} articles/s",
                self.articles_total,
                self.articles_total as f64 / secs
            ));
            p.inc(n);
        }
        Ok(())
    }

    /// Rewrite `timeline.json` if it is stale and due (or the input is idle).
    /// A failure is logged, never fatal: the view is derived, the journal is the truth.
    fn write_view(&mut self, idle: bool) {
        let Some(t) = self.timeline.as_mut() else { return };
        // The view costs time in proportion to the open incidents: write it
        // at most every `write_interval_ms`, and never spend more than about
        // 5% of the commit thread on it (20× the last write's duration).
        let gap = t.interval.max(t.last_cost * 20);
        let due = t.written.is_none_or(|w| w.elapsed() >= gap) || idle && t.last_cost < t.interval;
        if !t.stale || !due {
            return;
        }
        let started = std::time::Instant::now();
        ev::timeline_progress(&t.timeline.tally, t.timeline.open_incidents());
        ev::timeline_memory(&t.timeline, self.articles_total);
        let now = now_rfc3339();
        let timeline = &t.timeline;
        match crate::sink::write_atomic_with(&t.view_path, |w| {
            timeline.write_view(w, &now).map_err(std::io::Error::from)
        }) {
            Ok(()) => {
                t.stale = false;
                t.written = Some(std::time::Instant::now());
                t.last_cost = started.elapsed();
                ev::timeline_view_written(t.last_cost);
            }
            Err(e) => ev::timeline_view_failed(&t.view_path, &e),
        }
    }

    fn reader(&self) -> Result<crate::ledger::Reader, PipelineError> {
        Ok(self.sink.ledger.reader().map_err(crate::sink::SinkError::from)?)
    }

    fn article(
        &mut self,
        reader: &crate::ledger::Reader,
        info: &BundleInfo,
        an: &super::Analyzed,
    ) -> Result<(), PipelineError> {
        let a = &an.article;
        let (id, verdict) =
            self.dedupe.judge(reader, &info.rel, a.content_hash).map_err(crate::sink::SinkError::from)?;
        if verdict == Verdict::AlreadyEmitted {
            self.tally.skipped += 1;
            return Ok(());
        }
        let mut duplicate = match verdict {
            Verdict::Exact { of } => {
                Some(Duplicate { of: hex128(of), kind: "exact", similarity: None, containment: None })
            }
            _ => None,
        };
        // Near duplicates and stories, in the same order as exact verdicts.
        let mut cluster = None;
        let mut inherited = None;
        if let (Some(c), Some(fp)) = (self.clusterer.as_mut(), an.fingerprint.as_ref()) {
            let published = a.published.date.as_deref().and_then(|d| d.parse::<jiff::civil::Date>().ok());
            let published_day = published.map(crate::dedupe::features::day_of);
            let day = self.clock.tick(self.ingest_day, published_day, crate::clock::FUTURE_SLACK_DAYS);
            let assessment = match verdict {
                Verdict::Exact { of } => c.exact_duplicate(id, of),
                _ => Some(c.assess(id, fp, published, day)),
            };
            if let Some(asmt) = assessment {
                if let (None, Some(n)) = (&duplicate, asmt.near) {
                    duplicate = Some(Duplicate {
                        of: hex128(n.of),
                        kind: "near",
                        similarity: Some((n.similarity * 1000.0).round() / 1000.0),
                        containment: Some(n.containment),
                    });
                }
                if published.is_none() {
                    inherited = asmt.inherited_date;
                }
                let row = crate::dedupe::ClusterRow {
                    id,
                    day: c.current_day(),
                    published: published.map(crate::dedupe::features::day_of),
                    fingerprint: fp.to_bytes(),
                    assessment: asmt.to_bytes(),
                };
                self.sink.push_cluster_row(self.next_seq, row.to_bytes());
                self.next_seq += 1;
                cluster = Some(asmt);
            }
        }
        let inherited_article;
        let mut re_events = None;
        let a = match inherited {
            Some(d) => {
                let mut x = a.clone();
                x.published = crate::model::Published {
                    date: Some(d.to_string()),
                    time: None,
                    offset: None,
                    basis: crate::model::DateBasis::Story,
                    text: None,
                };
                re_events = self.extractor.as_ref().map(|e| match &an.prepared {
                    Some(p) => e.extract_prepared(&x, p),
                    None => e.extract(&x),
                });
                inherited_article = x;
                &inherited_article
            }
            None => a,
        };
        let bundle = BundleRef {
            path: &info.rel,
            sha256: info.sha256.as_deref().unwrap_or(""),
            index: a.index,
            byte_start: a.byte_start,
            byte_end: a.byte_end,
            line: a.line,
            format: info.format.map(|f| f.as_str()).unwrap_or("text"),
            compressed: info.compressed,
            encoding: info.encoding,
            record_offset: a.record_offset,
            record_id: a.record_id.as_deref(),
        };
        let is_dup = duplicate.is_some();
        let duplicate_of = duplicate.as_ref().map(|d| d.of.clone());
        let rec = records::article_record(a, id, bundle, duplicate, cluster.as_ref(), &self.ingested_at, self.opts);
        let (rec_story, rec_source_group) = (rec.story.clone(), rec.source_group.clone());
        // The content index records every text seen first, near duplicates included.
        let new_content = !matches!(verdict, Verdict::Exact { .. });
        self.sink.push_article_record(id, new_content.then_some((a.content_hash, id)), &rec);
        let mut mentions = Vec::new();
        let aid = hex128(id);
        if is_dup {
            self.tally.duplicates += 1;
        } else {
            for e in re_events.as_ref().unwrap_or(&an.events) {
                let rec = records::EventRecord {
                    kind: "event",
                    v: records::SCHEMA_VERSION,
                    id: hex128(records::event_id(id, e)),
                    article: &aid,
                    published: a.published.date.as_deref(),
                    event: e,
                };
                self.sink.push_event_record(&rec);
                if self.timeline.is_some() {
                    // What crash recovery will parse from the record (held
                    // equal by the parity tests), without re-reading the JSON.
                    mentions.push(crate::timeline::Mention::from_event(rec.id, &aid, e));
                }
            }
            self.tally.events += an.events.len() as u64;
        }
        if let Some(t) = self.timeline.as_mut() {
            let info = crate::timeline::ArticleInfo {
                id: aid,
                ingested_at: self.ingested_at.clone(),
                published: a.published.date.clone(),
                source_group: rec_source_group,
                story: rec_story,
                duplicate_of,
            };
            t.timeline.apply(&info, &mentions);
        }
        self.tally.emitted += 1;
        Ok(())
    }

    fn item_reject(&mut self, info: &BundleInfo, rej: &ItemReject) -> Result<(), PipelineError> {
        // Stable across appends to the file: earlier records keep their offsets.
        let id = reject_id(&[
            b"item",
            info.rel.as_bytes(),
            rej.reason.code().as_bytes(),
            &rej.byte_start.to_le_bytes(),
            &rej.byte_end.to_le_bytes(),
        ]);
        self.reject(id, info, "item", &rej.reason, rej.line, Some((rej.byte_start, rej.byte_end)), None)
    }

    fn file_reject(
        &mut self,
        info: &BundleInfo,
        reason: &RejectReason,
        quarantined: Option<String>,
    ) -> Result<(), PipelineError> {
        let version = match &info.sha256 {
            Some(s) => s.clone(),
            None => format!("{}:{}", info.size, info.mtime_ns),
        };
        let id = reject_id(&[b"file", info.rel.as_bytes(), version.as_bytes(), reason.code().as_bytes()]);
        ev::bundle_rejected(&info.rel, reason.code(), &reason.to_string());
        self.reject(id, info, "file", reason, None, None, quarantined)
    }

    #[allow(clippy::too_many_arguments)]
    fn reject(
        &mut self,
        id: u128,
        info: &BundleInfo,
        scope: &'static str,
        reason: &RejectReason,
        line: Option<u64>,
        range: Option<(u64, u64)>,
        quarantined: Option<String>,
    ) -> Result<(), PipelineError> {
        let seen = self.sink.ledger.reader().and_then(|r| r.has_reject(id)).map_err(crate::sink::SinkError::from)?;
        if seen || self.sink.has_pending_reject(id) {
            return Ok(());
        }
        let at = now_rfc3339();
        let rec = RejectRecord {
            kind: "reject",
            v: records::SCHEMA_VERSION,
            id: hex128(id),
            path: &info.rel,
            sha256: info.sha256.as_deref(),
            scope,
            code: reason.code(),
            error: reason.to_string(),
            line,
            byte_start: range.map(|r| r.0),
            byte_end: range.map(|r| r.1),
            quarantined,
            at: &at,
        };
        let bytes = serde_json::to_vec(&rec).expect("reject record serializes");
        self.sink.push_reject(id, &bytes);
        self.tally.rejects += 1;
        ev::rejects_written(1);
        Ok(())
    }
}

impl CommitStage {
    /// Delete persisted cluster rows that left the window (rows are in
    /// ingest order, so the old ones are a prefix of the table).
    fn evict_rows_before(&mut self, cutoff: i32) -> Result<(), PipelineError> {
        let mut below = None;
        let reader = self.reader()?;
        reader
            .scan_cluster_rows(|seq, blob| match crate::dedupe::ClusterRow::day_of(blob) {
                Some(d) if d < cutoff => {
                    below = Some(seq + 1);
                    true
                }
                _ => false,
            })
            .map_err(crate::sink::SinkError::from)?;
        drop(reader);
        if let Some(b) = below {
            self.sink.evict_cluster_rows_below(b);
        }
        if let Some(c) = self.clusterer.as_mut() {
            let n = c.evict_before(cutoff);
            ev::cluster_window(c.len(), c.stories(), c.memory_bytes(), n);
        }
        self.evicted_through = cutoff;
        Ok(())
    }
}

impl CommitStage {
    /// Articles recovered from a crash window lost their cluster rows with
    /// the ledger commit: rebuild the rows from the records, replay them into
    /// the clusterer and queue them for the recovery commit, so that later
    /// verdicts are the ones they would have been without the crash.
    fn recover_cluster_rows(&mut self, rec: &crate::sink::Recovered) {
        let Some(c) = self.clusterer.as_mut() else { return };
        let (mut rows, mut lost) = (0, 0);
        for line in &rec.articles {
            // The window clock moves for them as it did when they were first committed.
            let clock = &mut self.clock;
            let day_for = |ingest, published| clock.tick(ingest, published, crate::clock::FUTURE_SLACK_DAYS);
            match crate::dedupe::ClusterRow::from_article_record(line, c.config(), day_for) {
                Ok(Some(row)) => {
                    if c.restore_row(&row) {
                        self.sink.push_cluster_row(self.next_seq, row.to_bytes());
                        self.next_seq += 1;
                        rows += 1;
                    }
                }
                Ok(None) => {}
                Err(_) => lost += 1,
            }
        }
        ev::cluster_recovered(rows, lost, c.memory_bytes());
    }
}

/// Rebuild the clusterer from the ledger's cluster rows, in order.
fn restore_clusterer(
    sink: &Sink,
    cfg: &crate::dedupe::NearDupConfig,
) -> Result<(crate::dedupe::Clusterer, u64), PipelineError> {
    let mut c = crate::dedupe::Clusterer::new(cfg);
    let reader = sink.ledger.reader().map_err(crate::sink::SinkError::from)?;
    // The window's clock is the newest row's day (rows are in window order).
    let mut newest = i32::MIN;
    reader
        .for_each_cluster_row(|_, blob| {
            if let Some(d) = crate::dedupe::ClusterRow::day_of(blob) {
                newest = newest.max(d);
            }
        })
        .map_err(crate::sink::SinkError::from)?;
    let cutoff = newest.saturating_sub(cfg.window_days as i32);
    let mut restored = 0usize;
    let mut unreadable = 0usize;
    reader
        .for_each_cluster_row(|_, blob| {
            let Some(row) = crate::dedupe::ClusterRow::from_bytes(blob) else {
                unreadable += 1;
                return;
            };
            if row.day < cutoff {
                return;
            }
            let (Some(fp), Some(a)) = (
                crate::dedupe::Fingerprint::from_bytes(&row.fingerprint),
                crate::dedupe::Assessment::from_bytes(&row.assessment),
            ) else {
                unreadable += 1;
                return;
            };
            let published = row.published.and_then(crate::dedupe::features::date_of);
            c.restore(row.id, &fp, published, row.day, &a);
            restored += 1;
        })
        .map_err(crate::sink::SinkError::from)?;
    let next = reader.next_cluster_seq().map_err(crate::sink::SinkError::from)?;
    ev::cluster_restored(restored, unreadable, c.memory_bytes());
    Ok((c, next))
}

/// Feed articles and events recovered from a crash window to the timeline,
/// in journal order (each article with its own events).
fn feed_recovered(t: &mut crate::timeline::Timeline, rec: &crate::sink::Recovered) {
    if rec.articles.is_empty() {
        return;
    }
    let mut by_article: std::collections::HashMap<String, Vec<crate::timeline::Mention>> = Default::default();
    for line in &rec.events {
        match crate::timeline::Mention::parse(line) {
            Ok(m) => by_article.entry(m.article.clone()).or_default().push(m),
            Err(e) => ev::timeline_unreadable_record("events", &e),
        }
    }
    let mut n = 0;
    for line in &rec.articles {
        match crate::timeline::ArticleInfo::parse(line) {
            Ok(a) => {
                let ms = by_article.remove(&a.id).unwrap_or_default();
                t.apply(&a, &ms);
                n += 1;
            }
            Err(e) => ev::timeline_unreadable_record("articles", &e),
        }
    }
    ev::timeline_recovered(n, rec.events.len());
}

/// Today as days since 1970-01-01 (UTC): the ingest day of the rolling window.
fn today() -> i32 {
    (jiff::Timestamp::now().as_second().div_euclid(86_400)) as i32
}

/// Current time, RFC 3339 UTC with millisecond precision.
pub fn now_rfc3339() -> String {
    let ts = jiff::Timestamp::now();
    ts.round(jiff::Unit::Millisecond).unwrap_or(ts).to_string()
}
