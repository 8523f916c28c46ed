//! Web extraction speed: pages/s through the split stage (charset, parse,
//! main text, metadata) on a sample of trafilatura's evaluation pages, and
//! the same pages packed as a per-record `.warc.gz` through the streaming
//! WARC reader.
//!
//! The pages are read at bench time from `../shared/dev/web_trafilatura/html/*.gz`
//! (next to the repository); without that folder the bench prints a note and
//! measures nothing. `SITREP_BENCH_PAGES` sets the sample size (default 200,
//! an even spread over the sorted file names).
//!
//! ```sh
//! cargo bench --bench html
//! ```

use std::io::{Read, Write};
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sitrep::split::{split_bundle, warc, SplitConfig};

fn load_pages() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev/web_trafilatura/html");
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut files: Vec<_> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "gz")).collect();
    files.sort();
    let want: usize = std::env::var("SITREP_BENCH_PAGES").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let step = (files.len() / want.max(1)).max(1);
    files
        .iter()
        .step_by(step)
        .take(want)
        .filter_map(|p| {
            let raw = std::fs::read(p).ok()?;
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out).ok()?;
            Some(out)
        })
        .collect()
}

/// The pages as WARC response records, each its own gzip member.
fn warc_gz(pages: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let mut block =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n", p.len()).into_bytes();
        block.extend_from_slice(p);
        let mut rec = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{i}>\r\nWARC-Date: 2024-01-05T00:00:00Z\r\n\
             WARC-Target-URI: https://bench.test/{i}\r\nContent-Type: application/http; msgtype=response\r\n\
             Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        rec.extend_from_slice(&block);
        rec.extend_from_slice(b"\r\n\r\n");
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&rec).unwrap();
        out.extend(e.finish().unwrap());
    }
    out
}

fn bench(c: &mut Criterion) {
    let pages = load_pages();
    if pages.is_empty() {
        eprintln!("html bench: ../shared/dev/web_trafilatura/html not found; nothing measured");
        return;
    }
    let cfg = SplitConfig::default();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    eprintln!("html bench: {} pages, {:.1} MB", pages.len(), bytes as f64 / 1e6);

    let mut g = c.benchmark_group("web");
    g.sample_size(10);
    g.throughput(Throughput::Elements(pages.len() as u64));
    g.bench_function("html_pages", |b| {
        b.iter(|| {
            let mut n = 0;
            for p in &pages {
                if let Ok(out) = split_bundle("page.html", p, &cfg) {
                    n += out.articles.len();
                }
            }
            n
        })
    });
    let packed = warc_gz(&pages);
    g.bench_function("warc_gz_stream", |b| {
        b.iter(|| warc::warc_articles(&packed[..], true, &cfg).filter(|r| r.is_ok()).count())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
