//! Date parsing and publication-date discovery.
//!
//! * [`parse_date`] parses a whole string that *is* a date (a header or JSON
//!   field).
//! * [`find_date`] finds the leftmost valid date inside a longer line
//!   (datelines, "Updated" lines).
//! * [`date_from_path`] reads a date from a bundle's file name or path.
//!
//! Only complete dates (day, month and year) are accepted, years must be in
//! 1900–2100 and calendar validity is checked with jiff (no Feb 30). A weekday
//! name is accepted but never checked against the date: sources get weekdays
//! wrong more often than dates. Ambiguous numeric forms such as `05/01/2024`
//! are not guessed at.

use std::sync::LazyLock;

use jiff::civil::{Date, Time};
use jiff::tz::Offset;
use jiff::Timestamp;
use regex::{Captures, Regex};

/// A date parsed from text, with the time of day and UTC offset when given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedDate {
    pub date: Date,
    pub time: Option<Time>,
    pub offset: Option<Offset>,
}

impl ParsedDate {
    /// `YYYY-MM-DD`.
    pub fn date_string(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.date.year(), self.date.month(), self.date.day())
    }

    /// `HH:MM:SS` when a time is known.
    pub fn time_string(&self) -> Option<String> {
        self.time.map(|t| format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second()))
    }

    /// `+HH:MM` when an offset is known (seconds are dropped).
    pub fn offset_string(&self) -> Option<String> {
        self.offset.map(|o| {
            let secs = o.seconds();
            let sign = if secs < 0 { '-' } else { '+' };
            let abs = secs.unsigned_abs();
            format!("{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60)
        })
    }
}

/// A date found inside a longer text, with its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateMatch {
    pub parsed: ParsedDate,
    pub start: usize,
    pub end: usize,
}

const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2100;

// Pieces of the patterns. ASCII digits only (`\d` would accept other scripts'
// digits, which `str::parse` then rejects anyway).
const MONTH: &str = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const WEEKDAY: &str =
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?,?\s+)?";
// An optional time after a date: "10:00:00 +0000", ", 6:48 AM", " at 14:02 GMT",
// "T10:00:00.123Z", "6 pm". `H`+`ap2` is the minute-less am/pm form.
const TIME: &str = r"(?:(?:\s*[,|]\s*|\s+-\s+|\s+at\s+|\s+|T)(?:(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:[.,][0-9]{1,9})?)?\s*(?P<ap>[ap]\.?\s?m\.?)?|(?P<H2>[0-9]{1,2})\s*(?P<ap2>[ap]\.?\s?m\.?))(?:\s*(?P<tz>(?:UTC|GMT)?\s?[+-][0-9]{1,2}(?::?[0-9]{2})?|Z|UTC|GMT|UT|[ECMP][SD]T))?)?";

/// Numeric year-first: `2024-01-05`, `2024/01/05`, `2024.01.05`, with an
/// optional ISO/RFC 3339 time.
static RE_YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)(?P<y>[0-9]{{4}})(?P<s1>[-/.])(?P<m>[0-9]{{1,2}})(?P<s2>[-/.])(?P<d>[0-9]{{1,2}}){TIME}"))
        .expect("static date regex")
});

/// Numeric day-first with dots: `05.01.2024` (the European convention; slashes
/// are ambiguous between US and European order and are not accepted).
static RE_DMY_DOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)(?P<d>[0-9]{{1,2}})\.(?P<m>[0-9]{{1,2}})\.(?P<y>[0-9]{{4}}){TIME}"))
        .expect("static date regex")
});

/// Month name first: `Friday, January 5, 2024`, `Jan. 5 2024, 6:48 AM`.
static RE_MDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i){WEEKDAY}{MONTH}\.?(?:\s+|-)(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?(?:\s*,\s*|\s+|-)(?P<y>[0-9]{{4}}){TIME}"
    ))
    .expect("static date regex")
});

/// Day first: `5 January 2024`, `Fri, 05 Jan 2024 10:00:00 +0000`, `5-Jan-2024`.
static RE_DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i){WEEKDAY}(?:the\s+)?(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?(?:\s+of\s+|\s+|-)(?:{MONTH})\.?(?:\s*,\s*|\s+|-)(?P<y>[0-9]{{4}}){TIME}"
    ))
    .expect("static date regex")
});

