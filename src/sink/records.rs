//! Output records: the contract other tools rely on. Names here are never
//! renamed; fields may be added. Every record carries `kind` and `v` (schema
//! version); JSON Schemas live in `schemas/`.

use serde::Serialize;

use crate::model::{Article, LangBasis, Published, Removed};

/// Schema version of every record kind written by this build.
pub const SCHEMA_VERSION: u32 = 1;

/// Lower-case 32-digit hex form of a 128-bit id or hash.
pub fn hex128(v: u128) -> String {
    std::str::from_utf8(&hex128_bytes(v)).expect("hex digits are ASCII").to_owned()
}

/// The digits of [`hex128`] without an allocation. Ids are formatted several
/// times per event and per incident revision (`format!("{:032x}")` went
/// through the generic formatting machinery; a digit-by-digit loop over the
/// `u128` still cost ~200 instructions), so eight digits are made at a time.
pub fn hex128_bytes(v: u128) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, chunk) in out.chunks_exact_mut(8).enumerate() {
        let word = (v >> (96 - 32 * i)) as u32;
        chunk.copy_from_slice(&hex8(word).to_be_bytes());
    }
    out
}

/// The 8 lower-case hex digits of `x`, most significant in the top byte.
#[inline]
fn hex8(x: u32) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    // Nibble k (from the least significant) into byte k.
    let mut n = u64::from(x);
    n = (n | (n << 16)) & 0x0000_ffff_0000_ffff;
    n = (n | (n << 8)) & 0x00ff_00ff_00ff_00ff;
    n = (n | (n << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    // '0' + n, plus ('a' - '0' - 10) where n > 9 (n + 6 carries into bit 4).
    let letters = ((n + 6 * LO) >> 4) & LO;
    n + u64::from(b'0') * LO + letters * u64::from(b'a' - b'0' - 10)
}

/// Where an article came from.
#[derive(Debug, Serialize)]
pub struct BundleRef<'a> {
    /// Path relative to the inbox, `/`-separated.
    pub path: &'a str,
    /// SHA-256 of the bundle file as read (compressed bytes for `.gz`).
    pub sha256: &'a str,
    /// 0-based article index in the bundle.
    pub index: u32,
    /// Byte range of the article in the (decompressed) bundle.
    pub byte_start: u64,
    pub byte_end: u64,
    /// 1-based line (JSON Lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// text | jsonl | json.
    pub format: &'a str,
    /// The byte range refers to the decompressed stream.
    pub compressed: bool,
    /// Character encoding the bundle was decoded from.
    pub encoding: &'a str,
    /// WARC bundles: offset of the record in the file as stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_offset: Option<u64>,
    /// WARC bundles: the `WARC-Record-ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_id: Option<&'a str>,
}

/// `duplicate` of an article record.
#[derive(Debug, Serialize)]
pub struct Duplicate {
    /// Id of the first-seen (canonical) article.
    pub of: String,
    /// `exact` (same normalized text) or `near` (an edited copy).
    pub kind: &'static str,
    /// `near`: estimated resemblance, or containment when `containment`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f32>,
    /// `near`: the shorter article is (mostly) inside the longer one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub containment: Option<bool>,
}

/// One line of `articles.ndjson`.
#[derive(Debug, Serialize)]
pub struct ArticleRecord<'a> {
    pub kind: &'static str,
    pub v: u32,
    pub id: String,
    /// Hash of the normalized text (equal hashes = exact duplicates).
    pub hash: String,
    pub bundle: BundleRef<'a>,
    pub title: Option<&'a str>,
    pub outlet: Option<&'a str>,
    pub url: Option<&'a str>,
    pub lang: Option<&'a str>,
    pub lang_basis: LangBasis,
    pub published: &'a Published,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
    /// Length of `text` in Unicode code points.
    pub chars: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentences: Option<&'a [(u32, u32)]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed: Option<&'a [Removed]>,
    pub duplicate: Option<Duplicate>,
    /// Story cluster id (the id of the story's first article); null when
    /// near-duplicate detection is off.
    pub story: Option<String>,
    /// Independent-source group: the canonical article of its exact/near
    /// duplicate group (itself when canonical). Count distinct values to count sources.
    pub source_group: Option<String>,
    pub ingested_at: &'a str,
}

