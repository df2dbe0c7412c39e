#!/usr/bin/env python3
"""Score the corpus text documents after edits that keep their meaning.

Each gold-annotated text document of ``../shared/corpus`` is written again with
one kind of edit a real copy of the same minutes may have, ingested, and scored
with its gold annotation:

- ``crlf``: Windows line ends;
- ``indent``: every line indented by four spaces;
- ``footer``: "Side N af 9" between blank lines every 35 lines (a page footer in mid-text);
- ``wrap``: lines longer than 70 characters wrapped at 60 (a narrower export);
- ``blank``: every blank line doubled.

A rule that holds for one copy only shows up as a lower figure.  Prints
figures and asserts nothing.

    .venv/bin/python benchmarks/perturb_score.py [--shared ../shared] [--only wrap,footer]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _footer(text: str) -> str:
    out: list[str] = []
    for i, line in enumerate(text.split("\n")):
        out.append(line)
        if i % 35 == 34:
            out += ["", f"Side {i // 35 + 1} af 9", ""]
    return "\n".join(out)


def _wrap(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        out += textwrap.wrap(line, 60) if len(line) > 70 else [line]
    return "\n".join(out)


EDITS = {
    "none": lambda t: t,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "indent": lambda t: "\n".join("    " + ln if ln.strip() else ln for ln in t.split("\n")),
    "footer": _footer,
    "wrap": _wrap,
    "blank": lambda t: re.sub(r"\n\n", "\n\n\n", t),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--only", default=",".join(EDITS), help="comma-separated edits (default: all)")
    args = ap.parse_args()
    corpus, scorer = args.shared / "corpus", args.shared / "eval" / "score.py"
    if not (corpus / "gold").is_dir():
        raise SystemExit(f"no corpus at {corpus}")
    docs = []
    for g in sorted((corpus / "gold").glob("*.gold.json")):
        ann = json.loads(g.read_text(encoding="utf-8"))
        src = corpus / "txt" / ann["source"]
        if src.exists():
            docs.append((g.name, ann, src.read_text(encoding="utf-8")))
    print(f"{len(docs)} gold-annotated text documents")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only.split(","):
            edit = EDITS[name]
            inputs, gold, out = (Path(tmp) / name / d for d in ("in", "gold", "out"))
            inputs.mkdir(parents=True)
            gold.mkdir()
            for gname, ann, text in docs:
                (inputs / ann["source"]).write_text(edit(text), encoding="utf-8", newline="")
                (gold / gname).write_text(json.dumps(ann, ensure_ascii=False), encoding="utf-8")
            subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(inputs), "--data", str(out), "-q", "--model", "blank"],
                           cwd=REPO, capture_output=True, text=True)
            r = subprocess.run([sys.executable, str(scorer), str(out), str(gold)], cwd=REPO, capture_output=True, text=True)
            summary = next((ln for ln in r.stdout.splitlines() if ln.startswith("summary:")), r.stdout.strip()[-200:])
            print(f"{name:7} {summary.removeprefix('summary: ')}")


if __name__ == "__main__":
    main()
