"""Loss detection in load: damaged PDFs never come back ``ok`` with text missing.

Each damaged file is made from a sample PDF by one small, deterministic edit
(tests/mutations.py); the undamaged sample is the reference.
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pikepdf
import pytest
from reportlab.lib.pdfencrypt import StandardEncryption

import mutations
from badfiles import text_pdf
import pipeline.load as load_package
import pipeline.load.pdf as pdf_module
from conftest import CORPUS, RAW, ROOT
from pipeline.load import LoadError, load
from pipeline.load.capture import MAX_MESSAGES, Captured
from pipeline.parse import parse_document

STYREGRUPPE = RAW / "styregruppe_klynge_syd_2022-05-06.pdf"
POLITISK = RAW / "politisk_sundhedsklynge_syd_2022-11-07.pdf"


def _damaged(tmp_path: Path, source: Path, edit, name: str = "damaged.pdf") -> Path:
    data = edit(source.read_bytes())
    assert data and data != source.read_bytes()
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _load_errors(parsed, page: int | None = None) -> list[str]:
    return [d["message"] for d in parsed.rows["diagnostics"]
            if d["stage"] == "load" and d["severity"] == "error" and (page is None or d["page"] == page)]


def test_unknown_filter_on_a_content_stream_makes_the_document_partial(tmp_path):
    """Issue 18: people 17 -> 0 with an error diagnostic, and still status ok."""
    path = _damaged(tmp_path, STYREGRUPPE, lambda d: mutations.rename_filter(d, page=0))
    parsed = parse_document(path, model="blank")
    assert parsed.status == "partial"
    # page 1 held the header: the date is lost with it, and said so too
    assert parsed.rows["documents"][0]["error"].split("; ") == ["page(s) 1 could not be read", "no meeting date found"]
    [message] = _load_errors(parsed, page=1)
    assert message.startswith("page 1 could not be read: its compressed content is damaged or in an unsupported format (")


def test_a_changed_byte_early_in_compressed_content_makes_the_document_partial(tmp_path):
    """Issue 18: people 17 -> 0, items 8 -> 6, no diagnostic at all, status ok.

    pdfminer turns a Flate stream damaged near its start into no data, silently."""
    path = _damaged(tmp_path, STYREGRUPPE, lambda d: mutations.change_content_byte(d, page=0, at=0.05))
    parsed = parse_document(path, model="blank")
    assert parsed.status == "partial"
    assert "damaged content on page(s) 1" in parsed.rows["documents"][0]["error"]
    assert "page 1: 1 compressed content stream(s) damaged (they do not decompress to their end): text there is lost" in _load_errors(parsed, 1)


def test_a_compressed_stream_cut_short_at_its_end_is_named(tmp_path):
    """The last bytes of page 4's stream deleted: pdfminer and PDFium both read what is left, silently."""
    def cut_end(data: bytes) -> bytes:
        start, end = mutations.stream_span(data, *mutations.objects(data)[mutations.content_objects(data)[3]])
        return data[:end - 300] + data[end - 2:]  # keep the "~>" that ends the ASCII85 layer

    loaded = load(_damaged(tmp_path, POLITISK, cut_end))
    assert loaded.partial_reasons == ["damaged content on page(s) 4"]
    assert [d.message for d in loaded.diagnostics if d.severity == "error"] == [
        "page 4: 1 compressed content stream(s) cut short (they do not decompress to their end): text there is lost"]


def test_a_changed_byte_mid_stream_is_reported_from_pdfminers_warning(tmp_path):
    """The damage pdfminer works around ("Data-loss while decompressing") names the page."""
    path = _damaged(tmp_path, STYREGRUPPE, lambda d: mutations.change_content_byte(d, page=0, at=0.5))
    parsed = parse_document(path, model="blank")
    assert parsed.status == "partial"
    assert any("Data-loss while decompressing corrupted data" in m for m in _load_errors(parsed, page=1))


def test_library_warnings_are_captured_never_printed(tmp_path):
    path = _damaged(tmp_path, STYREGRUPPE, lambda d: mutations.change_content_byte(d, page=0, at=0.5))
    code = ("import sys; from pathlib import Path; from pipeline.load import load; "
            "loaded = load(Path(sys.argv[1])); print(loaded.partial_reasons)")
    r = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # without the capture, pdfminer's warning goes here
    assert "damaged content on page(s) 1" in r.stdout


