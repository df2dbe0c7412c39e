"""Page selections (``referat show --pages 2-3,5``, ``pipeline.parse(path, pages=...)``).

Only the pages selected are read (for a PDF the others are never parsed;
a text file is split into pages at form feeds), and every page number in the
tables stays the page's number in the document.
"""

from __future__ import annotations

from collections.abc import Iterable

#: the largest page number a selection may name (pipeline.load.pdf reads at most 5000 pages)
MAX_PAGE = 100_000


def parse_pages(spec: str | int | Iterable[int]) -> tuple[int, ...]:
    """The page numbers of a selection, sorted and unique: ``"2"``, ``"2-4"``, ``"1,3-5"``
    (or an int, or page numbers); ValueError in plain words when it is not one.

    >>> parse_pages("3-5,1,4")
    (1, 3, 4, 5)
    >>> parse_pages("0")
    Traceback (most recent call last):
    ...
    ValueError: page numbers start at 1, not '0'
    """
    if isinstance(spec, int):
        spec = str(spec)
    if not isinstance(spec, str):
        spec = ",".join(str(int(p)) for p in spec)
    pages: set[int] = set()
    for part in spec.replace(" ", "").split(","):
        first, dash, last = part.partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise ValueError(f"a page selection is N, N-M or a comma-separated list of them (e.g. 1,3-5), not {spec!r}")
        lo, hi = int(first), int(last) if dash else int(first)
        if lo < 1:
            raise ValueError(f"page numbers start at 1, not {part!r}")
        if hi < lo:
            raise ValueError(f"a page range goes up: {part!r}")
        if hi > MAX_PAGE:
            raise ValueError(f"page {hi} is beyond any document (at most {MAX_PAGE})")
        pages.update(range(lo, hi + 1))
    return tuple(sorted(pages))


def choose(selected: tuple[int, ...] | None, n_pages: int) -> tuple[list[int], list[int]]:
    """The pages of a document of ``n_pages`` pages to read (all when ``selected`` is None),
    and the selected ones it does not have."""
    if selected is None:
        return list(range(1, n_pages + 1)), []
    return [p for p in selected if p <= n_pages], [p for p in selected if p > n_pages]
