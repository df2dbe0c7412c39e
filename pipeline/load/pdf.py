"""PDF files: opened (password, repair), each page's words turned into Lines, losses found.

pdfplumber words (with font name and size) are grouped into lines by their
vertical position; a wide horizontal gap splits a line into cells, and words
inside a ruled table (``page.find_tables``) take the table's cells; blocks of
two-column prose are read column by column.

Nothing is lost silently: a page that cannot be read, damage the PDF
libraries report while reading a page (captured, never printed), a compressed
content stream that is corrupt or cut short (``streams``), a word that lands
in no line, characters without a Unicode mapping, characters PDFium's second
reading of the page finds and pdfplumber's does not (``second``), an
impossible page size, pages missing from the page tree, or a file PDFium
cannot open make the document ``partial`` (``Loaded.partial_reasons``) with
a diagnostic per page (``loss``).  docs/reliability.md lists them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..pages import choose
from ..records import Diagnostic, Line, Loaded
from .capture import Captured, shorten
from .chars import lean_chars
from .columns import column_blocks
from .loss import MAX_PAGE_SIDE, Losses, chars_missing, page_ranges, selection_notes, word_shortfall
from .messages import OUT_OF_MEMORY, plain_reason, technical_detail
from .ocr import ocr_available, ocr_words
from .second import SecondReading, pdfium_available, visible_chars
from .sniff import LoadError
from .streams import damaged_streams
from .tables import table_lines
from .words import words_to_lines

#: pages beyond this are not read (a diagnostic says so)
MAX_PAGES = 5000
#: a gap wider than this share of the font size separates words (LaTeX sets
#: narrow spaces that the fixed default of 3 points glues together)
WORD_GAP_RATIO = 0.15
#: words pdfplumber renders for a glyph it has no Unicode for
UNMAPPED = "(cid:"


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


@dataclass
class Opened:
    """A PDF opened with pdfplumber, and whether it had to be rebuilt first."""

    pdf: object  # pdfplumber.PDF
    repaired: str | None = None  # what was wrong, when the structure was rebuilt


def open_pdf(path: Path, password: str | None) -> Opened:
    """Open with pdfplumber; a damaged file is rebuilt with qpdf (pikepdf) and reopened.

    Raises LoadError (plain message, technical ``detail``) when neither works.
    """
    import pdfplumber  # lazily: heavy, and text files never need it

    try:
        pdf = pdfplumber.open(path, password=password or "")
        if len(pdf.pages) == 0:
            raise ValueError("PDF has no pages")
        return Opened(pdf)
    except Exception as exc:
        if _password_problem(exc):
            raise LoadError("encrypted PDF: a password is needed (use --password)" if not password else "encrypted PDF: the password is wrong") from None
        first = technical_detail(exc, path)
    try:
        import pikepdf  # lazily: only damaged files are rebuilt

        with pikepdf.open(path, password=password or "") as broken:
            buf = io.BytesIO()
            broken.save(buf)
        pdf = pdfplumber.open(io.BytesIO(buf.getvalue()))
        if len(pdf.pages) == 0:
            raise ValueError("no pages recovered")
    except ImportError:
        raise LoadError("damaged PDF: it could not be read", detail=f"pdfplumber: {first}") from None
    except Exception as exc:
        raise LoadError("damaged PDF: it could not be read or repaired",
                        detail=f"pdfplumber: {first}; qpdf: {technical_detail(exc, path)}") from None
    return Opened(pdf, repaired=first)


@dataclass
class PageRead:
    """One page's Lines (numbered from 0) and what they were made from."""

    lines: list[Line]
    words: list[dict]  # as pdfplumber (or OCR) gave them
    tables: int = 0  # ruled tables with text
    column_blocks: int = 0
    ocr: bool = False
    damaged_streams: list[str] = field(default_factory=list)  # "damaged"/"cut short", per compressed content stream
    ocr_failed: str | None = None  # why tesseract could not read the page


