"""Image-only pages read by tesseract (``--ocr``)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

#: resolution of page images given to OCR
OCR_DPI = 300
#: seconds one page may take in tesseract
OCR_TIMEOUT = 120


def ocr_available() -> bool:
    """Whether the tesseract program is on the PATH."""
    return shutil.which("tesseract") is not None


def ocr_words(page, lang: str = "dan") -> list[dict]:
    """Words of an image-only page from tesseract (TSV output), in PDF points."""
    img = page.to_image(resolution=OCR_DPI).original
    scale = 72.0 / OCR_DPI
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "page.png"
        img.save(png)
        r = subprocess.run(["tesseract", str(png), "stdout", "-l", lang, "tsv"], capture_output=True, text=True, timeout=OCR_TIMEOUT)
    if r.returncode != 0:
        raise RuntimeError((r.stderr.strip().splitlines() or ["tesseract failed"])[-1])
    # A word's box is its glyphs' box ("som" sits lower than "Ravn"), so words
    # take the top and bottom of the line tesseract put them on: grouping by
    # position then keeps its lines whole, however skewed the scan.
    words = []
    line_box: dict[tuple[str, ...], tuple[float, float]] = {}
    for row in r.stdout.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        key = tuple(cols[1:5])  # page, block, paragraph, line
        left, top, width, height = (float(c) for c in cols[6:10])
        if cols[0] == "4":
            line_box[key] = (top * scale, (top + height) * scale)
            continue
        if not cols[11].strip() or cols[10] in ("-1",):
            continue
        line_top, line_bottom = line_box.get(key, (top * scale, (top + height) * scale))
        words.append(
            {"text": cols[11].strip(), "x0": left * scale, "x1": (left + width) * scale, "top": line_top, "bottom": line_bottom,
             "fontname": "OCR", "size": max((line_bottom - line_top) * 0.8, 1.0)}
        )
    return words
