//! Extraction benchmark: `Extractor::extract` (time expressions, toponyms,
//! triggers, actors, casualties, modality, assembly) on news-like articles.
//!
//! The workload is synthetic and deterministic (no corpus needed): ~3 KB
//! articles of event sentences (actors, triggers, places, dates, hedged
//! casualty counts, sources) mixed with the context a wire story carries
//! (statements, quotes, background, numbers that are not casualties), a few
//! with typographic quotes and transliterated names. Articles go through the
//! normalizer first, as in the daemon, so sentence spans are the real ones.
//!
//! ```sh
//! cargo bench --bench extract      # MB/s and articles/s, one thread
//! ```
//!
//! Two figures per run: `extract/bytes` (MB/s, issue 5 wants ≥ 20 MB/s per
//! core) and `extract/articles` (articles/s) over the same 200 articles; and
//! `extract/redate` (articles/s), the commit stage re-dating those articles
//! from the half `Extractor::prepare` made of them undated.
//! The synthetic workload is deliberately event-dense (every article has
//! several event sentences), so it is the pessimistic figure.
//!
//! Real news as well, when `SITREP_REAL_TEXT` names a folder of JSONL files
//! written by `bench/real_text.py` (816 texts from `../shared/dev`; nothing of
//! it is in the repository): group `extract_real`.
//!
//! ```sh
//! python3 bench/real_text.py /tmp/real && SITREP_REAL_TEXT=/tmp/real cargo bench --bench extract
//! ```

use std::hint::black_box;

mod common;

use common::Rng;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sitrep::extract::{ExtractConfig, Extractor};
use sitrep::model::{Article, DateBasis, RawArticle, RawDate};
use sitrep::normalize::{NormalizeConfig, Normalizer};

const ACTORS: &[&str] = &[
    "Islamic State militants",
    "Houthi rebels",
    "The army",
    "Iraqi security forces",
    "Turkish warplanes",
    "Gunmen",
    "Police",
    "Russian forces",
    "Al-Shabaab fighters",
    "Unidentified assailants",
    "Israeli troops",
    "Boko Haram insurgents",
    "A US-led coalition aircraft",
    "Protesters",
    "Kurdish fighters",
];
const TARGETS: &[&str] = &[
    "a military convoy",
    "an army checkpoint",
    "civilians",
    "a police station",
    "the Ain al-Asad air base",
    "a market",
    "villagers",
    "government buildings",
    "a rebel position",
    "soldiers",
];
const PAST: &[&str] = &[
    "attacked",
    "shelled",
    "ambushed",
    "struck",
    "bombed",
    "fired rockets at",
    "clashed with",
    "raided",
    "abducted",
    "launched a drone strike on",
];
const PLACES: &[&str] = &[
    "Mosul",
    "Kirkuk",
    "Aleppo",
    "Idlib province",
    "Marib",
    "Hodeidah",
    "Kharkiv",
    "Donetsk",
    "Mogadishu",
    "Kabul",
    "Gaza City",
    "Khartoum",
    "Maiduguri",
    "Sinjar",
    "Deir ez-Zor",
    "Zaporizhzhia",
    "al-Harir",
    "Baghdad",
    "Sanaa",
    "Ḩarir",
];
const WHEN: &[&str] = &[
    "on Monday",
    "on Tuesday night",
    "late on Friday",
    "on March 3",
    "early on Sunday",
    "last week",
    "on Wednesday morning",
    "two days ago",
    "on 12 January",
    "overnight",
];
const SOURCES: &[&str] = &[
    "officials said",
    "a military spokesman said",
    "residents told Reuters",
    "according to a statement",
    "local media reported",
    "the interior ministry said",
    "witnesses said",
];
const COUNTS: &[&str] = &[
    "killing at least {n} people",
    "and {n} civilians were wounded",
    "leaving {n} dead and {m} injured",
    "but no one was hurt",
    "killing two soldiers and a civilian",
    "and dozens were injured",
    "wounding nearly {n} people",
    "",
    "",
];
const CONTEXT: &[&str] = &[
    "The government said it would hold talks with tribal leaders in {place} next week.",
    "\u{201c}We will not allow this to happen again,\u{201d} the governor told reporters on {day}.",
    "It was not immediately clear whether anyone was hurt in the second blast.",
    "No group has claimed responsibility for the attack.",
    "Fuel prices rose by {n} percent in {month}, the statistics office said.",
    "The United Nations called for restraint and urged both sides to protect civilians.",
    "The town has changed hands several times since the war began in 2014.",
    "More than {n}0 attacks have been recorded in the province since October.",
    "The ministry denied reports that its forces had shelled the camp.",
    "Militants threatened to continue attacks unless the prisoners were released.",
    "Aid agencies say about {n}00,000 people have fled the fighting this year.",
    "The president is expected to visit {place} later this month.",
    "Security forces later sealed off the area and began a search operation.",
    "The prime minister\u{2019}s office did not respond to a request for comment.",
];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: &[&str] = &["January", "February", "March", "April", "May", "June", "July"];

fn fill(rng: &mut Rng, t: &str) -> String {
    t.replace("{n}", &(2 + rng.below(60)).to_string())
        .replace("{m}", &(1 + rng.below(30)).to_string())
        .replace("{place}", rng.pick(PLACES))
        .replace("{day}", rng.pick(DAYS))
        .replace("{month}", rng.pick(MONTHS))
}

