//! Extracts web pages the way the split stage does and prints one JSON line
//! per page: `{file, title, date, basis, url, outlet, text, micros}`.
//!
//! `micros` is the time of `split_bundle` alone (charset, parse, main text,
//! metadata) on one thread; reading and gunzipping the file is not counted.
//! `date` is what `normalize` makes of the page's date (`YYYY-MM-DD`).
//!
//! ```sh
//! cargo run --release --example extract_html -- ../shared/dev/web_trafilatura/html/*.gz > out.jsonl
//! ```
//! Files ending in `.gz` are gunzipped first; the rest is read as is.

use std::io::{Read, Write};
use std::time::Instant;

use sitrep::split::{split_bundle, SplitConfig};

fn main() {
    let cfg = SplitConfig::default();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for path in std::env::args().skip(1) {
        let raw = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let name = std::path::Path::new(&path).file_name().map_or(path.clone(), |n| n.to_string_lossy().into_owned());
        let (name, bytes) = match name.strip_suffix(".gz") {
            Some(inner) => {
                let mut b = Vec::new();
                if let Err(e) = flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut b) {
                    eprintln!("{path}: {e}");
                    continue;
                }
                (inner.to_string(), b)
            }
            None => (name, raw),
        };
        let t = Instant::now();
        let res = split_bundle("page.html", &bytes, &cfg);
        let micros = t.elapsed().as_secs_f64() * 1e6;
        let rec = match res {
            Ok(o) => {
                let a = &o.articles[0];
                let parsed = a.date.as_ref().and_then(|d| sitrep::normalize::parse_date(&d.text));
                serde_json::json!({
                    "file": name,
                    "title": a.title,
                    "date": parsed.map(|p| p.date_string()),
                    "date_text": a.date.as_ref().map(|d| d.text.clone()),
                    "url": a.url,
                    "outlet": a.outlet,
                    "lang": a.lang,
                    "text": a.text,
                    "micros": micros,
                })
            }
            Err(e) => serde_json::json!({"file": name, "text": "", "error": e.to_string(), "micros": micros}),
        };
        writeln!(out, "{rec}").expect("stdout");
    }
}
