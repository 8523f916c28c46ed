//! `sitrep run`: the watcher and the service lifecycle.

use std::time::Duration;

use nix::sys::signal::Signal;

use crate::util::{counts_by_text, slow_write, text_bundle, Env};

#[test]
fn dropped_files_are_processed_and_ignored_ones_are_not() {
    let env = Env::new();
    let mut d = env.spawn_run("run.log", &[]);
    d.wait_ready();
    env.drop_file("one.txt", text_bundle("one", 2));
    env.wait_articles(30, "2 articles from one.txt", |a| a.len() == 2);
    env.write("skip.part", text_bundle("part", 1));
    env.write("skip.tmp", text_bundle("tmp", 1));
    env.write(".hidden.txt", text_bundle("hidden", 1));
    env.write("sub/two.jsonl", "{\"text\":\"A convoy was stopped at the crossing on Monday.\"}\n");
    env.wait_articles(30, "the jsonl article in a subfolder", |a| a.len() == 3);
    std::thread::sleep(Duration::from_millis(1500)); // a scan interval: ignored files must stay ignored
    d.stop();
    let a = env.articles();
    assert_eq!(a.len(), 3, "ignored files were processed: {a:?}");
    assert!(a.iter().any(|x| x["bundle"]["path"] == "sub/two.jsonl"));
}

#[test]
fn slow_chunked_writer_never_yields_half_a_bundle() {
    let env = Env::new();
    let mut d = env.spawn_run("run.log", &["--settle-ms", "1500"]);
    d.wait_ready();
    let body = text_bundle("slow", 4);
    let bytes = body.as_bytes();
    // 12 chunks, 250 ms apart: the file is incomplete for ~3 s, longer than settle_ms
    // in total but never idle for settle_ms.
    let chunks: Vec<&[u8]> = bytes.chunks(bytes.len().div_ceil(12)).collect();
    slow_write(&env.inbox.join("slow.txt"), &chunks, Duration::from_millis(250));
    env.wait_articles(30, "4 whole articles", |a| a.len() >= 4);
    std::thread::sleep(Duration::from_millis(1500));
    d.stop();
    let a = env.articles();
    assert_eq!(a.len(), 4, "partial articles were emitted: {:#?}", a.iter().map(|x| &x["text"]).collect::<Vec<_>>());
    for x in &a {
        assert!(x["text"].as_str().unwrap().ends_with("calm by evening."), "{}", x["text"]);
    }
}

#[test]
fn modify_delete_restart_and_offline_arrivals() {
    let env = Env::new();
    let mut d = env.spawn_run("run1.log", &[]);
    d.wait_ready();
    env.drop_file("feed.jsonl", "{\"text\":\"Shelling was reported near the border on Monday.\"}\n");
    env.wait_articles(30, "first article", |a| a.len() == 1);
    // Modify: append an article in place.
    let mut body = std::fs::read_to_string(env.inbox.join("feed.jsonl")).unwrap();
    body.push_str("{\"text\":\"A second incident was reported on Tuesday.\"}\n");
    env.write("feed.jsonl", &body);
    env.wait_articles(30, "appended article", |a| a.len() == 2);
    // Delete: noted in the log, nothing retracted.
    std::fs::remove_file(env.inbox.join("feed.jsonl")).unwrap();
    d.wait_log("bundle deleted", 30);
    d.stop();
    assert_eq!(env.articles().len(), 2);

    // Files that arrive while sitrep is down are picked up at start-up.
    env.write("offline.txt", text_bundle("offline", 2));
    let mut d = env.spawn_run("run2.log", &[]);
    d.wait_ready();
    env.wait_articles(30, "offline arrivals", |a| a.len() == 4);
    // Re-adding the deleted file emits nothing new.
    env.drop_file("feed.jsonl", &body);
    std::thread::sleep(Duration::from_millis(2500));
    d.stop();
    let a = env.articles();
    assert_eq!(a.len(), 4, "restart re-emitted articles");
    assert!(counts_by_text(&a).values().all(|&n| n == 1));
}

#[test]
fn sigterm_drains_in_flight_work_and_exits_zero() {
    let env = Env::new();
    for i in 0..150 {
        env.write(&format!("b{i:03}.txt"), text_bundle(&format!("b{i}"), 2));
    }
    let mut d = env.spawn_run("run.log", &[]);
    // Stop as soon as the first records appear: work is certainly in flight.
    env.wait_articles(60, "some output", |a| !a.is_empty());
    d.stop();
    assert!(d.log_text().contains("stopped cleanly"));
    // Whatever was done is whole; a backfill completes the rest exactly once.
    env.once();
    let a = env.articles();
    assert_eq!(a.len(), 300);
    assert!(counts_by_text(&a).values().all(|&n| n == 1));
}

#[test]
fn sighup_rescans_and_sigint_stops() {
    let env = Env::new();
    let mut d = env.spawn_run("run.log", &["--scan-interval-ms", "600000"]);
    d.wait_ready();
    d.signal(Signal::SIGHUP);
    d.wait_log("SIGHUP: rescanning", 30);
    d.wait_log("reason=\"signal\"", 30);
    d.signal(Signal::SIGINT);
    assert!(d.wait(60).success());
}

#[test]
fn systemd_notify_protocol_ready_watchdog_stopping() {
    use std::os::unix::net::UnixDatagram;
    let env = Env::new();
    let sock_path = env.dir.path().join("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let log = std::fs::File::create(env.dir.path().join("run.log")).unwrap();
    let child = env
        .cmd("run")
        .args(["--settle-ms", "400", "--scan-interval-ms", "1000"])
        .env("NOTIFY_SOCKET", &sock_path)
        .env("WATCHDOG_USEC", "2000000")
        .stderr(log)
        .spawn()
        .unwrap();
    let mut d = crate::util::Daemon { child: Some(child), log: env.dir.path().join("run.log") };
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    let start = std::time::Instant::now();
    while !(seen.contains("READY=1") && seen.contains("WATCHDOG=1")) {
        assert!(start.elapsed() < Duration::from_secs(30), "got only: {seen}");
        let n = sock.recv(&mut buf).unwrap();
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        seen.push('\n');
    }
    assert!(seen.contains("STATUS="), "{seen}");
    d.stop();
    let mut tail = String::new();
    sock.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    while let Ok(n) = sock.recv(&mut buf) {
        tail.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(tail.contains("STOPPING=1"), "{tail}");
}
