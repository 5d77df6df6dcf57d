"""PDF and Word copies of the fixture reports give the fields of their truth files."""

import json

import pytest
from tests_paths import DOCUMENTS

from pipelines.evaluate import FieldResult, field_value, flatten_truth
from pipelines.parse.parser import parse_document
from pipelines.warehouse.rows import to_rows

FILES = sorted(p.name.removesuffix(".truth.json") for p in DOCUMENTS.glob("*.truth.json") if ".doc." not in p.name)


@pytest.mark.parametrize("name", FILES)
def test_every_field_is_right(name: str) -> None:
    result = parse_document((DOCUMENTS / name).read_bytes(), name)
    rows = to_rows(result)
    assert result.is_report, rows["parse_issues"]
    facts = {}
    for table in ("disclosure_stats", "application_outcomes", "review_litigation"):
        for row in rows[table]:
            first, second = [
                k
                for k in row
                if k not in {"report_id", "value", "raw_value", "derived", "source", "evidence", "template", "unit"}
            ]
            facts[(table, row[first], row[second])] = row["value"]
    report = rows["reports"][0]
    assert report["format"] == name.rsplit(".", 1)[1] and report["published_date"] is None
    truth = flatten_truth(json.loads((DOCUMENTS / f"{name}.truth.json").read_text("utf-8")))
    wrong = [
        (field, expected, actual)
        for field, expected in truth.items()
        if not FieldResult(
            name, field, expected, actual := field_value(report, field, lambda t, a, b: facts.get((t, a, b)))
        ).correct
    ]
    assert wrong == []
