//! The actor dictionary: canonical actors, aliases and types, loaded from
//! `config/actors.toml`.
//!
//! Core types: [`ActorDict`] and [`ActorMention`]. One Aho-Corasick pass
//! finds every alias (leftmost-longest, so "Islamic State group" wins over
//! "Islamic State"). Short all-capital aliases ("IS", "PMF") must match
//! case-exactly; everything else is ASCII case-insensitive.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
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

/// Up to this many patterns a dictionary is compiled to a DFA (a few MB at most).
pub(crate) const DFA_MAX_PATTERNS: usize = 5_000;

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
        // A DFA (the fastest scan): the dictionary is scanned several times
        // per sentence with a trigger; a huge user dictionary gets the default.
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind((patterns.len() <= DFA_MAX_PATTERNS).then_some(AhoCorasickKind::DFA))
            .prefilter(false)
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

/// [`force_noun`] of a word as written (any ASCII case), without allocating:
/// every force noun is short ASCII.
fn force_noun_in(w: &[u8]) -> Option<&'static str> {
    let mut buf = [0u8; 16];
    // The shortest force noun has 4 letters ("army", "jets").
    if w.len() < 4 || w.len() > buf.len() || !w.is_ascii() {
        return None;
    }
    let lower = &mut buf[..w.len()];
    lower.copy_from_slice(w);
    lower.make_ascii_lowercase();
    // Matched as bytes: no UTF-8 check per word (this runs on every word of a candidate sentence).
    force_noun(lower)
}

/// A force noun and the actor type it implies in a phrase like "Serb
/// forces" or "Burundian militiamen".
fn force_noun(w: &[u8]) -> Option<&'static str> {
    Some(match w {
        b"forces" | b"troops" | b"army" | b"soldiers" | b"police" | b"policemen" | b"military" | b"aircraft"
        | b"warplanes" | b"jets" | b"helicopters" | b"tanks" | b"navy" | b"gendarmes" | b"marines"
        | b"paratroopers" | b"artillery" | b"bulldozers" | b"authorities" | b"guards" | b"officers" | b"security" => {
            "state forces"
        }
        b"rebels" | b"guerrillas" | b"guerillas" | b"insurgents" | b"separatists" | b"jihadists" | b"mujahideen" => {
            "rebel group"
        }
        b"militiamen" | b"militia" | b"militias" | b"paramilitaries" | b"vigilantes" => "political militia",
        b"gunmen" | b"assailants" | b"attackers" | b"bombers" | b"raiders" => "unidentified armed group",
        b"settlers" | b"youths" | b"villagers" | b"students" | b"workers" | b"prisoners" | b"refugees"
        | b"civilians" => "civilians",
        b"demonstrators" | b"protesters" | b"protestors" | b"activists" => "protesters",
        _ => return None,
    })
}

impl ActorDict {
    /// Dictionary actors plus generic ones ("Serb forces", "Afghan rebels",
    /// "Israeli army bulldozers"): one to three capitalised words before a
    /// force noun. Generic mentions get `actor = usize::MAX` and carry their
    /// own name and type in [`GenericActor`].
    pub fn find_all(&self, text: &str) -> (Vec<ActorMention>, Vec<GenericActor>) {
        let known = self.find(text);
        let mut generic = Vec::new();
        let words = word_spans(text);
        for (i, &(ws, we)) in words.iter().enumerate() {
            let Some(kind) = force_noun_in(&text.as_bytes()[ws..we]) else { continue };
            // Walk back over capitalised words (and hyphenated "-led"/"-backed").
            let mut first = i;
            while first > 0 && i - first < 3 {
                let (ps, pe) = words[first - 1];
                let pw = &text[ps..pe];
                let cap = pw.chars().next().is_some_and(|c| c.is_uppercase());
                // Only whitespace may separate the words of one name.
                let joined = text[pe..words[first].0].chars().all(char::is_whitespace);
                if cap && joined && !NOT_NAMES.contains(&pw) {
                    first -= 1;
                } else {
                    break;
                }
            }
            if first == i {
                continue;
            }
            let (s0, e0) = (words[first].0, we);
            if known.iter().any(|m| m.start < e0 && s0 < m.end) {
                continue;
            }
            generic.push(GenericActor { start: s0, end: e0, name: text[s0..e0].to_string(), kind });
        }
        (known, generic)
    }
}

/// Capitalised words that start sentences or name days, not actors.
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "On",
    "In",
    "At",
    "But",
    "And",
    "When",
    "After",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Some",
    "Several",
    "Many",
    "Most",
    "All",
    "Both",
    "Other",
    "Local",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Dozens",
    "Hundreds",
    "Thousands",
    "Police",
    "Security",
];

/// An actor recognised by pattern, not by the dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenericActor {
    pub start: usize,
    pub end: usize,
    pub name: String,
    pub kind: &'static str,
}

fn word_spans(text: &str) -> Vec<(usize, usize)> {
    // Room for the words of a sentence up front (a word and its space take ~6 bytes): growing
    // the vector word by word cost more in realloc than the scan itself.
    let mut out = Vec::with_capacity((text.len() / 4).min(1 << 12));
    let mut start = None;
    if text.is_ascii() {
        // Same rule byte by byte: the common case, without decoding chars.
        for (i, &c) in text.as_bytes().iter().enumerate() {
            let wc = c.is_ascii_alphanumeric() || c == b'-' || c == b'\'';
            match (wc, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    out.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
    } else {
        for (i, c) in text.char_indices() {
            let wc = c.is_alphanumeric() || c == '-' || c == '\'';
            match (wc, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    out.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
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
    fn generic_force_phrases() {
        let d = ActorDict::builtin();
        let (_, g) = d.find_all("Burundian militiamen attacked the camp while Serb forces shelled it.");
        let got: Vec<_> = g.iter().map(|a| (a.name.as_str(), a.kind)).collect();
        assert_eq!(got, vec![("Burundian militiamen", "political militia"), ("Serb forces", "state forces")]);
        let (k, g) = d.find_all("Iraqi police found a missile.");
        assert_eq!(k.len(), 1, "the dictionary wins");
        assert!(g.is_empty());
    }

    #[test]
    fn short_acronyms_need_exact_case() {
        let d = ActorDict::builtin();
        assert!(names(&d, "This is a test, it is.").is_empty());
        assert_eq!(names(&d, "IS claimed the attack"), vec!["Islamic State"]);
        assert!(names(&d, "Dashboards").is_empty());
    }
}