fn month_number(name: &str) -> Option<i8> {
    let prefix: String = name.chars().take(3).flat_map(char::to_lowercase).collect();
    Some(match prefix.as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    })
}

fn make_date(y: i32, m: i32, d: i32) -> Option<Date> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return None;
    }
    Date::new(i16::try_from(y).ok()?, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

fn num(caps: &Captures<'_>, name: &str) -> Option<i32> {
    caps.name(name)?.as_str().parse().ok()
}

/// Parses a time-zone designator: `Z`, `UTC`, `GMT+3`, `+0000`, `-05:00`,
/// and the US zone abbreviations RFC 2822 allows.
fn parse_offset(tz: &str) -> Option<Offset> {
    let tz = tz.trim();
    let upper = tz.to_ascii_uppercase();
    let hours = match upper.as_str() {
        "Z" | "UT" | "UTC" | "GMT" => Some(0),
        "EST" | "CDT" => Some(-5),
        "EDT" => Some(-4),
        "CST" => Some(-6),
        "MST" => Some(-7),
        "MDT" => Some(-6),
        "PST" => Some(-8),
        "PDT" => Some(-7),
        _ => None,
    };
    if let Some(h) = hours {
        return Offset::from_seconds(h * 3600).ok();
    }
    // Numeric, possibly after UTC/GMT: "+03", "+0300", "+03:00", "UTC+3".
    let numeric = upper.trim_start_matches("UTC").trim_start_matches("GMT").trim_start();
    let (sign, rest) = match numeric.as_bytes().first()? {
        b'+' => (1, &numeric[1..]),
        b'-' => (-1, &numeric[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let (h, m): (i32, i32) = match digits.len() {
        1 | 2 => (digits.parse().ok()?, 0),
        3 => (digits[..1].parse().ok()?, digits[1..].parse().ok()?),
        4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        _ => return None,
    };
    if h > 18 || m > 59 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

/// Reads the optional time/offset groups. An impossible time (25:00) is
/// dropped rather than rejecting the whole date.
fn parse_time(caps: &Captures<'_>) -> (Option<Time>, Option<Offset>) {
    let (hour, minute, second, ap) = if let Some(h) = num(caps, "H") {
        (h, num(caps, "M").unwrap_or(0), num(caps, "S").unwrap_or(0), caps.name("ap"))
    } else if let Some(h) = num(caps, "H2") {
        (h, 0, 0, caps.name("ap2"))
    } else {
        return (None, None);
    };
    let hour = match ap.map(|m| m.as_str().to_ascii_lowercase().starts_with('p')) {
        None => Some(hour),
        Some(_) if !(1..=12).contains(&hour) => None,
        Some(false) => Some(hour % 12),
        Some(true) => Some(hour % 12 + 12),
    };
    // A leap second is clamped: jiff's civil time has no second 60.
    let time = hour.and_then(|h| {
        Time::new(i8::try_from(h).ok()?, i8::try_from(minute).ok()?, i8::try_from(second.min(59)).ok()?, 0).ok()
    });
    let offset = match time {
        Some(_) => caps.name("tz").and_then(|m| parse_offset(m.as_str())),
        None => None,
    };
    (time, offset)
}

/// Validates one regex match; `None` when the date is impossible.
fn from_caps(caps: &Captures<'_>) -> Option<ParsedDate> {
    if let (Some(s1), Some(s2)) = (caps.name("s1"), caps.name("s2")) {
        if s1.as_str() != s2.as_str() {
            return None;
        }
    }
    let month = match caps.name("mon") {
        Some(name) => i32::from(month_number(name.as_str())?),
        None => num(caps, "m")?,
    };
    let date = make_date(num(caps, "y")?, month, num(caps, "d")?)?;
    let (time, offset) = parse_time(caps);
    Some(ParsedDate { date, time, offset })
}

/// True when the match is not glued to letters or digits on either side
/// (`x2024-01-05`, `2024-01-051`, `Janet 5, 2024`...).
fn well_bounded(text: &str, start: usize, end: usize) -> bool {
    let before_ok = text[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
    let after_ok = text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
    before_ok && after_ok
}

/// Validates one match. When the match is glued to a following word only
/// because of its optional tail (`10:00 Zelensky` read as zone `Z`, `2024 14
/// people`), retries with the haystack cut before the zone, then before the
/// time, so the date itself is still found.
fn candidate(re: &Regex, text: &str, caps: &Captures<'_>) -> Option<DateMatch> {
    let whole = caps.get(0)?;
    if well_bounded(text, whole.start(), whole.end()) {
        let parsed = from_caps(caps)?;
        return Some(DateMatch { parsed, start: whole.start(), end: whole.end() });
    }
    let time_start = caps.name("H").or_else(|| caps.name("H2")).map(|m| m.start());
    let cuts = [caps.name("tz").map(|m| m.start()), time_start];
    for cut in cuts.into_iter().flatten() {
        let cut = text[..cut].trim_end().len();
        if cut <= whole.start() {
            continue;
        }
        let shorter = &text[..cut];
        if let Some(c) = re.captures_at(shorter, whole.start()) {
            let m = c.get(0)?;
            if m.start() == whole.start() && well_bounded(text, m.start(), m.end()) {
                let parsed = from_caps(&c)?;
                return Some(DateMatch { parsed, start: m.start(), end: m.end() });
            }
        }
    }
    None
}

fn has_four_digit_run(text: &str) -> bool {
    let mut run = 0;
    for b in text.bytes() {
        if b.is_ascii_digit() {
            run += 1;
            if run == 4 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// Finds the leftmost valid full date in `text` (longest on ties).
pub(crate) fn find_date(text: &str) -> Option<DateMatch> {
    // Every accepted form contains a 4-digit year: skip other text before
    // running any regex.
    if !has_four_digit_run(text) {
        return None;
    }
    let mut best: Option<DateMatch> = None;
    for re in [&*RE_YMD, &*RE_DMY_DOT, &*RE_MDY, &*RE_DMY] {
        for caps in re.captures_iter(text) {
            let whole = caps.get(0).expect("group 0 always exists");
            if let Some(b) = best {
                if whole.start() > b.start {
                    break;
                }
            }
            let Some(found) = candidate(re, text, &caps) else {
                continue;
            };
            let better = match best {
                None => true,
                Some(b) => found.start < b.start || (found.start == b.start && found.end > b.end),
            };
            if better {
                best = Some(found);
            }
            break;
        }
    }
    best
}

/// Epoch seconds (10 digits) or milliseconds (13 digits), as UTC.
fn parse_epoch(digits: &str) -> Option<ParsedDate> {
    let n: i64 = digits.parse().ok()?;
    let ts = match digits.len() {
        10 => Timestamp::from_second(n).ok()?,
        13 => Timestamp::from_millisecond(n).ok()?,
        _ => return None,
    };
    let dt = Offset::UTC.to_datetime(ts);
    if !(MIN_YEAR..=MAX_YEAR).contains(&i32::from(dt.year())) {
        return None;
    }
    Some(ParsedDate {
        date: dt.date(),
        time: Some(dt.time().with().subsec_nanosecond(0).build().ok()?),
        offset: Some(Offset::UTC),
    })
}

/// Parses a string that is a date: ISO 8601 / RFC 3339 (with `T` or a
/// space, `Z` or offsets, fractional seconds), RFC 2822, English month-name
/// forms (`January 5, 2024`, `Jan. 5 2024`, `5 Jan 2024`, `Friday, January 5,
/// 2024`, `January 06, 2024, 6:48 AM`, `Sept. 5, 2024`), `2024/01/05`,
/// `05.01.2024` (day first), and epoch seconds / milliseconds when the whole
/// text is 10 / 13 digits.
///
/// Text around the date is tolerated only if it has no digits (a label such
/// as `Published:` or a zone name in parentheses), so a range or a second
/// date is never silently half-read. Returns `None` for impossible dates and
/// years outside 1900–2100.
pub fn parse_date(text: &str) -> Option<ParsedDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return parse_epoch(text);
    }
    let m = find_date(text)?;
    let rest_has_digits = text[..m.start].bytes().chain(text[m.end..].bytes()).any(|b| b.is_ascii_digit());
    if rest_has_digits || text.len() - (m.end - m.start) > 40 {
        return None;
    }
    Some(m.parsed)
}

/// The filename forms: `2024-01-05`, `2024_01_05`, and an 8-digit `20240105`
/// bounded by non-alphanumerics. The path form `2024/01/05` is separate.
static RE_FILE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9A-Za-z])(?P<y>[0-9]{4})(?:(?P<s1>[-_])(?P<m>[0-9]{2})(?P<s2>[-_])(?P<d>[0-9]{2})|(?P<m8>[0-9]{2})(?P<d8>[0-9]{2}))(?:$|[^0-9A-Za-z])")
        .expect("static date regex")
});
static RE_PATH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[/\\])(?P<y>[0-9]{4})[/\\](?P<m>[0-9]{2})[/\\](?P<d>[0-9]{2})(?:$|[/\\._-])")
        .expect("static date regex")
});

