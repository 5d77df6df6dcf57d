"""Figures read from sentences (TEMPLATES.md §4.4), and what is not taken."""

import pytest

from pipelines.parse.prose import read_prose
from pipelines.parse.sections import Section


def figures(text: str, government: bool = False) -> dict[str, int]:
    sections = [Section(1, "三、依申请公开政府信息情况", "applications", text)]
    return {key[0]: f.value for key, f in read_prose(sections, text, government).items()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "我办2017年度共受理信息公开申请0件,不予受理政府信息公开申请0件,已答复的依申请公开信息0件。",
            {"new_received": 0, "total_processed": 0},
        ),
        (
            "2012年共收到有关政府信息公开的申请21条,其中当面申请数18条;对依申请公开的答复总数21条,其中同意公开答复数17条。",
            {"new_received": 21, "total_processed": 21, "granted": 17},
        ),
        (
            "我局受理依申请公开的数量为2条，历年累计受理依申请公开数7条。已答复件数2件，“同意公开”的件数为1件，“部分公开”的件数为0件。",
            {"new_received": 2, "total_processed": 2, "granted": 1, "partially_granted": 0},
        ),
        ("受理政府信息公开申请0次，答复0次。", {"new_received": 0, "total_processed": 0}),
        ("2016年全区未收到有关政府信息公开申请。", {}),  # 全区 in a department's report is not its own figure
        ("全年回复网上交流平台咨询事项39件。", {}),  # enquiries are not applications
        ("作为依申请公开信息数46条。", {}),  # items, not applications
        ("予以公开及部分公开258件，不予公开35件。", {}),
        # Appeals received are not information requests received (generated 014-style pages).
        ("收到有关政府信息公开行政复议申请1件，行政诉讼3件。", {}),
        ("未收到有关政府信息公开行政复议申请。", {}),
        ("共收到有关政府信息公开的申请0条；收到有关政府信息公开行政复议申请1件。", {"new_received": 0}),
    ],
)
def test_application_figures(text: str, expected: dict[str, int]) -> None:
    found = figures(text)
    assert {
        k: v for k, v in found.items() if k in ("new_received", "total_processed", "granted", "partially_granted")
    } == expected


def test_a_governments_own_region_wide_figures_are_taken() -> None:
    assert figures("2016年全区未收到有关政府信息公开申请。", government=True)["new_received"] == 0
    assert figures("全市共收到依申请公开信件425件。", government=False).get("new_received") is None


@pytest.mark.parametrize(
    ("text", "review", "litigation"),
    [
        ("2018年度我局无因政府信息公开申请行政复议、提起行政诉讼的情况。", 0, 0),
        (
            "我办2017年度发生针对本部门有关政府信息公开事务的行政复议案0件,发生针对本部门有关政府信息公开事务的行政诉讼案0件。",
            0,
            0,
        ),
        ("共有行政诉讼案件1件、行政复议案件2件，均已结案。", 2, 1),
        ("信息公开类行政复议7件，诉讼9件，均获维持。", 7, 9),
        ("未收到有关政府信息公开行政复议申请。", 0, None),
    ],
)
def test_review_and_litigation(text: str, review: int, litigation: int | None) -> None:
    sections = [Section(1, "五、因政府信息公开申请行政复议、提起行政诉讼的情况", "review_litigation", text)]
    found = {key[0]: f for key, f in read_prose(sections, text, False).items()}
    assert found["review"].value == review
    assert (found["litigation"].value if "litigation" in found else None) == litigation
    assert found["review"].evidence in text


def test_proactive_disclosure_skips_category_counts() -> None:
    text = "全年我区共公布政府信息2602条(其中机构职能类信息82条,其他应主动公开政府信息1053条)。"
    sections = [Section(1, "二、主动公开政府信息情况", "proactive", text)]
    found = read_prose(sections, text, True)
    assert found[("proactive_total", "published")].value == 2602


def proactive(text: str) -> int | None:
    sections = [Section(1, "二、主动公开政府信息情况", "proactive", text)]
    found = read_prose(sections, text, True)
    figure = found.get(("proactive_total", "published"))
    return figure.value if figure else None


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("2020年，主动公开疫情防控数据、财政数据、环境保护、应急管理等政府信息7074条。", 7074),
        ("2020年度主动公开政府信息总数2942条。通过门户网站公开政府信息52条。", 2942),
        ("全年共通过门户网站及政务新媒体主动公开907条，其中通过政府网站公开86条。", 907),
        ("2020年主动公开的各类政府信息数量12688。", 12688),
        ("全年及时向社会公开政务要闻、政府文件、重大决策、便民服务等政府信息共计4891条，其中规范性文件15件。", 4891),
        ("以政府网站为主渠道主动公开各类规划、重大建设项目、疫情防控等领域信息共1777条。", 1777),
    ],
    ids=["a list before 等政府信息", "总数", "no noun", "数量 without a unit", "向社会公开…共计", "等领域信息"],
)
def test_proactive_totals_in_prose(text: str, total: int) -> None:
    assert proactive(text) == total


@pytest.mark.parametrize(
    "text",
    [
        "主动公开规范性文件5件。",
        "主动公开规范性文件、政策解读等信息，其中规范性文件5件。",
        "主动公开疫情防控数据、财政数据等内容；发布政务要闻等信息35条。",
        "主动公开疫情防控数据、财政数据等内容。发布政务要闻等信息35条。",
        "主动公开政府信息数量同比增长20%。",
        "主动公开的政府信息数量12.5万条，较上年增长。",
        "2021年主动公开政府信息总数较上年增加300条。",
        "历年累计主动公开907条。",
    ],
    ids=[
        "another noun",
        "a list then another noun",
        "across ；",
        "across 。",
        "a rate",
        "a decimal",
        "an increase",
        "累计",
    ],
)
def test_counts_that_are_not_the_proactive_total(text: str) -> None:
    assert proactive(text) is None
