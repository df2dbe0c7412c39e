#!/usr/bin/env bash
# Ingest the shared corpus of real referater and score it against the gold
# annotations (../shared/eval/score.py). Usage: benchmarks/corpus_score.sh [SHARED_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-../shared}"
[ -d "$shared/corpus" ] || { echo "no corpus at $shared/corpus" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
.venv/bin/python -m pipeline ingest "$shared/corpus/pdf" "$shared/corpus/txt" --out "$out" -q --model blank || true
.venv/bin/python "$shared/eval/score.py" "$out" "$shared/corpus/gold"
