//! JSON Lines (one article object per line) and JSON documents (one object,
//! or an array of objects).
//!
//! Records are read with a small streaming visitor ([`Fields`]) that keeps
//! only the fields sitrep uses and skips everything else without allocating,
//! so scraper dumps with large unrelated fields stay cheap.
//!
//! Array elements are located by [`scan_array`], a byte scanner that finds
//! top-level element boundaries (respecting strings and escapes), so every
//! element gets its own byte range and line, and one bad element is an item
//! reject instead of spoiling the whole file.

use std::fmt;

use memchr::{memchr, memchr2};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{LineCounter, Sink};
use crate::model::{BundleFormat, DateBasis, RawArticle, RawDate, RejectReason};

/// Splits a JSON Lines bundle into `sink`. Blank lines are skipped; every
/// other line is one record (or one item reject).
pub(crate) fn split_lines(text: &str, sink: &mut Sink<'_>) {
    let b = text.as_bytes();
    let mut pos = 0;
    let mut line = 0u64;
    while pos < b.len() {
        line += 1;
        let (end, next) = match memchr(b'\n', &b[pos..]) {
            Some(i) => (pos + i, pos + i + 1),
            None => (b.len(), b.len()),
        };
        let raw = &text[pos..end];
        let trimmed = raw.trim_start();
        let lead = raw.len() - trimmed.len();
        let trimmed = trimmed.trim_end();
        if !trimmed.is_empty() {
            let start = pos + lead;
            record(trimmed, start, line, lead, sink);
        }
        pos = next;
    }
}

/// Splits a JSON document (an object or an array of objects) into `sink`.
/// Returns the format actually used: a `.json` file that is really JSON Lines
/// is read as JSON Lines.
pub(crate) fn split_document(text: &str, sink: &mut Sink<'_>) -> Result<BundleFormat, RejectReason> {
    let start = text.len() - text.trim_start().len();
    match text.as_bytes().get(start) {
        Some(b'{') => match serde_json::from_str::<Fields>(text) {
            Ok(fields) => {
                let end = text.trim_end().len();
                let line = LineCounter::new(text).line(start);
                push(fields, &text[start..end], start, line, sink);
                Ok(BundleFormat::Json)
            }
            Err(_) if is_json_lines(text) => {
                split_lines(text, sink);
                Ok(BundleFormat::Jsonl)
            }
            Err(e) => Err(malformed_document(&e)),
        },
        Some(b'[') => {
            split_array(text, start, sink)?;
            Ok(BundleFormat::Json)
        }
        _ => Err(RejectReason::MalformedJson {
            line: LineCounter::new(text).line(start),
            message: "expected an object or an array of objects".into(),
        }),
    }
}

/// Is the first non-blank line of `text` one complete JSON object? (Used for
/// sniffing: such a file is JSON Lines, or a one-line JSON object, which
/// reads the same either way.)
pub(crate) fn first_line_is_object(text: &str) -> bool {
    let s = text.trim_start();
    let first = match memchr(b'\n', s.as_bytes()) {
        Some(i) => &s[..i],
        None => s,
    };
    first.starts_with('{') && serde_json::from_str::<IgnoredAny>(first).is_ok()
}

/// A complete object on the first line and more records after it: JSON Lines
/// in a file that claims to be one JSON document.
fn is_json_lines(text: &str) -> bool {
    if !first_line_is_object(text) {
        return false;
    }
    let s = text.trim_start();
    let rest = memchr(b'\n', s.as_bytes()).map_or("", |i| &s[i + 1..]);
    rest.trim_start().starts_with('{')
}

fn split_array(text: &str, open: usize, sink: &mut Sink<'_>) -> Result<(), RejectReason> {
    let elements = match scan_array(text.as_bytes(), open) {
        Ok(elements) => elements,
        Err(at) => {
            // The structure is broken: let serde_json say where and why.
            return Err(match serde_json::from_str::<IgnoredAny>(text) {
                Err(e) => malformed_document(&e),
                Ok(_) => RejectReason::MalformedJson {
                    line: LineCounter::new(text).line(at),
                    message: "unexpected structure in the top-level array".into(),
                },
            });
        }
    };
    let mut lines = LineCounter::new(text);
    for (start, end) in elements {
        let (line, column) = lines.locate(start);
        record(&text[start..end], start, line, column, sink);
    }
    Ok(())
}

