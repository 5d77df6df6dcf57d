"""Table 二 (主动公开政府信息情况): facts keyed (item, metric), in the table's own template."""

from __future__ import annotations

from pipelines.issues import Issue
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
from pipelines.parse.templates import DISCLOSURE_HEADERS, DISCLOSURE_ITEMS, ItemSpec

# --- table 二 --------------------------------------------------------------------


def _is_disclosure_table(keys: str) -> bool:
    return "第二十条" in keys or (
        "信息内容" in keys and any(h in keys for hs in DISCLOSURE_HEADERS.values() for h in hs)
    )


def _item_for(label: str, items: list[ItemSpec]) -> ItemSpec | None:
    key = label_key(label)
    for spec in sorted(items, key=lambda s: -max(len(p) for p in s.patterns)):
        if any(key.startswith(p) or key.startswith("行政" + p) for p in spec.patterns):
            return spec
    return None


def read_disclosure(doc: Document, template: str) -> TableRead:
    """Table 二 (主动公开政府信息情况) as facts keyed (item, metric), in the table's own template."""
    result = TableRead()
    tables = [t for t in doc.tables if _is_disclosure_table(table_keys(t))]
    if not tables:
        return result
    result.found = True
    keys = "".join(table_keys(t) for t in tables)
    if any(h in keys for h in DISCLOSURE_HEADERS["2021"]):
        own_template = "2021"
    elif any(h in keys for h in DISCLOSURE_HEADERS["2019"]):
        own_template = "2019"
    else:
        own_template = template if template in DISCLOSURE_ITEMS else "2019"
    result.shape = own_template
    items = DISCLOSURE_ITEMS[own_template]
    for row in (r for t in tables for r in data_rows(t)):
        if not row.labels:
            continue
        spec = _item_for(row.labels[0], items)
        if spec is None:
            continue  # a local row the template does not have (其他主动公开文件)
        if any(item == spec.key for (item, _m) in result.facts):
            result.issues.append(
                Issue("warning", "duplicate_row", f"table 二 row {spec.key!r} printed again ({row.label}); first kept")
            )
            continue
        cells, problem = fit_values(row.values, len(spec.metrics))
        note_fit(result, "二", spec.key, row, len(spec.metrics), problem)
        for i, (metric, raw) in enumerate(zip(spec.metrics, cells)):
            parsed = parse_number(raw)
            note_bad_value(result, parsed, raw or "", f"table 二 {spec.key}/{metric}")
            unit = None
            if metric == "amount":
                unit = parsed.unit or ("万元" if own_template == "2021" else None)
                if own_template == "2019" and parsed.value is not None and parsed.unit is None:
                    result.issues.append(
                        Issue(
                            "info",
                            "amount_unit_unknown",
                            f"procurement amount {raw!r} printed without a unit (most likely 万元)",
                        )
                    )
            value = parsed.value if parsed.status == "ok" else None
            result.add(Fact((spec.key, metric), value, raw, row.evidence("二", i + 1, metric), unit=unit))
    return result
