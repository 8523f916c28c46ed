//! The ledger: sitrep's crash-safe memory of what it has emitted.
//!
//! Core type: [`Ledger`], a [redb] database under the state folder. It holds
//! * `articles`: every emitted article id (→ byte offset of its line),
//! * `content`: normalized-content hash → id of the first article with it
//!   (the exact-duplicate index),
//! * `rejects`: every emitted reject id,
//! * `bundles`: per bundle path, the [`BundleState`] last processed,
//! * `meta`: the committed length of each output journal.
//!
//! Protocol (see `sink`): output lines are appended and fsynced first, then
//! one ledger transaction records them with the new journal lengths. A crash
//! after the append but before the commit leaves lines past the committed
//! length; on start, `sink::Journal::recover` feeds them back here, so nothing
//! is emitted twice and nothing written is forgotten.

use std::path::{Path, PathBuf};

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

const ARTICLES: TableDefinition<u128, u64> = TableDefinition::new("articles");
const CONTENT: TableDefinition<u128, u128> = TableDefinition::new("content");
const REJECTS: TableDefinition<u128, u64> = TableDefinition::new("rejects");
const BUNDLES: TableDefinition<&str, &[u8]> = TableDefinition::new("bundles");
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// Near-duplicate / story state, one row per assessed article in commit
/// order (key = sequence number), replayed at start-up to rebuild the
/// in-memory index; rows older than the rolling window are deleted.
const CLUSTER: TableDefinition<u64, &[u8]> = TableDefinition::new("cluster");
/// The incident timeline's open incidents (id → state) and, under id 0, its
/// window position; closed incidents are deleted.
const TIMELINE: TableDefinition<u128, &[u8]> = TableDefinition::new("timeline");

/// Page cache of the ledger database. 32 MiB filled with incident rows and
/// cost ≈ 47 MB of peak RSS on 28k articles against 8 MiB, at the same CPU
/// (BENCHMARKS.md, session 8): the hot pages are few, the OS caches the rest.
const LEDGER_CACHE_BYTES: usize = 8 << 20;

/// Ledger failures are fatal for the daemon: without the ledger it cannot
/// promise exactly-once output.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("ledger {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: redb::Error,
    },
    #[error("ledger: {0}")]
    Db(#[from] redb::Error),
    #[error("ledger: corrupt bundle state for {path}: {message}")]
    Corrupt { path: String, message: String },
}

fn db<E: Into<redb::Error>>(e: E) -> LedgerError {
    LedgerError::Db(e.into())
}

/// What sitrep last did with a bundle file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleState {
    pub size: u64,
    pub mtime_ns: i128,
    pub sha256: String,
    /// Articles found in the last processed version.
    pub articles: u32,
    /// The whole file was rejected.
    pub rejected: bool,
    /// The file was seen deleted (and logged once).
    pub deleted: bool,
}

/// One atomic unit of progress.
#[derive(Debug, Default)]
pub struct Commit {
    pub articles: Vec<(u128, u64)>,
    pub content: Vec<(u128, u128)>,
    pub rejects: Vec<(u128, u64)>,
    pub bundles: Vec<(String, BundleState)>,
    pub journal_lens: Vec<(&'static str, u64)>,
    /// Journals rotated: name → number of its newest rotated file.
    pub journal_segments: Vec<(&'static str, u64)>,
    /// New cluster rows (sequence number → blob).
    pub cluster_rows: Vec<(u64, Vec<u8>)>,
    /// Delete cluster rows with a sequence number below this.
    pub cluster_evict_below: Option<u64>,
    /// Timeline rows to upsert (Some) or delete (None), in order.
    pub timeline_rows: Vec<(u128, Option<Vec<u8>>)>,
}

impl Commit {
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
            && self.content.is_empty()
            && self.rejects.is_empty()
            && self.bundles.is_empty()
            && self.journal_lens.is_empty()
            && self.journal_segments.is_empty()
            && self.cluster_rows.is_empty()
            && self.cluster_evict_below.is_none()
            && self.timeline_rows.is_empty()
    }
}

/// `META` key of a journal's rotation counter (beside its committed length).
fn segment_key(name: &str) -> String {
    format!("{name}.segment")
}

/// The crash-safe store. Cheap to share behind an `Arc`.
pub struct Ledger {
    db: Database,
}

impl Ledger {
    /// Open or create the ledger at `path`. Fails if another process holds it.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        // redb caches up to 1 GiB of pages by default; the ledger's hot set
        // (recent ids, bundle states, journal lengths) is far smaller, and a
        // daemon that runs for months must not grow into that.
        let database = Database::builder()
            .set_cache_size(LEDGER_CACHE_BYTES)
            .create(path)
            .map_err(|e| LedgerError::Open { path: path.to_path_buf(), source: e.into() })?;
        // Create every table so readers never see "table does not exist".
        let tx = database.begin_write().map_err(db)?;
        tx.open_table(ARTICLES).map_err(db)?;
        tx.open_table(CONTENT).map_err(db)?;
        tx.open_table(REJECTS).map_err(db)?;
        tx.open_table(BUNDLES).map_err(db)?;
        tx.open_table(META).map_err(db)?;
        tx.open_table(CLUSTER).map_err(db)?;
        tx.open_table(TIMELINE).map_err(db)?;
        tx.commit().map_err(db)?;
        Ok(Ledger { db: database })
    }

