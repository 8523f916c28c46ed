//! The trigger lexicon: phrases → ACLED sub-event types, loaded from
//! `config/events.toml` so users can extend it without recompiling.
//!
//! Core types: [`Lexicon`] (compiled matcher) and [`TriggerHit`]. Matching
//! is one Aho-Corasick pass (leftmost-longest, ASCII case-insensitive) with
//! word-boundary checks, so its cost does not grow with the lexicon size.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Deserialize;

use super::taxonomy::SubEventType;

/// Lexicon problems (bad config: fatal at start-up).
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("events lexicon: {0}")]
    Parse(String),
    #[error("events lexicon: unknown sub_event_type {0:?} (use ACLED's spelling, e.g. \"Air/drone strike\")")]
    UnknownType(String),
    #[error("events lexicon: a trigger needs `sub_event_type` or `generic = true`")]
    NoType,
    #[error("events lexicon: {0}")]
    Build(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    trigger: Vec<RawTrigger>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrigger {
    sub_event_type: Option<String>,
    #[serde(default)]
    generic: bool,
    specificity: u8,
    #[serde(default)]
    plural_is_tally: bool,
    phrases: Vec<String>,
}

/// What a phrase means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TriggerInfo {
    /// `None` for generic violence words.
    pub sub: Option<SubEventType>,
    pub specificity: u8,
    pub plural_is_tally: bool,
}

/// One trigger found in a sentence (byte offsets into it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerHit {
    pub start: usize,
    pub end: usize,
    pub info: TriggerInfo,
}

/// The compiled lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    ac: AhoCorasick,
    info: Vec<TriggerInfo>,
    phrases: Vec<String>,
}

/// The lexicon shipped in `config/events.toml`, compiled into the binary as
/// the default (a file in the config folder replaces it).
pub const DEFAULT_LEXICON: &str = include_str!("../../config/events.toml");

impl Lexicon {
    /// Parse and compile TOML text.
    pub fn from_toml(text: &str) -> Result<Lexicon, LexiconError> {
        let raw: RawLexicon = toml::from_str(text).map_err(|e| LexiconError::Parse(e.to_string()))?;
        let mut phrases = Vec::new();
        let mut info = Vec::new();
        for t in raw.trigger {
            let sub = match (&t.sub_event_type, t.generic) {
                (Some(name), _) => {
                    Some(SubEventType::from_name(name).ok_or_else(|| LexiconError::UnknownType(name.clone()))?)
                }
                (None, true) => None,
                (None, false) => return Err(LexiconError::NoType),
            };
            for p in t.phrases {
                let p = p.trim().to_ascii_lowercase();
                if p.is_empty() {
                    continue;
                }
                phrases.push(p);
                info.push(TriggerInfo { sub, specificity: t.specificity, plural_is_tally: t.plural_is_tally });
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind((phrases.len() <= super::actors::DFA_MAX_PATTERNS).then_some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&phrases)
            .map_err(|e| LexiconError::Build(e.to_string()))?;
        Ok(Lexicon { ac, info, phrases })
    }

    /// The built-in lexicon.
    pub fn builtin() -> Lexicon {
        Lexicon::from_toml(DEFAULT_LEXICON).expect("shipped lexicon is valid")
    }

    /// All triggers in `sentence`, in order, on word boundaries.
    pub fn find(&self, sentence: &str) -> Vec<TriggerHit> {
        let b = sentence.as_bytes();
        let mut out = Vec::new();
        for m in self.ac.find_iter(sentence) {
            let (s, e) = (m.start(), m.end());
            let before_ok = s == 0 || !is_word_byte(b[s - 1]);
            let after_ok = e == b.len() || !is_word_byte(b[e]);
            if before_ok && after_ok {
                out.push(TriggerHit { start: s, end: e, info: self.info[m.pattern().as_usize()] });
            }
        }
        out
    }

    /// The phrase of a hit, as listed in the lexicon.
    pub fn phrase(&self, sentence: &str, hit: &TriggerHit) -> String {
        sentence[hit.start..hit.end].to_string()
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lexicon_compiles_and_finds_triggers() {
        let lx = Lexicon::builtin();
        assert!(lx.len() > 200);
        let s = "The base came under fire by an armed drone on Friday.";
        let hits = lx.find(s);
        let subs: Vec<_> = hits.iter().map(|h| h.info.sub).collect();
        assert!(subs.contains(&Some(SubEventType::AirDroneStrike)), "{hits:?}");
        assert!(subs.contains(&None), "generic 'came under fire' is found too");
    }

    #[test]
    fn word_boundaries_and_case() {
        let lx = Lexicon::builtin();
        assert!(lx
            .find("The Shelling continued.")
            .iter()
            .any(|h| h.info.sub == Some(SubEventType::ShellingArtilleryMissileAttack)));
        assert!(lx.find("mortarboard ceremonies").is_empty(), "no match inside a word");
        assert!(lx
            .find("An IED exploded.")
            .iter()
            .any(|h| h.info.sub == Some(SubEventType::RemoteExplosiveLandmineIed)));
    }

    #[test]
    fn bad_lexicons_are_rejected() {
        let e =
            Lexicon::from_toml("[[trigger]]\nsub_event_type = \"Drone thing\"\nspecificity = 1\nphrases = [\"x\"]\n");
        assert!(matches!(e, Err(LexiconError::UnknownType(_))));
        let e = Lexicon::from_toml("[[trigger]]\nspecificity = 1\nphrases = [\"x\"]\n");
        assert!(matches!(e, Err(LexiconError::NoType)));
        assert!(Lexicon::from_toml("[[trigger]]\nspecifity = 1\n").is_err());
    }
}
