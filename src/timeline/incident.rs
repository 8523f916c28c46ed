//! One real-world incident: the state the timeline keeps for it
//! ([`Incident`]), the casualty figures reported for it ([`Figures`], one
//! [`Claim`] per article) and the record written for each revision
//! ([`IncidentRecord`]). The state is also what the ledger persists, so it
//! is (de)serializable and holds nothing that cannot be rebuilt.

use serde::{Deserialize, Serialize};

use super::mention::{Actor, ArticleInfo, Count, Location, MentionDate, Sym};
use super::merge::Why;
use crate::sink::records::SCHEMA_VERSION;

/// One article's figure for an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    #[serde(with = "hex")]
    pub article: u128,
    pub value: u32,
    pub min: Option<u32>,
    pub max: Option<u32>,
    /// exact | at_least | about | at_most | none.
    pub qualifier: Sym,
    /// Publication date of the article making the claim.
    pub published: Option<Sym>,
    /// When sitrep ingested it.
    pub seen: Sym,
}

impl Claim {
    /// Order of preference for "best": the latest report (publication
    /// date), then the more specific figure, then the later ingest.
    fn rank(&self) -> (Option<&str>, u8, &str, u32) {
        (self.published.as_deref(), self.specificity(), &self.seen, self.value)
    }

    /// Smallest and largest value the claim allows.
    fn range(&self) -> (u32, u32) {
        (self.min.unwrap_or(self.value).min(self.value), self.max.unwrap_or(self.value).max(self.value))
    }

    fn specificity(&self) -> u8 {
        match self.qualifier.as_str() {
            "exact" => 3,
            "at_least" | "at_most" => 2,
            "about" => 1,
            _ => 0,
        }
    }
}

/// The claims about one figure (killed or injured): the latest
/// [`MAX_LISTED`] in full, the older ones folded into [`Earlier`] so that a
/// busy incident's state stays bounded while best/min/max stay exact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub claims: Vec<Claim>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Boxed: most incidents never fold a claim, and inline it would take
    /// a full claim's room in every incident.
    pub earlier: Option<Box<Earlier>>,
}

/// Claims that left [`Figures::claims`]: their count, range and best claim.
/// An article's claim only changes while its sentences are fed, so a claim
/// old enough to be folded is final.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Earlier {
    pub count: u64,
    pub min: u32,
    pub max: u32,
    pub best: Claim,
}

/// How `Figures` is written: best, range and every claim.
#[derive(Debug, Serialize)]
pub struct FiguresView<'a> {
    /// The figure to show: the latest report wins (publication date, then
    /// ingest time); on the same day an exact figure wins over a hedged one.
    pub best: Option<u32>,
    /// Smallest and largest figure any source gave.
    pub min: Option<u32>,
    pub max: Option<u32>,
    /// The best claim's hedge; `unknown` when no source gave a number.
    pub qualifier: &'a str,
    /// The latest [`MAX_LISTED`] claims, one per article.
    pub claims: &'a [Claim],
    pub claims_total: usize,
}

impl Figures {
    /// Record an article's figure; a later sentence of the same article
    /// replaces its earlier one ("rose to five" after "three").
    pub fn claim(&mut self, article: &ArticleInfo, c: &Count) {
        self.record_claim(article, c);
    }

    /// Fold the claims beyond the latest `keep` into `earlier`.
    fn fold_excess_to(&mut self, keep: usize) {
        while self.claims.len() > keep {
            let old = self.claims.remove(0);
            let (lo, hi) = old.range();
            match &mut self.earlier {
                None => self.earlier = Some(Box::new(Earlier { count: 1, min: lo, max: hi, best: old })),
                Some(e) => {
                    e.count += 1;
                    e.min = e.min.min(lo);
                    e.max = e.max.max(hi);
                    if old.rank() > e.best.rank() {
                        e.best = old;
                    }
                }
            }
        }
    }

