"""Attendance lists: every line of a list becomes one or more people.

Line shapes handled (all seen in real minutes; the patterns are data in
``models/rules/attendance.toml``):
- name first: "Mads Duedahl, Regionsrådsformand (medformand) - mødeleder"
- title first: "Konst. kontorchef Daniel Kjærgaard Simonsen, Region Nordjylland"
- several names: "Jens Ravnholt Pedersen og Dorte Mayann Hansen - Region Nordjylland punkt 2"
- bullets and checkboxes: "• Anna Holm, Socialdemokratiet", "- [x] Henrik Dal", "- [ ] Lars Toft"
- parties: "Anna Holm (A)", "Peter Berg, V" -> ``party``
- a function at the meeting: "… - mødeleder", "Jens Holm (referent)" -> ``role``
- inline absence: "… – afbud", "(afbud)", "meldt afbud"
- substitution: "Anne Krøjer Jacobsen (Bente Bach Poulsen deltager i hendes sted)",
  "X (A) – Y stedfortræder", "Y, suppleant for X"
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
from ..rules import Rules, first_match
from ..segment import Group
from .names import name_in


@dataclass(slots=True)
class Draft:
    """A person row while the lists are read."""

    name: str
    title: str | None = None
    organisation: str | None = None
    list_heading: str | None = None
    party: str | None = None
    role: str | None = None
    attendance: str = "present"
    substitute_for: str | None = None
    items: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    page: int | None = None
    line: int | None = None
    raw: str = ""

    def freeze(self) -> Person:
        return Person(name=self.name, title=self.title, organisation=self.organisation, list_heading=self.list_heading, party=self.party,
                      role=self.role, attendance=self.attendance, substitute_for=self.substitute_for, items=tuple(self.items),
                      notes=tuple(dict.fromkeys(self.notes)), page=self.page, line=self.line, raw=self.raw)


@dataclass(frozen=True)
class Reading:
    """What reading a list line needs: the word lists and the rules."""

    lex: Lexicon
    rules: Rules

    @property
    def a(self):
        return self.rules.attendance


_PAREN = re.compile(r"\(([^()]*)\)")
_DASH_SPLIT = re.compile(r"\s+[-–]\s+")
_COMMA_SPLIT = re.compile(r"(?<!-),\s+")
_AND_SPLIT = re.compile(r"\s+(?:og|&)\s+")
_NAME_TOKEN = re.compile(r"^(?:[A-ZÆØÅÉÜÖÄ][\wæøåÆØÅéüöä'\-]*\.?|[A-ZÆØÅ]\.)$")


@dataclass(slots=True)
class ParsedLine:
    people: list[Draft]
    absent: bool = False
    substitutes: list[str] = field(default_factory=list)
    substitute_for: str | None = None  # "Y, suppleant for X": the line's person stands in for X
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


def _name_token(tok: str, r: Reading) -> bool:
    return bool(_NAME_TOKEN.match(tok)) or tok in r.a.name_particles


def _is_name_token(tok: str, r: Reading) -> bool:
    return _name_token(tok, r) and not (r.lex.title_prefix(tok) and not r.lex.is_given_name(tok))


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


def split_name(head: str, r: Reading) -> tuple[str | None, str | None, str, list[str]]:
    """Split "Title Name" or "Name title" into (name, leading title, trailing rest, notes)."""
    lex = r.lex
    tokens = head.split()
    if not tokens:
        return None, None, "", []
    first = tokens[0]
    if lex.is_given_name(first) and first[0].isupper() and not lex.title_prefix(head):
        # name first: the name runs until a lower-case word, a title word or an organisation word
        k = 1
        while k < len(tokens) and _is_name_token(tokens[k], r) and not (
            tokens[k][0].isupper() and lex.title_prefix(" ".join(tokens[k:])) and not lex.is_given_name(tokens[k]) and k >= 2
        ) and not (k >= 2 and lex.org_prefix(" ".join(tokens[k:]))):
            k += 1
        while k > 1 and tokens[k - 1] in r.a.name_particles:
            k -= 1
        name, notes = _clean_name(tokens[:k])
        return name, None, " ".join(tokens[k:]), notes
    # title first: the name starts at the first given name followed only by name words
    for i in range(1, len(tokens)):
        if lex.is_given_name(tokens[i]) and tokens[i][0].isupper() and all(_name_token(t, r) for t in tokens[i:]):
            name, notes = _clean_name(tokens[i:])
            return name, " ".join(tokens[:i]), "", notes
    # no known given name: a title from the lexicon, then capitalised words
    title = lex.title_prefix(head)
    if title:
        rest = head[len(title):].strip().split()
        if rest and all(_name_token(t, r) for t in rest) and len(rest) >= 2:
            name, notes = _clean_name(rest)
            return name, title, "", notes + ["name found without a known given name"]
    if all(_name_token(t, r) for t in tokens) and 2 <= len(tokens) <= 5:
        name, notes = _clean_name(tokens)
        return name, None, "", notes + ["name found without a known given name"]
    return None, None, head, []


def _party(text: str, r: Reading) -> str | None:
    """"A", "UP1", "Socialdemokratiet": a party as printed beside a name, or None."""
    t = text.strip(" ,;.")
    if first_match(r.a.party_letter, t):
        return t
    return t if t.casefold() in {p.casefold() for p in r.a.party_names} else None


def classify_parts(parts: list[str], r: Reading) -> tuple[list[str], list[str], str | None]:
    """Sort the phrases after a name into titles, organisations and a party."""
    lex = r.lex
    titles: list[str] = []
    orgs: list[str] = []
    party = None
    for part in parts:
        part = part.strip(" ,;")
        if not part:
            continue
        p = _party(part, r)
        if p and party is None:
            party = p
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
    return titles, orgs, party


def name_list(text: str, r: Reading) -> list[tuple[str, str | None]] | None:
    """"A, B og C" (each perhaps with its party: "A (V)") when every part is a bare name."""
    parts = [p.strip(" .") for p in re.split(r"\s*,\s*|\s+(?:og|&)\s+", text) if p.strip(" .")]
    if len(parts) < 2:
        return None
    out = []
    for part in parts:
        party = None
        m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", part)
        if m and _party(m.group(2), r):
            part, party = m.group(1), _party(m.group(2), r)
        name, lead, rest, _ = split_name(part, r)
        if not name or lead or rest or not r.lex.is_given_name(part.split()[0]):
            return None
        out.append((name, party))
    return out


def is_member_line(text: str, lex: Lexicon, rules: Rules) -> bool:
    """A line of an attendance list (one or more people), not prose."""
    r = Reading(lex, rules)
    t = text.strip()
    if t.endswith(".") and not re.search(r"\b[A-ZÆØÅ]\.$", t):
        # the last entry of a list written as a sentence ("(j) Ole Dam; og" / "(k) Anna Holm."): names only
        m = first_match(r.a.list_enumerator, t)
        words = (t[m.end():] if m else t)[:-1].split()
        if 0 < len(words) <= 6 and all(w[:1].isupper() or w in r.a.name_particles for w in words):
            t = t[:-1]
    if len(t) > 140 or re.search(r"[.!?]$", t) and not re.search(r"\b[A-ZÆØÅ]\.$", t):
        return False
    if any(p.search(t) for p in r.a.list_not_decided):
        return True
    # "Fordeling: A, B", "Kopi til: …": a field of another kind, not a role-first member line ("Formand: A")
    labelled = first_match(rules.header.inline_label, t)
    if labelled:
        label = labelled["label"].strip()
        if not (lex.title_prefix(label) or name_in(label, lex, r.a.name_particles, alone=True) or label.casefold() in r.a.functionary_roles):
            return False
    # a sentence about someone ("Kirsten er fraværende - …") is a statement, not a list line
    if any(p.search(_PAREN.sub("", t)) for p in r.a.list_sentence) and not first_match(r.a.list_substitute, _DASH_SPLIT.split(t)[-1]):
        return False
    parsed = parse_person_line(t, r)
    return bool(parsed.people) and not parsed.diagnostics


def _strip_items(t: str, r: Reading) -> tuple[str, list[int]]:
    for p in r.a.list_items:
        m = p.search(t)
        if m:
            return t[: m.start()].rstrip(" ,;-–"), parse_items(m.group("items"))
    return t, []


def _substitute_in(text: str, r: Reading) -> str | None:
    for p in r.a.list_substitute:
        m = p.match(text)
        if m:
            return m.group("sub").strip()
    return None


def parse_person_line(text: str, r: Reading) -> ParsedLine:
    out = ParsedLine(people=[])
    a = r.a
    t = text.strip()
    unchecked = bool(first_match(a.list_unchecked, t))
    m = first_match(a.list_enumerator, t)
    t = t[m.end():] if m else t
    for p in a.list_end:
        t = p.sub("", t)
    t = t.strip().strip("•·-– ").strip()
    t = re.sub(r"(?<=[a-zæøåéü])\.$", "", t)  # the last entry of a list written as a sentence ("… og" / "Anna Holm.")
    if any(p.search(t) for p in a.list_not_decided):
        out.diagnostics.append(f"attendance not stated ([NotDecided]): {text!r}")
        return out
    if unchecked:
        out.absent = True
    names = name_list(t, r)
    if names:
        out.people = [Draft(name=n, party=party, raw=text) for n, party in names]
        return out
    m = first_match(a.list_substitute_for, t)  # "Y, suppleant for X"
    if m and r.lex.is_given_name(m.group("for").split()[0] if m.group("for").split() else ""):
        t, out.substitute_for = m.group("sub").strip(), _person_name_only(m.group("for"), r)
    notes: list[str] = []
    t, items = _strip_items(t, r)
    absent = next((p for p in a.list_absent if p.search(t)), None)
    if absent:
        out.absent = True
        t = absent.sub("", t).rstrip(" ,;-–")
        if not items:
            t, items = _strip_items(t, r)
    party = None
    for pm in list(_PAREN.finditer(t)):
        inner = pm.group(1).strip()
        sub = _substitute_in(inner, r)
        if sub:
            out.substitutes.append(sub)
        elif re.fullmatch(r"(?:meldt\s+)?afbud", inner, re.I):
            out.absent = True
        elif _party(inner, r) and party is None:
            party = _party(inner, r)
        elif inner:
            notes.append(inner)
    t = _PAREN.sub("", t)
    t = re.sub(r"\s{2,}", " ", t).strip(" ,")
    # "X (A) – Y stedfortræder": the person after the dash stands in
    dash_parts = _DASH_SPLIT.split(t)
    if len(dash_parts) > 1 and _substitute_in(dash_parts[-1], r):
        out.substitutes.append(_substitute_in(dash_parts[-1], r))
        t = " - ".join(dash_parts[:-1])
    nm = first_match(a.list_note, t) or next((m for p in a.list_note if (m := p.search(t))), None)
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
    heads = chunks if len(chunks) > 1 and all(r.lex.is_given_name(c.split()[0]) for c in chunks if c.split()) else [head]
    for h in heads:
        name, lead_title, rest, name_notes = split_name(h, r)
        if not name:
            out.diagnostics.append(f"no name found in attendance line: {text!r}")
            continue
        title_parts = [lead_title] if lead_title else []
        tail_parts = ([rest] if rest else []) + tail
        more_titles, orgs, tail_party = classify_parts(tail_parts, r)
        if org_tail:
            tt, oo, dash_party = classify_parts(_COMMA_SPLIT.split(org_tail), r)
            more_titles += tt
            orgs += oo
            tail_party = tail_party or dash_party
        title_parts += more_titles
        role = next((n.casefold() for n in notes + title_parts if n.casefold() in a.functionary_roles), None)
        out.people.append(
            Draft(
                name=name,
                title=", ".join(title_parts) or None,
                organisation=", ".join(orgs) or None,
                party=party or tail_party,
                role=role,
                items=list(items),
                notes=notes + name_notes,
                raw=text,
            )
        )
    return out


def _person_name_only(text: str, r: Reading) -> str | None:
    name, _, _, _ = split_name(_PAREN.sub("", text).strip(" .,"), r)
    return name


def join_continuations(lines: list[Line], r: Reading) -> list[Line]:
    """Join a list line broken over two lines ("… - Aalborg" / "Universitetshospital – afbud").

    A line in which no name can be found continues the line before it when it
    is one word, starts in lower case, or the line before ends open (a dash, a
    comma, "og"), unless it is a sentence of its own after a blank line; the
    joined line keeps the first line's provenance.
    """
    out: list[Line] = []
    for ln in lines:
        core, _ = _strip_items(ln.text, r)
        for p in r.a.list_absent:
            core = p.sub("", core)
        core = core.strip(" ,;-–")
        continues = len(core.split()) <= 1 or core[:1].islower() or (out and re.search(r"[-–,]$|\bog$", out[-1].text))
        # a sentence of its own after a blank line ("Godkendt.") ends the list, it does not continue it
        sentence = ln.gap_before and ln.text[:1].isupper() and ln.text.rstrip().endswith(".")
        if out and continues and not sentence and not parse_person_line(ln.text, r).people:
            prev = out[-1]
            out[-1] = replace(prev, text=f"{prev.text} {ln.text}", cells=(f"{prev.text} {ln.text}",))
        else:
            out.append(ln)
    return out


def split_columns(lines: list[Line], r: Reading) -> list[Line]:
    """A list printed in columns: one line per person, in reading order.

    A PDF line whose cells (text separated by a wide gap) each hold exactly
    one person — "Anna Hansen (A)      Peter Jensen (V)" — is two list lines.
    Rows of a ruled table and lines where any cell is not a person of its own
    ("Name | Title", "Name, address | blev valgt ind") are left alone.
    """
    def one_person(cell: str) -> bool:
        parsed = parse_person_line(cell, r)
        m = first_match(r.a.list_enumerator, cell.strip())
        first = (cell.strip()[m.end():] if m else cell.strip()).split()
        return (len(parsed.people) == 1 and not parsed.diagnostics and bool(first) and r.lex.is_given_name(first[0])
                and is_member_line(cell, r.lex, r.rules))

    out: list[Line] = []
    for ln in lines:
        if ln.table is None and len(ln.cells) >= 2 and all(one_person(c) for c in ln.cells):
            out += [replace(ln, text=c, cells=(c,)) for c in ln.cells]
        else:
            out.append(ln)
    return out


def parse_groups(groups: tuple[Group, ...] | list[Group], lex: Lexicon, rules: Rules) -> tuple[tuple[Person, ...], list[Diagnostic]]:
    """Parse every list line; merge absences and substitutions into the rows.

    A list that speaks of one item only (``Group.item``: "Følgende deltog ikke
    i behandlingen af punktet:"): a listed attendee named there stays present,
    with a note for that item; anyone else on it is absent from that item.
    """
    r = Reading(lex, rules)
    people: list[Draft] = []
    diags: list[Diagnostic] = []
    absent_entries: list[tuple[Draft, Group, Line, list[str]]] = []
    for group in groups:
        for ln in join_continuations(split_columns(list(group.lines), r), r):
            parsed = parse_person_line(ln.text, r)
            for d in parsed.diagnostics:
                diags.append(Diagnostic("extract.attendance", "warning", d, page=ln.page, line=ln.no))
            for p in parsed.people:
                p.list_heading = group.name
                p.page, p.line = ln.page, ln.no
                if parsed.substitute_for:  # "Y, suppleant for X"
                    p.attendance, p.substitute_for = "substitute", parsed.substitute_for
                    people.append(p)
                elif group.attendance == "absent" or parsed.absent:
                    absent_entries.append((p, group, ln, parsed.substitutes))
                    p.attendance = "absent"
                    if group.attendance != "absent":
                        p.notes.append("afbud")
                        people.append(p)
                else:
                    p.attendance = group.attendance
                    people.append(p)
                    for sub in parsed.substitutes:
                        people.append(_substitute(sub, p, group, ln, r))
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
            people.append(_substitute(sub, target, group, ln, r))
    for s in [q for q in people if q.attendance == "substitute" and q.substitute_for and not q.items]:
        # a member someone stood in for was away, wherever the list printed the member
        match, _ = unique_variant(s.substitute_for, [q.name for q in people if q.attendance != "substitute"])
        target = next((q for q in people if q.name == match and q.attendance != "substitute"), None) if match else None
        if target is not None and target.attendance == "present":
            target.attendance = "absent"
            target.notes.append(f"absent: {s.name} stood in as substitute")
    for p in people:  # on a list about one item only: absent from that item
        scoped = next((g.item for g in groups if g.item is not None and g.name == p.list_heading and any(ln.no == p.line for ln in g.lines)), None)
        if scoped is not None and not p.items:
            p.items = [scoped]
    return tuple(p.freeze() for p in people), diags


def _substitute(text: str, absent: Draft, group: Group, ln: Line, r: Reading) -> Draft:
    party = None
    m = re.search(r"\(([^()]+)\)", text)
    if m and _party(m.group(1), r):
        party = _party(m.group(1), r)
    name = _person_name_only(text, r) or _PAREN.sub("", text).strip()
    return Draft(name=name, list_heading=group.name, party=party, attendance="substitute", substitute_for=absent.name,
                 page=ln.page, line=ln.no, raw=ln.text, items=list(absent.items))


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
