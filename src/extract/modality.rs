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

/// The modality of the event whose trigger spans `trigger` (byte offsets) in `sentence`.
pub fn modality(sentence: &str, trigger: (usize, usize)) -> Modality {
    let lower = sentence.to_lowercase();
    // Byte offsets survive lower-casing for ASCII; clamp for the rest.
    let t0 = floor_char(&lower, trigger.0.min(lower.len()));
    let t1 = floor_char(&lower, trigger.1.min(lower.len()));
    let before = &lower[..t0];
    let after_end = floor_char(&lower, (t1 + 60).min(lower.len()));
    let around = &lower[..after_end];
    if DENIED.iter().any(|c| before.contains(c)) {
        return Modality::Denied;
    }
    if THREAT.iter().any(|c| before.contains(c)) {
        return Modality::Threatened;
    }
    // "No group has claimed responsibility" is not a claim.
    let unclaimed =
        ["no group has claimed", "no one has claimed", "nobody has claimed", "no group claimed", "not claimed"]
            .iter()
            .any(|c| lower.contains(c));
    if !unclaimed && CLAIMED.iter().any(|c| around.contains(c)) {
        return Modality::Claimed;
    }
    // Planning cues only count close before the trigger (same clause).
    let near_start = floor_char(&lower, t0.saturating_sub(50));
    let near = &lower[near_start..t0];
    if PLANNED.iter().any(|c| near.contains(c)) || lower[t0..].starts_with("future") || near.ends_with("future ") {
        return Modality::Planned;
    }
    Modality::Asserted
}

/// True when no group claimed the event ("No group has claimed responsibility"):
/// the perpetrator is then unknown, not absent.
pub fn unclaimed(text: &str) -> bool {
    let l = text.to_lowercase();
    [
        "no group has claimed",
        "no one has claimed",
        "nobody has claimed",
        "no group claimed",
        "no one claimed",
        "there was no claim",
    ]
    .iter()
    .any(|c| l.contains(c))
}

/// Tallies: "more than 100 attacks", "a series of attacks", "almost daily
/// attacks", "attacks since mid-October" are many events, not one.
pub fn is_aggregate(sentence: &str, trigger: (usize, usize), plural_is_tally: bool) -> bool {
    let lower = sentence.to_lowercase();
    let t0 = floor_char(&lower, trigger.0.min(lower.len()));
    let t1 = floor_char(&lower, trigger.1.min(lower.len()));
    let word = &lower[t0..t1];
    let plural = word.ends_with('s') && !word.ends_with("ss");
    let before = &lower[floor_char(&lower, t0.saturating_sub(40))..t0];
    let after = &lower[t1..floor_char(&lower, (t1 + 30).min(lower.len()))];
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
