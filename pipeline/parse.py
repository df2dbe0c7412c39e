"""One document through every stage: the thin orchestrator.

    load → clean → segment → extract → link → annotate → tables

Each stage takes the frozen records of the stages before it and returns new
ones; nothing is patched afterwards.  ``parse_document(path)`` returns a
``Parsed``: the rows of every table for that document, never raising for a
bad document — a failure is a ``documents`` row with status failed and an
error diagnostic.  ``Parsed.trace`` keeps what was read (lines, structure,
items with their blocks' lines) for ``show`` and ``inspect``.

The module is callable: ``pipeline.parse(path, **options)`` is the public
API's ``pipeline.api.parse``.
"""

from __future__ import annotations

import hashlib
import sys
import time
import types
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from . import __version__
from .clean import Cleaned, clean, paragraphs
from .extract.agenda import read_item
from .extract.amounts import extract_amounts, number_amounts
from .extract.attendance import is_member_line, parse_groups
from .extract.decisions import decide, decision_texts
from .extract.header import read_meeting
from .extract.names import name_in, names_printed
from .extract.statements import Statement, initials_defined, speaks_of_other_meeting, statements
from .extract.votes import find_votes
from .lexicon import lexicon, read_json
from .link import MINUTES_KINDS, link
from .load import LoadError, load
from .load.messages import technical_detail
from .parsed import Parsed
from .records import AgendaItem, Amount, Decision, Diagnostic, Line, Loaded, Meeting, Mention, Person, Vote
from .rules import Rules, detect, first_match, rules_for
from .segment import Structure, segment
from .tables import TABLES, now_utc, record_rows


@dataclass(frozen=True)
class Trace:
    """What a parse read, kept for ``show`` and ``inspect`` (never written to the dataset)."""

    lines: tuple[Line, ...]  # as loaded
    cleaned: Cleaned | None = None
    structure: Structure | None = None
    items: tuple[AgendaItem, ...] = ()  # with their blocks' lines (AgendaItem.blocks)
    rules: Rules | None = None


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class Result:
    """The records of one document after every stage."""

    rules: Rules
    cleaned: Cleaned
    structure: Structure
    meeting: Meeting
    people: tuple[Person, ...]
    items: tuple[AgendaItem, ...]
    decisions: tuple[Decision, ...]
    votes: tuple[Vote, ...]
    amounts: tuple[Amount, ...]
    mentions: tuple[Mention, ...]
    nlp_model: str
    diagnostics: tuple[Diagnostic, ...]


def choose_rules(lines: list[Line], profile_name: str | None, diags: list[Diagnostic]) -> Rules:
    """The rules of the named profile, or of the profile whose signals the document shows."""
    if profile_name:
        return rules_for(profile_name)
    profile, _ = detect([ln.text for ln in lines])
    if profile.name == "generic":
        diags.append(Diagnostic("segment", "info", "no template profile matched; generic rules used"))
    return rules_for(profile)


def read_items(structure: Structure, rules: Rules, meeting: Meeting, lex) -> tuple[AgendaItem, ...]:
    labelled = any(first_match(rules.labels.minutes, ln.text) for it in structure.items for ln in it.body)
    is_minutes = meeting.doc_kind in MINUTES_KINDS

    def is_person(name: str) -> bool:  # a presenter named at the end of a title starts with a given name
        return name_in(name, lex, rules.attendance.name_particles) is not None

    return tuple(read_item(it, rules, labelled, is_minutes, meeting.meeting_date, is_person) for it in structure.items)


