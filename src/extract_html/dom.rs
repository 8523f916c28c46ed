//! A small, fast, forgiving HTML parser: tokenizer plus a simplified tree
//! builder, into an arena ([`Dom`]) of [`Node`]s.
//!
//! Why not html5ever: extraction must run at ≥ 20× trafilatura's speed per
//! core, and a spec-complete tree builder spends most of its time on cases
//! that do not change which text is where (foster parenting, the adoption
//! agency algorithm, form pointers). This parser keeps what matters for text
//! extraction and metadata:
//!
//! * tags, attributes (only the ones extraction reads, see [`KEPT_ATTRS`]),
//!   comments and doctypes skipped, character references decoded;
//! * raw-text elements (`script`, `style`, `title`, `textarea`, …) read to
//!   their end tag; only `<title>`, JSON scripts (`ld+json`, `application/json`
//!   state such as Next.js `__NEXT_DATA__`) and `text/template` scripts (Blogger
//!   puts post bodies there) keep their content;
//! * implied end tags for `p`, `li`, `dt`/`dd`, `option`, table rows and cells,
//!   headings; void elements; one `html`/`head`/`body` whatever the markup says;
//! * unmatched end tags are ignored, and an end tag closes everything opened
//!   after its start tag, so a missing `</div>` never swallows the rest of
//!   the page into a sibling.
//!
//! Depth is capped at [`MAX_DEPTH`] so recursive walks elsewhere are bounded,
//! and every input, valid or not, yields a tree: the parser never panics.

use super::entities::decode_entities_into;

/// Deepest element nesting kept; deeper start tags attach to the node at
/// this depth (their text is kept, their nesting is flattened).
pub const MAX_DEPTH: usize = 200;

/// Index of a node in [`Dom::nodes`]. `NONE` marks "no node".
pub type NodeId = u32;
pub const NONE: NodeId = u32::MAX;

/// Attributes kept on elements; the rest (`src`, `srcset`, `data-*`, `onclick`, …)
/// are dropped at parse time to save allocations.
const KEPT_ATTRS: &[&str] = &[
    "class",
    "id",
    "role",
    "style",
    "hidden",
    "aria-hidden",
    "itemprop",
    "itemtype",
    "name",
    "property",
    "content",
    "charset",
    "http-equiv",
    "rel",
    "href",
    "datetime",
    "lang",
    "type",
    "pubdate",
];

/// One element's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Lower-case tag name.
    pub tag: Box<str>,
    /// Kept attributes, names lower-cased, values decoded.
    pub attrs: Vec<(Box<str>, String)>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| &**n == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeData {
    Document,
    Element(Element),
    Text(String),
}

/// A node in the arena, linked to its parent, first child and next sibling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub data: NodeData,
    pub parent: NodeId,
    pub first_child: NodeId,
    pub last_child: NodeId,
    pub next_sibling: NodeId,
}

/// A parsed document. Node 0 is the document; its descendants are in document
/// order by index (the builder only appends), which [`Dom::descendants`] and
/// order comparisons rely on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dom {
    pub nodes: Vec<Node>,
    /// The `<html>`, `<head>` and `<body>` elements, created if missing.
    pub html: NodeId,
    pub head: NodeId,
    pub body: NodeId,
}

impl Dom {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.nodes.get(id as usize)?.data {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn tag(&self, id: NodeId) -> &str {
        self.element(id).map_or("", |e| &e.tag)
    }

    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        self.element(id)?.attr(name)
    }

    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children { dom: self, next: self.node(id).first_child }
    }

    /// The last descendant of `id` (itself if it has no children): the
    /// subtree of `id` is exactly the index range `id..=last_descendant(id)`.
    pub fn last_descendant(&self, id: NodeId) -> NodeId {
        let mut n = id;
        loop {
            let last = self.node(n).last_child;
            if last == NONE {
                return n;
            }
            n = last;
        }
    }

    /// All nodes under `id` (excluding it), in document order.
    pub fn descendants(&self, id: NodeId) -> std::ops::RangeInclusive<NodeId> {
        (id + 1)..=self.last_descendant(id)
    }

    /// Is `a` an ancestor of (or equal to) `b`?
    pub fn contains(&self, a: NodeId, b: NodeId) -> bool {
        a <= b && b <= self.last_descendant(a)
    }

    /// Ancestors of `id`, nearest first (excluding `id`).
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let mut cur = self.node(id).parent;
        std::iter::from_fn(move || {
            if cur == NONE {
                return None;
            }
            let r = cur;
            cur = self.node(cur).parent;
            Some(r)
        })
    }

    /// Concatenated text under `id`, whitespace collapsed.
    pub fn text(&self, id: NodeId) -> String {
        let mut out = String::new();
        if let NodeData::Text(t) = &self.node(id).data {
            push_collapsed(&mut out, t);
        }
        for n in self.descendants(id) {
            if let NodeData::Text(t) = &self.node(n).data {
                push_collapsed(&mut out, t);
            }
        }
        out.trim_end().to_string()
    }

    /// Raw (not collapsed) text content under `id`, e.g. a script's body.
    pub fn raw_text(&self, id: NodeId) -> String {
        let mut out = String::new();
        for n in self.descendants(id) {
            if let NodeData::Text(t) = &self.node(n).data {
                out.push_str(t);
            }
        }
        out
    }

    /// Elements with tag `tag`, in document order.
    pub fn elements_by_tag<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = NodeId> + 'a {
        (0..self.nodes.len() as NodeId).filter(move |&i| self.tag(i) == tag)
    }
}

