//! `sitrep inspect`: what the extractor sees in each article of a bundle —
//! the tool for finding out why an event was or was not found.

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;

use crate::config::Config;
use crate::extract::{casualties, events, Extractor};
use crate::model::{DateBasis, RawDate};
use crate::normalize::Normalizer;

/// Print one JSON object per article of each file to stdout.
pub fn run(cfg: &Config, files: &[PathBuf], published: Option<&str>) -> Result<(), String> {
    if let Some(p) = published {
        p.parse::<jiff::civil::Date>().map_err(|e| format!("--published {p:?}: {e}"))?;
    }
    let normalizer = Normalizer::new(&cfg.file.normalize).map_err(|e| e.to_string())?;
    let extractor = Extractor::new(&cfg.file.extract).map_err(|e| e.to_string())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in files {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let split = match crate::split::split_bundle(&name, &bytes, &cfg.file.split) {
            Ok(s) => s,
            Err(reason) => {
                let v = json!({"file": path, "error": reason.to_string(), "code": reason.code()});
                writeln!(out, "{v}").map_err(|e| e.to_string())?;
                continue;
            }
        };
        for mut raw in split.articles {
            if raw.date.is_none() {
                if let Some(p) = published {
                    raw.date = Some(RawDate { text: p.to_string(), basis: DateBasis::Header });
                }
            }
            let index = raw.index;
            let a = match normalizer.normalize(raw, &name) {
                Ok(a) => a,
                Err(reason) => {
                    let v = json!({"file": path, "index": index, "error": reason.to_string()});
                    writeln!(out, "{v}").map_err(|e| e.to_string())?;
                    continue;
                }
            };
            let spans = events::byte_spans(&a.text, &a.sentences);
            let sentences: Vec<_> = a
                .sentences
                .iter()
                .zip(&spans)
                .enumerate()
                .map(|(i, (&(s, e), &(bs, be)))| {
                    let c = casualties::casualties(&a.text[bs..be]);
                    json!({"index": i, "start": s, "end": e, "text": &a.text[bs..be],
                           "fatalities": c.fatalities, "injured": c.injured})
                })
                .collect();
            let cp = |b: usize| a.text[..b].chars().count();
            let timexes: Vec<_> = extractor
                .times(&a)
                .into_iter()
                .map(|t| {
                    json!({"start": cp(t.start), "end": cp(t.end), "text": t.text, "value": t.value,
                           "precision": t.precision, "type": t.kind, "basis": t.basis, "mod": t.modifier})
                })
                .collect();
            let places: Vec<_> = extractor
                .places(&a)
                .into_iter()
                .map(|p| {
                    json!({"start": cp(p.start), "end": cp(p.end), "text": p.text, "name": p.name,
                           "country": p.country, "admin1": p.admin1, "lat": p.lat, "lon": p.lon,
                           "precision": p.precision, "score": p.score, "demonym": p.demonym, "embedded": p.embedded})
                })
                .collect();
            let actors: Vec<_> = extractor
                .actor_mentions(&a)
                .into_iter()
                .map(|(s, e, name, kind)| json!({"start": cp(s), "end": cp(e), "text": &a.text[s..e], "name": name, "type": kind}))
                .collect();
            let v = json!({
                "file": path, "index": a.index, "title": a.title, "published": a.published,
                "sentences": sentences, "timexes": timexes, "places": places, "actors": actors,
                "events": extractor.extract(&a),
            });
            writeln!(out, "{v}").map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
