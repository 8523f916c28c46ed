//! Geoparses text files with the shipped gazetteer and prints one JSON line per file, for
//! `eval/geo/score_geowebnews.py`:
//!
//! ```sh
//! cargo run --release --example geo_eval -- [--gazetteer config/gazetteer.tsv] [--hint CC] FILE...
//! ```
//!
//! Each line: `{"file": ..., "toponyms": [Resolved...]}` with byte offsets into the file's text.
//! Load time, memory and throughput go to stderr as one JSON object.

use std::time::Instant;

use sitrep::extract::gazetteer::Gazetteer;

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut gazetteer = String::from("config/gazetteer.tsv");
    let mut hint: Option<String> = None;
    let mut files = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--gazetteer" => gazetteer = args.next().ok_or("--gazetteer needs a path")?,
            "--hint" => hint = Some(args.next().ok_or("--hint needs a country code")?),
            _ => files.push(a),
        }
    }
    let tsv = std::fs::read_to_string(&gazetteer)?;
    let rss_before = rss_kib();
    let t0 = Instant::now();
    let gaz = Gazetteer::from_tsv(&tsv)?;
    let load_ms = t0.elapsed().as_secs_f64() * 1e3;
    drop(tsv);
    let rss_after = rss_kib();

    let mut bytes = 0usize;
    let mut busy = 0.0f64;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for f in &files {
        let text = std::fs::read_to_string(f)?;
        let t = Instant::now();
        let resolved = gaz.geoparse(&text, hint.as_deref());
        busy += t.elapsed().as_secs_f64();
        bytes += text.len();
        serde_json::to_writer(&mut out, &serde_json::json!({"file": f, "toponyms": resolved}))?;
        std::io::Write::write_all(&mut out, b"\n")?;
    }
    let stats = gaz.stats();
    eprintln!(
        "{}",
        serde_json::json!({
            "load_ms": (load_ms * 10.0).round() / 10.0,
            "places": stats.places,
            "names": stats.names,
            "matcher_mib": (stats.matcher_bytes as f64 / 1048576.0 * 10.0).round() / 10.0,
            "rss_gazetteer_mib": match (rss_before, rss_after) {
                (Some(b), Some(a)) => serde_json::json!(((a.saturating_sub(b)) as f64 / 1024.0 * 10.0).round() / 10.0),
                _ => serde_json::Value::Null,
            },
            "files": files.len(),
            "mb_per_s": if busy > 0.0 { (bytes as f64 / 1e6 / busy * 10.0).round() / 10.0 } else { 0.0 },
        })
    );
    Ok(())
}
