"""The SQL models (sql/, dbt): built on a small warehouse with known numbers, and compared with
the same figures computed in Python (tests/model_fixtures.py) from the rows inserted."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import model_fixtures as fx
import pytest

from pipelines.parse.agencies import is_government
from pipelines.parse.metadata import SPECIAL_ZONES

MODELS = [
    "report_summary",
    "agencies",
    "agency_year",
    "region_year",
    "agency_category_year",
    "applicant_mix",
    "carryover_consistency",
    "data_quality",
    "data_quality_summary",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One `dbt build` on the fixture warehouse, shared by the tests of this module."""
    work = tmp_path_factory.mktemp("dbt_models")
    tables = fx.build_rows()
    db_path = work / "warehouse.duckdb"
    fx.write_warehouse(db_path, tables)
    result = fx.run_dbt(db_path, work, "build")
    run_results = json.loads((work / "target" / "run_results.json").read_text())
    con = duckdb.connect(str(db_path), read_only=True)
    models = {}
    for model in MODELS:
        cursor = con.execute(f"select * from {model}")
        names = [c[0] for c in cursor.description]
        models[model] = [dict(zip(names, row)) for row in cursor.fetchall()]
    con.close()
    return {
        "work": work,
        "db": db_path,
        "tables": tables,
        "result": result,
        "run_results": run_results,
        "models": models,
    }


def by_key(rows: list[dict], *key: str) -> dict:
    index = {tuple(r[k] for k in key) if len(key) > 1 else r[key[0]]: r for r in rows}
    assert len(index) == len(rows), f"duplicate {key}"
    return index


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def assert_matches(actual: dict, expected: dict, columns: list[str] | None = None) -> None:
    assert set(actual) == set(expected), (
        f"keys differ: only in model {set(actual) - set(expected)}, only expected {set(expected) - set(actual)}"
    )
    mismatches = []
    for key, want in expected.items():
        for column in columns or list(want):
            if not same(actual[key][column], want[column]):
                mismatches.append(f"{key} {column}: model {actual[key][column]!r}, expected {want[column]!r}")
    assert not mismatches, "\n".join(mismatches[:20])


def test_build_passes_and_data_quality_tests_only_warn(built: dict) -> None:
    assert built["result"].returncode == 0, built["result"].stdout[-3000:]
    statuses = {r["unique_id"].split(".")[2]: r["status"] for r in built["run_results"]["results"]}
    # The fixture has a disclosure rate above 1 and broken carry-overs: warnings, not failures.
    assert statuses["accepted_range_report_summary_disclosure_rate__1__0"] == "warn"
    assert statuses["expression_is_true_carryover_consistency_not_flagged"] == "warn"
    assert not [name for name, status in statuses.items() if status in ("fail", "error")]
    for model in MODELS:
        assert statuses[model] == "success"


def test_report_summary_matches_reference(built: dict) -> None:
    actual = by_key(built["models"]["report_summary"], "report_id")
    assert_matches(actual, fx.expected_report_summary(built["tables"]))


def test_report_summary_rules(built: dict) -> None:
    rows = by_key(built["models"]["report_summary"], "report_id")
    cells = {
        (r["report_id"], r["row_key"], r["applicant"]): r["value"] for r in built["tables"]["application_outcomes"]
    }
    # All eight 不予公开 totals blank → denied unknown, not 0; one blank → the sum of the other seven.
    assert rows["r24_dingcheng19"]["denied"] is None
    assert rows["r01_dingcheng20_html"]["denied"] == sum(
        cells[("r01_dingcheng20_html", k, "total")] for k in fx.DENIED[1:]
    )
    # 2021: （六）其他处理 is the sum of its three sub-rows.
    assert rows["r04_dingcheng21"]["other"] == sum(cells[("r04_dingcheng21", k, "total")] for k in fx.OTHER_2021)
    assert rows["r06_changde_gov19"]["other"] == cells[("r06_changde_gov19", "other", "total")]
    # A blank 部分公开 counts as 0 in the disclosure rate.
    r05 = rows["r05_dingcheng22"]
    assert r05["partially_granted"] is None
    assert r05["disclosure_rate"] == pytest.approx(r05["granted"] / r05["processed"])
    # Lawsuits: direct + after review; the unsplit pre-2019 count otherwise.
    lit = {(r["report_id"], r["proceeding"], r["outcome"]): r["value"] for r in built["tables"]["review_litigation"]}
    assert rows["r09_changde_gov21"]["lawsuits"] == lit[("r09_changde_gov21", "litigation_after_review", "total")]
    assert rows["r19_hunan_rfb17"]["lawsuits"] == 2 and rows["r19_hunan_rfb17"]["reviews"] == 1
    assert rows["r21_pingtanxian12"]["lawsuits_corrected"] == 1
    # Pre-2019 prose: what is stated, the rest unknown.
    assert rows["r19_hunan_rfb17"]["partially_granted"] is None
    assert rows["r19_hunan_rfb17"]["disclosure_rate"] == pytest.approx(3 / 5)
    assert rows["r24_dingcheng19"]["disclosure_rate"] > 1  # printed as is; flagged by a warn test


