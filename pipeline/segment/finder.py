"""The structure finder: which candidate headings are the items, chosen by evidence.

Every candidate heading (``headings.find_candidates``) gets a score from its
evidence — its shape, layout (bold, larger, indentation, space above), a
block label below it, agreement with the agenda list, and against it: a
recommendation point it continues, prose it reads as.  The item sequence is
the one that maximises the sum of its headings' scores and of the scores of
each step from one heading to the next (the next number, a number left out,
a repeat, a step back; the same shape, indentation and type), found by a
dynamic programme over the candidates in document order.  All weights are
data (``models/rules/structure.toml``, ``[weights]``).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field, replace

from ..dates import find_dates
from ..records import Diagnostic, Line
from ..rules import Rules, first_match, first_tag
from .agenda import AgendaList, entry_for, find_agenda, similarity, unnumbered_candidates
from .headings import Candidate, find_candidates, finite_verb_title, heading_span, is_block_label, rest_line, split_title, title_like
from .records import ItemSegment

#: predecessors kept per number in the dynamic programme (the best ones by score)
_KEEP_PER_NUMBER = 12


@dataclass
class Scored:
    cand: Candidate
    score: float
    evidence: list[str] = field(default_factory=list)


@dataclass
class Found:
    """What the finder hands back to ``segment``."""

    front: list[Line]  # lines before the first item (without the agenda list when it is evidence)
    items: list[ItemSegment]
    agenda: AgendaList | None
    diagnostics: list[Diagnostic]


# --- evidence of one candidate -------------------------------------------------


def _nested(pool: list[Candidate]) -> set[int]:
    """Candidates inside a list of another shape, between two of its entries that count on (n, n+1):
    "1) … 5)" between "2. Forslag" and "3. Eventuelt"."""
    out: set[int] = set()
    by_shape: dict[str, list[Candidate]] = {}
    for c in pool:
        if c.sub is None and c.shape not in _NEUTRAL_SHAPES:
            by_shape.setdefault(c.shape, []).append(c)
    for shape, cands in by_shape.items():
        for a, b in zip(cands, cands[1:]):
            if b.no == a.no + 1:
                out.update(c.index for c in pool if a.index < c.index < b.index and c.shape != shape and c.sub is None)
    return out


def _after_colon(lines: list[Line], pool: list[Candidate], rules: Rules) -> set[int]:
    """Entries of a list that counts from 1 right after a sentence ending in a colon ("Der var fire forslag:")."""
    out: set[int] = set()
    for k, c in enumerate(pool):
        if c.no != 1 or c.index == 0:
            continue
        above = lines[c.index - 1].text.rstrip()
        if not above.endswith(":") or len(above.split()) < 3 or is_block_label(rules, above) or first_match(rules.structure.agenda_caption, above):
            continue
        run, want = [c], 2
        for d in pool[k + 1:]:
            spaced = lines[d.index].gap_before
            if d.shape == c.shape and d.no == want and spaced == lines[run[min(1, len(run) - 1)].index].gap_before:
                run.append(d)  # the list goes on, spaced as it began
                want += 1
            elif d.shape == c.shape:
                break
        out.update(x.index for x in run)
    return out


@dataclass
class _Doc:
    """What the evidence of every candidate is measured against."""

    body_size: float | None
    bold_share: float | None
    min_x0: dict[int, float]  # page -> leftmost candidate
    labels: list[int]  # indices of block-label lines
    points: set[int]  # indices of lines written like recommendation points
    nested: set[int] = field(default_factory=set)  # candidates inside a list of another shape
    listed: set[int] = field(default_factory=set)  # candidates of a list introduced by a colon


def _doc_stats(lines: list[Line], pool: list[Candidate], rules: Rules) -> _Doc:
    cand_idx = {c.index for c in pool}
    body = [ln for i, ln in enumerate(lines) if i not in cand_idx]
    sizes = [ln.size for ln in body if ln.size]
    bolds = [ln.bold for ln in body if ln.bold is not None]
    min_x0: dict[int, float] = {}
    for c in pool:
        ln = lines[c.index]
        if ln.bbox is not None:
            min_x0[ln.page] = min(min_x0.get(ln.page, ln.bbox[0]), ln.bbox[0])
    lb = rules.labels
    labels = [i for i, ln in enumerate(lines) if is_block_label(rules, ln.text)]
    points = {i for i, ln in enumerate(lines) if first_match(lb.recommendation_point, ln.text)}
    return _Doc(statistics.median(sizes) if sizes else None, (sum(bolds) / len(bolds)) if bolds else None, min_x0, labels, points,
                 _nested(pool), _after_colon(lines, pool, rules))


def _continues_points(lines: list[Line], c: Candidate, doc: _Doc, rules: Rules) -> bool:
    """The candidate is the next point of a list under a block label: a recommendation's points
    ("Det indstilles, at: 1. … 2. …") or a decision's ("Beslutning: 1. Anbefales 2. Anbefales")."""
    label = max((i for i in doc.labels if i < c.index), default=None)
    if label is None or lines[c.index].bold:
        return False
    count, shape = 0, None
    for j in range(label + 1, c.index):
        t = lines[j].text
        if j in doc.points:
            count += 1
            hit = first_tag(rules.structure.item_shapes, t)
            shape = hit[0] if hit else shape
        elif not t[:1].islower():
            return False  # a capitalised line of another kind: the list has ended
    # the next point is written like the points before it ("2. …" after "1. …", not "2" alone)
    return c.no == count + 1 and (count == 0 or shape == c.shape)


