"""Kinds of agency, and the people's-government rule: decided once here, emitted into
`reports` (is_government, agency_category), read by the SQL models.

A people's government publishes by 31 March, a department by 31 January (条例 2019,
art. 49); a government's region-wide figures are its own (pipelines.parse.prose).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipelines.parse.metadata import SPECIAL_ZONES, region_of


@dataclass(frozen=True)
class AgencyCategory:
    """A kind of agency: the lowest priority whose pattern matches a name (its parenthetical
    remarks removed) decides. `pattern` is an RE2/Python regular expression searched anywhere."""

    priority: int
    key: str
    label: str
    pattern: str
    note: str


GOVERNMENT = "government"
AGENCY_CATEGORIES: tuple[AgencyCategory, ...] = (
    AgencyCategory(
        10,
        GOVERNMENT,
        "人民政府",
        "(人民政府|政府|管委会|管理委员会|行政公署|开发区|高新区|新区|园区|实验区|示范区|试验区|经开区|镇|乡|苏木|街道|街道办事处)$",
        "a people's government or the management committee of a zone (reporting the zone's own figures); a bare"
        " region, zone or township name (常德市; 平潭综合实验区; 望江高新区; 云岭镇) is one too",
    ),
    AgencyCategory(
        20,
        "government_office",
        "政府办公室",
        "(政府|管委会|管理委员会|行政公署)(办公厅|办公室)$",
        "the general office of a government (人民政府办公室/办公厅)",
    ),
    AgencyCategory(
        30,
        "civil_air_defense",
        "人防",
        "人民防空|人防",
        "人民防空办公室/人防办 (人民防空办公室 ends in 办公室 but is no government office)",
    ),
    AgencyCategory(40, "administrative_approval", "审批服务", "行政审批|审批服务", "行政审批服务局"),
    AgencyCategory(
        50,
        "emergency_management",
        "应急管理",
        "应急管理|安全生产监督管理|安监",
        "应急管理局 (安全生产监督管理局 before 2018)",
    ),
    AgencyCategory(60, "public_security", "公安", "公安(局|厅|分局|部|处)", "公安局 (not the county 公安县)"),
    AgencyCategory(
        70, "natural_resources", "自然资源", "自然资源|国土资源|国土", "自然资源(和规划)局 (国土资源局 before 2018)"
    ),
    AgencyCategory(
        80,
        "market_regulation",
        "市场监管",
        "市场监督管理|市场监管|工商行政管理",
        "市场监督管理局 (工商行政管理局 before 2018)",
    ),
    AgencyCategory(90, "taxation", "税务", "税务", "税务局"),
    AgencyCategory(
        100, "ecology_environment", "生态环境", "生态环境|环境保护|环保", "生态环境局 (环境保护局 before 2018)"
    ),
    AgencyCategory(110, "education", "教育", "教育", "教育局/教育厅/教育和体育局"),
    AgencyCategory(
        120,
        "health",
        "卫生健康",
        "卫生健康|卫生和计划生育|卫生计生|卫健",
        "卫生健康委员会 (卫生和计划生育委员会 before 2018)",
    ),
    AgencyCategory(130, "medical_security", "医疗保障", "医疗保障|医保", "医疗保障局"),
    AgencyCategory(140, "finance", "财政", "财政", "财政局/财政厅"),
    AgencyCategory(150, "transport", "交通运输", "交通运输", "交通运输局"),
    AgencyCategory(
        160, "housing_construction", "住房和城乡建设", "住房和城乡建设|住房城乡建设|住建", "住房和城乡建设局"
    ),
    AgencyCategory(170, "development_reform", "发展和改革", "发展和改革|发展改革|发改", "发展和改革委员会"),
    AgencyCategory(180, "civil_affairs", "民政", "民政", "民政局"),
    AgencyCategory(
        190,
        "human_resources_social_security",
        "人力资源和社会保障",
        "人力资源和社会保障|人力资源社会保障|人社",
        "人力资源和社会保障局",
    ),
    AgencyCategory(200, "statistics", "统计", "统计", "统计局"),
    AgencyCategory(210, "audit", "审计", "审计", "审计局"),
    AgencyCategory(220, "justice", "司法", "司法", "司法局/司法厅"),
    AgencyCategory(230, "agriculture_rural", "农业农村", "农业农村|农业", "农业农村局 (农业局 before 2018)"),
    AgencyCategory(240, "water_resources", "水利", "水利|水务", "水利局/水务局"),
    AgencyCategory(250, "commerce", "商务", "商务", "商务局"),
    AgencyCategory(260, "culture_tourism", "文化和旅游", "文化和旅游|文化旅游|文旅|文化广电", "文化和旅游局"),
    AgencyCategory(270, "veterans_affairs", "退役军人事务", "退役军人事务", "退役军人事务局"),
    AgencyCategory(9999, "other", "其他", ".*", "any other agency (the fallback: matches every name)"),
)
BARE_REGION = "bare region name"
_REMARKS = re.compile(r"[（(].*?[)）]")


@dataclass(frozen=True)
class AgencyKind:
    """What kind of agency a name is, and what decided it (`bare region name`, `pattern …`)."""

    category: str
    matched_by: str

    @property
    def is_government(self) -> bool:
        return self.category == GOVERNMENT


@lru_cache(maxsize=4096)
def classify_agency(agency: str | None) -> AgencyKind | None:
    """The kind of agency a name is (None for no name). A name that is its own region's
    name (常德市) or a special zone (平潭综合实验区) is a people's government."""
    if not agency or not agency.strip():
        return None
    name = _REMARKS.sub("", agency)
    region = region_of(name)
    if name in {region.province, region.city, region.county} - {None} or name in SPECIAL_ZONES:
        return AgencyKind(GOVERNMENT, BARE_REGION)
    category = next(c for c in AGENCY_CATEGORIES if re.search(c.pattern, name))
    return AgencyKind(category.key, f"pattern {category.pattern}")


def is_government(agency: str | None) -> bool:
    """A people's government (…人民政府, …管委会, a bare region name or special zone)."""
    kind = classify_agency(agency)
    return kind is not None and kind.is_government
