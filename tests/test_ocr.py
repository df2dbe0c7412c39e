"""--ocr: image-only pages read by tesseract, then the usual pipeline.

Skipped where tesseract with Danish data is not installed
(apt-get install tesseract-ocr-dan; .ci/run installs it).
"""

import io
import os
from pathlib import Path
import shutil
import subprocess

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pipeline.load import load
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


# --- the OCR'd-scan family: a sample printed, scanned and read back ------------------

SAMPLE = Path(__file__).parent / "samples" / "association" / "association_grundejerforening_2024-03-12.txt"
DPI = 200


def _scan_images(text: str) -> list:
    """The text set on A4 pages as a scanner would return them: slightly skewed, specks, JPEG."""
    import random
    import textwrap

    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rnd = random.Random(7)
    import reportlab

    # a real text face, as a printed Word document has (Bitstream Vera ships with reportlab)
    font = ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), 31)
    width, height, margin, step = int(8.27 * DPI), int(11.69 * DPI), 200, 52
    rows = [w for line in text.splitlines() for w in (textwrap.wrap(line, 82) or [""])]
    per_page = (height - 2 * margin) // step
    pages = []
    for start in range(0, len(rows), per_page):
        img = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(img)
        for i, row in enumerate(rows[start:start + per_page]):
            draw.text((margin, margin + i * step), row, fill=20, font=font)
        for _ in range(400):  # dust
            x, y = rnd.randrange(width), rnd.randrange(height)
            draw.point((x, y), fill=rnd.randrange(80, 200))
        img = img.rotate(0.35, resample=Image.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(0.6))
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=70)
        pages.append(Image.open(io.BytesIO(buf.getvalue())))
    return pages


def _image_only_pdf(images, path):
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for img in images:
        c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return path


def _searchable_pdf(images, path):
    """An image PDF with tesseract's invisible text layer, as scanner software makes them."""
    import pikepdf

    parts = []
    for n, img in enumerate(images):
        png = path.parent / f"scan{n}.png"
        img.save(png, dpi=(DPI, DPI))
        subprocess.run(["tesseract", str(png), str(path.parent / f"scan{n}"), "-l", "dan", "pdf"], check=True, capture_output=True, timeout=300)
        parts.append(path.parent / f"scan{n}.pdf")
    out = pikepdf.new()
    for part in parts:
        with pikepdf.open(part) as src:
            out.pages.extend(src.pages)
    out.save(path)
    return path


def _facts(parsed):
    r = parsed.rows
    meeting = r["meetings"][0]
    return {
        "date": meeting["meeting_date"],
        "items": [(a["item_no"], a["title"]) for a in r["agenda_items"]],
        "decisions": [(d["item_no"], d["decision_type"]) for d in r["decisions"]],
        "amounts": [(a["item_no"], a["value"]) for a in r["amounts"]],
        "votes": [(v["item_no"], v["position"], v["count"]) for v in r["votes"]],
        "people": sorted((p["name"], p["title"], p["attendance"]) for p in r["people"]),
    }


@pytest.fixture(scope="module")
def text_form():
    facts = _facts(parse_document(SAMPLE, model="blank"))
    assert len(facts["items"]) == 5 and facts["amounts"] and facts["votes"]  # the sample is rich enough to compare
    return facts


def test_scanned_sample_read_by_ocr_matches_its_text_form(tmp_path, text_form):
    pdf = _image_only_pdf(_scan_images(SAMPLE.read_text(encoding="utf-8")), tmp_path / "scannet.pdf")
    without = parse_document(pdf, model="blank")
    assert without.status == "partial" and not without.rows["agenda_items"]
    scanned = parse_document(pdf, model="blank", ocr=True)
    assert scanned.rows["documents"][0]["extractor"].endswith("+tesseract")
    assert _facts(scanned) == text_form


def test_scan_with_ocr_text_layer_matches_its_text_form(tmp_path, text_form):
    """The form most archives hold: image plus scanner OCR as invisible text; read without --ocr."""
    pdf = _searchable_pdf(_scan_images(SAMPLE.read_text(encoding="utf-8")), tmp_path / "ocr-lag.pdf")
    parsed = parse_document(pdf, model="blank")
    assert not parsed.rows["documents"][0]["extractor"].endswith("+tesseract")
    assert _facts(parsed) == text_form


# --- an OCR'd page with ruled rectangles: no word lost ------------------------------------


def _ruled_scan_pdf(path):
    """A scanned page (image only) with a ruled grid drawn over it as vectors, as form-filling
    scanners make them: three columns, the second row ruled in its first column only."""
    from PIL import Image, ImageDraw, ImageFont

    scale = 595.0 / 2480  # PDF points per image pixel
    img = Image.new("L", (2480, 1200), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=52)
    draw.text((150, 80), "Referat af bestyrelsesmøde", fill=0, font=font)
    cells = [(0, 0, "Budget"), (0, 1, "Regnskab"), (0, 2, "Afvigelse"), (1, 0, "Husleje"), (1, 1, "125.000"),
             (2, 0, "Tilskud"), (2, 1, "40.000"), (2, 2, "38.500")]
    x0, y0, w, h = 150, 300, 700, 130
    for row, col, text in cells:
        draw.text((x0 + col * w + 30, y0 + row * h + 35), text, fill=0, font=font)
    draw.text((x0 + 2 * w + 30, y0 + 1 * h + 35), "Ingen celle her", fill=0, font=font)  # in the grid's box, in no cell
    draw.text((150, 800), "Bilag 3 blev godkendt.", fill=0, font=font)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    top = 842 - img.height * scale
    c.drawImage(ImageReader(buf), 0, top, width=595, height=img.height * scale)
    c.setLineWidth(0.6)
    for row in range(3):
        for col in (range(3) if row != 1 else range(2)):
            c.rect((x0 + col * w) * scale, 842 - (y0 + (row + 1) * h) * scale, w * scale, h * scale)
    c.showPage()
    c.save()
    return path


def test_ocr_words_in_a_ruled_grid_are_all_read(tmp_path):
    loaded = load(_ruled_scan_pdf(tmp_path / "skema.pdf"), ocr=True)
    text = " ".join(ln.text for ln in loaded.lines)
    assert loaded.extractor.endswith("+tesseract")
    assert "Ingen celle her" in text  # in the grid's box but in no cell: lost before
    for word in ("Budget", "Regnskab", "Afvigelse", "Husleje", "125.000", "Tilskud", "40.000", "38.500"):
        assert word in text
    assert not any("word(s)" in reason for reason in loaded.partial_reasons)


def test_a_failed_ocr_leaves_the_page_as_image_only(tmp_path, monkeypatch):
    """tesseract that fails (here a stand-in on PATH that exits 1): a warning, the page stays 'OCR needed'."""
    fake = tmp_path / "bin" / "tesseract"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'Error opening data file dan.traineddata' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    p = parse_document(scanned_pdf(tmp_path / "scan.pdf"), model="blank", ocr=True)
    messages = [d["message"] for d in p.rows["diagnostics"]]
    assert p.status == "partial"
    assert "OCR of page 1 failed: Error opening data file dan.traineddata" in messages
    assert not p.rows["documents"][0]["extractor"].endswith("+tesseract")