def test_agency_year_matches_reference(built: dict) -> None:
    actual = by_key(built["models"]["agency_year"], "agency", "year")
    assert_matches(actual, fx.expected_agency_year(built["tables"]))


def test_agency_year_chooses_one_copy_deterministically(built: dict) -> None:
    rows = by_key(built["models"]["agency_year"], "agency", "year")
    expected = {
        ("鼎城区应急管理局", 2020): (
            "r01_dingcheng20_html",
            3,
            "ok_over_partial",
        ),  # html beats the text copy with more facts
        ("常德市人民政府", 2020): ("r07_changde_gov20_full", 2, "more_facts"),
        ("平潭综合实验区", 2020): ("r12_pingtan20_html", 2, "html_over_text"),
        ("平潭综合实验区", 2021): ("r15_pingtan21_new", 2, "later_fetch"),
        ("平潭综合实验区", 2022): ("r16_pingtan22_a", 2, "report_id_tiebreak"),
        ("平潭综合实验区管委会", 2020): ("r18_pingtan_gwh20", 1, "only_copy"),  # a different name: its own row
    }
    for key, (report_id, copies, because) in expected.items():
        assert (rows[key]["report_id"], rows[key]["copies"], rows[key]["chosen_because"]) == (
            report_id,
            copies,
            because,
        )
    assert rows[("鼎城区应急管理局", 2020)]["copy_report_ids"] == [
        "r01_dingcheng20_html",
        "r03_dingcheng20_trad",
        "r02_dingcheng20_text",
    ]
    chosen = {r["report_id"] for r in rows.values()}
    assert not {"r22_no_agency", "r23_no_year", "r26_blank_agency"} & chosen
    # Every report with an agency and a year is a copy of exactly one row.
    reports = [r for r in built["tables"]["reports"] if (r["agency"] or "").strip() and r["year"] is not None]
    assert sum(r["copies"] for r in rows.values()) == len(reports)


def test_duplicates_never_double_count(built: dict) -> None:
    national = by_key([r for r in built["models"]["region_year"] if r["region_level"] == "national"], "year")
    summaries = fx.expected_report_summary(built["tables"])
    chosen = {r["report_id"] for r in built["models"]["agency_year"]}
    of_2020 = [s for s in summaries.values() if s["year"] == 2020 and (s["agency"] or "").strip()]
    once = sum(s["new_received"] for s in of_2020 if s["report_id"] in chosen and s["new_received"] is not None)
    every_copy = sum(s["new_received"] for s in of_2020 if s["new_received"] is not None)
    assert national[2020]["new_received"] == once
    assert every_copy > once  # the fixture's copies would have inflated it
    assert national[2020]["reports_covered"] == len({s["agency"] for s in of_2020})
    assert national[2020]["copies_ingested"] == len(of_2020)


def test_region_year_matches_reference(built: dict) -> None:
    actual = by_key(built["models"]["region_year"], "region_level", "province", "city", "county", "year")
    assert_matches(actual, fx.expected_region_year(built["tables"]), fx.AGGREGATE_COLUMNS)
    # Levels nest: 鼎城区 (county) is in 常德市 (city) and 湖南省 (province).
    county = actual[("county", "湖南省", "常德市", "鼎城区", 2021)]
    city = actual[("city", "湖南省", "常德市", None, 2021)]
    assert county["region"] == "鼎城区" and city["region"] == "常德市"
    assert city["reports_covered"] > county["reports_covered"]
    # A county-level zone without a city (两江新区) still has its county row.
    assert ("county", "重庆市", None, "两江新区", 2018) in actual