/// Finds the top-level elements of the array whose `[` is at `open`, as
/// trimmed `(start, end)` ranges. `Err(offset)` if the structure is broken
/// (unterminated, empty element, trailing data). Elements themselves are not
/// validated here; a bad element is rejected on its own later.
fn scan_array(b: &[u8], open: usize) -> Result<Vec<(usize, usize)>, usize> {
    let mut elements = Vec::new();
    let mut pos = skip_ws(b, open + 1);
    if b.get(pos) == Some(&b']') {
        return trailing(b, pos + 1).map(|()| elements);
    }
    loop {
        let start = pos;
        let mut depth = 0usize;
        let closer = loop {
            match b.get(pos) {
                None => return Err(b.len()),
                Some(b'"') => pos = skip_string(b, pos + 1)?,
                Some(b'{' | b'[') => {
                    depth += 1;
                    pos += 1;
                }
                Some(&c @ (b'}' | b']')) if depth == 0 => {
                    if c == b'}' {
                        return Err(pos);
                    }
                    break c;
                }
                Some(b'}' | b']') => {
                    depth -= 1;
                    pos += 1;
                }
                Some(b',') if depth == 0 => break b',',
                Some(_) => pos += 1,
            }
        };
        let end = start + b[start..pos].trim_ascii_end().len();
        if end == start {
            return Err(pos); // `[,`, `,,` or a trailing comma
        }
        elements.push((start, end));
        if closer == b']' {
            return trailing(b, pos + 1).map(|()| elements);
        }
        pos = skip_ws(b, pos + 1);
    }
}

/// The offset just after the string whose body starts at `pos`.
fn skip_string(b: &[u8], mut pos: usize) -> Result<usize, usize> {
    loop {
        match memchr2(b'"', b'\\', &b[pos.min(b.len())..]) {
            None => return Err(b.len()),
            Some(i) if b[pos + i] == b'"' => return Ok(pos + i + 1),
            Some(i) => pos += i + 2, // skip the escaped character
        }
    }
}

fn skip_ws(b: &[u8], pos: usize) -> usize {
    pos + b[pos.min(b.len())..].iter().take_while(|c| c.is_ascii_whitespace()).count()
}

/// Only whitespace may follow the closing `]`.
fn trailing(b: &[u8], pos: usize) -> Result<(), usize> {
    let end = skip_ws(b, pos);
    if end >= b.len() {
        Ok(())
    } else {
        Err(end)
    }
}

/// Reads one record (a JSONL line or an array element) at decoded offset
/// `start`, on `line`, `column` bytes into that line.
fn record(src: &str, start: usize, line: u64, column: usize, sink: &mut Sink<'_>) {
    let end = start + src.len();
    if !src.starts_with('{') {
        let reason = RejectReason::MalformedJson { line, message: "expected an object".into() };
        sink.reject(start, end, Some(line), reason);
        return;
    }
    match serde_json::from_str::<Fields>(src) {
        Ok(fields) => push(fields, src, start, line, sink),
        Err(e) => {
            let at = line + (e.line() as u64).saturating_sub(1);
            let col = if e.line() <= 1 { column + e.column() } else { e.column() };
            let reason = RejectReason::MalformedJson { line, message: describe(&e, at, col, line) };
            sink.reject(start, end, Some(line), reason);
        }
    }
}

/// Turns parsed fields into an article (or a `NoText` reject).
fn push(fields: Fields, src: &str, start: usize, line: u64, sink: &mut Sink<'_>) {
    let end = start + src.len();
    match fields.into_article(line) {
        Some(article) => sink.article(start, end, Some(line), article),
        None => sink.reject(start, end, Some(line), RejectReason::NoText { line }),
    }
}

/// The whole-document error, at the line and column serde_json reports.
fn malformed_document(e: &serde_json::Error) -> RejectReason {
    let line = e.line() as u64;
    RejectReason::MalformedJson { line, message: describe(e, line, e.column(), line) }
}

/// serde_json's message without its own position, plus the position in the
/// file (the line only when it differs from the record's `line`).
fn describe(e: &serde_json::Error, at_line: u64, column: usize, line: u64) -> String {
    let full = e.to_string();
    let msg = match full.rfind(" at line ") {
        Some(i) if e.line() > 0 => &full[..i],
        _ => return full,
    };
    if at_line == line {
        format!("{msg} at column {column}")
    } else {
        format!("{msg} at line {at_line} column {column}")
    }
}