def _mid_sentence(lines: list[Line], c: Candidate, rules: Rules) -> bool:
    """The number stands where a sentence of the line above goes on ("… sag" / "16. Anlægsudgifterne …")."""
    ln = lines[c.index]
    if c.index == 0 or ln.gap_before or c.title_above is not None:
        return False
    above = lines[c.index - 1]
    return above.page == ln.page and len(above.text.split()) >= rules.settings.prose_words and not re.search(r"[.:!?;)]$", above.text.rstrip())


def _evidence(lines: list[Line], c: Candidate, nxt_index: int, doc: _Doc, rules: Rules, agenda: AgendaList | None) -> Scored:
    w = rules.structure.weights
    s = rules.settings
    ln = lines[c.index]
    sc = Scored(c, w[f"shape.{c.shape}"], [f"shape {c.shape}"])

    def add(name: str, why: str | None = None) -> None:
        sc.score += w[name]
        sc.evidence.append(why or name.replace("_", " "))

    if ln.bold and doc.bold_share is not None and doc.bold_share < 0.5:
        add("bold")
    if ln.size and doc.body_size and ln.size > doc.body_size + 0.5:
        add("larger")
    if ln.gap_before:
        add("gap_before")
    if ln.bbox is not None and ln.page in doc.min_x0:
        if ln.bbox[0] <= doc.min_x0[ln.page] + s.margin_tolerance:
            add("margin")
        elif ln.bbox[0] > doc.min_x0[ln.page] + 2 * s.margin_tolerance:
            add("indented")
    title = c.title or (c.next_title if _use_next_title(c, agenda, rules) else "") or ""
    words = len(title.split())
    if title and words <= s.title_max_words and not finite_verb_title(rules, title):
        add("title_like")
    if words > s.title_max_words:
        add("prose_like")
    if finite_verb_title(rules, title):
        add("sentence_heading")
    stop = min(nxt_index, c.index + 1 + s.label_lookahead)
    if any(c.index < k < stop for k in doc.labels):
        add("label_follows")
    if c.no is not None and _continues_points(lines, c, doc, rules):
        add("in_recommendation")
    first_word = title.split()[0].casefold().strip(".,:") if title.split() else ""
    if first_word in rules.labels.point_verbs:
        add("point_verb", "the title starts with a verb of a recommendation point")
    if _mid_sentence(lines, c, rules):
        add("mid_sentence")
    if c.index in doc.nested:
        add("nested", "inside a list of another shape")
    if c.index in doc.listed:
        add("after_colon", "in a list a sentence with a colon introduces")
    if agenda is not None and not agenda.recurs and c.index in agenda.entry_indices:
        add("listed", "an entry of the agenda list the minutes are written in")
    if agenda is not None and agenda.recurs:
        entry, how = entry_for(agenda, c.no, title, rules.settings)
        if how == "same" or (how == "number" and not title):
            add("agenda_same", f"agenda item {entry.no}")
        elif how == "title":
            add("agenda_title", f"agenda title of item {entry.no}")
        elif how == "number":
            add("agenda_number_only", f"agenda has item {entry.no} with another title")
    return sc


# --- the sequence -----------------------------------------------------------------


