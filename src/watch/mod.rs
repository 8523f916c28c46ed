//! The watcher: decides *when* a bundle file is complete and needs work.
//!
//! Notify events are only hints; the reconciliation scan ([`scan`]) is the
//! truth. A scan runs at start-up (files that arrived while sitrep was down),
//! every `scan_interval_ms`, on SIGHUP, and whenever notify reports lost
//! events. A file is handed to the pipeline as a [`BundleJob`] once it is
//! complete: renamed into the inbox or closed after writing (if
//! `ready_on_close`), or with size and mtime unchanged for `settle_ms`.
//!
//! Core types: [`Inbox`] (paths, ignore rules, scanning), [`Watcher`] (the
//! loop), [`InFlight`] (bundles between the watcher and the final stage).

pub mod scan;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
use notify::{RecursiveMode, Watcher as _};
use tokio::sync::{mpsc, watch, Notify};

pub use scan::{FileStat, Inbox};

use crate::internal_events as ev;
use crate::ledger::{BundleState, Ledger, LedgerError};

/// A bundle file ready for the pipeline.
#[derive(Debug, Clone)]
pub struct BundleJob {
    /// Path relative to the inbox, `/`-separated.
    pub rel: String,
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: i128,
    /// What made it ready: `startup`, `scan`, `settled`, `closed`, `renamed`, `once`.
    pub trigger: &'static str,
}

/// Bundles queued or being processed. The final stage marks them done; a
/// path is never queued twice at once.
#[derive(Debug, Default)]
pub struct InFlight {
    paths: Mutex<HashSet<String>>,
    recheck: Mutex<Vec<String>>,
}

