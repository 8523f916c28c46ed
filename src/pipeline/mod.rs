//! The pipeline: the runtime stages and the bounded channels between them.
//!
//! ```text
//! watcher ──BundleJob──▶ split stage ──Unit──▶ normalize stage ──Unit──▶ commit stage
//!                       (read + split,        (parallel,                (dedupe + sinks +
//!                        parallel, ordered)     ordered)                 ledger; one thread)
//! ```
//! The stateless stages run up to `workers` bundles/batches at once on
//! tokio's blocking pool but deliver results in input order (`buffered`), so
//! the single stateful stage sees bundles in the order the watcher queued
//! them. Every channel is bounded: a slow disk slows the watcher down instead
//! of growing memory.
//!
//! Core types: [`Unit`] (what flows between stages), [`BundleInfo`],
//! [`Pipeline`] (spawns and joins the stages).

pub mod commit;
pub mod stages;

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::config::Config;
use crate::ledger::Ledger;
use crate::model::{Article, BundleFormat, ItemReject, RawArticle, RejectReason};
use crate::normalize::Normalizer;
use crate::sink::{Sink, SinkError};
use crate::watch::{BundleJob, InFlight};

/// Facts about one bundle, shared by all of its units.
#[derive(Debug)]
pub struct BundleInfo {
    pub rel: String,
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: i128,
    pub sha256: Option<String>,
    pub format: Option<BundleFormat>,
    pub compressed: bool,
    pub encoding: &'static str,
}

impl BundleInfo {
    /// What is known before the file is read.
    pub fn for_job(job: &BundleJob) -> BundleInfo {
        BundleInfo {
            rel: job.rel.clone(),
            path: job.path.clone(),
            size: job.size,
            mtime_ns: job.mtime_ns,
            sha256: None,
            format: None,
            compressed: false,
            encoding: "utf-8",
        }
    }
}

/// The payload of a [`Unit`]. A bundle's units end with exactly one of
/// `End`, `FileReject`, `Unchanged`, `Retry`, `Vanished`.
#[derive(Debug)]
pub enum Body {
    /// Articles from split, not yet normalized.
    Raw(Vec<RawArticle>),
    /// Articles after normalize and extraction (or the reason one could not be used).
    Normalized(Vec<Result<Analyzed, ItemReject>>),
    /// Problems with single records in the bundle.
    ItemRejects(Vec<ItemReject>),
    /// The bundle is complete.
    End { articles: u32 },
    /// The whole bundle was rejected.
    FileReject { reason: RejectReason, quarantined: Option<String> },
    /// Same bytes as already processed (only the mtime changed).
    Unchanged,
    /// The file changed while being read; look again when it settles.
    Retry,
    /// The file disappeared before it could be read.
    Vanished,
}

/// A normalized article and the events extracted from it. Extraction runs
/// in the parallel stage right after normalize; the commit stage writes the
/// events only for articles that are not duplicates, in the same commit as
/// the article, which keeps events exactly-once with their article.
#[derive(Debug)]
pub struct Analyzed {
    pub article: Article,
    pub events: Vec<crate::extract::Event>,
    /// Near-duplicate / story fingerprint (computed here, in parallel).
    pub fingerprint: Option<crate::dedupe::Fingerprint>,
    /// For an undated article, the date-independent half of its extraction: it may inherit its
    /// story's date in the commit stage and is then extracted again from this.
    pub prepared: Option<crate::extract::Prepared>,
}

/// What flows between stages.
#[derive(Debug)]
pub struct Unit {
    pub info: Arc<BundleInfo>,
    pub body: Body,
}

/// Shared, read-only context of the stateless stages.
pub struct StageContext {
    pub split: crate::split::SplitConfig,
    pub normalizer: Normalizer,
    pub extractor: Option<crate::extract::Extractor>,
    pub near: Option<crate::dedupe::NearDupConfig>,
    pub ledger: Arc<Ledger>,
    pub max_bundle_bytes: u64,
    pub batch_articles: usize,
    pub quarantine_dir: Option<PathBuf>,
}

