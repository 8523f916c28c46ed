//! Event extraction: pure text → events logic (no I/O after construction,
//! no async), so it can be unit-, property- and fuzz-tested.
//!
//! * [`Extractor`] — the stage's entry point: one [`Article`] → its [`Event`]s;
//! * [`lexicon`] — trigger phrases (`config/events.toml`) → sub-event types;
//! * [`taxonomy`] — ACLED event and sub-event types, spelled as ACLED does;
//! * [`actors`] — actor dictionary (`config/actors.toml`) with aliases and types;
//! * [`casualties`] — killed / injured counts with hedges;
//! * [`modality`] — asserted / claimed / denied / threatened / planned, and tallies;
//! * [`events`] — sentence-level assembly of events from triggers, dates, places, actors;
//! * [`timex`] — time expressions (TIMEX3) resolved against the publication date;
//! * [`gazetteer`] — place names → coordinates and admin areas.

pub mod actors;
pub mod casualties;
pub mod events;
pub mod gazetteer;
pub mod lexicon;
pub mod modality;
pub mod taxonomy;
pub mod timex;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use events::Event;

use crate::model::Article;

/// `[extract]`: event extraction.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExtractConfig {
    /// Extract events from every non-duplicate article into `events.ndjson`.
    pub enabled: bool,
    /// Trigger lexicon (TOML). Empty = the built-in copy of `config/events.toml`.
    pub events_file: Option<PathBuf>,
    /// Actor dictionary (TOML). Empty = the built-in copy of `config/actors.toml`.
    pub actors_file: Option<PathBuf>,
    /// Gazetteer (TSV, as built by `eval/geo/build_gazetteer.py`). Empty = the
    /// built-in copy of `config/gazetteer.tsv` (GeoNames, CC BY 4.0, plus curated sites).
    pub gazetteer_file: Option<PathBuf>,
    /// Resolve places to coordinates and admin areas.
    pub geocode: bool,
    /// Places resolved with a lower score (0..1) are not used as event locations.
    pub min_place_score: f64,
    /// Events below this confidence (0..1) are not written.
    pub min_confidence: f32,
    /// Write tallies ("more than 100 attacks since October") as events flagged `aggregate`.
    pub include_aggregates: bool,
}

impl Default for ExtractConfig {
    fn default() -> Self {
        ExtractConfig {
            enabled: true,
            events_file: None,
            actors_file: None,
            gazetteer_file: None,
            geocode: true,
            min_place_score: 0.3,
            min_confidence: 0.3,
            include_aggregates: true,
        }
    }
}

/// Problems loading the dictionaries (fatal at start-up).
#[derive(Debug, thiserror::Error)]
pub enum ExtractConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Lexicon {
        path: PathBuf,
        #[source]
        source: lexicon::LexiconError,
    },
    #[error("{path}: {source}")]
    Actors {
        path: PathBuf,
        #[source]
        source: actors::ActorDictError,
    },
    #[error("{path}: {source}")]
    Gazetteer {
        path: PathBuf,
        #[source]
        source: gazetteer::GazetteerError,
    },
    #[error("extract.min_confidence must be between 0 and 1")]
    Confidence,
}

/// The gazetteer shipped in `config/gazetteer.tsv`, compiled in as the default.
pub const DEFAULT_GAZETTEER: &str = include_str!("../../config/gazetteer.tsv");

/// A tagger result as the assembler sees it.
pub fn time_mention(t: &timex::Timex) -> events::TimeMention {
    time_mention_owned(t.clone())
}

