//! Every record sitrep writes validates against the published JSON Schemas.

use std::path::Path;

use crate::util::Env;

fn validator(name: &str) -> jsonschema::Validator {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas").join(name);
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn check(v: &jsonschema::Validator, recs: &[serde_json::Value]) {
    for r in recs {
        let errors: Vec<String> = v.iter_errors(r).map(|e| format!("{} at {}", e, e.instance_path)).collect();
        assert!(errors.is_empty(), "record fails schema: {errors:?}\n{r}");
    }
}

#[test]
fn outputs_validate_against_schemas() {
    let env = Env::new();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for e in std::fs::read_dir(&seeds).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), env.inbox.join(e.file_name())).unwrap();
    }
    env.write("x.json", "[{\"text\":\"One.\"}, 5, {\"body\":\"Two things happened on Monday.\"}]");
    env.once();
    let a = env.articles();
    let r = env.rejects();
    let e = crate::util::read_ndjson(&env.out.join("events.ndjson"));
    assert!(a.len() >= 10 && r.len() >= 3 && e.len() >= 3);
    check(&validator("article.schema.json"), &a);
    check(&validator("reject.schema.json"), &r);
    check(&validator("event.schema.json"), &e);
    let i = crate::util::read_ndjson(&env.out.join("incidents.ndjson"));
    assert!(i.len() >= 3);
    check(&validator("incident.schema.json"), &i);
}

#[test]
fn schemas_reject_broken_records() {
    // The schema check itself can fail: a record missing `published` is invalid.
    let v = validator("article.schema.json");
    let bad = serde_json::json!({"kind": "article", "v": 1, "id": "x"});
    assert!(!v.is_valid(&bad));
    let v = validator("reject.schema.json");
    let bad = serde_json::json!({"kind": "reject", "v": 1, "code": "nonsense"});
    assert!(!v.is_valid(&bad));
    let v = validator("incident.schema.json");
    let bad = serde_json::json!({"kind": "incident", "v": 1, "id": "x", "rev": 0});
    assert!(!v.is_valid(&bad));
}