class _MaxTree:
    """Running maxima over item numbers (Fenwick tree of (score, position))."""

    def __init__(self, size: int):
        self.n = size
        self.tree: list[tuple[float, int]] = [(float("-inf"), -1)] * (size + 1)

    def update(self, i: int, value: tuple[float, int]) -> None:
        i += 1
        while i <= self.n:
            if value > self.tree[i]:
                self.tree[i] = value
            i += i & -i

    def query(self, i: int) -> tuple[float, int]:
        """max over positions 0..i (inclusive); (-inf, -1) when empty."""
        best = (float("-inf"), -1)
        i += 1
        while i > 0:
            if self.tree[i] > best:
                best = self.tree[i]
            i -= i & -i
        return best


def _sub_follows(a: str | None, b: str) -> bool:
    """Sub-item ``b`` comes right after ``a`` (None: the item itself): a→b, 1→2."""
    if a is None:
        return b in ("a", "1")
    if a.isdigit() and b.isdigit():
        return int(b) == int(a) + 1
    return len(a) == len(b) == 1 and ord(b) == ord(a) + 1


def _transition(a: Candidate, la: Line, b: Candidate, lb: Line, style: tuple | None, rules: Rules) -> float:
    """The score of heading ``b`` coming right after heading ``a`` in a sequence whose headings are written ``style``."""
    w = rules.structure.weights
    d = b.no - a.no
    if d == 0 and a.sub == b.sub and b.index == a.index + 1 and " ".join(a.title.split()).casefold() == " ".join(b.title.split()).casefold():
        return w["duplicate"]  # the same heading printed twice in a row (a web page's link, then its heading): one item
    if b.sub is not None and d == 0:
        return w["next"] if _sub_follows(a.sub, b.sub) else w["repeat"]
    if b.sub is not None and d == 1 and b.sub in ("a", "1"):
        return w["next"]  # "Ad 5a)" after item 4: item 5 has no heading of its own
    if a.sub is not None and b.sub is None and d == 1:
        return w["next"] + _style_bonus(la, lb, rules) + _shape_term(style, b, lb, w)
    return _step(d, w) + _shape_term(style, b, lb, w) + _style_bonus(la, lb, rules)


#: shapes that say nothing about how the document writes its headings: a number
#: set apart on its own line (a Word list number, OCR), a title without its number
_NEUTRAL_SHAPES = {"alone", "unnumbered"}


def _look(b: Candidate, lb: Line) -> tuple[str, bool | None]:
    """How a heading is written: its shape, and whether it is bold (None: the source does not say)."""
    return b.shape, lb.bold


def _shape_term(style: tuple | None, b: Candidate, lb: Line, w) -> float:
    """Every heading written unlike the sequence's headings (another shape, or bold where they are not) costs;
    written like them, it gains."""
    if style is None or b.shape in _NEUTRAL_SHAPES or b.sub is not None:
        return 0.0
    shape, bold = _look(b, lb)
    same = shape == style[0] and (bold is None or style[1] is None or bold == style[1])
    return w["same_shape"] if same else w["shape_change"]


def _next_style(style: tuple | None, b: Candidate, lb: Line) -> tuple | None:
    """The sequence's heading look: the first one that says something (not a number alone, not a sub-item)."""
    if style is not None or b.shape in _NEUTRAL_SHAPES or b.sub is not None:
        return style
    return _look(b, lb)


def _style_bonus(a: Line, b: Line, rules: Rules) -> float:
    w = rules.structure.weights
    bonus = 0.0
    if a.bbox is not None and b.bbox is not None and abs(a.bbox[0] - b.bbox[0]) <= rules.settings.margin_tolerance:
        bonus += w["same_indent"]
    if a.bold is not None and b.bold is not None and a.bold == b.bold and (a.size or 0) and abs((a.size or 0) - (b.size or 0)) <= 0.5:
        bonus += w["same_style"]
    return bonus


def _step(d: int, w) -> float:
    if d == 1:
        return w["next"]
    if d == 2:
        return w["next"] + w["skip_one"]
    if d > 2:
        return w["skip_more"]
    if d == 0:
        return w["repeat"]
    return w["backwards"]


@dataclass
class _State:
    """The best sequence that ends at one candidate with its headings written in one style."""

    k: int  # the candidate it ends at
    style: tuple | None  # (shape, bold) of its headings
    score: float
    back: int  # the state before (-1: none)
    length: int
    first: int  # the candidate it starts at


