"""Damaged variants of the sample PDFs and texts, made deterministically from a seed.

``variants(sources, count, seed)`` cycles through the kinds of damage below
(a kind that does not apply to a source, or that yields bytes already made,
is skipped) and returns ``count`` distinct variants.  Used by
tests/test_mutations.py (a few dozen) and benchmarks/mutation_campaign.py
(hundreds).  Nothing here reads the pipeline: the oracle is the undamaged
document's tables.

PDF damage: byte flips, a changed byte inside a page's compressed content,
an unknown filter name, truncation, deleted ranges, a broken cross-reference
table or trailer, wrong stream lengths, /Parent and /Kids loops, a huge
/Count and MediaBox, a Flate bomb, deep nesting, many text objects, an
unknown font encoding.  Text damage: other encodings (UTF-16/32 with or
without a byte order mark, cp1252, Latin-1 where they hold the text), other
line ends, invisible marks (bidi and zero-width), stray bytes.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import random
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pikepdf
import pyarrow.parquet as pq

#: the bomb's decompressed size in the campaign (bytes)
BOMB_BYTES = 1 << 30
#: text objects added to a page
MANY_TEXT_OBJECTS = 200_000
#: depth of the nested array
DEEP = 100_000


@dataclass(frozen=True)
class Variant:
    name: str  # file name: <source stem>.<kind>.<n>.<suffix>
    source: Path
    kind: str
    data: bytes


# --- reading a PDF's layout (raw bytes, as reportlab writes them) ----------------------

_OBJ = re.compile(rb"(\d+) 0 obj\s*<<")
_STREAM = re.compile(rb">>\s*stream\r?\n")


def objects(data: bytes) -> dict[int, tuple[int, int]]:
    """Object number -> (start of its dictionary, end of the object), from the raw bytes."""
    out = {}
    for m in _OBJ.finditer(data):
        end = data.find(b"endobj", m.end())
        if end > 0:
            out[int(m.group(1))] = (m.start(), end)
    return out


def stream_span(data: bytes, start: int, end: int) -> tuple[int, int] | None:
    """Where the stream data of the object at ``start``..``end`` lies, or None."""
    m = _STREAM.search(data, start, end)
    if not m:
        return None
    stop = data.rfind(b"endstream", m.end(), end)
    return (m.end(), stop) if stop > m.end() else None


def content_objects(data: bytes) -> list[int]:
    """Object numbers of page content streams (``/Contents N 0 R`` in a page dictionary)."""
    return sorted({int(n) for n in re.findall(rb"/Contents (\d+) 0 R", data)})


def page_objects(data: bytes) -> list[int]:
    objs = objects(data)
    return [n for n, (s, e) in objs.items() if re.search(rb"/Type /Page\b(?!s)", data[s:e])]


def pages_object(data: bytes) -> int | None:
    m = re.search(rb"/Pages (\d+) 0 R", data)
    return int(m.group(1)) if m else None


def _replace(data: bytes, at: int, old: bytes, new: bytes) -> bytes:
    """``old`` at ``at`` replaced by ``new``, padded with spaces to ``old``'s length where it is
    shorter (offsets, and so the xref table, stay right)."""
    return data[:at] + new + b" " * max(0, len(old) - len(new)) + data[at + len(old):]


def _pikepdf_edit(data: bytes, edit: Callable) -> bytes | None:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            edit(pdf)
            buf = io.BytesIO()
            pdf.save(buf, compress_streams=False, deterministic_id=True)
        return buf.getvalue()
    except Exception:  # noqa: BLE001 - the edit does not apply to this file
        return None


# --- PDF damage ------------------------------------------------------------------------


def byte_flips(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(out))
        out[i] ^= rng.randrange(1, 256)
    return bytes(out)


def change_content_byte(data: bytes, page: int, at: float = 0.5, step: int = 1) -> bytes | None:
    """The byte at share ``at`` of page ``page``'s (0-based) content stream changed to another
    ASCII85 digit (``step`` digits on), so the compressed data under it is damaged."""
    objs = objects(data)
    contents = content_objects(data)
    if page >= len(contents) or contents[page] not in objs:
        return None
    span = stream_span(data, *objs[contents[page]])
    if not span:
        return None
    a, b = span
    i = a + int((b - a) * at)
    old = data[i]
    new = 33 + (old - 33 + step) % 85 if 33 <= old <= 117 else old ^ 0x20
    return data[:i] + bytes([new]) + data[i + 1:]


def content_byte(data: bytes, rng: random.Random) -> bytes | None:
    """One byte in the middle of a page's compressed content stream changed."""
    return change_content_byte(data, rng.randrange(max(1, len(content_objects(data)))), rng.uniform(0.25, 0.75), rng.randint(1, 80))


