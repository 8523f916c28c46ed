//! Driver for the time-expression evaluation (eval/timex/, issue 5).
//!
//! `timex_eval tag FILE` reads JSON lines `{"id", "dct", "text"}` and prints, per line,
//! `{"id", "timexes": [...]}` with every [`sitrep::extract::timex::Timex`] found using `dct`
//! (YYYY-MM-DD, or null) as the anchor.
//!
//! `timex_eval bench FILE [MB]` tags the texts over and over on one thread until at least `MB`
//! megabytes (default 200) have been processed, and prints the throughput in MB/s of wall time
//! and of this thread's CPU time (Linux), next to a bare word-counting loop over the same bytes
//! as a yardstick for the machine.

use std::io::{BufRead, BufReader, Write};
use std::time::Instant;

use sitrep::extract::timex::{tag, Timex};

struct Doc {
    id: String,
    anchor: Option<jiff::civil::Date>,
    text: String,
}

fn load(path: &str) -> Result<Vec<Doc>, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut docs = Vec::new();
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| format!("{path}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        let id = v["id"].as_str().unwrap_or_default().to_string();
        let anchor = v["dct"].as_str().and_then(|s| s.parse().ok());
        let text = v["text"].as_str().unwrap_or_default().to_string();
        docs.push(Doc { id, anchor, text });
    }
    Ok(docs)
}

#[derive(serde::Serialize)]
struct Out<'a> {
    id: &'a str,
    timexes: Vec<Timex>,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("tag"), Some(path)) => run_tag(path),
        (Some("bench"), Some(path)) => run_bench(path, args.get(3).and_then(|s| s.parse().ok()).unwrap_or(200.0)),
        _ => Err("usage: timex_eval tag FILE | timex_eval bench FILE [MB]".to_string()),
    };
    if let Err(e) = result {
        eprintln!("timex_eval: {e}");
        std::process::exit(2);
    }
}

fn run_tag(path: &str) -> Result<(), String> {
    let docs = load(path)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for d in &docs {
        let line =
            serde_json::to_string(&Out { id: &d.id, timexes: tag(&d.text, d.anchor) }).map_err(|e| e.to_string())?;
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Counts ASCII-alphanumeric runs: the cheapest possible pass over words, as a yardstick.
fn count_words(b: &[u8]) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for &c in b {
        let w = c.is_ascii_alphanumeric();
        if w && !in_word {
            n += 1;
        }
        in_word = w;
    }
    n
}

/// CPU time of this thread in nanoseconds (Linux `/proc/thread-self/schedstat`), if available.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn run_bench(path: &str, mb: f64) -> Result<(), String> {
    let docs = load(path)?;
    let corpus: usize = docs.iter().map(|d| d.text.len()).sum();
    if corpus == 0 {
        return Err("no text".into());
    }
    // Warm up (builds the trigger automaton).
    let mut found = docs.iter().map(|d| tag(&d.text, d.anchor).len()).sum::<usize>();
    let target = (mb * 1e6) as usize;
    let mut bytes = 0usize;
    let start = Instant::now();
    let cpu0 = thread_cpu_ns();
    while bytes < target {
        for d in &docs {
            found += tag(&d.text, d.anchor).len();
        }
        bytes += corpus;
    }
    let secs = start.elapsed().as_secs_f64();
    // On a shared machine wall time includes waiting for a core; CPU time is what one core does.
    let cpu = match (cpu0, thread_cpu_ns()) {
        (Some(a), Some(b)) if b > a => (b - a) as f64 / 1e9,
        _ => secs,
    };
    // For scale: a bare loop that only counts words over the same bytes, on the same core.
    let (mut words, mut wbytes) = (0usize, 0usize);
    let w0 = thread_cpu_ns();
    let wstart = Instant::now();
    while wbytes < target {
        for d in &docs {
            words += count_words(d.text.as_bytes());
        }
        wbytes += corpus;
    }
    let wsecs = match (w0, thread_cpu_ns()) {
        (Some(a), Some(b)) if b > a => (b - a) as f64 / 1e9,
        _ => wstart.elapsed().as_secs_f64(),
    };
    println!(
        "{{\"bytes\":{bytes},\"seconds\":{secs:.3},\"cpu_seconds\":{cpu:.3},\"mb_per_s\":{:.1},\"mb_per_cpu_s\":{:.1},\"word_loop_mb_per_cpu_s\":{:.1},\"corpus_bytes\":{corpus},\"timexes\":{found},\"words\":{words}}}",
        bytes as f64 / 1e6 / secs,
        bytes as f64 / 1e6 / cpu,
        wbytes as f64 / 1e6 / wsecs
    );
    Ok(())
}
