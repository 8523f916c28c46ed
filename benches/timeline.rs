//! Incident timeline: update cost and memory with a million event mentions
//! in the rolling window.
//!
//! Workload (synthetic, deterministic): 30 days of news, 5,000 towns in 50
//! countries, six event types; each real incident is reported by 1–6
//! articles (mean 3), each article carrying one mention, interleaved within
//! its day. Setup feeds 1,000,000 mentions (≈ 330,000 incidents, all inside
//! the 30-day window) and prints the state's size; criterion then times one
//! more article (apply + take_changes, the commit stage's per-article work
//! plus its share of the revision writing), the `timeline.json` view read
//! back, and the view as the commit stage writes it.
//!
//! ```sh
//! cargo bench --bench timeline
//! SITREP_BENCH_MENTIONS=200000 cargo bench --bench timeline   # smaller window
//! ```

use std::hint::black_box;
use std::time::Instant;

mod common;

use common::Rng;
use criterion::{criterion_group, criterion_main, Criterion};
use sitrep::timeline::mention::{Count, Location, MentionDate, MentionSentence};
use sitrep::timeline::{ArticleInfo, Mention, Timeline, TimelineConfig};

const TYPES: [&str; 6] = [
    "Air/drone strike",
    "Armed clash",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Attack",
    "Arrests",
];

fn town(i: u64) -> Location {
    let c = i % 50;
    Location {
        text: format!("Town{i}").into(),
        name: format!("Town{i}").into(),
        country: Some(format!("{}{}", (b'A' + (c / 26) as u8) as char, (b'A' + (c % 26) as u8) as char).into()),
        admin1: Some(format!("Prov{}", i % 400).into()),
        lat: Some(-40.0 + (i % 800) as f64 * 0.1),
        lon: Some(-100.0 + (i / 800) as f64 * 0.7),
        precision: "town".into(),
    }
}

fn hex(n: u128) -> String {
    format!("{n:032x}")
}

fn unknown() -> Count {
    Count { value: None, min: None, max: None, qualifier: "unknown".into() }
}

/// One article with one mention of incident `inc` on `day` (days from 2024-01-01).
fn report(article: u128, inc: u64, day: u32, rng: &mut Rng) -> (ArticleInfo, Mention) {
    let date = jiff::civil::date(2024, 1, 1).checked_add(jiff::Span::new().days(day as i64)).unwrap().to_string();
    let fatalities = match rng.below(3) {
        0 => Count { value: Some(rng.below(20) as u32), min: None, max: None, qualifier: "exact".into() },
        _ => unknown(),
    };
    let a = ArticleInfo {
        id: hex(article),
        ingested_at: format!("{date}T12:00:00Z"),
        published: Some(date.clone()),
        source_group: Some(hex(article)),
        story: Some(hex(inc as u128 + 1_000_000_000)),
        duplicate_of: None,
    };
    let m = Mention {
        id: hex(article << 8),
        article: hex(article),
        event_type: "Battles".into(),
        sub_event_type: TYPES[(inc % 6) as usize].into(),
        generic: false,
        date: MentionDate { value: Some(date.into()), precision: "day".into(), basis: Some("relative".into()) },
        historical: false,
        modality: "asserted".into(),
        aggregate: false,
        location: Some(town(inc.wrapping_mul(2_654_435_761) % 5000)),
        actors: Vec::new(),
        fatalities,
        injured: unknown(),
        sentence: MentionSentence { text: "A drone struck a checkpoint near the town, officials said.".into() },
    };
    (a, m)
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

fn bench(c: &mut Criterion) {
    let total: u64 = std::env::var("SITREP_BENCH_MENTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let mut rng = Rng(0x5eed);
    let mut t = Timeline::new(TimelineConfig::default());
    let rss0 = rss_kib();
    let started = Instant::now();
    let (mut article, mut inc) = (0u128, 0u64);
    let per_day = total / 30;
    let mut fed = 0u64;
    let mut lines = 0usize;
    for day in 0..30u32 {
        // Incidents of the day, each reported 1–6 times, interleaved.
        let mut todo: Vec<u64> = Vec::new();
        while (todo.len() as u64) < per_day {
            inc += 1;
            for _ in 0..1 + rng.below(6) {
                todo.push(inc);
            }
        }
        for i in (1..todo.len()).rev() {
            todo.swap(i, rng.below(i + 1));
        }
        for (k, i) in todo.into_iter().enumerate() {
            article += 1;
            let (a, m) = report(article, i, day, &mut rng);
            t.apply(&a, std::slice::from_ref(&m));
            fed += 1;
            // The commit stage takes changes at each group commit.
            if k % 2048 == 0 {
                lines += t.take_changes().lines.len();
            }
        }
    }
    lines += t.take_changes().lines.len();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "timeline: {fed} mentions fed in {secs:.1} s ({:.0} mentions/s, {:.2} µs each); {} open incidents ({} idle); \
         state ≈ {:.0} MB by estimate, RSS +{:.0} MB; {:.0} MB of revisions written",
        fed as f64 / secs,
        secs * 1e6 / fed as f64,
        t.open_incidents(),
        t.idle_incidents(),
        t.memory_bytes() as f64 / 1e6,
        (rss_kib().saturating_sub(rss0)) as f64 / 1024.0,
        lines as f64 / 1e6
    );

    let mut g = c.benchmark_group("timeline");
    g.sample_size(30);
    g.bench_function("apply_article_1M_window", |b| {
        b.iter(|| {
            article += 1;
            inc += 1;
            let (a, m) = report(article, inc % 300_000 + 1, 29, &mut rng);
            t.apply(black_box(&a), std::slice::from_ref(&m));
            black_box(t.take_changes());
        })
    });
    g.sample_size(10);
    g.bench_function("view_1M_window", |b| b.iter(|| black_box(serde_json::to_vec(&t.view("now")).unwrap().len())));
    // What the commit stage does: `timeline.json` streamed to a buffered file.
    g.bench_function("write_view_1M_window", |b| {
        b.iter(|| {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::sink());
            t.write_view(&mut w, "now").unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
