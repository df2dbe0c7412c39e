"""The sample PDFs in data/raw are exactly what the generator script makes."""

import subprocess
import sys

from conftest import RAW, ROOT, SEED_STEMS


def test_sample_pdfs_are_reproducible(tmp_path):
    r = subprocess.run([sys.executable, "scripts/make_sample_pdfs.py", "--out-dir", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    for stem in SEED_STEMS:
        assert (tmp_path / f"{stem}.pdf").read_bytes() == (RAW / f"{stem}.pdf").read_bytes(), stem
