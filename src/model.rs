//! The data model shared by every stage: what flows between split, normalize,
//! dedupe and the sinks.
//!
//! * [`RawArticle`] — one article as the **split** stage found it in a bundle.
//! * [`Article`] — a cleaned, dated, attributed article from **normalize**.
//! * [`Published`] / [`DateBasis`] — a publication date and where it came from.
//! * [`RejectReason`] — why a file or an item in it could not be used.
//!
//! Offsets: `byte_start`/`byte_end` are byte offsets into the (decompressed)
//! bundle; sentence spans are Unicode scalar (code point) offsets into
//! `Article::text`, which is what `jq`, Python and JavaScript users index by.

use serde::Serialize;

/// Bundle formats sitrep recognises (by extension, then by content).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BundleFormat {
    /// Plain text: one or many articles.
    Text,
    /// JSON Lines / NDJSON: one article object per line.
    Jsonl,
    /// A JSON object or an array of objects.
    Json,
    /// A saved web page (not supported yet).
    Html,
    /// A WARC archive (not supported yet).
    Warc,
}

impl BundleFormat {
    /// The stable lowercase name used in records.
    pub fn as_str(self) -> &'static str {
        match self {
            BundleFormat::Text => "text",
            BundleFormat::Jsonl => "jsonl",
            BundleFormat::Json => "json",
            BundleFormat::Html => "html",
            BundleFormat::Warc => "warc",
        }
    }
}

/// Where a publication date came from. Serialized as the lowercase name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateBasis {
    /// A `Date:`/`Published:` header line or a leading `date YYYY-MM-DD` prefix.
    Header,
    /// A date field of a JSON/JSONL record.
    Json,
    /// A dateline near the top of the text ("AFP , Friday 5 Jan 2024").
    Dateline,
    /// An "Updated: January 06, 2024, 6:48 AM" line.
    Updated,
    /// A date in the bundle's file name (`news-2024-01-05.txt`).
    Filename,
    /// Page metadata: `article:published_time`, JSON-LD `datePublished`,
    /// `<time datetime>`, meta tags, or a date in the page URL.
    Meta,
    /// The WARC record's crawl date (`WARC-Date`): a last resort, it is when
    /// the page was fetched, not when it was published.
    Warc,
    /// Inherited from the article's story cluster (strong evidence only).
    Story,
    /// No date found. Never replaced by the ingest time.
    Unknown,
}

/// A date string found by split, still to be parsed by normalize.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDate {
    /// The text as found, e.g. `2024-01-05`, `Fri, 05 Jan 2024 10:00:00 GMT`, `1704412800`.
    pub text: String,
    /// `Header` (text bundles) or `Json` (JSON/JSONL fields).
    pub basis: DateBasis,
}

/// One article as found in a bundle, before cleaning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawArticle {
    /// 0-based position among the articles of the bundle.
    pub index: u32,
    /// Byte range of the article in the (decompressed) bundle.
    pub byte_start: u64,
    pub byte_end: u64,
    /// 1-based line number for JSON Lines records.
    pub line: Option<u64>,
    /// Body text as found (already decoded to UTF-8; header block and title line removed).
    pub text: String,
    pub title: Option<String>,
    pub date: Option<RawDate>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
    /// For WARC bundles: offset of the record in the file as stored (for
    /// `.warc.gz`, the offset of its gzip member, as CDX indexes give it).
    pub record_offset: Option<u64>,
    /// For WARC bundles: the record's `WARC-Record-ID`.
    pub record_id: Option<String>,
}

/// A publication date with its basis. `date` is `None` exactly when `basis` is `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Published {
    /// Calendar date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Local time of day if known, `HH:MM:SS`.
    pub time: Option<String>,
    /// UTC offset if known, `+HH:MM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<String>,
    pub basis: DateBasis,
    /// The source text the date was read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Published {
    pub fn unknown() -> Self {
        Published { date: None, time: None, offset: None, basis: DateBasis::Unknown, text: None }
    }
}

