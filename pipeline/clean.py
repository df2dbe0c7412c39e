"""Stage 2, clean: normalise characters, drop page furniture, undo hyphenation.

Each function takes and returns a list of Lines and never renumbers them, so
provenance survives.  What was dropped is returned so it can be shown.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from .records import Diagnostic, Line
from .rules import Rules, first_match

#: marks that are not text: bidi controls (left-to-right and right-to-left marks,
#: embeddings, overrides, isolates), zero-width spaces and joiners, the word
#: joiner and the byte order mark; removed wherever they stand
INVISIBLE_MARKS = (
    "\u200e\u200f"  # LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\u200b\u200c\u200d"  # zero-width space, non-joiner, joiner
    "\u2060\ufeff"  # word joiner, byte order mark / zero-width no-break space
)

# characters that PDFs and Word produce for plain ones
CHAR_MAP = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2032": "'",
        "\uf0b7": "•",  # Symbol-font bullet from Word
        "\u25cf": "•",
        "\u25aa": "•",
        "\u2212": "-",  # minus sign
        "\ufffe": "\u00ad",  # PDFium's mark for a soft hyphen in text it extracts ("Olek\ufffesandr"); never a character of its own
        **dict.fromkeys(INVISIBLE_MARKS, ""),
    }
)

_HYPHEN_END = re.compile(r"(?P<frag>[^\s-]*[^\W\d_])[-\u00ad]$")
_FIRST_TOKEN = re.compile(r"^(\S+)\s*(.*)$")


@dataclass(frozen=True, slots=True)
class Cleaned:
    lines: tuple[Line, ...]
    dropped: tuple[tuple[Line, str], ...] = ()  # (line, reason)
    diagnostics: tuple[Diagnostic, ...] = ()


_MD_PREFIX = re.compile(r"^(?:>\s*)+|^#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
#: a Markdown heading ("## Budget") or a line set in bold as a whole ("**Budget**"): the text form's bold
_MD_HEADING = re.compile(r"^(?:>\s*)*(?:#{1,6}\s+\S|(\*\*|__)[^*_].*\1\s*:?\s*$)")


def normalise_text(text: str) -> str:
    text = text.translate(CHAR_MAP)
    # Markdown minutes: "> #### 1. Formalia", "**Tid**: …"
    text = _MD_PREFIX.sub("", text.strip())
    text = _MD_PREFIX.sub("", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = re.sub(r"\u00ad(?=\S)", "", text)  # soft hyphens inside a line
    return re.sub(r"[ \t]+", " ", text).strip()


_SOFT_BREAK = re.compile(r"(?<=[a-zæøå,])\n(?=\S)|(?<![.!?:;])\n(?=[a-zæøå])")


def join_wrapped(text: str) -> str:
    """Join lines that a layout wrapped mid-sentence ("(kun 6 stemte" / "for, 14 imod)").

    A line break stays where the line ends a sentence or a label (``.!?:;``)
    or where the line ends in a capital or digit and the next begins with a
    capital: list rows such as "Imod stemte: Ø" / "Undlod: C og M".
    """
    return _SOFT_BREAK.sub(" ", text)


#: a sentence ends at . ! ? before a capital, a bullet, a quote or a bracket ("kl. 17.00." and
#: "den 9. juni" go on; so does an outline number or letter: "1. Godkendt med bemærkninger a. Indstillingen …"), and at a
#: line break that join_wrapped kept
_SENTENCE_BREAK = re.compile(r"(?<![\s(.][0-9a-zæøå]\.)(?<!^[0-9a-zæøå]\.)(?<=[.!?])\s+(?=[A-ZÆØÅ•\"(])|\n+")


def sentences(text: str, wrapped: bool = True) -> list[str]:
    """Sentences and list rows of a block of text (pieces stripped, empty ones dropped).

    ``wrapped``: the text keeps its layout's line breaks, and lines wrapped
    mid-sentence are joined first; text already reflowed into paragraphs (an
    item's minutes) passes False, and every line break ends a sentence.
    """
    return [s.strip() for s in _SENTENCE_BREAK.split(join_wrapped(text) if wrapped else text) if s.strip()]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text`` as written (no lines joined)."""
    spans, pos = [], 0
    for m in _SENTENCE_BREAK.finditer(text):
        if text[pos:m.start()].strip():
            spans.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        spans.append((pos, len(text)))
    return spans


def paragraphs(lines: list[Line] | tuple[Line, ...]) -> list[tuple[Line, str]]:
    """Runs of lines between blank lines or wide vertical gaps: (first line, text).

    A line that wraps inside a paragraph is joined by `sentences`; a new
    paragraph always starts a new sentence, so "… kan ikke deltage" and
    "Kirsten er fraværende …" on lines of their own stay apart.
    """
    out: list[tuple[Line, list[str]]] = []
    for ln in lines:
        if not out or ln.gap_before:
            out.append((ln, []))
        out[-1][1].append(ln.text)
    return [(first, "\n".join(texts)) for first, texts in out]


def normalise_lines(lines: list[Line]) -> list[Line]:
    """Lines with normalised text; a Markdown heading or a line wholly in ``**bold**`` of a text
    document (no font information) is marked bold, as the PDF of the same minutes would show it."""
    out = []
    for ln in lines:
        text = normalise_text(ln.text)
        if not text:
            continue
        cells = tuple(c for c in (normalise_text(c) for c in ln.cells) if c) or (text,)
        if ln.bold is None and _MD_HEADING.match(ln.text.strip()):
            ln = replace(ln, bold=True)
        if text != ln.text or cells != ln.cells:
            ln = replace(ln, text=text, cells=cells)
        out.append(ln)
    return out


def drop_furniture_cells(lines: list[Line], rules: Rules) -> tuple[list[Line], int]:
    """Take page furniture off the end of lines: trailing cells that match ``clean.furniture_cells``
    (a stamp printed down the margin, which text extraction glues to the lines beside it, one or two
    characters at a time).  A line that was nothing else goes; returns (lines, cells dropped)."""
    patterns = rules.clean.furniture_cells
    if not patterns:
        return lines, 0
    out, dropped = [], 0
    for ln in lines:
        cells = list(ln.cells)
        while len(cells) > 1 and any(p.fullmatch(cells[-1]) for p in patterns):
            cells.pop()
        if len(cells) < len(ln.cells):
            dropped += len(ln.cells) - len(cells)
            text = " ".join(cells)
            ln = replace(ln, text=text, cells=tuple(cells))
        out.append(ln)
    return out, dropped


def is_footer(text: str, rules: Rules) -> bool:
    """Page furniture that goes wherever it stands (``models/rules/clean.toml``)."""
    return dropped_anywhere(text, rules) == "page number"


def dropped_anywhere(text: str, rules: Rules) -> str | None:
    """Why a line goes wherever it stands: a page number or stamp (``clean.page_furniture``) or a
    web page's navigation (``clean.web_navigation``); None for any other line."""
    t = text.strip()
    for patterns, why in ((rules.clean.page_furniture, "page number"), (rules.clean.web_navigation, "web page navigation")):
        if any(p.match(t) for p in patterns):
            return why
    return None


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold())