    /// Fold the claims beyond the latest [`MAX_LISTED`] into `earlier`.
    fn fold_excess(&mut self) {
        self.fold_excess_to(MAX_LISTED);
    }

    fn record_claim(&mut self, article: &ArticleInfo, c: &Count) {
        let Some(value) = c.value.filter(|_| c.is_known()) else { return };
        let aid = super::mention::id_of(&article.id);
        let claim = Claim {
            article: aid,
            value,
            min: c.min,
            max: c.max,
            qualifier: c.qualifier.clone(),
            published: article.published.as_deref().map(Sym::new),
            seen: Sym::new(&article.ingested_at),
        };
        match self.claims.iter_mut().find(|x| x.article == aid) {
            Some(x) => *x = claim,
            None => {
                // Fold the oldest first, then add: the same claims as adding
                // first, and the list never outgrows MAX_LISTED (no doubled
                // capacity held by every busy incident).
                self.fold_excess_to(MAX_LISTED - 1);
                if self.claims.capacity() == 0 {
                    self.claims.reserve_exact(1);
                }
                self.claims.push(claim)
            }
        }
    }

    pub fn best(&self) -> Option<&Claim> {
        self.claims.iter().chain(self.earlier.as_ref().map(|e| &e.best)).max_by(|a, b| a.rank().cmp(&b.rank()))
    }

    pub fn view(&self) -> FiguresView<'_> {
        let best = self.best();
        let earlier = self.earlier.as_ref();
        FiguresView {
            best: best.map(|c| c.value),
            min: self.claims.iter().map(|c| c.range().0).chain(earlier.map(|e| e.min)).min(),
            max: self.claims.iter().map(|c| c.range().1).chain(earlier.map(|e| e.max)).max(),
            qualifier: best.map(|c| c.qualifier.as_str()).unwrap_or("unknown"),
            claims: &self.claims,
            claims_total: self.claims.len() + earlier.map_or(0, |e| e.count as usize),
        }
    }
}

/// Why one event joined (or opened) the incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeNote {
    /// The event (null for a duplicate article, which brings no event).
    #[serde(with = "hex_opt")]
    pub event: Option<u128>,
    #[serde(with = "hex")]
    pub article: u128,
    pub rule: Rule,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub why: Option<Why>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub score: Option<u32>,
}

/// How an article came into an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rule {
    /// Its event opened the incident.
    Opened,
    /// Its event merged into the incident (see `why`).
    Merged,
    /// A copy of an article already counted (exact or near duplicate).
    Duplicate,
}

/// Mentions by modality.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Modalities {
    #[serde(default, skip_serializing_if = "is_zero")]
    pub asserted: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub claimed: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub denied: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Modalities {
    pub fn count(&mut self, modality: &str) {
        match modality {
            "claimed" => self.claimed += 1,
            "denied" => self.denied += 1,
            _ => self.asserted += 1,
        }
    }
}

/// The incident's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    #[serde(with = "hex")]
    pub id: u128,
    pub rev: u32,
    /// Creation order (tie-break between equally good candidates).
    pub seq: u64,
    pub event_type: Sym,
    pub sub_event_type: Sym,
    /// The type came only from generic words so far.
    pub generic: bool,
    pub date: MentionDate,
    pub location: Option<Location>,
    pub actors: Vec<Actor>,
    pub fatalities: Figures,
    pub injured: Figures,
    /// The latest [`MAX_KEPT_ARTICLES`] articles (duplicate fan-out looks
    /// them up); `articles_total` counts all.
    #[serde(with = "hex_vec")]
    pub articles: Vec<u128>,
    #[serde(default)]
    pub articles_total: u64,
    #[serde(with = "hex_vec")]
    pub sources: Vec<u128>,
    #[serde(with = "hex_vec")]
    pub stories: Vec<u128>,
    /// The latest [`MAX_LISTED`] events; `events_total` counts all.
    #[serde(with = "hex_vec")]
    pub events: Vec<u128>,
    #[serde(default)]
    pub events_total: u64,
    pub first_seen: Sym,
    pub last_seen: Sym,
    /// The window clock's day at the last report ([`crate::clock`]): an
    /// undated incident closes `window_days` after it. (States written
    /// before it existed use `last_seen`'s day.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_day: Option<i32>,
    /// Boxed text, not a `String`: no spare capacity, one word less.
    pub headline: Option<Box<str>>,
    /// The first merge note and the latest ones (bounded; `merges` counts all).
    pub merge: Vec<MergeNote>,
    pub merges: u64,
    /// Mentions by modality (asserted, claimed, denied).
    pub modality: Modalities,
    /// The days `date` may mean (derived, cached for the merge rule).
    #[serde(skip)]
    pub range: Option<(i32, i32)>,
}

