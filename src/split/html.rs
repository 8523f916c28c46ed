//! One saved HTML page → one [`RawArticle`].
//!
//! Core items:
//!
//! * [`page_article`] — decode, parse once, extract the main text
//!   (`crate::extract_html`) and the metadata below. Pure; never panics.
//! * [`PageContext`] — what the container knows about the page: the HTTP
//!   `Content-Type` charset and the target URL (WARC), the crawl date.
//! * [`decode_page`] — charset: BOM, then valid UTF-8, then the HTTP header,
//!   then `<meta charset>` / `http-equiv`, then windows-1252. Bad bytes become
//!   U+FFFD, never an error.
//!
//! Metadata, first hit wins:
//!
//! * **title**: `og:title`, the first `<h1>`, `<title>`; a site suffix such as
//!   " - BBC News" or " | Reuters" is removed. The body never repeats it.
//! * **outlet**: `og:site_name` (also `application-name`, JSON-LD publisher),
//!   else the host of the URL without `www.`.
//! * **url**: `<link rel=canonical>`, `og:url`, else the context URL.
//! * **date** (basis [`DateBasis::Meta`]): a `/2024/01/05/` date in the URL,
//!   JSON-LD `datePublished`, `article:published_time`, other meta tags
//!   (`date`, `pubdate`, `dc.date`, `sailthru.date`, `parsely-pub-date`, …),
//!   `itemprop=datePublished`, `<time datetime>`, a visible date in an element
//!   whose class names a date ("Posted on 5. Mai 2024") or just after the
//!   `<h1>`, a publication field in a JSON script (`__NEXT_DATA__`), then the
//!   first date of the visible text; in English, German, French, Spanish,
//!   Italian, Portuguese, Dutch or Polish. Dates in comment sections, site
//!   clocks ("Aktuelle Zeit"), forum registration dates, hidden or "updated"
//!   stamps and dates inside the standfirst's prose are never taken; among
//!   date-like elements one named for the publication (`post-date`,
//!   `published`) wins. Then, in order: JSON-LD `datePublished` and
//!   `article:published_time` agreeing on a day up to 60 days after a URL
//!   date win over it (the slug has the draft's day); a date after a
//!   publication label ("Veröffentlicht am", "Published on", "Publié le"),
//!   outside teaser lists, wins over a disagreeing machine field; the date
//!   shown with the headline wins over a machine field when both the byline
//!   and a date-marked element show it, or when it is one day off a UTC
//!   timestamp (in the direction its hour allows) or an offset-less one; a
//!   timestamp written in the page's own non-zero offset is kept as written.
//!   The date text is passed on as found when `normalize` can read it, else
//!   as `YYYY-MM-DD`.
//! * **text fallbacks**: when the DOM yields little text, a longer JSON-LD
//!   `articleBody`, or the HTML Blogger keeps in a `<script type="text/template">`.
//! * **lang**: `<html lang>`, else `content-language` / `og:locale`.

use std::sync::LazyLock;

use regex::Regex;

use crate::extract_html::dom::{self, Dom, NodeData, NodeId};
use crate::extract_html::{self, MainText};
use crate::model::{DateBasis, RawArticle, RawDate};
use crate::normalize::parse_date;

/// What the container (a WARC record, or nothing for a plain file) says about a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageContext<'a> {
    /// `charset` parameter of the HTTP `Content-Type`, if any.
    pub http_charset: Option<&'a str>,
    /// The URL the page was fetched from (`WARC-Target-URI`).
    pub url: Option<&'a str>,
}

/// A page turned into an article (offsets and index are the caller's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub article: RawArticle,
    /// The encoding the page was decoded from (encoding_rs name, lower case).
    pub encoding: &'static str,
    pub method: extract_html::Method,
}

/// Decodes page bytes to UTF-8; returns the text and the encoding's name.
pub fn decode_page<'b>(bytes: &'b [u8], http_charset: Option<&str>) -> (std::borrow::Cow<'b, str>, &'static str) {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, enc_name(enc));
    }
    // Valid UTF-8 wins over a declared legacy charset: pages converted to
    // UTF-8 by a CMS often keep their old `<meta charset=iso-8859-1>`, and
    // non-ASCII legacy text is practically never valid UTF-8 by accident.
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (std::borrow::Cow::Borrowed(s), "utf-8");
    }
    let declared = http_charset
        .and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()))
        .or_else(|| meta_charset(bytes));
    // UTF-16 without a BOM is almost always a wrong label on an ASCII page.
    let enc = match declared {
        Some(e) if e != encoding_rs::UTF_16LE && e != encoding_rs::UTF_16BE && e != encoding_rs::REPLACEMENT => e,
        _ => encoding_rs::WINDOWS_1252,
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text, enc_name(enc))
}

fn enc_name(enc: &'static encoding_rs::Encoding) -> &'static str {
    match enc.name() {
        "UTF-8" => "utf-8",
        "UTF-16LE" => "utf-16le",
        "UTF-16BE" => "utf-16be",
        "windows-1252" => "windows-1252",
        "ISO-8859-2" => "iso-8859-2",
        "windows-1250" => "windows-1250",
        "windows-1251" => "windows-1251",
        "KOI8-R" => "koi8-r",
        "Shift_JIS" => "shift_jis",
        "EUC-JP" => "euc-jp",
        "GBK" => "gbk",
        "gb18030" => "gb18030",
        "Big5" => "big5",
        "EUC-KR" => "euc-kr",
        "ISO-8859-15" => "iso-8859-15",
        _ => "other",
    }
}

static META_CHARSET: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    regex::bytes::Regex::new(r#"(?i)<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_:.\-]{2,40})"#)
        .expect("static regex")
});

/// The charset declared in the first 4 KiB (`<meta charset>` or `http-equiv`).
fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let caps = META_CHARSET.captures(head)?;
    encoding_rs::Encoding::for_label(caps.get(1)?.as_bytes())
}

/// Why a page gave no article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageProblem {
    /// No main text found (an empty page, a frameset, a page of links).
    NoText,
}

/// Turns one page into an article. `bytes` is the page as served (after any
/// transfer/content decoding).
pub fn page_article(bytes: &[u8], ctx: &PageContext<'_>) -> Result<Page, PageProblem> {
    let (html, encoding) = decode_page(bytes, ctx.http_charset);
    let dom = dom::parse(&html);
    let main = extract_html::extract(&dom);
    let meta = Meta::read(&dom, ctx.url);
    let MainText { mut paragraphs, mut method } = main;
    // Pages that render their body from JSON (the DOM holds a teaser or a
    // skeleton) often still carry the whole text in JSON-LD `articleBody`.
    let chars: usize = paragraphs.iter().map(|p| p.len()).sum();
    if chars < JSONLD_BODY_BELOW {
        let body = meta.article_body.as_deref().and_then(|j| json_string_value(j, "articleBody"));
        if let Some(body) = body.as_deref().filter(|b| !b.trim().is_empty()).map(body_paragraphs) {
            let body_chars: usize = body.iter().map(|p| p.len()).sum();
            if body_chars > 2 * chars + 200 {
                paragraphs = body;
                method = extract_html::Method::JsonLd;
            }
        }
    }
    // Blogger themes ship the post body as HTML inside a
    // `<script type="text/template">` in the `articleBody` element.
    let chars: usize = paragraphs.iter().map(|p| p.len()).sum();
    if chars < 500 {
        if let Some(body) = template_body(&dom) {
            let body_chars: usize = body.iter().map(|p| p.len()).sum();
            if body_chars > 2 * chars + 200 {
                paragraphs = body;
                method = extract_html::Method::Template;
            }
        }
    }
    let text = body_without_headline(paragraphs, meta.title.as_deref(), meta.h1.as_deref());
    if text.trim().is_empty() {
        return Err(PageProblem::NoText);
    }
    let article = RawArticle {
        text,
        title: meta.title,
        date: meta.date,
        outlet: meta.outlet,
        url: meta.url,
        lang: meta.lang,
        ..RawArticle::default()
    };
    Ok(Page { article, encoding, method })
}

/// The main text of HTML kept in a `<script type="text/template">` inside the
/// body container (`itemprop=articleBody`, a `post-body` class).
fn template_body(dom: &Dom) -> Option<Vec<String>> {
    let script = dom.elements_by_tag("script").find(|&id| {
        dom.attr(id, "type").is_some_and(|t| t.eq_ignore_ascii_case("text/template"))
            && dom.ancestors(id).take(3).any(|a| {
                dom.attr(a, "itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody"))
                    || dom.attr(a, "class").is_some_and(|c| c.contains("post-body"))
            })
    })?;
    let main = extract_html::extract_str(&dom.raw_text(script));
    (!main.paragraphs.is_empty()).then_some(main.paragraphs)
}

/// Below this many bytes of DOM text, a longer JSON-LD `articleBody` is used instead.
const JSONLD_BODY_BELOW: usize = 1500;

