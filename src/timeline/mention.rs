//! What the timeline reads: [`Mention`] (one event record) and
//! [`ArticleInfo`] (the parts of an article record it needs). Crash
//! recovery (which re-reads the journals' uncommitted tails) parses them
//! from the NDJSON records; the live path builds the mentions from the
//! events the records were written from ([`Mention::from_event`]), equal to
//! the parsed ones (tests hold them so), so both see identical input and
//! derive identical revisions.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

/// A place as written in event records (`location`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub text: Sym,
    pub name: Sym,
    pub country: Option<Sym>,
    pub admin1: Option<Sym>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// site | town | admin2 | admin1 | country.
    pub precision: Sym,
}

impl Location {
    /// Smaller is more specific.
    pub fn rank(&self) -> u8 {
        match self.precision.as_str() {
            "site" => 0,
            "town" => 1,
            "admin2" => 2,
            "admin1" => 3,
            "country" => 4,
            _ => 5,
        }
    }
}

/// An actor with its role (`actors[]` of an event record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub name: Option<Sym>,
    #[serde(default)]
    pub text: Option<Sym>,
    pub role: Sym,
    #[serde(rename = "type")]
    pub kind: Sym,
}

/// A casualty count with its hedge (`fatalities` / `injured`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub value: Option<u32>,
    pub min: Option<u32>,
    pub max: Option<u32>,
    pub qualifier: Sym,
}

impl Count {
    pub fn is_known(&self) -> bool {
        self.value.is_some() && self.qualifier != "unknown"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionDate {
    pub value: Option<Sym>,
    pub precision: Sym,
    /// explicit | relative | publication (no date in the sentence) | unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Sym>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MentionSentence {
    pub text: String,
}

/// One event record as the timeline reads it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Mention {
    pub id: String,
    pub article: String,
    pub event_type: Sym,
    pub sub_event_type: Sym,
    /// Typed from a generic word ("attack"), not a specific trigger.
    #[serde(default)]
    pub generic: bool,
    pub date: MentionDate,
    pub historical: bool,
    pub modality: String,
    pub aggregate: bool,
    pub location: Option<Location>,
    pub actors: Vec<Actor>,
    pub fatalities: Count,
    pub injured: Count,
    pub sentence: MentionSentence,
}

impl Mention {
    /// Read an `events.ndjson` line (crash recovery).
    pub fn parse(line: &[u8]) -> Result<Mention, serde_json::Error> {
        serde_json::from_slice(line)
    }

    /// The mention that [`Mention::parse`] reads from the record of `e`
    /// (event id `id`, article id `article`), built without writing and
    /// re-reading JSON: the live path's copy of what recovery parses. The
    /// parity tests hold the two to equality.
    pub fn from_event(id: String, article: &str, e: &crate::extract::Event) -> Mention {
        let count = |c: &crate::extract::casualties::Count| Count {
            value: c.value,
            min: c.min,
            max: c.max,
            qualifier: Sym::new(qualifier_name(c.qualifier)),
        };
        Mention {
            id,
            article: article.to_string(),
            event_type: Sym::new(e.event_type.name()),
            sub_event_type: Sym::new(e.sub_event_type.name()),
            generic: e.generic,
            date: MentionDate {
                value: e.date.value.as_deref().map(Sym::new),
                precision: Sym::new(e.date.precision),
                basis: Some(Sym::new(e.date.basis)),
            },
            historical: e.historical,
            modality: modality_name(e.modality).to_string(),
            aggregate: e.aggregate,
            location: e.location.as_ref().map(|p| Location {
                text: Sym::new(&p.text),
                name: Sym::new(&p.name),
                country: p.country.as_deref().map(Sym::new),
                admin1: p.admin1.as_deref().map(Sym::new),
                lat: p.lat.and_then(as_read_back),
                lon: p.lon.and_then(as_read_back),
                precision: Sym::new(p.precision),
            }),
            actors: e
                .actors
                .iter()
                .map(|a| Actor {
                    name: a.name.as_deref().map(Sym::new),
                    text: a.text.as_deref().map(Sym::new),
                    role: Sym::new(a.role),
                    kind: Sym::new(&a.kind),
                })
                .collect(),
            fatalities: count(&e.fatalities),
            injured: count(&e.injured),
            sentence: MentionSentence { text: e.sentence.text.clone() },
        }
    }
}

/// As a record spells the qualifier (`Qualifier` serializes snake_case).
fn qualifier_name(q: crate::extract::casualties::Qualifier) -> &'static str {
    use crate::extract::casualties::Qualifier as Q;
    match q {
        Q::Exact => "exact",
        Q::AtLeast => "at_least",
        Q::About => "about",
        Q::AtMost => "at_most",
        Q::Unknown => "unknown",
        Q::None => "none",
    }
}

