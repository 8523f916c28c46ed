//! Event assembly: one sentence with a trigger → one [`Event`], with its
//! type, date, place, actors, casualties, modality and evidence.
//!
//! Core types: [`Event`], [`EventDate`], [`Place`], [`ActorRole`],
//! [`TimeMention`], [`PlaceMention`]; entry point [`assemble`]. Time
//! expressions and places are found document-wide by their own modules
//! (so context from other sentences can resolve them) and handed in here as
//! plain mentions with byte offsets into the article text; this module is
//! the sentence-level logic that ties them to a trigger. Pure: no I/O.

use serde::Serialize;

use super::actors::ActorDict;
use super::actors::{ActorMention, GenericActor};
use super::casualties::{casualties, Count};
use super::lexicon::{Lexicon, TriggerHit};
use super::modality::{is_aggregate_in, modality_in, unclaimed_in, Modality};
use super::taxonomy::{EventType, SubEventType};

/// A time expression found in the article (byte offsets into its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeMention {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// TIMEX3 value when resolved.
    pub value: Option<String>,
    /// day | week | month | season | quarter | year | decade | unknown.
    pub precision: &'static str,
    /// explicit | relative | anchor.
    pub basis: &'static str,
    /// A calendar point (not a duration or a set).
    pub is_date: bool,
}

/// A resolved place found in the article (byte offsets into its text).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceMention {
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
    pub text: String,
    pub name: String,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// site | town | admin2 | admin1 | country.
    pub precision: &'static str,
}

/// When an event happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventDate {
    pub value: Option<String>,
    pub precision: &'static str,
    /// The expression the date was read from (the publication date's own text when `basis` is `publication`).
    pub text: Option<String>,
    /// explicit | relative | publication | unknown.
    pub basis: &'static str,
}

/// An actor with its role in one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActorRole {
    /// Canonical name; `null` for an unknown perpetrator.
    pub name: Option<String>,
    /// As written.
    pub text: Option<String>,
    /// actor1 (perpetrator) | actor2 (target) | claimant | source.
    pub role: &'static str,
    #[serde(rename = "type")]
    pub kind: String,
}

/// The sentence an event was read from (code-point offsets into the article text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentenceRef {
    pub index: usize,
    pub start: u32,
    pub end: u32,
    pub text: String,
}

/// One event mention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub event_type: EventType,
    pub sub_event_type: SubEventType,
    pub trigger: String,
    /// Typed from a generic word ("attack", "struck") rather than a specific
    /// trigger; the timeline lets such a mention join a specific incident.
    pub generic: bool,
    pub sentence: SentenceRef,
    pub date: EventDate,
    pub historical: bool,
    pub modality: Modality,
    pub aggregate: bool,
    pub location: Option<PlaceMention>,
    pub actors: Vec<ActorRole>,
    pub fatalities: Count,
    pub injured: Count,
    pub confidence: f32,
}

/// What the assembler needs about the article.
pub struct ArticleView<'a> {
    pub text: &'a str,
    /// Sentence spans in code points, as in `Article::sentences`.
    pub sentences: &'a [(u32, u32)],
    /// Publication date `YYYY-MM-DD`, if known.
    pub published: Option<&'a str>,
}

/// Assemble the events of one article.
pub fn assemble(
    a: &ArticleView<'_>,
    lexicon: &Lexicon,
    actors: &ActorDict,
    times: &[TimeMention],
    places: &[PlaceMention],
) -> Vec<Event> {
    let spans = byte_spans(a.text, a.sentences);
    let cands = candidates(a.text, &spans, lexicon, actors);
    assemble_candidates(a, &cands, actors, times, places)
}

/// A sentence that can yield an event: it has a trigger, and a generic trigger has a type
/// from the actors around it. Found before times and places, which only matter here.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Sentence index and its byte span in the article.
    pub index: usize,
    pub start: usize,
    pub end: usize,
    /// The trigger that types the event (offsets into the sentence).
    pub hit: TriggerHit,
    pub sub: SubEventType,
}

/// The sentences (as byte spans from [`byte_spans`]) that can yield an event, in order.
/// Depends only on the text: the caller can skip time and place tagging when there are none,
/// and needs times only up to the end of the last one.
pub fn candidates(text: &str, spans: &[(usize, usize)], lexicon: &Lexicon, actors: &ActorDict) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (index, &(bs, be)) in spans.iter().enumerate() {
        let sentence = &text[bs..be];
        let hits = lexicon.find(sentence);
        let Some(hit) = best_trigger(&hits) else { continue };
        let sub = match hit.info.sub {
            Some(s) => s,
            None => match generic_type(sentence, hit, actors) {
                Some(s) => s,
                None => continue,
            },
        };
        out.push(Candidate { index, start: bs, end: be, hit: hit.clone(), sub });
    }
    out
}