/// Paragraphs of a JSON-LD `articleBody`: plain text split at line breaks,
/// or, when it holds markup, the paragraphs of that markup.
fn body_paragraphs(body: &str) -> Vec<String> {
    if body.contains("</p>") || body.contains("<br") {
        let dom = dom::parse(body);
        let mut out = Vec::new();
        let mut cur = String::new();
        for id in dom.descendants(dom.body) {
            match &dom.node(id).data {
                NodeData::Text(t) => dom::push_collapsed(&mut cur, t),
                NodeData::Element(e) if matches!(&*e.tag, "p" | "br" | "div" | "li" | "h2" | "h3" | "h4") => {
                    let t = cur.trim();
                    if !t.is_empty() {
                        out.push(t.to_string());
                    }
                    cur.clear();
                }
                _ => {}
            }
        }
        let t = cur.trim();
        if !t.is_empty() {
            out.push(t.to_string());
        }
        return out;
    }
    body.split('\n').map(collapse).filter(|p| !p.is_empty()).collect()
}

/// The decoded value of the first `"key": "…"` string in JSON text (escapes
/// `\n`, `\"`, `\uXXXX` with surrogate pairs; a malformed escape ends it).
fn json_string_value(json: &str, key: &str) -> Option<String> {
    let pat = format!("\"{key}\"");
    let mut from = 0;
    while let Some(i) = json[from..].find(&pat) {
        let after = from + i + pat.len();
        from = after;
        let rest = json[after..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else { continue };
        let Some(rest) = rest.trim_start().strip_prefix('"') else { continue };
        let mut out = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(out),
                '\\' => match chars.next()? {
                    'n' | 'r' => out.push('\n'),
                    't' => out.push(' '),
                    'u' => {
                        let hex: String = chars.by_ref().take(4).collect();
                        let mut code = u32::from_str_radix(&hex, 16).ok()?;
                        if (0xD800..0xDC00).contains(&code) {
                            let rest = chars.as_str();
                            if let Some(low) = rest.strip_prefix("\\u").and_then(|r| r.get(..4)) {
                                let low = u32::from_str_radix(low, 16).ok()?;
                                if (0xDC00..0xE000).contains(&low) {
                                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                                    chars = rest[6..].chars();
                                }
                            }
                        }
                        out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        return None;
    }
    None
}

/// Joins paragraphs with blank lines, dropping leading paragraphs that repeat
/// the headline (the record has it in `title`).
fn body_without_headline(paragraphs: Vec<String>, title: Option<&str>, h1: Option<&str>) -> String {
    let key = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let heads: Vec<String> = [title, h1].into_iter().flatten().map(key).filter(|k| !k.is_empty()).collect();
    let mut out = String::new();
    for (i, p) in paragraphs.into_iter().enumerate() {
        if i < 3 && heads.contains(&key(&p)) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&p);
    }
    out
}

/// Page metadata read from the DOM.
#[derive(Debug, Default)]
struct Meta {
    title: Option<String>,
    h1: Option<String>,
    outlet: Option<String>,
    url: Option<String>,
    lang: Option<String>,
    date: Option<RawDate>,
    /// The JSON-LD block that has an `articleBody` (raw JSON).
    article_body: Option<String>,
}

/// Meta tags (`name`, `property` or `itemprop`, lower-cased) that carry the
/// publication date, strongest first. Modification dates are not among them.
const DATE_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "published_time",
    "publication_date",
    "publish_date",
    "publish-date",
    "publishdate",
    "published-date",
    "date_published",
    "pubdate",
    "og:pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "cxenseparse:recs:publishtime",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "dc.date.published",
    "citation_publication_date",
    "citation_date",
    "prism.publicationdate",
    "date",
    "datecreated",
    "created",
    "displaydate",
    "release_date",
    "bt:pubdate",
    "article.created",
    "date_created",
    "shareaholic:article_published_time",
    "rnews:datepublished",
    "last-modified",
];

impl Meta {
    fn read(dom: &Dom, ctx_url: Option<&str>) -> Meta {
        let mut metas: Vec<(String, &str)> = Vec::new();
        let mut canonical = None;
        let mut jsonld = Vec::new();
        let mut title_tag = None;
        let mut h1 = None;
        let mut times: Vec<NodeId> = Vec::new();
        let mut scripts: Vec<NodeId> = Vec::new();
        let mut itemprop_dates: Vec<NodeId> = Vec::new();
        for id in 0..dom.nodes.len() as NodeId {
            let Some(el) = dom.element(id) else { continue };
            match &*el.tag {
                "meta" => {
                    let key = el.attr("property").or_else(|| el.attr("name")).or_else(|| el.attr("itemprop"));
                    if let (Some(k), Some(v)) = (key, el.attr("content")) {
                        metas.push((k.trim().to_ascii_lowercase(), v));
                    }
                    if let (Some(h), Some(v)) = (el.attr("http-equiv"), el.attr("content")) {
                        metas.push((h.trim().to_ascii_lowercase(), v));
                    }
                }
                "link"
                    if canonical.is_none()
                        && el.attr("rel").is_some_and(|r| {
                            r.split_ascii_whitespace().any(|t| t.eq_ignore_ascii_case("canonical"))
                        }) =>
                {
                    canonical = el.attr("href");
                }
                "script" if el.attr("type").is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) => {
                    jsonld.push(dom.raw_text(id));
                }
                "script" => scripts.push(id),
                "title" if title_tag.is_none() => title_tag = Some(dom.text(id)),
                "h1" if h1.is_none() => {
                    let t = dom.text(id);
                    if !t.is_empty() {
                        h1 = Some(t);
                    }
                }
                "time" => times.push(id),
                _ => {}
            }
            if el.attr("itemprop").is_some_and(|v| v.eq_ignore_ascii_case("datePublished")) && &*el.tag != "meta" {
                itemprop_dates.push(id);
            }
        }
        let meta = |key: &str| -> Option<&str> {
            metas.iter().find(|(k, v)| k == key && !v.trim().is_empty()).map(|(_, v)| v.trim())
        };

        let url = canonical
            .and_then(|c| absolute_url(c, ctx_url))
            .or_else(|| meta("og:url").and_then(|c| absolute_url(c, ctx_url)))
            .or_else(|| ctx_url.map(str::to_string));
        let host = url.as_deref().and_then(host_of).or_else(|| ctx_url.and_then(host_of));
        let outlet = meta("og:site_name")
            .map(str::to_string)
            .or_else(|| meta("application-name").map(str::to_string))
            .or_else(|| jsonld.iter().find_map(|j| jsonld_string(j, "publisher_name")))
            .or_else(|| host.clone());
        let site_hint = outlet.as_deref().or(host.as_deref());
        let title = meta("og:title")
            .map(|t| strip_site_suffix(&collapse(t), site_hint))
            .or_else(|| h1.clone())
            .or_else(|| meta("twitter:title").map(|t| strip_site_suffix(&collapse(t), site_hint)))
            .or_else(|| title_tag.as_deref().map(|t| strip_site_suffix(t, site_hint)))
            .filter(|t| !t.is_empty());
        let lang = dom
            .attr(dom.html, "lang")
            .or_else(|| dom.attr(dom.html, "xml:lang"))
            .or_else(|| meta("content-language"))
            .or_else(|| meta("og:locale"))
            .map(|l| l.trim().replace('_', "-"))
            .filter(|l| !l.is_empty());

        let date = find_date(
            dom,
            &metas,
            &jsonld,
            &scripts,
            &itemprop_dates,
            &times,
            url.as_deref(),
            ctx_url,
            lang.as_deref(),
        );
        // Kept raw; decoded only when the DOM text turns out short.
        let article_body = jsonld.iter().find(|j| j.contains("\"articleBody\"")).cloned();
        Meta { title, h1, outlet, url, lang, date, article_body }
    }
}

fn collapse(s: &str) -> String {
    let mut out = String::new();
    dom::push_collapsed(&mut out, s);
    out.trim().to_string()
}

/// An absolute http(s) URL for `href`, resolving a root-relative one against `base`.
fn absolute_url(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(href.to_string());
    }
    let base = base?;
    if let Some(rest) = href.strip_prefix("//") {
        let scheme = base.split("://").next()?;
        return Some(format!("{scheme}://{rest}"));
    }
    if href.starts_with('/') {
        let (scheme, rest) = base.split_once("://")?;
        let host = rest.split(['/', '?', '#']).next()?;
        return Some(format!("{scheme}://{host}{href}"));
    }
    None
}

/// The host of an http(s) URL, lower case, without `www.` and port.
pub(crate) fn host_of(url: &str) -> Option<String> {
    let (_, rest) = url.trim().split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty() && host.contains('.')).then_some(host)
}

/// Removes a trailing (or leading) site name: "Headline - BBC News",
/// "Headline | Reuters", "Spiegel Online: Headline" is left alone (a colon
/// is too often part of the headline).
fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let title = collapse(title);
    let seps = [" | ", " - ", " – ", " — ", " :: ", " · ", " « ", " » ", " / "];
    let norm = |s: &str| s.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let site_key = site.map(|s| norm(s.split('.').next().unwrap_or(s))).unwrap_or_default();
    let site_full = site.map(norm).unwrap_or_default();
    let is_site = |seg: &str| {
        let k = norm(seg);
        !k.is_empty()
            && (!site_key.is_empty() && (k.contains(&site_key) || site_key.contains(&k) && k.len() >= 3)
                || !site_full.is_empty() && k == site_full)
    };
    for sep in seps {
        // After a bar or a dot, a short last segment is a site name even when
        // it does not match the host; after a dash it must match (dashes are
        // also punctuation inside headlines).
        let barlike = matches!(sep, " | " | " :: " | " · " | " « " | " » ");
        if let Some((head, tail)) = title.rsplit_once(sep) {
            if is_site(tail) || barlike && tail.split_whitespace().count() <= 3 && head.split_whitespace().count() >= 3
            {
                return head.trim().to_string();
            }
        }
        if let Some((head, tail)) = title.split_once(sep) {
            if is_site(head) && tail.split_whitespace().count() >= 3 {
                return tail.trim().to_string();
            }
        }
    }
    title
}

