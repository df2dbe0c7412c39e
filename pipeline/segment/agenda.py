"""The agenda list printed before the items (dagsorden, indholdsfortegnelse) as evidence.

An agenda list is a run of numbered lines close together (wrapped titles,
section captions such as "Lukkede punkter" and sub-entries "5a)" may stand
between them) that a caption announces, that ends in page numbers, or whose
entries are headed again further down.  When its entries are headed again,
the list is evidence: it confirms headings, names title-less ones ("Ad 3)"),
corrects a misprinted number and tells which items the minutes leave out.
When they are not (a fragment that ends after the list, minutes written
into the list itself), the list's lines are the item headings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..records import Line
from ..rules import Rules, first_match, first_tag
from ..settings import Settings
from .headings import Candidate, ends_open, is_block_label, split_title
from .records import AgendaEntry

#: explicit heading markers that may carry no title of their own ("Ad 3)", "Pkt. 3"): they recur by number
_TITLE_LESS = {"ad", "label", "paragraph"}


def fold(text: str) -> str:
    """A title reduced for comparison: case, punctuation and spacing folded."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("–", "-").replace("—", "-")
    text = re.sub(r"[^\w\s-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def similarity(a: str, b: str, strict: bool = False) -> float:
    """0..1: how alike two titles are once folded.

    By edit distance, or (unless ``strict``) by the words they share in any
    order, which forgives a title that adds or drops a few words.  ``strict``
    is for telling one title from another ("Budget 2017-2020" is not "Budget
    2017-2020 - Endelige takster"), the lenient form for telling whether two
    wordings of one item agree.
    """
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    if strict and re.findall(r"\d+", fa) != re.findall(r"\d+", fb):
        return 0.0  # "Budget 2025" is not "Budget 2026", nor "punkt 1" "punkt 2"
    edit = fuzz.ratio(fa, fb)
    return (edit if strict else max(edit, fuzz.token_set_ratio(fa, fb))) / 100.0


@dataclass(frozen=True)
class AgendaList:
    entries: tuple[AgendaEntry, ...]
    caption: Line | None
    line_indices: frozenset[int]  # every line of the list (entries, wrapped titles, section captions)
    entry_indices: frozenset[int]  # the lines holding an entry's number
    recurs: bool  # its entries are headed again later: the list is evidence, not the items
    first: int  # first line index of the list (its caption when there is one)
    last: int  # last line index


def _gap_ok(lines: list[Line], a: int, b: int, rules: Rules) -> bool:
    between = lines[a + 1:b]
    if len(between) <= rules.settings.agenda_max_gap:
        return True
    s = rules.settings
    return len(between) <= s.agenda_short_gap and all(len(ln.text.split()) <= s.agenda_gap_words for ln in between)


def _runs(lines: list[Line], cands: list[Candidate], rules: Rules) -> list[list[Candidate]]:
    """Candidates close together with rising numbers (a section caption may restart them, unless the
    restart repeats an entry of the run: then the items begin)."""
    runs: list[list[Candidate]] = []
    for c in cands:
        if c.no is None or c.shape == "after_title":
            continue
        prev = runs[-1][-1] if runs else None
        if c.sub is not None:  # "5a)" under entry 5: part of the list, never its start
            if prev is not None and c.no in (prev.no, prev.no + 1) and _gap_ok(lines, prev.index, c.index, rules):
                runs[-1].append(c)
            continue
        prev = next((x for x in reversed(runs[-1]) if x.sub is None), None) if runs else None
        restart = prev is not None and c.no <= prev.no and any(first_match(rules.structure.agenda_section, ln.text) for ln in lines[prev.index + 1:c.index])
        # a restart that repeats an entry of the run (number and title) is the first item heading after the list
        again = restart and any(x.no == c.no and similarity(_without_page(x.title or "", rules), c.title or "", strict=True) >= rules.settings.agenda_same_title
                                for x in runs[-1])
        rising = prev is not None and (c.no > prev.no or (restart and not again))
        if prev is not None and rising and _gap_ok(lines, runs[-1][-1].index, c.index, rules):
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _without_page(title: str, rules: Rules) -> str:
    """A table of contents entry's title without the page number it ends in ("Meddelelser 3")."""
    m = first_match(rules.structure.toc_page_number, title)
    return m.group("title").strip() if m else title


def _entry_title(lines: list[Line], c: Candidate, stop: int, rules: Rules) -> tuple[str, list[Line]]:
    """An entry's title with its wrapped continuation lines (up to ``stop``)."""
    title = c.title or (c.next_title or "")
    used = [lines[c.index]] + ([lines[c.index + 1]] if not c.title and c.next_title else [])
    j = c.index + len(used)
    while j < stop:
        t = lines[j].text
        if first_match(rules.structure.agenda_section, t) or first_tag(rules.structure.sub_item_shapes, t):
            break
        wrapped = t[:1].islower() or ends_open(rules, title, r"[,(\-–]")
        if not wrapped or len(t.split()) > rules.settings.agenda_gap_words:
            break
        title += " " + t
        used.append(lines[j])
        j += 1
    return split_title(rules, title.strip())[0], used


def find_agenda(lines: list[Line], cands: list[Candidate], rules: Rules) -> AgendaList | None:
    """The agenda list, if the document prints one before its items."""
    s = rules.structure
    for k, run in enumerate(_runs(lines, cands, rules)):
        first = run[0].index
        if first > 0 and is_block_label(rules, lines[first - 1].text):
            continue  # the points of a recommendation or a decision

        caption = next((lines[k] for k in range(max(0, first - 3), first) if first_match(s.agenda_caption, lines[k].text)), None)
        entries: list[AgendaEntry] = []
        used: set[int] = set()
        top = [c for c in run if c.sub is None]
        for k, c in enumerate(top):
            stop = top[k + 1].index if k + 1 < len(top) else min(len(lines), c.index + 3)
            title, tl = _entry_title(lines, c, stop, rules)
            entries.append(AgendaEntry(c.no, None, title, tuple(tl)))
            used.update(ln_index for ln_index in range(c.index, c.index + len(tl)))
            for j in range(c.index + len(tl), stop):  # sub-entries "5a) …" and section captions
                t = lines[j].text
                sub = first_tag(s.sub_item_shapes, t)
                if sub and int(sub[1].group("no")) == c.no:
                    entries.append(AgendaEntry(c.no, sub[1].group("sub"), split_title(rules, (sub[1].group("title") or "").strip())[0], (lines[j],)))
                    used.add(j)
                elif first_match(s.agenda_section, t):
                    used.add(j)
        paged = [first_match(s.toc_page_number, e.title) for e in entries]
        is_toc = _page_numbers(entries, paged)
        last_line = max(used)
        stripped = [AgendaEntry(e.no, e.sub, m.group("title").strip() if m else e.title, e.lines) for e, m in zip(entries, paged)]
        recurrence = _recurrence(lines, cands, stripped if is_toc else entries, last_line, rules)
        if not is_toc and recurrence < 0.5 and _page_numbers(entries, paged, apart=False):
            again = _recurrence(lines, cands, stripped, last_line, rules)
            if again >= 0.5:  # page numbers set apart by one space only (a text rendering): the items repeat the titles without them
                is_toc, recurrence = True, again
        if is_toc:
            entries = stripped
        recurs = recurrence >= 0.5
        top_entries = sum(1 for e in entries if e.sub is None)
        if top_entries == 1 and not (caption and recurs):
            continue  # one numbered line is a list only when a caption announces it and the item is headed again
        if not (caption or is_toc or (recurs and top_entries >= 3 and k == 0)):
            continue  # unannounced, a list is the agenda only as the document's first numbered lines
        return AgendaList(
            entries=tuple(entries),
            caption=caption,
            line_indices=frozenset(used),
            entry_indices=frozenset(c.index for c in run),
            recurs=recurs,
            first=lines.index(caption) if caption is not None else first,
            last=last_line,
        )
    return None


def _page_numbers(entries: list[AgendaEntry], paged: list[re.Match | None], apart: bool = True) -> bool:
    """Entries that end in their page number: most of them, set apart (a cell of its own or dot
    leaders; not required with ``apart=False``), rising, and not just the entry's own number again
    ("Forslag nummer 3")."""
    hits = [(e, m) for e, m in zip(entries, paged) if m]
    if len(hits) * 3 < len(entries) * 2 or not hits:
        return False
    pages = [int(e.title[m.end("title"):].strip(" .…")) for e, m in hits]
    set_apart = sum(1 for e, _ in hits if len(e.lines[0].cells) >= 2 or re.search(r"\.{2,}|…", e.lines[0].text))
    own = all(p == e.no for p, (e, _) in zip(pages, hits))
    return (set_apart * 3 >= len(hits) * 2 or not apart) and pages == sorted(pages) and not own


def _recurrence(lines: list[Line], cands: list[Candidate], entries: list[AgendaEntry], last: int, rules: Rules) -> float:
    """Share of top-level entries headed again after the list (each later line answering one entry only).

    A list whose entries share one title ("1. Anbefales", "2. Anbefales") is a
    list of points, not an agenda: it never recurs.
    """
    top = [e for e in entries if e.sub is None]
    titles = [fold(e.title) for e in top]
    if not top or len(set(titles)) < 0.8 * len(titles):
        return 0.0
    later = [c for c in cands if c.index > last]
    used: set[int] = set()
    hits = 0
    for e in top:
        match = next((c.index for c in later if c.index not in used and c.no == e.no and c.shape in _TITLE_LESS and not c.title), None)
        if match is None:
            match = next((c.index for c in later if c.index not in used and similarity(c.title or c.next_title or "", e.title, strict=True) >= rules.settings.agenda_same_title), None)
        if match is None and len(e.title) >= 8:
            match = next((i for i in range(last + 1, len(lines)) if i not in used and abs(len(lines[i].text) - len(e.title)) <= len(e.title) // 2
                          and similarity(lines[i].text, e.title, strict=True) >= rules.settings.agenda_same_title), None)
        if match is not None:
            used.add(match)
            hits += 1
    return hits / len(top)


def unnumbered_candidates(lines: list[Line], agenda: AgendaList, cands: list[Candidate], rules: Rules) -> list[Candidate]:
    """Lines after the list that repeat an entry's title without its number: headings too."""
    taken = {c.index for c in cands} | {c.index + 1 for c in cands if c.next_title} | {c.title_above for c in cands if c.title_above is not None}
    out = []
    top = [e for e in agenda.entries if e.sub is None and len(e.title) >= 8]
    for i in range(agenda.last + 1, len(lines)):
        if i in taken:
            continue
        t = lines[i].text.strip()
        if first_match(rules.structure.enumerator, t):
            continue  # a point of a list ("A) … drøftes.") that repeats the title is no heading
        near = [e for e in top if abs(len(t) - len(e.title)) <= len(e.title) // 2]
        best = max(near, key=lambda e: similarity(t, e.title, strict=True), default=None)
        if best is not None and similarity(t, best.title, strict=True) >= rules.settings.agenda_same_title:
            out.append(Candidate(i, best.no, "unnumbered", t, "", None))
    return out


def entry_for(agenda: AgendaList, no: int | None, title: str, settings: Settings) -> tuple[AgendaEntry | None, str]:
    """The agenda entry a heading stands for, and how it matched: "same", "title", "number" or ""."""
    threshold = settings.agenda_title_similarity
    top = [e for e in agenda.entries if e.sub is None]
    same_no = [e for e in top if e.no == no]
    if title:
        for e in same_no:
            if similarity(title, e.title) >= threshold:
                return e, "same"
        best = max(top, key=lambda e: similarity(title, e.title, strict=True), default=None)
        if best is not None and similarity(title, best.title, strict=True) >= max(threshold, settings.agenda_same_title):
            return best, "title"
    if same_no:
        return same_no[0], "number"
    return None, ""
