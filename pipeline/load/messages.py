"""Failures in plain words for people, the technical detail kept apart for ``diagnostics``.

A library's exception text ("read length must be non-negative or -1", "not
enough values to unpack", a dump of a PDF dictionary) says nothing to the
person who gave us the file.  ``plain_reason`` names the problem by its
kind; ``technical_detail`` keeps the exception's own words, shortened and
without the file's path, for whoever debugs it.
"""

from __future__ import annotations

from .capture import shorten

#: characters kept of a technical detail
MAX_DETAIL_CHARS = 300
#: the plain reason for a failure to get memory
OUT_OF_MEMORY = "it needs more memory than the limit allows"


def technical_detail(exc: BaseException, path: object = None) -> str:
    """The exception's type and text on one line, without the file's path, at most ``MAX_DETAIL_CHARS``."""
    text = f"{type(exc).__name__}: {exc}".rstrip(": ")
    if path is not None:
        text = text.replace(str(path), "<file>")
    return shorten(text, MAX_DETAIL_CHARS)


def plain_reason(exc: BaseException) -> str:
    """What an exception raised while reading a PDF means, in plain words."""
    chain = _chain(exc)
    if any(isinstance(e, RecursionError) for e in chain):
        return "its structure is nested too deeply to read"
    if any(isinstance(e, MemoryError) for e in chain) or any("allocate" in str(e).lower() for e in chain):
        return OUT_OF_MEMORY
    text = " ".join(str(e).lower() for e in chain)
    if "filter" in text or "decod" in text or "ascii85" in text or "zlib" in text or "decompress" in text:
        return "its compressed content is damaged or in an unsupported format"
    if "password" in text or "encrypt" in text:
        return "it is encrypted"
    return "its content is damaged"


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    while exc is not None and len(out) < 5:
        out.append(exc)
        exc = exc.__cause__ or exc.__context__
    return out