def rename_filter(data: bytes, page: int, which: bytes = b"FlateDecode") -> bytes | None:
    """Page ``page``'s (0-based) content stream filter ``which`` renamed to a name no reader knows."""
    objs = objects(data)
    contents = content_objects(data)
    if page >= len(contents) or contents[page] not in objs:
        return None
    s, e = objs[contents[page]]
    m = re.search(rb"/" + which, data[s:e])
    if not m:
        return None
    return _replace(data, s + m.start(), m.group(0), m.group(0)[:-3] + b"Xyz")


def unknown_filter(data: bytes, rng: random.Random) -> bytes | None:
    """One content stream's filter name changed to a name no reader knows."""
    return rename_filter(data, rng.randrange(max(1, len(content_objects(data)))), rng.choice([b"FlateDecode", b"ASCII85Decode"]))


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: int(len(data) * rng.uniform(0.05, 0.98))]


def delete_range(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randint(1, 2000):]


def broken_xref(data: bytes, rng: random.Random) -> bytes | None:
    """The cross-reference table's offsets or the startxref number garbled."""
    at = data.rfind(b"xref")
    if at < 0:
        return None
    if rng.random() < 0.5:
        m = re.search(rb"startxref\s+(\d+)", data[at:])
        if not m:
            return None
        i = at + m.start(1)
        return data[:i] + str(rng.randrange(len(data))).encode() + data[at + m.end(1):]
    out = bytearray(data)
    end = data.find(b"trailer", at)
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(at, end if end > at else len(data))
        if 48 <= out[i] <= 57:
            out[i] = 48 + (out[i] - 48 + rng.randint(1, 9)) % 10
    return bytes(out)


def broken_trailer(data: bytes, rng: random.Random) -> bytes | None:
    at = data.rfind(b"trailer")
    if at < 0:
        return None
    choice = rng.randrange(3)
    if choice == 0:
        return data[:at] + data[at:].replace(b"/Root", b"/Rxxt", 1)
    if choice == 1:
        return data[:at] + data[at:].replace(b"/Size", b"/Sxze", 1).replace(b"/Info", b"/Ixfo", 1)
    end = data.find(b">>", at)
    return data[:at] + data[end + 2:] if end > 0 else None