/// [`time_mention`], taking the strings over instead of copying them.
fn time_mention_owned(t: timex::Timex) -> events::TimeMention {
    use timex::{Precision as P, TimexBasis as B, TimexKind as K};
    let precision = match t.precision {
        P::Day => "day",
        P::Week => "week",
        P::Month => "month",
        P::Season => "season",
        P::Quarter => "quarter",
        P::Half => "half",
        P::Year => "year",
        P::Decade => "decade",
        P::Century => "century",
        P::Unknown => "unknown",
    };
    let basis = match t.basis {
        B::Explicit => "explicit",
        B::Relative => "relative",
        B::Anchor => "anchor",
    };
    // "2024-01-05TMO": the event date is the calendar part.
    let value = t.value.map(|mut v| {
        if let (K::Time, Some(i)) = (t.kind, v.find('T')) {
            v.truncate(i);
        }
        v
    });
    let is_date = matches!(t.kind, K::Date | K::Time)
        && value.as_deref().is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        || value.is_none() && matches!(t.kind, K::Date | K::Time);
    events::TimeMention { start: t.start, end: t.end, text: t.text, value, precision, basis, is_date }
}

/// A resolved place as the assembler sees it.
pub fn place_mention(p: &gazetteer::Resolved) -> events::PlaceMention {
    place_mention_owned(p.clone())
}

/// [`place_mention`], taking the strings over instead of copying them.
fn place_mention_owned(p: gazetteer::Resolved) -> events::PlaceMention {
    use gazetteer::Precision as P;
    let precision = match p.precision {
        P::Site => "site",
        P::Town => "town",
        P::Admin2 => "admin2",
        P::Admin1 => "admin1",
        P::Country => "country",
        P::Region => "region",
    };
    let opt = |s: String| (!s.is_empty()).then_some(s);
    events::PlaceMention {
        start: p.start,
        end: p.end,
        text: p.text,
        name: p.name,
        country: opt(p.country),
        admin1: opt(p.admin1),
        lat: Some(p.lat),
        lon: Some(p.lon),
        precision,
    }
}

/// The compiled extractor, shared read-only by the parallel workers.
#[derive(Debug, Clone)]
pub struct Extractor {
    lexicon: lexicon::Lexicon,
    actors: actors::ActorDict,
    gazetteer: Option<std::sync::Arc<gazetteer::Gazetteer>>,
    cfg: ExtractConfig,
}

impl Extractor {
    /// Check a config without building the (large) gazetteer index: the
    /// dictionaries compile and the gazetteer file, if named, is readable.
    pub fn validate(cfg: &ExtractConfig) -> Result<(), ExtractConfigError> {
        let light = ExtractConfig { geocode: false, ..cfg.clone() };
        Extractor::new(&light)?;
        if let (true, Some(p)) = (cfg.geocode, &cfg.gazetteer_file) {
            std::fs::metadata(p).map_err(|source| ExtractConfigError::Read { path: p.clone(), source })?;
        }
        Ok(())
    }

    /// Load the dictionaries named in `cfg` (or the built-in ones).
    pub fn new(cfg: &ExtractConfig) -> Result<Extractor, ExtractConfigError> {
        if !(0.0..=1.0).contains(&cfg.min_confidence) {
            return Err(ExtractConfigError::Confidence);
        }
        let read = |p: &PathBuf| {
            std::fs::read_to_string(p).map_err(|source| ExtractConfigError::Read { path: p.clone(), source })
        };
        let lexicon = match &cfg.events_file {
            Some(p) => lexicon::Lexicon::from_toml(&read(p)?)
                .map_err(|source| ExtractConfigError::Lexicon { path: p.clone(), source })?,
            None => lexicon::Lexicon::builtin(),
        };
        let actors = match &cfg.actors_file {
            Some(p) => actors::ActorDict::from_toml(&read(p)?)
                .map_err(|source| ExtractConfigError::Actors { path: p.clone(), source })?,
            None => actors::ActorDict::builtin(),
        };
        let gazetteer = if cfg.geocode {
            let g = match &cfg.gazetteer_file {
                Some(p) => gazetteer::Gazetteer::from_tsv(&read(p)?)
                    .map_err(|source| ExtractConfigError::Gazetteer { path: p.clone(), source })?,
                None => gazetteer::Gazetteer::from_tsv(DEFAULT_GAZETTEER).map_err(|source| {
                    ExtractConfigError::Gazetteer { path: "config/gazetteer.tsv (built in)".into(), source }
                })?,
            };
            Some(std::sync::Arc::new(g))
        } else {
            None
        };
        Ok(Extractor { lexicon, actors, gazetteer, cfg: cfg.clone() })
    }

