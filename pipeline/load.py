"""Stage 1, load: a PDF or text file becomes pages of lines.

PDF: pdfplumber words (with font name and size) are grouped into lines by
their vertical position; a wide horizontal gap splits a line into cells, and
words inside a ruled table (``page.find_tables``) take the table's cells.
Text: one line per line; form feeds separate pages; runs of two or more
spaces separate cells.
"""

from __future__ import annotations

import re
from pathlib import Path

from .records import Diagnostic, Line, Loaded

#: files larger than this are refused before parsing (bytes)
MAX_FILE_BYTES = 512 * 1024 * 1024
#: pages beyond this are not read (a diagnostic says so)
MAX_PAGES = 5000
#: words whose tops differ by less than this (points) are on one line
LINE_TOLERANCE = 3.0
#: a horizontal gap wider than this many times the font size starts a new cell
CELL_GAP_EM = 1.6
#: a vertical gap wider than this many times the line height marks a paragraph
PARAGRAPH_GAP = 1.45
#: a gap wider than this share of the font size separates words (LaTeX sets
#: narrow spaces that the fixed default of 3 points glues together)
WORD_GAP_RATIO = 0.15
#: text cells are separated by at least this many spaces
TEXT_CELL_SPLIT = re.compile(r"\s{2,}|\t+")


class LoadError(Exception):
    """The file cannot be read as a referat; the message names the problem."""