def choose(lines: list[Line], scored: list[Scored], rules: Rules, sections: list[int], first_no: int | None) -> list[Scored]:
    """The best-scoring sequence of headings (empty when none scores above zero).

    A dynamic programme over states (candidate, style): the style is the shape
    of the sequence's headings, so that a heading written otherwise pays for
    it wherever it stands (a list "1)" … "5)" inside items headed "1." … "3."
    cannot take over the sequence by its length).
    """
    if not scored:
        return []
    w = rules.structure.weights
    top = max(s.cand.no for s in scored) + 2
    states: list[_State] = []
    below: dict[tuple | None, _MaxTree] = {}  # per style, by number: best state ending at a number <= n
    above: dict[tuple | None, _MaxTree] = {}  # per style, by (top - number): best state ending at a number >= n
    by_no: dict[int, list[int]] = {}  # number -> the best states ending at it
    best_at: list[int] = []  # candidate -> its best state
    running: list[int] = []  # candidate -> the best state ending at or before it
    for k, s in enumerate(scored):
        c, ln = s.cand, lines[s.cand.index]
        n = c.no
        opts: dict[tuple | None, tuple[float, int]] = {}

        def offer(value: float, prev: int, style: tuple | None) -> None:
            nxt = _next_style(style, c, ln)
            if nxt not in opts or value > opts[nxt][0]:
                opts[nxt] = (value, prev)

        offer(w["start_one"] if n in (1, first_no) else 0.0, -1, None)
        for d in (1, 2, 0):
            for j in by_no.get(n - d, ()):
                st_ = states[j]
                p = scored[st_.k]
                offer(st_.score + _transition(p.cand, lines[p.cand.index], c, ln, st_.style, rules), j, st_.style)
        for style, tree in below.items():
            far = tree.query(n - 3) if n - 3 >= 0 else (float("-inf"), -1)
            if far[1] >= 0:
                offer(far[0] + w["skip_more"] + _shape_term(style, c, ln, w), far[1], style)
        for style, tree in above.items():
            back_best = tree.query(top - (n + 1)) if n + 1 <= top else (float("-inf"), -1)
            if back_best[1] >= 0:
                offer(back_best[0] + w["backwards"] + _shape_term(style, c, ln, w), back_best[1], style)
        # a section caption ("Lukkede punkter") between: the numbering may start again
        sec = max((x for x in sections if x < c.index), default=None)
        if sec is not None and k > 0 and scored[k - 1].cand.index < sec:
            prev = max((j for j in range(k) if scored[j].cand.index < sec), default=None)
            if prev is not None:
                j = running[prev]
                offer(states[j].score + w["section_restart"], j, states[j].style)
        best_here = None
        for style, (value, prev) in opts.items():
            length = states[prev].length + 1 if prev >= 0 else 1
            first = states[prev].first if prev >= 0 else k
            states.append(_State(k, style, value + s.score, prev, length, first))
            sid = len(states) - 1
            lst = by_no.setdefault(n, [])
            lst.append(sid)
            if len(lst) > _KEEP_PER_NUMBER:
                lst.sort(key=lambda j: -states[j].score)
                del lst[_KEEP_PER_NUMBER:]
            below.setdefault(style, _MaxTree(top + 1)).update(n, (states[sid].score, sid))
            above.setdefault(style, _MaxTree(top + 1)).update(top - n, (states[sid].score, sid))
            if best_here is None or states[sid].score > states[best_here].score:
                best_here = sid
        best_at.append(best_here)
        running.append(best_here if not running or states[best_here].score > states[running[-1]].score else running[-1])
    # strong headings (bold, or a block label below) left before a sequence's first heading speak against it
    strong_before = []
    count = 0
    for s in scored:
        strong_before.append(count)
        count += any(e in ("bold", "label follows") for e in s.evidence)

    def final(st_: _State) -> float:
        return st_.score + (w["lone"] if st_.length == 1 else 0.0) + w["front_heading"] * strong_before[st_.first]

    end = max(range(len(states)), key=lambda i: (final(states[i]), states[i].k))
    if final(states[end]) <= 0:
        return []
    seq = []
    while end >= 0:
        seq.append(scored[states[end].k])
        end = states[end].back
    return seq[::-1]


# --- from chosen headings to items -------------------------------------------------