/// Merge notes kept per incident: the opening one plus the latest.
pub const MAX_MERGE_NOTES: usize = 4;
/// Actors kept per incident.
pub const MAX_ACTORS: usize = 16;

impl Incident {
    pub fn note(&mut self, n: MergeNote) {
        self.merges += 1;
        if self.merge.len() >= MAX_MERGE_NOTES {
            self.merge.remove(1);
        }
        self.merge.push(n);
    }

    pub fn add_actors(&mut self, actors: &[Actor]) {
        for a in actors {
            if a.name.is_none() && self.actors.iter().any(|x| x.role == a.role) {
                continue;
            }
            if self.actors.len() >= MAX_ACTORS {
                break;
            }
            if !self.actors.iter().any(|x| x.name == a.name && x.role == a.role) {
                self.actors.push(a.clone());
            }
        }
        // A named perpetrator replaces "unknown perpetrator".
        if self.actors.iter().any(|a| a.role == "actor1" && a.name.is_some()) {
            self.actors.retain(|a| !(a.role == "actor1" && a.name.is_none()));
        }
    }

    /// Count an article; `None` if it is already the latest one, else the
    /// article that left the kept list to make room (if any).
    pub fn add_article(&mut self, a: &ArticleInfo) -> Option<Option<u128>> {
        let id = super::mention::id_of(&a.id);
        // An article's mentions arrive together, and no article is fed twice,
        // so a repeat can only be the latest entry.
        if self.articles.last() == Some(&id) {
            return None;
        }
        // Drop the oldest before adding: the kept list never outgrows its bound.
        let dropped = (self.articles.len() >= MAX_KEPT_ARTICLES).then(|| self.articles.remove(0));
        self.articles.push(id);
        self.articles_total += 1;
        let src = a.source_group.as_deref().map(super::mention::id_of).unwrap_or(id);
        // Kept sorted: a busy incident gathers thousands, and membership
        // must not cost a scan per article.
        if let Err(at) = self.sources.binary_search(&src) {
            self.sources.insert(at, src);
        }
        if let Some(s) = a.story.as_deref().map(super::mention::id_of) {
            if let Err(at) = self.stories.binary_search(&s) {
                self.stories.insert(at, s);
            }
        }
        if a.ingested_at.as_str() < self.first_seen.as_str() {
            self.first_seen = Sym::new(&a.ingested_at);
        }
        if a.ingested_at.as_str() > self.last_seen.as_str() {
            self.last_seen = Sym::new(&a.ingested_at);
        }
        Some(dropped)
    }

    /// Count an event (each is fed once). The timeline lists it for the
    /// next revision's `events_new`.
    pub fn add_event(&mut self, id: u128) {
        if self.events.len() >= MAX_LISTED {
            self.events.remove(0);
        }
        self.events.push(id);
        self.events_total += 1;
    }

