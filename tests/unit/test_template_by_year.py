"""SCHEMA.md template rule (4): when no table label, table shape or heading decides, the
reporting year does — up to 2018 `pre2019`, 2019-2020 `2019`, from 2021 `2021` — and a
report of a table format whose tables are missing or are images stays `partial`;
`unknown` only when the year is unknown."""

from __future__ import annotations

import pytest
from helpers import page, parse_rows, report_of

from pipelines.parse.templates import UNKNOWN, decide_template, template_named

# A report whose tables are images: its sections say nothing of the table formats.
SECTIONS = [
    "一、总体情况",
    "我局认真贯彻落实《条例》。",
    "二、主动公开情况",
    "（图片）",
    "三、依申请公开情况",
    "（图片）",
]


@pytest.mark.parametrize(
    ("year", "template"),
    [(2008, "pre2019"), (2018, "pre2019"), (2019, "2019"), (2020, "2019"), (2021, "2021"), (2024, "2021")],
)
def test_the_year_decides_when_nothing_else_does(year: int, template: str) -> None:
    assert decide_template(None, None, year) == template


def test_table_labels_and_shape_still_come_first() -> None:
    assert decide_template(template_named("2021"), None, 2019) == "2021"
    assert decide_template(None, template_named("2019"), 2022) == "2019"
    assert decide_template(None, None, None) == UNKNOWN


@pytest.mark.parametrize(("year", "template"), [(2020, "2019"), (2022, "2021")])
def test_a_report_whose_tables_are_images_follows_its_years_format_and_is_partial(year: int, template: str) -> None:
    title = f"青禾县统计局{year}年政府信息公开工作年度报告"
    parsed = parse_rows(page([title, *SECTIONS]), "p.html")
    report = parsed.rows["reports"][0]
    assert (report["template"], report["parse_status"]) == (template, "partial")
    codes = {issue["code"] for issue in parsed.rows["parse_issues"]}
    assert "table_missing" in codes and "template_unknown" not in codes


def test_a_pre2019_report_without_tables_is_complete() -> None:
    report = report_of(page(["青禾县统计局2017年政府信息公开工作年度报告", *SECTIONS]))
    assert (report["template"], report["parse_status"]) == ("pre2019", "ok")


def test_without_a_year_the_template_is_unknown() -> None:
    lines = ["青禾县统计局政府信息公开工作年度报告", *SECTIONS, "全年共主动公开政府信息50条。"]
    report = report_of(page(lines))
    assert (report["year"], report["template"], report["parse_status"]) == (None, UNKNOWN, "partial")