/// Years accepted in file names: narrower than in text, because an 8-digit
/// run in a file name is more often an id than a date.
const FILE_MIN_YEAR: i32 = 1990;

/// Finds a date in a bundle path: first in the last component (`2024-01-05`,
/// `2024_01_05`, `20240105`), then `2024/01/05` directories anywhere in the
/// path. Returns the date and the matched text.
pub(crate) fn date_from_path(rel_path: &str) -> Option<(ParsedDate, String)> {
    let file = rel_path.rsplit(['/', '\\']).next().unwrap_or(rel_path);
    // Match starts may overlap (the separator before one candidate is the
    // one after another), so search again from each failed candidate.
    let mut from = 0;
    while let Some(caps) = RE_FILE_DATE.captures_at(file, from) {
        let whole = caps.get(0).expect("group 0 always exists");
        let ymd = match (caps.name("s1"), caps.name("s2")) {
            (Some(a), Some(b)) if a.as_str() == b.as_str() => (num(&caps, "y"), num(&caps, "m"), num(&caps, "d")),
            (Some(_), Some(_)) => (None, None, None),
            _ => (num(&caps, "y"), num(&caps, "m8"), num(&caps, "d8")),
        };
        if let (Some(y), Some(m), Some(d)) = ymd {
            if y >= FILE_MIN_YEAR {
                if let Some(date) = make_date(y, m, d) {
                    let text = caps.name("y").expect("year group").start();
                    let end = caps.name("d").or_else(|| caps.name("d8")).expect("day group").end();
                    let parsed = ParsedDate { date, time: None, offset: None };
                    return Some((parsed, file[text..end].to_string()));
                }
            }
        }
        // Advance past the first char of this match (a char boundary: the
        // match starts with an ASCII char or a separator char).
        from = whole.start() + file[whole.start()..].chars().next().map_or(1, char::len_utf8);
        if from >= file.len() {
            break;
        }
    }
    for caps in RE_PATH_DATE.captures_iter(rel_path) {
        if let (Some(y), Some(m), Some(d)) = (num(&caps, "y"), num(&caps, "m"), num(&caps, "d")) {
            if y >= FILE_MIN_YEAR {
                if let Some(date) = make_date(y, m, d) {
                    let start = caps.name("y").expect("year group").start();
                    let end = caps.name("d").expect("day group").end();
                    let parsed = ParsedDate { date, time: None, offset: None };
                    return Some((parsed, rel_path[start..end].to_string()));
                }
            }
        }
    }
    None
}

