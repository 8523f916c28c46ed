#!/usr/bin/env python3
"""Scores sitrep's near-duplicate and story verdicts on ECB+ (dev topics) and
runs datasketch's MinHashLSH on the same data in the same run.

    python3 eval/dedupe/run_eval.py                 # builds the example, prints the tables
    python3 eval/dedupe/run_eval.py --sweep         # threshold sweeps behind the defaults

datasketch must be importable (a venv outside the repo, see EVALUATION.md).
The corpus is read from ../shared/dev/ecbplus_dev at run time.
"""
import argparse
import datetime
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecbplus  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


# ------------------------------------------------------------------ metrics
def pairs_of(groups):
    """Set of unordered id pairs sharing a group, from {id: group}."""
    by = {}
    for i, g in groups.items():
        by.setdefault(g, []).append(i)
    out = set()
    for members in by.values():
        members.sort()
        out.update(itertools.combinations(members, 2))
    return out


def prf(pred, gold, exclude=frozenset()):
    pp, gp = pairs_of(pred) - exclude, pairs_of(gold) - exclude
    tp = len(pp & gp)
    p = tp / len(pp) if pp else 1.0
    r = tp / len(gp) if gp else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "pred_pairs": len(pp), "gold_pairs": len(gp), "tp": tp}


