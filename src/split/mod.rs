//! The **split** stage: one bundle file in, a list of [`RawArticle`]s out.
//!
//! Core types:
//!
//! * [`split_bundle`] — the entry point: gunzip, sniff, decode, split. Pure: no
//!   I/O, no async, never panics.
//! * [`SplitConfig`] — per-bundle limits (part of the user config).
//! * [`SplitOutput`] — the articles found, per-item rejects, and what the file
//!   turned out to be (format, gzip, encoding).
//!
//! The work is done in three steps:
//!
//! 1. **Gzip** (`.gz` suffix or the `1f 8b` magic): multi-member decompression,
//!    capped at [`SplitConfig::max_decompressed_bytes`].
//! 2. **Sniffing and decoding**: the extension decides the format; files with
//!    an unknown extension are sniffed by content. Text is decoded to UTF-8
//!    (UTF-8 with or without BOM, UTF-16 with BOM, else windows-1252).
//! 3. **Splitting**: the `text` submodule for plain-text bundles, the `json`
//!    submodule for JSON and JSON Lines, [`html`] for a saved web page (one
//!    article, main text extracted by [`extract_html`]), and [`warc`] for WARC
//!    archives (`.warc`, `.warc.gz`: one article per HTML `response` record;
//!    [`warc::warc_articles`] is the streaming form for large files).
//!
//! Byte ranges (`byte_start`/`byte_end`) are always offsets into the bytes as
//! given (after decompression), even when the text was transcoded: splitting
//! works on the decoded text and an internal offset map takes each boundary back. The
//! map is exact: windows-1252 turns every byte into exactly one character, and
//! UTF-16 turns every 2-byte unit (4 for a surrogate pair) into one character.

pub mod html;
mod json;
mod text;
pub mod warc;

use std::borrow::Cow;
use std::io::Read;

use crate::model::{BundleFormat, ItemReject, RawArticle, RejectReason};

/// Limits for one bundle. Part of the user config.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SplitConfig {
    /// Largest decompressed bundle accepted, in bytes (gzip bombs stop here).
    /// Default 268_435_456 (256 MiB).
    pub max_decompressed_bytes: u64,
    /// Largest single article body, in bytes; larger items are rejected
    /// individually and the rest of the bundle is still used. Default
    /// 4_194_304 (4 MiB).
    pub max_article_bytes: u64,
    /// Most articles read from one bundle. A bundle with more is rejected
    /// whole (`too_many_articles`) instead of holding millions of tiny
    /// articles in memory; split such dumps into several files. Default 1_000_000.
    pub max_articles_per_bundle: u64,
    /// Largest single web page (an `.html` file or a WARC response payload),
    /// in bytes; a larger page is rejected (`too_large` for a file,
    /// `page_too_large` for a WARC record) without being parsed. Default
    /// 8_388_608 (8 MiB).
    pub max_page_bytes: u64,
    /// Most records read from one WARC file (of any type); the rest of the
    /// file is rejected with `too_many_articles`. Default 5_000_000.
    pub max_warc_records: u64,
}

impl Default for SplitConfig {
    fn default() -> Self {
        SplitConfig {
            max_decompressed_bytes: 268_435_456,
            max_article_bytes: 4_194_304,
            max_articles_per_bundle: 1_000_000,
            max_page_bytes: 8_388_608,
            max_warc_records: 5_000_000,
        }
    }
}

/// What [`split_bundle`] found in one bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitOutput {
    /// The format the bundle was read as.
    pub format: BundleFormat,
    /// The file was gzip-compressed; byte ranges refer to the decompressed stream.
    pub compressed: bool,
    /// The text encoding the bundle was decoded from: `utf-8`, `utf-16le`,
    /// `utf-16be` or `windows-1252` (an HTML page may also be in another
    /// encoding it declares, e.g. `iso-8859-2`, `shift_jis`; a WARC file's
    /// pages each have their own, so it says `utf-8`).
    pub encoding: &'static str,
    /// Articles in file order, `index` 0, 1, 2, …
    pub articles: Vec<RawArticle>,
    /// Per-item problems; the rest of the file is still used.
    pub rejects: Vec<ItemReject>,
}

/// How much of the start of a file is inspected for NUL and control bytes.
const SNIFF_BYTES: usize = 8192;

