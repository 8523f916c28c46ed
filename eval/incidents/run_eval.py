#!/usr/bin/env python3
"""Scores sitrep's incident timeline on ECB+ (dev topics): the real binary
(`sitrep once`) over an inbox built from the corpus, then the incidents in
out/incidents.ndjson against the gold incident of each document, (topic,
ecb|ecbplus). Python standard library only.

    cargo build --release --locked
    python3 eval/incidents/run_eval.py                  # all conditions, tables on stdout
    python3 eval/incidents/run_eval.py --errors 3       # + merge/split examples (quotes ECB+ text)

The corpus is read from ../shared/dev/ecbplus_dev at run time; the inbox and
outputs live in a temporary folder that is deleted afterwards (--keep DIR keeps
them). Nothing from the corpus is written into the repository.
"""
import argparse
import collections
import datetime
import itertools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "eval", "dedupe"))
import ecbplus  # noqa: E402
import importlib.util  # noqa: E402

# The story evaluation's synthetic dates (eval/dedupe/run_eval.py::dated), loaded under another
# name: this file is also called run_eval.
_spec = importlib.util.spec_from_file_location("dedupe_run_eval", os.path.join(REPO, "eval", "dedupe", "run_eval.py"))
_dedupe = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_dedupe)
dedupe_dated = _dedupe.dated


# -------------------------------------------------------------- conditions
def undated(docs, seed=4):
    """As is: no publication dates, shuffled (the story evaluation's order)."""
    out = list(docs)
    random.Random(seed).shuffle(out)
    return out


def weeks_apart(docs, seed=7, gap_days=21):
    """Synthetic dates, the two incidents of a topic `gap_days` apart: each
    topic gets a day in a two-week span of 2012 for its ECB incident and that
    day + gap for its ECB+ incident; each article its incident's day + 0-2
    days. Streamed in publication order."""
    rng = random.Random(seed)
    base, out = {}, []
    for t in sorted({d["topic"] for d in docs}):
        base[t] = datetime.date(2012, 3, 5) + datetime.timedelta(days=rng.randint(0, 13))
    for d in docs:
        day = base[d["topic"]] + datetime.timedelta(days=(gap_days if d["sub"] == "ecbplus" else 0) + rng.randint(0, 2))
        out.append(dict(d, published=day.isoformat(), day=(day - datetime.date(1970, 1, 1)).days))
    rng.shuffle(out)
    out.sort(key=lambda d: d["day"])
    return out


CONDITIONS = {
    "undated": ("no dates (as is), shuffled", undated),
    "dated": ("synthetic dates, the story evaluation's `dated()`: ECB incidents in 2009, ECB+ in 2012", dedupe_dated),
    "weeks": ("synthetic dates, the two incidents of a topic 3 weeks apart (2012)", weeks_apart),
    "sameday": ("stress: synthetic dates, both incidents of a topic on the same days", lambda d: weeks_apart(d, gap_days=0)),
}


# ------------------------------------------------------------------ sitrep
def run_sitrep(binary, stream, work, extra_config=None):
    inbox, out = os.path.join(work, "inbox"), os.path.join(work, "out")
    os.makedirs(inbox)
    with open(os.path.join(inbox, "ecbplus.jsonl"), "w", encoding="utf-8") as f:
        for d in stream:
            rec = {"text": d["text"]}
            if d.get("published"):
                rec["published"] = d["published"]
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    # Built-in defaults (config/sitrep.toml documents the same values), plus
    # any [timeline] overrides.
    cfg = os.path.join(work, "sitrep.toml")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write("[timeline]\n" + "".join(line + "\n" for line in extra_config or []))
    p = subprocess.run([binary, "once", "--config", cfg, "--inbox", inbox, "--out", out, "--log-format", "json"],
                       cwd=REPO, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"sitrep failed ({p.returncode}):\n{p.stderr[-3000:]}")
    return out


