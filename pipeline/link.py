"""Stage 5, link: the extracted records of one document joined into one account of the meeting.

Runs once, after every extractor, and returns new records:

- people stated in item text ("X var forhindret i at deltage") join the
  listed people; a listed person keeps the list's row (an absence stated for
  one item becomes a note on it);
- person keys: name variants within the meeting share the fullest name's key;
- presenters are linked to attendees (``presenter_keys``);
- a referent or approver written as initials is resolved to the one attendee
  whose initials they are; a list line marked "(Referent)" names the referent
  when the sign-off does not;
- a document that does not say what it is, but whose items hold minutes, is
  a referat (inferred);
- an agenda (dagsorden) lists invitees, not attendance: no people rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .extract.attendance import assign_keys
from .extract.header import is_initials
from .extract.statements import Statement
from .people import resolve_initials, unique_variant
from .records import AgendaItem, Diagnostic, Meeting, Person

#: what a document may call itself and still be minutes of a meeting
MINUTES_KINDS = (None, "referat", "beslutningsprotokol", "protokol")


@dataclass(frozen=True)
class Linked:
    meeting: Meeting
    people: tuple[Person, ...]
    items: tuple[AgendaItem, ...]
    diagnostics: tuple[Diagnostic, ...]


def join_statements(people: tuple[Person, ...], found: list[tuple[Statement, int | None, int | None]]) -> tuple[tuple[Person, ...], int]:
    """People stated in item text added to the listed ones; (people, how many were added).

    A listed person keeps the list's row: an absence stated for some items
    becomes a note on it, a function at the meeting fills its ``role``.  A
    person stated twice is one row; a function beats ``speaker``, and a
    statement of attendance beats a person only reported acting.
    """
    rows = list(people)
    added = 0
    for st, page, line in found:
        match, _ = unique_variant(st.name, [p.name for p in rows])
        if match:
            k = next(i for i, p in enumerate(rows) if p.name == match)
            existing = rows[k]
            if existing.attendance == "present" and st.attendance == "absent" and st.items:
                note = f"absent from item(s) {', '.join(map(str, st.items))}: {st.sentence}"
                rows[k] = replace(existing, notes=existing.notes + (note,))
            elif st.role and st.role != "speaker" and existing.role in (None, "speaker"):
                rows[k] = replace(existing, role=st.role)
            elif existing.role == "speaker" and st.role is None and st.attendance != existing.attendance:
                rows[k] = replace(existing, attendance=st.attendance, substitute_for=st.substitute_for, items=st.items)
            continue
        rows.append(Person(name=st.name, attendance=st.attendance, substitute_for=st.substitute_for, items=st.items, role=st.role,
                           party=st.party, notes=(f"stated: {st.sentence}",), page=page, line=line, raw=st.sentence))
        added += 1
    return tuple(rows), added


def _attendance_clash(a: Person, b: Person) -> bool:
    """One of them was at the meeting and the other was not."""
    return (a.attendance == "absent") != (b.attendance == "absent") and None not in (a.attendance, b.attendance)


def resolve_first_names(people: tuple[Person, ...], document_names: list[str]) -> tuple[tuple[Person, ...], list[Diagnostic]]:
    """A person named by a given name alone ("Daniel berettede …") takes the one full name the document
    prints for it (a listed person's, or one in the text), and is merged into that person's row;
    where none or several fit, the name stays as written, with a diagnostic."""
    diags: list[Diagnostic] = []
    rows = list(people)
    full = [p.name for p in rows if len(p.name.split()) > 1]
    others = list(dict.fromkeys(n for n in document_names if len(n.split()) > 1))
    k = 0
    while k < len(rows):
        p = rows[k]
        if len(p.name.split()) != 1:
            k += 1
            continue
        first = p.name.casefold()
        fits = [n for n in full if n.split()[0].casefold() == first] or [n for n in others if n.split()[0].casefold() == first]
        fits = list(dict.fromkeys(fits))
        # "Brian har meldt afbud" is not the Brian Frænde who came as a substitute
        clash = [q for q in rows if q.name in fits and _attendance_clash(p, q)]
        if len(fits) == 1 and clash:
            diags.append(Diagnostic("normalise.people", "info", f"'{p.name}' kept as written: {clash[0].name} is {clash[0].attendance}, "
                                    f"'{p.name}' is {p.attendance}", page=p.page, line=p.line))
            k += 1
            continue
        if len(fits) != 1:
            why = f"several full names fit: {', '.join(fits)}" if fits else "the document prints no full name for it"
            diags.append(Diagnostic("normalise.people", "info", f"'{p.name}' kept as written ({why})", page=p.page, line=p.line))
            k += 1
            continue
        name = fits[0]
        note = f"named '{p.name}' in the text; full name printed elsewhere in the document"
        diags.append(Diagnostic("normalise.people", "info", f"'{p.name}' resolved to '{name}'", page=p.page, line=p.line))
        j = next((i for i, q in enumerate(rows) if q.name == name), None)
        if j is not None:  # already a row: keep it, with the function if the first-name statement gave one
            q = rows[j]
            if p.role and p.role != "speaker" and q.role in (None, "speaker"):
                rows[j] = replace(q, role=p.role)
            del rows[k]
            continue
        rows[k] = replace(p, name=name, notes=p.notes + (note,))
        k += 1
    return tuple(rows), diags


def split_bracketed_organisation(people: tuple[Person, ...], texts: tuple[str, ...]) -> tuple[tuple[Person, ...], list[Diagnostic]]:
    """A listed name that runs on into an organisation ("Mads Thisted Skanska Bolig") is cut where the
    document prints the same person with the organisation in brackets ("Mads Thisted (Skanska)")."""
    diags: list[Diagnostic] = []
    rows = list(people)
    for k, p in enumerate(rows):
        words = p.name.split()
        if len(words) < 3 or p.organisation:
            continue
        for cut in range(len(words) - 1, 1, -1):
            head, rest = " ".join(words[:cut]), words[cut:]
            shape = re.compile(rf"(?<!\w){re.escape(head)}\s*\(\s*{re.escape(rest[0])}\b[^()]{{0,40}}\)?")
            printed = next((m.group(0) for t in texts if (m := shape.search(t))), None)
            if printed:
                org = " ".join(rest)
                rows[k] = replace(p, name=head, organisation=org,
                                  notes=p.notes + (f"'{org}' read as the organisation: the document prints '{printed}'",))
                diags.append(Diagnostic("normalise.people", "info", f"'{p.name}' split into name '{head}' and organisation '{org}'",
                                        page=p.page, line=p.line))
                break
    return tuple(rows), diags


def _functionaries_and_presenters(people: tuple[Person, ...], meeting: Meeting, items: tuple[AgendaItem, ...]) -> tuple[Person, ...]:
    """The referent the sign-off names, and the presenters the item headings name, were at the meeting
    (not the speakers a topic list in the case text announces, unless they are listed).

    Only full names (two words or more) are added; a listed person keeps the
    list's row and gets the function.
    """
    rows = list(people)

    def ensure(name: str, role: str, note: str) -> None:
        match, _ = unique_variant(name, [p.name for p in rows])
        if match:
            k = next(i for i, p in enumerate(rows) if p.name == match)
            if rows[k].role in (None, "speaker") and role != "speaker":
                rows[k] = replace(rows[k], role=role)
        elif len(name.split()) >= 2 and not is_initials(name):
            rows.append(Person(name=name, role=role, notes=(note,)))

    if meeting.referent:
        ensure(meeting.referent, "referent", "referent named in the sign-off")
    for it in items:
        for name in it.presenters:
            if it.description and name in it.description and not unique_variant(name, [p.name for p in rows])[0]:
                continue  # a talk the case text announces ("• Almen praksis v. X") is no report that X came
            ensure(name, "speaker", f"presents item {it.item_no}")
    return tuple(rows)


def key_for(name: str, people: tuple[Person, ...]) -> str | None:
    """The person_key of the attendee ``name`` is a variant of, if exactly one fits."""
    match, _ = unique_variant(name, [p.name for p in people])
    return next((p.person_key for p in people if p.name == match), None) if match else None


def _resolve(who: str, names: list[str], diags: list[Diagnostic], where: tuple[int | None, int | None]) -> tuple[str, str | None, bool]:
    """(name, initials as written or None, resolved?) for a sign-off entry."""
    if not is_initials(who):
        return who, None, False
    page, line = where
    name, fits = resolve_initials(who, names)
    if name:
        diags.append(Diagnostic("normalise.people", "info", f"initials {who} resolved to {name}", page=page, line=line))
        return name, who, True
    why = f"several attendees fit: {', '.join(fits)}" if fits else "no attendee has these initials"
    diags.append(Diagnostic("normalise.people", "warning", f"initials {who} not resolved ({why}); kept as written", page=page, line=line))
    return who, who, False


def _signoff(meeting: Meeting, people: tuple[Person, ...], pages: dict[int, int], diags: list[Diagnostic]) -> Meeting:
    names = [p.name for p in people]
    sources = dict(meeting.sources)

    def where(field: str, k: int = 0) -> tuple[int | None, int | None]:
        lines = sources.get(field, ())
        line = lines[min(k, len(lines) - 1)] if lines else None
        return pages.get(line, meeting.page), line

    inferred = list(meeting.inferred)
    referent, referent_initials = meeting.referent, None
    if referent:
        referent, referent_initials, resolved = _resolve(referent, names, diags, where("referent"))
        if resolved:
            inferred.append("referent")
    else:
        marked = [p.name for p in people if any(n.strip().casefold() == "referent" for n in p.notes) or (p.title or "").casefold() == "referent"]
        if len(marked) == 1:
            referent = marked[0]
    approved, codes = [], []
    for who in meeting.approved_by:
        name, code, resolved = _resolve(who, names, diags, where("approved_by"))
        approved.append(name)
        if code:
            codes.append(code)
        if resolved and "approved_by" not in inferred:
            inferred.append("approved_by")
    return replace(meeting, referent=referent, referent_initials=referent_initials, approved_by=tuple(approved),
                   approved_by_initials=tuple(codes), inferred=tuple(inferred))


def link(meeting: Meeting, listed: tuple[Person, ...], stated: list[tuple[Statement, int | None, int | None]],
         items: tuple[AgendaItem, ...], pages: dict[int, int] | None = None, document_names: list[str] | None = None,
         document_text: tuple[str, ...] = ()) -> Linked:
    """One account of the meeting from the extractors' records (``pages``: line number -> page, for provenance;
    ``document_names``: full names printed anywhere in the document, for people named by a given name alone;
    ``document_text``: the document's lines, where a listed name may be printed again with its organisation)."""
    diags: list[Diagnostic] = []
    people = listed
    if meeting.doc_kind == "dagsorden":
        if people:
            diags.append(Diagnostic("extract.attendance", "info", f"agenda (dagsorden): {len(people)} listed participant(s) are invitees, not attendance; not in people"))
        people = ()
    else:
        people, d = split_bracketed_organisation(people, document_text)
        diags += d
        people, added = join_statements(people, stated)
        if added:
            diags.append(Diagnostic("extract.attendance", "info", f"{added} attendance statement(s) read from item text"))
        people = _functionaries_and_presenters(people, meeting, items)
        people, d = resolve_first_names(people, document_names or [])
        diags += d
    people, d = assign_keys(people)
    diags += d
    items = tuple(replace(it, presenter_keys=tuple(key_for(p, people) for p in it.presenters)) for it in items)
    meeting = _signoff(meeting, people, pages or {}, diags)
    if meeting.doc_kind is None and any(it.minutes for it in items):
        meeting = replace(meeting, doc_kind="referat", inferred=meeting.inferred + ("doc_kind",))
        diags.append(Diagnostic("extract.header", "info", "doc_kind 'referat' inferred: the items hold minutes"))
    return Linked(meeting=meeting, people=people, items=items, diagnostics=tuple(diags))
