"""Attendance lists: every line of a list becomes one or more people.

Line shapes handled (all seen in real minutes):
- name first: "Mads Duedahl, Regionsrådsformand (medformand) - mødeleder"
- title first: "Konst. kontorchef Daniel Kjærgaard Simonsen, Region Nordjylland"
- several names: "Jens Ravnholt Pedersen og Dorte Mayann Hansen - Region Nordjylland punkt 2"
- inline absence: "… – afbud", "(afbud)", "meldt afbud"
- substitution: "Anne Krøjer Jacobsen (Bente Bach Poulsen deltager i hendes sted)",
  "X deltog i stedet", "stedfortræder X"
- item scope: "– punkt 3", "pkt. 2-3", "under punkt 4"

Then ``parse_groups`` merges the lists of one meeting: an "Afbud" entry that
names someone already listed marks that row absent instead of adding a person.
Rows are built as drafts inside this module and returned as frozen ``Person``
records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..lexicon import Lexicon
from ..people import person_key, unique_variant
from ..records import Diagnostic, Line, Person
from ..segment import Group


@dataclass(slots=True)
class Draft:
    """A person row while the lists are read."""

    name: str
    title: str | None = None
    organisation: str | None = None
    group: str | None = None
    attendance: str = "present"
    substitute_for: str | None = None
    items: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    page: int | None = None
    line: int | None = None
    raw: str = ""

    def freeze(self) -> Person:
        return Person(name=self.name, title=self.title, organisation=self.organisation, group=self.group, attendance=self.attendance,
                      substitute_for=self.substitute_for, items=tuple(self.items), notes=tuple(dict.fromkeys(self.notes)),
                      page=self.page, line=self.line, raw=self.raw)

_ITEMS = re.compile(
    r"(?:[,;]?\s*[-–]?\s*)(?:under\s+)?(?:punkt(?:erne)?|pkt\.?|dagsordenspunkt)\s*(?P<items>\d{1,3}(?:\s*(?:-|–|,|og)\s*\d{1,3})*)\s*\.?\s*$",
    re.I,
)
_ABSENT = re.compile(r"(?:\s*[-–,]\s*|\s+)(?:meldt\s+)?afbud\.?\s*$|\s*\((?:meldt\s+)?afbud\)\s*$", re.I)
_SUBSTITUTE = (
    re.compile(r"^(?P<sub>.+?)\s+(?:deltager|deltog)\s+i\s+(?:hendes|hans|dennes|deres)\s+sted\.?$", re.I),
    re.compile(r"^(?P<sub>.+?)\s+(?:deltager|deltog)\s+i\s+stedet\.?$", re.I),
    re.compile(r"^(?P<sub>.+?)\s+(?:deltager|deltog)\s+som\s+(?:hendes|hans|dennes)\s+(?:suppleant|stedfortræder)\.?$", re.I),
    re.compile(r"^(?:stedfortræder|suppleant)\s*:?\s*(?P<sub>.+?)\.?$", re.I),
    re.compile(r"^i\s+stedet\s+(?:deltager|deltog)\s+(?P<sub>.+?)\.?$", re.I),
)
_PAREN = re.compile(r"\(([^()]*)\)")
_TRAILING_NOTE = re.compile(r"\s+[-–]\s+(?P<note>[a-zæøå][^,]*)$")
_DASH_SPLIT = re.compile(r"\s+[-–]\s+")
_COMMA_SPLIT = re.compile(r"(?<!-),\s+")
_AND_SPLIT = re.compile(r"\s+(?:og|&)\s+")
_NAME_TOKEN = re.compile(r"^(?:[A-ZÆØÅÉÜÖÄ][\wæøåÆØÅéüöä'\-]*\.?|[A-ZÆØÅ]\.|von|van|de|der|den|la|le|af)$")
_PARTICLES = {"von", "van", "de", "der", "den", "la", "le", "af"}


@dataclass(slots=True)
class ParsedLine:
    people: list[Draft]
    absent: bool = False
    substitutes: list[str] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)


def parse_items(text: str) -> list[int]:
    nums: list[int] = []
    for part in re.split(r"\s*(?:,|og)\s*", text):
        m = re.match(r"^(\d{1,3})\s*[-–]\s*(\d{1,3})$", part.strip())
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a <= b <= a + 50:
                nums.extend(range(a, b + 1))
        elif part.strip().isdigit():
            nums.append(int(part.strip()))
    return sorted(set(nums))


def _is_name_token(tok: str, lex: Lexicon) -> bool:
    return bool(_NAME_TOKEN.match(tok)) and not (lex.title_prefix(tok) and not lex.is_given_name(tok))


def _clean_name(tokens: list[str]) -> tuple[str, list[str]]:
    """Join name tokens; repair "Andreas. K. Toft" (stray period after a given name)."""
    notes = []
    out = []
    for i, t in enumerate(tokens):
        if t.endswith(".") and len(t.rstrip(".")) > 1 and i < len(tokens) - 1:
            notes.append(f"stray period after '{t.rstrip('.')}' removed from name")
            t = t.rstrip(".")
        out.append(t)
    return " ".join(out), notes


def split_name(head: str, lex: Lexicon) -> tuple[str | None, str | None, str, list[str]]:
    """Split "Title Name" or "Name title" into (name, leading title, trailing rest, notes)."""
    tokens = head.split()
    if not tokens:
        return None, None, "", []
    first = tokens[0]
    if lex.is_given_name(first) and first[0].isupper() and not lex.title_prefix(head):
        # name first: the name runs until a lower-case word or a title word
        k = 1
        while k < len(tokens) and _is_name_token(tokens[k], lex) and not (
            tokens[k][0].isupper() and lex.title_prefix(" ".join(tokens[k:])) and not lex.is_given_name(tokens[k])
            and k >= 2
        ):
            k += 1
        name, notes = _clean_name(tokens[:k])
        return name, None, " ".join(tokens[k:]), notes
    # title first: the name starts at the first given name followed only by name words
    for i in range(1, len(tokens)):
        if lex.is_given_name(tokens[i]) and tokens[i][0].isupper() and all(_NAME_TOKEN.match(t) for t in tokens[i:]):
            name, notes = _clean_name(tokens[i:])
            return name, " ".join(tokens[:i]), "", notes
    # no known given name: a title from the lexicon, then capitalised words
    title = lex.title_prefix(head)
    if title:
        rest = head[len(title):].strip().split()
        if rest and all(_NAME_TOKEN.match(t) for t in rest) and len(rest) >= 2:
            name, notes = _clean_name(rest)
            return name, title, "", notes + ["name found without a known given name"]
    if all(_NAME_TOKEN.match(t) for t in tokens) and 2 <= len(tokens) <= 5:
        name, notes = _clean_name(tokens)
        return name, None, "", notes + ["name found without a known given name"]
    return None, None, head, []


def classify_parts(parts: list[str], lex: Lexicon) -> tuple[list[str], list[str]]:
    """Sort the phrases after a name into titles and organisations."""
    titles: list[str] = []
    orgs: list[str] = []
    for part in parts:
        part = part.strip(" ,;")
        if not part:
            continue
        t = lex.title_prefix(part)
        if t:
            rest = part[len(t):].strip()
            if rest and not re.match(r"^(?:for|af|i|ved|på|til|og)\b", rest, re.I) and rest[0].isupper():
                titles.append(t)
                orgs.append(rest)
            else:
                titles.append(part)
            continue
        o = lex.org_prefix(part)
        if o and part != o:
            rest = part[len(o):].strip()
            if lex.title_prefix(rest):
                orgs.append(o)
                titles.append(rest)
                continue
        if lex.is_organisation(part) or part[0].isupper():
            orgs.append(part)
        else:
            titles.append(part)
    return titles, orgs


def name_list(text: str, lex: Lexicon) -> list[str] | None:
    """"A, B og C" when every part is a bare name (no title, no organisation)."""
    parts = [p.strip(" .") for p in re.split(r"\s*,\s*|\s+(?:og|&)\s+", text) if p.strip(" .")]
    if len(parts) < 2:
        return None
    names = []
    for part in parts:
        name, lead, rest, _ = split_name(part, lex)
        if not name or lead or rest or not lex.is_given_name(part.split()[0]):
            return None
        names.append(name)
    return names


#: list enumerators: "1.", "(a)", "a)", "- [x]", "•"
_ENUMERATOR = re.compile(r"^(?:\d{1,2}[.)]|\([a-zæøå]\)|[a-zæøå]\)|[-*•]\s*\[[ xX]\]|[-*•·–])\s+")
_CHECKBOX_EMPTY = re.compile(r"^[-*•]\s*\[ \]\s+")
_LIST_END = re.compile(r"\s*(?:;\s*og|;|,\s*og|\bog)\s*$")
_FINITE_VERB = re.compile(r"\s(?:er|var|har|havde|kan|kunne|deltager|deltog|mødte|forlod|holder|blev|skal|vil|tog|stemte)\s")
_NOT_DECIDED = re.compile(r"\[(?:notdecided|ikke afgjort|afventer)\]", re.I)


def is_member_line(text: str, lex: Lexicon) -> bool:
    """A line of an attendance list (one or more people), not prose."""
    t = text.strip()
    if len(t) > 140 or re.search(r"[.!?]$", t) and not re.search(r"\b[A-ZÆØÅ]\.$", t):
        return False
    if _NOT_DECIDED.search(t):
        return True
    # a sentence about someone ("Kirsten er fraværende - …") is a statement, not a list line
    if _FINITE_VERB.search(_PAREN.sub("", t)):
        return False
    parsed = parse_person_line(t, lex)
    return bool(parsed.people) and not parsed.diagnostics


def parse_person_line(text: str, lex: Lexicon) -> ParsedLine:
    out = ParsedLine(people=[])
    t = text.strip()
    unchecked = bool(_CHECKBOX_EMPTY.match(t))
    t = _ENUMERATOR.sub("", t)
    t = _LIST_END.sub("", t).strip().strip("•·-– ").strip()
    if _NOT_DECIDED.search(t):
        out.diagnostics.append(f"attendance not stated ([NotDecided]): {text!r}")
        return out
    if unchecked:
        out.absent = True
    names = name_list(t, lex)
    if names:
        out.people = [Draft(name=n, raw=text) for n in names]
        return out
    notes: list[str] = []
    items: list[int] = []
    m = _ITEMS.search(t)
    if m:
        items = parse_items(m.group("items"))
        t = t[: m.start()].rstrip(" ,;-–")
    if _ABSENT.search(t):
        out.absent = True
        t = _ABSENT.sub("", t).rstrip(" ,;-–")
        m = _ITEMS.search(t)
        if m and not items:
            items = parse_items(m.group("items"))
            t = t[: m.start()].rstrip(" ,;-–")
    for pm in list(_PAREN.finditer(t)):
        inner = pm.group(1).strip()
        sub = None
        for rx in _SUBSTITUTE:
            sm = rx.match(inner)
            if sm:
                sub = sm.group("sub").strip()
                break
        if sub:
            out.substitutes.append(sub)
        elif re.fullmatch(r"(?:meldt\s+)?afbud", inner, re.I):
            out.absent = True
        elif inner:
            notes.append(inner)
    t = _PAREN.sub("", t)
    t = re.sub(r"\s{2,}", " ", t).strip(" ,")
    nm = _TRAILING_NOTE.search(t)
    if nm:
        notes.append(nm.group("note").strip())
        t = t[: nm.start()].strip()
    # "Names - Organisation" (a dash, then a capitalised tail)
    org_tail: str | None = None
    dash_parts = _DASH_SPLIT.split(t)
    if len(dash_parts) > 1:
        t, org_tail = dash_parts[0], " - ".join(dash_parts[1:])
    parts = _COMMA_SPLIT.split(t)
    head, tail = parts[0], parts[1:]
    # several names: "A og B" where both sides look like names
    chunks = _AND_SPLIT.split(head)
    heads = chunks if len(chunks) > 1 and all(lex.is_given_name(c.split()[0]) for c in chunks if c.split()) else [head]
    for h in heads:
        name, lead_title, rest, name_notes = split_name(h, lex)
        if not name:
            out.diagnostics.append(f"no name found in attendance line: {text!r}")
            continue
        title_parts = [lead_title] if lead_title else []
        tail_parts = ([rest] if rest else []) + tail
        more_titles, orgs = classify_parts(tail_parts, lex)
        if org_tail:
            tt, oo = classify_parts(_COMMA_SPLIT.split(org_tail), lex)
            more_titles += tt
            orgs += oo
        title_parts += more_titles
        out.people.append(
            Draft(
                name=name,
                title=", ".join(title_parts) or None,
                organisation=", ".join(orgs) or None,
                items=list(items),
                notes=notes + name_notes,
                raw=text,
            )
        )
    return out


def _person_name_only(text: str, lex: Lexicon) -> str | None:
    name, _, _, _ = split_name(text.strip(" .,"), lex)
    return name


def join_continuations(lines: list[Line], lex: Lexicon) -> list[Line]:
    """Join a list line broken over two lines ("… - Aalborg" / "Universitetshospital – afbud").

    A line in which no name can be found continues the line before it when it
    is one word, starts in lower case, or the line before ends open (a dash, a
    comma, "og"); the joined line keeps the first line's provenance.
    """
    out: list[Line] = []
    for ln in lines:
        core = _ABSENT.sub("", _ITEMS.sub("", ln.text)).strip(" ,;-–")
        continues = len(core.split()) <= 1 or core[:1].islower() or (out and re.search(r"[-–,]$|\bog$", out[-1].text))
        if out and continues and not parse_person_line(ln.text, lex).people:
            prev = out[-1]
            out[-1] = replace(prev, text=f"{prev.text} {ln.text}", cells=(f"{prev.text} {ln.text}",))
        else:
            out.append(ln)
    return out


def split_columns(lines: list[Line], lex: Lexicon) -> list[Line]:
    """A list printed in columns: one line per person, in reading order.

    A PDF line whose cells (text separated by a wide gap) each hold exactly
    one person — "Anna Hansen (A)      Peter Jensen (V)" — is two list lines.
    Rows of a ruled table and lines where any cell is not a person of its own
    ("Name | Title", "Name, address | blev valgt ind") are left alone.
    """
    def one_person(cell: str) -> bool:
        parsed = parse_person_line(cell, lex)
        first = _ENUMERATOR.sub("", cell.strip()).split()
        return len(parsed.people) == 1 and not parsed.diagnostics and bool(first) and lex.is_given_name(first[0]) and is_member_line(cell, lex)

    out: list[Line] = []
    for ln in lines:
        if ln.table is None and len(ln.cells) >= 2 and all(one_person(c) for c in ln.cells):
            out += [replace(ln, text=c, cells=(c,)) for c in ln.cells]
        else:
            out.append(ln)
    return out


def parse_groups(groups: tuple[Group, ...] | list[Group], lex: Lexicon) -> tuple[tuple[Person, ...], list[Diagnostic]]:
    """Parse every list line; merge absences and substitutions into the rows.

    A list that speaks of one item only (``Group.item``: "Følgende deltog ikke
    i behandlingen af punktet:"): a listed attendee named there stays present,
    with a note for that item; anyone else on it is absent from that item.
    """
    people: list[Draft] = []
    diags: list[Diagnostic] = []
    absent_entries: list[tuple[Draft, Group, Line, list[str]]] = []
    for group in groups:
        for ln in join_continuations(split_columns(group.lines, lex), lex):
            parsed = parse_person_line(ln.text, lex)
            for d in parsed.diagnostics:
                diags.append(Diagnostic("extract.attendance", "warning", d, page=ln.page, line=ln.no))
            for p in parsed.people:
                p.group = group.name
                p.page, p.line = ln.page, ln.no
                if group.attendance == "absent" or parsed.absent:
                    absent_entries.append((p, group, ln, parsed.substitutes))
                    p.attendance = "absent"
                    if group.attendance != "absent":
                        p.notes.append("afbud")
                        people.append(p)
                else:
                    p.attendance = group.attendance
                    people.append(p)
                    for sub in parsed.substitutes:
                        people.append(_substitute(sub, p, group, ln, lex))
    for p, group, ln, subs in absent_entries:
        target = p
        if group.attendance == "absent":
            listed = [q.name for q in people if q.attendance != "substitute"]
            match, fits = unique_variant(p.name, listed)
            scoped = group.item
            if match:
                target = next(q for q in people if q.name == match)
            if match and scoped is not None and target.attendance == "present":
                target.notes.append(f"absent from item {scoped} ({group.name.rstrip(':')})")
            elif match:
                target.attendance = "absent"
                note = "afbud" if match == p.name else f"afbud (listed as '{p.name}')"
                target.notes.append(note)
                if match != p.name:
                    diags.append(Diagnostic("normalise.people", "info", f"'{p.name}' under {group.name} matched to '{match}'", page=ln.page, line=ln.no))
            else:
                if len(fits) > 1:
                    diags.append(Diagnostic("normalise.people", "warning", f"'{p.name}' under {group.name} fits several attendees: {', '.join(fits)}; kept as written", page=ln.page, line=ln.no))
                people.append(p)
        for sub in subs:
            people.append(_substitute(sub, target, group, ln, lex))
    for p in people:  # on a list about one item only: absent from that item
        scoped = next((g.item for g in groups if g.item is not None and g.name == p.group and any(ln.no == p.line for ln in g.lines)), None)
        if scoped is not None and not p.items:
            p.items = [scoped]
    return tuple(p.freeze() for p in people), diags


def _substitute(text: str, absent: Draft, group: Group, ln: Line, lex: Lexicon) -> Draft:
    name = _person_name_only(text, lex) or text.strip()
    return Draft(
        name=name,
        group=group.name,
        attendance="substitute",
        substitute_for=absent.name,
        page=ln.page,
        line=ln.no,
        raw=ln.text,
        items=list(absent.items),
    )


def assign_keys(people: tuple[Person, ...]) -> tuple[tuple[Person, ...], list[Diagnostic]]:
    """person_key per row; name variants within the meeting share the fullest one."""
    diags = []
    names = [p.name for p in people]
    out = []
    for p in people:
        longer = [n for n in names if n != p.name and len(n) > len(p.name)]
        match, fits = unique_variant(p.name, longer)
        if match:
            diags.append(Diagnostic("normalise.people", "info", f"'{p.name}' linked to '{match}' (same person, name variant)", page=p.page, line=p.line))
        out.append(replace(p, person_key=person_key(match or p.name)))
    return tuple(out), diags
