//! WARC/1.0 and WARC/1.1 archives (`.warc`, `.warc.gz`): `response` records
//! with HTML pages become articles, read as a stream.
//!
//! Core items:
//!
//! * [`warc_articles`] — the streaming API: any [`Read`] in, an iterator of
//!   `Result<RawArticle, ItemReject>` out. Memory is bounded by one record
//!   (at most [`SplitConfig::max_page_bytes`] plus its headers), never by the
//!   file: a 1 GB `.warc.gz` streams through.
//! * [`WarcArticles`] — that iterator; [`WarcArticles::skipped`] counts the
//!   records that were not pages ([`Skipped`], by reason).
//! * [`split_warc`] — the same over bytes in memory, for `split_bundle`.
//!
//! Gzip: a `.warc.gz` is normally one gzip member per record (so a CDX index
//! can seek to a record); a whole-file gzip works too. Each member is
//! decompressed on its own, so [`RawArticle::record_offset`] is the member's
//! offset in the compressed file, exactly what CDX indexes give. Byte ranges
//! (`byte_start`/`byte_end`) are the record's span in the decompressed stream.
//! One member may not decompress to more than
//! [`SplitConfig::max_decompressed_bytes`] (a bomb stops there, with a reject).
//!
//! Damage: a record whose header cannot be parsed is rejected with its offset
//! and reading resumes at the next gzip member (compressed) or the next line
//! starting with `WARC/1.` (plain). A record cut short by the end of the file
//! or a corrupt gzip member is rejected, and for gzip the reader looks for the
//! next member's magic bytes, so the rest of the file is still used.
//!
//! A `response` record is a page when its HTTP status is 2xx and its
//! `Content-Type` is `text/html` or `application/xhtml+xml` (or absent, with a
//! body that looks like HTML). Chunked transfer encoding and gzip/deflate
//! content encoding are undone. The `WARC-Date` is used as the article date
//! (basis [`DateBasis::Warc`]) only when the page itself has none.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read};

use super::html::{page_article, PageContext};
use super::SplitConfig;
use crate::model::{DateBasis, ItemReject, RawArticle, RawDate, RejectReason};

/// Most bytes in one record's WARC header block (the named fields).
const MAX_HEADER_BYTES: usize = 64 * 1024;
/// Slack on top of `max_page_bytes` for the HTTP status line and headers.
const HTTP_HEADER_SLACK: u64 = 64 * 1024;
/// How far a resync scan may look for the next record, in bytes.
const MAX_RESYNC_BYTES: u64 = 1 << 30;

/// Why records were skipped, with counts. Keys are stable snake_case reasons:
/// the record type for non-response records (`warcinfo`, `request`,
/// `metadata`, `revisit`, `resource`, …) and `not_http`, `http_status`,
/// `not_html`, `content_encoding`, `no_text` for responses that are not pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skipped {
    pub by_reason: BTreeMap<String, u64>,
}

impl Skipped {
    fn add(&mut self, reason: &str) {
        *self.by_reason.entry(reason.to_string()).or_insert(0) += 1;
    }

    pub fn get(&self, reason: &str) -> u64 {
        self.by_reason.get(reason).copied().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.by_reason.values().sum()
    }
}

/// Everything [`split_warc`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WarcOutput {
    pub articles: Vec<RawArticle>,
    pub rejects: Vec<ItemReject>,
    pub skipped: Skipped,
    /// More than `max_articles_per_bundle` pages: the caller rejects the file.
    pub overflow: bool,
}

/// Reads a whole WARC held in memory (the `split_bundle` path).
pub fn split_warc(bytes: &[u8], compressed: bool, cfg: &SplitConfig) -> WarcOutput {
    let mut it = warc_articles(bytes, compressed, cfg);
    let mut out = WarcOutput::default();
    for item in it.by_ref() {
        match item {
            Ok(a) => {
                if out.articles.len() as u64 >= cfg.max_articles_per_bundle {
                    out.overflow = true;
                    break;
                }
                out.articles.push(a);
            }
            Err(r) => out.rejects.push(r),
        }
    }
    out.skipped = it.skipped().clone();
    out
}

/// Streams the pages of a WARC file. `compressed`: the input is gzip (per
/// record or whole file). See the module docs for limits and damage handling.
pub fn warc_articles<R: Read>(reader: R, compressed: bool, cfg: &SplitConfig) -> WarcArticles<R> {
    let raw = Counted::new(reader);
    WarcArticles {
        stream: Stream::new(raw, compressed, cfg.max_decompressed_bytes),
        cfg: cfg.clone(),
        skipped: Skipped::default(),
        records: 0,
        next_index: 0,
        done: false,
    }
}

/// The iterator returned by [`warc_articles`].
pub struct WarcArticles<R: Read> {
    stream: Stream<R>,
    cfg: SplitConfig,
    skipped: Skipped,
    records: u64,
    next_index: u32,
    done: bool,
}

impl<R: Read> WarcArticles<R> {
    /// Records skipped so far, by reason.
    pub fn skipped(&self) -> &Skipped {
        &self.skipped
    }

    /// Records read so far (pages, skipped and rejected).
    pub fn records(&self) -> u64 {
        self.records
    }
}