def sniff(path: Path) -> str:
    """Return "pdf" or "text" from the file's bytes, or raise LoadError."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise LoadError("file not found") from None
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    if not path.is_file():
        raise LoadError("not a regular file")
    if size == 0:
        raise LoadError("empty file (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise LoadError(f"file too large ({size} bytes; limit {MAX_FILE_BYTES})")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" in head:
        return "pdf"
    if path.suffix.lower() == ".pdf":
        raise LoadError("not a PDF: the file has a .pdf name but no %PDF header")
    if b"\x00" in head:
        raise LoadError("binary file that is neither PDF nor text")
    return "text"


def load(path: Path, password: str | None = None, ocr: bool = False) -> Loaded:
    kind = sniff(path)
    if kind == "pdf":
        return load_pdf(path, password=password, ocr=ocr)
    return load_text(path)


# --- text --------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), falling back to cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def text_to_lines(text: str) -> tuple[list[Line], int]:
    """Split text into Lines; a form feed starts a new page."""
    lines: list[Line] = []
    page = 1
    gap = False
    no = 0
    for page_text in text.split("\f"):
        for raw in page_text.splitlines():
            no += 1
            stripped = raw.strip()
            if not stripped:
                gap = True
                continue
            cells = tuple(c for c in TEXT_CELL_SPLIT.split(stripped) if c)
            lines.append(Line(text=stripped, page=page, no=no, cells=cells, gap_before=gap))
            gap = False
        page += 1
    return lines, page - 1


def load_text(path: Path) -> Loaded:
    text = decode_text(path.read_bytes())
    lines, pages = text_to_lines(text)
    return Loaded(lines=lines, pages=max(pages, 1), extractor="text")


# --- PDF ---------------------------------------------------------------------


def _is_bold(fontname: str) -> bool:
    name = fontname.split("+", 1)[-1].lower()
    return any(k in name for k in ("bold", "black", "heavy", "semibold", ",b"))


def _rows(words: list[dict]) -> list[list[dict]]:
    """Words grouped into rows by their top (top-to-bottom), each row left-to-right."""
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        if rows and abs(w["top"] - rows[-1][0]["top"]) <= LINE_TOLERANCE:
            rows[-1].append(w)
        else:
            rows.append([w])
    for row in rows:
        row.sort(key=lambda w: w["x0"])
    return rows


def words_to_lines(words: list[dict], page_no: int, first_no: int) -> list[Line]:
    """Group pdfplumber words into Lines (top-to-bottom, left-to-right)."""
    out: list[Line] = []
    prev_bottom: float | None = None
    prev_height: float | None = None
    for i, row in enumerate(_rows(words)):
        cells: list[list[dict]] = [[row[0]]]
        for w in row[1:]:
            prev = cells[-1][-1]
            size = max(prev.get("size") or 10.0, 1.0)
            if w["x0"] - prev["x1"] > CELL_GAP_EM * size:
                cells.append([w])
            else:
                cells[-1].append(w)
        cell_texts = tuple(" ".join(w["text"] for w in c) for c in cells)
        text = " ".join(cell_texts)
        x0 = min(w["x0"] for w in row)
        x1 = max(w["x1"] for w in row)
        top = min(w["top"] for w in row)
        bottom = max(w["bottom"] for w in row)
        chars = sum(len(w["text"]) for w in row)
        bold_chars = sum(len(w["text"]) for w in row if _is_bold(w.get("fontname", "")))
        size = max((w.get("size") or 0.0) for w in row) or None
        height = bottom - top
        gap = False
        if prev_bottom is not None and prev_height:
            gap = (top - prev_bottom) > PARAGRAPH_GAP * prev_height
        out.append(
            Line(
                text=text,
                page=page_no,
                no=first_no + i,
                bbox=(round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2)),
                size=round(size, 2) if size else None,
                bold=bold_chars * 2 > chars,
                cells=cell_texts,
                gap_before=gap,
            )
        )
        prev_bottom, prev_height = bottom, height
    return out


#: two-column prose: the gutter lies within this share of the page width
GUTTER_RANGE = (0.3, 0.7)
#: a column block needs at least this many rows with text on both sides of the gutter
COLUMN_MIN_ROWS = 6
#: ... whose halves fill at least this share of their column's width (median) ...
COLUMN_FILL = 0.6
#: ... and hold at least this many words (median): prose, not label/value pairs or name lists
COLUMN_MIN_WORDS = 5
#: ... with a gutter no wider than this share of the narrower column
COLUMN_GUTTER = 0.25


def _gutter(rows: list[list[dict]], width: float) -> float | None:
    """The x most often inside a wide gap between words in the middle of the page."""
    lo, hi = GUTTER_RANGE[0] * width, GUTTER_RANGE[1] * width
    events: list[tuple[float, int]] = []
    for row in rows:
        for a, b in zip(row, row[1:]):
            size = max(a.get("size") or 10.0, 1.0)
            g0, g1 = max(a["x1"], lo), min(b["x0"], hi)
            if b["x0"] - a["x1"] > CELL_GAP_EM * size and g0 < g1:
                events += [(g0, 1), (g1, -1)]
    best, best_x, best_end, depth = 0, 0.0, 0.0, 0
    events.sort(key=lambda e: (e[0], e[1]))
    for i, (x, step) in enumerate(events):
        depth += step
        if depth > best:  # the deepest stretch runs from here to the next event
            best, best_x, best_end = depth, x, events[i + 1][0]
    return (best_x + best_end) / 2 if best >= COLUMN_MIN_ROWS else None


def _is_prose_block(block: list[tuple[list[dict], list[dict]]], gutter: float) -> bool:
    both = [(left, right) for left, right in block if left and right]
    if len(both) < COLUMN_MIN_ROWS:
        return False
    left_edge = min(w["x0"] for left, _ in block for w in left)
    right_start = min(w["x0"] for _, right in block for w in right)
    right_edge = max(w["x1"] for _, right in block for w in right)

    def median(values: list[float]) -> float:
        values = sorted(values)
        return values[len(values) // 2]

    left_fill = median([left[-1]["x1"] - left[0]["x0"] for left, _ in both]) / max(max(w["x1"] for left, _ in both for w in left) - left_edge, 1.0)
    right_fill = median([right[-1]["x1"] - right[0]["x0"] for _, right in both]) / max(right_edge - right_start, 1.0)
    words = median([min(len(left), len(right)) for left, right in both])
    # set prose fills its column up to a narrow gutter; a list's columns stand far apart
    left_end = max(w["x1"] for left, _ in block for w in left)
    narrow = (right_start - left_end) <= COLUMN_GUTTER * min(left_end - left_edge, right_edge - right_start)
    return narrow and left_fill >= COLUMN_FILL and right_fill >= COLUMN_FILL and words >= COLUMN_MIN_WORDS


def column_blocks(words: list[dict], width: float) -> tuple[list[dict], list[list[dict]]]:
    """Find two-column prose on a page.

    Returns the words read in the ordinary row order and, for each block of
    rows set in two columns of prose, the block's left column then its right
    column (each a list of words to be read on its own).  A block is a run of
    rows no word crosses the gutter of, with at least ``COLUMN_MIN_ROWS`` rows
    holding prose on both sides; name lists and "label: value" rows in two
    columns are not prose (short halves) and keep the row order.
    """
    rows = _rows(words)
    gutter = _gutter(rows, width)
    if gutter is None:
        return words, []
    ordinary: list[dict] = []
    columns: list[list[dict]] = []
    block: list[tuple[list[dict], list[dict]]] = []

    def close() -> None:
        if block and _is_prose_block(block, gutter):
            columns.append([w for left, _ in block for w in left])
            columns.append([w for _, right in block for w in right])
        else:
            ordinary.extend(w for left, right in block for w in left + right)
        block.clear()

    for row in rows:
        if any(w["x0"] < gutter < w["x1"] for w in row):
            close()
            ordinary.extend(row)
        else:
            block.append(([w for w in row if w["x1"] <= gutter], [w for w in row if w["x0"] >= gutter]))
    close()
    return ordinary, columns


def _table_lines(page, words: list[dict], page_no: int, table_base: int) -> tuple[list[dict], list[tuple[float, Line]]]:
    """Take words inside ruled tables out of ``words``; return them as Lines.

    A row whose cells each hold one line of text becomes one Line whose cells
    are the table's cells (a money table keeps its columns however the words
    are spaced).  A row with a multi-line cell (a "Label: | long value" box)
    is emitted cell by cell, each cell's lines in reading order, which is
    what the text form of the same box looks like.
    """
    if not (page.rects or page.lines):
        return words, []
    try:
        tables = page.find_tables()
    except Exception:  # a broken drawing must not stop the page
        return words, []
    out: list[tuple[float, Line]] = []
    remaining = words
    for t_index, table in enumerate(tables):
        x0, top, x1, bottom = table.bbox
        inside = [w for w in remaining if _within(w, table.bbox)]
        if not inside:
            continue
        ids = {id(w) for w in inside}
        remaining = [w for w in remaining if id(w) not in ids]
        for row in table.rows:
            cell_lines: list[list[Line]] = []
            for cell in row.cells:
                if cell is None:
                    continue
                cw = [w for w in inside if _within(w, cell)]
                if cw:
                    cell_lines.append(words_to_lines(cw, page_no, 0))
            if not cell_lines:
                continue
            if all(len(c) == 1 for c in cell_lines):
                texts = tuple(c[0].text for c in cell_lines)
                rx0, rtop, rx1, rbottom = row.bbox
                bold = [c[0].bold for c in cell_lines]
                line = Line(
                    text=" ".join(texts),
                    page=page_no,
                    no=0,  # numbered when merged with the page's other lines
                    bbox=(round(rx0, 2), round(rtop, 2), round(rx1, 2), round(rbottom, 2)),
                    size=max((c[0].size or 0.0) for c in cell_lines) or None,
                    bold=sum(bold) * 2 > len(bold),
                    cells=texts,
                    table=table_base + t_index,
                )
                out.append((rtop, line))
            else:
                # keep reading order: the whole row sorts at its top, cells in order
                rtop = row.bbox[1]
                k = 0
                for c in cell_lines:
                    for ln in c:
                        out.append((rtop + k * 1e-3, ln))
                        k += 1
    return remaining, out


def _within(w: dict, box) -> bool:
    x0, top, x1, bottom = box
    return w["x0"] >= x0 - 1 and w["x1"] <= x1 + 1 and w["top"] >= top - 1 and w["bottom"] <= bottom + 1


def lean_chars(page) -> None:
    """Make ``page`` build small dicts for its characters.

    pdfplumber turns every pdfminer object into a dict of all its attributes
    (colours, graphic state, marked content), resolving each one; for text
    that is most of the time spent on a page.  The loader needs only a
    character's text, box, font name and size, so characters get a dict with
    exactly the keys pdfplumber's word extraction reads, computed the same
    way (box moved by the MediaBox origin, ``top`` from the page height).
    Every other object (rects and lines for tables, images) and any
    character this shortcut does not cover (a byte-encoded font name, Unicode
    normalisation switched on) takes pdfplumber's own path.  A test checks
    that words come out identical on every sample and corpus PDF.
    """
    from pdfminer.layout import LTChar

    original = page.process_object
    if page.pdf.unicode_norm is not None:
        return
    height = float(page.height)
    mb_x0, mb_top = page.mediabox[0], page.mediabox[1]
    doctop0 = page.initial_doctop
    number = page.page_number

    def process(obj):
        if obj.__class__ is not LTChar or obj.fontname.__class__ is not str:
            return original(obj)
        y0, y1 = obj.y0, obj.y1
        top = (height - y1) + mb_top
        x0, x1 = obj.x0, obj.x1
        if mb_x0 != 0:
            x0, x1 = x0 + mb_x0, x1 + mb_x0
        return {
            "object_type": "char",
            "page_number": number,
            "text": obj._text,
            "fontname": obj.fontname,
            "size": obj.size,
            "upright": obj.upright,
            "matrix": obj.matrix,
            "x0": x0,
            "x1": x1,
            "y0": y0,
            "y1": y1,
            "width": obj.width,
            "height": obj.height,
            "top": top,
            "bottom": (height - y0) + mb_top,
            "doctop": doctop0 + top,
        }

    page.process_object = process


def _password_problem(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, PDFPasswordIncorrect) or any(isinstance(a, PDFPasswordIncorrect) for a in getattr(exc, "args", ())):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _open_pdf(path: Path, password: str | None):
    """Open with pdfplumber; a damaged file is rebuilt with qpdf (pikepdf) and reopened.

    Returns (pdf, repair_note or None).
    """
    import io

    import pdfplumber

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
        import pikepdf

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


#: resolution of page images given to OCR
OCR_DPI = 300
#: seconds one page may take in tesseract
OCR_TIMEOUT = 120


def ocr_available() -> bool:
    import shutil

    return shutil.which("tesseract") is not None


def ocr_words(page, lang: str = "dan") -> list[dict]:
    """Words of an image-only page from tesseract (TSV output), in PDF points."""
    import subprocess
    import tempfile

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


def load_pdf(path: Path, password: str | None = None, ocr: bool = False) -> Loaded:
    import pdfplumber

    pdf, repair_note = _open_pdf(path, password)
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
            words, table_rows = _table_lines(page, words, page_no, tables_seen)
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
                lines.append(_renumber(ln, base + i))
            page.flush_cache()
    if ocr_pages:
        diagnostics.append(Diagnostic("load", "warning", f"text of page(s) {_ranges(ocr_pages)} read by OCR (tesseract, Danish): check names and numbers", page=ocr_pages[0]))
    if no_text:
        hint = " (run with --ocr)" if not ocr else (" (tesseract is not installed)" if not ocr_available() else "")
        diagnostics.append(
            Diagnostic("load", "warning", f"no text layer on page(s) {_ranges(no_text)} (image only) — OCR needed{hint}", page=no_text[0])
        )
    if empty and (repair_note or len(empty) < n_pages):
        diagnostics.append(Diagnostic("load", "info" if not repair_note else "warning", f"no text on page(s) {_ranges(empty)}", page=empty[0]))
    return Loaded(
        lines=lines,
        pages=n_pages,
        extractor=f"pdfplumber-{pdfplumber.__version__}" + ("+tesseract" if ocr_pages else ""),
        page_sizes=sizes,
        diagnostics=diagnostics,
        no_text_pages=no_text,
        repaired=repair_note is not None,
    )


def _renumber(line: Line, no: int) -> Line:
    from dataclasses import replace

    return replace(line, no=no)


def _ranges(nums: list[int]) -> str:
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
