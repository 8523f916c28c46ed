#!/usr/bin/env python3
"""Score main-text extraction and publication dates on trafilatura's evaluation set.

The dev set (`../shared/dev/web_trafilatura/`) holds 990 pages (`html/<file>.gz`) and
`evaldata.json`: per page, gold snippets that must (`with`) and must not (`without`)
appear in the extracted text, and a publication date for 728 of them.

Scoring follows trafilatura's own evaluation (tests/eval_common.py): the extracted
text and each snippet are whitespace-normalised, a `with` snippet found is a true
positive (else a false negative), a `without` snippet found is a false positive (else
a true negative); F1 = 2TP / (2TP + FP + FN) over the whole set. A page whose
extractor failed scores as an empty text.

Date accuracy: over the pages with a gold date, the share whose extracted
`YYYY-MM-DD` equals it. Pages without a gold date report how often a date was
invented anyway.

Inputs: any number of `--run NAME=FILE.jsonl` (one JSON object per page:
`file`, `text`, optional `title`, `date`, `micros` = extraction time of that page on
one thread), and `--trafilatura` to run trafilatura (PyPI) on the same pages in this
process, timed per page on one core, so both sides are measured in the same run.

`--half even|odd` scores only the pages with an even / odd index in file-name order:
rules are tuned on the misses of one half, the other half shows how well they carry over.
"""

import argparse
import gzip
import json
import os
import re
import sys
import time


def norm(text):
    return re.sub(r"\s+", " ", text).strip()


def count_item(item, result):
    if isinstance(result, str):
        resn = norm(result)
        tp = sum(1 for w in item["with"] if norm(w) in resn)
        fp = sum(1 for w in item["without"] if norm(w) in resn)
    else:
        tp = fp = 0
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


def iso_day(value):
    if not value:
        return None
    m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", str(value))
    return m.group(1) if m else None


