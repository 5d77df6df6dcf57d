"""The benchmark's corpus generator (benchmarks/generate.py): generated pages are
deterministic, keep the tables' identities, and read back through the real parser as the
numbers the generator wrote."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import parse_rows

from benchmarks import generate

N = 30
SEED = 1  # these 30 pages use every layout, both encodings and both scripts


def _truths(corpus: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (corpus / generate.TRUTH_FILE).read_text("utf-8").splitlines()]


def _files(corpus: Path) -> dict[str, bytes]:
    return {p.relative_to(corpus).as_posix(): p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate.generate(out, N, SEED, processes=2)
    return out


def test_corpus_covers_every_variant(corpus: Path) -> None:
    truths = _truths(corpus)
    assert len(truths) == N == len(list((corpus / generate.PAGES_DIR).rglob("*.html")))
    assert {t["layout"] for t in truths} == set(generate.LAYOUTS)
    assert {t["encoding"] for t in truths} == {"utf-8", "gb18030"}
    assert {t["script"] for t in truths} == {"simplified", "traditional"}


def test_same_seed_gives_same_bytes(corpus: Path, tmp_path: Path) -> None:
    generate.generate(tmp_path, N, SEED, processes=1)
    assert _files(tmp_path) == _files(corpus)


def test_identities_hold(corpus: Path) -> None:
    for truth in _truths(corpus):
        where = truth["path"]
        if truth["template"] == "pre2019":
            stats = truth["stats"]
            for total, prefix in generate.STATS_SUMS.items():
                parts = [values for key, values in stats.items() if key.startswith(prefix)]
                assert stats[total] == [sum(p[0] for p in parts), sum(p[1] for p in parts)], where
            assert all(cumulative >= this_year for this_year, cumulative in stats.values()), where
            continue
        rows = truth["table3"]
        parts = generate.OUTCOME_PARTS[truth["template"]]
        assert list(rows) == [key for key, _ in generate.OUTCOME_ROWS[truth["template"]]], where
        for column in range(7):
            assert (
                rows["new_received"][column] + rows["carried_over"][column]
                == rows["total_processed"][column] + rows["carried_forward"][column]
            ), where
            assert rows["total_processed"][column] == sum(rows[p][column] for p in parts), where
        for row, values in rows.items():
            assert values[6] == sum(values[:6]), (where, row)
        for proceeding, values in truth["table4"].items():
            assert values[4] == sum(values[:4]), (where, proceeding)


def test_parser_reads_back_what_was_written(corpus: Path) -> None:
    for truth in _truths(corpus):
        where = truth["path"]
        parsed = parse_rows((corpus / generate.PAGES_DIR / where).read_bytes(), where)
        assert parsed.is_report, (where, parsed.rows["parse_issues"])
        report = parsed.rows["reports"][0]
        expected = {k: truth[k] for k in ("template", "year", "agency", "province", "city", "county", "script")}
        assert {k: report[k] for k in expected} == expected, where
        assert str(report["published_date"]) == truth["published_date"], where
        outcomes = {(r["row_key"], r["applicant"]): r["value"] for r in parsed.rows["application_outcomes"]}
        for row, values in truth["table3"].items():
            for applicant, value in zip(generate.APPLICANTS, values):
                if value is not None:
                    assert outcomes.get((row, applicant)) == value, (where, row, applicant)
        review = {(r["proceeding"], r["outcome"]): r["value"] for r in parsed.rows["review_litigation"]}
        for proceeding, values in truth["table4"].items():
            for outcome, value in zip(generate.REVIEW_OUTCOMES, values):
                if value is not None:
                    assert review.get((proceeding, outcome)) == value, (where, proceeding, outcome)
        disclosure = {(r["item"], r["metric"]): r["value"] for r in parsed.rows["disclosure_stats"]}
        for item, metrics in truth["table2"].items():
            for metric, value in metrics.items():
                assert disclosure.get((item, metric)) == pytest.approx(value), (where, item, metric)


def test_mutate_is_deterministic_and_keeps_identity(corpus: Path, tmp_path: Path) -> None:
    copies = [tmp_path / "a", tmp_path / "b"]
    chosen = []
    for copy in copies:
        shutil.copytree(corpus, copy)
        chosen.append(generate.mutate(copy, 0.1, processes=1))
    assert chosen[0] == chosen[1] and len(chosen[0]) == 3
    assert _files(copies[0]) == _files(copies[1])
    before, after = _truths(corpus), _truths(copies[0])
    changed = [i for i in range(N) if before[i] != after[i]]
    assert changed == chosen[0]
    for i in changed:
        assert after[i]["revision"] > 0
        assert {k: after[i][k] for k in ("path", "agency", "year", "layout")} == {
            k: before[i][k] for k in ("path", "agency", "year", "layout")
        }
        assert (copies[0] / generate.PAGES_DIR / after[i]["path"]).read_bytes() != (
            corpus / generate.PAGES_DIR / before[i]["path"]
        ).read_bytes()
