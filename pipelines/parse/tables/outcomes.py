"""Table 三 (收到和处理政府信息公开申请情况): facts keyed (row_key, applicant)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pipelines.issues import Code, Issue
from pipelines.parse.document import Document
from pipelines.parse.normalise import as_count, label_key, parse_number
from pipelines.parse.tables.digits import DigitRun, total_is_sum, unique_split
from pipelines.parse.tables.rows import (
    DataRow,
    Fact,
    TableRead,
    data_rows,
    fit_values,
    note_bad_value,
    note_fit,
    table_keys,
)
from pipelines.parse.tables.statistics import is_stats_table
from pipelines.parse.templates import RowSpec, Template, all_outcome_rows, template_from_outcome_rows
from pipelines.parse.templates.common import APPLICANT_KEYS, APPLICANT_LABELS

# --- table 三 --------------------------------------------------------------------

OUTCOME_ANCHORS = (
    "本年新收",
    "上年结转",
    "予以公开",
    "部分公开",
    "国家秘密",
    "不掌握",
    "信访",
    "重复申请",
    "结转下年度",
    "其他处理",
    "本年度办理结果",
)
_HEADER_WORDS = ("自然人", "商业企业", "申请人情况", "法人或其他组织", "结果维持", "信息内容")


def _is_outcome_table(keys: str) -> bool:
    """Table 三, by its row labels, its header note, or its applicant header."""
    return (
        sum(a in keys for a in OUTCOME_ANCHORS) >= 2
        or "勾稽关系" in keys
        or ("自然人" in keys and ("商业企业" in keys or "法人或其他组织" in keys) and "结果维持" not in keys)
    )


def _match_row(key_text: str, specs: Iterable[RowSpec]) -> str | None:
    for spec in specs:
        if any(p in key_text for p in spec.patterns):
            return spec.key
    return None


def _outcome_key(row: DataRow, previous: str | None) -> str | None:
    """The canonical row a printed row of table 三 is: its most specific own label, read
    within its group (a rowspanned （六）其他处理 makes a bare `其他` the 2021 row 3.其他).
    A group label alone (a subtotal the template does not have) is no row."""
    if not row.labels:
        return None
    last = label_key(row.labels[-1])
    in_other_group = previous in ("other_no_correction", "other_unpaid_fee") or any(
        "其他处理" in label_key(c) for c in row.context
    )
    if last in ("其他", "3.其他", "3其他") and in_other_group:
        return "other_misc"
    key = _match_row(last, all_outcome_rows().values())
    if key == "total_processed" and "(七)" not in last and last.strip("()七") != "总计":
        return None  # a stray 总计 header, not the （七） row
    return key


def read_outcomes(doc: Document) -> TableRead:
    """Table 三 (收到和处理政府信息公开申请情况) as facts keyed (row_key, applicant)."""
    result = TableRead()
    tables = [t for t in doc.tables if _is_outcome_table(table_keys(t)) and not is_stats_table(t)]
    if not tables:
        return result
    result.found = True
    rows = [row for table in tables for row in data_rows(table)]
    rows = [row for row in rows if not any(w in label_key(row.label) for w in _HEADER_WORDS)]
    # Some tables add a 法人或其他组织 subtotal column before 总计 (TEMPLATES.md §6.1).
    subtotal_column = any(label_key(cell.text) == "小计" for t in tables for r in t.rows for cell in r)

    keys: list[str | None] = []
    previous = None
    for row in rows:
        key = _outcome_key(row, previous)
        keys.append(key)
        previous = key or previous
    shape = template_from_outcome_rows({k for k in keys if k}, len(rows))
    result.shape = shape
    keys = _assign_unlabelled(keys, shape, result)

    blank_totals = _total_column_blank([row for row, key in zip(rows, keys) if key])
    for row, key in zip(rows, keys):
        if key is None:
            continue
        if blank_totals and len(row.values) == len(APPLICANT_KEYS) - 1:
            row = replace(row, values=(*row.values, ""), places=(*row.places, None))
        if any(k == key for (k, _a) in result.facts):
            result.issues.append(
                Issue.of(Code.DUPLICATE_ROW, f"table 三 row {key!r} printed again ({row.label}); first kept")
            )
            continue
        with_subtotal = subtotal_column and len([v for v in row.values if v.strip()]) == len(APPLICANT_KEYS) + 1
        expected = len(APPLICANT_KEYS) + int(with_subtotal)
        fitted = fit_values(row.values, expected)
        cells, sources, problem = fitted.cells, fitted.sources, fitted.problem
        if with_subtotal:
            cells, sources = cells[:6] + cells[7:], sources[:6] + sources[7:]
        if problem is Code.SHORT_ROW and len(row.values) == 1:
            split = unique_split(DigitRun(key, "", row.values[0]), len(APPLICANT_KEYS), total_is_sum)
            if split is not None:
                cells, problem = [str(v) for v in split], Code.CONCATENATED_CELLS
                sources = [0] * len(cells)
                result.issues.append(
                    Issue.of(
                        Code.CONCATENATED_CELLS,
                        f"table 三 row {key}: digits {row.values[0]!r} split as {split} (the only split where 总计 = sum)",
                    )
                )
        note_fit(result, "三", key, row, expected, problem)
        for i, (applicant, raw) in enumerate(zip(APPLICANT_KEYS, cells)):
            parsed = parse_number(raw)
            note_bad_value(result, parsed, raw or "", f"table 三 row {key} col {applicant}")
            evidence = row.evidence("三", i + 1, APPLICANT_LABELS[applicant], source=sources[i])
            result.add(Fact((key, applicant), as_count(parsed), raw, evidence, extraction=row.extraction))
    return result


def _total_column_blank(rows: list[DataRow]) -> bool:
    """The 总计 column printed blank in every row (a `|`-flattened copy drops a blank last
    cell with the padding): no row prints more than the six applicant cells, most print
    exactly six. Each row's 总计 is then a blank cell, not a missing one."""
    six = len(APPLICANT_KEYS) - 1
    if len(rows) < 3 or any(len(row.values) > six for row in rows):
        return False
    return sum(len(row.values) == six for row in rows) * 2 > len(rows)


def _assign_unlabelled(keys: list[str | None], shape: Template | None, result: TableRead) -> list[str | None]:
    """Give rows whose labels were lost the template row that follows the last labelled one,
    or, when no row is labelled, their position, if the row count is the template's."""
    if shape is None or all(keys) or not any(k is None for k in keys):
        return keys
    order = list(shape.row_keys)
    if not any(keys) and len(keys) == len(order):
        result.issues.append(
            Issue.of(
                Code.LABELS_LOST,
                f"table 三 rows have no labels; assigned by position ({len(order)} rows, {shape.key} template)",
            )
        )
        return list(order)
    taken = {k for k in keys if k}
    assigned: list[str | None] = []
    position = 0
    for key in keys:
        if key is not None:
            position = order.index(key) + 1 if key in order else position
            assigned.append(key)
            continue
        if position < len(order) and order[position] not in taken:
            assigned.append(order[position])
            taken.add(order[position])
            result.issues.append(
                Issue.of(Code.LABELS_LOST, f"table 三 row without a label assigned to {order[position]} by position")
            )
            position += 1
        else:
            assigned.append(None)
    return assigned
