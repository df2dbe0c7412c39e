"""Stage 2, clean: normalise characters, drop page furniture, undo hyphenation.

Each function takes and returns a list of Lines and never renumbers them, so
provenance survives.  What was dropped is returned so it can be shown.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from .records import Diagnostic, Line

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
        **dict.fromkeys(INVISIBLE_MARKS, ""),
    }
)

#: page furniture that is dropped wherever it stands ("Side 4 af 5", "2/4", "- 3 -")
FOOTER_PATTERNS = [
    re.compile(r"^side\s+\d+\s*(af|/)\s*\d+$", re.I),
    re.compile(r"^side\s+\d+$", re.I),
    re.compile(r"^page\s+\d+\s*(of|/)\s*\d+$", re.I),
    re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$"),
    re.compile(r"^[-–]\s*\d{1,3}\s*[-–]$"),
]

#: share of the page height at the top and bottom where running headers live
EDGE_BAND = 0.1
#: words that continue a suspended compound ("Ældre- og Sundhedsområdet")
SUSPENDED_JOINERS = {"og", "eller", "samt", "til", "som", "&", "plus"}
_HYPHEN_END = re.compile(r"(?P<frag>[^\s-]*[^\W\d_])[-\u00ad]$")
_FIRST_TOKEN = re.compile(r"^(\S+)\s*(.*)$")


@dataclass(slots=True)
class Cleaned:
    lines: list[Line]
    dropped: list[tuple[Line, str]] = field(default_factory=list)  # (line, reason)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    hyphen_joins: int = 0


_MD_PREFIX = re.compile(r"^(?:>\s*)+|^#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


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


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    """Sentences and list rows of a block of text, wrapped lines joined first (empty pieces dropped)."""
    return [s for s in _SENTENCE_BREAK.split(join_wrapped(text)) if s.strip()]


def normalise_lines(lines: list[Line]) -> list[Line]:
    out = []
    for ln in lines:
        text = normalise_text(ln.text)
        if not text:
            continue
        cells = tuple(c for c in (normalise_text(c) for c in ln.cells) if c) or (text,)
        if text != ln.text or cells != ln.cells:
            ln = replace(ln, text=text, cells=cells)
        out.append(ln)
    return out


def is_footer(text: str, extra: list[re.Pattern] | None = None) -> bool:
    t = text.strip()
    return any(p.match(t) for p in FOOTER_PATTERNS) or any(p.match(t) for p in (extra or []))


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold())


#: a rule drawn with characters ("=========", "-----"): layout, not text
_SEPARATOR = re.compile(r"^\s*([=\-_*~#])\1{4,}\s*$")

#: without page geometry (text input with form feeds), the band is this many lines at the top and bottom
TEXT_BAND_LINES = (8, 3)


def drop_furniture(
    lines: list[Line],
    page_heights: list[tuple[float, float]] | None = None,
    extra_patterns: list[re.Pattern] | None = None,
) -> tuple[list[Line], list[tuple[Line, str]]]:
    """Drop page numbers and running headers/footers.

    A running header is a line in the top or bottom band of a page (10 % of
    the page height; for text input the first 8 and last 3 lines of a page)
    whose text (digits masked) recurs on at least half of the pages (and on
    two or more).  A running *header* is kept on the first page where it
    occurs: there it is the document's own title block ("Sundheds- og
    Omsorgsudvalget / Referat / Dato: 05.11.2024"), which the header stage
    reads.  Footers go on every page (page 1's would land inside item 1).
    """
    dropped: list[tuple[Line, str]] = []
    pages = sorted({ln.page for ln in lines})
    band, top = _bands(lines, page_heights) if len(pages) >= 2 else ({}, set())
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
        if is_footer(ln.text, extra_patterns):
            dropped.append((ln, "page number"))
        elif _SEPARATOR.match(ln.text):
            dropped.append((ln, "separator line"))
        elif key.get(id(ln)) in running and not (id(ln) in top and ln.page == first_seen.get(key[id(ln)])):
            dropped.append((ln, "running header/footer"))
        else:
            kept.append(ln)
    return kept, dropped


def _bands(lines: list[Line], page_heights) -> tuple[dict[int, str], set[int]]:
    """Lines in the top or bottom band of their page (id -> position tag), and the ids of the top ones.

    With page geometry the band is a share of the page height and the tag is
    empty; for text the band is a number of lines and the tag is the line's
    place in it ("t2", "b0"), so that only a line standing at the same place
    on several pages counts as a running header.
    """
    if page_heights:
        geo = [ln for ln in lines if ln.bbox is not None and ln.page - 1 < len(page_heights)]
        return ({id(ln): "" for ln in geo if _in_band(ln, page_heights)},
                {id(ln) for ln in geo if ln.bbox[1] < EDGE_BAND * page_heights[ln.page - 1][1]})
    n_top, n_bottom = TEXT_BAND_LINES
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


def _in_band(ln: Line, page_heights) -> bool:
    height = page_heights[ln.page - 1][1]
    return ln.bbox[1] < EDGE_BAND * height or ln.bbox[3] > (1 - EDGE_BAND) * height


def join_hyphenation(lines: list[Line]) -> tuple[list[Line], int]:
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
        if first.casefold().strip(",.") in SUSPENDED_JOINERS or first[0] in "•-–":
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


#: a first cell like "Emne:" or "Tid og sted:" followed by its value in the next cell
_LABEL_CELL = re.compile(r"^[A-ZÆØÅ][\wæøåÆØÅ .\-/]{0,30}:$")


def split_label_cells(lines: list[Line]) -> list[Line]:
    """Split "Label: | value" lines (two-column header boxes) into two lines.

    The text form of the same box has the label on a line of its own, so this
    makes PDF and text input look alike to the segmenter.
    """
    out: list[Line] = []
    for ln in lines:
        if len(ln.cells) >= 2 and _LABEL_CELL.match(ln.cells[0]) and len(ln.cells[0].split()) <= 4:
            label, rest = ln.cells[0], ln.cells[1:]
            out.append(replace(ln, text=label, cells=(label,), table=None))
            value = " ".join(rest)
            out.append(replace(ln, text=value, cells=tuple(rest), gap_before=False))
        else:
            out.append(ln)
    return out


def clean(
    lines: list[Line],
    page_sizes: list[tuple[float, float]] | None = None,
    footer_patterns: list[re.Pattern] | None = None,
) -> Cleaned:
    lines = normalise_lines(lines)
    lines, dropped = drop_furniture(lines, page_sizes, footer_patterns)
    lines = split_label_cells(lines)
    lines, joins = join_hyphenation(lines)
    diags = []
    if dropped:
        diags.append(Diagnostic("clean", "info", f"dropped {len(dropped)} page header/footer line(s)"))
    if joins:
        diags.append(Diagnostic("clean", "info", f"joined {joins} word(s) hyphenated across line ends"))
    return Cleaned(lines=lines, dropped=dropped, diagnostics=diags, hyphen_joins=joins)