def read_statements(items: tuple[AgendaItem, ...], lines: tuple[Line, ...], lex, rules: Rules,
                    header: tuple[Line, ...] = ()) -> list[tuple[Statement, int | None, int | None]]:
    """Attendance stated in the text, paragraph by paragraph, each with the page and line it starts on:
    the preamble before the first item ("Formanden bød velkommen …") and the minutes (also who acted
    at the meeting), and the case text up to a sentence about another body's meeting (after it, only
    the guests the case text announces for this meeting); never a case history."""
    by_no = {ln.no: ln for ln in lines}
    texts = [ln.text for ln in header] + [t for ai in items for t in (ai.description, ai.minutes) if t]
    initials = initials_defined(texts, rules)
    out = []

    def read(block_lines, item_no, title, minutes):
        other = False
        for first, text in paragraphs(block_lines):
            out.extend((st, first.page, first.no) for st in statements(
                text, item_no, lex, rules, title=title, actors=minutes, case_text=not minutes, initials=initials, announced_only=other))
            if not minutes and speaks_of_other_meeting(text, rules):
                other = True  # the rest of the case text may report another meeting: only guests announced for this one

    read(header, None, "", True)
    for ai in items:
        for block in ai.blocks:
            if block.kind in ("description", "minutes"):
                read([by_no[n] for n in block.lines if n in by_no], ai.item_no, ai.title, block.kind == "minutes")
    return out


def read_amounts(structure: Structure, rules: Rules) -> tuple[tuple[Amount, ...], list[Diagnostic]]:
    """Money in the header and in every item, numbered within the item, read by the profile's money rules."""
    found, diags = extract_amounts(list(structure.header), None, rules.money)
    amounts = list(found)
    for it in structure.items:
        for part in (it.heading, it.body):
            a, d = extract_amounts(list(part), it.no, rules.money)
            amounts += a
            diags += d
    return number_amounts(amounts), diags


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def line_of(text: str | None, lines: list[Line]) -> Line | None:
    """The line a text read from ``lines`` starts on: the first whose text (or whose text and the
    next line's, for a sentence that starts at a line's end) holds the text's first words."""
    if not text:
        return None
    head = _squash(text)[:40]
    squashed = [_squash(ln.text) for ln in lines]
    for k, t in enumerate(squashed):
        if head in t or (k + 1 < len(lines) and head in f"{t} {squashed[k + 1]}" and
                         not head.startswith(squashed[k + 1][:len(head)])):
            return lines[k]
    return None


def place(records, items: tuple[AgendaItem, ...], lines: tuple[Line, ...], text_of):
    """Each record with the page and line its text starts on in its item's minutes."""
    by_no = {ln.no: ln for ln in lines}
    minutes = {(ai.item_no, ai.sub_item): [by_no[n] for b in ai.blocks if b.kind == "minutes" for n in b.lines if n in by_no]
               for ai in items}
    out = []
    for r in records:
        where = line_of(text_of(r), minutes.get((r.item_no, getattr(r, "sub_item", None)), []))
        out.append(replace(r, page=where.page, line=where.no) if where else r)
    return tuple(out)


def document_names(lines: tuple[Line, ...], lex, rules: Rules) -> list[str]:
    """Every full name (a given name and more) printed on one line of the document."""
    return [n for ln in lines for n in names_printed(ln.text, lex, rules.attendance.name_particles)]


def tokenizer(backend):
    """texts -> [(lower-case word, lemma)] per text, with the project's lemma fixes."""
    from .nlp import lemma_docs

    fixes = {k: v for k, v in read_json("rules/lemma_fixes.json").items() if not k.startswith("_")}

    seen: dict[str, list[tuple[str, str]]] = {}

    def tokenize(texts: list[str]):
        """Tokens of each text; texts not seen before go through the pipeline in one batch."""
        new = list(dict.fromkeys(t for t in texts if t not in seen))
        if new:
            docs = lemma_docs(backend, [t.casefold() for t in new])
            for t, d in zip(new, docs):
                seen[t] = [(tok.text, fixes.get(tok.text) or tok.lemma_ or tok.text) for tok in d if not tok.is_punct and not tok.is_space]
        return [seen[t] for t in texts]

    return tokenize