fn event_sentence(rng: &mut Rng) -> String {
    let template = rng.pick(COUNTS);
    let count = fill(rng, template);
    let count = if count.is_empty() { String::new() } else { format!(", {count}") };
    format!(
        "{} {} {} near {} {}{}, {}.",
        rng.pick(ACTORS),
        rng.pick(PAST),
        rng.pick(TARGETS),
        rng.pick(PLACES),
        rng.pick(WHEN),
        count,
        rng.pick(SOURCES)
    )
}

/// One ~3 KB article: paragraphs of 2–4 sentences, about 40% of them events.
fn article_text(rng: &mut Rng) -> String {
    let mut text = String::new();
    while text.len() < 2_600 + rng.below(800) {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        for k in 0..2 + rng.below(3) {
            if k > 0 {
                text.push(' ');
            }
            if rng.below(10) < 4 {
                text.push_str(&event_sentence(rng));
            } else {
                let c = rng.pick(CONTEXT);
                text.push_str(&fill(rng, c));
            }
        }
    }
    text
}

fn articles(n: usize) -> Vec<Article> {
    let normalizer = Normalizer::new(&NormalizeConfig::default()).expect("default normalizer");
    let mut rng = Rng(7);
    (0..n)
        .map(|i| {
            let raw = RawArticle {
                index: i as u32,
                byte_start: 0,
                byte_end: 0,
                line: None,
                text: article_text(&mut rng),
                title: Some(format!("Attack near {}", rng.pick(PLACES))),
                date: Some(RawDate { text: format!("2024-03-{:02}", 1 + rng.below(28)), basis: DateBasis::Json }),
                outlet: None,
                url: None,
                lang: Some("en".into()),
                record_offset: None,
                record_id: None,
            };
            normalizer.normalize(raw, "bench.jsonl").expect("article normalizes")
        })
        .collect()
}

fn bench(crit: &mut Criterion) {
    let extractor = Extractor::new(&ExtractConfig::default()).expect("built-in dictionaries");
    let arts = articles(200);
    let bytes: usize = arts.iter().map(|a| a.text.len()).sum();
    let events: usize = arts.iter().map(|a| extractor.extract(a).len()).sum();
    println!(
        "extract workload: {} articles, {:.0} bytes/article, {:.1} events/article",
        arts.len(),
        bytes as f64 / arts.len() as f64,
        events as f64 / arts.len() as f64
    );
    let mut g = crit.benchmark_group("extract");
    g.sample_size(20);
    let run = || {
        for a in &arts {
            black_box(extractor.extract(black_box(a)));
        }
    };
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("bytes", |b| b.iter(run));
    g.throughput(Throughput::Elements(arts.len() as u64));
    g.bench_function("articles", |b| b.iter(run));
    // The commit stage's re-dating: an undated article, prepared by a worker, inherits its
    // story's date and is extracted again from the prepared half.
    let undated: Vec<Article> = arts
        .iter()
        .map(|a| {
            let mut u = a.clone();
            u.published.date = None;
            u
        })
        .collect();
    let prepared: Vec<_> = undated.iter().map(|a| extractor.prepare(a)).collect();
    g.bench_function("redate", |b| {
        b.iter(|| {
            for (a, p) in arts.iter().zip(&prepared) {
                black_box(extractor.extract_prepared(black_box(a), p));
            }
        })
    });
    g.finish();
}

/// The articles of `bench/real_text.py`'s JSONL files (`text`, optional `date`).
fn real_articles(dir: &std::path::Path) -> Vec<Article> {
    let normalizer = Normalizer::new(&NormalizeConfig::default()).expect("default normalizer");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("SITREP_REAL_TEXT is a folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        for line in std::fs::read_to_string(&f).expect("readable JSONL").lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
            let Some(text) = v["text"].as_str() else { continue };
            let raw = RawArticle {
                index: out.len() as u32,
                byte_start: 0,
                byte_end: 0,
                line: None,
                text: text.to_string(),
                title: v["title"].as_str().map(str::to_string),
                date: v["date"].as_str().map(|d| RawDate { text: d.to_string(), basis: DateBasis::Json }),
                outlet: None,
                url: None,
                lang: None,
                record_offset: None,
                record_id: None,
            };
            if let Ok(a) = normalizer.normalize(raw, "real.jsonl") {
                out.push(a);
            }
        }
    }
    out
}

fn bench_real(crit: &mut Criterion) {
    let Some(dir) = std::env::var_os("SITREP_REAL_TEXT") else {
        println!("extract_real: SITREP_REAL_TEXT not set (see bench/real_text.py): skipped");
        return;
    };
    let extractor = Extractor::new(&ExtractConfig::default()).expect("built-in dictionaries");
    let arts = real_articles(std::path::Path::new(&dir));
    let bytes: usize = arts.iter().map(|a| a.text.len()).sum();
    let events: usize = arts.iter().map(|a| extractor.extract(a).len()).sum();
    println!(
        "extract_real workload: {} articles, {:.0} bytes/article, {:.2} events/article",
        arts.len(),
        bytes as f64 / arts.len().max(1) as f64,
        events as f64 / arts.len().max(1) as f64
    );
    let mut g = crit.benchmark_group("extract_real");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("bytes", |b| {
        b.iter(|| {
            for a in &arts {
                black_box(extractor.extract(black_box(a)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench, bench_real);
criterion_main!(benches);
