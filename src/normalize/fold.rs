//! Character cleaning and typographic folding.
//!
//! Two different jobs live here:
//!
//! * [`clean_text`]: what is *removed or rewritten in the stored text*
//!   (line endings, control and zero-width characters, NFC).
//! * [`fold_char`] / [`fold_for_matching`]: a **char-for-char** mapping of
//!   typographic variants (curly quotes, dashes, exotic spaces) to ASCII, used
//!   only for matching (boilerplate rules, near-duplicate detection) and for
//!   the content hash. Because every char maps to exactly one char, a code
//!   point offset into the folded text is the same offset into the original
//!   text, so matches found on the folded form can be quoted from the original.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
use xxhash_rust::xxh3::xxh3_128;

/// Folds one character to its plain ASCII counterpart, or returns it as is.
///
/// Never changes the number of characters: callers rely on this to share code
/// point offsets between a text and its folded form.
#[inline]
pub fn fold_char(c: char) -> char {
    // ASCII is by far the most common case; skip the table entirely.
    if c.is_ascii() {
        // The grave accent is the one ASCII char used as an apostrophe.
        return if c == '`' { '\'' } else { c };
    }
    match c {
        // Single quotes, primes and the acute accent used as apostrophes.
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' => '\'',
        // Double quotes, double prime, guillemets.
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => '"',
        // Hyphens and dashes, including the minus sign.
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' => '-',
        // No-break, narrow no-break, ideographic, medium mathematical space and
        // the U+2000..U+200A block (en/em/thin/hair/figure/punctuation spaces).
        '\u{00A0}' | '\u{202F}' | '\u{3000}' | '\u{205F}' | '\u{2000}'..='\u{200A}' => ' ',
        _ => c,
    }
}

/// Folds typography char-for-char (see [`fold_char`]): `“Hi” — it’s` becomes
/// `"Hi" - it's`. The result has exactly as many chars as the input.
///
/// Used by near-duplicate detection and the content hash; the stored article
/// text keeps its typography.
pub fn fold_for_matching(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Like [`fold_for_matching`] but reuses `out` (cleared first) to avoid an
/// allocation per line in hot loops.
pub(crate) fn fold_into(s: &str, out: &mut String) {
    out.clear();
    out.extend(s.chars().map(fold_char));
}

/// The article identity hash: xxh3-128 of the text after folding typography
/// (when `fold` is set), lower-casing, collapsing every whitespace run to one
/// space and trimming.
///
/// **Persisted**: this value is stored as the article's identity and compared
/// across runs and versions. Any change to this function, to [`fold_char`] or
/// to the cleaning that produces the text changes every identity; treat it as
/// a storage format. (Lower-casing uses the standard library's Unicode
/// mapping; Unicode's case-pair stability policy keeps it stable for already
/// assigned characters.)
pub(crate) fn content_hash_with(text: &str, fold: bool) -> u128 {
    // One buffer per thread: this runs once per article on the hot path.
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUF.with_borrow_mut(|buf| {
        buf.clear();
        hash_form_into(text, fold, buf);
        xxh3_128(buf)
    })
}

/// What [`hash_form_into`] does with an ASCII byte: `SPACE` for whitespace
/// (`char::is_whitespace` on ASCII is exactly `\t\n\x0B\x0C\r` and space),
/// else the byte to write (lower-cased; with `FOLD`, '`' becomes '\'').
const fn hash_table(fold: bool) -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = match b {
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => SPACE,
            b'`' if fold => b'\'',
            _ => b.to_ascii_lowercase(),
        };
        i += 1;
    }
    t
}

/// Marks ASCII whitespace in the tables below (0 is never written: NUL
/// lower-cases to itself, so a distinct marker is needed).
const SPACE: u8 = 0xFF;
static HASH_ASCII: [u8; 128] = hash_table(false);
static HASH_ASCII_FOLDED: [u8; 128] = hash_table(true);

