"""The loader's character shortcut gives exactly pdfplumber's words and tables."""

from __future__ import annotations

from collections import Counter
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
    import pipeline.load.pdf as load_pdf_module

    path = sorted(RAW.glob("*.pdf"))[0]
    fast = load(path)
    monkeypatch.setattr(load_pdf_module, "lean_chars", lambda page: None)
    slow = load(path)
    assert fast.lines == slow.lines
    assert len(fast.lines) > 100


# --- two-column prose -----------------------------------------------------------

LEFT_TEXT = (
    "Udvalget drøftede forslaget om en ny model for hjemmeplejen i de fire distrikter. "
    "Forvaltningen redegjorde for erfaringerne fra forsøget i Nordbyen, hvor borgerne "
    "fik faste teams og færre skift mellem medarbejdere i løbet af ugen. Tilfredsheden "
    "steg, og sygefraværet faldt en smule i forsøgsperioden."
)
RIGHT_TEXT = (
    "Udgifterne til den nye model er beregnet til 1.250.000 kr. årligt, som finansieres "
    "inden for udvalgets ramme. Forvaltningen anbefaler, at modellen indføres i alle "
    "distrikter fra 1. april, og at der gives en status på udvalgets møde i oktober "
    "med tal for tilfredshed, fravær og økonomi i hvert distrikt."
)


def _wrap(text: str, width: int = 44) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width)


def _two_column_pdf(path: Path, left: list[str], right: list[str], gutter_words: bool = False) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 12)
    c.drawString(72, 800, "3. Ny model for hjemmeplejen")
    c.setFont("Helvetica", 10)
    c.drawString(72, 780, "Sagsfremstilling (hele sidens bredde over kolonnerne)")
    y = 760
    for n in range(max(len(left), len(right))):
        if n < len(left):
            c.drawString(72, y, left[n])
        if n < len(right):
            c.drawString(310, y, right[n])
        y -= 13
    c.drawString(72, y - 10, "Beslutning: Godkendt som indstillet (hele sidens bredde).")
    c.drawString(280, 30, "Side 1 af 1")
    c.showPage()
    c.save()
    return path


def test_two_column_prose_is_read_column_by_column(tmp_path):
    left, right = _wrap(LEFT_TEXT), _wrap(RIGHT_TEXT)
    loaded = load(_two_column_pdf(tmp_path / "spalter.pdf", left, right))
    texts = [ln.text for ln in loaded.lines]
    assert texts == ["3. Ny model for hjemmeplejen", "Sagsfremstilling (hele sidens bredde over kolonnerne)", *left, *right,
                     "Beslutning: Godkendt som indstillet (hele sidens bredde).", "Side 1 af 1"]
    assert [ln.no for ln in loaded.lines] == list(range(1, len(texts) + 1))
    # each line keeps its own box: the right column's lines start at its x
    assert all(ln.bbox[0] > 300 for ln in loaded.lines if ln.text in right)
    assert any("two-column" in d.message for d in loaded.diagnostics)


def test_two_column_prose_reaches_the_item_text(tmp_path):
    from pipeline.parse import parse_document

    path = _two_column_pdf(tmp_path / "spalter.pdf", _wrap(LEFT_TEXT), _wrap(RIGHT_TEXT))
    parsed = parse_document(str(path), model="blank")
    body = " ".join(ln.text for ln in parsed.trace.cleaned.lines)
    # the left column's sentences end before the right column's begin, and each stays whole
    assert body.index("i forsøgsperioden.") < body.index("Udgifterne til den nye model")
    assert "Tilfredsheden steg, og sygefraværet faldt" in body
    amounts = parsed.rows["amounts"]
    assert [a["value"] for a in amounts] == [1250000]