/// Lower-case words that may appear in a metadata line (bylines, labels,
/// times). Any other lower-case word marks the line as body text.
const METADATA_WORDS: &[&str] = &[
    "a.m",
    "a.m.",
    "ago",
    "agencies",
    "agency",
    "al",
    "am",
    "and",
    "at",
    "bin",
    "by",
    "correspondent",
    "correspondents",
    "da",
    "date",
    "de",
    "del",
    "der",
    "desk",
    "di",
    "du",
    "editor",
    "el",
    "et",
    "first",
    "for",
    "from",
    "gmt",
    "hour",
    "hours",
    "ibn",
    "in",
    "la",
    "last",
    "le",
    "local",
    "min",
    "mins",
    "minute",
    "minutes",
    "modified",
    "news",
    "of",
    "on",
    "p.m",
    "p.m.",
    "pm",
    "posted",
    "published",
    "read",
    "reporter",
    "reporters",
    "staff",
    "the",
    "time",
    "updated",
    "utc",
    "van",
    "via",
    "von",
    "with",
    "writer",
];

/// Whether `s` (the part of a short line around a date) looks like metadata:
/// at most 10 words, no lower-case word outside [`METADATA_WORDS`], no
/// quotes or sentence punctuation. `AFP ,`, `By Jane Roe |`, `Published:`,
/// `BAGHDAD,` pass; `militants attacked the base.` does not.
fn is_metadata(s: &str) -> bool {
    if s.contains(['"', '\u{201C}', '\u{201D}', '?', '!', ';']) {
        return false;
    }
    let mut words = 0;
    let separators = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ',' | '|' | '/' | ':' | '(' | ')' | '[' | ']' | '@' | '·' | '•' | '-' | '\u{2010}'..='\u{2015}'
            )
    };
    for token in s.split(separators).filter(|t| !t.is_empty()) {
        words += 1;
        if words > 10 {
            return false;
        }
        let first = token.chars().next().unwrap_or(' ');
        if first.is_lowercase() && !METADATA_WORDS.contains(&token) {
            return false;
        }
    }
    true
}