/// As a record spells the modality (`Modality` serializes lowercase).
fn modality_name(m: crate::extract::modality::Modality) -> &'static str {
    use crate::extract::modality::Modality as M;
    match m {
        M::Asserted => "asserted",
        M::Claimed => "claimed",
        M::Denied => "denied",
        M::Threatened => "threatened",
        M::Planned => "planned",
    }
}

/// A coordinate as it reads back from its record: written as its shortest
/// decimal and parsed by `serde_json`, whose default float parsing is not
/// guaranteed exact to the last bit; a non-finite value is written `null`.
/// Only two per mention, so the round trip costs little and recovery and
/// the live path see the same bits.
fn as_read_back(x: f64) -> Option<f64> {
    if !x.is_finite() {
        return None;
    }
    // Shortest round-trip digits: at most 24 bytes ("-1.2345678901234567e-308").
    let mut buf = [0u8; 32];
    let mut cur = std::io::Cursor::new(&mut buf[..]);
    serde_json::to_writer(&mut cur, &x).ok()?;
    let n = cur.position() as usize;
    serde_json::from_slice(&buf[..n]).ok()
}

/// The parts of an article record the timeline needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleInfo {
    pub id: String,
    pub ingested_at: String,
    /// Publication date `YYYY-MM-DD` (own or inherited from its story).
    pub published: Option<String>,
    pub source_group: Option<String>,
    pub story: Option<String>,
    /// Canonical article when this one is an exact or near duplicate.
    pub duplicate_of: Option<String>,
}

#[derive(Deserialize)]
struct RawArticle {
    id: String,
    ingested_at: String,
    #[serde(default)]
    published: Option<RawPublished>,
    #[serde(default)]
    source_group: Option<String>,
    #[serde(default)]
    story: Option<String>,
    #[serde(default)]
    duplicate: Option<RawDuplicate>,
}

#[derive(Deserialize)]
struct RawPublished {
    date: Option<String>,
}

#[derive(Deserialize)]
struct RawDuplicate {
    of: String,
}

impl ArticleInfo {
    /// Read an `articles.ndjson` line.
    pub fn parse(line: &[u8]) -> Result<ArticleInfo, serde_json::Error> {
        let r: RawArticle = serde_json::from_slice(line)?;
        Ok(ArticleInfo {
            id: r.id,
            ingested_at: r.ingested_at,
            published: r.published.and_then(|p| p.date),
            source_group: r.source_group,
            story: r.story,
            duplicate_of: r.duplicate.map(|d| d.of),
        })
    }
}

/// 32-digit hex id → number (0 when malformed, which no real id is).
pub fn id_of(hex: &str) -> u128 {
    // Ids are parsed several times per mention and article, and the
    // generic parser's overflow-checked u128 steps showed in profiles: the
    // 32 plain hex digits of every id sitrep writes take two u64 halves,
    // anything else (a sign, another length, junk) the generic parser.
    let b = hex.as_bytes();
    if b.len() == 32 {
        if let (Some(hi), Some(lo)) = (hex64(&b[..16]), hex64(&b[16..])) {
            return (u128::from(hi) << 64) | u128::from(lo);
        }
    }
    u128::from_str_radix(hex, 16).unwrap_or(0)
}