pub struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let r = self.next;
        self.next = self.dom.node(r).next_sibling;
        Some(r)
    }
}

/// Appends `s` to `out` with runs of whitespace collapsed to one space and no
/// leading space at the start of `out`.
pub fn push_collapsed(out: &mut String, s: &str) {
    let mut space = out.ends_with(' ') || out.is_empty();
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
}

fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "basefont"
            | "bgsound"
            | "frame"
    )
}

/// Elements whose content is raw text up to the matching end tag.
fn is_raw_text(tag: &str) -> bool {
    matches!(tag, "script" | "style" | "title" | "textarea" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript")
}

/// Start tags that close an open `<p>` (HTML's "close a p element" list).
fn closes_p(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "ul"
            | "li"
            | "dd"
            | "dt"
            | "listing"
            | "plaintext"
    )
}

/// Elements an implied-end-tag search must not cross.
fn is_scope_boundary(tag: &str) -> bool {
    matches!(tag, "html" | "body" | "table" | "td" | "th" | "caption" | "button" | "object" | "template" | "marquee")
}

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

struct Builder {
    dom: Dom,
    stack: Vec<NodeId>,
}

impl Builder {
    fn new() -> Self {
        let doc =
            Node { data: NodeData::Document, parent: NONE, first_child: NONE, last_child: NONE, next_sibling: NONE };
        Builder { dom: Dom { nodes: vec![doc], html: NONE, head: NONE, body: NONE }, stack: Vec::with_capacity(64) }
    }

    fn current(&self) -> NodeId {
        self.stack.last().copied().unwrap_or(0)
    }

    fn append(&mut self, parent: NodeId, data: NodeData) -> NodeId {
        let id = self.dom.nodes.len() as NodeId;
        self.dom.nodes.push(Node { data, parent, first_child: NONE, last_child: NONE, next_sibling: NONE });
        let p = &mut self.dom.nodes[parent as usize];
        let prev = p.last_child;
        p.last_child = id;
        if prev == NONE {
            p.first_child = id;
        } else {
            self.dom.nodes[prev as usize].next_sibling = id;
        }
        id
    }

    fn ensure_html(&mut self) -> NodeId {
        if self.dom.html == NONE {
            let el = Element { tag: "html".into(), attrs: Vec::new() };
            self.dom.html = self.append(0, NodeData::Element(el));
            self.stack.clear();
            self.stack.push(self.dom.html);
        }
        self.dom.html
    }

    fn ensure_body(&mut self) -> NodeId {
        if self.dom.body == NONE {
            let html = self.ensure_html();
            let el = Element { tag: "body".into(), attrs: Vec::new() };
            self.dom.body = self.append(html, NodeData::Element(el));
            self.stack.truncate(1);
            self.stack.push(self.dom.body);
        }
        self.dom.body
    }

    fn ensure_head(&mut self) -> NodeId {
        if self.dom.head == NONE {
            let html = self.ensure_html();
            let el = Element { tag: "head".into(), attrs: Vec::new() };
            self.dom.head = self.append(html, NodeData::Element(el));
        }
        self.dom.head
    }

    /// Text goes to the current node; whitespace before `<body>` is dropped.
    fn text(&mut self, text: String) {
        if self.dom.body == NONE {
            if text.trim().is_empty() {
                return;
            }
            self.ensure_body();
        }
        let parent = self.current();
        let last = self.dom.nodes[parent as usize].last_child;
        if last != NONE {
            if let NodeData::Text(t) = &mut self.dom.nodes[last as usize].data {
                t.push_str(&text);
                return;
            }
        }
        self.append(parent, NodeData::Text(text));
    }

