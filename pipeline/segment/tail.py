"""The end of the minutes: sign-off lines, and text appended after the closing line."""

from __future__ import annotations

from ..records import Line
from ..rules import Rules, first_match


def cut_appendix(lines: list[Line], rules: Rules, is_heading) -> tuple[list[Line], list[Line]]:
    """Keep out pages that follow the end of the minutes ("Formandsberetning 2021" appended).

    The minutes end at their last closing line ("… hævede generalforsamlingen",
    "Mødet hævet kl. 18.40"); what follows on the same page is sign-off.  From
    the next page on, text with no item heading and at least three lines of
    prose is another document in the same file.  Returns (minutes, appendix).
    """
    last = max((j for j, ln in enumerate(lines) if first_match(rules.structure.closing_lines, ln.text)), default=None)
    if last is None:
        return lines, []
    start = next((k for k in range(last + 1, len(lines)) if lines[k].page > lines[last].page), None)
    if start is None:
        return lines, []
    tail = lines[start:]
    if any(is_heading(ln.text) for ln in tail):
        return lines, []
    if sum(len(ln.text.split()) >= rules.settings.appendix_prose_words for ln in tail) < 3:
        return lines, []
    return lines[:start], tail


def lift_signoff(lines: list[Line], rules: Rules) -> tuple[list[Line], list[Line]]:
    """Take "Således opfattet …" / "Godkendt af …" lines from the last part: (rest, sign-off)."""
    tail_start = max(0, len(lines) - rules.settings.signoff_tail_lines)
    keep, signoff = [], []
    for j, ln in enumerate(lines):
        s = rules.structure
        if j >= tail_start and (first_match(s.referent_lines, ln.text) or first_match(s.approval_lines, ln.text)):
            signoff.append(ln)
        else:
            keep.append(ln)
    return keep, signoff