#: a rule drawn with characters ("=========", "-----"): layout, not text
_SEPARATOR = re.compile(r"^\s*([=\-_*~#])\1{4,}\s*$")

def drop_furniture(
    lines: list[Line],
    page_heights: list[tuple[float, float]] | None,
    rules: Rules,
) -> tuple[list[Line], list[tuple[Line, str]]]:
    """Drop page numbers and running headers/footers.

    A running header is a line in the top or bottom band of a page (10 % of
    the page height; for text input the first 8 and last 3 lines of a page)
    whose text (digits masked) recurs on at least half of the pages (and on
    two or more); or a line further in (up to a quarter of the page height)
    that recurs so at the same place (a title block printed below the top
    edge on every page).  A running *header* is kept on the first page where it
    occurs: there it is the document's own title block ("Sundheds- og
    Omsorgsudvalget / Referat / Dato: 05.11.2024"), which the header stage
    reads.  Footers go on every page (page 1's would land inside item 1).
    """
    dropped: list[tuple[Line, str]] = []
    pages = sorted({ln.page for ln in lines})
    band, top = _bands(lines, page_heights, rules) if len(pages) >= 2 else ({}, set())
    key = {id(ln): band[id(ln)] + _mask(ln.text) for ln in lines if id(ln) in band}  # masked text, at its place in the band
    # on how many pages each key stands (one pass; once per page)
    seen = Counter(k for _, k in {(ln.page, key[id(ln)]) for ln in lines if id(ln) in key})
    need = max(2, (len(pages) + 1) // 2)
    running = {k for k, n in seen.items() if n >= need and len(k) < 120}
    first_seen: dict[str, int] = {}
    for ln in lines:
        if id(ln) in top and key[id(ln)] in running:
            first_seen.setdefault(key[id(ln)], ln.page)
    kept = []
    for ln in lines:
        anywhere = dropped_anywhere(ln.text, rules)
        if anywhere:
            dropped.append((ln, anywhere))
        elif _SEPARATOR.match(ln.text):
            dropped.append((ln, "separator line"))
        elif key.get(id(ln)) in running and not (id(ln) in top and ln.page == first_seen.get(key[id(ln)])):
            dropped.append((ln, "running header/footer"))
        else:
            kept.append(ln)
    return kept, dropped


def _bands(lines: list[Line], page_heights, rules: Rules) -> tuple[dict[int, str], set[int]]:
    """Lines in the top or bottom band of their page (id -> position tag), and the ids of the top ones.

    With page geometry the band is a share of the page height and the tag is
    empty; for text the band is a number of lines and the tag is the line's
    place in it ("t2", "b0"), so that only a line standing at the same place
    on several pages counts as a running header.
    """
    edge = rules.settings.edge_band
    if page_heights:
        geo = [ln for ln in lines if ln.bbox is not None and ln.page - 1 < len(page_heights)]
        wide, play = rules.settings.placed_band, rules.settings.placed_tolerance
        band: dict[int, str] = {}
        for ln in geo:
            if _in_band(ln, page_heights, edge):
                band[id(ln)] = ""
            elif _in_band(ln, page_heights, wide):  # further in: only at the same place on every page it recurs on
                band[id(ln)] = f"y{round(ln.bbox[1] / play)}:"
        half = {id(ln) for ln in geo if ln.bbox[1] < wide * page_heights[ln.page - 1][1]}
        return band, half
    n_top, n_bottom = rules.settings.text_band_top, rules.settings.text_band_bottom
    by_page: dict[int, list[Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    band: dict[int, str] = {}
    top: set[int] = set()
    for page_lines in by_page.values():
        for i, ln in enumerate(reversed(page_lines[-n_bottom:])):
            band[id(ln)] = f"b{i}:"
        for i, ln in enumerate(page_lines[:n_top]):
            band[id(ln)] = f"t{i}:"
            top.add(id(ln))
    return band, top


def _in_band(ln: Line, page_heights, edge: float) -> bool:
    height = page_heights[ln.page - 1][1]
    return ln.bbox[1] < edge * height or ln.bbox[3] > (1 - edge) * height


def join_hyphenation(lines: list[Line], joiners: frozenset[str]) -> tuple[list[Line], int]:
    """Undo line-end hyphenation the Danish way.

    "sund-" + "hedsklyngens" -> "sundhedsklyngens"; "Data-pak-" + "kerne" ->
    "Data-pakkerne"; "p-" + "huse" and "PLO-" + "Nordjylland" keep the hyphen;
    "Ældre-" + "og Sundhedsområdet" is a suspended compound and is left alone.
    The moved word is taken off the next line, which keeps its number.
    """
    out = list(lines)
    joins = 0
    i = 0
    while i < len(out) - 1:
        cur, nxt = out[i], out[i + 1]
        m = _HYPHEN_END.search(cur.text)
        if not m or cur.table is not None or nxt.table is not None or len(cur.cells) > 1:
            i += 1
            continue
        tok = _FIRST_TOKEN.match(nxt.text)
        if not tok:
            i += 1
            continue
        first, rest = tok.group(1), tok.group(2)
        frag = m.group("frag")
        if first.casefold().strip(",.") in joiners or first[0] in "•-–":
            i += 1
            continue
        word_part = re.match(r"^[\w]+", first)
        if not word_part:
            i += 1
            continue
        keep_hyphen = (
            len(frag.split("-")[-1]) == 1  # "p-huse"
            or frag.isupper()  # "PLO-Nordjylland", "AC-fuldmægtig"
            or first[0].isupper()
            or first[0].isdigit()  # "covid-19"
        )
        joined = cur.text[:-1] + ("-" if keep_hyphen else "") + first
        out[i] = replace(cur, text=joined, cells=(joined,))
        if rest:
            out[i + 1] = replace(nxt, text=rest, cells=(rest,))
            i += 1
        else:
            del out[i + 1]
        joins += 1
    return out, joins


def split_label_cells(lines: list[Line], rules: Rules) -> list[Line]:
    """Split "Label: | value" lines (two-column header boxes; the label cell is ``clean.label_cell``) into two lines,
    and a caption glued to the entry under it (``clean.glued_caption``).

    The text form of the same box has the label on a line of its own, so this
    makes PDF and text input look alike to the segmenter.
    """
    out: list[Line] = []
    for ln in lines:
        glued = first_match(rules.clean.glued_caption, ln.text.strip())
        if glued:  # "Indholdsfortegnelse1. Fraværende": the caption, then the entry (one source line, one number)
            out.append(replace(ln, text=glued.group("caption"), cells=(glued.group("caption"),)))
            out.append(replace(ln, text=glued.group("rest"), cells=(glued.group("rest"),), gap_before=False))
            continue
        if len(ln.cells) >= 2 and first_match(rules.clean.label_cell, ln.cells[0]) and len(ln.cells[0].split()) <= 4:
            label, rest = ln.cells[0], ln.cells[1:]
            out.append(replace(ln, text=label, cells=(label,), table=None))
            value = " ".join(rest)
            out.append(replace(ln, text=value, cells=tuple(rest), gap_before=False))
        else:
            out.append(ln)
    return out


def clean(lines: list[Line], page_sizes: list[tuple[float, float]] | None, rules: Rules) -> Cleaned:
    """Loaded lines -> cleaned lines: characters normalised, page furniture dropped, hyphenation undone."""
    lines = normalise_lines(lines)
    lines, cells = drop_furniture_cells(lines, rules)
    lines, dropped = drop_furniture(lines, page_sizes, rules)
    lines = split_label_cells(lines, rules)
    lines, joins = join_hyphenation(lines, rules.clean.suspended_joiners)
    diags = []
    if cells:
        diags.append(Diagnostic("clean", "info", f"dropped {cells} cell(s) of page furniture at line ends (clean.furniture_cells)"))
    navigation = sum(1 for _, why in dropped if why == "web page navigation")
    if len(dropped) > navigation:
        diags.append(Diagnostic("clean", "info", f"dropped {len(dropped) - navigation} page header/footer line(s)"))
    if navigation:
        diags.append(Diagnostic("clean", "info", f"dropped {navigation} line(s) of web page navigation (clean.web_navigation)"))
    if joins:
        diags.append(Diagnostic("clean", "info", f"joined {joins} word(s) hyphenated across line ends"))
    return Cleaned(lines=tuple(lines), dropped=tuple(dropped), diagnostics=tuple(diags))
