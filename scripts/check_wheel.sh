#!/usr/bin/env bash
# Build the wheel, install it into a fresh virtual environment outside the
# checkout and run `referat show` and `referat ingest` on a sample from another
# folder: what a user who runs `pip install .` gets. CI runs this after the tests.
# Usage: scripts/check_wheel.sh [PYTHON]   (default python3.11)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
python=${1:-python3.11}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --upgrade pip
"$work/venv/bin/python" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" "$root"
wheel=$(ls "$work"/dist/referat-*.whl)
"$work/venv/bin/python" -m pip install --quiet "$wheel"

mkdir "$work/elsewhere"
cp data/raw/styregruppe_klynge_syd_2022-05-06.pdf "$work/elsewhere/minutes.pdf"
cd "$work/elsewhere"
# the installed package, not the checkout, must answer
"$work/venv/bin/python" - "$root" <<'EOF'
import sys
from pathlib import Path
import pipeline
from pipeline.lexicon import models_dir
root = Path(sys.argv[1]).resolve()
assert root not in Path(pipeline.__file__).resolve().parents, f"imported from the checkout: {pipeline.__file__}"
assert root not in models_dir().resolve().parents, f"models read from the checkout: {models_dir()}"
print(f"installed package: {Path(pipeline.__file__).parent}; models: {models_dir()}")
EOF
"$work/venv/bin/referat" show minutes.pdf > show.txt
grep -q "Styregruppe Klynge Syd" show.txt || { cat show.txt; echo "check_wheel: show did not print the meeting" >&2; exit 1; }
if grep -q "failed" show.txt; then cat show.txt; echo "check_wheel: show reported a failure" >&2; exit 1; fi
"$work/venv/bin/referat" ingest minutes.pdf --out parsed -q
"$work/venv/bin/python" - <<'EOF'
import pandas as pd
docs = pd.read_parquet("parsed/documents")
assert list(docs.status) == ["ok"], docs[["file_name", "status", "error"]]
items = pd.read_parquet("parsed/agenda_items")
people = pd.read_parquet("parsed/people")
assert len(items) >= 5 and len(people) >= 5, (len(items), len(people))
print(f"wheel ok: ingest wrote {len(items)} agenda items and {len(people)} people")
EOF
