"""Parse results as warehouse rows: the one place that knows the tables' column names
(from pipelines.warehouse.schema)."""

from __future__ import annotations

from typing import Any

from pipelines.issues import Issue
from pipelines.parse.agencies import classify_agency
from pipelines.parse.parser import ParseResult
from pipelines.parse.report import Report
from pipelines.parse.tables.rows import Fact, FactKey
from pipelines.parse.version import PARSER_VERSION
from pipelines.warehouse.schema import TABLES, TableSpec

Rows = dict[str, list[dict[str, Any]]]
FACT_TABLES = ("disclosure_stats", "application_outcomes", "review_litigation")


def to_rows(result: ParseResult) -> Rows:
    """The rows of every warehouse table that one parsed file contributes."""
    rows: Rows = {name: [] for name in TABLES}
    report = result.report
    report_id = report.source.report_id if report else None
    rows["parse_issues"] = [_issue_row(result.source_uri, report_id, issue) for issue in result.all_issues]
    if report is None:
        return rows
    rows["reports"] = [_report_row(report)]
    rows["sections"] = [
        {"report_id": report_id, "ordinal": s.ordinal, "heading": s.heading, "kind": s.kind, "text": s.text}
        for s in report.sections
    ]
    for table in FACT_TABLES:
        rows[table] = [_fact_row(TABLES[table], report, table, key, fact) for key, fact in report.facts[table].items()]
    rows["report_checks"] = [
        {
            "report_id": report_id,
            "check_name": c.check_name,
            "passed": c.passed,
            "expected": c.expected,
            "actual": c.actual,
            "detail": c.detail,
        }
        for c in report.checks
    ]
    return rows


def _report_row(report: Report) -> dict[str, Any]:
    meta, region, document = report.metadata, report.metadata.region, report.document
    kind = classify_agency(meta.agency)
    return {
        "report_id": report.source.report_id,
        "source_uri": report.source.source_uri,
        "content_sha256": report.source.content_sha256,
        "title": meta.title,
        "agency": meta.agency,
        "province": region.province,
        "city": region.city,
        "county": region.county,
        "admin_level": region.admin_level,
        "year": meta.year,
        "published_date": meta.published_date,
        "template": report.template_key,
        "script": document.script,
        "parse_status": report.parse_status,
        "parser_version": PARSER_VERSION,
        "is_government": kind.is_government if kind else False,
        "agency_category": kind.category if kind else None,
        "agency_category_matched_by": kind.matched_by if kind else None,
        "format": document.format,
        "pages": document.pages,
        "ocr_pages": document.ocr_pages,
        "encoding": document.encoding,
        "raw_path": report.source.raw_path,
        "fetched_at": report.source.fetched_at,
    }


def _fact_row(spec: TableSpec, report: Report, table: str, key: FactKey, fact: Fact) -> dict[str, Any]:
    """A fact as a row of its table: the key columns after report_id, the value in the
    column's type, and the provenance every fact table has."""
    first, second = spec.key[1:]
    value_type = next(c.type for c in spec.columns if c.name == "value")
    row: dict[str, Any] = {
        "report_id": report.source.report_id,
        first: key[0],
        second: key[1],
        "value": float(fact.value) if value_type == "DOUBLE" and fact.value is not None else fact.value,
        "raw_value": fact.raw,
        "derived": fact.derived,
        "source": fact.source,
        "extraction": fact.extraction,
        "evidence": fact.evidence,
    }
    if "template" in spec.column_names:
        row["template"] = report.facts_template(table)
    if "unit" in spec.column_names:
        row["unit"] = fact.unit
    return row


def _issue_row(source_uri: str, report_id: str | None, issue: Issue) -> dict[str, Any]:
    return {
        "source_uri": source_uri,
        "report_id": report_id,
        "severity": str(issue.severity),
        "code": str(issue.code),
        "message": issue.message,
    }
