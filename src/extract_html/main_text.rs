//! Main-text selection on a parsed [`Dom`]: which part of the page is the
//! article, and which of its blocks are text.
//!
//! Four passes, each linear in the number of nodes:
//!
//! 1. **Measure**: visible text length and link-text length per node,
//!    bottom-up (children always have larger ids than their parents).
//! 2. **Prune**: mark boilerplate subtrees: non-content tags (`nav`, `aside`,
//!    `script`, forms controls…), hidden elements, landmark roles, and
//!    elements whose class/id name a boilerplate part (comments, share bars,
//!    "most read", cookie banners, ads, footers…). A pattern match never
//!    removes an element that holds the article markers or most of the page's
//!    text: a `<div class="page has-sidebar">` wrapper must survive.
//! 3. **Select** the content root(s): the best of, in order, `itemprop=articleBody`,
//!    class/id names such as `article-body`/`entry-content`, `<article>`,
//!    `<main>`; else (or when those hold little text) a Readability-style
//!    score: paragraphs vote for their parent and grandparent, weighted by
//!    commas and length, discounted by link density; good siblings of the
//!    winner are added. A marked body split into several containers of the
//!    same kind (same tag and class, or `itemprop=articleBody` per paragraph)
//!    is taken whole; a marked root with modest text (500–1500 chars) loses to
//!    the scored one when that holds more than twice as much, and one with
//!    under 500 chars to all the page's paragraphs.
//! 4. **Render** the roots to paragraphs (block elements break, `<br>` is a
//!    line break, `<pre>` keeps its whitespace) and drop link lists,
//!    one-word boilerplate lines ("Share", "Advertisement") and short caption
//!    or credit lines ("Foto: dpa", "… | © Agency").
//! 5. **Trim the tail**: a short "Related articles" / "Weitere Meldungen" /
//!    "Te puede interesar" / "Comments" line after at least half of the
//!    text ends the article (boilerpipe's terminating blocks), and up to three
//!    short follow/subscribe/copyright lines at the very end are dropped.

use std::sync::LazyLock;

use regex::Regex;

use super::dom::{Dom, NodeData, NodeId, NONE};

/// How the content root was chosen (for diagnostics and the eval).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A content marker: `itemprop=articleBody`, an `article-body`-like class, `<article>` or `<main>`.
    Marker,
    /// Readability-style paragraph scoring.
    Scored,
    /// Every paragraph of the page (the page had no better structure).
    AllParagraphs,
    /// The page's JSON-LD `articleBody` (the DOM held much less text).
    JsonLd,
    /// HTML kept in a `<script type="text/template">` of the body container (Blogger).
    Template,
    /// Nothing usable.
    Empty,
}

/// The main text of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MainText {
    /// Paragraphs in document order, whitespace collapsed (except `<pre>`).
    pub paragraphs: Vec<String>,
    pub method: Method,
}

/// Tags whose subtree is never article text.
fn is_junk_tag(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "map"
            | "select"
            | "option"
            | "button"
            | "input"
            | "textarea"
            | "label"
            | "nav"
            | "aside"
            | "dialog"
            | "menu"
            | "head"
            | "figure"
            | "figcaption"
            | "picture"
            | "img"
            | "title"
            | "footer"
            | "form"
            | "header"
            | "address"
    )
}

/// Junk tags that are guarded like weak class patterns: some sites wrap the
/// whole page in a `<form>` (ASP.NET) or put the article in a `<header>`.
fn is_guarded_tag(tag: &str) -> bool {
    matches!(tag, "form" | "header" | "footer" | "aside" | "address")
}

/// Boilerplate inside an article container, matched as substrings of the
/// lower-cased `class` and `id` values (as trafilatura does: container class
/// names are compounds such as `entry-meta`, `post-share-buttons`).
const IN_ARTICLE_JUNK: &[&str] = &[
    "footer",
    "related",
    "viral",
    "share-",
    "sharing",
    "sharebar",
    "shariff",
    "social",
    "sociable",
    "syndication",
    "newsletter",
    "subnav",
    "cookie",
    "consent",
    "gdpr",
    "tags",
    "tag-list",
    "taglist",
    "sidebar",
    "banner",
    "meta",
    "menu",
    "navigation",
    "navbar",
    "navbox",
    "breadcrumb",
    "bread-crumb",
    "author",
    "byline",
    "button",
    "rating",
    "attachment",
    "timestamp",
    "user-info",
    "user-profile",
    "-ad-",
    "advert",
    "adslot",
    "ad-slot",
    "ad-container",
    "outbrain",
    "taboola",
    "criteo",
    "modal",
    "overlay",
    "popup",
    "most-popular",
    "mostpopular",
    "most-read",
    "mostread",
    "-stories",
    "comment",
    "disqus",
    "recommend",
    "promo",
    "sponsor",
    "caption",
    "credit",
    "gallery",
    "slide",
    "video",
    "player",
    "subscribe",
    "signup",
    "skip-link",
    "sr-only",
    "screen-reader",
    "visually-hidden",
    "visuallyhidden",
    "pagination",
    "pager",
    "read-more",
    "readmore",
    "see-also",
    "also-read",
    "jump-link",
    "toolbar",
    "tooltip",
    "morelinks",
    "more-links",
    "nextstory",
    "next-post",
    "upsell",
    "affiliate",
    "paywall",
    "infobox",
    "kasten",
    "saboxplugin",
    "artikelvorschlag",
    "explore",
    "latest-content",
    "newsletter",
    "further",
    "weitere",
    "more-from",
    "morefrom",
    "recirc",
    "asset-box",
    "snippet",
    "appendix",
    "citate",
];
/// Prefixes of `class`/`id` values that mark boilerplate inside an article.
const IN_ARTICLE_JUNK_PREFIX: &[&str] = &["shar", "nav", "widget", "ad ", "ads ", "post-nav", "jp-", "dpsp-"];
/// Exact class words / ids that mark boilerplate inside an article.
const IN_ARTICLE_JUNK_WORD: &[&str] = &["ad", "ads", "nav", "share", "tags", "info", "more", "links", "print"];

