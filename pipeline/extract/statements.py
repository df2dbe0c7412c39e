"""Attendance stated in sentences rather than lists.

Real minutes say who was there inside the items: "Liv Gro Jensen var
forhindret i at deltage i udvalgets behandling af sagen", "Kirsten er
fraværende - Brian Frænde deltager som hendes suppleant", "Jan forlod mødet
kl. 19.53", "Solveig Munk kunne ikke tiltræde indstillingen" (so she was
there).  Association minutes with only a head count name their functionaries
("Som dirigent blev valgt Jens Holm", "Stefan Vrang valgtes" under "Valg af
dirigent") and the people acting at the meeting ("Heidi Jørgensen fremlagde
regnskabet", "Budgettet blev gennemgået af …", "Formanden (Leif Hansen)
berettede"): they were there (role ``speaker`` or the function).  Being
elected to a board, nominated, thanked or quoted is not attendance.

Every shape is data (``models/rules/attendance.toml``); names are found by
``names``.  Case histories are never read (they are not in the texts given
here), and case text that speaks of another body's meeting ("Ved
Folkeoplysningsudvalgets behandling … forlod disse medlemmer mødet") is not
read after that sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..clean import sentences as split_sentences
from ..lexicon import Lexicon
from ..rules import Rules, first_match
from .names import name_by_surname, name_in, name_run, names_in, names_shaped

#: clause boundaries inside a sentence: a dash between clauses, a semicolon
_CLAUSES = re.compile(r"\s+[-–]\s+|;\s+")


@dataclass(frozen=True, slots=True)
class Statement:
    name: str
    attendance: str  # present | absent | substitute | guest
    substitute_for: str | None
    items: tuple[int, ...]
    sentence: str
    role: str | None = None  # a function at the meeting (dirigent, referent, …) or "speaker"
    party: str | None = None  # a party printed in brackets right after the name ("Evan Holm (V)")


class _Reader:
    """The statements of one block of item text."""

    def __init__(self, rules: Rules, lex: Lexicon, item_no: int | None, title: str, actors: bool, initials: dict[str, str]):
        self.a = rules.attendance
        self.initials = initials
        self.lex = lex
        self.item_no = item_no
        self.actors = actors
        m = first_match(self.a.functionary_item, title or "")
        self.item_role = self.role(m.group("role")) if m else None
        self.particles = self.a.name_particles
        self.found: list[Statement] = []
        self.absent_here: list[str] = []  # "hans suppleant, Zita, deltager i stedet" refers back to the last absentee

    def role(self, text: str) -> str:
        """A function as the rules name it ("stemmetællere" -> "stemmetæller")."""
        t = text.casefold()
        return t[:-1] if t not in self.a.functionary_roles and t[:-1] in self.a.functionary_roles else t

    def name(self, text: str, alone: bool = True) -> str | None:
        return name_in(text, self.lex, self.particles, alone)

    def actor_name(self, text: str, alone: bool = True) -> str | None:
        """The name of someone reported acting: as ``name``, else (a given name the lexicon lacks)
        the shape of a full name ending in a known surname."""
        return self.name(text, alone) or name_by_surname(text, self.lex, self.particles)

    def may_hold_guest(self, text: str) -> bool:
        """Whether ``text`` holds one of ``attendance.guest_words`` (the guest patterns are tried only then)."""
        return bool(set(re.findall(r"[\wæøå]+", text.casefold())) & self.a.guest_words)

    def add(self, name: str, attendance: str, sentence: str, sub_for: str | None = None, scope: bool = False, role: str | None = None,
            items: tuple[int, ...] = ()) -> None:
        its = items or ((self.item_no,) if scope and self.item_no is not None else ())
        self.found.append(Statement(name, attendance, sub_for, its, sentence.strip(), role, self.party_after(name, sentence)))
        if attendance == "absent":
            self.absent_here.append(name)

    def party_after(self, name: str, sentence: str) -> str | None:
        """The party in brackets right after ``name`` in the sentence ("Evan Holm (V)"), or None."""
        m = re.search(rf"{re.escape(name)}\s*\(([^()]{{1,40}})\)", sentence)
        if not m:
            return None
        t = m.group(1).strip()
        parties = {p.casefold() for p in self.a.party_names}
        return t if first_match(self.a.party_letter, t) or t.casefold() in parties else None

    def sentence(self, sentence: str) -> None:
        text = self.expand(sentence)
        role_names = {m.group("name") for p in self.a.by_role for m in p.finditer(text)}
        before = len(self.found)
        for clause in (c for c in _CLAUSES.split(text) if c.strip()):
            self.clause(clause, sentence, role_names)
        if self.actors:
            named = {st.name for st in self.found[before:]}
            self.actor(text, sentence, named)

    def announced(self, sentence: str) -> None:
        """Only the guests a sentence announces for this meeting (``attendance.announced``)."""
        if not self.may_hold_guest(sentence):
            return
        text = self.expand(sentence)
        for p in self.a.announced:
            m = p.search(text)
            if m:
                for n in names_in(m.group("who"), self.lex, self.particles, alone=True):
                    self.add(n, "guest", sentence)
                return

    def expand(self, sentence: str) -> str:
        """Initials defined earlier ("Anders Holm (AH)") written out; the definitions themselves dropped."""
        text = sentence
        for p in self.a.initials_defined:
            text = p.sub(lambda m: m.group("who"), text)
        if self.initials:
            text = re.sub(r"\b[A-ZÆØÅ]{2,4}\b", lambda m: self.initials.get(m.group(0), m.group(0)), text)
        return text

    def clause(self, clause: str, sentence: str, role_names: set[str]) -> None:
        a = self.a
        subs = [m for p in a.substitute if (m := p.search(clause)) and self.name(m.group("sub"))][:1]

        def substitute() -> bool:
            """The substitute the clause names, for the person named or last stated absent."""
            if not subs:
                return False
            m = subs[0]
            named_for = m.groupdict().get("for")
            sub_for = self.name(named_for) if named_for else (self.absent_here[-1] if self.absent_here else None)
            if not sub_for:
                return False
            if named_for and sub_for not in self.absent_here:
                self.add(sub_for, "absent", sentence)
            self.add(self.name(m.group("sub")), "substitute", sentence, sub_for)
            return True

        if substitute():
            return
        guests = a.announced + a.guest if self.may_hold_guest(clause) else ()
        for attendance, patterns in (("guest", guests), ("absent", a.absent), ("present", a.present)):
            for p in patterns:
                m = p.search(clause)
                if not m:
                    continue
                who = m.group("who")
                # "suppleanten Jonny er indkaldt. Jonny mødte ikke op": the name the role points at
                rm = next((m2 for p2 in a.by_role if (m2 := p2.search(clause)) and m2.group("name") in who), None)
                names = [rm.group("name")] if rm else names_in(who, self.lex, self.particles, alone=True)
                if not names and "caption" in m.groupdict():  # a list caption: the names need no known given name
                    names = names_shaped(who, self.lex, self.particles)
                scope = m.groupdict().get("scope")
                items = (int(scope),) if scope and scope.strip().isdigit() else ()
                for n in names:
                    self.add(n, attendance, sentence, scope=scope is not None, items=items)
                if names:
                    substitute()  # "X har meddelt at han holder pause. Hans suppleant, Y, deltager i stedet."
                    return
        hits = [(m, self.name(m.group("who"))) for p in a.functionary for m in p.finditer(clause)]
        for m, n in sorted((h for h in hits if h[1]), key=lambda h: h[0].start()):
            if n not in {st.name for st in self.found}:
                self.add(n, "present", sentence, role=self.role(m.group("role")))
        if any(n for _, n in hits):
            return
        if self.item_role:
            m = first_match(a.elected, clause)
            if m:
                n = self.name(m.group("who"))
                if n:
                    self.add(n, "present", sentence, role=self.item_role)

    def object_of(self, sentence: str, start: int) -> bool:
        """The name at ``start`` is the object of what comes before ("takkede Leif Hansen for …")."""
        before = " ".join(sentence[max(0, start - 30):start].casefold().split())
        return any(before == w or before.endswith(" " + w) for w in self.a.object_before)

    def verb_after(self, text: str, end: int) -> str | None:
        """The word after a name and what may stand between (a party or address in brackets, ", F19",
        ", kasserer,", "fra DEAS A/S"), or None."""
        rest = _PAREN.sub(" ", text[end:end + 80])
        words = re.findall(r"[\wæøåÆØÅ/.\-]+|,", rest)
        for k, w in enumerate(words[:6]):
            if w == ",":
                continue
            if w[:1].islower() and not self.lex.title_prefix(w) and w != "fra":
                return w
            if not (w[:1].isupper() or w[:1].isdigit() or w == "fra" or self.lex.title_prefix(w)):
                return None
        return None

    def actor(self, text: str, sentence: str, named: set[str]) -> None:
        """Someone reported acting at the meeting: subject and verb, verb and subject, "af X", "Svar fra X"
        (``named``: already stated in this sentence)."""
        a = self.a

        def add(n: str | None) -> None:
            if n and n not in named:
                named.add(n)
                self.add(n, "present", sentence, role="speaker")

        for p in a.actor_phrases:
            for m in p.finditer(text):
                add(self.actor_name(m.group("who"), alone=False))
        for m in _PAREN_NAME.finditer(text):  # "Formanden (Leif Hansen) berettede"
            if m.group("verb").casefold() in a.actor_verbs:
                add(self.actor_name(m.group("who")))
        for m in name_run(self.particles, one_line=False, alone=True).finditer(text):
            verb = self.verb_after(text, m.end())
            if verb and verb.casefold() in a.actor_verbs:
                if not self.object_of(text, m.start()):
                    add(self.actor_name(m.group(0)))
                continue
            prev = _PREV_WORD.search(text, 0, m.start())
            after = text[m.end():].lstrip(", \t").split(maxsplit=1)
            if prev and prev.group(1).casefold() in a.inverted_verbs and after and after[0].casefold() in a.inverted_clause:
                add(self.name(m.group(0), alone=False))


_PAREN = re.compile(r"\([^()]{0,40}\)")
_PREV_WORD = re.compile(r"([\wæøå]+)\s+$")
_PAREN_NAME = re.compile(r"\((?P<who>[A-ZÆØÅ][^()]{2,40})\)\s+(?P<verb>[\wæøå]+)")


def initials_defined(texts: list[str], rules: Rules) -> dict[str, str]:
    """Initials the document defines ("Anders Holm (AH)") -> the full name."""
    out: dict[str, str] = {}
    for t in texts:
        for p in rules.attendance.initials_defined:
            for m in p.finditer(t):
                out.setdefault(m.group("code"), m.group("who"))
    return out


def speaks_of_other_meeting(text: str, rules: Rules) -> bool:
    """A sentence of ``text`` reports another body's meeting (``attendance.other_meeting``)."""
    return any(p.search(text) for p in rules.attendance.other_meeting)


def statements(text: str, item_no: int | None, lex: Lexicon, rules: Rules, title: str = "", actors: bool = False,
               case_text: bool = False, initials: dict[str, str] | None = None, announced_only: bool = False) -> list[Statement]:
    """Attendance statements in one block of item text.

    ``actors``: also people reported acting at the meeting (minutes, not case
    text).  ``case_text``: from a sentence that speaks of another body's
    meeting on, read only the guests announced for this meeting
    (``attendance.announced``); ``announced_only``: only those from the start
    (a later paragraph of such case text).  ``initials``: initials the
    document defines, written out.
    """
    reader = _Reader(rules, lex, item_no, title, actors, initials or {})
    for sentence in split_sentences(text):
        if case_text and any(p.search(sentence) for p in rules.attendance.other_meeting):
            announced_only = True
        if announced_only:
            reader.announced(sentence)
        else:
            reader.sentence(sentence)
    return reader.found
