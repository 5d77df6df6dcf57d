"""The 2021 format (国办公开办函〔2021〕30号), used from the 2021 reports on (TEMPLATES.md
§3): table 二 redesigned, （六）其他处理 split into three rows, fees in 万元."""

from __future__ import annotations

from pipelines.parse.templates.base import Deadline, ItemSpec, Template
from pipelines.parse.templates.common import HEAD_ROWS, TAIL_ROWS, row
from pipelines.parse.templates.era2019 import LAWSUITS, POST2019_HEADINGS, POST2019_SECTIONS, POST2019_TABLES

TEMPLATE = Template(
    key="2021",
    description="the 2021 format (国办公开办函〔2021〕30号), reports on 2021 onward",
    first_year=2021,
    last_year=None,
    signatures=("本年制发件数", "本年收费金额", "逾期未按收费通知要求缴纳费用"),
    identifying_headings=POST2019_HEADINGS,
    outcome_rows=(
        *HEAD_ROWS,
        row(
            "other_no_correction",
            "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "other",
            "逾期不补正",
            "不补正",
        ),
        row(
            "other_unpaid_fee",
            "（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "other",
            "收费通知",
            "缴纳费用",
        ),
        row("other_misc", "（六）3.其他", "other", "3.其他"),
        *TAIL_ROWS,
    ),
    outcome_markers=("逾期不补正", "收费通知"),
    disclosure_items=(
        ItemSpec("regulations", ("规章",), ("issued", "repealed", "in_force")),
        ItemSpec("normative_documents", ("规范性文件",), ("issued", "repealed", "in_force")),
        ItemSpec("licensing", ("行政许可",), ("decisions",)),
        ItemSpec("penalty", ("行政处罚",), ("decisions",)),
        ItemSpec("coercion", ("行政强制",), ("decisions",)),
        ItemSpec("fees", ("行政事业性收费", "事业性收费"), ("amount",)),
    ),
    disclosure_headers=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"),
    amount_unit="万元",  # 本年收费金额（单位：万元）
    required_tables=POST2019_TABLES,
    required_sections=POST2019_SECTIONS,
    lawsuit_proceedings=LAWSUITS,
    government_deadline=Deadline(3, 31),
    department_deadline=Deadline(1, 31),
)