/// Names that mark boilerplate anywhere on the page, matched per class word
/// or id: strong ones are pruned unless they hold the article markers, weak
/// ones also unless they hold most of the page's text.
static STRONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:[a-z0-9]+[-_])?(?:comments?|comment-?list|commentlist|comment-?section|respond|replies|",
        r"disqus\w*|share|shares|sharing|sharebar|share-?tools|socials?|social-?media|sociallinks|",
        r"related|relatedposts|recommended|recommendations|most-?read|mostread|most-?popular|popular|trending|",
        r"cookies?|cookie-?banner|consent|gdpr|newsletter|subscribe|signup|",
        r"promo|advert\w*|advertisement|ads?|adslot|ad-?slot|adsense|ad-?container|dfp|sponsored|sponsor|",
        r"outbrain|taboola|breadcrumbs?|pagination|pager|popup|modal|overlay|",
        r"sr-only|screen-?reader-?text|visually-?hidden|visuallyhidden|print-?only|skip-?link|",
        r"tags|tag-?list|taglist|tagcloud|post-?tags|rating|login|newsticker|",
        r"author-?bio|author-?box|about-?author|byline|post-?meta|entry-?meta|article-?meta|",
        r"read-?more|readmore|more-?stories|also-?read|see-?also|further-?reading|jump-?links?)(?:$|[-_][a-z0-9]+$)"
    ))
    .expect("static regex")
});

static WEAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:[a-z0-9]+[-_])?(?:sidebar|side-?bar|widgets?|footer|masthead|site-?header|navbar|nav|navigation|",
        r"menu|submenu|subnav|toolbar|topbar|search|rightcol|right-?column|leftcol|left-?column|",
        r"secondary|banner|blogroll|sitemap)(?:$|[-_][a-z0-9]+$)"
    ))
    .expect("static regex")
});

/// Content containers, strongest first: substrings of the lower-cased
/// `class`/`id` values (after trafilatura's list of body expressions), and
/// exact values.
const BODY_SUBSTRINGS: &[&str] = &[
    "post-text",
    "post_text",
    "post-body",
    "post_body",
    "post-entry",
    "postentry",
    "post-content",
    "post_content",
    "postcontent",
    "post_inner_wrapper",
    "article-text",
    "article_text",
    "articletext",
    "entry-content",
    "entry_content",
    "entry__content",
    "article-content",
    "article_content",
    "article__content",
    "articlecontent",
    "article-body",
    "article_body",
    "article__body",
    "articlebody",
    "text-content",
    "body-text",
    "bodytext",
    "article__container",
    "art-content",
    "story-body",
    "storybody",
    "story-content",
    "storycontent",
    "story__body",
    "field-body",
    "field-name-body",
    "field--name-body",
    "fulltext",
    "news-text",
    "news-content",
    "news-body",
    "article-detail",
    "articledetail",
    "artikel-text",
    "artikeltext",
    "rich-text",
    "richtext",
    "td-post-content",
    "single-content",
    "blog-content",
    "post-bodycopy",
    "c-article-body",
    "article-main",
    "main-text",
    "maintext",
];
const BODY_EXACT: &[&str] = &["post", "entry", "text", "story", "article", "content", "inhalt", "artikel"];
/// Wider containers (trafilatura's later body expressions).
const MAIN_SUBSTRINGS: &[&str] = &[
    "content-main",
    "content_main",
    "content-body",
    "contentbody",
    "content__body",
    "main-content",
    "maincontent",
    "page-content",
    "main-column",
    "single-post",
    "theme-content",
    "section-content",
];

fn lower_names(dom: &Dom, id: NodeId) -> (String, String) {
    (dom.attr(id, "class").unwrap_or("").to_ascii_lowercase(), dom.attr(id, "id").unwrap_or("").to_ascii_lowercase())
}

/// One automaton for a list of substrings: names are tested on every element,
/// and a literal alternation runs as one Aho-Corasick/Teddy scan instead of
/// one `contains` per entry.
fn any_of(list: &[&str]) -> Regex {
    Regex::new(&list.iter().map(|s| regex::escape(s)).collect::<Vec<_>>().join("|")).expect("literal alternation")
}

static BODY_RE: LazyLock<Regex> = LazyLock::new(|| any_of(BODY_SUBSTRINGS));
static MAIN_RE: LazyLock<Regex> = LazyLock::new(|| any_of(MAIN_SUBSTRINGS));
static JUNK_RE: LazyLock<Regex> = LazyLock::new(|| any_of(IN_ARTICLE_JUNK));
static LEAD_RE: LazyLock<Regex> = LazyLock::new(|| any_of(LEAD_SUBSTRINGS));
static NOT_LEAD_RE: LazyLock<Regex> =
    LazyLock::new(|| any_of(&["teaser-list", "teaserlist", "related", "nav", "menu", "share"]));

fn names_contain(names: &(String, String), re: &Regex) -> bool {
    re.is_match(&names.0) || re.is_match(&names.1)
}

