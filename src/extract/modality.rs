//! Modality: whether a sentence asserts an event, reports a claim, denies
//! it, threatens it or only plans/imagines it; and whether a trigger is a
//! tally of many events rather than one.
//!
//! Core types: [`Modality`]; entry points [`modality`] and [`is_aggregate`].
//! Cues are looked for in the clause around the trigger (the text before it
//! and a few words after), lower-cased.

use serde::Serialize;

/// How the text stands to the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    /// Reported as having happened.
    Asserted,
    /// Claimed by a party to it ("claimed responsibility").
    Claimed,
    /// Denied ("denied reports that a drone struck").
    Denied,
    /// Threatened ("threatened to continue attacks").
    Threatened,
    /// Planned, expected or hypothetical ("to prevent future attacks", "would strike").
    Planned,
}

const DENIED: &[&str] = &[
    "denied",
    "denies",
    "deny ",
    "denying",
    "rejected reports",
    "dismissed reports",
    "refuted",
    "did not carry out",
    "had no role in",
    "no such attack",
    "false reports",
    "fabricated",
];
const THREAT: &[&str] = &[
    "threatened to",
    "threatens to",
    "threatening to",
    "vowed to",
    "vows to",
    "warned it would",
    "warned that it would",
    "warned of",
    "will continue to launch",
    "threatened on",
    "threatened that",
];
const PLANNED: &[&str] = &[
    "plans to",
    "planned to",
    "planning to",
    "plan to",
    "intends to",
    "intended to",
    "preparing to",
    "prepare to",
    "would ",
    "could ",
    "may ",
    "might ",
    "if ",
    "prevent future",
    "to prevent",
    "in case of",
    "possible ",
    "potential ",
    "expected to",
    "is due to",
    "are due to",
    "aimed at preventing",
    "considering",
];
const CLAIMED: &[&str] = &[
    "claimed responsibility",
    "claimed the attack",
    "claimed the strike",
    "claimed credit",
    "took responsibility",
    "said it carried out",
    "said it had carried out",
    "said it targeted",
    "said it had targeted",
    "have been claimed",
    "has been claimed",
    "were claimed",
    "was claimed",
    "claimed by",
];

/// Claims denied in the sentence: "No group has claimed responsibility" is not a claim.
const NOT_CLAIMED: &[&str] =
    &["no group has claimed", "no one has claimed", "nobody has claimed", "no group claimed", "not claimed"];

// Which cue lists a pattern of [`cues`] belongs to.
const IS_DENIED: u8 = 1;
const IS_THREAT: u8 = 2;
const IS_NOT_CLAIMED: u8 = 4;
const IS_CLAIMED: u8 = 8;
const IS_PLANNED: u8 = 16;

/// Every cue of every list in one automaton (each distinct phrase once, with
/// the lists it is in): one pass over the sentence instead of ~60 substring
/// searches.
fn cues() -> &'static (aho_corasick::AhoCorasick, Vec<u8>) {
    static CUES: std::sync::OnceLock<(aho_corasick::AhoCorasick, Vec<u8>)> = std::sync::OnceLock::new();
    CUES.get_or_init(|| {
        let mut pats: Vec<&str> = Vec::new();
        let mut lists: Vec<u8> = Vec::new();
        let all = [
            (DENIED, IS_DENIED),
            (THREAT, IS_THREAT),
            (NOT_CLAIMED, IS_NOT_CLAIMED),
            (CLAIMED, IS_CLAIMED),
            (PLANNED, IS_PLANNED),
        ];
        for (list, bit) in all {
            for &p in list {
                match pats.iter().position(|q| *q == p) {
                    Some(i) => lists[i] |= bit,
                    None => {
                        pats.push(p);
                        lists.push(bit);
                    }
                }
            }
        }
        let ac = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&pats)
            .expect("modality cues compile");
        (ac, lists)
    })
}

/// The modality of the event whose trigger spans `trigger` (byte offsets) in `sentence`.
pub fn modality(sentence: &str, trigger: (usize, usize)) -> Modality {
    modality_in(&sentence.to_lowercase(), trigger)
}

/// [`modality`] given the sentence already lower-cased (event assembly shares one copy).
pub fn modality_in(lower: &str, trigger: (usize, usize)) -> Modality {
    // Byte offsets survive lower-casing for ASCII; clamp for the rest.
    let t0 = floor_char(lower, trigger.0.min(lower.len()));
    let t1 = floor_char(lower, trigger.1.min(lower.len()));
    let after_end = floor_char(lower, (t1 + 60).min(lower.len()));
    // Planning cues only count close before the trigger (same clause).
    let near_start = floor_char(lower, t0.saturating_sub(50));
    // A cue is in `lower[a..b]` when one of its occurrences lies inside.
    let (mut denied, mut threat, mut not_claimed, mut claimed, mut planned) = (false, false, false, false, false);
    let (ac, lists) = cues();
    for m in ac.find_overlapping_iter(lower) {
        let l = lists[m.pattern().as_usize()];
        let before = m.end() <= t0;
        denied |= l & IS_DENIED != 0 && before;
        threat |= l & IS_THREAT != 0 && before;
        not_claimed |= l & IS_NOT_CLAIMED != 0;
        claimed |= l & IS_CLAIMED != 0 && m.end() <= after_end;
        planned |= l & IS_PLANNED != 0 && before && m.start() >= near_start;
    }
    if denied {
        return Modality::Denied;
    }
    if threat {
        return Modality::Threatened;
    }
    if !not_claimed && claimed {
        return Modality::Claimed;
    }
    let near = &lower[near_start..t0];
    if planned || lower[t0..].starts_with("future") || near.ends_with("future ") {
        return Modality::Planned;
    }
    Modality::Asserted
}