impl<R: Read> Iterator for WarcArticles<R> {
    type Item = Result<RawArticle, ItemReject>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.next_record() {
                Step::Article(mut a) => {
                    a.index = self.next_index;
                    self.next_index = self.next_index.saturating_add(1);
                    return Some(Ok(a));
                }
                Step::Reject(r) => return Some(Err(r)),
                Step::Skip => {}
                Step::End => self.done = true,
                Step::Fatal(r) => {
                    self.done = true;
                    return Some(Err(r));
                }
            }
        }
        None
    }
}

enum Step {
    Article(RawArticle),
    Skip,
    Reject(ItemReject),
    /// A reject after which nothing more can be read.
    Fatal(ItemReject),
    End,
}

fn reject(start: u64, end: u64, reason: RejectReason) -> ItemReject {
    ItemReject { line: None, byte_start: start, byte_end: end, reason }
}

/// Where a record starts: decompressed offset and offset as stored.
fn where_(dpos: u64, stored: u64, compressed: bool) -> String {
    if compressed {
        format!("offset {dpos} in the decompressed stream, gzip member at byte {stored}")
    } else {
        format!("offset {dpos}")
    }
}

impl<R: Read> WarcArticles<R> {
    fn next_record(&mut self) -> Step {
        // Blank lines between records are tolerated.
        if let Err(e) = self.stream.skip_newlines() {
            return self.stream_error(e);
        }
        match self.stream.fill() {
            Ok(true) => {}
            Ok(false) => return Step::End,
            Err(e) => return self.stream_error(e),
        }
        let start = self.stream.dpos;
        let stored = self.stream.stored_offset();
        let compressed = self.stream.compressed;
        self.records += 1;
        if self.records > self.cfg.max_warc_records {
            let r = reject(start, start, RejectReason::TooManyArticles { limit: self.cfg.max_warc_records });
            return Step::Fatal(r);
        }

        let header = match self.stream.read_header() {
            Ok(Some(h)) => h,
            Ok(None) => {
                let msg = format!(
                    "truncated WARC record at {}: the file ends inside the record header",
                    where_(start, stored, compressed)
                );
                return Step::Fatal(reject(start, self.stream.dpos, RejectReason::MalformedWarc(msg)));
            }
            Err(e) => return self.stream_error(e),
        };
        let fields = match parse_warc_header(&header) {
            Ok(f) => f,
            Err(why) => {
                let msg = format!("malformed WARC record at {}: {why}", where_(start, stored, compressed));
                let end = self.stream.dpos;
                if let Err(e) = self.stream.resync() {
                    return self.stream_error(e);
                }
                return Step::Reject(reject(start, end, RejectReason::MalformedWarc(msg)));
            }
        };

        let len = fields.content_length;
        let rtype = fields.warc_type.to_ascii_lowercase();
        let is_http_response = rtype == "response"
            && fields.content_type.as_deref().is_none_or(|c| c.to_ascii_lowercase().contains("application/http"));
        let page_limit = self.cfg.max_page_bytes.saturating_add(HTTP_HEADER_SLACK);
        let block = if is_http_response && len <= page_limit {
            match self.stream.read_exact_vec(len) {
                Ok(Some(b)) => Some(b),
                Ok(None) => return self.truncated(start, stored, len),
                Err(e) => return self.stream_error(e),
            }
        } else {
            match self.stream.discard(len) {
                Ok(true) => None,
                Ok(false) => return self.truncated(start, stored, len),
                Err(e) => return self.stream_error(e),
            }
        };
        if let Err(e) = self.stream.skip_newlines() {
            return self.stream_error(e);
        }
        let end = self.stream.dpos;

        if rtype != "response" {
            self.skipped.add(if rtype.is_empty() { "unknown" } else { &rtype });
            return Step::Skip;
        }
        if !is_http_response {
            self.skipped.add("not_http");
            return Step::Skip;
        }
        let Some(block) = block else {
            let size = len;
            return Step::Reject(reject(
                start,
                end,
                RejectReason::PageTooLarge { size, limit: self.cfg.max_page_bytes },
            ));
        };
        let resp = match parse_http(&block) {
            Ok(r) => r,
            Err(_) => {
                self.skipped.add("not_http");
                return Step::Skip;
            }
        };
        if !(200..300).contains(&resp.status) {
            self.skipped.add("http_status");
            return Step::Skip;
        }
        let body = match decode_body(&resp, &block[resp.body_start..], self.cfg.max_page_bytes) {
            Ok(b) => b,
            Err(BodyError::Encoding) => {
                self.skipped.add("content_encoding");
                return Step::Skip;
            }
            Err(BodyError::TooLarge(size)) => {
                return Step::Reject(reject(
                    start,
                    end,
                    RejectReason::PageTooLarge { size, limit: self.cfg.max_page_bytes },
                ));
            }
        };
        if !is_html(resp.content_type.as_deref(), &body) {
            self.skipped.add("not_html");
            return Step::Skip;
        }
        if body.len() as u64 > self.cfg.max_page_bytes {
            let size = body.len() as u64;
            return Step::Reject(reject(
                start,
                end,
                RejectReason::PageTooLarge { size, limit: self.cfg.max_page_bytes },
            ));
        }
        let ctx = PageContext { http_charset: resp.charset.as_deref(), url: fields.target_uri.as_deref() };
        let page = match page_article(&body, &ctx) {
            Ok(p) => p,
            Err(_) => {
                self.skipped.add("no_text");
                return Step::Skip;
            }
        };
        let mut a = page.article;
        let size = a.text.len() as u64;
        if size > self.cfg.max_article_bytes {
            return Step::Reject(reject(
                start,
                end,
                RejectReason::ArticleTooLarge { size, limit: self.cfg.max_article_bytes },
            ));
        }
        // The capture's URL identifies the record (CDX indexes key on it).
        if let Some(u) = fields.target_uri {
            a.url = Some(u);
        }
        if a.outlet.is_none() {
            a.outlet = a.url.as_deref().and_then(super::html::host_of);
        }
        if a.date.is_none() {
            a.date = fields.date.map(|text| RawDate { text, basis: DateBasis::Warc });
        }
        a.byte_start = start;
        a.byte_end = end;
        a.record_offset = Some(stored);
        a.record_id = fields.record_id;
        Step::Article(a)
    }

