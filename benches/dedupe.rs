//! Dedupe stage benchmark: `Clusterer::assess` throughput (fingerprint +
//! assess, and assess alone) and the in-memory index size at 100k articles.
//!
//! The workload is synthetic and deterministic (no corpus needed): news-like
//! articles of 150–600 words drawn from a Zipf vocabulary, with names,
//! places, numbers and dates; stories of 1–6 articles written independently,
//! and 30% of all articles edited wire copies (word substitutions, dropped
//! sentences, truncation) of an earlier one. `cargo bench --bench dedupe`
//! prints the index figures before criterion's timings.

use std::hint::black_box;

mod common;

use common::Rng;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use sitrep::dedupe::cluster::{Clusterer, NearDupConfig};
use sitrep::dedupe::features::{date_of, fingerprint_text, Fingerprint};

const SYL: &[&str] =
    &["ka", "ra", "mo", "de", "li", "su", "ban", "tor", "el", "vi", "qa", "sh", "an", "ir", "go", "na"];

fn word(rng: &mut Rng, min: usize) -> String {
    let n = min + rng.below(3);
    (0..n).map(|_| SYL[rng.below(SYL.len())]).collect()
}

struct Workload {
    vocab: Vec<String>,
    names: Vec<String>,
}

impl Workload {
    fn new(rng: &mut Rng) -> Workload {
        let vocab = (0..20_000).map(|_| word(rng, 1)).collect();
        // Names from random letters, so that (as with real names) their
        // consonant skeletons rarely collide.
        let names = (0..50_000)
            .map(|_| {
                let n = 5 + rng.below(5);
                let mut w: String = (0..n).map(|_| (b'a' + rng.below(26) as u8) as char).collect();
                w[..1].make_ascii_uppercase();
                w
            })
            .collect();
        Workload { vocab, names }
    }

    /// One article about a story (its names, place, numbers and day).
    fn article(&self, rng: &mut Rng, story: &[usize], day: i32) -> String {
        let sentences = 8 + rng.below(25);
        let mut s = String::new();
        for i in 0..sentences {
            let words = 10 + rng.below(14);
            for j in 0..words {
                if j == 0 {
                    let mut w = self.vocab[rng.zipf(self.vocab.len())].clone();
                    w[..1].make_ascii_uppercase();
                    s.push_str(&w);
                } else if rng.below(9) == 0 {
                    s.push_str(&self.names[story[rng.below(story.len())]]);
                } else if rng.below(40) == 0 {
                    s.push_str(&(10 + story[0] % 900).to_string());
                } else if rng.below(60) == 0 {
                    s.push_str("in ");
                    s.push_str(&self.names[story[0]]);
                } else {
                    s.push_str(&self.vocab[rng.zipf(self.vocab.len())]);
                }
                s.push(' ');
            }
            if i == 1 {
                let (_, m, d) = sitrep::dedupe::features::civil_from_days(day);
                let month = [
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December",
                ][m as usize - 1];
                s.push_str(&format!("on {month} {d}"));
            }
            s.push_str(if i % 3 == 2 { ".\n\n" } else { ". " });
        }
        s
    }