def test_a_page_shorter_than_the_second_reading_is_named(tmp_path):
    """An uncompressed content stream whose /Length is cut in half: pdfminer reads half the page,
    PDFium (which looks for "endstream") all of it; nothing is logged, no compressed data is damaged."""
    def uncompressed_half_length(data: bytes) -> bytes:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            contents = pdf.pages[2].obj.Contents
            contents.write(contents.read_bytes())  # stored without filters
            buf = io.BytesIO()
            pdf.save(buf, compress_streams=False)
        out = buf.getvalue()
        n = len(contents.read_bytes())
        old = b"/Length %d" % n
        assert out.count(old) == 1
        return out.replace(old, (b"/Length %d" % (n // 2)).ljust(len(old)))

    path = _damaged(tmp_path, STYREGRUPPE, uncompressed_half_length)
    loaded = load(path)
    assert loaded.partial_reasons == ["text missing on page(s) 3 (a second reading found more)"]
    [finding] = [d for d in loaded.diagnostics if d.severity == "error"]
    assert finding.page == 3 and finding.message.startswith("page 3: a second reading (PDFium) finds ")


def test_a_page_tree_loop_says_pages_are_missing(tmp_path):
    """/Kids holding the page tree's own root: pdfminer skips the loop and loses a page."""
    def kids_loop(data: bytes) -> bytes:
        root = mutations.pages_object(data)
        start, end = mutations.objects(data)[root]
        first_kid = data.index(b"/Kids [ ", start, end) + len(b"/Kids [ ")
        old = data[first_kid:data.index(b" R", first_kid) + 2]
        return data[:first_kid] + (b"%d 0 R" % root).ljust(len(old)) + data[first_kid + len(old):]

    path = _damaged(tmp_path, POLITISK, kids_loop)
    loaded = load(path)
    assert loaded.pages == 4
    assert loaded.partial_reasons == ["pages missing (damaged page tree)"]
    assert any("4 page(s) read, but its page tree declares 5 and a second reading (PDFium) finds 5" in d.message for d in loaded.diagnostics)


def test_an_impossible_page_size_is_named(tmp_path):
    def huge(data: bytes) -> bytes:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pdf.pages[1].obj.MediaBox = pikepdf.Array([0, 0, 1e9, 1e9])
            buf = io.BytesIO()
            pdf.save(buf)
        return buf.getvalue()

    loaded = load(_damaged(tmp_path, POLITISK, huge))
    assert loaded.partial_reasons == ["impossible page size on page(s) 2"]


def test_glyphs_without_unicode_are_lost_text(tmp_path):
    """An unknown font encoding: æ, ø, å and the bullet come out as "(cid:N)"."""
    def unknown_encoding(data: bytes) -> bytes:
        return data.replace(b"/Encoding /WinAnsiEncoding", b"/Encoding /NoSuchEncoding ")

    loaded = load(_damaged(tmp_path, STYREGRUPPE, unknown_encoding))
    assert "characters without a Unicode mapping on page(s) 1-3" in loaded.partial_reasons


def test_a_word_dropped_between_pdfplumber_and_the_lines_is_counted(tmp_path, monkeypatch):
    """The accounting check itself: a loader bug that loses a table row's words is caught."""
    real = pdf_module.table_lines

    def losing(page, words, page_no, table_base):
        rest, rows = real(page, words, page_no, table_base)
        return rest, rows[1:]  # the first table row vanishes

    monkeypatch.setattr(pdf_module, "table_lines", losing)
    loaded = load(STYREGRUPPE)
    [finding] = [d for d in loaded.diagnostics if d.severity == "error"]
    assert finding.page == 1 and finding.message.startswith("page 1: 7 word(s) read from the page are in no line (e.g. ")
    assert loaded.partial_reasons == ["words not placed in lines on page(s) 1"]


@pytest.mark.parametrize("path", sorted(RAW.glob("*.pdf")), ids=lambda p: p.name)
def test_undamaged_samples_have_no_findings(path):
    loaded = load(path)
    assert loaded.partial_reasons == []
    assert not [d for d in loaded.diagnostics if d.severity != "info"]


@pytest.mark.skipif(not CORPUS.exists(), reason=f"shared corpus not found at {CORPUS}")
def test_undamaged_corpus_pdfs_have_no_findings():
    pdfs = sorted((CORPUS / "pdf").glob("*.pdf"))
    assert pdfs
    assert {p.name: load(p).partial_reasons for p in pdfs} == {p.name: [] for p in pdfs}


# --- capture of library messages ------------------------------------------------------


def test_capture_deduplicates_by_template_and_caps():
    log = logging.getLogger("pdfminer.psparser")
    with Captured(secret="/srv/arkiv/hemmelig.pdf") as captured:
        captured.page = 2
        for pos in range(1000):
            log.error("unknown token: pos=%r in %s", pos, "/srv/arkiv/hemmelig.pdf")
        captured.page = None
        for n in range(MAX_MESSAGES + 5):
            log.warning(f"distinct problem {n}")
    kept = captured.messages()
    assert len(kept) == MAX_MESSAGES and captured.dropped == 6
    first, count = kept[0]
    assert (first.page, first.level, count) == (2, "error", 1000)
    assert first.text == "unknown token: pos=0 in <file>"
    assert captured.on_page(2) == [first]
    pageless, more = captured.unplaced()  # what opening the file said: its own diagnostics
    assert len(pageless) == MAX_MESSAGES and more == 5 and pageless[0][0].text == "distinct problem 0"


def test_capture_restores_logging_and_takes_python_warnings():
    log = logging.getLogger("pdfminer")
    before = (log.level, log.propagate, list(log.handlers))
    with Captured() as captured:
        warnings.warn("a font program is broken", UserWarning)
    assert [(m.source, m.text) for m, _ in captured.messages()] == [("UserWarning", "a font program is broken")]
    assert (log.level, log.propagate, list(log.handlers)) == before


# --- failures in plain words ------------------------------------------------------------


def test_an_unrepairable_pdf_fails_in_plain_words(tmp_path):
    path = tmp_path / "skrald.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    with pytest.raises(LoadError) as info:
        load(path)
    assert str(info.value) == "damaged PDF: it could not be read or repaired"
    assert info.value.detail and len(info.value.detail) <= 400 and str(path) not in info.value.detail
    parsed = parse_document(path, model="blank")
    assert parsed.status == "failed"
    assert parsed.rows["documents"][0]["error"] == "damaged PDF: it could not be read or repaired"


def test_a_negative_stream_length_is_reported_in_plain_words(tmp_path):
    """Every /Length negative: library internals ("read length must be non-negative or -1")
    stay out of documents.error; the detail is short and does not repeat the path."""
    path = _damaged(tmp_path, POLITISK, lambda d: re.sub(rb"/Length (\d+)", lambda m: b"/Length -" + m.group(1)[1:], d))
    parsed = parse_document(path, model="blank")
    doc = parsed.rows["documents"][0]
    assert parsed.status == "partial"
    assert doc["error"].startswith("damaged PDF: structure rebuilt")
    for d in parsed.rows["diagnostics"]:
        assert len(d["message"]) <= 500 and str(tmp_path) not in d["message"]


def test_metadata_nested_too_deeply_is_a_diagnostic_not_stderr(tmp_path):
    """pdfplumber logs a RecursionError in the metadata; it is captured, the text is intact."""
    path = _damaged(tmp_path, POLITISK, lambda d: d.replace(b"/Author", b"/Deep " + b"[" * 100_000 + b"]" * 100_000 + b" /Author"))
    loaded = load(path)
    assert loaded.partial_reasons == []
    assert [d.message for d in loaded.diagnostics] == [
        'while opening the file: pdfplumber.pdf: [WARNING] Metadata key "Deep" could not be parsed due to exception: '
        "maximum recursion depth exceeded"]
    assert [ln.text for ln in loaded.lines] == [ln.text for ln in load(POLITISK).lines]


def test_an_unforeseen_library_error_becomes_one_plain_line(monkeypatch):
    """Fault injection: an internal error escaping the PDF reader ("not enough values to unpack")
    reaches documents.error as one plain line; the cause is kept, short, in LoadError.detail."""
    def broken(path, password=None, ocr=False, pages=None):
        raise ValueError(f"not enough values to unpack (expected 2, got 1) in {path}")

    monkeypatch.setattr(load_package, "load_pdf", broken)
    with pytest.raises(LoadError) as info:
        load(POLITISK)
    assert str(info.value) == "damaged PDF: it could not be read (its content is damaged)"
    assert info.value.detail == "ValueError: not enough values to unpack (expected 2, got 1) in <file>"
    parsed = parse_document(POLITISK, model="blank")
    assert parsed.rows["documents"][0]["error"] == "damaged PDF: it could not be read (its content is damaged)"
    # the technical cause is kept for whoever debugs it, in a diagnostic of its own
    assert [d["message"] for d in parsed.rows["diagnostics"] if d["message"].startswith("technical detail")] == [
        "technical detail: ValueError: not enough values to unpack (expected 2, got 1) in <file>"]


def test_an_encrypted_pdf_opened_with_its_password_has_no_findings(tmp_path):
    """Its streams are checked after decryption, as pdfminer reads them."""
    path = text_pdf(tmp_path / "krypteret.pdf", encrypt=StandardEncryption("hemmelig", ownerPassword="ejer"))
    loaded = load(path, password="hemmelig")
    assert loaded.partial_reasons == [] and [ln.text for ln in loaded.lines][:2] == ["REFERAT", "Udvalget"]


def test_an_error_in_referat_is_said_plainly_and_kept_in_diagnostics(monkeypatch, tmp_path):
    """documents.error says whose error it is in plain words; the exception, short and without the
    file's path, is a diagnostic (never a library's words in documents.error)."""
    import pipeline.parse as parse_module

    sample = tmp_path / "møde.txt"
    sample.write_text(POLITISK.with_suffix(".txt").read_text(encoding="utf-8"), encoding="utf-8")

    def broken(*args, **kwargs):
        raise ValueError(f"not enough values to unpack (expected 2, got 1) while reading {sample}")

    monkeypatch.setattr(parse_module, "read_meeting", broken)
    parsed = parse_document(sample, model="blank")
    assert parsed.status == "failed"
    assert parsed.rows["documents"][0]["error"] == parse_module.INTERNAL_ERROR
    details = [d["message"] for d in parsed.rows["diagnostics"] if d["message"].startswith("technical detail")]
    assert details == ["technical detail: ValueError: not enough values to unpack (expected 2, got 1) while reading <file>"]