def test_short_two_column_rows_keep_row_order(tmp_path):
    """Name lists and label/value rows in two columns are not prose: row by row, as before."""
    names = [f"Medlem nr. {n} (A)" for n in range(1, 9)]
    others = [f"Suppleant nr. {n} (V)" for n in range(1, 9)]
    loaded = load(_two_column_pdf(tmp_path / "navne.pdf", names, others))
    rows = [ln.text for ln in loaded.lines][2:10]
    assert rows == [f"{a} {b}" for a, b in zip(names, others)]
    assert not any("two-column" in d.message for d in loaded.diagnostics)


def test_column_blocks_leave_single_column_pages_alone():
    from pipeline.load import column_blocks

    words = [{"text": w, "x0": 72 + 30 * i, "x1": 72 + 30 * i + 25, "top": 100 + 13 * r, "bottom": 110 + 13 * r, "size": 10}
             for r in range(20) for i, w in enumerate("en to tre fire fem seks syv otte ni ti elleve tolv tretten fjorten".split())]
    ordinary, columns = column_blocks(words, 595)
    assert columns == [] and ordinary is words


# --- no word lost between pdfplumber and the lines ---------------------------------


def _ruled_grid_pdf(path: Path) -> Path:
    """A page of dense ruled rectangles, as scanned forms with an OCR layer have.

    Text inside the cells, above, beside and below the grid; one row where only
    the first cell is ruled and words stand in the table's box but in no cell;
    one word that runs across a cell's rule.
    """
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 9)
    c.drawString(72, 800, "Referat af bestyrelsesmøde")
    y = 770
    for r in range(16):
        ruled = range(5) if r != 7 else range(1)
        for col in ruled:
            c.rect(72 + 80 * col, y, 80, 14)
            c.drawString(72 + 80 * col + 3, y + 4, f"r{r}k{col} felt")
        if r == 7:
            c.drawString(72 + 80 * 2 + 3, y + 4, "ingen celle omkring disse ord")
        y -= 14
    c.drawString(72 + 80 - 30, 770 - 14 * 3 + 4, "grænseord")  # across the rule between columns 0 and 1 of row 3
    c.drawString(500, 700, "Margen")
    c.drawString(72, y - 20, "Beslutning: Godkendt.")
    c.showPage()
    c.save()
    return path


def _tokens(texts) -> Counter:
    return Counter(tok for t in texts for tok in t.split())


def test_every_word_of_a_ruled_page_is_in_exactly_one_line(tmp_path):
    path = _ruled_grid_pdf(tmp_path / "gitter.pdf")
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        words = [w["text"] for w in page.extract_words()]
        assert page.find_tables()  # the grid is read as a ruled table
    loaded = load(path)
    assert _tokens(ln.text for ln in loaded.lines) == _tokens(words)
    texts = [ln.text for ln in loaded.lines]
    assert "ingen celle omkring disse ord" in " ".join(texts)
    # the regular rows still come out as table rows with their cells
    row0 = next(ln for ln in loaded.lines if ln.text.startswith("r0k0"))
    assert row0.cells == tuple(f"r0k{k} felt" for k in range(5)) and row0.table is not None
    assert not loaded.partial_reasons


@pytest.mark.parametrize("info, created", [
    ({"/CreationDate": "D:20230301120000+01'00'"}, "2023-03-01"),
    ({"/CreationDate": "D:2023", "/ModDate": "D:20230415"}, "2023-04-15"),  # an unreadable date: the other one
    ({"/CreationDate": "D:20231345"}, None),  # no such day
    ({}, None),
])
def test_the_files_own_date_comes_from_the_pdf_metadata(tmp_path, info, created):
    import pikepdf

    from badfiles import text_pdf

    src = text_pdf(tmp_path / "a.pdf")
    with pikepdf.open(src) as pdf:
        for key in ("/CreationDate", "/ModDate"):
            if key in pdf.docinfo:
                del pdf.docinfo[key]
        for key, value in info.items():
            pdf.docinfo[key] = value
        pdf.save(tmp_path / "b.pdf")
    assert load(tmp_path / "b.pdf").created == created