/// The events of the [`candidates`] of one article, given its times and places.
pub fn assemble_candidates(
    a: &ArticleView<'_>,
    cands: &[Candidate],
    actors: &ActorDict,
    times: &[TimeMention],
    places: &[PlaceMention],
) -> Vec<Event> {
    drafts(a.text, a.sentences, cands, actors, places).finish_owned(times, a.published)
}

/// The events of an article before their dates: everything [`assemble_candidates`] reads from
/// the sentences, their actors and places, none of which depends on the publication date.
/// [`Drafts::finish`] adds the dates and what follows from them (historical, confidence), so an
/// article that changes date is re-dated without assembling it again.
#[derive(Debug, Clone, Default)]
pub struct Drafts {
    /// The events with a placeholder date; `historical` and `confidence` are set by `finish`.
    events: Vec<Event>,
    /// What dating each event needs, in the same order.
    meta: Vec<DraftMeta>,
}

#[derive(Debug, Clone)]
struct DraftMeta {
    /// Byte span of the sentence and of the trigger's start.
    start: usize,
    end: usize,
    trig: usize,
    /// The sentence contains " since " (lower-cased), see [`is_historical`].
    since: bool,
    specificity: u8,
}

impl Drafts {
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Byte spans of the sentences, in order: only the times inside them matter to `finish`.
    pub fn spans(&self) -> impl DoubleEndedIterator<Item = (usize, usize)> + '_ {
        self.meta.iter().map(|m| (m.start, m.end))
    }

    /// The events, dated from `times` (the article's, in text order) or the publication date.
    pub fn finish(&self, times: &[TimeMention], published: Option<&str>) -> Vec<Event> {
        self.clone().finish_owned(times, published)
    }

    /// [`Drafts::finish`], taking the events over instead of copying them.
    pub fn finish_owned(mut self, times: &[TimeMention], published: Option<&str>) -> Vec<Event> {
        for (e, m) in self.events.iter_mut().zip(&self.meta) {
            let date = event_date(times, m.start, m.end, m.trig, published);
            e.historical = is_historical(&date, published, m.since);
            let roles12 = e.actors.iter().any(|r| r.role == "actor1" || r.role == "actor2");
            e.confidence = confidence(m.specificity, &date, e.location.is_some(), roles12, e.modality, e.aggregate);
            e.date = date;
        }
        self.events
    }
}

/// The [`Drafts`] of the [`candidates`] of one article (`sentences` in code points, as in
/// [`ArticleView`]), given its places. Candidates that cannot make an event whatever the date
/// (a generic word with no corroborating detail) have none.
pub fn drafts(
    text: &str,
    sentences: &[(u32, u32)],
    cands: &[Candidate],
    actors: &ActorDict,
    places: &[PlaceMention],
) -> Drafts {
    let mut out = Drafts { events: Vec::with_capacity(cands.len()), meta: Vec::with_capacity(cands.len()) };
    for c in cands {
        let (idx, bs, be, hit, sub) = (c.index, c.start, c.end, &c.hit, c.sub);
        let sentence = &text[bs..be];
        // One lower-cased copy for every cue scan below.
        let lower = sentence.to_lowercase();
        let aggregate = is_aggregate_in(&lower, (hit.start, hit.end), hit.info.plural_is_tally);
        let modality = modality_in(&lower, (hit.start, hit.end));
        let cas = casualties(sentence);
        // A place inside an actor's name ("U.S. military", "Kurdistan Regional
        // Government") says who, not where.
        let found = actors.find_all(sentence);
        let actor_spans: Vec<(usize, usize)> = found
            .0
            .iter()
            .map(|m| (bs + m.start, bs + m.end))
            .chain(found.1.iter().map(|g| (bs + g.start, bs + g.end)))
            .collect();
        let location = event_place(text, places, bs, be, bs + hit.start, &actor_spans);
        let roles = actor_roles(sentence, &lower, hit, actors, found);
        let generic = hit.info.sub.is_none();
        // Generic words ("attack", "struck") alone are weak: demand some
        // corroborating detail so political statements do not become events.
        if generic && location.is_none() && !cas.fatalities.is_known() && !cas.injured.is_known() && roles.is_empty() {
            continue;
        }
        let event = Event {
            event_type: sub.event_type(),
            sub_event_type: sub,
            trigger: sentence[hit.start..hit.end].to_string(),
            generic,
            sentence: SentenceRef {
                index: idx,
                start: sentences[idx].0,
                end: sentences[idx].1,
                text: sentence.to_string(),
            },
            date: EventDate { value: None, precision: "unknown", text: None, basis: "unknown" },
            historical: false,
            modality,
            aggregate,
            location,
            actors: roles,
            fatalities: cas.fatalities,
            injured: cas.injured,
            confidence: 0.0,
        };
        out.events.push(event);
        out.meta.push(DraftMeta {
            start: bs,
            end: be,
            trig: bs + hit.start,
            since: lower.contains(" since "),
            specificity: hit.info.specificity,
        });
    }
    out
}