/// Up to 16 hex digits (either case); `None` on any other byte.
fn hex64(b: &[u8]) -> Option<u64> {
    const VALUE: [u8; 256] = {
        let mut t = [0xff; 256];
        let mut i = 0;
        while i < 10 {
            t[b'0' as usize + i] = i as u8;
            i += 1;
        }
        let mut i = 0;
        while i < 6 {
            t[b'a' as usize + i] = 10 + i as u8;
            t[b'A' as usize + i] = 10 + i as u8;
            i += 1;
        }
        t
    };
    let mut v = 0u64;
    for &c in b {
        let d = VALUE[usize::from(c)];
        if d > 15 {
            return None;
        }
        v = (v << 4) | u64::from(d);
    }
    Some(v)
}

/// Shared text for the fields that repeat across mentions and incidents
/// (place and actor names, countries, dates, the small vocabularies such as
/// precision, role and qualifier, ingest times): one copy per distinct
/// string, not one per incident. Reads and writes as a plain JSON string, so
/// records and ledger rows are unchanged.
///
/// One pointer wide (an `Arc` of a boxed `str`, not an `Arc<str>`, whose
/// pointer carries the length): an open incident holds a dozen of these
/// inline plus some in each actor and claim, and the second indirection is
/// paid only when the text is read. Every `Sym` comes from the interner,
/// so equal text means the same allocation and equality is a pointer test.
#[derive(Clone)]
pub struct Sym(Arc<Box<str>>);

impl PartialEq for Sym {
    fn eq(&self, o: &Sym) -> bool {
        Arc::ptr_eq(&self.0, &o.0) || self.as_str() == o.as_str()
    }
}

impl Eq for Sym {}

/// As the text's (the interner looks `Sym`s up by `&str`).
impl std::hash::Hash for Sym {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        std::hash::Hash::hash(self.as_str(), h)
    }
}

