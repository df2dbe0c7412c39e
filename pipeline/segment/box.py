"""The header box: labels such as "Emne:", "Mødedato:", "Tid og sted:" close together,
with their values and the attendance lists inside the box, lifted out of the
stream wherever text extraction put it (Word text boxes often land inside item 2)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Line
from ..rules import Rules, first_match, first_search, first_tag
from .records import Group


@dataclass
class Box:
    fields: dict[str, list[Line]] = field(default_factory=dict)
    labels: dict[str, Line] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    moved: bool = False


def header_label(rules: Rules, text: str) -> str | None:
    hit = first_tag(rules.header.labels, text)
    return hit[0] if hit else None


def group_caption(rules: Rules, text: str) -> str | None:
    """The attendance a list caption gives ("Afbud:" -> absent), or None."""
    if len(text) > 60:
        return None
    hit = first_tag(rules.header.attendance_groups, text)
    return hit[0] if hit else None


def _value_end(lines: list[Line], start: int, rules: Rules, stop) -> int:
    """Index after the value lines of a label at ``start``."""
    s = rules.settings
    i = start
    while i < len(lines) and i - start < s.field_max_lines:
        t = lines[i].text
        if stop(t) or (t[:1].islower() and not first_search(rules.header.value_starts_date, t)) or len(t) > s.field_max_chars:
            break
        i += 1
    return i


def lift_box(lines: list[Line], rules: Rules, is_heading) -> tuple[list[Line], Box]:
    """Take a header box (>= 2 header labels close together) out of the stream.

    ``is_heading(line)`` says whether a line looks like an item heading: a box
    preceded by one stood inside an item.
    """
    box = Box()
    window = rules.settings.box_window
    label_idx = [i for i, ln in enumerate(lines) if header_label(rules, ln.text)]
    start = next((a for a, b in zip(label_idx, label_idx[1:]) if b - a <= window), None)
    if start is None:
        return lines, box
    last_label = [i for i in label_idx if start <= i <= start + window * 2][-1]

    def stop(t: str) -> bool:
        return bool(header_label(rules, t) or group_caption(rules, t) or first_match(rules.structure.agenda_caption, t))

    i = start
    taken: set[int] = set()
    current: Group | None = None
    members: list[Line] = []

    def close_group() -> None:
        nonlocal current
        if current is not None:
            box.groups.append(Group(current.name, current.attendance, current.heading, tuple(members)))
            members.clear()
        current = None

    while i < len(lines):
        ln = lines[i]
        name = header_label(rules, ln.text)
        att = group_caption(rules, ln.text)
        if name:
            close_group()
            taken.add(i)
            box.labels[name] = ln
            end = _value_end(lines, i + 1, rules, lambda t: stop(t) or is_heading(t))
            if name == "subject":
                end = min(end, i + 2)
            box.fields.setdefault(name, []).extend(lines[i + 1:end])
            taken.update(range(i + 1, end))
            i = end
            if i > last_label and not (i < len(lines) and (header_label(rules, lines[i].text) or group_caption(rules, lines[i].text))):
                break
            continue
        if att:
            close_group()
            taken.add(i)
            current = Group(name=ln.text.rstrip(": "), attendance=att, heading=ln)
            i += 1
            continue
        if current is not None and i < last_label:
            members.append(ln)
            taken.add(i)
            i += 1
            continue
        if i < last_label:
            i += 1  # a stray line inside the box stays in the stream
            continue
        break
    close_group()
    if not taken:
        return lines, box
    box.moved = any(is_heading(lines[j].text) for j in range(0, min(taken)))
    return [ln for j, ln in enumerate(lines) if j not in taken], box