/// The bytes [`content_hash_with`] hashes: folded (when `fold`), lower-cased,
/// whitespace runs collapsed to one space, trimmed.
fn hash_form_into(text: &str, fold: bool, buf: &mut Vec<u8>) {
    let table = if fold { &HASH_ASCII_FOLDED } else { &HASH_ASCII };
    let bytes = text.as_bytes();
    // Written by index into a zeroed region rather than pushed byte by byte
    // (the capacity checks were most of the cost). The output is at most
    // twice the input: an ASCII byte gives at most one byte, a whitespace
    // char nothing but possibly the one space written before the next
    // char, and a non-ASCII char (2–4 bytes) lower-cases to at most 4 bytes
    // except U+0130 (2 bytes), which gives 3.
    let start = buf.len();
    buf.resize(start + 2 * bytes.len() + 4, 0);
    let out = &mut buf[start..];
    let mut j = 0;
    let mut pending_space = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if let Some(&m) = table.get(usize::from(b)) {
            // ASCII: one table look-up per byte.
            i += 1;
            if m == SPACE {
                pending_space = start + j > 0;
                continue;
            }
            if pending_space {
                out[j] = b' ';
                j += 1;
                pending_space = false;
            }
            out[j] = m;
            j += 1;
            continue;
        }
        // `i` is a char boundary: ASCII bytes and whole chars are consumed.
        let Some(c) = text[i..].chars().next() else { break };
        i += c.len_utf8();
        let c = if fold { fold_char(c) } else { c };
        if c.is_whitespace() {
            pending_space = start + j > 0;
            continue;
        }
        if pending_space {
            out[j] = b' ';
            j += 1;
            pending_space = false;
        }
        if c.is_ascii() {
            out[j] = c.to_ascii_lowercase() as u8;
            j += 1;
        } else {
            for l in c.to_lowercase() {
                j += l.encode_utf8(&mut out[j..]).len();
            }
        }
    }
    buf.truncate(start + j);
}

/// The article identity hash with typography folded (the default
/// configuration): xxh3-128 of the folded, lower-cased text with whitespace
/// runs collapsed to one space and trimmed.
///
/// **Persisted**: stored as the article's identity and compared across runs
/// and versions. Any change to this function, to [`fold_char`] or to the
/// cleaning that produces the text changes every identity; treat it as a
/// storage format.
pub fn content_hash(text: &str) -> u128 {
    content_hash_with(text, true)
}

/// Zero-width and invisible formatting characters dropped from the text.
/// The soft hyphen is included: it is invisible and breaks word matching.
#[inline]
fn is_dropped_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{2060}' | '\u{00AD}')
}

/// Whether [`clean_text`] rewrites or drops `c`.
#[inline]
fn needs_cleaning(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}' => true,
        c => c.is_control() || is_dropped_invisible(c),
    }
}

/// What [`first_to_clean`] found.
enum Scan {
    /// Byte offset of the first char [`clean_text`] changes.
    Dirty(usize),
    /// Nothing to change; `ascii` when every char is ASCII (hence NFC).
    Clean { ascii: bool },
}