/// Splits one bundle into articles.
///
/// `name` is the file name (or relative path) used for extension sniffing;
/// `bytes` the whole file as read. The raw file-size cap is the caller's job.
pub fn split_bundle(name: &str, bytes: &[u8], cfg: &SplitConfig) -> Result<SplitOutput, RejectReason> {
    if bytes.is_empty() {
        return Err(RejectReason::Empty("file has no content".into()));
    }
    // Only the last path component matters; lowercase once so `.JSON` works.
    let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name).to_ascii_lowercase();
    let (inner_name, gz_suffix) = match file_name.strip_suffix(".gz") {
        Some(inner) => (inner, true),
        None => (file_name.as_str(), false),
    };
    let compressed = gz_suffix || bytes.starts_with(&[0x1f, 0x8b]);

    let by_extension = format_from_extension(inner_name);
    // WARC is read as a stream of records (and gzip members), never
    // decompressed whole: a `.warc.gz` is routinely many times the cap.
    if by_extension == Some(BundleFormat::Warc) || by_extension.is_none() && looks_like_warc(bytes, compressed) {
        return split_warc_bundle(bytes, compressed, cfg);
    }

    let data: Cow<'_, [u8]> =
        if compressed { Cow::Owned(gunzip(bytes, cfg.max_decompressed_bytes)?) } else { Cow::Borrowed(bytes) };
    if by_extension == Some(BundleFormat::Html) {
        return split_html(&data, compressed, cfg);
    }
    let decoded = decode(&data)?;
    let text: &str = &decoded.text;
    if text.trim().is_empty() {
        return Err(RejectReason::Empty("file has no content".into()));
    }

    let sniffed = by_extension.unwrap_or_else(|| sniff_content(text));
    let mut sink = Sink {
        map: OffsetMap {
            text,
            kind: decoded.kind,
            base: decoded.base as u64,
            src_len: data.len() as u64,
            dec: 0,
            src: 0,
        },
        articles: Vec::new(),
        rejects: Vec::new(),
        max_article_bytes: cfg.max_article_bytes,
        max_articles: cfg.max_articles_per_bundle,
        overflow: false,
    };
    let format = match sniffed {
        BundleFormat::Html => return split_html(&data, compressed, cfg),
        BundleFormat::Warc => return split_warc_bundle(&data, false, cfg),
        BundleFormat::Text => {
            text::split(text, &mut sink);
            BundleFormat::Text
        }
        BundleFormat::Jsonl => {
            json::split_lines(text, &mut sink);
            BundleFormat::Jsonl
        }
        BundleFormat::Json => json::split_document(text, &mut sink)?,
    };

    if sink.overflow {
        return Err(RejectReason::TooManyArticles { limit: cfg.max_articles_per_bundle });
    }
    if sink.articles.is_empty() && sink.rejects.is_empty() {
        let why = match format {
            BundleFormat::Json => "no articles found (empty JSON array)",
            BundleFormat::Jsonl => "no articles found (only blank lines)",
            _ => "no articles found (only separators and blank chunks)",
        };
        return Err(RejectReason::Empty(why.into()));
    }
    Ok(SplitOutput { format, compressed, encoding: decoded.encoding, articles: sink.articles, rejects: sink.rejects })
}

/// One saved web page: one article spanning the whole (decompressed) file.
fn split_html(data: &[u8], compressed: bool, cfg: &SplitConfig) -> Result<SplitOutput, RejectReason> {
    let size = data.len() as u64;
    if size > cfg.max_page_bytes {
        return Err(RejectReason::TooLarge { size, limit: cfg.max_page_bytes });
    }
    let page = html::page_article(data, &html::PageContext::default())
        .map_err(|_| RejectReason::Empty("no article text found in the page".into()))?;
    let mut article = page.article;
    let text_size = article.text.len() as u64;
    if text_size > cfg.max_article_bytes {
        return Err(RejectReason::ArticleTooLarge { size: text_size, limit: cfg.max_article_bytes });
    }
    article.index = 0;
    article.byte_start = 0;
    article.byte_end = size;
    Ok(SplitOutput {
        format: BundleFormat::Html,
        compressed,
        encoding: page.encoding,
        articles: vec![article],
        rejects: Vec::new(),
    })
}

/// A WARC file held in memory, through the same reader as the streaming path.
fn split_warc_bundle(bytes: &[u8], compressed: bool, cfg: &SplitConfig) -> Result<SplitOutput, RejectReason> {
    let out = warc::split_warc(bytes, compressed, cfg);
    if out.overflow {
        return Err(RejectReason::TooManyArticles { limit: cfg.max_articles_per_bundle });
    }
    if out.articles.is_empty() && out.rejects.is_empty() {
        let why = format!(
            "no HTML pages found in the WARC file ({} records skipped: {})",
            out.skipped.total(),
            out.skipped.by_reason.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
        );
        return Err(RejectReason::Empty(why));
    }
    Ok(SplitOutput {
        format: BundleFormat::Warc,
        compressed,
        encoding: "utf-8",
        articles: out.articles,
        rejects: out.rejects,
    })
}

/// Does a file with no telling extension start like a WARC record? For gzip,
/// only the first few decompressed bytes are looked at.
fn looks_like_warc(bytes: &[u8], compressed: bool) -> bool {
    let mut head = [0u8; 16];
    let n = if compressed {
        let mut d = flate2::read::GzDecoder::new(bytes);
        let mut n = 0;
        while n < head.len() {
            match d.read(&mut head[n..]) {
                Ok(0) | Err(_) => break,
                Ok(k) => n += k,
            }
        }
        n
    } else {
        let n = bytes.len().min(head.len());
        head[..n].copy_from_slice(&bytes[..n]);
        n
    };
    let head = &head[..n];
    let start = head.iter().take_while(|b| b.is_ascii_whitespace()).count();
    head[start..].starts_with(b"WARC/1.")
}

