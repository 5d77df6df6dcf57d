"""The kinds of agency (pipelines.parse.agencies): what the parser writes into
reports.agency_category and is_government, and the SQL models read."""

import pytest

from pipelines.parse.agencies import AGENCY_CATEGORIES, BARE_REGION, classify_agency, is_government

# A name of each kind, and the names whose kind is easy to get wrong.
CATEGORY_OF = {
    "鼎城区应急管理局": "emergency_management",
    "常德市人民政府": "government",
    "常德市": "government",  # a bare region name
    "平潭综合实验区": "government",  # a special zone
    "平潭综合实验区管委会": "government",
    "平潭县人民政府": "government",
    "湖南省人防办": "civil_air_defense",
    "白山市人防办": "civil_air_defense",
    "衡阳市行政审批服务局": "administrative_approval",
    "公安县人民政府": "government",  # not 公安: 公安县 is a county
    "公安县公安局": "public_security",
    "湖南省人民政府办公厅": "government_office",
    "常德市人民政府人民防空办公室": "civil_air_defense",  # not the government office
    "长沙市教育局": "education",
    "岳阳市生态环境局": "ecology_environment",
    "两江新区": "government",  # a special zone
    "长沙县": "government",  # a bare region name
    "湖南省": "government",
    "常德市发展和改革委员会": "development_reform",
    "湖南省卫生健康委员会": "health",
    "国家税务总局常德市税务局": "taxation",
    "常德市住房和城乡建设局": "housing_construction",
    "平潭综合实验区市场监督管理局": "market_regulation",
    "档案馆": "other",
}


@pytest.mark.parametrize(("name", "category"), CATEGORY_OF.items())
def test_kind_of_agency(name: str, category: str) -> None:
    kind = classify_agency(name)
    assert kind is not None and kind.category == category
    assert kind.is_government == (category == "government") == is_government(name)


def test_what_decided_the_kind() -> None:
    for name in ("常德市", "长沙县", "湖南省", "平潭综合实验区", "两江新区"):
        assert classify_agency(name).matched_by == BARE_REGION, name
    patterns = {c.key: c.pattern for c in AGENCY_CATEGORIES}
    assert classify_agency("公安县公安局").matched_by == f"pattern {patterns['public_security']}"
    assert classify_agency("档案馆").matched_by == f"pattern {patterns['other']}"


def test_parenthetical_remarks_do_not_count() -> None:
    assert classify_agency("平潭综合实验区管委会（平潭县人民政府）").category == "government"
    assert classify_agency("常德市财政局（常德市国有资产监督管理办公室）").category == "finance"


def test_no_agency_has_no_kind() -> None:
    assert classify_agency(None) is None
    assert classify_agency("  ") is None
    assert not is_government(None)
