"""Template families as data: each profile (models/profiles/<name>.toml) claims the samples of its
family (tests/samples/<name>/) and earns its place: they parse better with it than without."""

from __future__ import annotations

import re

import pytest

from conftest import FAMILY_SAMPLES, SAMPLES_DIR
from pipeline.load import load
from pipeline.parse import parse_document
from pipeline.rules import detect, profiles

STAMP = re.compile(r"[\w:\-]{1,2}(?: [\w:\-]{1,2})?")
ADMINISTRATOR = SAMPLES_DIR / "administrator" / "administrator_ejerforening_2024-04-18.txt"


@pytest.mark.parametrize("sample", FAMILY_SAMPLES, ids=lambda p: p.name)
def test_a_family_folder_named_after_a_profile_is_claimed_by_it(sample):
    names = {p.name for p in profiles()}
    family = sample.parent.name
    chosen, _ = detect([ln.text for ln in load(sample).lines])
    assert chosen.name == (family if family in names else "generic")


def _read(profile: str) -> dict:
    p = parse_document(ADMINISTRATOR, model="blank", profile_name=profile)
    items = p.trace.items
    text = "\n".join(t for it in items for t in (it.description, it.minutes) if t)
    return {
        "titles": [it.title for it in items],
        "appendix": len(p.trace.structure.appendix),
        # lines that end in, or are, one or two characters of the stamp set apart (a cell of their own)
        "stamp_left": [ln.text for ln in p.trace.cleaned.lines if STAMP.fullmatch(ln.cells[-1]) and (len(ln.cells) > 1 or STAMP.fullmatch(ln.text))],
        "letterhead": bool(re.search(r"Tel \+45|cvr\.|@", text)),
        "people": sorted(r["name"] for r in p.rows["people"]),
    }


def test_the_administrator_profile_earns_its_place():
    titles = ["Valg af dirigent og referent.", "Bestyrelsens beretning for det forløbne år.", "Forelæggelse af årsregnskab til godkendelse.",
              "Forslag.", "Forslag om udskiftning af vinduer i opgang B.", "Forelæggelse af budget til godkendelse.", "Valg af formand.",
              "Valg af bestyrelsesmedlemmer og suppleanter.", "Eventuelt."]
    generic, family = _read("generic"), _read("administrator")
    # with the profile: the stamp is gone, the letterhead is no item text, the signature page is appended
    assert family["titles"] == titles
    assert family["stamp_left"] == [] and not family["letterhead"] and family["appendix"] == 17
    assert family["people"] == ["Henrik Dall", "Lene Vestergaard", "Mikkel Juhl"]
    # without it: the stamp stays on the lines, the signature page is read as the minutes' last part
    # (its "Dirigent" joins the header box, whose attendance list then swallows the items)
    assert generic["titles"] != titles and generic["stamp_left"] and generic["appendix"] == 0
