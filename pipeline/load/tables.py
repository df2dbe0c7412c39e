"""Ruled tables: words inside a table pdfplumber finds take the table's cells."""

from __future__ import annotations

from ..records import Line
from .words import words_to_lines


def table_lines(page, words: list[dict], page_no: int, table_base: int) -> tuple[list[dict], list[tuple[float, Line]]]:
    """Take words inside ruled tables out of ``words``; return them as Lines.

    Each word goes to the one cell that holds its centre; a word inside the
    table's box but in no cell is left in ``words`` (read as ordinary text),
    so no word is lost or read twice.  A row whose cells each hold one line
    of text becomes one Line whose cells are the table's cells (a money table
    keeps its columns however the words are spaced).  A row with a multi-line cell (a "Label: | long value" box)
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
        inside = [w for w in remaining if _within(w, table.bbox)]
        by_cell = _cell_words(table.rows, inside)
        if not by_cell:
            continue
        # words in the table's box but in no cell (an irregular grid, a stray
        # word across a rule) stay with the page's ordinary words
        placed = {id(w) for cell in by_cell.values() for w in cell}
        remaining = [w for w in remaining if id(w) not in placed]
        for r, row in enumerate(table.rows):
            cell_lines = [words_to_lines(by_cell[(r, c)], page_no, 0) for c in range(len(row.cells)) if (r, c) in by_cell]
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


def _cell_words(rows, words: list[dict]) -> dict[tuple[int, int], list[dict]]:
    """Each word to the one cell (row, column) that holds its centre: the first such cell in reading order.

    Words whose centre lies in no cell are left out; no word is given to two cells.
    """
    boxes = [((r, c), cell) for r, row in enumerate(rows) for c, cell in enumerate(row.cells) if cell is not None]
    out: dict[tuple[int, int], list[dict]] = {}
    for w in words:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        for key, (x0, top, x1, bottom) in boxes:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                out.setdefault(key, []).append(w)
                break
    return out


def _within(w: dict, box) -> bool:
    x0, top, x1, bottom = box
    return w["x0"] >= x0 - 1 and w["x1"] <= x1 + 1 and w["top"] >= top - 1 and w["bottom"] <= bottom + 1