    /// Pops back to (and including) the nearest open `tag` not beyond a scope boundary.
    fn close_in_scope(&mut self, matches: impl Fn(&str) -> bool, boundary: impl Fn(&str) -> bool) {
        for i in (0..self.stack.len()).rev() {
            let t = self.dom.tag(self.stack[i]);
            if matches(t) {
                self.stack.truncate(i);
                return;
            }
            if boundary(t) || is_scope_boundary(t) {
                return;
            }
        }
    }

    fn start_tag(&mut self, tag: Box<str>, attrs: Vec<(Box<str>, String)>, self_closing: bool) -> NodeId {
        match &*tag {
            "html" => {
                let html = self.ensure_html();
                merge_attrs(&mut self.dom.nodes[html as usize].data, attrs);
                return html;
            }
            "body" => {
                let body = self.ensure_body();
                merge_attrs(&mut self.dom.nodes[body as usize].data, attrs);
                return body;
            }
            "head" => return self.ensure_head(),
            _ => {}
        }
        // Metadata elements before <body> go to <head>.
        let in_head = self.dom.body == NONE
            && matches!(&*tag, "meta" | "link" | "title" | "script" | "style" | "base" | "noscript" | "template");
        let parent = if in_head {
            self.ensure_head()
        } else {
            self.ensure_body();
            let t: &str = &tag;
            if closes_p(t) {
                self.close_in_scope(|x| x == "p", |_| false);
            }
            match t {
                "li" => self.close_in_scope(|x| x == "li", |x| matches!(x, "ul" | "ol" | "menu")),
                "dt" | "dd" => self.close_in_scope(|x| matches!(x, "dt" | "dd"), |x| x == "dl"),
                "option" => self.close_in_scope(|x| x == "option", |x| x == "select"),
                "tr" => self.close_in_scope(|x| x == "tr", |x| matches!(x, "thead" | "tbody" | "tfoot")),
                "td" | "th" => {
                    // td/th are boundaries themselves: close an open cell directly.
                    if matches!(self.dom.tag(self.current()), "td" | "th") {
                        self.stack.pop();
                    }
                }
                "thead" | "tbody" | "tfoot" => {
                    self.close_in_scope(|x| matches!(x, "thead" | "tbody" | "tfoot"), |x| x == "table")
                }
                _ if is_heading(t) && is_heading(self.dom.tag(self.current())) => {
                    self.stack.pop();
                }
                "a" => self.close_in_scope(|x| x == "a", closes_p),
                _ => {}
            }
            self.current()
        };
        let void = is_void(&tag) || self_closing && !is_raw_text(&tag);
        let id = self.append(parent, NodeData::Element(Element { tag, attrs }));
        if !void && !in_head && self.stack.len() < MAX_DEPTH {
            self.stack.push(id);
        }
        id
    }

    fn end_tag(&mut self, tag: &str) {
        if matches!(tag, "html" | "body" | "head" | "br" | "p" | "li") {
            // </br> and a stray </p> are no-ops for text; </body> and </html>
            // are ignored so trailing content stays in the body. </p> and
            // </li> close only within their scope.
            match tag {
                "p" => self.close_in_scope(|x| x == "p", |_| false),
                "li" => self.close_in_scope(|x| x == "li", |x| matches!(x, "ul" | "ol")),
                _ => {}
            }
            return;
        }
        // Close the nearest open element with this name. A heading end tag
        // closes any open heading (`<h2>…</h3>` is common).
        let heading = is_heading(tag);
        for i in (0..self.stack.len()).rev() {
            let t = self.dom.tag(self.stack[i]);
            if t == tag || heading && is_heading(t) {
                self.stack.truncate(i);
                return;
            }
            // A cell or table end tag never closes elements outside the table.
            if matches!(t, "table") && !matches!(tag, "table") {
                return;
            }
        }
    }
}

fn merge_attrs(data: &mut NodeData, attrs: Vec<(Box<str>, String)>) {
    if let NodeData::Element(e) = data {
        for (n, v) in attrs {
            if e.attr(&n).is_none() {
                e.attrs.push((n, v));
            }
        }
    }
}

