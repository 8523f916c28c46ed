//! Runs the near-duplicate / story [`Clusterer`] over a JSON Lines file and
//! writes one verdict per article, for `eval/dedupe/run_eval.py`.
//!
//! Input lines: `{"id": "...", "text": "...", "title"?: "...", "published"?:
//! "YYYY-MM-DD", "day"?: <ingest day, days since 1970-01-01>}`. Lines of
//! sitrep's own `articles.ndjson` work too (`published.date` is read).
//!
//! ```sh
//! cargo run --release --example eval_dedupe -- [--input FILE] [--set key=value]... [--repeat N] > verdicts.jsonl
//! ```
//!
//! `--set` overrides one `NearDupConfig` field (TOML value syntax).
//! `--repeat N` runs the whole input N times with fresh ids (speed runs).
//! Timing and index memory go to stderr as one JSON object.

use std::io::{BufRead, Write};
use std::time::Instant;

use sitrep::dedupe::cluster::{Clusterer, NearDupConfig};
use sitrep::dedupe::features::{date_of, fingerprint_text, parse_iso_day};
use xxhash_rust::xxh3::xxh3_128;

struct Item {
    id: String,
    text: String,
    title: Option<String>,
    published: Option<i32>,
    day: Option<i32>,
}

/// Nanoseconds this thread has run on a CPU (`/proc/thread-self/schedstat`).
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut input: Option<String> = None;
    let mut sets: Vec<String> = Vec::new();
    let mut repeat = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--input" => input = args.next(),
            "--set" => sets.push(args.next().ok_or("--set needs key=value")?),
            "--repeat" => repeat = args.next().ok_or("--repeat needs N")?.parse()?,
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let cfg: NearDupConfig = if sets.is_empty() { NearDupConfig::default() } else { toml::from_str(&sets.join("\n"))? };
    cfg.validate()?;
    let reader: Box<dyn BufRead> = match &input {
        Some(p) => Box::new(std::io::BufReader::new(std::fs::File::open(p)?)),
        None => Box::new(std::io::BufReader::new(std::io::stdin())),
    };
    let mut items = Vec::new();
    for line in reader.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
        let published = s("published")
            .or_else(|| v.pointer("/published/date").and_then(|x| x.as_str()).map(str::to_owned))
            .and_then(|d| parse_iso_day(&d));
        items.push(Item {
            id: s("id").ok_or("line without id")?,
            text: s("text").unwrap_or_default(),
            title: s("title"),
            published,
            day: v.get("day").and_then(|x| x.as_i64()).map(|d| d as i32),
        });
    }
    let mut by_id: std::collections::HashMap<u128, String> = Default::default();
    for it in &items {
        by_id.insert(xxh3_128(it.id.as_bytes()), it.id.clone());
    }
    let name = |x: u128| by_id.get(&x).cloned().unwrap_or_else(|| format!("{x:032x}"));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut c = Clusterer::new(&cfg);
    let (mut t_fp, mut t_assess) = (0f64, 0f64);
    let mut bytes = 0usize;
    let t0 = Instant::now();
    let cpu0 = thread_cpu_ns();
    for round in 0..repeat {
        for it in &items {
            let id =
                if round == 0 { xxh3_128(it.id.as_bytes()) } else { xxh3_128(format!("{round}:{}", it.id).as_bytes()) };
            let t = Instant::now();
            let fp = fingerprint_text(&it.text, it.title.as_deref(), it.published, &cfg);
            let t1 = Instant::now();
            let a = c.assess(id, &fp, it.published.and_then(date_of), it.day.unwrap_or(20_000));
            let t2 = Instant::now();
            t_fp += (t1 - t).as_secs_f64();
            t_assess += (t2 - t1).as_secs_f64();
            bytes += fp.to_bytes().len();
            if round == 0 {
                let rec = serde_json::json!({
                    "id": it.id,
                    "near_of": a.near.map(|n| name(n.of)),
                    "similarity": a.near.map(|n| n.similarity),
                    "containment": a.near.map(|n| n.containment),
                    "source_group": name(a.source_group),
                    "story": name(a.story),
                    "story_score": a.story_score,
                    "inherited_date": a.inherited_date.map(|d| d.to_string()),
                });
                writeln!(out, "{rec}")?;
            }
        }
    }
    let total = t0.elapsed().as_secs_f64();
    // CPU time of this thread (Linux): robust to other load on the machine.
    let cpu = match (cpu0, thread_cpu_ns()) {
        (Some(a), Some(b)) => Some((b - a) as f64 / 1e9),
        _ => None,
    };
    let n = items.len() * repeat;
    let stats = serde_json::json!({
        "articles": n,
        "seconds_total": total,
        "seconds_fingerprint": t_fp,
        "seconds_assess": t_assess,
        "articles_per_s": n as f64 / (t_fp + t_assess),
        "cpu_seconds": cpu,
        "articles_per_cpu_s": cpu.map(|c| n as f64 / c),
        "index_len": c.len(),
        "stories": c.stories(),
        "memory_bytes": c.memory_bytes(),
        "bytes_per_article": c.memory_bytes() as f64 / c.len().max(1) as f64,
        "fingerprint_bytes_mean": bytes as f64 / n.max(1) as f64,
    });
    eprintln!("{stats}");
    Ok(())
}
