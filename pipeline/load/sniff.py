"""What kind of file this is, from its bytes: PDF or text (or a clear refusal)."""

from __future__ import annotations

from pathlib import Path

from .text import bom_encoding, wide_encoding

#: files larger than this are refused before parsing (bytes)
MAX_FILE_BYTES = 512 * 1024 * 1024


class LoadError(Exception):
    """The file cannot be read as a referat.

    The message names the problem in plain words (it becomes
    ``documents.error``); ``detail`` keeps the technical cause, short and
    without the file's path, for a diagnostic.
    """

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.detail = detail


def sniff(path: Path) -> str:
    """Return "pdf" or "text" from the file's bytes, or raise LoadError."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise LoadError("file not found") from None
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    if not path.is_file():
        raise LoadError("not a regular file")
    if size == 0:
        raise LoadError("empty file (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise LoadError(f"file too large ({size} bytes; limit {MAX_FILE_BYTES})")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" in head:
        return "pdf"
    if path.suffix.lower() == ".pdf":
        raise LoadError("not a PDF: the file has a .pdf name but no %PDF header")
    if b"\x00" in head and not bom_encoding(head) and not wide_encoding(head):
        raise LoadError("binary file that is neither PDF nor text")
    return "text"