/// Code-point spans → byte spans.
pub fn byte_spans(text: &str, spans: &[(u32, u32)]) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(spans.len());
    // Byte offset of code point number `pos`; only moves forward (spans come in order).
    let (mut pos, mut cur) = (0u32, 0usize);
    let mut at = |target: u32| {
        while pos < target && cur < b.len() {
            // ASCII bytes in blocks of 32, then 8: each is one code point. Runs over the whole
            // article; a block is ASCII when no byte has its top bit set.
            if target - pos >= 32 && cur + 32 <= b.len() && ascii_block::<4>(&b[cur..cur + 32]) {
                cur += 32;
                pos += 32;
                continue;
            }
            if target - pos >= 8 && cur + 8 <= b.len() && ascii_block::<1>(&b[cur..cur + 8]) {
                cur += 8;
                pos += 8;
                continue;
            }
            cur += 1;
            while cur < b.len() && b[cur] & 0xC0 == 0x80 {
                cur += 1;
            }
            pos += 1;
        }
        cur
    };
    for &(s, e) in spans {
        let bs = at(s);
        let be = at(e);
        out.push((bs, be.max(bs)));
    }
    out
}

// Are the `8 * N` bytes of `b` all ASCII? Words of 8 bytes OR-ed together, one test.
fn ascii_block<const N: usize>(b: &[u8]) -> bool {
    let mut acc = 0u64;
    for c in b.chunks_exact(8).take(N) {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        acc |= u64::from_le_bytes(w);
    }
    acc & 0x8080_8080_8080_8080 == 0
}

fn best_trigger(hits: &[TriggerHit]) -> Option<&TriggerHit> {
    hits.iter().max_by_key(|h| (h.info.specificity, std::cmp::Reverse(h.start)))
}

/// A generic attack word: civilians as target → "Attack", an armed
/// perpetrator or target → "Armed clash". Nothing to go on → no event.
fn generic_type(sentence: &str, hit: &TriggerHit, actors: &ActorDict) -> Option<SubEventType> {
    let ms = actors.find(sentence);
    let civilian_target = ms.iter().any(|m| m.start > hit.start && actors.actor(m.actor).kind == "civilians");
    if civilian_target {
        return Some(SubEventType::Attack);
    }
    let armed = ms.iter().any(|m| {
        matches!(
            actors.actor(m.actor).kind.as_str(),
            "state forces"
                | "rebel group"
                | "political militia"
                | "identity militia"
                | "unidentified armed group"
                | "external/other forces"
        )
    });
    let lower = sentence.to_lowercase();
    let military_target =
        ["base", "checkpoint", "convoy", "patrol", "position", "outpost", "barracks", "troops", "soldiers"]
            .iter()
            .any(|w| lower[hit.end.min(lower.len())..].contains(w) || lower[..hit.start.min(lower.len())].contains(w));
    (armed || military_target).then_some(SubEventType::ArmedClash)
}

fn event_date(times: &[TimeMention], bs: usize, be: usize, trig: usize, published: Option<&str>) -> EventDate {
    let best = times
        .iter()
        .filter(|t| t.start >= bs && t.end <= be && t.is_date && t.value.is_some())
        .min_by_key(|t| if t.start >= trig { t.start - trig } else { (trig - t.end) + 8 });
    if let Some(t) = best {
        return EventDate {
            value: t.value.clone(),
            precision: t.precision,
            text: Some(t.text.clone()),
            basis: t.basis_name(),
        };
    }
    // An unresolvable expression (no publication date): keep it, value unknown.
    if let Some(t) = times.iter().find(|t| t.start >= bs && t.end <= be && t.is_date) {
        return EventDate { value: None, precision: "unknown", text: Some(t.text.clone()), basis: "unknown" };
    }
    match published {
        Some(p) => EventDate { value: Some(p.to_string()), precision: "day", text: None, basis: "publication" },
        None => EventDate { value: None, precision: "unknown", text: None, basis: "unknown" },
    }
}