/// The article fields sitrep reads from a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Text = 0,
    Title,
    Date,
    Url,
    Outlet,
    Lang,
}

/// Which field a record key feeds, and its priority (lower wins): the first
/// present, non-empty name in each list is used.
fn lookup(key: &str) -> Option<(Field, u8)> {
    use Field::*;
    Some(match key {
        "text" => (Text, 0),
        "body" => (Text, 1),
        "content" => (Text, 2),
        "maintext" => (Text, 3),
        "article" => (Text, 4),
        "full_text" => (Text, 5),
        "title" => (Title, 0),
        "headline" => (Title, 1),
        "date" => (Date, 0),
        "published" => (Date, 1),
        "date_publish" => (Date, 2),
        "published_at" => (Date, 3),
        "pubDate" => (Date, 4),
        "datePublished" => (Date, 5),
        "date_published" => (Date, 6),
        "publish_date" => (Date, 7),
        "url" => (Url, 0),
        "link" => (Url, 1),
        "canonical_url" => (Url, 2),
        "source" => (Outlet, 0),
        "outlet" => (Outlet, 1),
        "source_domain" => (Outlet, 2),
        "publisher" => (Outlet, 3),
        "site_name" => (Outlet, 4),
        "lang" => (Lang, 0),
        "language" => (Lang, 1),
        _ => return None,
    })
}

/// The best value seen so far for each [`Field`]: `(priority, value)`.
#[derive(Debug, Default)]
struct Fields {
    slots: [Option<(u8, String)>; 6],
}

impl Fields {
    fn into_article(self, line: u64) -> Option<RawArticle> {
        let [text, title, date, url, outlet, lang] = self.slots.map(|s| s.map(|(_, v)| v));
        let trimmed = |v: Option<String>| {
            v.map(|s| match s.trim() {
                t if t.len() == s.len() => s,
                t => t.to_owned(),
            })
        };
        Some(RawArticle {
            line: Some(line),
            text: text?,
            title: trimmed(title),
            date: trimmed(date).map(|text| RawDate { text, basis: DateBasis::Json }),
            url: trimmed(url),
            outlet: trimmed(outlet),
            lang: trimmed(lang),
            ..RawArticle::default()
        })
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut fields = Fields::default();
        while let Some(Key(key)) = map.next_key()? {
            let Some((field, prio)) = key else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let slot = &mut fields.slots[field as usize];
            if slot.as_ref().is_some_and(|(p, _)| *p <= prio) {
                map.next_value::<IgnoredAny>()?; // a better name already won
                continue;
            }
            let value = match (map.next_value::<Value>()?, field) {
                (Value::Str(s), _) => s,
                (Value::Num(s), Field::Date) => s,         // epoch seconds/ms
                (Value::Obj(Some(s)), Field::Outlet) => s, // {"name": …}
                _ => continue,
            };
            if !value.trim().is_empty() {
                *slot = Some((prio, value));
            }
        }
        Ok(fields)
    }
}