/// The format named by the extension of a lowercase file name, or `None` when
/// there is no extension or an unknown one (then the content decides).
fn format_from_extension(name: &str) -> Option<BundleFormat> {
    let (_, ext) = name.rsplit_once('.')?;
    Some(match ext {
        "txt" | "text" => BundleFormat::Text,
        "jsonl" | "ndjson" => BundleFormat::Jsonl,
        "json" => BundleFormat::Json,
        "html" | "htm" | "xhtml" => BundleFormat::Html,
        "warc" => BundleFormat::Warc,
        _ => return None,
    })
}

/// Guesses the format of a file with an unknown extension from its text.
/// Conservative for JSON: a news text may well start with `[` or `{`
/// ("[Updated] …"), and misreading it as JSON would reject the whole file.
fn sniff_content(text: &str) -> BundleFormat {
    let s = text.trim_start();
    let b = s.as_bytes();
    if starts_with_ignore_case(b, b"<!doctype html") || starts_with_ignore_case(b, b"<html") {
        return BundleFormat::Html;
    }
    if b.starts_with(b"WARC/1.") {
        return BundleFormat::Warc;
    }
    let second = s.get(1..).map(|r| r.trim_start().as_bytes().first().copied());
    let last = s.trim_end().as_bytes().last().copied();
    match b.first() {
        Some(b'{') if json::first_line_is_object(s) => BundleFormat::Jsonl,
        Some(b'{') if matches!(second, Some(Some(b'"' | b'}'))) && last == Some(b'}') => BundleFormat::Json,
        Some(b'[') if matches!(second, Some(Some(b'{'))) && last == Some(b']') => BundleFormat::Json,
        Some(b'[') if s[1..].trim() == "]" => BundleFormat::Json,
        _ => BundleFormat::Text,
    }
}

fn starts_with_ignore_case(hay: &[u8], prefix: &[u8]) -> bool {
    hay.len() >= prefix.len() && hay[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Decompresses a (possibly multi-member) gzip stream, stopping one byte past
/// `limit` so a bomb costs at most `limit + 1` bytes of memory.
fn gunzip(bytes: &[u8], limit: u64) -> Result<Vec<u8>, RejectReason> {
    // A guess at the output size saves most re-allocations; capped so a tiny
    // bomb does not reserve the whole limit up front.
    let guess = bytes.len().saturating_mul(4).min(64 << 20);
    let cap = usize::try_from(limit).map_or(guess, |l| guess.min(l.saturating_add(1)));
    let mut out = Vec::with_capacity(cap);
    flate2::read::MultiGzDecoder::new(bytes)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| RejectReason::CorruptGzip(e.to_string()))?;
    if out.len() as u64 > limit {
        return Err(RejectReason::DecompressionLimit { limit });
    }
    Ok(out)
}

/// How decoded-text offsets relate to source-byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MapKind {
    /// The text is the source (UTF-8): offsets are equal.
    Identity,
    /// Every character came from exactly one source byte (windows-1252).
    SingleByte,
    /// Every character came from one UTF-16 unit (2 bytes), or from a
    /// surrogate pair (4 bytes) for characters above U+FFFF.
    Utf16,
}

/// A bundle decoded to UTF-8.
struct Decoded<'a> {
    text: Cow<'a, str>,
    encoding: &'static str,
    kind: MapKind,
    /// Source bytes before the text (a byte-order mark).
    base: usize,
}

/// Decodes a bundle: BOMs, UTF-16, binary detection, windows-1252 fallback.
fn decode(bytes: &[u8]) -> Result<Decoded<'_>, RejectReason> {
    let utf16 = if bytes.starts_with(&[0xff, 0xfe]) {
        Some((encoding_rs::UTF_16LE, "utf-16le"))
    } else if bytes.starts_with(&[0xfe, 0xff]) {
        Some((encoding_rs::UTF_16BE, "utf-16be"))
    } else {
        None
    };
    if let Some((enc, label)) = utf16 {
        let (text, _) = enc.decode_without_bom_handling(&bytes[2..]);
        // UTF-32 and binary files behind a UTF-16 BOM decode to NULs.
        let head = text.get(..SNIFF_BYTES).unwrap_or(&text);
        if memchr::memchr(0, head.as_bytes()).is_some() {
            return Err(RejectReason::Binary);
        }
        return Ok(Decoded { text, encoding: label, kind: MapKind::Utf16, base: 2 });
    }

    let base = if bytes.starts_with(&[0xef, 0xbb, 0xbf]) { 3 } else { 0 };
    let rest = &bytes[base..];
    let head = &rest[..rest.len().min(SNIFF_BYTES)];
    if memchr::memchr(0, head).is_some() {
        return Err(RejectReason::Binary);
    }
    match std::str::from_utf8(rest) {
        Ok(s) => Ok(Decoded { text: Cow::Borrowed(s), encoding: "utf-8", kind: MapKind::Identity, base }),
        Err(e) => {
            let controls = head.iter().filter(|&&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0c)).count();
            // More than 5% control bytes: not text in any 8-bit encoding.
            if controls * 20 > head.len() {
                return Err(RejectReason::NotDecodable(format!(
                    "invalid UTF-8 at byte {}, and {controls} of the first {} bytes are \
                     control characters, so it is not windows-1252 text either",
                    base + e.valid_up_to(),
                    head.len()
                )));
            }
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(rest);
            Ok(Decoded { text, encoding: "windows-1252", kind: MapKind::SingleByte, base })
        }
    }
}

