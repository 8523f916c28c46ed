//! The incident timeline end to end: incidents.ndjson revisions, timeline.json,
//! `sitrep timeline`, state across restarts and the rolling window.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::util::{read_ndjson, Env, BIN};

/// Latest revision of every incident.
fn latest(env: &Env) -> Vec<serde_json::Value> {
    let mut by_id: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for r in read_ndjson(&env.out.join("incidents.ndjson")) {
        by_id.insert(r["id"].as_str().unwrap().to_string(), r);
    }
    by_id.into_values().collect()
}

fn timeline_cmd(env: &Env, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .current_dir(env.dir.path())
        .env_remove("SITREP_CONFIG")
        .arg("timeline")
        .arg("--out")
        .arg(&env.out)
        .args(args)
        .output()
        .unwrap()
}

fn copy_seeds(env: &Env) {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for e in std::fs::read_dir(&seeds).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), env.inbox.join(e.file_name())).unwrap();
    }
}

#[test]
fn shipped_seeds_make_incidents_that_count_wire_copies_once() {
    let env = Env::new();
    copy_seeds(&env);
    env.once();
    let inc = latest(&env);
    // The Qayyarah drone downing: the agency story, its edited wire copy and
    // exact republication, a translated brief and a review piece.
    let downed = inc
        .iter()
        .find(|r| r["sub_event_type"] == "Disrupted weapons use" && r["date"]["value"] == "2024-03-08")
        .unwrap_or_else(|| panic!("{inc:#?}"));
    assert_eq!(downed["location"]["name"], "Qayyarah Airfield West");
    assert_eq!((downed["articles"].as_u64(), downed["sources"].as_u64()), (Some(5), Some(3)), "{downed:#}");
    let struck = inc.iter().find(|r| r["sub_event_type"] == "Air/drone strike").unwrap();
    assert_eq!((struck["articles"].as_u64(), struck["sources"].as_u64()), (Some(3), Some(1)), "copies are one source");
    assert_eq!(struck["fatalities"]["best"], 0, "'nobody was hurt' is a reported zero");
    let rule_names: Vec<&str> =
        downed["merge"].as_array().unwrap().iter().map(|m| m["rule"].as_str().unwrap()).collect();
    assert_eq!(rule_names[0], "opened");
    assert!(rule_names.contains(&"merged") && rule_names.contains(&"duplicate"), "{rule_names:?}");
    let merged = downed["merge"].as_array().unwrap().iter().find(|m| m["rule"] == "merged").unwrap();
    assert!(merged["why"]["place"].is_string() && merged["why"]["date"].is_string(), "merges are explained");

    // timeline.json: the same open incidents, dated ones by date, then undated.
    let view: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.out.join("timeline.json")).unwrap()).unwrap();
    let rows = view["incidents"].as_array().unwrap();
    assert_eq!(rows.len(), inc.len());
    let dates: Vec<Option<&str>> = rows.iter().map(|r| r["date"]["value"].as_str()).collect();
    let first_undated = dates.iter().position(Option::is_none).unwrap_or(dates.len());
    assert!(dates[first_undated..].iter().all(Option::is_none), "undated last: {dates:?}");
    assert!(dates[..first_undated].windows(2).all(|w| w[0] <= w[1]), "by date: {dates:?}");

    // `sitrep timeline`
    let out = timeline_cmd(&env, &[]);
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.starts_with("date"), "{table}");
    assert!(table.contains("Qayyarah Airfield West, IQ") && table.contains("3/5"), "{table}");
    let out = timeline_cmd(&env, &["--format", "json", "--since", "2024-03-08"]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(j["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| { r["date"]["value"].as_str().is_none_or(|d| d >= "2024-03-08") }));
    assert!(j["incidents"].as_array().unwrap().len() < rows.len(), "--since filters");
    let md = String::from_utf8(timeline_cmd(&env, &["--format", "markdown"]).stdout).unwrap();
    assert!(md.contains("| date | type |"), "{md}");
    let bad = timeline_cmd(&env, &["--since", "last week"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));

    // A second pass over the same inbox changes nothing.
    let before = std::fs::read(env.out.join("incidents.ndjson")).unwrap();
    env.once();
    assert_eq!(std::fs::read(env.out.join("incidents.ndjson")).unwrap(), before);
}

fn report(title: &str, date: &str, body: &str) -> String {
    format!("Title: {title}\nDate: {date}\n\n{body}\n")
}

#[test]
fn a_later_report_revises_the_incident_after_a_restart_and_the_window_closes_it() {
    let env = Env::new();
    env.write(
        "a.txt",
        report(
            "Car bomb in Kirkuk",
            "2024-04-02",
            "A car bomb exploded near a market in Kirkuk on Tuesday, killing three people, police said. \
             The blast damaged several shops.",
        ),
    );
    env.once();
    let first = latest(&env);
    assert_eq!(first.len(), 1, "{first:#?}");
    assert_eq!(first[0]["fatalities"]["best"], 3);
    let id = first[0]["id"].as_str().unwrap().to_string();

    // A different outlet the next day: the toll rose. Fed after a restart,
    // so the incident comes back from the ledger.
    env.write(
        "b.txt",
        report(
            "Kirkuk toll rises",
            "2024-04-03",
            "The death toll from Tuesday's car bomb in Kirkuk rose to five, a health official said on Wednesday. \
             Doctors said the injured were in stable condition.",
        ),
    );
    env.once();
    let inc = latest(&env);
    assert_eq!(inc.len(), 1, "{inc:#?}");
    let r = &inc[0];
    assert_eq!(r["id"], id.as_str());
    assert_eq!(r["rev"], 2);
    assert_eq!((r["articles"].as_u64(), r["sources"].as_u64()), (Some(2), Some(2)));
    let f = &r["fatalities"];
    assert_eq!((f["best"].as_u64(), f["min"].as_u64(), f["max"].as_u64()), (Some(5), Some(3), Some(5)), "{f:#}");
    assert_eq!(f["claims"].as_array().unwrap().len(), 2);

    // Six weeks later: the April incident leaves the 30-day window.
    env.write(
        "c.txt",
        report(
            "Clashes in Diyala",
            "2024-05-20",
            "Gunmen attacked an army checkpoint in Diyala province on Monday, killing two soldiers.",
        ),
    );
    env.once();
    let all = read_ndjson(&env.out.join("incidents.ndjson"));
    let closed: Vec<_> = all.iter().filter(|r| r["status"] == "closed").collect();
    assert_eq!(closed.len(), 1, "{all:#?}");
    assert_eq!((closed[0]["id"].as_str(), closed[0]["rev"].as_u64()), (Some(id.as_str()), Some(3)));
    let view: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.out.join("timeline.json")).unwrap()).unwrap();
    assert_eq!(view["open"], 1);
    assert_eq!(view["incidents"][0]["location"]["admin1"], "Diyala");
    // A late report of the closed incident opens nothing and is listed as late.
    env.write(
        "d.txt",
        report(
            "Kirkuk funerals",
            "2024-05-21",
            "Families buried victims of the April 2 car bomb in Kirkuk, which killed five.",
        ),
    );
    env.once();
    let view: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.out.join("timeline.json")).unwrap()).unwrap();
    assert_eq!(view["open"], 1, "{view:#}");
    assert_eq!(view["late"].as_u64().unwrap() + view["historical"].as_u64().unwrap(), 1, "{view:#}");
}
