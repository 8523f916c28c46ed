//! Time expressions: a TIMEX3 tagger and resolver for newsroom English (issue 5).
//!
//! [`tag`] finds every time expression in a text and resolves it against an anchor, the
//! publication date: [`Timex`] carries the byte span, the TIMEX3 `value` ("2024-01-04",
//! "2024-W01", "2017", "P3M", "PAST_REF", …), its [`TimexKind`], [`Precision`], [`TimexBasis`]
//! (explicit, relative, or the anchor itself), the TIMEX3 `mod` and the [`Tense`] used to pick a
//! direction. [`tag_sentence`] does the same on one sentence and shifts the offsets.
//!
//! The module is pure: no I/O, no clock (the anchor is always given), no panics.
//!
//! # How it works
//! 1. **Triggers.** One pass over the words of the text. A word is a trigger when it starts with a
//!    digit, or when the trigger automaton (Aho-Corasick over the lexicon's trigger words:
//!    months, weekdays, units, seasons, "today", "now", …), anchored at the word's first letter,
//!    matches the whole word; a two-letter prefix bitmap skips the automaton for most words.
//!    Months and abbreviations count only capitalized ("may", "march", "sat" are other words).
//! 2. **Local parse.** The text around each trigger is tokenized (once: windows of consecutive
//!    triggers extend one token buffer; words are looked up in a hashed lexicon) and a
//!    hand-written grammar is tried at the few tokens left of the trigger; the leftmost parse
//!    that covers the trigger wins (the longest at that start). Expressions never overlap and
//!    never cross a line break.
//! 3. **Resolution.** The parse (`Sem`) is resolved against the anchor. Tense-sensitive
//!    expressions (weekdays, "in June", "Jan. 3", "the fourth quarter", "overnight", seasons,
//!    "the weekend") look for the nearest tense cue in the clause, then in the sentence (see
//!    `clause_tense`). Reference-relative expressions ("the following day", "two days later",
//!    "that day", "one year later", a bare clock time) use the last date resolved earlier in the
//!    same `tag` call at the unit's precision or finer, falling back to the anchor.
//!
//! Steps 1–2 do not depend on the anchor: [`scan_until_where`] runs them once and
//! [`Scanned::resolve`] runs step 3, so an article whose publication date changes (an undated one
//! inheriting its story's date) is resolved again without being tokenized or parsed again.
//!
//! # Resolution conventions (newsroom English)
//! * Weekday, no "last/next/this": the anchor's own weekday is the anchor; otherwise future
//!   tense → next such day after the anchor, past or unknown tense → most recent before it
//!   (news mostly reports what happened). "last Friday" → strictly before, "next Friday" →
//!   strictly after, "this Friday" → this coming one (or the one just gone in past tense).
//! * Month without year ("in June"): past tense → the most recent June not after the anchor
//!   month; future → the next June not before it; no tense cue → the nearer of the two, a future
//!   distance counting 1.5×. Seasons, quarters and halves without a year work the same way.
//!   Month and day without year ("Jan. 3", "Dec. 28" in a Jan. 3 article → last year): the
//!   nearest year, a distance against the tense counting triple (1.5× for the future with no
//!   tense).
//! * "last week" → ISO week of anchor − 7 days; "this/next week" likewise. "earlier this
//!   month/week/year" → the anchor's month/week/year with no `mod`: TIMEX3 START means the
//!   first part of the period, while "earlier this month" on the 28th may be the 20th.
//! * "overnight" → the night before the anchor (value `<anchor-1>TNI`) in past tense, the
//!   anchor's night otherwise. "tonight" → `<anchor>TNI`, "this morning" → `<anchor>TMO`.
//! * "two days ago" → a day; "three weeks ago" → a day (anchor − 21); months → a month; years →
//!   a year; vague amounts ("years ago") → `PAST_REF`.
//! * "recently", "recent" → `PAST_REF`; "now", "currently" → `PRESENT_REF`; "soon", "the
//!   future" → `FUTURE_REF`; "in recent weeks" → duration `PXW`.
//! * Durations: `P3M`, `PT48H`, `P10Y` for a decade, `P2.5Y`; vague ones `PXY`. Sets: `P1W`
//!   ("weekly"), `XXXX-WXX-5` ("every Friday").
//! * Times of day append to a date value: `2024-01-05TMO`, `2024-01-05T18:00Z`.
//!
//! With no anchor, everything that needs it keeps its text and gets `value: None`,
//! `precision: Unknown`; explicit dates, durations, sets and the `*_REF` values still resolve.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind, StartKind};
use jiff::civil::Date;
use serde::Serialize;

/// One time expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timex {
    /// Byte offsets `[start, end)` into the text given to [`tag`] (shifted by `offset` in
    /// [`tag_sentence`]). Always on char boundaries.
    pub start: usize,
    pub end: usize,
    /// The expression as written.
    pub text: String,
    /// TIMEX3 value: "2024-01-04", "2024-01", "2024", "2024-W01", "2024-W01-WE", "2017-Q4",
    /// "2009-SP", "199" (a decade), "20" (a century), "2024-01-05TMO", "2024-01-05T18:00Z",
    /// "P3M", "PT48H", "PXY", "XXXX-WXX-5", "PAST_REF"/"PRESENT_REF"/"FUTURE_REF".
    /// `None` when the expression needs an anchor and none was given, or the date is invalid.
    pub value: Option<String>,
    pub kind: TimexKind,
    /// Calendar precision of a date value; `Unknown` for durations, sets, `*_REF` and
    /// unresolved values.
    pub precision: Precision,
    pub basis: TimexBasis,
    /// TIMEX3 `mod`: START, MID, END, APPROX, BEFORE, AFTER, MORE_THAN, LESS_THAN,
    /// EQUAL_OR_MORE, EQUAL_OR_LESS.
    pub modifier: Option<&'static str>,
    /// The tense that chose the direction of a tense-sensitive expression, when one was found.
    pub tense: Option<Tense>,
}

/// TIMEX3 type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimexKind {
    Date,
    /// A date with a time of day or a part of day ("Friday morning", "18:00 UTC").
    Time,
    Duration,
    Set,
}

/// Calendar precision of a resolved date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Week,
    Month,
    Season,
    Quarter,
    /// A half year ("2009-H1").
    Half,
    Year,
    Decade,
    Century,
    Unknown,
}

/// Where the value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimexBasis {
    /// Absolute in the text ("5 January 2024", "2017", "three months").
    Explicit,
    /// Resolved against the anchor or an earlier date in the text ("Thursday", "last week").
    Relative,
    /// The publication date itself ("today", "tonight", "now").
    Anchor,
}

/// Tense of the clause around an expression, as far as the heuristic can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tense {
    Past,
    Future,
}

/// Tags and resolves every time expression in `text`, in order, non-overlapping.
pub fn tag(text: &str, anchor: Option<Date>) -> Vec<Timex> {
    tag_until(text, anchor, usize::MAX)
}

/// [`tag`], stopping at the first trigger word at or after byte `limit`: the expressions that
/// start before it are exactly those of [`tag`] (the scan runs left to right and a resolution
/// looks back only), with the whole text still seen around them. Every expression ending by
/// `limit` is there.
pub fn tag_until(text: &str, anchor: Option<Date>, limit: usize) -> Vec<Timex> {
    tag_until_where(text, anchor, limit, |_, _| true)
}

/// [`tag_until`], keeping only the expressions whose span `keep(start, end)` accepts: the same
/// expressions, resolved the same way, as filtering the result of [`tag_until`].
///
/// Every expression is still parsed (its span decides where the next one may start), but the
/// others are resolved only when a kept one needs them: a resolution reads earlier ones only
/// through the reference dates ("two days later"), so they wait in a queue that is resolved, in
/// text order, when a kept expression reads those dates. Resolving (the tense scan, formatting
/// the value, copying the text) was most of the cost of expressions the caller then dropped.
pub fn tag_until_where(
    text: &str,
    anchor: Option<Date>,
    limit: usize,
    keep: impl Fn(usize, usize) -> bool,
) -> Vec<Timex> {
    scan_until_where(text, limit, keep).resolve(text, anchor)
}

/// The anchor-independent half of [`tag_until_where`] (detection and parse): the expressions
/// found, each with whether the caller keeps it. [`Scanned::resolve`] is the other half; an
/// article whose publication date changes (an undated one inheriting its story's date) is
/// resolved again from the same scan, without tokenizing or parsing anything.
#[derive(Debug, Clone, Default)]
pub struct Scanned {
    /// In text order, up to the last kept one: later ones cannot affect a kept resolution.
    found: Vec<Found>,
}

#[derive(Debug, Clone)]
struct Found {
    s: usize,
    e: usize,
    cand: Cand,
    keep: bool,
}

impl Scanned {
    /// Whether no expression is kept.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The kept expressions resolved against `anchor`, as [`tag_until_where`] returns them.
    /// `text` must be the text scanned.
    pub fn resolve(&self, text: &str, anchor: Option<Date>) -> Vec<Timex> {
        // A news article has a handful of expressions: skip the first few regrowths.
        let mut out = Vec::with_capacity(8);
        // Expressions not kept and not resolved yet, and kept ones resolved without reading the
        // reference dates, in text order: `refs` is brought up to date by replaying them.
        let mut pending: Vec<Pending> = Vec::new();
        let mut refs = RefState::default();
        for f in &self.found {
            let (s, e, cand) = (f.s, f.e, &f.cand);
            if !f.keep {
                pending.push(Pending::Parsed(s, e, *cand));
                continue;
            }
            let (mut tx, read) = resolve_probe(text, s, e, cand, anchor, &refs);
            if read && !pending.is_empty() {
                catch_up(text, anchor, &mut refs, &mut pending);
                tx = resolve(text, s, e, cand, anchor, &refs);
            }
            if pending.is_empty() {
                refs.update(&tx);
            } else {
                pending.push(Pending::Resolved(tx.clone()));
            }
            out.push(tx);
        }
        out
    }
}

/// Detection and parse of [`tag_until_where`]: every expression starting before the first
/// trigger at or after `limit`, marked with `keep(start, end)`.
pub fn scan_until_where(text: &str, limit: usize, keep: impl Fn(usize, usize) -> bool) -> Scanned {
    let mut found: Vec<Found> = Vec::new();
    let Some(trig) = TRIGGERS.as_ref() else { return Scanned { found } };
    let b = text.as_bytes();
    let mut i = 0usize;
    let mut last_end = 0usize;
    // The token buffers are reused across calls on a thread: sized for an article, they are
    // large enough allocations that malloc (or mmap) cost more than filling them.
    let mut toks = TOK_SCRATCH.with(|t| std::mem::take(&mut *t.borrow_mut()));
    toks.toks.clear();
    toks.memo.clear();
    toks.ws = 0;
    toks.we = 0;
    // Walk the words; a word is a trigger when it starts with a digit or when the trigger
    // automaton, anchored at its first letter, matches the whole word.
    while i < b.len() {
        let Some(&c) = b.get(i) else { break };
        if !c.is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let ws = i;
        if ws >= limit {
            break;
        }
        while b.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            i += 1;
        }
        // Inside a word ("G20", "Sánchez": only a non-ASCII letter can precede here) or inside an
        // expression already found.
        let glued =
            ws > 0 && b.get(ws - 1).is_some_and(|p| *p >= 0x80) && char_before(text, ws).is_some_and(is_word_char);
        if ws < last_end || glued {
            continue;
        }
        let trigger = if c.is_ascii_digit() {
            let mut e = ws;
            while b.get(e).is_some_and(u8::is_ascii_digit) {
                e += 1;
            }
            (!is_quantity(b, ws, i)).then_some((ws, e))
        } else {
            trig.is_trigger_word(text, ws, i).then_some((ws, i))
        };
        let Some((ts, te)) = trigger else { continue };
        if let Some((s, e, cand)) = parse_around(text, ts, te, last_end, &mut toks) {
            found.push(Found { s, e, cand, keep: keep(s, e) });
            last_end = e;
            i = i.max(e);
        }
    }
    if toks.toks.capacity() <= 1 << 16 {
        TOK_SCRATCH.with(|t| *t.borrow_mut() = toks);
    }
    let kept = found.iter().rposition(|f| f.keep).map_or(0, |k| k + 1);
    found.truncate(kept);
    Scanned { found }
}

/// An expression whose effect on the reference dates is not applied yet.
enum Pending {
    /// Parsed, not resolved (the caller does not keep it).
    Parsed(usize, usize, Cand),
    /// Kept and resolved without reading the reference dates.
    Resolved(Timex),
}

/// Resolves and applies the queued expressions in text order: `refs` is then what a scan that
/// resolved every expression at once would hold.
fn catch_up(text: &str, anchor: Option<Date>, refs: &mut RefState, pending: &mut Vec<Pending>) {
    for p in pending.drain(..) {
        match p {
            Pending::Parsed(s, e, c) => {
                let tx = resolve(text, s, e, &c, anchor, refs);
                refs.update(&tx);
            }
            Pending::Resolved(tx) => refs.update(&tx),
        }
    }
}

thread_local! {
    static TOK_SCRATCH: std::cell::RefCell<TokBuf> = std::cell::RefCell::new(TokBuf::default());
}

/// [`tag`] on one sentence, with offsets shifted by `offset` (the sentence's start in the
/// article). Reference-relative expressions ("the following day") only see dates in this
/// sentence; tag the whole article with [`tag`] when that matters.
pub fn tag_sentence(sentence: &str, offset: usize, anchor: Option<Date>) -> Vec<Timex> {
    let mut v = tag(sentence, anchor);
    for t in &mut v {
        t.start = t.start.saturating_add(offset);
        t.end = t.end.saturating_add(offset);
    }
    v
}

// ---------------------------------------------------------------------------------------------
// Triggers
// ---------------------------------------------------------------------------------------------

/// Every expression the grammar can produce contains a trigger word (see [`is_trigger`]) or a
/// digit, so only the neighbourhoods of triggers are tokenized. The trigger automaton holds the
/// lexicon words that are triggers; it runs anchored at each word start, and the word is a
/// trigger when a pattern spans it whole.
struct Triggers {
    ac: AhoCorasick,
    /// The lexicon entry of each pattern.
    words: Vec<W>,
    /// Which two-character prefixes start a trigger word ([`prefix_bit`]): most words ("of",
    /// "the", "company") are rejected without running the automaton.
    prefixes: [u64; 32],
    /// The same trigger words keyed like [`LEXICON_TABLE`] (first entry wins, as in the automaton).
    table: Vec<(u128, W)>,
}

impl Triggers {
    /// Is the ASCII-alphanumeric run `text[ws..we]`, a whole word, a trigger?
    // Inlined into the word walk: it runs on every word, and most are rejected by the prefix
    // bitmap in a few instructions, less than the call.
    #[inline(always)]
    fn is_trigger_word(&self, text: &str, ws: usize, we: usize) -> bool {
        let b = text.as_bytes();
        let (Some(&b0), Some(&b1)) = (b.get(ws), b.get(ws + 1)) else { return false };
        let (row, bit) = prefix_bit(b0, b1);
        if we - ws < 2 || self.prefixes.get(row).is_none_or(|r| r & bit == 0) {
            return false;
        }
        self.is_trigger_word_rest(text, ws, we, b0)
    }

    /// [`is_trigger_word`](Self::is_trigger_word) once the prefix is a trigger's.
    fn is_trigger_word_rest(&self, text: &str, ws: usize, we: usize, b0: u8) -> bool {
        let b = text.as_bytes();
        // "Sánchez"-like words continue past the ASCII run.
        if b.get(we).is_some_and(|n| *n >= 0x80) && char_at(text, we).is_some_and(is_word_char) {
            return false;
        }
        // A whole-word match is a dictionary lookup: one hash probe for words that fit a key.
        if let Some(k) = word_key(b, ws, we) {
            return is_trigger(probe(&self.table, k, W::None), b0.is_ascii_uppercase());
        }
        self.ac_trigger(text, ws, we)
    }

    /// The automaton's answer for `text[ws..we]` (words longer than a table key).
    fn ac_trigger(&self, text: &str, ws: usize, we: usize) -> bool {
        let b0 = text.as_bytes().get(ws).copied().unwrap_or(0);
        let input = aho_corasick::Input::new(text).span(ws..we).anchored(aho_corasick::Anchored::Yes);
        match self.ac.try_find(input) {
            Ok(Some(m)) if m.end() == we => {
                let w = self.words.get(m.pattern().as_usize()).copied().unwrap_or(W::None);
                is_trigger(w, b0.is_ascii_uppercase())
            }
            _ => false,
        }
    }
}

/// Row and bit of a word's first two characters in [`Triggers::prefixes`] (ASCII letters and digits).
fn prefix_bit(b0: u8, b1: u8) -> (usize, u64) {
    let col = if b1.is_ascii_digit() { 26 + (b1 - b'0') } else { (b1 | 0x20).wrapping_sub(b'a') & 31 };
    (usize::from(b0 & 31), 1u64 << (col & 63))
}

static TRIGGERS: LazyLock<Option<Triggers>> = LazyLock::new(|| {
    let entries: Vec<(&str, W)> = LEXICON.iter().copied().filter(|(_, w)| is_trigger(*w, true)).collect();
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .start_kind(StartKind::Anchored)
        .build(entries.iter().map(|(s, _)| s))
        .ok()?;
    let mut prefixes = [0u64; 32];
    for (s, _) in &entries {
        if let [b0, b1, ..] = s.as_bytes() {
            let (row, bit) = prefix_bit(*b0, *b1);
            if let Some(r) = prefixes.get_mut(row) {
                *r |= bit;
            }
        }
    }
    let table = build_table(&entries, W::None);
    Some(Triggers { ac, words: entries.iter().map(|(_, w)| *w).collect(), prefixes, table })
});

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