    /// Give back the room the lists grew into (a `Vec` takes four entries
    /// at its first push, a list of merge notes or actors 256 bytes): most
    /// incidents stop changing after a revision or two but stay open for
    /// the whole window. Called once per revision, so a busy incident's
    /// lists are not reallocated per article.
    pub(super) fn shrink(&mut self) {
        self.articles.shrink_to_fit();
        self.sources.shrink_to_fit();
        self.stories.shrink_to_fit();
        self.events.shrink_to_fit();
        self.merge.shrink_to_fit();
        self.actors.shrink_to_fit();
        self.fatalities.claims.shrink_to_fit();
        self.injured.claims.shrink_to_fit();
    }

    /// A state read back from the ledger: totals at least the list lengths
    /// (states written before the totals existed), lists within their bounds.
    pub(super) fn normalize_restored(&mut self) {
        self.articles_total = self.articles_total.max(self.articles.len() as u64);
        self.events_total = self.events_total.max(self.events.len() as u64);
        let extra = self.articles.len().saturating_sub(MAX_KEPT_ARTICLES);
        self.articles.drain(..extra);
        let extra = self.events.len().saturating_sub(MAX_LISTED);
        self.events.drain(..extra);
        self.fatalities.fold_excess();
        self.injured.fold_excess();
        self.shrink();
    }

    /// The record of the current revision; `events_new`: the events merged
    /// since the previous one (kept by the timeline for the incidents
    /// touched since, not in every incident).
    pub fn record<'a>(&'a self, status: &'static str, events_new: &'a [u128]) -> IncidentRecord<'a> {
        IncidentRecord {
            kind: "incident",
            v: SCHEMA_VERSION,
            id: HexId(self.id),
            rev: self.rev,
            status,
            event_type: &self.event_type,
            sub_event_type: &self.sub_event_type,
            date: &self.date,
            location: self.location.as_ref(),
            actors: &self.actors,
            fatalities: self.fatalities.view(),
            injured: self.injured.view(),
            articles: self.articles_total as usize,
            sources: self.sources.len(),
            events: HexIds(&self.events),
            events_new: HexIds(events_new),
            events_total: self.events_total as usize,
            first_seen: &self.first_seen,
            last_seen: &self.last_seen,
            headline: self.headline.as_deref(),
            merge: &self.merge,
            merges: self.merges,
            modality: &self.modality,
            article_ids: HexIds(tail(&self.articles)),
            source_groups: HexIds(tail(&self.sources)),
        }
    }
}

/// One line of `incidents.ndjson`: a full revision of an incident.
#[derive(Debug, Serialize)]
pub struct IncidentRecord<'a> {
    pub kind: &'static str,
    pub v: u32,
    pub id: HexId,
    /// 1 for the first revision, +1 for every change.
    pub rev: u32,
    /// open | closed (left the rolling window; its last revision).
    pub status: &'static str,
    pub event_type: &'a str,
    pub sub_event_type: &'a str,
    pub date: &'a MentionDate,
    pub location: Option<&'a Location>,
    pub actors: &'a [Actor],
    pub fatalities: FiguresView<'a>,
    pub injured: FiguresView<'a>,
    /// Articles mentioning it (wire copies included).
    pub articles: usize,
    /// Independent sources (a wire story and its copies count once).
    pub sources: usize,
    /// Event ids, the latest [`MAX_LISTED`].
    pub events: HexIds<'a>,
    /// Events merged since the previous revision (all of them): following
    /// the revisions maps every event to its incident.
    pub events_new: HexIds<'a>,
    /// Events merged into it (all of them).
    pub events_total: usize,
    pub first_seen: &'a str,
    pub last_seen: &'a str,
    pub headline: Option<&'a str>,
    pub merge: &'a [MergeNote],
    /// Merge notes ever made (`merge` keeps the first and the latest).
    pub merges: u64,
    pub modality: &'a Modalities,
    /// The latest [`MAX_LISTED`] article ids and (in id order) at most
    /// [`MAX_LISTED`] source groups; `articles` and `sources` count them all.
    pub article_ids: HexIds<'a>,
    pub source_groups: HexIds<'a>,
}