    /// An edited copy: word substitutions, a dropped sentence, maybe truncated.
    fn copy(&self, rng: &mut Rng, text: &str) -> String {
        let mut sents: Vec<&str> = text.split(". ").collect();
        if sents.len() > 4 {
            sents.remove(1 + rng.below(sents.len() - 2));
        }
        if rng.below(3) == 0 {
            sents.truncate((sents.len() * 2 / 3).max(2));
        }
        sents
            .join(". ")
            .split(' ')
            .map(|w| if rng.below(40) == 0 { self.vocab[rng.below(self.vocab.len())].as_str() } else { w })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `n` articles: (id, text, published day, ingest day). 10k articles/day.
/// `copies_in_10` of every 10 articles are edited copies; stories have 1 to
/// `max_story` articles.
fn workload(n: usize, seed: u64, copies_in_10: usize, max_story: usize) -> Vec<(u128, String, i32, i32)> {
    let mut rng = Rng(seed);
    let w = Workload::new(&mut rng);
    let mut out: Vec<(u128, String, i32, i32)> = Vec::with_capacity(n);
    let mut stories: Vec<(Vec<usize>, i32, usize)> = Vec::new(); // names, day, articles left
    for i in 0..n {
        let day = 19_700 + (i / 10_000) as i32;
        let text = if i > 0 && rng.below(10) < copies_in_10 {
            let (_, t, _, _) = &out[i - 1 - rng.below(i.min(2_000))];
            w.copy(&mut rng, t)
        } else {
            if stories.is_empty() || rng.below(2) == 0 || max_story == 1 {
                let names = (0..6).map(|_| rng.below(w.names.len())).collect();
                stories.push((names, day, 1 + rng.below(max_story)));
            }
            let k = stories.len() - 1 - rng.below(stories.len().min(50));
            let (names, sday, _) = stories[k].clone();
            stories[k].2 -= 1;
            if stories[k].2 == 0 {
                stories.remove(k);
            }
            w.article(&mut rng, &names, sday)
        };
        out.push((i as u128 + 1, text, day, day));
    }
    out
}

fn fingerprints(cfg: &NearDupConfig, items: &[(u128, String, i32, i32)]) -> Vec<Fingerprint> {
    items.iter().map(|(_, t, p, _)| fingerprint_text(t, None, Some(*p), cfg)).collect()
}

fn index_size(label: &str, cfg: &NearDupConfig, items: &[(u128, String, i32, i32)], fps: &[Fingerprint]) {
    let mut c = Clusterer::new(cfg);
    let (mut near, mut blob) = (0, 0);
    // Tables grow in steps (×1.125), so the figure at one size depends on
    // where it falls in their cycles: also report the peak over the second
    // half of the run (several cycles of every table).
    let mut peak = (0.0f64, 0);
    for (i, ((id, _, p, d), fp)) in items.iter().zip(fps).enumerate() {
        let a = c.assess(*id, fp, date_of(*p), *d);
        near += usize::from(a.near.is_some());
        blob += fp.to_bytes().len();
        if (i + 1) * 2 >= items.len() && (i + 1) % 100 == 0 {
            let b = c.memory_bytes() as f64 / c.len() as f64;
            if b > peak.0 {
                peak = (b, i + 1);
            }
        }
    }
    println!(
        "dedupe index ({label}): {} articles, {} stories, {} near-dups, {} bytes = {:.1} bytes/article \
         (peak {:.1} at {} articles); fingerprint blob {:.1} bytes mean",
        c.len(),
        c.stories(),
        near,
        c.memory_bytes(),
        c.memory_bytes() as f64 / c.len() as f64,
        peak.0,
        peak.1,
        blob as f64 / items.len() as f64
    );
    for (part, bytes) in c.memory_parts() {
        println!("  {part}: {bytes} bytes = {:.1} bytes/article", bytes as f64 / c.len() as f64);
    }
}

fn bench(crit: &mut Criterion) {
    let cfg = NearDupConfig::default();
    let worst = workload(100_000, 5, 0, 1);
    index_size("worst case: no copies, every article its own story", &cfg, &worst, &fingerprints(&cfg, &worst));
    drop(worst);
    let items = workload(100_000, 4, 3, 6);
    let fps = fingerprints(&cfg, &items);
    index_size("mixed: 30% copies, stories of 1-6", &cfg, &items, &fps);

    let mut g = crit.benchmark_group("dedupe");
    g.sample_size(10);
    let n = 20_000;
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("fingerprint+assess 20k articles", |b| {
        b.iter_batched(
            || Clusterer::new(&cfg),
            |mut c| {
                for (id, t, p, d) in &items[..n] {
                    let fp = fingerprint_text(t, None, Some(*p), &cfg);
                    black_box(c.assess(*id, &fp, date_of(*p), *d));
                }
                c
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("assess 20k articles (fingerprints precomputed)", |b| {
        b.iter_batched(
            || Clusterer::new(&cfg),
            |mut c| {
                for ((id, _, p, d), fp) in items[..n].iter().zip(&fps) {
                    black_box(c.assess(*id, fp, date_of(*p), *d));
                }
                c
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