/// Whether all eight bytes of `w` are in 0x20..=0x7E (SWAR: a byte below
/// 0x20, at or above 0x7F sets its high bit in one of the two terms).
#[inline]
fn all_printable_ascii(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit set in a byte of `below` when that byte is < 0x20 (the
    // subtraction's borrow can only spread from such a byte, and a byte
    // with its high bit set is caught by `w` itself).
    let below = w.wrapping_sub(ONES * 0x20) & !w;
    // High bit set when the byte is >= 0x7F: adding 1 carries 0x7F into
    // 0x80; bytes >= 0x80 already have it.
    let above = (w & !HIGH).wrapping_add(ONES) | w;
    (below | above) & HIGH == 0
}

/// Finds where [`clean_text`] has work to do.
fn first_to_clean(raw: &str) -> Scan {
    let bytes = raw.as_bytes();
    let mut ascii = true;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // Eight bytes at a time while they are all printable ASCII (0x20..0x7E):
        // most text has nothing to clean.
        if let Some(chunk) = bytes.get(i..i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            if all_printable_ascii(w) {
                i += 8;
                continue;
            }
        }
        if b.is_ascii() {
            // ASCII controls are < 0x20 and DEL; `\r` is among them.
            if (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7F {
                return Scan::Dirty(i);
            }
            i += 1;
        } else {
            ascii = false;
            let Some(c) = raw[i..].chars().next() else { break };
            if needs_cleaning(c) {
                return Scan::Dirty(i);
            }
            i += c.len_utf8();
        }
    }
    Scan::Clean { ascii }
}

/// Cleans raw text: CRLF/CR to LF (also NEL and U+2028 to LF, U+2029 to a
/// blank line), drops control characters other than `\n` and `\t`, drops
/// zero-width characters, then applies Unicode NFC. Borrows `raw` when it is
/// already clean (the common case: no copy).
pub(crate) fn clean_text(raw: &str) -> Cow<'_, str> {
    let first = match first_to_clean(raw) {
        Scan::Dirty(first) => first,
        Scan::Clean { ascii: true } => return Cow::Borrowed(raw),
        Scan::Clean { ascii: false } if is_nfc_quick(raw.chars()) == IsNormalized::Yes => return Cow::Borrowed(raw),
        Scan::Clean { ascii: false } => return Cow::Owned(raw.nfc().collect()),
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut chars = raw[first..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            '\u{0085}' | '\u{2028}' => out.push('\n'),
            '\u{2029}' => out.push_str("\n\n"),
            c if c.is_control() || is_dropped_invisible(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(nfc(out))
}

/// NFC with a fast path: most texts are already NFC (always true for ASCII),
/// so the quick check avoids rebuilding the string.
pub(crate) fn nfc(s: String) -> String {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s
    } else {
        s.nfc().collect()
    }
}

/// Cleans a short metadata field (title, outlet, URL): character cleaning as
/// in [`clean_text`], then whitespace runs (including newlines) collapsed to
/// one space and trimmed. Empty results become `None`.
pub(crate) fn clean_field(raw: Option<String>) -> Option<String> {
    let raw = raw?;
    let cleaned = clean_text(&raw);
    let mut out = String::with_capacity(cleaned.len());
    for word in cleaned.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_quotes_dashes_spaces() {
        let cases = [
            ("\u{201C}Hi\u{201D} \u{2014} it\u{2019}s", "\"Hi\" - it's"),
            ("\u{00AB}non\u{00BB}", "\"non\""),
            ("a\u{00A0}b\u{202F}c\u{2009}d\u{3000}e", "a b c d e"),
            ("5\u{2212}3 \u{2010}\u{2011}\u{2012}\u{2013}\u{2015}", "5-3 -----"),
            ("\u{2032}\u{2033}\u{00B4}`\u{201A}\u{201E}\u{201B}", "'\"'''\"'"),
            ("plain ASCII stays", "plain ASCII stays"),
            ("Ünïcödé letters stay", "Ünïcödé letters stay"),
        ];
        for (input, want) in cases {
            assert_eq!(fold_for_matching(input), want, "input {input:?}");
        }
    }

    #[test]
    fn clean_text_line_endings_controls_invisibles() {
        assert_eq!(clean_text("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(clean_text("a\u{0007}b\u{0000}c\td"), "abc\td");
        assert_eq!(clean_text("zero\u{200B}width\u{FEFF}\u{2060}\u{200D}"), "zerowidth");
        assert_eq!(clean_text("p1\u{2029}p2\u{2028}l"), "p1\n\np2\nl");
    }

    #[test]
    fn clean_text_applies_nfc() {
        // "e" + combining acute becomes the precomposed "é".
        assert_eq!(clean_text("caf\u{0065}\u{0301}"), "caf\u{00E9}");
    }

    #[test]
    fn clean_field_collapses_and_empties() {
        assert_eq!(clean_field(Some("  A \n\t title  ".into())), Some("A title".into()));
        assert_eq!(clean_field(Some(" \u{200B} ".into())), None);
        assert_eq!(clean_field(None), None);
    }

    #[test]
    fn content_hash_ignores_case_typography_and_spacing() {
        let a = content_hash("He said \u{201C}no\u{201D} \u{2014} twice.\n\nEnd");
        let b = content_hash("  he SAID \"no\" -   twice. end ");
        assert_eq!(a, b);
        assert_ne!(a, content_hash("he said no twice. end"));
        // Without folding, curly and straight quotes differ.
        assert_ne!(content_hash_with("\u{201C}x\u{201D}", false), content_hash_with("\"x\"", false));
    }

    #[test]
    fn content_hash_is_pinned() {
        // The hash is persisted as article identity: this value must never
        // change. If this test fails, every stored identity would change.
        assert_eq!(content_hash("Hello, World"), xxh3_128(b"hello, world"));
        let text = "  \u{201C}Hello\u{201D},\u{00A0}\n\nWORLD \u{2014} ok  ";
        assert_eq!(content_hash(text), xxh3_128(b"\"hello\", world - ok"));
        assert_eq!(content_hash(text), 0x9de3_d4ea_95d7_22ed_d55a_2adb_c2f1_8cd9);
        assert_eq!(content_hash(""), xxh3_128(b""));
    }

    /// The straightforward forms of `content_hash_with` and `clean_text`
    /// (before their fast paths); the fast paths must agree with them.
    fn content_hash_reference(text: &str, fold: bool) -> u128 {
        let mut buf = String::with_capacity(text.len());
        let mut pending_space = false;
        for c in text.chars() {
            let c = if fold { fold_char(c) } else { c };
            if c.is_whitespace() {
                pending_space = !buf.is_empty();
                continue;
            }
            if pending_space {
                buf.push(' ');
                pending_space = false;
            }
            buf.extend(c.to_lowercase());
        }
        xxh3_128(buf.as_bytes())
    }

    fn clean_text_reference(raw: &str) -> String {
        let mut out = String::new();
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    out.push('\n');
                }
                '\n' | '\t' => out.push(c),
                '\u{0085}' | '\u{2028}' => out.push('\n'),
                '\u{2029}' => out.push_str("\n\n"),
                c if c.is_control() || is_dropped_invisible(c) => {}
                c => out.push(c),
            }
        }
        out.nfc().collect()
    }

    #[test]
    fn clean_text_borrows_clean_input() {
        assert!(matches!(clean_text("Plain text.\n\n\tCaf\u{00E9} \u{201C}ok\u{201D}"), Cow::Borrowed(_)));
        assert!(matches!(clean_text("a\r\nb"), Cow::Owned(_)));
        assert!(matches!(clean_text("caf\u{0065}\u{0301}"), Cow::Owned(_)));
        assert_eq!(clean_text("ok \u{00AD}x\u{0085}y\u{007F}"), "ok x\ny");
    }

    #[test]
    fn lower_case_at_most_doubles_a_char() {
        // `hash_form_into` sizes its output on this.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let lower: usize = c.to_lowercase().map(char::len_utf8).sum();
            assert!(lower <= 2 * c.len_utf8(), "{c:?}");
        }
        assert_eq!(content_hash("\u{0130}\u{0130}\u{023A}"), xxh3_128("i\u{0307}i\u{0307}\u{2C65}".as_bytes()));
    }

    const MESSY: &str = "([A-Za-z`]{1,6}|[ \t\n\r\x0B\x0C\x1C\x7F\u{0085}\u{00A0}\u{00AD}\u{200B}\u{2028}\u{2029}\u{2014}\u{201C}\u{0301}\u{0130}\u{1E9E}ÉßΣ]){0,40}";

    proptest! {
        #[test]
        fn content_hash_matches_reference(s in any::<String>(), fold in any::<bool>()) {
            prop_assert_eq!(content_hash_with(&s, fold), content_hash_reference(&s, fold));
        }

        #[test]
        fn content_hash_matches_reference_on_messy_text(s in MESSY, fold in any::<bool>()) {
            prop_assert_eq!(content_hash_with(&s, fold), content_hash_reference(&s, fold));
        }

        #[test]
        fn clean_text_matches_reference(s in any::<String>()) {
            prop_assert_eq!(clean_text(&s).into_owned(), clean_text_reference(&s));
        }

        #[test]
        fn clean_text_matches_reference_on_messy_text(s in MESSY) {
            prop_assert_eq!(clean_text(&s).into_owned(), clean_text_reference(&s));
        }

        #[test]
        fn folding_preserves_char_count(s in any::<String>()) {
            prop_assert_eq!(fold_for_matching(&s).chars().count(), s.chars().count());
        }

        #[test]
        fn folding_is_idempotent(s in any::<String>()) {
            let once = fold_for_matching(&s);
            prop_assert_eq!(fold_for_matching(&once), once.clone());
        }

        #[test]
        fn clean_text_output_has_no_cr_or_controls(s in any::<String>()) {
            let out = clean_text(&s);
            prop_assert!(out.chars().all(|c| c == '\n' || c == '\t' || !c.is_control()));
        }
    }
}
