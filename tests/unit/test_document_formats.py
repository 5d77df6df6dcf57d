"""PDF and Word copies of the fixture reports give the fields of their truth files."""

import json

import pytest
from helpers import DOCUMENTS, FIXTURES_DIR

from pipelines.evaluate import FieldResult, field_value, flatten_truth, key_columns
from pipelines.parse.parser import parse_document
from pipelines.warehouse.rows import FACT_TABLES, to_rows

FILES = sorted(
    name
    for p in FIXTURES_DIR.glob("*.truth.json")
    if (name := p.name.removesuffix(".truth.json")).endswith((".pdf", ".docx"))
)


@pytest.mark.parametrize("name", FILES)
def test_every_field_is_right(name: str) -> None:
    result = parse_document((DOCUMENTS / name).read_bytes(), name)
    rows = to_rows(result)
    assert result.is_report, rows["parse_issues"]
    facts = {}
    for table in FACT_TABLES:
        first, second = key_columns(table)
        for row in rows[table]:
            facts[(table, row[first], row[second])] = row["value"]
    report = rows["reports"][0]
    assert report["format"] == name.rsplit(".", 1)[1] and report["published_date"] is None
    truth = flatten_truth(json.loads((FIXTURES_DIR / f"{name}.truth.json").read_text("utf-8")))
    wrong = [
        (field, expected, actual)
        for field, expected in truth.items()
        if not FieldResult(
            name, field, expected, actual := field_value(report, field, lambda t, a, b: facts.get((t, a, b)))
        ).correct
    ]
    assert wrong == []