impl IncidentRecord<'_> {
    /// Append the record as compact JSON, byte for byte what
    /// `serde_json::to_writer` writes for it (tests hold them equal). One
    /// revision per touched incident per commit, each a few KB: through
    /// serde's generic path this was most of the timeline's cost on the
    /// commit thread. Keys are literals; text goes through the records'
    /// string writer ([`crate::sink::json::write_str`]).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let o = &mut *out;
        o.extend_from_slice(b"{\"kind\":");
        json_str(o, self.kind);
        o.extend_from_slice(b",\"v\":");
        num(o, self.v.into());
        o.extend_from_slice(b",\"id\":");
        hex_id(o, self.id.0);
        o.extend_from_slice(b",\"rev\":");
        num(o, self.rev.into());
        o.extend_from_slice(b",\"status\":");
        json_str(o, self.status);
        o.extend_from_slice(b",\"event_type\":");
        json_str(o, self.event_type);
        o.extend_from_slice(b",\"sub_event_type\":");
        json_str(o, self.sub_event_type);
        o.extend_from_slice(b",\"date\":");
        date_json(o, self.date);
        o.extend_from_slice(b",\"location\":");
        match self.location {
            None => o.extend_from_slice(b"null"),
            Some(l) => {
                o.extend_from_slice(b"{\"text\":");
                json_str(o, &l.text);
                o.extend_from_slice(b",\"name\":");
                json_str(o, &l.name);
                o.extend_from_slice(b",\"country\":");
                opt_str(o, l.country.as_deref());
                o.extend_from_slice(b",\"admin1\":");
                opt_str(o, l.admin1.as_deref());
                o.extend_from_slice(b",\"lat\":");
                float(o, l.lat);
                o.extend_from_slice(b",\"lon\":");
                float(o, l.lon);
                o.extend_from_slice(b",\"precision\":");
                json_str(o, &l.precision);
                o.push(b'}');
            }
        }
        o.extend_from_slice(b",\"actors\":[");
        for (i, a) in self.actors.iter().enumerate() {
            if i > 0 {
                o.push(b',');
            }
            o.extend_from_slice(b"{\"name\":");
            opt_str(o, a.name.as_deref());
            o.extend_from_slice(b",\"text\":");
            opt_str(o, a.text.as_deref());
            o.extend_from_slice(b",\"role\":");
            json_str(o, &a.role);
            o.extend_from_slice(b",\"type\":");
            json_str(o, &a.kind);
            o.push(b'}');
        }
        o.extend_from_slice(b"],\"fatalities\":");
        figures_json(o, &self.fatalities);
        o.extend_from_slice(b",\"injured\":");
        figures_json(o, &self.injured);
        o.extend_from_slice(b",\"articles\":");
        num(o, self.articles as u64);
        o.extend_from_slice(b",\"sources\":");
        num(o, self.sources as u64);
        o.extend_from_slice(b",\"events\":");
        hex_ids(o, self.events.0);
        o.extend_from_slice(b",\"events_new\":");
        hex_ids(o, self.events_new.0);
        o.extend_from_slice(b",\"events_total\":");
        num(o, self.events_total as u64);
        o.extend_from_slice(b",\"first_seen\":");
        json_str(o, self.first_seen);
        o.extend_from_slice(b",\"last_seen\":");
        json_str(o, self.last_seen);
        o.extend_from_slice(b",\"headline\":");
        opt_str(o, self.headline);
        o.extend_from_slice(b",\"merge\":[");
        for (i, n) in self.merge.iter().enumerate() {
            if i > 0 {
                o.push(b',');
            }
            o.extend_from_slice(b"{\"event\":");
            match n.event {
                Some(e) => hex_id(o, e),
                None => o.extend_from_slice(b"null"),
            }
            o.extend_from_slice(b",\"article\":");
            hex_id(o, n.article);
            o.extend_from_slice(match n.rule {
                Rule::Opened => b",\"rule\":\"opened\"",
                Rule::Merged => b",\"rule\":\"merged\"",
                Rule::Duplicate => b",\"rule\":\"duplicate\"",
            });
            if let Some(w) = &n.why {
                o.extend_from_slice(b",\"why\":{\"type\":");
                json_str(o, w.kind());
                o.extend_from_slice(b",\"place\":");
                json_str(o, w.place());
                o.extend_from_slice(b",\"date\":");
                json_str(o, w.date());
                o.extend_from_slice(b",\"actors\":");
                json_str(o, w.actors());
                o.push(b'}');
            }
            if let Some(v) = n.score {
                o.extend_from_slice(b",\"score\":");
                num(o, v.into());
            }
            o.push(b'}');
        }
        o.extend_from_slice(b"],\"merges\":");
        num(o, self.merges);
        o.extend_from_slice(b",\"modality\":{");
        let mut first = true;
        for (key, v) in [
            (&b"\"asserted\":"[..], self.modality.asserted),
            (b"\"claimed\":", self.modality.claimed),
            (b"\"denied\":", self.modality.denied),
        ] {
            if v != 0 {
                if !first {
                    o.push(b',');
                }
                first = false;
                o.extend_from_slice(key);
                num(o, v.into());
            }
        }
        o.extend_from_slice(b"},\"article_ids\":");
        hex_ids(o, self.article_ids.0);
        o.extend_from_slice(b",\"source_groups\":");
        hex_ids(o, self.source_groups.0);
        o.push(b'}');
    }
}