    /// The time expressions of one article, resolved against its publication date.
    pub fn times(&self, a: &Article) -> Vec<timex::Timex> {
        let anchor = a.published.date.as_deref().and_then(|d| d.parse::<jiff::civil::Date>().ok());
        timex::tag(&a.text, anchor)
    }

    /// Actor mentions of one article: (byte start, byte end, canonical name, type).
    pub fn actor_mentions(&self, a: &Article) -> Vec<(usize, usize, String, String)> {
        let (known, generic) = self.actors.find_all(&a.text);
        let mut v: Vec<_> = known
            .iter()
            .map(|m| {
                let x = self.actors.actor(m.actor);
                (m.start, m.end, x.name.clone(), x.kind.clone())
            })
            .chain(generic.into_iter().map(|g| (g.start, g.end, g.name, g.kind.to_string())))
            .collect();
        v.sort();
        v
    }

    /// The places of one article, resolved with document context.
    pub fn places(&self, a: &Article) -> Vec<gazetteer::Resolved> {
        match &self.gazetteer {
            Some(g) => g.geoparse(&a.text, None),
            None => Vec::new(),
        }
    }

    /// The events of one article. Pure.
    pub fn extract(&self, a: &Article) -> Vec<Event> {
        self.extract_prepared_owned(a, self.prepare(a))
    }

    /// The part of [`Extractor::extract`] that depends only on the text: the events before their
    /// dates ([`events::Drafts`]) and the time expressions of their sentences, parsed but not
    /// resolved. An undated article may inherit its story's date in the commit stage and is then
    /// extracted again: keeping this half (the toponym scan, the timex parse and the assembly)
    /// leaves only resolving the times and dating the events to the serial commit thread.
    pub fn prepare(&self, a: &Article) -> Prepared {
        // Sentences with a trigger first: times and places only matter in them, so an article
        // without any skips the two taggers, and times are needed only up to the last one.
        let spans = events::byte_spans(&a.text, &a.sentences);
        let cands = events::candidates(&a.text, &spans, &self.lexicon, &self.actors);
        if cands.is_empty() {
            return Prepared::default();
        }
        let in_cands = |s: usize, e: usize| in_candidates(&cands, s, e);
        let keep = |p: &gazetteer::Resolved| {
            !p.demonym && !p.embedded && p.score >= self.cfg.min_place_score && in_cands(p.start, p.end)
        };
        let places: Vec<events::PlaceMention> = match &self.gazetteer {
            Some(g) => g.geoparse_where(&a.text, None, keep).into_iter().map(place_mention_owned).collect(),
            None => Vec::new(),
        };
        let drafts = events::drafts(&a.text, &a.sentences, &cands, &self.actors, &places);
        let Some((_, last)) = drafts.spans().next_back() else { return Prepared::default() };
        // An event is dated only from the times inside its own sentence: the rest are parsed (a
        // span decides where the next expression may start) but never resolved.
        let in_drafts = |s: usize, e: usize| drafts.spans().any(|(ds, de)| ds <= s && e <= de);
        let times = timex::scan_until_where(&a.text, last, in_drafts);
        Prepared { drafts, times }
    }

    /// The events of one article from its [`Prepared`] half, which must come from
    /// [`Extractor::prepare`] on the same text (the publication date may differ). Pure.
    pub fn extract_prepared(&self, a: &Article, p: &Prepared) -> Vec<Event> {
        if p.drafts.is_empty() {
            return Vec::new();
        }
        let (times, published) = self.times_of(a, &p.times);
        self.keep(p.drafts.finish(&times, published))
    }

