//! `sitrep once` over fixtures: formats, cleaning, dating, exact dedupe,
//! rejects, reprocessing of changed files.

use std::io::Write;

use crate::util::{counts_by_text, text_bundle, Env};

fn by_path<'a>(a: &'a [serde_json::Value], path: &str) -> Vec<&'a serde_json::Value> {
    a.iter().filter(|r| r["bundle"]["path"] == path).collect()
}

#[test]
fn shipped_sample_folder_end_to_end() {
    let env = Env::new();
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for e in std::fs::read_dir(&seeds).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), env.inbox.join(e.file_name())).unwrap();
    }
    env.once();
    let a = env.articles();
    let r = env.rejects();

    // Dates and their basis.
    let wire = &by_path(&a, "wire-drone-base.txt")[0];
    assert_eq!(wire["published"]["date"], "2024-03-08");
    assert_eq!(wire["published"]["basis"], "header");
    assert!(wire["text"].as_str().unwrap().starts_with("A drone struck"), "date prefix removed");
    let agency = &by_path(&a, "outlet-agency.txt")[0];
    assert_eq!(agency["published"]["date"], "2024-03-08");
    assert_eq!(agency["published"]["basis"], "dateline");
    assert_eq!(agency["title"], "Iraq says air defences downed drone near Qayyarah base");
    let review = &by_path(&a, "outlet-review.txt")[0];
    assert_eq!(review["published"]["date"], "2024-03-09");
    assert_eq!(review["published"]["basis"], "updated");
    let archive = &by_path(&a, "archive-2021.txt")[0];
    assert_eq!(archive["published"]["date"], serde_json::Value::Null, "no date, and it must say so");
    assert_eq!(archive["published"]["basis"], "unknown");
    // The undated translation inherits its story's date; the 2021 article does not.
    let translated = &by_path(&a, "translated-brief.txt")[0];
    assert_eq!(translated["published"]["date"], "2024-03-08");
    assert_eq!(translated["published"]["basis"], "story");
    let feed = by_path(&a, "feed-2024-03-09.jsonl");
    assert_eq!(feed.len(), 3);
    assert_eq!(feed[0]["published"]["basis"], "json");
    assert_eq!(feed[0]["outlet"], "example-news.org");
    assert_eq!(feed[1]["title"], "Market fire in Basra contained");
    let bulletin = by_path(&a, "bulletin.txt");
    assert_eq!(bulletin.len(), 2);
    assert_eq!(bulletin[1]["published"]["date"], "2024-03-07");
    assert_eq!(bulletin[1]["outlet"], "Northern Desk");

    // Boilerplate gone from every text.
    for x in &a {
        let t = x["text"].as_str().unwrap();
        for bad in [
            "Also read",
            "Powered by automated translation",
            "Short link",
            "Leave a Reply",
            "Required fields",
            "Getty Images",
            "Updated:",
            ". AP",
        ] {
            assert!(!t.contains(bad), "{bad:?} left in {}: {t}", x["bundle"]["path"]);
        }
    }

    // Exact duplicates: the gzip republication and the mirrored JSONL record.
    let rep = &by_path(&a, "wire-republished.txt.gz")[0];
    assert_eq!(rep["duplicate"]["kind"], "exact");
    assert_eq!(rep["duplicate"]["of"], wire["id"]);
    assert_eq!(rep["bundle"]["compressed"], true);
    assert_eq!(feed[2]["duplicate"]["of"], feed[0]["id"]);
    // Near duplicate: the wire text is an edited, longer copy of the agency story.
    assert_eq!(wire["duplicate"]["kind"], "near");
    assert_eq!(wire["duplicate"]["of"], agency["id"]);
    assert!(agency["duplicate"].is_null());
    // One source: agency, wire and republication share a source group; one story for the event.
    assert_eq!(rep["source_group"], agency["id"]);
    assert_eq!(wire["source_group"], agency["id"]);
    for p in ["outlet-review.txt", "translated-brief.txt", "wire-drone-base.txt"] {
        assert_eq!(by_path(&a, p)[0]["story"], agency["story"], "{p} is the same story");
    }
    assert_ne!(archive["story"], agency["story"], "same base, different attack years apart");
    // Events: only from non-duplicate articles, and the drone attack is located.
    let ev = crate::util::read_ndjson(&env.out.join("events.ndjson"));
    let dup_ids: Vec<_> = a.iter().filter(|x| !x["duplicate"].is_null()).map(|x| x["id"].clone()).collect();
    assert!(ev.iter().all(|e| !dup_ids.contains(&e["article"])), "duplicates produce no events");
    assert!(ev.iter().any(|e| e["article"] == agency["id"]
        && e["sub_event_type"] == "Air/drone strike"
        && e["location"]["country"] == "IQ"
        && e["date"]["value"] == "2024-03-08"));

    // Rejects: the binary file and two bad JSONL lines; the rest of the file was used.
    let codes: Vec<_> = r.iter().map(|x| (x["path"].as_str().unwrap(), x["code"].as_str().unwrap())).collect();
    assert!(codes.contains(&("not-a-bundle.bin", "binary")), "{codes:?}");
    assert!(codes.contains(&("feed-2024-03-09.jsonl", "malformed_json")), "{codes:?}");
    assert!(codes.contains(&("feed-2024-03-09.jsonl", "no_text")), "{codes:?}");
    let bin = r.iter().find(|x| x["path"] == "not-a-bundle.bin").unwrap();
    let q = bin["quarantined"].as_str().expect("binary file quarantined");
    assert!(env.out.join("state").join(q).is_file());
    let bad_line = r.iter().find(|x| x["code"] == "malformed_json").unwrap();
    assert_eq!(bad_line["line"], 4);
}

