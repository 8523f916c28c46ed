#!/usr/bin/env python3
"""Rebuild the real-text corpus behind the "Extraction alone" figures in BENCHMARKS.md.

816 real news texts (1.73 MB): the 200 GeoWebNews articles, the 496 ECB+ documents and the
120 MEANTIME articles from ../shared/dev, written as JSONL lines {id, text, date} for
examples/extract_speed.rs. MEANTIME carries its document creation time; GeoWebNews and ECB+
have no date, so they get a fixed pseudo-random one (seeded, hence reproducible). The text is
read at run time and written outside the repository; nothing of it is committed.

    python3 bench/real_text.py [--dev ../shared/dev] OUT_DIR
    cargo run --release --example extract_speed -- --repeat 5 OUT_DIR/*.jsonl
"""
import argparse
import glob
import json
import os
import random
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "eval", "dedupe"))
sys.path.insert(0, os.path.join(here, "..", "eval", "timex"))
import ecbplus  # noqa: E402
import meantime  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", default=os.path.join(here, "..", "..", "shared", "dev"))
    ap.add_argument("out")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(1)

    def date(year):
        return "%d-0%d-1%d" % (year, 1 + rng.randrange(9), rng.randrange(10))

    def dump(name, recs):
        with open(os.path.join(a.out, name), "w") as f:
            for r in recs:
                f.write(json.dumps(r) + "\n")

    gwn = sorted(
        glob.glob(os.path.join(a.dev, "geowebnews", "GeoWebNews", "*.txt")),
        key=lambda p: int(os.path.basename(p)[:-4]),
    )
    g = []
    for p in gwn:
        with open(p, encoding="utf-8") as f:
            g.append({"id": os.path.basename(p), "text": f.read(), "date": date(2018)})
    dump("gwn.jsonl", g)
    docs = ecbplus.load(os.path.join(a.dev, "ecbplus_dev"))
    e = [{"id": d["id"], "text": d["text"], "date": date(2012)} for d in docs]
    for i in range(0, len(e), 100):
        dump("ecb%d.jsonl" % (i // 100), e[i : i + 100])
    m = meantime.load(os.path.join(a.dev, "meantime_en"))
    dump(
        "meantime.jsonl",
        [{"id": d["id"], "text": d["text"], "date": (d["dct"] or "2008-01-01")[:10]} for d in m],
    )
    n = len(g) + len(e) + len(m)
    print("%d texts written to %s" % (n, a.out), file=sys.stderr)


if __name__ == "__main__":
    main()
