import pyarrow as pa
import pytest

from conftest import ROOT
from pipeline import tables


def test_docs_schema_is_generated_from_code():
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert doc == tables.markdown(), "docs/schema.md is stale: run `make schema`"


def test_every_declared_column_is_documented():
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    for name, (_, cols) in tables.SCHEMA.items():
        assert f"## {name}" in doc
        for c in cols:
            assert f"`{c.name}`" in doc


def test_validation_rejects_wrong_enum():
    t = pa.Table.from_pylist(
        [{"doc_id": "x", "stage": "s", "severity": "fatal", "message": "m", "page": None, "line": None}],
        schema=tables.arrow_schema("diagnostics"),
    )
    with pytest.raises(tables.SchemaError, match="fatal"):
        tables.validate("diagnostics", t)


def test_validation_rejects_null_in_required_column():
    with pytest.raises(tables.SchemaError, match="null"):
        tables.to_arrow("people", [{"doc_id": "x", "name": None, "attendance": "present"}])


def test_declared_type_names_are_arrows_own():
    """The schema names its types without pyarrow; each name must be what Arrow calls the type,
    or docs/schema.md would show a name that no Arrow table carries."""
    used = {c.type for _, cols in tables.SCHEMA.values() for c in cols}
    assert used <= set(tables._arrow_types())
    for name, arrow in tables._arrow_types().items():
        assert str(arrow) == name
    assert tables.arrow_schema("meetings").field("meeting_date").type == pa.date32()
