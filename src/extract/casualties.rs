//! Casualty counts: how many were killed or injured, with the hedge kept.
//!
//! Core types: [`Count`] (value, bounds, [`Qualifier`]) and [`Casualties`]
//! (`fatalities`, `injured`). Entry point: [`casualties`] on one sentence.
//!
//! Unknown is not zero: a sentence that says nothing about casualties, or
//! says the count is not known ("did not say whether there were
//! casualties"), gives `unknown`; only an explicit negation ("caused no
//! casualties", "no one was hurt") gives `none` (0). Numbers keep their
//! hedge: "at least 5" → at_least 5, "nearly 100" → about 100 (max 100).
//! Noun phrases count people: "a commander and another member" = 2.

use serde::Serialize;

/// How a count was stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// A plain number: "killed 3".
    Exact,
    /// A lower bound: "at least 5", "more than 20".
    AtLeast,
    /// An approximation: "about 20", "nearly 100", "dozens".
    About,
    /// An upper bound: "up to 10", "as many as 10".
    AtMost,
    /// Not stated, or stated as unknown.
    Unknown,
    /// Explicitly none: "caused no casualties".
    None,
}

/// One count with its hedge. `value` is the best single figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub value: Option<u32>,
    pub min: Option<u32>,
    pub max: Option<u32>,
    pub qualifier: Qualifier,
    /// The words the count was read from (empty when unknown by silence).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
}

impl Count {
    pub fn unknown() -> Count {
        Count { value: None, min: None, max: None, qualifier: Qualifier::Unknown, text: String::new() }
    }
    fn none(text: &str) -> Count {
        Count { value: Some(0), min: Some(0), max: Some(0), qualifier: Qualifier::None, text: text.to_string() }
    }
    pub fn is_known(&self) -> bool {
        self.value.is_some()
    }
}

/// Casualties stated in one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Casualties {
    pub fatalities: Count,
    pub injured: Count,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Killed,
    Injured,
    /// "casualties": killed and/or injured.
    Both,
}

/// A word of the sentence, lower-cased, with its byte span.
#[derive(Debug, Clone)]
struct Tok<'a> {
    w: &'a str,
    start: usize,
    end: usize,
}

/// Words of `s`, lower-cased into `buf` (one buffer for the sentence rather
/// than a `String` per word: this runs on every sentence with a trigger).
fn tokenize<'a>(s: &str, buf: &'a mut String) -> Vec<Tok<'a>> {
    let spans = if s.is_ascii() { word_spans_ascii(s.as_bytes()) } else { word_spans(s) };
    buf.clear();
    let mut at = Vec::with_capacity(spans.len());
    for &(st, en) in &spans {
        let w = s[st..en].trim_end_matches(['-', '\'']);
        let from = buf.len();
        if w.is_ascii() {
            buf.push_str(w);
            buf[from..].make_ascii_lowercase();
        } else {
            buf.push_str(&w.to_lowercase());
        }
        at.push((from, buf.len()));
    }
    let buf: &'a str = buf;
    spans.iter().zip(at).map(|(&(start, end), (a, b))| Tok { w: &buf[a..b], start, end }).collect()
}

