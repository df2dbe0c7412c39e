"""PDF files: opened (password, repair), each page's words turned into Lines.

pdfplumber words (with font name and size) are grouped into lines by their
vertical position; a wide horizontal gap splits a line into cells, and words
inside a ruled table (``page.find_tables``) take the table's cells; blocks of
two-column prose are read column by column.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from ..records import Diagnostic, Line, Loaded
from .chars import lean_chars
from .columns import column_blocks
from .ocr import ocr_available, ocr_words
from .sniff import LoadError
from .tables import table_lines
from .words import words_to_lines

#: pages beyond this are not read (a diagnostic says so)
MAX_PAGES = 5000
#: a gap wider than this share of the font size separates words (LaTeX sets
#: narrow spaces that the fixed default of 3 points glues together)
WORD_GAP_RATIO = 0.15


def _password_problem(exc: BaseException) -> bool:
    # pdfminer is loaded lazily with pdfplumber (heavy; text files never need it)
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, PDFPasswordIncorrect) or any(isinstance(a, PDFPasswordIncorrect) for a in getattr(exc, "args", ())):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def open_pdf(path: Path, password: str | None):
    """Open with pdfplumber; a damaged file is rebuilt with qpdf (pikepdf) and reopened.

    Returns (pdf, repair_note or None).
    """
    import pdfplumber  # lazily: heavy, and text files never need it

    try:
        pdf = pdfplumber.open(path, password=password or "")
        if len(pdf.pages) == 0:
            raise ValueError("PDF has no pages")
        return pdf, None
    except Exception as exc:
        if _password_problem(exc):
            raise LoadError("encrypted PDF: a password is needed (use --password)" if not password else "encrypted PDF: the password is wrong") from None
        first = f"{type(exc).__name__}: {exc}".rstrip(": ")
    try:
        import pikepdf  # lazily: only damaged files are rebuilt

        with pikepdf.open(path, password=password or "") as broken:
            buf = io.BytesIO()
            broken.save(buf)
        pdf = pdfplumber.open(io.BytesIO(buf.getvalue()))
        if len(pdf.pages) == 0:
            raise ValueError("no pages recovered")
    except ImportError:
        raise LoadError(f"unreadable PDF: {first}") from None
    except Exception as exc:
        raise LoadError(f"unreadable PDF: {first}; repair failed: {type(exc).__name__}: {exc}".rstrip(": ")) from None
    return pdf, f"damaged PDF ({first}); structure rebuilt with qpdf, {len(pdf.pages)} page(s) recovered: check the result"


def load_pdf(path: Path, password: str | None = None, ocr: bool = False) -> Loaded:
    """A PDF file as Lines, page by page, with diagnostics on what could not be read."""
    import pdfplumber  # lazily: heavy, and text files never need it

    pdf, repair_note = open_pdf(path, password)
    lines: list[Line] = []
    diagnostics: list[Diagnostic] = []
    if repair_note:
        diagnostics.append(Diagnostic("load", "warning", repair_note))
    sizes: list[tuple[float, float]] = []
    no_text: list[int] = []
    empty: list[int] = []
    ocr_pages: list[int] = []
    tables_seen = 0
    with pdf:
        pages = pdf.pages
        n_pages = len(pages)
        if n_pages > MAX_PAGES:
            diagnostics.append(Diagnostic("load", "warning", f"only the first {MAX_PAGES} of {n_pages} pages were read"))
        for page_no, page in enumerate(pages[:MAX_PAGES], start=1):
            sizes.append((float(page.width), float(page.height)))
            try:
                lean_chars(page)
                words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False, x_tolerance_ratio=WORD_GAP_RATIO)
            except Exception as exc:
                diagnostics.append(Diagnostic("load", "error", f"page {page_no} could not be read: {type(exc).__name__}: {exc}", page=page_no))
                continue
            if not words and page.images and ocr and ocr_available():
                try:
                    words = ocr_words(page)
                    ocr_pages.append(page_no)
                except Exception as exc:  # a failed OCR leaves the page as image only
                    diagnostics.append(Diagnostic("load", "warning", f"OCR of page {page_no} failed: {exc}", page=page_no))
            if not words:
                (no_text if page.images else empty).append(page_no)
                continue
            words, table_rows = table_lines(page, words, page_no, tables_seen)
            tables_seen += len({ln.table for _, ln in table_rows})
            words, columns = column_blocks(words, float(page.width))
            keyed = [(ln.bbox[1], ln) for ln in words_to_lines(words, page_no, 0)]
            for left, right in zip(columns[::2], columns[1::2]):
                # a column block is read left column first, all of it at the block's top
                block_top = min(w["top"] for w in left + right)
                col_lines = words_to_lines(left, page_no, 0) + words_to_lines(right, page_no, 0)
                keyed += [(block_top + k * 1e-4, ln) for k, ln in enumerate(col_lines)]
            if columns:
                diagnostics.append(Diagnostic("load", "info", f"page {page_no}: {len(columns) // 2} block(s) of two-column text read column by column", page=page_no))
            merged = sorted(keyed + table_rows, key=lambda t: t[0])
            base = len(lines) + 1
            for i, (_, ln) in enumerate(merged):
                lines.append(replace(ln, no=base + i))
            page.flush_cache()
    if ocr_pages:
        diagnostics.append(Diagnostic("load", "warning", f"text of page(s) {page_ranges(ocr_pages)} read by OCR (tesseract, Danish): check names and numbers", page=ocr_pages[0]))
    if no_text:
        hint = " (run with --ocr)" if not ocr else (" (tesseract is not installed)" if not ocr_available() else "")
        diagnostics.append(
            Diagnostic("load", "warning", f"no text layer on page(s) {page_ranges(no_text)} (image only) — OCR needed{hint}", page=no_text[0])
        )
    if empty and (repair_note or len(empty) < n_pages):
        diagnostics.append(Diagnostic("load", "info" if not repair_note else "warning", f"no text on page(s) {page_ranges(empty)}", page=empty[0]))
    return Loaded(
        lines=lines,
        pages=n_pages,
        extractor=f"pdfplumber-{pdfplumber.__version__}" + ("+tesseract" if ocr_pages else ""),
        page_sizes=sizes,
        diagnostics=diagnostics,
        no_text_pages=no_text,
        repaired=repair_note is not None,
    )


def page_ranges(nums: list[int]) -> str:
    """Page numbers as compact ranges: [1, 2, 3, 5] -> "1-3, 5"."""
    out: list[str] = []
    start = prev = nums[0]
    for n in nums[1:] + [None]:  # type: ignore[list-item]
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)
