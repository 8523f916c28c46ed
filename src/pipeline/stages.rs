//! The stateless stages: **split** (read a bundle, check it, cut it into
//! articles) and **normalize** (clean, date, attribute each article).
//!
//! Both run work on tokio's blocking pool, at most `workers` items at once,
//! and emit results in input order.

use std::future::Future;
use std::io::Read;
use std::pin::Pin;
use std::sync::Arc;

use futures::StreamExt;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use super::{Body, BundleInfo, StageContext, Unit};
use crate::internal_events as ev;
use crate::model::{ItemReject, RejectReason};
use crate::watch::scan::mtime_ns;
use crate::watch::BundleJob;

type BoxFut<T> = Pin<Box<dyn Future<Output = T> + Send>>;

fn recv_stream<T: Send + 'static>(mut rx: mpsc::Receiver<T>) -> impl futures::Stream<Item = T> {
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

/// What a split worker produced for one job.
enum Split {
    /// The bundle's units, computed in parallel.
    Units(Vec<Unit>),
    /// A WARC archive: streamed in order when its turn comes (never whole in memory).
    Stream(BundleJob),
}

/// WARC archives are read as a stream (CC-NEWS files are ~1 GB).
pub fn is_streamed(rel: &str) -> bool {
    let l = rel.to_ascii_lowercase();
    l.ends_with(".warc") || l.ends_with(".warc.gz")
}

/// split: `BundleJob` → the bundle's units.
pub async fn split_stage(
    jobs: mpsc::Receiver<BundleJob>,
    out: mpsc::Sender<Unit>,
    ctx: Arc<StageContext>,
    workers: usize,
) {
    let mut results = recv_stream(jobs)
        .map(|job| -> BoxFut<Split> {
            if is_streamed(&job.rel) {
                return Box::pin(futures::future::ready(Split::Stream(job)));
            }
            let ctx = ctx.clone();
            Box::pin(async move {
                Split::Units(
                    tokio::task::spawn_blocking(move || read_and_split(job, &ctx))
                        .await
                        .expect("split worker panicked"),
                )
            })
        })
        .buffered(workers.max(1));
    while let Some(res) = results.next().await {
        match res {
            Split::Units(units) => {
                for u in units {
                    if out.send(u).await.is_err() {
                        return; // commit stage stopped (fatal error); nothing more to do
                    }
                }
            }
            Split::Stream(job) => {
                let (ctx, out) = (ctx.clone(), out.clone());
                let ok = tokio::task::spawn_blocking(move || stream_warc(job, &ctx, &out))
                    .await
                    .expect("WARC reader panicked");
                if !ok {
                    return;
                }
            }
        }
    }
}