def _misread_numbers(chosen: list[Scored], scored: list[Scored]) -> list[Scored]:
    """n, ?, n+2 with exactly one other numbered heading between: that one is n+1 (an OCR misreading)."""
    out = list(chosen)
    k = 0
    while k + 1 < len(out):
        a, b = out[k], out[k + 1]
        if b.cand.no == a.cand.no + 2:
            between = [s for s in scored if a.cand.index < s.cand.index < b.cand.index and s.cand.no is not None]
            if len(between) == 1:
                s = between[0]
                fixed = Scored(replace(s.cand, no=a.cand.no + 1), s.score, s.evidence + [_INFERRED])
                out.insert(k + 1, fixed)
        k += 1
    return out


_INFERRED = "number inferred from the items around it"


def _use_next_title(c: Candidate, agenda: AgendaList | None, rules: Rules) -> bool:
    """Whether the line below a title-less heading ("Pkt. 42", "Ad 3)", "4.") is its title."""
    if c.title or not c.next_title:
        return False
    if agenda is not None and agenda.recurs and c.sub is not None and any(e.no == c.no and e.sub == c.sub for e in agenda.entries):
        return False  # "Ad 5a)": the agenda names the sub-item
    if agenda is not None and agenda.recurs and c.no is not None:
        entry, how = entry_for(agenda, c.no, "", rules.settings)
        if entry is not None and similarity(entry.title, c.next_title) < rules.settings.agenda_title_similarity:
            return False  # "Ad 3)" above the minutes' first sentence: the title is the agenda's
    return True


def _item(lines: list[Line], s: Scored, end: int, rules: Rules, agenda: AgendaList | None) -> ItemSegment:
    c = s.cand
    use_next = _use_next_title(c, agenda, rules)
    start = c.title_above if c.title_above is not None else c.index
    stop = heading_span(lines, c, end, rules, use_next)
    heading = lines[start:stop]
    if c.title_above is not None:
        title = c.title
    else:
        own = c.title or (c.next_title if use_next else "") or ""
        extra = lines[c.index + 1 + (1 if use_next else 0):stop]
        title = " ".join([own] + [ln.text for ln in extra]).strip()
    title, rest = split_title(rules, title)
    body = list(lines[stop:end])
    if rest:
        body.insert(0, rest_line(heading[-1], rest))
    printed = c.printed if c.printed and c.printed != str(c.no) else None
    return ItemSegment(no=c.no, heading=tuple(heading), body=tuple(body), title=title.rstrip(" :").strip(), sub=c.sub,
                       evidence=tuple(s.evidence), printed_no=printed)


def _align(items: list[ItemSegment], agenda: AgendaList, rules: Rules) -> tuple[list[ItemSegment], list[Diagnostic]]:
    """Numbers and titles from the agenda list; its entries the minutes do not head become items too.

    A heading and an entry with the same number are one item; its title is
    the agenda's wording (the heading as printed stays in the item's label)
    unless the entry is the heading cut short, or the two titles have nothing
    in common.  A heading whose title is an entry's under another number
    that no heading uses takes the agenda's number (a misprint), with a warning.
    """
    diags: list[Diagnostic] = []
    used: set[tuple[int, str | None]] = set()
    taken_nos = {it.no for it in items if it.sub is None}
    out: list[ItemSegment] = []
    subs = {(e.no, e.sub): e for e in agenda.entries if e.sub is not None}
    for it in items:
        if it.sub is not None:
            used.add((it.no, it.sub))
            entry = subs.get((it.no, it.sub))
            if entry is not None and (not it.title or _cut(entry.title, it.title)):
                it = replace(it, title=entry.title.rstrip(" :").strip())
            out.append(it)
            continue
        entry, how = entry_for(agenda, it.no, it.title, rules.settings)
        if entry is None or (entry.no, None) in used:
            out.append(it)
            continue
        if how == "title" and entry.no != it.no:
            if entry.no in taken_nos:
                out.append(it)
                continue
            head = it.heading[0]
            diags.append(Diagnostic("segment", "warning", f"item heading printed as {head.text[:50]!r}: the agenda list has {entry.title[:50]!r} as item "
                                    f"{entry.no}; numbered {entry.no} as in the agenda", page=head.page, line=head.no))
            it = replace(it, no=entry.no, printed_no=it.printed_no or str(it.no))
        used.add((entry.no, None))
        if how == "number" and it.title and similarity(it.title, entry.title) < rules.settings.agenda_unrelated:
            out.append(it)  # the minutes head this number with another subject: keep their title
            continue
        title = it.title if (not entry.title or _cut(entry.title, it.title)) else entry.title
        out.append(replace(it, title=title.rstrip(" :").strip()))
    # entries the minutes do not head (sub-entries "5a)" included)
    for e in agenda.entries:
        if (e.no, e.sub) in used:
            continue
        where = e.lines[0]
        seg = ItemSegment(no=e.no, heading=e.lines, body=(), title=e.title.rstrip(" :"), sub=e.sub, evidence=("agenda list",), from_agenda=True)
        pos = next((k for k, it in enumerate(out) if (it.no, it.sub or "") > (e.no, e.sub or "")), len(out))
        out.insert(pos, seg)
        label = f"{e.no}{e.sub or ''}"
        diags.append(Diagnostic("segment", "warning", f"item {label} ({e.title[:60]!r}) is in the agenda list but has no heading in the minutes; "
                                f"listed without text (its text, if any, is read as part of the item before)", page=where.page, line=where.no))
    return out, diags


