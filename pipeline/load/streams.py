"""Compressed content streams checked before pdfminer reads them.

pdfminer reads what it can of a Flate stream that is cut short (a wrong
/Length, a deleted range) or damaged early, and says nothing: the page loses
its end, or all of it.  ``damaged_streams`` inflates each content stream of a
page once more on its own, throwing the output away as it goes (little memory
for any size), and counts the streams whose data is corrupt or ends before
its last block.  A missing or wrong checksum after a complete last block is
not counted: the text is whole.
"""

from __future__ import annotations

import zlib

#: bytes inflated at a time while checking (the output is not kept)
CHUNK = 1 << 20


def inflate_problem(data: bytes) -> str | None:
    """Why zlib data does not inflate to its end ("damaged", "cut short"), or None when it does."""
    if len(data) < 2 or (data[0] & 0x0F) != 8 or ((data[0] << 8) | data[1]) % 31:
        return "damaged"  # no zlib header
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate: the checksum after the last block is not required
    try:
        inflater.decompress(data[2:], CHUNK)
        while inflater.unconsumed_tail and not inflater.eof:
            inflater.decompress(inflater.unconsumed_tail, CHUNK)
    except zlib.error:
        return "damaged"
    return None if inflater.eof else "cut short"


def damaged_streams(page) -> list[str]:
    """The problems of a pdfplumber page's Flate content streams not yet decoded ("damaged", "cut short").

    The data is decrypted first where the PDF is encrypted, and filters
    before the Flate stage (ASCII85, ASCIIHex) are undone, with pdfminer's
    own functions; a stream with other filters, or one already
    decoded (shared with an earlier page), is not checked again.
    """
    # lazily: pdfminer is heavy (it comes with pdfplumber), and text files never need it
    from pdfminer.ascii85 import ascii85decode, asciihexdecode
    from pdfminer.pdftypes import LITERALS_ASCII85_DECODE, LITERALS_ASCIIHEX_DECODE, LITERALS_FLATE_DECODE, PDFStream, resolve1

    problems = []
    for ref in page.page_obj.contents or []:
        stream = resolve1(ref)
        if not isinstance(stream, PDFStream) or stream.rawdata is None:
            continue
        data = bytes(stream.rawdata)
        try:
            if stream.decipher and stream.objid is not None and stream.genno is not None:  # an encrypted PDF, as pdfminer decodes it
                data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
            for name, _ in stream.get_filters():
                if name in LITERALS_ASCII85_DECODE:
                    data = ascii85decode(data)
                elif name in LITERALS_ASCIIHEX_DECODE:
                    data = asciihexdecode(data)
                elif name in LITERALS_FLATE_DECODE:
                    problem = inflate_problem(data)
                    if problem:
                        problems.append(problem)
                    break
                else:
                    break
        except Exception:  # noqa: BLE001 - a filter stage that fails is damage pdfminer will meet too
            problems.append("damaged")
    return problems