def test_agency_category_year_matches_reference(built: dict) -> None:
    actual = by_key(built["models"]["agency_category_year"], "agency_category", "year")
    assert_matches(actual, fx.expected_agency_category_year(built["tables"]), fx.AGGREGATE_COLUMNS)
    assert actual[("government", 2022)]["agencies"] == 3  # 常德市人民政府, 常德市 and 平潭综合实验区


def test_agency_categories_and_governments(built: dict) -> None:
    agencies = by_key(built["models"]["agencies"], "agency")
    assert {a: r["category"] for a, r in agencies.items()} == fx.CATEGORY_OF
    for name, row in agencies.items():
        assert row["is_government"] == is_government(name), name  # the same rule as the parser's
    assert agencies["常德市"]["matched_by"] == "bare region name"
    assert agencies["公安县人民政府"]["category_label"] == "人民政府"


def test_special_zones_seed_matches_python() -> None:
    with open(fx.SQL_DIR / "seeds" / "special_zones.csv", encoding="utf-8") as f:
        seed = {r["zone"]: (r["province"] or None, r["city"] or None, r["county"] or None) for r in csv.DictReader(f)}
    assert seed == SPECIAL_ZONES


def test_applicant_mix_matches_reference(built: dict) -> None:
    actual = by_key(built["models"]["applicant_mix"], "region_level", "province", "city", "county", "year")
    expected = fx.expected_applicant_mix(built["tables"])
    assert_matches(actual, expected)
    for row in actual.values():
        if row["new_applications"]:
            assert row["natural_person_share"] + row["legal_person_share"] == pytest.approx(1)
    # 平潭综合实验区管委会's applicant cells are blank: 2020 in 平潭综合实验区 covers the zone's report only.
    assert actual[("city", "福建省", "平潭综合实验区", None, 2020)]["reports_covered"] == 1


def test_carryover_consistency_matches_reference(built: dict) -> None:
    actual = by_key(built["models"]["carryover_consistency"], "agency", "year")
    assert_matches(actual, fx.expected_carryover(built["tables"]))
    dingcheng21, dingcheng22 = actual[("鼎城区应急管理局", 2021)], actual[("鼎城区应急管理局", 2022)]
    assert (dingcheng21["prior_carried_forward"], dingcheng21["carried_over"], dingcheng21["flagged"]) == (3, 5, True)
    assert dingcheng21["prior_report_id"] == "r01_dingcheng20_html"  # the chosen copy of 2020
    assert dingcheng22["carryover_consistent"] is True and dingcheng22["in_force_consistent"] is True
    assert dingcheng22["flagged"] is False
    changde22 = actual[("常德市人民政府", 2022)]
    assert (changde22["in_force_expected"], changde22["in_force"], changde22["flagged"]) == (12, 15, True)
    assert actual[("常德市人民政府", 2021)]["in_force_consistent"] is None  # 2020 is a 2019-template report
    assert ("白山市人防办", 2019) not in actual  # 2017 and 2019 are not consecutive


def test_data_quality_matches_reference(built: dict) -> None:
    actual = by_key(built["models"]["data_quality"], "report_id")
    expected = fx.expected_data_quality(built["tables"])
    assert_matches(actual, expected)


def test_data_quality_on_time_rules(built: dict) -> None:
    rows = by_key(built["models"]["data_quality"], "report_id")
    cases = {
        "r01_dingcheng20_html": (False, dt.date(2021, 1, 31), True),  # department, before 31 Jan
        "r04_dingcheng21": (False, dt.date(2022, 1, 31), False),  # department, 10 Feb: late
        "r06_changde_gov19": (True, dt.date(2020, 3, 31), True),  # government, 15 March
        "r09_changde_gov21": (True, dt.date(2022, 3, 31), True),  # on the deadline itself
        "r07_changde_gov20_full": (True, dt.date(2021, 3, 31), False),  # government, 2 April: late
        "r11_changde22": (True, dt.date(2023, 3, 31), True),  # bare region name: a government
        "r12_pingtan20_html": (True, dt.date(2021, 3, 31), True),  # special zone: a government
        "r19_hunan_rfb17": (False, dt.date(2018, 3, 31), True),  # 2018 and before: 31 March for all
        "r20_baishan17": (False, dt.date(2018, 3, 31), False),
        "r02_dingcheng20_text": (False, dt.date(2021, 1, 31), None),  # no published date
        "r23_no_year": (False, None, None),
    }
    for report_id, want in cases.items():
        row = rows[report_id]
        assert (row["is_government"], row["deadline"], row["on_time"]) == want, report_id


