"""Published dates as pages print them without a `发布时间` label, and the dates that are
never the published date: today's in the site header, a signature's, a statistics
period's, one in a sidebar list, and any later than the page was fetched."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from helpers import page, parse_rows, report_of

from pipelines.raw.inventory import plan

TITLE = "石川县民政局2020年政府信息公开工作年度报告"
BODY = [
    "一、总体情况",
    "2020年，我局认真贯彻落实《条例》，统计期限自2020年1月1日起至2020年12月31日止。",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
]
FETCHED = dt.datetime(2024, 6, 1, 8, 0)


def published(lines: list[str], **kwargs: object) -> str | None:
    report = report_of(page(lines), fetched_at=kwargs.get("fetched_at", FETCHED))
    return str(report["published_date"]) if report["published_date"] else None


@pytest.mark.parametrize(
    ("header", "date"),
    [
        (["发布时间:2021-01-28 00:00  来源:县民政局  浏览次数:  字体:[ ] 打印"], "2021-01-28"),
        (["2021-02-07 18:07 来源:石川县民政局"], "2021-02-07"),
        (["来源:石川县人民政府办公室          2021-03-30 16:42:10 【字体:大 中 小】"], "2021-03-30"),
        (["2020-01-1509:30"], "2020-01-15"),
        (["发布日期:2021-03-2714:05来源:本网"], "2021-03-27"),
        (["日期:2021-01-22来源:石川县民政局"], "2021-01-22"),
        (["发布时间：2018/3/26"], "2018-03-26"),
        (["2021-01-29", "【字体:大 中 小】 打印"], "2021-01-29"),
        (["信息来源:正阳镇 作者:佚名 发布时间:2022-01-26 16:32 【 字体:"], "2022-01-26"),
        (["更新时间:2021-02-12 发布时间:"], "2021-02-12"),
        (["2021-02-09 发布:石川县人民政府办公室 点击数:"], "2021-02-09"),
        (["石川县人民政府办公室 2021-04-15"], "2021-04-15"),
        (["石川县政务公开办  2021/3/26"], "2021-03-26"),
        (["2021-03-26 09:30 石川县民政局"], "2021-03-26"),
    ],
    ids=[
        "labelled",
        "before 来源",
        "after 来源",
        "glued to its time",
        "glued to time and 来源",
        "日期 glued to 来源",
        "slashes",
        "alone above the toolbar",
        "after byline",
        "empty 发布时间, 更新时间 filled",
        "before 发布 and the office",
        "beside the office, unlabelled",
        "slashes beside the office",
        "before the office",
    ],
)
def test_dates_beside_the_title_or_the_source(header: list[str], date: str) -> None:
    assert published([TITLE, *header, *BODY]) == date


def test_the_repost_header_of_a_central_portal() -> None:
    header = "中央政府门户网站 www.gov.cn 2011年05月09日 来源:某自治区人民政府网站"
    assert published([header, TITLE.replace("2020", "2010"), *BODY]) == "2011-05-09"


@pytest.mark.parametrize(
    "lines",
    [
        ["今天是2021年9月14日 星期二", TITLE, *BODY],
        ["Today is 2021-9-14", TITLE, *BODY],
        [TITLE, "(2021年1月20日)", *BODY],
        [TITLE, *BODY, "石川县民政局", "2021年1月19日"],
        [TITLE, *BODY, "相关阅读", "• 关于做好防汛工作的通知 2021-06-05", "• 石川县2021年工作要点 2021-03-01"],
        [TITLE, "石川县民政局 2021年1月20日", *BODY],
        [TITLE, *BODY, "石川县民政局 2021-01-19"],
        [TITLE, *BODY, "相关阅读", "石川县民政局 2021-06-05"],
    ],
    ids=[
        "today in the header",
        "today in English",
        "signing date under the title",
        "signature",
        "sidebar list",
        "office and a date in words under the title",
        "office and date in figures below the text",
        "office and date in a list below the text",
    ],
)
def test_dates_that_are_never_the_published_date(lines: list[str]) -> None:
    assert published(lines) is None


def test_the_article_headers_unlabelled_date_wins_over_a_labelled_one_in_a_list() -> None:
    lines = [TITLE, "2021-02-07 18:07 来源:石川县民政局", *BODY, "相关信息", "发布时间：2021-07-01"]
    assert published(lines) == "2021-02-07"


def test_a_list_before_the_article_loses_to_the_date_beside_the_title() -> None:
    lines = ["最新信息", "关于做好防汛工作的通知 发布时间：2021-06-05", "石川县2021年工作要点 发布时间：2021-03-01"]
    lines += [TITLE, "发布时间：2021-01-22 来源：石川县民政局", *BODY]
    assert published(lines) == "2021-01-22"


def test_the_article_header_wins_over_a_sidebar() -> None:
    lines = ["今天是2021年9月14日 星期二", TITLE, "来源：石川县民政局 发布时间：2021-01-22", *BODY]
    lines += ["相关信息", "发布时间：2021-07-01"]
    assert published(lines) == "2021-01-22"


def test_a_date_later_than_the_fetch_is_never_the_published_date() -> None:
    lines = [TITLE, "发布时间：2024-08-05", *BODY]
    assert published(lines, fetched_at=dt.datetime(2024, 6, 1)) is None
    assert published(lines, fetched_at=dt.datetime(2024, 9, 1)) == "2024-08-05"
    # The fetch time is UTC, the page's date China's: a date one day ahead of it is no later.
    assert published(lines, fetched_at=dt.datetime(2024, 8, 4, 20, 0)) == "2024-08-05"


def test_a_placed_file_is_bounded_by_its_modification_time(tmp_path: Path) -> None:
    """A file placed by hand is 'fetched' when it was last modified."""
    path = tmp_path / "report.html"
    path.write_bytes(page([TITLE, "发布时间：2024-08-05", *BODY]))
    stamp = dt.datetime(2024, 6, 1).timestamp()
    os.utime(path, (stamp, stamp))
    (entry,) = [f for files in plan(tmp_path, {}, "any", 1).to_parse.values() for f in files]
    parsed = parse_rows(path.read_bytes(), entry.source_uri, fetched_at=entry.fetched_at)
    assert parsed.rows["reports"][0]["published_date"] is None


def test_a_text_exports_metadata_table() -> None:
    text = "\n".join(
        [
            f"标题 | {TITLE} | 索引号 | 0001 |",
            "发布机构 | 石川县民政局 | 发布日期 | 2021-01-29 16:20:00 |",
            *BODY,
        ]
    )
    report = report_of(text.encode("utf-8"), "export.txt", fetched_at=FETCHED)
    assert (report["title"], str(report["published_date"])) == (TITLE, "2021-01-29")


def test_a_text_exports_header_line_with_a_stray_bar() -> None:
    """A line with a stray `|` is read as a one-cell row: its date is still the header's."""
    text = "\n".join([f"{TITLE} | ||||", "2021-02-09 发布:石川县人民政府办公室 点击数: | ||||", *BODY])
    assert str(report_of(text.encode("utf-8"), "export.txt", fetched_at=FETCHED)["published_date"]) == "2021-02-09"


def test_the_office_and_date_under_the_title_win_over_a_labelled_date_in_a_list() -> None:
    lines = [TITLE, "石川县人民政府办公室 2021-02-03", *BODY, "相关信息", "发布时间：2021-07-01"]
    assert published(lines) == "2021-02-03"
    assert published([TITLE, "石川县人民政府办公室 2024-08-05", *BODY]) is None  # later than the fetch


def test_a_shifted_metadata_row_gives_the_date_to_the_label_beside_it() -> None:
    text = "\n".join(["成文日期 | 发布日期 | 2021-01-30 |", TITLE, *BODY])
    assert str(report_of(text.encode("utf-8"), "export.txt")["published_date"]) == "2021-01-30"
