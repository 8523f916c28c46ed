//! Web bundles end to end: a `.warc.gz` (one gzip member per record, as
//! crawlers write them) and a saved `.html` page dropped into the inbox.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::util::Env;

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn record(warc_type: &str, uri: &str, id: u32, block: &[u8]) -> Vec<u8> {
    let content_type = match warc_type {
        "warcinfo" => "application/warc-fields",
        "request" => "application/http; msgtype=request",
        _ => "application/http; msgtype=response",
    };
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{id:012}>\r\n\
         WARC-Date: 2024-03-09T08:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn response(content_type: &str, body: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}", body.len())
        .into_bytes()
}

fn page(title: &str, date: Option<&str>, paragraphs: &[&str]) -> String {
    let meta = date.map(|d| format!("<meta property=\"article:published_time\" content=\"{d}\">")).unwrap_or_default();
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>{title} | Frontline Wire</title>{meta}</head><body>\
         <div class=\"cookie-banner\"><p>We use cookies. Accept all cookies to continue reading this site.</p></div>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article><h1>{title}</h1>\
         <div class=\"article-body\">{body}</div><div class=\"share-bar\"><a href=\"#\">Share on X</a></div></article>\
         <aside class=\"most-read\"><a href=\"/x\">Most read: celebrity news of the day</a></aside>\
         <footer>All rights reserved</footer></body></html>"
    )
}

#[test]
fn warc_gz_in_the_inbox() {
    let env = Env::new();
    let first = page(
        "Shelling hits market in eastern town",
        Some("2024-03-08T18:00:00+02:00"),
        &[
            "Shelling hit the central market of the eastern town on Friday afternoon, local officials said, \
             killing two people and wounding eleven.",
            "The regional governor said the strike came from artillery positions across the river.",
        ],
    );
    let second = page(
        "Aid convoy reaches besieged district",
        None,
        &["A convoy of twelve trucks carrying food and medicine reached the besieged district on Saturday, \
           the first delivery in three weeks, according to the relief agency."],
    );
    let mut truncated = record("response", "https://wire.test/cut", 9, &response("text/html", &first));
    truncated.truncate(truncated.len() / 2);
    let members = [
        gz(&record("warcinfo", "", 1, b"software: sitrep-test\r\n")),
        gz(&record("request", "https://wire.test/a", 2, b"GET /a HTTP/1.1\r\nHost: wire.test\r\n\r\n")),
        gz(&record(
            "response",
            "https://wire.test/2024/03/08/shelling",
            3,
            &response("text/html; charset=utf-8", &first),
        )),
        gz(&record("response", "https://wire.test/report.pdf", 4, &response("application/pdf", "%PDF-1.7"))),
        gz(&record("response", "https://wire.test/aid", 5, &response("text/html", &second))),
        gz(&truncated),
    ];
    let offsets: Vec<usize> = members
        .iter()
        .scan(0, |at, m| {
            let here = *at;
            *at += m.len();
            Some(here)
        })
        .collect();
    env.write("crawl/CC-NEWS-test.warc.gz", members.concat());
    env.write(
        "saved/page.html",
        page(
            "Ceasefire talks resume",
            None,
            &["Negotiators met again in the capital on Monday, \
        the first round of talks since the ceasefire collapsed in February."],
        ),
    );
    env.once();

    let articles = env.articles();
    let from_warc: Vec<_> =
        articles.iter().filter(|a| a["bundle"]["path"].as_str().unwrap().ends_with(".warc.gz")).collect();
    assert_eq!(from_warc.len(), 2, "{articles:#?}");
    let a = from_warc.iter().find(|a| a["title"] == "Shelling hits market in eastern town").expect("first page");
    assert_eq!(a["bundle"]["format"], "warc");
    assert_eq!(a["bundle"]["compressed"], true);
    assert_eq!(a["url"], "https://wire.test/2024/03/08/shelling");
    assert_eq!(a["outlet"], "wire.test");
    assert_eq!(a["published"]["date"], "2024-03-08");
    let text = a["text"].as_str().unwrap();
    assert!(text.starts_with("Shelling hit the central market"), "{text}");
    for junk in ["cookies", "Home", "Share on X", "Most read", "All rights reserved"] {
        assert!(!text.contains(junk), "{junk} in {text}");
    }
    // The WARC date is used only when the page has none, with its own basis.
    let b = from_warc.iter().find(|a| a["title"] == "Aid convoy reaches besieged district").expect("second page");
    assert_eq!(b["published"]["date"], "2024-03-09");
    assert_eq!(b["published"]["basis"], "warc");
    // Record offsets (the gzip member, as in CDX indexes) when the sink writes them.
    if let Some(off) = a.get("record_offset").or_else(|| a["bundle"].get("record_offset")) {
        assert_eq!(off.as_u64(), Some(offsets[2] as u64));
    }

    let html: Vec<_> = articles.iter().filter(|a| a["bundle"]["path"] == "saved/page.html").collect();
    assert_eq!(html.len(), 1);
    assert_eq!(html[0]["bundle"]["format"], "html");
    assert_eq!(html[0]["title"], "Ceasefire talks resume");

    // The truncated record is an item reject; the rest of the file was used.
    let rejects = env.rejects();
    let r: Vec<_> = rejects.iter().filter(|r| r["path"].as_str().unwrap().ends_with(".warc.gz")).collect();
    assert_eq!(r.len(), 1, "{rejects:#?}");
    assert_eq!(r[0]["scope"], "item");
    assert!(r[0]["error"].as_str().unwrap().contains("truncated WARC record"), "{:?}", r[0]);
    assert!(r[0]["error"].as_str().unwrap().contains(&format!("gzip member at byte {}", offsets[5])), "{:?}", r[0]);
}