/// How the language was determined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LangBasis {
    /// Given by the bundle (header or JSON field).
    Given,
    /// Detected from the text.
    Detected,
    /// Neither given nor reliably detectable.
    Unknown,
}

/// A boilerplate line that normalize removed, with the rule that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removed {
    pub rule: String,
    pub text: String,
}

/// A cleaned article, ready for dedupe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub index: u32,
    pub byte_start: u64,
    pub byte_end: u64,
    pub line: Option<u64>,
    /// Cleaned text: NFC, boilerplate lines removed, paragraphs separated by
    /// one blank line. Typography is kept as written (evidence quotes it).
    pub text: String,
    /// xxh3-128 of the folded, whitespace-collapsed text: the article's identity.
    pub content_hash: u128,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// ISO 639-1 code when known.
    pub lang: Option<String>,
    pub lang_basis: LangBasis,
    pub published: Published,
    /// Sentence spans `[start, end)` in code points into `text`.
    pub sentences: Vec<(u32, u32)>,
    /// Lines removed as boilerplate or consumed as metadata.
    pub removed: Vec<Removed>,
    /// WARC record offset (as stored) and id, passed through from split.
    pub record_offset: Option<u64>,
    pub record_id: Option<String>,
}

/// Why a file, or one item inside it, could not be used. `code()` is stable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RejectReason {
    #[error("binary content (NUL bytes or control characters), not a text bundle")]
    Binary,
    #[error("not UTF-8 and not decodable as text: {0}")]
    NotDecodable(String),
    #[error("file is {size} bytes, over the {limit}-byte limit")]
    TooLarge { size: u64, limit: u64 },
    #[error("malformed JSON at line {line}: {message}")]
    MalformedJson { line: u64, message: String },
    #[error("JSON record at line {line} has no text field (tried text, body, content, maintext, article, full_text)")]
    NoText { line: u64 },
    #[error("empty: {0}")]
    Empty(String),
    #[error("unsupported format: {0}")]
    Unsupported(String),
    #[error("decompressed size exceeds the {limit}-byte limit")]
    DecompressionLimit { limit: u64 },
    #[error("corrupt gzip stream: {0}")]
    CorruptGzip(String),
    #[error("article is {size} bytes, over the {limit}-byte article limit")]
    ArticleTooLarge { size: u64, limit: u64 },
    #[error("malformed WARC: {0}")]
    MalformedWarc(String),
    #[error("page is {size} bytes, over the {limit}-byte page limit")]
    PageTooLarge { size: u64, limit: u64 },
    #[error("more than {limit} articles in one bundle; split it into smaller files")]
    TooManyArticles { limit: u64 },
    #[error("I/O error: {0}")]
    Io(String),
}

impl RejectReason {
    /// Stable machine-readable code used in `rejects.ndjson`.
    pub fn code(&self) -> &'static str {
        match self {
            RejectReason::Binary => "binary",
            RejectReason::NotDecodable(_) => "not_decodable",
            RejectReason::TooLarge { .. } => "too_large",
            RejectReason::MalformedJson { .. } => "malformed_json",
            RejectReason::NoText { .. } => "no_text",
            RejectReason::Empty(_) => "empty",
            RejectReason::Unsupported(_) => "unsupported_format",
            RejectReason::DecompressionLimit { .. } => "decompression_limit",
            RejectReason::CorruptGzip(_) => "corrupt_gzip",
            RejectReason::ArticleTooLarge { .. } => "article_too_large",
            RejectReason::TooManyArticles { .. } => "too_many_articles",
            RejectReason::MalformedWarc(_) => "malformed_warc",
            RejectReason::PageTooLarge { .. } => "page_too_large",
            RejectReason::Io(_) => "io",
        }
    }
}

/// A problem with one item inside an otherwise usable bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemReject {
    /// 1-based line for line-oriented formats.
    pub line: Option<u64>,
    pub byte_start: u64,
    pub byte_end: u64,
    pub reason: RejectReason,
}