/// Fatal pipeline failures (output or ledger unusable).
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Sink(#[from] SinkError),
    #[error("pipeline stage panicked: {0}")]
    Panic(String),
}

/// Running stages; join them with [`Pipeline::finish`].
pub struct Pipeline {
    split: tokio::task::JoinHandle<()>,
    normalize: tokio::task::JoinHandle<()>,
    commit: std::thread::JoinHandle<Result<(), PipelineError>>,
    /// Fires if the commit stage stops with an error.
    pub failed: tokio::sync::oneshot::Receiver<String>,
}

impl Pipeline {
    /// Spawn all stages on the current runtime. Returns the job queue.
    pub fn spawn(
        cfg: &Config,
        extractor: Option<crate::extract::Extractor>,
        ledger: Arc<Ledger>,
        sink: Sink,
        inflight: Arc<InFlight>,
        progress: Option<indicatif::ProgressBar>,
    ) -> (mpsc::Sender<BundleJob>, Pipeline) {
        let f = &cfg.file;
        let cap = f.pipeline.channel_capacity;
        let ctx = Arc::new(StageContext {
            split: f.split.clone(),
            normalizer: Normalizer::new(&f.normalize).expect("validated in Config::load"),
            extractor: extractor.clone(),
            near: f.dedupe.enabled.then(|| f.dedupe.clone()),
            ledger,
            max_bundle_bytes: f.inbox.max_bundle_bytes,
            batch_articles: f.pipeline.batch_articles,
            quarantine_dir: f.output.quarantine.then(|| cfg.state_dir.join("quarantine")),
        });
        let (jobs_tx, jobs_rx) = mpsc::channel::<BundleJob>(cap);
        let (split_tx, split_rx) = mpsc::channel::<Unit>(cap);
        let (norm_tx, norm_rx) = mpsc::channel::<Unit>(cap);
        let workers = cfg.workers;
        let split = tokio::spawn(stages::split_stage(jobs_rx, split_tx, ctx.clone(), workers));
        let normalize = tokio::spawn(stages::normalize_stage(split_rx, norm_tx, ctx, workers));
        let (fail_tx, failed) = tokio::sync::oneshot::channel();
        let opts = crate::sink::records::RecordOptions {
            include_text: f.output.include_text,
            include_sentences: f.output.include_sentences,
            include_removed: f.output.include_removed,
        };
        let commit_max = commit::CommitLimits {
            articles: f.pipeline.commit_max_articles,
            bytes: f.pipeline.commit_max_kib.saturating_mul(1024),
        };
        let near_cfg = f.dedupe.enabled.then(|| f.dedupe.clone());
        // Incidents are made of events: no extraction, no timeline.
        let timeline_cfg = (f.timeline.enabled && extractor.is_some()).then(|| f.timeline.clone());
        let out_dir = f.output.dir.clone();
        let re_extractor = extractor;
        let commit = std::thread::Builder::new()
            .name("sitrep-commit".into())
            .spawn(move || {
                let res = commit::CommitStage::new(sink, inflight, opts, commit_max, progress, near_cfg).and_then(
                    |mut stage| {
                        stage.set_extractor(re_extractor);
                        stage.set_timeline(timeline_cfg, &out_dir)?;
                        stage.run(norm_rx)
                    },
                );
                if let Err(e) = &res {
                    let _ = fail_tx.send(e.to_string());
                }
                res
            })
            .expect("spawn commit thread");
        (jobs_tx, Pipeline { split, normalize, commit, failed })
    }

    /// Wait for every stage to drain and stop (after the job sender is dropped).
    pub async fn finish(self) -> Result<(), PipelineError> {
        let _ = self.split.await;
        let _ = self.normalize.await;
        let commit = self.commit;
        match tokio::task::spawn_blocking(move || commit.join()).await {
            Ok(Ok(res)) => res,
            Ok(Err(p)) => Err(PipelineError::Panic(panic_message(&p))),
            Err(e) => Err(PipelineError::Panic(e.to_string())),
        }
    }
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
