"""Ruled tables: words inside a table pdfplumber finds take the table's cells."""

from __future__ import annotations

from ..records import Line
from .words import words_to_lines


def table_lines(page, words: list[dict], page_no: int, table_base: int) -> tuple[list[dict], list[tuple[float, Line]]]:
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
