import pandas as pd
import pytest

from conftest import RAW, parsed
from pipeline.people import initials, is_variant, people_index, person_key, resolve_initials


@pytest.mark.parametrize(
    "short, long, same",
    [
        ("Lisbeth Lagoni", "Lisbeth Kjær Lagoni", True),
        ("Anne Krøjer", "Anne Krøjer Jacobsen", True),
        ("Andreas K. Toft", "Andreas Kristian Toft", True),
        ("Jan Nybo", "Jan Mainz", False),
        ("Per Møller", "Per Bach Laursen", False),
        ("Lagoni", "Lisbeth Kjær Lagoni", False),
    ],
)
def test_name_variants(short, long, same):
    assert is_variant(short, long) is same


def test_person_key_folds_case_and_periods():
    assert person_key("Andreas K. Toft") == "andreas k toft"
    assert person_key("LISBETH  Kjær Lagoni") == "lisbeth kjær lagoni"


def test_initials():
    assert initials("Inge Kjær Andersen") == "IKA"
    assert initials("Hans-Henrik Holm") == "HHH"
    names = ["Inge Kjær Andersen", "Søren Aalund", "Søren Andersen", "Lisbeth Kjær Lagoni"]
    assert resolve_initials("IKA", names) == ("Inge Kjær Andersen", ["Inge Kjær Andersen"])
    assert resolve_initials("SA", names) == (None, ["Søren Aalund", "Søren Andersen"])
    assert resolve_initials("XY", names) == (None, [])


def test_unresolved_initials_stay_as_written(tmp_path):
    from pipeline.parse import parse_document

    doc = tmp_path / "x.txt"
    doc.write_text("REFERAT\nUdvalget\nDeltagere:\nSøren Aalund\nSøren Andersen\n1. Godkendelse\nGodkendt.\n2. Eventuelt\nIntet.\nSåledes opfattet SA\n", encoding="utf-8")
    p = parse_document(doc, model="blank")
    m = p.rows["meetings"][0]
    assert (m["referent"], m["referent_initials"]) == ("SA", "SA")
    assert "referent" not in m["inferred"]
    assert any("initials SA not resolved (several attendees fit: Søren Aalund, Søren Andersen)" in d["message"] for d in p.rows["diagnostics"])


def test_people_index_links_the_seeds():
    rows = []
    for stem in ("politisk_sundhedsklynge_syd_2022-11-07", "styregruppe_klynge_syd_2022-05-06"):
        rows += parsed(str(RAW / f"{stem}.txt")).rows["people"]
    idx = people_index(pd.DataFrame(rows))
    keys = dict(zip(idx["name"], idx["global_key"]))
    assert keys["Anne Krøjer"] == keys["Anne Krøjer Jacobsen"] == "anne krøjer jacobsen"
    assert keys["Lisbeth Kjær Lagoni"] == "lisbeth kjær lagoni"
    assert keys["Jan Nybo"] == "jan nybo"
    assert keys["Jan Mainz"] == "jan mainz"
    # Jan Nybo: substitute in one meeting, absent in the other
    nybo = idx[idx.global_key == "jan nybo"].sort_values("attendance")
    assert list(nybo.attendance) == ["absent", "substitute"]
