"""Pre-2019 statistics tables (统计表 / 附表): the key figures, keyed as SCHEMA.md's pre-2019 facts."""

from __future__ import annotations

from pipelines.parse.document import Document, Table
from pipelines.parse.normalise import as_count, label_key, parse_number
from pipelines.parse.tables.rows import Fact, TableRead, data_rows, table_keys

# --- pre-2019 statistics tables ----------------------------------------------------

# (fact key, required substrings, excluded substrings); first match wins per row.
_STATS_ROWS: list[tuple[tuple[str, str], tuple[str, ...], tuple[str, ...]]] = [
    (("granted", "total"), ("同意公开",), ("部分",)),
    (("partially_granted", "total"), ("部分公开",), ()),
    (
        ("new_received", "total"),
        ("申请",),
        (
            "当面",
            "网上",
            "网络",
            "信函",
            "传真",
            "电子邮件",
            "其它形式",
            "其他形式",
            "答复",
            "办结",
            "复议",
            "诉讼",
            "不予受理",
        ),
    ),
    (
        ("total_processed", "total"),
        ("答复",),
        ("同意", "部分", "不予", "否决", "其他类型", "其它类型", "不同意", "属于"),
    ),
    (("review", "total"), ("行政复议",), ()),
    (("litigation", "total"), ("行政诉讼",), ("接受", "举报")),
    (("proactive_total", "published"), ("主动公开",), ("其中", "规范性文件")),
]
_STATS_ANCHORS = ("受理", "答复", "主动公开", "申请", "行政复议")


def is_stats_table(table: Table) -> bool:
    keys = table_keys(table)
    return ("指标" in keys or "单位" in keys or "统计" in keys) and sum(a in keys for a in _STATS_ANCHORS) >= 2


def _this_year_column(table: Table) -> int:
    """Index, among value cells, of the reporting-year column (not 历年累计)."""
    for row in table.rows[:3]:
        texts = [label_key(c.text) for c in row]
        if not any("指标" in t or "单位" in t for t in texts):
            continue
        value_headers = [t for t in texts if "指标" not in t and "单位" not in t and "名称" not in t]
        for i, header in enumerate(value_headers):
            if "累计" not in header and ("年" in header or "本期" in header or "本年" in header):
                return i
    return 0


def read_pre2019_stats(doc: Document) -> TableRead:
    """Key figures of a pre-2019 statistics table (统计表 / 附表), keyed as SCHEMA.md's pre-2019 facts."""
    result = TableRead()
    for table in (t for t in doc.tables if is_stats_table(t)):
        result.found = True
        column = _this_year_column(table)
        for row in data_rows(table):
            if not row.labels or not any(v.strip() for v in row.values):
                continue  # a heading row (三、依申请公开情况) carries no figure
            label = label_key(row.labels[0])
            for key, required, excluded in _STATS_ROWS:
                if all(r in label for r in required) and not any(e in label for e in excluded):
                    if key in result.facts:
                        break
                    raw = row.values[column] if column < len(row.values) else None
                    parsed = parse_number(raw)
                    value = as_count(parsed)
                    evidence = row.evidence("统计表", column + 1, "本年", row_label=row.labels[0], source=column)
                    result.add(Fact(key, value, raw, evidence, extraction=row.extraction))
                    break
    return result
