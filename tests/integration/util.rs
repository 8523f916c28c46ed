//! Test helpers: a temp inbox/output pair, the real `sitrep` binary, and
//! polling helpers (tests wait for outcomes, never assert on timings).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_sitrep");

/// A throw-away inbox + output folder.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub inbox: PathBuf,
    pub out: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        let inbox = dir.path().join("inbox");
        let out = dir.path().join("out");
        std::fs::create_dir_all(&inbox).unwrap();
        Env { dir, inbox, out }
    }

    /// Write a file directly (producer writes in place).
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let p = self.inbox.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(p, bytes).unwrap();
    }

    /// Write to a temporary name, then rename into place (the polite producer).
    pub fn drop_file(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let tmp = self.inbox.join(format!(".{}.tmp", rel.replace('/', "_")));
        std::fs::write(&tmp, bytes).unwrap();
        let dst = self.inbox.join(rel);
        if let Some(d) = dst.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::rename(tmp, dst).unwrap();
    }

    /// Copy a fixture from tests/data.
    pub fn fixture(&self, name: &str) {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
        self.write(name, std::fs::read(src).unwrap());
    }

    pub fn cmd(&self, sub: &str) -> Command {
        let mut c = Command::new(BIN);
        c.current_dir(self.dir.path())
            .env_remove("SITREP_CONFIG")
            .env_remove("JOURNAL_STREAM")
            .env("RUST_LOG", "sitrep=debug")
            .arg(sub)
            .arg("--inbox")
            .arg(&self.inbox)
            .arg("--out")
            .arg(&self.out);
        c
    }

    /// `sitrep once` to completion.
    pub fn once(&self) -> Output {
        let out = self.cmd("once").arg("--no-progress").output().unwrap();
        assert!(out.status.success(), "once failed: {:?}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
        out
    }

    /// `sitrep once` with one worker, which must abort at failpoint `point`
    /// (`NAME:N`, see `src/failpoint.rs`); `config` is passed as `SITREP_CONFIG`.
    pub fn once_crashing_at(&self, point: &str, config: Option<&Path>) {
        let mut c = self.cmd("once");
        c.args(["--no-progress", "--workers", "1"]).env("SITREP_FAILPOINT", point);
        if let Some(p) = config {
            c.env("SITREP_CONFIG", p);
        }
        let out = c.output().unwrap();
        assert!(!out.status.success(), "failpoint {point} should abort the process");
    }

    /// Start `sitrep run` with short timings; stderr goes to `log_name`.
    pub fn spawn_run(&self, log_name: &str, extra: &[&str]) -> Daemon {
        let log = self.dir.path().join(log_name);
        let f = std::fs::File::create(&log).unwrap();
        let mut args: Vec<&str> = extra.to_vec();
        for (flag, default) in [("--settle-ms", "400"), ("--scan-interval-ms", "1000")] {
            if !extra.contains(&flag) {
                args.extend([flag, default]);
            }
        }
        let child = self.cmd("run").args(&args).stdout(Stdio::null()).stderr(f).spawn().unwrap();
        Daemon { child: Some(child), log }
    }

    pub fn articles(&self) -> Vec<serde_json::Value> {
        read_ndjson(&self.out.join("articles.ndjson"))
    }

    pub fn rejects(&self) -> Vec<serde_json::Value> {
        read_ndjson(&self.out.join("rejects.ndjson"))
    }

    /// Wait until `pred(articles)` holds, or panic with context after `secs`.
    pub fn wait_articles(&self, secs: u64, what: &str, pred: impl Fn(&[serde_json::Value]) -> bool) {
        let start = Instant::now();
        loop {
            let a = self.articles();
            if pred(&a) {
                return;
            }
            if start.elapsed() > Duration::from_secs(secs) {
                panic!("timed out waiting for {what}; have {} articles", a.len());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A running daemon; killed on drop if still running.
pub struct Daemon {
    pub child: Option<Child>,
    pub log: PathBuf,
}

impl Daemon {
    pub fn pid(&self) -> i32 {
        self.child.as_ref().unwrap().id() as i32
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Wait for a substring in the log.
    pub fn wait_log(&self, needle: &str, secs: u64) {
        let start = Instant::now();
        while !self.log_text().contains(needle) {
            if start.elapsed() > Duration::from_secs(secs) {
                panic!("timed out waiting for log {needle:?}; log:\n{}", self.log_text());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn wait_ready(&self) {
        self.wait_log("ready: start-up scan done", 30);
    }

    pub fn signal(&self, sig: nix::sys::signal::Signal) {
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(self.pid()), sig).unwrap();
    }

    /// Wait for exit; returns the status.
    pub fn wait(&mut self, secs: u64) -> std::process::ExitStatus {
        let start = Instant::now();
        let child = self.child.as_mut().unwrap();
        loop {
            if let Some(st) = child.try_wait().unwrap() {
                self.child = None;
                return st;
            }
            if start.elapsed() > Duration::from_secs(secs) {
                let _ = child.kill();
                panic!("daemon did not exit within {secs}s; log:\n{}", self.log_text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM and expect a clean exit 0.
    pub fn stop(&mut self) {
        self.signal(nix::sys::signal::Signal::SIGTERM);
        let st = self.wait(60);
        assert!(st.success(), "exit status {st:?}; log:\n{}", self.log_text());
    }

    /// kill -9.
    pub fn kill9(&mut self) {
        self.signal(nix::sys::signal::Signal::SIGKILL);
        let _ = self.wait(30);
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Parse an NDJSON file; every line must be complete JSON (no torn lines).
pub fn read_ndjson(path: &Path) -> Vec<serde_json::Value> {
    let Ok(text) = std::fs::read_to_string(path) else { return Vec::new() };
    if !text.is_empty() {
        // A reader may observe a line being appended; only complete lines count.
        let complete = &text[..text.rfind('\n').map(|i| i + 1).unwrap_or(0)];
        return complete
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad NDJSON line {l:?}: {e}")))
            .collect();
    }
    Vec::new()
}

/// Count articles by (bundle path, text) — what "exactly once" is about.
pub fn counts_by_text(articles: &[serde_json::Value]) -> HashMap<(String, String), usize> {
    let mut m = HashMap::new();
    for a in articles {
        let k = (a["bundle"]["path"].as_str().unwrap().to_string(), a["text"].as_str().unwrap().to_string());
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

/// A small text bundle with `n` distinct articles, separated by `=====`.
pub fn text_bundle(tag: &str, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push_str("\n=====\n");
        }
        s.push_str(&format!(
            "Title: Report {tag}-{i}\nDate: 2024-02-1{}\n\nGunmen attacked an army checkpoint in district {tag} on Monday, killing {} \
             soldiers, officials said. Officials said the situation was calm by evening.\n",
            i % 9,
            i + 1
        ));
    }
    s
}

/// Append bytes to a file, keeping it open between chunks (a slow producer).
pub fn slow_write(path: &Path, chunks: &[&[u8]], pause: Duration) {
    let mut f = std::fs::File::create(path).unwrap();
    for c in chunks {
        f.write_all(c).unwrap();
        f.flush().unwrap();
        std::thread::sleep(pause);
    }
}