/// Stream a WARC archive into units: hash it first (one sequential read),
/// then read records one at a time. Returns false if the pipeline closed.
fn stream_warc(job: BundleJob, ctx: &StageContext, out: &mpsc::Sender<Unit>) -> bool {
    let compressed = job.rel.to_ascii_lowercase().ends_with(".gz");
    let mut info = BundleInfo::for_job(&job);
    info.format = Some(crate::model::BundleFormat::Warc);
    info.compressed = compressed;
    let send = |u: Unit| out.blocking_send(u).is_ok();
    let before = match std::fs::metadata(&job.path) {
        Ok(m) => m,
        Err(_) => return send(Unit { info: Arc::new(info), body: Body::Vanished }),
    };
    info.size = before.len();
    info.mtime_ns = mtime_ns(&before);
    let sha = match sha256_file(&job.path) {
        Ok(s) => s,
        Err(e) => {
            let reason = RejectReason::Io(e.to_string());
            return send(Unit { info: Arc::new(info), body: Body::FileReject { reason, quarantined: None } });
        }
    };
    ev::bytes_read(info.size);
    info.sha256 = Some(sha.clone());
    if let Ok(Some(st)) = ctx.ledger.reader().and_then(|r| r.bundle(&job.rel)) {
        if st.sha256 == sha && !st.deleted {
            return send(Unit { info: Arc::new(info), body: Body::Unchanged });
        }
    }
    let file = match std::fs::File::open(&job.path) {
        Ok(f) => f,
        Err(_) => return send(Unit { info: Arc::new(info), body: Body::Vanished }),
    };
    let info = Arc::new(info);
    let mut it =
        crate::split::warc::warc_articles(std::io::BufReader::with_capacity(1 << 20, file), compressed, &ctx.split);
    let (mut batch, mut rejects, mut n) = (Vec::new(), Vec::new(), 0u32);
    for item in it.by_ref() {
        match item {
            Ok(mut a) => {
                a.index = n;
                n += 1;
                batch.push(a);
                if batch.len() >= ctx.batch_articles
                    && !send(Unit { info: info.clone(), body: Body::Raw(std::mem::take(&mut batch)) })
                {
                    return false;
                }
            }
            Err(r) => rejects.push(r),
        }
    }
    ev::warc_skipped(&job.rel, it.records(), &it.skipped().by_reason);
    if !batch.is_empty() && !send(Unit { info: info.clone(), body: Body::Raw(batch) }) {
        return false;
    }
    if !rejects.is_empty() && !send(Unit { info: info.clone(), body: Body::ItemRejects(rejects) }) {
        return false;
    }
    // Articles already sent stay sent (their ids are content-based); a file
    // that changed meanwhile is simply looked at again.
    let changed =
        std::fs::metadata(&job.path).map(|m| m.len() != info.size || mtime_ns(&m) != info.mtime_ns).unwrap_or(true);
    let body = if changed { Body::Retry } else { Body::End { articles: n } };
    send(Unit { info, body })
}

