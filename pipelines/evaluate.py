"""Field-level accuracy of a warehouse against hand-checked answers (`*.truth.json`).

A truth file is matched to the raw file it names: `002.pdf.truth.json` ↔ `…/002.pdf`;
a truth file named by a stem alone (`002.truth.json`) matches the page of that stem
(`002.html`), so that two formats of one report can share a stem. Every field counts,
including those the truth gives as null (the report does not give the figure): then
the warehouse must have no value either. Accuracy is reported per format and in total.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipelines.parse.templates import TABLE_TEMPLATES, template_named
from pipelines.warehouse.schema import TABLES

# Placeholders in a truth field's key that the report's template resolves: its first
# table 二 metric of the item (new_made in one format, issued in another), and the
# proceeding that counts direct lawsuits (unsplit in reports without table 四).
FIRST_METRIC = "{first metric}"
LAWSUITS = "{lawsuits}"
# truth field → (table, first key column value, second key column value)
_FACTS: dict[str, tuple[str, str, str]] = {
    "table3.new_received_total": ("application_outcomes", "new_received", "total"),
    "table3.carried_over_total": ("application_outcomes", "carried_over", "total"),
    "table3.granted_total": ("application_outcomes", "granted", "total"),
    "table3.partially_granted_total": ("application_outcomes", "partially_granted", "total"),
    "table3.outcomes_total": ("application_outcomes", "total_processed", "total"),
    "table3.carried_forward_total": ("application_outcomes", "carried_forward", "total"),
    "table3.natural_person_new": ("application_outcomes", "new_received", "natural_person"),
    "table4.review_total": ("review_litigation", "review", "total"),
    "table4.litigation_direct_total": ("review_litigation", LAWSUITS, "total"),
    "table4.litigation_after_review_total": ("review_litigation", "litigation_after_review", "total"),
    "table2.regulations_new": ("disclosure_stats", "regulations", FIRST_METRIC),
    "table2.normative_docs_new": ("disclosure_stats", "normative_documents", FIRST_METRIC),
    "table2.licensing_decisions": ("disclosure_stats", "licensing", "decisions"),
    "table2.penalty_decisions": ("disclosure_stats", "penalty", "decisions"),
}


def key_columns(table: str) -> tuple[str, str]:
    """A fact table's key columns after report_id."""
    first, second = TABLES[table].key[1:]
    return first, second


@dataclass(frozen=True)
class FieldResult:
    document: str
    field: str
    expected: Any
    actual: Any
    format: str | None = None  # of the document (the truth's, else the report's; None: no report)

    @property
    def correct(self) -> bool:
        if self.field == "agency":
            return _agency_matches(self.expected, self.actual)
        if self.expected is None or self.actual is None:
            return self.expected is None and self.actual is None
        if isinstance(self.expected, (int, float)) and isinstance(self.actual, (int, float)):
            return float(self.expected) == float(self.actual)
        return str(self.expected) == str(self.actual)


def _agency_matches(expected: str | None, actual: str | None) -> bool:
    """One name contains the other after removing whitespace (fixtures README)."""
    if expected is None or actual is None:
        return expected is None and actual is None
    a, b = re.sub(r"\s+", "", expected), re.sub(r"\s+", "", actual)
    return bool(a and b) and (a in b or b in a)


def flatten_truth(truth: dict[str, Any]) -> dict[str, Any]:
    fields = {k: truth.get(k) for k in ("year", "template", "agency", "publish_date")}
    for table in ("table2", "table3", "table4"):
        for key, value in (truth.get(table) or {}).items():
            fields[f"{table}.{key}"] = value
    return fields


_FORMAT_WORDS = {"txt": "text"}


def _format_of(truth: dict[str, Any]) -> str | None:
    """The document's format as its truth file states it (`html (the page as …)` → `html`)."""
    match = re.match(r"[a-z]+", str(truth.get("format") or ""))
    return _FORMAT_WORDS.get(match.group(0), match.group(0)) if match else None