impl TimeMention {
    fn basis_name(&self) -> &'static str {
        match self.basis {
            "explicit" => "explicit",
            "anchor" => "publication",
            _ => "relative",
        }
    }
}

/// An event dated well before the article (over ~45 days, or a different
/// year at year precision) is a historical reference. `since`: the sentence has " since "
/// (lower-cased).
fn is_historical(date: &EventDate, published: Option<&str>, since: bool) -> bool {
    if since && date.basis != "publication" {
        return true;
    }
    let (Some(v), Some(p)) = (date.value.as_deref(), published) else { return false };
    if date.basis == "publication" {
        return false;
    }
    let year = |s: &str| s.get(..4).and_then(|y| y.parse::<i32>().ok());
    let (Some(ey), Some(py)) = (year(v), year(p)) else { return false };
    match (v.len(), jiff::civil::Date::strptime("%Y-%m-%d", p)) {
        (10, Ok(pd)) => match jiff::civil::Date::strptime("%Y-%m-%d", v) {
            Ok(ed) => (pd - ed).get_days() > 45 || ed.since(pd).map(|s| s.get_days() < -45).unwrap_or(false),
            Err(_) => ey < py,
        },
        (7, Ok(pd)) => {
            let m = v.get(5..7).and_then(|m| m.parse::<i32>().ok()).unwrap_or(1);
            (py * 12 + pd.month() as i32) - (ey * 12 + m) > 1
        }
        _ => ey < py,
    }
}

fn event_place(
    text: &str,
    places: &[PlaceMention],
    bs: usize,
    be: usize,
    trig: usize,
    actor_spans: &[(usize, usize)],
) -> Option<PlaceMention> {
    let rank = |p: &PlaceMention| match p.precision {
        "site" => 0,
        "town" => 1,
        "admin2" => 2,
        "admin1" => 3,
        "country" => 4,
        _ => 5,
    };
    places
        .iter()
        .filter(|p| p.start >= bs && p.end <= be)
        .filter(|p| !actor_spans.iter().any(|&(s, e)| p.start < e && s < p.end))
        .filter(|p| !names_an_actor(p, &text[p.end.min(be)..be]))
        .filter(|p| !elsewhere(&text[bs..p.start.clamp(bs, be)], p.start < trig, &text[trig.min(p.start)..p.start]))
        .min_by_key(|p| (rank(p), if p.start >= trig { p.start - trig } else { trig - p.start + 40 }))
        .cloned()
}

/// Occasions other than the event that a place can belong to in the same
/// sentence: "the attack … days before the meeting … in Washington".
const OCCASION_NOUNS: &[&str] = &[
    "meeting",
    "meetings",
    "talks",
    "summit",
    "visit",
    "visits",
    "conference",
    "ceremony",
    "speech",
    "interview",
    "negotiations",
    "forum",
    "session",
    "hearing",
    "briefing",
    "commemoration",
    "tribute",
    "funeral",
    "reporters",
];

/// Words that make "in/at/from X" the place of a report rather than of the
/// event: "officials said in Washington", "told reporters in Ankara".
const REPORT_WORDS: &[&str] =
    &["said", "says", "told", "reporters", "journalists", "speaking", "announced", "reported", "statement", "briefing"];

