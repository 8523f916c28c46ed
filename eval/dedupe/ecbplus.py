"""ECB+ loading, detokenisation and synthetic near-duplicate copies.

The corpus is read at run time from ../shared/dev/ecbplus_dev (never copied
into the repository). Every function is deterministic for a given seed.
"""
import glob
import os
import random
import re
import xml.etree.ElementTree as ET

NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "''"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


def detok(tokens):
    out = []
    for t in tokens:
        if out and t not in NO_SPACE_BEFORE and out[-1] not in NO_SPACE_AFTER:
            out.append(" ")
        out.append(t)
    s = "".join(out)
    return s.replace("``", '"').replace("''", '"')


def load(root):
    """Returns [{id, topic, sub, text, sentences}] for every ECB+ dev file.

    `sub` is "ecb" or "ecbplus": within a topic each sub-corpus is one real
    incident, so (topic, sub) is the gold story. Sentence 0 of ecbplus files
    is the page URL (it names the story) and is dropped.
    """
    docs = []
    for path in sorted(glob.glob(os.path.join(root, "ECB+", "*", "*.xml"))):
        name = os.path.basename(path)
        m = re.match(r"(\d+)_(\d+)(ecbplus|ecb)\.xml$", name)
        if not m:
            continue
        topic, sub = int(m.group(1)), m.group(3)
        sents = {}
        for tok in ET.parse(path).getroot().iter("token"):
            sents.setdefault(int(tok.get("sentence")), []).append(tok.text or "")
        order = sorted(sents)
        if sub == "ecbplus" and order and order[0] == 0:
            order = order[1:]
        sentences = [detok(sents[i]) for i in order if sents[i]]
        docs.append({"id": name[:-4], "topic": topic, "sub": sub, "sentences": sentences})
    for d in docs:
        d["text"] = paragraphs_text(d["sentences"])
    return docs


def paragraphs(sentences, per=2):
    return [" ".join(sentences[i:i + per]) for i in range(0, len(sentences), per)]


def paragraphs_text(sentences):
    return "\n\n".join(paragraphs(sentences))


# UK/US pairs and other spelling variants an editor or a second wire desk
# introduces. Applied in both directions.
VARIANTS = [
    ("defense", "defence"), ("offense", "offence"), ("neighbor", "neighbour"), ("labor", "labour"),
    ("honor", "honour"), ("favor", "favour"), ("color", "colour"), ("center", "centre"),
    ("organization", "organisation"), ("recognized", "recognised"), ("criticized", "criticised"),
    ("program", "programme"), ("traveled", "travelled"), ("labeled", "labelled"), ("canceled", "cancelled"),
    ("U.S.", "US"), ("U.N.", "UN"), ("percent", "per cent"), ("toward", "towards"), ("gray", "grey"),
    ("Mr.", "Mr"), ("Dr.", "Dr"), ("jewelry", "jewellery"), ("theater", "theatre"), ("meter", "metre"),
    ("said", "stated"), ("killed", "left dead"), ("people", "persons"), ("police", "authorities"),
]
FILLERS = [
    "Reporting by staff correspondents; editing by the news desk.",
    "This story has been updated with additional details.",
    "Follow our live coverage for the latest developments.",
    "The agency contributed to this report.",
    "Officials did not immediately respond to requests for comment.",
]


def spelling(text, rng, rate):
    for a, b in VARIANTS:
        if rng.random() < rate:
            src, dst = (a, b) if rng.random() < 0.5 else (b, a)
            text = re.sub(r"(?<![\w.])" + re.escape(src) + r"(?![\w])", dst, text)
    return text


def word_edits(text, rng, rate):
    words = text.split(" ")
    for i in range(len(words)):
        if rng.random() < rate and len(words[i]) > 3 and words[i].isalpha():
            w = words[i]
            j = rng.randrange(len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]  # transposition typo
    return " ".join(words)


EDITS = ["spelling", "deletion", "insertion", "reorder", "truncate", "drop_lead", "typos"]


def make_copy(doc, rng, others):
    """An edited copy of `doc`: 1–3 edits. Returns (text, [edit names])."""
    paras = paragraphs(doc["sentences"])
    sents = list(doc["sentences"])
    ops = rng.sample(EDITS, rng.randint(1, 3))
    if "deletion" in ops and len(sents) > 3:
        for _ in range(rng.randint(1, max(1, len(sents) // 6))):
            sents.pop(rng.randrange(1, len(sents)))
    if "insertion" in ops:
        for _ in range(rng.randint(1, 2)):
            extra = rng.choice(FILLERS) if rng.random() < 0.5 else rng.choice(rng.choice(others)["sentences"])
            sents.insert(rng.randrange(len(sents) + 1), extra)
    paras = paragraphs(sents)
    if "reorder" in ops and len(paras) > 2:
        i, j = rng.sample(range(len(paras)), 2)
        paras[i], paras[j] = paras[j], paras[i]
    if "truncate" in ops and len(paras) > 2:
        paras = paras[: max(1, round(len(paras) * rng.uniform(0.4, 0.8)))]
    if "drop_lead" in ops and len(paras) > 3:
        paras = paras[rng.randint(1, 2):]
    text = "\n\n".join(paras)
    if "spelling" in ops:
        text = spelling(text, rng, 0.6)
    if "typos" in ops:
        text = word_edits(text, rng, 0.02)
    return text, sorted(ops)


def neardup_stream(docs, seed=4, copies=(0, 3)):
    """Originals plus 0–3 edited copies each, shuffled. Items carry `origin`."""
    rng = random.Random(seed)
    items = []
    for d in docs:
        items.append({"id": d["id"], "text": d["text"], "origin": d["id"], "topic": d["topic"], "edits": []})
        others = [o for o in docs if o["topic"] != d["topic"]]
        for c in range(rng.randint(*copies)):
            text, ops = make_copy(d, rng, others)
            items.append({"id": f"{d['id']}~{c}", "text": text, "origin": d["id"], "topic": d["topic"], "edits": ops})
    rng.shuffle(items)
    return items
