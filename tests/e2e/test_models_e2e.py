"""The SQL models on the sample corpus built by the real pipeline, against figures worked out
by hand from the fixtures' truth files (tests/fixtures/*.truth.json, their `notes`) and pages.

002.html, 302.html and 502.txt are one report (平潭综合实验区, 2020) as HTML, as a traditional-
script HTML mirror and as plain text; 004.html and 404.html are one report (2022) twice.
"""

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from helpers import Build


def rows(build: Build, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    con = duckdb.connect(str(build.warehouse), read_only=True)
    try:
        cursor = con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def of_file(build: Build, model: str, file_name: str) -> dict[str, Any]:
    """The model's row for the report read from `file_name`."""
    found = rows(
        build,
        f"select m.* from {model} as m join reports as r using (report_id) where r.source_uri like ?",
        [f"%/{file_name}"],
    )
    assert len(found) == 1, f"{model} {file_name}: {len(found)} rows"
    return found[0]


def file_of(build: Build, report_id: str) -> str:
    return rows(build, "select source_uri from reports where report_id = ?", [report_id])[0]["source_uri"].split("/")[
        -1
    ]


# 002.truth.json: new 21, carried over 0, 予以公开 7, 部分公开 6, （七）总计 21 as printed (its rows
# add up to 27: 不掌握 4 + 补正后仍不明确 3 = unavailable 7, 重复申请 3, 其他处理 4), carried
# forward 0; table 四 all 0.
REPORT_002 = {
    "new_received": 21,
    "carried_over": 0,
    "processed": 21,
    "granted": 7,
    "partially_granted": 6,
    "denied": 0,
    "unavailable": 7,
    "not_processed": 3,
    "other": 4,
    "carried_forward": 0,
    "reviews": 0,
    "lawsuits": 0,
}
# 004.truth.json: new 74, carried over 1, 予以公开 21, 部分公开 9, 总计 75; 不予公开 三类内部 1 +
# 四类过程性 2 + 执法案卷 1 = 4; 不掌握 37; （六） 逾期不补正 2 + 其他 2 = 4 (2021 sub-rows); 复议 2
# (纠正 1); lawsuits 直接起诉 1 + 复议后起诉 0.
REPORT_004 = {
    "new_received": 74,
    "carried_over": 1,
    "processed": 75,
    "granted": 21,
    "partially_granted": 9,
    "denied": 4,
    "unavailable": 37,
    "not_processed": 0,
    "other": 4,
    "carried_forward": 0,
    "reviews": 2,
    "reviews_corrected": 1,
    "lawsuits": 1,
}


@pytest.mark.parametrize(
    ("file_name", "expected", "rate"),
    [("002.html", REPORT_002, 13 / 21), ("004.html", REPORT_004, 30 / 75), ("404.html", REPORT_004, 30 / 75)],
)
def test_report_summary_of_hand_checked_reports(
    sample_build: Build, file_name: str, expected: dict[str, int], rate: float
) -> None:
    summary = of_file(sample_build, "report_summary", file_name)
    assert {column: summary[column] for column in expected} == expected
    assert summary["disclosure_rate"] == pytest.approx(rate)


def test_agency_year_keeps_an_html_copy_once(sample_build: Build) -> None:
    chosen = {
        r["year"]: r
        for r in rows(
            sample_build, "select * from agency_year where agency = '平潭综合实验区' and year in (2020, 2022)"
        )
    }
    copies_2020 = [file_of(sample_build, report_id) for report_id in chosen[2020]["copy_report_ids"]]
    # 002 is in the corpus as two HTML pages, a text export, and PDF and Word copies.
    assert {"002.html", "302.html", "502.txt", "002.pdf", "002.docx"} <= set(copies_2020)
    assert chosen[2020]["copies"] == len(copies_2020)
    assert sorted(copies_2020[:2]) == ["002.html", "302.html"]  # the HTML copies rank first
    assert copies_2020[-1] == "502.txt"  # the text export last: the least faithful copy
    # The runner-up is the other HTML copy: format does not separate them.
    assert chosen[2020]["chosen_because"] in ("ok_over_partial", "more_facts", "later_fetch", "report_id_tiebreak")
    assert chosen[2020]["new_received"] == 21 and chosen[2020]["format"] == "html"
    assert chosen[2022]["copies"] == 4 and chosen[2022]["new_received"] == 74  # 004.html, 404.html, 004.pdf, 004.docx


def test_region_year_counts_a_report_once_however_many_copies(sample_build: Build) -> None:
    national = rows(sample_build, "select * from region_year where region_level = 'national' and year = 2022")
    assert len(national) == 1
    row = national[0]
    # 2022: one agency (平潭综合实验区), one report (004.truth.json) ingested four times
    # (004.html, 404.html, 004.pdf, 004.docx).
    assert (row["agencies"], row["reports_covered"], row["copies_ingested"]) == (1, 1, 4)
    assert (row["new_received"], row["processed"], row["granted"], row["partially_granted"]) == (74, 75, 21, 9)
    assert row["disclosure_rate"] == pytest.approx(30 / 75)
    assert row["reviews"] == 2 and row["lawsuits"] == 1
    zone = rows(sample_build, "select * from region_year where region = '平潭综合实验区' and year = 2022")
    assert [(r["region_level"], r["new_received"]) for r in zone] == [("city", 74)]


def test_data_quality_deadlines(sample_build: Build) -> None:
    # 002: 平潭综合实验区 is a people's government (a zone named by itself); 2020 → 31 March 2021;
    # published 2021-03-05.
    report_002 = of_file(sample_build, "data_quality", "002.html")
    assert (report_002["is_government"], report_002["deadline"], report_002["on_time"]) == (
        True,
        dt.date(2021, 3, 31),
        True,
    )
    assert report_002["days_after_deadline"] == -26
    assert report_002["tables_found"] == "二三四"
    # 023: a department's report on 2018 → 31 March 2019 for everyone then; published 2019-01-25.
    report_023 = of_file(sample_build, "data_quality", "023.txt")
    assert (report_023["is_government"], report_023["deadline"], report_023["on_time"]) == (
        False,
        dt.date(2019, 3, 31),
        True,
    )
    assert report_023["tables_found"] == "none"  # a pre-2019 report has no national tables
    # 502: the text copy gives no publication date.
    assert of_file(sample_build, "data_quality", "502.txt")["on_time"] is None


def test_indicators_of_pingtan(sample_build: Build) -> None:
    # 2022 (004, REPORT_004): (21 + 9) / 75; 不掌握 37 of 无法提供 37; 复议 2 (纠正 1) + 诉讼 1 (纠正 0)
    # → 1 / 3 corrected; (2 + 1) / 74 new applications disputed. Its own totals add up.
    found = rows(sample_build, "select * from indicators where agency = '平潭综合实验区' and year = 2022")
    assert len(found) == 1
    row = found[0]
    assert (row["processed"], row["small_sample"], row["inconsistent_source"], row["province_rank"]) == (
        75,
        False,
        False,
        1,
    )
    assert row["disclosure_rate"] == pytest.approx(30 / 75)
    assert row["not_held_share"] == 1.0 and row["correction_rate"] == pytest.approx(1 / 3)
    assert row["dispute_rate"] == pytest.approx(3 / 74)
    assert row["disclosure_rate_yoy"] is None  # no report on 2021
    # 2020 (002): （七）总计 21 as printed while its outcome rows add up to 27: kept, and flagged.
    row_2020 = rows(sample_build, "select * from indicators where agency = '平潭综合实验区' and year = 2020")[0]
    assert row_2020["inconsistent_source"] is True and row_2020["disclosure_rate"] == pytest.approx(13 / 21)
    assert row_2020["small_sample"] is True and row_2020["province_rank"] is None


def test_coverage_and_timeliness_of_the_sample(sample_build: Build) -> None:
    # 平潭综合实验区 reported on 2016, 2020 and 2022 in the corpus: 2017–2019 and 2021 are missing.
    statuses = rows(sample_build, "select year, status from coverage where agency = '平潭综合实验区' order by year")
    assert [(r["year"], r["status"]) for r in statuses] == [
        (2016, "present"),
        (2017, "missing"),
        (2018, "missing"),
        (2019, "missing"),
        (2020, "present"),
        (2021, "missing"),
        (2022, "present"),
    ]
    assert rows(sample_build, "select count(*) as n from coverage_unplaced")[0]["n"] == 0  # nothing scraped
    # 002: the deadline data_quality uses, from the same seed; hand-placed, so never first_seen.
    timeliness = of_file(sample_build, "publication_timeliness", "002.html")
    assert (timeliness["deadline"], timeliness["timeliness"], timeliness["first_seen"], timeliness["backdated"]) == (
        dt.date(2021, 3, 31),
        "on_time",
        None,
        None,
    )


def test_the_views_resolve_when_the_warehouse_file_is_renamed(sample_build: Build, tmp_path: Path) -> None:
    """A copy of the published file under another name (its catalog is named after the file)
    still answers every staging view."""
    renamed = tmp_path / "renamed.duckdb"
    shutil.copyfile(sample_build.warehouse, renamed)
    con = duckdb.connect(str(renamed), read_only=True)
    try:
        views = [v for (v,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
        counts = {v: con.execute(f'SELECT count(*) FROM "{v}"').fetchone()[0] for v in views}
    finally:
        con.close()
    assert {"stg_reports", "stg_sections", "stg_application_outcomes"} <= set(counts)
    assert counts["stg_reports"] > 0