/// Is the place written as the place of something other than the event: of
/// the report ("said in X"), or of a meeting or visit set apart in time from
/// the event between the trigger and the place ("the attack … days before the
/// meeting … in Washington"; "during a visit to Mosul" keeps Mosul).
/// `before`: the sentence up to the place; `between`: from the trigger to the
/// place when the place comes after it.
fn elsewhere(before: &str, place_first: bool, between: &str) -> bool {
    // Only the last two words matter: look at the sentence's tail.
    let cut = (before.len().saturating_sub(40)..before.len()).find(|&i| before.is_char_boundary(i)).unwrap_or(0);
    let mut prev = words(&before[cut..]).rev();
    if let (Some(last), Some(second)) = (prev.next(), prev.next()) {
        if ["in", "at", "from"].iter().any(|w| lower_is(last, w)) && REPORT_WORDS.iter().any(|w| lower_is(second, w)) {
            return true;
        }
    }
    if place_first {
        return false;
    }
    let mut after_time_word = false;
    let mut buf = [0u8; 16];
    for w in words(between) {
        // Lower-case each word once (most are ASCII: on the stack) rather than per cue word:
        // this runs for every place after the trigger of every candidate sentence.
        let lower: std::borrow::Cow<'_, str> = if w.is_ascii() {
            // No cue word is longer than the buffer.
            let Some(b) = buf.get_mut(..w.len()) else { continue };
            b.copy_from_slice(w.as_bytes());
            b.make_ascii_lowercase();
            std::borrow::Cow::Borrowed(std::str::from_utf8(b).unwrap_or_default())
        } else {
            std::borrow::Cow::Owned(w.to_lowercase())
        };
        if OCCASION_NOUNS.contains(&&*lower) {
            return after_time_word;
        }
        after_time_word |= matches!(&*lower, "before" | "after" | "ahead" | "prior");
    }
    false
}

/// The words of `s` (letters, digits, apostrophes), as written.
fn words(s: &str) -> impl DoubleEndedIterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty())
}

/// `word` lower-cased equals `lower` (no allocation for ASCII words, which is nearly all).
fn lower_is(word: &str, lower: &str) -> bool {
    if word.is_ascii() {
        word.eq_ignore_ascii_case(lower)
    } else {
        word.to_lowercase() == lower
    }
}

/// Nouns that make a preceding country or capital a modifier of who, not
/// where: "U.S. troops", "Iraq's police", "a U.S.-led coalition".
const ACTOR_NOUNS: &[&str] = &[
    "military",
    "official",
    "officials",
    "troops",
    "forces",
    "force",
    "personnel",
    "embassy",
    "government",
    "president",
    "army",
    "soldiers",
    "citizens",
    "navy",
    "administration",
    "diplomats",
    "diplomat",
    "envoy",
    "ally",
    "allies",
    "interests",
    "presence",
    "police",
    "authorities",
    "defense",
    "defence",
    "ministry",
    "minister",
    "state",
    "media",
    "intelligence",
    "commander",
    "commanders",
    "spokesman",
    "spokesperson",
    "aircraft",
    "warplanes",
    "drones",
    "jets",
    "navy's",
    "central",
    "special",
    "security",
    "air",
    "counterparts",
    "national",
    "nationals",
    "contractor",
    "contractors",
    "strike",
    "strikes",
    "retaliation",
    "officer",
    "officers",
];

/// Verbs that make a country or capital the actor of its clause
/// ("Washington labeled the attack", "Israel struck").
const ACTOR_VERBS: &[&str] = &[
    "said",
    "says",
    "labeled",
    "labelled",
    "called",
    "accused",
    "blamed",
    "condemned",
    "warned",
    "announced",
    "denied",
    "claimed",
    "responded",
    "retaliated",
    "struck",
    "launched",
    "carried",
    "conducted",
    "attacked",
    "bombed",
    "shelled",
    "fired",
    "vowed",
    "threatened",
    "decried",
];

/// A country or capital written as a modifier or subject of an actor noun
/// or verb names who acted, not where.
fn names_an_actor(p: &PlaceMention, after: &str) -> bool {
    if !matches!(p.precision, "country" | "town") {
        return false;
    }
    let possessive = after.starts_with("'s") || after.starts_with("’s");
    let rest = if possessive { &after[after.find('s').map_or(0, |i| i + 1)..] } else { after };
    let rest = rest.strip_prefix("-led").or_else(|| rest.strip_prefix("-backed")).map(|_| "military").unwrap_or(rest);
    let word: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '\'')
        .flat_map(char::to_lowercase)
        .collect();
    // A town only when it is a capital standing for its government
    // ("Washington's presence"); "Kirkuk police said" still places the event.
    if p.precision == "town" && !is_capital_metonym(&p.name) {
        return false;
    }
    ACTOR_NOUNS.contains(&word.as_str()) || !possessive && ACTOR_VERBS.contains(&word.as_str())
}

/// Distant capitals used for their governments in news copy (capitals where
/// fighting happens are left alone: "Baghdad was hit" is a place).
fn is_capital_metonym(name: &str) -> bool {
    matches!(
        name,
        "Washington"
            | "Moscow"
            | "Beijing"
            | "Tehran"
            | "Ankara"
            | "London"
            | "Paris"
            | "Berlin"
            | "Riyadh"
            | "Brussels"
    )
}

