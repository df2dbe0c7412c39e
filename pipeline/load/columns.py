"""Two-column prose: blocks of rows set in two columns are read column by column."""

from __future__ import annotations

from .words import CELL_GAP_EM, word_rows

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
    rows = word_rows(words)
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