static JSONLD_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""datePublished"\s*:\s*"([^"]{6,40})""#).expect("static regex"));
static JSONLD_CREATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""dateCreated"\s*:\s*"([^"]{6,40})""#).expect("static regex"));
static JSONLD_PUBLISHER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""publisher"\s*:\s*\{[^{}]*?"name"\s*:\s*"([^"]{2,80})""#).expect("static regex"));

/// A string field from JSON-LD text (regex, not a JSON parser: JSON-LD in the
/// wild often has trailing commas, comments or raw newlines).
fn jsonld_string(j: &str, what: &str) -> Option<String> {
    let re = match what {
        "datePublished" => &JSONLD_DATE,
        "dateCreated" => &JSONLD_CREATED,
        _ => &JSONLD_PUBLISHER,
    };
    re.captures(j).map(|c| c[1].trim().to_string())
}

/// Class/id/itemprop words of elements that show a publication date.
static DATE_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)date|time|publish|posted|byline|dateline|datum|fecha|data|meta|info|postinfo|entry-?footer|article-?header|submitted|created|stand|zeit",
    )
    .expect("static regex")
});
static MODIFIED_CLASS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)updated|modified|aktualisiert|last-?edit").expect("static regex"));

/// A class/id word of a comment section or a single comment (`comments`,
/// `comment-metadata`, `comment__time`): its dates are the readers', not the
/// article's.
static COMMENT_CLASS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:^|[-_])comments?(?:$|[-_])").expect("static regex"));

/// A clock the site prints on every page ("Aktuelle Zeit: 14.10.2020",
/// phpBB's "It is currently …"): the date of the visit, not of the page.
static CURRENT_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)aktuelle zeit|it is currently|current time|heute ist|nous sommes le|fecha actual|data odierna")
        .expect("static regex")
});

fn has_word(dom: &Dom, id: NodeId, re: &Regex) -> bool {
    [dom.attr(id, "class"), dom.attr(id, "id")]
        .into_iter()
        .flatten()
        .any(|v| v.split_ascii_whitespace().any(|w| re.is_match(w)))
}

/// Inside a comment section (within the eight nearest ancestors).
fn in_comments(dom: &Dom, id: NodeId) -> bool {
    std::iter::once(id)
        .chain(dom.ancestors(id).take(8))
        .any(|a| !matches!(dom.tag(a), "body" | "html") && has_word(dom, a, &COMMENT_CLASS))
}

/// Text the page does not show as its date: an "updated" stamp, a hidden
/// rich-snippet copy, a comment's date.
fn not_the_shown_date(dom: &Dom, id: NodeId) -> bool {
    std::iter::once(id).chain(dom.ancestors(id).take(4)).any(|a| {
        // WordPress marks the publication date "entry-date published updated".
        dom.attr(a, "class").is_some_and(|c| {
            MODIFIED_CLASS.is_match(c) && !c.to_ascii_lowercase().contains("publish")
                // "rich-snippet-hidden", "visually-hidden"; not Bootstrap's
                // "hidden-xs", which is shown on wide screens.
                || c.split_ascii_whitespace().any(|w| w == "hidden" || w.ends_with("-hidden") || w.ends_with("_hidden"))
        }) || dom.element(a).is_some_and(|_| is_hidden_el(dom, a))
    }) || in_comments(dom, id)
}

fn is_hidden_el(dom: &Dom, id: NodeId) -> bool {
    dom.attr(id, "hidden").is_some()
        || dom.attr(id, "style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
            s.contains("display:none")
        })
}

/// Where the chosen date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateSource {
    /// A `/2024/01/05/` URL path.
    Url,
    /// A machine-readable field (JSON-LD, meta tag, `<time datetime>`, script JSON).
    Machine,
    /// Visible text.
    Shown,
}

static UTC_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[T ](\d{1,2}):\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]00:?00|UTC|GMT)(?:$|[^0-9A-Za-z])")
        .expect("static regex")
});

/// A timestamp written with a non-zero UTC offset: its date is the local one.
static LOCAL_OFFSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*[+-](?:0[1-9]|1\d):?\d{2}(?:$|[^0-9])|[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*[+-]00:?(?:[1-5]\d|0[1-9])(?:$|[^0-9])")
        .expect("static regex")
});

/// The hour of a timestamp written in UTC (`…T23:30:00Z`, `+00:00`, `GMT`).
fn utc_hour(raw: &str) -> Option<u32> {
    UTC_TIME.captures(raw).and_then(|c| c[1].parse().ok()).filter(|h| *h < 24)
}

#[allow(clippy::too_many_arguments)]
fn find_date(
    dom: &Dom,
    metas: &[(String, &str)],
    jsonld: &[String],
    scripts: &[NodeId],
    itemprop_dates: &[NodeId],
    times: &[NodeId],
    url: Option<&str>,
    ctx_url: Option<&str>,
    lang: Option<&str>,
) -> Option<RawDate> {
    // Month first only in US English (and bare `en`); en-GB, en-AU, en-IN … write the day first.
    let us = lang.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        l == "en" || l.starts_with("en-us") || l.starts_with("en_us")
    });
    let (found, source, raw) = find_date_inner(dom, metas, jsonld, scripts, itemprop_dates, times, url, ctx_url, us)?;
    if source == DateSource::Url {
        if let Some(later) = published_after_url_date(metas, jsonld, &found, us) {
            return Some(later);
        }
    }
    // The date the page shows next to its headline (else in a date-like
    // element) wins over the found one when they are one day apart: a UTC
    // timestamp ("…T23:30:00Z") is a day off the local date once the local
    // day has begun (or not yet ended: the hour must allow the direction),
    // and a date-only or offset-less meta field is often a refreshed one. A
    // timestamp in the page's own non-zero offset is the local date already;
    // a URL date yields only to the date next to the headline.
    let day = |r: &RawDate| {
        parse_any_date(&r.text, us).and_then(|(y, m, d)| jiff::civil::Date::new(y as i16, m as i8, d as i8).ok())
    };
    // A shown date that is the found one with day and month swapped (an
    // ambiguous 04/12 read the other way) never overrides it.
    let found_day = day(&found);
    let usable = |r: &RawDate| {
        day(r).is_some_and(|d| !found_day.is_some_and(|f| f != d && f.day() == d.month() && f.month() == d.day()))
    };
    // A date the page labels as its publication date ("Veröffentlicht am
    // 16.08.2019", "Erschienen am: 13.10.2021", "Published on …") is what
    // the outlet states; a machine field that disagrees is most often a
    // modification date or a comment's. A URL date still stands.
    if source != DateSource::Url {
        if let Some(l) = labelled_date(dom, us).filter(usable) {
            if day(&l).is_some() && day(&l) != found_day {
                return Some(l);
            }
        }
    }
    let near = date_near_headline(dom, us).filter(usable);
    let marked = if source == DateSource::Url { None } else { visible_date(dom, us).filter(usable) };
    // The byline date, shown both right after the headline and in a
    // date-marked element, is the date the outlet presents; a machine field
    // that disagrees is most often a modification or creation date.
    if source == DateSource::Machine {
        if let (Some(n), Some(v)) = (&near, &marked) {
            let nd = day(n);
            if nd.is_some() && nd == day(v) && nd != day(&found) {
                return near;
            }
        }
    }
    let shown = near.or(marked);
    if let Some(shown) = shown {
        if let (Some(a), Some(b)) = (day(&found), day(&shown)) {
            let diff = (b - a).get_days();
            let take = match (diff, utc_hour(&raw)) {
                (-1 | 1, _) if LOCAL_OFFSET.is_match(&raw) => false,
                (1, Some(hour)) => hour >= 10,
                (-1, Some(hour)) => hour < 12,
                (-1 | 1, None) => true,
                _ => false,
            };
            if take {
                return Some(shown);
            }
        }
    }
    Some(found)
}

/// The publication date when the page's two main machine fields, JSON-LD
/// `datePublished` and `article:published_time`, agree on a day up to 60
/// days after the URL date: a CMS puts the day the draft was created in the
/// slug, and the story went out later. An earlier machine date is not
/// taken.
fn published_after_url_date(
    metas: &[(String, &str)],
    jsonld: &[String],
    url_date: &RawDate,
    us: bool,
) -> Option<RawDate> {
    let day =
        |t: &str| parse_any_date(t, us).and_then(|(y, m, d)| jiff::civil::Date::new(y as i16, m as i8, d as i8).ok());
    let ld = jsonld.iter().find_map(|j| jsonld_string(j, "datePublished"))?;
    let og = metas.iter().find(|(k, _)| k == "article:published_time").map(|(_, v)| v.trim())?;
    let (a, b, u) = (day(&ld)?, day(og)?, day(&url_date.text)?);
    let diff = (a - u).get_days();
    // One day later is usually a UTC stamp of the same local day; it counts
    // only when written in a local, non-zero offset.
    let later = (2..=60).contains(&diff) || diff == 1 && LOCAL_OFFSET.is_match(og);
    (a == b && later).then(|| date_from_text(og, us)).flatten()
}