/// Maps offsets in the decoded text back to offsets in the source bytes.
///
/// Transcoded text is mapped by scanning characters from a cursor, so calls
/// with non-decreasing offsets (the splitters' order) cost O(n) in total; a
/// smaller offset restarts the scan from the beginning.
pub(crate) struct OffsetMap<'t> {
    text: &'t str,
    kind: MapKind,
    base: u64,
    src_len: u64,
    /// Cursor: decoded offset `dec` corresponds to source offset `base + src`.
    dec: usize,
    src: u64,
}

impl OffsetMap<'_> {
    /// The source-byte offset of decoded offset `pos` (clamped to the text,
    /// rounded down to a character boundary).
    pub(crate) fn src(&mut self, pos: usize) -> u64 {
        let mut pos = pos.min(self.text.len());
        while !self.text.is_char_boundary(pos) {
            pos -= 1;
        }
        let off = match self.kind {
            MapKind::Identity => pos as u64,
            kind => {
                if pos < self.dec {
                    self.dec = 0;
                    self.src = 0;
                }
                let seg = &self.text[self.dec..pos];
                self.src += match kind {
                    MapKind::Utf16 => seg.chars().map(|c| if u32::from(c) > 0xffff { 4 } else { 2 }).sum::<u64>(),
                    _ => seg.chars().count() as u64,
                };
                self.dec = pos;
                self.src
            }
        };
        // An odd trailing UTF-16 byte decodes to one U+FFFD "unit": clamp.
        (self.base + off).min(self.src_len)
    }
}

/// Collects articles and item rejects, mapping offsets and numbering articles.
pub(crate) struct Sink<'t> {
    map: OffsetMap<'t>,
    articles: Vec<RawArticle>,
    rejects: Vec<ItemReject>,
    max_article_bytes: u64,
    max_articles: u64,
    /// More than `max_articles` were found: the bundle will be rejected.
    overflow: bool,
}

impl Sink<'_> {
    /// Adds an article spanning decoded offsets `start..end`, or an
    /// `ArticleTooLarge` reject (at `reject_line`) if its text is too big.
    pub(crate) fn article(&mut self, start: usize, end: usize, reject_line: Option<u64>, mut article: RawArticle) {
        let (byte_start, byte_end) = (self.map.src(start), self.map.src(end));
        let size = article.text.len() as u64;
        if size > self.max_article_bytes {
            self.rejects.push(ItemReject {
                line: reject_line,
                byte_start,
                byte_end,
                reason: RejectReason::ArticleTooLarge { size, limit: self.max_article_bytes },
            });
            return;
        }
        if self.articles.len() as u64 >= self.max_articles {
            self.overflow = true;
            return;
        }
        article.index = u32::try_from(self.articles.len()).unwrap_or(u32::MAX);
        article.byte_start = byte_start;
        article.byte_end = byte_end;
        self.articles.push(article);
    }

    /// Adds an item reject spanning decoded offsets `start..end`.
    pub(crate) fn reject(&mut self, start: usize, end: usize, line: Option<u64>, reason: RejectReason) {
        let (byte_start, byte_end) = (self.map.src(start), self.map.src(end));
        self.rejects.push(ItemReject { line, byte_start, byte_end, reason });
    }
}

/// Finds the 1-based line (and the line's start) of offsets in a text,
/// counting newlines forward from the last query: O(n) over a whole pass.
pub(crate) struct LineCounter<'t> {
    bytes: &'t [u8],
    pos: usize,
    line: u64,
    line_start: usize,
}

