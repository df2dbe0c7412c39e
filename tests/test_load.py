"""The loader's character shortcut gives exactly pdfplumber's words and tables."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from conftest import CORPUS, RAW
from pipeline.load import lean_chars, load

WORD_KEYS = ("text", "x0", "x1", "top", "bottom", "doctop", "upright", "fontname", "size")


def _words_and_tables(path: Path, lean: bool, **open_kwargs):
    out = []
    with pdfplumber.open(path, **open_kwargs) as pdf:
        for page in pdf.pages:
            if lean:
                lean_chars(page)
            words = page.extract_words(extra_attrs=["fontname", "size"], x_tolerance_ratio=0.15)
            tables = [(t.bbox, [r.bbox for r in t.rows]) for t in page.find_tables()] if (page.rects or page.lines) else []
            out.append(([tuple(w[k] for k in WORD_KEYS) for w in words], tables, len(page.images)))
    return out


def _assert_same(path: Path, **open_kwargs) -> int:
    plain = _words_and_tables(path, lean=False, **open_kwargs)
    lean = _words_and_tables(path, lean=True, **open_kwargs)
    assert len(plain) == len(lean)
    for n, (a, b) in enumerate(zip(plain, lean), start=1):
        assert a == b, f"{path.name} page {n} differs"
    return sum(len(words) for words, _, _ in plain)


@pytest.mark.parametrize("path", sorted(RAW.glob("*.pdf")), ids=lambda p: p.name)
def test_lean_chars_match_pdfplumber_on_samples(path):
    assert _assert_same(path) > 300


@pytest.mark.skipif(not CORPUS.exists(), reason=f"shared corpus not found at {CORPUS}")
def test_lean_chars_match_pdfplumber_on_corpus():
    pdfs = sorted((CORPUS / "pdf").glob("*.pdf"))
    assert pdfs
    assert sum(_assert_same(p) for p in pdfs) > 1000


def _odd_pdf(path: Path) -> Path:
    """Text in two fonts, a rotated line, a ruled table, and a MediaBox not at the origin."""
    import pikepdf

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 800, "REFERAT – Økonomiudvalget")
    c.setFont("Times-Roman", 10)
    c.drawString(72, 780, "Mødedato: 12. august 2025, kl. 16.00")
    c.saveState()
    c.translate(560, 400)
    c.rotate(90)
    c.drawString(0, 0, "Sag nr. 27.00.00-A00-1-25 (lodret)")
    c.restoreState()
    for i, (a, b) in enumerate([("Tilskud", "125.000 kr."), ("Husleje", "7.59.279 kr.")]):
        y = 700 - i * 20
        c.rect(72, y, 200, 20)
        c.rect(272, y, 150, 20)
        c.drawString(76, y + 6, a)
        c.drawString(276, y + 6, b)
    c.showPage()
    c.save()
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].MediaBox = [40, 25, 635, 867]
        pdf.save(path)
    return path


def test_lean_chars_match_pdfplumber_on_odd_layout(tmp_path):
    path = _odd_pdf(tmp_path / "odd.pdf")
    assert _assert_same(path) >= 10
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        lean_chars(page)
        assert any(not c["upright"] for c in page.chars)  # the rotated line went through the shortcut
        assert page.find_tables()  # the ruled table is still found


def test_unicode_normalisation_takes_pdfplumber_path(tmp_path):
    path = _odd_pdf(tmp_path / "odd.pdf")
    assert _assert_same(path, unicode_norm="NFKC") >= 10


def test_loader_output_unchanged_by_shortcut(tmp_path, monkeypatch):
    """The Lines of a real sample are the same with and without the shortcut."""
    import pipeline.load as load_module

    path = sorted(RAW.glob("*.pdf"))[0]
    fast = load(path)
    monkeypatch.setattr(load_module, "lean_chars", lambda page: None)
    slow = load(path)
    assert fast.lines == slow.lines
    assert len(fast.lines) > 100
