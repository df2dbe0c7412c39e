"""Real bad input files, made by the test suite (nothing binary is committed)."""

from __future__ import annotations

import io
import random
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from conftest import RAW


def text_pdf(path: Path, pages: int = 1, lines: tuple[str, ...] = ("REFERAT", "Udvalget", "Mandag den 3. februar 2025", "1. Godkendelse af dagsorden", "Godkendt."), encrypt=None) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, encrypt=encrypt)
    for n in range(pages):
        y = 800
        for ln in lines:
            c.drawString(72, y, ln)
            y -= 16
        c.drawString(280, 30, f"Side {n + 1} af {pages}")
        c.showPage()
    c.save()
    return path


def image_only_pdf(path: Path) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("L", (600, 300), 255)
    ImageDraw.Draw(img).text((20, 20), "REFERAT (scannet side)", fill=0)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    from reportlab.lib.utils import ImageReader

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.drawImage(ImageReader(buf), 50, 400, width=500, height=250)
    c.showPage()
    c.save()
    return path


def truncated_pdf(path: Path) -> Path:
    data = (RAW / "politisk_sundhedsklynge_syd_2022-11-07.pdf").read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def random_pdf(path: Path) -> Path:
    rng = random.Random(7)
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    return path


def broken_xref_pdf(path: Path) -> Path:
    """The sample PDF with every xref offset wrong (bytes inserted after the
    header, as a careless editor or a line-ending conversion does): readers
    must rebuild the cross-reference table by scanning the file."""
    data = (RAW / "styregruppe_klynge_syd_2022-05-06.pdf").read_bytes()
    head_end = data.index(b"\n") + 1
    path.write_bytes(data[:head_end] + b"% inserted garbage shifts every offset\n" * 3 + data[head_end:])
    return path
