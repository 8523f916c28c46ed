//! Plain-text bundles: one or many articles.
//!
//! Articles are separated by a form feed (`\x0c`, anywhere) or by a line of
//! five or more `=` (optionally surrounded by spaces or tabs). Each non-blank
//! chunk is one article:
//!
//! ```text
//! Title: Ferry service resumes        <- optional header block: every line a
//! Date: 2024-01-05                       known `Key: value`, then a blank line
//!
//! date 2024-01-05 The ferry …         <- optional `date YYYY-MM-DD` prefix
//! ```
//!
//! Without a header title, a short first line followed by a blank line (and
//! more text) is the title. The body is the rest of the chunk, a contiguous
//! slice of it, so its line structure is kept as written; normalize cleans it.
//! An article's byte range is the chunk with surrounding whitespace trimmed,
//! header included, separator excluded.

use memchr::{memchr, memchr2};

use super::{LineCounter, Sink};
use crate::model::{DateBasis, RawArticle, RawDate, RejectReason};

/// The longest first line (in characters) still taken as a title.
const MAX_TITLE_CHARS: usize = 200;

/// Splits a decoded text bundle into `sink`.
pub(crate) fn split(text: &str, sink: &mut Sink<'_>) {
    let mut lines = LineCounter::new(text);
    for_each_chunk(text, |start, end| {
        let chunk = &text[start..end];
        let trimmed = chunk.trim_start();
        let start = start + (chunk.len() - trimmed.len());
        let trimmed = trimmed.trim_end();
        if trimmed.is_empty() {
            return; // blank chunks (e.g. doubled separators) are not articles
        }
        let end = start + trimmed.len();
        let parsed = parse_chunk(trimmed);
        if parsed.body.is_empty() {
            let line = lines.line(start);
            sink.reject(start, end, Some(line), RejectReason::Empty("article has a header but no body text".into()));
            return;
        }
        let article = RawArticle {
            text: parsed.body.to_owned(),
            title: parsed.title.map(str::to_owned),
            date: parsed.date.map(|d| RawDate { text: d.to_owned(), basis: DateBasis::Header }),
            outlet: parsed.outlet.map(str::to_owned),
            url: parsed.url.map(str::to_owned),
            lang: parsed.lang.map(str::to_owned),
            ..RawArticle::default()
        };
        // The line is only worked out when an item is rejected.
        let reject_line = (parsed.body.len() as u64 > sink.max_article_bytes).then(|| lines.line(start));
        sink.article(start, end, reject_line, article);
    });
}

/// Calls `f(start, end)` for the text between separators, in order. Ranges
/// exclude the separators and may be blank.
fn for_each_chunk(text: &str, mut f: impl FnMut(usize, usize)) {
    let b = text.as_bytes();
    let mut chunk_start = 0;
    let mut line_start = 0;
    let mut pos = 0;
    while let Some(i) = memchr2(b'\n', 0x0c, &b[pos..]).map(|i| pos + i) {
        if b[i] == 0x0c {
            f(chunk_start, i);
            chunk_start = i + 1;
        } else if is_separator_line(&b[line_start..i]) {
            f(chunk_start, line_start);
            chunk_start = i + 1;
        }
        line_start = i + 1;
        pos = i + 1;
    }
    if is_separator_line(&b[line_start..]) {
        f(chunk_start, line_start);
    } else {
        f(chunk_start, b.len());
    }
}

/// A line of 5+ `=`, optionally surrounded by spaces/tabs (and a CR).
fn is_separator_line(line: &[u8]) -> bool {
    let is_pad = |c: &u8| matches!(c, b' ' | b'\t' | b'\r');
    let Some(first) = line.iter().position(|c| !is_pad(c)) else {
        return false;
    };
    if line[first] != b'=' {
        return false; // the common case: a line of text
    }
    let last = line.iter().rposition(|c| !is_pad(c)).unwrap_or(first);
    let core = &line[first..=last];
    core.len() >= 5 && core.iter().all(|&c| c == b'=')
}

/// One article chunk taken apart; all slices borrow from the chunk.
#[derive(Debug, Default, PartialEq, Eq)]
struct Parsed<'a> {
    title: Option<&'a str>,
    date: Option<&'a str>,
    outlet: Option<&'a str>,
    url: Option<&'a str>,
    lang: Option<&'a str>,
    body: &'a str,
}