    /// A consistent read view for a batch of look-ups.
    pub fn reader(&self) -> Result<Reader, LedgerError> {
        let tx = self.db.begin_read().map_err(db)?;
        Ok(Reader {
            articles: tx.open_table(ARTICLES).map_err(db)?,
            content: tx.open_table(CONTENT).map_err(db)?,
            rejects: tx.open_table(REJECTS).map_err(db)?,
            bundles: tx.open_table(BUNDLES).map_err(db)?,
            meta: tx.open_table(META).map_err(db)?,
            cluster: tx.open_table(CLUSTER).map_err(db)?,
            timeline: tx.open_table(TIMELINE).map_err(db)?,
        })
    }

    /// Apply a [`Commit`] in one durable transaction.
    pub fn commit(&self, c: &Commit) -> Result<(), LedgerError> {
        let tx = self.db.begin_write().map_err(db)?;
        {
            let mut t = tx.open_table(ARTICLES).map_err(db)?;
            for (id, off) in &c.articles {
                t.insert(id, off).map_err(db)?;
            }
            let mut t = tx.open_table(CONTENT).map_err(db)?;
            for (h, id) in &c.content {
                // First seen stays canonical.
                if t.get(h).map_err(db)?.is_none() {
                    t.insert(h, id).map_err(db)?;
                }
            }
            let mut t = tx.open_table(REJECTS).map_err(db)?;
            for (id, off) in &c.rejects {
                t.insert(id, off).map_err(db)?;
            }
            let mut t = tx.open_table(BUNDLES).map_err(db)?;
            for (path, st) in &c.bundles {
                let bytes = serde_json::to_vec(st).expect("BundleState serializes");
                t.insert(path.as_str(), bytes.as_slice()).map_err(db)?;
            }
            let mut t = tx.open_table(META).map_err(db)?;
            for (name, len) in &c.journal_lens {
                t.insert(*name, len).map_err(db)?;
            }
            for (name, seg) in &c.journal_segments {
                t.insert(segment_key(name).as_str(), seg).map_err(db)?;
            }
            let mut t = tx.open_table(CLUSTER).map_err(db)?;
            for (seq, blob) in &c.cluster_rows {
                t.insert(seq, blob.as_slice()).map_err(db)?;
            }
            if let Some(below) = c.cluster_evict_below {
                t.retain_in(..below, |_, _| false).map_err(db)?;
            }
            let mut t = tx.open_table(TIMELINE).map_err(db)?;
            for (id, row) in &c.timeline_rows {
                match row {
                    Some(blob) => t.insert(id, blob.as_slice()).map_err(db)?,
                    None => t.remove(id).map_err(db)?,
                };
            }
        }
        tx.commit().map_err(db)?;
        Ok(())
    }

    /// Record a bundle state on its own (deletions, unchanged content).
    pub fn put_bundle(&self, path: &str, st: BundleState) -> Result<(), LedgerError> {
        self.commit(&Commit { bundles: vec![(path.to_string(), st)], ..Default::default() })
    }
}

/// A read transaction with the tables open.
pub struct Reader {
    articles: redb::ReadOnlyTable<u128, u64>,
    content: redb::ReadOnlyTable<u128, u128>,
    rejects: redb::ReadOnlyTable<u128, u64>,
    bundles: redb::ReadOnlyTable<&'static str, &'static [u8]>,
    meta: redb::ReadOnlyTable<&'static str, u64>,
    cluster: redb::ReadOnlyTable<u64, &'static [u8]>,
    timeline: redb::ReadOnlyTable<u128, &'static [u8]>,
}

impl Reader {
    pub fn has_article(&self, id: u128) -> Result<bool, LedgerError> {
        Ok(self.articles.get(id).map_err(db)?.is_some())
    }

    pub fn first_with_content(&self, hash: u128) -> Result<Option<u128>, LedgerError> {
        Ok(self.content.get(hash).map_err(db)?.map(|v| v.value()))
    }

    pub fn has_reject(&self, id: u128) -> Result<bool, LedgerError> {
        Ok(self.rejects.get(id).map_err(db)?.is_some())
    }

    pub fn bundle(&self, path: &str) -> Result<Option<BundleState>, LedgerError> {
        match self.bundles.get(path).map_err(db)? {
            None => Ok(None),
            Some(v) => serde_json::from_slice(v.value())
                .map(Some)
                .map_err(|e| LedgerError::Corrupt { path: path.into(), message: e.to_string() }),
        }
    }

    /// Every bundle the ledger knows, for the reconciliation scan.
    pub fn bundles(&self) -> Result<Vec<(String, BundleState)>, LedgerError> {
        let mut out = Vec::new();
        for row in self.bundles.iter().map_err(db)? {
            let (k, v) = row.map_err(db)?;
            let st: BundleState = serde_json::from_slice(v.value())
                .map_err(|e| LedgerError::Corrupt { path: k.value().into(), message: e.to_string() })?;
            out.push((k.value().to_string(), st));
        }
        Ok(out)
    }

