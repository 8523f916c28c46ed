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
//! 1. **Triggers.** An Aho-Corasick automaton finds trigger words (months, weekdays, units,
//!    "today", "now", seasons, …) and a byte loop finds digit runs. Nothing else in the text is
//!    looked at, which keeps the tagger fast (hundreds of MB/s on news text).
//! 2. **Local parse.** Around each trigger a small window is tokenized and a hand-written
//!    grammar is tried at the few tokens left of the trigger; the leftmost parse that covers the
//!    trigger wins (longest at that start). Expressions never overlap.
//! 3. **Resolution.** The parse (`Sem`) is resolved against the anchor. Tense-sensitive
//!    expressions (weekdays, "in June", "Jan. 3", "the fourth quarter", "overnight", seasons)
//!    consult [`tense_near`]-style clause scanning; reference-relative expressions ("the following
//!    day", "two days later", "that day", a bare clock time) use the last day-precision date
//!    resolved earlier in the same `tag` call, falling back to the anchor.
//!
//! # Resolution conventions (newsroom English)
//! * Weekday, no "last/next/this": the anchor's own weekday is the anchor; otherwise future
//!   tense → next such day after the anchor, past or unknown tense → most recent before it
//!   (news mostly reports what happened). "last Friday" → strictly before, "next Friday" →
//!   strictly after, "this Friday" → this coming one (or the one just gone in past tense).
//! * Month without year ("in June"): past/unknown tense → most recent June not after the anchor
//!   month; future → next June not before it. Month and day without year ("Jan. 3"): the
//!   nearest year, with distances in the direction contradicting the tense counted triple.
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

use aho_corasick::{AhoCorasick, MatchKind};
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
    let mut out = Vec::new();
    let Some(ac) = TRIGGERS.as_ref() else { return out };
    let bytes = text.as_bytes();
    let mut words = ac.find_iter(text).peekable();
    let mut digit = next_digit_run(bytes, 0);
    let mut last_end = 0usize;
    let mut toks: Vec<Tok> = Vec::with_capacity(64);
    let mut refs = RefState { day: None, end: 0 };
    loop {
        // Next trigger at or after `last_end`: the earlier of the next word hit and digit run.
        while let Some(m) = words.peek() {
            if m.start() < last_end || !word_bounded(text, m.start(), m.end()) {
                words.next();
            } else {
                break;
            }
        }
        while let Some((s, _)) = digit {
            if s < last_end {
                digit = next_digit_run(bytes, last_end.max(s + 1));
            } else {
                break;
            }
        }
        let (ts, te) = match (words.peek().map(|m| (m.start(), m.end())), digit) {
            (Some(w), Some(d)) => {
                if w.0 <= d.0 {
                    words.next();
                    w
                } else {
                    digit = next_digit_run(bytes, d.1);
                    d
                }
            }
            (Some(w), None) => {
                words.next();
                w
            }
            (None, Some(d)) => {
                digit = next_digit_run(bytes, d.1);
                d
            }
            (None, None) => break,
        };
        if let Some((s, e, cand)) = parse_around(text, ts, te, last_end, &mut toks) {
            let tx = resolve(text, s, e, &cand, anchor, &refs);
            if tx.precision == Precision::Day && matches!(tx.kind, TimexKind::Date | TimexKind::Time) {
                if let Some(d) = tx.value.as_deref().and_then(parse_day_value) {
                    refs = RefState { day: Some(d), end: e };
                }
            }
            out.push(tx);
            last_end = e;
        }
    }
    out
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

/// Every expression the grammar can produce contains one of these words or a digit, so only
/// the neighbourhoods of these hits are tokenized.
const TRIGGER_WORDS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mondays",
    "tuesdays",
    "wednesdays",
    "thursdays",
    "fridays",
    "saturdays",
    "sundays",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "fortnight",
    "fortnights",
    "month",
    "months",
    "year",
    "years",
    "decade",
    "decades",
    "century",
    "centuries",
    "quarter",
    "quarters",
    "weekend",
    "weekends",
    "today",
    "tonight",
    "yesterday",
    "tomorrow",
    "overnight",
    "now",
    "currently",
    "nowadays",
    "presently",
    "recently",
    "recent",
    "lately",
    "soon",
    "present",
    "past",
    "future",
    "term",
    "morning",
    "afternoon",
    "evening",
    "night",
    "noon",
    "midnight",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "daily",
    "weekly",
    "monthly",
    "yearly",
    "annually",
    "annual",
    "hourly",
    "nightly",
    "christmas",
    "q1",
    "q2",
    "q3",
    "q4",
    "half",
];