static SCRIPT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r#""(?:datePublished|date_published|published_at|publishedAt|publishedDate|published_date|publishDate|"#,
        r#"publish_date|pubDate|firstPublished|first_published_at|firstPublishedAt|createdAt|created_at|dateCreated)"\s*:\s*"([^"]{8,40})""#
    ))
    .expect("static regex")
});

#[allow(clippy::too_many_arguments)]
fn find_date_inner(
    dom: &Dom,
    metas: &[(String, &str)],
    jsonld: &[String],
    scripts: &[NodeId],
    itemprop_dates: &[NodeId],
    times: &[NodeId],
    url: Option<&str>,
    ctx_url: Option<&str>,
    us: bool,
) -> Option<(RawDate, DateSource, String)> {
    let mk = |text: &str| date_from_text(text, us);
    let machine = |d: RawDate, raw: &str| Some((d, DateSource::Machine, raw.to_string()));
    // 0. A full date in the URL path (/2024/01/05/): set when the page was
    //    published and never touched by later edits, unlike meta tags that
    //    CMSs refresh, and free of the UTC shift of `…T23:30:00Z` stamps.
    for u in [url, ctx_url].into_iter().flatten() {
        if let Some(d) = url_date(u) {
            return Some((d, DateSource::Url, String::new()));
        }
    }
    // 1. JSON-LD and the Open Graph article time: machine-written, strongest.
    for j in jsonld {
        if let Some(t) = jsonld_string(j, "datePublished") {
            if let Some(d) = mk(&t) {
                return machine(d, &t);
            }
        }
    }
    // 2. Meta tags in priority order.
    for key in DATE_META {
        for (k, v) in metas {
            if k == key {
                if let Some(d) = mk(v) {
                    return machine(d, v);
                }
            }
        }
    }
    for j in jsonld {
        if let Some(t) = jsonld_string(j, "dateCreated") {
            if let Some(d) = mk(&t) {
                return machine(d, &t);
            }
        }
    }
    // 3. itemprop=datePublished on an element, then <time> elements: a
    //    `pubdate`/"published" one first, then the first that is not an update.
    for &id in itemprop_dates {
        // Schema.org `Comment`s carry their own `datePublished`.
        if in_comments(dom, id) {
            continue;
        }
        if let Some(v) = dom.attr(id, "datetime").or_else(|| dom.attr(id, "content")) {
            if let Some(d) = mk(v) {
                return machine(d, v);
            }
        }
        if let Some(d) = mk(&dom.text(id)) {
            return Some((d, DateSource::Shown, String::new()));
        }
    }
    let modified = |id: NodeId| {
        std::iter::once(id)
            .chain(dom.ancestors(id).take(2))
            .any(|n| dom.attr(n, "class").is_some_and(|c| MODIFIED_CLASS.is_match(c)))
    };
    let time_date = |id: NodeId| {
        if let Some(v) = dom.attr(id, "datetime") {
            if let Some(d) = mk(v) {
                return Some((d, DateSource::Machine, v.to_string()));
            }
        }
        mk(&dom.text(id)).map(|d| (d, DateSource::Shown, String::new()))
    };
    let times: Vec<NodeId> = times.iter().copied().filter(|&id| !in_comments(dom, id)).collect();
    let published = times.iter().copied().find(|&id| {
        dom.attr(id, "pubdate").is_some()
            || dom.attr(id, "class").is_some_and(|c| c.to_ascii_lowercase().contains("publish"))
    });
    if let Some(d) = published.and_then(time_date) {
        return Some(d);
    }
    for &id in &times {
        if !modified(id) {
            if let Some(d) = time_date(id) {
                return Some(d);
            }
        }
    }
    // 4. Visible text of a date-like element ("Posted on 5 January 2024"),
    //    then a date just after the headline.
    if let Some(d) = visible_date(dom, us).or_else(|| date_near_headline(dom, us)) {
        return Some((d, DateSource::Shown, String::new()));
    }
    // 5. A publication field in a script's JSON (Next.js/Nuxt state, shop
    //    systems, review widgets): the page renders its date from there.
    for &id in scripts {
        let raw = dom.raw_text(id);
        for c in SCRIPT_DATE.captures_iter(&raw).take(3) {
            if let Some(d) = mk(&c[1]) {
                return machine(d, &c[1]);
            }
        }
    }
    // 6. Last, the first full date in the page's visible text: weaker
    //    evidence (it may be an event the article mentions), but on pages
    //    with no markup for dates it is most often the publication line.
    first_text_date(dom, us).map(|d| (d, DateSource::Shown, String::new()))
}

/// Class/id words that name the publication date itself, preferred over
/// other date-like elements ("field--name-node-post-date" over a seminar's
/// "field-fachforum-datum").
static PUBLISHED_CLASS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)publish|post-?date|pubdate|posted|entry-date").expect("static regex"));

/// A user's registration date in a forum profile ("Registriert: 18.09.2008").
static MEMBER_SINCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)registriert|registered|joined|member since|mitglied seit|dabei seit|inscrit|miembro desde")
        .expect("static regex")
});

fn visible_date(dom: &Dom, us: bool) -> Option<RawDate> {
    let body = dom.body;
    let mut checked = 0;
    let mut first: Option<RawDate> = None;
    for id in dom.descendants(body) {
        let Some(el) = dom.element(id) else { continue };
        if matches!(&*el.tag, "script" | "style" | "a" | "nav" | "footer") {
            continue;
        }
        let names = [el.attr("class"), el.attr("id"), el.attr("itemprop")];
        let dateish = names.iter().flatten().any(|v| DATE_CLASS.is_match(v));
        if !dateish || names.iter().flatten().any(|v| MODIFIED_CLASS.is_match(v)) {
            continue;
        }
        // Only small elements: a byline, not a whole article with dates in it.
        let text = leading_text(dom, id, 200);
        if text.is_empty() || CURRENT_TIME.is_match(&text) || MEMBER_SINCE.is_match(&text) || in_comments(dom, id) {
            continue;
        }
        if let Some(d) = date_from_text(&text, us) {
            // The first date-like element, unless one named for the
            // publication date follows (outside lists of other articles).
            if names.iter().flatten().any(|v| PUBLISHED_CLASS.is_match(v)) && !in_teaser_list(dom, id) {
                return Some(d);
            }
            first.get_or_insert(d);
        }
        checked += 1;
        if checked > 200 {
            break;
        }
    }
    first
}

/// A publication label followed by a date, in the languages of
/// [`month_number`]. Creation and modification labels are not among them.
static PUBLISHED_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:veröffentlicht|erschienen|publiziert)(?:\s+am)?\s*:?|published(?:\s+on)?\s*:?|posted\s+on\s*:?|",
        r"date\s+published\s*:?|publié\s+le|mis\s+en\s+ligne\s+le|publicado(?:\s+(?:el|em|en))?\s*:?|",
        r"fecha\s+de\s+publicación\s*:?|pubblicato\s+il|opublikowano\s*:?|data\s+publikacji\s*:?|gepubliceerd\s+op"
    ))
    .expect("static regex")
});

/// The first date that follows a [`PUBLISHED_LABEL`] in the body's visible
/// text (within 60 bytes, possibly in the next text nodes), outside scripts,
/// links and comment sections.
fn labelled_date(dom: &Dom, us: bool) -> Option<RawDate> {
    let end = dom.last_descendant(dom.body);
    let mut n = dom.body;
    while n < end {
        n += 1;
        let NodeData::Text(t) = &dom.node(n).data else { continue };
        let Some(m) = PUBLISHED_LABEL.find(t) else { continue };
        if dom.ancestors(n).take(6).any(|a| matches!(dom.tag(a), "script" | "style" | "a" | "option" | "noscript"))
            || in_comments(dom, n)
            || in_teaser_list(dom, n)
        {
            continue;
        }
        let mut text = String::new();
        dom::push_collapsed(&mut text, &t[m.end()..]);
        let mut next = n + 1;
        while text.len() < 60 && next <= end {
            if let NodeData::Text(t) = &dom.node(next).data {
                text.push(' ');
                dom::push_collapsed(&mut text, t);
            }
            next += 1;
        }
        let mut cut = text.len().min(60);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        // The date must follow the label ("am Sonntag, 17.10.2021" at most
        // after a weekday): "publiziert das THW am …" is prose about
        // another publication.
        let rest = text[..cut].trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '-' | '|'));
        let rest = match rest.split_once(", ") {
            Some((w, r)) if w.len() <= 12 && w.chars().all(char::is_alphabetic) && month_number(w).is_none() => r,
            _ => rest,
        };
        let starts_with_date = rest.starts_with(|c: char| c.is_ascii_digit())
            || rest.split(|c: char| !c.is_alphabetic()).next().is_some_and(|w| month_number(w).is_some());
        if !starts_with_date {
            continue;
        }
        if let Some((y, m, d)) = parse_any_date(rest, us) {
            return Some(RawDate { text: format!("{y:04}-{m:02}-{d:02}"), basis: DateBasis::Meta });
        }
    }
    None
}