def _cut(agenda_title: str, own: str) -> bool:
    """The agenda entry is the minutes' heading cut short (a page stamp, a wrapped line):
    a beginning of it that does not end a sentence."""
    if agenda_title.rstrip().endswith("."):
        return False
    a, b = agenda_title.strip(" .:").casefold(), own.strip(" .:").casefold()
    return bool(b) and len(a) < len(b) and b.startswith(a)


def _numbering_notes(items: list[ItemSegment], agenda: AgendaList | None) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    top = [it for it in items if it.sub is None]
    listed = {e.no for e in agenda.entries} if agenda is not None else set()
    for it in top:
        if it.printed_no and it.heading and _INFERRED in it.evidence or (it.printed_no and it.printed_no.casefold() in ("i", "l")):
            head = it.heading[0]
            out.append(Diagnostic("segment", "warning", f"item {it.no}: heading printed as {head.text[:50]!r}; number {it.no} inferred "
                                  "from the items around it (OCR misreading?)", page=head.page, line=head.no))
    for a, b in zip(top, top[1:]):
        if b.no > a.no + 1 and b.heading:
            missing = [n for n in range(a.no + 1, b.no) if n not in listed]
            if not missing or len(missing) > 20:
                continue
            label = f"{missing[0]}" if len(missing) == 1 else f"{missing[0]}-{missing[-1]}"
            head = b.heading[0]
            out.append(Diagnostic("segment", "warning", f"no heading found for item {label} between items {a.no} and {b.no}; "
                                  f"its text, if any, is read as part of item {a.no}", page=head.page, line=head.no))
    return out


def _bullet_topics(lines: list[Line], rules: Rules) -> tuple[list[Scored], Diagnostic | None]:
    """Minutes with no numbered or headed items whose topics are bullet entries, each followed by
    at least one line of its own (what was said or agreed): those entries, numbered in order.

    The longest run of such entries is taken, and only when it has at least two; a list whose
    entries follow each other directly (attendees, points of a proposal) is no run of topics."""
    bullets = [i for i, ln in enumerate(lines) if first_match(rules.structure.topic_bullet, ln.text)]
    runs: list[list[int]] = []
    for k, i in enumerate(bullets):
        nxt = bullets[k + 1] if k + 1 < len(bullets) else None
        followed = i + 1 < len(lines) and (nxt is None or nxt > i + 1) and not first_match(rules.structure.enumerator, lines[i + 1].text)
        if not followed:
            runs.append([])
            continue
        if runs and runs[-1] and not any(first_match(rules.structure.enumerator, ln.text) for ln in lines[runs[-1][-1] + 1:i]):
            runs[-1].append(i)
        else:
            runs.append([i])
    run = max(runs, key=len, default=[])
    titles = [first_match(rules.structure.topic_bullet, lines[i].text).group("title").strip() for i in run]
    return _numbered_in_order(lines, run, titles, "bullet", "unnumbered bullet topic",
                              f"no numbered or headed items: the {len(run)} entries of the bullet list at line {{line}}")