/// Parses a chunk that starts and ends with non-whitespace.
fn parse_chunk(c: &str) -> Parsed<'_> {
    let (mut p, mut body) = header_block(c).unwrap_or_default();

    let q = skip_whitespace(c, body);
    if let Some((date, after)) = date_prefix(&c[q..]) {
        p.date = p.date.or(Some(date));
        body = q + after;
    }

    if p.title.is_none() {
        let q = skip_whitespace(c, body);
        let (first, next) = line_at(c, q);
        let first = first.trim();
        if is_title(first) && next < c.len() {
            let (second, after) = line_at(c, next);
            if second.trim().is_empty() && !c[after..].trim().is_empty() {
                p.title = Some(first);
                body = after;
            }
        }
    }
    p.body = c[body..].trim();
    p
}

/// The header block at the top of a chunk, and the offset after it. Every
/// line up to the first blank line (or the end) must be a known key line.
fn header_block(c: &str) -> Option<(Parsed<'_>, usize)> {
    let mut p = Parsed::default();
    let mut pos = 0;
    let mut seen = false;
    while pos < c.len() {
        let (line, next) = line_at(c, pos);
        if line.trim().is_empty() {
            return seen.then_some((p, next));
        }
        let (key, value) = key_line(line)?;
        let slot = match key {
            Key::Title => &mut p.title,
            Key::Date => &mut p.date,
            Key::Outlet => &mut p.outlet,
            Key::Url => &mut p.url,
            Key::Lang => &mut p.lang,
            Key::Ignored => {
                seen = true;
                pos = next;
                continue;
            }
        };
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value);
        }
        seen = true;
        pos = next;
    }
    seen.then_some((p, c.len()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Title,
    Date,
    Outlet,
    Url,
    Lang,
    /// Author/Byline: allowed in a header, not kept.
    Ignored,
}

/// `Key: value` with a known key (case-insensitive); the value trimmed.
fn key_line(line: &str) -> Option<(Key, &str)> {
    let colon = memchr(b':', line.as_bytes())?;
    let key = line[..colon].trim();
    const KEYS: &[(&str, Key)] = &[
        ("title", Key::Title),
        ("headline", Key::Title),
        ("date", Key::Date),
        ("published", Key::Date),
        ("pubdate", Key::Date),
        ("source", Key::Outlet),
        ("outlet", Key::Outlet),
        ("publisher", Key::Outlet),
        ("url", Key::Url),
        ("link", Key::Url),
        ("lang", Key::Lang),
        ("language", Key::Lang),
        ("author", Key::Ignored),
        ("byline", Key::Ignored),
    ];
    let kind = KEYS.iter().find(|(k, _)| k.eq_ignore_ascii_case(key))?.1;
    Some((kind, line[colon + 1..].trim()))
}

/// `date YYYY-MM-DD` at the start of `s` (also `Date:`), followed by
/// whitespace or the end. Returns the date and the offset of what follows it
/// on the same line (spaces skipped).
fn date_prefix(s: &str) -> Option<(&str, usize)> {
    let b = s.as_bytes();
    if !b.get(..4)?.eq_ignore_ascii_case(b"date") {
        return None;
    }
    let mut i = 4;
    if b.get(i) == Some(&b':') {
        i += 1;
    }
    let spaces = b[i..].iter().take_while(|&&c| c == b' ' || c == b'\t').count();
    if spaces == 0 {
        return None;
    }
    i += spaces;
    let d = b.get(i..i + 10)?;
    let shape_ok = d.iter().enumerate().all(|(k, &c)| if k == 4 || k == 7 { c == b'-' } else { c.is_ascii_digit() });
    if !shape_ok || b.get(i + 10).is_some_and(|c| !c.is_ascii_whitespace()) {
        return None;
    }
    let date = &s[i..i + 10];
    let mut end = i + 10;
    end += b[end..].iter().take_while(|&&c| c == b' ' || c == b'\t').count();
    Some((date, end))
}

/// Could this (trimmed, non-empty) first line be a title?
fn is_title(line: &str) -> bool {
    // Cheap byte bound first: 200 chars are at most 800 bytes.
    !line.is_empty()
        && line.len() <= MAX_TITLE_CHARS * 4
        && line.chars().count() <= MAX_TITLE_CHARS
        && !line.ends_with(['.', ':', ','])
}

/// The line starting at `pos` (without its `\n`) and the start of the next.
fn line_at(s: &str, pos: usize) -> (&str, usize) {
    match memchr(b'\n', &s.as_bytes()[pos..]) {
        Some(i) => (&s[pos..pos + i], pos + i + 1),
        None => (&s[pos..], s.len()),
    }
}

/// The first non-whitespace offset at or after `pos`.
fn skip_whitespace(s: &str, pos: usize) -> usize {
    let rest = &s[pos..];
    pos + (rest.len() - rest.trim_start().len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BundleFormat, ItemReject};
    use crate::split::{split_bundle, SplitConfig, SplitOutput};

    fn split_txt(doc: &str) -> SplitOutput {
        let out = split_bundle("bundle.txt", doc.as_bytes(), &SplitConfig::default()).unwrap();
        assert_eq!(out.format, BundleFormat::Text);
        out
    }

    fn range<'a>(doc: &'a str, a: &RawArticle) -> &'a str {
        &doc[a.byte_start as usize..a.byte_end as usize]
    }

    #[test]
    fn three_articles_with_both_separators_and_headers() {
        let doc = "Title: Harbour reopens\n\
                   Date: 2024-01-05\n\
                   Source: Coastal Wire\n\
                   URL: https://example.org/harbour\n\
                   Lang: en\n\
                   Author: A. Writer\n\
                   \n\
                   The harbour reopened on Friday.\n\
                   Boats returned by noon.\n\
                   =====\n\
                   Plain second article without a header, one line only.\n\
                   \x0c\n\
                   HEADLINE: Storm passes\n\
                   published: Sat, 06 Jan 2024 10:00:00 GMT\n\
                   \n\
                   The storm moved east.\n";
        let out = split_txt(doc);
        assert_eq!(out.articles.len(), 3);
        assert!(out.rejects.is_empty());

        let a = &out.articles[0];
        assert_eq!(a.index, 0);
        assert_eq!(a.title.as_deref(), Some("Harbour reopens"));
        assert_eq!(a.date, Some(RawDate { text: "2024-01-05".into(), basis: DateBasis::Header }));
        assert_eq!(a.outlet.as_deref(), Some("Coastal Wire"));
        assert_eq!(a.url.as_deref(), Some("https://example.org/harbour"));
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(a.text, "The harbour reopened on Friday.\nBoats returned by noon.");
        assert!(range(doc, a).starts_with("Title: Harbour reopens"));
        assert!(range(doc, a).ends_with("Boats returned by noon."));
        assert_eq!(a.line, None);

        let b = &out.articles[1];
        assert_eq!(b.index, 1);
        assert_eq!(b.title, None);
        assert_eq!(b.text, "Plain second article without a header, one line only.");
        assert_eq!(range(doc, b), b.text);

        let c = &out.articles[2];
        assert_eq!(c.title.as_deref(), Some("Storm passes"));
        assert_eq!(c.date.as_ref().unwrap().text, "Sat, 06 Jan 2024 10:00:00 GMT");
        assert_eq!(c.text, "The storm moved east.");
    }

    #[test]
    fn not_a_header_when_any_line_is_not_a_key_line() {
        let doc = "Source: Coastal Wire\nThe harbour reopened.\n\nMore text.";
        let out = split_txt(doc);
        let a = &out.articles[0];
        assert_eq!(a.outlet, None);
        assert_eq!(a.text, doc);
        // An unknown key is not a header line: here the line is a title.
        let p = parse_chunk("Note: read this\n\nBody here.");
        assert_eq!(p.title, Some("Note: read this"));
        assert_eq!(p.outlet, None);
        assert_eq!(p.body, "Body here.");
    }

    #[test]
    fn date_prefix_forms() {
        let p = parse_chunk("date 2024-01-05 The base came under fire.\nSecond line.");
        assert_eq!(p.date, Some("2024-01-05"));
        assert_eq!(p.body, "The base came under fire.\nSecond line.");
        assert_eq!(p.title, None);

        let p = parse_chunk("Date 2024-01-05\nPort closed\n\nThe port closed early.");
        assert_eq!(p.date, Some("2024-01-05"));
        assert_eq!(p.title, Some("Port closed"));
        assert_eq!(p.body, "The port closed early.");

        // Not a date prefix: wrong shape, or glued to the text.
        for s in ["date 2024-1-05 x", "date 2024-01-05x", "dated 2024-01-05 x", "date2024-01-05 x"] {
            assert_eq!(parse_chunk(s).date, None, "{s}");
        }

        // A header date wins; the prefix is still removed.
        let p = parse_chunk("Date: 2023-12-31\n\ndate 2024-01-05 Body.");
        assert_eq!(p.date, Some("2023-12-31"));
        assert_eq!(p.body, "Body.");
    }

    #[test]
    fn title_line_rules() {
        let p = parse_chunk("Bridge reopens after repairs\n\nThe bridge reopened.\nTraffic flowed.");
        assert_eq!(p.title, Some("Bridge reopens after repairs"));
        assert_eq!(p.body, "The bridge reopened.\nTraffic flowed.");

        // \r\n and a blank line with spaces.
        let p = parse_chunk("Bridge reopens\r\n  \r\nThe bridge reopened.\r\n");
        assert_eq!(p.title, Some("Bridge reopens"));
        assert_eq!(p.body, "The bridge reopened.");

        // Ends with '.', ':' or ',' -> body.
        for first in ["It rained.", "Update:", "Meanwhile,"] {
            let doc = format!("{first}\n\nMore text.");
            let p = parse_chunk(&doc);
            assert_eq!(p.title, None, "{first}");
            assert_eq!(p.body, doc);
        }
        // No blank line after it, or nothing after it -> body.
        assert_eq!(parse_chunk("Short line\nMore text").title, None);
        assert_eq!(parse_chunk("Short line only").title, None);
        // Too long (201 chars) -> body.
        let long = "x".repeat(201);
        assert_eq!(parse_chunk(&format!("{long}\n\nBody")).title, None);
        let ok = "é".repeat(200);
        assert_eq!(parse_chunk(&format!("{ok}\n\nBody")).title, Some(ok.as_str()));
    }

    #[test]
    fn single_long_paragraph_file() {
        let para = "The council met on Tuesday to discuss the budget, ".repeat(20);
        let doc = format!("{}\n", para.trim_end());
        let out = split_txt(&doc);
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].title, None);
        assert_eq!(out.articles[0].text, para.trim_end());
        assert_eq!(out.articles[0].byte_start, 0);
        assert_eq!(out.articles[0].byte_end, para.trim_end().len() as u64);
    }

    #[test]
    fn separators() {
        let mut seen = Vec::new();
        let doc = "a\n=====\nb\n  =======  \r\nc\x0cd\n====\ne\n= = = = =\nf\n=====";
        for_each_chunk(doc, |s, e| seen.push(&doc[s..e]));
        assert_eq!(seen, ["a\n", "b\n", "c", "d\n====\ne\n= = = = =\nf\n"]);
        assert!(is_separator_line(b"\t=====\r"));
        assert!(!is_separator_line(b"=====x"));
        assert!(!is_separator_line(b"   "));

        let out = split_txt("\x0c\x0cfirst\n=====\n\n=====\n\x0c second \x0c\n");
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.articles[1].index, 1);
        assert_eq!(out.articles[1].text, "second");
    }

    #[test]
    fn header_only_chunk_is_an_item_reject() {
        let doc = "Body one.\n=====\nTitle: Nothing here\nDate: 2024-01-05\n=====\nBody two.";
        let out = split_txt(doc);
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.articles[1].index, 1);
        assert_eq!(
            out.rejects,
            vec![ItemReject {
                line: Some(3),
                byte_start: 16,
                byte_end: 52,
                reason: RejectReason::Empty("article has a header but no body text".into()),
            }]
        );
        assert_eq!(&doc[16..52], "Title: Nothing here\nDate: 2024-01-05");
    }

    #[test]
    fn header_values_are_trimmed_and_first_wins() {
        let p = parse_chunk("  title :  First  \nTitle: Second\nLANGUAGE:de\nbyline: X\n\nText.");
        assert_eq!(p.title, Some("First"));
        assert_eq!(p.lang, Some("de"));
        assert_eq!(p.body, "Text.");
        // An empty value is allowed but does not fill the field.
        let p = parse_chunk("Title:\nLink: https://a.example/x\n\nText.");
        assert_eq!(p.title, None);
        assert_eq!(p.url, Some("https://a.example/x"));
    }
}