    /// [`Extractor::extract_prepared`], consuming the prepared half (no copy of the events):
    /// for an article that will not be re-dated. Kept out of line so that profiles (and
    /// callgrind's `--toggle-collect`) see it, like the other entry points.
    #[inline(never)]
    pub fn extract_prepared_owned(&self, a: &Article, p: Prepared) -> Vec<Event> {
        if p.drafts.is_empty() {
            return Vec::new();
        }
        let (times, published) = self.times_of(a, &p.times);
        self.keep(p.drafts.finish_owned(&times, published))
    }

    /// The events the config writes.
    fn keep(&self, mut events: Vec<Event>) -> Vec<Event> {
        events.retain(|e| e.confidence >= self.cfg.min_confidence && (self.cfg.include_aggregates || !e.aggregate));
        events
    }

    /// The kept times of `scanned` resolved against the publication date of `a`, and that date.
    fn times_of<'a>(&self, a: &'a Article, scanned: &timex::Scanned) -> (Vec<events::TimeMention>, Option<&'a str>) {
        let published = a.published.date.as_deref();
        let anchor = published.and_then(|d| d.parse::<jiff::civil::Date>().ok());
        (scanned.resolve(&a.text, anchor).into_iter().map(time_mention_owned).collect(), published)
    }
}

/// Whether the byte span `[s, e)` lies inside one of the candidate sentences.
fn in_candidates(cands: &[events::Candidate], s: usize, e: usize) -> bool {
    cands.iter().any(|c| c.start <= s && e <= c.end)
}