    fn truncated(&mut self, start: u64, stored: u64, len: u64) -> Step {
        let msg = format!(
            "truncated WARC record at {}: Content-Length is {len} but the file ends after {} bytes of it",
            where_(start, stored, self.stream.compressed),
            self.stream.dpos.saturating_sub(start)
        );
        let r = reject(start, self.stream.dpos, RejectReason::MalformedWarc(msg));
        // A truncated gzip member may be followed by intact ones.
        if self.stream.compressed && self.stream.next_member().unwrap_or(false) {
            return Step::Reject(r);
        }
        Step::Fatal(r)
    }

    /// A decompression error: reject here, then try the next gzip member.
    fn stream_error(&mut self, e: StreamError) -> Step {
        let at = self.stream.dpos;
        match e {
            StreamError::Limit => {
                let limit = self.cfg.max_decompressed_bytes;
                Step::Fatal(reject(at, at, RejectReason::DecompressionLimit { limit }))
            }
            StreamError::Io(e) => {
                let stored = self.stream.stored_offset();
                let r = reject(
                    at,
                    at,
                    RejectReason::CorruptGzip(format!("{e} (gzip member at byte {stored}, decompressed offset {at})")),
                );
                if self.stream.compressed && self.stream.next_member().unwrap_or(false) {
                    Step::Reject(r)
                } else {
                    Step::Fatal(r)
                }
            }
        }
    }
}

/// The named fields of a WARC record that matter here.
#[derive(Debug, Default)]
struct WarcFields {
    warc_type: String,
    content_length: u64,
    target_uri: Option<String>,
    date: Option<String>,
    record_id: Option<String>,
    content_type: Option<String>,
}

fn parse_warc_header(h: &[u8]) -> Result<WarcFields, String> {
    let text = String::from_utf8_lossy(h);
    let mut lines = text.split('\n').map(|l| l.trim_end_matches('\r'));
    let version = lines.next().unwrap_or("");
    if !(version.starts_with("WARC/1.0") || version.starts_with("WARC/1.1") || version.starts_with("WARC/0.")) {
        let shown: String = version.chars().take(40).collect();
        return Err(format!("expected a WARC/1.0 or WARC/1.1 version line, found {shown:?}"));
    }
    let mut f = WarcFields::default();
    let mut length = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "warc-type" => f.warc_type = value.to_string(),
            "content-length" => {
                length = Some(value.parse::<u64>().map_err(|_| format!("bad Content-Length {value:?}"))?)
            }
            // WARC/1.0 wraps the URI in angle brackets in some writers.
            "warc-target-uri" => f.target_uri = Some(value.trim_matches(['<', '>']).to_string()),
            "warc-date" => f.date = Some(value.to_string()),
            "warc-record-id" => f.record_id = Some(value.to_string()),
            "content-type" => f.content_type = Some(value.to_string()),
            _ => {}
        }
    }
    f.content_length = length.ok_or("no Content-Length")?;
    Ok(f)
}

/// An HTTP response head.
#[derive(Debug)]
struct HttpResponse {
    status: u16,
    content_type: Option<String>,
    charset: Option<String>,
    chunked: bool,
    encoding: Option<String>,
    body_start: usize,
}

fn parse_http(block: &[u8]) -> Result<HttpResponse, ()> {
    if !block.starts_with(b"HTTP/") {
        return Err(());
    }
    let end = memchr::memmem::find(block, b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| memchr::memmem::find(block, b"\n\n").map(|i| i + 2))
        .unwrap_or(block.len());
    let head = String::from_utf8_lossy(&block[..end]);
    let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
    let status_line = lines.next().ok_or(())?;
    let status = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or(())?;
    let mut r =
        HttpResponse { status, content_type: None, charset: None, chunked: false, encoding: None, body_start: end };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => {
                r.charset = value.split(';').skip(1).find_map(|p| {
                    let (k, v) = p.split_once('=')?;
                    k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches(['"', '\'']).to_string())
                });
                r.content_type = Some(value.to_string());
            }
            "transfer-encoding" => r.chunked = value.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => {
                let v = value.to_ascii_lowercase();
                if !v.is_empty() && v != "identity" {
                    r.encoding = Some(v);
                }
            }
            _ => {}
        }
    }
    Ok(r)
}

enum BodyError {
    /// An encoding we cannot undo (br, compress, a broken gzip stream).
    Encoding,
    TooLarge(u64),
}