fn names_exact(names: &(String, String), words: &[&str]) -> bool {
    words.iter().any(|w| names.0.split_ascii_whitespace().any(|c| c == *w) || names.1 == *w)
}

fn is_article_body(dom: &Dom, id: NodeId) -> bool {
    dom.attr(id, "itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody"))
        || names_contain(&lower_names(dom, id), &BODY_RE)
}

/// Boilerplate inside a chosen article container (never the container itself).
fn is_junk_in_article(dom: &Dom, id: NodeId) -> bool {
    let Some(el) = dom.element(id) else { return false };
    if matches!(
        &*el.tag,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "tr" | "td" | "a" | "b" | "strong" | "em" | "i"
    ) {
        return false;
    }
    if el.attr("itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody")) {
        return false;
    }
    let names = lower_names(dom, id);
    if names.0.is_empty() && names.1.is_empty() {
        return false;
    }
    // A wrapper that also names the body ("entry themeform share",
    // "post-content social-enabled") is the text, whatever else it says.
    if names_contain(&names, &BODY_RE) || names_exact(&names, BODY_EXACT) {
        return false;
    }
    names_contain(&names, &JUNK_RE)
        || IN_ARTICLE_JUNK_PREFIX.iter().any(|p| names.0.starts_with(p) || names.1.starts_with(p))
        || names_exact(&names, IN_ARTICLE_JUNK_WORD)
}

/// Whole-paragraph boilerplate lines (folded to lower case, trimmed).
static JUNK_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:share|share this|share this article|share on \w+|tweet|email|print|advertisement|anzeige|werbung|",
        r"publicité|publicidad|pubblicità|reklama|read more|read more:|mehr zum thema|lesen sie auch|related|",
        r"related articles|most read|most popular|comments|leave a reply|leave a comment|top|back to top|",
        r"skip to content|skip to main content|cookie settings|accept cookies?|accept all|continue reading|",
        r"weiterlesen|zurück|back|next|previous|menu|menü|search|suche|log ?in|sign ?in|subscribe|abonnieren|",
        r"auch interessant|das könnte dich auch interessieren|das könnte sie auch interessieren|you might also like|",
        r"you may also like|related coverage|related stories|explore further|latest on|weitere informationen|",
        r"weiterführende links?|mehr aus der sendung|beitragsbild|bild anzeigen|kommentare schreiben|",
        r"vorschau auf den nächsten artikel|\d+ min read|lesezeit:? \d+ min\.?|reading time:? \d+ min\.?)\W*$"
    ))
    .expect("static regex")
});

/// A short paragraph that opens the trailing boxes of an article: "Related
/// articles", "Weitere Meldungen", "Te puede interesar", "Comments"… What
/// follows it is teasers, not the story (boilerpipe's terminating blocks).
static TAIL_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:related(?: articles| stories| posts| content| coverage| news)?|",
        r"more (?:stories|articles|news|from|on|about)\b.*|read (?:more|next|also)\b.*|",
        r"(?:you|we think you) (?:may|might) (?:also )?(?:like|enjoy|be interested)\b.*|",
        r"recommended(?: for you| articles| stories)?|further reading|also read|",
        r"popular (?:now|stories|articles)|most (?:read|popular|viewed)|trending(?: now)?|",
        r"weitere (?:artikel|beiträge|nachrichten|meldungen|themen|news)\b.*|mehr zum thema|",
        r"mehr (?:artikel|dazu|aus (?:dieser|der) rubrik)|das könnte (?:dich|sie) auch interessieren|",
        r"auch interessant|lesen sie auch|zum weiterlesen|schon gelesen\??|ähnliche (?:artikel|beiträge|themen)|",
        r"verwandte (?:artikel|themen)|empfohlene artikel|",
        r"también te puede interesar|contenido relacionado|noticias relacionadas|te puede interesar|",
        r"lee también|artículos relacionados|",
        r"à lire aussi|lire aussi|sur le même sujet|articles? similaires?|dans la même rubrique|",
        r"leggi anche|potrebbe interessarti|articoli correlati|",
        r"czytaj (?:także|też|więcej)|zobacz (?:także|też)|polecane|",
        r"(?:das thema|dieser artikel|das) könnte (?:dich|sie) auch interessieren|siehe auch|temas relacionados|",
        r"veja também|leia também|weiterführende (?:informationen|links?)|themen im artikel|weitere inhalte\b.*|",
        r"auch auf \S+|keine kommentare|no comments|",
        r"comments?|leave a (?:reply|comment)|kommentare?|kommentieren|comentarios|commentaires)\s*[:?!.]?$"
    ))
    .expect("static regex")
});

/// A photo caption or credit line: "Foto: dpa", "Abbildung 3: …",
/// "Lee Elder und Gary Player. | © PGA". Short ones only; captions are not
/// the story (trafilatura drops `<figcaption>` too, these come unmarked).
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)©|\(c\)\s|^(?:foto|fotos|bild|bilder|photo|photos|image|credit|quelle|bildquelle|abbildung|",
        r"titelbild|source|fuente|crédit|crédits|zdjęcie|fot\.)\s*(?:\d+\s*)?[:©]"
    ))
    .expect("static regex")
});

/// A call to follow, subscribe or download, or a copyright notice: the
/// promotional lines outlets append to every story.
static PROMO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)follow (?:us|the \w+)|síguenos|siguenos|nos siga|folgen sie uns|folge uns|suivez-nous|",
        r"(?:canal|kanal|channel) (?:de |on |auf )?(?:telegram|youtube|whatsapp)|(?:telegram|youtube|whatsapp)[- ](?:canal|kanal|channel)|",
        r"newsletter|subscribe|abonnier|suscríbete|download (?:the|our)|copyright|all rights reserved|",
        r"alle rechte vorbehalten|todos los derechos"
    ))
    .expect("static regex")
});