/// Inside a list of other articles: related posts, popular-post widgets,
/// teasers, a sidebar (within the ten nearest ancestors).
fn in_teaser_list(dom: &Dom, id: NodeId) -> bool {
    dom.ancestors(id).take(10).any(|a| {
        [dom.attr(a, "class"), dom.attr(a, "id")].into_iter().flatten().any(|v| {
            let v = v.to_ascii_lowercase();
            ["related", "popular", "widget", "sidebar", "teaser", "recommend", "wpp-"].iter().any(|w| v.contains(w))
        })
    })
}

/// A date in the first few hundred characters after the first `<h1>`
/// ("By Jane Doe, 5 January 2024"): bylines sit there when unmarked.
fn date_near_headline(dom: &Dom, us: bool) -> Option<RawDate> {
    let h1 = dom.elements_by_tag("h1").next()?;
    let mut text = String::new();
    let mut seen = 0;
    let start = dom.last_descendant(h1) + 1;
    for n in start..(dom.nodes.len() as NodeId).min(start + 400) {
        if let NodeData::Text(t) = &dom.node(n).data {
            // Links count: bylines put the date in a permalink.
            if dom.ancestors(n).take(3).any(|a| matches!(dom.tag(a), "script" | "style"))
                || CURRENT_TIME.is_match(t)
                || t.bytes().any(|b| b.is_ascii_digit()) && not_the_shown_date(dom, n)
            {
                continue;
            }
            let t = t.trim();
            seen += t.len();
            if t.len() > 150 {
                // A standfirst is prose: a date in it is an event's ("vom
                // 9.1. bis 10.2.2023"); only a dateline opening it counts.
                let mut cut = 40;
                while !t.is_char_boundary(cut) {
                    cut -= 1;
                }
                dom::push_collapsed(&mut text, &t[..cut]);
                text.push_str(" … ");
            } else {
                dom::push_collapsed(&mut text, t);
                text.push(' ');
            }
            if text.len() > 300 || seen > 600 {
                break;
            }
        }
    }
    // Only a date with its own line-sized context, not one inside prose.
    let (y, m, d) = parse_any_date(&text, us)?;
    Some(RawDate { text: format!("{y:04}-{m:02}-{d:02}"), basis: DateBasis::Meta })
}

/// The first complete date (day, month, year) in a short text node of the
/// body, outside navigation, scripts, links and copyright lines.
fn first_text_date(dom: &Dom, us: bool) -> Option<RawDate> {
    for n in dom.descendants(dom.body) {
        let NodeData::Text(t) = &dom.node(n).data else { continue };
        let mut t = t.trim();
        if t.len() > 300 {
            // A long paragraph counts only by a date that opens it
            // ("27.1.2022 - Bei der Erinnerung …", a dateline).
            let mut cut = 40;
            while !t.is_char_boundary(cut) {
                cut -= 1;
            }
            t = &t[..cut];
        }
        if t.len() < 6 || !t.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let lower = t.to_lowercase();
        if lower.contains('©') || lower.contains("copyright") || CURRENT_TIME.is_match(&lower) {
            continue;
        }
        if dom.ancestors(n).any(|a| {
            matches!(dom.tag(a), "script" | "style" | "nav" | "footer" | "a" | "select" | "option" | "noscript")
                || dom.attr(a, "class").is_some_and(|c| MODIFIED_CLASS.is_match(c))
        }) || in_comments(dom, n)
        {
            continue;
        }
        if let Some((y, m, d)) = parse_any_date(t, us) {
            let parent = dom.node(n).parent;
            if parent != crate::extract_html::dom::NONE && MEMBER_SINCE.is_match(&leading_text(dom, parent, 200)) {
                continue;
            }
            return Some(RawDate { text: format!("{y:04}-{m:02}-{d:02}"), basis: DateBasis::Meta });
        }
    }
    None
}

/// Up to `max` bytes of collapsed text under `id`; empty when there is more.
fn leading_text(dom: &Dom, id: NodeId, max: usize) -> String {
    let mut out = String::new();
    for n in dom.descendants(id) {
        if let NodeData::Text(t) = &dom.node(n).data {
            dom::push_collapsed(&mut out, t);
            if out.len() > max {
                return String::new();
            }
        }
    }
    out
}

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"/((?:19|20)\d{2})(?:[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])|/([1-9]|1[0-2])/([1-9]|[12]\d|3[01]))",
        r"(?:[/_.-]|$|[^0-9])"
    ))
    .expect("static regex")
});

fn url_date(url: &str) -> Option<RawDate> {
    let path = url.split_once("://").map_or(url, |(_, r)| r);
    let path = &path[path.find('/')?..];
    let c = URL_DATE.captures(path)?;
    let y = c[1].parse().ok()?;
    let m = c.get(2).or(c.get(4))?.as_str().parse().ok()?;
    let d = c.get(3).or(c.get(5))?.as_str().parse().ok()?;
    valid(y, m, d).then(|| RawDate { text: format!("{y:04}-{m:02}-{d:02}"), basis: DateBasis::Meta })
}

fn valid(y: i32, m: u32, d: u32) -> bool {
    (1990..=2040).contains(&y) && jiff::civil::Date::new(y as i16, m as i8, d as i8).is_ok()
}

/// A publication date found in `text`, as a [`RawDate`] with basis `Meta`:
/// the text itself when `normalize` reads it as the same date, else ISO.
fn date_from_text(text: &str, us: bool) -> Option<RawDate> {
    let text = text.trim();
    if text.is_empty() || text.len() > 300 {
        return None;
    }
    let (y, m, d) = parse_any_date(text, us)?;
    let iso = format!("{y:04}-{m:02}-{d:02}");
    let as_found = parse_date(text).is_some_and(|p| p.date_string() == iso);
    Some(RawDate { text: if as_found { text.to_string() } else { iso }, basis: DateBasis::Meta })
}

static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])((?:19|20)\d{2})[-/.](0?[1-9]|1[0-2])[-/.](0?[1-9]|[12]\d|3[01])(?:$|[^0-9])")
        .expect("static regex")
});
static COMPACT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:$|[T ]?\d{4,6})").expect("static regex")
});
static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])(\d{1,2})\s?([./-])\s?(\d{1,2})\s?[./-]\s?((?:19|20)\d{2}|\d{2})(?:$|[^0-9])")
        .expect("static regex")
});
static CJK_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]").expect("static regex")
});
const MONTH_WORD: &str = r"[A-Za-zÀ-ÿąćęłńóśźżĄĆĘŁŃÓŚŹŻа-яА-Я]{3,12}";
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[^0-9])(\d{{1,2}})(?:\.|º|er|st|nd|rd|th)?\s*(?:de\s+|of\s+)?({MONTH_WORD})\.?,?\s*(?:de\s+|del\s+)?((?:19|20)\d{{2}})(?:$|[^0-9])"
    ))
    .expect("static regex")
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"({MONTH_WORD})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})(?:$|[^0-9])"))
        .expect("static regex")
});

/// Month names and abbreviations in the languages of the news sitrep sees most.
fn month_number(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    const MONTHS: [&[&str]; 12] = [
        &[
            "january",
            "jan",
            "januar",
            "jänner",
            "janvier",
            "janv",
            "enero",
            "ene",
            "gennaio",
            "gen",
            "janeiro",
            "januari",
            "stycznia",
            "styczeń",
            "styczen",
            "января",
            "январь",
        ],
        &[
            "february",
            "feb",
            "februar",
            "feber",
            "février",
            "fevrier",
            "févr",
            "fevr",
            "febrero",
            "febbraio",
            "fevereiro",
            "fev",
            "februari",
            "lutego",
            "luty",
            "февраля",
            "февраль",
        ],
        &[
            "march",
            "mar",
            "märz",
            "maerz",
            "mär",
            "mrz",
            "mars",
            "marzo",
            "março",
            "marco",
            "maart",
            "marca",
            "marzec",
            "марта",
            "март",
        ],
        &[
            "april",
            "apr",
            "avril",
            "avr",
            "abril",
            "abr",
            "aprile",
            "kwietnia",
            "kwiecień",
            "kwiecien",
            "апреля",
            "апрель",
        ],
        &["may", "mai", "mayo", "maggio", "mag", "maio", "mei", "maja", "maj", "мая", "май"],
        &["june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho", "czerwca", "czerwiec", "июня", "июнь"],
        &[
            "july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "lipca", "lipiec", "июля",
            "июль",
        ],
        &[
            "august",
            "aug",
            "août",
            "aout",
            "agosto",
            "ago",
            "augustus",
            "sierpnia",
            "sierpień",
            "sierpien",
            "августа",
            "август",
        ],
        &[
            "september",
            "sep",
            "sept",
            "septembre",
            "septiembre",
            "setiembre",
            "settembre",
            "set",
            "setembro",
            "września",
            "wrzesnia",
            "wrzesień",
            "сентября",
            "сентябрь",
        ],
        &[
            "october",
            "oct",
            "oktober",
            "okt",
            "octobre",
            "octubre",
            "ottobre",
            "ott",
            "outubro",
            "out",
            "października",
            "pazdziernika",
            "październik",
            "октября",
            "октябрь",
        ],
        &["november", "nov", "novembre", "noviembre", "novembro", "listopada", "listopad", "ноября", "ноябрь"],
        &[
            "december",
            "dec",
            "dezember",
            "dez",
            "décembre",
            "decembre",
            "déc",
            "diciembre",
            "dic",
            "dicembre",
            "dezembro",
            "grudnia",
            "grudzień",
            "grudzien",
            "декабря",
            "декабрь",
        ],
    ];
    MONTHS.iter().position(|names| names.contains(&w)).map(|i| i as u32 + 1)
}

