//! The actor dictionary: canonical actors, aliases and types, loaded from
//! `config/actors.toml`.
//!
//! Core types: [`ActorDict`] and [`ActorMention`]. One Aho-Corasick pass
//! finds every alias (leftmost-longest, so "Islamic State group" wins over
//! "Islamic State"). Short all-capital aliases ("IS", "PMF") must match
//! case-exactly; everything else is ASCII case-insensitive.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

/// Dictionary problems (bad config: fatal at start-up).
#[derive(Debug, thiserror::Error)]
pub enum ActorDictError {
    #[error("actor dictionary: {0}")]
    Parse(String),
    #[error("actor dictionary: {0}")]
    Build(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDict {
    actor: Vec<RawActor>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActor {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    affiliation: Option<String>,
    aliases: Vec<String>,
}

/// A canonical actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub kind: String,
    pub affiliation: Option<String>,
}

/// An actor found in a sentence (byte offsets into it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorMention {
    pub start: usize,
    pub end: usize,
    /// Index into [`ActorDict::actor`].
    pub actor: usize,
}

/// The compiled dictionary.
#[derive(Debug, Clone)]
pub struct ActorDict {
    ac: AhoCorasick,
    /// Per alias: (actor index, must match case exactly, the alias).
    alias: Vec<(usize, bool, String)>,
    actors: Vec<Actor>,
}

/// The dictionary shipped in `config/actors.toml`, compiled in as the default.
pub const DEFAULT_ACTORS: &str = include_str!("../../config/actors.toml");

impl ActorDict {
    pub fn from_toml(text: &str) -> Result<ActorDict, ActorDictError> {
        let raw: RawDict = toml::from_str(text).map_err(|e| ActorDictError::Parse(e.to_string()))?;
        let mut actors = Vec::new();
        let mut alias = Vec::new();
        let mut patterns = Vec::new();
        for (i, a) in raw.actor.into_iter().enumerate() {
            for al in &a.aliases {
                let al = al.trim();
                if al.is_empty() {
                    continue;
                }
                let exact = al.len() <= 4 && al.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
                patterns.push(al.to_string());
                alias.push((i, exact, al.to_string()));
            }
            actors.push(Actor { name: a.name, kind: a.kind, affiliation: a.affiliation });
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| ActorDictError::Build(e.to_string()))?;
        Ok(ActorDict { ac, alias, actors })
    }

    pub fn builtin() -> ActorDict {
        ActorDict::from_toml(DEFAULT_ACTORS).expect("shipped actor dictionary is valid")
    }

    pub fn actor(&self, i: usize) -> &Actor {
        &self.actors[i]
    }

    pub fn len(&self) -> usize {
        self.actors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.actors.is_empty()
    }

    /// Every actor alias in `text`, in order, on word boundaries.
    pub fn find(&self, text: &str) -> Vec<ActorMention> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        for m in self.ac.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let (actor, exact, ref al) = self.alias[m.pattern().as_usize()];
            if exact && &text[s..e] != al {
                continue;
            }
            let before_ok = s == 0 || !is_word_byte(b[s - 1]);
            // A possessive or plural 's' after the alias is fine ("Iraq's police" is its own alias).
            let after_ok = e == b.len() || !is_word_byte(b[e]);
            if before_ok && after_ok {
                out.push(ActorMention { start: s, end: e, actor });
            }
        }
        out
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(d: &ActorDict, s: &str) -> Vec<String> {
        d.find(s).iter().map(|m| d.actor(m.actor).name.clone()).collect()
    }

    #[test]
    fn aliases_canonicalize() {
        let d = ActorDict::builtin();
        for s in ["Daesh fighters", "ISIS said", "the ISIL group", "the Islamic State group claimed it"] {
            assert_eq!(names(&d, s), vec!["Islamic State"], "{s}");
        }
        for s in ["Hashd al-Shaabi", "Hashed al-Shaabi", "Hachd al-Chaabi", "the PMF"] {
            assert_eq!(names(&d, s), vec!["Popular Mobilization Forces"], "{s}");
        }
        for s in ["Sudani said", "Mr. Soudani said", "Mr Al Sudani's office"] {
            assert_eq!(names(&d, s), vec!["Mohammed Shia al-Sudani"], "{s}");
        }
    }

    #[test]
    fn short_acronyms_need_exact_case() {
        let d = ActorDict::builtin();
        assert!(names(&d, "This is a test, it is.").is_empty());
        assert_eq!(names(&d, "IS claimed the attack"), vec!["Islamic State"]);
        assert!(names(&d, "Dashboards").is_empty());
    }
}