/// `lower`: the sentence lower-cased; `found`: its actors ([`ActorDict::find_all`]).
fn actor_roles(
    sentence: &str,
    lower: &str,
    hit: &TriggerHit,
    dict: &ActorDict,
    found: (Vec<ActorMention>, Vec<GenericActor>),
) -> Vec<ActorRole> {
    let mut roles = Vec::new();
    let before_trigger = &lower[..hit.start.min(lower.len())];
    let passive = ["was ", "were ", "came under", "been ", "under fire"].iter().any(|c| {
        let t = &lower[hit.start.min(lower.len())..hit.end.min(lower.len())];
        t.contains(c) || before_trigger.trim_end().ends_with(c.trim_end())
    });
    let (known, generic) = found;
    let mut mentions: Vec<(usize, usize, String, String)> = known
        .iter()
        .map(|m| {
            let a = dict.actor(m.actor);
            (m.start, m.end, a.name.clone(), a.kind.clone())
        })
        .chain(generic.into_iter().map(|g| (g.start, g.end, g.name, g.kind.to_string())))
        .collect();
    mentions.sort_by_key(|m| m.0);
    for (start, end, name, kind) in mentions {
        let after = lower[end.min(lower.len())..].trim_start();
        let pre = lower[..start.min(lower.len())].trim_end();
        let reports = ["said", "says", "told", "reported", "announced", "confirmed", "stated"];
        let role = if reports.iter().any(|w| after.starts_with(w))
            || pre.ends_with("according to")
            || after.starts_with("'s ") && after.contains(" said")
        {
            "source"
        } else if after.starts_with("claimed") {
            "claimant"
        } else if is_victim(after) {
            // "two soldiers were wounded", "civilians were killed"
            "actor2"
        } else if start < hit.start {
            if passive {
                "actor2"
            } else {
                "actor1"
            }
        } else if pre.ends_with(" by") || pre.ends_with(" from") {
            "actor1"
        } else {
            "actor2"
        };
        if roles.iter().any(|r: &ActorRole| r.name.as_deref() == Some(name.as_str()) && r.role == role) {
            continue;
        }
        roles.push(ActorRole { name: Some(name), text: Some(sentence[start..end].to_string()), role, kind });
    }
    if unclaimed_in(lower) && !roles.iter().any(|r| r.role == "actor1") {
        roles.push(ActorRole { name: None, text: None, role: "actor1", kind: "unknown".into() });
    }
    roles
}

/// The words after an actor say something was done to it.
fn is_victim(after: &str) -> bool {
    let mut w = after.split_whitespace();
    let first = w.next().unwrap_or("");
    let second = w.next().unwrap_or("");
    matches!(first, "was" | "were" | "have" | "has" | "had")
        && (second.starts_with("killed")
            || second.starts_with("wounded")
            || second.starts_with("injured")
            || second.starts_with("kidnapped")
            || second.starts_with("abducted")
            || second.starts_with("arrested")
            || second.starts_with("detained")
            || second.starts_with("targeted")
            || second.starts_with("attacked")
            || second == "been")
}

