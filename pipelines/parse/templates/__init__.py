"""The official report formats as data: canonical keys, the labels that identify them,
and template detection (TEMPLATES.md §1.1-§3, SCHEMA.md).

Label patterns are matched against `normalise.label_key` text (NFKC, simplified,
no whitespace, aliases applied), as substrings, most specific first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- table 三: applicants (columns) --------------------------------------------

APPLICANTS: list[tuple[str, str]] = [
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_welfare", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
]
APPLICANT_KEYS = [key for key, _ in APPLICANTS]
APPLICANT_LABELS = dict(APPLICANTS)


# --- table 三: rows -------------------------------------------------------------


@dataclass(frozen=True)
class RowSpec:
    """A canonical row: its key, the label as the template prints it, and match patterns."""

    key: str
    label: str
    patterns: tuple[str, ...]


def _row(key: str, label: str, *patterns: str) -> RowSpec:
    return RowSpec(key, label, patterns)


_HEAD_ROWS = [
    _row("new_received", "一、本年新收政府信息公开申请数量", "本年新收", "新收政府信息公开申请", "本年度新收"),
    _row("carried_over", "二、上年结转政府信息公开申请数量", "上年结转", "上年度结转"),
    _row("granted", "（一）予以公开", "予以公开"),
    _row("partially_granted", "（二）部分公开", "部分公开"),
    _row("denied_state_secret", "（三）1.属于国家秘密", "国家秘密"),
    _row("denied_law_prohibited", "（三）2.其他法律行政法规禁止公开", "法律行政法规禁止", "禁止公开"),
    _row("denied_three_safeties", "（三）3.危及“三安全一稳定”", "三安全一稳定", "危及"),
    _row("denied_third_party", "（三）4.保护第三方合法权益", "第三方"),
    _row("denied_internal_affairs", "（三）5.属于三类内部事务信息", "内部事务"),
    _row("denied_process_info", "（三）6.属于四类过程性信息", "过程性信息", "过程性"),
    _row("denied_enforcement_file", "（三）7.属于行政执法案卷", "执法案卷"),
    _row("denied_admin_query", "（三）8.属于行政查询事项", "行政查询", "查询事项"),
    _row("unavailable_not_held", "（四）1.本机关不掌握相关政府信息", "不掌握"),
    _row("unavailable_needs_creation", "（四）2.没有现成信息需要另行制作", "另行制作", "没有现成"),
    _row("unavailable_unclear", "（四）3.补正后申请内容仍不明确", "仍不明确", "补正后"),
    _row("not_processed_petition", "（五）1.信访举报投诉类申请", "信访", "举报投诉"),
    _row("not_processed_duplicate", "（五）2.重复申请", "重复申请"),
    _row("not_processed_publication", "（五）3.要求提供公开出版物", "公开出版物", "出版物"),
    _row("not_processed_excessive", "（五）4.无正当理由大量反复申请", "大量反复"),
    _row("not_processed_confirmation", "（五）5.要求行政机关确认或重新出具已获取信息", "重新出具", "确认或"),
]
_OTHER_2019 = [_row("other", "（六）其他处理", "其他处理")]
_OTHER_2021 = [
    _row(
        "other_no_correction",
        "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "逾期不补正",
        "不补正",
    ),
    _row(
        "other_unpaid_fee",
        "（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "收费通知",
        "缴纳费用",
    ),
    _row("other_misc", "（六）3.其他", "3.其他"),
]
_TAIL_ROWS = [
    _row("total_processed", "（七）总计", "(七)总计", "总计"),
    _row("carried_forward", "四、结转下年度继续办理", "结转下年度", "下年度继续办理", "转下年度"),
]
OUTCOME_ROWS: dict[str, list[RowSpec]] = {
    "2019": _HEAD_ROWS + _OTHER_2019 + _TAIL_ROWS,
    "2021": _HEAD_ROWS + _OTHER_2021 + _TAIL_ROWS,
}
ROW_SPECS: dict[str, RowSpec] = {spec.key: spec for rows in OUTCOME_ROWS.values() for spec in rows}
# Rows that add up to （七）总计 (TEMPLATES.md §5.1).
OUTCOME_COMPONENTS: dict[str, list[str]] = {
    template: [
        s.key for s in rows if s.key not in ("new_received", "carried_over", "total_processed", "carried_forward")
    ]
    for template, rows in OUTCOME_ROWS.items()
}


# --- table 四 --------------------------------------------------------------------

PROCEEDINGS = ["review", "litigation_direct", "litigation_after_review"]
OUTCOMES = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
]
REVIEW_COLUMNS: list[tuple[str, str]] = [(p, o) for p in PROCEEDINGS for o, _ in OUTCOMES]


# --- table 二 --------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    """A row of table 二: item key, the labels that name it, and its metrics in column order."""

    key: str
    patterns: tuple[str, ...]
    metrics: tuple[str, ...]


DISCLOSURE_ITEMS: dict[str, list[ItemSpec]] = {
    "2019": [
        ItemSpec("regulations", ("规章",), ("new_made", "new_published", "total_published")),
        ItemSpec("normative_documents", ("规范性文件",), ("new_made", "new_published", "total_published")),
        ItemSpec("licensing", ("行政许可",), ("prior_year_count", "change", "decisions")),
        ItemSpec(
            "other_services", ("其他对外管理服务", "对外管理服务事项"), ("prior_year_count", "change", "decisions")
        ),
        ItemSpec("penalty", ("行政处罚",), ("prior_year_count", "change", "decisions")),
        ItemSpec("coercion", ("行政强制",), ("prior_year_count", "change", "decisions")),
        ItemSpec("fees", ("行政事业性收费", "事业性收费"), ("prior_year_count", "change")),
        ItemSpec("procurement", ("政府集中采购", "集中采购"), ("projects", "amount")),
    ],
    "2021": [
        ItemSpec("regulations", ("规章",), ("issued", "repealed", "in_force")),
        ItemSpec("normative_documents", ("规范性文件",), ("issued", "repealed", "in_force")),
        ItemSpec("licensing", ("行政许可",), ("decisions",)),
        ItemSpec("penalty", ("行政处罚",), ("decisions",)),
        ItemSpec("coercion", ("行政强制",), ("decisions",)),
        ItemSpec("fees", ("行政事业性收费", "事业性收费"), ("amount",)),
    ],
}
# Column headers of table 二 in each template.
DISCLOSURE_HEADERS: dict[str, tuple[str, ...]] = {
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量", "采购总金额"),
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"),
}


# --- template detection ------------------------------------------------------------

SIGNATURES_2021 = ("本年制发件数", "本年收费金额", "逾期未按收费通知要求缴纳费用")
SIGNATURES_2019 = ("本年新制作数量", "对外公开总数量", "采购总金额", "其他对外管理服务事项")
POST2019_HEADINGS = ("收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况")
BLOCK_HEADER = re.compile(r"第二十条\s*第?\s*[（(][一五六八九][）)]\s*项")


def template_from_signatures(label_text: str) -> str | None:
    """`2021` or `2019` when the (squashed) table labels carry a template's signature."""
    if any(sig in label_text for sig in SIGNATURES_2021):
        return "2021"
    if any(sig in label_text for sig in SIGNATURES_2019):
        return "2019"
    return None


