"""The records the segment stage hands on: frozen, every one with its lines (provenance)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..records import Diagnostic, Line


@dataclass(frozen=True, slots=True)
class Group:
    """An attendance list: its caption, the attendance it gives, its member lines."""

    name: str | None  # caption as written, without a trailing colon
    attendance: str  # present | absent | guest
    heading: Line | None
    lines: tuple[Line, ...] = ()
    #: the item a list inside the minutes speaks of ("… deltog ikke i behandlingen af punktet:")
    item: int | None = None
    lifted: bool = False  # found among the items (not in the front matter)


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """One entry of the agenda list printed before the items (dagsorden, indholdsfortegnelse)."""

    no: int
    sub: str | None
    title: str
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class ItemSegment:
    """One agenda item: its heading lines, its title, its body lines, and why it was taken."""

    no: int
    heading: tuple[Line, ...]
    body: tuple[Line, ...]
    title: str = ""
    sub: str | None = None  # "a" for item 4a, "1" for item 4.1
    #: the evidence that made the heading an item heading ("shape dot", "bold", "agenda 3", …)
    evidence: tuple[str, ...] = ()
    printed_no: str | None = None  # the number as printed, where the item's number was inferred
    from_agenda: bool = False  # listed in the agenda, not headed in the minutes (no body)


@dataclass(frozen=True)
class Structure:
    """The document's structure: header, lists, agenda list, items, sign-off, appended text."""

    header: tuple[Line, ...] = ()
    fields: Mapping[str, tuple[Line, ...]] = field(default_factory=lambda: MappingProxyType({}))
    field_labels: Mapping[str, Line] = field(default_factory=lambda: MappingProxyType({}))
    groups: tuple[Group, ...] = ()
    agenda: tuple[AgendaEntry, ...] = ()
    agenda_caption: Line | None = None
    items: tuple[ItemSegment, ...] = ()
    signoff: tuple[Line, ...] = ()
    appendix: tuple[Line, ...] = ()
    box_moved: bool = False  # the header box stood inside an item (text extraction order)
    diagnostics: tuple[Diagnostic, ...] = ()
