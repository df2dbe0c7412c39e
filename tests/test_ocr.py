"""--ocr: image-only pages read by tesseract, then the usual pipeline.

Skipped where tesseract with Danish data is not installed
(apt-get install tesseract-ocr-dan; .ci/run installs it).
"""

import io
import shutil
import subprocess

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pipeline.parse import parse_document


def _has_danish_tesseract() -> bool:
    if not shutil.which("tesseract"):
        return False
    r = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    return "dan" in r.stdout.split()


pytestmark = pytest.mark.skipif(not _has_danish_tesseract(), reason="tesseract with Danish language data is not installed")

LINES = ["REFERAT", "Bestyrelsesmøde", "1. Godkendelse af dagsorden", "Dagsordenen blev godkendt.", "2. Regnskab", "Regnskabet blev godkendt med et overskud på 12.500 kr."]


def scanned_pdf(path):
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (2480, 1400), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=48)
    for i, text in enumerate(LINES):
        draw.text((150, 120 + i * 110), text, fill=0, font=font)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.drawImage(ImageReader(buf), 0, 842 - 476, width=595, height=336)
    c.showPage()
    c.save()
    return path


def test_without_ocr_the_page_is_flagged(tmp_path):
    p = parse_document(scanned_pdf(tmp_path / "scan.pdf"), model="blank")
    assert p.status == "partial"
    assert any("OCR needed (run with --ocr)" in d["message"] for d in p.rows["diagnostics"])


def test_ocr_reads_the_page_and_says_so(tmp_path):
    p = parse_document(scanned_pdf(tmp_path / "scan.pdf"), model="blank", ocr=True)
    doc = p.rows["documents"][0]
    assert doc["extractor"].endswith("+tesseract")
    assert [(a["item_no"], a["title"]) for a in p.rows["agenda_items"]] == [(1, "Godkendelse af dagsorden"), (2, "Regnskab")]
    assert [d["decision_type"] for d in p.rows["decisions"]] == ["approved", "approved"]
    assert [a["value"] for a in p.rows["amounts"]] == [12500.0]
    assert any("read by OCR" in d["message"] for d in p.rows["diagnostics"])