/// Undoes chunked transfer encoding and gzip/deflate content encoding.
fn decode_body(resp: &HttpResponse, body: &[u8], limit: u64) -> Result<Vec<u8>, BodyError> {
    let dechunked;
    let body = if resp.chunked {
        // Crawlers often store the body already de-chunked but keep the header.
        match dechunk(body) {
            Some(b) => {
                dechunked = b;
                &dechunked[..]
            }
            None => body,
        }
    } else {
        body
    };
    let Some(enc) = resp.encoding.as_deref() else { return Ok(body.to_vec()) };
    let looks_gzip = body.starts_with(&[0x1f, 0x8b]);
    let mut out = Vec::new();
    let res = match enc {
        "gzip" | "x-gzip" if looks_gzip => {
            flate2::read::MultiGzDecoder::new(body).take(limit.saturating_add(1)).read_to_end(&mut out)
        }
        "deflate" => {
            // "deflate" is zlib-wrapped by the spec but raw in practice; try both.
            let r = flate2::read::ZlibDecoder::new(body).take(limit.saturating_add(1)).read_to_end(&mut out);
            if r.is_err() {
                out.clear();
                flate2::read::DeflateDecoder::new(body).take(limit.saturating_add(1)).read_to_end(&mut out)
            } else {
                r
            }
        }
        // Declared gzip but not gzip: already decoded by the crawler.
        "gzip" | "x-gzip" => return Ok(body.to_vec()),
        _ => return Err(BodyError::Encoding),
    };
    if res.is_err() {
        return Err(BodyError::Encoding);
    }
    if out.len() as u64 > limit {
        return Err(BodyError::TooLarge(out.len() as u64));
    }
    Ok(out)
}

/// Decodes a chunked body; `None` if it is not validly chunked.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let nl = memchr::memchr(b'\n', body)?;
        let line = std::str::from_utf8(&body[..nl]).ok()?.trim();
        let size_str = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_str, 16).ok()?;
        body = &body[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        if body.len() < size {
            // A truncated last chunk: keep what is there.
            out.extend_from_slice(body);
            return Some(out);
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size..];
        body = body.strip_prefix(b"\r\n").or_else(|| body.strip_prefix(b"\n")).unwrap_or(body);
        if body.is_empty() {
            return Some(out);
        }
    }
}

fn is_html(content_type: Option<&str>, body: &[u8]) -> bool {
    match content_type {
        Some(ct) => {
            let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            mime == "text/html" || mime == "application/xhtml+xml"
        }
        None => {
            let head = &body[..body.len().min(1024)];
            let lower = head.to_ascii_lowercase();
            memchr::memmem::find(&lower, b"<html").is_some()
                || memchr::memmem::find(&lower, b"<!doctype html").is_some()
        }
    }
}

/// A buffered reader that knows how many bytes it has handed out, can keep
/// a copy of what it handed out since a mark (the current gzip member), and
/// can take bytes back (to rescan a damaged member for the next one).
struct Counted<R> {
    inner: io::BufReader<R>,
    pos: u64,
    /// Bytes given back, served before `inner`.
    back: Vec<u8>,
    back_at: usize,
    /// Copy of the bytes consumed since the member started, while `recording`.
    rec: Vec<u8>,
    recording: bool,
}

/// Most compressed bytes of one member kept for a rescan after damage.
const MAX_MEMBER_COPY: usize = 32 << 20;

impl<R: Read> Counted<R> {
    fn new(reader: R) -> Self {
        Counted {
            inner: io::BufReader::with_capacity(64 * 1024, reader),
            pos: 0,
            back: Vec::new(),
            back_at: 0,
            rec: Vec::new(),
            recording: false,
        }
    }

    /// Starts copying consumed bytes (a new member begins here).
    fn mark(&mut self) {
        self.rec.clear();
        self.recording = true;
    }

