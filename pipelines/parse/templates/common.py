"""What every template era shares: table 三's applicant columns and most of its rows,
table 四, and the kinds of sections (TEMPLATES.md §2-§3)."""

from __future__ import annotations

import re

from pipelines.parse.templates.base import RowSpec

# --- table 三: applicants (columns) ---------------------------------------------------

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


# --- table 三: rows ---------------------------------------------------------------------


def row(key: str, label: str, group: str, *patterns: str) -> RowSpec:
    return RowSpec(key, label, patterns, group)


HEAD_ROWS = (
    row(
        "new_received",
        "一、本年新收政府信息公开申请数量",
        "new_received",
        "本年新收",
        "新收政府信息公开申请",
        "本年度新收",
    ),
    row("carried_over", "二、上年结转政府信息公开申请数量", "carried_over", "上年结转", "上年度结转"),
    row("granted", "（一）予以公开", "granted", "予以公开"),
    row("partially_granted", "（二）部分公开", "partially_granted", "部分公开"),
    row("denied_state_secret", "（三）1.属于国家秘密", "denied", "国家秘密"),
    row("denied_law_prohibited", "（三）2.其他法律行政法规禁止公开", "denied", "法律行政法规禁止", "禁止公开"),
    row("denied_three_safeties", "（三）3.危及“三安全一稳定”", "denied", "三安全一稳定", "危及"),
    row("denied_third_party", "（三）4.保护第三方合法权益", "denied", "第三方"),
    row("denied_internal_affairs", "（三）5.属于三类内部事务信息", "denied", "内部事务"),
    row("denied_process_info", "（三）6.属于四类过程性信息", "denied", "过程性信息", "过程性"),
    row("denied_enforcement_file", "（三）7.属于行政执法案卷", "denied", "执法案卷"),
    row("denied_admin_query", "（三）8.属于行政查询事项", "denied", "行政查询", "查询事项"),
    row("unavailable_not_held", "（四）1.本机关不掌握相关政府信息", "unavailable", "不掌握"),
    row("unavailable_needs_creation", "（四）2.没有现成信息需要另行制作", "unavailable", "另行制作", "没有现成"),
    row("unavailable_unclear", "（四）3.补正后申请内容仍不明确", "unavailable", "仍不明确", "补正后"),
    row("not_processed_petition", "（五）1.信访举报投诉类申请", "not_processed", "信访", "举报投诉"),
    row("not_processed_duplicate", "（五）2.重复申请", "not_processed", "重复申请"),
    row("not_processed_publication", "（五）3.要求提供公开出版物", "not_processed", "公开出版物", "出版物"),
    row("not_processed_excessive", "（五）4.无正当理由大量反复申请", "not_processed", "大量反复"),
    row(
        "not_processed_confirmation",
        "（五）5.要求行政机关确认或重新出具已获取信息",
        "not_processed",
        "重新出具",
        "确认或",
    ),
)
TAIL_ROWS = (
    row("total_processed", "（七）总计", "total_processed", "(七)总计", "总计"),
    row(
        "carried_forward",
        "四、结转下年度继续办理",
        "carried_forward",
        "结转下年度",
        "下年度继续办理",
        "转下年度",
    ),
)

# --- table 四 -----------------------------------------------------------------------------

PROCEEDINGS = ["review", "litigation_direct", "litigation_after_review"]
OUTCOMES = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
]
REVIEW_COLUMNS: list[tuple[str, str]] = [(p, o) for p in PROCEEDINGS for o, _ in OUTCOMES]
UNSPLIT_LAWSUITS = "litigation"  # a lawsuit count the report does not split (pre-2019)

# --- table 二 -----------------------------------------------------------------------------

BLOCK_HEADER = re.compile(r"第二十条\s*第?\s*[（(][一五六八九][）)]\s*项")

# --- sections -----------------------------------------------------------------------------

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
