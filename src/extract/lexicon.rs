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
    // Words that a later word follows inside some phrase ("discovered" in "discovered an"): only
    // a quotation mark after one of them can split a phrase.
    joins: std::collections::HashSet<String>,
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
        let joins = phrases
            .iter()
            .flat_map(|p| {
                let words: Vec<&str> = p.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
                let n = words.len().saturating_sub(1);
                words.into_iter().take(n).map(str::to_string)
            })
            .collect();
        Ok(Lexicon { ac, info, phrases, joins })
    }

    /// The built-in lexicon.
    pub fn builtin() -> Lexicon {
        Lexicon::from_toml(DEFAULT_LEXICON).expect("shipped lexicon is valid")
    }

    /// All triggers in `sentence`, in order, on word boundaries.
    pub fn find(&self, sentence: &str) -> Vec<TriggerHit> {
        let mut out = self.find_exact(sentence);
        // Every quotation mark handled starts with one of these bytes; most sentences have none.
        if memchr::memchr3(b'"', 0xE2, 0xC2, sentence.as_bytes()).is_some() {
            self.find_across_quotes(sentence, &mut out);
        }
        out
    }

    // A quotation mark opening or closing inside a phrase ("had discovered “an Iranian-designed
    // missile"): the text around it is matched again without the mark, and phrases that span
    // the removed mark are added at their original offsets.
    fn find_across_quotes(&self, sentence: &str, out: &mut Vec<TriggerHit>) {
        const REACH: usize = 64;
        let b = sentence.as_bytes();
        let mut added = false;
        for q in memchr::memchr3_iter(b'"', 0xE2, 0xC2, b) {
            let Some(c) = sentence[q..].chars().next().filter(|&c| is_quote(c)) else { continue };
            let qe = q + c.len_utf8();
            let space_before = sentence[..q].ends_with(char::is_whitespace);
            let space_after = sentence[qe..].starts_with(char::is_whitespace);
            if !space_before && !space_after {
                continue;
            }
            let prev: String = sentence[..q]
                .trim_end()
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if !self.joins.contains(&prev) {
                continue;
            }
            // "« an »": one space left between the words, not two.
            let resume = if space_before && space_after { qe + 1 } else { qe };
            let ws = (q.saturating_sub(REACH)..=q).find(|&i| sentence.is_char_boundary(i)).unwrap_or(q);
            let we = (resume.min(b.len()).saturating_add(REACH).min(b.len())..=b.len())
                .find(|&i| sentence.is_char_boundary(i))
                .unwrap_or(b.len());
            let resume = resume.min(we);
            let window = format!("{}{}", &sentence[ws..q], &sentence[resume..we]);
            let split = q - ws;
            let orig = |k: usize| if k < split { ws + k } else { resume + (k - split) };
            for h in self.find_exact(&window) {
                if !(h.start < split && h.end > split) {
                    continue;
                }
                let (s, e) = (orig(h.start), orig(h.end - 1) + 1);
                let bounded = (s == 0 || !is_word_byte(b[s - 1])) && (e == b.len() || !is_word_byte(b[e]));
                if bounded && !out.iter().any(|o| o.start < e && s < o.end) {
                    out.push(TriggerHit { start: s, end: e, info: h.info });
                    added = true;
                }
            }
        }
        if added {
            out.sort_by_key(|h| h.start);
        }
    }

    fn find_exact(&self, sentence: &str) -> Vec<TriggerHit> {
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

/// Double quotation marks, as typed and as typeset.
fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{ab}' | '\u{bb}')
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotation_marks_inside_phrases() {
        let lx = Lexicon::builtin();
        for s in [
            "Police discovered \u{201c}an old mortar\u{201d} on Friday.",
            "Police discovered \"an old mortar\" on Friday.",
            "Police discovered \u{ab} an old mortar \u{bb} on Friday.",
        ] {
            let hits = lx.find(s);
            let h = hits.iter().find(|h| h.info.sub == Some(SubEventType::DisruptedWeaponsUse)).expect(s);
            assert!(s[h.start..h.end].starts_with("discovered") && s[h.start..h.end].ends_with("an"), "{s}");
            assert!(hits.windows(2).all(|w| w[0].end <= w[1].start), "sorted, not overlapping: {hits:?}");
        }
        // A mark glued between two words joins nothing.
        assert!(lx
            .find("Police discovered\"an old mortar.")
            .iter()
            .all(|h| h.info.sub != Some(SubEventType::DisruptedWeaponsUse)));
    }

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
