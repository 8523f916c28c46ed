#!/usr/bin/env bash
# Scores sitrep's web extraction and trafilatura (PyPI) on trafilatura's
# evaluation set in one run: text F1, date accuracy, and pages/s on one core
# (both pinned to CPU 0 with taskset when available).
#
# Usage: eval/web/run.sh [DATA_DIR]   (default ../shared/dev/web_trafilatura)
# Env:   CARGO_TARGET_DIR is honoured (build outside the repository's target/ if you like)
#        VENV=dir (default ../scratch/venv-web; created with eval/web/requirements.txt if missing)
#        OUT=dir  (default: a temp dir; per-page outputs and scores.json go there)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-../shared/dev/web_trafilatura}
VENV=${VENV:-../scratch/venv-web}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -r eval/web/requirements.txt
fi
PIN=()
command -v taskset >/dev/null && PIN=(taskset -c 0)
cargo build --release --locked --example extract_html
TARGET=${CARGO_TARGET_DIR:-target}
"${PIN[@]}" "$TARGET"/release/examples/extract_html "$DATA"/html/*.gz > "$OUT/sitrep.jsonl"
"${PIN[@]}" "$VENV/bin/python" eval/web/score.py --data "$DATA" --run sitrep="$OUT/sitrep.jsonl" \
    --trafilatura --save-trafilatura "$OUT/trafilatura.jsonl" --dump "$OUT/misses.jsonl" --json "$OUT/scores.json"
"$VENV/bin/python" eval/web/score.py --data "$DATA" --run sitrep="$OUT/sitrep.jsonl" --title-in-text | tail -1
# The two fixed halves (even / odd index in file-name order): tune on one, check on the other.
for half in even odd; do
    echo "half: $half"
    "$VENV/bin/python" eval/web/score.py --data "$DATA" --half "$half" \
        --run sitrep="$OUT/sitrep.jsonl" --run trafilatura="$OUT/trafilatura.jsonl" | tail -2
done
echo "per-page outputs and scores in $OUT"
