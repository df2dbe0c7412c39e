"""Text files: decoded on evidence, damage confined to its lines, invisible marks removed."""

from __future__ import annotations

import pytest

from conftest import RAW
from mutations import CONTENT_TABLES, canonical_rows
from pipeline.load import decode, load, sniff
from pipeline.parse import parse_document

SAMPLE = RAW / "politisk_sundhedsklynge_syd_2022-11-07.txt"
TEXT = SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reference():
    parsed = parse_document(SAMPLE, model="blank")
    assert parsed.status == "ok" and len(parsed.rows["people"]) == 25
    return {t: canonical_rows(parsed.rows[t]) for t in CONTENT_TABLES}


def _parse_bytes(tmp_path, data: bytes, name: str = "referat.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return parse_document(path, model="blank")


def _tables(parsed) -> dict:
    return {t: canonical_rows(parsed.rows[t]) for t in CONTENT_TABLES}


def _load_messages(parsed) -> list[str]:
    return [d["message"] for d in parsed.rows["diagnostics"] if d["stage"] == "load"]


@pytest.mark.parametrize("data, encoding", [
    (b"\xff\xfe" + TEXT.encode("utf-16-le"), "UTF-16 (little-endian) (byte order mark)"),
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "UTF-16 (big-endian) (byte order mark)"),
    (TEXT.encode("utf-32"), "UTF-32 (little-endian) (byte order mark)"),
    (TEXT.encode("utf-16-le"), "UTF-16 (little-endian) (zero bytes between the letters; no byte order mark)"),
], ids=["utf-16-le-bom", "utf-16-be-bom", "utf-32-bom", "utf-16-le-no-bom"])
def test_utf16_and_utf32_are_text(tmp_path, reference, data, encoding):
    parsed = _parse_bytes(tmp_path, data)
    assert parsed.status == "ok"
    assert _tables(parsed) == reference
    assert f"text decoded as {encoding}" in _load_messages(parsed)


def test_a_stray_byte_damages_its_line_only(tmp_path, reference):
    """Issue 18: one \\xff made the whole file cp1252 (people 25 -> 7, names garbled, no diagnostic)."""
    lines = TEXT.split("\n")
    lines[0] = lines[0] + "\udcff"  # placeholder for the byte, put in below
    data = "\n".join(lines).encode("utf-8", errors="surrogateescape")
    assert data.count(b"\xff") == 1
    parsed = _parse_bytes(tmp_path, data)
    assert parsed.status == "partial"
    assert parsed.rows["documents"][0]["error"] == "undecodable bytes on line(s) 1"
    assert "1 byte(s) that are not UTF-8 replaced by '\ufffd' on line(s) 1" in _load_messages(parsed)
    tables = _tables(parsed)
    assert tables["people"] == reference["people"] and tables["agenda_items"] == reference["agenda_items"]


def test_a_cp1252_file_is_read_as_cp1252_and_says_so(tmp_path, reference):
    parsed = _parse_bytes(tmp_path, TEXT.encode("cp1252"))
    assert parsed.status == "ok"
    assert _tables(parsed) == reference
    [said] = [m for m in _load_messages(parsed) if m.startswith("text decoded as")]
    assert said.startswith("text decoded as cp1252 (") and "are not UTF-8, none is)" in said


def test_the_encoding_follows_the_evidence():
    danish = "Mødet blev holdt på rådhuset; Søren Ærø og Åse Øberg deltog.\n" * 20
    # UTF-8 with three stray bytes: UTF-8, the three lines named
    data = bytearray(danish.encode("utf-8"))
    for at in (5, 300, 900):
        data[at:at] = b"\x9d"
    decoded = decode(bytes(data))
    assert decoded.encoding == "UTF-8" and decoded.bad_bytes == 3 and len(decoded.bad_lines) == 3
    assert decoded.text.replace("\ufffd", "") == danish
    # cp1252 with one pair of bytes that happens to be valid UTF-8 ("Ã¸"): cp1252
    data = danish.encode("cp1252") + "Ã¸\n".encode("cp1252")
    decoded = decode(data)
    assert decoded.encoding == "cp1252" and decoded.text == danish + "Ã¸\n" and not decoded.bad_lines


def test_bidi_and_zero_width_marks_are_removed(tmp_path, reference):
    """Issue 18: left-to-right marks at line ends gave 0 people, silently."""
    marked = "\n".join(line + "\u200e" for line in TEXT.split("\n"))
    marked = marked.replace("Anne", "\u2066An\u200bne\u2069").replace("Udvalget", "Udval\u00adget\u2060")
    parsed = _parse_bytes(tmp_path, marked.encode("utf-8"))
    assert parsed.status == "ok"
    assert _tables(parsed) == reference


def test_control_characters_are_removed_and_named(tmp_path, reference):
    lines = TEXT.split("\n")
    lines[40] = lines[40][:3] + "\x00" + lines[40][3:]
    lines[41] = "\x1b" + lines[41]
    parsed = _parse_bytes(tmp_path, "\n".join(lines).encode("utf-8"))
    assert _tables(parsed) == reference
    assert "control characters removed on line(s) 41-42" in _load_messages(parsed)


def test_binary_is_still_refused(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(Exception, match="binary file that is neither PDF nor text"):
        sniff(path)


def test_plain_utf8_has_no_decoding_notes():
    loaded = load(SAMPLE)
    assert loaded.diagnostics == [] and loaded.partial_reasons == []