impl PartialOrd for Sym {
    fn partial_cmp(&self, o: &Sym) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Sym {
    fn cmp(&self, o: &Sym) -> std::cmp::Ordering {
        self.as_str().cmp(o.as_str())
    }
}

impl Sym {
    pub fn new(s: &str) -> Sym {
        intern(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Sym {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Sym {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Sym {
    fn from(s: &str) -> Sym {
        intern(s)
    }
}

impl From<String> for Sym {
    fn from(s: String) -> Sym {
        intern(&s)
    }
}

impl From<&String> for Sym {
    fn from(s: &String) -> Sym {
        intern(s)
    }
}

impl PartialEq<str> for Sym {
    fn eq(&self, o: &str) -> bool {
        self.as_str() == o
    }
}

impl PartialEq<&str> for Sym {
    fn eq(&self, o: &&str) -> bool {
        self.as_str() == *o
    }
}

impl Serialize for Sym {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Sym {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Sym, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Sym;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Sym, E> {
                Ok(intern(s))
            }
        }
        d.deserialize_str(V)
    }
}

/// The live strings. Entries nobody else holds any more are swept whenever
/// the table has doubled since the last sweep, so it tracks what the
/// timeline holds (and the mentions in flight), not all text ever seen.
struct Interner {
    set: crate::fasthash::FastSet<Sym>,
    sweep_at: usize,
}

static INTERNER: Mutex<Option<Interner>> = Mutex::new(None);

fn intern(s: &str) -> Sym {
    let mut g = INTERNER.lock().unwrap_or_else(|e| e.into_inner());
    let t = g.get_or_insert_with(|| Interner { set: Default::default(), sweep_at: 1024 });
    if let Some(a) = t.set.get(s) {
        return a.clone();
    }
    if t.set.len() >= t.sweep_at {
        t.set.retain(|a| Arc::strong_count(&a.0) > 1);
        t.set.shrink_to_fit();
        t.sweep_at = (t.set.len() * 2).max(1024);
    }
    let a = Sym(Arc::new(Box::from(s)));
    t.set.insert(a.clone());
    a
}

/// Distinct strings held by the interner (for the memory gauge).
pub fn interned() -> (usize, usize) {
    let g = INTERNER.lock().unwrap_or_else(|e| e.into_inner());
    g.as_ref().map_or((0, 0), |t| (t.set.len(), t.set.iter().map(|a| a.len() + 48).sum()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_records_and_ignores_other_fields() {
        let a = br#"{"kind":"article","v":1,"id":"0000000000000000000000000000000a","hash":"x","ingested_at":"2024-01-05T10:00:00Z","published":{"date":"2024-01-05","basis":"header"},"duplicate":{"of":"0000000000000000000000000000000b","kind":"near"},"story":"0000000000000000000000000000000b","source_group":"0000000000000000000000000000000b","title":"T"}"#;
        let a = ArticleInfo::parse(a).unwrap();
        assert_eq!(a.published.as_deref(), Some("2024-01-05"));
        assert_eq!(a.duplicate_of.as_deref(), Some("0000000000000000000000000000000b"));
        assert_eq!(id_of(&a.id), 10);
        let e = br#"{"kind":"event","v":1,"id":"01","article":"0a","sentence":{"index":0,"start":0,"end":5,"text":"Boom."},"event_type":"Battles","sub_event_type":"Armed clash","trigger":"clash","date":{"value":null,"precision":"unknown","text":null,"basis":"unknown"},"historical":false,"modality":"asserted","aggregate":false,"location":null,"actors":[{"name":null,"text":null,"role":"actor1","type":"unknown"}],"fatalities":{"value":null,"min":null,"max":null,"qualifier":"unknown"},"injured":{"value":2,"min":2,"max":2,"qualifier":"exact","text":"two wounded"},"confidence":0.5}"#;
        let m = Mention::parse(e).unwrap();
        assert!(!m.generic);
        assert!(m.injured.is_known() && !m.fatalities.is_known());
    }

    proptest::proptest! {
        #[test]
        fn ids_parse_as_the_generic_parser_does(s in "[+-]?[0-9a-fA-FxXg ]{0,34}", v in proptest::prelude::any::<u128>()) {
            proptest::prop_assert_eq!(id_of(&s), u128::from_str_radix(&s, 16).unwrap_or(0));
            let hex = format!("{v:032x}");
            proptest::prop_assert_eq!(id_of(&hex), v);
            proptest::prop_assert_eq!(id_of(&hex.to_uppercase()), v);
            proptest::prop_assert_eq!(id_of(&format!("{v:x}")), v);
            // 32 characters with one that is no hex digit.
            for junk in ["+", "g", " ", "é"] {
                let at = (v % 32) as usize;
                let s = format!("{}{junk}{}", &hex[..at], &hex[at + 1..]);
                proptest::prop_assert_eq!(id_of(&s), u128::from_str_radix(&s, 16).unwrap_or(0));
            }
        }
    }

    #[test]
    fn interned_text_is_shared_and_reads_back_as_plain_strings() {
        let a = Sym::new("Kherson");
        let b: Sym = serde_json::from_str("\"Kherson\"").unwrap();
        assert!(Arc::ptr_eq(&a.0, &b.0), "one copy for equal text");
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"Kherson\"");
        let l: Location = serde_json::from_str(
            r#"{"text":"Kherson","name":"Kherson","country":"UA","admin1":null,"lat":1.5,"lon":null,"precision":"town"}"#,
        )
        .unwrap();
        assert!(Arc::ptr_eq(&l.name.0, &a.0) && l.precision == "town" && l.country.as_deref() == Some("UA"));
    }

    #[test]
    fn strings_nobody_holds_leave_the_interner() {
        let keep = Sym::new("kept while the table is swept");
        for i in 0..20_000 {
            drop(Sym::new(&format!("transient {i}")));
        }
        // Other tests intern a few hundred strings meanwhile; without the
        // sweep the table would hold all 20,000.
        assert!(interned().0 < 6_000, "{}", interned().0);
        assert_eq!(Sym::new("kept while the table is swept").0.as_ptr(), keep.0.as_ptr());
    }
}
