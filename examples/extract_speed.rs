//! Extraction alone (`Extractor::extract`) on real text, for profiling and for the
//! MB-per-CPU-second figure in BENCHMARKS.md:
//!
//! ```sh
//! cargo run --release --example extract_speed -- [--repeat N] [--limit N] [--dump] FILE.jsonl... DIR...
//! ```
//!
//! Each JSONL line needs `text` and may carry `date` (YYYY-MM-DD, the publication date) and
//! `title`. A directory is read as an inbox instead: every bundle in it (sorted by name) goes
//! through the splitter, as in the daemon (no dedupe). `--limit N` keeps the first N articles. Articles are normalized first, outside the timed loop, as in the daemon. One JSON
//! summary goes to stderr: bytes, events, CPU seconds of the extraction loop and MB per
//! CPU-second. `--dump` prints every event (Debug form, one per line) to stdout so that two
//! builds can be diffed; `--repeat N` runs the loop N times (under callgrind use 1).

use sitrep::extract::{ExtractConfig, Extractor};
use sitrep::model::{DateBasis, RawArticle, RawDate};
use sitrep::normalize::{NormalizeConfig, Normalizer};
use sitrep::split::{split_bundle, SplitConfig};

// CPU time of this thread in seconds (Linux: /proc/thread-self/schedstat, nanoseconds).
fn thread_cpu_s() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(s.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut repeat, mut dump, mut files, mut limit) = (1usize, false, Vec::new(), usize::MAX);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => repeat = args.next().ok_or("--repeat needs a count")?.parse()?,
            "--limit" => limit = args.next().ok_or("--limit needs a count")?.parse()?,
            "--dump" => dump = true,
            _ => files.push(a),
        }
    }
    let normalizer = Normalizer::new(&NormalizeConfig::default())?;
    let mut arts = Vec::new();
    for f in &files {
        if std::path::Path::new(f).is_dir() {
            let mut names: Vec<_> = std::fs::read_dir(f)?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            names.sort();
            for p in names.iter().filter(|p| p.is_file()) {
                if arts.len() >= limit {
                    break;
                }
                let name = p.to_string_lossy();
                let Ok(out) = split_bundle(&name, &std::fs::read(p)?, &SplitConfig::default()) else { continue };
                arts.extend(out.articles.into_iter().filter_map(|raw| normalizer.normalize(raw, &name).ok()));
            }
            continue;
        }
        for (i, line) in std::fs::read_to_string(f)?.lines().enumerate() {
            let v: serde_json::Value = serde_json::from_str(line)?;
            let get = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
            let raw = RawArticle {
                index: i as u32,
                byte_start: 0,
                byte_end: 0,
                line: None,
                text: get("text").unwrap_or_default(),
                title: get("title"),
                date: get("date").map(|text| RawDate { text, basis: DateBasis::Json }),
                outlet: None,
                url: None,
                lang: Some("en".into()),
                record_offset: None,
                record_id: None,
            };
            if let Ok(a) = normalizer.normalize(raw, f) {
                arts.push(a);
            }
        }
    }
    arts.truncate(limit);
    let extractor = Extractor::new(&ExtractConfig::default())?;
    let bytes: usize = arts.iter().map(|a| a.text.len()).sum();
    let c0 = thread_cpu_s();
    let mut events = 0usize;
    for _ in 0..repeat.max(1) {
        events = 0;
        for a in &arts {
            let ev = extractor.extract(a);
            events += ev.len();
            if dump && repeat <= 1 {
                for e in &ev {
                    println!("{e:?}");
                }
            }
        }
    }
    let cpu = thread_cpu_s().zip(c0).map(|(b, a)| b - a);
    let mb = (bytes * repeat.max(1)) as f64 / 1e6;
    eprintln!(
        "{}",
        serde_json::json!({
            "articles": arts.len(),
            "bytes": bytes,
            "events": events,
            "repeat": repeat,
            "cpu_s": cpu,
            "mb_per_cpu_s": cpu.map(|c| mb / c),
        })
    );
    Ok(())
}
