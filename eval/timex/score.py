#!/usr/bin/env python3
"""Score the TIMEX3 tagger (src/extract/timex.rs) on MEANTIME English.

    python3 eval/timex/score.py                # builds and runs examples/timex_eval.rs via cargo
    python3 eval/timex/score.py --bin PATH     # use a prebuilt timex_eval binary
    python3 eval/timex/score.py --errors       # also list every mismatch
    python3 eval/timex/score.py --bench        # also measure MB/s (release build, one thread)

Each document is rebuilt from its tokens (meantime.py); the document creation time (DCT) is the
anchor. MEANTIME annotates only the first sentences of each article (title, dateline, four body
sentences); the tagger sees the whole text but predictions after the annotated region are not
scored. The DCT TIMEX3 itself is metadata: it is excluded from gold, and predictions overlapping
its span (the dateline) are dropped. Three documents lack a well-formed DCT: two have none (the
dateline timex is used as DCT), one writes it DD-MM-YYYY (converted).

Reported: span P/R/F1 (strict = same offsets; relaxed = overlap, one-to-one), value accuracy on
relaxed matches, value P/R/F1 (a prediction is a true positive when it overlaps a gold timex with
the same value, as in TempEval-3), type accuracy on matches.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import meantime  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def fix_dct(doc):
    """Return (anchor YYYY-MM-DD, span to exclude) for a document."""
    dct, span = doc["dct"], doc["dct_span"]
    if dct and len(dct) == 10 and dct[2] == "-" and dct[5] == "-":  # DD-MM-YYYY
        dct = f"{dct[6:]}-{dct[3:5]}-{dct[:2]}"
    if dct is None:
        # The dateline (second line) timex stands in for the missing DCT.
        line_start = doc["text"].encode().index(b"\n") + 1
        line_end = doc["text"].encode().index(b"\n", line_start)
        for g in doc["gold"]:
            if g["start"] >= line_start and g["end"] <= line_end:
                dct, span = g["value"], (g["start"], g["end"])
                doc["gold"] = [x for x in doc["gold"] if x is not g]
                break
    return dct, span


def overlaps(a, b):
    return a["start"] < b["end"] and b["start"] < a["end"]


def match(gold, pred, strict):
    """One-to-one matching, greedy in text order; returns list of (g, p)."""
    used = set()
    pairs = []
    for g in gold:
        for i, p in enumerate(pred):
            if i in used:
                continue
            ok = (p["start"] == g["start"] and p["end"] == g["end"]) if strict else overlaps(g, p)
            if ok:
                used.add(i)
                pairs.append((g, p))
                break
    return pairs


def ctx(doc, span, n):
    """A window of the rebuilt text around a span, for error listings (never stored)."""
    if not n:
        return ""
    raw = doc["text"].encode()
    left = raw[max(0, span["start"] - n) : span["start"]].decode(errors="replace")
    right = raw[span["end"] : span["end"] + n].decode(errors="replace")
    mid = raw[span["start"] : span["end"]].decode(errors="replace")
    return (left + "[[" + mid + "]]" + right).replace("\n", " | ")


def prf(tp, npred, ngold):
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def run_tagger(docs, binary):
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "docs.jsonl")
        with open(inp, "w") as f:
            for d in docs:
                f.write(json.dumps({"id": d["id"], "dct": d["anchor"], "text": d["text"]}) + "\n")
        if binary:
            cmd = [binary, "tag", inp]
        else:
            cmd = ["cargo", "run", "--quiet", "--release", "--example", "timex_eval", "--", "tag", inp]
        out = subprocess.run(cmd, cwd=REPO, check=True, capture_output=True, text=True).stdout
        res = {}
        for line in out.splitlines():
            o = json.loads(line)
            res[o["id"]] = o["timexes"]
        return res


def run_bench(docs, binary, mb):
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "docs.jsonl")
        with open(inp, "w") as f:
            for d in docs:
                f.write(json.dumps({"id": d["id"], "dct": d["anchor"], "text": d["text"]}) + "\n")
        if binary:
            cmd = [binary, "bench", inp, str(mb)]
        else:
            cmd = ["cargo", "run", "--quiet", "--release", "--example", "timex_eval", "--", "bench", inp, str(mb)]
        return json.loads(subprocess.run(cmd, cwd=REPO, check=True, capture_output=True, text=True).stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", help="prebuilt timex_eval binary")
    ap.add_argument("--root", help="MEANTIME folder (default ../shared/dev/meantime_en)")
    ap.add_argument("--errors", action="store_true", help="list mismatches")
    ap.add_argument("--context", type=int, default=0, help="with --errors: bytes of context to show")
    ap.add_argument("--bench", action="store_true", help="measure throughput")
    ap.add_argument("--bench-mb", type=float, default=200.0)
    args = ap.parse_args()

    docs = meantime.load(args.root)
    for d in docs:
        d["anchor"], d["exclude"] = fix_dct(d)
    preds = run_tagger(docs, args.bin)

    n_gold = n_pred = 0
    strict_tp = relaxed_tp = value_ok = type_ok = 0
    errors = []
    per_doc = []  # (value true positives, predicted, gold) for the bootstrap
    for d in docs:
        gold = d["gold"]
        ex = d["exclude"]
        pred = preds.get(d["id"], [])
        if ex:
            pred = [p for p in pred if not (p["start"] < ex[1] and ex[0] < p["end"])]
        # Only the annotated sentences count; the tagger still sees the whole article.
        pred = [p for p in pred if p["start"] < d["annotated_end"]]
        n_gold += len(gold)
        n_pred += len(pred)
        strict_tp += len(match(gold, pred, True))
        pairs = match(gold, pred, False)
        relaxed_tp += len(pairs)
        per_doc.append((sum(1 for g, p in pairs if p["value"] == g["value"]), len(pred), len(gold)))
        matched_g = {id(g) for g, _ in pairs}
        matched_p = {id(p) for _, p in pairs}
        for g, p in pairs:
            if p["value"] == g["value"]:
                value_ok += 1
            elif args.errors:
                errors.append(("VALUE", d["anchor"], g["text"], g["value"], p["text"], p["value"], ctx(d, g, args.context)))
            if p["kind"].upper() == g["type"]:
                type_ok += 1
        if args.errors:
            for g in gold:
                if id(g) not in matched_g:
                    errors.append(("MISSED", d["anchor"], g["text"], g["value"], "", "", ctx(d, g, args.context)))
            for p in pred:
                if id(p) not in matched_p:
                    errors.append(("SPURIOUS", d["anchor"], "", "", p["text"], p["value"], ctx(d, p, args.context)))

    sp, sr, sf = prf(strict_tp, n_pred, n_gold)
    rp, rr, rf = prf(relaxed_tp, n_pred, n_gold)
    vp, vr, vf = prf(value_ok, n_pred, n_gold)
    # 95% bootstrap interval of value F1, resampling documents (fixed seed: reproducible).
    rng = random.Random(5)
    boots = []
    for _ in range(2000):
        sample = [per_doc[rng.randrange(len(per_doc))] for _ in per_doc]
        boots.append(prf(sum(x[0] for x in sample), sum(x[1] for x in sample), sum(x[2] for x in sample))[2])
    boots.sort()
    ci = (boots[int(0.025 * len(boots))], boots[int(0.975 * len(boots)) - 1])
    report = {
        "documents": len(docs),
        "gold": n_gold,
        "predicted": n_pred,
        "strict": {"p": sp, "r": sr, "f1": sf},
        "relaxed": {"p": rp, "r": rr, "f1": rf},
        "value_accuracy_on_matched": value_ok / relaxed_tp if relaxed_tp else 0.0,
        "type_accuracy_on_matched": type_ok / relaxed_tp if relaxed_tp else 0.0,
        "value": {"p": vp, "r": vr, "f1": vf, "f1_ci95": ci},
    }
    if args.bench:
        report["bench"] = run_bench(docs, args.bin, args.bench_mb)
    if args.errors:
        for e in sorted(errors):
            print("\t".join(str(x) for x in e))
        print()
    print(f"documents {len(docs)}, gold timexes {n_gold}, predicted {n_pred}")
    print(f"span strict   P {sp:.3f} R {sr:.3f} F1 {sf:.3f}")
    print(f"span relaxed  P {rp:.3f} R {rr:.3f} F1 {rf:.3f}")
    print(f"value accuracy on relaxed matches {report['value_accuracy_on_matched']:.3f} ({value_ok}/{relaxed_tp})")
    print(f"type accuracy on relaxed matches  {report['type_accuracy_on_matched']:.3f}")
    print(f"value         P {vp:.3f} R {vr:.3f} F1 {vf:.3f} (95% bootstrap over documents {ci[0]:.3f}-{ci[1]:.3f})")
    if args.bench:
        b = report["bench"]
        print(
            f"throughput {b['mb_per_cpu_s']:.1f} MB per CPU-second on one thread ({b['mb_per_s']:.1f} MB/s wall; "
            f"{b['bytes'] / 1e6:.0f} MB = corpus {b['corpus_bytes']} bytes x{b['bytes'] // b['corpus_bytes']}); "
            f"a bare word-count loop: {b['word_loop_mb_per_cpu_s']:.0f} MB per CPU-second"
        )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
