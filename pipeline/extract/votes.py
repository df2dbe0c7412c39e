"""Votes and dissent where the minutes print them.

"Imod stemte: Ø", "Undlod: C og M", "For stemte A, V og C", "(kun 1 stemte
for, 16 imod)", "Solveig Munk kunne ikke tiltræde indstillingen", "Venstre
tog forbehold", "5 medlemmer (A+V+C) anbefaler forslaget".  One row per
position and group of voters; ``who`` is written as printed (party letters
or names), ``count`` only where a number is printed.  The rules are data
(``models/rules/votes.toml``).  A subject that is the body itself
("Udvalget kunne ikke tiltræde") is the body's decision, not a vote.
"""

from __future__ import annotations

from ..clean import sentences
from ..lexicon import Lexicon, lexicon
from ..records import Vote
from ..rules import Rules, rules_for
from .decisions import is_majority, is_minority

#: positions a subject takes in a sentence ("X kunne ikke tiltræde"), as opposed to a count or a label
_SUBJECT_POSITIONS = ("dissent", "for")


def find_votes(text: str | None, item_no: int, page: int | None = None, rules: Rules | None = None,
               lex: Lexicon | None = None) -> list[Vote]:
    if not text:
        return []
    rules = rules or rules_for()
    lex = lex or lexicon()
    out: list[Vote] = []
    for sentence in sentences(text):
        taken: list[tuple[int, int]] = []
        for rx, position in rules.votes.rules:
            for m in rx.finditer(sentence):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                who = (m.groupdict().get("who") or "").strip(" .,;") or None
                count = int(m["count"]) if m.groupdict().get("count") else None
                if who is None and count is None:
                    continue
                if position in _SUBJECT_POSITIONS and count is None and m.start() == 0 \
                        and not (is_minority(who, rules, lex) or is_majority(who, rules)):
                    continue  # "Udvalget kunne ikke tiltræde": the body decided
                taken.append(m.span())
                out.append(Vote(item_no, position, who, count, sentence, page))
    return out