impl<'t> LineCounter<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        LineCounter { bytes: text.as_bytes(), pos: 0, line: 1, line_start: 0 }
    }

    /// `(line, column)` of byte offset `pos`: 1-based line, 0-based byte column.
    pub(crate) fn locate(&mut self, pos: usize) -> (u64, usize) {
        let pos = pos.min(self.bytes.len());
        if pos < self.pos {
            *self = LineCounter { bytes: self.bytes, pos: 0, line: 1, line_start: 0 };
        }
        let seg = &self.bytes[self.pos..pos];
        if let Some(last) = memchr::memrchr(b'\n', seg) {
            self.line += memchr::memchr_iter(b'\n', seg).count() as u64;
            self.line_start = self.pos + last + 1;
        }
        self.pos = pos;
        (self.line, pos - self.line_start)
    }

    /// The 1-based line of byte offset `pos`.
    pub(crate) fn line(&mut self, pos: usize) -> u64 {
        self.locate(pos).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DateBasis, RawDate};
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use proptest::prelude::*;
    use std::io::Write;

    fn cfg() -> SplitConfig {
        SplitConfig::default()
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn split(name: &str, bytes: &[u8]) -> Result<SplitOutput, RejectReason> {
        split_bundle(name, bytes, &cfg())
    }

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        let mut out = if le { vec![0xff, 0xfe] } else { vec![0xfe, 0xff] };
        for u in s.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    /// Invariants every successful split must satisfy.
    fn check_invariants(out: &SplitOutput, data_len: u64) {
        let mut last_end = 0;
        for (i, a) in out.articles.iter().enumerate() {
            assert_eq!(a.index as usize, i);
            assert!(a.byte_start <= a.byte_end, "{a:?}");
            assert!(a.byte_end <= data_len, "{a:?} beyond {data_len}");
            assert!(a.byte_start >= last_end, "articles out of order");
            last_end = a.byte_end;
        }
        for r in &out.rejects {
            assert!(r.byte_start <= r.byte_end && r.byte_end <= data_len, "{r:?}");
        }
    }

    #[test]
    fn config_defaults_and_serde() {
        let c: SplitConfig = serde_json::from_str("{}").unwrap();
        assert_eq!(c, SplitConfig::default());
        assert_eq!(c.max_decompressed_bytes, 268_435_456);
        assert_eq!(c.max_article_bytes, 4_194_304);
        let c: SplitConfig = serde_json::from_str(r#"{"max_article_bytes": 10}"#).unwrap();
        assert_eq!(c.max_article_bytes, 10);
        assert_eq!(c.max_decompressed_bytes, 268_435_456);
        assert!(serde_json::from_str::<SplitConfig>(r#"{"max_bytes": 1}"#).is_err());
    }

    #[test]
    fn extension_decides_format() {
        let ndjson = b"{\"text\":\"Rain fell on the valley.\"}\n";
        for name in ["a.jsonl", "dir/sub/A.NDJSON", "x.jsonl.gz"] {
            let bytes = if name.ends_with(".gz") { gz(ndjson) } else { ndjson.to_vec() };
            let out = split(name, &bytes).unwrap();
            assert_eq!(out.format, BundleFormat::Jsonl, "{name}");
        }
        // A .txt file stays text even if it looks like JSON.
        let out = split("notes.txt", ndjson).unwrap();
        assert_eq!(out.format, BundleFormat::Text);
        let out = split("a.json", br#"[{"body":"Snow closed the pass."}]"#).unwrap();
        assert_eq!(out.format, BundleFormat::Json);
    }

    #[test]
    fn content_sniffing_for_unknown_extensions() {
        let lines = b"\n  {\"text\":\"One.\"}\n{\"text\":\"Two.\"}\n";
        let out = split("dump", lines).unwrap();
        assert_eq!(out.format, BundleFormat::Jsonl);
        assert_eq!(out.articles.len(), 2);

        let arr = b"[\n  {\"text\": \"One.\"},\n  {\"text\": \"Two.\"}\n]\n";
        let out = split("dump.dat", arr).unwrap();
        assert_eq!(out.format, BundleFormat::Json);
        assert_eq!(out.articles.len(), 2);

        let obj = b"{\n  \"title\": \"T\",\n  \"text\": \"One.\"\n}\n";
        let out = split("feed", obj).unwrap();
        assert_eq!(out.format, BundleFormat::Json);

        // Texts that merely start with a bracket stay text.
        for t in [
            "[Updated] The ferry resumed service on Monday.",
            "{Correction} The bridge reopened.\nMore text follows here.",
            "[ ] a checklist\n[x] done]",
        ] {
            let out = split("notes", t.as_bytes()).unwrap();
            assert_eq!(out.format, BundleFormat::Text, "{t}");
        }
    }

    #[test]
    fn html_and_warc_are_routed_by_extension_and_content() {
        let page = b"<!DOCTYPE html><html><body><article><p>The council approved the new budget on Monday after a long debate \
                     about road repairs and school funding in the district.</p></article></body></html>";
        for (name, bytes) in [
            ("page.html", page.to_vec()),
            ("page.HTM", page.to_vec()),
            ("page.xhtml", page.to_vec()),
            ("saved", page.to_vec()),
            ("page.html.gz", gz(page)),
        ] {
            let out = split(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(out.format, BundleFormat::Html, "{name}");
            assert_eq!(out.articles.len(), 1);
            assert!(out.articles[0].text.starts_with("The council approved"));
            assert_eq!(out.articles[0].byte_end, page.len() as u64);
        }
        // A page with no text is empty, not an error of another kind.
        assert!(matches!(
            split("blank.html", b"<html><body><nav><a href=/>x</a></nav></body></html>"),
            Err(RejectReason::Empty(_))
        ));
        let cfg = SplitConfig { max_page_bytes: 10, ..SplitConfig::default() };
        assert_eq!(
            split_bundle("p.html", page, &cfg),
            Err(RejectReason::TooLarge { size: page.len() as u64, limit: 10 })
        );

        let recs = warc::tests::sample_records();
        let plain = recs.concat();
        let members: Vec<u8> = recs.iter().flat_map(|r| gz(r)).collect();
        for (name, bytes, compressed) in [
            ("crawl.warc", plain.clone(), false),
            ("crawl.warc.gz", members.clone(), true),
            ("crawl", plain.clone(), false),
            ("crawl.dat", members.clone(), true),
        ] {
            let out = split(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(out.format, BundleFormat::Warc, "{name}");
            assert_eq!(out.compressed, compressed);
            assert_eq!(out.articles.len(), 1, "{name}");
            assert_eq!(out.rejects.len(), 1, "{name}: the truncated record");
        }
        // Only non-page records: empty, with the counts in the message.
        match split("info.warc", &recs[0]) {
            Err(RejectReason::Empty(m)) => assert!(m.contains("warcinfo 1"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(split("crawl.warc.gz", b"not even gzip"), Err(_) | Ok(_)));
    }

    #[test]
    fn gzip_multi_member_jsonl() {
        let a = b"{\"text\":\"First member.\",\"title\":\"A\"}\n";
        let b = b"{\"body\":\"Second member.\"}\n";
        let mut bytes = gz(a);
        bytes.extend(gz(b));
        let out = split("news.jsonl.gz", &bytes).unwrap();
        assert!(out.compressed);
        assert_eq!(out.format, BundleFormat::Jsonl);
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.articles[1].text, "Second member.");
        // Ranges refer to the decompressed stream.
        let plain = [&a[..], &b[..]].concat();
        let r = &out.articles[1];
        assert_eq!(&plain[r.byte_start as usize..r.byte_end as usize], &b[..b.len() - 1]);
        assert_eq!(r.line, Some(2));
        // Gzip magic without a .gz name is detected too.
        let out = split("news.jsonl", &bytes).unwrap();
        assert!(out.compressed);
        assert_eq!(out.articles.len(), 2);
    }

    #[test]
    fn gzip_bomb_stops_at_the_limit() {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..50 {
            e.write_all(&zeros).unwrap();
        }
        let bomb = e.finish().unwrap();
        let cfg = SplitConfig { max_decompressed_bytes: 1 << 20, ..SplitConfig::default() };
        assert_eq!(split_bundle("bomb.txt.gz", &bomb, &cfg), Err(RejectReason::DecompressionLimit { limit: 1 << 20 }));
        // Exactly at the limit is fine (and then binary, being zeros).
        let cfg = SplitConfig { max_decompressed_bytes: 50 << 20, ..SplitConfig::default() };
        assert_eq!(split_bundle("bomb.txt.gz", &bomb, &cfg), Err(RejectReason::Binary));
    }

    #[test]
    fn corrupt_gzip() {
        let good = gz(b"Some text that is long enough to compress into a stream.");
        let truncated = &good[..good.len() / 2];
        assert!(matches!(split("a.txt.gz", truncated), Err(RejectReason::CorruptGzip(_))));
        assert!(matches!(split("a.txt.gz", b"plain text, not gzip"), Err(RejectReason::CorruptGzip(_))));
        // An empty decompressed stream is empty, not an error.
        assert!(matches!(split("a.txt.gz", &gz(b"")), Err(RejectReason::Empty(_))));
    }

    #[test]
    fn binary_and_undecodable() {
        let mut bin = b"PK\x03\x04".to_vec();
        bin.extend([0u8; 40]);
        assert_eq!(split("a.txt", &bin), Err(RejectReason::Binary));
        // Control bytes and invalid UTF-8 but no NUL.
        let junk: Vec<u8> = (0..400u32).map(|i| [0x01, 0x02, 0xff, 0x41][i as usize % 4]).collect();
        match split("a.txt", &junk) {
            Err(RejectReason::NotDecodable(m)) => {
                assert!(m.contains("invalid UTF-8 at byte 2"), "{m}")
            }
            other => panic!("{other:?}"),
        }
        // UTF-32 with a BOM decodes to NULs behind the UTF-16 BOM.
        let utf32: Vec<u8> = [0xff, 0xfe, 0, 0, b'h', 0, 0, 0, b'i', 0, 0, 0].to_vec();
        assert_eq!(split("a.txt", &utf32), Err(RejectReason::Binary));
    }

    #[test]
    fn windows_1252_is_decoded_with_exact_ranges() {
        let src: &[u8] =
            b"Title: Caf\xe9 reopens\n\nShe said \x93we are back\x94 \x96 and smiled.\n=====\nSecond \x85 story.\n";
        let out = split("w.txt", src).unwrap();
        assert_eq!(out.encoding, "windows-1252");
        assert_eq!(out.articles.len(), 2);
        let a = &out.articles[0];
        assert_eq!(a.title.as_deref(), Some("Café reopens"));
        assert_eq!(a.text, "She said \u{201c}we are back\u{201d} \u{2013} and smiled.");
        assert_eq!((a.byte_start, a.byte_end), (0, 57));
        let b = &out.articles[1];
        assert_eq!(b.text, "Second \u{2026} story.");
        assert_eq!(&src[b.byte_start as usize..b.byte_end as usize], b"Second \x85 story.");
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let doc = "Headline: Über den Fluss\n\nDas Boot 🚤 kam an.\n\x0cZweite Meldung.\n";
        for le in [true, false] {
            let bytes = utf16(doc, le);
            let out = split("u.txt", &bytes).unwrap();
            assert_eq!(out.encoding, if le { "utf-16le" } else { "utf-16be" });
            check_invariants(&out, bytes.len() as u64);
            assert_eq!(out.articles.len(), 2);
            assert_eq!(out.articles[0].title.as_deref(), Some("Über den Fluss"));
            assert_eq!(out.articles[0].text, "Das Boot 🚤 kam an.");
            for a in &out.articles {
                let slice = &bytes[a.byte_start as usize..a.byte_end as usize];
                let units: Vec<u16> = slice
                    .chunks(2)
                    .map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) })
                    .collect();
                let back = String::from_utf16(&units).unwrap();
                assert!(back.ends_with(&a.text), "{back:?} vs {:?}", a.text);
            }
        }
    }

    #[test]
    fn utf8_bom_is_stripped_and_ranges_include_it() {
        let src = "\u{feff}Only one short article.";
        let out = split("b.txt", src.as_bytes()).unwrap();
        assert_eq!(out.encoding, "utf-8");
        assert_eq!(out.articles[0].text, "Only one short article.");
        assert_eq!(out.articles[0].byte_start, 3);
        assert_eq!(out.articles[0].byte_end, src.len() as u64);
    }

    #[test]
    fn empty_inputs() {
        for bytes in [&b""[..], b"   \n\t\r\n", b"\xef\xbb\xbf", b"\xff\xfe"] {
            match split("e.txt", bytes) {
                Err(RejectReason::Empty(m)) => assert_eq!(m, "file has no content"),
                other => panic!("{bytes:?}: {other:?}"),
            }
        }
        for (name, bytes) in [
            ("s.txt", &b"=====\n\x0c\n  ======  \n\x0c"[..]),
            ("e.jsonl", b"hello"), // jsonl with only a bad line is not empty
            ("e.json", b"[ ]"),
        ] {
            let r = split(name, bytes);
            if name == "e.jsonl" {
                assert_eq!(r.unwrap().rejects.len(), 1);
            } else {
                match r {
                    Err(RejectReason::Empty(m)) => assert!(m.contains("no articles found"), "{m}"),
                    other => panic!("{name}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn json_named_file_with_json_lines_falls_back() {
        let src = b"{\"text\":\"One.\"}\n{\"text\":\"Two.\"}\n";
        let out = split("mislabelled.json", src).unwrap();
        assert_eq!(out.format, BundleFormat::Jsonl);
        assert_eq!(out.articles.len(), 2);
    }

    #[test]
    fn article_limit_rejects_single_items() {
        let cfg = SplitConfig { max_article_bytes: 10, ..SplitConfig::default() };
        let out = split_bundle("a.txt", b"short\n=====\nthis one is too long\n", &cfg).unwrap();
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.rejects.len(), 1);
        assert_eq!(out.rejects[0].line, Some(3));
        assert_eq!(out.rejects[0].reason, RejectReason::ArticleTooLarge { size: 20, limit: 10 });
    }

    #[test]
    fn date_prefix_end_to_end() {
        let out = split("d.txt", b" date 2024-01-05 The base came under fire overnight.").unwrap();
        let a = &out.articles[0];
        assert_eq!(a.date, Some(RawDate { text: "2024-01-05".into(), basis: DateBasis::Header }));
        assert_eq!(a.text, "The base came under fire overnight.");
        assert_eq!(a.byte_start, 1);
    }

    #[test]
    fn offset_map_restarts_when_asked_backwards() {
        let text = "aé€b";
        let mut m = OffsetMap { text, kind: MapKind::SingleByte, base: 0, src_len: 4, dec: 0, src: 0 };
        assert_eq!(m.src(text.len()), 4);
        assert_eq!(m.src(1), 1);
        assert_eq!(m.src(3), 2);
        assert_eq!(m.src(2), 1); // not a char boundary: rounded down
    }

    #[test]
    fn line_counter() {
        let mut l = LineCounter::new("ab\ncd\n\nef");
        assert_eq!(l.locate(0), (1, 0));
        assert_eq!(l.locate(4), (2, 1));
        assert_eq!(l.locate(8), (4, 1));
        assert_eq!(l.locate(1), (1, 1));
        assert_eq!(l.line(100), 4);
    }

    /// A generated text bundle: pieces that exercise the text splitter.
    fn text_bundle() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("=====\n".to_string()),
            Just("  =======  \r\n".to_string()),
            Just("\x0c".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("Title: A headline\n".to_string()),
            Just("date 2024-01-05 ".to_string()),
            Just("Source: Wire\n".to_string()),
            Just("Short title\n\n".to_string()),
            "[a-zA-Z é€🚤.,:]{0,40}",
            "[ \t]{0,3}",
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_input(
            bytes in proptest::collection::vec(any::<u8>(), 0..600),
            name in "[a-zA-Z0-9./\\\\ é]{0,20}",
        ) {
            if let Ok(out) = split_bundle(&name, &bytes, &cfg()) {
                // Arbitrary bytes only decompress when they are gzip, which
                // random input practically never is: bound by the input.
                if !out.compressed {
                    check_invariants(&out, bytes.len() as u64);
                }
            }
        }

        #[test]
        fn never_panics_on_prefixed_input(
            prefix in prop_oneof![
                Just(&b""[..]),
                Just(&b"\x1f\x8b"[..]),
                Just(&b"\xff\xfe"[..]),
                Just(&b"\xfe\xff"[..]),
                Just(&b"\xef\xbb\xbf"[..]),
                Just(&b"{\"text\":"[..]),
                Just(&b"[{"[..]),
                Just(&b" date 2024-01-05 "[..]),
                Just(&b"Title: x\n\n"[..]),
            ],
            rest in proptest::collection::vec(
                prop_oneof![any::<u8>(), Just(b'\n'), Just(b'"'), Just(b'{'), Just(0x0c), Just(b'=')],
                0..300,
            ),
            name in prop_oneof![Just("a"), Just("a.json"), Just("a.jsonl"), Just("a.txt.gz")],
        ) {
            let bytes = [prefix, &rest[..]].concat();
            if let Ok(out) = split_bundle(name, &bytes, &cfg()) {
                if !out.compressed {
                    check_invariants(&out, bytes.len() as u64);
                }
            }
        }

        #[test]
        fn text_bundles_keep_invariants(doc in text_bundle(), limit in 1u64..64) {
            let cfg = SplitConfig { max_article_bytes: limit, ..SplitConfig::default() };
            if let Ok(out) = split_bundle("b.txt", doc.as_bytes(), &cfg) {
                check_invariants(&out, doc.len() as u64);
                for a in &out.articles {
                    // The body is a slice of the article's range.
                    let slice = &doc[a.byte_start as usize..a.byte_end as usize];
                    prop_assert!(slice.contains(&a.text));
                    prop_assert!(!a.text.trim().is_empty());
                }
            }
        }

        #[test]
        fn transcoded_ranges_stay_in_bounds(doc in text_bundle(), le in any::<bool>()) {
            let bytes = utf16(&doc, le);
            if let Ok(out) = split_bundle("b", &bytes, &cfg()) {
                check_invariants(&out, bytes.len() as u64);
                for a in &out.articles {
                    prop_assert_eq!((a.byte_end - a.byte_start) % 2, 0);
                }
            }
            let latin: Vec<u8> = doc.bytes().map(|b| if b >= 0x80 { 0x93 } else { b }).collect();
            if let Ok(out) = split_bundle("b.txt", &latin, &cfg()) {
                check_invariants(&out, latin.len() as u64);
            }
        }

        #[test]
        fn gzip_ranges_refer_to_decompressed_bytes(doc in text_bundle()) {
            let packed = gz(doc.as_bytes());
            if let Ok(out) = split_bundle("b.txt.gz", &packed, &cfg()) {
                prop_assert!(out.compressed);
                check_invariants(&out, doc.len() as u64);
            }
        }
    }

    #[test]
    fn too_many_articles_rejects_the_bundle() {
        let cfg = SplitConfig { max_articles_per_bundle: 3, ..SplitConfig::default() };
        let ok = split_bundle("a.txt", b"one\x0ctwo\x0cthree", &cfg).unwrap();
        assert_eq!(ok.articles.len(), 3);
        let err = split_bundle("a.txt", b"one\x0ctwo\x0cthree\x0cfour", &cfg).unwrap_err();
        assert_eq!(err, RejectReason::TooManyArticles { limit: 3 });
        assert_eq!(err.code(), "too_many_articles");
    }
}