static TRIGGERS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder().ascii_case_insensitive(true).match_kind(MatchKind::LeftmostLongest).build(TRIGGER_WORDS).ok()
});

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// A hit counts only as a whole word ("May" but not "Mayor", "day" but not "holiday").
fn word_bounded(text: &str, s: usize, e: usize) -> bool {
    let before = text.get(..s).and_then(|t| t.chars().next_back());
    let after = text.get(e..).and_then(|t| t.chars().next());
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// The next run of ASCII digits starting a token at or after `from` (digits glued to letters,
/// as in "G20" or "F16", are not triggers).
fn next_digit_run(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while i < b.len() {
        let c = b.get(i).copied().unwrap_or(0);
        if c.is_ascii_digit() {
            let glued = i > 0 && b.get(i - 1).is_some_and(|p| p.is_ascii_alphabetic());
            let mut j = i;
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            if !glued {
                return Some((i, j));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    None
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

/// Lower-cases into a stack buffer and looks the word up. Words longer than the longest
/// lexicon entry are unknown.
fn classify(word: &str) -> W {
    let b = word.as_bytes();
    if b.len() > 14 || !b.iter().all(u8::is_ascii_alphabetic) {
        return W::None;
    }
    let mut buf = [0u8; 14];
    for (d, s) in buf.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    let l = buf.get(..b.len()).unwrap_or(&[]);
    use Kw::*;
    use Unit as U;
    let k = |k: Kw| W::Kw(k);
    match l {
        b"january" => W::Month(1),
        b"february" => W::Month(2),
        b"march" => W::Month(3),
        b"april" => W::Month(4),
        b"may" => W::Month(5),
        b"june" => W::Month(6),
        b"july" => W::Month(7),
        b"august" => W::Month(8),
        b"september" => W::Month(9),
        b"october" => W::Month(10),
        b"november" => W::Month(11),
        b"december" => W::Month(12),
        b"jan" => W::MonAbbr(1),
        b"feb" => W::MonAbbr(2),
        b"mar" => W::MonAbbr(3),
        b"apr" => W::MonAbbr(4),
        b"jun" => W::MonAbbr(6),
        b"jul" => W::MonAbbr(7),
        b"aug" => W::MonAbbr(8),
        b"sep" | b"sept" => W::MonAbbr(9),
        b"oct" => W::MonAbbr(10),
        b"nov" => W::MonAbbr(11),
        b"dec" => W::MonAbbr(12),
        b"monday" => W::Wday(1),
        b"tuesday" => W::Wday(2),
        b"wednesday" => W::Wday(3),
        b"thursday" => W::Wday(4),
        b"friday" => W::Wday(5),
        b"saturday" => W::Wday(6),
        b"sunday" => W::Wday(7),
        b"mondays" => W::Wdays(1),
        b"tuesdays" => W::Wdays(2),
        b"wednesdays" => W::Wdays(3),
        b"thursdays" => W::Wdays(4),
        b"fridays" => W::Wdays(5),
        b"saturdays" => W::Wdays(6),
        b"sundays" => W::Wdays(7),
        b"mon" => W::WdayAbbr(1),
        b"tue" | b"tues" => W::WdayAbbr(2),
        b"wed" => W::WdayAbbr(3),
        b"thu" | b"thur" | b"thurs" => W::WdayAbbr(4),
        b"fri" => W::WdayAbbr(5),
        b"sat" => W::WdayAbbr(6),
        b"sun" => W::WdayAbbr(7),
        b"second" => W::Unit(U::Second, false),
        b"seconds" | b"secs" => W::Unit(U::Second, true),
        b"minute" | b"min" => W::Unit(U::Minute, false),
        b"minutes" | b"mins" => W::Unit(U::Minute, true),
        b"hour" | b"hr" => W::Unit(U::Hour, false),
        b"hours" | b"hrs" => W::Unit(U::Hour, true),
        b"day" => W::Unit(U::Day, false),
        b"days" => W::Unit(U::Day, true),
        b"week" => W::Unit(U::Week, false),
        b"weeks" => W::Unit(U::Week, true),
        b"fortnight" => W::Unit(U::Fortnight, false),
        b"fortnights" => W::Unit(U::Fortnight, true),
        b"month" => W::Unit(U::Month, false),
        b"months" => W::Unit(U::Month, true),
        b"quarter" => W::Unit(U::Quarter, false),
        b"quarters" => W::Unit(U::Quarter, true),
        b"year" => W::Unit(U::Year, false),
        b"years" => W::Unit(U::Year, true),
        b"decade" => W::Unit(U::Decade, false),
        b"decades" => W::Unit(U::Decade, true),
        b"century" => W::Unit(U::Century, false),
        b"centuries" => W::Unit(U::Century, true),
        b"zero" => W::Num(0),
        b"one" => W::Num(1),
        b"two" => W::Num(2),
        b"three" => W::Num(3),
        b"four" => W::Num(4),
        b"five" => W::Num(5),
        b"six" => W::Num(6),
        b"seven" => W::Num(7),
        b"eight" => W::Num(8),
        b"nine" => W::Num(9),
        b"ten" => W::Num(10),
        b"eleven" => W::Num(11),
        b"twelve" => W::Num(12),
        b"thirteen" => W::Num(13),
        b"fourteen" => W::Num(14),
        b"fifteen" => W::Num(15),
        b"sixteen" => W::Num(16),
        b"seventeen" => W::Num(17),
        b"eighteen" => W::Num(18),
        b"nineteen" => W::Num(19),
        b"twenty" => W::Num(20),
        b"thirty" => W::Num(30),
        b"forty" => W::Num(40),
        b"fifty" => W::Num(50),
        b"sixty" => W::Num(60),
        b"seventy" => W::Num(70),
        b"eighty" => W::Num(80),
        b"ninety" => W::Num(90),
        b"hundred" => W::Num(100),
        b"first" => W::Ord(1),
        b"third" => W::Ord(3),
        b"fourth" => W::Ord(4),
        b"fifth" => W::Ord(5),
        b"sixth" => W::Ord(6),
        b"seventh" => W::Ord(7),
        b"eighth" => W::Ord(8),
        b"ninth" => W::Ord(9),
        b"tenth" => W::Ord(10),
        b"eleventh" => W::Ord(11),
        b"twelfth" => W::Ord(12),
        b"thirteenth" => W::Ord(13),
        b"fourteenth" => W::Ord(14),
        b"fifteenth" => W::Ord(15),
        b"sixteenth" => W::Ord(16),
        b"seventeenth" => W::Ord(17),
        b"eighteenth" => W::Ord(18),
        b"nineteenth" => W::Ord(19),
        b"twentieth" => W::Ord(20),
        b"thirtieth" => W::Ord(30),
        b"spring" => W::Season(1),
        b"summer" => W::Season(2),
        b"autumn" | b"fall" => W::Season(3),
        b"winter" => W::Season(4),
        b"q1" => W::Quarter(1),
        b"q2" => W::Quarter(2),
        b"q3" => W::Quarter(3),
        b"q4" => W::Quarter(4),
        b"daily" | b"nightly" => W::Daily(U::Day),
        b"weekly" => W::Daily(U::Week),
        b"monthly" => W::Daily(U::Month),
        b"yearly" | b"annually" | b"annual" => W::Daily(U::Year),
        b"hourly" => W::Daily(U::Hour),
        b"today" => k(Today),
        b"tonight" => k(Tonight),
        b"yesterday" => k(Yesterday),
        b"tomorrow" => k(Tomorrow),
        b"overnight" => k(Overnight),
        b"now" => k(Now),
        b"currently" | b"presently" => k(Currently),
        b"nowadays" => k(Nowadays),
        b"recently" => k(Recently),
        b"recent" => k(Recent),
        b"lately" => k(Lately),
        b"soon" => k(Soon),
        b"present" => k(Present),
        b"past" => k(Past),
        b"future" => k(Future),
        b"term" | b"run" => k(Term),
        b"ago" => k(Ago),
        b"earlier" => k(Earlier),
        b"later" => k(Later),
        b"before" => k(Before),
        b"after" => k(After),
        b"last" => k(Last),
        b"next" => k(Next),
        b"this" => k(This),
        b"that" => k(That),
        b"these" => k(These),
        b"the" => k(The),
        b"coming" | b"upcoming" => k(Coming),
        b"previous" | b"preceding" | b"prior" => k(Previous),
        b"following" | b"subsequent" => k(Following),
        b"same" => k(Same),
        b"early" => k(Early),
        b"late" => k(Late),
        b"mid" => k(Mid),
        b"middle" => k(Middle),
        b"beginning" => k(Beginning),
        b"start" => k(Start),
        b"end" => k(End),
        b"of" => k(Of),
        b"morning" => k(Morning),
        b"afternoon" => k(Afternoon),
        b"evening" => k(Evening),
        b"night" => k(Night),
        b"noon" | b"midday" => k(Noon),
        b"midnight" => k(Midnight),
        b"every" => k(Every),
        b"each" => k(Each),
        b"other" => k(Other),
        b"per" => k(Per),
        b"once" => k(Once),
        b"twice" => k(Twice),
        b"thrice" => k(Thrice),
        b"times" => k(Times),
        b"a" => k(A),
        b"an" => k(An),
        b"half" => k(Half),
        b"and" => k(And),
        b"several" | b"few" | b"many" | b"dozens" | b"hundreds" | b"numerous" => k(Vague),
        b"couple" => k(Couple),
        b"some" => k(Some),
        b"dozen" => k(Dozen),
        b"nearly" | b"almost" => k(Nearly),
        b"about" | b"around" | b"approximately" | b"roughly" => k(About),
        b"over" => k(Over),
        b"more" => k(More),
        b"less" | b"fewer" => k(Less),
        b"than" => k(Than),
        b"under" => k(Under),
        b"least" => k(Least),
        b"most" => k(Most),
        b"up" => k(Up),
        b"at" => k(At),
        b"to" => k(To),
        b"in" => k(In),
        b"on" => k(On),
        b"since" => k(Since),
        b"by" => k(By),
        b"from" => k(From),
        b"until" | b"till" | b"til" => k(Until),
        b"during" => k(During),
        b"through" | b"throughout" => k(Through),
        b"within" => k(Within),
        b"for" => k(For),
        b"between" => k(Between),
        b"or" => k(Or),
        b"weekend" | b"weekends" => k(Weekend),
        b"christmas" => k(Christmas),
        b"eve" => k(Eve),
        b"new" => k(New),
        b"long" => k(Long),
        b"near" => k(Near),
        b"short" => k(Short),
        b"distant" => k(Distant),
        b"utc" => k(Utc),
        b"gmt" => k(Gmt),
        b"local" => k(Local),
        b"time" => k(Time),
        b"am" => k(Am),
        b"pm" => k(Pm),
        b"consecutive" | b"straight" | b"successive" | b"trading" | b"business" | b"working" | b"calendar"
        | b"additional" => k(Filler),
        b"full" | b"entire" | b"whole" => k(Whole),
        b"fiscal" | b"financial" => k(Fiscal),
        b"just" => k(Just),
        b"well" => k(Well),
        b"close" => k(Close),
        b"old" => k(Old),
        b"final" => k(Final),
        b"its" | b"their" | b"his" | b"her" | b"our" | b"s" => k(Possessive),
        b"being" => k(Being),
        b"people" | b"persons" | b"troops" | b"soldiers" | b"civilians" | b"fighters" | b"militants" | b"police"
        | b"policemen" | b"officers" | b"men" | b"women" | b"children" | b"residents" | b"refugees" | b"families"
        | b"homes" | b"houses" | b"buildings" | b"km" | b"kilometres" | b"kilometers" | b"miles" | b"metres"
        | b"meters" | b"feet" | b"tons" | b"tonnes" | b"dollars" | b"euros" | b"pounds" | b"rounds" | b"rockets"
        | b"missiles" | b"shells" | b"vehicles" | b"cars" | b"members" | b"votes" | b"seats" | b"jobs" | b"workers"
        | b"employees" | b"prisoners" | b"detainees" | b"deaths" | b"dead" | b"killed" | b"wounded" | b"injured"
        | b"casualties" | b"units" | b"cases" | b"barrels" | b"acres" | b"hectares" | b"points" | b"shares"
        | b"cattle" | b"strong" | b"km2" | b"sq" | b"square" | b"percent" => k(CountNoun),
        b"was" | b"is" | b"will" | b"saw" | b"has" | b"had" | b"marked" | b"brought" | b"became" | b"would"
        | b"could" | b"proved" | b"remains" | b"remained" => k(Verb),
        b"resolution" | b"no" | b"number" | b"flight" | b"route" | b"room" | b"article" | b"highway" | b"section"
        | b"law" | b"decree" | b"item" | b"code" | b"model" | b"page" | b"line" | b"bus" | b"chapter"
        | b"paragraph" | b"rule" | b"bill" | b"grade" | b"level" | b"type" | b"version" | b"series" | b"batch"
        | b"lot" | b"nos" | b"vol" | b"p" | b"pp" | b"tel" | b"fax" | b"box" => k(Blocker),
        _ => W::None,
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
fn tokenize(text: &str, ws: usize, we: usize, out: &mut Vec<Tok>) {
    out.clear();
    let b = text.as_bytes();
    let mut i = ws;
    let mut sp = true;
    // A window that starts inside a word skips the partial word.
    if i > 0 && text.get(..i).and_then(|t| t.chars().next_back()).is_some_and(is_word_char) {
        while i < we {
            match text.get(i..).and_then(|t| t.chars().next()) {
                Some(c) if is_word_char(c) => i += c.len_utf8(),
                _ => break,
            }
        }
    }
    while i < we {
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else { break };
        if c.is_whitespace() {
            sp = true;
            i += c.len_utf8();
            continue;
        }
        if is_word_char(c) {
            let start = i;
            let digit_start = c.is_ascii_digit();
            let mut all_digits = digit_start;
            let mut j = i;
            while j < we {
                match text.get(j..).and_then(|t| t.chars().next()) {
                    Some(ch) if is_word_char(ch) => {
                        if !ch.is_ascii_digit() {
                            all_digits = false;
                        }
                        j += ch.len_utf8();
                    }
                    // Thousands separator: "2,500" but not "5,2024" or "1,2".
                    Some(',') if all_digits => {
                        let grp = b.get(j + 1..j + 4).is_some_and(|g| g.iter().all(u8::is_ascii_digit));
                        let after = b.get(j + 4).is_some_and(u8::is_ascii_digit);
                        if grp && !after {
                            j += 4;
                        } else {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            let word = text.get(start..j).unwrap_or("");
            let k = if digit_start { TK::Num(parse_num(word)) } else { TK::Word(classify(word)) };
            out.push(Tok { s: start, e: j, k, cap: c.is_uppercase(), sp });
            sp = false;
            i = j;
            continue;
        }
        out.push(Tok { s: i, e: i + c.len_utf8(), k: TK::Punct(fold_punct(c)), cap: false, sp });
        sp = false;
        i += c.len_utf8();
    }
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
const LEFT: usize = 90;
const RIGHT: usize = 110;
/// How many tokens left of the trigger an expression may start ("more than two and a half years").
const MAX_LEFT_TOKENS: usize = 8;

/// Tokenizes the window around the trigger `[ts, te)` and returns the leftmost parse that starts
/// at or after `min_start` and covers the trigger.
fn parse_around(
    text: &str,
    ts: usize,
    te: usize,
    min_start: usize,
    toks: &mut Vec<Tok>,
) -> Option<(usize, usize, Cand)> {
    let ws = floor_boundary(text, ts.saturating_sub(LEFT));
    let mut we = ceil_boundary(text, te.saturating_add(RIGHT));
    // Finish the word the window end cut, within reason.
    let lim = ceil_boundary(text, we.saturating_add(32));
    while we < lim {
        match text.get(we..).and_then(|t| t.chars().next()) {
            Some(c) if is_word_char(c) => we += c.len_utf8(),
            _ => break,
        }
    }
    tokenize(text, ws, we, toks);
    let k = toks.iter().position(|t| t.s <= ts && ts < t.e)?;
    let p = P { t: toks, text };
    for i in k.saturating_sub(MAX_LEFT_TOKENS)..=k {
        let Some(tok) = toks.get(i) else { continue };
        if tok.s < min_start {
            continue;
        }
        if let Some(c) = p.parse_at(i) {
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
                W::Season(_) => consider(self.season(i, sig)),
                W::Quarter(_) | W::Ord(_) | W::Kw(Kw::Final) => consider(self.quarter(i)),
                W::Num(_) => consider(self.century(i)),
                W::Kw(Kw::The) => {
                    consider(self.day_month(i));
                    consider(self.year_forms(i, sig));
                    consider(self.century(i));
                    consider(self.season(i, sig));
                    consider(self.quarter(i));
                    consider(self.rel_forms(i));
                    consider(self.holiday(i));
                }
                W::Kw(Kw::Christmas | Kw::New) => consider(self.holiday(i)),
                W::Kw(_) => {
                    consider(self.rel_forms(i));
                    consider(self.season(i, sig));
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
        if [a, b, c].iter().any(|n| n.sep || n.suf != Suf::None) {
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
        if sig {
            return Some(cand(e, Sem::Month { y: YearSpec::Infer, m, rel: Rel::None }));
        }
        if m == 5
            || m == 3
            || (self.is_word(e) && self.cap(e))
            || self.prev(i) == W::None && self.is_word(i.wrapping_sub(1))
        {
            return None;
        }
        Some(cand(e, Sem::Month { y: YearSpec::Infer, m, rel: Rel::None }))
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
                sig || strong || (plausible && matches!(c, '.' | ',' | ';' | ':' | ')' | '!' | '?' | '"' | '-'))
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
                (sig && (cap || y % 100 != 0)) || (det && y % 100 != 0) || (cap && sig)
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
    fn season(&self, i: usize, sig: bool) -> Option<Cand> {
        let mut j = i;
        let mut rel = Rel::None;
        let mut gated = sig;
        if self.kw(j, Kw::The) {
            j += 1;
            gated = true;
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
        if !gated || (self.cap(j) && rel == Rel::None && y == YearSpec::Infer && !self.kw(i, Kw::The)) {
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
                // "the end of the year/month/week": the current one.
                if self.kw(j, Kw::The) {
                    if let W::Unit(u @ (Unit::Week | Unit::Month | Unit::Year | Unit::Decade), false) = self.w(j + 1) {
                        return unit_rel(u, 0).map(|s| Cand { modifier: Some(m), ..cand(j + 2, s) });
                    }
                }
                (m, j)
            }
            _ => return None,
        };
        // "early in 2017"? No: keep the modifier next to its point. "late on Friday" → skip "on".
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
        if self.kw(e, Kw::Filler) || self.kw(e, Kw::Whole) {
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
        if self.kw(e, Kw::Ago) {
            return Some(cand(e + 1, Sem::Ago { amt: None, unit }));
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
            || matches!(self.prev(i), W::Kw(Kw::For | Kw::Over | Kw::Within | Kw::Through | Kw::Recent | Kw::Vague));
        ok.then_some(cand(e, Sem::Dur { amt: None, unit }))
    }

    /// "every Friday", "each year", "daily", "weekly", "twice a week", "on Fridays".
    fn set(&self, i: usize) -> Option<Cand> {
        match self.w(i) {
            W::Daily(u) => {
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
                    if !hrs && !self.t.get(i).is_some_and(|t| self.text.as_bytes().get(t.s) == Some(&b'0')) {
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
        // A day right after the time.
        let k = if self.p(e, ',') { e + 1 } else { e };
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
            W::Kw(Kw::Now | Kw::Currently | Kw::Nowadays) => r(i + 1, "PRESENT_REF"),
            W::Kw(Kw::Present) if matches!(self.prev(i), W::Kw(Kw::At)) => r(i + 1, "PRESENT_REF"),
            W::Kw(Kw::Recently | Kw::Lately | Kw::Recent) => r(i + 1, "PAST_REF"),
            W::Kw(Kw::Soon) => r(i + 1, "FUTURE_REF"),
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

/// The last day-precision date resolved in this `tag` call and where it ended: the reference
/// time for "the following day", "two days later", "that day", a bare "18:00 UTC".
struct RefState {
    day: Option<Date>,
    end: usize,
}

struct Resolver<'a> {
    text: &'a str,
    s: usize,
    e: usize,
    anchor: Option<Date>,
    refs: &'a RefState,
    tense: Option<Option<Tense>>,
    used: Option<Tense>,
}

/// A resolved value: (value, precision, basis).
type Val = (String, Precision, TimexBasis);

impl Resolver<'_> {
    /// The clause tense, computed once and recorded as used.
    fn tense(&mut self) -> Option<Tense> {
        let t = *self.tense.get_or_insert_with(|| clause_tense(self.text, self.s, self.e));
        self.used = t;
        t
    }

    /// The reference date: the last day mentioned before, else the anchor.
    fn reference(&self) -> Option<Date> {
        self.refs.day.or(self.anchor)
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
                            Rel::None => match self.tense() {
                                Some(Tense::Future) => ay + i32::from(m < am),
                                _ => ay - i32::from(m > am),
                            },
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
                            Rel::This | Rel::None => match self.tense() {
                                Some(Tense::Future) => fwd,
                                _ if rel == Rel::This && back != cur => fwd,
                                _ => back,
                            },
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
                let base = self.reference()?;
                shift_point(base, unit, i64::from(n) * 10)
            }
            Sem::Ago { amt, unit } => match amt {
                None => Some(("PAST_REF".into(), Pr::Unknown, B::Relative)),
                Some(t) => shift_point(a?, unit, -i64::from(t)),
            },
            Sem::Shift { amt, unit, sign } => match amt {
                None if sign < 0 => Some(("PAST_REF".into(), Pr::Unknown, B::Relative)),
                None => Some(("FUTURE_REF".into(), Pr::Unknown, B::Relative)),
                Some(t) => shift_point(self.reference()?, unit, i64::from(sign) * i64::from(t)),
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
                let same_sentence = self.refs.day.is_some()
                    && self
                        .text
                        .get(self.refs.end..self.s)
                        .is_some_and(|gap| !gap.contains(". ") && !gap.contains('\n'));
                let base = if same_sentence { self.refs.day } else { a };
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
                let y = match self.tense() {
                    Some(Tense::Future) => ay + i32::from(n < cur),
                    _ => ay - i32::from(n > cur),
                };
                (y, TimexBasis::Relative)
            }
        })
    }
}

fn resolve(text: &str, s: usize, e: usize, c: &Cand, anchor: Option<Date>, refs: &RefState) -> Timex {
    let mut r = Resolver { text, s, e, anchor, refs, tense: None, used: None };
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
    Timex {
        start: s,
        end: e,
        text: text.get(s..e).unwrap_or("").to_string(),
        value,
        kind,
        precision,
        basis,
        modifier: c.modifier,
        tense: r.used,
    }
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

fn fmt_year(y: i32) -> Option<String> {
    (0..=9999).contains(&y).then(|| format!("{y:04}"))
}

fn fmt_month(y: i32, m: u8) -> Option<String> {
    Some(format!("{}-{m:02}", fmt_year(y)?))
}

fn fmt_day(d: Date) -> Option<String> {
    Some(format!("{}-{:02}-{:02}", fmt_year(i32::from(d.year()))?, d.month(), d.day()))
}

fn fmt_week(d: Date) -> Option<String> {
    let w = d.iso_week_date();
    Some(format!("{}-W{:02}", fmt_year(i32::from(w.year()))?, w.week()))
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
const TENSE_SCAN: usize = 240;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Word(Option<Tense>),
    /// Comma, semicolon, colon, bracket, quote, or a subordinating word ("that", "which", "when").
    Clause,
    Sentence,
}

/// The tense of the clause around `[s, e)`: the nearest tense cue, first within the clause
/// (commas and "that/which/when/…" delimit it), then within the sentence; left wins ties.
///
/// Future cues: will, 'll, shall, would, won't, going, plans/planned/planning, expected,
/// expects, due, scheduled, slated, upcoming, intends, aims, hopes, may, might, next, coming,
/// tomorrow, soon. Past cues: was, were, had, has, have, been, did, said, told, ago, last,
/// yesterday, since, earlier, common irregular past forms (took, fled, struck, …) and words in
/// -ed (except adjectival ones such as "armed", "alleged", and participles right after "be":
/// "will be held" is decided by "will"). Present forms ("is", "says") are no cue.
fn clause_tense(text: &str, s: usize, e: usize) -> Option<Tense> {
    let lo = floor_boundary(text, s.saturating_sub(TENSE_SCAN));
    let hi = floor_boundary(text, e.saturating_add(TENSE_SCAN));
    let left = scan_items(text, lo, s);
    let right = scan_items(text, e, hi);
    let nearest = |clause_only: bool| -> Option<Tense> {
        let mut l = None;
        for (d, it) in left.iter().rev().enumerate() {
            match it {
                Item::Sentence => break,
                Item::Clause if clause_only => break,
                Item::Word(Some(t)) => {
                    l = Some((d, *t));
                    break;
                }
                _ => {}
            }
        }
        let mut r = None;
        for (d, it) in right.iter().enumerate() {
            match it {
                Item::Sentence => break,
                Item::Clause if clause_only => break,
                Item::Word(Some(t)) => {
                    r = Some((d, *t));
                    break;
                }
                _ => {}
            }
        }
        match (l, r) {
            (Some((dl, tl)), Some((dr, tr))) => Some(if dl <= dr { tl } else { tr }),
            (Some((_, t)), None) | (None, Some((_, t))) => Some(t),
            (None, None) => None,
        }
    };
    nearest(true).or_else(|| nearest(false))
}

fn scan_items(text: &str, lo: usize, hi: usize) -> Vec<Item> {
    let b = text.as_bytes();
    let mut items = Vec::with_capacity(48);
    let mut i = lo;
    // Skip a partial word at the start.
    while i < hi
        && b.get(i).is_some_and(u8::is_ascii_alphabetic)
        && i > 0
        && b.get(i - 1).is_some_and(u8::is_ascii_alphabetic)
    {
        i += 1;
    }
    let mut prev_be = 0u8; // words since "be"/"been"/"being" (0 = none)
    let mut last_word_len = 0usize;
    let mut last_word_cap = false;
    while i < hi {
        let c = b.get(i).copied().unwrap_or(b' ');
        if c.is_ascii_alphabetic() {
            let st = i;
            while i < hi && b.get(i).is_some_and(u8::is_ascii_alphabetic) {
                i += 1;
            }
            let w = b.get(st..i).unwrap_or(&[]);
            let mut buf = [0u8; 16];
            let lw = if w.len() <= 16 {
                for (d, s) in buf.iter_mut().zip(w) {
                    *d = s.to_ascii_lowercase();
                }
                buf.get(..w.len()).unwrap_or(&[])
            } else {
                &[][..]
            };
            // "won't" is "will not", not the past of "win".
            let wont = lw == b"won" && matches!(text.get(i..).map(|r| r.as_bytes()), Some([b'\'', b't', ..]))
                || lw == b"won" && text.get(i..).is_some_and(|r| r.starts_with("\u{2019}t"));
            let mut cue = if wont { Some(Tense::Future) } else { word_cue(lw) };
            if matches!(lw, b"be" | b"being" | b"is" | b"are" | b"am") {
                prev_be = 1;
            } else if prev_be > 0 {
                // A participle right after "be"/"is" ("will be held", "are fired") takes its
                // tense from the auxiliary, not from its -ed form.
                if cue == Some(Tense::Past) && !is_past_aux(lw) {
                    cue = None;
                }
                prev_be = if prev_be >= 2 { 0 } else { prev_be + 1 };
            }
            if is_clause_word(lw) {
                items.push(Item::Clause);
            } else {
                items.push(Item::Word(cue));
            }
            last_word_len = w.len();
            last_word_cap = w.first().is_some_and(u8::is_ascii_uppercase);
            continue;
        }
        match c {
            b',' | b';' | b':' | b'(' | b')' | b'"' => items.push(Item::Clause),
            b'\n' => items.push(Item::Sentence),
            b'.' | b'!' | b'?' => {
                let next_ws = b.get(i + 1).is_none_or(|n| n.is_ascii_whitespace());
                let next_upper = b.get(i + 2).is_none_or(|n| n.is_ascii_uppercase() || *n == b'"');
                // "U.S. Army", "Jan. 3", "Mr. Smith" are not sentence ends.
                let abbrev = c == b'.' && last_word_cap && last_word_len <= 3;
                if next_ws && (c != b'.' || (next_upper && !abbrev)) {
                    items.push(Item::Sentence);
                }
            }
            0xE2 => {
                // Curly quotes and dashes delimit clauses.
                if let Some(ch) = text.get(i..).and_then(|r| r.chars().next()) {
                    if matches!(ch, '\u{201C}' | '\u{201D}' | '\u{2014}') {
                        items.push(Item::Clause);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    items
}

fn is_past_aux(w: &[u8]) -> bool {
    matches!(w, b"was" | b"were" | b"had" | b"has" | b"have" | b"been" | b"did" | b"said" | b"told")
}

fn is_clause_word(w: &[u8]) -> bool {
    matches!(
        w,
        b"that"
            | b"which"
            | b"who"
            | b"whom"
            | b"but"
            | b"while"
            | b"because"
            | b"although"
            | b"though"
            | b"whereas"
            | b"when"
            | b"where"
            | b"whether"
            | b"if"
    )
}

fn word_cue(w: &[u8]) -> Option<Tense> {
    match w {
        b"will" | b"shall" | b"ll" | b"would" | b"going" | b"plans" | b"plan" | b"planned" | b"planning"
        | b"expected" | b"expects" | b"expect" | b"due" | b"scheduled" | b"slated" | b"upcoming" | b"intends"
        | b"intend" | b"aims" | b"hopes" | b"may" | b"might" | b"next" | b"coming" | b"tomorrow" | b"soon"
        | b"await" | b"awaits" | b"awaiting" | b"pending" | b"proposed" | b"forthcoming" | b"postponed"
        | b"delayed" | b"rescheduled" | b"until" => Some(Tense::Future),
        b"was" | b"were" | b"had" | b"has" | b"have" | b"been" | b"did" | b"said" | b"told" | b"ago" | b"last"
        | b"yesterday" | b"since" | b"earlier" | b"took" | b"came" | b"went" | b"made" | b"gave" | b"saw"
        | b"began" | b"fled" | b"struck" | b"fell" | b"left" | b"met" | b"held" | b"sent" | b"found" | b"brought"
        | b"fought" | b"led" | b"won" | b"lost" | b"stole" | b"threw" | b"wrote" | b"spoke" | b"broke" | b"rose"
        | b"drove" | b"flew" | b"ran" | b"got" | b"kept" | b"became" | b"blew" | b"chose" | b"knew" | b"thought"
        | b"heard" | b"paid" | b"sold" | b"built" | b"caught" | b"felt" | b"stood" | b"spent" | b"shot"
        | b"overran" | b"withdrew" | b"shook" | b"sank" | b"sought" | b"arose" | b"bought" | b"drew" | b"hid"
        | b"hung" | b"laid" | b"lit" | b"meant" | b"rode" | b"rang" | b"slew" | b"swept" | b"swore" | b"tore"
        | b"undertook" | b"upheld" | b"wore" | b"ate" | b"bit" | b"bled" | b"dug" | b"fed" | b"fired" | b"grew"
        | b"lay" | b"sat" | b"sang" | b"shut" | b"spun" | b"taught" | b"understood" | b"woke" | b"wrecked"
        | b"announced" | b"claimed" => Some(Tense::Past),
        _ if w.len() >= 5 && w.ends_with(b"ed") && !is_adjectival_ed(w) => Some(Tense::Past),
        _ => None,
    }
}

/// "-ed" words that are mostly adjectives or not verbs at all.
fn is_adjectival_ed(w: &[u8]) -> bool {
    matches!(
        w,
        b"indeed"
            | b"speed"
            | b"proceed"
            | b"succeed"
            | b"exceed"
            | b"breed"
            | b"creed"
            | b"greed"
            | b"hundred"
            | b"hundreds"
            | b"kindred"
            | b"sacred"
            | b"naked"
            | b"wicked"
            | b"armed"
            | b"alleged"
            | b"suspected"
            | b"unidentified"
            | b"unnamed"
            | b"united"
            | b"limited"
            | b"related"
            | b"based"
            | b"concerned"
            | b"detailed"
            | b"advanced"
            | b"interested"
            | b"experienced"
            | b"so-called"
            | b"called"
            | b"skilled"
            | b"qualified"
            | b"sustained"
            | b"coordinated"
            | b"organized"
            | b"organised"
            | b"renewed"
            | b"backed"
            | b"linked"
            | b"affiliated"
            | b"allied"
            | b"disputed"
            | b"occupied"
            | b"embattled"
            | b"displaced"
            | b"injured"
            | b"wounded"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        jiff::civil::date(y, m, day)
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