def read_page(page, page_no: int, table_base: int, ocr: bool) -> PageRead:
    """A page's words (OCR'd if it is an image and ``ocr`` is on) as Lines in reading order."""
    damaged = damaged_streams(page)  # before pdfminer decodes them
    lean_chars(page)
    words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False, x_tolerance_ratio=WORD_GAP_RATIO)
    used_ocr = False
    ocr_failed = None
    if not words and ocr and page.images and ocr_available():
        try:
            words = ocr_words(page)
            used_ocr = True
        except Exception as exc:  # noqa: BLE001 - a failed OCR leaves the page as image only
            ocr_failed = shorten(str(exc))
    if not words:
        return PageRead([], [], ocr=used_ocr, damaged_streams=damaged, ocr_failed=ocr_failed)
    rest, table_rows = table_lines(page, words, page_no, table_base)
    rest, columns = column_blocks(rest, float(page.width))
    keyed = [(ln.bbox[1], ln) for ln in words_to_lines(rest, page_no, 0)]
    for left, right in zip(columns[::2], columns[1::2]):
        # a column block is read left column first, all of it at the block's top
        block_top = min(w["top"] for w in left + right)
        col_lines = words_to_lines(left, page_no, 0) + words_to_lines(right, page_no, 0)
        keyed += [(block_top + k * 1e-4, ln) for k, ln in enumerate(col_lines)]
    merged = [ln for _, ln in sorted(keyed + table_rows, key=lambda t: t[0])]
    return PageRead(merged, words, len({ln.table for _, ln in table_rows}), len(columns) // 2, used_ocr, damaged)


def check_page(read: PageRead, page_no: int, second_text: str | None, losses: Losses) -> None:
    """Findings on one page's reading: words in no line, unmapped glyphs, text the second reading has and ours lacks."""
    missing, extra = word_shortfall(read.words, read.lines)
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"{sum(missing.values())} word(s) read from the page are in no line (e.g. {', '.join(repr(w) for w in list(missing)[:3])})")
        if extra:
            parts.append(f"{sum(extra.values())} word(s) are in more than one line")
        losses.add("unplaced", page_no, f"page {page_no}: " + "; ".join(parts))
    for problem in dict.fromkeys(read.damaged_streams):
        n = read.damaged_streams.count(problem)
        losses.add("damaged", page_no, f"page {page_no}: {n} compressed content stream(s) {problem} (they do not decompress to "
                   "their end): text there is lost")
    unmapped = sum(w["text"].count(UNMAPPED) for w in read.words)
    if unmapped:
        losses.add("unmapped", page_no, f"page {page_no}: {unmapped} character(s) have no Unicode mapping in their font "
                   "(read as '(cid:N)'): the text there is lost")
    if second_text is not None and not read.ocr:
        theirs = visible_chars(second_text)
        missing = chars_missing(visible_chars("".join(w["text"] for w in read.words)), theirs)
        if missing:
            losses.add("short", page_no, f"page {page_no}: a second reading (PDFium) finds {missing} of its {sum(theirs.values())} "
                       "character(s) that pdfplumber did not read: text on this page is missing")


def load_pdf(path: Path, password: str | None = None, ocr: bool = False, pages: tuple[int, ...] | None = None) -> Loaded:
    """A PDF file as Lines, page by page, with diagnostics on what could not be read;
    only ``pages`` (numbered from 1) are read when a selection is given."""
    import pdfplumber  # lazily: heavy, and text files never need it

    with Captured(secret=str(path)) as captured:
        opened = open_pdf(path, password)
        second = SecondReading.open(path, password)
        second_rebuilt = second is None and not opened.repaired
        if second_rebuilt:
            second = SecondReading.open_rebuilt(path, password)
        try:
            with opened.pdf as pdf:
                loaded = _read_pages(pdf.pages, second, captured, ocr, f"pdfplumber-{pdfplumber.__version__}", bool(opened.repaired), pages)
                declared = declared_pages(pdf)
                loaded.created = created_date(pdf)
        finally:
            if second is not None:
                second.close()
    if not opened.repaired:  # a rebuilt file has said it was damaged already
        _page_tree_findings(loaded, declared, second)
        if second_rebuilt and second is not None:
            loaded.diagnostics.append(Diagnostic("load", "warning", "damaged PDF structure: the second reader (PDFium) could read it "
                                                 "only after qpdf rebuilt it; its page count and text were compared on that copy"))
    if opened.repaired:
        loaded.diagnostics.insert(0, Diagnostic("load", "warning", f"damaged PDF: structure rebuilt with qpdf, {loaded.pages} page(s) "
                                                f"recovered: check the result (pdfplumber could not open it: {opened.repaired})"))
        loaded.partial_reasons.insert(0, "damaged PDF: structure rebuilt")
        loaded.repaired = True
    loaded.diagnostics += _library_messages(captured)
    return loaded


