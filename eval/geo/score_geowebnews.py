#!/usr/bin/env python3
"""Score sitrep's toponym finder and resolver on GeoWebNews (Gritta et al. 2019).

    python3 eval/geo/score_geowebnews.py                       # builds and runs the geo_eval example
    python3 eval/geo/score_geowebnews.py --bin target/release/examples/geo_eval
    python3 eval/geo/score_geowebnews.py --pred out.jsonl      # score existing predictions

Gold: ../shared/dev/geowebnews/GWN.xml (200 articles). Texts are written to a temporary folder
(never to the repository), the `geo_eval` example geoparses them with config/gazetteer.tsv, and the
predicted spans (byte offsets) are compared with the gold spans (character offsets).

Figures (all on the 2,601 gold toponyms that carry coordinates, i.e. every type except the
non-geographic ones: Literal, Literal_Modifier, Mixed, Coercion, Embedded_Literal, Metonymic,
Non_Literal_Modifier, Embedded_Non_Lit):
  recall     gold toponyms overlapped by a predicted span
  precision  predicted spans that overlap a gold toponym with coordinates (strict), or any
             annotated place-like span, demonyms and homonyms included (lenient)
  acc@161km  among matched gold toponyms, share resolved within 161 km (100 miles) of the gold point;
             `id_or_161` also counts an identical GeoNames id as correct
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GWN = ROOT.parent / "shared" / "dev" / "geowebnews"
GEO_TYPES = {"Literal", "Literal_Modifier", "Mixed", "Coercion", "Embedded_Literal", "Metonymic",
             "Non_Literal_Modifier", "Embedded_Non_Lit"}
LENIENT_EXTRA = {"Demonym", "Homonym", "Language", "Non_Toponym"}


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def load_gold(gwn: Path):
    arts = {}
    for a in ET.parse(gwn / "GWN.xml").getroot():
        text = a.find("text").text or ""
        tops = []
        for t in a.find("toponyms"):
            g = {k: (t.find(k).text if t.find(k) is not None else None)
                 for k in ("extractedName", "type", "start", "end", "latitude", "longitude", "geonamesID")}
            g["start"], g["end"] = int(g["start"]), int(g["end"])
            tops.append(g)
        arts[a.get("file")] = (text, tops)
    return arts


def run_geoparser(arts, bin_path: str | None, hint: str | None, repeat: int = 1):
    with tempfile.TemporaryDirectory(prefix="gwn-") as d:
        files = []
        for fid, (text, _) in sorted(arts.items(), key=lambda kv: int(kv[0])):
            p = Path(d) / f"{fid}.txt"
            p.write_text(text, encoding="utf-8")
            files.append(str(p))
        cmd = [bin_path] if bin_path else ["cargo", "run", "--quiet", "--release", "--example", "geo_eval", "--"]
        cmd += ["--gazetteer", str(ROOT / "config" / "gazetteer.tsv")]
        if hint:
            cmd += ["--hint", hint]
        if repeat > 1:
            cmd += ["--repeat", str(repeat)]
        proc = subprocess.run(cmd + files, cwd=ROOT, capture_output=True, text=True, check=True)
        sys.stderr.write(proc.stderr)
        preds = {}
        for line in proc.stdout.splitlines():
            rec = json.loads(line)
            preds[Path(rec["file"]).stem] = rec["toponyms"]
        return preds, proc.stderr


def byte_to_char(text: str):
    """Map byte offsets of the UTF-8 text to character offsets."""
    m = {}
    b = 0
    for i, ch in enumerate(text):
        m[b] = i
        b += len(ch.encode("utf-8"))
    m[b] = len(text)
    return m


def score(arts, preds, show_errors: int):
    n_gold = matched = exact = 0
    n_pred = pred_ok = pred_lenient = n_pred_nodem = pred_ok_nodem = 0
    dists, correct, correct_id = [], 0, 0
    by_type = defaultdict(lambda: [0, 0, 0])  # gold, matched, correct
    errors, misses, false_pos = [], Counter(), Counter()
    for fid, (text, gold) in arts.items():
        b2c = byte_to_char(text)
        ps = [dict(p, s=b2c[p["start"]], e=b2c[p["end"]]) for p in preds.get(fid, [])]
        geo = [g for g in gold if g["type"] in GEO_TYPES and g["latitude"]]
        lenient = [g for g in gold if g["type"] in GEO_TYPES | LENIENT_EXTRA]
        for p in ps:
            n_pred += 1
            ok = any(p["s"] < g["end"] and g["start"] < p["e"] for g in geo)
            pred_ok += ok
            pred_lenient += any(p["s"] < g["end"] and g["start"] < p["e"] for g in lenient)
            if not p["demonym"]:
                n_pred_nodem += 1
                pred_ok_nodem += ok
            if not ok:
                false_pos[p["text"]] += 1
        for g in geo:
            n_gold += 1
            by_type[g["type"]][0] += 1
            over = [p for p in ps if p["s"] < g["end"] and g["start"] < p["e"]]
            if not over:
                misses[g["extractedName"]] += 1
                continue
            matched += 1
            by_type[g["type"]][1] += 1
            p = max(over, key=lambda p: min(p["e"], g["end"]) - max(p["s"], g["start"]))
            exact += p["s"] == g["start"] and p["e"] == g["end"]
            d = km(p["lat"], p["lon"], float(g["latitude"]), float(g["longitude"]))
            dists.append(d)
            ok = d <= 161
            correct += ok
            by_type[g["type"]][2] += ok
            correct_id += bool(ok or (g["geonamesID"] and str(p.get("geonameid")) == g["geonamesID"]))
            if not ok:
                errors.append((round(d), g["extractedName"], p["name"], p["country"], p["kind"]))
    res = {
        "gold_toponyms": n_gold,
        "predicted": n_pred,
        "recall": round(matched / n_gold, 4),
        "exact_span_share_of_matched": round(exact / max(matched, 1), 4),
        "precision_strict": round(pred_ok / max(n_pred, 1), 4),
        "precision_strict_without_demonyms": round(pred_ok_nodem / max(n_pred_nodem, 1), 4),
        "precision_lenient": round(pred_lenient / max(n_pred, 1), 4),
        "matched": matched,
        "acc_161km": round(correct / max(matched, 1), 4),
        "acc_161km_id_or_distance": round(correct_id / max(matched, 1), 4),
        "median_error_km": round(statistics.median(dists), 1) if dists else None,
        "mean_error_km": round(statistics.mean(dists), 1) if dists else None,
        "by_type": {t: {"gold": v[0], "recall": round(v[1] / v[0], 3), "acc_161km": round(v[2] / max(v[1], 1), 3)}
                    for t, v in sorted(by_type.items())},
    }
    if show_errors:
        errors.sort(reverse=True)
        res["errors"] = errors[:show_errors]
        res["top_misses"] = misses.most_common(show_errors)
        res["top_false_positives"] = false_pos.most_common(show_errors)
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gwn", type=Path, default=DEFAULT_GWN, help="GeoWebNews folder (with GWN.xml)")
    ap.add_argument("--bin", help="path to a built geo_eval example (default: cargo run --release)")
    ap.add_argument("--pred", type=Path, help="score this JSONL instead of running the geoparser")
    ap.add_argument("--hint", help="country hint passed to the resolver (default none)")
    ap.add_argument("--errors", type=int, default=0, help="also list the N worst errors, misses, false hits")
    ap.add_argument("--repeat", type=int, default=1,
                    help="geoparse each text N times, for the throughput figure (output unchanged)")
    args = ap.parse_args()
    arts = load_gold(args.gwn)
    if args.pred:
        preds = {Path(json.loads(l)["file"]).stem: json.loads(l)["toponyms"]
                 for l in args.pred.read_text().splitlines() if l.strip()}
        stats = None
    else:
        preds, stats = run_geoparser(arts, args.bin, args.hint, args.repeat)
    res = score(arts, preds, args.errors)
    if stats:
        res["geoparser"] = json.loads(stats.strip().splitlines()[-1])
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
