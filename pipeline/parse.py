"""One document through every stage: the thin orchestrator.

``parse_document(path)`` returns a ``Parsed``: the rows of every table for
that document (plain dicts keyed by the schema's column names), never raising
for a bad document — a failure is a ``documents`` row with status failed and
an error diagnostic.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .clean import Cleaned, clean
from .extract.agenda import extract_item
from .extract.amounts import extract_amounts
from .extract.attendance import assign_keys, is_member_line, parse_groups
from .extract.decisions import decide
from .extract.header import extract_meeting
from .lexicon import lexicon
from .load import LoadError, load
from .people import unique_variant
from .profiles import Profile, by_name, detect
from .records import AgendaItem, Diagnostic, Line, Meeting
from .segment import Segments, segment
from .tables import TABLES, now_utc


@dataclass
class Parsed:
    doc_id: str
    rows: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TABLES})
    # kept for `show` and `inspect`; not written
    lines: list[Line] = field(default_factory=list)
    cleaned: Cleaned | None = None
    segments: Segments | None = None
    profile: Profile | None = None

    @property
    def status(self) -> str:
        return self.rows["documents"][0]["status"]


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _row(obj, doc_id: str, **extra) -> dict:
    d = dataclasses.asdict(obj)
    d.update(extra)
    d["doc_id"] = doc_id
    return d


def parse_document(path: str | Path, *, model: str | None = None, password: str | None = None, profile_name: str | None = None, ocr: bool = False) -> Parsed:
    path = Path(path)
    started = time.perf_counter()
    try:
        doc_id = file_digest(path)
    except OSError as exc:
        doc_id = hashlib.sha256(str(path).encode()).hexdigest()
        return failed_document(path, doc_id, f"cannot read file: {exc.strerror or exc}", started)
    parsed = Parsed(doc_id=doc_id)
    diags: list[Diagnostic] = []
    try:
        loaded = load(path, password=password, ocr=ocr)
    except LoadError as exc:
        return failed_document(path, doc_id, str(exc), started)
    diags += loaded.diagnostics
    parsed.lines = loaded.lines
    doc = {
        "doc_id": doc_id,
        "source": str(path),
        "sources": [str(path)],
        "file_name": path.name,
        "file_type": "pdf" if loaded.extractor.startswith("pdf") else "text",
        "file_size": path.stat().st_size,
        "pages": loaded.pages,
        "extractor": loaded.extractor,
        "pipeline_version": __version__,
        "status": "ok",
        "error": None,
    }
    if not loaded.lines:
        if not loaded.no_text_pages:
            diags.append(Diagnostic("load", "warning", "no text found"))
        doc.update(status="partial", template=None, nlp_model=None)
        return _finish(parsed, doc, diags, started)
    try:
        _run_stages(parsed, loaded, doc, diags, model, profile_name)
    except Exception as exc:  # a bug or a pathological document: fail this one, keep the batch
        why = "memory limit exceeded" if isinstance(exc, MemoryError) else f"internal error: {type(exc).__name__}: {exc}"
        diags.append(Diagnostic("parse", "error", why))
        doc.update(status="failed", error=why)
        for t in TABLES:
            if t not in ("documents", "diagnostics"):
                parsed.rows[t] = []
    if (loaded.no_text_pages or loaded.repaired or loaded.partial_reasons) and doc["status"] == "ok":
        doc["status"] = "partial"
        if loaded.partial_reasons:
            doc["error"] = "; ".join(loaded.partial_reasons)
    return _finish(parsed, doc, diags, started)


def _run_stages(parsed: Parsed, loaded, doc: dict, diags: list[Diagnostic], model: str | None, profile_name: str | None) -> None:
    from .nlp import lemma_docs, load_backend

    doc_id = parsed.doc_id
    profile, score = (by_name(profile_name), None) if profile_name else detect(loaded.lines)
    if profile.name == "generic":
        diags.append(Diagnostic("segment", "info", "no template profile matched; generic rules used"))
    parsed.profile = profile
    doc["template"] = profile.name
    cleaned = clean(loaded.lines, loaded.page_sizes or None, list(profile.footers))
    parsed.cleaned = cleaned
    diags += cleaned.diagnostics
    lex = lexicon()
    seg = segment(cleaned.lines, profile, is_member=lambda text: is_member_line(text, lex))
    parsed.segments = seg
    if seg.box_moved:
        first = min((ln for lines in seg.fields.values() for ln in lines), key=lambda l: l.no, default=None)
        diags.append(Diagnostic("segment", "info", "header box found inside an agenda item (text order); read as the meeting header", page=first.page if first else None, line=first.no if first else None))
    if seg.appendix:
        first = seg.appendix[0]
        diags.append(Diagnostic("segment", "info", f"{len(seg.appendix)} line(s) from page {first.page} on follow the end of the minutes "
                                f"(another document in the same file, beginning {first.text[:60]!r}); not read as part of the last item",
                                page=first.page, line=first.no))
    diags += _numbering_notes(seg)
    if not seg.items:
        diags.append(Diagnostic("segment", "warning", "no agenda items found"))
    scoped = _item_scoped_lists(seg)
    people, d = parse_groups(seg.groups, lex, scoped)
    diags += d
    _scope_lifted_lists(seg, people, scoped)
    diags += assign_keys(people)
    names = [p.name for p in people]
    meeting, d = extract_meeting(seg, profile, names, file_name=parsed_file_name(doc))
    diags += d
    if meeting.doc_kind == "dagsorden" and people:
        diags.append(Diagnostic("extract.attendance", "info", f"agenda (dagsorden): {len(people)} listed participant(s) are invitees, not attendance; not in people"))
        people = []
    backend = load_backend(model)
    if backend.notice:
        diags.append(Diagnostic("nlp", "info", backend.notice))
    doc["nlp_model"] = backend.name
    labelled = any(_has_minutes_label(it, profile) for it in seg.items)
    is_minutes = meeting.doc_kind in (None, "referat", "beslutningsprotokol", "protokol")
    items: list[AgendaItem] = []
    for it in seg.items:
        ai, _ = extract_item(it, profile, labelled, is_minutes, meeting.meeting_date)
        ai.presenter_keys = [_key_for(p, people) for p in ai.presenters]
        items.append(ai)
    if meeting.doc_kind != "dagsorden":
        from .extract.statements import merge_statements, statements

        found = [
            (st, ai.page_start, ai.line_start)
            for ai in items
            for text in (ai.description, ai.minutes)
            if text
            for st in statements(text, ai.item_no, lex)
        ]
        stated = merge_statements(people, found)
        if stated:
            people += stated
            diags.append(Diagnostic("extract.attendance", "info", f"{len(stated)} attendance statement(s) read from item text"))
            diags += assign_keys(people)
            for ai in items:
                ai.presenter_keys = [_key_for(x, people) for x in ai.presenters]
    from .extract.header import complete_from_items, referent_from_people

    referent_from_people(meeting, people)

    diags += complete_from_items(meeting, [ln for it in seg.items for ln in it.body], any(ai.minutes for ai in items))
    tokenize = _tokenizer(backend, lemma_docs)
    decisions = []
    for ai in items if meeting.doc_kind != "dagsorden" else ():  # an agenda records no decisions
        decisions += decide(ai, tokenize)
    amounts = []
    header_lines = seg.header
    a, d = extract_amounts(header_lines, None)
    amounts += a
    diags += d
    for it in seg.items:
        for part in (it.heading, it.body):
            a, d = extract_amounts(part, it.no)
            amounts += a
            diags += d
    from .extract.mentions import extract_mentions
    from .extract.votes import find_votes

    votes = [v for ai in items for v in find_votes(ai.minutes, ai.item_no)] if meeting.doc_kind != "dagsorden" else []
    page_of = {ai.item_no: ai.page_start for ai in items}
    parsed.rows["votes"] = [dict(doc_id=doc_id, item_no=v.item_no, position=v.position, who=v.who, count=v.count, raw=v.raw, page=page_of.get(v.item_no)) for v in votes]

    mentions = extract_mentions(backend, items, people)
    rows = parsed.rows
    rows["mentions"] = [_row(x, doc_id) for x in mentions]
    rows["meetings"] = [_row(meeting, doc_id)]
    rows["people"] = [_row(p, doc_id, notes="; ".join(dict.fromkeys(p.notes)) or None) for p in people]
    rows["agenda_items"] = [_row(ai, doc_id) for ai in items]
    rows["decisions"] = [_row(x, doc_id) for x in decisions]
    rows["amounts"] = [_row(x, doc_id) for x in amounts]
    for r in rows["meetings"]:
        if r["meeting_date"]:
            r["meeting_date"] = dt.date.fromisoformat(r["meeting_date"])


def parsed_file_name(doc: dict) -> str:
    return doc.get("file_name") or ""


def _item_scoped_lists(seg: Segments) -> dict[int, int]:
    """id(group) -> item number, for lists inside an item that speak of that item only
    ("Følgende deltog ikke i behandlingen af punktet:")."""
    from .segment import ITEM_SCOPED

    # an item runs to the next item's heading (a list lifted from its end is no longer in its body)
    starts = [it.heading[0].no for it in seg.items]
    spans = [(a, (starts[k + 1] - 1) if k + 1 < len(starts) else float("inf"), it.no) for k, (a, it) in enumerate(zip(starts, seg.items))]
    out: dict[int, int] = {}
    for g in seg.lifted:
        if g.heading and ITEM_SCOPED.search(g.heading.text):
            item_no = next((n for a, b, n in spans if a <= g.heading.no <= b), None)
            if item_no is not None:
                out[id(g)] = item_no
    return out


def _scope_lifted_lists(seg: Segments, people, scoped: dict[int, int]) -> None:
    """People of an item-scoped list (not merged into a listed attendee) get the item number."""
    for g in seg.lifted:
        if id(g) not in scoped:
            continue
        member_lines = {ln.no for ln in g.lines}
        for p in people:
            if p.line in member_lines and not p.items:
                p.items = [scoped[id(g)]]


def _has_minutes_label(it, profile: Profile) -> bool:
    from .segment import _match_any

    return any(_match_any(profile.minutes_labels, ln.text) for ln in it.body)


def _key_for(name: str, people) -> str | None:
    match, _ = unique_variant(name, [p.name for p in people])
    if match:
        return next(p.person_key for p in people if p.name == match)
    return None


def _tokenizer(backend, lemma_docs):
    from .lexicon import read_json

    fixes = {k: v for k, v in read_json("rules/lemma_fixes.json").items() if not k.startswith("_")}

    def tokenize(texts: list[str]):
        docs = lemma_docs(backend, [t.casefold() for t in texts])
        return [
            [(tok.text, fixes.get(tok.text) or tok.lemma_ or tok.text) for tok in d if not tok.is_punct and not tok.is_space]
            for d in docs
        ]

    return tokenize


def failed_document(path: Path, doc_id: str, error: str, started: float) -> Parsed:
    """The record of a document that could not be parsed: a documents row (failed) and an error diagnostic."""
    parsed = Parsed(doc_id=doc_id)
    size = path.stat().st_size if path.exists() and path.is_file() else None
    doc = {
        "doc_id": doc_id,
        "source": str(path),
        "sources": [str(path)],
        "file_name": path.name,
        "file_type": "pdf" if path.suffix.lower() == ".pdf" else "text",
        "file_size": size,
        "pages": None,
        "extractor": None,
        "template": None,
        "nlp_model": None,
        "pipeline_version": __version__,
        "status": "failed",
        "error": error,
    }
    return _finish(parsed, doc, [Diagnostic("load", "error", f"{path.name}: {error}")], started)


def _finish(parsed: Parsed, doc: dict, diags: list[Diagnostic], started: float) -> Parsed:
    doc.setdefault("template", None)
    doc.setdefault("nlp_model", None)
    doc["parsed_at"] = now_utc()
    doc["duration_s"] = round(time.perf_counter() - started, 4)
    parsed.rows["documents"] = [doc]
    parsed.rows["diagnostics"] = [_row(d, parsed.doc_id) for d in diags]
    return parsed


def _numbering_notes(seg) -> list[Diagnostic]:
    """Say where item numbers were inferred from the sequence or items are missing from it."""
    out: list[Diagnostic] = []
    top = [it for it in seg.items if it.sub is None]
    for it in top:
        head = it.heading[0]
        if not re.search(rf"(?<!\d){it.no}(?!\d)", head.text[:16]):
            out.append(Diagnostic("segment", "warning", f"item {it.no}: heading printed as {head.text[:50]!r}; "
                                  f"number {it.no} inferred from the items around it (OCR misreading?)", page=head.page, line=head.no))
    for a, b in zip(top, top[1:]):
        if b.no > a.no + 1:
            missing = f"{a.no + 1}" if b.no == a.no + 2 else f"{a.no + 1}-{b.no - 1}"
            head = b.heading[0]
            out.append(Diagnostic("segment", "warning", f"no heading found for item {missing} between items {a.no} and {b.no}; "
                                  f"its text, if any, is read as part of item {a.no}", page=head.page, line=head.no))
    return out