def _read_pages(pages, second: SecondReading | None, captured: Captured, ocr: bool, extractor: str, repaired: bool,
                selected: tuple[int, ...] | None = None) -> Loaded:
    """Every page (or every ``selected`` one) read and checked; the document's Loaded (repair notes are the caller's).

    Pages outside a selection are not read at all; the ones read keep their
    numbers in the document (``page_sizes`` too is indexed by them).
    """
    lines: list[Line] = []
    diagnostics: list[Diagnostic] = []
    losses = Losses(diagnostics)  # findings join the other diagnostics in page order
    sizes: list[tuple[float, float]] = []
    no_text: list[int] = []
    empty: list[int] = []
    ocr_pages: list[int] = []
    tables_seen = 0
    n_pages = len(pages)
    if n_pages > MAX_PAGES:
        diagnostics.append(Diagnostic("load", "warning", f"only the first {MAX_PAGES} of {n_pages} pages were read"))
    chosen, missing = choose(selected, min(n_pages, MAX_PAGES))
    diagnostics += selection_notes(selected, chosen, missing, n_pages)
    for page_no in chosen:
        page = pages[page_no - 1]
        captured.page = page_no
        width, height = page_size(page)
        sizes += [FALLBACK_SIZE] * (page_no - 1 - len(sizes))  # pages left out by a selection: never looked at
        sizes.append((width, height))
        try:
            if not (0 < width <= MAX_PAGE_SIDE and 0 < height <= MAX_PAGE_SIDE):
                losses.add("page-size", page_no, f"page {page_no}: impossible page size {width:g} × {height:g} points: its layout cannot be trusted")
            read = read_page(page, page_no, tables_seen, ocr)
        except Exception as exc:  # noqa: BLE001 - one page's damage must not stop the others
            page.flush_cache()
            reason = plain_reason(exc)
            # PDFium aborts the process where memory runs out: not asked after a memory failure
            found = sum(visible_chars(second.page_text(page_no - 1) or "").values()) if second and reason != OUT_OF_MEMORY else 0
            also = f"; a second reading (PDFium) finds {found} character(s) on it" if found else ""
            losses.add("unreadable", page_no, f"page {page_no} could not be read: {reason}{also} ({technical_detail(exc, captured.secret)})")
            continue
        page.flush_cache()
        second_text = second.page_text(page_no - 1) if second else None
        damage = captured.on_page(page_no)
        if damage:
            said = "; ".join(f"{m.text}" for m in damage[:3])
            losses.add("damaged", page_no, f"page {page_no}: the PDF library reported damage while reading it, text may be missing ({said})")
        check_page(read, page_no, second_text, losses)
        if read.ocr_failed:
            diagnostics.append(Diagnostic("load", "warning", f"OCR of page {page_no} failed: {read.ocr_failed}", page=page_no))
        if read.ocr:
            ocr_pages.append(page_no)
        if not read.lines:
            (no_text if page.images else empty).append(page_no)
            continue
        tables_seen += read.tables
        if read.column_blocks:
            diagnostics.append(Diagnostic("load", "info", f"page {page_no}: {read.column_blocks} block(s) of two-column text read column by column", page=page_no))
        base = len(lines) + 1
        lines += [replace(ln, no=base + i) for i, ln in enumerate(read.lines)]
    captured.page = None
    if ocr_pages:
        diagnostics.append(Diagnostic("load", "warning", f"text of page(s) {page_ranges(ocr_pages)} read by OCR (tesseract, Danish): check names and numbers", page=ocr_pages[0]))
    if no_text:
        hint = " (run with --ocr)" if not ocr else (" (tesseract is not installed)" if not ocr_available() else "")
        diagnostics.append(
            Diagnostic("load", "warning", f"no text layer on page(s) {page_ranges(no_text)} (image only) — OCR needed{hint}", page=no_text[0])
        )
    if empty and (repaired or len(empty) < len(chosen)):
        diagnostics.append(Diagnostic("load", "info" if not repaired else "warning", f"no text on page(s) {page_ranges(empty)}", page=empty[0]))
    return Loaded(
        lines=lines,
        pages=n_pages,
        extractor=extractor + ("+tesseract" if ocr_pages else ""),
        page_sizes=sizes,
        diagnostics=diagnostics,
        no_text_pages=no_text,
        partial_reasons=losses.reasons(),
    )


