"""Where text was lost while a PDF loaded: per-page findings, one reason per kind.

Every finding is a ``diagnostics`` row naming its page; each kind of finding
also becomes one short reason in ``Loaded.partial_reasons`` ("page(s) 2, 4-5
could not be read"), which makes the document ``partial`` with that reason
in ``documents.error``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..records import Diagnostic, Line

#: a page's text falls short of the second reading's when that has at least this
#: many characters the page's text does not ...
SHORT_MIN_CHARS = 5
#: ... and at least this share of all its characters
SHORT_SHARE = 0.005
#: a page larger than this (points) in either direction is impossible (the PDF
#: specification's limit is 14 400 units)
MAX_PAGE_SIDE = 14_400.0
#: characters kept of a page list in a reason
MAX_RANGES_CHARS = 60

#: kind -> the reason in documents.error, given the page ranges
REASONS = {
    "unreadable": "page(s) {pages} could not be read",
    "damaged": "damaged content on page(s) {pages}",
    "short": "text missing on page(s) {pages} (a second reading found more)",
    "unplaced": "words not placed in lines on page(s) {pages}",
    "unmapped": "characters without a Unicode mapping on page(s) {pages}",
    "page-size": "impossible page size on page(s) {pages}",
}


def page_ranges(nums: list[int], limit: int | None = None) -> str:
    """Page numbers as compact ranges: [1, 2, 3, 5] -> "1-3, 5" (cut with "…" beyond ``limit`` characters)."""
    out: list[str] = []
    start = prev = nums[0]
    for n in nums[1:] + [None]:  # type: ignore[list-item]
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    text = ", ".join(out)
    if limit and len(text) > limit:
        text = text[: text.rfind(",", 0, limit)] + ", …"
    return text


def word_shortfall(words: list[dict], lines: list[Line]) -> tuple[Counter, Counter]:
    """The words of a page missing from its Lines, and those in them more often than read.

    Compares the page's words as pdfplumber (or OCR) gave them with the words
    of the Lines made from them, as multisets of whitespace-separated tokens.
    """
    read = Counter(tok for w in words for tok in w["text"].split())
    placed = Counter(tok for ln in lines for tok in ln.text.split())
    return read - placed, placed - read


def chars_missing(ours: Counter, theirs: Counter) -> int:
    """How many characters a second reading has that ours lacks (``theirs`` and ``ours`` count
    each character), when that is enough to say text is missing; else 0."""
    missing = sum((theirs - ours).values())
    return missing if missing >= SHORT_MIN_CHARS and missing >= SHORT_SHARE * sum(theirs.values()) else 0


@dataclass
class Losses:
    """Findings of lost text, collected page by page."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: dict[str, list[int]] = field(default_factory=dict)  # kind -> pages

    def add(self, kind: str, page: int, message: str, severity: str = "error") -> None:
        """A finding of ``kind`` (a key of ``REASONS``) on ``page``."""
        self.diagnostics.append(Diagnostic("load", severity, message, page=page))
        pages = self.pages.setdefault(kind, [])
        if page not in pages:
            pages.append(page)

    def reasons(self) -> list[str]:
        """One short reason per kind, in the order the kinds were first found."""
        return [REASONS[kind].format(pages=page_ranges(sorted(pages), MAX_RANGES_CHARS)) for kind, pages in self.pages.items()]


def selection_notes(selected: tuple[int, ...] | None, chosen: list[int], missing: list[int], n_pages: int) -> list[Diagnostic]:
    """What a page selection did: which pages were read, which asked for are not there.

    Raises ``LoadError`` when none of the pages asked for is in the document.
    """
    if selected is None:
        return []
    from .sniff import LoadError

    if not chosen:
        raise LoadError(f"no page to read: the document has {n_pages} page(s), the selection asks for page(s) {page_ranges(list(selected), MAX_RANGES_CHARS)}")
    notes = [Diagnostic("load", "info", f"page selection: page(s) {page_ranges(chosen, MAX_RANGES_CHARS)} of {n_pages} read", page=chosen[0])]
    if missing:
        notes.append(Diagnostic("load", "warning", f"page(s) {page_ranges(missing, MAX_RANGES_CHARS)} of the selection are not in the document ({n_pages} page(s))"))
    return notes
