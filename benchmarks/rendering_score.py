#!/usr/bin/env python3
"""Score the corpus PDFs read as another tool renders them: plain text from PDFium.

The same minutes reach users as PDF and as text saved by some other program;
rules that only hold for one rendering are rules for one document.  This script
writes each gold-annotated PDF of ``../shared/corpus`` as the text PDFium
extracts (pages separated by form feeds), points a copy of its gold annotation
at the text file, ingests the texts and prints ``score.py``'s figures, next to
the figures of the PDFs themselves.  It prints figures and asserts nothing.

    .venv/bin/python benchmarks/rendering_score.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def render(pdf: Path, target: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        pages = [doc[i].get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n") for i in range(len(doc))]
    finally:
        doc.close()
    target.write_text("\f".join(pages), encoding="utf-8")


def score(inputs: Path, gold: Path, work: Path, scorer: Path) -> str:
    out = work / f"out-{inputs.name}"
    subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(inputs), "--data", str(out), "-q", "--model", "blank"],
                   cwd=REPO, capture_output=True, text=True)
    r = subprocess.run([sys.executable, str(scorer), str(out), str(gold)],
                       cwd=REPO, capture_output=True, text=True)
    totals = ("agenda_items ", "decisions ", "people ", "amounts ", "meeting fields", "decision_type", "summary:")
    return "\n".join(ln for ln in r.stdout.splitlines() if ln.startswith(totals))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = ap.parse_args()
    corpus = args.shared / "corpus"
    if not (corpus / "gold").is_dir():
        raise SystemExit(f"no corpus at {corpus}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pdfs, texts, gold_pdf, gold_text = (work / n for n in ("pdf", "text", "gold/pdf/g", "gold/text/g"))
        for d in (pdfs, texts, gold_pdf, gold_text):
            d.mkdir(parents=True)
        for g in sorted((corpus / "gold").glob("*.gold.json")):
            ann = json.loads(g.read_text(encoding="utf-8"))
            pdf = corpus / "pdf" / ann["source"]
            if pdf.suffix != ".pdf" or not pdf.exists():
                continue
            (pdfs / pdf.name).symlink_to(pdf.resolve())
            (gold_pdf / g.name).write_text(json.dumps(ann, ensure_ascii=False), encoding="utf-8")
            render(pdf, texts / f"{pdf.stem}.txt")
            (gold_text / g.name).write_text(json.dumps({**ann, "source": f"{pdf.stem}.txt"}, ensure_ascii=False), encoding="utf-8")
        print(f"{len(list(pdfs.iterdir()))} gold-annotated PDFs\n\n== as PDF ==")
        scorer = args.shared / "eval" / "score.py"
        print(score(pdfs, gold_pdf, work, scorer))
        print("\n== as PDFium's plain text ==")
        print(score(texts, gold_text, work, scorer))


if __name__ == "__main__":
    main()
