//! [`Journal`]: one append-only NDJSON file.
//!
//! Each flush is one `write_all` of whole lines followed by `fdatasync`. A
//! crash can still leave a torn last line; `open` truncates it (the data was
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
        Ok(Journal { name, path: path.to_path_buf(), file, len, fsync })
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
        debug_assert!(lines.ends_with(b"\n"));
        let at = self.len;
        if let Err(e) = self.file.write_all(lines) {
            // Undo a partial append so the file never keeps half a batch.
            let _ = self.file.set_len(at);
            return Err(SinkError::io(&self.path, e));
        }
        if self.fsync {
            self.file.sync_data().map_err(|e| SinkError::io(&self.path, e))?;
        }
        self.len += lines.len() as u64;
        Ok(at)
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
