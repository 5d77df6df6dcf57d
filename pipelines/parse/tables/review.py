"""Table 四 (行政复议、行政诉讼): facts keyed (proceeding, outcome)."""

from __future__ import annotations

from dataclasses import replace

from pipelines.issues import Code, Issue
from pipelines.parse.document import Document
from pipelines.parse.normalise import as_count, parse_number
from pipelines.parse.tables.rows import (
    Fact,
    TableRead,
    data_rows,
    fit_values,
    note_bad_value,
    note_fit,
    table_keys,
)
from pipelines.parse.tables.statistics import is_stats_table
from pipelines.parse.templates.common import REVIEW_COLUMNS

# --- table 四 --------------------------------------------------------------------


def read_review_litigation(doc: Document) -> TableRead:
    """Table 四 (行政复议、行政诉讼) as facts keyed (proceeding, outcome)."""
    result = TableRead()
    tables = []
    for t in doc.tables:
        keys = table_keys(t)
        # Its header's 行政复议 / 行政诉讼 may be lost above a flattened copy: 复议后起诉 says it too.
        if (
            "复议" in keys
            and ("诉讼" in keys or "起诉" in keys)
            and ("维持" in keys or "纠正" in keys)
            and not is_stats_table(t)
        ):
            tables.append(t)
    if not tables:
        return result
    result.found = True
    expected = len(REVIEW_COLUMNS)
    rows = [r for t in tables for r in data_rows(t) if any(v.strip() for v in r.values)]
    wide = [
        r for r in rows if len(r.values) >= expected - 1 or len([p for v in r.values for p in v.split()]) >= expected
    ]
    unlabelled = [r for r in rows if not r.labels]
    if not wide and sum(len(r.values) for r in unlabelled) == expected and len(unlabelled) > 1:
        # The value row broken into one line per proceeding (`1 | 0 | 0 | 0 | 1` ×3).
        first = unlabelled[0]
        wide = [replace(first, values=tuple(v for r in unlabelled for v in r.values), places=())]
    if not wide:
        if rows:
            result.issues.append(Issue.of(Code.TABLE_UNREADABLE, "table 四 found but no row of 15 values"))
        return result
    row = wide[0]
    fitted = fit_values(row.values, expected)
    note_fit(result, "四", "data", row, expected, fitted.problem)
    for i, ((proceeding, outcome), raw) in enumerate(zip(REVIEW_COLUMNS, fitted.cells)):
        parsed = parse_number(raw)
        note_bad_value(result, parsed, raw or "", f"table 四 {proceeding}/{outcome}")
        evidence = row.evidence("四", i + 1, f"{proceeding} {outcome}", source=fitted.sources[i])
        result.add(Fact((proceeding, outcome), as_count(parsed), raw, evidence, extraction=row.extraction))
    return result