fn json_str(o: &mut Vec<u8>, s: &str) {
    crate::sink::json::write_str(o, s);
}

fn opt_str(o: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => json_str(o, s),
        None => o.extend_from_slice(b"null"),
    }
}

/// Decimal digits, as serde_json writes integers.
fn num(o: &mut Vec<u8>, v: u64) {
    crate::sink::json::write_u64(o, v);
}

fn opt_num(o: &mut Vec<u8>, v: Option<u32>) {
    match v {
        Some(v) => num(o, v.into()),
        None => o.extend_from_slice(b"null"),
    }
}

/// serde_json's own float formatting (`null` when not finite).
fn float(o: &mut Vec<u8>, v: Option<f64>) {
    match v {
        Some(v) => serde_json::to_writer(&mut *o, &v).expect("a float serializes"),
        None => o.extend_from_slice(b"null"),
    }
}

/// A hex id needs no escaping.
fn hex_id(o: &mut Vec<u8>, v: u128) {
    o.push(b'"');
    o.extend_from_slice(&crate::sink::records::hex128_bytes(v));
    o.push(b'"');
}

fn hex_ids(o: &mut Vec<u8>, v: &[u128]) {
    o.push(b'[');
    for (i, x) in v.iter().enumerate() {
        if i > 0 {
            o.push(b',');
        }
        hex_id(o, *x);
    }
    o.push(b']');
}

fn date_json(o: &mut Vec<u8>, d: &MentionDate) {
    o.extend_from_slice(b"{\"value\":");
    opt_str(o, d.value.as_deref());
    o.extend_from_slice(b",\"precision\":");
    json_str(o, &d.precision);
    if let Some(b) = &d.basis {
        o.extend_from_slice(b",\"basis\":");
        json_str(o, b);
    }
    o.push(b'}');
}

fn claim_json(o: &mut Vec<u8>, c: &Claim) {
    o.extend_from_slice(b"{\"article\":");
    hex_id(o, c.article);
    o.extend_from_slice(b",\"value\":");
    num(o, c.value.into());
    o.extend_from_slice(b",\"min\":");
    opt_num(o, c.min);
    o.extend_from_slice(b",\"max\":");
    opt_num(o, c.max);
    o.extend_from_slice(b",\"qualifier\":");
    json_str(o, &c.qualifier);
    o.extend_from_slice(b",\"published\":");
    opt_str(o, c.published.as_deref());
    o.extend_from_slice(b",\"seen\":");
    json_str(o, &c.seen);
    o.push(b'}');
}

