"""Table readers: one module per table of the report formats — 二 (disclosure), 三
(outcomes), 四 (review), the pre-2019 statistics tables, and tables whose cells ran
together in text (concatenated). Each reads the document model into facts keyed as
the warehouse fact table they belong to.
"""

from __future__ import annotations

from pipelines.parse.templates import TEMPLATES
from pipelines.parse.templates.common import PROCEEDINGS, UNSPLIT_LAWSUITS

# The warehouse fact tables, and the table of the report formats each holds.
DISCLOSURE = "disclosure_stats"
OUTCOMES = "application_outcomes"
REVIEW = "review_litigation"
TABLE_LABELS = {DISCLOSURE: "二", OUTCOMES: "三", REVIEW: "四"}

_REVIEW_KEYS = {*PROCEEDINGS, UNSPLIT_LAWSUITS}
_DISCLOSURE_KEYS = {item.key for template in TEMPLATES.values() for item in template.disclosure_items}


def fact_table_of(key: tuple[str, str]) -> str:
    """The fact table a figure belongs to, by its key (a proceeding, a table 二 item, or a table 三 row)."""
    if key[0] in _REVIEW_KEYS:
        return REVIEW
    if key[0] in _DISCLOSURE_KEYS:
        return DISCLOSURE
    return OUTCOMES