/// A record key, resolved without allocating.
struct Key(Option<(Field, u8)>);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(lookup(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A field value, reduced to what sitrep can use.
enum Value {
    Str(String),
    /// A number as its decimal text.
    Num(String),
    /// An object's non-empty `name`, else its `domain` (for `source`).
    Obj(Option<String>),
    /// Anything else (null, bool, array).
    Other,
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Num(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Num(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // Display never uses exponents: 1.7044128e9 prints as 1704412800.
        Ok(Value::Num(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Value, E> {
        Ok(Value::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let (mut name, mut domain) = (None, None);
        while let Some(key) = map.next_key::<SubKey>()? {
            let slot = match key {
                SubKey::Name => &mut name,
                SubKey::Domain => &mut domain,
                SubKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if let Value::Str(s) = map.next_value::<Value>()? {
                if slot.is_none() && !s.trim().is_empty() {
                    *slot = Some(s);
                }
            }
        }
        Ok(Value::Obj(name.or(domain)))
    }
}

/// Keys of a nested `source` object.
enum SubKey {
    Name,
    Domain,
    Other,
}

impl<'de> Deserialize<'de> for SubKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = SubKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SubKey, E> {
                Ok(match v {
                    "name" => SubKey::Name,
                    "domain" => SubKey::Domain,
                    _ => SubKey::Other,
                })
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ItemReject;
    use crate::split::{split_bundle, SplitConfig, SplitOutput};
    use proptest::prelude::*;

    fn split(name: &str, doc: &str) -> Result<SplitOutput, RejectReason> {
        split_bundle(name, doc.as_bytes(), &SplitConfig::default())
    }

    fn range(doc: &str, start: u64, end: u64) -> &str {
        &doc[start as usize..end as usize]
    }

    #[test]
    fn jsonl_mixed_fields_broken_and_textless_lines() {
        let doc = concat!(
            r#"{"title":"Dam holds","text":"The dam held overnight.","date":"2024-01-05","url":"https://a.example/1","source":"River Post","lang":"en"}"#,
            "\n",
            "\n",
            r#"{"headline":"Road cut","body":"Snow cut the road.","published_at":1704412800,"link":"https://b.example/2","source":{"name":"Mountain Daily","domain":"md.example"}}"#,
            "\n",
            r#"{"text":"oops", "title": }"#,
            "\n",
            r#"{"title":"No body here","url":"https://c.example/3"}"#,
            "\r\n",
            r#"  ["not", "an object"]  "#,
            "\n",
            r#"{"maintext":"Final line without newline.","date_publish":"2024-01-06 08:00:00","source_domain":"news.example","language":"de","text":"  "}"#,
        );
        let out = split("feed.jsonl", doc).unwrap();
        assert_eq!(out.format, BundleFormat::Jsonl);
        assert_eq!(out.articles.len(), 3);

        let a = &out.articles[0];
        assert_eq!((a.index, a.line), (0, Some(1)));
        assert_eq!(a.title.as_deref(), Some("Dam holds"));
        assert_eq!(a.text, "The dam held overnight.");
        assert_eq!(a.date, Some(RawDate { text: "2024-01-05".into(), basis: DateBasis::Json }));
        assert_eq!(a.url.as_deref(), Some("https://a.example/1"));
        assert_eq!(a.outlet.as_deref(), Some("River Post"));
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert!(range(doc, a.byte_start, a.byte_end).starts_with(r#"{"title":"Dam holds""#));
        assert!(range(doc, a.byte_start, a.byte_end).ends_with(r#""lang":"en"}"#));

        let b = &out.articles[1];
        assert_eq!((b.index, b.line), (1, Some(3)));
        assert_eq!(b.title.as_deref(), Some("Road cut"));
        assert_eq!(b.text, "Snow cut the road.");
        assert_eq!(b.date.as_ref().unwrap().text, "1704412800");
        assert_eq!(b.url.as_deref(), Some("https://b.example/2"));
        assert_eq!(b.outlet.as_deref(), Some("Mountain Daily"));

        let c = &out.articles[2];
        assert_eq!((c.index, c.line), (2, Some(7)));
        // "text" is blank, so the next name in the list wins.
        assert_eq!(c.text, "Final line without newline.");
        assert_eq!(c.date.as_ref().unwrap().text, "2024-01-06 08:00:00");
        assert_eq!(c.outlet.as_deref(), Some("news.example"));
        assert_eq!(c.lang.as_deref(), Some("de"));
        assert_eq!(c.byte_end, doc.len() as u64);

        assert_eq!(out.rejects.len(), 3);
        let r = &out.rejects[0];
        assert_eq!(r.line, Some(4));
        assert_eq!(range(doc, r.byte_start, r.byte_end), r#"{"text":"oops", "title": }"#);
        match &r.reason {
            RejectReason::MalformedJson { line: 4, message } => {
                assert!(message.contains("at column"), "{message}");
                assert!(!message.contains("line"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(out.rejects[1].reason, RejectReason::NoText { line: 5 });
        assert_eq!(
            range(doc, out.rejects[1].byte_start, out.rejects[1].byte_end),
            r#"{"title":"No body here","url":"https://c.example/3"}"#
        );
        assert_eq!(
            out.rejects[2],
            ItemReject {
                line: Some(6),
                byte_start: out.rejects[2].byte_start,
                byte_end: out.rejects[2].byte_end,
                reason: RejectReason::MalformedJson { line: 6, message: "expected an object".into() },
            }
        );
        assert_eq!(range(doc, out.rejects[2].byte_start, out.rejects[2].byte_end), r#"["not", "an object"]"#);
    }

    #[test]
    fn field_priority_is_list_order_not_key_order() {
        let doc = r#"{"content":"third","body":"second","headline":"H2","title":"H1","pubDate":"P","date":"D","publisher":{"name":"Pub"},"outlet":"Out"}"#;
        let out = split("x.jsonl", doc).unwrap();
        let a = &out.articles[0];
        assert_eq!(a.text, "second");
        assert_eq!(a.title.as_deref(), Some("H1"));
        assert_eq!(a.date.as_ref().unwrap().text, "D");
        assert_eq!(a.outlet.as_deref(), Some("Out"));
        // Wrong types are ignored: numbers only count for dates, objects
        // only for the outlet.
        let doc = r#"{"text":5,"body":"b","title":{"name":"x"},"date":1.5e3,"source":{"domain":"d.example","name":""},"url":null,"lang":["en"]}"#;
        let a = &split("x.jsonl", doc).unwrap().articles[0];
        assert_eq!(a.text, "b");
        assert_eq!(a.title, None);
        assert_eq!(a.date.as_ref().unwrap().text, "1500");
        assert_eq!(a.outlet.as_deref(), Some("d.example"));
        assert_eq!((a.url.as_deref(), a.lang.as_deref()), (None, None));
    }

    #[test]
    fn text_is_kept_as_found_other_fields_trimmed() {
        let doc = r#"{"text":"  Line one.\nLine two.  ","title":"  Spaced  ","full_text":"ignored"}"#;
        let a = &split("x.ndjson", doc).unwrap().articles[0];
        assert_eq!(a.text, "  Line one.\nLine two.  ");
        assert_eq!(a.title.as_deref(), Some("Spaced"));
    }

    #[test]
    fn json_array_with_ranges_and_lines() {
        let doc = "[\n  {\"title\": \"A [bracket] \\\"quote\\\" }\", \"text\": \"First.\"},\n  {\"article\": \"Second.\",\n   \"datePublished\": \"2024-01-05T10:00:00Z\"}\n  , {\"text\": \"Third.\"}]\n";
        let out = split("a.json", doc).unwrap();
        assert_eq!(out.format, BundleFormat::Json);
        assert_eq!(out.articles.len(), 3);
        let a = &out.articles[0];
        assert_eq!(a.title.as_deref(), Some("A [bracket] \"quote\" }"));
        assert_eq!(a.line, Some(2));
        let b = &out.articles[1];
        assert_eq!(b.text, "Second.");
        assert_eq!(b.line, Some(3));
        assert_eq!(b.date.as_ref().unwrap().text, "2024-01-05T10:00:00Z");
        assert_eq!(out.articles[2].line, Some(5));
        for a in &out.articles {
            let slice = range(doc, a.byte_start, a.byte_end);
            assert!(serde_json::from_str::<serde_json::Value>(slice).unwrap().is_object());
        }
    }

    #[test]
    fn bad_elements_are_item_rejects() {
        let doc = "[\n{\"text\": \"Good.\"},\n\"a string\",\n{\"text\": tru},\n{\"title\": \"no text\"},\n{\"text\":\n  \"x\" \"y\"}\n]";
        let out = split("a.json", doc).unwrap();
        assert_eq!(out.articles.len(), 1);
        let lines: Vec<_> = out.rejects.iter().map(|r| r.line).collect();
        assert_eq!(lines, [Some(3), Some(4), Some(5), Some(6)]);
        assert_eq!(
            out.rejects[0].reason,
            RejectReason::MalformedJson { line: 3, message: "expected an object".into() }
        );
        match &out.rejects[1].reason {
            RejectReason::MalformedJson { line: 4, message } => {
                assert!(message.ends_with("at column 13"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(out.rejects[2].reason, RejectReason::NoText { line: 5 });
        match &out.rejects[3].reason {
            RejectReason::MalformedJson { line: 6, message } => {
                assert!(message.contains("at line 7 column"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn whole_document_errors() {
        let cases = [
            ("[\n{\"text\": \"a\"},\n{\"text\": \"b\"\n", 4), // unterminated
            ("[\n{\"text\": \"a\"},\n]", 3),                  // trailing comma
            ("[{\"text\": \"a\"}] extra", 1),                 // trailing data
            ("{\n\"text\": \"a\",\n\"title\" \"b\"\n}", 3),   // bad object
            ("[{\"text\": \"a\"}}", 1),                       // mismatched closer
            ("\n\n\"just a string\"", 3),                     // not an object
            ("[\"unterminated", 1),
        ];
        for (doc, want) in cases {
            match split("d.json", doc) {
                Err(RejectReason::MalformedJson { line, message }) => {
                    assert_eq!(line, want, "{doc:?}: {message}")
                }
                other => panic!("{doc:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn single_object_document() {
        let doc = "\n  {\n    \"title\": \"One\",\n    \"content\": \"Only article.\"\n  }\n\n";
        let out = split("one.json", doc).unwrap();
        assert_eq!(out.articles.len(), 1);
        let a = &out.articles[0];
        assert_eq!(a.line, Some(2));
        assert_eq!(a.text, "Only article.");
        assert!(range(doc, a.byte_start, a.byte_end).starts_with('{'));
        assert!(range(doc, a.byte_start, a.byte_end).ends_with('}'));
        // An object without text is an item reject, not a file error.
        let out = split("one.json", r#"{"title":"x"}"#).unwrap();
        assert_eq!(out.rejects[0].reason, RejectReason::NoText { line: 1 });
    }

    #[test]
    fn scanner_edge_cases() {
        let scan = |s: &str| scan_array(s.as_bytes(), s.find('[').unwrap());
        assert_eq!(scan("[]"), Ok(vec![]));
        assert_eq!(scan(" [ 1 , [2,3] ,{\"a\":\"]\\\\\"} ] "), Ok(vec![(3, 4), (7, 12), (14, 25)]));
        assert!(scan("[1,,2]").is_err());
        assert!(scan("[,1]").is_err());
        assert!(scan("[1").is_err());
        assert!(scan("[\"a\\").is_err());
        assert!(scan("[1]x").is_err());
    }

    #[test]
    fn too_large_json_articles() {
        let cfg = SplitConfig { max_article_bytes: 5, ..SplitConfig::default() };
        let doc = "{\"text\":\"tiny\"}\n{\"text\":\"much too big\"}\n";
        let out = split_bundle("a.jsonl", doc.as_bytes(), &cfg).unwrap();
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.rejects[0].line, Some(2));
        assert_eq!(out.rejects[0].reason, RejectReason::ArticleTooLarge { size: 12, limit: 5 });
    }

    proptest! {
        #[test]
        fn arbitrary_jsonish_never_panics(
            doc in "[\\[\\]{}\",:\\\\ \na-z0-9]{0,80}",
            ext in prop_oneof![Just("json"), Just("jsonl"), Just("bin")],
        ) {
            let name = format!("f.{ext}");
            if let Ok(out) = split(&name, &doc) {
                for (i, a) in out.articles.iter().enumerate() {
                    prop_assert_eq!(a.index as usize, i);
                    prop_assert!(a.byte_start <= a.byte_end && a.byte_end as usize <= doc.len());
                }
                for r in &out.rejects {
                    prop_assert!(r.byte_start <= r.byte_end && r.byte_end as usize <= doc.len());
                }
            }
        }

        #[test]
        fn array_elements_round_trip(texts in proptest::collection::vec("[ -~é\n]{0,12}", 0..8)) {
            let elements: Vec<_> = texts
                .iter()
                .map(|t| serde_json::json!({ "text": t, "title": "]}" }))
                .collect();
            let doc = serde_json::to_string_pretty(&elements).unwrap();
            match split("a.json", &doc) {
                Ok(out) => {
                    let kept: Vec<_> = texts.iter().filter(|t| !t.trim().is_empty()).collect();
                    prop_assert_eq!(out.articles.len(), kept.len());
                    for (a, t) in out.articles.iter().zip(kept) {
                        prop_assert_eq!(&a.text, t);
                        let v: serde_json::Value =
                            serde_json::from_str(range(&doc, a.byte_start, a.byte_end)).unwrap();
                        prop_assert_eq!(v["text"].as_str(), Some(t.as_str()));
                    }
                }
                Err(e) => prop_assert!(matches!(e, RejectReason::Empty(_)), "{e:?}"),
            }
        }
    }
}