fn figures_json(o: &mut Vec<u8>, f: &FiguresView<'_>) {
    o.extend_from_slice(b"{\"best\":");
    opt_num(o, f.best);
    o.extend_from_slice(b",\"min\":");
    opt_num(o, f.min);
    o.extend_from_slice(b",\"max\":");
    opt_num(o, f.max);
    o.extend_from_slice(b",\"qualifier\":");
    json_str(o, f.qualifier);
    o.extend_from_slice(b",\"claims\":[");
    for (i, c) in f.claims.iter().enumerate() {
        if i > 0 {
            o.push(b',');
        }
        claim_json(o, c);
    }
    o.extend_from_slice(b"],\"claims_total\":");
    num(o, f.claims_total as u64);
    o.push(b'}');
}

/// Ids written as a list of 32-digit hex strings, formatted on the stack
/// (a revision lists up to 32 ids, and a `String` each showed in profiles).
#[derive(Debug, Clone, Copy)]
pub struct HexIds<'a>(pub &'a [u128]);

impl Serialize for HexIds<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|x| HexId(*x)))
    }
}

/// One id written as a 32-digit hex string, formatted on the stack.
#[derive(Debug, Clone, Copy)]
pub struct HexId(pub u128);

impl Serialize for HexId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let digits = crate::sink::records::hex128_bytes(self.0);
        s.serialize_str(std::str::from_utf8(&digits).expect("hex digits are ASCII"))
    }
}

/// Longest id or claim list kept and written in one revision: a revision
/// (and the state behind it) stays small however many reports an incident
/// gathers; its counts are exact.
pub const MAX_LISTED: usize = 8;

/// Articles kept per incident for duplicate fan-out: a copy of an article
/// older than the latest this many does not reach the incident (which has
/// this many articles already).
pub const MAX_KEPT_ARTICLES: usize = 256;

fn tail<T>(v: &[T]) -> &[T] {
    &v[v.len().saturating_sub(MAX_LISTED)..]
}

mod hex {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&super::HexId(*v), s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        let s = String::deserialize(d)?;
        u128::from_str_radix(&s, 16).map_err(serde::de::Error::custom)
    }
}

mod hex_opt {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &Option<u128>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => serde::Serialize::serialize(&super::HexId(*v), s),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u128>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(s) => u128::from_str_radix(&s, 16).map(Some).map_err(serde::de::Error::custom),
            None => Ok(None),
        }
    }
}