def wrong_length(data: bytes, rng: random.Random) -> bytes | None:
    lengths = list(re.finditer(rb"/Length (\d+)", data))
    if not lengths:
        return None
    m = rng.choice(lengths)
    n = int(m.group(1))
    new = max(0, n + rng.choice([-1, 1]) * rng.randint(1, max(1, n // 2)))
    return data[: m.start(1)] + str(new).encode() + data[m.end(1):]


def parent_loop(data: bytes, rng: random.Random) -> bytes | None:
    """A page's /Parent points at the page itself, or /Kids holds the page tree's own root."""
    pages = page_objects(data)
    root = pages_object(data)
    if not pages or root is None:
        return None
    if rng.random() < 0.5:
        page = rng.choice(pages)
        s, e = objects(data)[page]
        m = re.search(rb"/Parent (\d+ 0 R)", data[s:e])
        if not m:
            return None
        return _replace(data, s + m.start(1), m.group(1), b"%d 0 R" % page)
    s, e = objects(data)[root]
    m = re.search(rb"/Kids \[ (\d+ 0 R)", data[s:e])
    if not m:
        return None
    return _replace(data, s + m.start(1), m.group(1), b"%d 0 R" % root)


def huge_count(data: bytes, rng: random.Random) -> bytes | None:
    def edit(pdf):
        pdf.Root.Pages.Count = rng.choice([2**31 - 1, 2**63 - 1, rng.randrange(10**6, 10**15)])

    return _pikepdf_edit(data, edit)


def huge_mediabox(data: bytes, rng: random.Random) -> bytes | None:
    def edit(pdf):
        page = pdf.pages[rng.randrange(len(pdf.pages))]
        big = rng.choice([3.4e38, float(10 ** rng.randint(5, 30))])
        page.obj.MediaBox = pikepdf.Array([0, 0, big, big])

    return _pikepdf_edit(data, edit)


@lru_cache(maxsize=4)
def _bomb_stream(size: int) -> bytes:
    """Flate data that decompresses to ``size`` spaces (made in pieces: little memory)."""
    z = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    parts = [z.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + z.flush()


def flate_bomb(data: bytes, rng: random.Random, size: int = BOMB_BYTES) -> bytes | None:
    bomb = _bomb_stream(size)

    def edit(pdf):
        page = pdf.pages[rng.randrange(len(pdf.pages))]
        stream = pikepdf.Stream(pdf, bomb)
        stream.Filter = pikepdf.Name.FlateDecode
        parts = [page.obj.Contents, stream]
        page.obj.Contents = pikepdf.Array(parts if rng.random() < 0.5 else parts[::-1])

    return _pikepdf_edit(data, edit)


def deep_nesting(data: bytes, rng: random.Random, depth: int = DEEP) -> bytes | None:
    """An array nested about ``depth`` deep (half to one and a half times): in a page's dictionary, or in its content stream."""
    pages = page_objects(data)
    if not pages:
        return None
    s, e = objects(data)[rng.choice(pages)]
    depth = rng.randint(depth // 2, depth * 3 // 2)
    nest = b"[" * depth + b"]" * depth
    if rng.random() < 0.5:
        at = data.index(b"<<", s) + 2
        return data[:at] + b" /Deep " + nest + data[at:]
    def edit(pdf):
        page = pdf.pages[rng.randrange(len(pdf.pages))]
        page.contents_add(pikepdf.Stream(pdf, nest + b" pop\n"), prepend=False)

    return _pikepdf_edit(data, edit)


def many_text_objects(data: bytes, rng: random.Random, count: int = MANY_TEXT_OBJECTS) -> bytes | None:
    """Empty text objects (nothing drawn) added to one page."""
    body = b"BT /F1 10 Tf 72 72 Td () Tj ET\n" * count

    def edit(pdf):
        page = pdf.pages[rng.randrange(len(pdf.pages))]
        page.contents_add(pikepdf.Stream(pdf, body), prepend=rng.random() < 0.5)

    return _pikepdf_edit(data, edit)


def font_encoding(data: bytes, rng: random.Random) -> bytes | None:
    """A font's /Encoding swapped for a name no reader knows.

    (Not for another valid encoding: that makes a different, valid document
    whose text no reader can tell from the author's.)
    """
    hits = list(re.finditer(rb"/Encoding /WinAnsiEncoding", data))
    if not hits:
        return None
    m = rng.choice(hits)
    new = b"/Encoding /" + rng.choice([b"NoSuchEncoding", b"WinAnsiEncodinX", b"X"])
    return _replace(data, m.start(), m.group(0), new)


PDF_KINDS: dict[str, Callable] = {
    "flip": byte_flips,
    "content-byte": content_byte,
    "unknown-filter": unknown_filter,
    "truncate": truncate,
    "delete": delete_range,
    "xref": broken_xref,
    "trailer": broken_trailer,
    "length": wrong_length,
    "loop": parent_loop,
    "count": huge_count,
    "mediabox": huge_mediabox,
    "bomb": flate_bomb,
    "nesting": deep_nesting,
    "text-objects": many_text_objects,
    "font-encoding": font_encoding,
}

# --- text damage -----------------------------------------------------------------------

INVISIBLE = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
             "\u2069", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


def other_encoding(data: bytes, rng: random.Random) -> bytes | None:
    """The text in another encoding that can hold all of it (a lossy one would change the text itself)."""
    text = data.decode("utf-8")
    codec = rng.choice(["utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le", "utf-32", "utf-8-sig", "cp1252", "latin-1"])
    try:
        if codec == "utf-16-le-bom":
            return b"\xff\xfe" + text.encode("utf-16-le")
        if codec == "utf-16-be-bom":
            return b"\xfe\xff" + text.encode("utf-16-be")
        return text.encode(codec)
    except UnicodeEncodeError:
        return None


def line_ends(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"\n", rng.choice([b"\r\n", b"\r"]))


def invisible_marks(data: bytes, rng: random.Random) -> bytes:
    """Bidi and zero-width marks at line ends, inside words and around names."""
    lines = data.decode("utf-8").split("\n")
    for _ in range(rng.randint(3, 40)):
        i = rng.randrange(len(lines))
        mark = rng.choice(INVISIBLE)
        where = rng.random()
        line = lines[i]
        if where < 0.4 or not line:
            lines[i] = line + mark
        elif where < 0.7:
            lines[i] = mark + line
        else:
            j = rng.randrange(len(line))
            lines[i] = line[:j] + mark + line[j:]
    return "\n".join(lines).encode("utf-8")


def stray_bytes(data: bytes, rng: random.Random) -> bytes:
    """A few bytes that are no UTF-8 (or control bytes) put into the text."""
    out = data
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(out))
        while i < len(out) and out[i] >= 0x80:  # not inside a multi-byte character
            i += 1
        out = out[:i] + bytes([rng.choice([0xFF, 0xFE, 0x80, 0xC3, 0x00, 0x1B])]) + out[i:]
    return out


TEXT_KINDS: dict[str, Callable] = {
    "encoding": other_encoding,
    "line-ends": line_ends,
    "invisible": invisible_marks,
    "stray": stray_bytes,
}


#: one variant in this many is made from a text (the rest from PDFs)
TEXT_SHARE = 4
#: draws of one slot (source, kind) before it is given up (the damage did not apply, or made bytes already made)
TRIES = 8


def _slots(sources: list[Path], kinds: list[str] | None) -> Iterator[tuple[Path, str]]:
    """(source, kind) without end: every kind on the first source, then every kind on the next, …;
    PDF and text slots interleaved, one text slot in ``TEXT_SHARE``."""
    def stream(files: list[Path], table: dict) -> Iterator[tuple[Path, str]]:
        names = [k for k in table if kinds is None or k in kinds]
        if not files or not names:
            return
        for i in itertools.count():
            yield files[(i // len(names)) % len(files)], names[i % len(names)]

    pdfs = stream([p for p in sources if p.suffix == ".pdf"], PDF_KINDS)
    texts = stream([p for p in sources if p.suffix != ".pdf"], TEXT_KINDS)
    for j in itertools.count():
        first, second = (texts, pdfs) if j % TEXT_SHARE == TEXT_SHARE - 1 else (pdfs, texts)
        slot = next(first, None) or next(second, None)
        if slot is None:
            return
        yield slot


def variants(sources: list[Path], count: int, seed: int = 20261201, kinds: list[str] | None = None,
             bomb_bytes: int = BOMB_BYTES, text_objects: int = MANY_TEXT_OBJECTS) -> list[Variant]:
    """``count`` distinct damaged variants of ``sources`` (PDF and text), the same for the same seed.

    A smaller ``count`` gives the first variants of a larger one.
    """
    rng = random.Random(seed)
    originals = {p: p.read_bytes() for p in sources}
    seen = {hashlib.sha256(d).digest() for d in originals.values()}
    out: list[Variant] = []
    for source, kind in itertools.islice(_slots(sources, kinds), 4 * count):
        if len(out) >= count:
            break
        fn = (PDF_KINDS if source.suffix == ".pdf" else TEXT_KINDS)[kind]
        for _ in range(TRIES):
            sub = random.Random(rng.getrandbits(64))
            if fn is flate_bomb:
                data = fn(originals[source], sub, size=bomb_bytes)
            elif fn is many_text_objects:
                data = fn(originals[source], sub, count=text_objects)
            else:
                data = fn(originals[source], sub)
            if data and hashlib.sha256(data).digest() not in seen:
                seen.add(hashlib.sha256(data).digest())
                out.append(Variant(f"{source.stem}.{kind}.{len(out):04d}{source.suffix}", source, kind, data))
                break
    return out


# --- the oracle: a variant's tables against the undamaged document's ------------------------

#: the tables compared (documents and diagnostics describe the file, not its content)
CONTENT_TABLES = ("meetings", "people", "agenda_items", "decisions", "amounts", "mentions", "votes")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_rows(rows: list[dict]) -> list[str]:
    """Rows as sorted comparable strings, without ``doc_id`` (what differs between two files of one content)."""
    return sorted(repr(sorted((k, _plain(v)) for k, v in r.items() if k != "doc_id")) for r in rows)


def _plain(value):
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, float) and value != value:  # NaN: a missing number
        return None
    return value


def dataset_by_doc(out: Path) -> dict[str, dict[str, list]]:
    """doc_id -> {table: canonical rows} for every table of a dataset (``documents`` rows kept as dicts)."""
    by_doc: dict[str, dict[str, list]] = {}
    for table in ("documents",) + CONTENT_TABLES:
        for part in sorted((out / table).glob("*.parquet")):
            for row in pq.read_table(part).to_pylist():
                by_doc.setdefault(row["doc_id"], {}).setdefault(table, []).append(row)
    return by_doc


def classify(by_doc: dict[str, dict[str, list]], variant_data: bytes, reference_data: bytes) -> tuple[str, str]:
    """One variant's outcome: (category, detail).

    Categories: ok-equal, ok-changed (every table is not the undamaged
    document's, yet status ok), partial, failed, missing (no documents row),
    duplicated (more than one).
    """
    got = by_doc.get(digest(variant_data), {})
    docs = got.get("documents", [])
    if not docs:
        return "missing", ""
    if len(docs) > 1:
        return "duplicated", f"{len(docs)} rows"
    doc = docs[0]
    if doc["status"] != "ok":
        return doc["status"], doc["error"] or ""
    ref = by_doc.get(digest(reference_data), {})
    changed = [t for t in CONTENT_TABLES if canonical_rows(got.get(t, [])) != canonical_rows(ref.get(t, []))]
    if changed:
        return "ok-changed", ", ".join(f"{t} {len(ref.get(t, []))}→{len(got.get(t, []))}" for t in changed)
    return "ok-equal", ""
