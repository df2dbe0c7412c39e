"""Numeric thresholds of the stages, in one validated settings object.

Rules (what text means) live in ``models/rules``; these are the numbers that
say how close, how long or how many (as pdfplumber keeps its table-finding
numbers in ``TableSettings``).  A profile can override any of them in its
``[settings]`` table; ``python -m pipeline.settings`` prints docs/settings.md.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields, replace


def _s(default, doc: str, where: str):
    """A setting: its default, what it does, and the module(s) that read it (comma-separated)."""
    return field(default=default, metadata={"doc": doc, "where": where})


_CLEAN = "pipeline/clean.py"
_BOX = "pipeline/segment/box.py"
_TAIL = "pipeline/segment/tail.py"
_FINDER = "pipeline/segment/finder.py"
_HEADINGS = "pipeline/segment/headings.py"
_AGENDA = "pipeline/segment/agenda.py"


@dataclass(frozen=True)
class Settings:
    # --- clean
    edge_band: float = _s(0.1, "share of the page height at the top and bottom where running headers and footers are looked for", _CLEAN)
    placed_band: float = _s(0.25, "share of the page height at the top and bottom where a line that recurs at the same place (within placed_tolerance) on half the pages is a running header or footer too (a title block below the top edge)", _CLEAN)
    placed_tolerance: float = _s(3.0, "points of vertical play for a running line outside edge_band", _CLEAN)
    text_band_top: int = _s(8, "text input: lines at the top of a page (form feed) that may hold a running header", _CLEAN)
    text_band_bottom: int = _s(3, "text input: lines at the bottom of a page that may hold a running footer", _CLEAN)
    # --- segment: header box
    box_window: int = _s(60, "header labels within this many lines of each other form one header box", _BOX)
    field_max_lines: int = _s(2, "value lines read after a date/time/place label", _BOX)
    field_max_chars: int = _s(90, "a longer line is not the value of a header label, nor the meeting's address", f"{_BOX}, pipeline/extract/header.py")
    # --- segment: the end of the minutes and sign-off
    appendix_prose_words: int = _s(6, "a line of at least this many words counts as prose when deciding whether pages after the closing line are another document", _TAIL)
    signoff_tail_lines: int = _s(40, "sign-off lines are looked for in this many last lines", _TAIL)
    # --- segment: structure finder
    heading_max_lines: int = _s(4, "an item heading continues over at most this many lines", _HEADINGS)
    title_max_words: int = _s(25, "a longer heading title reads as prose, not as a title", f"{_FINDER}, {_HEADINGS}")
    margin_tolerance: float = _s(6.0, "points: headings whose left edges differ by less stand at the same indentation", _FINDER)
    agenda_max_gap: int = _s(3, "lines between two entries of an agenda list (wrapped titles, section captions) at most", _AGENDA)
    agenda_title_similarity: float = _s(0.6, "a heading matches an agenda-list entry when their titles are at least this similar (0..1)", f"{_FINDER}, {_AGENDA}")
    agenda_same_title: float = _s(0.85, "titles at least this similar (0..1, edit distance) are the same title without doubt: a heading matches an entry of another number, an unnumbered line repeats an entry", _AGENDA)
    agenda_unrelated: float = _s(0.4, "a heading and an agenda entry of the same number whose titles are less similar (0..1) than this speak of different things: the heading keeps its own title", _FINDER)
    agenda_gap_words: int = _s(12, "a line between two entries of an agenda list (a wrapped title, a section caption) holds at most this many words", _AGENDA)
    agenda_short_gap: int = _s(8, "more short lines than this between two numbered lines end an agenda list", _AGENDA)
    prose_words: int = _s(6, "a line of at least this many words without a closing stop goes on in the next line: a number there stands mid-sentence, not as a heading", _FINDER)
    label_lookahead: int = _s(6, "a block label within this many lines after a heading is evidence for it", _FINDER)
    # --- extract
    created_window_days: int = _s(120, "a yearless meeting date takes the year of the file's own date (a PDF's CreationDate) only when it then falls at most this many days before that date: minutes are written soon after the meeting", "pipeline/extract/header.py")
    short_minutes_chars: int = _s(400, "minutes up to this many characters are kept whole as the decision of an item without points",
                                  "pipeline/extract/decisions.py")

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


_PAGE = """# Settings

The numbers the stages use to decide how close, how long or how many: one frozen object,
`pipeline.settings.Settings`, like pdfplumber's `TableSettings`. Rules (what text means) are data
in `models/rules/*.toml` ([architecture](architecture.md#where-rules-live)); settings are the
thresholds around them. Every stage reads them from the `Rules` object of the document's profile
(`rules.settings.<name>`), never from a module constant.

A profile changes a setting in its `[settings]` table; the value must have the setting's type
(an integer where the default is one; a float accepts an integer), and an unknown name or a
wrong type stops loading with a message naming the profile:

```toml
# models/profiles/<family>.toml
[settings]
box_window = 80          # this family's header box spreads over more lines
agenda_same_title = 0.9
```

In code: `Settings().evolve(box_window=80)` returns a changed copy with the same checks.

This page is generated from the code (`python -m pipeline.settings > docs/settings.md`, or
`make docs`); `tests/test_settings.py` fails when it is stale or a setting is undocumented.

| setting | default | read by | what it does |
|---|---|---|---|
"""

_AFTER = """
Deliberately not settings: the loader's numbers (`pipeline/load/words.py`: `LINE_TOLERANCE`,
`CELL_GAP_EM`, `PARAGRAPH_GAP`; `pipeline/load/pdf.py`: `WORD_GAP_RATIO`), because a document is
loaded before a profile is chosen; profile detection's `DETECT_LINES` and `MIN_SCORE`
(`pipeline/rules.py`), for the same reason; and `_KEEP_PER_NUMBER` in
`pipeline/segment/finder.py`, a bound on the search, not a judgement about the text.
"""


def markdown() -> str:
    """docs/settings.md: every setting with its default, the module that reads it and what it does."""
    rows = [f"| `{f.name}` | {f.default} | {', '.join(f'`{w}`' for w in f.metadata['where'].split(', '))} | {f.metadata['doc']} |"
            for f in fields(Settings)]
    return _PAGE + "\n".join(rows) + "\n" + _AFTER


if __name__ == "__main__":
    sys.stdout.write(markdown())
