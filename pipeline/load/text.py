"""Text files: bytes decoded, one Line per line, form feeds between pages."""

from __future__ import annotations

import re
from pathlib import Path

from ..records import Line, Loaded

#: text cells are separated by at least this many spaces
TEXT_CELL_SPLIT = re.compile(r"\s{2,}|\t+")


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
    """A text file as Lines."""
    text = decode_text(path.read_bytes())
    lines, pages = text_to_lines(text)
    return Loaded(lines=lines, pages=max(pages, 1), extractor="text")
