"""The accuracy report (`make eval`) on the fixtures, through the real pipeline: per format
(HTML pages, text, PDF, Word) and in total.

The floors only ever go up: raise one when the parser improves, never lower it.
"""

import os
import shutil

import pytest
from helpers import FIXTURES_DIR, Build

from pipelines.evaluate import accuracy, evaluate, format_report

ACCURACY_FLOORS = {"html": 1.0, "text": 1.0, "pdf": 1.0, "docx": 1.0, "doc": 1.0}


@pytest.mark.parametrize("fmt", sorted(ACCURACY_FLOORS))
def test_fixture_accuracy_per_format_is_at_least_the_floor(sample_build: Build, fmt: str) -> None:
    if fmt == "doc" and shutil.which("soffice") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install LibreOffice (libreoffice-writer-nogui) to read .doc files")
        pytest.skip("LibreOffice (soffice) is not installed: .doc files cannot be read here")
    results = evaluate(sample_build.warehouse, FIXTURES_DIR)
    assert len({r.document for r in results}) == len(list(FIXTURES_DIR.glob("*.truth.json")))
    assert any(r.format == fmt for r in results), f"no {fmt} fixture"
    assert accuracy(results, fmt) >= ACCURACY_FLOORS[fmt], format_report(results)


def test_the_report_lists_every_miss(sample_build: Build, tmp_path) -> None:
    truth = tmp_path / "truth"
    truth.mkdir()
    (truth / "002.truth.json").write_text(
        (FIXTURES_DIR / "002.truth.json").read_text("utf-8").replace('"granted_total": 7', '"granted_total": 8'),
        "utf-8",
    )
    results = evaluate(sample_build.warehouse, truth)
    report = format_report(results)
    assert "002 table3.granted_total: expected 8, got 7" in report
    assert "format html" in report
    assert accuracy(results) == (len(results) - 1) / len(results)
