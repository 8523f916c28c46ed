//! Normalize stage speed: raw articles → cleaned, dated, attributed articles
//! through `Normalizer::normalize` (character cleaning and NFC, boilerplate
//! rules, datelines and "Updated" lines, paragraphs, dates, language
//! detection, sentence spans, content hash), on one thread. Criterion reports
//! MB/s of raw article text (`Throughput::BytesDecimal`); a line per case
//! before criterion's output gives articles/s of the median pass.
//!
//! The workload is synthetic and deterministic (`benches/common`): 1,000
//! news-like articles of ~3 KB from a `.txt` bundle and a `.jsonl` feed (so
//! both header and JSON dates are seen), split once before timing.
//!
//! ```sh
//! cargo bench --bench normalize
//! cargo bench --bench normalize -- --test    # smoke: each once (CI)
//! ```

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use sitrep::model::RawArticle;
use sitrep::normalize::{NormalizeConfig, Normalizer};
use sitrep::split::{split_bundle, SplitConfig};

fn raw_articles() -> Vec<RawArticle> {
    let cfg = SplitConfig::default();
    let items = common::articles(1_000, 23);
    let (a, b) = items.split_at(500);
    let mut out = split_bundle("desk.txt", &common::txt_bundle(a), &cfg).expect("txt splits").articles;
    out.extend(split_bundle("feed.jsonl", &common::jsonl_bundle(b), &cfg).expect("jsonl splits").articles);
    out
}

fn bench(c: &mut Criterion) {
    let raws = raw_articles();
    let bytes: usize = raws.iter().map(|r| r.text.len()).sum();
    eprintln!("normalize bench: {} articles, {:.2} MB of raw text", raws.len(), bytes as f64 / 1e6);

    let default = NormalizeConfig::default();
    let no_lang = NormalizeConfig { detect_language: false, ..NormalizeConfig::default() };
    let cases = [("all rules (default config)", default), ("no language detection", no_lang)];

    let mut g = c.benchmark_group("normalize");
    g.sample_size(10);
    g.throughput(Throughput::BytesDecimal(bytes as u64));
    for (label, cfg) in &cases {
        let norm = Normalizer::new(cfg).expect("valid config");
        let run = |input: Vec<RawArticle>| input.into_iter().filter_map(|r| norm.normalize(r, "desk.txt").ok()).count();
        assert_eq!(run(raws.clone()), raws.len(), "every article survives normalization");
        // The clone is outside the timed pass for criterion, inside it here
        // (a memcpy of the text: small next to the work).
        common::report_rate(&format!("normalize/{label}"), raws.len(), bytes, || run(raws.clone()));
        g.bench_function(format!("{label} ({} articles)", raws.len()), |b| {
            b.iter_batched(|| raws.clone(), run, BatchSize::LargeInput)
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
