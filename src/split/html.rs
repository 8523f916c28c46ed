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
//! * **date** (basis [`DateBasis::Meta`]): JSON-LD `datePublished`,
//!   `article:published_time`, other meta tags (`date`, `pubdate`, `dc.date`,
//!   `sailthru.date`, `parsely-pub-date`, …), `itemprop=datePublished`,
//!   `<time datetime>`, a `/2024/01/05/` date in the URL, then a visible date in
//!   an element whose class names a date ("Posted on 5. Mai 2024"), in English,
//!   German, French, Spanish, Italian, Portuguese, Dutch or Polish. The date
//!   text is passed on as found when `normalize` can read it, else as
//!   `YYYY-MM-DD`.
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
    let MainText { paragraphs, method } = main;
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

        let date = find_date(dom, &metas, &jsonld, &itemprop_dates, &times, url.as_deref(), ctx_url, lang.as_deref());
        Meta { title, h1, outlet, url, lang, date }
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

#[allow(clippy::too_many_arguments)]
fn find_date(
    dom: &Dom,
    metas: &[(String, &str)],
    jsonld: &[String],
    itemprop_dates: &[NodeId],
    times: &[NodeId],
    url: Option<&str>,
    ctx_url: Option<&str>,
    lang: Option<&str>,
) -> Option<RawDate> {
    let us = lang.is_some_and(|l| l.to_ascii_lowercase().starts_with("en"));
    let found = find_date_inner(dom, metas, jsonld, itemprop_dates, times, url, ctx_url, lang)?;
    // A machine timestamp in UTC ("…T00:44:52Z") can be a day off the local
    // date the page shows; when the page shows a date one day apart, the
    // shown one is the publication date as the outlet dated it.
    let day = |r: &RawDate| {
        parse_any_date(&r.text, us).and_then(|(y, m, d)| jiff::civil::Date::new(y as i16, m as i8, d as i8).ok())
    };
    if let Some(shown) = visible_date(dom, us).or_else(|| date_near_headline(dom, us)) {
        if let (Some(a), Some(b)) = (day(&found), day(&shown)) {
            if a != b && (a - b).get_days().abs() <= 1 {
                return Some(shown);
            }
        }
    }
    Some(found)
}

#[allow(clippy::too_many_arguments)]
fn find_date_inner(
    dom: &Dom,
    metas: &[(String, &str)],
    jsonld: &[String],
    itemprop_dates: &[NodeId],
    times: &[NodeId],
    url: Option<&str>,
    ctx_url: Option<&str>,
    lang: Option<&str>,
) -> Option<RawDate> {
    let us = lang.is_some_and(|l| l.to_ascii_lowercase().starts_with("en"));
    let mk = |text: &str| date_from_text(text, us);
    // 0. A full date in the URL path (/2024/01/05/): set when the page was
    //    published and never touched by later edits, unlike meta tags that
    //    CMSs refresh, and free of the UTC shift of `…T23:30:00Z` stamps.
    for u in [url, ctx_url].into_iter().flatten() {
        if let Some(d) = url_date(u) {
            return Some(d);
        }
    }
    // 1. JSON-LD and the Open Graph article time: machine-written, strongest.
    for j in jsonld {
        if let Some(d) = jsonld_string(j, "datePublished").and_then(|t| mk(&t)) {
            return Some(d);
        }
    }
    // 2. Meta tags in priority order.
    for key in DATE_META {
        for (k, v) in metas {
            if k == key {
                if let Some(d) = mk(v) {
                    return Some(d);
                }
            }
        }
    }
    for j in jsonld {
        if let Some(d) = jsonld_string(j, "dateCreated").and_then(|t| mk(&t)) {
            return Some(d);
        }
    }
    // 3. itemprop=datePublished on an element, then <time> elements: a
    //    `pubdate`/"published" one first, then the first that is not an update.
    for &id in itemprop_dates {
        let v = dom.attr(id, "datetime").or_else(|| dom.attr(id, "content")).map(str::to_string);
        if let Some(d) = v.and_then(|v| mk(&v)).or_else(|| mk(&dom.text(id))) {
            return Some(d);
        }
    }
    let modified = |id: NodeId| {
        std::iter::once(id)
            .chain(dom.ancestors(id).take(2))
            .any(|n| dom.attr(n, "class").is_some_and(|c| MODIFIED_CLASS.is_match(c)))
    };
    let time_date = |id: NodeId| dom.attr(id, "datetime").and_then(mk).or_else(|| mk(&dom.text(id)));
    let published = times.iter().copied().find(|&id| {
        dom.attr(id, "pubdate").is_some()
            || dom.attr(id, "class").is_some_and(|c| c.to_ascii_lowercase().contains("publish"))
    });
    if let Some(d) = published.and_then(time_date) {
        return Some(d);
    }
    for &id in times {
        if !modified(id) {
            if let Some(d) = time_date(id) {
                return Some(d);
            }
        }
    }
    // 4. Visible text of a date-like element ("Posted on 5 January 2024"),
    //    then a date just after the headline.
    //    Last, the first full date in the page's visible text: weaker
    //    evidence (it may be an event the article mentions), but on pages
    //    with no markup for dates it is most often the publication line.
    visible_date(dom, us).or_else(|| date_near_headline(dom, us)).or_else(|| first_text_date(dom, us))
}

