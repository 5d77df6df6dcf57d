"""Table 二 (主动公开政府信息情况): facts keyed (item, metric), in the table's own template."""

from __future__ import annotations

from pipelines.issues import Code, Issue
from pipelines.parse.document import Document
from pipelines.parse.normalise import label_key, parse_number
from pipelines.parse.tables.rows import (
    Fact,
    TableRead,
    data_rows,
    fit_values,
    note_bad_value,
    note_fit,
    table_keys,
)
from pipelines.parse.templates import TABLE_TEMPLATES, ItemSpec, Template, disclosure_template

# --- table 二 --------------------------------------------------------------------


def _is_disclosure_table(keys: str) -> bool:
    return "第二十条" in keys or (
        "信息内容" in keys and any(h in keys for t in TABLE_TEMPLATES for h in t.disclosure_headers)
    )


def _item_for(label: str, items: tuple[ItemSpec, ...]) -> ItemSpec | None:
    key = label_key(label)
    for spec in sorted(items, key=lambda s: -max(len(p) for p in s.patterns)):
        if any(key.startswith(p) or key.startswith("行政" + p) for p in spec.patterns):
            return spec
    return None


def read_disclosure(doc: Document, template: Template | None) -> TableRead:
    """Table 二 (主动公开政府信息情况) as facts keyed (item, metric), in the table's own template."""
    result = TableRead()
    tables = [t for t in doc.tables if _is_disclosure_table(table_keys(t))]
    if not tables:
        return result
    result.found = True
    own_template = disclosure_template("".join(table_keys(t) for t in tables), template)
    result.shape = own_template
    items = own_template.disclosure_items
    for row in (r for t in tables for r in data_rows(t)):
        if not row.labels:
            continue
        spec = _item_for(row.labels[0], items)
        if spec is None:
            continue  # a local row the template does not have (其他主动公开文件)
        if any(item == spec.key for (item, _m) in result.facts):
            result.issues.append(
                Issue.of(Code.DUPLICATE_ROW, f"table 二 row {spec.key!r} printed again ({row.label}); first kept")
            )
            continue
        fitted = fit_values(row.values, len(spec.metrics))
        note_fit(result, "二", spec.key, row, len(spec.metrics), fitted.problem)
        for i, (metric, raw) in enumerate(zip(spec.metrics, fitted.cells)):
            parsed = parse_number(raw)
            note_bad_value(result, parsed, raw or "", f"table 二 {spec.key}/{metric}")
            unit = None
            if metric == "amount":
                unit = parsed.unit or own_template.amount_unit
                if own_template.amount_unit is None and parsed.value is not None and parsed.unit is None:
                    result.issues.append(
                        Issue.of(
                            Code.AMOUNT_UNIT_UNKNOWN,
                            f"procurement amount {raw!r} printed without a unit (most likely 万元)",
                        )
                    )
            value = parsed.value if parsed.status == "ok" else None
            evidence = row.evidence("二", i + 1, metric, source=fitted.sources[i])
            result.add(Fact((spec.key, metric), value, raw, evidence, unit=unit, extraction=row.extraction))
    return result
