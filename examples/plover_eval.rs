//! Score event typing, casualties and actor roles on the PLOVER gold
//! records (../shared/dev/plover_gsr/PLOVER_GSR_CAMEO.txt).
//!
//! `cargo run --release --example plover_eval -- ../shared/dev/plover_gsr/PLOVER_GSR_CAMEO.txt`
//!
//! PLOVER types are mapped to the ACLED event types they correspond to
//! (see `expected`); the sentences have no publication date and no place
//! resolution is scored here.

use sitrep::extract::actors::ActorDict;
use sitrep::extract::events::{assemble, ArticleView};
use sitrep::extract::lexicon::Lexicon;

/// ACLED event types acceptable for a PLOVER type; empty = no conflict event expected.
fn expected(plover: &str) -> &'static [&'static str] {
    match plover {
        "ASSAULT" => &["Violence against civilians", "Explosions/Remote violence", "Battles"],
        "FIGHT" => &["Battles", "Explosions/Remote violence", "Violence against civilians"],
        "PROTEST" => &["Protests", "Riots"],
        "COERCE" => &["Strategic developments", "Violence against civilians"],
        _ => &[],
    }
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "../shared/dev/plover_gsr/PLOVER_GSR_CAMEO.txt".into());
    let data: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read PLOVER file")).unwrap();
    let lex = Lexicon::builtin();
    let dict = ActorDict::builtin();
    let (mut viol, mut viol_found, mut viol_typed) = (0, 0, 0);
    let (mut calm, mut calm_fp) = (0, 0);
    let (mut dead_n, mut dead_ok, mut inj_n, mut inj_ok) = (0, 0, 0, 0);
    let (mut act_n, mut act_ok) = (0, 0);
    let mut per_type: std::collections::BTreeMap<String, (u32, u32)> = Default::default();
    let started = std::time::Instant::now();
    let mut bytes = 0usize;
    for r in data.iter().filter(|r| r["event"].is_string() && r["text"].is_string()) {
        let text = r["text"].as_str().unwrap();
        bytes += text.len();
        let plover = r["event"].as_str().unwrap();
        let spans = sitrep::normalize::sentence_spans(text);
        let view = ArticleView { text, sentences: &spans, published: None };
        let events: Vec<_> = assemble(&view, &lex, &dict, &[], &[]).into_iter().filter(|e| !e.aggregate).collect();
        let best = events.iter().max_by(|a, b| a.confidence.total_cmp(&b.confidence));
        let exp = expected(plover);
        let e = per_type.entry(plover.to_string()).or_default();
        e.0 += 1;
        if exp.is_empty() {
            calm += 1;
            let violent = best.is_some_and(|b| b.event_type.name() != "Strategic developments");
            if violent {
                calm_fp += 1;
            } else {
                e.1 += 1;
            }
        } else {
            viol += 1;
            if let Some(b) = best {
                viol_found += 1;
                if exp.contains(&b.event_type.name()) {
                    viol_typed += 1;
                    e.1 += 1;
                }
            }
        }
        let gold_num = |k: &str| r[k].as_str().and_then(|s| s.parse::<u32>().ok()).or(r[k].as_u64().map(|n| n as u32));
        if let Some(d) = gold_num("dead") {
            dead_n += 1;
            if best.and_then(|b| b.fatalities.value) == Some(d) {
                dead_ok += 1;
            }
        }
        if let Some(d) = gold_num("injured") {
            inj_n += 1;
            if best.and_then(|b| b.injured.value) == Some(d) {
                inj_ok += 1;
            }
        }
        // Actor accuracy: the gold source actor's text is inside our actor1's text, or vice versa.
        if let (Some(b), Some(src)) = (best, r["source"].get(0).and_then(|s| s["actorText"].as_str())) {
            if !exp.is_empty() {
                act_n += 1;
                let src = src.to_lowercase();
                if b.actors.iter().any(|a| {
                    a.role == "actor1"
                        && a.text.as_deref().is_some_and(|t| {
                            let t = t.to_lowercase();
                            t.contains(&src) || src.contains(&t)
                        })
                }) {
                    act_ok += 1;
                }
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let pct = |a: u32, b: u32| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
    println!("records: {} ({} violent/coercive, {} other)", viol + calm, viol, calm);
    println!(
        "violent/coercive: event found {:.1}%, ACLED type correct {:.1}%",
        pct(viol_found, viol),
        pct(viol_typed, viol)
    );
    println!(
        "other (statements, agreements, threats...): no violent event {:.1}% (false violent events: {calm_fp})",
        pct(calm - calm_fp, calm)
    );
    println!("fatalities exact: {dead_ok}/{dead_n}; injured exact: {inj_ok}/{inj_n}");
    println!("perpetrator (actor1) matches gold source actor: {act_ok}/{act_n} ({:.1}%)", pct(act_ok, act_n));
    for (t, (n, ok)) in per_type {
        println!("  {t:<12} {ok:>3}/{n:<3} correct");
    }
    println!(
        "speed: {:.1} MB/s ({} bytes in {:.3}s, single thread, no timex/places)",
        bytes as f64 / secs / 1e6,
        bytes,
        secs
    );
}