fn visible_date(dom: &Dom, us: bool) -> Option<RawDate> {
    let body = dom.body;
    let mut checked = 0;
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
        if text.is_empty() {
            continue;
        }
        if let Some(d) = date_from_text(&text, us) {
            return Some(d);
        }
        checked += 1;
        if checked > 200 {
            break;
        }
    }
    None
}

/// A date in the first few hundred characters after the first `<h1>`
/// ("By Jane Doe, 5 January 2024"): bylines sit there when unmarked.
fn date_near_headline(dom: &Dom, us: bool) -> Option<RawDate> {
    let h1 = dom.elements_by_tag("h1").next()?;
    let mut text = String::new();
    let start = dom.last_descendant(h1) + 1;
    for n in start..(dom.nodes.len() as NodeId).min(start + 400) {
        if let NodeData::Text(t) = &dom.node(n).data {
            if dom.ancestors(n).take(3).any(|a| matches!(dom.tag(a), "script" | "style" | "a")) {
                continue;
            }
            dom::push_collapsed(&mut text, t);
            text.push(' ');
            if text.len() > 300 {
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
        let t = t.trim();
        if t.len() < 6 || t.len() > 300 || !t.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let lower = t.to_lowercase();
        if lower.contains('©') || lower.contains("copyright") || lower.contains("aktuelle zeit") {
            continue;
        }
        if dom.ancestors(n).any(|a| {
            matches!(dom.tag(a), "script" | "style" | "nav" | "footer" | "a" | "select" | "option" | "noscript")
                || dom.attr(a, "class").is_some_and(|c| MODIFIED_CLASS.is_match(c))
        }) {
            continue;
        }
        if let Some((y, m, d)) = parse_any_date(t, us) {
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

/// Finds one date in a short text, in any of the supported forms.
fn parse_any_date(text: &str, us: bool) -> Option<(i32, u32, u32)> {
    let ok = |y: i32, m: u32, d: u32| valid(y, m, d).then_some((y, m, d));
    if let Some(c) = COMPACT_DATE.captures(text) {
        return ok(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    }
    if let Some(c) = ISO_DATE.captures(text) {
        if let Some(r) = ok(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?) {
            return Some(r);
        }
    }
    if let Some(c) = CJK_DATE.captures(text) {
        if let Some(r) = ok(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?) {
            return Some(r);
        }
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(text) {
        if let Some(m) = month_number(&c[2]) {
            if let Some(r) = ok(c[3].parse().ok()?, m, c[1].parse().ok()?) {
                return Some(r);
            }
        }
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(text) {
        if let Some(m) = month_number(&c[1]) {
            if let Some(r) = ok(c[3].parse().ok()?, m, c[2].parse().ok()?) {
                return Some(r);
            }
        }
    }
    if let Some(c) = NUMERIC_DATE.captures(text) {
        let (a, b): (u32, u32) = (c[1].parse().ok()?, c[3].parse().ok()?);
        let mut y: i32 = c[4].parse().ok()?;
        if c[4].len() == 2 {
            y += if y < 70 { 2000 } else { 1900 };
        }
        // Day first (most of the world, and always with dots) unless the
        // page is English with slashes and the first number can be a month.
        let month_first = (us && &c[2] == "/" && a <= 12) || b > 12;
        let (m, d) = if month_first { (a, b) } else { (b, a) };
        return ok(y, m, d);
    }
    None
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