/// Finds one date in a short text, in any of the supported forms; when
/// several forms match, the one that comes first in the text.
fn parse_any_date(text: &str, us: bool) -> Option<(i32, u32, u32)> {
    let ok = |y: i32, m: u32, d: u32| valid(y, m, d).then_some((y, m, d));
    let num = |c: &regex::Captures<'_>, i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    if let Some(c) = COMPACT_DATE.captures(text) {
        return ok(num(&c, 1)? as i32, num(&c, 2)?, num(&c, 3)?);
    }
    let mut best: Option<(usize, (i32, u32, u32))> = None;
    let mut consider = |start: usize, date: Option<(i32, u32, u32)>| {
        if let Some(d) = date {
            if best.is_none_or(|(s, _)| start < s) {
                best = Some((start, d));
            }
        }
    };
    for re in [&*ISO_DATE, &*CJK_DATE] {
        if let Some(c) = re.captures(text) {
            let start = c.get(1).map_or(0, |m| m.start());
            consider(start, (|| ok(num(&c, 1)? as i32, num(&c, 2)?, num(&c, 3)?))());
        }
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(text) {
        let start = c.get(1).map_or(0, |m| m.start());
        consider(start, (|| ok(num(&c, 3)? as i32, month_number(&c[2])?, num(&c, 1)?))());
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(text) {
        let start = c.get(1).map_or(0, |m| m.start());
        consider(start, (|| ok(num(&c, 3)? as i32, month_number(&c[1])?, num(&c, 2)?))());
    }
    if let Some(c) = NUMERIC_DATE.captures(text) {
        let start = c.get(1).map_or(0, |m| m.start());
        let date = (|| {
            let (a, b) = (num(&c, 1)?, num(&c, 3)?);
            let mut y = num(&c, 4)? as i32;
            if c[4].len() == 2 {
                y += if y < 70 { 2000 } else { 1900 };
            }
            // Day first (most of the world, and always with dots) unless the
            // page is English with slashes and the first number can be a month.
            let month_first = (us && &c[2] == "/" && a <= 12) || b > 12;
            let (m, d) = if month_first { (a, b) } else { (b, a) };
            ok(y, m, d)
        })();
        consider(start, date);
    }
    best.map(|(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Floods cut road to the northern valley - Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-01-05T10:30:00+01:00">
<link rel="canonical" href="https://www.example-news.test/world/floods-cut-road">
<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-01-05T09:00:00Z"}</script>
</head><body>
<div id="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies?</p><button>Accept</button></div>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>Floods cut road to the northern valley</h1>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
<div class="article-body">
<p>Heavy rain overnight washed away a section of the only road into the northern valley, officials said on Friday, leaving several villages cut off.</p>
<div class="ad-slot"><p>Advertisement: buy the new phone today, great offers inside</p></div>
<p>Rescue teams used boats to reach families stranded on rooftops, and the regional governor asked the army for helicopters.</p>
<p>Forecasters expect more rain until Sunday, with rivers already above their spring levels in three districts.</p>
</div>
<section class="comments"><h2>Comments</h2><p>Great article, thanks for sharing this with us all!</p></section>
</article>
<aside class="most-read"><h2>Most read</h2><ol><li><a href="/a">Celebrity wedding photos released today</a></li></ol></aside>
</main>
<footer><p>Copyright 2024 Example News. All rights reserved. Terms of use and privacy policy.</p></footer>
</body></html>"##;

    #[test]
    fn fixture_page_main_text_and_metadata() {
        let page = page_article(PAGE.as_bytes(), &PageContext::default()).unwrap();
        let a = &page.article;
        assert_eq!(a.title.as_deref(), Some("Floods cut road to the northern valley"));
        assert_eq!(a.outlet.as_deref(), Some("Example News"));
        assert_eq!(a.url.as_deref(), Some("https://www.example-news.test/world/floods-cut-road"));
        assert_eq!(a.lang.as_deref(), Some("en-GB"));
        assert_eq!(a.date, Some(RawDate { text: "2024-01-05T09:00:00Z".into(), basis: DateBasis::Meta }));
        let paras: Vec<&str> = a.text.split("\n\n").collect();
        assert_eq!(paras.len(), 3, "{}", a.text);
        assert!(paras[0].starts_with("Heavy rain overnight"));
        assert!(paras[2].starts_with("Forecasters expect"));
        for junk in ["cookies", "Home", "Share", "Advertisement", "Great article", "Celebrity", "Copyright"] {
            assert!(!a.text.contains(junk), "{junk} in {}", a.text);
        }
        assert!(!a.text.contains("Floods cut road"), "headline repeated in body");
    }

    #[test]
    fn page_without_markers_uses_scoring() {
        let html = r#"<html><head><title>Talks resume | Daily Courier</title></head><body>
<div class="nav"><a href="/">Home</a> <a href="/news">News</a> <a href="/contact">Contact</a></div>
<div class="wrap"><div class="col">
<h2>Talks resume</h2>
<p>Negotiators from both sides met again on Tuesday in the capital, the first meeting since the ceasefire collapsed in March.</p>
<p>The mediator said progress was slow, but that both delegations had agreed to meet again next week, in the same place.</p>
<p>Posted by admin</p>
</div><div class="links"><ul><li><a href="/1">Older story one</a></li><li><a href="/2">Older story two</a></li></ul></div></div>
</body></html>"#;
        let page = page_article(
            html.as_bytes(),
            &PageContext { url: Some("http://dailycourier.test/2023/11/07/talks"), ..Default::default() },
        )
        .unwrap();
        let a = &page.article;
        assert_eq!(a.title.as_deref(), Some("Talks resume"));
        assert_eq!(a.outlet.as_deref(), Some("dailycourier.test"));
        assert_eq!(a.date.as_ref().map(|d| d.text.as_str()), Some("2023-11-07"));
        assert!(a.text.starts_with("Negotiators from both sides"), "{}", a.text);
        assert!(a.text.contains("meet again next week"));
        assert!(!a.text.contains("Older story"));
        assert!(!a.text.contains("Home"));
    }

    #[test]
    fn charsets() {
        // Declared latin-1, bytes latin-1.
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head>\
                     <body><article><p>Caf\xe9 cr\xe8me: the caf\xe9 on the main square reopened on Monday after three months of repairs to its roof.</p></article></body></html>";
        let (text, enc) = decode_page(page, None);
        assert_eq!(enc, "windows-1252");
        assert!(text.contains("Café crème"));
        // HTTP header wins over meta; valid UTF-8 wins over both.
        let (_, enc) = decode_page(b"<meta charset=iso-8859-2>\xb1", Some("windows-1251"));
        assert_eq!(enc, "windows-1251");
        let (t, enc) = decode_page("<meta charset=iso-8859-1>Zürich".as_bytes(), None);
        assert_eq!((enc, t.as_ref()), ("utf-8", "<meta charset=iso-8859-1>Zürich"));
        // Invalid bytes never fail.
        let (_, enc) = decode_page(b"\xff\xfe\x00", None);
        assert_eq!(enc, "utf-16le");
    }

    #[test]
    fn dates_in_many_forms() {
        let d = |s: &str| parse_any_date(s, false);
        assert_eq!(d("2019-08-02T10:00:00+02:00"), Some((2019, 8, 2)));
        assert_eq!(d("Posted on 31. Mai 2012 by admin"), Some((2012, 5, 31)));
        assert_eq!(d("5 de enero de 2024"), Some((2024, 1, 5)));
        assert_eq!(d("March 3rd, 2021"), Some((2021, 3, 3)));
        assert_eq!(d("12 września 2019"), Some((2019, 9, 12)));
        assert_eq!(d("Stand: 05.01.2024, 10:00 Uhr"), Some((2024, 1, 5)));
        assert_eq!(d("2020年3月15日"), Some((2020, 3, 15)));
        assert_eq!(d("20240105"), Some((2024, 1, 5)));
        assert_eq!(parse_any_date("01/05/2024", true), Some((2024, 1, 5)));
        assert_eq!(d("01/05/2024"), Some((2024, 5, 1)));
        assert_eq!(d("no date here 12345"), None);
        assert_eq!(d("2024-02-30"), None);
        // normalize reads ISO and English forms as found; others become ISO.
        assert_eq!(date_from_text("March 3, 2021", true).unwrap().text, "March 3, 2021");
        assert_eq!(date_from_text("3. März 2021", false).unwrap().text, "2021-03-03");
    }

    /// A page with `head` extras, an `<h1>`, a byline line and a body.
    fn dated_page(head: &str, byline: &str) -> String {
        format!(
            "<html lang=\"de\"><head>{head}</head><body><article><h1>Hochwasser im Tal</h1>\
             <p class=\"autor\">Von Anna Beispiel | {byline}</p><div class=\"article-body\">\
             <p>Starker Regen hat in der Nacht die einzige Straße ins Tal weggespült, mehrere Dörfer sind abgeschnitten, teilten die Behörden mit.</p>\
             <p>Rettungskräfte erreichten die Familien mit Booten; der Landrat bat die Armee um Hubschrauber für die kommenden Tage.</p>\
             </div></article></body></html>"
        )
    }

    fn page_date(html: &str) -> Option<String> {
        let page = page_article(html.as_bytes(), &PageContext::default()).ok()?;
        page.article.date.and_then(|d| parse_any_date(&d.text, false)).map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
    }

    #[test]
    fn shown_date_against_utc_and_local_timestamps() {
        let ld = |stamp: &str| {
            format!(
                r#"<script type="application/ld+json">{{"@type":"NewsArticle","datePublished":"{stamp}"}}</script>"#
            )
        };
        // 23:30 UTC is already the next day in Europe: the shown date wins.
        assert_eq!(
            page_date(&dated_page(&ld("2024-01-05T23:30:00Z"), "6. Januar 2024")).as_deref(),
            Some("2024-01-06")
        );
        // 08:00 UTC cannot be the next day anywhere near: the stamp stays.
        assert_eq!(
            page_date(&dated_page(&ld("2024-01-05T08:00:00Z"), "6. Januar 2024")).as_deref(),
            Some("2024-01-05")
        );
        // A stamp in the page's own offset is the local date as written.
        assert_eq!(
            page_date(&dated_page(&ld("2024-01-05T23:30:00+01:00"), "6. Januar 2024")).as_deref(),
            Some("2024-01-05")
        );
        assert_eq!(page_date(&dated_page(&ld("2022-05-03T22:46:08-03:00"), "Autor")).as_deref(), Some("2022-05-03"));
        // The byline date shown both after the headline and in a date element
        // beats a machine field far from it (a creation or modified date).
        let html = dated_page(&ld("2021-11-22T18:42:22+01:00"), "<span class=\"date\">1. Januar 2023</span>");
        assert_eq!(page_date(&html).as_deref(), Some("2023-01-01"));
        // A URL date yields to no date-marked element elsewhere on the page.
        let html = "<html><head><link rel=canonical href=\"https://a.test/2023/10/30/x\"></head><body><h1>Titel</h1>\
            <article><p>Der Text des Artikels steht hier und ist lang genug, um als Haupttext zu gelten, mit mehreren Sätzen.</p>\
            <p>Noch ein Satz, damit der Text die Mindestlänge für einen markierten Container sicher überschreitet, wie üblich.</p>\
            <p>Ein dritter Absatz schiebt die Liste der neuesten Beiträge aus der Nähe der Überschrift, wie auf echten Seiten.</p></article>\
            <ul class=\"latest\"><li><span class=\"post-date\">31. Oktober 2023</span></li></ul></body></html>";
        assert_eq!(page_date(html).as_deref(), Some("2023-10-30"));
    }

    #[test]
    fn dates_from_json_scripts_and_datelines() {
        let next = r#"<script id="__NEXT_DATA__" type="application/json">{"props":{"article":{"publishedAt":"2021-03-04T10:00:00+01:00"}}}</script>"#;
        assert_eq!(page_date(&dated_page(next, "Autor")).as_deref(), Some("2021-03-04"));
        // A dateline that opens a long paragraph.
        let html = "<html><body><div class=\"c\"><p>27.1.2022 - Bei der Erinnerung an die Verfolgten wurde lange \
            übersehen, wer alles verfolgt wurde; der Bundestag gedenkt in diesem Jahr erstmals auch der Menschen, die \
            wegen ihrer Liebe verfolgt wurden. Ein langer Absatz folgt hier, damit der Text deutlich mehr als dreihundert \
            Zeichen hat und nicht als kurze Zeile gilt, wie sie eine Datumszeile wäre.</p></div></body></html>";
        assert_eq!(page_date(html).as_deref(), Some("2022-01-27"));
        // The earliest date of a byline wins, whatever its form.
        assert_eq!(parse_any_date("31.10.23 (30. Oktober 2023)", false), Some((2023, 10, 31)));
    }

    /// A page with a headline, a two-paragraph body, then `extra` (a
    /// comment section, a sidebar…) after the article.
    fn page_with(head: &str, in_article: &str, extra: &str) -> String {
        format!(
            "<html lang=\"de\"><head>{head}</head><body><article><h1>Hochwasser im Tal</h1>{in_article}\
             <div class=\"article-body\">\
             <p>Starker Regen hat in der Nacht die einzige Straße ins Tal weggespült, mehrere Dörfer sind abgeschnitten, teilten die Behörden mit.</p>\
             <p>Rettungskräfte erreichten die Familien mit Booten; der Landrat bat die Armee um Hubschrauber für die kommenden Tage.</p>\
             </div></article>{extra}</body></html>"
        )
    }

    #[test]
    fn comment_dates_and_site_clocks_are_not_the_page_date() {
        let comments =
            "<div id=\"comments\"><div class=\"comment-metadata\"><time datetime=\"2019-08-24T03:36:11+02:00\">\
            24. August 2019</time></div><p>Toller Beitrag!</p></div>";
        // Only a comment has a <time>: no date rather than the reader's.
        assert_eq!(page_date(&page_with("", "", comments)), None);
        // A schema.org Comment's datePublished is the comment's.
        let item = "<ol class=\"comment-list\"><li><span itemprop=\"datePublished\">3. März 2020</span></li></ol>";
        assert_eq!(page_date(&page_with("", "", item)), None);
        // The forum's clock ("Aktuelle Zeit") is the visit, the post's date is the page's.
        let clock = "<p class=\"time\">Aktuelle Zeit: 14.10.2020, 12:18</p>";
        let post = "<p class=\"author\">von r23 » 21.01.2009, 05:42</p>";
        assert_eq!(page_date(&page_with("", post, clock)).as_deref(), Some("2009-01-21"));
        let html = "<html><body><p class=\"time\">Aktuelle Zeit: 14.10.2020, 12:18</p></body></html>";
        assert_eq!(page_date(html), None);
    }

    #[test]
    fn hidden_and_updated_stamps_near_the_headline_are_skipped() {
        let ld = r#"<script type="application/ld+json">{"datePublished":"2022-12-25T11:00:02+00:00"}</script>"#;
        let byline = "<p><span class=\"updated rich-snippet-hidden\">2022-12-07T10:10:52+01:00</span>\
            <span>25. Dezember 2022</span></p>";
        assert_eq!(page_date(&page_with(ld, byline, "")).as_deref(), Some("2022-12-25"));
        // WordPress marks the publication date itself "published updated": it still counts.
        let meta = r#"<meta property="article:published_time" content="2022-02-03T14:54:56+00:00">"#;
        let wp = "<p><time class=\"entry-date published updated\" datetime=\"2022-02-03T15:54:56+01:00\">\
            Vom 3. Februar 2022</time></p><p>Serie: 4. Februar 2022</p>";
        assert_eq!(page_date(&page_with(meta, wp, "")).as_deref(), Some("2022-02-03"));
        // Bootstrap's "hidden-xs" is shown on wide screens: not a hidden copy.
        let shown = "<p class=\"hidden-xs\">Von Anna Beispiel, 4. Februar 2022</p>";
        let meta = r#"<meta name="date" content="2022-02-03">"#;
        assert_eq!(page_date(&page_with(meta, shown, "")).as_deref(), Some("2022-02-04"));
    }

    #[test]
    fn labelled_publication_date_beats_a_disagreeing_meta_field() {
        let meta = r#"<meta name="date" content="2021-10-15">"#;
        let label = "<p><span>Erschienen am:</span> <b>13.10.2021</b></p>";
        assert_eq!(page_date(&page_with(meta, label, "")).as_deref(), Some("2021-10-13"));
        let en = "<p>Published on March 3, 2021 by the desk</p>";
        assert_eq!(page_date(&page_with(meta, en, "")).as_deref(), Some("2021-03-03"));
        // A label inside a related-posts list or a popular-posts widget is another article's.
        let related = "<ul class=\"related-posts\"><li>Published 21. Juli 2017</li></ul>";
        assert_eq!(page_date(&page_with(meta, "", related)).as_deref(), Some("2021-10-15"));
        // A label in prose, not followed by the date, is not a byline.
        let prose = "<p>Ihren Ausblick publiziert das THW am Sonntag, 17.10.2021, in einer neuen Folge.</p>";
        assert_eq!(page_date(&page_with(meta, prose, "")).as_deref(), Some("2021-10-15"));
        // A weekday between label and date is fine.
        let weekday = "<p>Veröffentlicht am Sonntag, 17.10.2021</p>";
        assert_eq!(page_date(&page_with(meta, weekday, "")).as_deref(), Some("2021-10-17"));
    }

    #[test]
    fn publication_named_elements_registration_dates_and_standfirst_prose() {
        // An element named for the post date beats an earlier date-like one (a seminar's).
        let side = "<div class=\"field-seminar-datum\">Online-Seminar 19.1.23, 10:00 Uhr</div>";
        let html = format!(
            "<html><body>{side}<div class=\"field--name-node-post-date\">20.12.2022</div>{}</body></html>",
            page_with("", "", "")
        );
        assert_eq!(page_date(&html).as_deref(), Some("2022-12-20"));
        // …but not one inside a list of other articles.
        let html = format!(
            "<html><body>{side}<ul class=\"related\"><li><span class=\"post-date\">1.2.2020</span></li></ul>{}</body></html>",
            page_with("", "", "")
        );
        assert_eq!(page_date(&html).as_deref(), Some("2023-01-19"));
        // A forum profile's registration date is not the post's.
        let html = "<html><body><dl><dd><strong>Registriert:</strong> 18.09.2008, 05:56</dd></dl>\
            <p>r23 » 21.01.2009, 05:42</p><div>Was ist Freie Software und warum sollte man sie nutzen?</div></body></html>";
        assert_eq!(page_date(html).as_deref(), Some("2009-01-21"));
        // A date inside the standfirst's prose is an event's; the kicker above the headline is the page's.
        let standfirst = "<p>Mit der Investition in den Windpark bietet der Versorger vielen Bürgerinnen und Bürgern der Stadt \
            vom 9.1. bis 10.2.2023 die Möglichkeit, Teil der regionalen Energiewende zu werden und davon zu profitieren.</p>";
        let html = format!(
            "<html><body><div class=\"topline\"><span>06.12.2022</span></div>{}</body></html>",
            page_with("", standfirst, "")
        );
        assert_eq!(page_date(&html).as_deref(), Some("2022-12-06"));
    }

    #[test]
    fn machine_dates_later_than_a_url_date() {
        let canonical = r#"<link rel="canonical" href="https://news.example.test/2022/05/02/vacaciones-escolares/">"#;
        let both = r#"<meta property="article:published_time" content="2022-05-08T06:00:00-05:00">
            <script type="application/ld+json">{"datePublished":"2022-05-08T06:00:00-05:00"}</script>"#;
        // JSON-LD and Open Graph agree on a later day: the slug is the draft's day.
        assert_eq!(page_date(&page_with(&format!("{canonical}{both}"), "", "")).as_deref(), Some("2022-05-08"));
        // One field alone does not override the URL.
        let one = r#"<meta property="article:published_time" content="2022-05-08T06:00:00-05:00">"#;
        assert_eq!(page_date(&page_with(&format!("{canonical}{one}"), "", "")).as_deref(), Some("2022-05-02"));
        // One day later in UTC is the evening of the URL's day in America.
        let utc = r#"<meta property="article:published_time" content="2022-05-03T02:25:54+00:00">
            <script type="application/ld+json">{"datePublished":"2022-05-03T02:25:54+00:00"}</script>"#;
        assert_eq!(page_date(&page_with(&format!("{canonical}{utc}"), "", "")).as_deref(), Some("2022-05-02"));
        // An earlier machine date, or one months later, leaves the URL date.
        let late = r#"<meta property="article:published_time" content="2022-09-08T06:00:00+02:00">
            <script type="application/ld+json">{"datePublished":"2022-09-08T06:00:00+02:00"}</script>"#;
        assert_eq!(page_date(&page_with(&format!("{canonical}{late}"), "", "")).as_deref(), Some("2022-05-02"));
    }

    #[test]
    fn text_from_jsonld_article_body_and_blogger_templates() {
        let body = "Erster Absatz des Artikels, der nur im JSON-LD steht und lang genug ist, um zu zählen.\\n\\nZweiter \
                    Absatz mit \\\"Zitat\\\" und einem Umlaut: \\u00fcber die Br\\u00fccke, dazu ein Emoji \\ud83d\\ude00 am Ende.";
        let filler =
            "Noch mehr Text im JSON, damit der Körper deutlich länger ist als das Gerüst der Seite selbst. ".repeat(4);
        let html = format!(
            r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","articleBody":"{body} {filler}"}}</script></head>
            <body><div id="root"><h1>Titel</h1><p>Lädt …</p></div></body></html>"#
        );
        let page = page_article(html.as_bytes(), &PageContext::default()).unwrap();
        assert_eq!(page.method, extract_html::Method::JsonLd);
        assert!(page.article.text.starts_with("Erster Absatz"), "{}", page.article.text);
        assert!(page.article.text.contains("\"Zitat\" und einem Umlaut: über die Brücke"));
        assert!(page.article.text.contains('😀'));
        assert_eq!(json_string_value(r#"{"a" : "x\ty\/z"}"#, "a").as_deref(), Some("x y/z"));
        assert_eq!(json_string_value(r#"{"a": 1, "b": "unterminated"#, "b"), None);

        let post = "<p>Over the past few years we have seen threats on the web becoming increasingly sophisticated, \
                    and the protection has to keep up with them.</p><p>This protocol is designed so that the service cannot \
                    see which pages a user visits, while still warning about dangerous ones.</p>";
        let html = format!(
            "<html><body><div class='post' itemscope><h2 class='title'>Protection</h2><div class='post-body'>\
             <div class='post-content' itemprop='articleBody'><script type='text/template'>{post}</script>\
             <noscript>Please enable JavaScript</noscript></div></div></div></body></html>"
        );
        let page = page_article(html.as_bytes(), &PageContext::default()).unwrap();
        assert_eq!(page.method, extract_html::Method::Template);
        assert!(page.article.text.starts_with("Over the past few years"), "{}", page.article.text);
    }

    #[test]
    fn split_bodies_and_mislabelled_wrappers() {
        // One `<p itemprop=articleBody>` per paragraph, figures between them.
        let p = |t: &str| {
            format!("<p class=\"text\" itemprop=\"articleBody\">{t} Dazu kommen weitere Einzelheiten, die den Absatz füllen und lang machen, wie in einer echten Meldung.</p>")
        };
        let html = format!(
            "<html><body><article><h1>Brexit</h1>{}<figure><h2 class=\"figure__caption\">Bild: Demo</h2></figure>{}\
             <div class=\"ad\">Anzeige</div>{}</article><aside><p>Meistgelesen: etwas anderes</p></aside></body></html>",
            p("Die Regierung hat am Samstagabend einen Brief geschickt."),
            p("Das Parlament stimmt am Montag erneut ab."),
            p("In London wird mit einer knappen Mehrheit gerechnet.")
        );
        let page = page_article(html.as_bytes(), &PageContext::default()).unwrap();
        let t = &page.article.text;
        assert!(t.contains("Die Regierung") && t.contains("Das Parlament") && t.contains("In London"), "{t}");
        assert!(!t.contains("Meistgelesen"), "{t}");
        // A body wrapper whose class list also says "share" is still the body.
        let html = "<html><body><article class=\"post\"><h1>Lounge</h1><div class=\"entry themeform share\"><div class=\"entry-inner\">\
            <p>Die Bahn streicht den Zutritt zu ihrer Lounge für Reisende mit einem Sparpreis-Ticket ab dem Fahrplanwechsel.</p>\
            <p>Bisher durften auch sie die Lounge nutzen, wenn sie in der ersten Klasse unterwegs waren, das endet nun.</p>\
            </div></div></article></body></html>";
        let page = page_article(html.as_bytes(), &PageContext::default()).unwrap();
        assert!(page.article.text.starts_with("Die Bahn streicht"), "{}", page.article.text);
    }

    #[test]
    fn titles_and_urls() {
        assert_eq!(strip_site_suffix("Storm hits coast - BBC News", Some("bbc.co.uk")), "Storm hits coast");
        assert_eq!(strip_site_suffix("Storm hits the coast | Reuters", None), "Storm hits the coast");
        assert_eq!(
            strip_site_suffix("Reuters | Storm hits the east coast", Some("Reuters")),
            "Storm hits the east coast"
        );
        assert_eq!(strip_site_suffix("Why - and how - it matters", None), "Why - and how - it matters");
        assert_eq!(host_of("https://WWW.Example.com:8080/a?b"), Some("example.com".into()));
        assert_eq!(absolute_url("/x/y", Some("https://a.test/z")), Some("https://a.test/x/y".into()));
        assert_eq!(url_date("https://a.test/2024/01/05/story").unwrap().text, "2024-01-05");
        assert_eq!(url_date("https://a.test/story-20240105.html").map(|d| d.text), None);
        assert_eq!(url_date("https://a.test/20240105/story").unwrap().text, "2024-01-05");
    }

    #[test]
    fn empty_and_garbage_pages() {
        assert_eq!(
            page_article(b"<html><body><nav><a href=/>Home</a></nav></body></html>", &PageContext::default()),
            Err(PageProblem::NoText)
        );
        assert_eq!(page_article(b"", &PageContext::default()), Err(PageProblem::NoText));
        let _ = page_article(&[0xff; 100], &PageContext::default());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..800)) {
            let _ = page_article(&bytes, &PageContext::default());
        }

        #[test]
        fn tag_soup_never_panics(parts in proptest::collection::vec(proptest::prop_oneof![
            proptest::strategy::Just("<p>".to_string()), proptest::strategy::Just("</p>".to_string()),
            proptest::strategy::Just("<div class=\"article-body\">".to_string()), proptest::strategy::Just("</div>".to_string()),
            proptest::strategy::Just("<script>".to_string()), proptest::strategy::Just("<!--".to_string()),
            proptest::strategy::Just("<table><tr><td>".to_string()), proptest::strategy::Just("<li>".to_string()),
            proptest::strategy::Just("<a href='x'>".to_string()), proptest::strategy::Just("&amp;&#x".to_string()),
            proptest::strategy::Just("<meta property=\"article:published_time\" content=\"".to_string()),
            "[a-zA-Z ,.é]{0,60}",
        ], 0..60)) {
            let html = parts.concat();
            let _ = page_article(html.as_bytes(), &PageContext::default());
        }
    }
}
