//! Split stage speed: bundle bytes → raw articles through `split_bundle`
//! (gunzip, sniffing, decoding, splitting, header and JSON field parsing),
//! per format, on one thread. Criterion reports MB/s (`Throughput::BytesDecimal`
//! over the bundle bytes as read, i.e. compressed for `.gz`); a line per format
//! before criterion's output gives articles/s and MB/s of the median pass.
//!
//! The workload is synthetic and deterministic (`benches/common`): 400 news-like
//! articles of ~3 KB (titles, datelines, boilerplate, relative dates, casualty
//! phrases) as one bundle per format, and as 100 saved web pages.
//!
//! ```sh
//! cargo bench --bench split              # all formats
//! cargo bench --bench split -- jsonl     # one
//! cargo bench --bench split -- --test    # smoke: each once (CI)
//! ```

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sitrep::split::{split_bundle, SplitConfig};

fn bench(c: &mut Criterion) {
    let cfg = SplitConfig::default();
    let items = common::articles(400, 11);
    let text_bytes: usize = items.iter().map(|a| a.body.len()).sum();
    let jsonl = common::jsonl_bundle(&items);
    let bundles: Vec<(&str, Vec<u8>)> = vec![
        ("txt", common::txt_bundle(&items)),
        ("jsonl", jsonl.clone()),
        ("json", common::json_bundle(&items)),
        ("jsonl.gz", common::gzip(&jsonl)),
    ];
    eprintln!("split bench: {} articles, {:.2} MB of body text", items.len(), text_bytes as f64 / 1e6);

    let mut g = c.benchmark_group("split");
    g.sample_size(20);
    for (fmt, data) in &bundles {
        let name = format!("bundle.{fmt}");
        let n = split_bundle(&name, data, &cfg).map(|o| o.articles.len()).unwrap_or(0);
        assert_eq!(n, items.len(), "{fmt}: every article is found");
        common::report_rate(&format!("split/{fmt}"), n, data.len(), || {
            split_bundle(&name, data, &cfg).map(|o| o.articles.len()).unwrap_or(0)
        });
        g.throughput(Throughput::BytesDecimal(data.len() as u64));
        g.bench_function(format!("{fmt} ({n} articles)"), |b| {
            b.iter(|| split_bundle(&name, data, &cfg).map(|o| o.articles.len()).unwrap_or(0))
        });
    }

    let pages: Vec<Vec<u8>> = items.iter().take(100).map(common::html_page).collect();
    let page_bytes: usize = pages.iter().map(Vec::len).sum();
    let run_pages = || pages.iter().filter(|p| split_bundle("page.html", p, &cfg).is_ok()).count();
    assert_eq!(run_pages(), pages.len(), "html: every page yields its article");
    common::report_rate("split/html", pages.len(), page_bytes, run_pages);
    g.throughput(Throughput::BytesDecimal(page_bytes as u64));
    g.bench_function(format!("html ({} pages)", pages.len()), |b| b.iter(run_pages));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
