"""Small typed records passed between the stages.

Every record keeps provenance: the page it came from and, where the source has
one, the line number and box.  Text records keep the raw text beside the
normalised value, so a reader can always check what was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points

Severity = Literal["info", "warning", "error"]


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text as the loader saw it.

    ``no`` is the line's index in the document as loaded (stable provenance:
    cleaning never renumbers lines).  ``cells`` are the pieces of the line that
    are separated by a wide horizontal gap (PDF) or by two or more spaces
    (text); a table row or a label/value pair in a header box has several.
    """

    text: str
    page: int
    no: int
    bbox: BBox | None = None
    size: float | None = None
    bold: bool | None = None  # None: the source has no font information
    cells: tuple[str, ...] = ()
    table: int | None = None  # index of the ruled table the line lies in (per document)
    gap_before: bool = False  # a blank line or a wide vertical gap precedes it

    @property
    def ref(self) -> str:
        """Human-readable provenance, e.g. ``p3:L41``."""
        return f"p{self.page}:L{self.no}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    stage: str
    severity: Severity
    message: str
    page: int | None = None
    line: int | None = None


@dataclass(slots=True)
class Loaded:
    """What the loader hands to the cleaner."""

    lines: list[Line]
    pages: int
    extractor: str  # e.g. "pdfplumber-0.11.10" or "text"
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    no_text_pages: list[int] = field(default_factory=list)
    repaired: bool = False  # the file was damaged and rebuilt
    #: why the document must be ``partial`` although it loaded (text lost on a page, …)
    partial_reasons: list[str] = field(default_factory=list)
    #: the file's own date (a PDF's CreationDate, else ModDate), ISO: evidence of a yearless meeting date's year
    created: str | None = None


# --- output records: one per table row -----------------------------------------
#
# Frozen: a stage that changes a value makes a new record (dataclasses.replace).
# Fields that are not table columns (``blocks``, ``heading_lines``, ``sources``)
# carry provenance for `show` and `inspect`; ``pipeline.tables`` writes only the
# declared columns.


@dataclass(frozen=True, slots=True)
class Meeting:
    doc_kind: str | None = None
    title: str | None = None
    body: str | None = None
    meeting_no: int | None = None
    meeting_date: str | None = None  # ISO date
    start_time: str | None = None  # "HH:MM"
    end_time: str | None = None
    location: str | None = None
    address: str | None = None
    referent: str | None = None
    referent_initials: str | None = None
    approved_by: tuple[str, ...] = ()
    approved_by_initials: tuple[str, ...] = ()
    template: str | None = None
    inferred: tuple[str, ...] = ()  # fields whose value was inferred
    page: int | None = None
    #: provenance: field name -> line numbers it was read from
    sources: tuple[tuple[str, tuple[int, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    title: str | None = None
    organisation: str | None = None
    list_heading: str | None = None
    party: str | None = None
    role: str | None = None  # a function at the meeting (dirigent, referent, mødeleder, …) or "speaker"
    attendance: str = "present"  # present|absent|substitute|guest
    substitute_for: str | None = None
    items: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()
    person_key: str | None = None
    page: int | None = None
    line: int | None = None
    raw: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    """A run of an item's lines read as one kind of text (provenance for `inspect`)."""

    kind: str  # description | recommendation | minutes | attachments | history | presenters
    lines: tuple[int, ...]  # line numbers (Line.no)


@dataclass(frozen=True, slots=True)
class AgendaItem:
    item_no: int
    label: str
    title: str
    sub_item: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    presenters: tuple[str, ...] = ()
    presenter_keys: tuple[str | None, ...] = ()
    description: str | None = None
    recommendation: str | None = None
    recommendation_points: tuple[str, ...] = ()
    minutes: str | None = None
    attachments: tuple[str, ...] = ()
    case_history: str | None = None
    closed: bool = False
    page_start: int | None = None
    page_end: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    #: provenance: the heading's line numbers and the blocks of the body
    heading_lines: tuple[int, ...] = ()
    blocks: tuple[Block, ...] = ()
    evidence: tuple[str, ...] = ()  # why the heading was taken as an item heading


@dataclass(frozen=True, slots=True)
class Decision:
    item_no: int
    seq: int
    recommendation: str | None
    decision: str | None
    decision_type: str  # approved|noted|discussed|decided|referred|postponed|rejected|none
    evidence: str | None = None  # the phrase or rule that gave the type
    page: int | None = None
    sub_item: str | None = None
    referred_to: str | None = None  # referred: the body the case is sent on to, as written
    line: int | None = None  # the line the decision text starts on (Line.no), where found


@dataclass(frozen=True, slots=True)
class Amount:
    item_no: int | None
    raw: str
    value: float | None
    currency: str = "DKK"
    label: str | None = None
    period: str | None = None
    repaired: bool = False
    repair_note: str | None = None
    page: int | None = None
    line: int | None = None
    context: str | None = None
    seq: int | None = None  # position within the item (or the header), from 1
    repeat_of: int | None = None  # seq of the first amount in the item that this one repeats
    unit_note: str | None = None  # where the unit came from when not printed beside the number


@dataclass(frozen=True, slots=True)
class Mention:
    item_no: int | None
    text: str
    label: str
    person_key: str | None
    start: int
    end: int
    sentence: str
    source: str  # "attendees", "rules" or the model name
    field: str = ""  # description | recommendation | minutes


@dataclass(frozen=True, slots=True)
class Vote:
    item_no: int
    position: str  # for | against | abstain | dissent
    who: str | None
    count: int | None
    raw: str
    page: int | None = None
    line: int | None = None  # the line the sentence starts on (Line.no), where found