/// Below this many chars a paragraph matching [`CAPTION`] is dropped.
const CAPTION_MAX_CHARS: usize = 200;

/// Cuts the paragraphs from a [`TAIL_HEADING`] on, when at least half of the
/// text comes before it (an early "Comments" line is more likely a label
/// inside the story than the start of its tail).
///
/// Then drops up to three short [`PROMO`] paragraphs at the very end
/// ("Follow us on Twitter", "Subscribe to our newsletter", "© 2024 …"); a
/// story that mentions Instagram in passing does not match.
fn cut_tail(paragraphs: &mut Vec<String>) {
    let total: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
    let mut before = 0;
    for (i, p) in paragraphs.iter().enumerate() {
        let chars = p.chars().count();
        if i > 0 && chars < 60 && before * 2 >= total && TAIL_HEADING.is_match(p.trim()) {
            paragraphs.truncate(i);
            break;
        }
        before += chars;
    }
    for _ in 0..3 {
        match paragraphs.last() {
            Some(p) if paragraphs.len() > 1 && p.chars().count() < 250 && PROMO.is_match(p) => {
                paragraphs.pop();
            }
            _ => break,
        }
    }
}

/// Tags that start a new paragraph when rendered.
fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "tr"
            | "thead"
            | "tbody"
            | "tfoot"
            | "caption"
            | "hr"
            | "center"
            | "details"
            | "summary"
            | "fieldset"
            | "form"
            | "body"
            | "html"
            | "figure"
            | "figcaption"
            | "address"
            | "hgroup"
            | "listing"
    )
}

/// Per-node measurements and marks.
struct Analysis<'d> {
    dom: &'d Dom,
    /// Visible text length in chars (whitespace runs count once).
    text: Vec<u32>,
    /// Part of `text` inside `<a>`.
    link: Vec<u32>,
    /// Subtree removed as boilerplate.
    removed: Vec<bool>,
    /// Subtree holds an article marker (`article`, `main`, `itemprop=articleBody`, a body class).
    marker: Vec<bool>,
}

fn text_units(s: &str) -> u32 {
    let mut n = 0u32;
    let mut space = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                n += 1;
                space = true;
            }
        } else {
            n += 1;
            space = false;
        }
    }
    n
}

fn class_tokens<'a>(dom: &'a Dom, id: NodeId) -> impl Iterator<Item = &'a str> + 'a {
    let class = dom.attr(id, "class").unwrap_or("");
    let ident = dom.attr(id, "id").unwrap_or("");
    class.split_ascii_whitespace().chain(ident.split_ascii_whitespace())
}

fn is_hidden(dom: &Dom, id: NodeId) -> bool {
    let Some(el) = dom.element(id) else { return false };
    if el.attr("hidden").is_some() || el.attr("aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let s: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        return s.contains("display:none") || s.contains("visibility:hidden");
    }
    false
}

fn is_boilerplate_role(role: &str) -> bool {
    matches!(
        role.to_ascii_lowercase().as_str(),
        "navigation"
            | "banner"
            | "contentinfo"
            | "complementary"
            | "search"
            | "menu"
            | "menubar"
            | "dialog"
            | "alertdialog"
            | "toolbar"
            | "tablist"
    )
}

impl<'d> Analysis<'d> {
    /// Measures the page and removes what is boilerplate by its tag, role or
    /// visibility. Name-based pruning comes later, once the root is known.
    fn new(dom: &'d Dom) -> Self {
        let n = dom.nodes.len();
        let mut a =
            Analysis { dom, text: vec![0; n], link: vec![0; n], removed: vec![false; n], marker: vec![false; n] };
        for i in (1..n).rev() {
            let id = i as NodeId;
            if let Some(el) = dom.element(id) {
                if matches!(&*el.tag, "article" | "main") || is_article_body(dom, id) {
                    a.marker[i] = true;
                }
            }
            if a.marker[i] {
                let p = dom.node(id).parent;
                if p != NONE {
                    a.marker[p as usize] = true;
                }
            }
        }
        a.measure();
        let total = a.text[dom.body as usize].max(1);
        for i in 1..n {
            let id = i as NodeId;
            let p = dom.node(id).parent;
            if p != NONE && a.removed[p as usize] {
                a.removed[i] = true;
                continue;
            }
            let Some(el) = dom.element(id) else { continue };
            let tag = &*el.tag;
            let protected = a.protected(id, total);
            let junk = if is_junk_tag(tag) {
                !is_guarded_tag(tag) || !protected
            } else {
                is_hidden(dom, id) || el.attr("role").is_some_and(is_boilerplate_role) && !protected
            };
            a.removed[i] = junk && !matches!(tag, "html" | "body");
        }
        a.measure();
        a
    }

    /// A big share of the page's text, or the article markers: never pruned
    /// by a name or a guarded tag.
    fn protected(&self, id: NodeId, total: u32) -> bool {
        self.marker[id as usize] || self.text[id as usize] as u64 * 10 > total as u64 * 6
    }