/// Options controlling which bulky fields are written.
#[derive(Debug, Clone, Copy)]
pub struct RecordOptions {
    pub include_text: bool,
    pub include_sentences: bool,
    pub include_removed: bool,
}

/// Build an article record (borrowing from the article).
#[allow(clippy::too_many_arguments)]
pub fn article_record<'a>(
    a: &'a Article,
    id: u128,
    bundle: BundleRef<'a>,
    duplicate: Option<Duplicate>,
    cluster: Option<&crate::dedupe::Assessment>,
    ingested_at: &'a str,
    opts: RecordOptions,
) -> ArticleRecord<'a> {
    ArticleRecord {
        kind: "article",
        v: SCHEMA_VERSION,
        id: hex128(id),
        hash: hex128(a.content_hash),
        bundle,
        title: a.title.as_deref(),
        outlet: a.outlet.as_deref(),
        url: a.url.as_deref(),
        lang: a.lang.as_deref(),
        lang_basis: a.lang_basis,
        published: &a.published,
        text: opts.include_text.then_some(a.text.as_str()),
        chars: a.text.chars().count(),
        sentences: opts.include_sentences.then_some(a.sentences.as_slice()),
        removed: opts.include_removed.then_some(a.removed.as_slice()),
        duplicate,
        story: cluster.map(|c| hex128(c.story)),
        source_group: cluster.map(|c| hex128(c.source_group)),
        ingested_at,
    }
}

/// One line of `rejects.ndjson`.
#[derive(Debug, Serialize)]
pub struct RejectRecord<'a> {
    pub kind: &'static str,
    pub v: u32,
    pub id: String,
    /// Bundle path relative to the inbox.
    pub path: &'a str,
    /// SHA-256 of the file, when it could be read.
    pub sha256: Option<&'a str>,
    /// `file` (the whole bundle was rejected) or `item` (one record in it).
    pub scope: &'static str,
    /// Stable machine-readable reason, e.g. `malformed_json`.
    pub code: &'static str,
    /// Human-readable explanation.
    pub error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte_start: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte_end: Option<u64>,
    /// Where a copy of the rejected file was kept, relative to the state folder.
    pub quarantined: Option<String>,
    pub at: &'a str,
}

/// One line of `events.ndjson`.
#[derive(Debug, Serialize)]
pub struct EventRecord<'a> {
    pub kind: &'static str,
    pub v: u32,
    /// Stable: xxh3-128 of (article id, sentence index, trigger offset).
    pub id: String,
    /// The article's id.
    pub article: &'a str,
    /// The article's publication date (the anchor of relative dates).
    pub published: Option<&'a str>,
    #[serde(flatten)]
    pub event: &'a crate::extract::Event,
}

/// Stable event id.
pub fn event_id(article: u128, e: &crate::extract::Event) -> u128 {
    let mut b = Vec::with_capacity(32);
    b.extend_from_slice(&article.to_le_bytes());
    b.extend_from_slice(&(e.sentence.index as u64).to_le_bytes());
    b.extend_from_slice(e.trigger.as_bytes());
    b.extend_from_slice(&e.sentence.start.to_le_bytes());
    xxhash_rust::xxh3::xxh3_128(&b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hex128_pads_to_32_digits() {
        assert_eq!(hex128(0), "0".repeat(32));
        assert_eq!(hex128(0xab), format!("{}ab", "0".repeat(30)));
        assert_eq!(hex128(u128::MAX), "f".repeat(32));
    }

    proptest! {
        #[test]
        fn hex128_matches_format(v in any::<u128>()) {
            prop_assert_eq!(hex128(v), format!("{v:032x}"));
        }
    }
}
