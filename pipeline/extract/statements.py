"""Attendance stated in sentences rather than lists.

Real minutes say who was there inside the items: "Liv Gro Jensen var
forhindret i at deltage i udvalgets behandling af sagen", "Kirsten er
fraværende - Brian Frænde deltager som hendes suppleant", "Jonny mødte ikke
op", "Jan forlod mødet kl. 19.53", "Solveig Munk kunne ikke tiltræde
indstillingen" (so she was there).  Each rule below is a small pattern over
one clause; a name must start with a known given name, or stand where only a
name can stand ("suppleanten Jonny").  Case histories (earlier meetings) are
never read: they are not in the texts given here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..clean import sentences as split_sentences
from ..lexicon import Lexicon

_NAME = r"[A-ZÆØÅ][a-zæøåéü]+(?:-[A-ZÆØÅ][a-zæøåéü]+)?(?:\s+(?:[A-ZÆØÅ][a-zæøåéü]+(?:-[A-ZÆØÅ][a-zæøåéü]+)?|[A-ZÆØÅ]\.))*"
_NAMES = rf"{_NAME}(?:\s*,\s*{_NAME})*(?:\s+og\s+{_NAME})?"

#: (pattern, attendance, item-scoped) — the group "who" holds one or more names
RULES: tuple[tuple[re.Pattern, str, bool], ...] = (
    (re.compile(rf"(?P<who>{_NAMES})\s+(?:var|er)\s+forhindret\s+i\s+at\s+deltage(?P<scope>\s+i\s+(?:udvalgets\s+)?behandling(?:en)?\s+af\s+(?:sagen|punktet))?"), "absent", False),
    (re.compile(rf"(?P<who>{_NAMES})\s+(?:var|er)\s+fraværende\b"), "absent", False),
    (re.compile(rf"(?P<who>{_NAMES})\s+(?:havde|har)\s+meldt\s+afbud\b"), "absent", False),
    (re.compile(rf"(?P<who>{_NAMES})\s+(?:mødte\s+ikke\s+op|udeblev)\b"), "absent", False),
    (re.compile(rf"(?P<who>{_NAMES})\s+(?:kan|kunne)\s+ikke\s+deltage\b"), "absent", False),
    (re.compile(rf"(?P<who>{_NAMES})\s+holder\s+pause\b"), "absent", False),
    (re.compile(rf"(?P<who>{_NAME})\s+har\s+meddelt,?\s+at\s+(?:han|hun)\b.*\bholder\s+pause\b"), "absent", False),
    (re.compile(rf"(?P<who>{_NAME})\s+er\s+indkaldt\b.*\bmen\s+kan\s+ikke\s+deltage\b"), "absent", False),
    (re.compile(rf"(?P<who>{_NAMES})\s+deltog\s+ikke\s+i\s+(?:sagens|punktets)\s+behandling"), "absent", True),
    (re.compile(rf"(?P<who>{_NAMES})\s+(?:kunne\s+(?:ikke\s+)?tiltræde|tog\s+forbehold|stemte\s+(?:for|imod)|undlod\s+at\s+stemme)\b"), "present", False),
    (re.compile(rf"(?P<who>{_NAMES})\s+forlod\s+mødet\b"), "present", False),
    (re.compile(rf"(?P<who>{_NAMES})\s+(?:var|blev\s+erklæret)\s+inhabil\b"), "present", False),
    (re.compile(rf"(?P<who>{_NAMES})\s+blev\s+valgt\s+som\s+(?:dirigent|referent|ordstyrer)\b"), "present", False),
)
#: "Brian Frænde deltager som hendes suppleant", "hans suppleant, Zita, deltager i stedet"
SUBSTITUTE = (
    re.compile(rf"(?P<sub>{_NAME})\s+(?:deltager|deltog)\s+som\s+(?:[Hh]endes|[Hh]ans|[Dd]ennes)\s+(?:suppleant|stedfortræder)"),
    re.compile(rf"(?:[Hh]endes|[Hh]ans|[Dd]ennes)\s+suppleant,?\s+(?P<sub>{_NAME}),?\s+(?:deltager|deltog)\s+i\s+stedet"),
    re.compile(rf"(?P<sub>{_NAME})\s+(?:deltager|deltog)\s+i\s+(?:[Hh]endes|[Hh]ans|[Dd]ennes)\s+sted"),
)
#: a name by position: "suppleanten Jonny", "Hendes suppleant, Charlotte"
_BY_ROLE = re.compile(rf"\b[Ss]uppleant(?:en)?,?\s+(?P<name>{_NAME})")
_CLAUSES = re.compile(r"(?<=[.!?])\s+|\s+[-–]\s+|;\s+")


@dataclass(frozen=True, slots=True)
class Statement:
    name: str
    attendance: str
    substitute_for: str | None
    items: tuple[int, ...]
    sentence: str


def _names(text: str, lex: Lexicon, role_names: set[str]) -> list[str]:
    out = []
    for part in re.split(r"\s*,\s*|\s+og\s+", text):
        part = part.strip()
        first = part.split()[0] if part else ""
        if first and (lex.is_given_name(first) or part in role_names) and not lex.title_prefix(part):
            out.append(part)
    return out


def statements(text: str, item_no: int | None, lex: Lexicon) -> list[Statement]:
    """Attendance statements in one block of item text."""
    found: list[Statement] = []
    sentences = split_sentences(text)
    absent_here: list[str] = []  # "hans suppleant, Zita, deltager i stedet" refers back to the last absentee
    for sentence in sentences:
        role_names = {m["name"] for m in _BY_ROLE.finditer(sentence)}
        clauses = [c for c in _CLAUSES.split(sentence) if c.strip()]
        for clause in clauses:
            clause_role = {m["name"] for m in _BY_ROLE.finditer(clause)} | role_names
            for sub_rx in SUBSTITUTE:
                m = sub_rx.search(clause)
                if m and absent_here:
                    found.append(Statement(m["sub"], "substitute", absent_here[-1], (), sentence.strip()))
                    break
            else:
                for rx, att, scoped in RULES:
                    m = rx.search(clause)
                    if not m:
                        continue
                    who = m["who"]
                    # "suppleanten Jonny er indkaldt. Jonny mødte ikke op" / "Hendes suppleant, Charlotte kan ikke …"
                    rm = _BY_ROLE.search(clause)
                    if rm and rm["name"] in who:
                        who = rm["name"]
                    scope = scoped or bool(m.groupdict().get("scope"))
                    for name in _names(who, lex, clause_role):
                        found.append(Statement(name, att, None, (item_no,) if scope and item_no is not None else (), sentence.strip()))
                        if att == "absent":
                            absent_here.append(name)
                    break
    return found