    /// Prunes boilerplate by class/id names inside `root` (trafilatura's
    /// discard list), and guarded tags (`header`, `footer`, `form`, `aside`).
    fn prune_in_article(&mut self, root: NodeId) {
        let dom = self.dom;
        let root_text = self.content(root).max(1) as u64;
        for id in dom.descendants(root) {
            let i = id as usize;
            let p = dom.node(id).parent as usize;
            if self.removed[p] && p != root as usize {
                self.removed[i] = true;
                continue;
            }
            if self.removed[i] {
                continue;
            }
            // A header inside the article holds the headline (dropped later as
            // a repeat of the title), the standfirst and the byline (pruned by
            // name): keep it.
            let junk = is_junk_in_article(dom, id)
                || dom.element(id).is_some_and(|e| is_guarded_tag(&e.tag) && &*e.tag != "header");
            // A name match never removes most of the article's text (a class
            // list such as "content has-sharing"), except a comment section.
            let most = self.content(id) as u64 * 10 > root_text * 6
                && !dom.attr(id, "class").is_some_and(|c| c.to_ascii_lowercase().contains("comment"))
                && !dom.attr(id, "id").is_some_and(|c| c.to_ascii_lowercase().contains("comment"));
            if junk && !self.marker[i] && !most {
                self.removed[i] = true;
            }
        }
        self.measure();
    }

    /// Prunes boilerplate by class/id words on the whole page, sparing what
    /// holds the article markers or most of the text.
    fn prune_page(&mut self) {
        let dom = self.dom;
        let total = self.text[dom.body as usize].max(1);
        for i in 1..dom.nodes.len() {
            let id = i as NodeId;
            let p = dom.node(id).parent;
            if p != NONE && self.removed[p as usize] {
                self.removed[i] = true;
                continue;
            }
            let Some(el) = dom.element(id) else { continue };
            if matches!(&*el.tag, "html" | "body" | "article" | "main") || self.removed[i] {
                continue;
            }
            let mut strong = false;
            let mut weak = false;
            for t in class_tokens(dom, id) {
                strong |= STRONG.is_match(t);
                weak |= WEAK.is_match(t);
            }
            let big = self.text[i] as u64 * 10 > total as u64 * 8;
            let named = !self.protected(id, total) && is_junk_in_article(dom, id);
            if strong && !self.marker[i] && !big || weak && !self.protected(id, total) || named {
                self.removed[i] = true;
            }
        }
        self.measure();
    }

    /// Text and link lengths per node, skipping removed subtrees.
    fn measure(&mut self) {
        let dom = self.dom;
        self.text.iter_mut().for_each(|v| *v = 0);
        self.link.iter_mut().for_each(|v| *v = 0);
        for i in (1..dom.nodes.len()).rev() {
            if self.removed[i] {
                continue;
            }
            let node = dom.node(i as NodeId);
            match &node.data {
                NodeData::Text(t) => self.text[i] = text_units(t),
                NodeData::Element(e) => {
                    if matches!(&*e.tag, "script" | "style" | "noscript" | "template") {
                        self.text[i] = 0;
                        self.link[i] = 0;
                        continue;
                    }
                    if &*e.tag == "a" {
                        self.link[i] = self.text[i];
                    }
                }
                NodeData::Document => {}
            }
            if node.parent != NONE {
                let p = node.parent as usize;
                self.text[p] += self.text[i];
                self.link[p] += self.link[i];
            }
        }
    }

    fn content(&self, id: NodeId) -> u32 {
        self.text[id as usize].saturating_sub(self.link[id as usize])
    }

    fn link_density(&self, id: NodeId) -> f32 {
        let t = self.text[id as usize];
        if t == 0 {
            0.0
        } else {
            self.link[id as usize] as f32 / t as f32
        }
    }
}

/// Minimum non-link text for a marked container to be trusted.
const MIN_MARKED_CHARS: u32 = 200;

/// Below this many characters of marked text, the scored root is computed
/// too and wins when it holds more than twice as much.
const COMPARE_BELOW: usize = 1500;

/// Extracts the main text of a parsed page.
pub fn extract(dom: &Dom) -> MainText {
    let mut a = Analysis::new(dom);
    let (mut paragraphs, mut method) = match select_marked(&a) {
        Some(root) => {
            let parts = split_body(&a, root);
            for &p in &parts {
                a.prune_in_article(p);
            }
            let mut roots = lead_before(&a, parts[0]);
            for &l in &roots {
                a.prune_in_article(l);
            }
            roots.extend(parts);
            (render(&a, &roots), Method::Marker)
        }
        None => {
            a.prune_page();
            match select_scored(&a) {
                Some(roots) => (render(&a, &roots), Method::Scored),
                None => (Vec::new(), Method::Empty),
            }
        }
    };
    let mut chars: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
    // A marked root that yields modest text may be the wrong box (a teaser
    // with an <article> tag, one of several body parts): as trafilatura does
    // with its fallback, the scored root wins when it says more than twice as much.
    let mut page: Option<Analysis<'_>> = None;
    if method == Method::Marker && (500..COMPARE_BELOW).contains(&chars) {
        let mut b = Analysis::new(dom);
        b.prune_page();
        if let Some(roots) = select_scored(&b) {
            let scored = render(&b, &roots);
            let scored_chars: usize = scored.iter().map(|p| p.chars().count()).sum();
            if scored_chars > chars * 2 {
                paragraphs = scored;
                chars = scored_chars;
                method = Method::Scored;
            }
        }
        page = Some(b);
    }
    // A root that yields little text (a teaser box, a wrong marker) loses to
    // all the paragraphs of the page when those say much more.
    if chars < 500 {
        let b = page.unwrap_or_else(|| {
            let mut b = Analysis::new(dom);
            b.prune_page();
            b
        });
        let mut all = all_paragraphs(&b);
        let all_chars: usize = all.iter().map(|p| p.chars().count()).sum();
        if all_chars > chars * 2 + 100 {
            cut_tail(&mut all);
            return MainText { paragraphs: all, method: Method::AllParagraphs };
        }
    }
    if paragraphs.is_empty() {
        return MainText { paragraphs, method: Method::Empty };
    }
    paragraphs.dedup();
    cut_tail(&mut paragraphs);
    MainText { paragraphs, method }
}

