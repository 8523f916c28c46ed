"""Load MEANTIME English (NAF/CAT XML) into plain documents with gold TIMEX3 spans.

The corpus ships tokenized and annotates only the first sentences of each article (title,
dateline, four body sentences): `annotated_end` is the byte offset where annotation stops. The
corpus ships tokenized; we rebuild a newsroom-like text by detokenizing (no space before
closing punctuation, none after opening brackets) and map every gold TIMEX3 to byte offsets
into that text. Nothing here is committed corpus text: documents are rebuilt at run time.
"""

import glob
import os
import xml.etree.ElementTree as ET

DEFAULT_ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "dev", "meantime_en")

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'", "n't", "'re", "'ve", "'ll", "'d", "'m"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "#"}


def load(root=None, subset="intra-doc_annotation"):
    root = root or os.environ.get("MEANTIME_DIR") or DEFAULT_ROOT
    files = sorted(glob.glob(os.path.join(root, subset, "*", "*.xml")))
    if not files:
        raise SystemExit(f"no MEANTIME files under {root}/{subset}")
    return [load_doc(f) for f in files]


def load_doc(path):
    tree = ET.parse(path)
    doc = tree.getroot()
    tokens = []  # (t_id, sentence, text)
    for tok in doc.iter("token"):
        tokens.append((int(tok.get("t_id")), int(tok.get("sentence")), tok.text or ""))
    parts = []
    spans = {}  # t_id -> (byte_start, byte_end)
    pos = 0
    prev_text = None
    prev_sent = None
    for t_id, sent, text in tokens:
        if prev_text is not None:
            if sent != prev_sent and prev_sent in (0, 1):
                sep = "\n"  # title line, then the dateline
            elif text in NO_SPACE_BEFORE or prev_text in NO_SPACE_AFTER:
                sep = ""
            else:
                sep = " "
            parts.append(sep)
            pos += len(sep.encode())
        b = text.encode()
        spans[t_id] = (pos, pos + len(b))
        parts.append(text)
        pos += len(b)
        prev_text, prev_sent = text, sent
    text = "".join(parts)
    raw = text.encode()
    markables = doc.find("Markables")
    # MEANTIME annotates only the first sentences of each article (title, dateline and the
    # first four of the body); scoring must ignore the rest. The annotated region ends with the
    # last sentence that holds any markable.
    sent_of = {t_id: sent for t_id, sent, _ in tokens}
    last_sent = max((sent_of[int(a.get("t_id"))] for a in markables.iter("token_anchor")), default=0)
    annotated_end = max((spans[t][1] for t, s_, _ in tokens if s_ <= last_sent), default=0)
    gold, dct, dct_span = [], None, None
    for tx in markables.iter("TIMEX3"):
        ids = [int(a.get("t_id")) for a in tx.iter("token_anchor")]
        value = tx.get("value")
        if tx.get("functionInDocument") == "CREATION_TIME":
            dct = value
            if ids:
                dct_span = (spans[min(ids)][0], spans[max(ids)][1])
            continue
        if not ids:
            continue  # non-text-consuming (empty) TIMEX3
        s, e = spans[min(ids)][0], spans[max(ids)][1]
        gold.append({"start": s, "end": e, "text": raw[s:e].decode(), "value": value, "type": tx.get("type")})
    gold.sort(key=lambda g: g["start"])
    return {
        "id": doc.get("doc_id"),
        "name": os.path.basename(path),
        "dct": dct,
        "dct_span": dct_span,
        "annotated_end": annotated_end,
        "text": text,
        "gold": gold,
    }


if __name__ == "__main__":
    import sys

    for d in load(sys.argv[1] if len(sys.argv) > 1 else None):
        for g in d["gold"]:
            print(f"{d['dct']}\t{g['type']}\t{g['value']}\t{g['text']}")