/// Parses a decoded HTML document.
pub fn parse(html: &str) -> Dom {
    let mut b = Builder::new();
    let bytes = html.as_bytes();
    let mut pos = 0;
    let mut text_start = 0;
    while let Some(off) = memchr::memchr(b'<', &bytes[pos..]) {
        let lt = pos + off;
        let next = bytes.get(lt + 1).copied().unwrap_or(0);
        let markup = next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?';
        if !markup {
            pos = lt + 1;
            continue;
        }
        if lt > text_start {
            let mut t = String::with_capacity(lt - text_start);
            decode_entities_into(&html[text_start..lt], &mut t);
            b.text(t);
        }
        pos = match next {
            b'!' => skip_bang(bytes, lt),
            b'?' => skip_past(bytes, lt, b">"),
            b'/' => {
                let (name, end) = read_name(html, lt + 2);
                let after = skip_past(bytes, end, b">");
                if !name.is_empty() {
                    b.end_tag(&name);
                }
                after
            }
            _ => {
                let (tag, attrs, self_closing, end) = read_start_tag(html, lt + 1);
                if is_raw_text(&tag) && !self_closing {
                    let (content_end, after) = find_end_tag(bytes, end, &tag);
                    let keep = matches!(&*tag, "script" | "title")
                        && (tag.as_ref() != "script"
                            || attrs.iter().any(|(n, v)| {
                                &**n == "type" && {
                                    let v = v.to_ascii_lowercase();
                                    v.contains("json") || v == "text/template"
                                }
                            }));
                    let id = b.start_tag(tag.clone(), attrs, false);
                    if keep && content_end > end {
                        let raw = &html[end..content_end];
                        let content = if &*tag == "title" {
                            let mut t = String::new();
                            decode_entities_into(raw, &mut t);
                            t
                        } else {
                            raw.to_string()
                        };
                        b.append(id, NodeData::Text(content));
                    }
                    // The raw-text element was pushed (unless void/head): pop it.
                    if b.stack.last() == Some(&id) {
                        b.stack.pop();
                    }
                    after
                } else {
                    b.start_tag(tag, attrs, self_closing);
                    end
                }
            }
        };
        text_start = pos;
    }
    if text_start < html.len() {
        let mut t = String::new();
        decode_entities_into(&html[text_start..], &mut t);
        b.text(t);
    }
    b.ensure_head();
    b.ensure_body();
    b.dom
}

/// Skips `<!-- … -->`, `<![CDATA[ … ]]>` and `<!DOCTYPE …>`; returns the offset after.
fn skip_bang(bytes: &[u8], lt: usize) -> usize {
    if bytes[lt..].starts_with(b"<!--") {
        // "<!-->" is an (empty) comment too.
        if bytes[lt + 4..].starts_with(b">") {
            return lt + 5;
        }
        return memchr::memmem::find(&bytes[lt + 4..], b"-->").map_or(bytes.len(), |i| lt + 4 + i + 3);
    }
    if bytes[lt..].starts_with(b"<![CDATA[") {
        return memchr::memmem::find(&bytes[lt..], b"]]>").map_or(bytes.len(), |i| lt + i + 3);
    }
    skip_past(bytes, lt, b">")
}

fn skip_past(bytes: &[u8], from: usize, needle: &[u8]) -> usize {
    memchr::memmem::find(&bytes[from.min(bytes.len())..], needle).map_or(bytes.len(), |i| from + i + needle.len())
}

/// Reads a tag name at `pos` (lower-cased); returns it and the offset after it.
fn read_name(html: &str, pos: usize) -> (Box<str>, usize) {
    let bytes = html.as_bytes();
    let mut end = pos;
    while end < bytes.len() && !matches!(bytes[end], b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>') {
        end += 1;
    }
    let name = &html[pos.min(end)..end];
    let name: Box<str> =
        if name.bytes().any(|c| c.is_ascii_uppercase()) { name.to_ascii_lowercase().into() } else { name.into() };
    (name, end)
}

type Attrs = Vec<(Box<str>, String)>;

