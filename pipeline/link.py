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
    """People stated in item text added to the listed ones; (people, how many were added)."""
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
            continue
        rows.append(Person(name=st.name, attendance=st.attendance, substitute_for=st.substitute_for, items=st.items,
                           notes=(f"stated: {st.sentence}",), page=page, line=line, raw=st.sentence))
        added += 1
    return tuple(rows), added


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
         items: tuple[AgendaItem, ...], pages: dict[int, int] | None = None) -> Linked:
    """One account of the meeting from the extractors' records (``pages``: line number -> page, for provenance)."""
    diags: list[Diagnostic] = []
    people = listed
    if meeting.doc_kind == "dagsorden":
        if people:
            diags.append(Diagnostic("extract.attendance", "info", f"agenda (dagsorden): {len(people)} listed participant(s) are invitees, not attendance; not in people"))
        people = ()
    else:
        people, added = join_statements(people, stated)
        if added:
            diags.append(Diagnostic("extract.attendance", "info", f"{added} attendance statement(s) read from item text"))
    people, d = assign_keys(people)
    diags += d
    items = tuple(replace(it, presenter_keys=tuple(key_for(p, people) for p in it.presenters)) for it in items)
    meeting = _signoff(meeting, people, pages or {}, diags)
    if meeting.doc_kind is None and any(it.minutes for it in items):
        meeting = replace(meeting, doc_kind="referat", inferred=meeting.inferred + ("doc_kind",))
        diags.append(Diagnostic("extract.header", "info", "doc_kind 'referat' inferred: the items hold minutes"))
    return Linked(meeting=meeting, people=people, items=items, diagnostics=tuple(diags))