impl InFlight {
    fn try_claim(&self, rel: &str) -> bool {
        self.paths.lock().expect("inflight lock").insert(rel.to_string())
    }
    fn contains(&self, rel: &str) -> bool {
        self.paths.lock().expect("inflight lock").contains(rel)
    }
    /// Called by the last stage when a bundle is finished. `recheck` asks the
    /// watcher to look at the file again (it changed while being read).
    pub fn done(&self, rel: &str, recheck: bool) {
        self.paths.lock().expect("inflight lock").remove(rel);
        if recheck {
            self.recheck.lock().expect("inflight lock").push(rel.to_string());
        }
        ev::bundle_dequeued();
    }
    fn take_rechecks(&self) -> Vec<String> {
        std::mem::take(&mut *self.recheck.lock().expect("inflight lock"))
    }
    pub fn len(&self) -> usize {
        self.paths.lock().expect("inflight lock").len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Fatal watcher errors.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

/// Watcher settings (from `[inbox]`).
#[derive(Debug, Clone)]
pub struct WatchSettings {
    pub settle: Duration,
    pub scan_interval: Duration,
    pub ready_on_close: bool,
}

#[derive(Debug)]
struct Pending {
    path: PathBuf,
    size: u64,
    mtime_ns: i128,
    changed_at: Instant,
    /// A close-after-write or rename was seen after the last change.
    fast: Option<&'static str>,
}

/// The watcher loop and its state.
pub struct Watcher {
    inbox: Inbox,
    ledger: Arc<Ledger>,
    settings: WatchSettings,
    jobs: mpsc::Sender<BundleJob>,
    inflight: Arc<InFlight>,
    pending: HashMap<String, Pending>,
    /// A pending file got a completeness signal (rename, close) since the last promote.
    fast_noted: bool,
    /// Liveness for the systemd watchdog: unix ms of the last loop turn.
    pub heartbeat: Arc<AtomicU64>,
}

/// What a notify callback hands over; never blocks.
struct Hints {
    rx: crossbeam_channel::Receiver<notify::Result<notify::Event>>,
    overflow: Arc<AtomicBool>,
    wake: Arc<Notify>,
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Watcher {
    pub fn new(
        inbox: Inbox,
        ledger: Arc<Ledger>,
        settings: WatchSettings,
        jobs: mpsc::Sender<BundleJob>,
        inflight: Arc<InFlight>,
    ) -> Watcher {
        Watcher {
            inbox,
            ledger,
            settings,
            jobs,
            inflight,
            pending: HashMap::new(),
            fast_noted: false,
            heartbeat: Arc::new(AtomicU64::new(now_ms())),
        }
    }

    /// `sitrep once`: queue everything that needs work now, in path order, then return.
    pub async fn run_once(mut self) -> Result<usize, WatchError> {
        let files = self.inbox.scan();
        let need = self.needs_work(&files)?;
        let total = need.len();
        for f in need {
            if !self.queue(f, "once").await {
                break;
            }
        }
        Ok(total)
    }

    /// Count of files the next `run_once` would queue (for the progress bar).
    pub fn count_pending_work(&self) -> Result<usize, WatchError> {
        Ok(self.needs_work(&self.inbox.scan())?.len())
    }

    /// `sitrep run`: watch until `shutdown` turns true. `ready` fires after the
    /// start-up scan has queued its work.
    pub async fn run(
        mut self,
        mut shutdown: watch::Receiver<bool>,
        mut rescan: mpsc::Receiver<()>,
        ready: tokio::sync::oneshot::Sender<()>,
    ) -> Result<(), WatchError> {
        let hints = self.start_notify();
        self.full_scan("startup").await?;
        let _ = ready.send(());

        let mut scan_tick = tokio::time::interval(self.settings.scan_interval);
        scan_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        scan_tick.tick().await; // the first tick is immediate; the start-up scan just ran
        let settle_period = (self.settings.settle / 4).clamp(Duration::from_millis(20), Duration::from_millis(250));
        let mut settle_tick = tokio::time::interval(settle_period);
        settle_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);

        loop {
            self.heartbeat.store(now_ms(), Ordering::Relaxed);
            if *shutdown.borrow() {
                break;
            }
            tokio::select! {
                _ = shutdown.changed() => {}
                _ = hints.wake.notified() => {
                    if self.drain_hints(&hints) {
                        self.full_scan("overflow").await?;
                    }
                    // A file renamed in or closed after writing is complete
                    // now: hand it on without waiting for the settle tick.
                    if std::mem::take(&mut self.fast_noted) {
                        self.promote().await?;
                    }
                }
                Some(()) = rescan.recv() => self.full_scan("signal").await?,
                _ = scan_tick.tick() => self.full_scan("periodic").await?,
                _ = settle_tick.tick() => self.promote().await?,
            }
        }
        Ok(())
    }

    fn start_notify(&self) -> Hints {
        // Bounded: if the pipeline is slow and events pile up we drop them and
        // rescan instead of growing memory. The callback never blocks.
        let (tx, rx) = crossbeam_channel::bounded(4096);
        let overflow = Arc::new(AtomicBool::new(false));
        let wake = Arc::new(Notify::new());
        let (o, w) = (overflow.clone(), wake.clone());
        let handler = move |res: notify::Result<notify::Event>| {
            if tx.try_send(res).is_err() {
                o.store(true, Ordering::Relaxed);
            }
            w.notify_one();
        };
        let watcher = match notify::recommended_watcher(handler) {
            Ok(mut w) => match w.watch(self.inbox.root(), RecursiveMode::Recursive) {
                Ok(()) => Some(w),
                Err(e) => {
                    ev::watch_error(&e);
                    None
                }
            },
            Err(e) => {
                ev::watch_error(&e);
                None
            }
        };
        Hints { rx, overflow, wake, _watcher: watcher }
    }

    /// Apply queued notify events; returns true if a full rescan is needed.
    fn drain_hints(&mut self, hints: &Hints) -> bool {
        let mut rescan = hints.overflow.swap(false, Ordering::Relaxed);
        if rescan {
            ev::watch_overflow("event queue full");
        }
        while let Ok(res) = hints.rx.try_recv() {
            let event = match res {
                Ok(e) => e,
                Err(e) => {
                    ev::watch_error(&e);
                    rescan = true;
                    continue;
                }
            };
            if event.need_rescan() {
                ev::watch_overflow("kernel reported lost events");
                rescan = true;
            }
            let fast = match event.kind {
                EventKind::Access(AccessKind::Close(AccessMode::Write)) if self.settings.ready_on_close => {
                    Some("closed")
                }
                EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
                    if self.settings.ready_on_close =>
                {
                    Some("renamed")
                }
                _ => None,
            };
            // For Name(Both) the destination is the last path.
            let paths: &[PathBuf] = if matches!(event.kind, EventKind::Modify(ModifyKind::Name(RenameMode::Both))) {
                &event.paths[event.paths.len().saturating_sub(1)..]
            } else {
                &event.paths
            };
            for p in paths {
                match self.inbox.stat(p) {
                    scan::Stat::File(fs) => self.note(fs, fast),
                    // A folder moved in brings files without their own events.
                    scan::Stat::Dir => rescan = true,
                    scan::Stat::Gone | scan::Stat::Ignored => {}
                }
            }
        }
        rescan
    }

    /// Record a (possibly) changed file as pending.
    fn note(&mut self, fs: FileStat, fast: Option<&'static str>) {
        let now = Instant::now();
        match self.pending.get_mut(&fs.rel) {
            Some(p) => {
                if p.size != fs.size || p.mtime_ns != fs.mtime_ns {
                    p.size = fs.size;
                    p.mtime_ns = fs.mtime_ns;
                    p.changed_at = now;
                    p.fast = None;
                }
                if fast.is_some() {
                    p.fast = fast;
                    self.fast_noted = true;
                }
            }
            None => {
                self.fast_noted |= fast.is_some();
                self.pending.insert(
                    fs.rel,
                    Pending { path: fs.path, size: fs.size, mtime_ns: fs.mtime_ns, changed_at: now, fast },
                );
            }
        }
    }

    /// Move settled pending files to the pipeline.
    async fn promote(&mut self) -> Result<(), WatchError> {
        for rel in self.inflight.take_rechecks() {
            if let scan::Stat::File(fs) = self.inbox.stat(&self.inbox.root().join(&rel)) {
                self.note(fs, None);
            }
        }
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut ready = Vec::new();
        let mut gone = Vec::new();
        for (rel, p) in self.pending.iter_mut() {
            if self.inflight.contains(rel) {
                continue; // look again after the current run of this file finishes
            }
            match self.inbox.stat(&p.path) {
                scan::Stat::File(fs) => {
                    if fs.size != p.size || fs.mtime_ns != p.mtime_ns {
                        p.size = fs.size;
                        p.mtime_ns = fs.mtime_ns;
                        p.changed_at = Instant::now();
                        p.fast = None;
                        continue;
                    }
                    let trigger = p.fast.or((p.changed_at.elapsed() >= self.settings.settle).then_some("settled"));
                    if let Some(t) = trigger {
                        ready.push((fs, t));
                    }
                }
                _ => gone.push(rel.clone()),
            }
        }
        for rel in gone {
            self.pending.remove(&rel);
        }
        ready.sort_by(|a, b| a.0.rel.cmp(&b.0.rel));
        let reader = self.ledger.reader()?;
        let mut to_queue = Vec::new();
        for (fs, t) in ready {
            self.pending.remove(&fs.rel);
            if needs_work(reader.bundle(&fs.rel)?.as_ref(), &fs) {
                to_queue.push((fs, t));
            }
        }
        drop(reader);
        for (fs, t) in to_queue {
            if !self.queue(fs, t).await {
                break;
            }
        }
        Ok(())
    }

    /// Compare the inbox with the ledger: queue new/changed files that are
    /// settled, make the rest pending, and note deletions.
    async fn full_scan(&mut self, reason: &'static str) -> Result<(), WatchError> {
        let started = Instant::now();
        let files = self.inbox.scan();
        let need = self.needs_work(&files)?;
        let seen: HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        let mut deleted = Vec::new();
        for (rel, st) in self.ledger.reader()?.bundles()? {
            if !st.deleted && !seen.contains(rel.as_str()) && !self.inflight.contains(&rel) {
                deleted.push((rel, st));
            }
        }
        drop(seen);
        for (rel, st) in deleted {
            ev::bundle_deleted(&rel, st.articles);
            self.ledger.put_bundle(&rel, BundleState { deleted: true, ..st })?;
        }
        let settle_ns = self.settings.settle.as_nanos() as i128;
        let wall = now_ns();
        let mut queued = 0;
        let n_files = files.len();
        for f in need {
            if self.inflight.contains(&f.rel) {
                continue;
            }
            // Old enough that no writer has touched it for settle_ms: ready now.
            if wall - f.mtime_ns >= settle_ns {
                let trigger = if reason == "startup" { "startup" } else { "scan" };
                self.pending.remove(&f.rel);
                if !self.queue(f, trigger).await {
                    break;
                }
                queued += 1;
            } else {
                self.note(f, None);
            }
        }
        ev::scan_done(n_files, queued, started.elapsed().as_millis(), reason);
        Ok(())
    }

    fn needs_work(&self, files: &[FileStat]) -> Result<Vec<FileStat>, WatchError> {
        let reader = self.ledger.reader()?;
        let mut out = Vec::new();
        for f in files {
            if needs_work(reader.bundle(&f.rel)?.as_ref(), f) {
                out.push(f.clone());
            }
        }
        Ok(out)
    }

    /// Hand a job to the pipeline (waits when the pipeline is full: backpressure).
    async fn queue(&mut self, f: FileStat, trigger: &'static str) -> bool {
        if !self.inflight.try_claim(&f.rel) {
            return true;
        }
        ev::bundle_queued(&f.rel, trigger);
        let job = BundleJob { rel: f.rel, path: f.path, size: f.size, mtime_ns: f.mtime_ns, trigger };
        self.heartbeat.store(now_ms(), Ordering::Relaxed);
        let ok = self.jobs.send(job).await.is_ok();
        self.heartbeat.store(now_ms(), Ordering::Relaxed);
        ok
    }
}

/// A file needs work unless the ledger has it with the same size and mtime.
fn needs_work(state: Option<&BundleState>, f: &FileStat) -> bool {
    match state {
        None => true,
        Some(st) => st.deleted || st.size != f.size || st.mtime_ns != f.mtime_ns,
    }
}

pub fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

fn now_ns() -> i128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as i128).unwrap_or(0)
}
