"""Stage 3, segment: cleaned lines become the document's structure.

Order of work, each a function of its own module:

1. ``tail.cut_appendix``: text appended after the end of the minutes (so
   that labels on an appended signature page never make a header box);
2. ``box.lift_box``: a header box (labels such as "Emne:", "Mødedato:" close
   together) is lifted out wherever text extraction put it, with the
   attendance lists inside it; then ``tail.lift_signoff``: the sign-off lines;
3. ``lists.lift_lists``: attendance lists that stand among the items;
4. ``finder.find_items``: the item headings, chosen by evidence among every
   line written like one (``headings``), with the agenda list (``agenda``)
   as evidence; sub-items;
5. ``lists.split_front``: what precedes the first item — header lines,
   "Label: value" fields, attendance lists.

The rules come from ``models/rules`` through a ``Rules`` object (a profile
may change them); this package knows no template.
"""

from __future__ import annotations

from functools import partial
from types import MappingProxyType

from ..records import Diagnostic, Line
from ..rules import Rules
from .box import lift_box
from .finder import find_items
from .headings import is_heading_text
from .lists import lift_lists, split_front
from .records import AgendaEntry, Group, ItemSegment, Structure
from .tail import cut_appendix, lift_signoff

__all__ = ["AgendaEntry", "Group", "ItemSegment", "Structure", "segment"]


def _scope_lists(groups: list[Group], items: list[ItemSegment], rules: Rules) -> list[Group]:
    """A list inside the minutes whose caption speaks of "this item" gets that item's number."""
    starts = [(it.heading[0].no, it.no) for it in items if it.sub is None and it.heading and not it.from_agenda]
    out = []
    for g in groups:
        if g.lifted and g.heading is not None and any(p.search(g.heading.text) for p in rules.header.item_scoped_list):
            before = [no for line_no, no in starts if line_no <= g.heading.no]
            if before:
                g = Group(g.name, g.attendance, g.heading, g.lines, item=before[-1], lifted=True)
        out.append(g)
    return out


def segment(lines: list[Line], rules: Rules, is_member=None) -> Structure:
    """Split cleaned lines into header, lists, agenda list, items, sign-off and appended text.

    ``is_member(text) -> bool`` says whether a line is an attendee line; with
    it, attendance lists that stand among the items are lifted out too.
    """
    is_heading = partial(is_heading_text, rules)
    diags: list[Diagnostic] = []
    rest, appendix = cut_appendix(lines, rules, is_heading)  # first: a signature page appended is no header box
    rest, box = lift_box(rest, rules, is_heading)
    rest, signoff = lift_signoff(rest, rules)
    rest, lifted = lift_lists(rest, rules, is_member, is_heading)
    found = find_items(rest, rules)
    front = split_front(found.front, rules, is_member)
    fields: dict[str, list[Line]] = {k: list(v) for k, v in box.fields.items()}
    for k, v in front.fields.items():
        fields.setdefault(k, []).extend(v)
    groups = sorted(box.groups + front.groups + _scope_lists(lifted, found.items, rules), key=lambda g: g.heading.no if g.heading else 0)
    if box.moved:
        first = min((ln for ls in box.fields.values() for ln in ls), key=lambda ln: ln.no, default=None)
        diags.append(Diagnostic("segment", "info", "header box found inside an agenda item (text order); read as the meeting header",
                                page=first.page if first else None, line=first.no if first else None))
    if appendix:
        first = appendix[0]
        diags.append(Diagnostic("segment", "info", f"{len(appendix)} line(s) from page {first.page} on follow the end of the minutes "
                                f"(another document in the same file, beginning {first.text[:60]!r}); not read as part of the last item",
                                page=first.page, line=first.no))
    diags += found.diagnostics
    return Structure(
        header=tuple(front.header),
        fields=MappingProxyType({k: tuple(v) for k, v in fields.items()}),
        field_labels=MappingProxyType({**front.labels, **box.labels}),
        groups=tuple(groups),
        agenda=found.agenda.entries if found.agenda is not None else (),
        agenda_caption=(found.agenda.caption if found.agenda is not None else None) or front.agenda_caption,
        items=tuple(found.items),
        signoff=tuple(signoff),
        appendix=tuple(appendix),
        box_moved=box.moved,
        diagnostics=tuple(diags),
    )
