"""Votes and dissent where the minutes print them.

"Imod stemte: Ø", "Undlod: C og M", "For stemte A, V og C", "(kun 1 stemte
for, 16 imod)", "Solveig Munk kunne ikke tiltræde indstillingen", "Venstre
tog forbehold", "5 medlemmer (A+V+C) anbefaler forslaget".  One row per
position and group of voters; ``who`` is written as printed (party letters
or names), ``count`` only where a number is printed.
"""

from __future__ import annotations

import re
from ..clean import sentences
from ..records import Vote

_WHO = r"(?P<who>[A-ZÆØÅ][\wæøåÆØÅ.\- ]{0,80}?(?:\s*(?:,|og|\+)\s*[A-ZÆØÅ][\wæøåÆØÅ.\- ]{0,40}?)*)"

#: (pattern, position): "who" and/or "count" groups
RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(rf"\bimod\s+stemte\s*:?\s*{_WHO}\s*(?:[.;]|$)", re.I), "against"),
    (re.compile(rf"\bfor\s+stemte\s*:?\s*{_WHO}\s*(?:[.;]|$)", re.I), "for"),
    (re.compile(rf"\bundlod(?:\s+at\s+stemme)?\s*:?\s*{_WHO}\s*(?:[.;]|$)", re.I), "abstain"),
    (re.compile(r"\b(?P<count>\d{1,3})\s+stemte\s+for\b"), "for"),
    (re.compile(r"\b(?P<count>\d{1,3})\s+(?:stemte\s+)?imod\b"), "against"),
    (re.compile(r"\b(?P<count>\d{1,3})\s+(?:undlod|stemte\s+blankt)\b"), "abstain"),
    (re.compile(r"\b(?P<count>\d{1,3})\s+medlemmer\s*\((?P<who>[A-ZÆØÅ+ ,]+)\)\s+(?:anbefaler|stemte\s+for|godkender|tiltræder)"), "for"),
    (re.compile(r"\b(?P<count>\d{1,3})\s+medlemmer\s*\((?P<who>[A-ZÆØÅ+ ,]+)\)\s+(?:tager\s+forbehold|stemte\s+imod|kan\s+ikke\s+tiltræde)"), "dissent"),
    (re.compile(rf"^{_WHO}\s+kunne\s+ikke\s+tiltræde\b"), "dissent"),
    (re.compile(rf"^{_WHO}\s+tog\s+forbehold\b"), "dissent"),
    (re.compile(rf"^{_WHO}\s+kunne\s+tiltræde\b"), "for"),
)


def find_votes(text: str | None, item_no: int, page: int | None = None) -> list[Vote]:
    if not text:
        return []
    out: list[Vote] = []
    for sentence in (s.strip() for s in sentences(text)):
        taken: list[tuple[int, int]] = []
        for rx, position in RULES:
            for m in rx.finditer(sentence):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                who = (m.groupdict().get("who") or "").strip(" .,;") or None
                count = int(m["count"]) if m.groupdict().get("count") else None
                if who is None and count is None:
                    continue
                taken.append(m.span())
                out.append(Vote(item_no, position, who, count, sentence, page))
    return out
