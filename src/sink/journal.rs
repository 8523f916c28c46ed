//! [`Journal`]: one append-only NDJSON file.
//!
//! Lines are written whole ([`Journal::write`]: `write_all`, no sync) as the
//! commit stage produces them, and made durable once per group commit
//! ([`Journal::sync`]: `fdatasync`) before the ledger records the new length.
//! A crash can still leave a torn last line; `open` truncates it (the data was
//! never committed to the ledger, so it will be produced again).

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::SinkError;

/// One output file, opened for append.
pub struct Journal {
    pub name: &'static str,
    path: PathBuf,
    file: File,
    len: u64,
    fsync: bool,
    /// Written since the last sync.
    dirty: bool,
}

/// The fields recovery needs from a line written before a crash.
#[derive(Debug)]
pub struct Replayed {
    pub offset: u64,
    pub id: Option<u128>,
    pub hash: Option<u128>,
    pub is_duplicate: bool,
}

impl Journal {
    /// Open or create `path`, truncating a torn final line.
    pub fn open(path: &Path, name: &'static str, fsync: bool) -> Result<Journal, SinkError> {
        let existed = path.exists();
        let mut file =
            OpenOptions::new().read(true).append(true).create(true).open(path).map_err(|e| SinkError::io(path, e))?;
        let mut len = file.metadata().map_err(|e| SinkError::io(path, e))?.len();
        if len > 0 {
            let keep = complete_prefix_len(&mut file, len).map_err(|e| SinkError::io(path, e))?;
            if keep < len {
                crate::internal_events::torn_tail_repaired(path, len - keep);
                file.set_len(keep).map_err(|e| SinkError::io(path, e))?;
                file.sync_all().map_err(|e| SinkError::io(path, e))?;
                len = keep;
            }
        }
        if !existed && fsync {
            // Make the new directory entry durable too.
            if let Some(dir) = path.parent() {
                if let Ok(d) = File::open(dir) {
                    let _ = d.sync_all();
                }
            }
        }
        Ok(Journal { name, path: path.to_path_buf(), file, len, fsync, dirty: false })
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append whole lines and make them durable. Returns the offset they start at.
    pub fn append(&mut self, lines: &[u8]) -> Result<u64, SinkError> {
        let at = self.write(lines)?;
        self.sync()?;
        Ok(at)
    }

    /// Append whole lines without syncing them (see [`Journal::sync`]).
    /// Returns the offset they start at.
    pub fn write(&mut self, lines: &[u8]) -> Result<u64, SinkError> {
        debug_assert!(lines.is_empty() || lines.ends_with(b"\n"));
        let at = self.len;
        if let Err(e) = self.file.write_all(lines) {
            // Undo a partial append so the file never keeps half a batch.
            let _ = self.file.set_len(at);
            return Err(SinkError::io(&self.path, e));
        }
        self.len += lines.len() as u64;
        self.dirty |= !lines.is_empty();
        Ok(at)
    }

    /// Make everything written so far durable (`fdatasync`, when the journal
    /// syncs at all and something was written since the last sync).
    pub fn sync(&mut self) -> Result<(), SinkError> {
        if self.fsync && self.dirty {
            self.file.sync_data().map_err(|e| SinkError::io(&self.path, e))?;
        }
        self.dirty = false;
        Ok(())
    }

    /// Read the lines from `offset` to the end (written but maybe not committed).
    pub fn replay_from(&mut self, offset: u64) -> Result<Vec<Replayed>, SinkError> {
        if offset > self.len {
            crate::internal_events::journal_shorter_than_ledger(&self.path, offset, self.len);
        }
        let mut pos = offset;
        let mut out = Vec::new();
        for line in self.tail_lines(offset)? {
            out.push(parse_replayed(pos, &line));
            pos += line.len() as u64;
        }
        Ok(out)
    }
}

/// Name of a journal's rotated file number `segment`: `articles.ndjson`
/// → `articles-000001.ndjson`, so `cat articles-*.ndjson articles.ndjson`
/// is the whole stream in order.
pub fn rotated_path(path: &Path, segment: u64) -> PathBuf {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("journal");
    path.with_file_name(format!("{stem}-{segment:06}.ndjson"))
}

/// The number of a rotated file of `stem` (`articles-000012.ndjson` → 12).
pub fn rotated_number(stem: &str, file_name: &str) -> Option<u64> {
    let digits = file_name.strip_prefix(stem)?.strip_prefix('-')?.strip_suffix(".ndjson")?;
    (digits.len() >= 6 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
}

fn sync_dir(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(dir) => File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

impl Journal {
    /// Close the current file as rotated file number `segment` and start an
    /// empty one under the journal's name. Called only right after a ledger
    /// commit, so everything in the file is committed; the caller records
    /// the new segment and length 0 in the ledger next (a crash in between is
    /// finished by [`finish_interrupted_rotation`]).
    pub fn rotate(&mut self, segment: u64) -> Result<PathBuf, SinkError> {
        let to = rotated_path(&self.path, segment);
        if to.exists() {
            // Never overwrite output: the counter and the folder disagree.
            return Err(SinkError::io(
                &to,
                std::io::Error::new(std::io::ErrorKind::AlreadyExists, "rotated output file already exists"),
            ));
        }
        if self.fsync {
            self.file.sync_all().map_err(|e| SinkError::io(&self.path, e))?;
        }
        std::fs::rename(&self.path, &to).map_err(|e| SinkError::io(&self.path, e))?;
        crate::failpoint::hit("after-rotate-rename");
        self.file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&self.path)
            .map_err(|e| SinkError::io(&self.path, e))?;
        if self.fsync {
            sync_dir(&self.path).map_err(|e| SinkError::io(&self.path, e))?;
        }
        self.len = 0;
        self.dirty = false;
        Ok(to)
    }
}

/// Whether a rotation of `path` was cut short by a crash after the rename
/// and before the ledger recorded it: rotated file `segment + 1` exists with
/// exactly the committed length and the journal's own file is missing or
/// empty. Then the rotation is complete on disk and only the ledger must
/// catch up.
pub fn interrupted_rotation(path: &Path, segment: u64, committed: u64) -> bool {
    let rotated = rotated_path(path, segment + 1);
    let rotated_len = std::fs::metadata(&rotated).map(|m| m.len()).ok();
    let own_len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    rotated_len == Some(committed) && own_len == 0
}

impl Journal {
    /// The whole lines from `offset` to the end.
    pub fn tail_lines(&mut self, offset: u64) -> Result<Vec<Vec<u8>>, SinkError> {
        let mut out = Vec::new();
        if offset >= self.len {
            return Ok(out);
        }
        let mut f = File::open(&self.path).map_err(|e| SinkError::io(&self.path, e))?;
        f.seek(SeekFrom::Start(offset)).map_err(|e| SinkError::io(&self.path, e))?;
        let mut r = BufReader::new(f.take(self.len - offset));
        loop {
            let mut line = Vec::new();
            let n = r.read_until(b'\n', &mut line).map_err(|e| SinkError::io(&self.path, e))?;
            if n == 0 {
                break;
            }
            out.push(line);
        }
        Ok(out)
    }

    /// Replace the uncommitted tail from `offset` with `lines` (recovery only).
    pub fn rewrite_tail(&mut self, offset: u64, lines: &[u8]) -> Result<(), SinkError> {
        self.file.set_len(offset).map_err(|e| SinkError::io(&self.path, e))?;
        self.len = offset;
        if !lines.is_empty() {
            self.append(lines)?;
        } else {
            self.file.sync_all().map_err(|e| SinkError::io(&self.path, e))?;
        }
        Ok(())
    }
}

/// The `article` id of an event line.
pub fn article_of(line: &[u8]) -> Option<u128> {
    #[derive(serde::Deserialize)]
    struct Min {
        article: Option<String>,
    }
    serde_json::from_slice::<Min>(line).ok()?.article.as_deref().and_then(parse_hex128)
}

fn parse_replayed(offset: u64, line: &[u8]) -> Replayed {
    #[derive(serde::Deserialize)]
    struct Min {
        id: Option<String>,
        hash: Option<String>,
        duplicate: Option<serde_json::Value>,
    }
    match serde_json::from_slice::<Min>(line) {
        Ok(m) => Replayed {
            offset,
            id: m.id.as_deref().and_then(parse_hex128),
            hash: m.hash.as_deref().and_then(parse_hex128),
            is_duplicate: m.duplicate.is_some_and(|d| !d.is_null()),
        },
        Err(_) => Replayed { offset, id: None, hash: None, is_duplicate: false },
    }
}

/// Parse a 32-hex-digit id.
pub fn parse_hex128(s: &str) -> Option<u128> {
    (s.len() == 32).then(|| u128::from_str_radix(s, 16).ok()).flatten()
}

/// Length of the prefix that ends with a newline (scans back from the end).
fn complete_prefix_len(file: &mut File, len: u64) -> std::io::Result<u64> {
    let mut end = len;
    let mut buf = vec![0u8; 64 * 1024];
    while end > 0 {
        let start = end.saturating_sub(buf.len() as u64);
        let n = (end - start) as usize;
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut buf[..n])?;
        if let Some(i) = memchr::memrchr(b'\n', &buf[..n]) {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotated_names_sort_in_order_and_parse_back() {
        let p = Path::new("/out/articles.ndjson");
        assert_eq!(rotated_path(p, 7), Path::new("/out/articles-000007.ndjson"));
        assert_eq!(rotated_number("articles", "articles-000007.ndjson"), Some(7));
        assert_eq!(rotated_number("articles", "articles-1234567.ndjson"), Some(1_234_567));
        for other in ["articles.ndjson", "articles-7.ndjson", "events-000007.ndjson", "articles-00000x.ndjson"] {
            assert_eq!(rotated_number("articles", other), None, "{other}");
        }
    }

    #[test]
    fn rotate_moves_committed_lines_and_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("events.ndjson");
        let mut j = Journal::open(&p, "events", false).unwrap();
        j.append(b"{\"a\":1}\n").unwrap();
        let to = j.rotate(1).unwrap();
        assert_eq!(std::fs::read(&to).unwrap(), b"{\"a\":1}\n");
        assert_eq!(j.len(), 0);
        j.append(b"{\"a\":2}\n").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"{\"a\":2}\n");
        // The rename happened, the ledger did not record it: recognised as interrupted.
        assert!(!interrupted_rotation(&p, 0, 8), "current file is not empty");
        std::fs::remove_file(&p).unwrap();
        assert!(interrupted_rotation(&p, 0, 8));
        assert!(!interrupted_rotation(&p, 0, 9), "length differs from the committed one");
        // Never overwrites an existing rotated file.
        let mut j = Journal::open(&p, "events", false).unwrap();
        assert!(j.rotate(1).is_err());
    }

    #[test]
    fn torn_tail_is_truncated_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ndjson");
        std::fs::write(&p, b"{\"id\":\"1\"}\n{\"id\":\"2\"}\n{\"id\":").unwrap();
        let j = Journal::open(&p, "a", true).unwrap();
        assert_eq!(j.len(), 22);
        assert_eq!(std::fs::read(&p).unwrap(), b"{\"id\":\"1\"}\n{\"id\":\"2\"}\n");
    }