class Score:
    def __init__(self, name):
        self.name = name
        self.tp = self.fp = self.fn = self.tn = 0
        self.date_gold = self.date_ok = self.date_wrong = self.date_missing = 0
        self.no_gold = self.invented = 0
        self.pages = 0
        self.seconds = 0.0
        self.timed = 0
        self.empty = 0

    def add(self, item, text, date, seconds=None):
        tp, fp, fn, tn = count_item(item, text)
        self.tp += tp
        self.fp += fp
        self.fn += fn
        self.tn += tn
        self.pages += 1
        if not text or not text.strip():
            self.empty += 1
        if seconds is not None:
            self.seconds += seconds
            self.timed += 1
        gold = iso_day(item.get("date"))
        got = iso_day(date)
        if gold:
            self.date_gold += 1
            if got == gold:
                self.date_ok += 1
            elif got:
                self.date_wrong += 1
            else:
                self.date_missing += 1
        else:
            self.no_gold += 1
            if got:
                self.invented += 1

    def row(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 0.0
        acc = self.date_ok / self.date_gold if self.date_gold else 0.0
        pps = self.timed / self.seconds if self.seconds else float("nan")
        return {
            "name": self.name,
            "pages": self.pages,
            "empty": self.empty,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "date_accuracy": round(acc, 4),
            "date_ok": self.date_ok,
            "date_wrong": self.date_wrong,
            "date_missing": self.date_missing,
            "date_gold": self.date_gold,
            "date_invented_without_gold": f"{self.invented}/{self.no_gold}",
            "pages_per_s_one_core": round(pps, 1),
            "ms_per_page": round(1000 * self.seconds / self.timed, 2) if self.timed else None,
        }


def load_pages(data):
    html_dir = os.path.join(data, "html")
    pages = {}
    for name in os.listdir(html_dir):
        if name.endswith(".gz"):
            with gzip.open(os.path.join(html_dir, name)) as f:
                pages[name[:-3]] = f.read()
    return pages


def run_trafilatura(evaldata, pages, fast):
    import trafilatura

    name = "trafilatura %s%s" % (trafilatura.__version__, " (fast)" if fast else "")
    score = Score(name)
    out = {}
    for url, item in evaldata.items():
        html = pages.get(item["file"])
        t = time.perf_counter()
        try:
            # The canonical settings of trafilatura's own evaluation, plus metadata so the
            # timing covers what sitrep does (text and date).
            res = trafilatura.extract(
                html,
                url=None,
                fast=fast,
                include_comments=False,
                include_tables=True,
                include_formatting=False,
                with_metadata=True,
                output_format="json",
            )
        except Exception as exc:  # a crash counts as a full miss, as in trafilatura's eval
            res = None
            print(f"trafilatura failed on {item['file']}: {exc}", file=sys.stderr)
        dt = time.perf_counter() - t
        doc = json.loads(res) if res else {}
        text, date = doc.get("text"), doc.get("date")
        score.add(item, text, date, dt)
        out[item["file"]] = {"file": item["file"], "title": doc.get("title"), "date": date, "text": text}
    return score, out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--data", default=os.path.join(here, "../../../shared/dev/web_trafilatura"))
    ap.add_argument("--run", action="append", default=[], help="NAME=FILE.jsonl")
    ap.add_argument("--trafilatura", action="store_true", help="also run trafilatura (fallback mode)")
    ap.add_argument("--trafilatura-fast", action="store_true", help="also run trafilatura fast=True")
    ap.add_argument("--title-in-text", action="store_true", help="score title + text instead of text alone")
    ap.add_argument("--dump", help="write per-page misses (FN/FP snippets, wrong dates) as JSONL here")
    ap.add_argument("--json", help="write the score table as JSON here")
    ap.add_argument("--half", choices=["even", "odd"],
                    help="score only the pages with an even / odd index in file-name order (tune on one, hold out the other)")
    ap.add_argument("--save-trafilatura", help="write trafilatura's per-page output as JSONL here (usable with --run)")
    args = ap.parse_args()

    with open(os.path.join(args.data, "evaldata.json"), encoding="utf-8") as f:
        evaldata = json.load(f)
    if args.half:
        # A fixed split independent of the extractors: rules are tuned on the misses of one
        # half and the other half shows how much of the gain was overfitting.
        files = sorted(item["file"] for item in evaldata.values())
        keep = set(files[0 if args.half == "even" else 1::2])
        evaldata = {url: item for url, item in evaldata.items() if item["file"] in keep}
    rows = []
    dumps = []
    for spec in args.run:
        name, path = spec.split("=", 1)
        got = {}
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    rec = json.loads(line)
                    got[rec["file"]] = rec
        score = Score(name)
        for url, item in evaldata.items():
            rec = got.get(item["file"], {})
            text = rec.get("text")
            if args.title_in_text and rec.get("title"):
                text = rec["title"] + "\n\n" + (text or "")
            secs = rec["micros"] / 1e6 if "micros" in rec else None
            score.add(item, text, rec.get("date"), secs)
            if args.dump:
                resn = norm(text or "")
                fns = [w for w in item["with"] if norm(w) not in resn]
                fps = [w for w in item["without"] if norm(w) in resn]
                gold, d = iso_day(item.get("date")), iso_day(rec.get("date"))
                if fns or fps or (gold and d != gold):
                    dumps.append({"run": name, "file": item["file"], "url": url, "fn": fns, "fp": fps,
                                  "gold_date": gold, "date": rec.get("date")})
        rows.append(score.row())
    if args.trafilatura or args.trafilatura_fast:
        pages = load_pages(args.data)
        modes = ([False] if args.trafilatura else []) + ([True] if args.trafilatura_fast else [])
        for fast in modes:
            score, out = run_trafilatura(evaldata, pages, fast)
            rows.append(score.row())
            if args.save_trafilatura and not fast:
                with open(args.save_trafilatura, "w", encoding="utf-8") as f:
                    for rec in out.values():
                        f.write(json.dumps(rec, ensure_ascii=False) + "\n")

    cols = ["name", "f1", "precision", "recall", "date_accuracy", "date_wrong", "date_missing",
            "date_invented_without_gold", "empty", "pages_per_s_one_core", "ms_per_page"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    if len(rows) > 1 and rows[-1]["pages_per_s_one_core"] == rows[-1]["pages_per_s_one_core"]:
        base = [r for r in rows if r["name"].startswith("trafilatura")]
        if base:
            b = base[0]["pages_per_s_one_core"]
            for r in rows:
                if not r["name"].startswith("trafilatura") and r["pages_per_s_one_core"] == r["pages_per_s_one_core"]:
                    print(f"speed-up of {r['name']} over {base[0]['name']} per core: "
                          f"{r['pages_per_s_one_core'] / b:.1f}x")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for d in dumps:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
