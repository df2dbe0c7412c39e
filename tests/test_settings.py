"""The thresholds of the stages: one documented settings object (pipeline/settings.py, docs/settings.md)
that a profile's [settings] table changes."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from conftest import ROOT
from pipeline import settings
from pipeline.rules import Profile, RulesError, build
from pipeline.settings import Settings

def test_docs_settings_is_generated_from_code():
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert doc == settings.markdown(), "docs/settings.md is stale: run `make docs`"


@pytest.mark.parametrize("f", fields(Settings), ids=lambda f: f.name)
def test_every_setting_is_documented_and_read_where_the_docs_say(f):
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert f"| `{f.name}` | {f.default} |" in doc
    assert len(f.metadata["doc"]) >= 20
    for module in f.metadata["where"].split(", "):
        source = (ROOT / module).read_text(encoding="utf-8")
        assert re.search(rf"\.{f.name}\b", source), f"{module} does not read settings.{f.name}"


def test_a_profile_changes_a_setting_with_its_type_checked():
    assert build(Profile("test", "wider box", settings={"box_window": 80, "agenda_same_title": 1})).settings.box_window == 80
    with pytest.raises(RulesError, match=r"\[settings\]: setting 'box_window' must be a int"):
        build(Profile("test", "bad", settings={"box_window": "80"}))
    with pytest.raises(RulesError, match="unknown setting 'box_windw'"):
        build(Profile("test", "typo", settings={"box_windw": 80}))