#[test]
fn once_twice_emits_nothing_new() {
    let env = Env::new();
    env.write("a.txt", text_bundle("a", 3));
    env.write("b.jsonl", "{\"text\":\"One thing happened in the city.\"}\n");
    env.once();
    let first = env.articles().len();
    assert_eq!(first, 4);
    env.once();
    assert_eq!(env.articles().len(), first);
    // touch: same bytes, new mtime — still nothing new
    let f = std::fs::OpenOptions::new().append(true).open(env.inbox.join("a.txt")).unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5)).unwrap();
    env.once();
    assert_eq!(env.articles().len(), first);
}

#[test]
fn changed_file_emits_only_new_articles() {
    let env = Env::new();
    env.write(
        "feed.jsonl",
        "{\"text\":\"First report about the bridge.\"}\n{\"text\":\"Second report about the market.\"}\n",
    );
    env.once();
    assert_eq!(env.articles().len(), 2);
    // Append one article.
    let mut f = std::fs::OpenOptions::new().append(true).open(env.inbox.join("feed.jsonl")).unwrap();
    f.write_all(b"{\"text\":\"Third report about the airport.\"}\n").unwrap();
    drop(f);
    env.once();
    let a = env.articles();
    assert_eq!(a.len(), 3, "only the appended article is new");
    assert_eq!(a[2]["text"], "Third report about the airport.");
    assert_eq!(a[2]["bundle"]["index"], 2);
    // Edit one article's text: the edited version is new, nothing is retracted.
    env.write(
        "feed.jsonl",
        "{\"text\":\"First report about the bridge, updated.\"}\n{\"text\":\"Second report about the market.\"}\n{\"text\":\"Third report about the airport.\"}\n",
    );
    env.once();
    let a = env.articles();
    assert_eq!(a.len(), 4);
    assert_eq!(a[3]["text"], "First report about the bridge, updated.");
    let c = counts_by_text(&a);
    assert!(c.values().all(|&n| n == 1));
}

#[test]
fn same_text_twice_in_one_bundle_is_a_duplicate_not_lost() {
    let env = Env::new();
    env.write("d.txt", "Rain fell on the capital on Sunday.\n=====\nRain fell on the capital on Sunday.\n");
    env.once();
    let a = env.articles();
    assert_eq!(a.len(), 2);
    assert!(a[0]["duplicate"].is_null());
    assert_eq!(a[1]["duplicate"]["of"], a[0]["id"]);
    assert_eq!(a[1]["bundle"]["index"], 1);
}