def read_ndjson(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_output(out, stream):
    """(articles by doc id, events by id, latest incident revisions, timeline.json)."""
    arts = {}
    for a in read_ndjson(os.path.join(out, "articles.ndjson")):
        line = a["bundle"].get("line")
        doc = stream[line - 1]["id"]  # bundle.line is 1-based
        arts[doc] = a
    assert len(arts) == len(stream), f"{len(arts)} articles for {len(stream)} documents"
    events = {e["id"]: e for e in read_ndjson(os.path.join(out, "events.ndjson"))}
    latest = {}
    ev_inc = {}
    for r in read_ndjson(os.path.join(out, "incidents.ndjson")):
        if r["id"] not in latest or r["rev"] > latest[r["id"]]["rev"]:
            latest[r["id"]] = r
        # Each revision lists the events merged since the previous one.
        for e in r.get("events_new", r["events"]):
            ev_inc[e] = r["id"]
    by_inc = collections.defaultdict(list)
    for e, i in ev_inc.items():
        by_inc[i].append(e)
    latest = {k: dict(v, events_all=by_inc[k]) for k, v in latest.items()}
    tl_path = os.path.join(out, "timeline.json")
    timeline = json.load(open(tl_path, encoding="utf-8")) if os.path.exists(tl_path) else {}
    return arts, events, latest, timeline


# -------------------------------------------------------------- assignment
def assign(arts, events, event_to_cluster):
    """Predicted cluster per document: the cluster holding most of its events
    (ties: the one holding its earliest event); a duplicate (no events of its
    own) takes its canonical article's. None = no event in any cluster."""
    art_doc = {a["id"]: doc for doc, a in arts.items()}
    by_art = collections.defaultdict(list)
    for e in events.values():
        by_art[e["article"]].append(e)
    pred, first = {}, {}
    for doc, a in arts.items():
        evs = sorted(by_art.get(a["id"], []), key=lambda e: (e["sentence"]["index"], e["sentence"]["start"]))
        inc = [(event_to_cluster[e["id"]], n) for n, e in enumerate(evs) if e["id"] in event_to_cluster]
        if not inc:
            pred[doc] = first[doc] = None
            continue
        count = collections.Counter(c for c, _ in inc)
        earliest = {}
        for c, n in inc:
            earliest.setdefault(c, n)
        pred[doc] = max(count, key=lambda c: (count[c], -earliest[c]))
        first[doc] = inc[0][0]
    for doc, a in arts.items():
        dup = a.get("duplicate")
        if dup and pred[doc] is None:
            canon = art_doc.get(dup["of"])
            if canon:
                pred[doc], first[doc] = pred[canon], first[canon]
    return pred, first


def with_singletons(pred):
    return {d: (c if c is not None else ("single", d)) for d, c in pred.items()}


# ----------------------------------------------------------------- metrics
def pair_counts(pred, gold, topic):
    docs = sorted(gold)
    c = collections.Counter()
    for a, b in itertools.combinations(docs, 2):
        same_p, same_g = pred[a] == pred[b], gold[a] == gold[b]
        c["tp" if same_p and same_g else "fp" if same_p else "fn" if same_g else "tn"] += 1
        if topic[a] == topic[b] and not same_g:
            c["st_diff"] += 1
            c["st_diff_apart"] += not same_p
        if same_g:
            c["same_merged"] += same_p
        if topic[a] != topic[b] and same_p:
            c["cross_topic_merged"] += 1
    return c


def prf(p_num, p_den, r_num, r_den):
    p = p_num / p_den if p_den else 1.0
    r = r_num / r_den if r_den else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def scores(pred, gold, topic):
    c = pair_counts(pred, gold, topic)
    pw = prf(c["tp"], c["tp"] + c["fp"], c["tp"], c["tp"] + c["fn"])
    pc, gc = collections.Counter(pred.values()), collections.Counter(gold.values())
    both = collections.Counter((pred[d], gold[d]) for d in gold)
    bp = sum(both[(pred[d], gold[d])] / pc[pred[d]] for d in gold) / len(gold)
    br = sum(both[(pred[d], gold[d])] / gc[gold[d]] for d in gold) / len(gold)
    b3 = (bp, br, 2 * bp * br / (bp + br) if bp + br else 0.0)
    return {"pw": pw, "b3": b3, "c": c, "clusters": len(pc)}


def ratio(a, b):
    return f"{a / b:.3f}" if b else "–"


def row(name, s):
    c = s["c"]
    gold_same = c["tp"] + c["fn"]
    return (f"| {name} | {s['pw'][0]:.3f} | {s['pw'][1]:.3f} | **{s['pw'][2]:.3f}** | "
            f"{s['b3'][0]:.3f} | {s['b3'][1]:.3f} | **{s['b3'][2]:.3f}** | "
            f"{ratio(c['st_diff_apart'], c['st_diff'])} | {ratio(c['same_merged'], gold_same)} | "
            f"{c['cross_topic_merged']} | {s['clusters']} |")


HEADER = ("| system | pair P | pair R | pair F1 | B³ P | B³ R | B³ F1 | same-topic diff-incident pairs kept apart | "
          "same-incident pairs merged | cross-topic pairs merged | clusters |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|")


# ------------------------------------------------------- peer's merge rule
def norm_place(s):
    """The reference peer's place key (../shared/peer/peer.py `norm_place`)."""
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    toks = re.findall(r"[a-z0-9]+", s)
    while toks and toks[0] in ("the", "al", "el"):
        toks = toks[1:]
    while len(toks) > 1 and toks[-1] in ("base", "airbase", "air", "airport", "province", "governorate", "city"):
        toks = toks[:-1]
    return " ".join(toks)


def peer_clusters(events):
    """The peer's rule on sitrep's events: same sub-event type + same place key
    (peer's normalisation of sitrep's resolved place name) + dates within 1 day,
    single-link; no place = an incident of its own. An undated event gets one
    common day (the peer falls back to the file mtime, the same for all)."""
    groups, out = collections.defaultdict(list), {}
    for e in events.values():
        loc = e.get("location")
        key = norm_place(loc["name"]) if loc else ""
        if not key:
            out[e["id"]] = ("peer-single", e["id"])
            continue
        v = (e.get("date") or {}).get("value") or ""
        try:
            day = datetime.date.fromisoformat((v + "-01-01")[:10] if len(v) == 4 else (v + "-01")[:10] if len(v) == 7 else v[:10]).toordinal()
        except ValueError:
            day = 0
        groups[(e["sub_event_type"], key)].append((day, e["id"]))
    n = 0
    for key, evs in groups.items():
        evs.sort()
        last = None
        for day, eid in evs:
            if last is None or day - last > 1:
                n += 1
            out[eid] = ("peer", n)
            last = day
    return out


# -------------------------------------------------------------- reporting
def describe(inc):
    loc = inc.get("location") or {}
    return (f"{inc['sub_event_type']} | date {inc['date'].get('value')} ({inc['date'].get('basis')}) | "
            f"place {loc.get('name')} [{loc.get('precision')}, {loc.get('country')}] | "
            f"{inc['articles']} articles | headline: {(inc.get('headline') or '')[:140]}")


def per_topic(pred, gold, topic, first_sentence):
    print("| topic | first sentence of an ECB doc | docs | docs in an incident | diff-incident pairs merged | "
          "same-incident pairs merged |\n|---|---|---|---|---|---|")
    for t in sorted(set(topic.values())):
        ds = sorted(d for d in gold if topic[d] == t)
        covered = sum(1 for d in ds if pred[d] is not None)
        diff = same = same_ok = diff_bad = 0
        for a, b in itertools.combinations(ds, 2):
            together = pred[a] is not None and pred[a] == pred[b]
            if gold[a] == gold[b]:
                same += 1
                same_ok += together
            else:
                diff += 1
                diff_bad += together
        print(f"| {t} | {first_sentence[t][:60]} | {len(ds)} | {covered} | {diff_bad} of {diff} | {same_ok} of {same} |")


def day_range(date, slack=3):
    """(first, last) day of an incident date, as src/timeline/merge.rs reads it (days, seasons
    and halves left out: treated as unknown)."""
    v = (date or {}).get("value")
    if not v:
        return None
    try:
        if len(v) == 10:
            d = datetime.date.fromisoformat(v).toordinal()
            return (d - slack, d) if date.get("basis") == "publication" else (d, d)
        if len(v) == 7 and v[5:].isdigit():
            y, m = int(v[:4]), int(v[5:])
            nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
            return datetime.date(y, m, 1).toordinal(), nxt.toordinal() - 1
        if len(v) == 8 and v[5] == "W":
            mon = datetime.date.fromisocalendar(int(v[:4]), int(v[6:]), 1).toordinal()
            return mon, mon + 6
        if len(v) == 4:
            return datetime.date(int(v), 1, 1).toordinal(), datetime.date(int(v), 12, 31).toordinal()
    except ValueError:
        pass
    return None


def split_reasons(pred, gold, latest, arts):
    """Why two documents of one gold incident, both in an incident, sit in different incidents:
    the first field on which their two incidents (final revisions) fail the merge rule,
    approximately (place: same name, or one holds the other by country/admin1; no distances)."""
    story_of = {a["id"]: a.get("story") or a["id"] for a in arts.values()}
    reasons = collections.Counter()
    docs = sorted(d for d in gold if pred[d] is not None)
    for a, b in itertools.combinations(docs, 2):
        if gold[a] != gold[b] or pred[a] == pred[b]:
            continue
        x, y = latest[pred[a]], latest[pred[b]]
        rx, ry = day_range(x["date"]), day_range(y["date"])
        lx, ly = x.get("location"), y.get("location")
        same_story = bool({story_of.get(i) for i in x["article_ids"]} & {story_of.get(i) for i in y["article_ids"]})
        if x["sub_event_type"] != y["sub_event_type"]:
            r = "different sub-event type"
        elif (rx is None) != (ry is None):
            r = "one dated, one undated"
        elif rx and not (rx[0] <= ry[1] and ry[0] <= rx[1]):
            r = "dates apart"
        elif rx is None and not same_story:
            r = "both undated, different stories"
        elif lx and ly:
            inside = lambda c, f: c["precision"] == "country" or (c["precision"] in ("admin1", "admin2") and f.get("admin1") in (c["name"], c.get("admin1")))
            ok = lx.get("country") == ly.get("country") and (lx["name"] == ly["name"] or inside(lx, ly) or inside(ly, lx))
            r = "other (fields compatible at the end)" if ok else (
                "places in different countries" if lx.get("country") != ly.get("country") else "different places, same country")
        elif not same_story:
            r = "a place missing, different stories"
        else:
            r = "other (fields compatible at the end)"
        reasons[r] += 1
    total = sum(reasons.values())
    print(f"Same-incident document pairs (both in an incident) left apart: {total}; first failing field of their two incidents:\n")
    for r, n in reasons.most_common():
        print(f"- {r}: {n} ({n / total:.0%})")
    print()


def errors(pred, gold, topic, latest, arts, events, k):
    by_art = collections.defaultdict(list)
    for e in events.values():
        by_art[e["article"]].append(e)
    inc_docs = collections.defaultdict(list)
    for d, c in pred.items():
        if c is not None:
            inc_docs[c].append(d)
    print("\nMerged across the two incidents of a topic (largest first):")
    mixed = [(c, ds) for c, ds in inc_docs.items() if len({gold[d] for d in ds}) > 1]
    mixed.sort(key=lambda x: -len(x[1]))
    for c, ds in mixed[:k]:
        g = collections.Counter(f"{gold[d][0]}_{gold[d][1]}" for d in ds)
        print(f"- {describe(latest[c])}\n  gold: {dict(g)}")
        for mr in latest[c].get("merge", [])[:4]:
            print(f"    merge note: {mr.get('rule')} {mr.get('why')}")
    print("\nOne gold incident split over several predicted incidents (most pieces first):")
    pieces = collections.defaultdict(set)
    for d, c in pred.items():
        pieces[gold[d]].add(c)
    for g, cs in sorted(pieces.items(), key=lambda x: -len(x[1]))[:k]:
        print(f"- gold {g}: {len(cs)} pieces ({sum(1 for d in gold if gold[d] == g)} docs)")
        for c in list(cs)[:5]:
            print(f"    {'(no incident)' if c is None else describe(latest[c])}")


# ------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(REPO, "..", "shared", "dev", "ecbplus_dev"))
    ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")),
                                                  "release", "sitrep"))
    ap.add_argument("--conditions", default=",".join(CONDITIONS))
    ap.add_argument("--set", action="append", default=[], help="extra [timeline] line, e.g. 'near_km = 50'")
    ap.add_argument("--errors", type=int, default=0, help="print N merge/split examples per condition")
    ap.add_argument("--why-split", action="store_true", help="why same-incident pairs were left apart")
    ap.add_argument("--per-topic", action="store_true", help="per-topic table for each condition")
    ap.add_argument("--keep", help="keep inbox/outputs under this folder")
    args = ap.parse_args()
    docs = ecbplus.load(args.corpus)
    gold = {d["id"]: (d["topic"], d["sub"]) for d in docs}
    topic = {d["id"]: d["topic"] for d in docs}
    n_topic_diff = sum(1 for a, b in itertools.combinations(sorted(gold), 2) if topic[a] == topic[b] and gold[a] != gold[b])
    print(f"ECB+ dev: {len(docs)} documents, {len(set(topic.values()))} topics, {len(set(gold.values()))} gold incidents; "
          f"{n_topic_diff} same-topic different-incident pairs\n")
    print("Baselines (no system output needed):\n")
    print(HEADER)
    print(row("one cluster per topic", scores(dict(topic), gold, topic)))
    print(row("one cluster per document", scores({d: d for d in gold}, gold, topic)))
    print()
    for name in args.conditions.split(","):
        label, make = CONDITIONS[name]
        stream = make(docs)
        work = tempfile.mkdtemp(prefix="sitrep-inc-")
        try:
            out = run_sitrep(args.bin, stream, work, args.set)
            arts, events, latest, tl = load_output(out, stream)
            if args.keep:
                shutil.copytree(work, os.path.join(args.keep, name), dirs_exist_ok=True)
        finally:
            shutil.rmtree(work)
        ev_inc = {}
        capped = 0
        for inc in latest.values():
            capped += inc["events_total"] > len(inc["events_all"])
            for e in inc["events_all"]:
                ev_inc[e] = inc["id"]
        pred, first = assign(arts, events, ev_inc)
        with_ev = {a["id"] for a in arts.values()} & {e["article"] for e in events.values()}
        dups = sum(1 for a in arts.values() if a.get("duplicate"))
        none = [d for d, c in pred.items() if c is None]
        status = collections.Counter(i["status"] for i in latest.values())
        skipped = sum(1 for e in events.values() if e.get("aggregate") or e.get("modality") in ("threatened", "planned"))
        print(f"### {name}: {label}\n")
        print(f"{len(arts)} articles ({dups} duplicates), {len(events)} events in {len(with_ev)} articles, "
              f"{len(ev_inc)} events in {len(latest)} incidents ({status['open']} open, {status['closed']} closed"
              f"{', ' + str(capped) + ' with capped event lists' if capped else ''}); "
              f"not in an incident: {len(events) - len(ev_inc)} events ({skipped} aggregate/threatened/planned, "
              f"{tl.get('historical', 0)} historical, {tl.get('late', 0)} late, rest denied); "
              f"**{len(none)} documents in no incident** (scored as singletons)\n")
        stories = {d: a.get("story") or a["id"] for d, a in arts.items()}
        peer = peer_clusters(events)
        ppred, _ = assign(arts, events, peer)
        print(HEADER)
        print(row("sitrep incidents (majority of a doc's events)", scores(with_singletons(pred), gold, topic)))
        print(row("sitrep incidents (doc's first event)", scores(with_singletons(first), gold, topic)))
        print(row("peer rule on sitrep's events", scores(with_singletons(ppred), gold, topic)))
        print(row("sitrep story clusters (`story`)", scores(stories, gold, topic)))
        covered = [d for d in gold if pred[d] is not None]
        if covered:
            sub = {d: gold[d] for d in covered}
            s = scores({d: pred[d] for d in covered}, sub, topic)
            print(row(f"sitrep incidents, only the {len(covered)} docs in an incident", s))
        print()
        if args.per_topic:
            lead = {}
            for d in sorted(docs, key=lambda d: d["id"]):
                if d["sub"] == "ecb":
                    lead.setdefault(d["topic"], d["sentences"][0].replace("|", "/"))
            per_topic(pred, gold, topic, lead)
            print()
        if args.why_split:
            split_reasons(pred, gold, latest, arts)
        if args.errors:
            errors(pred, gold, topic, latest, arts, events, args.errors)
            print()


if __name__ == "__main__":
    main()