def decide_template(
    signature: str | None,
    outcome_shape: str | None,
    has_post2019_structure: bool,
    year: int | None,
) -> str:
    """The template, decided in SCHEMA.md's order: signatures, table 三's shape, headings and year."""
    if signature:
        return signature
    if outcome_shape:
        return outcome_shape
    if has_post2019_structure and year is not None and year >= 2019:
        return "2019" if year <= 2020 else "2021"
    if year is not None and year <= 2018:
        return "pre2019"
    return "unknown"


# --- sections -------------------------------------------------------------------------

# (kind, patterns) in priority order: the first kind with a matching pattern wins.
SECTION_KINDS: list[tuple[str, tuple[str, ...]]] = [
    ("review_litigation", ("复议", "诉讼")),
    ("fees", ("收费",)),
    ("problems", ("问题", "改进")),
    ("other", ("其他需要报告", "其他需要说明", "需要说明的事项", "其他事项", "附表", "统计表")),
    ("applications", ("依申请", "收到和处理", "处理政府信息公开申请", "申请公开")),
    ("proactive", ("主动公开",)),
    ("overview", ("总体情况", "概述", "基本情况", "工作概况", "基本工作情况", "主要工作")),
]


def section_kind(heading: str) -> str | None:
    """The canonical kind of a section heading, or None."""
    for kind, patterns in SECTION_KINDS:
        if any(p in heading for p in patterns):
            return kind
    return None