/// True when no group claimed the event ("No group has claimed responsibility"):
/// the perpetrator is then unknown, not absent.
pub fn unclaimed(text: &str) -> bool {
    // Every phrase contains "claim": most sentences are ruled out without
    // lower-casing them (exact for ASCII text, where lower-casing keeps bytes).
    if text.is_ascii() && !text.as_bytes().windows(5).any(|w| w.eq_ignore_ascii_case(b"claim")) {
        return false;
    }
    unclaimed_in(&text.to_lowercase())
}

/// [`unclaimed`] given the text already lower-cased.
pub fn unclaimed_in(lower: &str) -> bool {
    // Every phrase contains "claim": one search rules out nearly every sentence.
    if !lower.contains("claim") {
        return false;
    }
    [
        "no group has claimed",
        "no one has claimed",
        "nobody has claimed",
        "no group claimed",
        "no one claimed",
        "there was no claim",
    ]
    .iter()
    .any(|c| lower.contains(c))
}

/// Tallies: "more than 100 attacks", "a series of attacks", "almost daily
/// attacks", "attacks since mid-October" are many events, not one.
pub fn is_aggregate(sentence: &str, trigger: (usize, usize), plural_is_tally: bool) -> bool {
    is_aggregate_in(&sentence.to_lowercase(), trigger, plural_is_tally)
}

/// [`is_aggregate`] given the sentence already lower-cased.
pub fn is_aggregate_in(lower: &str, trigger: (usize, usize), plural_is_tally: bool) -> bool {
    let t0 = floor_char(lower, trigger.0.min(lower.len()));
    let t1 = floor_char(lower, trigger.1.min(lower.len()));
    let word = &lower[t0..t1];
    let plural = word.ends_with('s') && !word.ends_with("ss");
    // Both ways to be a tally need a plural trigger.
    if !plural {
        return false;
    }
    let before = &lower[floor_char(lower, t0.saturating_sub(40))..t0];
    let after = &lower[t1..floor_char(lower, (t1 + 30).min(lower.len()))];
    const TALLY_BEFORE: &[&str] = &[
        "series of",
        "wave of",
        "string of",
        "spate of",
        "dozens of",
        "hundreds of",
        "scores of",
        "number of",
        "daily ",
        "regular ",
        "repeated ",
        "frequent ",
        "several ",
        "many ",
        "multiple ",
        "numerous ",
        "more than ",
        "over ",
        "at least ",
        "about ",
        "around ",
    ];
    // "two explosions" can be one incident; "100 attacks" cannot.
    let numbered = before
        .split_whitespace()
        .last()
        .is_some_and(|w| w.replace(',', "").parse::<u32>().is_ok_and(|n| n >= 10) || number_like(w));
    if plural && (plural_is_tally || numbered || TALLY_BEFORE.iter().any(|c| before.contains(c))) {
        return true;
    }
    plural && (after.trim_start().starts_with("since") || after.contains(" since "))
}

fn number_like(w: &str) -> bool {
    matches!(w, "ten" | "dozen" | "dozens" | "twenty" | "fifty" | "hundred" | "hundreds")
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str, trig: &str) -> Modality {
        let i = s.find(trig).unwrap();
        modality(s, (i, i + trig.len()))
    }

    #[test]
    fn modalities() {
        assert_eq!(m("A drone struck the base on Friday, officials said.", "drone"), Modality::Asserted);
        assert_eq!(m("The ministry denied reports that a drone struck the base.", "drone"), Modality::Denied);
        assert_eq!(
            m("The group threatened to launch new attacks unless troops leave.", "attacks"),
            Modality::Threatened
        );
        assert_eq!(m("Police acted to prevent future attacks on the base.", "attacks"), Modality::Planned);
        assert_eq!(m("Islamic State claimed responsibility for the bombing.", "bombing"), Modality::Claimed);
        assert_eq!(m("No group has claimed responsibility for the bombing.", "bombing"), Modality::Asserted);
        assert!(unclaimed("No group has claimed responsibility for the bombing."));
    }

    #[test]
    fn tallies_are_aggregates() {
        let agg = |s: &str, t: &str| {
            let i = s.find(t).unwrap();
            is_aggregate(s, (i, i + t.len()), true)
        };
        assert!(agg("There have been more than 100 attacks on its forces since mid-October.", "attacks"));
        assert!(agg("The troops have been the target of almost daily attacks.", "attacks"));
        assert!(!agg("The attack caused no casualties.", "attack"));
        let i = "Two explosions killed 84 people.".find("explosions").unwrap();
        assert!(!is_aggregate("Two explosions killed 84 people.", (i, i + 10), false), "two blasts in one incident");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,120}", a in 0usize..200, b in 0usize..200) {
            let (a, b) = (a.min(b), a.max(b));
            let _ = modality(&s, (a, b));
            let _ = is_aggregate(&s, (a, b), true);
        }
    }
}