def test_data_quality_grades(built: dict) -> None:
    rows = by_key(built["models"]["data_quality"], "report_id")
    assert rows["r05_dingcheng22"]["grade"] == "A"
    assert rows["r24_dingcheng19"]["grade"] == "B"  # two failed checks
    assert rows["r24_dingcheng19"]["failed_checks"] == ["applicant_sum:granted", "outcomes_sum:total"]
    assert rows["r06_changde_gov19"]["grade"] == "B" and rows["r06_changde_gov19"]["sections_missing"] == ["other"]
    assert rows["r07_changde_gov20_full"]["grade"] == "C"  # three failed checks
    assert rows["r03_dingcheng20_trad"]["grade"] == "C"  # partial, with figures
    assert rows["r03_dingcheng20_trad"]["tables_found"] == "三"
    assert rows["r22_no_agency"]["grade"] == rows["r23_no_year"]["grade"] == rows["r26_blank_agency"]["grade"] == "D"
    assert rows["r21_pingtanxian12"]["tables_found"] == "none"  # a pre-2019 statistics table is not table 三 or 四
    assert rows["r19_hunan_rfb17"]["tables_found"] == "none"


def test_data_quality_summary_counts_every_report(built: dict) -> None:
    expected = Counter(
        (r["grade"], r["on_time"], r["parse_status"], r["tables_found"])
        for r in fx.expected_data_quality(built["tables"]).values()
    )
    actual = {
        (r["grade"], r["on_time"], r["parse_status"], r["tables_found"]): r["reports_covered"]
        for r in built["models"]["data_quality_summary"]
    }
    assert actual == dict(expected)
    assert sum(actual.values()) == len(built["tables"]["reports"])


def test_models_and_columns_documented(built: dict) -> None:
    manifest = json.loads((built["work"] / "target" / "manifest.json").read_text())
    nodes = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    assert set(nodes) == set(MODELS)
    for model, rows in built["models"].items():
        node = nodes[model]
        assert node["description"].strip(), model
        assert node["config"]["materialized"] == "table"
        documented = {name for name, column in node["columns"].items() if column["description"].strip()}
        assert set(rows[0]) <= documented, f"{model}: undocumented {set(rows[0]) - documented}"


def test_key_tests_are_errors_and_block_the_build(built: dict, tmp_path: Path) -> None:
    manifest = json.loads((built["work"] / "target" / "manifest.json").read_text())
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"]
    for test in tests:
        kind = test["test_metadata"]["name"] if test.get("test_metadata") else ""
        if kind in ("unique", "not_null", "unique_combination_of_columns"):
            assert test["config"]["severity"].lower() == "error", test["name"]
    assert any(t["config"]["severity"].lower() == "warn" for t in tests)

    # Break the keys of two built models and run their tests: the build must fail.
    broken = tmp_path / "broken.duckdb"
    shutil.copy(built["db"], broken)
    con = duckdb.connect(str(broken))
    con.execute("insert into report_summary select * from report_summary where report_id = 'r05_dingcheng22'")
    con.execute("insert into agency_year select * from agency_year limit 1")
    con.close()
    result = fx.run_dbt(broken, tmp_path, "test", "--select", "report_summary", "agency_year")
    assert result.returncode != 0
    statuses = {
        r["unique_id"].split(".")[2]: r["status"]
        for r in json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    }
    assert statuses["unique_report_summary_report_id"] == "fail"
    assert statuses["unique_combination_of_columns_agency_year_agency__year"] == "fail"
    assert statuses["unique_agency_year_report_id"] == "fail"
