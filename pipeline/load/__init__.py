"""Stage 1, load: a PDF or text file becomes pages of lines.

The entry point is ``load(path)``: the file's kind is sniffed from its bytes
(``sniff``), then

- ``text``: decoding on evidence (byte order marks, UTF-16/32, UTF-8 with bad
  bytes confined to their lines, cp1252) and one Line per line (form feeds
  separate pages, runs of two or more spaces separate cells);
- ``pdf``: opening (passwords, repair with pikepdf) and each page's words as
  Lines (``pdf``), grouped by position (``words``), with the character
  shortcut (``chars``), two-column prose (``columns``), ruled tables
  (``tables``) and OCR of image-only pages (``ocr``);
- what was lost, and where: library warnings captured (``capture``),
  compressed streams checked (``streams``), PDFium's second reading
  (``second``), the findings and their reasons (``loss``), failures in
  plain words (``messages``).

Names used elsewhere are importable from ``pipeline.load`` itself.
"""

from __future__ import annotations

from pathlib import Path

from ..records import Loaded
from .chars import lean_chars
from .columns import column_blocks
from .ocr import OCR_DPI, OCR_TIMEOUT, ocr_available, ocr_words
from .loss import page_ranges
from .messages import plain_reason, technical_detail
from .pdf import MAX_PAGES, WORD_GAP_RATIO, load_pdf, open_pdf
from .sniff import MAX_FILE_BYTES, LoadError, sniff
from .tables import table_lines
from .text import TEXT_CELL_SPLIT, decode, decode_text, load_text, text_to_lines
from .words import CELL_GAP_EM, LINE_TOLERANCE, PARAGRAPH_GAP, words_to_lines

__all__ = [
    "CELL_GAP_EM", "LINE_TOLERANCE", "MAX_FILE_BYTES", "MAX_PAGES", "OCR_DPI", "OCR_TIMEOUT", "PARAGRAPH_GAP",
    "TEXT_CELL_SPLIT", "WORD_GAP_RATIO", "LoadError", "column_blocks", "decode", "decode_text", "lean_chars", "load",
    "load_pdf", "load_text", "ocr_available", "ocr_words", "open_pdf", "page_ranges", "sniff", "table_lines",
    "text_to_lines", "words_to_lines",
]


def load(path: Path, password: str | None = None, ocr: bool = False, pages: tuple[int, ...] | None = None) -> Loaded:
    """Read a PDF or text file into Lines, or raise LoadError naming the problem in plain words.

    ``pages``: only these pages (numbered from 1, see ``pipeline.pages``) are
    read; their lines keep their page numbers in the document.

    Whatever else goes wrong while reading (a library's internal error on a
    file nobody foresaw) becomes a LoadError too, its technical cause in
    ``detail``; only MemoryError passes, for the memory cap to report.
    """
    kind = sniff(path)
    try:
        if kind == "pdf":
            return load_pdf(path, password=password, ocr=ocr, pages=pages)
        return load_text(path, pages=pages)
    except (LoadError, MemoryError):
        raise
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or 'input/output error'}", detail=technical_detail(exc, path)) from None
    except Exception as exc:  # noqa: BLE001 - one short line for people, the cause in detail
        what = "PDF" if kind == "pdf" else "text file"
        raise LoadError(f"damaged {what}: it could not be read ({plain_reason(exc)})", detail=technical_detail(exc, path)) from None