_PDF_DATE = re.compile(r"^(?:D:)?((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")


def created_date(pdf) -> str | None:
    """The PDF's own date as ISO ``YYYY-MM-DD``: CreationDate, else ModDate ("D:20230301120000+01'00'");
    None when neither is there or readable (a document's metadata is untrusted: nothing else is read)."""
    try:
        meta = pdf.metadata or {}
    except Exception:  # noqa: BLE001 - a broken Info dictionary is no date
        return None
    for key in ("CreationDate", "ModDate"):
        value = meta.get(key)
        if isinstance(value, bytes):
            value = value.decode("latin-1", "replace")
        m = _PDF_DATE.match(value.strip()) if isinstance(value, str) else None
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            except ValueError:
                continue
    return None


def declared_pages(pdf) -> int | None:
    """The page count the PDF's page tree declares (its root's /Count), when it declares one."""
    from pdfminer.pdftypes import resolve1  # lazily, with pdfplumber

    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # noqa: BLE001 - no readable count: nothing to compare
        return None
    return count if isinstance(count, int) else None


def _page_tree_findings(loaded: Loaded, declared: int | None, second: SecondReading | None) -> None:
    """Pages the page tree declares or PDFium finds but pdfplumber did not read; a file PDFium cannot open."""
    found = []
    if declared is not None and declared > loaded.pages:
        found.append(f"its page tree declares {declared}")
    if second is not None and second.pages > loaded.pages:
        found.append(f"a second reading (PDFium) finds {second.pages}")
    if found:
        loaded.diagnostics.append(Diagnostic("load", "error", f"the PDF's page tree is damaged: {loaded.pages} page(s) read, but " + " and ".join(found)))
        loaded.partial_reasons.append("pages missing (damaged page tree)")
    if second is None and pdfium_available():
        loaded.diagnostics.append(Diagnostic("load", "error", "damaged PDF: a second reader (PDFium) cannot open it, so text may be missing unseen"))
        loaded.partial_reasons.append("damaged PDF: a second reader cannot open it")


#: the size given to a page whose own size cannot be read (A4, points)
FALLBACK_SIZE = (595.28, 841.89)


def page_size(page) -> tuple[float, float]:
    """A page's width and height in points (A4 when its boxes cannot be read: the page then fails on its own)."""
    try:
        return float(page.width), float(page.height)
    except Exception:  # noqa: BLE001
        return FALLBACK_SIZE


def _library_messages(captured: Captured) -> list[Diagnostic]:
    """Warnings and log records of the PDF libraries not in a page's finding (those of opening the file, Python warnings)."""
    kept, more = captured.unplaced()
    out = [Diagnostic("load", "warning", ("while opening the file: " if m.page is None else "") + f"{m.source}: {m.text}"
                      + (f" ({n}×)" if n > 1 else ""), page=m.page)
           for m, n in kept]
    if more:
        out.append(Diagnostic("load", "info", f"{more} further distinct message(s) of the PDF libraries not kept"))
    return out
