//! The service: wires watcher, pipeline and sinks together, handles signals,
//! systemd notification and graceful shutdown.
//!
//! * `sitrep run`  — [`run`] with [`Mode::Run`]: watch until SIGTERM/SIGINT,
//!   then stop watching, drain in-flight bundles, flush, exit 0. SIGHUP
//!   triggers an immediate reconciliation scan. A second SIGINT/SIGTERM
//!   during the drain exits at once (safe: output is crash-consistent).
//! * `sitrep once` — [`Mode::Once`]: process what is in the inbox now, exit.
//!
//! Errors here are the *critical* ones (exit non-zero); per-bundle problems
//! never reach this level, they become reject records.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::{mpsc, oneshot, watch};
use tracing::{info, warn};

use crate::config::Config;
use crate::internal_events::{self as ev, STATS};
use crate::ledger::{Ledger, LedgerError};
use crate::pipeline::{Pipeline, PipelineError};
use crate::sink::{Sink, SinkError};
use crate::watch::{InFlight, Inbox, WatchError, WatchSettings, Watcher};

/// Fatal errors: bad paths, unwritable output, ledger failures.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error("inbox {path}: {source}")]
    Inbox {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot create {path}: {source}")]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Sink(#[from] SinkError),
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error(transparent)]
    Watch(#[from] WatchError),
    #[error("cannot install signal handler: {0}")]
    Signal(std::io::Error),
    #[error("output stage failed: {0}")]
    Failed(String),
    #[error(transparent)]
    Extract(#[from] crate::extract::ExtractConfigError),
}

/// `run` (watch forever) or `once` (backfill and exit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Run,
    Once { progress: bool },
}

/// Open everything that must work before any bundle is touched.
fn prepare(cfg: &Config) -> Result<(Inbox, Arc<Ledger>, Sink), DaemonError> {
    let f = &cfg.file;
    for dir in [&f.output.dir, &cfg.state_dir] {
        std::fs::create_dir_all(dir).map_err(|source| DaemonError::Output { path: dir.clone(), source })?;
    }
    let inbox = Inbox::new(&f.inbox.path, cfg.ignore.clone())
        .map_err(|source| DaemonError::Inbox { path: f.inbox.path.clone(), source })?;
    let ledger = Arc::new(Ledger::open(&cfg.state_dir.join("ledger.redb"))?);
    let opts = crate::sink::SinkOptions {
        fsync: f.output.fsync,
        rotate_bytes: f.output.rotate_kib.saturating_mul(1024),
        keep_rotated: f.output.keep_rotated,
        write_buffer_bytes: f.output.write_buffer_kib.saturating_mul(1024),
    };
    let sink = Sink::open(&f.output.dir, ledger.clone(), opts)?;
    Ok((inbox, ledger, sink))
}

