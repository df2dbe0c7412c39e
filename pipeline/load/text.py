"""Text files: bytes decoded on evidence, one Line per line, form feeds between pages.

Decoding: a byte order mark names UTF-8, UTF-16 or UTF-32; UTF-16/32
without one is recognised by its zero bytes; otherwise the text is UTF-8,
unless its bytes outside ASCII are mostly not UTF-8 (then cp1252, the
Windows encoding Danish files come in).  A few bytes that are not UTF-8 in a
UTF-8 file are replaced by U+FFFD on their own lines only, and the lines are
named.  Control characters (NUL, ESC, …) carry no text and are removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..clean import INVISIBLE_MARKS
from ..records import Diagnostic, Line, Loaded
from ..pages import choose
from .loss import page_ranges, selection_notes

#: text cells are separated by at least this many spaces
TEXT_CELL_SPLIT = re.compile(r"\s{2,}|\t+")
#: byte order marks, longest first (UTF-32-LE's begins with UTF-16-LE's)
BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
#: control characters that carry no text (tab, line ends and form feed are kept)
CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
#: bytes a failed decoding leaves behind (``surrogateescape``)
UNDECODED = re.compile(r"[\udc80-\udcff]")
#: characters outside ASCII that decoded
NON_ASCII = re.compile(r"[^\x00-\x7f\udc80-\udcff]")
#: characters kept of a line list in a reason
MAX_LINES_CHARS = 60


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte order mark at the start of ``data`` names, and the mark's length."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte order mark, recognised by where its zero bytes fall.

    Text that is mostly Latin letters has a zero in every second (UTF-16) or
    in three of every four (UTF-32) bytes, all at the same offsets.
    """
    n = len(head) - len(head) % 4
    if n < 8 or head.count(0) < n // 3:
        return None
    zeros = [sum(1 for i in range(k, n, 4) if head[i] == 0) / (n // 4) for k in range(4)]
    if zeros[1] > 0.9 and zeros[2] > 0.9 and zeros[3] > 0.9 and zeros[0] < 0.5:
        return "utf-32-le"
    if zeros[0] > 0.9 and zeros[1] > 0.9 and zeros[2] > 0.9 and zeros[3] < 0.5:
        return "utf-32-be"
    if zeros[1] > 0.9 and zeros[3] > 0.9 and zeros[0] < 0.5 and zeros[2] < 0.5:
        return "utf-16-le"
    if zeros[0] > 0.9 and zeros[2] > 0.9 and zeros[1] < 0.5 and zeros[3] < 0.5:
        return "utf-16-be"
    return None


@dataclass
class Decoded:
    """Text decoded from bytes, with what the decoding had to decide or repair."""

    text: str
    encoding: str
    evidence: str = ""  # why this encoding, when it is not plain UTF-8
    bad_lines: list[int] = field(default_factory=list)  # lines with bytes that could not be decoded
    bad_bytes: int = 0
    control_lines: list[int] = field(default_factory=list)  # lines control characters were removed from

    def diagnostics(self) -> list[Diagnostic]:
        """What was decided and repaired, for ``diagnostics``."""
        out = []
        if self.evidence:
            out.append(Diagnostic("load", "info", f"text decoded as {self.encoding} ({self.evidence})"))
        if self.bad_lines:
            out.append(Diagnostic("load", "warning", f"{self.bad_bytes} byte(s) that are not {self.encoding} replaced by '\ufffd' "
                                  f"on line(s) {page_ranges(self.bad_lines, MAX_LINES_CHARS)}", line=self.bad_lines[0]))
        if self.control_lines:
            out.append(Diagnostic("load", "info", f"control characters removed on line(s) {page_ranges(self.control_lines, MAX_LINES_CHARS)}",
                                  line=self.control_lines[0]))
        return out

    def partial_reasons(self) -> list[str]:
        """Text lost to bytes that could not be decoded."""
        return [f"undecodable bytes on line(s) {page_ranges(self.bad_lines, MAX_LINES_CHARS)}"] if self.bad_lines else []


def decode(data: bytes) -> Decoded:
    """Decode a text file's bytes (see the module docstring); undecodable bytes become U+FFFD."""
    bom = bom_encoding(data)
    if bom:
        encoding, skip = bom
        return _repaired(data[skip:].decode(encoding, errors="surrogateescape"), _name(encoding), "byte order mark")
    wide = wide_encoding(data[:4096])
    if wide:
        return _repaired(data.decode(wide, errors="surrogateescape"), _name(wide), "zero bytes between the letters; no byte order mark")
    text = data.decode("utf-8", errors="surrogateescape")
    bad = len(UNDECODED.findall(text))
    if not bad:
        return _repaired(text, "UTF-8", "")
    good = len(NON_ASCII.findall(text))
    if bad > good:
        why = f"{bad} byte(s) outside ASCII are not UTF-8" + (f", {good} character(s) are" if good else ", none is")
        return _repaired(data.decode("cp1252", errors="surrogateescape"), "cp1252", why)
    return _repaired(text, "UTF-8", "")


def _name(codec: str) -> str:
    return codec.upper().replace("-LE", " (little-endian)").replace("-BE", " (big-endian)")


def _repaired(text: str, encoding: str, evidence: str) -> Decoded:
    """Undecoded bytes replaced by U+FFFD and control characters removed, the lines of both noted."""
    decoded = Decoded(text, encoding, evidence)
    if not UNDECODED.search(text) and not CONTROLS.search(text):
        return decoded
    for _, no, raw in numbered_lines(text):
        if UNDECODED.search(raw):
            decoded.bad_lines.append(no)
            decoded.bad_bytes += len(UNDECODED.findall(raw))
        if CONTROLS.search(raw):
            decoded.control_lines.append(no)
    decoded.text = CONTROLS.sub("", UNDECODED.sub("\ufffd", text))
    return decoded


def decode_text(data: bytes) -> str:
    """The text of a file's bytes (``decode`` without its notes)."""
    return decode(data).text


def numbered_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(page, line number, raw line) for every line; a form feed starts a new page.

    The numbering is the one ``Line.no`` carries: lines counted from 1 through
    the whole file, blank ones included.
    """
    no = 0
    for page, page_text in enumerate(text.split("\f"), start=1):
        for raw in page_text.splitlines():
            no += 1
            yield page, no, raw


def text_to_lines(text: str) -> tuple[list[Line], int]:
    """Split text into Lines; a form feed starts a new page.

    A line with nothing visible (spaces, or invisible marks only) is blank.
    """
    lines: list[Line] = []
    gap = False
    for page, no, raw in numbered_lines(text):
        stripped = raw.strip()
        if not stripped.strip(INVISIBLE_MARKS).strip():
            gap = True
            continue
        cells = tuple(c for c in TEXT_CELL_SPLIT.split(stripped) if c)
        lines.append(Line(text=stripped, page=page, no=no, cells=cells, gap_before=gap))
        gap = False
    return lines, text.count("\f") + 1


def load_text(path: Path, pages: tuple[int, ...] | None = None) -> Loaded:
    """A text file as Lines, with notes on how it was decoded; only the lines of ``pages``
    (form-feed separated, numbered from 1) when a selection is given, with their own page and line numbers."""
    decoded = decode(path.read_bytes())
    lines, n_pages = text_to_lines(decoded.text)
    n_pages = max(n_pages, 1)
    chosen, missing = choose(pages, n_pages)
    notes = selection_notes(pages, chosen, missing, n_pages)
    if pages is not None:
        keep = set(chosen)
        lines = [ln for ln in lines if ln.page in keep]
    return Loaded(lines=lines, pages=n_pages, extractor="text", diagnostics=decoded.diagnostics() + notes,
                  partial_reasons=decoded.partial_reasons())
