"""The accuracy report (`make eval`) on the fixtures, through the real pipeline.

The floor only ever goes up: raise it when the parser improves, never lower it.
"""

from helpers import FIXTURES_DIR, Build

from pipelines.evaluate import accuracy, evaluate, format_report

ACCURACY_FLOOR = 1.0


def test_fixture_accuracy_is_at_least_the_floor(sample_build: Build) -> None:
    results = evaluate(sample_build.warehouse, FIXTURES_DIR)
    assert len({r.document for r in results}) == len(list(FIXTURES_DIR.glob("*.truth.json")))
    assert accuracy(results) >= ACCURACY_FLOOR, format_report(results)


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
    assert accuracy(results) == (len(results) - 1) / len(results)