/// Class/id words of a standfirst or lead paragraph kept outside the body container.
const LEAD_SUBSTRINGS: &[&str] = &[
    "teaser",
    "intro",
    "lead",
    "summary",
    "excerpt",
    "subtitle",
    "standfirst",
    "subline",
    "description",
    "kicker-text",
    "abstract",
    "deck",
];

/// Lead paragraphs just before the body container: preceding siblings of the
/// root and of its ancestors (up to the enclosing `<article>`, at most three
/// levels) whose class names a lead, in document order.
fn lead_before(a: &Analysis<'_>, root: NodeId) -> Vec<NodeId> {
    let dom = a.dom;
    let mut found = Vec::new();
    let mut cur = root;
    for _ in 0..3 {
        let parent = dom.node(cur).parent;
        if parent == NONE || dom.element(parent).is_none() || parent == dom.body {
            break;
        }
        for sib in dom.children(parent) {
            if sib == cur {
                break;
            }
            // The sibling itself or a descendant with a lead class.
            for id in std::iter::once(sib).chain(dom.descendants(sib)) {
                if a.removed[id as usize] || dom.element(id).is_none() {
                    continue;
                }
                let names = lower_names(dom, id);
                if names_contain(&names, &LEAD_RE)
                    && !names_contain(&names, &NOT_LEAD_RE)
                    && a.content(id) >= 40
                    && a.link_density(id) < 0.3
                    && !found.iter().any(|&f| dom.contains(f, id))
                {
                    found.push(id);
                }
            }
        }
        if dom.tag(parent) == "article" {
            break;
        }
        cur = parent;
    }
    found.sort_unstable();
    found
}

/// The best marked container, if it holds enough text.
fn select_marked(a: &Analysis<'_>) -> Option<NodeId> {
    let dom = a.dom;
    let n = dom.nodes.len() as NodeId;
    let container = |id: NodeId| matches!(dom.tag(id), "div" | "article" | "section" | "main" | "td" | "span" | "font");
    let levels: [&dyn Fn(NodeId) -> bool; 5] = [
        &|id| dom.attr(id, "itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody")),
        &|id| container(id) && names_contain(&lower_names(dom, id), &BODY_RE),
        &|id| dom.tag(id) == "article" || container(id) && names_exact(&lower_names(dom, id), BODY_EXACT),
        &|id| container(id) && names_contain(&lower_names(dom, id), &MAIN_RE),
        &|id| {
            dom.tag(id) == "main"
                || dom.attr(id, "role").is_some_and(|r| r.eq_ignore_ascii_case("main"))
                || container(id) && {
                    let names = lower_names(dom, id);
                    names.0.starts_with("main") || names.1.starts_with("main") || names.1.starts_with("primary")
                }
        },
    ];
    for matches in levels {
        let mut best: Option<NodeId> = None;
        for id in 1..n {
            if a.removed[id as usize] || dom.element(id).is_none() || !matches(id) {
                continue;
            }
            let c = a.content(id);
            // Prefer more text; on (near) ties, the deeper, tighter element.
            match best {
                Some(b) if c * 10 < a.content(b) * 11 && !(dom.contains(b, id) && c * 10 >= a.content(b) * 9) => {}
                _ => best = Some(id),
            }
        }
        if let Some(b) = best {
            if a.content(b) >= MIN_MARKED_CHARS && a.link_density(b) < 0.5 {
                return Some(b);
            }
        }
    }
    None
}

/// Parts of a body split into several containers of the same kind: elements
/// with the same tag and `class` as `root` (or, like it, `itemprop=articleBody`)
/// near it (under its fourth ancestor), not nested in one another, with text
/// that is not mostly links. CMS page builders (AEM, Elementor, Drupal
/// paragraphs) and some news sites (`<p itemprop=articleBody>` per paragraph)
/// cut the body this way. Returns the roots in document order, `root` among them.
fn split_body(a: &Analysis<'_>, root: NodeId) -> Vec<NodeId> {
    let dom = a.dom;
    let itemprop = |id: NodeId| dom.attr(id, "itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody"));
    let class = dom.attr(root, "class").map(str::trim).unwrap_or("");
    let by_itemprop = itemprop(root);
    if class.is_empty() && !by_itemprop {
        return vec![root];
    }
    let tag = dom.tag(root);
    let scope = dom.ancestors(root).take(4).take_while(|&p| p != dom.body && p != dom.html).last().unwrap_or(root);
    let mut roots = Vec::new();
    let mut id = scope + 1;
    let end = dom.last_descendant(scope);
    while id <= end {
        if a.removed[id as usize] {
            id = dom.last_descendant(id) + 1;
            continue;
        }
        let same = id == root
            || dom.tag(id) == tag
                && if by_itemprop { itemprop(id) } else { dom.attr(id, "class").map(str::trim) == Some(class) };
        if same && (id == root || a.content(id) >= 30 && a.link_density(id) < 0.3) {
            roots.push(id);
            id = dom.last_descendant(id) + 1;
            continue;
        }
        id += 1;
    }
    if !roots.contains(&root) {
        return vec![root];
    }
    roots
}

