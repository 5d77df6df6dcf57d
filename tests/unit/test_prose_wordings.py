"""Figures stated in prose in the wordings real reports use across the provinces, the
scope rule for development-zone administrations, and what a pre-2019 report that
received no application states by that (SCHEMA.md: derived zeros, read zeros, NULL)."""

from __future__ import annotations

import pytest
from helpers import page, parse_rows

from pipelines.parse.agencies import is_government
from pipelines.parse.prose import read_prose
from pipelines.parse.sections import Section


def figures(text: str, kind: str = "applications", government: bool = False) -> dict[str, int]:
    sections = [Section(1, "三、收到和处理政府信息公开申请情况", kind, text)]
    return {key[0]: f.value for key, f in read_prose(sections, text, government).items()}


@pytest.mark.parametrize(
    ("text", "received"),
    [
        pytest.param("2020年，我局收到3件政府信息公开申请，均已按期答复。", 3, id="count before the noun"),
        pytest.param("全年共收到4份政府信息公开申请，均为自然人申请。", 4, id="in 份"),
        pytest.param("我局收到5起政府信息依申请公开，已全部办结。", 5, id="in 起, 依申请公开"),
        pytest.param("我局共收到6件依申请公开。", 6, id="共收到N件依申请公开"),
        pytest.param("本年度未共收到政府信息公开申请。", 0, id="none, split by 共"),
        pytest.param("2017年未接收到有关依申请公开政府信息的情况。", 0, id="none, 接收到"),
        pytest.param("本年度未接收政府信息公开申请。", 0, id="none, 接收"),
        pytest.param("本年新收政府信息公开申请数量12件。", 12, id="the table row's wording"),
        pytest.param("2020年，无依申请公开情况。", 0, id="none, 无依申请公开情况"),
        pytest.param("依申请公开政府信息的数量：无。", 0, id="none, 数量:无"),
        pytest.param(
            "本年新收政府信息公开申请数量0件，上年结转政府信息公开申请数量0件。", 0, id="two table rows restated"
        ),
    ],
)
def test_applications_received(text: str, received: int) -> None:
    assert figures(text).get("new_received") == received


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("收到1份有关政府信息公开行政复议申请。", id="an appeal is no application"),
        pytest.param("全年收到网上咨询1380条，留言信件117条。", id="enquiries"),
        pytest.param("办理人大代表建议1件、政协提案2件。", id="proposals"),
        pytest.param("2020年光明区共受理6申请公开政府信息。", id="no unit"),
    ],
)
def test_what_is_not_a_count_of_applications(text: str) -> None:
    assert "new_received" not in figures(text)


@pytest.mark.parametrize(
    ("text", "review"),
    [
        pytest.param(
            "2020年，我县收到政府信息公开书面申请12件；涉及信息公开行政复议1项，由市政府复议。", 1, id="in 项"
        ),
        pytest.param("本年度收到1份有关政府信息公开行政复议申请，维持原决定。", 1, id="count before the noun"),
        pytest.param("本年度没有发生有关政府信息公开事务的行政复议、行政诉讼案件。", 0, id="none"),
        pytest.param("因政府信息公开申请行政复议、提起行政诉讼的情况：无。", 0, id="none, 情况:无"),
    ],
)
def test_reviews(text: str, review: int) -> None:
    assert figures(text, "review_litigation").get("review") == review


@pytest.mark.parametrize(
    "agency",
    [
        "兰亭经济开发区管委会",
        "望江高新技术产业开发区管理委员会",
        "望江高新区",
        "兰亭经济开发区",
        "云岭镇",
        "北溪街道办事处",
    ],
)
def test_zone_administrations_and_townships_are_governments_for_the_scope_rule(agency: str) -> None:
    assert is_government(agency)
    text = "2020年，全区共受理政府信息公开申请15件，2件结转至下年办理。"
    assert figures(text, government=is_government(agency))["new_received"] == 15


def test_a_zone_department_and_a_government_office_are_not() -> None:
    assert not is_government("兰亭经济开发区经济发展局")
    assert not is_government("望江新区管理委员会办公室")


PRE2019 = [
    "青禾县民政局2017年政府信息公开工作年度报告",
    "一、概述",
    "2017年，我局认真贯彻落实条例。",
    "二、主动公开政府信息情况",
    "2017年主动公开政府信息50条。",
    "三、依申请公开政府信息情况",
    "2017年，我局未收到政府信息公开申请。",
    "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
    "本年度没有发生有关政府信息公开事务的行政复议、行政诉讼案件。",
    "五、存在的主要问题及改进措施",
]


def _facts(lines: list[str]) -> dict[tuple[str, str], dict]:
    rows = parse_rows(page(lines), "p.html").rows
    outcomes = {(r["row_key"], r["applicant"]): r for r in rows["application_outcomes"]}
    review = {(r["proceeding"], r["outcome"]): r for r in rows["review_litigation"]}
    return {**outcomes, **review}


def test_a_pre2019_report_that_received_no_application_granted_none() -> None:
    facts = _facts(PRE2019)
    received = facts[("new_received", "total")]
    assert (received["value"], received["derived"], received["source"]) == (0, False, "prose")
    for row in ("granted", "partially_granted", "total_processed"):
        fact = facts[(row, "total")]
        assert (fact["value"], fact["derived"], fact["source"]) == (0, True, "prose"), row
        assert "未收到政府信息公开申请" in fact["evidence"]
    for proceeding in ("review", "litigation"):
        fact = facts[(proceeding, "total")]
        assert (fact["value"], fact["derived"]) == (0, False)


def test_applications_carried_over_or_silence_derive_nothing() -> None:
    carried = [line.replace("未收到政府信息公开申请。", "未收到新的申请，上年结转申请2件已办结。") for line in PRE2019]
    assert ("granted", "total") not in _facts(carried)
    silent = [line for line in PRE2019 if "未收到" not in line and "没有发生" not in line]
    facts = _facts(silent)
    assert not {("new_received", "total"), ("granted", "total"), ("review", "total")} & set(facts)