# ------------------------------------------------------------------- sitrep
def build(bin_path):
    if bin_path:
        return bin_path
    subprocess.run(["cargo", "build", "--release", "--example", "eval_dedupe"], cwd=REPO, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
    return os.path.join(target, "release", "examples", "eval_dedupe")


def run_sitrep(binary, items, sets=(), repeat=1):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for it in items:
            f.write(json.dumps({k: it[k] for k in ("id", "text", "title", "published", "day") if it.get(k) is not None}) + "\n")
        path = f.name
    cmd = [binary, "--input", path, "--repeat", str(repeat)]
    for s in sets:
        cmd += ["--set", s]
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    os.unlink(path)
    verdicts = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    stats = json.loads(p.stderr.strip().splitlines()[-1])
    return verdicts, stats


# ---------------------------------------------------------------- datasketch
def words(text):
    return re.findall(r"\w+", text.lower())


def shingles(text, k):
    w = words(text)
    if len(w) < k:
        return {" ".join(w).encode()} if w else set()
    return {" ".join(w[i:i + k]).encode() for i in range(len(w) - k + 1)}


def run_datasketch(items, k=3, num_perm=128, threshold=0.5, verify=False):
    """Stream order, like sitrep: an article whose LSH query returns a
    candidate joins the earliest candidate's group; it is always inserted.
    Returns ({id: group}, CPU seconds for MinHash + query + insert)."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    group, order, sigs = {}, {}, {}
    t0 = time.process_time()
    for n, it in enumerate(items):
        m = MinHash(num_perm=num_perm)
        m.update_batch(list(shingles(it["text"], k)))
        cands = lsh.query(m)
        if verify:
            cands = [c for c in cands if m.jaccard(sigs[c]) >= threshold]
        if cands:
            first = min(cands, key=lambda c: order[c])
            group[it["id"]] = group[first]
        else:
            group[it["id"]] = it["id"]
        lsh.insert(it["id"], m)
        order[it["id"]] = n
        sigs[it["id"]] = m
    return group, time.process_time() - t0


# ------------------------------------------------------------------ helpers
def exact_overlap(a, b, k=3):
    sa, sb = shingles(a, k), shingles(b, k)
    if not sa or not sb:
        return 0.0, 0.0
    inter = len(sa & sb)
    return inter / len(sa | sb), inter / min(len(sa), len(sb))


def natural_duplicates(docs):
    """Pairs of distinct ECB+ articles that are themselves copies (same wire
    text in two outlets): excluded from near-dup scoring, reported."""
    out = set()
    by_topic = {}
    for d in docs:
        by_topic.setdefault(d["topic"], []).append(d)
    for ds in by_topic.values():
        for a, b in itertools.combinations(ds, 2):
            j, c = exact_overlap(a["text"], b["text"])
            if j >= 0.5 or c >= 0.8:
                out.add(tuple(sorted((a["id"], b["id"]))))
    return out


def dated(docs, seed=7):
    """Synthetic publication dates: each (topic, sub-corpus) incident gets a
    day — ECB incidents spread over two weeks of 2009, ECB+ incidents over
    two weeks of 2012 (the two incidents of a topic are years apart, as in
    the corpus) — and each article that day plus 0–2 days. Stream in
    publication order, ingest day = publication day."""
    rng = random.Random(seed)
    base = {}
    out = []
    for d in docs:
        key = (d["topic"], d["sub"])
        if key not in base:
            start = datetime.date(2009, 3, 2) if d["sub"] == "ecb" else datetime.date(2012, 3, 5)
            base[key] = start + datetime.timedelta(days=rng.randint(0, 13))
        day = base[key] + datetime.timedelta(days=rng.randint(0, 2))
        out.append(dict(d, published=day.isoformat(), day=(day - datetime.date(1970, 1, 1)).days))
    rng.shuffle(out)
    out.sort(key=lambda d: d["day"])
    return out


def hide_dates(stream, share=0.3, seed=11):
    """The dated stream with `share` of the articles' dates removed (the
    ingest day stays): checks date inheritance against the hidden truth."""
    rng = random.Random(seed)
    out = []
    for d in stream:
        if rng.random() < share:
            d = dict(d, true_published=d["published"])
            d.pop("published")
        out.append(d)
    return out


def inheritance(verdicts, stream):
    """(inherited, correct within 3 days, undated articles)."""
    truth = {d["id"]: d.get("true_published") for d in stream}
    n = ok = 0
    for v in verdicts:
        t = truth.get(v["id"])
        if t and v["inherited_date"]:
            n += 1
            delta = abs((datetime.date.fromisoformat(v["inherited_date"]) - datetime.date.fromisoformat(t)).days)
            ok += delta <= 3
    return n, ok, sum(1 for t in truth.values() if t)


def fmt(m):
    return f"{m['precision']:.3f} | {m['recall']:.3f} | **{m['f1']:.3f}**"


# --------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(REPO, "..", "shared", "dev", "ecbplus_dev"))
    ap.add_argument("--bin", help="prebuilt eval_dedupe binary (default: cargo build --release --example)")
    ap.add_argument("--sweep", action="store_true", help="print the threshold sweeps")
    ap.add_argument("--repeat", type=int, default=20, help="sitrep passes over the speed workload")
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--seeds-ndjson", help="articles.ndjson of `sitrep once --inbox ../shared/seeds`: check the seed verdicts")
    args = ap.parse_args()
    binary = build(args.bin)
    docs = ecbplus.load(args.corpus)
    print(f"ECB+ dev: {len(docs)} articles, {len({d['topic'] for d in docs})} topics, "
          f"{len({(d['topic'], d['sub']) for d in docs})} incidents (gold stories)\n")

    if args.seeds_ndjson:
        seeds_check(binary, args.seeds_ndjson)

    # ---- 1. story clusters
    rng = random.Random(args.seed)
    undated = list(docs)
    rng.shuffle(undated)
    gold_story = {d["id"]: (d["topic"], d["sub"]) for d in docs}
    print("### Story clusters (pairwise, all pairs)\n")
    print("| system | mode | precision | recall | F1 | stories |")
    print("|---|---|---|---|---|---|")
    partly = hide_dates(dated(docs))
    for mode, stream in (("undated", undated), ("dated", dated(docs)), ("dated, 30% dates hidden", partly)):
        v, _ = run_sitrep(binary, stream)
        pred = {x["id"]: x["story"] for x in v}
        print(f"| sitrep | {mode} | {fmt(prf(pred, gold_story))} | {len(set(pred.values()))} |")
        if stream is partly:
            inh = inheritance(v, partly)
    for th in (0.5, 0.2, 0.1):
        g, _ = run_datasketch(undated, k=3, threshold=th)
        print(f"| datasketch MinHashLSH k=3 t={th} | text only | {fmt(prf(g, gold_story))} | {len(set(g.values()))} |")
    print(f"\nDate inheritance (dated stream, dates of {inh[2]} articles hidden): {inh[0]} inherited a date, "
          f"{inh[1]} of them within 3 days of the hidden one.\n")

    # ---- 2. near-duplicates
    nat = natural_duplicates(docs)
    items = ecbplus.neardup_stream(docs, seed=args.seed)
    gold_near = {it["id"]: it["origin"] for it in items}
    topic = {it["id"]: it["topic"] for it in items}
    origin = gold_near
    exclude = set()
    for a, b in nat:  # pairs among the copies of two naturally duplicate articles
        ia = [i for i in gold_near if origin[i] == a]
        ib = [i for i in gold_near if origin[i] == b]
        exclude.update(tuple(sorted(p)) for p in itertools.product(ia, ib))
    n_copies = sum(1 for it in items if it["edits"])
    print(f"### Near-duplicates\n\n{len(items)} articles: {len(docs)} originals + {n_copies} edited copies; "
          f"{len(nat)} pairs of ECB+ originals are themselves copies (exact 3-shingle J ≥ 0.5 or C ≥ 0.8) and "
          f"their {len(exclude)} derived pairs are left out of scoring.\n")
    sv, sstats = run_sitrep(binary, items)
    spred = {x["id"]: x["source_group"] for x in sv}
    rows = [("sitrep (defaults)", spred, None)]
    ds_runs = {}
    for k, th, ver in ((3, 0.5, False), (3, 0.5, True), (5, 0.5, False), (3, 0.3, True)):
        g, secs = run_datasketch(items, k=k, threshold=th, verify=ver)
        ds_runs[(k, th, ver)] = secs
        rows.append((f"datasketch MinHashLSH k={k} t={th}{' +verify' if ver else ''}", g, secs))
    print("| system | precision | recall | F1 | same-topic false merges |")
    print("|---|---|---|---|---|")
    hard = {p for p in itertools.combinations(sorted(gold_near), 2)
            if topic[p[0]] == topic[p[1]] and origin[p[0]] != origin[p[1]]} - exclude
    for name, pred, _ in rows:
        m = prf(pred, gold_near, exclude)
        fm = sum(1 for a, b in hard if pred[a] == pred[b])
        print(f"| {name} | {fmt(m)} | {fm} of {len(hard)} |")
    print()
    # recall by edit type: copy grouped with its original
    by_edit = {}
    for it in items:
        for e in it["edits"]:
            ok = spred[it["id"]] == spred[it["origin"]]
            t = by_edit.setdefault(e, [0, 0])
            t[0] += ok
            t[1] += 1
    print("sitrep recall by edit (copy grouped with its original): " +
          ", ".join(f"{e} {a}/{n} ({a / n:.2f})" for e, (a, n) in sorted(by_edit.items())) + "\n")

    # ---- 3. speed, same workload
    _, st = run_sitrep(binary, items, repeat=args.repeat)
    ds_secs = ds_runs[(3, 0.5, False)]
    ds_rate = len(items) / ds_secs
    print("### Speed (one core, same near-duplicate workload)\n")
    rate = st["articles_per_cpu_s"] or st["articles_per_s"]
    print("| system | articles per CPU-second | µs/article |")
    print("|---|---|---|")
    print(f"| sitrep fingerprint + assess ({args.repeat} passes, {st['articles']} articles) | "
          f"{rate:,.0f} | {1e6 / rate:.1f} |")
    print(f"| datasketch MinHash(128) + LSH query + insert, k=3 | {ds_rate:,.0f} | {1e6 / ds_rate:.1f} |")
    print(f"\nratio: **{rate / ds_rate:.0f}×**; sitrep index after the run: {st['index_len']} articles, "
          f"{st['bytes_per_article']:.0f} bytes/article; fingerprint blob {st['fingerprint_bytes_mean']:.0f} bytes mean\n")

    if args.sweep:
        sweep(binary, undated, dated(docs), gold_story, items, gold_near, exclude)


def seeds_check(binary, path):
    """The issue's seed phenomena: 003 copies 000 (edited, lead dropped);
    001 and 002 tell 000's story; 004 (2021, same base) does not; 001 has no
    date and inherits 2024-01-05, 004 inherits nothing."""
    items = []
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        pub = r.get("published") or {}
        # A date the daemon inherited from the story is not the article's own.
        items.append({"id": os.path.basename(r["bundle"]["path"])[:3], "text": r["text"], "title": r.get("title"),
                      "published": pub.get("date") if pub.get("basis") != "story" else None})
    v, _ = run_sitrep(binary, items)
    by = {x["id"]: x for x in v}
    print("### Seeds\n")
    print("| seed | near-dup of | similarity | story | score | inherited date |")
    print("|---|---|---|---|---|---|")
    for i in sorted(by):
        x = by[i]
        sim = f"{x['similarity']:.2f}" if x["similarity"] is not None else ""
        print(f"| {i} | {x['near_of'] or ''} | {sim} | {x['story']} | {x['story_score']:.2f} | {x['inherited_date'] or ''} |")
    ok = (by["003"]["near_of"] == "000" and by["001"]["story"] == by["002"]["story"] == by["000"]["story"]
          and by["004"]["story"] != by["000"]["story"] and by["001"]["inherited_date"] == "2024-01-05"
          and by["004"]["inherited_date"] is None)
    print(f"\nseed expectations: {'all met' if ok else 'NOT MET'}\n")


def sweep(binary, undated, dated_stream, gold_story, items, gold_near, exclude):
    print("### Sweeps\n")
    partly = hide_dates(dated_stream)
    print("| setting | story F1 undated | story F1 dated | story F1 30% undated | inherited dates correct/all |")
    print("|---|---|---|---|---|")
    for s in ("story_threshold_undated = 0.2", "story_threshold_undated = 0.25", "story_threshold_undated = 0.3",
              "story_threshold_undated = 0.35", "story_threshold_undated = 0.4", "story_threshold = 0.15",
              "story_threshold = 0.2", "story_threshold = 0.25", "story_threshold = 0.3", "story_keys = 16",
              "story_keys = 32", "story_post_keys = 4", "story_post_keys = 12", "story_post_keys = 24",
              "common_weight = 1.0", "common_weight = 0.1", "place_weight = 1.5", "number_weight = 0.5",
              "story_min_shared_keys = 3", "date_inherit_min_score = 0.3", "date_inherit_min_score = 0.5"):
        f = []
        for stream in (undated, dated_stream, partly):
            v, _ = run_sitrep(binary, stream, [s])
            f.append(prf({x["id"]: x["story"] for x in v}, gold_story)["f1"])
        inh = inheritance(v, partly)
        print(f"| `{s}` | {f[0]:.3f} | {f[1]:.3f} | {f[2]:.3f} | {inh[1]}/{inh[0]} |")
    print()
    print("| setting | near P | near R | near F1 | bytes/article |")
    print("|---|---|---|---|---|")
    for combo in ([], ["shingle_words = 2"], ["shingle_words = 4"], ["shingle_words = 5"], ["num_perm = 128"],
                  ["num_perm = 32"], ["bands = 4"], ["bands = 8"], ["bands = 12"], ["resemblance_threshold = 0.4"],
                  ["resemblance_threshold = 0.6"], ["containment_threshold = 0.7"], ["containment_threshold = 0.8"],
                  ["min_containment_ratio = 0.1"], ["min_containment_ratio = 0.3"], ["band_rows = 2", "bands = 16"]):
        v, st = run_sitrep(binary, items, combo)
        m = prf({x["id"]: x["source_group"] for x in v}, gold_near, exclude)
        print(f"| `{'; '.join(combo) or 'defaults'}` | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
              f"{st['bytes_per_article']:.0f} |")


if __name__ == "__main__":
    main()
