"""Stage 7, tables: the declared output schema and records → Arrow tables.

``SCHEMA`` is the single source of truth: column, Arrow type, meaning,
example.  ``docs/schema.md`` is generated from it (``python -m
pipeline.tables > docs/schema.md``) and a test keeps the two equal.  Every
table is validated against it before it is written.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

#: Column types, by the name Arrow gives them (``str(pyarrow type)``, as docs/schema.md shows them).
#: The schema is declared without pyarrow, so parsing a document never imports it (about 30 ms of
#: a parsing process's start-up); ``arrow_type`` gives the Arrow type where a table is built or read.
S, I32, I64, F64, B = "string", "int32", "int64", "double", "bool"
LS, LI = "list<item: string>", "list<item: int32>"
TS = "timestamp[us, tz=UTC]"
D = "date32[day]"


@lru_cache(maxsize=None)
def _arrow_types() -> dict[str, "pa.DataType"]:
    import pyarrow as pa

    return {  # tests/test_schema.py checks that each name is Arrow's own
        S: pa.string(), I32: pa.int32(), I64: pa.int64(), F64: pa.float64(), B: pa.bool_(),
        LS: pa.list_(pa.string()), LI: pa.list_(pa.int32()), TS: pa.timestamp("us", tz="UTC"), D: pa.date32(),
    }


def arrow_type(name: str) -> "pa.DataType":
    """The Arrow type of a declared column type (``Col.type``)."""
    return _arrow_types()[name]

ENUMS = {
    ("documents", "status"): ("ok", "partial", "failed"),
    ("people", "attendance"): ("present", "absent", "substitute", "guest"),
    ("decisions", "decision_type"): ("approved", "noted", "discussed", "decided", "referred", "postponed", "rejected", "none"),
    ("diagnostics", "severity"): ("info", "warning", "error"),
    ("votes", "position"): ("for", "against", "abstain", "dissent"),
}


@dataclass(frozen=True)
class Col:
    name: str
    type: str  # one of the type names above; ``arrow_type(col.type)`` is the Arrow type
    doc: str
    example: str = ""
    nullable: bool = True


SCHEMA: dict[str, tuple[str, list[Col]]] = {
    "documents": (
        "One row per input document (per distinct file content).",
        [
            Col("doc_id", S, "sha256 hex digest of the file bytes; the key of every table", "3f2a…", False),
            Col("source", S, "path of the file as it was given to `ingest`", "data/raw/x.pdf", False),
            Col("sources", LS, "every path seen with the same bytes", "['a.pdf', 'b/a-copy.pdf']"),
            Col("file_name", S, "file name without folders", "styregruppe_klynge_syd_2022-05-06.pdf", False),
            Col("file_type", S, "pdf or text", "pdf", False),
            Col("file_size", I64, "size in bytes", "48213"),
            Col("pages", I32, "number of pages (text files: form-feed separated pages, at least 1)", "3"),
            Col("extractor", S, "what read the file", "pdfplumber-0.11.10"),
            Col("template", S, "template profile used (`generic` when none matched)", "sundhedsklynge"),
            Col("nlp_model", S, "NLP backend that ran", "blank-da+referat-rules"),
            Col("pipeline_version", S, "referat version that wrote the rows", "0.2.0", False),
            Col("parsed_at", TS, "when the document was parsed (UTC)", "2026-11-23 10:00:00+00:00"),
            Col("status", S, "ok, partial (parsed with gaps, see diagnostics) or failed", "ok", False),
            Col("error", S, "one-line reason when status is failed", "not a PDF: …"),
            Col("duration_s", F64, "seconds spent parsing", "0.41"),
        ],
    ),
    "meetings": (
        "One row per document: the meeting it records.",
        [
            Col("doc_id", S, "document key", "", False),
            Col("doc_kind", S, "referat, dagsorden, beslutningsprotokol, protokol (as the document calls itself)", "referat"),
            Col("title", S, "document title as written", "Referat Klyngestyregruppe Syd"),
            Col("body", S, "the forum that met", "Politisk Sundhedsklynge Syd"),
            Col("meeting_no", I32, "meeting number when printed", "2"),
            Col("meeting_date", D, "date of the meeting", "2022-11-07"),
            Col("start_time", S, "HH:MM", "17:00"),
            Col("end_time", S, "HH:MM", "19:00"),
            Col("location", S, "room or place as written", "Mødelokale K, Regionshuset"),
            Col("address", S, "street address as written", "Niels Bohrs Vej 30, 9220 Aalborg Øst"),
            Col("referent", S, "who wrote the minutes (initials resolved to a name where one attendee fits)", "Inge Kjær Andersen"),
            Col("referent_initials", S, "the referent's initials as written", "IKA"),
            Col("approved_by", LS, "who approved the minutes", "['Søren Aalund', 'Lisbeth Kjær Lagoni']"),
            Col("approved_by_initials", LS, "their initials as written", "['SA', 'LKL']"),
            Col("template", S, "template profile", "sundhedsklynge"),
            Col("inferred", LS, "fields whose value was inferred rather than printed (see diagnostics for how)", "['meeting_date']"),
            Col("page", I32, "page of the header", "1"),
        ],
    ),
    "people": (
        "One row per person whose attendance the document states.",
        [
            Col("doc_id", S, "document key", "", False),
            Col("name", S, "name as written (repairs noted in `notes`)", "Lisbeth Kjær Lagoni", False),
            Col("title", S, "job title or role as written", "Sygeplejefagligdirektør"),
            Col("organisation", S, "organisation as written", "Aalborg Universitetshospital"),
            Col("list_heading", S, "the list heading the person stands under, as written (this column was called `group` before 0.3.0: a reserved word in SQL)", "Administrativ deltagelse"),
            Col("party", S, "party letter(s) or party name printed beside the name", "A"),
            Col("role", S, "what the person was at the meeting: a function (dirigent, ordstyrer, mødeleder, referent, …) or `speaker` for someone the minutes report acting (fremlagde, bød velkommen) whom no list names", "referent"),
            Col("attendance", S, "present, absent, substitute or guest", "absent", False),
            Col("substitute_for", S, "for substitutes: the full name of the absent person", "Lisbeth Kjær Lagoni"),
            Col("items", LI, "item numbers the attendance is limited to; empty = the whole meeting", "[3]"),
            Col("notes", S, "remarks from the line and from normalisation, '; '-separated", "medformand; mødeleder"),
            Col("person_key", S, "normalised name; variants of one person in a meeting share it", "lisbeth kjær lagoni"),
            Col("page", I32, "page of the line", "1"),
            Col("line", I32, "line number in the document (provenance)", "61"),
            Col("raw", S, "the line as read", "Lisbeth Lagoni (Jan Nybo deltager i hendes sted)"),
        ],
    ),
    "agenda_items": (
        "One row per agenda item.",
        [
            Col("doc_id", S, "document key", "", False),
            Col("item_no", I32, "item number as printed (running numbers stay as printed)", "2", False),
            Col("sub_item", S, "sub-item of item_no (\"a\" for 4a, \"1\" for 4.1); null for the item itself", "a"),
            Col("label", S, "the heading as written", "2. Godkendelse af kommissorium og forretningsorden – kl. 17.10 – 17.15"),
            Col("title", S, "heading without number, time slot and presenters", "Godkendelse af kommissorium og forretningsorden"),
            Col("start_time", S, "HH:MM of the item's slot", "17:10"),
            Col("end_time", S, "HH:MM", "17:15"),
            Col("presenters", LS, "who presents the item", "['Mads Duedahl', 'Mogens Jespersen']"),
            Col("presenter_keys", LS, "person_key of each presenter who is an attendee, else null", "['mads duedahl', None]"),
            Col("description", S, "case text before the recommendation", ""),
            Col("recommendation", S, "the recommendation block (\"Det indstilles …\") with its points", ""),
            Col("recommendation_points", LS, "the recommendation's points", "['1. Godkender kommissorium og forretningsorden.']"),
            Col("minutes", S, "what the minutes say (after \"Referat:\", or after the recommendation)", ""),
            Col("attachments", LS, "titles of attachments", "['Kommissorium for Politisk Sundhedsklynge Syd']"),
            Col("case_history", S, "earlier meetings' handling of the case (\"Sagsforløb\"); never read as this meeting's decisions", ""),
            Col("closed", B, "closed item (\"Lukket punkt\")", "false"),
            Col("page_start", I32, "first page of the item", "2"),
            Col("page_end", I32, "last page", "3"),
            Col("line_start", I32, "first line number", "64"),
            Col("line_end", I32, "last line number", "80"),
        ],
    ),
    "decisions": (
        "One row per recommendation point (or one per item with minutes but no recommendation).",
        [
            Col("doc_id", S, "document key", "", False),
            Col("item_no", I32, "item number", "6", False),
            Col("sub_item", S, "sub-item of item_no, as in agenda_items", ""),
            Col("seq", I32, "point number within the item, from 1", "2", False),
            Col("recommendation", S, "the recommendation point", "2. Aftaler den videre proces."),
            Col("decision", S, "the minutes sentence(s) that decide it, whole: the sentence aligned with the point, or the first sentences of the decision block", ""),
            Col("decision_type", S, "the outcome for the meeting as a whole: approved, noted, discussed, decided, referred (sent on to another body without a decision on the substance), postponed, rejected or none; a minority's dissent is a `votes` row and leaves the majority's outcome", "postponed", False),
            Col("referred_to", S, "for referred: the body the case is sent on to, as written", "Teknisk Udvalg"),
            Col("evidence", S, "the wording or rule the type was read from; 'inferred: …' where no sentence states the outcome", "minutes: 'på næstkommende møde'"),
            Col("page", I32, "page the decision text starts on (else the item's first page)", "5"),
            Col("line", I32, "line the decision text starts on (`Line.no`, as `inspect` numbers them), where it was found", "212"),
        ],
    ),
    "amounts": (
        "One row per money amount.",
        [
            Col("doc_id", S, "document key", "", False),
            Col("item_no", I32, "item the amount is in (null: header)", "5"),
            Col("raw", S, "the amount as printed", "7.59.279 kr.", False),
            Col("value", F64, "value in `currency` units (null when unreadable or a range)", "759279.0"),
            Col("currency", S, "ISO code", "DKK"),
            Col("label", S, "table row label", "Region Nordjylland"),
            Col("period", S, "table column / year the amount is for", "2023 (anslået)"),
            Col("repaired", B, "true when the printed number was malformed and repaired", "true", False),
            Col("repair_note", S, "rule and evidence of the repair", "misplaced-separator: …"),
            Col("page", I32, "page", "5"),
            Col("line", I32, "line number (provenance)", "120"),
            Col("context", S, "the sentence or table caption around the amount", "Sundhedsklynge Syd"),
            Col("seq", I32, "position of the amount within its item (the header's amounts: within the header), from 1, in document order; "
                "(doc_id, item_no, seq) is the row's key. Since pipeline version 0.3.0 (null in rows written before)", "3"),
            Col("repeat_of", I32, "`seq` of the first amount in the same item that this one states again: the same value and currency, "
                "and no table row label or period that tells them apart; null for a first statement (and for ranges and unreadable amounts). "
                "Sum `value` where `repeat_of` is null to count each amount once. Since pipeline version 0.3.0", "1"),
            Col("unit_note", S, "where the currency or scale came from when the number is printed without it (a table caption or header such as "
                "'(1.000 kr.)' or 'Beløb i kr.', or a total row under amounts in kroner); null when the amount prints its own. "
                "Since pipeline version 0.3.0", "unit from the table caption '(1.000 kr.)'"),
        ],
    ),
    "mentions": (
        "Names, organisations, titles and places mentioned in item texts (NLP layer).",
        [
            Col("doc_id", S, "document key", "", False),
            Col("item_no", I32, "item number (null: header)", "3"),
            Col("text", S, "the mention as written", "Lotte Holt Worup", False),
            Col("label", S, "PER, ORG, LOC, TITLE (or a trained model's label)", "PER", False),
            Col("person_key", S, "person_key of the attendee it names, if any", "lotte holt worup"),
            Col("start", I32, "character offset in that text column", "0"),
            Col("end", I32, "end offset", "16"),
            Col("sentence", S, "the sentence it stands in", ""),
            Col("source", S, "attendees (the meeting's own people), rules, or the model that found it", "attendees"),
            Col("field", S, "the agenda_items text column the offsets refer to: description, recommendation or minutes", "minutes"),
        ],
    ),
    "votes": (
        "Votes and dissent where the minutes print them (this meeting's minutes only, never a case history).",
        [
            Col("doc_id", S, "document key", "", False),
            Col("item_no", I32, "item number", "2", False),
            Col("position", S, "for, against, abstain or dissent (a reservation or 'kunne ikke tiltræde')", "against", False),
            Col("who", S, "party letters or names as printed", "Ø og F"),
            Col("count", I32, "number of votes when printed", "16"),
            Col("raw", S, "the sentence", "(kun 1 stemte for, 16 imod)", False),
            Col("page", I32, "page the sentence starts on (else the item's first page)", "1"),
            Col("line", I32, "line the sentence starts on, where it was found", "48"),
        ],
    ),
    "diagnostics": (
        "What the pipeline noticed, repaired, inferred or could not do.",
        [
            Col("doc_id", S, "document key", "", False),
            Col("stage", S, "stage that reported it", "extract.amounts", False),
            Col("severity", S, "info, warning or error", "warning", False),
            Col("message", S, "what and why", "", False),
            Col("page", I32, "page, when known", "5"),
            Col("line", I32, "line number, when known", "121"),
        ],
    ),
}

TABLES = tuple(SCHEMA)


def arrow_schema(table: str) -> "pa.Schema":
    import pyarrow as pa

    return pa.schema([pa.field(c.name, arrow_type(c.type), nullable=c.nullable) for c in SCHEMA[table][1]])


class SchemaError(ValueError):
    pass


def validate(table: str, t: "pa.Table") -> None:
    """Raise SchemaError unless ``t`` has exactly the declared columns, types, enums, non-nulls."""
    want = arrow_schema(table)
    if t.schema.names != want.names:
        raise SchemaError(f"{table}: columns {t.schema.names} != declared {want.names}")
    for f in want:
        col = t.column(f.name)
        if not col.type.equals(f.type):
            raise SchemaError(f"{table}.{f.name}: type {col.type} != declared {f.type}")
        if not f.nullable and col.null_count:
            raise SchemaError(f"{table}.{f.name}: {col.null_count} null value(s) in a required column")
        allowed = ENUMS.get((table, f.name))
        if allowed:
            bad = set(v for v in col.to_pylist() if v is not None) - set(allowed)
            if bad:
                raise SchemaError(f"{table}.{f.name}: values {sorted(bad)} not in {allowed}")


def to_arrow(table: str, rows: list[dict]) -> "pa.Table":
    import pyarrow as pa

    schema = arrow_schema(table)
    cols = {f.name: [r.get(f.name) for r in rows] for f in schema}
    t = pa.Table.from_pydict(cols, schema=schema)
    validate(table, t)
    return t


def record_rows(table: str, records, doc_id: str) -> list[dict]:
    """Rows of ``table`` from frozen records: the declared columns only, in Arrow-ready Python types.

    Tuples become lists; a tuple in a text column (``people.notes``) is joined
    with "; "; an ISO date string in a date column becomes a ``datetime.date``.
    Fields that are not columns (provenance such as ``AgendaItem.blocks``) are
    left out.
    """
    cols = SCHEMA[table][1]
    out = []
    for rec in records:
        row: dict = {}
        for c in cols:
            if c.name == "doc_id":
                row["doc_id"] = doc_id
                continue
            v = getattr(rec, c.name, None)
            if isinstance(v, tuple):
                v = ("; ".join(dict.fromkeys(map(str, v))) or None) if c.type == S else list(v)
            elif isinstance(v, str) and c.type == D:
                v = dt.date.fromisoformat(v)
            row[c.name] = v
        out.append(row)
    return out


def markdown() -> str:
    out = [
        "# Output schema",
        "",
        "Generated from `pipeline/tables.py` (`python -m pipeline.tables > docs/schema.md`); a test keeps them equal.",
        "Every table is a folder of Parquet files under the output folder (default `data/parsed/<table>/`),",
        "read with `pandas.read_parquet('data/parsed/<table>')` or DuckDB `read_parquet('data/parsed/<table>/*.parquet')`.",
        "`doc_id` joins them. Columns are only ever added, never renamed (see README: stability).",
        "",
    ]
    for name, (doc, cols) in SCHEMA.items():
        out += [f"## {name}", "", doc, "", "| column | type | required | meaning | example |", "|---|---|---|---|---|"]
        for c in cols:
            enum = ENUMS.get((name, c.name))
            meaning = c.doc + (f" (one of: {', '.join(enum)})" if enum else "")
            out.append(f"| `{c.name}` | {c.type} | {'yes' if not c.nullable else ''} | {meaning.replace('|', '/')} | {c.example.replace('|', '/')} |")
        out.append("")
    return "\n".join(out)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


if __name__ == "__main__":
    sys.stdout.write(markdown())
