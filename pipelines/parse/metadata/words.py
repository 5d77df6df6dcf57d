"""The words metadata is read by: years, report names, agency names, self-references,
and the cited documents whose names are not the report's."""

from __future__ import annotations

import re

YEAR = r"(?:19|20)\d{2}"
REPORT_WORDS = re.compile(r"年度报告|年报|工作报告|公开报告")
# The words that name a disclosure report after its agency and year: `政府信息公开工作年度报告`,
# `政务信息公开年报`, `信息公开工作报告`, `政府信息公开情况报告`, `政务信息公开工作开展年度报告`.
REPORT_NAME = (
    r"(?:政府|政务)?信息公开(?:工作)?(?:开展)?(?:情况)?(?:年度)?(?:工作)?(?:情况)?(?:报告|年报)"
    r"|政务公开(?:工作)?(?:年度)?(?:报告|年报)"
)
NAME_CHARS = r"[\u4e00-\u9fff()·]"
# The endings of an agency's name (a body, an office, a government) and of a place's.
AGENCY_SUFFIX = (
    r"(?:人民政府|政府|管委会|管理委员会|委员会|办公室|办公厅|人防办|管理局|局|厅|委|办|院|中心|署|所|站|队|处|公司"
    r"|部|会|馆|社|组)"
)
PLACE_SUFFIX = r"(?:省|自治区|市|州|盟|县|区|旗|镇|乡|街道|苏木|新区|开发区|高新区|园区|实验区|示范区|经开区)"
NAME_END = re.compile(f"(?:{AGENCY_SUFFIX}|{PLACE_SUFFIX})$")
# How a report refers to its own agency (我局, 本镇, 我街办): never a name.
SELF_REFERENCE = re.compile(
    r"^(?:我|本)(?:局|委|办|厅|院|署|中心|单位|机关|部门|乡|镇|街道|街办|街|区|县|市|旗|苏木|州|盟|省|公司|所|站|队"
    r"|部|会|级|系统|园区|开发区)"
)
# A cited document (`《…关于做好2020年度政府信息公开工作年度报告编制…的通知》`), with the issuer
# glued before it (`市府办《…》`) and its number (`(国办公开办函〔2019〕60号)`).
_CITED = re.compile(r"(?P<issuer>[\u4e00-\u9fff]{1,6}[办局厅委])?《(?P<name>[^《》]{0,150})》")
_DOC_NUMBER = re.compile(
    r"[(（][^()（）]{0,30}〔?\d{4}〕?[^()（）]{0,12}号[)）]|[\u4e00-\u9fff]{1,10}〔\d{4}〕\d{1,4}号"
)
_ALIAS = re.compile(r"[(（](?:以下|下文)?简称[^()（）]{0,30}[)）]")


def _cited(match: re.Match[str]) -> str:
    """A cited document is dropped; the report's own name in 《》 (`现发布《…年度报告》`) is kept."""
    inner = match.group("name")
    if re.search(f"(?:{REPORT_NAME})$", inner) and not inner.startswith("关于"):
        return (match.group("issuer") or "") + inner
    return "《》"


def without_citations(text: str) -> str:
    """The text without the documents it cites, their numbers, and `(以下简称…)` notes: what
    remains names the report's own agency, never a cited notice's issuer."""
    return _ALIAS.sub("", _DOC_NUMBER.sub("", _CITED.sub(_cited, text)))


def is_self_reference(name: str) -> bool:
    return bool(SELF_REFERENCE.match(name))