    pub fn journal_len(&self, name: &str) -> Result<u64, LedgerError> {
        Ok(self.meta.get(name).map_err(db)?.map(|v| v.value()).unwrap_or(0))
    }

    /// Number of the journal's newest rotated file (0: never rotated; ledgers
    /// written before rotation existed have no entry and read as 0).
    pub fn journal_segment(&self, name: &str) -> Result<u64, LedgerError> {
        Ok(self.meta.get(segment_key(name).as_str()).map_err(db)?.map(|v| v.value()).unwrap_or(0))
    }

    /// Cluster rows in sequence order, calling `f(seq, blob)` for each.
    pub fn for_each_cluster_row(&self, mut f: impl FnMut(u64, &[u8])) -> Result<(), LedgerError> {
        for row in self.cluster.iter().map_err(db)? {
            let (k, v) = row.map_err(db)?;
            f(k.value(), v.value());
        }
        Ok(())
    }

    /// Cluster rows in order until `f` returns false.
    pub fn scan_cluster_rows(&self, mut f: impl FnMut(u64, &[u8]) -> bool) -> Result<(), LedgerError> {
        for row in self.cluster.iter().map_err(db)? {
            let (k, v) = row.map_err(db)?;
            if !f(k.value(), v.value()) {
                break;
            }
        }
        Ok(())
    }

    /// Timeline rows in id order (id 0, the window head, first).
    pub fn for_each_timeline_row(&self, mut f: impl FnMut(u128, &[u8])) -> Result<(), LedgerError> {
        for row in self.timeline.iter().map_err(db)? {
            let (k, v) = row.map_err(db)?;
            f(k.value(), v.value());
        }
        Ok(())
    }

    /// The next free cluster sequence number.
    pub fn next_cluster_seq(&self) -> Result<u64, LedgerError> {
        Ok(self.cluster.last().map_err(db)?.map(|(k, _)| k.value() + 1).unwrap_or(0))
    }

    pub fn article_count(&self) -> Result<u64, LedgerError> {
        use redb::ReadableTableMetadata;
        self.articles.len().map_err(db)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_is_durable_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ledger.redb");
        {
            let l = Ledger::open(&p).unwrap();
            let st = BundleState {
                size: 10,
                mtime_ns: 5,
                sha256: "ab".into(),
                articles: 2,
                rejected: false,
                deleted: false,
            };
            l.commit(&Commit {
                articles: vec![(1, 0), (2, 100)],
                content: vec![(7, 1), (7, 2)],
                rejects: vec![(9, 0)],
                bundles: vec![("a.txt".into(), st)],
                journal_lens: vec![("articles", 200)],
                journal_segments: vec![("events", 3)],
                cluster_rows: vec![(0, vec![1]), (1, vec![2]), (2, vec![3])],
                cluster_evict_below: None,
                timeline_rows: vec![(5, Some(vec![5])), (6, Some(vec![6]))],
            })
            .unwrap();
            l.commit(&Commit { timeline_rows: vec![(5, None)], ..Default::default() }).unwrap();
        }
        let l = Ledger::open(&p).unwrap();
        let r = l.reader().unwrap();
        assert!(r.has_article(1).unwrap());
        assert_eq!(r.journal_segment("events").unwrap(), 3);
        assert_eq!(r.journal_segment("articles").unwrap(), 0, "never rotated");
        assert_eq!(r.journal_len("articles").unwrap(), 200, "the counter does not shadow the length");
        assert!(r.has_article(2).unwrap());
        assert!(!r.has_article(3).unwrap());
        assert_eq!(r.first_with_content(7).unwrap(), Some(1), "first seen stays canonical");
        assert!(r.has_reject(9).unwrap());
        assert_eq!(r.journal_len("articles").unwrap(), 200);
        assert_eq!(r.bundle("a.txt").unwrap().unwrap().articles, 2);
        assert_eq!(r.bundles().unwrap().len(), 1);
        assert_eq!(r.article_count().unwrap(), 2);
        assert_eq!(r.next_cluster_seq().unwrap(), 3);
        drop(r);
        l.commit(&Commit { cluster_evict_below: Some(2), ..Default::default() }).unwrap();
        let mut rows = Vec::new();
        l.reader().unwrap().for_each_cluster_row(|k, v| rows.push((k, v.to_vec()))).unwrap();
        assert_eq!(rows, vec![(2, vec![3])], "rows below the window are evicted");
        let mut t = Vec::new();
        l.reader().unwrap().for_each_timeline_row(|k, v| t.push((k, v.to_vec()))).unwrap();
        assert_eq!(t, vec![(6, vec![6])], "closed incidents are deleted");
    }

    #[test]
    fn second_open_of_same_ledger_fails() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ledger.redb");
        let _l = Ledger::open(&p).unwrap();
        assert!(Ledger::open(&p).is_err());
    }
}
