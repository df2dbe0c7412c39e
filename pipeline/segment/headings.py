"""Candidate item headings: every line written like one, with the title it would have.

A candidate is only a possibility; ``finder`` weighs the evidence for each
and chooses the sequence.  This module knows the shapes (from
``models/rules/structure.toml``) and what a title looks like; it never decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..dates import find_times
from ..records import Line
from ..rules import Rules, first_match, first_search, first_tag


@dataclass(frozen=True, slots=True)
class Candidate:
    """A line that could head an item."""

    index: int  # position in the line stream
    no: int | None  # None: an unnumbered line that matches an agenda-list entry
    shape: str  # the shape's tag (weights.shape.<tag>)
    title: str  # the title on the heading line itself ("" for "Pkt. 42", "Ad 1)", "4.")
    printed: str  # the number as printed ("i" for an OCR'd 1)
    #: the next line, when it can be the title of a heading that has none on its own line
    next_title: str | None = None
    #: index of the line above that holds the title ("Titel" / "Sag nr. 57")
    title_above: int | None = None
    sub: str | None = None  # "a" for a sub-item heading "4a)", "1" for "4.1"


def is_heading_text(rules: Rules, text: str) -> bool:
    """Whether a line is written like a numbered item heading (for the box and list steps)."""
    return _shape(rules, text) is not None


def _shape(rules: Rules, text: str) -> tuple[str, int, str, str] | None:
    """(tag, number, printed number, title) of a line written like a numbered heading."""
    hit = first_tag(rules.structure.item_shapes, text)
    if not hit:
        return None
    tag, m = hit
    printed = m.group("no")
    no = 1 if printed.casefold() in rules.structure.ocr_one else int(printed)
    title = (m.group("title") or "").strip()
    if title and first_match(rules.structure.not_title_start, title):
        return None  # "9. juni 2022 …", "3. kl. 17"
    return tag, no, printed, title


def is_block_label(rules: Rules, text: str) -> bool:
    lb = rules.labels
    return any(first_match(p, text) for p in (lb.recommendation, lb.minutes, lb.description, lb.attachments, lb.history, lb.other))


def title_like(rules: Rules, ln: Line) -> bool:
    """A line that can be a heading's title: capitalised, short, not a label, not a sentence of prose."""
    t = ln.text.strip()
    words = t.split()
    if not words or not (t[0].isupper() or t[0] in "\"'(«"):
        return False
    if len(words) > rules.settings.title_max_words or is_block_label(rules, t) or _shape(rules, t):
        return False
    return not (t.endswith(".") and len(words) > 8)


def find_candidates(lines: list[Line], rules: Rules) -> list[Candidate]:
    """Every line written like an item or sub-item heading (and "Titel" / "Sag nr. N" pairs)."""
    out: list[Candidate] = []
    for i, ln in enumerate(lines):
        shape = _shape(rules, ln.text)
        sub = None if shape else first_tag(rules.structure.sub_item_shapes, ln.text)
        if sub:
            m = sub[1]
            shape = ("sub", int(m.group("no")), m.group("no") + m.group("sub"), (m.group("title") or "").strip())
        if shape:
            tag, no, printed, title = shape
            nxt = None
            if not title and i + 1 < len(lines) and lines[i + 1].page == ln.page and title_like(rules, lines[i + 1]):
                nxt = lines[i + 1].text.strip()
            out.append(Candidate(i, no, tag, title, printed if not sub else str(no), next_title=nxt, sub=sub[1].group("sub") if sub else None))
            continue
        m = first_match(rules.structure.number_after_title, ln.text)
        if m and i > 0 and title_like(rules, lines[i - 1]) and not (out and out[-1].index == i - 1):
            out.append(Candidate(i, int(m.group("no")), "after_title", lines[i - 1].text.strip(), m.group("no"), title_above=i - 1))
    return out


def heading_span(lines: list[Line], cand: Candidate, end: int, rules: Rules, use_next_title: bool) -> int:
    """Index after the last line of the heading that starts at ``cand`` (its title may wrap)."""
    j = cand.index + 1
    if use_next_title:
        j += 1
    head = lines[cand.index]
    text = cand.title or (cand.next_title if use_next_title else "") or ""
    taken = j - cand.index
    while j < end and taken < rules.settings.heading_max_lines and continues_heading(rules, head, text, lines[j]):
        text += " " + lines[j].text
        j += 1
        taken += 1
    return j


def ends_open(rules: Rules, title: str, punctuation: str) -> bool:
    """A heading's title that goes on: it ends in a connective (``structure.open_end``), in one of the
    characters of the regex class ``punctuation``, or inside a bracket."""
    return bool(first_search(rules.structure.open_end, title) or re.search(f"{punctuation}$", title)
                or title.count("(") > title.count(")"))


def continues_heading(rules: Rules, head: Line, text_so_far: str, nxt: Line) -> bool:
    """Whether ``nxt`` is the rest of a heading that reads ``text_so_far``."""
    t = nxt.text
    s = rules.structure
    if (is_block_label(rules, t) or _shape(rules, t) or first_match(s.presenter_line, t) or first_match(s.enumerator, t)
            or first_tag(rules.header.attendance_groups, t)):
        return False
    if head.bold is not None and nxt.bold is not None and head.bold != nxt.bold:
        return False
    start, _ = find_times(t)
    if start and len(t) <= 20:  # "17.15" finishing a time slot
        return True
    if re.search(r"[-–]$", text_so_far) or first_search(s.time_open_end, text_so_far):
        return True
    if t[:1].islower() and not re.search(r"[.!?:]$", text_so_far):
        return True
    if ends_open(rules, text_so_far, "[,(]"):
        return True  # "… (Vækst- og Skoleudvalget og" / "Forebyggelsesudvalget)"
    trailing = any(p.search(text_so_far) for p in s.trailing_presenter)
    return bool(trailing and first_match(s.name_tail, t) and len(t) < 40)


def split_title(rules: Rules, title: str) -> tuple[str, str | None]:
    """(title, rest): an outcome or a second sentence printed after the title goes to the item's text."""
    for p in rules.structure.title_outcome_split:
        m = p.match(title)
        if m:
            return m.group("title").strip(), m.group("rest").strip()
    return title, None


def rest_line(ln: Line, rest: str) -> Line:
    """What follows the title on a heading line, as a line of the item's text (same provenance)."""
    return replace(ln, text=rest, cells=(rest,))


def finite_verb_title(rules: Rules, title: str) -> bool:
    """The title reads as a sentence: six words or more, a finite verb, a full stop."""
    words = [w.strip(".,;:").casefold() for w in title.split()]
    return len(words) >= 6 and title.rstrip().endswith(".") and any(w in rules.structure.finite_verbs for w in words)
