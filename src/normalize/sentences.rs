//! Sentence boundaries as code point spans.
//!
//! A rule-based splitter tuned for English-language news: it splits after
//! `.`, `!`, `?`, `…` (and the Arabic/Urdu/Devanagari terminators), possibly
//! followed by closing quotes or brackets, when whitespace and then a
//! sentence-starting character (uppercase or uncased letter, digit, opening
//! quote or bracket) follow. CJK full-width terminators split without
//! whitespace. Line breaks (paragraph breaks) always end a sentence.
//!
//! A single `.` does not split after abbreviations (titles, months,
//! weekdays, company suffixes), single-letter initials, dotted acronyms
//! (`U.S.`, `e.g.`) or `No.` before a number. `a.m.`, `p.m.` and `etc.` only
//! hold a sentence together before a lowercase word, which never splits
//! anyway.

/// Capitalised abbreviations that are followed by a name or number far more
/// often than they end a sentence. Matched case-sensitively.
const ABBREVIATIONS: &[&str] = &[
    // Titles and ranks.
    "Mr", "Mrs", "Ms", "Messrs", "Mmes", "Dr", "Prof", "Col", "Gen", "Lt", "Sgt", "Capt", "Maj", "Cpl", "Pvt", "Adm",
    "Brig", "Cmdr", "Cdr", "Rep", "Sen", "Gov", "Pres", "Rev", "Hon", "Supt", "Insp", "Det", "Fr", "Sr", "Jr", "St",
    "Mt", "Ft", // Months.
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", // Weekdays.
    "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun", // Companies and misc.
    "Inc", "Ltd", "Co", "Corp", "Bros", "Dept", "Univ", "Ave", "Blvd", "Fig", "Vol", "vs",
];

#[inline]
fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '؟' | '۔' | '।' | '。' | '！' | '？')
}

/// Terminators that end a sentence even without following whitespace.
#[inline]
fn is_cjk_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？')
}

#[inline]
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}' | '」' | '』')
}

#[inline]
fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '„' | '‚' | '«' | '‹' | '(' | '[' | '{' | '¿' | '¡' | '「' | '『')
}

/// Can `c` start a new sentence?
#[inline]
fn starts_sentence(c: char) -> bool {
    // Uppercase, or a letter of a script without case (Arabic, CJK...).
    (c.is_alphabetic() && !c.is_lowercase()) || c.is_numeric() || is_opener(c)
}

/// Whether the `.` at `dot` ends an abbreviation rather than a sentence.
/// `seg_start` bounds the backwards scan; `next` is the first char of what
/// would be the next sentence.
fn is_abbreviation<C: Copy + Into<char>>(chars: &[C], seg_start: usize, dot: usize, next: char) -> bool {
    let at = |i: usize| -> char { chars[i].into() };
    // The token before the dot: back to the previous whitespace.
    let mut start = dot;
    while start > seg_start && !at(start - 1).is_whitespace() {
        start -= 1;
    }
    while start < dot && is_opener(at(start)) {
        start += 1;
    }
    let token = &chars[start..dot];
    match token.len() {
        0 => return false,
        // Initials: "J. Smith".
        1 => return at(start).is_alphabetic(),
        _ => {}
    }
    if token.iter().any(|&c| c.into() == '.') {
        // Dotted acronyms ("U.S", "e.g", "Ph.D"): letters in groups of one
        // or two between dots. a.m./p.m. end sentences before a capital.
        let lower: String = token.iter().flat_map(|&c| c.into().to_lowercase()).collect();
        if lower == "a.m" || lower == "p.m" {
            return false;
        }
        return token
            .split(|&c| c.into() == '.')
            .all(|part| (1..=2).contains(&part.len()) && part.iter().all(|&c| c.into().is_alphabetic()));
    }
    // Only short tokens can be abbreviations; avoids building long strings.
    if token.len() > 6 {
        return false;
    }
    // On the stack: this runs at most sentence ends.
    let mut utf8 = [0u8; 24];
    let mut len = 0;
    for &c in token {
        len += c.into().encode_utf8(&mut utf8[len..]).len();
    }
    let word = std::str::from_utf8(&utf8[..len]).unwrap_or_default();
    if matches!(word, "No" | "no" | "Nos" | "nos") {
        return next.is_ascii_digit();
    }
    ABBREVIATIONS.contains(&word)
}

