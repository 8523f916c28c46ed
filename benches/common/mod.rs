//! Shared by the benches: [`Rng`] (all of them) and the workload of the
//! `split` and `normalize` benches: deterministic,
//! news-like articles (~3 KB mean: a log-normal number of sentences) with
//! titles, datelines, "Updated:" lines, boilerplate lines, relative dates and
//! casualty phrases, rendered as bundles in each format sitrep reads. No
//! corpus needed (the same spirit as `bench/gen_corpus.py`, which makes
//! whole inboxes for the end-to-end harness).
#![allow(dead_code)]

use std::io::Write;
use std::time::{Duration, Instant};

/// SplitMix64: the workload must not depend on a crate's RNG stream.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    /// Zipf-ish index in 0..n (rank ~ 1/x).
    pub fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn gauss(&mut self) -> f64 {
        let (u, v) = (self.unit().max(1e-12), self.unit());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

const CITIES: &[&str] = &[
    "Mosul",
    "Kirkuk",
    "Basra",
    "Erbil",
    "Baghdad",
    "Aleppo",
    "Idlib",
    "Homs",
    "Sanaa",
    "Aden",
    "Marib",
    "Kabul",
    "Kandahar",
    "Mogadishu",
    "Gao",
    "Maiduguri",
    "Goma",
    "Khartoum",
    "El Fasher",
    "Tripoli",
    "Kharkiv",
    "Kherson",
    "Odesa",
    "Peshawar",
    "Quetta",
    "Niamey",
    "Bamenda",
    "Djibo",
];
const ACTORS: &[&str] = &[
    "security forces",
    "the army",
    "police",
    "militants",
    "gunmen",
    "insurgents",
    "a local militia",
    "rebel fighters",
    "border guards",
    "tribal fighters",
    "government troops",
    "armed men",
];
const TARGETS: &[&str] = &[
    "a checkpoint",
    "a police station",
    "a military base",
    "a market",
    "a convoy",
    "a village",
    "a school",
    "a hospital",
    "a bus station",
    "an army post",
    "a camp for displaced people",
    "a bridge",
];
const WEAPONS: &[&str] =
    &["a roadside bomb", "a car bomb", "mortar rounds", "a drone", "rockets", "artillery", "an air strike", "grenades"];
const VICTIMS: &[&str] = &["people", "civilians", "soldiers", "police officers", "fighters", "children", "villagers"];
const WHEN: &[&str] = &[
    "on Monday",
    "on Tuesday night",
    "late on Friday",
    "yesterday",
    "last week",
    "two days ago",
    "overnight",
    "on Jan. 3",
    "on January 4",
    "earlier this month",
    "this morning",
];
const SAYS: &[&str] = &["said", "told reporters", "said in a statement", "told the news agency", "said by telephone"];
const ROLES: &[&str] =
    &["a police spokesman", "the provincial governor", "a military spokesman", "a local official", "a witness"];
const ADJ: &[&str] = &[
    "new",
    "local",
    "regional",
    "national",
    "foreign",
    "senior",
    "former",
    "armed",
    "civilian",
    "military",
    "political",
    "economic",
    "humanitarian",
    "urgent",
    "serious",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "rural",
    "remote",
    "public",
    "joint",
    "temporary",
    "recent",
    "heavy",
    "fragile",
    "disputed",
    "emergency",
    "partial",
    "growing",
];
const NOUNS: &[&str] = &[
    "agreement",
    "aid",
    "airport",
    "army",
    "authority",
    "bank",
    "border",
    "bridge",
    "budget",
    "camp",
    "campaign",
    "ceasefire",
    "city",
    "clinic",
    "coalition",
    "committee",
    "community",
    "council",
    "court",
    "crisis",
    "curfew",
    "dam",
    "deal",
    "delegation",
    "district",
    "donor",
    "drought",
    "economy",
    "election",
    "envoy",
    "factory",
    "farm",
    "flood",
    "fuel",
    "governor",
    "harvest",
    "highway",
    "inquiry",
    "land",
    "law",
    "market",
    "minister",
    "mission",
    "office",
    "operation",
    "party",
    "patrol",
    "pipeline",
    "plan",
    "policy",
    "port",
    "power",
    "price",
    "prison",
    "project",
    "province",
    "reform",
    "region",
    "report",
    "road",
    "school",
    "settlement",
    "shelter",
    "summit",
    "supply",
    "talks",
    "tax",
    "town",
    "trade",
    "treaty",
    "truce",
    "union",
    "valley",
    "vote",
    "wage",
    "water",
];
const VERBS: &[&str] = &[
    "approved",
    "blocked",
    "built",
    "closed",
    "condemned",
    "criticised",
    "delayed",
    "denied",
    "discussed",
    "ended",
    "halted",
    "launched",
    "limited",
    "negotiated",
    "opened",
    "ordered",
    "postponed",
    "promised",
    "reduced",
    "rejected",
    "reopened",
    "restored",
    "reviewed",
    "seized",
    "signed",
    "suspended",
    "supported",
    "welcomed",
];
const BOILER: &[&str] = &[
    "Also read: Clashes in the north: what we know",
    "Short link: https://news.example/s/5x9k2",
    "Share this article",
    "Facebook Twitter WhatsApp Email",
    "Photo: Security forces at the scene of the attack. AFP via Getty Images",
    "Follow us on Telegram",
    "© 2024 The Daily Monitor. All rights reserved.",
    "Leave a Reply",
];
const MONTHS: &[&str] = &["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// One generated article.
pub struct Item {
    pub title: String,
    pub date: String,
    pub outlet: &'static str,
    pub url: String,
    pub body: String,
}

fn sentence(r: &mut Rng, city: &str, n: usize) -> String {
    match r.below(6) {
        0 => format!(
            "{} attacked {} near {city} {}, killing at least {n} {}, {} {}.",
            cap(r.pick(ACTORS)),
            r.pick(TARGETS),
            r.pick(WHEN),
            r.pick(VICTIMS),
            r.pick(ROLES),
            r.pick(SAYS)
        ),
        1 => format!(
            "At least {n} {} were killed and {} wounded when {} hit {} in {city} {}.",
            r.pick(VICTIMS),
            1 + r.below(40),
            r.pick(WEAPONS),
            r.pick(TARGETS),
            r.pick(WHEN)
        ),
        2 => format!("\"We heard a huge explosion and then gunfire,\" a resident of {city} {}.", r.pick(SAYS)),
        _ => format!(
            "The {} {} {} the {} {} near {} {}.",
            r.pick(ADJ),
            r.pick(NOUNS),
            r.pick(VERBS),
            r.pick(ADJ),
            r.pick(NOUNS),
            r.pick(CITIES),
            r.pick(WHEN)
        ),
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// `n` articles (deterministic for `seed`), ~3 KB mean body.
pub fn articles(n: usize, seed: u64) -> Vec<Item> {
    let mut r = Rng(seed);
    (0..n)
        .map(|i| {
            let city = r.pick(CITIES);
            let k = 1 + r.below(30);
            let sentences = ((3.3 + 0.45 * r.gauss()).exp() as usize).clamp(3, 150);
            let (m, d, wd) = (r.below(12), 1 + r.below(28), r.below(7));
            let mut paras: Vec<String> = Vec::new();
            let mut s = 0;
            while s < sentences {
                let per = 1 + r.below(3);
                let p: Vec<String> = (0..per).map(|_| sentence(&mut r, city, k)).collect();
                paras.push(p.join(" "));
                s += per;
            }
            match r.below(3) {
                0 => paras[0] = format!("{}, {} {d} (Reuters) - {}", city.to_uppercase(), MONTHS[m], paras[0]),
                1 => paras.insert(0, format!("AFP , {} {d} {} 2024", DAYS[wd], MONTHS[m])),
                _ => {}
            }
            if r.below(6) == 0 {
                paras.insert(0, format!("Updated: {} {d:02}, 2024, 6:48 AM", MONTHS[m]));
            }
            for _ in 0..r.below(4) {
                let at = 1 + r.below(paras.len());
                paras.insert(at, r.pick(BOILER).to_string());
            }
            Item {
                title: format!("{k} killed in attack near {city}"),
                date: format!("2024-{:02}-{d:02}", m + 1),
                outlet: ["Reuters", "AFP", "The Daily Monitor", "Sahel Times"][r.below(4)],
                url: format!("https://news.example/{i}"),
                body: paras.join("\n\n"),
            }
        })
        .collect()
}

/// A multi-article `.txt` bundle: header blocks, `=====` separators.
pub fn txt_bundle(items: &[Item]) -> Vec<u8> {
    let mut s = String::new();
    for (i, a) in items.iter().enumerate() {
        if i > 0 {
            s.push_str("\n=====\n");
        }
        if i % 2 == 0 {
            s.push_str(&format!("Title: {}\nDate: {}\nSource: {}\nURL: {}\n\n", a.title, a.date, a.outlet, a.url));
        } else {
            s.push_str(&format!("{}\n\n", a.title));
        }
        s.push_str(&a.body);
        s.push('\n');
    }
    s.into_bytes()
}

fn json_obj(a: &Item) -> serde_json::Value {
    serde_json::json!({"title": a.title, "text": a.body, "date": a.date, "source": a.outlet, "url": a.url})
}

/// A `.jsonl` feed, one object per line.
pub fn jsonl_bundle(items: &[Item]) -> Vec<u8> {
    let mut out = Vec::new();
    for a in items {
        serde_json::to_writer(&mut out, &json_obj(a)).unwrap();
        out.push(b'\n');
    }
    out
}

/// A `.json` array.
pub fn json_bundle(items: &[Item]) -> Vec<u8> {
    serde_json::to_vec(&items.iter().map(json_obj).collect::<Vec<_>>()).unwrap()
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// One saved web page (navigation, aside, footer, meta tags) per article.
pub fn html_page(a: &Item) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let paras: String = a.body.split("\n\n").map(|p| format!("<p>{}</p>\n", esc(p))).collect();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} | {o}</title>\
         <meta property=\"og:title\" content=\"{t}\"><meta property=\"article:published_time\" content=\"{d}T08:00:00Z\">\
         <link rel=\"canonical\" href=\"{u}\"></head><body><header><nav><ul><li><a href=\"/\">Home</a></li>\
         <li><a href=\"/world\">World</a></li><li><a href=\"/sport\">Sport</a></li></ul></nav></header>\
         <main><article><h1>{t}</h1><time datetime=\"{d}\">{d}</time>\n{paras}</article>\
         <aside><h2>Most read</h2><ol><li><a href=\"/a\">Talks resume</a></li><li><a href=\"/b\">Curfew lifted</a></li></ol></aside>\
         </main><footer><p>&copy; 2024 {o}. All rights reserved.</p></footer></body></html>\n",
        t = esc(&a.title),
        o = a.outlet,
        d = a.date,
        u = a.url
    )
    .into_bytes()
}

/// True unless criterion is benchmarking: `cargo bench -- --test`, `--list`,
/// or `cargo test --bench NAME` (no `--bench` argument). Skips the extra
/// articles/s pass.
pub fn quick_mode() -> bool {
    let args: Vec<String> = std::env::args().collect();
    !args.iter().any(|a| a == "--bench") || args.iter().any(|a| a == "--test" || a == "--list")
}

/// Times `f` (which handles `articles` articles and `bytes` bytes per call)
/// for at least ~1 s and prints the median pass as articles/s and MB/s.
/// Criterion measures the same work with `Throughput::BytesDecimal`; this
/// line gives the per-article figure next to it.
pub fn report_rate(label: &str, articles: usize, bytes: usize, mut f: impl FnMut() -> usize) {
    if quick_mode() {
        return;
    }
    let mut times: Vec<Duration> = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < Duration::from_secs(1) && times.len() < 50) {
        let t = Instant::now();
        std::hint::black_box(f());
        times.push(t.elapsed());
    }
    times.sort();
    let med = times[times.len() / 2].as_secs_f64();
    eprintln!(
        "{label}: {:.0} articles/s, {:.1} MB/s (median of {} passes, {} articles, {:.2} MB per pass, one thread)",
        articles as f64 / med,
        bytes as f64 / med / 1e6,
        times.len(),
        articles,
        bytes as f64 / 1e6
    );
}