    /// Gives `bytes` back: they are read again next.
    fn unread(&mut self, bytes: &[u8]) {
        let mut back = bytes.to_vec();
        back.extend_from_slice(&self.back[self.back_at..]);
        self.back = back;
        self.back_at = 0;
        self.pos -= bytes.len() as u64;
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.back_at < self.back.len() {
            return Ok(&self.back[self.back_at..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if self.back_at < self.back.len() {
            let amt = amt.min(self.back.len() - self.back_at);
            if self.recording {
                self.rec.extend_from_slice(&self.back[self.back_at..self.back_at + amt]);
            }
            self.back_at += amt;
            if self.back_at == self.back.len() {
                self.back.clear();
                self.back_at = 0;
            }
            self.pos += amt as u64;
            return;
        }
        let amt = amt.min(self.inner.buffer().len());
        if self.recording {
            self.rec.extend_from_slice(&self.inner.buffer()[..amt]);
            if self.rec.len() > MAX_MEMBER_COPY {
                self.recording = false;
                self.rec = Vec::new();
            }
        }
        self.inner.consume(amt);
        self.pos += amt as u64;
    }
}

#[derive(Debug)]
enum StreamError {
    /// A gzip member decompressed past `max_decompressed_bytes`.
    Limit,
    Io(io::Error),
}

impl From<io::Error> for StreamError {
    fn from(e: io::Error) -> Self {
        StreamError::Io(e)
    }
}

enum Decoder<R: Read> {
    Plain(Counted<R>),
    /// Decoding a member; `None` between members (while taking the reader back).
    Gzip(Option<flate2::bufread::GzDecoder<Counted<R>>>),
}

/// The decompressed byte stream, with its position and the stored offset of
/// the gzip member each byte came from.
struct Stream<R: Read> {
    dec: Decoder<R>,
    compressed: bool,
    buf: Vec<u8>,
    /// Unread bytes are `buf[start..]`.
    start: usize,
    /// Decompressed offset of `buf[start]`.
    dpos: u64,
    /// Member boundaries not yet passed: (decompressed start, stored offset).
    members: std::collections::VecDeque<(u64, u64)>,
    /// Stored offset of the member containing `dpos` (0 for plain files: the
    /// record offset is then `dpos` itself).
    current_member: u64,
    /// Decompressed bytes produced by the member being decoded, and the cap.
    member_bytes: u64,
    cap: u64,
}

impl<R: Read> Stream<R> {
    fn new(mut raw: Counted<R>, compressed: bool, cap: u64) -> Self {
        let mut members = std::collections::VecDeque::new();
        let dec = if compressed {
            members.push_back((0, 0));
            raw.mark();
            Decoder::Gzip(Some(flate2::bufread::GzDecoder::new(raw)))
        } else {
            Decoder::Plain(raw)
        };
        Stream {
            dec,
            compressed,
            buf: Vec::with_capacity(128 * 1024),
            start: 0,
            dpos: 0,
            members,
            current_member: 0,
            member_bytes: 0,
            cap,
        }
    }

    /// The offset of the record starting at `dpos` as stored: the gzip
    /// member's offset, or `dpos` for plain files.
    fn stored_offset(&mut self) -> u64 {
        if !self.compressed {
            return self.dpos;
        }
        while let Some(&(d, c)) = self.members.front() {
            if d <= self.dpos {
                self.current_member = c;
                self.members.pop_front();
            } else {
                break;
            }
        }
        self.current_member
    }

    fn available(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        self.dpos += n as u64;
        // Keep the stored offset current while the member queue drains.
        if self.compressed {
            self.stored_offset();
        }
    }

    /// Ensures at least one unread byte; `false` at the end of the stream.
    fn fill(&mut self) -> Result<bool, StreamError> {
        if self.start < self.buf.len() {
            return Ok(true);
        }
        self.read_more()
    }

    /// Appends more decompressed bytes to the buffer; `false` at the end.
    fn read_more(&mut self) -> Result<bool, StreamError> {
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + 64 * 1024, 0);
        let res = self.read_raw(old);
        match res {
            Ok(n) => {
                self.buf.truncate(old + n);
                Ok(n > 0)
            }
            Err(e) => {
                self.buf.truncate(old);
                Err(e)
            }
        }
    }

    fn read_raw(&mut self, at: usize) -> Result<usize, StreamError> {
        loop {
            match &mut self.dec {
                Decoder::Plain(r) => return Ok(r.read(&mut self.buf[at..])?),
                Decoder::Gzip(slot) => {
                    let Some(d) = slot.as_mut() else { return Ok(0) };
                    let room = (self.cap.saturating_add(1) - self.member_bytes.min(self.cap))
                        .min(self.buf.len() as u64 - at as u64) as usize;
                    let n = d.read(&mut self.buf[at..at + room.max(1)])?;
                    if n > 0 {
                        self.member_bytes += n as u64;
                        if self.member_bytes > self.cap {
                            return Err(StreamError::Limit);
                        }
                        return Ok(n);
                    }
                    // End of this member: start the next one, if any.
                    if !self.open_next_member(false, at)? {
                        return Ok(0);
                    }
                }
            }
        }
    }

    /// Takes the raw reader back from the finished (or failed) member and
    /// starts decoding the next member. With `scan`, first looks for the gzip
    /// magic (after damage). Returns `false` at the end of the input.
    /// `filled` is the end of the decoded bytes in `buf` (unread ones before it
    /// belong to earlier members).
    fn open_next_member(&mut self, scan: bool, filled: usize) -> Result<bool, StreamError> {
        let Decoder::Gzip(slot) = &mut self.dec else { return Ok(false) };
        let Some(d) = slot.take() else { return Ok(false) };
        let mut raw = d.into_inner();
        if scan {
            // First look inside the damaged member itself (after its first
            // byte): a member cut short is followed directly by the next one,
            // which the decoder may already have swallowed as deflate data.
            let rec = std::mem::take(&mut raw.rec);
            raw.recording = false;
            let inside = rec.get(1..).and_then(|r| memchr::memmem::find(r, &[0x1f, 0x8b, 0x08])).map(|i| i + 1);
            if let Some(i) = inside {
                raw.unread(&rec[i..]);
            } else {
                let mut skipped = 0u64;
                let mut first = rec.is_empty();
                loop {
                    let buf = raw.fill_buf()?;
                    if buf.is_empty() {
                        return Ok(false);
                    }
                    let from = usize::from(first).min(buf.len());
                    first = false;
                    if let Some(i) = memchr::memmem::find(&buf[from..], &[0x1f, 0x8b, 0x08]) {
                        raw.consume(from + i);
                        break;
                    }
                    // Keep the last 2 bytes: the magic may straddle the buffer end.
                    let keep = buf.len().saturating_sub(2).max(from).max(1);
                    raw.consume(keep);
                    skipped += keep as u64;
                    if skipped > MAX_RESYNC_BYTES {
                        return Ok(false);
                    }
                }
            }
        } else {
            // Trailing zero padding after the last member is not an error.
            loop {
                let buf = raw.fill_buf()?;
                if buf.is_empty() {
                    return Ok(false);
                }
                let zeros = buf.iter().take_while(|&&b| b == 0).count();
                if zeros == 0 {
                    break;
                }
                raw.consume(zeros);
            }
        }
        raw.mark();
        let at = raw.pos;
        let dstart = self.dpos + filled.saturating_sub(self.start) as u64;
        self.members.push_back((dstart, at));
        self.member_bytes = 0;
        *slot = Some(flate2::bufread::GzDecoder::new(raw));
        Ok(true)
    }

    /// After damage in a gzip stream: drop what is buffered and continue at
    /// the next member found by its magic bytes. `false` if there is none.
    fn next_member(&mut self) -> Result<bool, StreamError> {
        if !self.compressed {
            return Ok(false);
        }
        // Unread bytes of the damaged member are abandoned.
        let rest = self.buf.len() - self.start;
        self.dpos += rest as u64;
        self.buf.clear();
        self.start = 0;
        self.members.clear();
        let ok = self.open_next_member(true, 0)?;
        if ok {
            self.stored_offset();
        }
        Ok(ok)
    }

    fn skip_newlines(&mut self) -> Result<(), StreamError> {
        loop {
            if !self.fill()? {
                return Ok(());
            }
            let n = self.available().iter().take_while(|&&b| matches!(b, b'\r' | b'\n')).count();
            if n == 0 {
                return Ok(());
            }
            self.consume(n);
        }
    }

    /// Reads the header block up to and including the blank line. `None` if
    /// the stream ends first; a header over [`MAX_HEADER_BYTES`] is returned
    /// cut (and then fails to parse as a WARC header or lacks fields).
    fn read_header(&mut self) -> Result<Option<Vec<u8>>, StreamError> {
        let mut searched: usize = 0;
        loop {
            let avail = self.available();
            let from = searched.saturating_sub(3);
            if let Some(i) = memchr::memmem::find(&avail[from..], b"\r\n\r\n") {
                let end = from + i + 4;
                let h = avail[..end].to_vec();
                self.consume(end);
                return Ok(Some(h));
            }
            // Writers that use bare LF.
            if let Some(i) = memchr::memmem::find(&avail[from..], b"\n\n") {
                let end = from + i + 2;
                let h = avail[..end].to_vec();
                self.consume(end);
                return Ok(Some(h));
            }
            searched = avail.len();
            if searched > MAX_HEADER_BYTES {
                let h = avail[..MAX_HEADER_BYTES].to_vec();
                self.consume(MAX_HEADER_BYTES);
                return Ok(Some(h));
            }
            if !self.read_more()? {
                if self.available().is_empty() {
                    return Ok(None);
                }
                // The file ends inside a header.
                let n = self.available().len();
                self.consume(n);
                return Ok(None);
            }
        }
    }

    /// Reads exactly `len` bytes; `None` (with everything consumed) if the stream ends first.
    fn read_exact_vec(&mut self, len: u64) -> Result<Option<Vec<u8>>, StreamError> {
        let len = len as usize;
        let mut out = Vec::with_capacity(len.min(1 << 20));
        while out.len() < len {
            if !self.fill()? {
                return Ok(None);
            }
            let take = (len - out.len()).min(self.available().len());
            out.extend_from_slice(&self.available()[..take]);
            self.consume(take);
        }
        Ok(Some(out))
    }

    /// Skips `len` bytes without keeping them; `false` if the stream ends first.
    fn discard(&mut self, mut len: u64) -> Result<bool, StreamError> {
        while len > 0 {
            if !self.fill()? {
                return Ok(false);
            }
            let take = len.min(self.available().len() as u64) as usize;
            self.consume(take);
            len -= take as u64;
        }
        Ok(true)
    }

    /// After a malformed header: continue at the next line starting with
    /// `WARC/1.` or, for gzip, at the next member, whichever comes first.
    fn resync(&mut self) -> Result<(), StreamError> {
        let mut scanned = 0u64;
        loop {
            if !self.fill()? {
                return Ok(());
            }
            let avail = self.available();
            let marker = if avail.starts_with(b"WARC/1.") {
                Some(0)
            } else {
                memchr::memmem::find(avail, b"\nWARC/1.").map(|i| i + 1)
            };
            let boundary = self
                .members
                .front()
                .map(|&(d, _)| d.saturating_sub(self.dpos))
                .filter(|&k| k <= avail.len() as u64)
                .map(|k| k as usize);
            let stop = match (marker, boundary) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if let Some(k) = stop {
                self.consume(k);
                return Ok(());
            }
            // Keep a tail: the marker may straddle the buffer end.
            let keep = avail.len().saturating_sub(8);
            if keep == 0 {
                if !self.read_more()? {
                    let n = self.available().len();
                    self.consume(n);
                    return Ok(());
                }
                continue;
            }
            self.consume(keep);
            scanned += keep as u64;
            if scanned > MAX_RESYNC_BYTES {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    /// A minimal WARC writer for tests: one record, optionally gzipped as its own member.
    pub(crate) fn record(warc_type: &str, uri: Option<&str>, id: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut h = format!("WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n");
        h.push_str("WARC-Date: 2024-02-01T12:00:00Z\r\n");
        if let Some(u) = uri {
            h.push_str(&format!("WARC-Target-URI: {u}\r\n"));
        }
        h.push_str(&format!("Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n", block.len()));
        let mut out = h.into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    pub(crate) fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    pub(crate) fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    pub(crate) const PAGE: &str = "<html lang=en><head><title>Bridge reopens after repairs | Valley Times</title>\
        </head><body><nav><a href=/>Home</a> <a href=/news>News</a></nav><article><h1>Bridge reopens after repairs</h1>\
        <p>The old bridge over the river reopened to traffic on Thursday after eight months of repairs, the council said.</p>\
        <p>Engineers replaced two of the three spans and strengthened the piers against floods, at a cost of four million.</p>\
        </article><footer>Copyright Valley Times</footer></body></html>";

    /// warcinfo, request, response (HTML), response (PDF), response (404), then a truncated response.
    pub(crate) fn sample_records() -> Vec<Vec<u8>> {
        let page = http("200 OK", "Content-Type: text/html; charset=utf-8\r\n", PAGE.as_bytes());
        let pdf = http("200 OK", "Content-Type: application/pdf\r\n", b"%PDF-1.4 binary");
        let missing = http("404 Not Found", "Content-Type: text/html\r\n", b"<html><body>gone</body></html>");
        let mut truncated = record(
            "response",
            Some("https://valley.test/cut"),
            "5",
            "application/http; msgtype=response",
            &http("200 OK", "Content-Type: text/html\r\n", PAGE.as_bytes()),
        );
        truncated.truncate(truncated.len() - 200);
        vec![
            record("warcinfo", None, "0", "application/warc-fields", b"software: test\r\n"),
            record(
                "request",
                Some("https://valley.test/bridge"),
                "1",
                "application/http; msgtype=request",
                b"GET /bridge HTTP/1.1\r\n\r\n",
            ),
            record("response", Some("https://valley.test/bridge"), "2", "application/http; msgtype=response", &page),
            record("response", Some("https://valley.test/doc.pdf"), "3", "application/http; msgtype=response", &pdf),
            record("response", Some("https://valley.test/old"), "4", "application/http; msgtype=response", &missing),
            truncated,
        ]
    }

    fn run(bytes: &[u8], compressed: bool) -> (Vec<RawArticle>, Vec<ItemReject>, Skipped) {
        let out = split_warc(bytes, compressed, &SplitConfig::default());
        (out.articles, out.rejects, out.skipped)
    }

    #[test]
    fn plain_warc_pages_skips_and_truncation() {
        let recs = sample_records();
        let bytes = recs.concat();
        let (arts, rejects, skipped) = run(&bytes, false);
        assert_eq!(arts.len(), 1);
        let a = &arts[0];
        let start: usize = recs[..2].iter().map(Vec::len).sum();
        assert_eq!(a.record_offset, Some(start as u64));
        assert_eq!((a.byte_start, a.byte_end), (start as u64, (start + recs[2].len()) as u64));
        assert_eq!(a.record_id.as_deref(), Some("<urn:uuid:2>"));
        assert_eq!(a.url.as_deref(), Some("https://valley.test/bridge"));
        assert_eq!(a.outlet.as_deref(), Some("valley.test"));
        assert_eq!(a.title.as_deref(), Some("Bridge reopens after repairs"));
        assert_eq!(a.date, Some(RawDate { text: "2024-02-01T12:00:00Z".into(), basis: DateBasis::Warc }));
        assert!(a.text.starts_with("The old bridge") && !a.text.contains("Home") && !a.text.contains("Copyright"));
        assert_eq!(skipped.get("warcinfo"), 1);
        assert_eq!(skipped.get("request"), 1);
        assert_eq!(skipped.get("not_html"), 1);
        assert_eq!(skipped.get("http_status"), 1);
        assert_eq!(skipped.total(), 4);
        assert_eq!(rejects.len(), 1);
        let trunc_start: usize = recs[..5].iter().map(Vec::len).sum();
        assert_eq!(rejects[0].byte_start, trunc_start as u64);
        assert_eq!(rejects[0].byte_end, bytes.len() as u64);
        assert!(
            matches!(&rejects[0].reason, RejectReason::MalformedWarc(m) if m.contains("truncated") && m.contains(&format!("offset {trunc_start}"))),
            "{:?}",
            rejects[0]
        );
    }

    #[test]
    fn gzip_per_record_members_give_cdx_offsets() {
        let recs = sample_records();
        let members: Vec<Vec<u8>> = recs.iter().map(|r| gz(r)).collect();
        let bytes = members.concat();
        let (arts, rejects, skipped) = run(&bytes, true);
        assert_eq!(arts.len(), 1);
        let member_off: usize = members[..2].iter().map(Vec::len).sum();
        assert_eq!(arts[0].record_offset, Some(member_off as u64));
        let dstart: usize = recs[..2].iter().map(Vec::len).sum();
        assert_eq!(arts[0].byte_start, dstart as u64);
        assert_eq!(skipped.total(), 4);
        // The truncated record is inside a complete member: a framing reject.
        assert_eq!(rejects.len(), 1);
        // The whole file as one member works too (offsets are then member 0).
        let (arts, rejects, _) = run(&gz(&recs.concat()), true);
        assert_eq!((arts.len(), rejects.len()), (1, 1));
        assert_eq!(arts[0].record_offset, Some(0));
        assert_eq!(arts[0].byte_start, dstart as u64);
    }

    #[test]
    fn corrupt_member_and_garbage_are_rejected_and_the_rest_is_used() {
        let recs = sample_records();
        let page = &recs[2];
        let mut members = [gz(&recs[0]), gz(page), gz(page), gz(page)];
        // Damage the second member's deflate data and cut the third short.
        let m = &mut members[1];
        let mid = m.len() / 2;
        m[mid..mid + 8].copy_from_slice(&[0xff; 8]);
        let l = members[2].len();
        members[2].truncate(l / 2);
        let bytes = members.concat();
        let (arts, rejects, _) = run(&bytes, true);
        assert_eq!(arts.len(), 1, "{rejects:?}");
        assert!(!rejects.is_empty());
        let last_off: usize = members[..3].iter().map(Vec::len).sum();
        assert_eq!(arts[0].record_offset, Some(last_off as u64));

        // Plain: garbage between records is skipped to the next WARC/1. line.
        let mut plain = recs[2].clone();
        plain.extend_from_slice(b"this is not a warc record\r\nat all\r\n\r\n");
        plain.extend_from_slice(&recs[2]);
        let (arts, rejects, _) = run(&plain, false);
        assert_eq!(arts.len(), 2);
        assert_eq!(rejects.len(), 1);
        assert_eq!(rejects[0].byte_start, recs[2].len() as u64);
        assert!(matches!(&rejects[0].reason, RejectReason::MalformedWarc(m) if m.contains("malformed WARC record")));
    }

    #[test]
    fn chunked_and_gzip_payloads() {
        let gz_body = gz(PAGE.as_bytes());
        let mut chunked = Vec::new();
        for c in gz_body.chunks(100) {
            chunked.extend(format!("{:x}\r\n", c.len()).bytes());
            chunked.extend_from_slice(c);
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend_from_slice(&chunked);
        let rec = record("response", Some("https://valley.test/c"), "9", "application/http;msgtype=response", &block);
        let (arts, rejects, _) = run(&rec, false);
        assert!(rejects.is_empty(), "{rejects:?}");
        assert_eq!(arts.len(), 1);
        assert!(arts[0].text.contains("old bridge"));
        // Brotli is not supported: skipped and counted.
        let block = http("200 OK", "Content-Type: text/html\r\nContent-Encoding: br\r\n", b"\x8b\x02\x80");
        let rec = record("response", Some("https://valley.test/b"), "10", "application/http", &block);
        let (arts, _, skipped) = run(&rec, false);
        assert!(arts.is_empty());
        assert_eq!(skipped.get("content_encoding"), 1);
    }

    #[test]
    fn limits_page_size_records_and_bombs() {
        let recs = sample_records();
        let cfg = SplitConfig { max_page_bytes: 100, ..SplitConfig::default() };
        let out = split_warc(&recs[2], false, &cfg);
        assert!(out.articles.is_empty());
        assert!(matches!(out.rejects[0].reason, RejectReason::PageTooLarge { limit: 100, .. }), "{:?}", out.rejects);

        // A page over max_page_bytes + slack is skipped by streaming it, not buffered.
        let big = http("200 OK", "Content-Type: text/html\r\n", &vec![b'a'; 300_000]);
        let rec = record("response", Some("https://valley.test/big"), "11", "application/http", &big);
        let cfg = SplitConfig { max_page_bytes: 5000, ..SplitConfig::default() };
        let out = split_warc(&[rec, recs[2].clone()].concat(), false, &cfg);
        assert_eq!((out.articles.len(), out.rejects.len()), (1, 1));
        assert_eq!(out.rejects[0].byte_start, 0);

        let cfg = SplitConfig { max_warc_records: 3, ..SplitConfig::default() };
        let out = split_warc(&recs.concat(), false, &cfg);
        assert!(matches!(out.rejects.last().unwrap().reason, RejectReason::TooManyArticles { limit: 3 }));
        assert_eq!(out.articles.len(), 1);

        // A gzip bomb member: stops at the cap with a reject, after the good record.
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..20 {
            e.write_all(&zeros).unwrap();
        }
        let bomb = e.finish().unwrap();
        let bytes = [gz(&recs[2]), bomb].concat();
        let cfg = SplitConfig { max_decompressed_bytes: 1 << 20, ..SplitConfig::default() };
        let out = split_warc(&bytes, true, &cfg);
        assert_eq!(out.articles.len(), 1);
        assert!(
            out.rejects.iter().any(|r| matches!(r.reason, RejectReason::DecompressionLimit { .. })),
            "{:?}",
            out.rejects
        );
    }

    #[test]
    fn streaming_iterator_counts() {
        let recs = sample_records();
        let bytes: Vec<u8> = recs.iter().flat_map(|r| gz(r)).collect();
        let mut it = warc_articles(std::io::Cursor::new(bytes), true, &SplitConfig::default());
        let items: Vec<_> = it.by_ref().collect();
        assert_eq!(items.iter().filter(|i| i.is_ok()).count(), 1);
        assert_eq!(it.skipped().total(), 4);
        assert_eq!(it.records(), 6);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600), compressed in proptest::prelude::any::<bool>()) {
            let _ = split_warc(&bytes, compressed, &SplitConfig::default());
        }

        #[test]
        fn mangled_warcs_never_panic(cut in 0usize..4000, flip in 0usize..4000, byte in proptest::prelude::any::<u8>(), compressed in proptest::prelude::any::<bool>()) {
            let recs = sample_records();
            let mut bytes: Vec<u8> = if compressed { recs.iter().flat_map(|r| gz(r)).collect() } else { recs.concat() };
            if !bytes.is_empty() {
                let i = flip % bytes.len();
                bytes[i] = byte;
            }
            bytes.truncate(cut.max(1).min(bytes.len()));
            let out = split_warc(&bytes, compressed, &SplitConfig::default());
            for a in &out.articles {
                proptest::prop_assert!(a.byte_start <= a.byte_end);
            }
        }
    }
}