/// Is `id` a paragraph-like block for scoring: `p`/`pre`/`td`/`blockquote`,
/// or a `div`-like element with direct text and no block children.
fn is_scoring_block(dom: &Dom, id: NodeId) -> bool {
    match dom.tag(id) {
        "p" | "pre" | "td" | "blockquote" | "dd" => true,
        "div" | "section" | "span" | "font" | "li" => {
            let mut direct_text = false;
            for c in dom.children(id) {
                match &dom.node(c).data {
                    NodeData::Text(t) => direct_text |= t.trim().len() > 25,
                    NodeData::Element(e) if is_block(&e.tag) && &*e.tag != "br" => return false,
                    _ => {}
                }
            }
            direct_text
        }
        _ => false,
    }
}

/// Readability-style scoring; returns the winner and its good siblings.
fn select_scored(a: &Analysis<'_>) -> Option<Vec<NodeId>> {
    let dom = a.dom;
    let n = dom.nodes.len();
    let mut score = vec![0f32; n];
    let mut is_candidate = vec![false; n];
    for i in 1..n {
        let id = i as NodeId;
        if a.removed[i] {
            continue;
        }
        // A run of text straight inside a container that also holds blocks
        // ("<div><div class=photo>…</div>Anchor: After heavy rain…<br>…</div>")
        // votes like a paragraph.
        let loose = match &dom.node(id).data {
            NodeData::Text(t) => {
                let p = dom.node(id).parent;
                p != NONE
                    && matches!(dom.tag(p), "div" | "section" | "article" | "main" | "td" | "font" | "center")
                    && !is_scoring_block(dom, p)
                    && t.trim().len() > 25
            }
            _ => false,
        };
        if !loose && !is_scoring_block(dom, id) {
            continue;
        }
        let len = a.content(id);
        if len < 25 {
            continue;
        }
        let text = dom.text(id);
        let commas = text.chars().filter(|c| matches!(c, ',' | '，' | '、' | '،')).count() as f32;
        let s = 1.0 + commas + (len as f32 / 100.0).min(3.0);
        for (level, anc) in dom.ancestors(id).take(5).enumerate() {
            if dom.element(anc).is_none() || a.removed[anc as usize] {
                break;
            }
            if !is_candidate[anc as usize] {
                is_candidate[anc as usize] = true;
                score[anc as usize] += match dom.tag(anc) {
                    "div" | "article" | "section" | "main" => 5.0,
                    "pre" | "td" | "blockquote" => 3.0,
                    "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" | "address" => -3.0,
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
                    _ => 0.0,
                };
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[anc as usize] += s / div;
        }
    }
    let mut best: Option<(NodeId, f32)> = None;
    for i in 1..n {
        if !is_candidate[i] {
            continue;
        }
        let s = score[i] * (1.0 - a.link_density(i as NodeId));
        score[i] = s;
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i as NodeId, s));
        }
    }
    let (top, top_score) = best?;
    if top == dom.body || a.content(top) < 25 {
        return None;
    }
    // Siblings that score well, or plain paragraphs with little link text.
    let parent = dom.node(top).parent;
    if parent == NONE {
        return Some(vec![top]);
    }
    let threshold = (top_score * 0.2).max(10.0);
    let mut roots = Vec::new();
    for s in dom.children(parent) {
        if s == top {
            roots.push(s);
            continue;
        }
        if a.removed[s as usize] || dom.element(s).is_none() {
            continue;
        }
        let good_score = is_candidate[s as usize] && score[s as usize] >= threshold;
        let good_para = dom.tag(s) == "p" && {
            let len = a.content(s);
            let ld = a.link_density(s);
            (len > 80 && ld < 0.25) || (len > 0 && ld == 0.0 && dom.text(s).trim_end().ends_with(['.', '!', '?']))
        };
        if good_score || good_para {
            roots.push(s);
        }
    }
    Some(roots)
}

/// Every paragraph-like block of the page that is not boilerplate.
fn all_paragraphs(a: &Analysis<'_>) -> Vec<String> {
    let dom = a.dom;
    let mut out = Vec::new();
    let body = dom.body;
    let mut id = body + 1;
    let end = dom.last_descendant(body);
    while id <= end {
        if a.removed[id as usize] {
            id = dom.last_descendant(id) + 1;
            continue;
        }
        if matches!(dom.tag(id), "p" | "pre" | "blockquote" | "h2" | "h3") || is_scoring_block(dom, id) {
            if a.content(id) >= 15 && a.link_density(id) < 0.5 {
                out.extend(render(a, &[id]));
            }
            id = dom.last_descendant(id) + 1;
            continue;
        }
        id += 1;
    }
    out
}

/// Renders content roots into paragraphs.
fn render(a: &Analysis<'_>, roots: &[NodeId]) -> Vec<String> {
    let mut r = Renderer { a, out: Vec::new(), cur: String::new(), cur_link: 0, in_link: 0, pre: 0 };
    for &root in roots {
        r.block_break();
        r.walk(root, 0);
        r.block_break();
    }
    r.out
}

struct Renderer<'a, 'd> {
    a: &'a Analysis<'d>,
    out: Vec<String>,
    cur: String,
    /// Chars of `cur` inside links.
    cur_link: usize,
    in_link: u32,
    pre: u32,
}

