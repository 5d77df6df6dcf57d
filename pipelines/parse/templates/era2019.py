"""The 2019 trial format (国办公开办函〔2019〕60号), used for the 2019 and 2020 reports
(TEMPLATES.md §2). Departments publish by 31 January, people's governments by 31 March
(条例 2019, art. 49)."""

from __future__ import annotations

from pipelines.parse.templates.base import Deadline, ItemSpec, Template
from pipelines.parse.templates.common import HEAD_ROWS, TAIL_ROWS, row

POST2019_HEADINGS = ("收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况")
POST2019_TABLES = ("disclosure_stats", "application_outcomes", "review_litigation")
POST2019_SECTIONS = ("overview", "proactive", "applications", "review_litigation", "problems", "other")
LAWSUITS = ("litigation_direct", "litigation_after_review")

TEMPLATE = Template(
    key="2019",
    description="the 2019 trial format (国办公开办函〔2019〕60号), reports on 2019-2020",
    first_year=2019,
    last_year=2020,
    signatures=("本年新制作数量", "对外公开总数量", "采购总金额", "其他对外管理服务事项"),
    identifying_headings=POST2019_HEADINGS,
    outcome_rows=(*HEAD_ROWS, row("other", "（六）其他处理", "other", "其他处理"), *TAIL_ROWS),
    disclosure_items=(
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
    ),
    disclosure_headers=(
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "采购项目数量",
        "采购总金额",
    ),
    amount_unit=None,  # 采购总金额 has no unit in the header: a cell without one is ambiguous
    required_tables=POST2019_TABLES,
    required_sections=POST2019_SECTIONS,
    lawsuit_proceedings=LAWSUITS,
    government_deadline=Deadline(3, 31),
    department_deadline=Deadline(1, 31),
)