/// The date-independent half of extraction ([`Extractor::prepare`]): the events of an article
/// before their dates, and the time expressions of their sentences, parsed.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    drafts: events::Drafts,
    times: timex::Scanned,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> Article {
        crate::normalize::normalized_for_test(text, Some("2024-03-08"))
    }

    #[test]
    fn time_of_day_values_keep_the_calendar_part() {
        let t = &timex::tag("The strike came on Friday morning.", "2024-03-08".parse().ok())[0];
        let v = t.value.as_deref().unwrap_or_default();
        assert!(t.kind == timex::TimexKind::Time && v.contains('T'), "{t:?}");
        let m = time_mention(t);
        assert_eq!((m.value.as_deref(), m.is_date, m.text.as_str()), (v.split('T').next(), true, "Friday morning"));
    }

    /// The events assembled from every time and place of the text (no candidate-sentence
    /// filter), and how many times and places there were.
    fn assembled_from_all(x: &Extractor, a: &Article) -> (Vec<Event>, usize, usize) {
        let times: Vec<_> = x.times(a).iter().map(time_mention).collect();
        let places: Vec<_> = x
            .places(a)
            .iter()
            .filter(|p| !p.demonym && !p.embedded && p.score >= x.cfg.min_place_score)
            .map(place_mention)
            .collect();
        let view =
            events::ArticleView { text: &a.text, sentences: &a.sentences, published: a.published.date.as_deref() };
        let events = events::assemble(&view, &x.lexicon, &x.actors, &times, &places)
            .into_iter()
            .filter(|e| e.confidence >= x.cfg.min_confidence)
            .collect();
        (events, times.len(), places.len())
    }

    // `extract` hands the assembler only the times and places inside candidate sentences: the
    // events must be those of every time and place.
    #[test]
    fn extract_equals_assembly_over_all_mentions() {
        let x = Extractor::new(&ExtractConfig::default()).unwrap();
        let a = article(
            "Officials met in Baghdad on Monday to discuss the budget. Gunmen attacked a checkpoint \
             near Kirkuk on Tuesday, killing three soldiers, police said. The talks in Baghdad \
             resumed on Wednesday. Two days later a roadside bomb exploded in Mosul, wounding \
             two civilians. Residents of Erbil said the weather was mild.",
        );
        let (want, times, places) = assembled_from_all(&x, &a);
        assert!(times >= 4 && places >= 4, "{times} times, {places} places");
        assert!(want.len() >= 2, "{want:?}");
        assert_eq!(x.extract(&a), want);
    }

    // The commit stage re-extracts an undated article that inherits its story's date from the
    // half prepared without a date: that must equal extracting the dated article from scratch.
    #[test]
    fn prepared_half_serves_any_publication_date() {
        let x = Extractor::new(&ExtractConfig::default()).unwrap();
        let mut a = article(
            "Gunmen attacked a checkpoint near Kirkuk on Tuesday, killing at least three soldiers, \
             police said. A day earlier a roadside bomb exploded in Mosul.",
        );
        a.published.date = None;
        let p = x.prepare(&a);
        let undated = x.extract_prepared(&a, &p);
        assert_eq!(undated, x.extract(&a));
        a.published.date = Some("2024-03-08".into());
        let dated = x.extract_prepared(&a, &p);
        assert_eq!(dated, x.extract(&a));
        assert!(dated.iter().any(|e| e.date.value.as_deref() == Some("2024-03-05")), "{dated:?}");
        assert_ne!(dated, undated);
        let none = article("The weather in Kirkuk was mild on Tuesday.");
        assert!(x.prepare(&none).drafts.is_empty() && x.extract(&none).is_empty());
    }

    /// Sentences for [`prepared_half_equals_assembly_from_scratch`]: events with relative,
    /// explicit, reference-relative and tense-sensitive times, tallies, history, generic words,
    /// and sentences with times but no event (their dates feed "two days later").
    const SENTENCES: &[&str] = &[
        "Gunmen attacked a checkpoint near Kirkuk on Tuesday, killing at least three soldiers, police said.",
        "Two days later a roadside bomb exploded in Mosul, wounding two civilians.",
        "Officials met in Baghdad on Jan. 3 to discuss the budget.",
        "The following day, an air strike hit a depot in Aleppo.",
        "There have been more than 100 attacks on US forces since mid-October.",
        "The commander was killed in a drone strike in Baghdad in January 2020.",
        "Protesters clashed with police in Basra last week.",
        "Overnight, rebels shelled the town of Marib, residents said.",
        "In June, militants will attack the base again, a spokesman warned.",
        "A car bomb exploded in Kabul on 5 March 2023, killing 12 people.",
        "The attack was condemned by the United Nations.",
        "Talks resumed in Doha on Friday morning.",
        "Three weeks ago, troops raided a village near Gao.",
        "Islamic State militants ambushed a convoy that evening.",
        "The ministry said on Monday that nobody was hurt.",
        "Earlier this month, Houthi rebels fired missiles at a ship in the Red Sea.",
        "One year later, the army withdrew from the city.",
        "Unidentified assailants abducted two aid workers in Darfur two weeks ago.",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        // The commit stage re-dates an article from the half prepared under another date (or
        // none): for any text and any pair of dates, the events must be those of a fresh
        // extraction and of assembling every time and place found under the new date.
        #[test]
        fn prepared_half_equals_assembly_from_scratch(
            picks in proptest::collection::vec(0..SENTENCES.len(), 1..10),
            d1 in proptest::option::of((1990i16..2030, 1i8..13, 1i8..29)),
            d2 in proptest::option::of((1990i16..2030, 1i8..13, 1i8..29)),
        ) {
            let x = extractor();
            let text: Vec<&str> = picks.iter().map(|&i| SENTENCES[i]).collect();
            let date = |d: Option<(i16, i8, i8)>| d.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
            let mut a = article(&text.join(" "));
            a.published.date = date(d1);
            let p = x.prepare(&a);
            a.published.date = date(d2);
            let got = x.extract_prepared(&a, &p);
            proptest::prop_assert_eq!(&got, &x.extract(&a));
            proptest::prop_assert_eq!(got, assembled_from_all(x, &a).0);
        }
    }

    fn extractor() -> &'static Extractor {
        static X: std::sync::LazyLock<Extractor> =
            std::sync::LazyLock::new(|| Extractor::new(&ExtractConfig::default()).unwrap());
        &X
    }
}