def _layout_topics(lines: list[Line], rules: Rules) -> tuple[list[Scored], Diagnostic | None]:
    """Minutes with no numbered items and no agenda list whose topics are headings by their look
    alone: bold lines (or Markdown headings of a text) that read as titles, each between lines of
    plain text, after the bold title block at the top.  Those headings, numbered in order.

    Only where the document has both bold and plain lines; a caption ("Deltagere:", an attendance
    list's heading), a block label ("Beslutning") or a date is no topic."""
    first_plain = next((i for i, ln in enumerate(lines) if not ln.bold), None)
    if first_plain is None or not any(ln.bold for ln in lines[first_plain:]):
        return [], None

    def topic(i: int) -> bool:
        ln = lines[i]
        t = ln.text.strip()
        return bool(ln.bold and title_like(rules, ln) and not t.endswith(":") and not first_tag(rules.header.attendance_groups, t)
                    and not find_dates(t, rules.dates) and i + 1 < len(lines) and not lines[i + 1].bold and not lines[i - 1].bold)

    heads = [i for i in range(max(first_plain, 1), len(lines)) if topic(i)]
    return _numbered_in_order(lines, heads, [lines[i].text.strip() for i in heads], "layout", "unnumbered heading by layout",
                              f"no numbered items: the {len(heads)} headings set in bold from line {{line}} on")


def _numbered_in_order(lines: list[Line], heads: list[int], titles: list[str], shape: str, evidence: str,
                       what: str) -> tuple[list[Scored], Diagnostic | None]:
    """Headings found without numbers (at least two), as items 1..n, and the warning that says so
    (``what`` names them, with ``{line}`` for the first one's line number)."""
    if len(heads) < 2:
        return [], None
    chosen = [Scored(Candidate(i, no, shape, title, ""), 0.0, [evidence]) for no, (i, title) in enumerate(zip(heads, titles), 1)]
    head = lines[heads[0]]
    note = Diagnostic("segment", "warning", f"{what.format(line=head.no)} are read as items 1-{len(heads)}, numbered in order",
                      page=head.page, line=head.no)
    return chosen, note


def find_items(lines: list[Line], rules: Rules) -> Found:
    """Items, the front matter before them, and the agenda list."""
    cands = find_candidates(lines, rules)
    agenda = find_agenda(lines, cands, rules)
    if agenda is not None and agenda.recurs:
        pool = [c for c in cands if c.index > agenda.last]
        pool += unnumbered_candidates(lines, agenda, pool, rules)
        pool.sort(key=lambda c: c.index)
    else:
        pool = cands
    pool = [c for c in pool if c.no is not None]
    doc = _doc_stats(lines, pool, rules)
    scored = [_evidence(lines, c, pool[k + 1].index if k + 1 < len(pool) else len(lines), doc, rules, agenda) for k, c in enumerate(pool)]
    sections = [i for i, ln in enumerate(lines) if first_match(rules.structure.agenda_section, ln.text)]
    first_no = agenda.entries[0].no if agenda is not None and agenda.entries else None
    chosen = _misread_numbers(choose(lines, scored, rules, sections, first_no), scored)
    diags: list[Diagnostic] = []
    if not chosen and agenda is None:
        chosen, note = _bullet_topics(lines, rules)
        if not chosen:
            chosen, note = _layout_topics(lines, rules)
        diags += [note] if note else []
    items: list[ItemSegment] = []
    starts = [s.cand.title_above if s.cand.title_above is not None else s.cand.index for s in chosen]
    for k, s in enumerate(chosen):
        end = starts[k + 1] if k + 1 < len(chosen) else len(lines)
        items.append(_item(lines, s, end, rules, agenda))
    if agenda is not None and agenda.recurs:
        items, d = _align(items, agenda, rules)
        diags += d
    elif agenda is not None and not items:
        items = [ItemSegment(no=e.no, heading=e.lines, body=(), title=e.title, sub=e.sub, evidence=("agenda list",), from_agenda=True) for e in agenda.entries]
        diags.append(Diagnostic("segment", "warning", "the minutes head none of the items; items read from the agenda list (no item text)",
                                page=agenda.entries[0].lines[0].page, line=agenda.entries[0].lines[0].no))
    # section captions inside a list that is the items ("Lukkede") are not item text
    if agenda is not None and not agenda.recurs:
        section_lines = {id(lines[i]) for i in sections}
        items = [replace(it, body=tuple(ln for ln in it.body if id(ln) not in section_lines)) for it in items]
    diags += _numbering_notes(items, agenda)
    first = starts[0] if chosen else len(lines)
    skip = agenda.line_indices if agenda is not None and agenda.recurs else frozenset()
    front = [ln for i, ln in enumerate(lines[:first]) if i not in skip]
    return Found(front=front, items=items, agenda=agenda if agenda is not None and agenda.recurs else None, diagnostics=diags)