/// Reads a start tag's name and attributes from `pos` (just after `<`).
/// Returns (name, kept attributes, self-closing, offset after `>`).
fn read_start_tag(html: &str, pos: usize) -> (Box<str>, Attrs, bool, usize) {
    let bytes = html.as_bytes();
    let (name, mut i) = read_name(html, pos);
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0c) {
            i += 1;
        }
        if i >= bytes.len() {
            return (name, attrs, self_closing, i);
        }
        match bytes[i] {
            b'>' => return (name, attrs, self_closing, i + 1),
            b'/' => {
                self_closing = bytes.get(i + 1) == Some(&b'>');
                i += 1;
                continue;
            }
            _ => {}
        }
        self_closing = false;
        // Attribute name: up to whitespace, '/', '>' or '=' (a leading '=' is part of it).
        let start = i;
        i += 1;
        while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>' | b'=') {
            i += 1;
        }
        let aname = &html[start..i];
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0c) {
            i += 1;
        }
        let mut value: Option<&str> = None;
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0c) {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let q = bytes[i];
                let vstart = i + 1;
                let vend = memchr::memchr(q, &bytes[vstart..]).map_or(bytes.len(), |k| vstart + k);
                value = Some(&html[vstart..vend]);
                i = (vend + 1).min(bytes.len());
            } else {
                let vstart = i;
                while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'>') {
                    i += 1;
                }
                value = Some(&html[vstart..i]);
            }
        }
        let lname = aname.to_ascii_lowercase();
        if KEPT_ATTRS.contains(&lname.as_str()) && !attrs.iter().any(|(n, _): &(Box<str>, String)| **n == *lname) {
            let mut v = String::new();
            decode_entities_into(value.unwrap_or(""), &mut v);
            attrs.push((lname.into_boxed_str(), v));
        }
    }
}

/// Finds `</tag` (case-insensitive) from `from`; returns (content end, offset after `>`).
fn find_end_tag(bytes: &[u8], from: usize, tag: &str) -> (usize, usize) {
    let mut pos = from;
    while let Some(off) = memchr::memmem::find(&bytes[pos..], b"</") {
        let lt = pos + off;
        let name_end = lt + 2 + tag.len();
        if name_end <= bytes.len()
            && bytes[lt + 2..name_end].eq_ignore_ascii_case(tag.as_bytes())
            && bytes.get(name_end).is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>'))
        {
            return (lt, skip_past(bytes, name_end, b">"));
        }
        pos = lt + 2;
    }
    (bytes.len(), bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(dom: &Dom, id: NodeId) -> Vec<String> {
        dom.children(id).filter(|&c| dom.element(c).is_some()).map(|c| dom.tag(c).to_string()).collect()
    }

    #[test]
    fn implied_end_tags() {
        let dom = parse("<body><p>one<p>two<div>three</div><ul><li>a<li>b</ul>");
        assert_eq!(tags(&dom, dom.body), ["p", "p", "div", "ul"]);
        let ul = dom.children(dom.body).nth(3).unwrap();
        assert_eq!(tags(&dom, ul), ["li", "li"]);
        assert_eq!(dom.text(dom.body), "onetwothreeab");
    }

    #[test]
    fn head_body_and_attributes() {
        let dom = parse(
            "<!DOCTYPE html><HTML LANG='de'><head><title>A &amp; B</title><meta property=og:title \
             content=\"X&quot;Y\"></head><body class=x><!-- c <p> --><p>hi</p></body></html>tail",
        );
        assert_eq!(dom.attr(dom.html, "lang"), Some("de"));
        let title = dom.elements_by_tag("title").next().unwrap();
        assert_eq!(dom.text(title), "A & B");
        let meta = dom.elements_by_tag("meta").next().unwrap();
        assert_eq!(dom.attr(meta, "content"), Some("X\"Y"));
        assert_eq!(dom.text(dom.body), "hitail");
        assert_eq!(dom.attr(dom.body, "class"), Some("x"));
    }

    #[test]
    fn raw_text_and_scripts() {
        let dom = parse(
            "<p>a<script>if (a<b) { x = '</p>' }</script>b<script type=\"application/ld+json\">{\"k\":1}</script>\
             <style>p{}</style></p>",
        );
        assert_eq!(dom.text(dom.body), "ab{\"k\":1}");
    }

    #[test]
    fn unmatched_end_tags_and_depth() {
        let dom = parse("<div><span>a</div>b</span></em><p>c");
        assert_eq!(tags(&dom, dom.body), ["div", "p"]);
        let deep = "<div>".repeat(10_000) + "x";
        let dom = parse(&deep);
        assert_eq!(dom.text(dom.body), "x");
    }

    #[test]
    fn never_panics_on_garbage() {
        for s in [
            "<",
            "</",
            "<!",
            "<!--",
            "<a b='",
            "<a b=c",
            "</a",
            "<script>",
            "<p x",
            "&",
            "&#",
            "&#x110000;",
            "<\u{e9}>",
        ] {
            let _ = parse(s);
        }
    }
}