/// `roles12`: some actor is a perpetrator or a target.
fn confidence(specificity: u8, date: &EventDate, place: bool, roles12: bool, m: Modality, aggregate: bool) -> f32 {
    let mut c: f32 = 0.35 + 0.3 * (specificity as f32 / 100.0);
    if date.basis == "explicit" || date.basis == "relative" {
        c += 0.1;
    }
    if place {
        c += 0.15;
    }
    if roles12 {
        c += 0.05;
    }
    if m != Modality::Asserted {
        c -= 0.1;
    }
    if aggregate {
        c -= 0.2;
    }
    (c.clamp(0.05, 0.99) * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(text: &str) -> (String, Vec<(u32, u32)>) {
        // one sentence per line for tests
        let mut spans = Vec::new();
        let mut pos = 0u32;
        for line in text.split('\n') {
            let n = line.chars().count() as u32;
            spans.push((pos, pos + n));
            pos += n + 1;
        }
        (text.to_string(), spans)
    }

    #[test]
    fn drone_attack_on_a_base_with_unknown_casualties() {
        let (t, s) = view("An armed drone struck the Qayyarah air base on Friday, officials said.\nThe statement did not say whether the attack caused casualties.");
        let a = ArticleView { text: &t, sentences: &s, published: Some("2024-03-08") };
        let times = vec![TimeMention {
            start: t.find("Friday").unwrap(),
            end: t.find("Friday").unwrap() + 6,
            text: "Friday".into(),
            value: Some("2024-03-08".into()),
            precision: "day",
            basis: "relative",
            is_date: true,
        }];
        let ev = assemble(&a, &Lexicon::builtin(), &ActorDict::builtin(), &times, &[]);
        assert_eq!(ev.len(), 1, "{ev:#?}");
        assert_eq!(ev[0].sub_event_type, SubEventType::AirDroneStrike);
        assert_eq!(ev[0].date.value.as_deref(), Some("2024-03-08"));
        assert_eq!(ev[0].date.basis, "relative");
        assert!(!ev[0].historical);
        assert!(!ev[0].fatalities.is_known());
    }

    #[test]
    fn historical_and_tally_sentences() {
        let (t, s) = view("The commander was killed in a drone strike in Baghdad in January 2020.\nThere have been more than 100 attacks on its forces since mid-October.");
        let a = ArticleView { text: &t, sentences: &s, published: Some("2024-01-05") };
        let i = t.find("January 2020").unwrap();
        let times = vec![TimeMention {
            start: i,
            end: i + 12,
            text: "January 2020".into(),
            value: Some("2020-01".into()),
            precision: "month",
            basis: "explicit",
            is_date: true,
        }];
        let ev = assemble(&a, &Lexicon::builtin(), &ActorDict::builtin(), &times, &[]);
        assert!(ev[0].historical, "{ev:#?}");
        assert!(ev.iter().skip(1).all(|e| e.aggregate));
    }

    #[test]
    fn political_statements_are_not_events() {
        let (t, s) =
            view("The prime minister said he wanted foreign troops to leave.\nTensions have soared across the region.");
        let a = ArticleView { text: &t, sentences: &s, published: Some("2024-01-05") };
        assert!(assemble(&a, &Lexicon::builtin(), &ActorDict::builtin(), &[], &[]).is_empty());
    }

    fn place_at(t: &str, word: &str, name: &str, precision: &'static str) -> PlaceMention {
        let start = t.find(word).unwrap();
        PlaceMention {
            start,
            end: start + word.len(),
            text: word.into(),
            name: name.into(),
            country: Some("US".into()),
            admin1: None,
            lat: None,
            lon: None,
            precision,
        }
    }

    #[test]
    fn countries_and_capitals_naming_actors_are_not_event_places() {
        let cases = [
            ("A U.S. official said the drone strike hit a depot.", "U.S.", "United States", "country", None),
            (
                "The air strike targeted attacks on US personnel in Iraq.",
                "US",
                "United States",
                "country",
                Some("Iraq"),
            ),
            ("Washington labeled the air strike an act of self-defense.", "Washington", "Washington", "town", None),
            ("Kirkuk said a car bomb exploded.", "Kirkuk", "Kirkuk", "town", Some("Kirkuk")),
            ("The drone strike in Iraq's capital killed two.", "Iraq", "Iraq", "country", Some("Iraq")),
        ];
        for (text, word, name, precision, want) in cases {
            let (t, s) = view(text);
            let a = ArticleView { text: &t, sentences: &s, published: Some("2024-01-05") };
            let mut places = vec![place_at(&t, word, name, precision)];
            if let Some(i) = t.find("in Iraq.") {
                places.push(PlaceMention { start: i + 3, end: i + 7, ..place_at(&t, "Iraq", "Iraq", "country") });
            }
            let ev = assemble(&a, &Lexicon::builtin(), &ActorDict::builtin(), &[], &places);
            assert_eq!(ev.len(), 1, "{text}");
            assert_eq!(ev[0].location.as_ref().map(|l| l.name.as_str()), want, "{text}");
        }
    }

    #[test]
    fn places_of_reports_and_other_occasions_are_not_event_places() {
        // (sentence, place word, expected location)
        let cases = [
            (
                "No one was hurt in the drone strike, two days before the summit between the leaders in Paris.",
                "Paris",
                None,
            ),
            ("The bombing killed three people, the ministry said in Paris.", "Paris", None),
            ("Police told reporters in Paris that a car bomb exploded.", "Paris", None),
            ("A bomb exploded during a visit by the minister to Paris.", "Paris", Some("Paris")),
            ("A car bomb exploded in Paris before the talks began.", "Paris", Some("Paris")),
        ];
        for (text, word, want) in cases {
            let (t, s) = view(text);
            let a = ArticleView { text: &t, sentences: &s, published: Some("2024-01-05") };
            let places = vec![place_at(&t, word, word, "town")];
            let ev = assemble(&a, &Lexicon::builtin(), &ActorDict::builtin(), &[], &places);
            assert!(!ev.is_empty(), "{text}");
            assert_eq!(ev[0].location.as_ref().map(|l| l.name.as_str()), want, "{text}");
        }
    }

    #[test]
    fn a_quotation_mark_inside_a_trigger_phrase() {
        let (t, s) = view(
            "Officials said troops had discovered \u{201c}an unexploded rocket that could not be fired\u{201d} near the border.",
        );
        let a = ArticleView { text: &t, sentences: &s, published: Some("2024-01-05") };
        let ev = assemble(&a, &Lexicon::builtin(), &ActorDict::builtin(), &[], &[]);
        assert_eq!(ev.len(), 1, "{ev:#?}");
        assert_eq!(ev[0].sub_event_type, SubEventType::DisruptedWeaponsUse);
        assert_eq!(ev[0].trigger, "discovered \u{201c}an");
    }

    #[test]
    fn candidates_are_trigger_sentences_with_a_type() {
        let (t, s) = view(
            "The minister met his counterpart.\nA car bomb exploded in the market.\nThe attack was condemned.\nGunmen attacked a checkpoint.",
        );
        let spans = byte_spans(&t, &s);
        let c = candidates(&t, &spans, &Lexicon::builtin(), &ActorDict::builtin());
        // No trigger; a specific trigger; a generic word with nothing to type it; a generic word
        // with an armed perpetrator.
        let idx: Vec<usize> = c.iter().map(|c| c.index).collect();
        assert_eq!(idx, [1, 3], "{c:#?}");
        assert_eq!(c[1].sub, SubEventType::ArmedClash);
        assert_eq!(&t[c[0].start..c[0].end], "A car bomb exploded in the market.");
    }

    #[test]
    fn elsewhere_reads_cue_words_in_any_case() {
        // Every cue word fits the stack buffer `elsewhere` lower-cases into.
        assert!(OCCASION_NOUNS.iter().chain(&["before", "after", "ahead", "prior"]).all(|w| w.len() <= 16));
        let between = " two days BEFORE the Meeting of ministers ";
        assert!(elsewhere("The attack", false, between));
        assert!(!elsewhere("The attack", false, " during a visit to "));
        assert!(!elsewhere("The attack", true, between));
        // Long and non-ASCII words are compared as before (through full lower-casing).
        assert!(elsewhere("x", false, " internationalization Avant AFTER the \u{212a}ey SUMMIT "));
        assert!(!elsewhere("x", false, " after the summît "));
    }

    #[test]
    fn lower_is_compares_as_lower_cased() {
        assert!(lower_is("Said", "said") && lower_is("IN", "in") && !lower_is("inn", "in"));
        // Non-ASCII words compare through full lower-casing: the Kelvin sign is a 'k'.
        assert!(lower_is("\u{212a}ey", "key") && !lower_is("Café", "cafe"));
    }

    #[test]
    fn ascii_blocks() {
        let mut b = [b'a'; 32];
        assert!(ascii_block::<4>(&b) && ascii_block::<1>(&b[..8]));
        for i in 0..32 {
            b[i] = 0xC3;
            assert!(!ascii_block::<4>(&b));
            assert_eq!(ascii_block::<1>(&b[..8]), i >= 8);
            b[i] = b'a';
        }
    }

    #[test]
    fn byte_spans_follow_code_points() {
        let t = "Café bombed. Next.";
        let b = byte_spans(t, &[(0, 12), (13, 18)]);
        assert_eq!(&t[b[0].0..b[0].1], "Café bombed.");
        assert_eq!(&t[b[1].0..b[1].1], "Next.");
        // Long ASCII runs (the 32- and 8-byte blocks) with accented letters at every alignment.
        for k in 0..40 {
            let t = format!("{}é{}ü {}", "x".repeat(k), "y".repeat(70 - k), "z".repeat(k));
            let cps: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            let n = cps.len() as u32 - 1;
            // In order and not overlapping, as sentence spans are.
            let spans: Vec<(u32, u32)> = (0..n).step_by(7).map(|s| (s, (s + 5).min(n))).collect();
            let want: Vec<(usize, usize)> = spans.iter().map(|&(s, e)| (cps[s as usize], cps[e as usize])).collect();
            assert_eq!(byte_spans(&t, &spans), want, "{k}");
        }
    }
}
