//! What the timeline reads: [`Mention`] (one event record) and
//! [`ArticleInfo`] (the parts of an article record it needs), both parsed
//! from the NDJSON records themselves, so the live path and crash recovery
//! (which re-reads the journals' uncommitted tails) see identical input and
//! derive identical revisions.

use serde::{Deserialize, Serialize};

/// A place as written in event records (`location`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub text: String,
    pub name: String,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// site | town | admin2 | admin1 | country.
    pub precision: String,
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
    pub name: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    pub role: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// A casualty count with its hedge (`fatalities` / `injured`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub value: Option<u32>,
    pub min: Option<u32>,
    pub max: Option<u32>,
    pub qualifier: String,
}

impl Count {
    pub fn is_known(&self) -> bool {
        self.value.is_some() && self.qualifier != "unknown"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionDate {
    pub value: Option<String>,
    pub precision: String,
    /// explicit | relative | publication (no date in the sentence) | unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
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
    pub event_type: String,
    pub sub_event_type: String,
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
    pub fn parse(line: &[u8]) -> Result<Mention, serde_json::Error> {
        serde_json::from_slice(line)
    }
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
    u128::from_str_radix(hex, 16).unwrap_or(0)
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
}
