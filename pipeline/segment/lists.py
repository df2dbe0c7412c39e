"""Attendance lists and the front matter: captions, member lines, header lines, inline labels."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..records import Line
from ..rules import Rules, first_match
from .box import group_caption, header_label
from .records import Group


@dataclass(frozen=True)
class Caption:
    name: str
    attendance: str
    is_item_heading: bool  # "§1 Til stede:" stays an item heading too


def list_caption(rules: Rules, ln: Line) -> Caption | None:
    """The attendance list a caption line opens, or None."""
    text = ln.text.strip()
    att = group_caption(rules, text)
    if att:
        return Caption(text.rstrip(": "), att, False)
    if first_match(rules.header.in_item_absent, text):
        return Caption(text.rstrip(": "), "absent", False)
    m = first_match(rules.header.caption_item_prefix, text)
    if m:
        rest = text[m.end():]
        att = group_caption(rules, rest)
        if att:
            return Caption(rest.rstrip(": "), att, True)
    return None


def lift_lists(lines: list[Line], rules: Rules, is_member, is_heading) -> tuple[list[Line], list[Group]]:
    """Take attendance lists that stand among the items out of the stream.

    From the first line that looks like an item heading on, a list caption
    ("Deltagerne var:", "Fraværende med afbud:", "§1 Til stede:") followed by
    lines that ``is_member`` accepts becomes a Group; its member lines leave
    the stream, so a numbered list of members is never read as items.
    """
    first = next((i for i, ln in enumerate(lines) if is_heading(ln.text)), None)
    if first is None or is_member is None:
        return lines, []
    out, groups = lines[:first], []
    i = first
    while i < len(lines):
        ln = lines[i]
        cap = list_caption(rules, ln)
        if cap:
            j = i + 1
            while j < len(lines) and is_member(lines[j].text) and not list_caption(rules, lines[j]):
                j += 1
            if j > i + 1:
                groups.append(Group(cap.name, cap.attendance, ln, tuple(lines[i + 1:j]), lifted=True))
                if cap.is_item_heading:
                    out.append(ln)
                i = j
                continue
        out.append(ln)
        i += 1
    return out, groups


def continues_list_line(text: str, rules: Rules) -> bool:
    """A list line broken over two lines: one word, or a lower-case start (read without its tail)."""
    core = text
    for p in rules.header.list_line_tail:
        core = p.sub("", core)
    core = core.strip()
    return len(core.split()) <= 1 or core[:1].islower()


def inline_group(rules: Rules, ln: Line) -> Group | None:
    """"Fraværende: A, B og C", "Afbud fra A og B": a caption with its members on one line."""
    m = first_match(rules.header.inline_group, ln.text)
    if not m:
        return None
    head = m.group("head").strip()
    att = group_caption(rules, head) or group_caption(rules, head + ":")
    if not att:
        return None
    rest = m.group("rest").strip()
    return Group(name=head, attendance=att, heading=ln, lines=(replace(ln, text=rest, cells=(rest,)),))


@dataclass
class Front:
    header: list[Line]
    fields: dict[str, list[Line]]
    labels: dict[str, Line]
    groups: list[Group]
    agenda_caption: Line | None = None


def split_front(front: list[Line], rules: Rules, is_member=None) -> Front:
    """Front matter -> header lines, inline "Label: value" fields, attendance lists."""
    out = Front(header=[], fields={}, labels={}, groups=[])
    caption: Group | None = None
    members: list[Line] = []

    def close() -> None:
        nonlocal caption
        if caption is not None:
            out.groups.append(replace(caption, lines=caption.lines + tuple(members)))
        members.clear()
        caption = None

    for ln in front:
        if first_match(rules.structure.agenda_caption, ln.text):
            close()
            out.agenda_caption = out.agenda_caption or ln
            continue
        inline = inline_group(rules, ln)
        if inline:
            close()
            caption = inline
            continue
        att = group_caption(rules, ln.text)
        if att:
            close()
            caption = Group(name=ln.text.rstrip(": ").strip(), attendance=att, heading=ln)
            continue
        if caption is not None and ln.text.endswith(":") and len(ln.text) <= 60:
            close()  # another caption ("Faciliteret af:") ends the list
        labelled = first_match(rules.header.inline_label, ln.text)
        if caption is not None and labelled and header_label(rules, labelled["label"].strip() + ":"):
            close()  # a header field ("Referent: Ole Dam", "Dato: …") ends the list
        if caption is not None and is_member is not None and (members or caption.lines) and not is_member(ln.text) and not continues_list_line(ln.text, rules):
            close()  # "Møde referat": the list has ended
        if caption is not None:
            members.append(ln)
            continue
        m = first_match(rules.header.inline_label, ln.text)
        name = header_label(rules, m["label"] + ":") if m else None
        if name:
            out.fields.setdefault(name, []).append(replace(ln, text=m["value"], cells=(m["value"],)))
            out.labels.setdefault(name, ln)
        else:
            out.header.append(ln)
    close()
    return out