/// Run the daemon until done (once) or signalled (run).
pub async fn run(cfg: Config, mode: Mode) -> Result<(), DaemonError> {
    let (inbox, ledger, sink) = prepare(&cfg)?;
    let started = std::time::Instant::now();
    let extractor = match cfg.file.extract.enabled {
        true => Some(crate::extract::Extractor::new(&cfg.file.extract)?),
        false => None,
    };
    info!(elapsed_ms = started.elapsed().as_millis() as u64, "extractor ready");
    let settings = WatchSettings {
        settle: Duration::from_millis(cfg.file.inbox.settle_ms),
        scan_interval: Duration::from_millis(cfg.file.inbox.scan_interval_ms),
        ready_on_close: cfg.file.inbox.ready_on_close,
    };
    let inflight = Arc::new(InFlight::default());
    info!(
        inbox = %inbox.root().display(),
        out = %cfg.file.output.dir.display(),
        state = %cfg.state_dir.display(),
        workers = cfg.workers,
        "sitrep starting"
    );
    let mut sigterm = signal(SignalKind::terminate()).map_err(DaemonError::Signal)?;
    let mut sigint = signal(SignalKind::interrupt()).map_err(DaemonError::Signal)?;
    let mut sighup = signal(SignalKind::hangup()).map_err(DaemonError::Signal)?;

    match mode {
        Mode::Once { progress } => {
            let progress = progress.then(|| -> Result<_, DaemonError> {
                let total =
                    Watcher::new(inbox.clone(), ledger.clone(), settings.clone(), mpsc::channel(1).0, inflight.clone())
                        .count_pending_work()?;
                Ok(progress_bar(total as u64))
            });
            let progress = progress.transpose()?;
            let (jobs, mut pipeline) =
                Pipeline::spawn(&cfg, extractor.clone(), ledger.clone(), sink, inflight.clone(), progress);
            let watcher = Watcher::new(inbox, ledger, settings, jobs, inflight);
            let queued = tokio::select! {
                r = watcher.run_once() => Some(r?),
                _ = sigterm.recv() => None,
                _ = sigint.recv() => None,
                f = &mut pipeline.failed => return Err(DaemonError::Failed(f.unwrap_or_default())),
            };
            if queued.is_none() {
                info!("signal received: finishing queued bundles, then exiting");
            }
            drain(pipeline, &mut sigterm, &mut sigint).await?;
            info!(summary = %STATS.summary(), "done");
            Ok(())
        }
        Mode::Run => {
            let (jobs, mut pipeline) =
                Pipeline::spawn(&cfg, extractor.clone(), ledger.clone(), sink, inflight.clone(), None);
            let watcher = Watcher::new(inbox, ledger, settings, jobs, inflight);
            let heartbeat = watcher.heartbeat.clone();
            let (stop_tx, stop_rx) = watch::channel(false);
            let (rescan_tx, rescan_rx) = mpsc::channel(1);
            let (ready_tx, ready_rx) = oneshot::channel();
            let mut wtask = tokio::spawn(watcher.run(stop_rx, rescan_rx, ready_tx));
            let helpers = tokio::spawn(supervise(ready_rx, heartbeat, cfg.file.log.stats_interval_ms));
            let outcome = loop {
                tokio::select! {
                    _ = sigterm.recv() => break Ok("SIGTERM"),
                    _ = sigint.recv() => break Ok("SIGINT"),
                    _ = sighup.recv() => {
                        info!("SIGHUP: rescanning the inbox");
                        let _ = rescan_tx.try_send(());
                    }
                    f = &mut pipeline.failed => break Err(DaemonError::Failed(f.unwrap_or_default())),
                    w = &mut wtask => break match w {
                        Ok(Ok(())) => Ok("watcher stopped"),
                        Ok(Err(e)) => Err(e.into()),
                        Err(e) => Err(DaemonError::Failed(format!("watcher panicked: {e}"))),
                    },
                }
            };
            let _ = sd_notify::notify(&[sd_notify::NotifyState::Stopping]);
            helpers.abort();
            let _ = stop_tx.send(true);
            let why = outcome?;
            info!(reason = why, "stopping: draining in-flight bundles");
            if !wtask.is_finished() {
                match wtask.await {
                    Ok(r) => r?,
                    Err(e) => return Err(DaemonError::Failed(format!("watcher panicked: {e}"))),
                }
            }
            drain(pipeline, &mut sigterm, &mut sigint).await?;
            info!(summary = %STATS.summary(), "stopped cleanly");
            Ok(())
        }
    }
}

/// Wait for the stages to finish; a second signal exits immediately.
async fn drain(
    pipeline: Pipeline,
    sigterm: &mut tokio::signal::unix::Signal,
    sigint: &mut tokio::signal::unix::Signal,
) -> Result<(), DaemonError> {
    tokio::select! {
        r = pipeline.finish() => Ok(r?),
        _ = sigterm.recv() => { warn!("second signal: exiting without draining (state is crash-safe)"); std::process::exit(130) }
        _ = sigint.recv() => { warn!("second signal: exiting without draining (state is crash-safe)"); std::process::exit(130) }
    }
}

/// systemd integration: READY after the start-up scan, watchdog pings while
/// the watcher loop is alive, STATUS lines, and the periodic stats log line.
async fn supervise(ready: oneshot::Receiver<()>, heartbeat: Arc<std::sync::atomic::AtomicU64>, stats_ms: u64) {
    if ready.await.is_err() {
        return;
    }
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Ready, sd_notify::NotifyState::Status("watching")]);
    info!(summary = %STATS.summary(), "ready: start-up scan done, watching for bundles");
    let watchdog = sd_notify::watchdog_enabled();
    let tick = match watchdog {
        Some(w) => (w / 2).min(Duration::from_secs(5)),
        None => Duration::from_secs(5),
    };
    let mut interval = tokio::time::interval(tick);
    let mut last_stats = std::time::Instant::now();
    loop {
        interval.tick().await;
        if let Some(w) = watchdog {
            // Only ping while the watcher loop is turning: a wedged daemon gets restarted.
            let age = crate::watch::now_ms().saturating_sub(heartbeat.load(Ordering::Relaxed));
            if Duration::from_millis(age) < w {
                let _ = sd_notify::notify(&[sd_notify::NotifyState::Watchdog]);
            }
        }
        let status = STATS.summary();
        let _ = sd_notify::notify(&[sd_notify::NotifyState::Status(&status)]);
        if stats_ms > 0 && last_stats.elapsed() >= Duration::from_millis(stats_ms) {
            last_stats = std::time::Instant::now();
            ev::stats_tick();
        }
    }
}

fn progress_bar(total: u64) -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::stderr());
    pb.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}  ETA {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    pb.enable_steady_tick(Duration::from_millis(200));
    pb
}

/// Progress is shown only on an interactive terminal, never under systemd.
pub fn want_progress() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("JOURNAL_STREAM").is_none()
        && std::env::var_os("INVOCATION_ID").is_none()
}