    #[test]
    fn file_with_only_a_torn_line_becomes_empty() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ndjson");
        std::fs::write(&p, vec![b'x'; 200_000]).unwrap();
        let j = Journal::open(&p, "a", false).unwrap();
        assert!(j.is_empty());
    }

    #[test]
    fn append_then_replay_reports_offsets_and_ids() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ndjson");
        let mut j = Journal::open(&p, "a", true).unwrap();
        let id1 = format!("{:032x}", 1u128);
        let id2 = format!("{:032x}", 2u128);
        let l1 = format!("{{\"id\":\"{id1}\",\"hash\":\"{id2}\",\"duplicate\":null}}\n");
        let l2 = format!("{{\"id\":\"{id2}\",\"duplicate\":{{\"of\":\"{id1}\"}}}}\n");
        j.append(l1.as_bytes()).unwrap();
        let at = j.append(l2.as_bytes()).unwrap();
        assert_eq!(at, l1.len() as u64);
        let r = j.replay_from(0).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].id, Some(1));
        assert_eq!(r[0].hash, Some(2));
        assert!(!r[0].is_duplicate);
        assert!(r[1].is_duplicate);
        assert_eq!(r[1].offset, at);
        assert!(j.replay_from(j.len()).unwrap().is_empty());
    }
}