/// Byte spans of the words of `s`: letters and digits, with inner `-` and
/// `'`, and `,` before a digit ("1,200").
fn word_spans(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity((s.len() / 4).min(1 << 12));
    let mut start = None;
    for (i, c) in s.char_indices() {
        let word_char =
            c.is_alphanumeric() || c == ',' && start.is_some() && s[i + 1..].starts_with(|d: char| d.is_ascii_digit());
        if word_char || (c == '-' || c == '\'') && start.is_some() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(st) = start.take() {
            out.push((st, i));
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}

/// [`word_spans`] for ASCII text, byte by byte.
fn word_spans_ascii(b: &[u8]) -> Vec<(usize, usize)> {
    // Sized for the sentence up front: growing word by word cost more in realloc than the scan.
    let mut out = Vec::with_capacity((b.len() / 4).min(1 << 12));
    let mut start = None;
    for (i, &c) in b.iter().enumerate() {
        let word_char =
            c.is_ascii_alphanumeric() || c == b',' && start.is_some() && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        if word_char || (c == b'-' || c == b'\'') && start.is_some() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(st) = start.take() {
            out.push((st, i));
        }
    }
    if let Some(st) = start {
        out.push((st, b.len()));
    }
    out
}

fn kind_of(w: &str) -> Option<Kind> {
    Some(match w {
        "killed" | "killing" | "kills" | "kill" | "dead" | "died" | "die" | "dies" | "deaths" | "death" | "slain"
        | "fatalities" | "fatality" | "lives" | "bodies" | "massacred" | "executed" | "murdered" => Kind::Killed,
        "wounded" | "wounding" | "injured" | "injuring" | "injuries" | "injury" | "hurt" | "maimed" => Kind::Injured,
        "casualties" | "casualty" | "victims" => Kind::Both,
        _ => return None,
    })
}

/// Number words → value. "a"/"an" handled by the caller (needs a noun after).
fn number_word(w: &str) -> Option<u32> {
    Some(match w {
        "one" => 1,
        "two" | "both" | "pair" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" | "dozen" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        "thousand" => 1000,
        _ => return None,
    })
}

/// Vague quantities: (value, min, max). "dozens" is at least 24, and so on.
fn vague_word(w: &str) -> Option<(u32, Option<u32>, Option<u32>)> {
    Some(match w {
        "several" => (3, Some(3), None),
        "few" => (3, Some(2), Some(5)),
        "dozens" => (24, Some(24), None),
        "scores" => (40, Some(40), None),
        "hundreds" => (200, Some(200), None),
        "thousands" => (2000, Some(2000), None),
        "many" | "numerous" => (10, Some(5), None),
        _ => return None,
    })
}

fn parse_digits(w: &str) -> Option<u32> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let digits: String = w.chars().filter(|c| *c != ',').collect();
    digits.parse().ok()
}

/// Words that may sit between a number and the casualty word ("three
/// Iraqi civilians were killed").
fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "people"
            | "persons"
            | "person"
            | "civilians"
            | "civilian"
            | "soldiers"
            | "soldier"
            | "were"
            | "was"
            | "have"
            | "has"
            | "had"
            | "been"
            | "being"
            | "reportedly"
            | "also"
            | "later"
            | "critically"
            | "seriously"
            | "severely"
            | "lightly"
            | "slightly"
            | "fatally"
            | "others"
            | "other"
            | "more"
            | "are"
            | "is"
            | "and"
            | "members"
            | "member"
            | "of"
            | "the"
            | "troops"
            | "police"
            | "policemen"
            | "officers"
            | "fighters"
            | "militants"
            | "children"
            | "women"
            | "men"
            | "protesters"
            | "passengers"
            | "workers"
            | "residents"
            | "villagers"
            | "servicemen"
            | "personnel"
            | "guards"
            | "pilgrims"
            | "students"
            | "worshippers"
            | "may"
            | "might"
            | "could"
            | "would"
            | "feared"
            | "believed"
            | "confirmed"
            | "now"
    ) || w.len() > 2 && w.chars().next().is_some_and(|c| c.is_alphabetic()) && is_nationality_like(w)
}

fn is_nationality_like(w: &str) -> bool {
    w.ends_with("ian")
        || w.ends_with("ese")
        || w.ends_with("ish")
        || w.ends_with("i") && w.len() > 4
        || w == "us"
        || w == "u.s"
}

