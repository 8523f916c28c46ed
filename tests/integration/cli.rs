//! The command-line surface: help, config lookup, exit codes.

use std::process::Command;

use crate::util::{Env, BIN};

#[test]
fn help_is_complete() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for word in ["run", "once", "check-config", "--config", "--log-format", "Exit codes"] {
        assert!(text.contains(word), "--help lacks {word}:\n{text}");
    }
    for sub in ["run", "once", "check-config"] {
        let out = Command::new(BIN).args([sub, "--help"]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        for flag in ["--inbox", "--out", "--state-dir", "--settle-ms", "--config"] {
            assert!(text.contains(flag), "{sub} --help lacks {flag}:\n{text}");
        }
    }
}

#[test]
fn check_config_prints_effective_config_with_overrides() {
    let env = Env::new();
    let cfg = env.dir.path().join("c.toml");
    std::fs::write(&cfg, "[inbox]\nsettle_ms = 1234\n[output]\ninclude_text = false\n").unwrap();
    let out = Command::new(BIN)
        .current_dir(env.dir.path())
        .args(["check-config", "--config"])
        .arg(&cfg)
        .args(["--out", "elsewhere"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("settle_ms = 1234"), "{text}");
    assert!(text.contains("include_text = false"), "{text}");
    assert!(text.contains("dir = \"elsewhere\""), "{text}");
    assert!(text.contains("elsewhere/state"), "state dir follows --out:\n{text}");
}

#[test]
fn config_from_env_var_and_default_location() {
    let env = Env::new();
    std::fs::create_dir_all(env.dir.path().join("config")).unwrap();
    std::fs::write(env.dir.path().join("config/sitrep.toml"), "[inbox]\nsettle_ms = 77\n").unwrap();
    let out =
        Command::new(BIN).current_dir(env.dir.path()).env_remove("SITREP_CONFIG").arg("check-config").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("settle_ms = 77"));
    let other = env.dir.path().join("other.toml");
    std::fs::write(&other, "[inbox]\nsettle_ms = 88\n").unwrap();
    let out = Command::new(BIN)
        .current_dir(env.dir.path())
        .env("SITREP_CONFIG", &other)
        .arg("check-config")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("settle_ms = 88"),
        "$SITREP_CONFIG wins over config/sitrep.toml"
    );
}

#[test]
fn unknown_key_is_a_config_error_naming_the_key() {
    let env = Env::new();
    let cfg = env.dir.path().join("c.toml");
    std::fs::write(&cfg, "[inbox]\nsettle = 5\n").unwrap();
    let out = env.cmd("once").arg("--config").arg(&cfg).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("settle"), "{err}");
    assert!(err.contains("unknown field"), "{err}");
}

#[test]
fn unwritable_output_is_fatal_and_missing_inbox_too() {
    let env = Env::new();
    let blocker = env.dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let out = Command::new(BIN)
        .current_dir(env.dir.path())
        .args(["once", "--no-progress", "--inbox"])
        .arg(&env.inbox)
        .arg("--out")
        .arg(blocker.join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot create"));

    let out = Command::new(BIN)
        .current_dir(env.dir.path())
        .args(["once", "--no-progress", "--inbox", "does-not-exist", "--out", "o"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does-not-exist"));
}

#[test]
fn json_log_format_emits_json_lines() {
    let env = Env::new();
    env.write("a.txt", "Something happened in the town on Monday, officials said.\n");
    let out = env.cmd("once").args(["--no-progress", "--log-format", "json"]).env("RUST_LOG", "info").output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let mut n = 0;
    for line in err.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON: {line}: {e}"));
        assert!(v["level"].is_string());
        n += 1;
    }
    assert!(n >= 1);
}

#[test]
fn inspect_shows_sentences_times_places_actors_and_events() {
    let env = Env::new();
    let f = env.dir.path().join("b.txt");
    std::fs::write(
        &f,
        "Gunmen attacked an army checkpoint in Kirkuk on Thursday, killing at least 3 soldiers, police said.\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .current_dir(env.dir.path())
        .env_remove("SITREP_CONFIG")
        .args(["inspect", "--published", "2024-01-05"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sentences"].as_array().unwrap().len(), 1);
    assert_eq!(v["timexes"][0]["text"], "Thursday");
    assert_eq!(v["timexes"][0]["value"], "2024-01-04");
    assert!(v["places"].as_array().unwrap().iter().any(|p| p["name"] == "Kirkuk"));
    assert!(v["actors"].as_array().unwrap().iter().any(|a| a["type"] == "unidentified armed group"));
    let e = &v["events"][0];
    assert_eq!(e["date"]["value"], "2024-01-04");
    assert_eq!(e["fatalities"]["qualifier"], "at_least");
    assert_eq!(e["fatalities"]["value"], 3);
    assert_eq!(e["location"]["country"], "IQ");
}
