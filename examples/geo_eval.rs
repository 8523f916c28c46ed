//! Geoparses text files with the shipped gazetteer and prints one JSON line per file, for
//! `eval/geo/score_geowebnews.py`:
//!
//! ```sh
//! cargo run --release --example geo_eval -- [--gazetteer config/gazetteer.tsv] [--hint CC] [--repeat N] FILE...
//! ```
//!
//! Each line: `{"file": ..., "toponyms": [Resolved...]}` with byte offsets into the file's text.
//! Load time (wall and CPU), memory and throughput go to stderr as one JSON object. `--repeat N`
//! geoparses every file N times (output once) so that throughput is measured on more text; the
//! CPU-time figures stay meaningful on a busy machine where wall time does not.

use std::time::Instant;

use sitrep::extract::gazetteer::Gazetteer;

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

// CPU time (user + system) of this process in seconds, from /proc (Linux; 10 ms ticks).
fn cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let f: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    Some((f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) / 100.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut gazetteer = String::from("config/gazetteer.tsv");
    let mut hint: Option<String> = None;
    let mut repeat = 1usize;
    let mut files = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--gazetteer" => gazetteer = args.next().ok_or("--gazetteer needs a path")?,
            "--hint" => hint = Some(args.next().ok_or("--hint needs a country code")?),
            "--repeat" => repeat = args.next().ok_or("--repeat needs a count")?.parse()?,
            _ => files.push(a),
        }
    }
    let tsv = std::fs::read_to_string(&gazetteer)?;
    let rss_before = rss_kib();
    let (t0, c0) = (Instant::now(), cpu_s());
    let gaz = Gazetteer::from_tsv(&tsv)?;
    let load_ms = t0.elapsed().as_secs_f64() * 1e3;
    let load_cpu_ms = cpu_s().zip(c0).map(|(b, a)| ((b - a) * 1e3).round());
    drop(tsv);
    let rss_after = rss_kib();

    // Read everything first so that the timed loop is geoparsing only.
    let texts: Vec<String> = files.iter().map(std::fs::read_to_string).collect::<Result<_, _>>()?;
    let bytes: usize = texts.iter().map(String::len).sum::<usize>() * repeat.max(1);
    let (t, c) = (Instant::now(), cpu_s());
    let mut results = Vec::with_capacity(texts.len());
    for _ in 0..repeat.max(1) {
        results = texts.iter().map(|text| gaz.geoparse(text, hint.as_deref())).collect();
    }
    let busy = t.elapsed().as_secs_f64();
    let busy_cpu = cpu_s().zip(c).map_or(0.0, |(b, a)| b - a);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (f, resolved) in files.iter().zip(&results) {
        serde_json::to_writer(&mut out, &serde_json::json!({"file": f, "toponyms": resolved}))?;
        std::io::Write::write_all(&mut out, b"\n")?;
    }
    let stats = gaz.stats();
    eprintln!(
        "{}",
        serde_json::json!({
            "load_ms": (load_ms * 10.0).round() / 10.0,
            "load_cpu_ms": load_cpu_ms,
            "places": stats.places,
            "names": stats.names,
            "matcher_mib": (stats.matcher_bytes as f64 / 1048576.0 * 10.0).round() / 10.0,
            "rss_gazetteer_mib": match (rss_before, rss_after) {
                (Some(b), Some(a)) => serde_json::json!(((a.saturating_sub(b)) as f64 / 1024.0 * 10.0).round() / 10.0),
                _ => serde_json::Value::Null,
            },
            "files": files.len(),
            "mb": (bytes as f64 / 1e5).round() / 10.0,
            "mb_per_s": if busy > 0.0 { (bytes as f64 / 1e6 / busy * 10.0).round() / 10.0 } else { 0.0 },
            "mb_per_cpu_s": if busy_cpu > 0.0 { (bytes as f64 / 1e6 / busy_cpu * 10.0).round() / 10.0 } else { 0.0 },
        })
    );
    Ok(())
}