def _report_for(con: duckdb.DuckDBPyConnection, name: str, fmt: str | None) -> dict[str, Any] | None:
    """The report whose raw file is `name` (`002.pdf`), or, for a bare stem (`002`), has
    that stem and the format the truth states (`html`)."""
    pattern = "([^/]+)$" if "." in name else "([^/]+?)(\\.[^./]*)?$"
    result = con.execute(
        "SELECT * FROM reports WHERE regexp_extract(raw_path, ?, 1) = ? AND (? IS NULL OR format = ?) "
        "ORDER BY raw_path LIMIT 1",
        [pattern, name, fmt, fmt],
    )
    row = result.fetchone()
    return dict(zip([d[0] for d in result.description], row)) if row else None


def _fact(con: duckdb.DuckDBPyConnection, table: str, report_id: str, a: str, b: str) -> Any:
    first, second = key_columns(table)
    row = con.execute(
        f'SELECT value FROM "{table}" WHERE report_id = ? AND "{first}" = ? AND "{second}" = ?', [report_id, a, b]
    ).fetchone()
    return None if row is None else row[0]


def evaluate(warehouse: Path, truth_dir: Path) -> list[FieldResult]:
    """Compare every truth file in `truth_dir` with the warehouse."""
    results: list[FieldResult] = []
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for truth_path in sorted(truth_dir.glob("*.truth.json")):
            stem = truth_path.name.removesuffix(".truth.json")
            document = json.loads(truth_path.read_text("utf-8"))
            truth = flatten_truth(document)
            report = _report_for(con, stem, _format_of(document))
            fmt = _format_of(document) or (report["format"] if report else None)
            for field, expected in truth.items():
                results.append(FieldResult(stem, field, expected, _actual(con, report, field), fmt))
    finally:
        con.close()
    return results


def _actual(con: duckdb.DuckDBPyConnection, report: dict[str, Any] | None, field: str) -> Any:
    if report is None:
        return None
    return field_value(report, field, lambda table, a, b: _fact(con, table, report["report_id"], a, b))


def field_value(report: dict[str, Any], field: str, fact: Callable[[str, str, str], Any]) -> Any:
    """A truth field's value for a report: from its reports row, or `fact(table, key1, key2)`."""
    if field == "publish_date":
        return report["published_date"].isoformat() if report["published_date"] else None
    if field in ("year", "template", "agency"):
        return report[field]
    table, a, b = _FACTS[field]
    template = template_named(report["template"]) or TABLE_TEMPLATES[-1]
    if a == LAWSUITS:
        a = template.lawsuit_proceedings[0] if template.lawsuit_proceedings else a
    if b == FIRST_METRIC:
        item = next((i for i in template.disclosure_items if i.key == a), None)
        if item is None:
            return None
        b = item.metrics[0]
    return fact(table, a, b)


def format_report(results: list[FieldResult]) -> str:
    """Accuracy per field and overall, then every miss."""
    by_field: dict[str, list[FieldResult]] = {}
    for result in results:
        by_field.setdefault(result.field, []).append(result)
    lines = [f"{'field':40} {'right':>7} {'total':>7} {'accuracy':>9}"]
    for field, items in by_field.items():
        right = sum(r.correct for r in items)
        lines.append(f"{field:40} {right:>7} {len(items):>7} {right / len(items):>9.1%}")
    by_format: dict[str, list[FieldResult]] = {}
    for result in results:
        by_format.setdefault(result.format or "no report", []).append(result)
    for fmt, items in sorted(by_format.items()):
        right = sum(r.correct for r in items)
        lines.append(f"{'format ' + fmt:40} {right:>7} {len(items):>7} {right / len(items):>9.1%}")
    right = sum(r.correct for r in results)
    total = len(results)
    lines.append(f"{'OVERALL':40} {right:>7} {total:>7} {(right / total if total else 0):>9.1%}")
    misses = [r for r in results if not r.correct]
    lines.append(f"\n{len(misses)} misses" + (":" if misses else ""))
    lines += [f"  {r.document} {r.field}: expected {r.expected!r}, got {r.actual!r}" for r in misses]
    return "\n".join(lines)


def accuracy(results: list[FieldResult], fmt: str | None = None) -> float:
    """The share of fields right, of one format's documents or of all."""
    chosen = [r for r in results if fmt is None or r.format == fmt]
    return sum(r.correct for r in chosen) / len(chosen) if chosen else 0.0