/// Longest line (in chars) that can be a metadata-only dateline or an
/// "Updated" line.
const MAX_META_LINE_CHARS: usize = 120;
/// How far into a line a dateline's date may start when body text follows.
const MAX_DATELINE_PREFIX_BYTES: usize = 200;

/// A dateline found at the top of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dateline {
    /// The whole line is metadata (`AFP , Friday 5 Jan 2024`).
    Whole(DateMatch),
    /// A dateline prefix followed by body text that starts at `body_start`
    /// (`BAGHDAD, Jan 5, 2024 (Reuters) - Body…`).
    Prefix { date: DateMatch, body_start: usize },
}

/// `(Reuters) - ` / ` — ` after a dateline's date, before the body.
static RE_DATELINE_TAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\([^()]{1,40}\)\s*)?[-\u{2010}-\u{2015}]{1,2}\s+").expect("static regex"));

fn char_floor(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Recognises a dateline line (only called for the first lines of a text).
pub(crate) fn dateline(line: &str) -> Option<Dateline> {
    let head = &line[..char_floor(line, MAX_DATELINE_PREFIX_BYTES)];
    let m = find_date(head)?;
    if !is_metadata(&line[..m.start]) {
        return None;
    }
    let after = &line[m.end..];
    if let Some(tail) = RE_DATELINE_TAIL.find(after) {
        let body_start = m.end + tail.end();
        if body_start < line.len() {
            return Some(Dateline::Prefix { date: m, body_start });
        }
    }
    if line.chars().count() <= MAX_META_LINE_CHARS && is_metadata(after) {
        return Some(Dateline::Whole(m));
    }
    None
}

static RE_UPDATED_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:last |page |article |story |this (?:article|story|page) was )?(?:updated|modified)(?:\s+on|\s+at)?\s*[:\-\u{2010}-\u{2015}]?\s*")
        .expect("static regex")
});

/// The words an [`RE_UPDATED_LABEL`] match starts with.
const UPDATED_LABEL_STARTS: [&str; 7] = ["last ", "page ", "article ", "story ", "this ", "updated", "modified"];

/// False only when [`RE_UPDATED_LABEL`] cannot match `line`: its first bytes
/// are ASCII and start none of the label's first words. (Starting the
/// regex costs more than this on the many body lines whose first letter
/// passes the check above. Non-ASCII starts go to the regex: under `(?i)`
/// `ſ` matches `s` and the Kelvin sign `k`.)
fn may_start_updated_label(line: &str) -> bool {
    let head = &line.as_bytes()[..line.len().min(8)];
    !head.is_ascii()
        || UPDATED_LABEL_STARTS.iter().any(|w| {
            let w = &w.as_bytes()[..w.len().min(head.len())];
            head[..w.len()].eq_ignore_ascii_case(w)
        })
}