fn sha256_file(path: &std::path::Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

/// normalize: `Body::Raw` batches → `Body::Normalized`; other units pass through in order.
pub async fn normalize_stage(
    input: mpsc::Receiver<Unit>,
    out: mpsc::Sender<Unit>,
    ctx: Arc<StageContext>,
    workers: usize,
) {
    let mut results = recv_stream(input)
        .map(|unit| -> BoxFut<Unit> {
            match unit.body {
                Body::Raw(raws) => {
                    let ctx = ctx.clone();
                    let info = unit.info;
                    Box::pin(async move {
                        let i2 = info.clone();
                        let done = tokio::task::spawn_blocking(move || {
                            raws.into_iter()
                                .map(|raw| {
                                    let (line, bs, be) = (raw.line, raw.byte_start, raw.byte_end);
                                    ctx.normalizer
                                        .normalize(raw, &i2.rel)
                                        .map(|article| {
                                            let (events, prepared) = match &ctx.extractor {
                                                Some(x) => {
                                                    let p = x.prepare(&article);
                                                    // Only an undated article may be re-dated later.
                                                    if article.published.date.is_none() {
                                                        (x.extract_prepared(&article, &p), Some(p))
                                                    } else {
                                                        (x.extract_prepared_owned(&article, p), None)
                                                    }
                                                }
                                                None => (Vec::new(), None),
                                            };
                                            let fingerprint =
                                                ctx.near.as_ref().map(|c| crate::dedupe::fingerprint(&article, c));
                                            super::Analyzed { article, events, fingerprint, prepared }
                                        })
                                        .map_err(|reason| ItemReject { line, byte_start: bs, byte_end: be, reason })
                                })
                                .collect::<Vec<_>>()
                        })
                        .await
                        .expect("normalize worker panicked");
                        Unit { info, body: Body::Normalized(done) }
                    })
                }
                body => Box::pin(futures::future::ready(Unit { info: unit.info, body })),
            }
        })
        .buffered(workers.max(1));
    while let Some(u) = results.next().await {
        if out.send(u).await.is_err() {
            return;
        }
    }
}

/// Read one bundle from disk, make sure it did not change meanwhile, split it.
pub fn read_and_split(job: BundleJob, ctx: &StageContext) -> Vec<Unit> {
    let mut info = BundleInfo::for_job(&job);
    let one = |info: BundleInfo, body: Body| vec![Unit { info: Arc::new(info), body }];

    let before = match std::fs::metadata(&job.path) {
        Ok(m) => m,
        Err(_) => {
            ev::bundle_vanished(&job.rel);
            return one(info, Body::Vanished);
        }
    };
    info.size = before.len();
    info.mtime_ns = mtime_ns(&before);
    if info.size > ctx.max_bundle_bytes {
        let reason = RejectReason::TooLarge { size: info.size, limit: ctx.max_bundle_bytes };
        return one(info, Body::FileReject { reason, quarantined: None });
    }
    let bytes = match read_file(&job.path, info.size) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return one(info, Body::Vanished),
        Err(e) => {
            let reason = RejectReason::Io(e.to_string());
            return one(info, Body::FileReject { reason, quarantined: None });
        }
    };
    ev::bytes_read(bytes.len() as u64);
    // A writer still at work: sizes or mtimes differ. Never split half a file.
    match std::fs::metadata(&job.path) {
        Ok(after)
            if after.len() == info.size && mtime_ns(&after) == info.mtime_ns && bytes.len() as u64 == info.size => {}
        Ok(_) => {
            ev::bundle_changed_while_reading(&job.rel);
            return one(info, Body::Retry);
        }
        Err(_) => return one(info, Body::Vanished),
    }
    let sha = hex(&Sha256::digest(&bytes));
    info.sha256 = Some(sha.clone());

    // Same bytes as last time (e.g. `touch`): nothing to split.
    if let Ok(r) = ctx.ledger.reader() {
        if let Ok(Some(st)) = r.bundle(&job.rel) {
            if st.sha256 == sha && !st.deleted {
                return one(info, Body::Unchanged);
            }
        }
    }

    match crate::split::split_bundle(&job.rel, &bytes, &ctx.split) {
        Err(reason) => {
            let quarantined = ctx.quarantine_dir.as_deref().and_then(|dir| quarantine(dir, &job.rel, &sha, &bytes));
            one(info, Body::FileReject { reason, quarantined })
        }
        Ok(out) => {
            info.format = Some(out.format);
            info.compressed = out.compressed;
            info.encoding = out.encoding;
            let info = Arc::new(info);
            let n = out.articles.len() as u32;
            let mut units = Vec::new();
            let mut articles = out.articles;
            while !articles.is_empty() {
                let rest = articles.split_off(articles.len().min(ctx.batch_articles));
                units.push(Unit { info: info.clone(), body: Body::Raw(articles) });
                articles = rest;
            }
            if !out.rejects.is_empty() {
                units.push(Unit { info: info.clone(), body: Body::ItemRejects(out.rejects) });
            }
            units.push(Unit { info, body: Body::End { articles: n } });
            units
        }
    }
}

fn read_file(path: &std::path::Path, size_hint: u64) -> std::io::Result<Vec<u8>> {
    let f = std::fs::File::open(path)?;
    let mut buf = Vec::with_capacity(size_hint as usize + 1);
    // Read at most one byte past the stat'ed size: growth is detected below.
    f.take(size_hint + 1).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Keep a copy of a rejected file; returns its path relative to the state dir.
fn quarantine(dir: &std::path::Path, rel: &str, sha: &str, bytes: &[u8]) -> Option<String> {
    let name = rel.replace('/', "__");
    let file = format!("{}-{}", &sha[..16], name);
    let res = std::fs::create_dir_all(dir).and_then(|_| std::fs::write(dir.join(&file), bytes));
    match res {
        Ok(()) => Some(format!("quarantine/{file}")),
        Err(e) => {
            ev::quarantine_failed(rel, &e);
            None
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