/// Parse a quantity ending at token `end` (inclusive), reading leftwards for
/// hedges. Returns (count, first token index).
fn quantity_before(t: &[Tok<'_>], end: usize) -> Option<(Count, usize)> {
    let w = t[end].w;
    let (mut value, mut min, mut max, mut q) = if let Some(n) = parse_digits(w) {
        (n, Some(n), Some(n), Qualifier::Exact)
    } else if let Some(n) = number_word(w) {
        // "two hundred", "twenty-five" (tokenized as one word with '-').
        (n, Some(n), Some(n), Qualifier::Exact)
    } else if let Some(n) = w.split_once('-').and_then(|(a, b)| Some(number_word(a)? + number_word(b)?)) {
        (n, Some(n), Some(n), Qualifier::Exact)
    } else if let Some((v, lo, hi)) = vague_word(w) {
        (v, lo, hi, Qualifier::About)
    } else {
        return None;
    };
    let mut first = end;
    // Multipliers: "two hundred" / "a hundred" / "dozens of".
    if end >= 1 && matches!(w, "hundred" | "thousand") {
        if let Some(m) = number_word(t[end - 1].w).or_else(|| parse_digits(t[end - 1].w)) {
            value *= m;
            min = Some(value);
            max = Some(value);
            first = end - 1;
        } else if matches!(t[end - 1].w, "a" | "one") {
            first = end - 1;
        }
    }
    if w == "dozen" && first >= 1 && t[first - 1].w == "a" {
        first -= 1;
    }
    // Hedges before the number.
    let at = first;
    let before = |k: usize| -> Option<&str> { at.checked_sub(k).map(|i| t[i].w) };
    let two = (before(2), before(1));
    let hedge = match two {
        (Some("at"), Some("least")) => Some((Qualifier::AtLeast, 2)),
        (Some("more"), Some("than")) | (Some("no"), Some("fewer")) => Some((Qualifier::AtLeast, 2)),
        (Some("up"), Some("to")) | (Some("as"), Some("many")) | (Some("at"), Some("most")) => {
            Some((Qualifier::AtMost, 2))
        }
        (Some("fewer"), Some("than")) | (Some("less"), Some("than")) => Some((Qualifier::AtMost, 2)),
        _ => match before(1) {
            Some("over") => Some((Qualifier::AtLeast, 1)),
            Some("nearly" | "almost") => Some((Qualifier::About, 1)),
            Some("about" | "around" | "some" | "roughly" | "approximately" | "approx" | "estimated") => {
                Some((Qualifier::About, 1))
            }
            _ => None,
        },
    };
    if let Some((hq, n)) = hedge {
        first -= n;
        match hq {
            Qualifier::AtLeast => {
                let strict = matches!(two, (Some("more"), Some("than"))) || before(1) == Some("over");
                let lo = if strict { value + 1 } else { value };
                min = Some(lo);
                max = None;
                if strict {
                    value = lo;
                }
                q = Qualifier::AtLeast;
            }
            Qualifier::AtMost => {
                min = None;
                max = Some(value);
                q = Qualifier::AtMost;
            }
            Qualifier::About => {
                let near = matches!(t[first].w, "nearly" | "almost");
                min = None;
                max = if near { Some(value) } else { None };
                q = Qualifier::About;
            }
            _ => {}
        }
    }
    Some((Count { value: Some(value), min, max, qualifier: q, text: String::new() }, first))
}

/// People counted by a noun phrase after a verb: "a military commander and
/// another member" = 2, "two soldiers and a civilian" = 3, "one U.S.
/// soldier" = 1. Returns (count, last token index) or None.
fn noun_phrase_count(t: &[Tok<'_>], start: usize, stop: usize) -> Option<(Count, usize)> {
    let mut total: Option<Count> = None;
    let mut i = start;
    let mut last = start;
    let limit = (start + 14).min(stop).min(t.len());
    while i < limit {
        let w = t[i].w;
        let part = if matches!(w, "a" | "an" | "another" | "one")
            && i + 1 < t.len()
            && !is_stop_after_article(t[i + 1].w)
        {
            Some(Count { value: Some(1), min: Some(1), max: Some(1), qualifier: Qualifier::Exact, text: String::new() })
        } else {
            // A number possibly preceded by a hedge: scan forward to the number.
            // The longest quantity starting here: "two hundred", "at least 5".
            let mut found = None;
            for j in (i..(i + 3).min(limit)).rev() {
                if let Some((c, first)) = quantity_before(t, j) {
                    if first == i {
                        found = Some((c, j));
                        break;
                    }
                }
            }
            match found {
                Some((c, j)) => {
                    i = j;
                    Some(c)
                }
                None => None,
            }
        };
        match part {
            Some(c) => {
                total = Some(match total {
                    None => c,
                    Some(acc) => add(acc, c),
                });
                last = i;
                // Skip the noun phrase up to "and"/"," or a clause break.
                i += 1;
                while i < limit && !matches!(t[i].w, "and" | "plus") && !ends_clause(t[i].w) {
                    last = i;
                    i += 1;
                }
                if i < limit && matches!(t[i].w, "and" | "plus") {
                    i += 1;
                    continue;
                }
                break;
            }
            None => break,
        }
    }
    total.map(|c| (c, last))
}

fn is_stop_after_article(w: &str) -> bool {
    matches!(
        w,
        "statement" | "spokesman" | "spokesperson" | "result" | "number" | "total" | "day" | "week" | "year" | "time"
    )
}

fn ends_clause(w: &str) -> bool {
    matches!(
        w,
        "in" | "on"
            | "at"
            | "near"
            | "when"
            | "after"
            | "during"
            | "while"
            | "who"
            | "which"
            | "that"
            | "said"
            | "says"
            | "according"
            | "as"
            | "by"
            | "from"
            | "outside"
            | "inside"
            | "since"
            | "with"
    )
}

fn add(a: Count, b: Count) -> Count {
    let sum = |x: Option<u32>, y: Option<u32>| Some(x? + y?);
    let q = if a.qualifier == Qualifier::Exact && b.qualifier == Qualifier::Exact {
        Qualifier::Exact
    } else {
        Qualifier::About
    };
    Count {
        value: sum(a.value, b.value),
        min: sum(a.min, b.min),
        max: sum(a.max, b.max),
        qualifier: q,
        text: String::new(),
    }
}

const NONE_PHRASES: &[(&str, Kind)] = &[
    ("no casualties", Kind::Both),
    ("no immediate casualties", Kind::Both),
    ("no reported casualties", Kind::Both),
    ("no reports of casualties", Kind::Both),
    ("without casualties", Kind::Both),
    ("no one was hurt", Kind::Both),
    ("no one was injured", Kind::Injured),
    ("no one was killed", Kind::Killed),
    ("nobody was hurt", Kind::Both),
    ("nobody was injured", Kind::Injured),
    ("nobody was killed", Kind::Killed),
    ("no injuries", Kind::Injured),
    ("no deaths", Kind::Killed),
    ("no fatalities", Kind::Killed),
    ("no one hurt", Kind::Both),
    ("no one died", Kind::Killed),
    ("no loss of life", Kind::Killed),
    ("no casualties or losses", Kind::Both),
    ("caused no casualties", Kind::Both),
    ("no one was harmed", Kind::Both),
];

/// Phrases that state the count is not known. Checked before numbers.
const UNKNOWN_CUES: &[&str] = &[
    "did not say whether",
    "did not elaborate on whether",
    "did not specify whether",
    "did not mention casualties",
    "did not mention any casualties",
    "not clear whether",
    "unclear whether",
    "not immediately clear",
    "no word on casualties",
    "no immediate word on casualties",
    "no information on casualties",
    "casualties were not known",
    "no details on casualties",
    "without specifying whether",
    "did not report casualties",
];

/// Every phrase of [`NONE_PHRASES`] and [`UNKNOWN_CUES`] contains one of these: a sentence
/// without any has no match (a test checks the lists).
const PHRASE_KEYS: [&str; 3] = ["no", "without", "unclear"];

/// One automaton over [`NONE_PHRASES`] then [`UNKNOWN_CUES`]: a single pass
/// per sentence instead of one substring search per phrase.
fn phrases() -> &'static aho_corasick::AhoCorasick {
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    AC.get_or_init(|| {
        let pats = NONE_PHRASES.iter().map(|(p, _)| *p).chain(UNKNOWN_CUES.iter().copied());
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(pats)
            .expect("casualty phrases compile")
    })
}

/// Casualties stated in `sentence`.
pub fn casualties(sentence: &str) -> Casualties {
    let lower = fold_lower(sentence);
    let mut fat = Count::unknown();
    let mut inj = Count::unknown();
    // First occurrence of each phrase (what `str::find` gives: all matches of
    // one pattern have its length, so the first reported is the leftmost).
    let mut first = [usize::MAX; NONE_PHRASES.len()];
    let mut unknown_cue = false;
    // Most sentences contain none of the phrases' key words: skip the (overlapping) automaton.
    let may_match = PHRASE_KEYS.iter().any(|k| memchr::memmem::find(lower.as_bytes(), k.as_bytes()).is_some());
    if may_match {
        for m in phrases().find_overlapping_iter(lower.as_str()) {
            match first.get_mut(m.pattern().as_usize()) {
                Some(f) => *f = (*f).min(m.start()),
                None => unknown_cue = true,
            }
        }
    }
    // Words inside a negation ("no one was hurt") are not counts.
    let mut negated: Vec<(usize, usize)> = Vec::new();
    for ((p, k), &i) in NONE_PHRASES.iter().zip(&first) {
        if i != usize::MAX {
            negated.push((i, i + p.len()));
            let text = &sentence[i.min(sentence.len())..(i + p.len()).min(sentence.len())];
            if matches!(k, Kind::Killed | Kind::Both) && !fat.is_known() {
                fat = Count::none(text);
            }
            if matches!(k, Kind::Injured | Kind::Both) && !inj.is_known() {
                inj = Count::none(text);
            }
        }
    }
    if unknown_cue && !fat.is_known() && !inj.is_known() {
        return Casualties { fatalities: Count::unknown(), injured: Count::unknown() };
    }
    // Lower-cased ASCII words never outgrow the sentence: one allocation, no regrowth.
    let mut words = String::with_capacity(sentence.len());
    let t = tokenize(sentence, &mut words);
    for (i, tok) in t.iter().enumerate() {
        let Some(kind) = kind_of(tok.w) else { continue };
        if negated.iter().any(|&(a, b)| tok.start >= a && tok.start < b) {
            continue;
        }
        if let Some(c) = count_for(&t, i, sentence) {
            let slot = match kind {
                Kind::Killed => &mut fat,
                Kind::Injured => &mut inj,
                Kind::Both => {
                    // "casualties" without a split: record as killed-or-injured
                    // only when nothing more specific is known.
                    if !fat.is_known() {
                        &mut fat
                    } else {
                        continue;
                    }
                }
            };
            if !slot.is_known() || slot.qualifier == Qualifier::None && c.value != Some(0) {
                *slot = c;
            }
        }
    }
    Casualties { fatalities: fat, injured: inj }
}

/// The count attached to the casualty word at `i`, if any.
fn count_for(t: &[Tok<'_>], i: usize, s: &str) -> Option<Count> {
    let w = t[i].w;
    let span = |a: usize, b: usize| s[t[a].start..t[b].end].to_string();
    // "death toll rose to 12", "toll climbed to at least 30".
    if w == "death" || w == "toll" {
        // A verb of change widens the reach: "the death toll from Tuesday's
        // car bomb in Kirkuk rose to five".
        let verb = (i + 1..t.len().min(i + 13)).find(|&k| {
            matches!(t[k].w, "rose" | "risen" | "climbed" | "increased" | "jumped" | "reached" | "stands" | "stood")
        });
        let reach = verb.map_or(i + 5, |k| k + 2);
        let mut j = i + 1;
        while j < t.len() && j <= reach {
            if t[j].w == "to" || t[j].w == "at" && t.get(j + 1).is_some_and(|x| x.w != "least") || t[j].w == "reached" {
                if let Some((c, last)) = noun_phrase_count(t, j + 1, t.len()) {
                    return Some(Count { text: span(i, last), ..c });
                }
            }
            j += 1;
        }
    }
    // Verb forms followed by the victims: "killing 3", "killed a commander and another member".
    let transitive = matches!(
        w,
        "killed" | "killing" | "kills" | "kill" | "wounded" | "wounding" | "injured" | "injuring" | "claimed" | "left"
    );
    // Subject before the word: "3 people were killed", "at least 5 dead",
    // "two soldiers and a civilian were killed". Walk back over the noun
    // phrase, then count it forwards.
    let mut j = i;
    let mut start = None;
    while j > 0 && i - j < 12 {
        j -= 1;
        let tw = t[j].w;
        let quantity_word = parse_digits(tw).is_some()
            || number_word(tw).is_some()
            || vague_word(tw).is_some()
            || tw.split_once('-').is_some_and(|(a, b)| number_word(a).is_some() && number_word(b).is_some());
        let hedge_word = matches!(
            tw,
            "at" | "least"
                | "more"
                | "than"
                | "over"
                | "nearly"
                | "almost"
                | "about"
                | "around"
                | "some"
                | "roughly"
                | "approximately"
                | "up"
                | "to"
                | "as"
                | "many"
                | "most"
                | "fewer"
                | "less"
                | "estimated"
        );
        if is_filler(tw) || quantity_word || hedge_word || matches!(tw, "a" | "an" | "another") {
            start = Some(j);
        } else {
            break;
        }
    }
    if let Some(s0) = start {
        if let Some((c, last)) = noun_phrase_count(t, s0, i) {
            return Some(Count { text: span(s0, i), ..c }).filter(|_| last < i);
        }
    }
    if transitive {
        if let Some((c, last)) = noun_phrase_count(t, i + 1, t.len()) {
            return Some(Count { text: span(i, last), ..c });
        }
    }
    // "claimed 5 lives", "left 3 dead" are covered: the noun-phrase count
    // after "claimed"/"left" precedes "lives"/"dead".
    None
}

/// Lower-case with typographic apostrophes folded, same byte length for ASCII.
fn fold_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars().map(|c| if c == '\u{2019}' { '\'' } else { c }).collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> (Option<u32>, Qualifier) {
        let c = casualties(s).fatalities;
        (c.value, c.qualifier)
    }
    fn i(s: &str) -> (Option<u32>, Qualifier) {
        let c = casualties(s).injured;
        (c.value, c.qualifier)
    }

    #[test]
    fn every_phrase_has_a_key() {
        for p in NONE_PHRASES.iter().map(|(p, _)| *p).chain(UNKNOWN_CUES.iter().copied()) {
            assert!(PHRASE_KEYS.iter().any(|k| p.contains(k)), "{p}");
        }
    }

    #[test]
    fn plain_and_hedged_counts() {
        use Qualifier::{About, AtLeast, AtMost, Exact};
        let cases = [
            ("A roadside bomb killed three soldiers on Monday.", (Some(3), Exact)),
            ("At least 5 people were killed in the raid.", (Some(5), AtLeast)),
            ("The blasts killed nearly 100 people at a memorial.", (Some(100), About)),
            ("Gunmen killed about 20 villagers.", (Some(20), About)),
            ("More than 40 people have died since the weekend.", (Some(41), AtLeast)),
            ("Up to 12 people may have been killed.", (Some(12), AtMost)),
            ("The strike killed 1,200 fighters.", (Some(1200), Exact)),
            ("Two hundred people were killed.", (Some(200), Exact)),
            ("Dozens were killed in the shelling.", (Some(24), About)),
            ("The death toll rose to 17 on Tuesday.", (Some(17), Exact)),
            ("The death toll from Tuesday's car bomb in Kirkuk rose to five, officials said.", (Some(5), Exact)),
            ("The attack left 4 dead.", (Some(4), Exact)),
            ("A drone strike killed a militia commander and another member of the group.", (Some(2), Exact)),
            ("Two soldiers and a civilian were killed.", (Some(3), Exact)),
            ("Twenty-five people were killed.", (Some(25), Exact)),
            ("A bomb killed one U.S. soldier and wounded two others.", (Some(1), Exact)),
        ];
        for (s, want) in cases {
            assert_eq!(f(s), want, "{s}");
        }
        assert_eq!(i("A bomb killed one U.S. soldier and wounded two others."), (Some(2), Exact));
        assert_eq!(i("Guerrillas wounded two British soldiers in a bomb attack."), (Some(2), Exact));
    }

    #[test]
    fn unknown_is_not_zero() {
        use Qualifier::{Exact, Unknown};
        assert_eq!(f("The statement did not elaborate on whether the attack caused casualties."), (None, Unknown));
        assert_eq!(f("A drone struck the base on Friday, officials said."), (None, Unknown));
        assert_eq!(f("It was not immediately clear whether anyone was hurt."), (None, Unknown));
        assert_eq!(f("The attack caused no casualties or losses, he said."), (Some(0), Qualifier::None));
        assert_eq!(i("The attack caused no casualties or losses, he said."), (Some(0), Qualifier::None));
        assert_eq!(f("No one was hurt in the blast."), (Some(0), Qualifier::None));
        assert_eq!(i("The spokesman said, adding that no one was hurt."), (Some(0), Qualifier::None));
        assert_eq!(
            f("Nobody was injured, but two were killed."),
            (Some(2), Exact),
            "a number beats a negation of the other kind"
        );
        assert_eq!(i("Nobody was injured, but two were killed."), (Some(0), Qualifier::None));
    }

    #[test]
    fn numbers_that_are_not_casualties() {
        use Qualifier::Unknown;
        assert_eq!(f("The United States has around 2,500 troops in Iraq."), (None, Unknown));
        assert_eq!(f("There have been more than 100 attacks on its forces since mid-October."), (None, Unknown));
        // A singular passive without a number is left to the event level (who was killed).
        assert_eq!(f("He was killed in a drone strike in January 2020."), (None, Unknown));
    }

    #[test]
    fn count_text_is_kept_as_evidence() {
        let c = casualties("Officials said at least 7 people were killed.").fatalities;
        assert_eq!(c.text, "at least 7 people were killed");
        assert_eq!(c.min, Some(7));
        assert_eq!(c.max, None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,200}") {
            let _ = casualties(&s);
        }
    }
}