mod hex_vec {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &[u128], s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&super::HexIds(v), s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u128>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|s| u128::from_str_radix(s, 16).map_err(serde::de::Error::custom))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::records::hex128;

    fn art(id: u128, published: &str, seen: &str) -> ArticleInfo {
        ArticleInfo {
            id: hex128(id),
            ingested_at: seen.into(),
            published: Some(published.into()),
            source_group: None,
            story: None,
            duplicate_of: None,
        }
    }
    fn count(v: u32, q: &str) -> Count {
        let max = if q == "at_least" { None } else { Some(v) };
        Count { value: Some(v), min: Some(v), max, qualifier: q.into() }
    }

    #[test]
    fn a_later_toll_supersedes_and_the_range_keeps_both() {
        let mut f = Figures::default();
        f.claim(&art(1, "2024-01-04", "2024-01-04T10:00:00Z"), &count(3, "exact"));
        f.claim(&art(2, "2024-01-05", "2024-01-05T09:00:00Z"), &count(5, "exact"));
        let v = f.view();
        assert_eq!((v.best, v.min, v.max, v.qualifier), (Some(5), Some(3), Some(5), "exact"));
        // An older article ingested later does not override the newer toll.
        f.claim(&art(3, "2024-01-03", "2024-01-06T09:00:00Z"), &count(2, "about"));
        assert_eq!(f.view().best, Some(5));
        assert_eq!(f.view().min, Some(2));
    }

    #[test]
    fn shared_text_is_one_word_and_an_incident_fits_a_smaller_block() {
        use std::mem::size_of;
        assert_eq!(size_of::<Sym>(), 8);
        assert_eq!(size_of::<Option<Sym>>(), 8);
        // mimalloc rounds a boxed incident up to its next size class
        // (…, 384, 448, 512, 640): 448 is what the compact layout is for.
        assert!(size_of::<Incident>() <= 448, "{}", size_of::<Incident>());
    }

    #[test]
    fn shrinking_keeps_the_state_and_drops_spare_room() {
        let mut f = Figures::default();
        f.claim(&art(1, "2024-01-04", "t1"), &count(3, "exact"));
        let json = |f: &Figures| serde_json::to_string(f).unwrap();
        let mut inc: Incident = serde_json::from_str(&format!(
            r#"{{"id":"01","rev":1,"seq":0,"event_type":"Battles","sub_event_type":"Armed clash","generic":false,
            "date":{{"value":null,"precision":"unknown"}},"location":null,"actors":[],"fatalities":{},
            "injured":{{"claims":[]}},"articles":[],"sources":[],"stories":[],"events":[],"first_seen":"t1",
            "last_seen":"t1","headline":"Boom.","merge":[],"merges":0,"modality":{{}}}}"#,
            json(&f)
        ))
        .unwrap();
        for i in 1..=5u128 {
            inc.add_article(&art(i, "2024-01-04", "t1"));
            inc.add_event(i << 8);
        }
        let before = serde_json::to_string(&inc).unwrap();
        inc.shrink();
        assert_eq!(serde_json::to_string(&inc).unwrap(), before);
        assert_eq!((inc.articles.capacity(), inc.sources.capacity(), inc.events.capacity()), (5, 5, 5));
    }

    proptest::proptest! {
        /// The hand-written revision line is serde_json's, byte for byte.
        #[test]
        fn revision_lines_are_what_serde_json_writes(
            seed in proptest::prelude::any::<u64>(),
            words in proptest::collection::vec(proptest::prelude::any::<String>(), 1..6),
        ) {
            let mut pool = words;
            pool.extend(["", "exact", "2024-01-04", "a \"quoted\"\n\\line\u{7f}\u{1}", "ça, 東京"].map(String::from));
            let mut inc = super::super::row::tests::incident(seed, &pool);
            // Real counts leave room for the listed claims in `claims_total`.
            for f in [&mut inc.fatalities, &mut inc.injured] {
                if let Some(e) = f.earlier.as_mut() {
                    e.count >>= 8;
                }
            }
            let new: Vec<u128> = inc.events.iter().rev().copied().collect();
            for status in ["open", "closed"] {
                let rec = inc.record(status, &new);
                let mut line = Vec::new();
                rec.write_json(&mut line);
                proptest::prop_assert_eq!(
                    String::from_utf8(line).unwrap(),
                    serde_json::to_string(&rec).unwrap()
                );
            }
        }
    }

    #[test]
    fn unknown_stays_unknown_and_hedges_are_kept() {
        let mut f = Figures::default();
        f.claim(&art(1, "2024-01-04", "t1"), &Count { value: None, min: None, max: None, qualifier: "unknown".into() });
        let v = f.view();
        assert_eq!((v.best, v.qualifier), (None, "unknown"));
        f.claim(&art(2, "2024-01-04", "t2"), &count(5, "at_least"));
        let v = f.view();
        assert_eq!((v.best, v.min, v.max, v.qualifier), (Some(5), Some(5), Some(5), "at_least"));
        // Same day: an exact figure wins over a hedged one.
        f.claim(&art(3, "2024-01-04", "t0"), &count(4, "exact"));
        assert_eq!(f.view().best, Some(4));
    }
}
