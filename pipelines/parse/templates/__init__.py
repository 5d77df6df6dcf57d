"""The registry of template eras: one module per era declares everything about it
(pipelines.parse.templates.pre2019, era2019, era2021). Readers ask the registry; none
compares year strings. To add an era, add a module and list it in TEMPLATES.
"""

from __future__ import annotations

from pipelines.parse.templates import era2019, era2021, pre2019
from pipelines.parse.templates.base import Deadline, ItemSpec, RowSpec, Template

# Newest first: signatures and markers of a newer format are looked for before older ones.
TEMPLATES: dict[str, Template] = {t.key: t for t in (era2021.TEMPLATE, era2019.TEMPLATE, pre2019.TEMPLATE)}
UNKNOWN = "unknown"  # the template of a report whose year and tables decide none
TABLE_TEMPLATES: tuple[Template, ...] = tuple(t for t in TEMPLATES.values() if t.has_tables)

__all__ = [
    "TEMPLATES",
    "TABLE_TEMPLATES",
    "UNKNOWN",
    "Deadline",
    "ItemSpec",
    "RowSpec",
    "Template",
    "template_named",
    "template_for_year",
    "template_from_signatures",
    "template_from_outcome_rows",
    "template_from_outcome_markers",
    "disclosure_template",
    "decide_template",
    "all_outcome_rows",
]


def template_named(key: str | None) -> Template | None:
    """The template of this key (`unknown` and None have none)."""
    return TEMPLATES.get(key or "")


def template_for_year(year: int | None) -> Template | None:
    """The format used for reports on `year`."""
    if year is None:
        return None
    return next((t for t in TEMPLATES.values() if t.covers(year)), None)


def template_from_signatures(label_text: str) -> Template | None:
    """The template whose signature labels the (squashed) table text carries (SCHEMA.md rule 1)."""
    return next((t for t in TEMPLATES.values() if any(s in label_text for s in t.signatures)), None)


def _distinct_rows(template: Template) -> set[str]:
    """Table 三 rows only this template has (the shape of its （六）其他处理)."""
    others = {key for t in TABLE_TEMPLATES if t is not template for key in t.row_keys}
    return set(template.row_keys) - others


def template_from_outcome_rows(found: set[str], row_count: int) -> Template | None:
    """Table 三's shape (rule 2): rows only one template has, else the template with that many rows."""
    for template in TABLE_TEMPLATES:
        if found & _distinct_rows(template):
            return template
    return next((t for t in TABLE_TEMPLATES if len(t.outcome_rows) == row_count), None)


def template_from_outcome_markers(text: str) -> Template:
    """The shape of table 三 in run-together text: the newest template whose own labels it
    carries, else the first format with the table."""
    return next((t for t in TABLE_TEMPLATES if any(m in text for m in t.outcome_markers)), TABLE_TEMPLATES[-1])


def disclosure_template(label_text: str, report_template: Template | None) -> Template:
    """Table 二's own template, by its column headers; else the report's, else the first format with the table."""
    for template in TABLE_TEMPLATES:
        if any(h in label_text for h in template.disclosure_headers):
            return template
    if report_template is not None and report_template.disclosure_headers:
        return report_template
    return TABLE_TEMPLATES[-1]


def decide_template(signature: Template | None, outcome_shape: Template | None, year: int | None) -> str:
    """The template, decided in SCHEMA.md's order: signatures (rule 1), table 三's shape
    (rule 2), else the reporting year (rules 3 and 4): a report on 2019 or later whose
    tables are missing or are images still follows its year's format (it is `partial`
    for the missing tables, not of an unknown format). Unknown only when the year is."""
    if signature is not None:
        return signature.key
    if outcome_shape is not None:
        return outcome_shape.key
    by_year = template_for_year(year)
    return UNKNOWN if by_year is None else by_year.key


def all_outcome_rows() -> dict[str, RowSpec]:
    """Every table 三 row of any format, oldest format first (rows are matched in this order)."""
    rows: dict[str, RowSpec] = {}
    for template in reversed(TABLE_TEMPLATES):
        for spec in template.outcome_rows:
            rows.setdefault(spec.key, spec)
    return rows
