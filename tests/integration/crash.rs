//! Crash safety: kill -9 at arbitrary moments, crashes between output and
//! ledger commit, torn lines, and a burst of 10,000 files in bounded memory.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::util::{counts_by_text, read_ndjson, text_bundle, Env};

fn assert_exactly_once(env: &Env, expected: usize) {
    let a = env.articles();
    let ids: HashSet<_> = a.iter().map(|x| x["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids.len(), a.len(), "an id was emitted twice");
    let c = counts_by_text(&a);
    let dupes: Vec<_> = c.iter().filter(|(_, &n)| n > 1).collect();
    assert!(dupes.is_empty(), "emitted twice: {dupes:?}");
    assert_eq!(a.len(), expected, "articles lost or extra");
    // Events: each exactly once, each belonging to an emitted article, one per generated article.
    let ev = read_ndjson(&env.out.join("events.ndjson"));
    let eids: HashSet<_> = ev.iter().map(|x| x["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(eids.len(), ev.len(), "an event was emitted twice");
    assert!(ev.iter().all(|x| ids.contains(x["article"].as_str().unwrap())), "orphan event");
    assert_eq!(ev.len(), expected, "one event per generated article");
    assert_incidents_consistent(env, &ev);
}

/// Incident revisions after crashes: each incident's revisions are numbered
/// 1, 2, 3 … with no repeat or gap, and every event sits in exactly one
/// incident (none lost, none counted twice).
fn assert_incidents_consistent(env: &Env, events: &[serde_json::Value]) {
    let inc = read_ndjson(&env.out.join("incidents.ndjson"));
    assert!(!inc.is_empty(), "no incidents written");
    let mut last: std::collections::HashMap<String, serde_json::Value> = Default::default();
    for r in &inc {
        let id = r["id"].as_str().unwrap().to_string();
        let rev = r["rev"].as_u64().unwrap();
        let prev = last.get(&id).map(|p| p["rev"].as_u64().unwrap()).unwrap_or(0);
        assert_eq!(rev, prev + 1, "incident {id}: revision {rev} after {prev}");
        last.insert(id, r.clone());
    }
    let mut seen = HashSet::new();
    for r in last.values() {
        for e in r["events"].as_array().unwrap() {
            assert!(seen.insert(e.as_str().unwrap().to_string()), "event {e} in two incidents");
        }
    }
    let total: u64 = last.values().map(|r| r["events_total"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, events.len(), "every event in exactly one incident");
    // Followed revision by revision, `events_new` lists each event once, in one incident.
    let mut listed = HashSet::new();
    for r in &inc {
        for e in r["events_new"].as_array().unwrap() {
            assert!(listed.insert(e.as_str().unwrap().to_string()), "event {e} listed as new twice");
        }
    }
    let all: HashSet<String> = events.iter().map(|e| e["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(listed, all, "events_new over the revisions = every event");
    let view: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.out.join("timeline.json")).unwrap()).unwrap();
    let open = last.values().filter(|r| r["status"] == "open").count();
    assert_eq!(view["open"].as_u64().unwrap() as usize, open, "timeline.json matches the last revisions");
}

#[test]
fn kill_9_mid_burst_then_restart_is_exactly_once() {
    let env = Env::new();
    let files = 240;
    for i in 0..files {
        env.write(&format!("k{i:03}.txt"), text_bundle(&format!("k{i}"), 3));
    }
    // Three rounds of: start, wait for progress, kill -9 at a different point.
    for (round, min_lines) in [(0, 1usize), (1, 150), (2, 400)] {
        let mut d = env.spawn_run(&format!("run{round}.log"), &[]);
        let start = Instant::now();
        while env.articles().len() < min_lines && start.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(5));
        }
        d.kill9();
    }
    // Recovery: a torn tail (if any) is repaired and everything is there once.
    let mut d = env.spawn_run("final.log", &[]);
    env.wait_articles(120, "all articles after restarts", |a| a.len() >= files * 3);
    std::thread::sleep(Duration::from_millis(1500));
    d.stop();
    assert_exactly_once(&env, files * 3);
}

/// 40 two-article bundles processed by a `once` that aborts at `failpoint`
/// with `config`; then a clean `once` recovers what was written but not
/// committed, and every record is there exactly once.
fn crash_then_recover(prefix: &str, config: &str, failpoint: &str) {
    let env = Env::new();
    for i in 0..40 {
        env.write(&format!("{prefix}{i:02}.txt"), text_bundle(&format!("{prefix}{i}"), 2));
    }
    let cfg = env.dir.path().join("crash.toml");
    std::fs::write(&cfg, config).unwrap();
    env.once_crashing_at(failpoint, Some(&cfg));
    assert!(!env.articles().is_empty(), "lines reached the file before the crash");
    let out = env.once();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("recovered records written before a crash"), "{log}");
    assert_exactly_once(&env, 80);
}

#[test]
fn crash_between_output_and_ledger_commit_neither_duplicates_nor_loses() {
    // Abort right after the 2nd append+fsync, before the ledger records it.
    // Group commits follow the input's timing (a slow commit thread can take
    // all 40 bundles in one append), so a commit every 4 articles guarantees
    // that a 2nd append happens.
    crash_then_recover("c", "[pipeline]\ncommit_max_articles = 4\n", "after-append:2");
}

/// Lines are written in chunks as they are produced, long before the group
/// commit that records them: a crash after such a write, in the middle of a
/// commit, leaves written but uncommitted lines that recovery takes in once.
#[test]
fn crash_after_an_early_write_inside_a_commit_is_exactly_once() {
    // 1 KiB chunks: nearly every article is written on its own; one commit
    // would hold all 80 articles. The failpoint fires right after a write,
    // before any commit can record it.
    crash_then_recover(
        "w",
        "[output]\nwrite_buffer_kib = 1\n[pipeline]\ncommit_max_articles = 1000\n",
        "after-write:7",
    );
}

#[test]
fn torn_final_line_is_repaired_on_start() {
    let env = Env::new();
    env.write("a.txt", text_bundle("a", 2));
    env.once();
    // Simulate a crash mid-write: half a record at the end.
    let p = env.out.join("articles.ndjson");
    let mut bytes = std::fs::read(&p).unwrap();
    bytes.extend_from_slice(b"{\"kind\":\"article\",\"v\":1,\"id\":\"00");
    std::fs::write(&p, bytes).unwrap();
    env.write("b.txt", text_bundle("b", 1));
    let out = env.once();
    assert!(String::from_utf8_lossy(&out.stderr).contains("torn final line"));
    let a = read_ndjson(&p); // panics on any torn/invalid line
    assert_eq!(a.len(), 3);
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn burst_of_10000_files_is_processed_in_bounded_memory() {
    let env = Env::new();
    for i in 0..10_000 {
        let dir = format!("d{}", i % 20);
        env.write(
            &format!("{dir}/n{i:05}.jsonl"),
            format!(
                "{{\"title\":\"Item {i}\",\"text\":\"Gunmen attacked a patrol near village {i} on Monday, killing 2 soldiers.\"}}\n"
            ),
        );
    }
    let mut child = env.cmd("once").arg("--no-progress").env("RUST_LOG", "info").spawn().unwrap();
    let mut peak = 0;
    let status = loop {
        if let Some(hwm) = vm_hwm_kib(child.id()) {
            peak = peak.max(hwm);
        }
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
    assert_exactly_once(&env, 10_000);
    // Bounded queues: peak RSS stays far below "all files in memory" territory.
    assert!(peak < 256 * 1024, "peak RSS {peak} KiB");
    eprintln!("burst: peak RSS {peak} KiB");
}

// A wire story (fictional), an edited copy, and another outlet's undated
// account of the same attack.
const WIRE: &str = include_str!("../data/dedupe/wire-tal-afar.txt");

const OTHER_OUTLET: &str = include_str!("../data/dedupe/other-outlet-tal-afar.txt");

/// Articles whose records reached `articles.ndjson` but whose ledger commit
/// was lost are re-entered in the near-duplicate and story index: a later
/// copy is still a near duplicate, with the verdicts of a run without crash.
#[test]
fn articles_recovered_after_a_crash_stay_in_the_near_duplicate_index() {
    let run = |crash: bool| {
        let env = Env::new();
        env.write("a.txt", format!("Title: Drone hits Tal Afar airfield\nDate: 2025-03-13\n\n{WIRE}"));
        if crash {
            // Abort after the records of a.txt are written, before the ledger
            // commit that carries their near-duplicate rows.
            env.once_crashing_at("after-append:1", None);
            assert_eq!(env.articles().len(), 1);
        } else {
            env.once();
        }
        let copy = WIRE.replace("defence", "defense").replace("told reporters", "said");
        env.write(
            "b.txt",
            format!(
                "Title: Drone wounds three at Tal Afar\nDate: 2025-03-13\n\n{copy}\n=====\n\
                 Title: Soldiers hurt in drone attack\n\n{OTHER_OUTLET}"
            ),
        );
        let out = env.once();
        if crash {
            let log = String::from_utf8_lossy(&out.stderr);
            assert!(log.contains("near-duplicate rows recovered"), "{log}");
        }
        // A third run starts from the ledger alone: the recovered rows persist.
        env.write("c.txt", format!("Title: Drone hits Tal Afar airfield\nDate: 2025-03-14\n\n{WIRE} More follows."));
        env.once();
        env.articles()
    };
    let (crashed, clean) = (run(true), run(false));
    let verdicts = |a: &[serde_json::Value]| -> Vec<String> {
        a.iter()
            .map(|x| {
                format!(
                    "{} {} {} {} {} {}",
                    x["bundle"]["path"], x["id"], x["duplicate"], x["story"], x["source_group"], x["published"]
                )
            })
            .collect()
    };
    assert_eq!(verdicts(&crashed), verdicts(&clean));
    assert_eq!(crashed.len(), 4);
    let (a, copy, other, later) = (&crashed[0], &crashed[1], &crashed[2], &crashed[3]);
    assert_eq!(copy["duplicate"]["kind"], "near", "{copy}");
    assert_eq!(copy["duplicate"]["of"], a["id"]);
    assert_eq!(later["duplicate"]["of"], a["id"], "{later}");
    assert_eq!(other["story"], a["story"], "{other}");
    assert_eq!(other["published"]["basis"], "story", "{other}");
}
