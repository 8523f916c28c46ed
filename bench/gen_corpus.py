#!/usr/bin/env python3
"""Generate a synthetic inbox for end-to-end throughput runs.

Writes FILES bundles (a mix of .jsonl, .txt and .jsonl.gz) with ARTICLES
articles each, ~2-4 KB of English-like news text per article, ~5% exact
duplicates across bundles. Deterministic (seeded). Not for quality figures.

usage: gen_corpus.py OUT_DIR [--files N] [--articles N] [--seed S]
"""
import argparse, gzip, json, os, random

PLACES = ["Mosul", "Kirkuk", "Basra", "Erbil", "Tikrit", "Ramadi", "Fallujah", "Samarra", "Baqubah", "Najaf",
          "Aleppo", "Idlib", "Homs", "Deir ez-Zor", "Raqqa", "Sanaa", "Aden", "Marib", "Taiz", "Hodeidah"]
ACTORS = ["security forces", "the army", "police", "militants", "gunmen", "a local militia", "protesters",
          "border guards", "the interior ministry", "a rebel faction", "tribal fighters", "civil defence teams"]
VERBS = ["attacked", "clashed with", "arrested", "shelled", "surrounded", "searched", "dispersed", "ambushed"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FILLER = ["officials said", "according to a statement", "witnesses told reporters", "a spokesman said",
          "local media reported", "the ministry said in a statement", "residents said"]


def sentence(r):
    n = r.randint(0, 40)
    return (f"{r.choice(ACTORS).capitalize()} {r.choice(VERBS)} {r.choice(ACTORS)} near {r.choice(PLACES)} "
            f"on {r.choice(DAYS)}, {r.choice(FILLER)}, and at least {n} people were reported hurt.")


def article(r, i):
    paras = []
    for _ in range(r.randint(6, 12)):
        paras.append(" ".join(sentence(r) for _ in range(r.randint(1, 3))))
    return {"title": f"Report {i} from {r.choice(PLACES)}", "text": "\n\n".join(paras),
            "date": f"2024-0{r.randint(1, 9)}-1{r.randint(0, 9)}", "source": f"outlet{r.randint(1, 40)}.example",
            "url": f"https://news.example/{i}"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--articles", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    r = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    pool, n = [], 0
    for f in range(a.files):
        arts = []
        for _ in range(a.articles):
            if pool and r.random() < 0.05:
                arts.append(dict(r.choice(pool), source="mirror.example"))
            else:
                x = article(r, n)
                n += 1
                arts.append(x)
                if r.random() < 0.1:
                    pool.append(x)
        kind = f % 3
        if kind == 0:
            with open(os.path.join(a.out, f"b{f:05}.jsonl"), "w") as fh:
                fh.writelines(json.dumps(x) + "\n" for x in arts)
        elif kind == 1:
            with open(os.path.join(a.out, f"b{f:05}.txt"), "w") as fh:
                fh.write("\n=====\n".join(f"Title: {x['title']}\nDate: {x['date']}\nSource: {x['source']}\n\n{x['text']}\n"
                                          for x in arts))
        else:
            with gzip.open(os.path.join(a.out, f"b{f:05}.jsonl.gz"), "wt") as fh:
                fh.writelines(json.dumps(x) + "\n" for x in arts)


if __name__ == "__main__":
    main()
