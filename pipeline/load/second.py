"""A second, independent reading of a PDF's text: PDFium (pypdfium2, installed with pdfplumber).

pdfminer (under pdfplumber) and PDFium are separate parsers: where one lost
text to a damaged stream, a wrong length or a broken page tree, the other
often did not.  The loader compares its characters per page with PDFium's,
as multisets (a few milliseconds a page), and says where PDFium read
characters it did not.  On undamaged PDFs (the samples, the shared corpus,
the generated benchmark corpus: 123 pages) no page has a single character
PDFium reads and pdfplumber does not.
"""

from __future__ import annotations

import importlib.util
import io
import unicodedata
from collections import Counter


def pdfium_available() -> bool:
    """Whether pypdfium2 is installed (it comes with pdfplumber)."""
    return importlib.util.find_spec("pypdfium2") is not None


def visible_chars(text: str) -> Counter:
    """The characters that are not whitespace or control characters, counted, after compatibility
    normalisation (a ligature "ﬁ" counts as the two letters it stands for)."""
    counts = Counter(unicodedata.normalize("NFKC", text))  # counted in C; the few invisible keys dropped after
    for ch in [c for c in counts if c.isspace() or unicodedata.category(c)[0] == "C"]:
        del counts[ch]
    return counts


class SecondReading:
    """PDFium's view of a PDF: its page count and each page's text."""

    def __init__(self, document):
        self._doc = document
        self.pages = len(document)

    @classmethod
    def open(cls, source, password: str | None) -> "SecondReading | None":
        """Open ``source`` (a path or bytes) with PDFium; None when PDFium cannot read it."""
        try:
            import pypdfium2  # lazily: a text file never needs it

            return cls(pypdfium2.PdfDocument(source, password=password or None))
        except Exception:  # noqa: BLE001 - the second reading is a check, never a reason to fail
            return None

    @classmethod
    def open_rebuilt(cls, path, password: str | None) -> "SecondReading | None":
        """PDFium on a copy whose structure qpdf rebuilt (for a file PDFium refuses as it is)."""
        try:
            import pikepdf  # lazily: only for damaged files

            with pikepdf.open(path, password=password or "") as pdf:
                buf = io.BytesIO()
                pdf.save(buf)
        except Exception:  # noqa: BLE001
            return None
        return cls.open(buf.getvalue(), password)

    def page_text(self, index: int) -> str | None:
        """The text of page ``index`` (0-based), or None when PDFium cannot read that page."""
        if index >= self.pages:
            return None
        try:
            page = self._doc[index]
            try:
                textpage = page.get_textpage()
                try:
                    return textpage.get_text_range()
                finally:
                    textpage.close()
            finally:
                page.close()
        except Exception:  # noqa: BLE001
            return None

    def close(self) -> None:
        try:
            self._doc.close()
        except Exception:  # noqa: BLE001
            pass