/// Recognises an "Updated: January 06, 2024, 6:48 AM" line (anywhere in the
/// text). Returns the date with offsets relative to `line`.
pub(crate) fn updated_line(line: &str) -> Option<DateMatch> {
    // Cheap rejection before any regex: the label is at the very start.
    let first = line.as_bytes().first()?.to_ascii_lowercase();
    if !matches!(first, b'u' | b'l' | b'p' | b'a' | b's' | b't' | b'm') {
        return None;
    }
    if !may_start_updated_label(line) {
        return None;
    }
    // The label regex is anchored, so it fails fast on body lines; only then
    // pay for counting chars.
    let label = RE_UPDATED_LABEL.find(line)?;
    if line.chars().count() > MAX_META_LINE_CHARS {
        return None;
    }
    let rest = &line[label.end()..];
    let m = find_date(rest)?;
    if !is_metadata(&rest[..m.start]) || !is_metadata(&rest[m.end..]) {
        return None;
    }
    Some(DateMatch { parsed: m.parsed, start: label.end() + m.start, end: label.end() + m.end })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (input, date, time, offset)
    type Case = (&'static str, &'static str, Option<&'static str>, Option<&'static str>);

    #[test]
    fn parse_date_table() {
        let cases: &[Case] = &[
            ("2024-01-05", "2024-01-05", None, None),
            ("  2024-01-05 ", "2024-01-05", None, None),
            ("2024-01-05T10:00:00Z", "2024-01-05", Some("10:00:00"), Some("+00:00")),
            ("2024-01-05T10:00:00.123456Z", "2024-01-05", Some("10:00:00"), Some("+00:00")),
            ("2024-01-05T10:00:00+03:00", "2024-01-05", Some("10:00:00"), Some("+03:00")),
            ("2024-01-05T10:00:00-0530", "2024-01-05", Some("10:00:00"), Some("-05:30")),
            ("2024-01-05 10:00:00", "2024-01-05", Some("10:00:00"), None),
            ("2024-01-05 10:00", "2024-01-05", Some("10:00:00"), None),
            ("Fri, 05 Jan 2024 10:00:00 +0000", "2024-01-05", Some("10:00:00"), Some("+00:00")),
            ("Fri, 05 Jan 2024 10:00:00 GMT", "2024-01-05", Some("10:00:00"), Some("+00:00")),
            ("Fri, 05 Jan 2024 10:00:00 EST", "2024-01-05", Some("10:00:00"), Some("-05:00")),
            ("January 5, 2024", "2024-01-05", None, None),
            ("Jan. 5, 2024", "2024-01-05", None, None),
            ("Jan 5 2024", "2024-01-05", None, None),
            ("5 January 2024", "2024-01-05", None, None),
            ("5 Jan 2024", "2024-01-05", None, None),
            ("5th of January, 2024", "2024-01-05", None, None),
            ("05-Jan-2024", "2024-01-05", None, None),
            ("Friday 5 Jan 2024", "2024-01-05", None, None),
            ("Friday, January 5, 2024", "2024-01-05", None, None),
            ("January 06, 2024, 6:48 AM", "2024-01-06", Some("06:48:00"), None),
            ("January 06, 2024, 6:48 PM", "2024-01-06", Some("18:48:00"), None),
            ("January 06, 2024 at 12:05 a.m.", "2024-01-06", Some("00:05:00"), None),
            ("Jan 6, 2024 6 pm", "2024-01-06", Some("18:00:00"), None),
            ("5 Jan 2024 14:02 GMT", "2024-01-05", Some("14:02:00"), Some("+00:00")),
            ("5 Jan 2024 14:02 UTC+3", "2024-01-05", Some("14:02:00"), Some("+03:00")),
            ("Sept. 5, 2024", "2024-09-05", None, None),
            ("September 5, 2024", "2024-09-05", None, None),
            ("2024/01/05", "2024-01-05", None, None),
            ("2024.01.05", "2024-01-05", None, None),
            ("05.01.2024", "2024-01-05", None, None),
            ("1704412800", "2024-01-05", Some("00:00:00"), Some("+00:00")),
            ("1704412800123", "2024-01-05", Some("00:00:00"), Some("+00:00")),
            ("Published: 5 January 2024", "2024-01-05", None, None),
            // A weekday that contradicts the date does not reject it.
            ("Monday 5 Jan 2024", "2024-01-05", None, None),
            ("Feb 29, 2024", "2024-02-29", None, None),
            ("1900-01-01", "1900-01-01", None, None),
            ("2100-12-31", "2100-12-31", None, None),
            // An impossible time is dropped, the date kept.
            ("2024-01-05 25:61", "2024-01-05", None, None),
        ];
        for &(input, date, time, offset) in cases {
            let p = parse_date(input).unwrap_or_else(|| panic!("no parse: {input:?}"));
            assert_eq!(p.date_string(), date, "date of {input:?}");
            assert_eq!(p.time_string().as_deref(), time, "time of {input:?}");
            assert_eq!(p.offset_string().as_deref(), offset, "offset of {input:?}");
        }
    }

    #[test]
    fn parse_date_rejects() {
        let cases = [
            "",
            "   ",
            "yesterday",
            "Feb 30, 2024",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "31 April 2024",
            "1899-12-31",
            "2101-01-01",
            "5 Jan 24",
            "05/01/2024",
            "2024-01/05",
            "123456789",
            "12345678901",
            "9999999999",
            "2024-01-05 to 2024-01-07",
            "January 2024",
            "x2024-01-05",
            "2024-01-051",
        ];
        for input in cases {
            assert_eq!(parse_date(input), None, "should reject {input:?}");
        }
    }

    #[test]
    fn find_date_in_lines() {
        let cases = [
            ("AFP , Friday 5 Jan 2024", "Friday 5 Jan 2024"),
            ("By Jane Roe | Jan. 5, 2024", "Jan. 5, 2024"),
            ("BAGHDAD, Jan 5, 2024 (Reuters) - Text", "Jan 5, 2024"),
            ("Updated: January 06, 2024, 6:48 AM", "January 06, 2024, 6:48 AM"),
            ("Last updated 5 Jan 2024 14:02 GMT", "5 Jan 2024 14:02 GMT"),
            // Non-breaking spaces inside the date.
            ("5\u{a0}Jan\u{a0}2024", "5\u{a0}Jan\u{a0}2024"),
            // An optional tail glued to a word is dropped, not the date.
            ("2024-01-05 10:00 Zelensky said", "2024-01-05 10:00"),
            ("5 Jan 2024 14 people died", "5 Jan 2024"),
        ];
        for (line, want) in cases {
            let m = find_date(line).unwrap_or_else(|| panic!("no date in {line:?}"));
            assert_eq!(&line[m.start..m.end], want, "in {line:?}");
        }
        assert!(find_date("Janet 5, 2024 is not a date").is_none());
        assert!(find_date("no digits here").is_none());
    }

    #[test]
    fn dates_from_paths() {
        let cases = [
            ("news-2024-01-05.txt", Some(("2024-01-05", "2024-01-05"))),
            ("inbox/x/news_2024_01_05.txt", Some(("2024-01-05", "2024_01_05"))),
            ("20240105.jsonl", Some(("2024-01-05", "20240105"))),
            ("feed-20240105-a.txt.gz", Some(("2024-01-05", "20240105"))),
            ("a/2024/01/05/bundle.txt", Some(("2024-01-05", "2024/01/05"))),
            // The file name wins over the path.
            ("2023/12/31/news-2024-01-05.txt", Some(("2024-01-05", "2024-01-05"))),
            ("id20240105.txt", None),
            ("123456789.txt", None),
            ("19891231.txt", None),
            ("20241305.txt", None),
            ("2024-01_05.txt", None),
            ("bundle.txt", None),
            // An invalid candidate does not hide a valid one after it.
            ("20241399_20240105.txt", Some(("2024-01-05", "20240105"))),
            ("2024/01/05.txt", Some(("2024-01-05", "2024/01/05"))),
        ];
        for (path, want) in cases {
            let got = date_from_path(path).map(|(p, t)| (p.date_string(), t));
            let want = want.map(|(d, t)| (d.to_string(), t.to_string()));
            assert_eq!(got, want, "path {path:?}");
        }
    }

    #[test]
    fn datelines() {
        let whole = [
            ("AFP , Friday 5 Jan 2024", "Friday 5 Jan 2024"),
            ("Published: 5 January 2024", "5 January 2024"),
            ("By Jane Roe | Jan. 5, 2024", "Jan. 5, 2024"),
            ("Jan 5, 2024", "Jan 5, 2024"),
            ("By Staff Reporter, Baghdad \u{2014} Friday 5 Jan 2024 10:30 GMT", "Friday 5 Jan 2024 10:30 GMT"),
            ("Published 5 Jan 2024, last updated 6 Jan 2024", "5 Jan 2024"),
            ("5 January 2024 | 3 min read", "5 January 2024"),
        ];
        for (line, want) in whole {
            match dateline(line) {
                Some(Dateline::Whole(m)) => assert_eq!(&line[m.start..m.end], want, "{line:?}"),
                other => panic!("{line:?}: {other:?}"),
            }
        }
        let line = "BAGHDAD, Jan 5, 2024 (Reuters) - Militants attacked a base on Friday.";
        match dateline(line) {
            Some(Dateline::Prefix { date, body_start }) => {
                assert_eq!(&line[date.start..date.end], "Jan 5, 2024");
                assert_eq!(&line[body_start..], "Militants attacked a base on Friday.");
            }
            other => panic!("{other:?}"),
        }
        let line = "MOSUL, Iraq, 5 January 2024 \u{2014} The body starts here.";
        assert!(matches!(dateline(line), Some(Dateline::Prefix { .. })));
        let not = [
            "On 5 January 2024 militants attacked the base.",
            "The attack on Jan 5, 2024 killed three people.",
            "Militants attacked the base on Friday 5 Jan 2024.",
            "He said \u{201C}Jan 5, 2024\u{201D} would be remembered",
            "No date in this line",
            "Friday 5 January",
            "BAGHDAD (Reuters) - Militants attacked a base.",
            "The attack happened 5 Jan 2024 - officials said it was repelled.",
        ];
        for line in not {
            assert_eq!(dateline(line), None, "{line:?}");
        }
    }

    #[test]
    fn updated_lines() {
        let cases = [
            ("Updated: January 06, 2024, 6:48 AM", "January 06, 2024, 6:48 AM"),
            ("Last updated 5 Jan 2024 14:02 GMT", "5 Jan 2024 14:02 GMT"),
            ("Updated on 5 January 2024", "5 January 2024"),
            ("UPDATED \u{2014} Jan. 6, 2024 at 10:15 a.m. EST", "Jan. 6, 2024 at 10:15 a.m. EST"),
            ("Last modified: 2024-01-06T06:48:00Z", "2024-01-06T06:48:00Z"),
        ];
        for (line, want) in cases {
            let m = updated_line(line).unwrap_or_else(|| panic!("{line:?}"));
            assert_eq!(&line[m.start..m.end], want, "{line:?}");
        }
        let m = updated_line("Updated: January 06, 2024, 6:48 AM").unwrap();
        assert_eq!(m.parsed.time_string().as_deref(), Some("06:48:00"));
        let not = [
            "Updated figures show the death toll rose on 5 Jan 2024 to forty.",
            "The death toll was updated on 5 Jan 2024.",
            "Updated: yesterday",
            "Updates on 5 Jan 2024",
        ];
        for line in not {
            assert_eq!(updated_line(line), None, "{line:?}");
        }
    }

    proptest! {
        /// The cheap check never turns away a line the label regex matches.
        #[test]
        fn updated_prefilter_never_hides_a_label(
            s in "(Last |LAST |last |Page |Article |Story |This article was |this page was |ſtory |La\u{212A}|)(Updated|UPDATED|updated|Modified|modified|Upd|ſ|up|)( on| at|)[:\\- ]?[ A-Za-z0-9,:]{0,12}"
        ) {
            if RE_UPDATED_LABEL.is_match(&s) {
                prop_assert!(may_start_updated_label(&s), "{:?}", s);
            }
        }

        #[test]
        fn dateline_never_panics(s in any::<String>()) {
            let _ = dateline(&s);
            let _ = updated_line(&s);
        }

        #[test]
        fn parse_date_never_panics(s in any::<String>()) {
            let _ = parse_date(&s);
            let _ = find_date(&s);
            let _ = date_from_path(&s);
        }

        #[test]
        fn iso_roundtrip(y in 1900i32..=2100, m in 1i32..=12, d in 1i32..=31) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            let valid = make_date(y, m, d).is_some();
            let parsed = parse_date(&text);
            prop_assert_eq!(parsed.is_some(), valid);
            if let Some(p) = parsed {
                prop_assert_eq!(p.date_string(), text);
            }
        }
    }
}