def run_stages(loaded: Loaded, *, file_name: str, model: str | None = None, profile_name: str | None = None) -> Result:
    """Every stage after load, in order, each on the records of the ones before."""
    from .extract.mentions import extract_mentions  # spaCy: imported when a document is parsed, not by `referat --help`
    from .nlp import load_backend

    diags: list[Diagnostic] = []
    rules = choose_rules(loaded.lines, profile_name, diags)
    cleaned = clean(loaded.lines, loaded.page_sizes or None, rules)
    lex = lexicon()
    structure = segment(list(cleaned.lines), rules, is_member=partial(is_member_line, lex=lex, rules=rules))
    # extract: one module per kind of content
    meeting, d_meeting = read_meeting(structure, rules, file_name, loaded.created)
    listed, d_people = parse_groups(structure.groups, lex, rules)
    items = read_items(structure, rules, meeting, lex)
    minutes = meeting.doc_kind != "dagsorden"  # an agenda records no decisions, votes or attendance statements
    stated = read_statements(items, cleaned.lines, lex, rules, structure.header) if minutes else []
    backend = load_backend(model)
    tokenize = tokenizer(backend)  # one per document: its texts are tokenized in one batch, once
    if minutes:
        tokenize([t for ai in items for t in decision_texts(ai)])
    decisions = tuple(d for ai in items for d in decide(ai, tokenize, rules, lex)) if minutes else ()
    votes = tuple(v for ai in items for v in find_votes(ai.minutes, ai.item_no, ai.page_start, rules, lex)) if minutes else ()
    decisions = place(decisions, items, cleaned.lines, lambda d: d.decision)
    votes = place(votes, items, cleaned.lines, lambda v: v.raw)
    amounts, d_amounts = read_amounts(structure, rules)
    # link: one account of the meeting
    pages = {ln.no: ln.page for ln in cleaned.lines}
    linked = link(meeting, listed, stated, items, pages, document_names(cleaned.lines, lex, rules),
                  tuple(ln.text for ln in cleaned.lines))
    # annotate: names, organisations and titles in the item texts
    mentions = tuple(extract_mentions(backend, list(linked.items), list(linked.people)))
    diags += [*cleaned.diagnostics, *structure.diagnostics, *d_meeting, *d_people, *d_amounts, *linked.diagnostics]
    if backend.notice:
        diags.append(Diagnostic("nlp", "info", backend.notice))
    diags += [Diagnostic("nlp", "warning", f"spaCy: {w}") for w in backend.warnings]
    return Result(rules, cleaned, structure, linked.meeting, linked.people, linked.items, decisions, votes, amounts, mentions, backend.name, tuple(diags))


#: documents.error of a document the parser itself failed on (the technical detail goes to diagnostics)
INTERNAL_ERROR = "referat failed on this document (an error in referat, not in the file; the detail is in diagnostics)"


def partial_reasons(result: Result) -> list[str]:
    """Why a document that parsed needs a look: what a reader of the minutes would miss."""
    reasons = []
    if not result.structure.items:
        reasons.append("no agenda items found")
    if result.meeting.meeting_date is None:
        reasons.append("no meeting date found")
    return reasons


