"""PDF words (pdfplumber's dicts) grouped into rows and Lines."""

from __future__ import annotations

from ..records import Line

#: words whose tops differ by less than this (points) are on one line
LINE_TOLERANCE = 3.0
#: a horizontal gap wider than this many times the font size starts a new cell
CELL_GAP_EM = 1.6
#: a vertical gap wider than this many times the line height marks a paragraph
PARAGRAPH_GAP = 1.45


def is_bold(fontname: str) -> bool:
    """Whether a PDF font name names a bold face ("ABCDEF+Arial,Bold", "Helvetica-Bold")."""
    name = fontname.split("+", 1)[-1].lower()
    return any(k in name for k in ("bold", "black", "heavy", "semibold", ",b"))


def word_rows(words: list[dict]) -> list[list[dict]]:
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
    for i, row in enumerate(word_rows(words)):
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
        bold_chars = sum(len(w["text"]) for w in row if is_bold(w.get("fontname", "")))
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
