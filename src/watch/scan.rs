//! [`Inbox`]: the watched folder — relative paths, ignore rules, and the
//! reconciliation scan that is the source of truth for what exists.
//!
//! Symlinks: a symlinked file is used only if it resolves inside the inbox;
//! symlinked folders are never descended into (no escapes, no loops).

use std::path::{Component, Path, PathBuf};

use globset::GlobSet;

use crate::internal_events as ev;

/// One regular file in the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStat {
    pub rel: String,
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: i128,
}

/// What a path is, from the watcher's point of view.
#[derive(Debug)]
pub enum Stat {
    File(FileStat),
    Dir,
    Gone,
    Ignored,
}

/// The inbox folder and its ignore rules.
#[derive(Debug, Clone)]
pub struct Inbox {
    root: PathBuf,
    ignore: GlobSet,
}

impl Inbox {
    /// `root` must exist; it is canonicalized so symlink checks are exact.
    pub fn new(root: &Path, ignore: GlobSet) -> std::io::Result<Inbox> {
        let root = root.canonicalize()?;
        if !root.is_dir() {
            return Err(std::io::Error::new(std::io::ErrorKind::NotADirectory, "inbox is not a directory"));
        }
        Ok(Inbox { root, ignore })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The inbox-relative, `/`-separated form of `path`, if inside.
    pub fn rel(&self, path: &Path) -> Option<String> {
        let r = path.strip_prefix(&self.root).ok()?;
        let mut parts = Vec::new();
        for c in r.components() {
            match c {
                Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                _ => return None,
            }
        }
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    /// Ignored if any path component (or the whole relative path) matches a glob:
    /// a hidden folder hides what is in it.
    pub fn is_ignored(&self, rel: &str) -> bool {
        self.ignore.is_match(rel) || rel.split('/').any(|c| self.ignore.is_match(c))
    }

    /// Classify one path (used for notify hints).
    pub fn stat(&self, path: &Path) -> Stat {
        let Some(rel) = self.rel(path) else { return Stat::Ignored };
        if self.is_ignored(&rel) {
            return Stat::Ignored;
        }
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(_) => return Stat::Gone,
        };
        if meta.is_dir() {
            return Stat::Dir;
        }
        match self.file_stat(path, rel, meta) {
            Some(fs) => Stat::File(fs),
            None => Stat::Ignored,
        }
    }

    fn file_stat(&self, path: &Path, rel: String, meta: std::fs::Metadata) -> Option<FileStat> {
        let meta = if meta.file_type().is_symlink() {
            let target = std::fs::canonicalize(path).ok()?;
            if !target.starts_with(&self.root) {
                ev::symlink_outside_inbox(path);
                return None;
            }
            std::fs::metadata(&target).ok()?
        } else {
            meta
        };
        if !meta.is_file() {
            return None; // sockets, fifos, devices, symlinked folders
        }
        Some(FileStat { rel, path: path.to_path_buf(), size: meta.len(), mtime_ns: mtime_ns(&meta) })
    }

    /// Every non-ignored regular file, sorted by relative path.
    pub fn scan(&self) -> Vec<FileStat> {
        let mut out = Vec::new();
        let mut stack = vec![self.root.clone()];
        while let Some(dir) = stack.pop() {
            let rd = match std::fs::read_dir(&dir) {
                Ok(rd) => rd,
                Err(e) => {
                    ev::scan_error(&dir, &e);
                    continue;
                }
            };
            for entry in rd {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        ev::scan_error(&dir, &e);
                        continue;
                    }
                };
                let path = entry.path();
                let Some(rel) = self.rel(&path) else { continue };
                if self.is_ignored(&rel) {
                    continue;
                }
                let Ok(ft) = entry.file_type() else { continue };
                if ft.is_dir() {
                    stack.push(path);
                } else if let Ok(meta) = std::fs::symlink_metadata(&path) {
                    if let Some(fs) = self.file_stat(&path, rel, meta) {
                        out.push(fs);
                    }
                }
            }
        }
        out.sort_by(|a, b| a.rel.cmp(&b.rel));
        out
    }
}

/// Modification time in nanoseconds since the epoch (0 if unavailable).
pub fn mtime_ns(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use globset::{Glob, GlobSetBuilder};

    fn inbox(dir: &Path) -> Inbox {
        let mut b = GlobSetBuilder::new();
        for g in crate::config::default_ignore() {
            b.add(Glob::new(&g).unwrap());
        }
        Inbox::new(dir, b.build().unwrap()).unwrap()
    }

    #[test]
    fn scan_skips_ignored_hidden_and_outside_symlinks() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("in");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::create_dir_all(root.join(".hidden")).unwrap();
        std::fs::write(root.join("a.txt"), "x").unwrap();
        std::fs::write(root.join("sub/b.jsonl"), "{}").unwrap();
        std::fs::write(root.join("c.part"), "x").unwrap();
        std::fs::write(root.join("d.txt~"), "x").unwrap();
        std::fs::write(root.join(".e.txt"), "x").unwrap();
        std::fs::write(root.join(".hidden/f.txt"), "x").unwrap();
        std::fs::write(d.path().join("outside.txt"), "x").unwrap();
        std::os::unix::fs::symlink(d.path().join("outside.txt"), root.join("link-out.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("a.txt"), root.join("link-in.txt")).unwrap();
        std::os::unix::fs::symlink(d.path(), root.join("dirlink")).unwrap();
        let ib = inbox(&root);
        let rels: Vec<_> = ib.scan().into_iter().map(|f| f.rel).collect();
        assert_eq!(rels, vec!["a.txt", "link-in.txt", "sub/b.jsonl"]);
    }

    #[test]
    fn rel_paths_use_slashes_and_reject_outside() {
        let d = tempfile::tempdir().unwrap();
        let ib = inbox(d.path());
        assert_eq!(ib.rel(&ib.root().join("x/y.txt")).as_deref(), Some("x/y.txt"));
        assert_eq!(ib.rel(Path::new("/elsewhere/y.txt")), None);
    }
}