// ---------------------------------------------------------------------------------------------
// Tokens and lexicon
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Fortnight,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kw {
    Today,
    Tonight,
    Yesterday,
    Tomorrow,
    Overnight,
    Now,
    Currently,
    Nowadays,
    Recently,
    Recent,
    Lately,
    Soon,
    Present,
    Past,
    Future,
    Term,
    Ago,
    Earlier,
    Later,
    Before,
    After,
    As,
    Afterwards,
    Last,
    Next,
    This,
    That,
    These,
    The,
    Coming,
    Previous,
    Following,
    Same,
    Early,
    Late,
    Mid,
    Middle,
    Beginning,
    Start,
    End,
    Of,
    Morning,
    Afternoon,
    Evening,
    Night,
    Noon,
    Midnight,
    Every,
    Each,
    Other,
    Per,
    Once,
    Twice,
    Thrice,
    Times,
    A,
    An,
    Half,
    And,
    Vague,
    Couple,
    Some,
    Dozen,
    Nearly,
    About,
    Over,
    More,
    Less,
    Than,
    Under,
    Least,
    Most,
    Up,
    At,
    To,
    In,
    On,
    Since,
    By,
    From,
    Until,
    During,
    Through,
    Within,
    For,
    Between,
    Or,
    Weekend,
    Christmas,
    Eve,
    New,
    Long,
    Near,
    Short,
    Distant,
    Utc,
    Gmt,
    Local,
    Time,
    Am,
    Pm,
    Filler,
    Whole,
    Fiscal,
    Just,
    Well,
    Close,
    Old,
    Final,
    Possessive,
    CountNoun,
    Verb,
    Blocker,
    Being,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum W {
    None,
    Month(u8),
    MonAbbr(u8),
    Wday(u8),
    WdayAbbr(u8),
    Wdays(u8),
    Unit(Unit, bool),
    Num(u32),
    Ord(u8),
    Season(u8),
    Quarter(u8),
    Daily(Unit),
    Kw(Kw),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suf {
    None,
    Ord,
    S,
    Am,
    Pm,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Num {
    /// Value of the integer digits (thousands separators skipped), saturating.
    v: u32,
    /// Number of integer digits.
    nd: u8,
    /// Had a thousands separator ("2,500").
    sep: bool,
    suf: Suf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TK {
    Word(W),
    Num(Num),
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    s: usize,
    e: usize,
    k: TK,
    /// First character is uppercase.
    cap: bool,
    /// Whitespace precedes the token.
    sp: bool,
}

/// The lexicon: every word the grammar knows, lower case. Looked up through a hash table built
/// once ([`LEXICON_TABLE`]): a word costs one multiply and a probe or two.
#[rustfmt::skip]
const LEXICON: &[(&str, W)] = &[
    ("january", W::Month(1)), ("february", W::Month(2)), ("march", W::Month(3)), ("april", W::Month(4)),
    ("may", W::Month(5)), ("june", W::Month(6)), ("july", W::Month(7)), ("august", W::Month(8)),
    ("september", W::Month(9)), ("october", W::Month(10)), ("november", W::Month(11)), ("december", W::Month(12)),
    ("jan", W::MonAbbr(1)), ("feb", W::MonAbbr(2)), ("mar", W::MonAbbr(3)), ("apr", W::MonAbbr(4)),
    ("jun", W::MonAbbr(6)), ("jul", W::MonAbbr(7)), ("aug", W::MonAbbr(8)), ("sep", W::MonAbbr(9)),
    ("sept", W::MonAbbr(9)), ("oct", W::MonAbbr(10)), ("nov", W::MonAbbr(11)), ("dec", W::MonAbbr(12)),
    ("monday", W::Wday(1)), ("tuesday", W::Wday(2)), ("wednesday", W::Wday(3)), ("thursday", W::Wday(4)),
    ("friday", W::Wday(5)), ("saturday", W::Wday(6)), ("sunday", W::Wday(7)), ("mondays", W::Wdays(1)),
    ("tuesdays", W::Wdays(2)), ("wednesdays", W::Wdays(3)), ("thursdays", W::Wdays(4)), ("fridays", W::Wdays(5)),
    ("saturdays", W::Wdays(6)), ("sundays", W::Wdays(7)), ("mon", W::WdayAbbr(1)), ("tue", W::WdayAbbr(2)),
    ("tues", W::WdayAbbr(2)), ("wed", W::WdayAbbr(3)), ("thu", W::WdayAbbr(4)), ("thur", W::WdayAbbr(4)),
    ("thurs", W::WdayAbbr(4)), ("fri", W::WdayAbbr(5)), ("sat", W::WdayAbbr(6)), ("sun", W::WdayAbbr(7)),
    ("second", W::Unit(Unit::Second, false)), ("seconds", W::Unit(Unit::Second, true)),
    ("secs", W::Unit(Unit::Second, true)), ("minute", W::Unit(Unit::Minute, false)),
    ("min", W::Unit(Unit::Minute, false)), ("minutes", W::Unit(Unit::Minute, true)),
    ("mins", W::Unit(Unit::Minute, true)), ("hour", W::Unit(Unit::Hour, false)), ("hr", W::Unit(Unit::Hour, false)),
    ("hours", W::Unit(Unit::Hour, true)), ("hrs", W::Unit(Unit::Hour, true)), ("day", W::Unit(Unit::Day, false)),
    ("days", W::Unit(Unit::Day, true)), ("week", W::Unit(Unit::Week, false)), ("weeks", W::Unit(Unit::Week, true)),
    ("fortnight", W::Unit(Unit::Fortnight, false)), ("fortnights", W::Unit(Unit::Fortnight, true)),
    ("month", W::Unit(Unit::Month, false)), ("months", W::Unit(Unit::Month, true)),
    ("quarter", W::Unit(Unit::Quarter, false)), ("quarters", W::Unit(Unit::Quarter, true)),
    ("year", W::Unit(Unit::Year, false)), ("years", W::Unit(Unit::Year, true)),
    ("decade", W::Unit(Unit::Decade, false)), ("decades", W::Unit(Unit::Decade, true)),
    ("century", W::Unit(Unit::Century, false)), ("centuries", W::Unit(Unit::Century, true)), ("zero", W::Num(0)),
    ("one", W::Num(1)), ("single", W::Num(1)), ("two", W::Num(2)), ("three", W::Num(3)), ("four", W::Num(4)),
    ("five", W::Num(5)), ("six", W::Num(6)), ("seven", W::Num(7)), ("eight", W::Num(8)), ("nine", W::Num(9)),
    ("ten", W::Num(10)), ("eleven", W::Num(11)), ("twelve", W::Num(12)), ("thirteen", W::Num(13)),
    ("fourteen", W::Num(14)), ("fifteen", W::Num(15)), ("sixteen", W::Num(16)), ("seventeen", W::Num(17)),
    ("eighteen", W::Num(18)), ("nineteen", W::Num(19)), ("twenty", W::Num(20)), ("thirty", W::Num(30)),
    ("forty", W::Num(40)), ("fifty", W::Num(50)), ("sixty", W::Num(60)), ("seventy", W::Num(70)),
    ("eighty", W::Num(80)), ("ninety", W::Num(90)), ("hundred", W::Num(100)), ("first", W::Ord(1)),
    ("third", W::Ord(3)), ("fourth", W::Ord(4)), ("fifth", W::Ord(5)), ("sixth", W::Ord(6)), ("seventh", W::Ord(7)),
    ("eighth", W::Ord(8)), ("ninth", W::Ord(9)), ("tenth", W::Ord(10)), ("eleventh", W::Ord(11)),
    ("twelfth", W::Ord(12)), ("thirteenth", W::Ord(13)), ("fourteenth", W::Ord(14)), ("fifteenth", W::Ord(15)),
    ("sixteenth", W::Ord(16)), ("seventeenth", W::Ord(17)), ("eighteenth", W::Ord(18)), ("nineteenth", W::Ord(19)),
    ("twentieth", W::Ord(20)), ("thirtieth", W::Ord(30)), ("spring", W::Season(1)), ("summer", W::Season(2)),
    ("autumn", W::Season(3)), ("fall", W::Season(3)), ("winter", W::Season(4)), ("daily", W::Daily(Unit::Day)),
    ("nightly", W::Daily(Unit::Day)), ("weekly", W::Daily(Unit::Week)), ("monthly", W::Daily(Unit::Month)),
    ("yearly", W::Daily(Unit::Year)), ("annually", W::Daily(Unit::Year)), ("annual", W::Daily(Unit::Year)),
    ("q1", W::Quarter(1)), ("q2", W::Quarter(2)), ("q3", W::Quarter(3)), ("q4", W::Quarter(4)),
    ("hourly", W::Daily(Unit::Hour)), ("today", W::Kw(Kw::Today)), ("tonight", W::Kw(Kw::Tonight)),
    ("yesterday", W::Kw(Kw::Yesterday)), ("tomorrow", W::Kw(Kw::Tomorrow)), ("overnight", W::Kw(Kw::Overnight)),
    ("now", W::Kw(Kw::Now)), ("currently", W::Kw(Kw::Currently)), ("presently", W::Kw(Kw::Currently)),
    ("nowadays", W::Kw(Kw::Nowadays)), ("recently", W::Kw(Kw::Recently)), ("recent", W::Kw(Kw::Recent)),
    ("lately", W::Kw(Kw::Lately)), ("soon", W::Kw(Kw::Soon)), ("present", W::Kw(Kw::Present)),
    ("past", W::Kw(Kw::Past)), ("future", W::Kw(Kw::Future)), ("term", W::Kw(Kw::Term)),
    ("ago", W::Kw(Kw::Ago)), ("earlier", W::Kw(Kw::Earlier)), ("later", W::Kw(Kw::Later)),
    ("before", W::Kw(Kw::Before)), ("after", W::Kw(Kw::After)), ("as", W::Kw(Kw::As)),
    ("afterwards", W::Kw(Kw::Afterwards)), ("afterward", W::Kw(Kw::Afterwards)),
    ("thereafter", W::Kw(Kw::Afterwards)), ("last", W::Kw(Kw::Last)), ("next", W::Kw(Kw::Next)),
    ("this", W::Kw(Kw::This)), ("that", W::Kw(Kw::That)), ("these", W::Kw(Kw::These)), ("the", W::Kw(Kw::The)),
    ("coming", W::Kw(Kw::Coming)), ("upcoming", W::Kw(Kw::Coming)), ("previous", W::Kw(Kw::Previous)),
    ("preceding", W::Kw(Kw::Previous)), ("prior", W::Kw(Kw::Previous)), ("following", W::Kw(Kw::Following)),
    ("subsequent", W::Kw(Kw::Following)), ("same", W::Kw(Kw::Same)), ("early", W::Kw(Kw::Early)),
    ("late", W::Kw(Kw::Late)), ("mid", W::Kw(Kw::Mid)), ("middle", W::Kw(Kw::Middle)),
    ("beginning", W::Kw(Kw::Beginning)), ("start", W::Kw(Kw::Start)), ("end", W::Kw(Kw::End)),
    ("ends", W::Kw(Kw::End)), ("ended", W::Kw(Kw::End)), ("ending", W::Kw(Kw::End)), ("of", W::Kw(Kw::Of)),
    ("morning", W::Kw(Kw::Morning)), ("afternoon", W::Kw(Kw::Afternoon)), ("evening", W::Kw(Kw::Evening)),
    ("night", W::Kw(Kw::Night)), ("noon", W::Kw(Kw::Noon)), ("midday", W::Kw(Kw::Noon)),
    ("midnight", W::Kw(Kw::Midnight)), ("every", W::Kw(Kw::Every)), ("each", W::Kw(Kw::Each)),
    ("other", W::Kw(Kw::Other)), ("per", W::Kw(Kw::Per)), ("once", W::Kw(Kw::Once)), ("twice", W::Kw(Kw::Twice)),
    ("thrice", W::Kw(Kw::Thrice)), ("times", W::Kw(Kw::Times)), ("a", W::Kw(Kw::A)), ("an", W::Kw(Kw::An)),
    ("half", W::Kw(Kw::Half)), ("and", W::Kw(Kw::And)), ("several", W::Kw(Kw::Vague)), ("few", W::Kw(Kw::Vague)),
    ("many", W::Kw(Kw::Vague)), ("dozens", W::Kw(Kw::Vague)), ("hundreds", W::Kw(Kw::Vague)),
    ("numerous", W::Kw(Kw::Vague)), ("couple", W::Kw(Kw::Couple)), ("some", W::Kw(Kw::Some)),
    ("dozen", W::Kw(Kw::Dozen)), ("nearly", W::Kw(Kw::Nearly)), ("almost", W::Kw(Kw::Nearly)),
    ("about", W::Kw(Kw::About)), ("around", W::Kw(Kw::About)), ("approximately", W::Kw(Kw::About)),
    ("roughly", W::Kw(Kw::About)), ("over", W::Kw(Kw::Over)), ("more", W::Kw(Kw::More)), ("less", W::Kw(Kw::Less)),
    ("fewer", W::Kw(Kw::Less)), ("than", W::Kw(Kw::Than)), ("under", W::Kw(Kw::Under)), ("least", W::Kw(Kw::Least)),
    ("most", W::Kw(Kw::Most)), ("up", W::Kw(Kw::Up)), ("at", W::Kw(Kw::At)), ("to", W::Kw(Kw::To)),
    ("in", W::Kw(Kw::In)), ("on", W::Kw(Kw::On)), ("since", W::Kw(Kw::Since)), ("by", W::Kw(Kw::By)),
    ("from", W::Kw(Kw::From)), ("until", W::Kw(Kw::Until)), ("till", W::Kw(Kw::Until)), ("til", W::Kw(Kw::Until)),
    ("during", W::Kw(Kw::During)), ("through", W::Kw(Kw::Through)), ("throughout", W::Kw(Kw::Through)),
    ("within", W::Kw(Kw::Within)), ("for", W::Kw(Kw::For)), ("between", W::Kw(Kw::Between)), ("or", W::Kw(Kw::Or)),
    ("weekend", W::Kw(Kw::Weekend)), ("weekends", W::Kw(Kw::Weekend)), ("christmas", W::Kw(Kw::Christmas)),
    ("eve", W::Kw(Kw::Eve)), ("new", W::Kw(Kw::New)), ("long", W::Kw(Kw::Long)), ("near", W::Kw(Kw::Near)),
    ("short", W::Kw(Kw::Short)), ("distant", W::Kw(Kw::Distant)), ("utc", W::Kw(Kw::Utc)), ("gmt", W::Kw(Kw::Gmt)),
    ("local", W::Kw(Kw::Local)), ("time", W::Kw(Kw::Time)), ("am", W::Kw(Kw::Am)), ("pm", W::Kw(Kw::Pm)),
    ("consecutive", W::Kw(Kw::Filler)), ("straight", W::Kw(Kw::Filler)), ("successive", W::Kw(Kw::Filler)),
    ("trading", W::Kw(Kw::Filler)), ("business", W::Kw(Kw::Filler)), ("working", W::Kw(Kw::Filler)),
    ("calendar", W::Kw(Kw::Filler)), ("additional", W::Kw(Kw::Filler)), ("full", W::Kw(Kw::Whole)),
    ("entire", W::Kw(Kw::Whole)), ("whole", W::Kw(Kw::Whole)), ("fiscal", W::Kw(Kw::Fiscal)),
    ("financial", W::Kw(Kw::Fiscal)), ("just", W::Kw(Kw::Just)), ("well", W::Kw(Kw::Well)),
    ("close", W::Kw(Kw::Close)), ("old", W::Kw(Kw::Old)), ("final", W::Kw(Kw::Final)),
    ("its", W::Kw(Kw::Possessive)), ("their", W::Kw(Kw::Possessive)), ("his", W::Kw(Kw::Possessive)),
    ("her", W::Kw(Kw::Possessive)), ("our", W::Kw(Kw::Possessive)), ("s", W::Kw(Kw::Possessive)),
    ("being", W::Kw(Kw::Being)), ("people", W::Kw(Kw::CountNoun)), ("persons", W::Kw(Kw::CountNoun)),
    ("troops", W::Kw(Kw::CountNoun)), ("soldiers", W::Kw(Kw::CountNoun)), ("civilians", W::Kw(Kw::CountNoun)),
    ("fighters", W::Kw(Kw::CountNoun)), ("militants", W::Kw(Kw::CountNoun)), ("police", W::Kw(Kw::CountNoun)),
    ("policemen", W::Kw(Kw::CountNoun)), ("officers", W::Kw(Kw::CountNoun)), ("men", W::Kw(Kw::CountNoun)),
    ("women", W::Kw(Kw::CountNoun)), ("children", W::Kw(Kw::CountNoun)), ("residents", W::Kw(Kw::CountNoun)),
    ("refugees", W::Kw(Kw::CountNoun)), ("families", W::Kw(Kw::CountNoun)), ("homes", W::Kw(Kw::CountNoun)),
    ("houses", W::Kw(Kw::CountNoun)), ("buildings", W::Kw(Kw::CountNoun)), ("km", W::Kw(Kw::CountNoun)),
    ("kilometres", W::Kw(Kw::CountNoun)), ("kilometers", W::Kw(Kw::CountNoun)), ("miles", W::Kw(Kw::CountNoun)),
    ("metres", W::Kw(Kw::CountNoun)), ("meters", W::Kw(Kw::CountNoun)), ("feet", W::Kw(Kw::CountNoun)),
    ("tons", W::Kw(Kw::CountNoun)), ("tonnes", W::Kw(Kw::CountNoun)), ("dollars", W::Kw(Kw::CountNoun)),
    ("euros", W::Kw(Kw::CountNoun)), ("pounds", W::Kw(Kw::CountNoun)), ("rounds", W::Kw(Kw::CountNoun)),
    ("rockets", W::Kw(Kw::CountNoun)), ("missiles", W::Kw(Kw::CountNoun)), ("shells", W::Kw(Kw::CountNoun)),
    ("vehicles", W::Kw(Kw::CountNoun)), ("cars", W::Kw(Kw::CountNoun)), ("members", W::Kw(Kw::CountNoun)),
    ("votes", W::Kw(Kw::CountNoun)), ("seats", W::Kw(Kw::CountNoun)), ("jobs", W::Kw(Kw::CountNoun)),
    ("workers", W::Kw(Kw::CountNoun)), ("employees", W::Kw(Kw::CountNoun)), ("prisoners", W::Kw(Kw::CountNoun)),
    ("detainees", W::Kw(Kw::CountNoun)), ("deaths", W::Kw(Kw::CountNoun)), ("dead", W::Kw(Kw::CountNoun)),
    ("killed", W::Kw(Kw::CountNoun)), ("wounded", W::Kw(Kw::CountNoun)), ("injured", W::Kw(Kw::CountNoun)),
    ("casualties", W::Kw(Kw::CountNoun)), ("units", W::Kw(Kw::CountNoun)), ("cases", W::Kw(Kw::CountNoun)),
    ("barrels", W::Kw(Kw::CountNoun)), ("acres", W::Kw(Kw::CountNoun)), ("hectares", W::Kw(Kw::CountNoun)),
    ("points", W::Kw(Kw::CountNoun)), ("shares", W::Kw(Kw::CountNoun)), ("cattle", W::Kw(Kw::CountNoun)),
    ("strong", W::Kw(Kw::CountNoun)), ("sq", W::Kw(Kw::CountNoun)), ("square", W::Kw(Kw::CountNoun)),
    ("percent", W::Kw(Kw::CountNoun)), ("was", W::Kw(Kw::Verb)), ("is", W::Kw(Kw::Verb)), ("will", W::Kw(Kw::Verb)),
    ("saw", W::Kw(Kw::Verb)), ("has", W::Kw(Kw::Verb)), ("had", W::Kw(Kw::Verb)), ("marked", W::Kw(Kw::Verb)),
    ("brought", W::Kw(Kw::Verb)), ("became", W::Kw(Kw::Verb)), ("would", W::Kw(Kw::Verb)),
    ("could", W::Kw(Kw::Verb)), ("proved", W::Kw(Kw::Verb)), ("remains", W::Kw(Kw::Verb)),
    ("remained", W::Kw(Kw::Verb)), ("resolution", W::Kw(Kw::Blocker)), ("no", W::Kw(Kw::Blocker)),
    ("number", W::Kw(Kw::Blocker)), ("flight", W::Kw(Kw::Blocker)), ("route", W::Kw(Kw::Blocker)),
    ("room", W::Kw(Kw::Blocker)), ("article", W::Kw(Kw::Blocker)), ("highway", W::Kw(Kw::Blocker)),
    ("section", W::Kw(Kw::Blocker)), ("law", W::Kw(Kw::Blocker)), ("decree", W::Kw(Kw::Blocker)),
    ("item", W::Kw(Kw::Blocker)), ("code", W::Kw(Kw::Blocker)), ("model", W::Kw(Kw::Blocker)),
    ("page", W::Kw(Kw::Blocker)), ("line", W::Kw(Kw::Blocker)), ("bus", W::Kw(Kw::Blocker)),
    ("chapter", W::Kw(Kw::Blocker)), ("paragraph", W::Kw(Kw::Blocker)), ("rule", W::Kw(Kw::Blocker)),
    ("bill", W::Kw(Kw::Blocker)), ("grade", W::Kw(Kw::Blocker)), ("level", W::Kw(Kw::Blocker)),
    ("type", W::Kw(Kw::Blocker)), ("version", W::Kw(Kw::Blocker)), ("series", W::Kw(Kw::Blocker)),
    ("batch", W::Kw(Kw::Blocker)), ("lot", W::Kw(Kw::Blocker)), ("nos", W::Kw(Kw::Blocker)),
    ("vol", W::Kw(Kw::Blocker)), ("p", W::Kw(Kw::Blocker)), ("pp", W::Kw(Kw::Blocker)), ("tel", W::Kw(Kw::Blocker)),
    ("fax", W::Kw(Kw::Blocker)), ("box", W::Kw(Kw::Blocker)),
];

/// Longest lexicon word, in bytes (keys pack the bytes of a word into a `u128`).
const MAX_WORD: usize = 16;
const TABLE_BITS: u32 = 10;
const TABLE_MASK: usize = (1 << TABLE_BITS) - 1;

/// Open-addressing hash table (linear probing) of packed lower-case word keys; key 0 is empty.
fn build_table<T: Copy>(entries: &[(&str, T)], empty: T) -> Vec<(u128, T)> {
    let mut t = vec![(0u128, empty); 1 << TABLE_BITS];
    for (w, v) in entries {
        let b = w.as_bytes();
        let Some(k) = word_key(b, 0, b.len()) else { continue };
        let mut h = slot(k);
        while t.get(h).is_some_and(|e| e.0 != 0 && e.0 != k) {
            h = (h + 1) & TABLE_MASK;
        }
        if let Some(e) = t.get_mut(h) {
            if e.0 == 0 {
                *e = (k, *v);
            }
        }
    }
    t
}

fn probe<T: Copy>(t: &[(u128, T)], k: u128, none: T) -> T {
    let mut h = slot(k);
    loop {
        match t.get(h) {
            Some(&(key, v)) if key == k => return v,
            Some(&(0, _)) | None => return none,
            Some(_) => h = (h + 1) & TABLE_MASK,
        }
    }
}

static LEXICON_TABLE: LazyLock<Vec<(u128, W)>> = LazyLock::new(|| build_table(LEXICON, W::None));

/// The key of the ASCII-alphanumeric word `b[s..e]`: its bytes, lower-cased, packed
/// little-endian into a `u128` (`None` when longer than [`MAX_WORD`]). OR-ing 0x20 lower-cases
/// ASCII letters and leaves digits unchanged.
fn word_key(b: &[u8], s: usize, e: usize) -> Option<u128> {
    let len = e.checked_sub(s)?;
    if len == 0 || len > MAX_WORD {
        return None;
    }
    let mut buf = [0u8; MAX_WORD];
    buf.get_mut(..len)?.copy_from_slice(b.get(s..e)?);
    let mask = u128::from_le_bytes([0x20; MAX_WORD]) >> (8 * (MAX_WORD - len));
    Some(u128::from_le_bytes(buf) | mask)
}

fn slot(k: u128) -> usize {
    let x = (k as u64) ^ ((k >> 64) as u64).rotate_left(29);
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - TABLE_BITS)) as usize
}

fn lookup(k: u128) -> W {
    probe(&LEXICON_TABLE, k, W::None)
}

/// Words that can anchor an expression: months, weekdays, units, seasons, "today", "now", …
/// Months and abbreviations count only capitalized ("may", "march", "sat" are other words).
fn is_trigger(w: W, cap: bool) -> bool {
    match w {
        W::Month(_) | W::MonAbbr(_) | W::WdayAbbr(_) => cap,
        W::Wday(_) | W::Wdays(_) | W::Unit(..) | W::Season(_) | W::Quarter(_) | W::Daily(_) => true,
        W::Kw(k) => matches!(
            k,
            Kw::Today
                | Kw::Tonight
                | Kw::Yesterday
                | Kw::Tomorrow
                | Kw::Overnight
                | Kw::Now
                | Kw::Currently
                | Kw::Nowadays
                | Kw::Recently
                | Kw::Recent
                | Kw::Lately
                | Kw::Soon
                | Kw::Present
                | Kw::Past
                | Kw::Future
                | Kw::Term
                | Kw::Morning
                | Kw::Afternoon
                | Kw::Evening
                | Kw::Night
                | Kw::Noon
                | Kw::Midnight
                | Kw::Christmas
                | Kw::Weekend
                | Kw::Half
        ),
        _ => false,
    }
}

fn fold_punct(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{2032}' | '`' => '\'',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        '\u{201C}' | '\u{201D}' => '"',
        c => c,
    }
}

fn parse_num(s: &str) -> Num {
    let mut v: u32 = 0;
    let mut nd: u8 = 0;
    let mut sep = false;
    let mut rest = "";
    for (i, c) in s.char_indices() {
        if let Some(d) = c.to_digit(10) {
            v = v.saturating_mul(10).saturating_add(d);
            nd = nd.saturating_add(1);
        } else if c == ',' {
            sep = true;
        } else {
            rest = s.get(i..).unwrap_or("");
            break;
        }
    }
    let suf = if rest.is_empty() {
        Suf::None
    } else if rest.eq_ignore_ascii_case("st")
        || rest.eq_ignore_ascii_case("nd")
        || rest.eq_ignore_ascii_case("rd")
        || rest.eq_ignore_ascii_case("th")
    {
        Suf::Ord
    } else if rest.eq_ignore_ascii_case("s") {
        Suf::S
    } else if rest.eq_ignore_ascii_case("am") {
        Suf::Am
    } else if rest.eq_ignore_ascii_case("pm") {
        Suf::Pm
    } else {
        Suf::Other
    };
    Num { v, nd, sep, suf }
}

/// Tokenizes `text[ws..we]` into words (alphanumeric runs; "2,500" is one number), and single
/// punctuation characters. Whitespace, including Unicode spaces, only sets `sp` on the next token.
fn tokenize(text: &str, ws: usize, we: usize, out: &mut Vec<Tok>, fresh: bool) {
    if fresh {
        out.clear();
    }
    let b = text.as_bytes();
    let we = we.min(b.len());
    let mut i = ws;
    let mut sp = true;
    // A window that starts inside a word skips the partial word.
    if fresh && i > 0 && char_before(text, i).is_some_and(is_word_char) {
        while i < we {
            match char_at(text, i) {
                Some(c) if is_word_char(c) => i += c.len_utf8(),
                _ => break,
            }
        }
    }
    while i < we {
        let Some(&c) = b.get(i) else { break };
        // ASCII fast path; other characters are decoded.
        let (ch, len) = if c < 0x80 {
            (char::from(c), 1)
        } else {
            match char_at(text, i) {
                Some(ch) => (ch, ch.len_utf8()),
                None => break,
            }
        };
        if ch.is_whitespace() {
            // A line break ends any expression: it becomes a punctuation token so that no
            // pattern runs across it ("Friday" in a title, the dateline below it).
            if ch == '\n' && out.last().is_some_and(|t| t.k != TK::Punct('\n')) {
                out.push(Tok { s: i, e: i + 1, k: TK::Punct('\n'), cap: false, sp: true });
            }
            sp = true;
            i += len;
            continue;
        }
        if !is_word_char(ch) {
            out.push(Tok { s: i, e: i + len, k: TK::Punct(fold_punct(ch)), cap: false, sp });
            sp = false;
            i += len;
            continue;
        }
        let start = i;
        let digit_start = c.is_ascii_digit();
        let mut all_digits = digit_start;
        let mut ascii = true;
        let mut j = i;
        while j < we {
            let Some(&d) = b.get(j) else { break };
            if d.is_ascii_alphanumeric() {
                all_digits &= d.is_ascii_digit();
                j += 1;
            } else if d >= 0x80 {
                match char_at(text, j) {
                    Some(x) if is_word_char(x) => {
                        all_digits = false;
                        ascii = false;
                        j += x.len_utf8();
                    }
                    _ => break,
                }
            } else if d == b',' && all_digits {
                // Thousands separator: "2,500" but not "5,2024" or "1,2".
                let grp = b.get(j + 1..j + 4).is_some_and(|g| g.iter().all(u8::is_ascii_digit));
                let after = b.get(j + 4).is_some_and(u8::is_ascii_digit);
                if grp && !after {
                    j += 4;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let k = if digit_start {
            TK::Num(parse_num(text.get(start..j).unwrap_or("")))
        } else if ascii {
            TK::Word(word_key(b, start, j).map_or(W::None, lookup))
        } else {
            TK::Word(W::None)
        };
        out.push(Tok { s: start, e: j, k, cap: ch.is_uppercase(), sp });
        sp = false;
        i = j;
    }
}

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|t| t.chars().next())
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|t| t.chars().next_back())
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Bytes of context tokenized left and right of a trigger.
const LEFT: usize = 64;
const RIGHT: usize = 64;
/// How many tokens left of the trigger an expression may start ("more than two and a half years").
const MAX_LEFT_TOKENS: usize = 8;

/// Is the number `b[s..e]` plainly a quantity ("$5", "#3", "5%", "5 percent", "3 million",
/// "2,500")? Such numbers are skipped without tokenizing their neighbourhood: in financial and
/// casualty reporting most numbers are these.
fn is_quantity(b: &[u8], s: usize, e: usize) -> bool {
    let before = s.checked_sub(1).and_then(|p| b.get(p)).copied();
    if matches!(before, Some(b'$' | b'#' | b'\xA3' | b'\xAC'))
        || b.get(e) == Some(&b',') && b.get(e + 1).is_some_and(u8::is_ascii_digit)
    {
        return true; // "$5", "#3", "£5" / "€5" (last UTF-8 byte), "2,500"
    }
    // Decimal part: "2.5%", "1.5 million".
    let mut k = e;
    if b.get(k) == Some(&b'.') && b.get(k + 1).is_some_and(u8::is_ascii_digit) {
        k += 1;
        while b.get(k).is_some_and(u8::is_ascii_digit) {
            k += 1;
        }
    }
    if b.get(k) == Some(&b'%') {
        return true;
    }
    while b.get(k) == Some(&b' ') {
        k += 1;
    }
    let rest = b.get(k..).unwrap_or(&[]);
    const WORDS: [&[u8]; 6] = [b"percent", b"per cent", b"million", b"billion", b"trillion", b"thousand"];
    WORDS.iter().any(|w| rest.len() >= w.len() && rest.get(..w.len()).is_some_and(|r| r.eq_ignore_ascii_case(w)))
}

/// Tokens of the text around recent triggers, `[ws, we)`. Consecutive triggers usually fall in
/// overlapping windows, so the buffer is extended rather than rebuilt: every byte near a trigger is
/// tokenized once.
#[derive(Default)]
struct TokBuf {
    toks: Vec<Tok>,
    /// `parse_at` of each token once computed (`None` = not yet). A parse depends only on the
    /// tokens from its start on, and every start is parsed with at least `RIGHT + CHUNK` bytes
    /// of tokens after the trigger, more than any expression spans; so the result can be reused
    /// by the next triggers, which try the same start tokens.
    memo: Vec<Option<Option<Cand>>>,
    ws: usize,
    we: usize,
}

/// Extra bytes tokenized past the needed window, to amortize extensions.
const CHUNK: usize = 64;

/// A window end moved forward to whitespace (so no word or "2,500" is cut), within 64 bytes.
fn snap_end(text: &str, at: usize) -> usize {
    let b = text.as_bytes();
    let mut i = at.min(text.len());
    let lim = i.saturating_add(64).min(text.len());
    while i < lim && !b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    ceil_boundary(text, i)
}

impl TokBuf {
    /// Makes sure `[from, to)` is tokenized.
    fn cover(&mut self, text: &str, from: usize, to: usize) {
        if self.toks.is_empty() || from < self.ws || from > self.we {
            let we = snap_end(text, to.saturating_add(CHUNK));
            tokenize(text, from, we, &mut self.toks, true);
            self.memo.clear();
            self.ws = from;
            self.we = we;
        } else if to > self.we {
            // Keep the buffer small on long trigger-dense texts.
            if self.toks.len() > 4096 {
                let keep = self.toks.partition_point(|t| t.s < from);
                self.toks.drain(..keep);
                self.memo.drain(..keep.min(self.memo.len()));
                self.ws = self.toks.first().map_or(from, |t| t.s).min(from);
            }
            let we = snap_end(text, to.saturating_add(CHUNK));
            tokenize(text, self.we, we, &mut self.toks, false);
            self.we = we;
        }
        self.memo.resize(self.toks.len(), None);
    }
}

/// Tokenizes the window around the trigger `[ts, te)` and returns the leftmost parse that starts
/// at or after `min_start` and covers the trigger.
fn parse_around(text: &str, ts: usize, te: usize, min_start: usize, buf: &mut TokBuf) -> Option<(usize, usize, Cand)> {
    let from = floor_boundary(text, ts.saturating_sub(LEFT));
    buf.cover(text, from, te.saturating_add(RIGHT));
    let TokBuf { toks, memo, .. } = buf;
    let toks: &[Tok] = toks;
    let k = toks.partition_point(|t| t.e <= ts);
    if toks.get(k).is_none_or(|t| t.s > ts) {
        return None;
    }
    let p = P { t: toks, text };
    for i in k.saturating_sub(MAX_LEFT_TOKENS)..=k {
        let Some(tok) = toks.get(i) else { continue };
        // Only numbers, lexicon words and an apostrophe ("'90s") can start an expression.
        let starter = matches!(tok.k, TK::Num(_) | TK::Punct('\'')) || matches!(tok.k, TK::Word(w) if w != W::None);
        if tok.s < min_start || !starter {
            continue;
        }
        let parsed = match memo.get(i).copied().flatten() {
            Some(m) => m,
            None => {
                let m = p.parse_at(i);
                if let Some(slot) = memo.get_mut(i) {
                    *slot = Some(m);
                }
                m
            }
        };
        if let Some(c) = parsed {
            if c.end > k {
                let s = tok.s;
                let e = toks.get(c.end - 1).map_or(tok.e, |t| t.e);
                return Some((s, e, c));
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Grammar
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum YearSpec {
    Abs(i32),
    /// Relative to the anchor year ("last year" = -1).
    Rel(i32),
    /// Two digits ("'82"), century from the anchor.
    Two(u8),
    /// Not given: pick by proximity to the anchor and tense.
    Infer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rel {
    None,
    Last,
    This,
    Next,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Morning,
    Afternoon,
    Evening,
    Night,
}

impl Part {
    fn code(self) -> &'static str {
        match self {
            Part::Morning => "MO",
            Part::Afternoon => "AF",
            Part::Evening => "EV",
            Part::Night => "NI",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tod {
    Part(Part),
    Clock { h: u8, mi: u8, utc: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetV {
    Every(Option<u32>, Unit),
    Weekday(u8),
    Part(Part),
}

/// What an expression means, before resolution. Amounts are in tenths (2.5 → 25); `None` is
/// a vague amount ("several").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sem {
    Day {
        y: YearSpec,
        m: u8,
        d: u8,
    },
    Month {
        y: YearSpec,
        m: u8,
        rel: Rel,
    },
    Year(YearSpec),
    Decade(i32),
    Decade2(u8),
    Century(i32),
    Season {
        y: YearSpec,
        s: u8,
        rel: Rel,
    },
    Quarter {
        y: YearSpec,
        q: u8,
    },
    Half {
        y: YearSpec,
        h: u8,
    },
    Weekday {
        wd: u8,
        rel: Rel,
    },
    DayRel(i32),
    WeekRel(i32),
    MonthRel(i32),
    QuarterRel(i32),
    YearRel(i32),
    DecadeRel(i32),
    Weekend(Rel),
    /// Relative to the reference date (last day mentioned, else the anchor).
    RefShift {
        unit: Unit,
        n: i32,
    },
    Ago {
        amt: Option<u32>,
        unit: Unit,
    },
    Shift {
        amt: Option<u32>,
        unit: Unit,
        sign: i32,
    },
    Dur {
        amt: Option<u32>,
        unit: Unit,
    },
    Set(SetV),
    Ref(&'static str),
    Overnight,
    /// The day a bare clock time refers to: the reference date in the same sentence, else the anchor.
    Here,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cand {
    /// Token index one past the expression.
    end: usize,
    sem: Sem,
    modifier: Option<&'static str>,
    tod: Option<Tod>,
}

fn cand(end: usize, sem: Sem) -> Cand {
    Cand { end, sem, modifier: None, tod: None }
}

struct P<'a> {
    t: &'a [Tok],
    text: &'a str,
}

impl P<'_> {
    fn w(&self, j: usize) -> W {
        match self.t.get(j).map(|t| t.k) {
            Some(TK::Word(w)) => w,
            _ => W::None,
        }
    }
    fn kw(&self, j: usize, k: Kw) -> bool {
        self.w(j) == W::Kw(k)
    }
    fn is_word(&self, j: usize) -> bool {
        matches!(self.t.get(j).map(|t| t.k), Some(TK::Word(_)))
    }
    fn p(&self, j: usize, c: char) -> bool {
        self.t.get(j).is_some_and(|t| t.k == TK::Punct(c))
    }
    fn num(&self, j: usize) -> Option<Num> {
        match self.t.get(j)?.k {
            TK::Num(n) => Some(n),
            _ => None,
        }
    }
    /// Token `j` follows token `j-1` with no space.
    fn tight(&self, j: usize) -> bool {
        self.t.get(j).is_some_and(|t| !t.sp)
    }
    fn cap(&self, j: usize) -> bool {
        self.t.get(j).is_some_and(|t| t.cap)
    }
    fn prev(&self, j: usize) -> W {
        j.checked_sub(1).map_or(W::None, |p| self.w(p))
    }
    /// End of the window or a punctuation mark (other than an apostrophe or hyphen) at `j`.
    fn boundary(&self, j: usize) -> bool {
        match self.t.get(j).map(|t| t.k) {
            None => true,
            Some(TK::Punct(c)) => c != '\'' && c != '-',
            _ => false,
        }
    }

    fn parse_at(&self, i: usize) -> Option<Cand> {
        let mut best: Option<Cand> = None;
        let mut consider = |c: Option<Cand>| {
            if let Some(c) = c {
                if best.is_none_or(|b| c.end > b.end) {
                    best = Some(c);
                }
            }
        };
        consider(self.mod_point(i));
        consider(self.approx(i));
        consider(self.point_tod(i, self.signal_before(i)));
        consider(self.duration(i));
        consider(self.set(i));
        consider(self.clock(i));
        consider(self.refs(i));
        best
    }

    /// A preposition or modifier before `i` that makes a bare month or year a date.
    fn signal_before(&self, i: usize) -> bool {
        let Some(p) = i.checked_sub(1) else { return false };
        match self.w(p) {
            W::Kw(k) => matches!(
                k,
                Kw::In
                    | Kw::Since
                    | Kw::By
                    | Kw::Of
                    | Kw::From
                    | Kw::Until
                    | Kw::Before
                    | Kw::After
                    | Kw::During
                    | Kw::Through
                    | Kw::Between
                    | Kw::And
                    | Kw::Or
                    | Kw::To
                    | Kw::Early
                    | Kw::Late
                    | Kw::Mid
                    | Kw::For
                    | Kw::On
                    | Kw::About
                    | Kw::Within
            ),
            _ => self.p(p, '-') && self.kw(p.wrapping_sub(1), Kw::Mid),
        }
    }

    // --- numbers -----------------------------------------------------------------------------

    /// A day of the month: 1–31, optional ordinal suffix, not part of a time or decimal.
    fn day_num(&self, j: usize) -> Option<u8> {
        let n = self.num(j)?;
        if n.sep || n.nd > 2 || !(1..=31).contains(&n.v) || !matches!(n.suf, Suf::None | Suf::Ord) {
            return None;
        }
        if (self.p(j + 1, ':') || self.p(j + 1, '.') || self.p(j + 1, '%'))
            && self.tight(j + 1)
            && self.num(j + 2).is_some()
        {
            return None;
        }
        if self.p(j + 1, '%') {
            return None;
        }
        u8::try_from(n.v).ok()
    }

    /// A four-digit year 1000–2999 (not "2,017", not "1990s").
    fn year4(&self, j: usize) -> Option<i32> {
        let n = self.num(j)?;
        if n.sep || n.nd != 4 || n.suf != Suf::None || !(1000..=2999).contains(&n.v) {
            return None;
        }
        // "2024-01-05" is handled as an ISO date, and "2,0245" cannot happen; "2024.5" is no year.
        if self.p(j + 1, '.') && self.tight(j + 1) && self.num(j + 2).is_some() && self.tight(j + 2) {
            return None;
        }
        i32::try_from(n.v).ok()
    }

    /// An apostrophe year: "'82" → Two(82), with the index after it.
    fn year2(&self, j: usize) -> Option<(u8, usize)> {
        if !self.p(j, '\'') {
            return None;
        }
        let n = self.num(j + 1)?;
        if !self.tight(j + 1) || n.nd != 2 || n.sep || n.suf != Suf::None {
            return None;
        }
        Some((u8::try_from(n.v).ok()?, j + 2))
    }

    /// A year after a month, day or "of": four digits or "'08".
    fn year_after(&self, j: usize) -> Option<(YearSpec, usize)> {
        if let Some(y) = self.year4(j) {
            return Some((YearSpec::Abs(y), j + 1));
        }
        self.year2(j).map(|(yy, e)| (YearSpec::Two(yy), e))
    }

    /// Number words and digits as an amount in tenths; `Some((None, _))` for vague amounts.
    fn amount(&self, j: usize) -> Option<(Option<u32>, usize)> {
        let (base, mut e) = match self.t.get(j)?.k {
            TK::Num(n) => {
                if n.suf != Suf::None || n.v > 100_000 {
                    return None;
                }
                let mut v = n.v.saturating_mul(10);
                let mut e = j + 1;
                // Decimal "1.5".
                if !n.sep && self.p(e, '.') && self.tight(e) && self.tight(e + 1) {
                    if let Some(f) = self.num(e + 1) {
                        if f.suf == Suf::None && !f.sep {
                            let first = first_digit(f.v, f.nd);
                            v = v.saturating_add(first);
                            e += 2;
                        }
                    }
                }
                (Some(v), e)
            }
            TK::Word(W::Num(n)) => {
                let mut v = n;
                let mut e = j + 1;
                // "twenty-five", "twenty five".
                if (20..=90).contains(&n) && n % 10 == 0 {
                    let k = if self.p(e, '-') && self.tight(e) { e + 1 } else { e };
                    if let W::Num(u) = self.w(k) {
                        if (1..=9).contains(&u) {
                            v += u;
                            e = k + 1;
                        }
                    }
                }
                if n == 100 {
                    return None;
                }
                (Some(v * 10), e)
            }
            TK::Word(W::Kw(Kw::A | Kw::An)) => match self.w(j + 1) {
                W::Kw(Kw::Couple) if self.kw(j + 2, Kw::Of) => (Some(20), j + 3),
                W::Kw(Kw::Couple) => (Some(20), j + 2),
                W::Kw(Kw::Vague) => (None, j + 2),
                W::Kw(Kw::Dozen) => (Some(120), j + 2),
                W::Kw(Kw::Half) => (Some(5), j + 2),
                _ => (Some(10), j + 1),
            },
            TK::Word(W::Kw(Kw::Half)) if matches!(self.w(j + 1), W::Kw(Kw::A | Kw::An)) => (Some(5), j + 2),
            TK::Word(W::Kw(Kw::Vague)) => {
                let e = if self.kw(j + 1, Kw::Of) { j + 2 } else { j + 1 };
                (None, e)
            }
            TK::Word(W::Kw(Kw::Dozen)) => (Some(120), j + 1),
            TK::Word(W::Kw(Kw::Couple)) if self.kw(j + 1, Kw::Of) => (Some(20), j + 2),
            _ => return None,
        };
        // "two and a half (years)".
        if let Some(v) = base {
            if self.kw(e, Kw::And) && matches!(self.w(e + 1), W::Kw(Kw::A)) && self.kw(e + 2, Kw::Half) {
                e += 3;
                return Some((Some(v + 5), e));
            }
        }
        Some((base, e))
    }

    // --- calendar points ---------------------------------------------------------------------

    /// A calendar point with an optional part of day ("Friday morning") or a clock time after
    /// it is not included (clocks lead: "12:00 UTC Monday").
    fn point_tod(&self, i: usize, sig: bool) -> Option<Cand> {
        let mut c = self.point(i, sig)?;
        if c.tod.is_none() && matches!(c.sem, Sem::Day { .. } | Sem::Weekday { .. } | Sem::DayRel(_)) {
            if let Some(p) = self.part_word(c.end) {
                c.tod = Some(Tod::Part(p));
                c.end += 1;
            }
        }
        Some(c)
    }

    fn part_word(&self, j: usize) -> Option<Part> {
        match self.w(j) {
            W::Kw(Kw::Morning) => Some(Part::Morning),
            W::Kw(Kw::Afternoon) => Some(Part::Afternoon),
            W::Kw(Kw::Evening) => Some(Part::Evening),
            W::Kw(Kw::Night) => Some(Part::Night),
            _ => None,
        }
    }

    fn point(&self, i: usize, sig: bool) -> Option<Cand> {
        let mut best: Option<Cand> = None;
        let mut consider = |c: Option<Cand>| {
            if let Some(c) = c {
                if best.is_none_or(|b| c.end > b.end) {
                    best = Some(c);
                }
            }
        };
        match self.t.get(i)?.k {
            TK::Num(_) => {
                consider(self.numeric_date(i));
                consider(self.day_month(i));
                consider(self.year_forms(i, sig));
                consider(self.century(i));
            }
            TK::Punct('\'') => consider(self.year_forms(i, sig)),
            TK::Word(w) => match w {
                W::Month(_) | W::MonAbbr(_) => consider(self.month_forms(i, sig)),
                W::Wday(_) | W::WdayAbbr(_) => consider(self.weekday(i)),
                W::Season(_) => consider(self.season(i)),
                W::Quarter(_) | W::Ord(_) | W::Kw(Kw::Final) => consider(self.quarter(i)),
                W::Num(_) => consider(self.century(i)),
                W::Kw(Kw::The) => {
                    consider(self.day_month(i));
                    consider(self.year_forms(i, sig));
                    consider(self.century(i));
                    consider(self.season(i));
                    consider(self.quarter(i));
                    consider(self.rel_forms(i));
                    consider(self.holiday(i));
                }
                W::Kw(Kw::Christmas | Kw::New) => consider(self.holiday(i)),
                W::Kw(_) => {
                    consider(self.rel_forms(i));
                    consider(self.season(i));
                    consider(self.quarter(i));
                }
                _ => {}
            },
            _ => {}
        }
        best
    }

    /// ISO "2024-01-05", "2024/01/05", US "1/5/2024", "7/8/07", European "05.01.2024".
    fn numeric_date(&self, i: usize) -> Option<Cand> {
        let a = self.num(i)?;
        let sep = match self.t.get(i + 1)?.k {
            TK::Punct(c @ ('-' | '/' | '.')) => c,
            _ => return None,
        };
        let b = self.num(i + 2)?;
        if !self.p(i + 3, sep) {
            return None;
        }
        let c = self.num(i + 4)?;
        if !(self.tight(i + 1) && self.tight(i + 2) && self.tight(i + 3) && self.tight(i + 4)) {
            return None;
        }
        // "2024-01-05T10:00:00Z": the time glued to the day is ignored.
        let iso_time = c.suf == Suf::Other
            && self.t.get(i + 4).is_some_and(|t| {
                let b = self.text.as_bytes();
                t.s + 3 < t.e && b.get(t.s + 2).is_some_and(|x| *x == b'T' || *x == b't')
            });
        if [a, b].iter().any(|n| n.sep || n.suf != Suf::None) || c.sep || (c.suf != Suf::None && !iso_time) {
            return None;
        }
        let (y, m, d) = if a.nd == 4 && sep != '.' {
            (YearSpec::Abs(i32::try_from(a.v).ok()?), b.v, c.v)
        } else if a.nd <= 2 && b.nd <= 2 && (c.nd == 4 || c.nd == 2) && sep != '-' {
            let y = if c.nd == 4 {
                YearSpec::Abs(i32::try_from(c.v).ok()?)
            } else {
                YearSpec::Two(u8::try_from(c.v).ok()?)
            };
            // US order unless the first number cannot be a month; dots are European.
            if sep == '/' && a.v <= 12 {
                (y, a.v, b.v)
            } else {
                (y, b.v, a.v)
            }
        } else {
            return None;
        };
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let sem = Sem::Day { y, m: u8::try_from(m).ok()?, d: u8::try_from(d).ok()? };
        Some(cand(i + 5, sem))
    }

    /// "5 January 2024", "5 Jan", "5th of January", "the 5th of January".
    fn day_month(&self, i: usize) -> Option<Cand> {
        let j = if self.kw(i, Kw::The) { i + 1 } else { i };
        let d = self.day_num(j)?;
        if j > i && self.num(j)?.suf != Suf::Ord {
            return None;
        }
        let mut e = j + 1;
        if self.kw(e, Kw::Of) {
            e += 1;
        }
        let (m, abbr) = match self.w(e) {
            W::Month(m) => (m, false),
            W::MonAbbr(m) => (m, true),
            _ => return None,
        };
        if !self.cap(e) {
            return None;
        }
        e += 1;
        if abbr && self.p(e, '.') && self.tight(e) {
            e += 1;
        }
        let mut y = YearSpec::Infer;
        let k = if self.p(e, ',') { e + 1 } else { e };
        if let Some((ys, e2)) = self.year_after(k) {
            y = ys;
            e = e2;
        }
        valid_md(m, d)?;
        Some(cand(e, Sem::Day { y, m, d }))
    }

    /// Month-led forms: "January 5, 2024", "Jan. 3", "January 2020", "January of 2020",
    /// "January last year", bare "June" (with care for "May" and "March").
    fn month_forms(&self, i: usize, sig: bool) -> Option<Cand> {
        let (m, abbr) = match self.w(i) {
            W::Month(m) => (m, false),
            W::MonAbbr(m) => (m, true),
            _ => return None,
        };
        if !self.cap(i) {
            return None;
        }
        let mut e = i + 1;
        let dotted = abbr && self.p(e, '.') && self.tight(e);
        if dotted {
            e += 1;
        }
        // Month Day [, Year]
        if let Some(d) = self.day_num(e) {
            valid_md(m, d)?;
            let mut end = e + 1;
            let mut y = YearSpec::Infer;
            let k = if self.p(end, ',') { end + 1 } else { end };
            if let Some((ys, e2)) = self.year_after(k) {
                y = ys;
                end = e2;
            }
            return Some(cand(end, Sem::Day { y, m, d }));
        }
        // Month [,|of] Year
        for k in [e, e + 1] {
            if k == e + 1 && !(self.p(e, ',') || self.kw(e, Kw::Of)) {
                continue;
            }
            if let Some((y, e2)) = self.year_after(k) {
                return Some(cand(e2, Sem::Month { y, m, rel: Rel::None }));
            }
        }
        // Month [of] (last|this|next) year
        let k = if self.kw(e, Kw::Of) { e + 1 } else { e };
        if let Some(n) = self.rel_word(k) {
            if self.w(k + 1) == W::Unit(Unit::Year, false) {
                return Some(cand(k + 2, Sem::Month { y: YearSpec::Rel(n), m, rel: Rel::None }));
            }
        }
        if abbr && !(dotted && sig) {
            return None;
        }
        // Bare month. "May" and "March" are also a verb and a noun: they need a preposition
        // or a modifier before them. Others must not be followed by a capitalized word
        // ("June Carter", "April Ryan") unless a preposition precedes.
        let y = self.coordinated_year(e);
        if sig {
            return Some(cand(e, Sem::Month { y, m, rel: Rel::None }));
        }
        if m == 5
            || m == 3
            || (self.is_word(e) && self.cap(e))
            || self.prev(i) == W::None && self.is_word(i.wrapping_sub(1))
        {
            return None;
        }
        Some(cand(e, Sem::Month { y, m, rel: Rel::None }))
    }

    /// The year shared by a coordinated month: "between September and October of 2007",
    /// "March or April 2024", "August-September 2023" (the first month takes the year).
    fn coordinated_year(&self, e: usize) -> YearSpec {
        let link = matches!(self.w(e), W::Kw(Kw::And | Kw::Or | Kw::To | Kw::Through | Kw::Until)) || self.p(e, '-');
        if !link || !matches!(self.w(e + 1), W::Month(_) | W::MonAbbr(_)) || !self.cap(e + 1) {
            return YearSpec::Infer;
        }
        let mut k = e + 2;
        if self.p(k, '.') && self.tight(k) {
            k += 1;
        }
        if self.p(k, ',') || self.kw(k, Kw::Of) {
            k += 1;
        }
        if let Some((y, _)) = self.year_after(k) {
            return y;
        }
        match (self.rel_word(k), self.w(k + 1)) {
            (Some(n), W::Unit(Unit::Year, false)) => YearSpec::Rel(n),
            _ => YearSpec::Infer,
        }
    }

    fn rel_word(&self, j: usize) -> Option<i32> {
        match self.w(j) {
            W::Kw(Kw::Last) => Some(-1),
            W::Kw(Kw::This) => Some(0),
            W::Kw(Kw::Next) => Some(1),
            _ => None,
        }
    }

    /// "Friday", "Friday, January 5, 2024", "Fri 5 Jan 2024" (abbreviations only when dated).
    fn weekday(&self, i: usize) -> Option<Cand> {
        let (wd, abbr) = match self.w(i) {
            W::Wday(d) => (d, false),
            W::WdayAbbr(d) => (d, true),
            _ => return None,
        };
        if abbr && !self.cap(i) {
            return None;
        }
        let mut e = i + 1;
        if abbr && self.p(e, '.') && self.tight(e) {
            e += 1;
        }
        let k = if self.p(e, ',') { e + 1 } else { e };
        if let Some(c) = self.month_forms(k, true).or_else(|| self.day_month(k)) {
            if matches!(c.sem, Sem::Day { .. }) {
                return Some(c);
            }
        }
        if abbr {
            return None;
        }
        Some(cand(e, Sem::Weekday { wd, rel: Rel::None }))
    }

    /// Years, decades, centuries written with digits: "2017", "the 1990s", "'90s", "'82".
    fn year_forms(&self, i: usize, sig: bool) -> Option<Cand> {
        let the = self.kw(i, Kw::The);
        let j = if the { i + 1 } else { i };
        // "'90s", "'82"
        if self.p(j, '\'') {
            let n = self.num(j + 1)?;
            if !self.tight(j + 1) || n.nd != 2 || n.sep {
                return None;
            }
            let yy = u8::try_from(n.v).ok()?;
            return match n.suf {
                Suf::S if yy % 10 == 0 => Some(cand(j + 2, Sem::Decade2(yy))),
                Suf::None if !the && (sig || self.boundary(j + 2)) => Some(cand(j + 2, Sem::Year(YearSpec::Two(yy)))),
                _ => None,
            };
        }
        let n = self.num(j)?;
        if n.sep {
            return None;
        }
        if n.suf == Suf::S {
            // "1990s", "the 1800s" (a century), "the 90s".
            if n.nd == 4 && n.v % 10 == 0 && (1000..=2990).contains(&n.v) {
                let v = i32::try_from(n.v).ok()?;
                if v % 100 == 0 && v != 2000 {
                    return Some(cand(j + 1, Sem::Century(v / 100)));
                }
                return Some(cand(j + 1, Sem::Decade(v / 10)));
            }
            if n.nd == 2 && n.v % 10 == 0 && (the || sig) {
                return Some(cand(j + 1, Sem::Decade2(u8::try_from(n.v).ok()?)));
            }
            return None;
        }
        if the {
            return None;
        }
        let y = self.year4(j)?;
        // "2014-16", "2014-2016": the first year.
        if self.year_ok(j, y, sig) {
            return Some(cand(j + 1, Sem::Year(YearSpec::Abs(y))));
        }
        None
    }

    /// Is the four-digit number at `j` a year? Requires context: a preposition before, a
    /// punctuation mark or verb after, or "the 2008 election"-style use; never "2,500 troops",
    /// "1000 people", "Resolution 2334".
    fn year_ok(&self, j: usize, y: i32, sig: bool) -> bool {
        let prev = self.prev(j);
        if matches!(prev, W::Kw(Kw::Blocker)) {
            return false;
        }
        if let Some(p) = j.checked_sub(1) {
            if matches!(self.t.get(p).map(|t| t.k), Some(TK::Punct('$' | '#' | '€' | '£' | '¥')) | Some(TK::Num(_)))
            {
                return false;
            }
            // "No. 2017", "U.S. 1000".
            if self.p(p, '.') && matches!(self.prev(p), W::Kw(Kw::Blocker)) {
                return false;
            }
        }
        let plausible = (1900..=2100).contains(&y);
        let strong = matches!(
            prev,
            W::Kw(
                Kw::In
                    | Kw::Since
                    | Kw::By
                    | Kw::Until
                    | Kw::Before
                    | Kw::After
                    | Kw::During
                    | Kw::Through
                    | Kw::Between
                    | Kw::From
                    | Kw::Early
                    | Kw::Late
                    | Kw::Mid
            )
        ) || matches!(prev, W::Season(_) | W::Unit(Unit::Year, false) | W::Kw(Kw::Fiscal))
            || (self.p(j.wrapping_sub(1), '-') && self.kw(j.wrapping_sub(2), Kw::Mid));
        let next = self.t.get(j + 1).map(|t| t.k);
        match next {
            None => sig || plausible,
            Some(TK::Punct('%')) => false,
            Some(TK::Punct('-')) if self.tight(j + 1) => {
                // "2014-16" / "2014-2016" range, not "2024-01-05" (handled before) or "1000-strong".
                self.num(j + 2).is_some_and(|n| n.nd == 2 || n.nd == 4) && (plausible || strong)
            }
            Some(TK::Punct(c)) => {
                if c == '\'' {
                    return plausible || strong;
                }
                sig || strong || (plausible && matches!(c, '.' | ',' | ';' | ':' | ')' | '!' | '?' | '"' | '-' | '\n'))
            }
            Some(TK::Num(_)) => false,
            Some(TK::Word(w)) => {
                if matches!(w, W::Kw(Kw::CountNoun) | W::Unit(..) | W::Kw(Kw::Times)) {
                    return false;
                }
                if strong || matches!(w, W::Kw(Kw::Verb)) && plausible {
                    return true;
                }
                if !plausible {
                    return false;
                }
                let cap = self.cap(j + 1);
                // "the 2008 election", "its 2017 budget", "of 2019"; a round "the 2000 people" is a count.
                let det = matches!(prev, W::Kw(Kw::The | Kw::Possessive | Kw::Of | Kw::A | Kw::An));
                (sig && (cap || y % 100 != 0)) || (det && y % 100 != 0)
            }
        }
    }

    /// "the 20th century", "the twenty-first century", "19th-century".
    fn century(&self, i: usize) -> Option<Cand> {
        let j = if self.kw(i, Kw::The) { i + 1 } else { i };
        let (n, e) = match self.t.get(j)?.k {
            TK::Num(n) if n.suf == Suf::Ord && n.nd <= 2 => (n.v, j + 1),
            TK::Word(W::Ord(o)) => (u32::from(o), j + 1),
            TK::Word(W::Num(20)) if self.p(j + 1, '-') => match self.w(j + 2) {
                W::Ord(o) if o < 10 => (20 + u32::from(o), j + 3),
                _ => return None,
            },
            _ => return None,
        };
        let e = if self.p(e, '-') && self.tight(e) { e + 1 } else { e };
        if self.w(e) != W::Unit(Unit::Century, false) || !(1..=22).contains(&n) {
            return None;
        }
        Some(cand(e + 1, Sem::Century(i32::try_from(n).ok()? - 1)))
    }

    /// "spring 2009", "the spring of 2009", "last summer", "in the winter".
    fn season(&self, i: usize) -> Option<Cand> {
        let mut j = i;
        let mut rel = Rel::None;
        // "fall" and "spring" are verbs and nouns too: a bare season needs a temporal
        // preposition or modifier before it ("in the fall", "during winter", "late spring").
        let mut gated = matches!(
            self.prev(i),
            W::Kw(
                Kw::In
                    | Kw::During
                    | Kw::By
                    | Kw::Until
                    | Kw::Since
                    | Kw::Through
                    | Kw::Before
                    | Kw::After
                    | Kw::From
                    | Kw::Early
                    | Kw::Late
                    | Kw::Mid
                    | Kw::Over
            )
        );
        if self.kw(j, Kw::The) {
            j += 1;
        }
        match self.w(j) {
            W::Kw(Kw::Last) => rel = Rel::Last,
            W::Kw(Kw::This) => rel = Rel::This,
            W::Kw(Kw::Next | Kw::Coming) => rel = Rel::Next,
            _ => {}
        }
        if rel != Rel::None {
            j += 1;
            gated = true;
        }
        let W::Season(s) = self.w(j) else { return None };
        let mut e = j + 1;
        let k = if self.kw(e, Kw::Of) { e + 1 } else { e };
        let mut y = YearSpec::Infer;
        if rel == Rel::None {
            if let Some((ys, e2)) = self.year_after(k) {
                y = ys;
                e = e2;
                gated = true;
            } else if let Some(n) = self.rel_word(k) {
                if self.w(k + 1) == W::Unit(Unit::Year, false) {
                    y = YearSpec::Rel(n);
                    e = k + 2;
                    gated = true;
                }
            }
        }
        // "the fall of Mosul" is no season.
        if !gated || (y == YearSpec::Infer && rel == Rel::None && self.kw(e, Kw::Of)) {
            return None;
        }
        Some(cand(e, Sem::Season { y, s, rel }))
    }

    /// Year for quarter/half phrases: "of 2009", "of last year", "of fiscal 2009", "2009".
    fn of_year(&self, e: usize) -> (YearSpec, usize) {
        let mut k = e;
        let of = self.kw(k, Kw::Of);
        if of {
            k += 1;
            if self.kw(k, Kw::The) {
                k += 1;
            }
        }
        if self.kw(k, Kw::Fiscal) {
            k += 1;
        }
        if let Some(y) = self.year4(k) {
            return (YearSpec::Abs(y), k + 1);
        }
        if let Some(n) = self.rel_word(k) {
            if self.w(k + 1) == W::Unit(Unit::Year, false) {
                return (YearSpec::Rel(n), k + 2);
            }
        }
        if of && self.w(k) == W::Unit(Unit::Year, false) && self.kw(k - 1, Kw::The) {
            return (YearSpec::Rel(0), k + 1);
        }
        (YearSpec::Infer, e)
    }

    /// "the first quarter of 2009", "Q3 2009", "third-quarter", "the first half of 2009".
    fn quarter(&self, i: usize) -> Option<Cand> {
        if let W::Quarter(q) = self.w(i) {
            let (y, e) = self.of_year(i + 1);
            return Some(cand(e, Sem::Quarter { y, q }));
        }
        let j = if self.kw(i, Kw::The) { i + 1 } else { i };
        let (n, last) = match self.t.get(j)?.k {
            TK::Word(W::Ord(o)) if (1..=4).contains(&o) => (o, false),
            TK::Word(W::Unit(Unit::Second, false)) => (2, false),
            TK::Num(n) if n.suf == Suf::Ord && (1..=4).contains(&n.v) => (u8::try_from(n.v).ok()?, false),
            TK::Word(W::Kw(Kw::Final)) => (4, false),
            TK::Word(W::Kw(Kw::Last)) if j > i => (4, true),
            _ => return None,
        };
        let mut e = j + 1;
        if self.p(e, '-') && self.tight(e) {
            e += 1;
        }
        match self.w(e) {
            W::Unit(Unit::Quarter, false) => {
                let (y, e2) = self.of_year(e + 1);
                if last && y == YearSpec::Infer {
                    // "the last quarter": the previous one.
                    return Some(cand(e + 1, Sem::QuarterRel(-1)));
                }
                Some(cand(e2, Sem::Quarter { y, q: n }))
            }
            W::Kw(Kw::Half) if n <= 2 && !last => {
                let (y, e2) = self.of_year(e + 1);
                Some(cand(e2, Sem::Half { y, h: n }))
            }
            _ => None,
        }
    }

    /// "Christmas", "Christmas Day 2023", "New Year's Day", "New Year's Eve".
    fn holiday(&self, i: usize) -> Option<Cand> {
        let j = if self.kw(i, Kw::The) { i + 1 } else { i };
        let (m, d, mut e) = if self.kw(j, Kw::Christmas) && self.cap(j) {
            if self.kw(j + 1, Kw::Eve) {
                (12, 24, j + 2)
            } else if self.w(j + 1) == W::Unit(Unit::Day, false) {
                (12, 25, j + 2)
            } else {
                (12, 25, j + 1)
            }
        } else if self.kw(j, Kw::New)
            && self.cap(j)
            && self.w(j + 1) == W::Unit(Unit::Year, false)
            && self.p(j + 2, '\'')
            && self.kw(j + 3, Kw::Possessive)
        {
            if self.kw(j + 4, Kw::Eve) {
                (12, 31, j + 5)
            } else if self.w(j + 4) == W::Unit(Unit::Day, false) {
                (1, 1, j + 5)
            } else {
                return None;
            }
        } else {
            return None;
        };
        let mut y = YearSpec::Infer;
        if let Some(yy) = self.year4(e) {
            y = YearSpec::Abs(yy);
            e += 1;
        }
        Some(cand(e, Sem::Day { y, m, d }))
    }

    /// Anchor- and reference-relative points: "today", "last week", "next Monday", "the
    /// following day", "earlier this month", "the weekend", "that day", "last night".
    fn rel_forms(&self, i: usize) -> Option<Cand> {
        let w = self.w(i);
        let tod = |c: Cand, p: Part| Cand { tod: Some(Tod::Part(p)), ..c };
        match w {
            W::Kw(Kw::Today) => Some(cand(i + 1, Sem::DayRel(0))),
            W::Kw(Kw::Yesterday) => Some(cand(i + 1, Sem::DayRel(-1))),
            W::Kw(Kw::Tomorrow) => Some(cand(i + 1, Sem::DayRel(1))),
            W::Kw(Kw::Tonight) => Some(tod(cand(i + 1, Sem::DayRel(0)), Part::Night)),
            W::Kw(Kw::Overnight) => Some(tod(cand(i + 1, Sem::Overnight), Part::Night)),
            W::Kw(Kw::Last | Kw::Next | Kw::This | Kw::Coming) => {
                let mut e = i + 1;
                let mut n = match w {
                    W::Kw(Kw::Last) => -1,
                    W::Kw(Kw::This) => 0,
                    _ => 1,
                };
                // "this past weekend" = last weekend; "this coming Monday" = next.
                if n == 0 && self.kw(e, Kw::Past) {
                    n = -1;
                    e += 1;
                } else if n == 0 && self.kw(e, Kw::Coming) {
                    n = 1;
                    e += 1;
                }
                let rel = match n {
                    -1 => Rel::Last,
                    0 => Rel::This,
                    _ => Rel::Next,
                };
                let coming = matches!(w, W::Kw(Kw::Coming));
                match self.w(e) {
                    W::Unit(u, false) if !coming || u == Unit::Week => unit_rel(u, n).map(|s| cand(e + 1, s)),
                    W::Kw(Kw::Weekend) => Some(cand(e + 1, Sem::Weekend(rel))),
                    W::Wday(wd) => Some(cand(e + 1, Sem::Weekday { wd, rel })),
                    W::Month(m) if self.cap(e) => Some(cand(e + 1, Sem::Month { y: YearSpec::Infer, m, rel })),
                    W::Kw(Kw::Night) if n == -1 => Some(tod(cand(e + 1, Sem::DayRel(-1)), Part::Night)),
                    W::Kw(Kw::Evening) if n == -1 => Some(tod(cand(e + 1, Sem::DayRel(-1)), Part::Evening)),
                    _ if n == 0 && !coming => self.part_word(e).map(|p| tod(cand(e + 1, Sem::DayRel(0)), p)),
                    _ => None,
                }
            }
            W::Kw(Kw::Earlier | Kw::Later) => {
                let e = i + 1;
                if self.kw(e, Kw::Today) {
                    return Some(cand(e + 1, Sem::DayRel(0)));
                }
                if self.kw(e, Kw::This) {
                    if let W::Unit(u, false) = self.w(e + 1) {
                        return unit_rel(u, 0).map(|s| cand(e + 2, s));
                    }
                }
                // "earlier in the day", "later that week".
                if self.kw(e, Kw::In) && self.kw(e + 1, Kw::The) || self.kw(e, Kw::That) {
                    let k = if self.kw(e, Kw::That) { e + 1 } else { e + 2 };
                    if let W::Unit(u @ (Unit::Day | Unit::Week | Unit::Month | Unit::Year), false) = self.w(k) {
                        return Some(cand(k + 1, Sem::RefShift { unit: u, n: 0 }));
                    }
                }
                None
            }
            W::Kw(Kw::The) => {
                let e = i + 1;
                match self.w(e) {
                    W::Kw(Kw::Weekend) => Some(cand(e + 1, Sem::Weekend(Rel::None))),
                    W::Kw(k @ (Kw::Previous | Kw::Following | Kw::Same | Kw::Next)) => {
                        let n = match k {
                            Kw::Previous => -1,
                            Kw::Same => 0,
                            _ => 1,
                        };
                        match self.w(e + 1) {
                            // "the next week" is a duration; "the next day" a date.
                            W::Unit(u @ Unit::Day, false) => Some(cand(e + 2, Sem::RefShift { unit: u, n })),
                            W::Unit(u @ (Unit::Week | Unit::Month | Unit::Year), false) if k != Kw::Next => {
                                Some(cand(e + 2, Sem::RefShift { unit: u, n }))
                            }
                            W::Kw(Kw::Weekend) if k != Kw::Next => Some(cand(e + 2, Sem::Weekend(Rel::None))),
                            _ => None,
                        }
                    }
                    W::Kw(Kw::Last) => match self.w(e + 1) {
                        W::Unit(u, false) => unit_rel(u, -1).map(|s| cand(e + 2, s)),
                        W::Kw(Kw::Weekend) => Some(cand(e + 2, Sem::Weekend(Rel::Last))),
                        _ => None,
                    },
                    // "on the day", "for the day", "ended the day": the day being reported.
                    W::Unit(Unit::Day, false)
                        if matches!(self.prev(i), W::Kw(Kw::On | Kw::For | Kw::During | Kw::Through | Kw::End))
                            && (self.boundary(e + 1)
                                || !matches!(
                                    self.w(e + 1),
                                    W::Kw(
                                        Kw::Of | Kw::Before | Kw::After | Kw::That | Kw::The | Kw::A | Kw::An | Kw::In
                                    ) | W::Unit(..)
                                ) && self.t.get(e + 1).is_some_and(|t| !t.cap)) =>
                    {
                        Some(cand(e + 1, Sem::RefShift { unit: Unit::Day, n: 0 }))
                    }
                    // "the day before", "the day after" at the end of a clause.
                    W::Unit(Unit::Day, false) if self.boundary(e + 2) => match self.w(e + 1) {
                        W::Kw(Kw::Before) => Some(cand(e + 2, Sem::RefShift { unit: Unit::Day, n: -1 })),
                        W::Kw(Kw::After) => Some(cand(e + 2, Sem::RefShift { unit: Unit::Day, n: 1 })),
                        _ => None,
                    },
                    _ => None,
                }
            }
            W::Kw(Kw::That) => {
                let e = if self.kw(i + 1, Kw::Same) { i + 2 } else { i + 1 };
                match self.w(e) {
                    W::Unit(u @ (Unit::Day | Unit::Week | Unit::Month | Unit::Year), false) => {
                        Some(cand(e + 1, Sem::RefShift { unit: u, n: 0 }))
                    }
                    W::Kw(Kw::Night) => Some(Cand {
                        tod: Some(Tod::Part(Part::Night)),
                        ..cand(e + 1, Sem::RefShift { unit: Unit::Day, n: 0 })
                    }),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    // --- modifiers ---------------------------------------------------------------------------

    /// "late 2017", "early January", "mid-October", "the end of last year", "the beginning of
    /// the year", "late Friday".
    fn mod_point(&self, i: usize) -> Option<Cand> {
        let (m, mut j) = match self.w(i) {
            W::Kw(Kw::Early) => ("START", i + 1),
            W::Kw(Kw::Late) => ("END", i + 1),
            W::Kw(Kw::Mid) => ("MID", if self.p(i + 1, '-') { i + 2 } else { i + 1 }),
            W::Kw(Kw::The) => {
                let m = match self.w(i + 1) {
                    W::Kw(Kw::Beginning | Kw::Start) => "START",
                    W::Kw(Kw::Middle) => "MID",
                    W::Kw(Kw::End) => "END",
                    _ => return None,
                };
                if !self.kw(i + 2, Kw::Of) {
                    return None;
                }
                let j = i + 3;
                // "the end of the year/month/week": the current one; "the start of the day":
                // the day being reported.
                if self.kw(j, Kw::The) {
                    match self.w(j + 1) {
                        W::Unit(u @ (Unit::Week | Unit::Month | Unit::Year | Unit::Decade), false) => {
                            return unit_rel(u, 0).map(|s| Cand { modifier: Some(m), ..cand(j + 2, s) });
                        }
                        W::Unit(Unit::Day, false) => {
                            let s = Sem::RefShift { unit: Unit::Day, n: 0 };
                            return Some(Cand { modifier: Some(m), ..cand(j + 2, s) });
                        }
                        _ => {}
                    }
                }
                (m, j)
            }
            _ => return None,
        };
        // "late in the day": the day being reported.
        if m != "MID" && self.kw(j, Kw::In) && self.kw(j + 1, Kw::The) {
            if let W::Unit(u @ (Unit::Day | Unit::Week | Unit::Month | Unit::Year), false) = self.w(j + 2) {
                return Some(Cand { modifier: Some(m), ..cand(j + 3, Sem::RefShift { unit: u, n: 0 }) });
            }
        }
        // "late on Friday" → the modifier applies to Friday.
        if self.kw(j, Kw::On) && matches!(self.w(j + 1), W::Wday(_)) {
            j += 1;
        }
        let c = self.point_tod(j, true)?;
        let ok = matches!(
            c.sem,
            Sem::Year(_)
                | Sem::Decade(_)
                | Sem::Decade2(_)
                | Sem::Century(_)
                | Sem::Month { .. }
                | Sem::Season { .. }
                | Sem::Weekday { .. }
                | Sem::DayRel(_)
                | Sem::WeekRel(_)
                | Sem::MonthRel(_)
                | Sem::YearRel(_)
                | Sem::QuarterRel(_)
                | Sem::DecadeRel(_)
                | Sem::Quarter { .. }
                | Sem::Weekend(_)
                | Sem::Day { .. }
        );
        ok.then_some(Cand { modifier: Some(m), ..c })
    }

    /// "nearly three months", "more than two years ago", "about 9 a.m.", "around 2010".
    fn approx(&self, i: usize) -> Option<Cand> {
        let (m, j, any_point) = match self.w(i) {
            W::Kw(Kw::Nearly) => ("APPROX", i + 1, false),
            W::Kw(Kw::About) => ("APPROX", i + 1, true),
            W::Kw(Kw::Some) => ("APPROX", i + 1, false),
            W::Kw(Kw::Over) => ("MORE_THAN", i + 1, false),
            W::Kw(Kw::Under) => ("LESS_THAN", i + 1, false),
            W::Kw(Kw::More) if self.kw(i + 1, Kw::Than) => ("MORE_THAN", i + 2, false),
            W::Kw(Kw::Less) if self.kw(i + 1, Kw::Than) => ("LESS_THAN", i + 2, false),
            W::Kw(Kw::At) if self.kw(i + 1, Kw::Least) => ("EQUAL_OR_MORE", i + 2, false),
            W::Kw(Kw::At) if self.kw(i + 1, Kw::Most) => ("EQUAL_OR_LESS", i + 2, false),
            W::Kw(Kw::Up) if self.kw(i + 1, Kw::To) => ("EQUAL_OR_LESS", i + 2, false),
            W::Kw(Kw::Just | Kw::Well) if self.kw(i + 1, Kw::Over) => ("MORE_THAN", i + 2, false),
            W::Kw(Kw::Just) if self.kw(i + 1, Kw::Under) => ("LESS_THAN", i + 2, false),
            W::Kw(Kw::Close) if self.kw(i + 1, Kw::To) => ("APPROX", i + 2, false),
            _ => return None,
        };
        // Only a real amount follows these ("over the weekend" is not "more than").
        if self.amount(j).is_none() && !any_point {
            return None;
        }
        if let Some(c) = self.duration(j) {
            let m = match (c.sem, m) {
                (Sem::Ago { .. }, "MORE_THAN" | "EQUAL_OR_MORE") => "BEFORE",
                (Sem::Ago { .. }, "LESS_THAN" | "EQUAL_OR_LESS") => "AFTER",
                _ => m,
            };
            return Some(Cand { modifier: Some(m), ..c });
        }
        if any_point {
            if let Some(c) = self.clock(j) {
                return Some(Cand { modifier: Some(m), ..c });
            }
            if let Some(c) = self.year_forms(j, true) {
                return Some(Cand { modifier: Some(m), ..c });
            }
        }
        None
    }

    // --- durations and sets ------------------------------------------------------------------

    /// "three months", "48-hour", "the past five years", "for years", "two days ago", "a day
    /// earlier", "decades-long", "in recent weeks".
    fn duration(&self, i: usize) -> Option<Cand> {
        let mut j = i;
        let the = self.kw(j, Kw::The);
        if the {
            j += 1;
        }
        // Qualifier: past / next / coming / first / last / recent.
        let qual = match self.w(j) {
            W::Kw(k @ (Kw::Past | Kw::Next | Kw::Coming | Kw::Last | Kw::Recent | Kw::Previous | Kw::Following)) => {
                Some(k)
            }
            W::Ord(1) | W::Kw(Kw::Final) => Some(Kw::Final),
            _ => None,
        };
        if qual.is_some() {
            j += 1;
        }
        if the && qual.is_none() {
            // "the years" only after "over/for/within/in": "over the years".
            let ok = matches!(self.prev(i), W::Kw(Kw::Over | Kw::For | Kw::Within | Kw::In | Kw::Through));
            return if ok { self.bare_plural(j, i) } else { None };
        }
        let amt = self.amount(j);
        let (amt, mut e) = match amt {
            Some((a, e)) => (Some(a), e),
            None => (None, j),
        };
        // Fillers: "six straight days", "two consecutive quarters", "five trading days".
        let filler = self.kw(e, Kw::Filler) || self.kw(e, Kw::Whole);
        if filler {
            e += 1;
        }
        let hyphen = self.p(e, '-') && self.tight(e) && amt.is_some();
        if hyphen {
            e += 1;
        }
        let W::Unit(unit, plural) = self.w(e) else {
            return None;
        };
        if hyphen && !self.tight(e) {
            return None;
        }
        // "a quarter of its dealers" is a fraction: quarters count as time only with a
        // qualifier ("the past two quarters", "two consecutive quarters") or "ago/later".
        if unit == Unit::Quarter
            && qual.is_none()
            && !filler
            && !matches!(self.w(e + 1), W::Kw(Kw::Ago | Kw::Earlier | Kw::Later))
        {
            return None;
        }
        // "a second attack" is an ordinal.
        if unit == Unit::Second && !plural && self.is_word(e + 1) && !self.kw(e + 1, Kw::And) {
            return None;
        }
        let article = matches!(self.w(j), W::Kw(Kw::A | Kw::An)) && amt == Some(Some(10));
        if article && plural {
            return None;
        }
        e += 1;
        let mut value = match amt {
            Some(a) => a,
            None => {
                // No amount: "the past week" (one), "recent weeks" / "for years" (vague).
                if plural {
                    if qual.is_none() {
                        return self.bare_plural(j, i);
                    }
                    None
                } else if matches!(qual, Some(Kw::Past | Kw::Coming | Kw::Next)) && the {
                    if qual == Some(Kw::Next) && unit == Unit::Day {
                        return None;
                    }
                    Some(10)
                } else {
                    return None;
                }
            }
        };
        if value.is_none() && !matches!(qual, Some(Kw::Recent | Kw::Past | Kw::Coming | Kw::Next | Kw::Last)) {
            return None;
        }
        if qual == Some(Kw::Recent) && amt.is_some() {
            return None;
        }
        // "an hour and a half".
        if let Some(v) = value {
            if self.kw(e, Kw::And) && self.kw(e + 1, Kw::A) && self.kw(e + 2, Kw::Half) {
                value = Some(v + 5);
                e += 3;
            }
        }
        // Ages are not time references: "a 60-year-old", "60 years old".
        if self.kw(e, Kw::Old) || (self.p(e, '-') && self.kw(e + 1, Kw::Old)) {
            return None;
        }
        if self.p(e, '-') && self.tight(e) && self.kw(e + 1, Kw::Long) {
            e += 2;
        } else if hyphen && self.kw(e, Kw::Long) {
            e += 1;
        }
        // Relative forms after the unit.
        if qual.is_none() {
            match self.w(e) {
                W::Kw(Kw::Ago) => return Some(cand(e + 1, Sem::Ago { amt: value, unit })),
                W::Kw(Kw::Earlier) => return Some(cand(e + 1, Sem::Shift { amt: value, unit, sign: -1 })),
                W::Kw(Kw::Later) => return Some(cand(e + 1, Sem::Shift { amt: value, unit, sign: 1 })),
                W::Kw(Kw::Before) if self.boundary(e + 1) => {
                    return Some(cand(e + 1, Sem::Shift { amt: value, unit, sign: -1 }))
                }
                W::Kw(Kw::After) if self.boundary(e + 1) => {
                    return Some(cand(e + 1, Sem::Shift { amt: value, unit, sign: 1 }))
                }
                _ => {}
            }
        }
        // "a day", "a year": only in duration contexts, not "$2 a day" or "once a year".
        if article && !matches!(unit, Unit::Decade | Unit::Century | Unit::Fortnight) && qual.is_none() && !hyphen {
            let ok = matches!(
                self.prev(j),
                W::Kw(
                    Kw::For
                        | Kw::Over
                        | Kw::Within
                        | Kw::In
                        | Kw::After
                        | Kw::About
                        | Kw::Nearly
                        | Kw::Than
                        | Kw::Least
                        | Kw::Whole
                        | Kw::Under
                        | Kw::Some
                        | Kw::Most
                        | Kw::To
                        | Kw::Just
                )
            ) || self.kw(e, Kw::Long);
            if !ok {
                return None;
            }
        }
        // "one day" at the start of a clause is usually "on a certain day"; keep it as a duration
        // only with a preposition ("for one day").
        Some(cand(e, Sem::Dur { amt: value, unit }))
    }

    /// A bare plural unit after a duration signal: "for years", "in recent weeks" (handled by
    /// the caller), "over the years", "decades-long", "years ago".
    fn bare_plural(&self, j: usize, i: usize) -> Option<Cand> {
        let W::Unit(unit, true) = self.w(j) else { return None };
        let mut e = j + 1;
        match self.w(e) {
            W::Kw(Kw::Ago) => return Some(cand(e + 1, Sem::Ago { amt: None, unit })),
            W::Kw(Kw::Earlier) => return Some(cand(e + 1, Sem::Shift { amt: None, unit, sign: -1 })),
            W::Kw(Kw::Later) => return Some(cand(e + 1, Sem::Shift { amt: None, unit, sign: 1 })),
            _ => {}
        }
        if self.kw(e, Kw::Old) || (self.p(e, '-') && self.kw(e + 1, Kw::Old)) {
            return None;
        }
        let long = self.p(e, '-') && self.tight(e) && self.kw(e + 1, Kw::Long);
        if long {
            e += 2;
        }
        let ok = long
            || self.kw(i, Kw::The)
            || matches!(
                self.prev(i),
                W::Kw(Kw::For | Kw::Over | Kw::Within | Kw::Through | Kw::Recent | Kw::Vague | Kw::In | Kw::Just)
            );
        ok.then_some(cand(e, Sem::Dur { amt: None, unit }))
    }

    /// "every Friday", "each year", "daily", "weekly", "twice a week", "on Fridays".
    fn set(&self, i: usize) -> Option<Cand> {
        match self.w(i) {
            // "The China Daily" is a newspaper.
            W::Daily(u) if !self.cap(i) || self.prev(i) == W::None && !self.is_word(i.wrapping_sub(1)) => {
                let v = if u == Unit::Day && self.t.get(i).is_some_and(|t| t.e - t.s == 7) {
                    SetV::Part(Part::Night) // "nightly"
                } else {
                    SetV::Every(Some(10), u)
                };
                Some(cand(i + 1, Sem::Set(v)))
            }
            W::Wdays(wd) if self.kw(i.wrapping_sub(1), Kw::On) => Some(cand(i + 1, Sem::Set(SetV::Weekday(wd)))),
            W::Kw(Kw::Every | Kw::Each) => {
                let mut j = i + 1;
                let mut amt = Some(10);
                if self.kw(j, Kw::Other) {
                    amt = Some(20);
                    j += 1;
                } else if let Some((a, e)) = self.amount(j) {
                    if !matches!(self.w(j), W::Kw(Kw::A | Kw::An)) {
                        amt = a;
                        j = e;
                    }
                }
                match self.w(j) {
                    W::Unit(u, _) => Some(cand(j + 1, Sem::Set(SetV::Every(amt, u)))),
                    W::Wday(wd) => Some(cand(j + 1, Sem::Set(SetV::Weekday(wd)))),
                    _ => self.part_word(j).map(|p| cand(j + 1, Sem::Set(SetV::Part(p)))),
                }
            }
            W::Kw(Kw::Once | Kw::Twice | Kw::Thrice) => self.set_per(i + 1),
            W::Num(_) if self.kw(i + 1, Kw::Times) => self.set_per(i + 2),
            _ => match self.num(i) {
                Some(n) if n.nd <= 3 && self.kw(i + 1, Kw::Times) => self.set_per(i + 2),
                _ => None,
            },
        }
    }

    fn set_per(&self, j: usize) -> Option<Cand> {
        if !matches!(self.w(j), W::Kw(Kw::A | Kw::An | Kw::Per | Kw::Each | Kw::Every)) {
            return None;
        }
        match self.w(j + 1) {
            W::Unit(u, false) => Some(cand(j + 2, Sem::Set(SetV::Every(Some(10), u)))),
            _ => None,
        }
    }

    // --- clock times -------------------------------------------------------------------------

    fn ampm(&self, j: usize) -> Option<(bool, usize)> {
        match self.w(j) {
            W::Kw(Kw::Am) => return Some((false, j + 1)),
            W::Kw(Kw::Pm) => return Some((true, j + 1)),
            _ => {}
        }
        // "a.m." / "p.m." tokenize as a . m .
        let pm = match self.t.get(j) {
            Some(t) if t.e - t.s == 1 => {
                if self.letter(j, b'a') {
                    false
                } else if self.letter(j, b'p') {
                    true
                } else {
                    return None;
                }
            }
            _ => return None,
        };
        if !(self.p(j + 1, '.') && self.tight(j + 1) && self.letter(j + 2, b'm') && self.tight(j + 2)) {
            return None;
        }
        let e = if self.p(j + 3, '.') && self.tight(j + 3) { j + 4 } else { j + 3 };
        Some((pm, e))
    }

    /// Token `j` is the single letter `c` (either case).
    fn letter(&self, j: usize, c: u8) -> bool {
        self.t.get(j).is_some_and(|t| {
            matches!(t.k, TK::Word(_))
                && self.text.as_bytes().get(t.s..t.e).is_some_and(|b| b.eq_ignore_ascii_case(&[c]))
        })
    }

    /// "18:00 UTC", "6:40 p.m.", "9 a.m.", "0800 GMT", "noon", with an optional following day
    /// ("12:00 UTC Monday", "16:00 UTC today").
    fn clock(&self, i: usize) -> Option<Cand> {
        let (h, mi, mut e, strong) = match self.t.get(i)?.k {
            TK::Num(n) if n.nd <= 2 && n.suf == Suf::None && self.p(i + 1, ':') && self.tight(i + 1) => {
                let m = self.num(i + 2)?;
                if !self.tight(i + 2) || m.nd != 2 || m.suf != Suf::None || m.v > 59 || n.v > 24 {
                    return None;
                }
                let mut e = i + 3;
                // Seconds.
                if self.p(e, ':') && self.tight(e) && self.num(e + 1).is_some_and(|s| s.nd == 2) {
                    e += 2;
                }
                (n.v, m.v, e, false)
            }
            TK::Num(n) if n.nd <= 2 && matches!(n.suf, Suf::Am | Suf::Pm) && (1..=12).contains(&n.v) => {
                let h = match (n.suf, n.v) {
                    (Suf::Am, 12) => 0,
                    (Suf::Pm, 12) => 12,
                    (Suf::Pm, v) => v + 12,
                    (_, v) => v,
                };
                (h, 0, i + 1, true)
            }
            TK::Num(n) if n.nd <= 2 && n.suf == Suf::None && (1..=12).contains(&n.v) => {
                let (pm, e) = self.ampm(i + 1)?;
                let h = match (pm, n.v) {
                    (false, 12) => 0,
                    (true, 12) => 12,
                    (true, v) => v + 12,
                    (_, v) => v,
                };
                (h, 0, e, true)
            }
            TK::Num(n) if n.nd == 4 && n.suf == Suf::None && !n.sep => {
                // "0800 GMT", "1430 hrs": only with a zone or "hrs", never a year.
                let (h, m) = (n.v / 100, n.v % 100);
                if h > 23 || m > 59 || !matches!(self.w(i + 1), W::Kw(Kw::Utc | Kw::Gmt) | W::Unit(Unit::Hour, true)) {
                    return None;
                }
                if self.w(i + 1) == W::Unit(Unit::Hour, true) && self.t.get(i).is_some_and(|t| t.e - t.s == 4) && h >= 1
                {
                    // "1000 hours" is a duration unless written with a leading zero or "hrs".
                    let hrs = self.t.get(i + 1).is_some_and(|t| t.e - t.s == 3);
                    let lead0 = self.t.get(i).is_some_and(|t| self.text.as_bytes().get(t.s) == Some(&b'0'));
                    if !hrs && !lead0 {
                        return None;
                    }
                }
                (h, m, i + 1, true)
            }
            TK::Word(W::Kw(Kw::Noon)) => (12, 0, i + 1, false),
            TK::Word(W::Kw(Kw::Midnight)) => (24, 0, i + 1, false),
            _ => return None,
        };
        let mut h = h;
        let mut strong = strong;
        if !strong {
            if let Some((pm, e2)) = self.ampm(e) {
                if h <= 12 {
                    h = match (pm, h) {
                        (false, 12) => 0,
                        (true, 12) => 12,
                        (true, v) => v + 12,
                        (_, v) => v,
                    };
                    e = e2;
                    strong = true;
                }
            }
        }
        let mut utc = false;
        match self.w(e) {
            W::Kw(Kw::Utc | Kw::Gmt) => {
                utc = true;
                e += 1;
                strong = true;
            }
            W::Kw(Kw::Local) if self.kw(e + 1, Kw::Time) => {
                e += 2;
                strong = true;
            }
            W::Unit(Unit::Hour, true) if self.num(i).is_some_and(|n| n.nd == 4) => e += 1,
            _ => {}
        }
        if !strong {
            let sig = matches!(
                self.prev(i),
                W::Kw(Kw::At | Kw::By | Kw::From | Kw::Until | Kw::Before | Kw::After | Kw::About | Kw::Since | Kw::To)
            );
            if !sig {
                return None;
            }
        }
        let tod = Tod::Clock { h: u8::try_from(h).ok()?, mi: u8::try_from(mi).ok()?, utc };
        // A day right after the time ("12:00 UTC Monday"); after a comma it is a separate
        // expression, as TIMEX3 annotates it.
        let k = e;
        let day = match self.w(k) {
            W::Kw(Kw::Today | Kw::Yesterday | Kw::Tomorrow) | W::Wday(_) | W::Month(_) | W::MonAbbr(_) => {
                self.point(k, true).filter(|c| matches!(c.sem, Sem::Day { .. } | Sem::Weekday { .. } | Sem::DayRel(_)))
            }
            _ => None,
        };
        Some(match day {
            Some(d) => Cand { tod: Some(tod), ..d },
            None => Cand { tod: Some(tod), ..cand(e, Sem::Here) },
        })
    }

    // --- vague references --------------------------------------------------------------------

    fn refs(&self, i: usize) -> Option<Cand> {
        let r = |e: usize, v: &'static str| Some(cand(e, Sem::Ref(v)));
        match self.w(i) {
            // "the now-cancelled deal" is an adjective.
            W::Kw(Kw::Now | Kw::Currently | Kw::Nowadays) if !(self.p(i + 1, '-') && self.tight(i + 1)) => {
                r(i + 1, "PRESENT_REF")
            }
            W::Kw(Kw::Present) if matches!(self.prev(i), W::Kw(Kw::At)) => r(i + 1, "PRESENT_REF"),
            W::Kw(Kw::Recently | Kw::Lately | Kw::Recent) => r(i + 1, "PAST_REF"),
            // Not "as soon as", "soon after" (relative to an event), "soon-to-open".
            W::Kw(Kw::Soon)
                if !(self.kw(i.wrapping_sub(1), Kw::As)
                    || matches!(self.w(i + 1), W::Kw(Kw::After | Kw::As | Kw::Afterwards))
                    || self.p(i + 1, '-') && self.tight(i + 1)) =>
            {
                r(i + 1, "FUTURE_REF")
            }
            W::Kw(Kw::These) if self.w(i + 1) == W::Unit(Unit::Day, true) => r(i + 2, "PRESENT_REF"),
            W::Kw(Kw::The) => match self.w(i + 1) {
                W::Kw(Kw::Present) => r(i + 2, "PRESENT_REF"),
                W::Kw(Kw::Past) if self.boundary(i + 2) || self.kw(i + 2, Kw::And) => r(i + 2, "PAST_REF"),
                W::Kw(Kw::Future) => r(i + 2, "FUTURE_REF"),
                W::Kw(Kw::Near | Kw::Distant) if self.kw(i + 2, Kw::Future) => r(i + 3, "FUTURE_REF"),
                W::Kw(Kw::Long | Kw::Near | Kw::Short) if self.kw(i + 2, Kw::Term) => r(i + 3, "FUTURE_REF"),
                W::Kw(Kw::Time) if self.kw(i + 2, Kw::Being) => r(i + 3, "PRESENT_REF"),
                _ => None,
            },
            _ => None,
        }
    }
}

fn first_digit(v: u32, nd: u8) -> u32 {
    let mut x = v;
    for _ in 1..nd {
        x /= 10;
    }
    x.min(9)
}

fn valid_md(m: u8, d: u8) -> Option<()> {
    let max = match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    (1..=max).contains(&d).then_some(())
}

fn unit_rel(u: Unit, n: i32) -> Option<Sem> {
    Some(match u {
        Unit::Day => Sem::DayRel(n),
        Unit::Week => Sem::WeekRel(n),
        Unit::Month => Sem::MonthRel(n),
        Unit::Quarter => Sem::QuarterRel(n),
        Unit::Year => Sem::YearRel(n),
        Unit::Decade => Sem::DecadeRel(n),
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------------------------

/// The reference times of the text so far: the last date resolved at day precision (and where
/// it ended), at month precision or finer, and at year precision or finer. "The following day",
/// "two days later", "that day" and a bare "18:00 UTC" use the first; "a month later" the second;
/// "the following year", "one year later" the third.
#[derive(Default)]
struct RefState {
    day: Option<Date>,
    end: usize,
    month: Option<Date>,
    year: Option<Date>,
}

impl RefState {
    fn update(&mut self, tx: &Timex) {
        if !matches!(tx.kind, TimexKind::Date | TimexKind::Time) {
            return;
        }
        let Some(v) = tx.value.as_deref() else { return };
        let b = v.as_bytes();
        let Some(y) = v.get(..4).and_then(|y| y.parse::<i32>().ok()) else { return };
        if !b.get(..4).is_some_and(|d| d.iter().all(u8::is_ascii_digit)) {
            return;
        }
        match tx.precision {
            Precision::Day => {
                if let Some(d) = parse_day_value(v) {
                    self.day = Some(d);
                    self.end = tx.end;
                    self.month = Some(d);
                    self.year = Some(d);
                }
            }
            Precision::Month | Precision::Week => {
                let m = v.get(5..7).and_then(|m| m.parse::<u8>().ok()).filter(|_| b.get(5) != Some(&b'W'));
                let d = match m {
                    Some(m) => ymd(y, m, 1),
                    None => parse_week_monday(v),
                };
                self.month = d.or(self.month);
                self.year = d.or(self.year);
            }
            Precision::Season | Precision::Quarter | Precision::Half | Precision::Year => {
                self.year = ymd(y, 1, 1).or(self.year);
            }
            _ => {}
        }
    }
}

/// The Monday of an ISO week value "YYYY-Www".
fn parse_week_monday(v: &str) -> Option<Date> {
    let y: i16 = v.get(..4)?.parse().ok()?;
    let w: i8 = v.get(6..8)?.parse().ok()?;
    let iso = jiff::civil::ISOWeekDate::new(y, w, jiff::civil::Weekday::Monday).ok()?;
    Some(iso.date())
}

struct Resolver<'a> {
    text: &'a str,
    s: usize,
    e: usize,
    anchor: Option<Date>,
    /// Read only through [`Resolver::refs`], which records the read.
    refs: &'a RefState,
    tense: Option<Option<Tense>>,
    used: Option<Tense>,
    /// Set when the resolution read `refs` (see [`tag_until_where`]).
    read_refs: std::cell::Cell<bool>,
}

/// A resolved value: (value, precision, basis).
type Val = (String, Precision, TimexBasis);

impl Resolver<'_> {
    /// The reference dates; every read goes through here so that it is recorded.
    fn refs(&self) -> &RefState {
        self.read_refs.set(true);
        self.refs
    }

    /// The clause tense, computed once and recorded as used.
    fn tense(&mut self) -> Option<Tense> {
        let t = *self.tense.get_or_insert_with(|| clause_tense(self.text, self.s, self.e));
        self.used = t;
        t
    }

    /// The reference date for a shift by `unit`: the last date mentioned before at that
    /// precision or finer, else the anchor.
    fn reference(&self, unit: Unit) -> Option<Date> {
        let refs = self.refs();
        let r = match unit {
            Unit::Second | Unit::Minute | Unit::Hour | Unit::Day | Unit::Week | Unit::Fortnight => refs.day,
            Unit::Month | Unit::Quarter => refs.month,
            Unit::Year | Unit::Decade | Unit::Century => refs.year,
        };
        r.or(self.anchor)
    }

    fn sem(&mut self, sem: Sem) -> Option<Val> {
        use Precision as Pr;
        use TimexBasis as B;
        let a = self.anchor;
        match sem {
            Sem::Day { y, m, d } => {
                let (date, basis) = match y {
                    YearSpec::Abs(y) => (ymd(y, m, d)?, B::Explicit),
                    YearSpec::Two(yy) => (ymd(pivot(yy, a), m, d)?, B::Explicit),
                    YearSpec::Rel(n) => (ymd(i32::from(a?.year()) + n, m, d)?, B::Relative),
                    YearSpec::Infer => {
                        let a = a?;
                        let t = self.tense();
                        (infer_day(m, d, a, t)?, B::Relative)
                    }
                };
                Some((fmt_day(date)?, Pr::Day, basis))
            }
            Sem::Month { y, m, rel } => {
                let (yy, basis) = match (y, rel) {
                    (YearSpec::Abs(y), _) => (y, B::Explicit),
                    (YearSpec::Two(yy), _) => (pivot(yy, a), B::Explicit),
                    (YearSpec::Rel(n), _) => (i32::from(a?.year()) + n, B::Relative),
                    (YearSpec::Infer, rel) => {
                        let a = a?;
                        let (ay, am) = (i32::from(a.year()), anchor_month(a));
                        let y = match rel {
                            Rel::Last => ay - i32::from(m >= am),
                            Rel::Next => ay + i32::from(m <= am),
                            Rel::This => ay,
                            Rel::None => {
                                let back = (i32::from(am) - i32::from(m)).rem_euclid(12);
                                let fwd = (i32::from(m) - i32::from(am)).rem_euclid(12);
                                if pick_back(back, fwd, self.tense()) {
                                    ay - i32::from(m > am)
                                } else {
                                    ay + i32::from(m < am)
                                }
                            }
                        };
                        (y, B::Relative)
                    }
                };
                Some((fmt_month(yy, m)?, Pr::Month, basis))
            }
            Sem::Year(y) => {
                let (yy, basis) = match y {
                    YearSpec::Abs(y) => (y, B::Explicit),
                    YearSpec::Two(yy) => (pivot(yy, a), B::Explicit),
                    YearSpec::Rel(n) => (i32::from(a?.year()) + n, B::Relative),
                    YearSpec::Infer => return None,
                };
                Some((fmt_year(yy)?, Pr::Year, basis))
            }
            Sem::Decade(d) => Some((fmt_decade(d)?, Pr::Decade, B::Explicit)),
            Sem::Decade2(yy) => Some((fmt_decade(pivot(yy, a).div_euclid(10))?, Pr::Decade, B::Explicit)),
            Sem::Century(c) => ((0..=99).contains(&c)).then(|| (format!("{c:02}"), Pr::Century, B::Explicit)),
            Sem::Season { y, s, rel } => {
                let (yy, basis) = match y {
                    YearSpec::Abs(y) => (y, B::Explicit),
                    YearSpec::Two(yy) => (pivot(yy, a), B::Explicit),
                    YearSpec::Rel(n) => (i32::from(a?.year()) + n, B::Relative),
                    YearSpec::Infer => {
                        let a = a?;
                        let cur = current_season_index(a);
                        let s0 = i32::from(s) - 1;
                        // Latest index ≤ cur with this season, and the next one ≥ cur.
                        let back = cur - (cur - s0).rem_euclid(4);
                        let fwd = cur + (s0 - cur).rem_euclid(4);
                        let idx = match rel {
                            Rel::Last => {
                                if back == cur {
                                    back - 4
                                } else {
                                    back
                                }
                            }
                            Rel::Next => {
                                if fwd == cur {
                                    fwd + 4
                                } else {
                                    fwd
                                }
                            }
                            Rel::This | Rel::None => {
                                if pick_back(cur - back, fwd - cur, self.tense()) {
                                    back
                                } else {
                                    fwd
                                }
                            }
                        };
                        (idx.div_euclid(4), B::Relative)
                    }
                };
                let code = ["SP", "SU", "FA", "WI"].get(usize::from(s).checked_sub(1)?)?;
                Some((format!("{}-{code}", fmt_year(yy)?), Pr::Season, basis))
            }
            Sem::Quarter { y, q } => {
                let (yy, basis) = self.sub_year(y, q, 3)?;
                Some((format!("{}-Q{q}", fmt_year(yy)?), Pr::Quarter, basis))
            }
            Sem::Half { y, h } => {
                let (yy, basis) = self.sub_year(y, h, 6)?;
                Some((format!("{}-H{h}", fmt_year(yy)?), Pr::Half, basis))
            }
            Sem::Weekday { wd, rel } => {
                let a = a?;
                let aw = i64::from(a.weekday().to_monday_one_offset());
                let wd = i64::from(wd);
                let back = (aw - wd).rem_euclid(7); // 0..=6 days back to the latest such day
                let fwd = (wd - aw).rem_euclid(7); // 0..=6 days ahead
                let delta = match rel {
                    Rel::Last => -(if back == 0 { 7 } else { back }),
                    Rel::Next => {
                        if fwd == 0 {
                            7
                        } else {
                            fwd
                        }
                    }
                    Rel::This => match self.tense() {
                        Some(Tense::Past) => -back,
                        _ => fwd,
                    },
                    Rel::None => {
                        if back == 0 {
                            0
                        } else {
                            match self.tense() {
                                Some(Tense::Future) => fwd,
                                _ => -back,
                            }
                        }
                    }
                };
                Some((fmt_day(add_days(a, delta)?)?, Pr::Day, B::Relative))
            }
            Sem::DayRel(n) => {
                let basis = if n == 0 { B::Anchor } else { B::Relative };
                Some((fmt_day(add_days(a?, i64::from(n))?)?, Pr::Day, basis))
            }
            Sem::WeekRel(n) => Some((fmt_week(add_days(a?, 7 * i64::from(n))?)?, Pr::Week, B::Relative)),
            Sem::MonthRel(n) => {
                let a = a?;
                let (y, m) = month_add(i32::from(a.year()), anchor_month(a), n);
                Some((fmt_month(y, m)?, Pr::Month, B::Relative))
            }
            Sem::QuarterRel(n) => {
                let a = a?;
                let idx = i32::from(a.year()) * 4 + i32::from((anchor_month(a) - 1) / 3) + n;
                Some((format!("{}-Q{}", fmt_year(idx.div_euclid(4))?, idx.rem_euclid(4) + 1), Pr::Quarter, B::Relative))
            }
            Sem::YearRel(n) => Some((fmt_year(i32::from(a?.year()) + n)?, Pr::Year, B::Relative)),
            Sem::DecadeRel(n) => Some((fmt_decade(i32::from(a?.year()).div_euclid(10) + n)?, Pr::Decade, B::Relative)),
            Sem::Weekend(rel) => {
                let a = a?;
                let aw = i64::from(a.weekday().to_monday_one_offset());
                let sat = add_days(a, 6 - aw)?;
                let on_weekend = aw >= 6;
                let delta = match rel {
                    Rel::Last => -7,
                    Rel::Next => 7,
                    _ if on_weekend => 0,
                    Rel::This => match self.tense() {
                        Some(Tense::Past) => -7,
                        _ => 0,
                    },
                    Rel::None => match self.tense() {
                        Some(Tense::Future) => 0,
                        _ => -7,
                    },
                };
                Some((format!("{}-WE", fmt_week(add_days(sat, delta)?)?), Pr::Week, B::Relative))
            }
            Sem::RefShift { unit, n } => {
                let base = self.reference(unit)?;
                if unit == Unit::Week {
                    // "that week", "the following week", "earlier in the week": a week.
                    return Some((fmt_week(add_days(base, 7 * i64::from(n))?)?, Pr::Week, B::Relative));
                }
                shift_point(base, unit, i64::from(n) * 10)
            }
            Sem::Ago { amt, unit } => match amt {
                None => Some(("PAST_REF".into(), Pr::Unknown, B::Relative)),
                Some(t) => shift_point(a?, unit, -i64::from(t)),
            },
            Sem::Shift { amt, unit, sign } => match amt {
                // "hours later", "minutes earlier": the same day as the reference.
                None if matches!(unit, Unit::Second | Unit::Minute | Unit::Hour) => {
                    Some((fmt_day(self.reference(unit)?)?, Pr::Day, B::Relative))
                }
                None if sign < 0 => Some(("PAST_REF".into(), Pr::Unknown, B::Relative)),
                None => Some(("FUTURE_REF".into(), Pr::Unknown, B::Relative)),
                Some(t) => shift_point(self.reference(unit)?, unit, i64::from(sign) * i64::from(t)),
            },
            Sem::Dur { amt, unit } => Some((fmt_dur(amt, unit), Pr::Unknown, B::Explicit)),
            Sem::Set(v) => Some((fmt_set(v), Pr::Unknown, B::Explicit)),
            Sem::Ref(v) => {
                let basis = if v == "PRESENT_REF" { B::Anchor } else { B::Relative };
                Some((v.to_string(), Pr::Unknown, basis))
            }
            Sem::Overnight => {
                let delta = match self.tense() {
                    Some(Tense::Past) => -1,
                    _ => 0,
                };
                Some((fmt_day(add_days(a?, delta)?)?, Pr::Day, B::Relative))
            }
            Sem::Here => {
                let refs = self.refs();
                let same_sentence = refs.day.is_some()
                    && self.text.get(refs.end..self.s).is_some_and(|gap| !gap.contains(". ") && !gap.contains('\n'));
                let base = if same_sentence { refs.day } else { a };
                Some((fmt_day(base?)?, Pr::Day, B::Relative))
            }
        }
    }

    /// The year of a quarter (`len` 3) or half (`len` 6) numbered `n`.
    fn sub_year(&mut self, y: YearSpec, n: u8, len: u8) -> Option<(i32, TimexBasis)> {
        let a = self.anchor;
        Some(match y {
            YearSpec::Abs(y) => (y, TimexBasis::Explicit),
            YearSpec::Two(yy) => (pivot(yy, a), TimexBasis::Explicit),
            YearSpec::Rel(k) => (i32::from(a?.year()) + k, TimexBasis::Relative),
            YearSpec::Infer => {
                let a = a?;
                let cur = (anchor_month(a) - 1) / len + 1;
                let ay = i32::from(a.year());
                let k = i32::from(12 / len);
                let back = (i32::from(cur) - i32::from(n)).rem_euclid(k);
                let fwd = (i32::from(n) - i32::from(cur)).rem_euclid(k);
                let y =
                    if pick_back(back, fwd, self.tense()) { ay - i32::from(n > cur) } else { ay + i32::from(n < cur) };
                (y, TimexBasis::Relative)
            }
        })
    }
}

fn resolve(text: &str, s: usize, e: usize, c: &Cand, anchor: Option<Date>, refs: &RefState) -> Timex {
    resolve_probe(text, s, e, c, anchor, refs).0
}

/// [`resolve`], and whether the result depends on `refs` (it read them).
fn resolve_probe(text: &str, s: usize, e: usize, c: &Cand, anchor: Option<Date>, refs: &RefState) -> (Timex, bool) {
    let mut r = Resolver { text, s, e, anchor, refs, tense: None, used: None, read_refs: std::cell::Cell::new(false) };
    let resolved = r.sem(c.sem);
    let kind = match c.sem {
        Sem::Dur { .. } => TimexKind::Duration,
        Sem::Set(_) => TimexKind::Set,
        _ if c.tod.is_some() => TimexKind::Time,
        _ => TimexKind::Date,
    };
    let needs_anchor = !matches!(
        c.sem,
        Sem::Dur { .. }
            | Sem::Set(_)
            | Sem::Ref(_)
            | Sem::Decade(_)
            | Sem::Century(_)
            | Sem::Year(YearSpec::Abs(_))
            | Sem::Day { y: YearSpec::Abs(_), .. }
            | Sem::Month { y: YearSpec::Abs(_), .. }
    );
    let (mut value, precision, basis) = match resolved {
        Some((v, p, b)) => (Some(v), p, b),
        None => {
            let basis = match c.sem {
                Sem::DayRel(0) | Sem::Ref("PRESENT_REF") => TimexBasis::Anchor,
                _ if needs_anchor => TimexBasis::Relative,
                _ => TimexBasis::Explicit,
            };
            (None, Precision::Unknown, basis)
        }
    };
    if let (Some(v), Some(tod)) = (value.as_mut(), c.tod) {
        if v.len() == 10 && precision == Precision::Day {
            match tod {
                Tod::Part(p) => {
                    v.push('T');
                    v.push_str(p.code());
                }
                Tod::Clock { h, mi, utc } => {
                    v.push_str(&format!("T{h:02}:{mi:02}"));
                    if utc {
                        v.push('Z');
                    }
                }
            }
        }
    }
    let tx = Timex {
        start: s,
        end: e,
        text: text.get(s..e).unwrap_or("").to_string(),
        value,
        kind,
        precision,
        basis,
        modifier: c.modifier,
        tense: r.used,
    };
    (tx, r.read_refs.get())
}

/// Moves `base` by `tenths`/10 units and returns the value at the unit's natural granularity:
/// days and weeks → a day, months and quarters → a month, years → a year (a month for
/// fractions), decades and centuries → a decade / century, hours and less → the base day.
fn shift_point(base: Date, unit: Unit, tenths: i64) -> Option<Val> {
    use Precision as Pr;
    let by = |x: i64| tenths.checked_mul(x).map(|v| v / 10);
    let rel = TimexBasis::Relative;
    let (y, m) = (i32::from(base.year()), anchor_month(base));
    let months = |n: i64| -> Option<Val> {
        let (yy, mm) = month_add(y, m, i32::try_from(n).ok()?);
        Some((fmt_month(yy, mm)?, Pr::Month, rel))
    };
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour => Some((fmt_day(base)?, Pr::Day, rel)),
        Unit::Day => Some((fmt_day(add_days(base, by(1)?)?)?, Pr::Day, rel)),
        Unit::Week => Some((fmt_day(add_days(base, by(7)?)?)?, Pr::Day, rel)),
        Unit::Fortnight => Some((fmt_day(add_days(base, by(14)?)?)?, Pr::Day, rel)),
        Unit::Month => months(by(1)?),
        Unit::Quarter => months(by(3)?),
        Unit::Year if tenths % 10 != 0 => months(by(12)?),
        Unit::Year => Some((fmt_year(y + i32::try_from(by(1)?).ok()?)?, Pr::Year, rel)),
        Unit::Decade => Some((fmt_decade((y + i32::try_from(by(10)?).ok()?).div_euclid(10))?, Pr::Decade, rel)),
        Unit::Century => {
            let c = (y + i32::try_from(by(100)?).ok()?).div_euclid(100);
            ((0..=99).contains(&c)).then(|| (format!("{c:02}"), Pr::Century, rel))
        }
    }
}

/// The year for a month and day given without one: the candidate nearest the anchor, where a
/// distance against the tense (a future date in a past-tense clause) counts triple and, with no
/// tense, a future date counts 1.5× (news mostly reports what already happened).
fn infer_day(m: u8, d: u8, anchor: Date, tense: Option<Tense>) -> Option<Date> {
    let ay = i32::from(anchor.year());
    let a = ord(anchor);
    let mut best: Option<(i64, Date)> = None;
    for y in [ay - 1, ay, ay + 1] {
        let Some(date) = ymd(y, m, d) else { continue };
        let diff = ord(date) - a;
        let w = match (tense, diff > 0) {
            (Some(Tense::Past), true) | (Some(Tense::Future), false) if diff != 0 => 6,
            (None, true) => 3,
            _ => 2,
        };
        let cost = diff.abs() * w;
        if best.is_none_or(|(c, _)| cost < c) {
            best = Some((cost, date));
        }
    }
    best.map(|(_, d)| d)
}

/// For a month, season, quarter or half named without a year: take the latest one (`back`
/// periods ago, 0 = the current one) or the next one (`fwd` periods ahead)? Past tense → the
/// latest, future → the next; with no tense the nearer one, a future distance counting 1.5×.
fn pick_back(back: i32, fwd: i32, tense: Option<Tense>) -> bool {
    match tense {
        _ if back == 0 => true,
        Some(Tense::Past) => true,
        Some(Tense::Future) => false,
        None => back * 2 <= fwd * 3,
    }
}

/// Century for a two-digit year: the one putting it at most ten years after the anchor
/// (1930–2029 without an anchor).
fn pivot(yy: u8, anchor: Option<Date>) -> i32 {
    let yy = i32::from(yy);
    match anchor {
        Some(a) => {
            let ay = i32::from(a.year());
            let y = ay - ay.rem_euclid(100) + yy;
            if y > ay + 10 {
                y - 100
            } else {
                y
            }
        }
        None if yy < 30 => 2000 + yy,
        None => 1900 + yy,
    }
}

/// Season index (year·4 + season) of the season containing `a`; winter belongs to the year of
/// its December.
fn current_season_index(a: Date) -> i32 {
    let y = i32::from(a.year());
    match a.month() {
        3..=5 => y * 4,
        6..=8 => y * 4 + 1,
        9..=11 => y * 4 + 2,
        12 => y * 4 + 3,
        _ => (y - 1) * 4 + 3,
    }
}

fn anchor_month(a: Date) -> u8 {
    u8::try_from(a.month()).unwrap_or(1)
}

fn ymd(y: i32, m: u8, d: u8) -> Option<Date> {
    Date::new(i16::try_from(y).ok()?, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// Days since 1970-01-01 (proleptic Gregorian), after H. Hinnant's `days_from_civil`.
fn ord(d: Date) -> i64 {
    let (y, m, d) = (i64::from(d.year()), i64::from(d.month()), i64::from(d.day()));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn from_ord(z: i64) -> Option<Date> {
    let z = z.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    ymd(i32::try_from(y).ok()?, u8::try_from(m).ok()?, u8::try_from(d).ok()?)
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    from_ord(ord(d).checked_add(n)?)
}

fn month_add(y: i32, m: u8, n: i32) -> (i32, u8) {
    let t = y.saturating_mul(12).saturating_add(i32::from(m) - 1).saturating_add(n);
    (t.div_euclid(12), u8::try_from(t.rem_euclid(12) + 1).unwrap_or(1))
}

// Values are written digit by digit rather than with `format!`: one exact allocation instead
// of two growing ones, for the most common values (a day is resolved for nearly every date).

/// Appends `v` in decimal, zero-padded to `width` digits (what `{v:0width$}` writes).
fn push_padded(out: &mut String, v: u32, width: usize) {
    let mut digits = [0u8; 10];
    let mut n = 0;
    let mut x = v;
    loop {
        digits[n] = b'0' + (x % 10) as u8;
        n += 1;
        x /= 10;
        if x == 0 {
            break;
        }
    }
    for _ in n..width {
        out.push('0');
    }
    for &d in digits[..n].iter().rev() {
        out.push(char::from(d));
    }
}

fn fmt_year(y: i32) -> Option<String> {
    fmt_year_cap(y, 4)
}

// The year, in a string with room for `cap` bytes.
fn fmt_year_cap(y: i32, cap: usize) -> Option<String> {
    let y = u32::try_from(y).ok().filter(|y| *y <= 9999)?;
    let mut s = String::with_capacity(cap);
    push_padded(&mut s, y, 4);
    Some(s)
}

fn fmt_month(y: i32, m: u8) -> Option<String> {
    let mut s = fmt_year_cap(y, 7)?;
    s.push('-');
    push_padded(&mut s, u32::from(m), 2);
    Some(s)
}

fn fmt_day(d: Date) -> Option<String> {
    // Room for a time of day appended later ("T18:00Z").
    let mut s = fmt_year_cap(i32::from(d.year()), 17)?;
    s.push('-');
    push_padded(&mut s, u32::from(d.month().unsigned_abs()), 2);
    s.push('-');
    push_padded(&mut s, u32::from(d.day().unsigned_abs()), 2);
    Some(s)
}

fn fmt_week(d: Date) -> Option<String> {
    let w = d.iso_week_date();
    let mut s = fmt_year_cap(i32::from(w.year()), 8)?;
    s.push_str("-W");
    push_padded(&mut s, u32::from(w.week().unsigned_abs()), 2);
    Some(s)
}

fn fmt_decade(d: i32) -> Option<String> {
    (0..=999).contains(&d).then(|| format!("{d:03}"))
}

/// Parses a "YYYY-MM-DD…" value back to a date (for the reference-date state).
fn parse_day_value(v: &str) -> Option<Date> {
    let b = v.as_bytes();
    if b.len() < 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y: i32 = v.get(0..4)?.parse().ok()?;
    let m: u8 = v.get(5..7)?.parse().ok()?;
    let d: u8 = v.get(8..10)?.parse().ok()?;
    ymd(y, m, d)
}

/// TIMEX3 duration: "P3M", "PT48H", "P10Y" (a decade), "P2.5Y", vague "PXY", "PXDE".
fn fmt_dur(amt: Option<u32>, unit: Unit) -> String {
    let (mul, des, time) = match unit {
        Unit::Second => (1, "S", true),
        Unit::Minute => (1, "M", true),
        Unit::Hour => (1, "H", true),
        Unit::Day => (1, "D", false),
        Unit::Week => (1, "W", false),
        Unit::Fortnight => (2, "W", false),
        Unit::Month => (1, "M", false),
        Unit::Quarter => (1, "Q", false),
        Unit::Year => (1, "Y", false),
        Unit::Decade => (10, "Y", false),
        Unit::Century => (100, "Y", false),
    };
    let p = if time { "PT" } else { "P" };
    match amt {
        None => match unit {
            Unit::Decade => "PXDE".to_string(),
            Unit::Century => "PXCE".to_string(),
            _ => format!("{p}X{des}"),
        },
        Some(t) => {
            let n = u64::from(t) * mul;
            if n % 10 == 0 {
                format!("{p}{}{des}", n / 10)
            } else {
                format!("{p}{}.{}{des}", n / 10, n % 10)
            }
        }
    }
}

fn fmt_set(v: SetV) -> String {
    match v {
        SetV::Every(amt, u) => fmt_dur(amt.or(Some(10)), u),
        SetV::Weekday(d) => format!("XXXX-WXX-{d}"),
        SetV::Part(p) => format!("XXXX-XX-XXT{}", p.code()),
    }
}

// ---------------------------------------------------------------------------------------------
// Tense
// ---------------------------------------------------------------------------------------------

/// How far the tense heuristic looks either side of an expression.
const TENSE_SCAN: usize = 200;

/// A step of [`Scan`]: a word `[start, end)`, a clause boundary (comma, semicolon, colon,
/// bracket, quote, dash, or a word such as "that", "which", "when") or a sentence boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Word(usize, usize),
    Clause,
    Sentence,
}

/// Walks words away from an expression, leftwards or rightwards, lazily: the tense heuristic
/// usually stops after a few words.
#[derive(Clone, Copy)]
struct Scan<'a> {
    text: &'a str,
    pos: usize,
    /// Lower bound (leftwards) or upper bound (rightwards).
    lim: usize,
    fwd: bool,
}

impl Scan<'_> {
    fn next_step(&mut self) -> Option<Step> {
        let b = self.text.as_bytes();
        loop {
            let at = if self.fwd {
                if self.pos >= self.lim {
                    return None;
                }
                self.pos
            } else {
                if self.pos <= self.lim {
                    return None;
                }
                self.pos - 1
            };
            let c = b.get(at).copied()?;
            if c.is_ascii_alphabetic() {
                let (mut st, mut en) = (at, at + 1);
                if self.fwd {
                    while en < self.lim && b.get(en).is_some_and(u8::is_ascii_alphabetic) {
                        en += 1;
                    }
                    self.pos = en;
                } else {
                    while st > self.lim && b.get(st - 1).is_some_and(u8::is_ascii_alphabetic) {
                        st -= 1;
                    }
                    self.pos = st;
                }
                let kind = word_key(b, st, en).map_or(Cue::None, |k| probe(&CUE_TABLE, k, Cue::None));
                return Some(if kind == Cue::Clause { Step::Clause } else { Step::Word(st, en) });
            }
            self.pos = if self.fwd { at + 1 } else { at };
            match c {
                b',' | b';' | b':' | b'(' | b')' | b'"' => return Some(Step::Clause),
                b'\n' => return Some(Step::Sentence),
                b'.' | b'!' | b'?' if sentence_end(self.text, at) => return Some(Step::Sentence),
                // Curly quotes and dashes (U+201C, U+201D, U+2014) delimit clauses.
                0x9C | 0x9D | 0x94 if at >= 2 && b.get(at - 2) == Some(&0xE2) && b.get(at - 1) == Some(&0x80) => {
                    return Some(Step::Clause)
                }
                _ => {}
            }
        }
    }
}

/// Is the `.`, `!` or `?` at `i` the end of a sentence? A period needs a space and a capital
/// after it and must not follow a short capitalized word ("U.S. Army", "Jan. 3", "Mr. Smith").
fn sentence_end(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    let next_ws = b.get(i + 1).is_none_or(u8::is_ascii_whitespace);
    if b.get(i) != Some(&b'.') {
        return next_ws;
    }
    let next_upper = b.get(i + 2).is_none_or(|n| n.is_ascii_uppercase() || *n == b'"');
    let mut st = i;
    while st > 0 && b.get(st - 1).is_some_and(u8::is_ascii_alphabetic) {
        st -= 1;
    }
    let abbrev = i - st <= 3 && b.get(st).is_some_and(u8::is_ascii_uppercase);
    next_ws && next_upper && !abbrev
}

/// The tense a word signals, given the text after it (for "won't" and "set to").
fn word_tense(text: &str, st: usize, en: usize) -> (Option<Tense>, Cue) {
    let b = text.as_bytes();
    let w = b.get(st..en).unwrap_or(&[]);
    let kind = word_key(b, st, en).map_or(Cue::None, |k| probe(&CUE_TABLE, k, Cue::None));
    let rest = text.get(en..).unwrap_or("");
    let t = match kind {
        // "won't" is "will not", not the past of "win".
        _ if w.eq_ignore_ascii_case(b"won") => {
            if rest.starts_with("'t") || rest.starts_with("\u{2019}t") {
                Some(Tense::Future)
            } else {
                Some(Tense::Past)
            }
        }
        Cue::Future => Some(Tense::Future),
        Cue::Past | Cue::PastAux => Some(Tense::Past),
        Cue::ToFuture => {
            rest.trim_start().get(..3).is_some_and(|t| t.eq_ignore_ascii_case("to ")).then_some(Tense::Future)
        }
        Cue::None if w.len() >= 5 && w.get(w.len() - 2..).is_some_and(|t| t.eq_ignore_ascii_case(b"ed")) => {
            Some(Tense::Past)
        }
        _ => None,
    };
    (t, kind)
}

/// The first tense cue met walking away from the expression, with its distance in words; stops
/// at a sentence boundary, and at a clause boundary when `clause_only`.
fn first_cue(mut scan: Scan<'_>, clause_only: bool) -> Option<(usize, Tense)> {
    let mut dist = 0;
    // Rightwards: words since "be"/"is"/"are" (a participle right after them is no cue).
    let mut since_be = 0u8;
    while let Some(step) = scan.next_step() {
        let (st, en) = match step {
            Step::Sentence => return None,
            Step::Clause if clause_only => return None,
            Step::Clause => continue,
            Step::Word(st, en) => (st, en),
        };
        dist += 1;
        let (t, kind) = word_tense(scan.text, st, en);
        let after_be = if scan.fwd {
            let r = since_be > 0;
            since_be = if kind == Cue::Be {
                1
            } else if since_be >= 2 {
                0
            } else {
                since_be.saturating_add(u8::from(r))
            };
            r
        } else {
            // Leftwards: look at the two words before this one.
            let mut look = scan;
            let mut found = false;
            for _ in 0..2 {
                match look.next_step() {
                    Some(Step::Word(a, z)) => {
                        if word_tense(scan.text, a, z).1 == Cue::Be {
                            found = true;
                            break;
                        }
                    }
                    _ => break,
                }
            }
            found
        };
        match t {
            // "will be held", "are fired": the participle takes its tense from the auxiliary.
            Some(Tense::Past) if after_be && kind != Cue::PastAux => {}
            Some(t) => return Some((dist, t)),
            None => {}
        }
    }
    None
}

/// The tense of the clause around `[s, e)`: the nearest tense cue, first within the clause
/// (commas and "that/which/when/…" delimit it), then within the sentence; left wins ties.
///
/// Future cues: will, 'll, shall, would, won't, plans/planned/planning, expected, expects, due,
/// scheduled, slated, upcoming, intends, may, might, should, must, next, coming, tomorrow, soon,
/// until, and "set to", "going to", "wants to". Past cues: was, were, had, has, have, been, did,
/// said, told, ago, last, yesterday, since, earlier, common irregular past forms (took, fled,
/// struck, …) and words in -ed (except adjectival ones such as "armed", "alleged", and
/// participles right after "be"/"is"/"are": "will be held" is decided by "will"). Present forms
/// ("is", "says") are no cue.
fn clause_tense(text: &str, s: usize, e: usize) -> Option<Tense> {
    let left = Scan { text, pos: s, lim: floor_boundary(text, s.saturating_sub(TENSE_SCAN)), fwd: false };
    let right = Scan { text, pos: e, lim: floor_boundary(text, e.saturating_add(TENSE_SCAN)), fwd: true };
    let nearest = |clause_only: bool| match (first_cue(left, clause_only), first_cue(right, clause_only)) {
        (Some((dl, tl)), Some((dr, tr))) => Some(if dl <= dr { tl } else { tr }),
        (Some((_, t)), None) | (None, Some((_, t))) => Some(t),
        (None, None) => None,
    };
    nearest(true).or_else(|| nearest(false))
}

/// What a word says about the tense of its clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    None,
    Future,
    Past,
    /// A past auxiliary or reporting verb: past even right after "be" ("has been").
    PastAux,
    /// "be", "is", "are": a following -ed participle is no past cue ("will be held").
    Be,
    /// Starts a new clause ("that", "which", "when", …).
    Clause,
    /// An -ed word that is mostly an adjective ("armed", "alleged").
    Adjective,
    /// Future when followed by "to" ("set to", "going to", "wants to").
    ToFuture,
}

/// Tense cue words. Future: will, 'll, shall, would, plans, expected, due, scheduled, slated,
/// upcoming, intends, may, might, should, must, next, coming, tomorrow, soon, until. Past: was,
/// were, had, has, have, been, did, said, told, ago, last, yesterday, since, earlier and common
/// irregular past forms; any other word in -ed of five letters or more is past too.
#[rustfmt::skip]
const CUES: &[(&str, Cue)] = &[
    ("will", Cue::Future), ("shall", Cue::Future), ("ll", Cue::Future), ("would", Cue::Future),
    ("plans", Cue::Future), ("plan", Cue::Future), ("planned", Cue::Future), ("planning", Cue::Future),
    ("expected", Cue::Future), ("expects", Cue::Future), ("expect", Cue::Future), ("due", Cue::Future),
    ("scheduled", Cue::Future), ("slated", Cue::Future), ("upcoming", Cue::Future), ("intends", Cue::Future),
    ("intend", Cue::Future), ("aims", Cue::Future), ("hopes", Cue::Future), ("may", Cue::Future),
    ("might", Cue::Future), ("next", Cue::Future), ("coming", Cue::Future), ("tomorrow", Cue::Future),
    ("soon", Cue::Future), ("await", Cue::Future), ("awaits", Cue::Future), ("awaiting", Cue::Future),
    ("pending", Cue::Future), ("proposed", Cue::Future), ("forthcoming", Cue::Future), ("postponed", Cue::Future),
    ("delayed", Cue::Future), ("rescheduled", Cue::Future), ("until", Cue::Future), ("should", Cue::Future),
    ("must", Cue::Future), ("was", Cue::PastAux), ("were", Cue::PastAux), ("had", Cue::PastAux),
    ("has", Cue::PastAux), ("have", Cue::PastAux), ("been", Cue::PastAux), ("did", Cue::PastAux),
    ("said", Cue::PastAux), ("told", Cue::PastAux), ("ago", Cue::Past), ("last", Cue::Past),
    ("yesterday", Cue::Past), ("since", Cue::Past), ("earlier", Cue::Past), ("took", Cue::Past), ("came", Cue::Past),
    ("went", Cue::Past), ("made", Cue::Past), ("gave", Cue::Past), ("saw", Cue::Past), ("began", Cue::Past),
    ("fled", Cue::Past), ("struck", Cue::Past), ("fell", Cue::Past), ("left", Cue::Past), ("met", Cue::Past),
    ("held", Cue::Past), ("sent", Cue::Past), ("found", Cue::Past), ("brought", Cue::Past), ("fought", Cue::Past),
    ("led", Cue::Past), ("won", Cue::Past), ("lost", Cue::Past), ("stole", Cue::Past), ("threw", Cue::Past),
    ("wrote", Cue::Past), ("spoke", Cue::Past), ("broke", Cue::Past), ("rose", Cue::Past), ("drove", Cue::Past),
    ("flew", Cue::Past), ("ran", Cue::Past), ("got", Cue::Past), ("kept", Cue::Past), ("became", Cue::Past),
    ("blew", Cue::Past), ("chose", Cue::Past), ("knew", Cue::Past), ("thought", Cue::Past), ("heard", Cue::Past),
    ("paid", Cue::Past), ("sold", Cue::Past), ("built", Cue::Past), ("caught", Cue::Past), ("felt", Cue::Past),
    ("stood", Cue::Past), ("spent", Cue::Past), ("shot", Cue::Past), ("overran", Cue::Past), ("withdrew", Cue::Past),
    ("shook", Cue::Past), ("sank", Cue::Past), ("sought", Cue::Past), ("arose", Cue::Past), ("bought", Cue::Past),
    ("drew", Cue::Past), ("hid", Cue::Past), ("hung", Cue::Past), ("laid", Cue::Past), ("lit", Cue::Past),
    ("meant", Cue::Past), ("rode", Cue::Past), ("rang", Cue::Past), ("slew", Cue::Past), ("swept", Cue::Past),
    ("swore", Cue::Past), ("tore", Cue::Past), ("undertook", Cue::Past), ("upheld", Cue::Past), ("wore", Cue::Past),
    ("ate", Cue::Past), ("bit", Cue::Past), ("bled", Cue::Past), ("dug", Cue::Past), ("fed", Cue::Past),
    ("fired", Cue::Past), ("grew", Cue::Past), ("lay", Cue::Past), ("sat", Cue::Past), ("sang", Cue::Past),
    ("shut", Cue::Past), ("spun", Cue::Past), ("taught", Cue::Past), ("understood", Cue::Past), ("woke", Cue::Past),
    ("wrecked", Cue::Past), ("announced", Cue::Past), ("claimed", Cue::Past), ("indeed", Cue::Adjective),
    ("speed", Cue::Adjective), ("proceed", Cue::Adjective), ("succeed", Cue::Adjective), ("exceed", Cue::Adjective),
    ("breed", Cue::Adjective), ("creed", Cue::Adjective), ("greed", Cue::Adjective), ("hundred", Cue::Adjective),
    ("hundreds", Cue::Adjective), ("kindred", Cue::Adjective), ("sacred", Cue::Adjective), ("naked", Cue::Adjective),
    ("wicked", Cue::Adjective), ("armed", Cue::Adjective), ("alleged", Cue::Adjective),
    ("suspected", Cue::Adjective), ("unidentified", Cue::Adjective), ("unnamed", Cue::Adjective),
    ("united", Cue::Adjective), ("limited", Cue::Adjective), ("related", Cue::Adjective), ("based", Cue::Adjective),
    ("concerned", Cue::Adjective), ("detailed", Cue::Adjective), ("advanced", Cue::Adjective),
    ("interested", Cue::Adjective), ("experienced", Cue::Adjective), ("called", Cue::Adjective),
    ("skilled", Cue::Adjective), ("qualified", Cue::Adjective), ("sustained", Cue::Adjective),
    ("coordinated", Cue::Adjective), ("organized", Cue::Adjective), ("organised", Cue::Adjective),
    ("renewed", Cue::Adjective), ("backed", Cue::Adjective), ("linked", Cue::Adjective),
    ("affiliated", Cue::Adjective), ("allied", Cue::Adjective), ("disputed", Cue::Adjective),
    ("occupied", Cue::Adjective), ("embattled", Cue::Adjective), ("displaced", Cue::Adjective),
    ("injured", Cue::Adjective), ("wounded", Cue::Adjective), ("be", Cue::Be), ("being", Cue::Be), ("is", Cue::Be),
    ("are", Cue::Be), ("am", Cue::Be), ("that", Cue::Clause), ("which", Cue::Clause), ("who", Cue::Clause),
    ("whom", Cue::Clause), ("but", Cue::Clause), ("while", Cue::Clause), ("because", Cue::Clause),
    ("although", Cue::Clause), ("though", Cue::Clause), ("whereas", Cue::Clause), ("when", Cue::Clause),
    ("where", Cue::Clause), ("whether", Cue::Clause), ("if", Cue::Clause), ("set", Cue::ToFuture),
    ("going", Cue::ToFuture), ("wants", Cue::ToFuture), ("want", Cue::ToFuture), ("needs", Cue::ToFuture),
];

static CUE_TABLE: LazyLock<Vec<(u128, Cue)>> = LazyLock::new(|| build_table(CUES, Cue::None));

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        jiff::civil::date(y, m, day)
    }

    #[test]
    fn tag_until_is_the_prefix_of_tag_up_to_the_limit() {
        let text = "On Monday, two days after the raid of Jan. 3, troops left.\nThe following day, at 6 p.m., \
                    they returned; last week's talks ended in March 2023.";
        let full = tag(text, Some(d(2024, 1, 10)));
        assert!(full.len() >= 5, "{full:#?}");
        for limit in 0..=text.len() + 1 {
            let part = tag_until(text, Some(d(2024, 1, 10)), limit);
            assert!(full.starts_with(&part), "limit {limit}");
            assert!(full.iter().filter(|t| t.end <= limit).all(|t| part.contains(t)), "limit {limit}");
        }
    }

    // Keeping a subset must not change what is kept: the skipped expressions' reference dates
    // ("the following day", "two days later", "that evening") are replayed when needed.
    #[test]
    fn tag_until_where_equals_filtering_tag_until() {
        let text = "Fighting began on Jan. 3 near the border. Two days later, the army withdrew. \
                    In March 2023 talks failed. The following day, at 6 p.m., they returned; that \
                    evening a convoy was hit. One year later it was rebuilt. On Friday, three weeks \
                    after the raid of Jan. 5, 2024, officials met again.";
        let anchor = Some(d(2024, 1, 10));
        let full = tag(text, anchor);
        assert!(full.len() >= 8, "{full:#?}");
        // Every subset of the expressions given by a bit mask over their index, and by position.
        for mask in 0u32..(1 << full.len().min(10)) {
            let keep = |s: usize, e: usize| {
                full.iter().position(|t| t.start == s && t.end == e).is_some_and(|k| k >= 10 || mask & (1 << k) != 0)
            };
            let want: Vec<Timex> = full.iter().filter(|t| keep(t.start, t.end)).cloned().collect();
            assert_eq!(tag_until_where(text, anchor, usize::MAX, keep), want, "mask {mask:b}");
        }
        for cut in (0..text.len()).step_by(7) {
            let keep = |s: usize, _: usize| s >= cut;
            let want: Vec<Timex> = full.iter().filter(|t| keep(t.start, t.end)).cloned().collect();
            assert_eq!(tag_until_where(text, anchor, usize::MAX, keep), want, "cut {cut}");
        }
    }

    #[test]
    fn values_are_written_as_format_would() {
        for y in [0, 7, 99, 999, 2024, 9999] {
            assert_eq!(fmt_year(y), Some(format!("{y:04}")));
            for m in [1u8, 9, 10, 12, 123] {
                assert_eq!(fmt_month(y, m), Some(format!("{y:04}-{m:02}")));
            }
        }
        assert_eq!((fmt_year(-1), fmt_year(10_000), fmt_month(10_000, 1)), (None, None, None));
        for date in [d(2024, 1, 5), d(2023, 12, 31), d(5, 10, 1), d(9999, 12, 31)] {
            let (y, m, day) = (date.year(), date.month(), date.day());
            assert_eq!(fmt_day(date), Some(format!("{y:04}-{m:02}-{day:02}")));
            let w = date.iso_week_date();
            assert_eq!(fmt_week(date), Some(format!("{:04}-W{:02}", w.year(), w.week())));
        }
        assert_eq!(fmt_day(d(-5, 1, 1)), None);
    }

    #[test]
    fn trigger_table_agrees_with_the_automaton() {
        let trig = TRIGGERS.as_ref().expect("trigger automaton builds");
        let mut words: Vec<String> = LEXICON.iter().map(|(w, _)| w.to_string()).collect();
        words.extend(["the", "of", "company", "fridays", "mayor", "sept", "2024", "x"].map(String::from));
        for w in words {
            for v in [w.clone(), w.to_ascii_uppercase(), format!("{}{}", w[..1].to_ascii_uppercase(), &w[1..])] {
                if !v.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    continue;
                }
                let text = format!("on {v} x");
                let (ws, we) = (3, 3 + v.len());
                let via_ac = we - ws >= 2 && trig.ac_trigger(&text, ws, we);
                assert_eq!(trig.is_trigger_word(&text, ws, we), via_ac, "{v:?}");
            }
        }
    }

    /// Friday 5 January 2024.
    fn fri() -> Date {
        d(2024, 1, 5)
    }

    fn find(text: &str, anchor: Option<Date>, needle: &str) -> Timex {
        let all = tag(text, anchor);
        all.iter()
            .find(|t| t.text == needle)
            .cloned()
            .unwrap_or_else(|| panic!("{needle:?} not tagged in {text:?}; got {all:#?}"))
    }

    /// (text, anchor, expression, value, mod)
    type Case = (&'static str, Date, &'static str, Option<&'static str>, Option<&'static str>);

    fn check(cases: &[Case]) {
        let mut bad = Vec::new();
        for (text, anchor, expr, value, modifier) in cases {
            let all = tag(text, Some(*anchor));
            match all.iter().find(|t| t.text == *expr) {
                Some(t) if t.value.as_deref() == *value && t.modifier == *modifier => {}
                Some(t) => bad.push(format!("{expr:?} in {text:?} ({anchor}): want {value:?} {modifier:?}, got {t:?}")),
                None => bad.push(format!("{expr:?} not tagged in {text:?}; got {all:?}")),
            }
        }
        assert!(bad.is_empty(), "{} failures:\n{}", bad.len(), bad.join("\n"));
    }

    #[test]
    fn explicit_dates() {
        check(&[
            ("The attack on 5 Jan 2024 killed two.", fri(), "5 Jan 2024", Some("2024-01-05"), None),
            ("It happened on January 5, 2024, officials said.", fri(), "January 5, 2024", Some("2024-01-05"), None),
            ("Police found the missile on Jan. 3.", fri(), "Jan. 3", Some("2024-01-03"), None),
            ("The strike on Dec. 28 killed a commander.", d(2024, 1, 3), "Dec. 28", Some("2023-12-28"), None),
            ("Talks will resume on Jan. 20.", d(2023, 12, 30), "Jan. 20", Some("2024-01-20"), None),
            ("The war began on Oct. 7.", fri(), "Oct. 7", Some("2023-10-07"), None),
            ("The war began on 7 October.", fri(), "7 October", Some("2023-10-07"), None),
            ("He was killed in January 2020 in Baghdad.", fri(), "January 2020", Some("2020-01"), None),
            ("The base was attacked in June.", fri(), "June", Some("2023-06"), None),
            ("Elections will be held in June.", fri(), "June", Some("2024-06"), None),
            ("Federal forces took control in October 2017.", fri(), "October 2017", Some("2017-10"), None),
            ("The group was defeated in 2017.", fri(), "2017", Some("2017"), None),
            ("The group was defeated in late 2017.", fri(), "late 2017", Some("2017"), Some("END")),
            ("Fighting has raged since 2014.", fri(), "2014", Some("2014"), None),
            ("It was built in the 1990s.", fri(), "the 1990s", Some("199"), None),
            ("It was built in the early 1990s.", fri(), "early 1990s", Some("199"), Some("START")),
            ("The memo is dated 2024-01-03.", fri(), "2024-01-03", Some("2024-01-03"), None),
            ("Attacks rose in mid-October.", fri(), "mid-October", Some("2023-10"), Some("MID")),
            ("More than 100 attacks since mid-October.", fri(), "mid-October", Some("2023-10"), Some("MID")),
            ("Prices fell in early January.", fri(), "early January", Some("2024-01"), Some("START")),
            ("The 19th century fort", fri(), "The 19th century", Some("18"), None),
            ("Troops arrived in the spring of 2009.", fri(), "the spring of 2009", Some("2009-SP"), None),
            ("Sales fell in the first quarter of 2009.", fri(), "the first quarter of 2009", Some("2009-Q1"), None),
            ("Profits rose in the fourth quarter.", fri(), "the fourth quarter", Some("2023-Q4"), None),
            ("He was born in '82.", fri(), "'82", Some("1982"), None),
            ("Fighting in the '90s", fri(), "the '90s", Some("199"), None),
            ("The 7/8/07 memo", fri(), "7/8/07", Some("2007-07-08"), None),
            ("It was signed on Friday, January 5, 2024.", fri(), "Friday, January 5, 2024", Some("2024-01-05"), None),
            ("Christmas Day attacks", fri(), "Christmas Day", Some("2023-12-25"), None),
            ("Between 2014 and 2016 the city was held.", fri(), "2016", Some("2016"), None),
        ]);
    }

    #[test]
    fn weekdays() {
        let sat = d(2024, 1, 6);
        let mon = d(2024, 1, 8);
        check(&[
            ("A drone hit the base on Friday.", fri(), "Friday", Some("2024-01-05"), None),
            ("A drone hit the base on Thursday.", fri(), "Thursday", Some("2024-01-04"), None),
            ("A drone hit the base Thursday.", sat, "Thursday", Some("2024-01-04"), None),
            ("Ministers will meet on Monday.", fri(), "Monday", Some("2024-01-08"), None),
            ("The vote is due to take place on Tuesday.", fri(), "Tuesday", Some("2024-01-09"), None),
            ("Talks are scheduled for Wednesday.", fri(), "Wednesday", Some("2024-01-10"), None),
            ("Police said on Monday that the attack killed two.", fri(), "Monday", Some("2024-01-01"), None),
            ("The militia said it would attack again on Sunday.", fri(), "Sunday", Some("2024-01-07"), None),
            ("The convoy was ambushed last Friday.", fri(), "last Friday", Some("2023-12-29"), None),
            ("The convoy was ambushed last Friday.", mon, "last Friday", Some("2024-01-05"), None),
            ("Talks resume next Monday.", fri(), "next Monday", Some("2024-01-08"), None),
            ("Explosions were heard Friday morning.", fri(), "Friday morning", Some("2024-01-05TMO"), None),
            ("Shelling continued Thursday night.", fri(), "Thursday night", Some("2024-01-04TNI"), None),
            ("Fighting intensified late Thursday.", fri(), "late Thursday", Some("2024-01-04"), Some("END")),
            ("On Saturday, rebels will hold a rally.", fri(), "Saturday", Some("2024-01-06"), None),
            ("On Wednesday rebels attacked a checkpoint.", fri(), "Wednesday", Some("2024-01-03"), None),
        ]);
    }

    #[test]
    fn relative_expressions() {
        check(&[
            ("The strike happened yesterday.", fri(), "yesterday", Some("2024-01-04"), None),
            ("The minister spoke today.", fri(), "today", Some("2024-01-05"), None),
            ("Talks resume tomorrow.", fri(), "tomorrow", Some("2024-01-06"), None),
            ("Sirens will sound tonight.", fri(), "tonight", Some("2024-01-05TNI"), None),
            ("Rockets were fired overnight.", fri(), "overnight", Some("2024-01-04TNI"), None),
            ("Rockets are fired overnight.", fri(), "overnight", Some("2024-01-05TNI"), None),
            ("Clashes erupted last night.", fri(), "last night", Some("2024-01-04TNI"), None),
            ("Protests began this morning.", fri(), "this morning", Some("2024-01-05TMO"), None),
            ("Five drones were downed last week.", fri(), "last week", Some("2023-W52"), None),
            ("Attacks surged this week.", fri(), "this week", Some("2024-W01"), None),
            ("Talks resume next week.", fri(), "next week", Some("2024-W02"), None),
            ("Talks resume next week.", fri(), "next week", Some("2024-W02"), None),
            ("Prices rose last month.", fri(), "last month", Some("2023-12"), None),
            ("A mine exploded earlier this month.", d(2024, 1, 28), "earlier this month", Some("2024-01"), None),
            ("Output fell this year.", fri(), "this year", Some("2024"), None),
            ("Output fell last year.", fri(), "last year", Some("2023"), None),
            ("Output will rise next year.", fri(), "next year", Some("2025"), None),
            ("Output fell in January last year.", fri(), "January last year", Some("2023-01"), None),
            (
                "A rocket hit the base. A day earlier, a drone was downed.",
                fri(),
                "A day earlier",
                Some("2024-01-04"),
                None,
            ),
            ("The attack on Jan. 2 was claimed two days later.", fri(), "two days later", Some("2024-01-04"), None),
            ("The clinic was bombed two days ago.", fri(), "two days ago", Some("2024-01-03"), None),
            ("The clinic was bombed three weeks ago.", fri(), "three weeks ago", Some("2023-12-15"), None),
            ("The clinic was bombed a year ago.", fri(), "a year ago", Some("2023"), None),
            ("The clinic was bombed years ago.", fri(), "years ago", Some("PAST_REF"), None),
            ("Attacks have risen in recent weeks.", fri(), "recent weeks", Some("PXW"), None),
            ("Militants recently seized the town.", fri(), "recently", Some("PAST_REF"), None),
            ("The town is now under army control.", fri(), "now", Some("PRESENT_REF"), None),
            (
                "The army took Mosul on Jan. 2. The following day, it entered Tal Afar.",
                fri(),
                "The following day",
                Some("2024-01-03"),
                None,
            ),
            ("They met on Jan. 2; the previous day, shells fell.", fri(), "the previous day", Some("2024-01-01"), None),
            ("Fighting resumed over the weekend.", d(2024, 1, 8), "the weekend", Some("2024-W01-WE"), None),
            ("Markets rose more than two years ago.", fri(), "more than two years ago", Some("2022"), Some("BEFORE")),
            ("A new curfew starts at 18:00 UTC.", fri(), "18:00 UTC", Some("2024-01-05T18:00Z"), None),
            (
                "The blast happened at 6:40 p.m. local time.",
                fri(),
                "6:40 p.m. local time",
                Some("2024-01-05T18:40"),
                None,
            ),
            (
                "The first attack came on Jan. 3 at 9 a.m., police said.",
                fri(),
                "9 a.m.",
                Some("2024-01-03T09:00"),
                None,
            ),
            (
                "The station went dark at 12:00 UTC Monday.",
                d(2024, 1, 9),
                "12:00 UTC Monday",
                Some("2024-01-08T12:00Z"),
                None,
            ),
            ("Troops left last summer.", fri(), "last summer", Some("2023-SU"), None),
            ("Losses in the last quarter hurt.", fri(), "the last quarter", Some("2023-Q4"), None),
            ("Debt rose at the end of last year.", fri(), "the end of last year", Some("2023"), Some("END")),
            (
                "Debt rose at the beginning of the year.",
                d(2024, 3, 1),
                "the beginning of the year",
                Some("2024"),
                Some("START"),
            ),
            ("Arms were seized earlier in the week.", fri(), "earlier in the week", Some("2024-W01"), None),
            (
                "The mosque was hit on Jan. 2. Hours later, a second blast.",
                fri(),
                "Hours later",
                Some("2024-01-02"),
                None,
            ),
            ("He founded it in 1984. One year later he was fired.", fri(), "One year later", Some("1985"), None),
            ("Logged at 2024-01-03T10:00:00Z by the sensor.", fri(), "2024-01-03T10", Some("2024-01-03"), None),
            ("The offensive, launched in the fall of 2023, stalled.", fri(), "the fall of 2023", Some("2023-FA"), None),
            ("Fighting eased in the spring.", d(2024, 7, 1), "the spring", Some("2024-SP"), None),
            (
                "Police closed the road late on Friday.",
                d(2024, 1, 6),
                "late on Friday",
                Some("2024-01-05"),
                Some("END"),
            ),
            ("The curfew will be lifted this weekend.", d(2024, 1, 3), "this weekend", Some("2024-W01-WE"), None),
            ("Fighters regrouped over the weekend.", d(2024, 1, 8), "the weekend", Some("2024-W01-WE"), None),
            ("The trial is set to begin on Wednesday.", d(2024, 1, 8), "Wednesday", Some("2024-01-10"), None),
            ("The handover should be completed in October.", d(2024, 6, 5), "October", Some("2024-10"), None),
            ("Reports will be filed in March.", d(2024, 1, 27), "March", Some("2024-03"), None),
            ("Attacks intensified in the third quarter.", d(2024, 8, 1), "the third quarter", Some("2024-Q3"), None),
            ("Attacks intensified in the fourth quarter.", d(2024, 1, 20), "the fourth quarter", Some("2023-Q4"), None),
            ("They met in the first half of 2023.", fri(), "the first half of 2023", Some("2023-H1"), None),
            (
                "The strike on Dec. 28 was claimed the following week.",
                d(2024, 1, 3),
                "the following week",
                Some("2024-W01"),
                None,
            ),
            ("It rose between September and October of 2007.", fri(), "September", Some("2007-09"), None),
            ("Talks are planned for August or September this year.", fri(), "August", Some("2024-08"), None),
        ]);
    }

    #[test]
    fn durations_and_sets() {
        check(&[
            (
                "The war has been raging for nearly three months.",
                fri(),
                "nearly three months",
                Some("P3M"),
                Some("APPROX"),
            ),
            ("The siege lasted three months.", fri(), "three months", Some("P3M"), None),
            ("A 48-hour ceasefire began.", fri(), "48-hour", Some("PT48H"), None),
            ("Curfew for 48 hours.", fri(), "48 hours", Some("PT48H"), None),
            ("He served two years.", fri(), "two years", Some("P2Y"), None),
            ("The conflict lasted for a decade.", fri(), "a decade", Some("P10Y"), None),
            ("Fighting over the past five years", fri(), "the past five years", Some("P5Y"), None),
            ("It lasted twenty-five days.", fri(), "twenty-five days", Some("P25D"), None),
            ("It lasted two and a half years.", fri(), "two and a half years", Some("P2.5Y"), None),
            ("It lasted a dozen years.", fri(), "a dozen years", Some("P12Y"), None),
            ("They waited for years.", fri(), "years", Some("PXY"), None),
            ("A three-day truce", fri(), "three-day", Some("P3D"), None),
            ("They waited more than six months.", fri(), "more than six months", Some("P6M"), Some("MORE_THAN")),
            ("They waited at least 10 days.", fri(), "at least 10 days", Some("P10D"), Some("EQUAL_OR_MORE")),
            ("Patrols go out every Friday.", fri(), "every Friday", Some("XXXX-WXX-5"), None),
            ("Shelling is a daily occurrence.", fri(), "daily", Some("P1D"), None),
            ("The council meets twice a week.", fri(), "twice a week", Some("P1W"), None),
            ("Decades-long conflict", fri(), "Decades-long", Some("PXDE"), None),
        ]);
        let t = find("The war has been raging for nearly three months.", Some(fri()), "nearly three months");
        assert_eq!(t.kind, TimexKind::Duration);
        assert_eq!(find("Patrols go out every Friday.", None, "every Friday").kind, TimexKind::Set);
    }

    #[test]
    fn false_positives() {
        let none = [
            "2,500 troops were deployed.",
            "About 1000 people fled.",
            "Under Resolution 2334 the council acted.",
            "7 killed in an attack.",
            "Officials may have known.",
            "Thousands joined a march through the city.",
            "The Sun reported the attack.",
            "Prime Minister May said the attack was cowardly.",
            "The mayor was injured.",
            "He paid $2000 for the car.",
            "The G20 summit.",
            "A 60-year-old man was killed.",
            "Flight 1549 landed safely.",
            "It rose 2.5 percent.",
            "Some 1500 soldiers took part.",
            "They earn $2 a day.",
            "Room 2012 was empty.",
            "March on, soldiers.",
            "The score was 3:1 at halftime.",
            "After the fall of Mosul, militants advanced.",
            "Shares continue to fall.",
            "About a quarter of the dealers closed.",
            "A second attack followed.",
            "He will return as soon as possible.",
            "The now-defunct militia disbanded.",
            "The China Daily newspaper reported it.",
            "Arab Spring protests spread.",
            "He was born in a village.",
        ];
        for text in none {
            let got = tag(text, Some(fri()));
            assert!(got.is_empty(), "{text:?} gave {got:#?}");
        }
    }

    #[test]
    fn no_anchor() {
        let t = find("A drone hit the base on Thursday.", None, "Thursday");
        assert_eq!((t.value, t.precision, t.basis), (None, Precision::Unknown, TimexBasis::Relative));
        let t = find("It was signed on 5 January 2024.", None, "5 January 2024");
        assert_eq!(
            (t.value.as_deref(), t.precision, t.basis),
            (Some("2024-01-05"), Precision::Day, TimexBasis::Explicit)
        );
        let t = find("The vote is today.", None, "today");
        assert_eq!((t.value, t.basis), (None, TimexBasis::Anchor));
        let t = find("It lasted three months.", None, "three months");
        assert_eq!(t.value.as_deref(), Some("P3M"));
    }

    #[test]
    fn fields_and_offsets() {
        let text = "Five drones were downed last week, officials said on Friday.";
        let v = tag(text, Some(fri()));
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].precision, v[0].basis), (Precision::Week, TimexBasis::Relative));
        assert_eq!(&text[v[1].start..v[1].end], "Friday");
        assert_eq!(v[1].tense, None, "same weekday needs no tense");
        let t = find("Ministers will meet on Monday.", Some(fri()), "Monday");
        assert_eq!(t.tense, Some(Tense::Future));
        let t = find("The minister spoke today.", Some(fri()), "today");
        assert_eq!(t.basis, TimexBasis::Anchor);
        let s = tag_sentence("It began on Thursday.", 100, Some(fri()));
        assert_eq!((s[0].start, s[0].end), (112, 120));
        let json = serde_json::to_string(&v[0]).unwrap_or_default();
        assert!(json.contains("\"precision\":\"week\"") && json.contains("\"kind\":\"date\""), "{json}");
    }

    #[test]
    fn unicode_and_typography() {
        let text = "Le 5 janvier… Attacks since mid\u{2011}October and in the \u{2019}90s; café 2019 – done.";
        let v = tag(text, Some(fri()));
        for t in &v {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
        assert!(v.iter().any(|t| t.value.as_deref() == Some("2023-10")), "{v:#?}");
        assert!(v.iter().any(|t| t.value.as_deref() == Some("199")), "{v:#?}");
    }

    fn arb_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            " ",
            "  ",
            ".",
            ",",
            "-",
            "'",
            "\u{2019}",
            "\u{2013}",
            "\n",
            "é",
            "日本",
            "\u{a0}",
            "Jan",
            "Jan.",
            "May",
            "March",
            "mid",
            "late",
            "early",
            "the",
            "last",
            "next",
            "this",
            "week",
            "weeks",
            "year",
            "years",
            "ago",
            "2024",
            "2,500",
            "1990s",
            "'90",
            "s",
            "3",
            "31",
            "12",
            ":",
            "/",
            "00",
            "a.m.",
            "p.m.",
            "UTC",
            "on",
            "Friday",
            "Fri",
            "today",
            "yesterday",
            "overnight",
            "nearly",
            "three",
            "months",
            "day",
            "and",
            "a",
            "half",
            "every",
            "twice",
            "in",
            "since",
            "of",
            "quarter",
            "first",
            "spring",
            "Christmas",
            "New",
            "Year",
            "Eve",
            "s",
            "hour",
            "-long",
            "old",
            "will",
            "said",
            "was",
            "recent",
            "now",
            "the past",
            "more than",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    fn check_invariants(text: &str, v: &[Timex]) {
        let mut last = 0;
        for t in v {
            assert!(t.start < t.end && t.end <= text.len(), "{t:?}");
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end), "{t:?}");
            assert!(t.start >= last, "overlap or disorder: {v:?}");
            assert_eq!(&text[t.start..t.end], t.text);
            last = t.end;
        }
    }

    proptest! {
        #[test]
        fn prop_tokens_invariants(text in arb_text(), y in 1i16..9999, m in 1i8..=12, day in 1i8..=28) {
            let v = tag(&text, Some(d(y, m, day)));
            check_invariants(&text, &v);
            let v = tag(&text, None);
            check_invariants(&text, &v);
        }

        #[test]
        fn prop_arbitrary_invariants(text in "\\PC{0,200}") {
            let v = tag(&text, Some(fri()));
            check_invariants(&text, &v);
        }

        #[test]
        fn prop_tag_until_where_is_the_filtered_tag(text in arb_text(), cut in 0usize..400, every in 1usize..4) {
            let full = tag(&text, Some(fri()));
            // Keep expressions by position and by order: both leave holes before kept ones.
            let keep = |s: usize, e: usize| {
                s >= cut || full.iter().position(|t| t.start == s && t.end == e).is_some_and(|k| k % every == 0)
            };
            let want: Vec<Timex> = full.iter().filter(|t| keep(t.start, t.end)).cloned().collect();
            prop_assert_eq!(tag_until_where(&text, Some(fri()), usize::MAX, keep), want);
        }

        #[test]
        fn prop_sentence_offsets(text in arb_text(), off in 0usize..10_000) {
            let a = tag(&text, Some(fri()));
            let b = tag_sentence(&text, off, Some(fri()));
            prop_assert_eq!(a.len(), b.len());
            for (x, y) in a.iter().zip(&b) {
                prop_assert_eq!(x.start + off, y.start);
            }
        }
    }

    #[test]
    fn extreme_anchors() {
        for a in [d(-9999, 1, 1), d(9999, 12, 31), d(0, 1, 1)] {
            let v = tag("last week, next year, in June, on Friday, Jan. 3, the 1990s, 5 days later, '82", Some(a));
            check_invariants("last week, next year, in June, on Friday, Jan. 3, the 1990s, 5 days later, '82", &v);
        }
    }
}
