"""Report or not. A page whose title or first lines name a 政府信息公开工作年度报告 (年报)
of a year is a report even when it shows fewer than two numbered sections; pages about
the reports that are not one — notices about compiling them, guides, rules, news, lists
of reports, menus — stay refused. Both kinds are real pages (synthetic copies here)."""

from __future__ import annotations

import pytest
from helpers import page, parse_rows


def is_report(lines: list[str], uri: str = "p.html") -> bool:
    data = page(lines) if uri.endswith(".html") else "\n".join(lines).encode("utf-8")
    return parse_rows(data, uri).is_report


CHROME = ["网站支持IPv6", "无障碍 适老版 登录 注册", "当前位置：首页 > 政务公开 > 政府信息公开年报 > 2021 > 正文"]
MENU = ["• 政府信息公开指南", "• 政府信息公开制度", "• 政府信息公开年报", "• 依申请公开"]


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(
            [
                *CHROME,
                "根据《中华人民共和国政府信息公开条例》和上级有关要求，现公布云岭镇人民政府2021年政府信息公开工作年度报告。",
                "2021年，我镇未收到政府信息公开申请。",
            ],
            id="opening names the report below the site's furniture",
        ),
        pytest.param(
            [
                *MENU,
                "2020年度",
                "根据《条例》规定，现将石川县北溪区水务局2020年政府信息公开工作年度报告予以公布。",
                "全年未收到申请。",
            ],
            id="below a left menu",
        ),
        pytest.param(
            [
                *CHROME,
                "（二）政府信息依申请公开情况",
                "现将我局2020年政府信息公开工作年度报告中依申请公开部分公布如下。",
            ],
            id="a second page of a report",
        ),
        pytest.param(
            [
                *CHROME,
                "根据《条例》要求，特向社会公布2019年度青禾县民政局政府信息公开工作年度报告。一、 概述 我局认真落实条例。",
            ],
            id="the whole report on one line",
        ),
        pytest.param(
            [
                *CHROME,
                "云岭镇人民政府2021年政府信息公开工作年度报告",
                "2021年，我镇未收到政府信息公开申请。",
                "责任编辑：某某",
            ],
            id="an editor in the footer",
        ),
    ],
)
def test_a_page_that_names_its_report_is_a_report(lines: list[str]) -> None:
    assert is_report(lines)


def test_a_text_export_naming_its_report_is_a_report() -> None:
    lines = [*CHROME, "按照要求，现将石川县林业局2020年政府信息公开工作年度报告公布如下。", "全年未收到申请。"]
    assert is_report(lines, "x.txt")


NOTICE = [
    "当前位置：首页 > 政务公开 > 通知公告",
    "关于做好2020年度政府信息公开工作年度报告编制和发布工作的通知",
    "发布时间：2021-01-05",
    "石府办发〔2021〕3号",
    "各县（市、区）人民政府，市政府各部门：",
    "为做好2020年度政府信息公开工作年度报告编制和发布工作，现就有关事项通知如下：",
    "一、编制要求",
    "各单位要按照国办公开办函〔2021〕30号要求编制年度报告。",
    "二、报送时间",
    "请于2021年1月21日前报送。",
    "特此通知。",
]


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(NOTICE, id="notice about compiling the reports"),
        pytest.param(
            [
                "2018年政府信息公开工作年度报告报送通知",
                "各乡镇人民政府、街道办事处，县政府各部门：",
                "现就2018年政府信息公开工作年度报告报送有关事项通知如下：",
                "一、报送内容",
                "二、报送时间",
            ],
            id="notice titled with the report's name",
        ),
        pytest.param(
            [
                "阿岭州人民政府办公室",
                "关于做好2017年政府信息公开工作年度报告",
                "编制和公布工作的通知",
                "阿府办函〔2018〕21号",
                "各县（市）人民政府，州政府各部门：",
                "现就有关事项通知如下。",
            ],
            id="notice with a split title",
        ),
        pytest.param(
            [
                "青禾县人民政府政府信息公开指南",
                "为了更好地提供政府信息公开服务，编制本指南。",
                "一、主动公开",
                "公开内容包括政府工作报告、2020年政府信息公开年度报告等。",
                "二、依申请公开",
            ],
            id="guide",
        ),
        pytest.param(
            [
                "首页 > 政务公开 > 政府信息公开年报",
                "• 青禾县2020年政府信息公开工作年度报告 2021-01-20",
                "• 青禾县2019年政府信息公开工作年度报告 2020-01-18",
                "• 青禾县2018年政府信息公开工作年度报告 2019-01-15",
                "共3条 1/1页",
            ],
            id="list of reports",
        ),
        pytest.param(
            [
                "山东省政府发布2018年政府信息公开工作年度报告",
                "来源：某某晚报 2019-03-31 11:40:03",
                "3月31日，省人民政府办公厅对外公布了2018年政府信息公开工作年度报告。报告显示，全省共受理申请1万件。",
                "（某某晚报记者 某某）",
            ],
            id="news",
        ),
        pytest.param(
            [
                "青禾县召开2023年度政府信息公开工作年报编制和发布部署会",
                "发布时间:2024-01-10 18:11 来源: 青禾县人民政府",
                "1月9日下午，县政府召开了2023年度政府信息公开工作年报编制和发布部署会，各乡镇、县直部门参加。",
                "会上针对总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六大板块的撰写要求做了指导。",
                "会议强调，政府信息公开工作年度报告是法定监督保障制度。会议要求，各单位按时报审、公开。",
            ],
            id="news of a meeting on compiling the reports",
        ),
        pytest.param(
            [
                "青禾县政府信息公开工作年度报告制度",
                "第一条 为规范政府信息公开工作年度报告，制定本制度。",
                "第二条 各单位应于每年1月31日前编制上一年度政府信息公开工作年度报告。",
            ],
            id="rules",
        ),
        pytest.param(
            ["• 政府信息公开指南", "• 政府信息公开制度", "• 政府信息公开年报", "• 依申请公开", "2020年度"], id="menu"
        ),
        pytest.param(
            [
                "行政复议决定书",
                "申请人：张某",
                "被申请人：青禾县民政局",
                "申请人不服被申请人2020年政府信息公开工作年度报告……",
            ],
            id="review decision",
        ),
    ],
)
def test_pages_about_the_reports_are_not_reports(lines: list[str]) -> None:
    parsed = parse_rows(page(lines), "p.html")
    assert not parsed.is_report
    assert [i["code"] for i in parsed.rows["parse_issues"]] == ["not_a_report"]


def test_a_report_that_tells_of_a_meeting_stays_a_report() -> None:
    lines = [
        "青禾县人民政府2021年政府信息公开工作年度报告",
        "一、总体情况",
        "2021年，我县召开政务公开工作推进会，会议要求各单位落实《条例》。",
        "二、主动公开政府信息情况",
    ]
    assert is_report(lines)
    # A report whose opening names it, under a sidebar headline of a meeting.
    sidebar = [
        "青禾县召开2021年度政府信息公开工作年报编制培训会",
        "根据《条例》，现公布青禾县民政局2021年政府信息公开工作年度报告。",
    ]
    assert is_report([*sidebar, "2021年，我局召开专题会议研究公开工作，会上部署了年报编制。"])