/// Sentence spans `[start, end)` in code points, trimmed of whitespace,
/// ordered and non-overlapping.
pub fn sentence_spans(text: &str) -> Vec<(u32, u32)> {
    // ASCII text (most news in English): bytes are code points, so the scan
    // runs on the bytes without decoding the text into a `Vec<char>`.
    if text.is_ascii() {
        return spans_of(text.as_bytes());
    }
    // One decoding buffer per thread: this runs once per article.
    thread_local! {
        static CHARS: std::cell::RefCell<Vec<char>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    CHARS.with_borrow_mut(|chars| {
        chars.clear();
        chars.reserve(text.len());
        chars.extend(text.chars());
        let spans = spans_of(chars);
        if chars.capacity() > KEPT_CHARS {
            *chars = Vec::new(); // not held for the rest of the run
        }
        spans
    })
}

/// Largest decoding buffer kept between calls, in chars (1 MiB at 4 bytes).
const KEPT_CHARS: usize = 1 << 18;

/// A code point of the text: `u8` for ASCII text, else `char`.
trait Unit: Copy + Into<char> {
    /// The first index at or after `i` holding a line break or a
    /// terminator, or `chars.len()`: everything before it is skipped.
    fn next_stop(chars: &[Self], i: usize) -> usize;
}

impl Unit for u8 {
    #[inline]
    fn next_stop(chars: &[u8], i: usize) -> usize {
        // The ASCII terminators are `.`, `!` and `?`.
        let rest = chars.get(i..).unwrap_or_default();
        rest.iter().position(|&b| matches!(b, b'\n' | b'.' | b'!' | b'?')).map_or(chars.len(), |p| i + p)
    }
}

impl Unit for char {
    #[inline]
    fn next_stop(chars: &[char], i: usize) -> usize {
        let rest = chars.get(i..).unwrap_or_default();
        rest.iter().position(|&c| c == '\n' || is_terminator(c)).map_or(chars.len(), |p| i + p)
    }
}

/// [`sentence_spans`] over the text's code points (`u8` for ASCII text).
fn spans_of<C: Unit>(chars: &[C]) -> Vec<(u32, u32)> {
    let at = |i: usize| -> char { chars[i].into() };
    let n = chars.len();
    // About one sentence per 100 chars of news prose.
    let mut spans = Vec::with_capacity(n / 100 + 1);
    let mut push = |s: usize, e: usize| {
        let mut s = s;
        let mut e = e;
        while s < e && at(s).is_whitespace() {
            s += 1;
        }
        while e > s && at(e - 1).is_whitespace() {
            e -= 1;
        }
        if s < e {
            // Texts over 4 Gi chars cannot occur (articles are size-limited
            // upstream); saturate rather than panic.
            let s32 = u32::try_from(s).unwrap_or(u32::MAX);
            let e32 = u32::try_from(e).unwrap_or(u32::MAX);
            if s32 < e32 {
                spans.push((s32, e32));
            }
        }
    };
    let mut seg_start = 0;
    let mut i = 0;
    while i < n {
        let c = at(i);
        if c == '\n' {
            push(seg_start, i);
            seg_start = i + 1;
            i += 1;
            continue;
        }
        if !is_terminator(c) {
            i = C::next_stop(chars, i + 1);
            continue;
        }
        let mut j = i;
        while j < n && is_terminator(at(j)) {
            j += 1;
        }
        let single_dot = j == i + 1 && c == '.';
        let cjk = is_cjk_terminator(at(j - 1));
        let mut k = j;
        while k < n && is_closer(at(k)) {
            k += 1;
        }
        let closed = k > j;
        let end = k;
        if cjk {
            push(seg_start, end);
            seg_start = end;
            i = end;
            continue;
        }
        // Whitespace (not a line break, which is handled above) must follow.
        let mut m = k;
        while m < n && at(m).is_whitespace() && at(m) != '\n' {
            m += 1;
        }
        if m == k || m >= n || at(m) == '\n' {
            i = m.max(i + 1);
            continue;
        }
        let next = at(m);
        if !starts_sentence(next) || (single_dot && !closed && is_abbreviation(chars, seg_start, i, next)) {
            i = m;
            continue;
        }
        push(seg_start, end);
        seg_start = m;
        i = m;
    }
    push(seg_start, n);
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sentences(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        sentence_spans(text).into_iter().map(|(s, e)| chars[s as usize..e as usize].iter().collect()).collect()
    }

    #[test]
    fn splitting_table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "The U.S. military on Friday thanked police for their Jan. 3 discovery. Col. Smith said it.",
                &["The U.S. military on Friday thanked police for their Jan. 3 discovery.", "Col. Smith said it."],
            ),
            (
                "\"The talks have ended,\" he said. \"We will leave.\" Then silence.",
                &["\"The talks have ended,\" he said.", "\"We will leave.\"", "Then silence."],
            ),
            (
                "\u{201C}We are ready.\u{201D} The minister left.",
                &["\u{201C}We are ready.\u{201D}", "The minister left."],
            ),
            (
                "Is it over? No! It is not... The end (really.) Next.",
                &["Is it over?", "No!", "It is not...", "The end (really.)", "Next."],
            ),
            ("He waited\u{2026} Then left.", &["He waited\u{2026}", "Then left."]),
            ("Prices rose 2.5 percent. 2024 was worse.", &["Prices rose 2.5 percent.", "2024 was worse."]),
            ("J. Smith and A. B. Jones met Dr. Who.", &["J. Smith and A. B. Jones met Dr. Who."]),
            (
                "He met Mr. Roe, Mrs. Poe and Gen. Doe on Sept. 5.",
                &["He met Mr. Roe, Mrs. Poe and Gen. Doe on Sept. 5."],
            ),
            ("See No. 5 in the list. no. It is.", &["See No. 5 in the list. no.", "It is."]),
            ("He said no. Then he left.", &["He said no.", "Then he left."]),
            (
                "The U.N. Security Council met. The E.U. did too.",
                &["The U.N. Security Council met.", "The E.U. did too."],
            ),
            (
                "Troops, tanks, etc. were sent. Etc. Then more.",
                &["Troops, tanks, etc. were sent.", "Etc.", "Then more."],
            ),
            (
                "It starts at 10 a.m. and ends at 5 p.m. The next day it rains.",
                &["It starts at 10 a.m. and ends at 5 p.m.", "The next day it rains."],
            ),
            ("Acme Inc. said so. Acme Corp. agreed.", &["Acme Inc. said so.", "Acme Corp. agreed."]),
            ("Use e.g. Arabic. Or i.e. French.", &["Use e.g. Arabic.", "Or i.e. French."]),
            ("He visited Mt. Hermon and St. Louis.", &["He visited Mt. Hermon and St. Louis."]),
            (
                "First para.\n\nSecond para without stop\n\nThird.",
                &["First para.", "Second para without stop", "Third."],
            ),
            ("no terminal punctuation", &["no terminal punctuation"]),
            ("Dots...in the middle. Fine.", &["Dots...in the middle.", "Fine."]),
            ("Email me at a.b@example.com. Thanks.", &["Email me at a.b@example.com.", "Thanks."]),
            ("Stop!\" he shouted. (It worked.) Yes.", &["Stop!\" he shouted.", "(It worked.)", "Yes."]),
            ("قال المتحدث. وأضاف أن الهجوم فشل.", &["قال المتحدث.", "وأضاف أن الهجوم فشل."]),
            ("他说。然后离开了。", &["他说。", "然后离开了。"]),
            ("   ", &[]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(sentences(text), *want, "text {text:?}");
        }
    }

    #[test]
    fn spans_are_code_points() {
        let text = "Ça va. Très bien.";
        assert_eq!(sentence_spans(text), vec![(0, 6), (7, 17)]);
    }

    #[test]
    fn ascii_path_matches_char_path() {
        let text =
            "The U.S. envoy met Gen. Roe at 5 p.m. Then \"We left.\" (Really.) No. 5 is e.g. fine.\n\nNext para? Yes!";
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(spans_of(text.as_bytes()), spans_of(&chars));
        assert_eq!(sentence_spans(text).len(), 6);
    }

    proptest! {
        #[test]
        fn ascii_bytes_and_chars_agree(s in "([A-Za-z]{1,8}|[.!?\"'()\\[\\] \n\t]|U\\.S\\.|Dr\\.|No\\. 5|a\\.m\\.|2\\.5){0,60}") {
            let chars: Vec<char> = s.chars().collect();
            prop_assert_eq!(spans_of(s.as_bytes()), spans_of(&chars));
        }

        #[test]
        fn spans_valid(s in any::<String>()) {
            let spans = sentence_spans(&s);
            let chars: Vec<char> = s.chars().collect();
            let mut prev_end = 0u32;
            for &(a, b) in &spans {
                prop_assert!(a < b);
                prop_assert!(a >= prev_end);
                prop_assert!(b as usize <= chars.len());
                prop_assert!(!chars[a as usize].is_whitespace());
                prop_assert!(!chars[b as usize - 1].is_whitespace());
                prev_end = b;
            }
        }

        #[test]
        fn spans_valid_on_prose(s in "([A-Za-z]{1,8}|[.!?\"'()… \n]|U\\.S\\.|Dr\\.|2\\.5){0,60}") {
            let spans = sentence_spans(&s);
            let chars: Vec<char> = s.chars().collect();
            let mut prev_end = 0u32;
            for &(a, b) in &spans {
                prop_assert!(a < b && a >= prev_end && b as usize <= chars.len());
                // No span crosses a line break.
                prop_assert!(!chars[a as usize..b as usize].contains(&'\n'));
                prev_end = b;
            }
        }
    }
}