impl Renderer<'_, '_> {
    fn walk(&mut self, id: NodeId, depth: usize) {
        let dom = self.a.dom;
        if self.a.removed[id as usize] || depth > super::dom::MAX_DEPTH + 4 {
            return;
        }
        match &dom.node(id).data {
            NodeData::Text(t) => self.push_text(t),
            NodeData::Document => {
                for c in dom.children(id) {
                    self.walk(c, depth + 1);
                }
            }
            NodeData::Element(e) => {
                let tag = &*e.tag;
                if is_junk_tag(tag) && !is_guarded_tag(tag) {
                    return;
                }
                match tag {
                    "br" => {
                        self.line_break();
                        return;
                    }
                    "td" | "th" if !self.cur.is_empty() && !self.cur.ends_with([' ', '\n']) => {
                        self.cur.push(' ');
                    }
                    _ => {}
                }
                let block = is_block(tag);
                if block {
                    self.block_break();
                }
                let link = tag == "a";
                let pre = tag == "pre";
                self.in_link += u32::from(link);
                self.pre += u32::from(pre);
                for c in dom.children(id) {
                    self.walk(c, depth + 1);
                }
                self.in_link -= u32::from(link);
                self.pre -= u32::from(pre);
                if block {
                    self.block_break();
                }
            }
        }
    }

    fn push_text(&mut self, t: &str) {
        let before = self.cur.chars().count();
        if self.pre > 0 {
            self.cur.push_str(t);
        } else {
            let mut space = self.cur.is_empty() || self.cur.ends_with([' ', '\n']);
            for c in t.chars() {
                if c.is_whitespace() && c != '\u{a0}' {
                    if !space {
                        self.cur.push(' ');
                        space = true;
                    }
                } else {
                    self.cur.push(c);
                    space = false;
                }
            }
        }
        if self.in_link > 0 {
            self.cur_link += self.cur.chars().count() - before;
        }
    }

    fn line_break(&mut self) {
        while self.cur.ends_with(' ') {
            self.cur.pop();
        }
        if !self.cur.is_empty() && !self.cur.ends_with('\n') {
            self.cur.push('\n');
        }
    }

    fn block_break(&mut self) {
        let text = if self.pre > 0 { self.cur.trim_matches('\n').to_string() } else { tidy(&self.cur) };
        let chars = text.chars().count();
        let links = self.cur_link.min(chars);
        self.cur.clear();
        self.cur_link = 0;
        if chars == 0 {
            return;
        }
        // Link lists and menus: mostly link text.
        let ld = links as f32 / chars as f32;
        if ld > 0.6 || (ld > 0.35 && chars < 120) {
            return;
        }
        if chars < 40 && JUNK_LINE.is_match(text.trim()) {
            return;
        }
        if chars < CAPTION_MAX_CHARS && CAPTION.is_match(&text) {
            return;
        }
        self.out.push(text);
    }
}

/// Trims each line and drops empty lines.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split('\n') {
        let l = line.trim_matches(|c: char| c.is_whitespace());
        if l.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(l);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::extract_html::extract_str;

    const STORY: [&str; 3] = [
        "Heavy rain overnight washed away a section of the only road into the northern valley, officials said on Friday, leaving several villages cut off.",
        "Rescue teams used boats to reach families stranded on rooftops, and the regional governor asked the army for helicopters to reach the rest.",
        "Forecasters expect more rain until Sunday, with rivers already above their spring levels in three districts and more villages at risk.",
    ];

    fn article(after: &str) -> Vec<String> {
        let body: String = STORY.iter().map(|p| format!("<p>{p}</p>")).collect();
        extract_str(&format!("<html><body><div class=\"article-body\">{body}{after}</div></body></html>")).paragraphs
    }

    #[test]
    fn tail_headings_end_the_article() {
        // ("Related articles", "Comments" alone are dropped earlier as junk lines.)
        for heading in ["Weitere Meldungen", "Te puede interesar", "À lire aussi", "Siehe auch", "Kommentare"] {
            let p = article(&format!(
                "<h3>{heading}</h3><p>Another story about something else entirely, from last week, with its teaser text.</p>"
            ));
            assert_eq!(p, STORY, "{heading}");
        }
        // Before half of the text, such a line is a label inside the story.
        let p = extract_str(&format!(
            "<html><body><div class=\"article-body\"><p>{}</p><h3>Kommentare</h3><p>{}</p><p>{}</p></div></body></html>",
            STORY[0], STORY[1], STORY[2]
        ))
        .paragraphs;
        assert_eq!(p.len(), 4);
        // A longer line that starts like a heading is text.
        let long =
            "Related coverage of the floods was broadcast on Friday by every channel in the region, said the ministry.";
        let p = article(&format!("<p>{long}</p>"));
        assert_eq!(p.last().map(String::as_str), Some(long));
    }

    #[test]
    fn caption_and_credit_lines_are_dropped() {
        let p = article(
            "<p>Foto: dpa</p><p>Abbildung 3: Pegelstände am Freitag</p><p>Rescuers at work. | © Example Agency</p>",
        );
        assert_eq!(p, STORY);
        // A long paragraph with a © sign is text.
        let long = format!("{} The © sign on the sandbags marks the supplier, said a spokesman.", STORY[0]);
        let p = article(&format!("<p>{long}</p>"));
        assert_eq!(p.last(), Some(&long));
    }

    #[test]
    fn trailing_promotion_lines_are_dropped() {
        let p = article(
            "<p>Follow us on Twitter and Instagram.</p><p>Subscribe to our newsletter for daily updates.</p>\
             <p>© 2024 Example News. All rights reserved.</p>",
        );
        assert_eq!(p, STORY);
        // A story sentence that mentions Instagram stays.
        let insta = "The mayor has meanwhile set her Instagram account to private.";
        let p = article(&format!("<p>{insta}</p>"));
        assert_eq!(p.last().map(String::as_str), Some(insta));
    }
}