#[test]
fn bad_files_become_reject_records_and_the_run_goes_on() {
    let env = Env::new();
    let cfg = env.dir.path().join("small.toml");
    std::fs::write(&cfg, "[split]\nmax_decompressed_bytes = 1048576\n[inbox]\nmax_bundle_bytes = 2000000\n").unwrap();
    // gzip bomb: 8 MiB of zeros, tiny when compressed
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![b' '; 8 << 20]).unwrap();
    env.write("bomb.txt.gz", gz.finish().unwrap());
    env.write("corrupt.jsonl.gz", b"\x1f\x8b\x08\x00garbage-garbage-garbage");
    env.write("empty.txt", "");
    env.write("huge.txt", vec![b'a'; 2_100_000]);
    env.write("broken.json", "{\"text\": \"unterminated");
    env.write("latin1.txt", b"Caf\xe9 owners in the old town protested on Monday, police said.\n".as_slice());
    env.write("good.txt", "A good article about a meeting in the town hall on Monday.\n");
    let out = env.cmd("once").arg("--no-progress").arg("--config").arg(&cfg).output().unwrap();
    assert!(out.status.success(), "a bad bundle is not fatal: {}", String::from_utf8_lossy(&out.stderr));
    let r = env.rejects();
    let code = |p: &str| r.iter().find(|x| x["path"] == p).map(|x| x["code"].as_str().unwrap().to_string());
    assert_eq!(code("bomb.txt.gz").as_deref(), Some("decompression_limit"));
    assert_eq!(code("corrupt.jsonl.gz").as_deref(), Some("corrupt_gzip"));
    assert_eq!(code("empty.txt").as_deref(), Some("empty"));
    assert_eq!(code("huge.txt").as_deref(), Some("too_large"));
    assert_eq!(code("broken.json").as_deref(), Some("malformed_json"));
    for x in &r {
        assert!(!x["error"].as_str().unwrap().is_empty());
    }
    let a = env.articles();
    assert_eq!(a.len(), 2, "good.txt and the windows-1252 file");
    let latin = a.iter().find(|x| x["bundle"]["path"] == "latin1.txt").unwrap();
    assert!(latin["text"].as_str().unwrap().starts_with("Café"));
    assert_eq!(latin["bundle"]["encoding"], "windows-1252");
    // Rejected files are not rejected again on the next run.
    env.cmd("once").arg("--no-progress").arg("--config").arg(&cfg).output().unwrap();
    assert_eq!(env.rejects().len(), r.len());
}

#[test]
fn filename_date_is_used_when_nothing_else_dates_the_article() {
    let env = Env::new();
    env.write("2024/desk_2024-02-11.txt", "Protesters gathered outside the ministry on Sunday, witnesses said.\n");
    env.once();
    let a = env.articles();
    assert_eq!(a[0]["bundle"]["path"], "2024/desk_2024-02-11.txt");
    assert_eq!(a[0]["published"]["date"], "2024-02-11");
    assert_eq!(a[0]["published"]["basis"], "filename");
}

#[test]
fn utf16_and_multi_member_gzip_fixtures() {
    let env = Env::new();
    env.fixture("utf16-bulletin.txt");
    env.fixture("two-members.jsonl.gz");
    env.once();
    let a = env.articles();
    assert_eq!(a.len(), 3, "{a:#?}");
    let u = by_path(&a, "utf16-bulletin.txt");
    assert_eq!(u[0]["bundle"]["encoding"], "utf-16le");
    assert_eq!(u[0]["published"]["date"], "2024-02-12");
    assert_eq!(u[0]["title"], "Flooding closes road to the crossing");
    let g = by_path(&a, "two-members.jsonl.gz");
    assert_eq!(g.len(), 2, "both gzip members are read");
    assert_eq!(g[1]["title"], "Part two");
    assert_eq!(g[1]["bundle"]["line"], 2);
}

#[test]
fn near_duplicate_index_survives_a_restart() {
    let env = Env::new();
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    std::fs::copy(seeds.join("outlet-agency.txt"), env.inbox.join("a.txt")).unwrap();
    env.once();
    // A new process: the index is rebuilt from the ledger, not from memory.
    std::fs::copy(seeds.join("wire-drone-base.txt"), env.inbox.join("b.txt")).unwrap();
    env.once();
    let a = env.articles();
    assert_eq!(a.len(), 2);
    assert_eq!(a[1]["duplicate"]["kind"], "near", "{:#}", a[1]);
    assert_eq!(a[1]["duplicate"]["of"], a[0]["id"]);
    assert_eq!(a[1]["story"], a[0]["story"]);
}
