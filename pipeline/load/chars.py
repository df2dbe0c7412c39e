"""A shortcut through pdfplumber's character objects (the loader's hot path)."""

from __future__ import annotations


def lean_chars(page) -> None:
    """Make ``page`` build small dicts for its characters.

    pdfplumber turns every pdfminer object into a dict of all its attributes
    (colours, graphic state, marked content), resolving each one; for text
    that is most of the time spent on a page.  The loader needs only a
    character's text, box, font name and size, so characters get a dict with
    exactly the keys pdfplumber's word extraction reads, computed the same
    way (box moved by the MediaBox origin, ``top`` from the page height).
    Every other object (rects and lines for tables, images) and any
    character this shortcut does not cover (a byte-encoded font name, Unicode
    normalisation switched on) takes pdfplumber's own path.  A test checks
    that words come out identical on every sample and corpus PDF.
    """
    # pdfminer is imported with pdfplumber, which a PDF needs anyway; a text file never gets here
    from pdfminer.layout import LTChar

    original = page.process_object
    if page.pdf.unicode_norm is not None:
        return
    height = float(page.height)
    mb_x0, mb_top = page.mediabox[0], page.mediabox[1]
    doctop0 = page.initial_doctop
    number = page.page_number

    def process(obj):
        if obj.__class__ is not LTChar or obj.fontname.__class__ is not str:
            return original(obj)
        y0, y1 = obj.y0, obj.y1
        top = (height - y1) + mb_top
        x0, x1 = obj.x0, obj.x1
        if mb_x0 != 0:
            x0, x1 = x0 + mb_x0, x1 + mb_x0
        return {
            "object_type": "char",
            "page_number": number,
            "text": obj._text,
            "fontname": obj.fontname,
            "size": obj.size,
            "upright": obj.upright,
            "matrix": obj.matrix,
            "x0": x0,
            "x1": x1,
            "y0": y0,
            "y1": y1,
            "width": obj.width,
            "height": obj.height,
            "top": top,
            "bottom": (height - y0) + mb_top,
            "doctop": doctop0 + top,
        }

    page.process_object = process