def parse_document(path: str | Path, *, model: str | None = None, password: str | None = None, profile_name: str | None = None,
                   ocr: bool = False, pages: tuple[int, ...] | None = None) -> Parsed:
    """Parse one file; never raises for a bad document (see the module docstring).

    ``pages``: only these pages are read (``pipeline.pages.parse_pages``); page numbers stay the document's.
    """
    path = Path(path)
    started = time.perf_counter()
    try:
        doc_id = file_digest(path)
    except OSError as exc:
        return failed_document(path, hashlib.sha256(str(path).encode()).hexdigest(), f"cannot read file: {exc.strerror or exc}", started)
    try:
        loaded = load(path, password=password, ocr=ocr, pages=pages)
    except LoadError as exc:
        return failed_document(path, doc_id, str(exc), started, detail=exc.detail)
    doc = _document_row(path, doc_id, loaded)
    diags = list(loaded.diagnostics)
    reasons = list(loaded.partial_reasons)
    if loaded.no_text_pages:
        reasons.append(f"{len(loaded.no_text_pages)} page(s) without a text layer (OCR needed)")
    if loaded.repaired:
        reasons.append("damaged PDF, rebuilt before reading")
    trace = Trace(lines=tuple(loaded.lines))
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    if not loaded.lines:
        if not loaded.no_text_pages:
            diags.append(Diagnostic("load", "warning", "no text found"))
            reasons.append("no text found")
        return _finish(doc_id, rows, doc, diags, reasons, started, trace)
    try:
        result = run_stages(loaded, file_name=path.name, model=model, profile_name=profile_name)
    except Exception as exc:  # a bug or a pathological document: fail this one, keep the batch
        why = "memory limit exceeded" if isinstance(exc, MemoryError) else INTERNAL_ERROR
        diags.append(Diagnostic("parse", "error", why))
        if not isinstance(exc, MemoryError):
            diags.append(Diagnostic("parse", "info", f"technical detail: {technical_detail(exc, path)}"))
        doc.update(status="failed", error=why)
        return _finish(doc_id, rows, doc, diags, [], started, trace)
    doc.update(template=result.rules.profile.name, nlp_model=result.nlp_model)
    diags += result.diagnostics
    reasons += partial_reasons(result)
    rows.update(
        meetings=record_rows("meetings", [result.meeting], doc_id),
        people=record_rows("people", result.people, doc_id),
        agenda_items=record_rows("agenda_items", result.items, doc_id),
        decisions=record_rows("decisions", result.decisions, doc_id),
        amounts=record_rows("amounts", result.amounts, doc_id),
        mentions=record_rows("mentions", result.mentions, doc_id),
        votes=record_rows("votes", result.votes, doc_id),
    )
    trace = Trace(lines=tuple(loaded.lines), cleaned=result.cleaned, structure=result.structure, items=result.items, rules=result.rules)
    return _finish(doc_id, rows, doc, diags, reasons, started, trace)


def _document_row(path: Path, doc_id: str, loaded: Loaded) -> dict:
    return {
        "doc_id": doc_id,
        "source": str(path),
        "sources": [str(path)],
        "file_name": path.name,
        "file_type": "pdf" if loaded.extractor.startswith("pdf") else "text",
        "file_size": path.stat().st_size,
        "pages": loaded.pages,
        "extractor": loaded.extractor,
        "template": None,
        "nlp_model": None,
        "pipeline_version": __version__,
        "status": "ok",
        "error": None,
    }


def failed_document(path: Path, doc_id: str, error: str, started: float, detail: str | None = None) -> Parsed:
    """The record of a document that could not be parsed: a documents row (failed) and an error diagnostic;
    ``detail``, the technical cause (short, without the path), goes into a second diagnostic."""
    try:
        size = path.stat().st_size if path.is_file() else None
    except OSError:
        size = None
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
    diags = [Diagnostic("load", "error", f"{path.name}: {error}")]
    if detail:
        diags.append(Diagnostic("load", "info", f"technical detail: {detail}"))
    return _finish(doc_id, {t: [] for t in TABLES}, doc, diags, [], started, None)


def _finish(doc_id: str, rows: dict[str, list[dict]], doc: dict, diags: list[Diagnostic], reasons: list[str], started: float, trace: Trace | None) -> Parsed:
    if doc["status"] == "ok" and reasons:
        doc["status"] = "partial"
        doc["error"] = "; ".join(dict.fromkeys(reasons))
        diags = diags + [Diagnostic("parse", "warning", f"status partial: {r}") for r in dict.fromkeys(reasons)]
    if doc["status"] == "failed":
        rows = {t: [] for t in TABLES}
    doc["parsed_at"] = now_utc()
    doc["duration_s"] = round(time.perf_counter() - started, 4)
    rows["documents"] = [doc]
    rows["diagnostics"] = record_rows("diagnostics", diags, doc_id)
    return Parsed(doc_id, rows, trace)


class _CallableModule(types.ModuleType):
    """This module, callable: ``pipeline.parse(path, **options)`` is ``pipeline.api.parse``.

    The package's attribute ``parse`` is this module (as it always was, for
    ``from pipeline import parse``); calling it parses one file.
    """

    def __call__(self, path: str | Path, *, model: str | None = None, password: str | None = None, profile: str | None = None,
                 ocr: bool = False, pages=None) -> Parsed:
        from .api import parse as parse_file

        return parse_file(path, model=model, password=password, profile=profile, ocr=ocr, pages=pages)


sys.modules[__name__].__class__ = _CallableModule
