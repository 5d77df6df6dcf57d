"""Reports on 2008-2018: no national layout. Figures are stated in prose or in a local
statistics table (TEMPLATES.md §4); the 2008 条例 (art. 31) sets 31 March for everyone."""

from __future__ import annotations

from pipelines.parse.templates.base import ItemSpec, Template
from pipelines.parse.templates.common import UNSPLIT_LAWSUITS, row

TEMPLATE = Template(
    key="pre2019",
    description="reports on 2008-2018: no national layout (条例 2008, art. 32)",
    first_year=None,
    last_year=2018,
    # The figures these reports state, in prose or a statistics table (SCHEMA.md).
    outcome_rows=(
        row("new_received", "受理/收到申请 N 件", "new_received", "受理", "收到"),
        row("granted", "同意公开", "granted", "同意公开"),
        row("partially_granted", "同意部分公开", "partially_granted", "同意部分公开"),
        row("total_processed", "答复/办结 N 件", "total_processed", "答复", "办结"),
    ),
    disclosure_items=(ItemSpec("proactive_total", ("主动公开",), ("published",)),),
    # The contents of 条例 2008 art. 32 that have a section kind (fees excepted).
    required_sections=("proactive", "applications", "review_litigation", "problems"),
    reads_statistics_tables=True,
    lawsuit_proceedings=(UNSPLIT_LAWSUITS,),
)
