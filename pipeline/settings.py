"""Numeric thresholds of the stages, in one validated settings object.

Rules (what text means) live in ``models/rules``; these are the numbers that
say how close, how long or how many (as pdfplumber keeps its table-finding
numbers in ``TableSettings``).  A profile can override any of them in its
``[settings]`` table; ``python -m pipeline.settings`` prints the table that
docs/architecture.md shows.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields, replace


def _s(default, doc: str):
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Settings:
    # --- clean
    edge_band: float = _s(0.1, "share of the page height at the top and bottom where running headers and footers are looked for")
    text_band_top: int = _s(8, "text input: lines at the top of a page (form feed) that may hold a running header")
    text_band_bottom: int = _s(3, "text input: lines at the bottom of a page that may hold a running footer")
    # --- segment: header box
    box_window: int = _s(60, "header labels within this many lines of each other form one header box")
    field_max_lines: int = _s(2, "value lines read after a date/time/place label")
    field_max_chars: int = _s(90, "a longer line is not the value of a header label")
    # --- segment: the end of the minutes and sign-off
    appendix_prose_words: int = _s(6, "a line of at least this many words counts as prose when deciding whether pages after the closing line are another document")
    signoff_tail_lines: int = _s(40, "sign-off lines are looked for in this many last lines")
    # --- segment: structure finder
    heading_max_lines: int = _s(4, "an item heading continues over at most this many lines")
    title_max_words: int = _s(25, "a longer heading title reads as prose, not as a title")
    margin_tolerance: float = _s(6.0, "points: headings whose left edges differ by less stand at the same indentation")
    agenda_max_gap: int = _s(3, "lines between two entries of an agenda list (wrapped titles, section captions) at most")
    agenda_title_similarity: float = _s(0.6, "a heading matches an agenda-list entry when their titles are at least this similar (0..1)")
    label_lookahead: int = _s(6, "a block label within this many lines after a heading is evidence for it")
    # --- extract
    short_minutes_chars: int = _s(400, "minutes up to this many characters are kept whole as the decision of an item without points")

    def evolve(self, **changes) -> "Settings":
        """A copy with ``changes``; an unknown name or a value of the wrong type raises ValueError."""
        known = {f.name: f for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown setting {name!r}")
            want = type(known[name].default)
            if want is float and isinstance(value, int) and not isinstance(value, bool):
                changes[name] = float(value)
            elif not isinstance(value, want) or isinstance(value, bool) != (want is bool):
                raise ValueError(f"setting {name!r} must be a {want.__name__}, not {value!r}")
        return replace(self, **changes)


def markdown() -> str:
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for f in fields(Settings):
        rows.append(f"| `{f.name}` | {f.default} | {f.metadata['doc']} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown())
