"""Map a document's tables onto table 二, 三 and 四 (and pre-2019 statistics tables).

Rows are found by their labels and their values read in sequence, never by grid
position: header spans and data spans often disagree in real pages (TEMPLATES.md
§6.4). Grids (rowspans) only supply the group labels that cover a row.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from pipelines.document import Cell, Document, Table
from pipelines.errors import DocumentError
from pipelines.normalise import ParsedNumber, as_count, clean_text, label_key, parse_number, squash
from pipelines.templates import (
    APPLICANT_KEYS,
    BLOCK_HEADER,
    DISCLOSURE_HEADERS,
    OUTCOME_COMPONENTS,
    APPLICANT_LABELS,
    DISCLOSURE_ITEMS,
    OUTCOME_ROWS,
    REVIEW_COLUMNS,
    ROW_SPECS,
    ItemSpec,
    RowSpec,
)


@dataclass(frozen=True)
class Fact:
    """One value of a fact table, with its provenance (SCHEMA.md: raw_value, derived, source, evidence)."""

    key: tuple[str, str]
    value: int | float | None
    raw: str | None  # None: the row printed no such cell (a short row)
    evidence: str
    unit: str | None = None
    derived: bool = False
    source: str = "table"


@dataclass(frozen=True)
class Issue:
    """A parse_issues row in the making."""

    severity: str
    code: str
    message: str


@dataclass
class TableRead:
    """What was read for one template table: facts by key, issues, and whether it was found."""

    facts: dict[tuple[str, str], Fact] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    found: bool = False
    shape: str | None = None  # table 三: `2019` or `2021` from the 其他处理 rows

    def add(self, fact: Fact) -> None:
        self.facts.setdefault(fact.key, fact)


# --- rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class DataRow:
    """A printed row split into its own label cells, covering group labels, and value cells."""

    table: Table
    number: int  # 1-based row number in its table
    labels: tuple[str, ...]
    context: tuple[str, ...]
    values: tuple[str, ...]

    @property
    def label(self) -> str:
        return " ".join(self.labels)

    def evidence(self, table_name: str, column: int, column_label: str, row_label: str | None = None) -> str:
        row_label = row_label or (self.labels[-1] if self.labels else None)
        label = f" ({row_label})" if row_label else ""
        return f"table {table_name} (page table {self.table.number}), row {self.number}{label}, col {column} ({column_label})"


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _is_value(text: str) -> bool:
    """A value cell: a number, a blank (`/`, `-`, `无`), or junk with no label text in it (`1e308`)."""
    return parse_number(text).status != "invalid" or not _CJK.search(text)


def split_row(cells: list[Cell]) -> tuple[list[str], list[str]]:
    """(label cells, value cells): labels run up to the last cell that is text, not a value."""
    texts = [c.text for c in cells]
    last_label = max((i for i, t in enumerate(texts) if not _is_value(t)), default=-1)
    labels = [t for t in texts[: last_label + 1] if t]
    return labels, texts[last_label + 1 :]


def data_rows(table: Table) -> Iterator[DataRow]:
    """The rows of a table that carry at least one value cell."""
    try:
        grid = table.grid() if not table.flattened else None
    except DocumentError:
        grid = None
    for r, cells in enumerate(table.rows):
        labels, values = split_row(cells)
        if not values or (not labels and not any(v.strip() for v in values)):
            continue
        context: list[str] = []
        if grid is not None and r < len(grid):
            own = {id(c) for c in cells}
            seen: set[int] = set()
            for cell in grid[r]:
                if cell is not None and id(cell) not in own and id(cell) not in seen and cell.text and not _is_value(cell.text):
                    seen.add(id(cell))
                    context.append(cell.text)
        yield DataRow(table, r + 1, tuple(labels), tuple(context), tuple(values))


def _table_keys(table: Table) -> str:
    return label_key("".join(cell.text for row in table.rows for cell in row))


def _fit_values(values: tuple[str, ...], expected: int) -> tuple[list[str | None], str | None]:
    """Exactly `expected` value cells, and an issue code when the row had to be fitted.

    Padding blanks beyond `expected` are dropped; a row of fewer cells keeps its values
    from the left (the rest None: not printed) and is a `short_row`; whitespace-separated numbers in
    too few cells are split only when that gives exactly `expected` values.
    """
    cells = list(values)
    if len(cells) > expected:
        while len(cells) > expected and not cells[-1].strip():
            cells.pop()
        while len(cells) > expected and not cells[0].strip():
            cells.pop(0)
        if len(cells) > expected:
            return cells[:expected], "extra_cells"
    if len(cells) < expected:
        spread = [part for cell in cells for part in (cell.split() or [""])]
        if len(spread) == expected and all(_is_value(p) for p in spread):
            return spread, None
        return cells + [None] * (expected - len(cells)), "short_row"
    return cells, None


MAX_SPLIT_NODES = 200_000  # enumeration budget for one digit run
MAX_SPLITS = 64  # more readings than this: ambiguous whatever else is known


def split_digits(
    digits: str,
    parts: int,
    valid: Callable[[list[int]], bool],
    boundaries: frozenset[int] = frozenset(),
) -> list[list[int]]:
    """Every way to cut a digit run into `parts` numbers without leading zeros that
    satisfies `valid` (checked on every prefix: it must accept partial lists).

    When more than one split is found, only those that cut at every index in
    `boundaries` (where the text had a space) are kept. More than MAX_SPLITS readings
    are all returned (callers treat them as ambiguous); an exhausted budget returns none.
    """
    found: list[list[int]] = []
    n = len(digits)
    if not digits.isdigit() or n < parts or n > parts * 12:
        return found
    nodes = 0

    def cuts(start: int, acc: list[int], cut_at: tuple[int, ...]) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_SPLIT_NODES:
            return False
        if len(acc) == parts:
            if start == n:
                found.append(acc)
                found_cuts.append(cut_at)
            return len(found) <= MAX_SPLITS
        left = parts - len(acc)
        for length in range(1, min(12, n - start - (left - 1)) + 1):
            piece = digits[start : start + length]
            if length > 1 and piece[0] == "0":
                break
            candidate = acc + [int(piece)]
            if valid(candidate) and not cuts(start + length, candidate, cut_at + (start + length,)):
                return False
        return True

    found_cuts: list[tuple[int, ...]] = []
    if not cuts(0, [], ()):
        return [] if nodes > MAX_SPLIT_NODES else found  # out of budget: no split; too many: all of them
    if len(found) > 1 and boundaries:
        found = [f for f, c in zip(found, found_cuts) if boundaries <= set(c)]
    return found


def _total_is_sum(values: list[int]) -> bool:
    """Table 三 row identity on a (partial) split: 总计 = the six applicant columns."""
    return len(values) < len(APPLICANT_KEYS) or values[-1] == sum(values[:-1])


# --- table 三 --------------------------------------------------------------------

_OUTCOME_ANCHORS = ("本年新收", "上年结转", "予以公开", "部分公开", "国家秘密", "不掌握", "信访", "重复申请", "结转下年度", "其他处理", "本年度办理结果")
_HEADER_WORDS = ("自然人", "商业企业", "申请人情况", "法人或其他组织", "结果维持", "信息内容")


def _is_outcome_table(keys: str) -> bool:
    """Table 三, by its row labels, its header note, or its applicant header."""
    return (
        sum(a in keys for a in _OUTCOME_ANCHORS) >= 2
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
    in_other_group = previous in ("other_no_correction", "other_unpaid_fee") or any("其他处理" in label_key(c) for c in row.context)
    if last in ("其他", "3.其他", "3其他") and in_other_group:
        return "other_misc"
    key = _match_row(last, ROW_SPECS.values())
    if key == "total_processed" and "(七)" not in last and last.strip("()七") != "总计":
        return None  # a stray 总计 header, not the （七） row
    return key


def read_outcomes(doc: Document) -> TableRead:
    """Table 三 (收到和处理政府信息公开申请情况) as facts keyed (row_key, applicant)."""
    result = TableRead()
    tables = [t for t in doc.tables if _is_outcome_table(_table_keys(t)) and not _stats_table(t)]
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
    found_keys = {k for k in keys if k}
    if found_keys & {"other_no_correction", "other_unpaid_fee", "other_misc"}:
        shape = "2021"
    elif "other" in found_keys:
        shape = "2019"
    else:
        shape = {25: "2021", 23: "2019"}.get(len(rows))
    result.shape = shape
    keys = _assign_unlabelled(keys, shape, result)

    for row, key in zip(rows, keys):
        if key is None:
            continue
        if any(k == key for (k, _a) in result.facts):
            result.issues.append(Issue("warning", "duplicate_row", f"table 三 row {key!r} printed again ({row.label}); first kept"))
            continue
        with_subtotal = subtotal_column and len([v for v in row.values if v.strip()]) == len(APPLICANT_KEYS) + 1
        expected = len(APPLICANT_KEYS) + int(with_subtotal)
        cells, problem = _fit_values(row.values, expected)
        if with_subtotal:
            cells = cells[:6] + cells[7:]
        if problem == "short_row" and len(row.values) == 1:
            split = _unique_split(_Run(key, "", row.values[0]), len(APPLICANT_KEYS), _total_is_sum)
            if split is not None:
                cells, problem = [str(v) for v in split], "concatenated_cells"
                result.issues.append(Issue("warning", "concatenated_cells", f"table 三 row {key}: digits {row.values[0]!r} split as {split} (the only split where 总计 = sum)"))
        _note_fit(result, "三", key, row, expected, problem)
        for i, (applicant, raw) in enumerate(zip(APPLICANT_KEYS, cells)):
            parsed = parse_number(raw)
            _note_bad_value(result, parsed, raw, f"table 三 row {key} col {applicant}")
            result.add(Fact((key, applicant), as_count(parsed), raw, row.evidence("三", i + 1, APPLICANT_LABELS[applicant])))
    return result


def _assign_unlabelled(keys: list[str | None], shape: str | None, result: TableRead) -> list[str | None]:
    """Give rows whose labels were lost the template row that follows the last labelled one,
    or, when no row is labelled, their position, if the row count is the template's."""
    if shape is None or all(keys) or not any(k is None for k in keys):
        return keys
    order = [spec.key for spec in OUTCOME_ROWS[shape]]
    if not any(keys) and len(keys) == len(order):
        result.issues.append(Issue("warning", "labels_lost", f"table 三 rows have no labels; assigned by position ({len(order)} rows, {shape} template)"))
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
            result.issues.append(Issue("warning", "labels_lost", f"table 三 row without a label assigned to {order[position]} by position"))
            position += 1
        else:
            assigned.append(None)
    return assigned


def _note_fit(result: TableRead, table: str, row_name: str, row: DataRow, expected: int, problem: str | None) -> None:
    """Report a row that had to be fitted to its template's cell count (_fit_values)."""
    if problem == "short_row":
        message = f"table {table} row {row_name} ({row.label}) has {len(row.values)} of {expected} values; the missing cells are left blank, nothing shifted"
    elif problem == "extra_cells":
        message = f"table {table} row {row_name} ({row.label}) has {len(row.values)} values; the first {expected} are kept"
    else:
        return
    result.issues.append(Issue("warning", problem, message))


def _note_bad_value(result: TableRead, parsed: ParsedNumber, raw: str, where: str) -> None:
    if parsed.status in ("invalid", "out_of_range"):
        result.issues.append(Issue("warning", "bad_value", f"{where}: {raw[:40]!r} is not a count ({parsed.status}); stored as NULL"))


# --- table 四 --------------------------------------------------------------------


def read_review_litigation(doc: Document) -> TableRead:
    """Table 四 (行政复议、行政诉讼) as facts keyed (proceeding, outcome)."""
    result = TableRead()
    tables = []
    for t in doc.tables:
        keys = _table_keys(t)
        if "行政复议" in keys and ("行政诉讼" in keys or "直接起诉" in keys) and ("维持" in keys or "纠正" in keys) and not _stats_table(t):
            tables.append(t)
    if not tables:
        return result
    result.found = True
    expected = len(REVIEW_COLUMNS)
    rows = [r for t in tables for r in data_rows(t) if any(v.strip() for v in r.values)]
    wide = [r for r in rows if len(r.values) >= expected - 1 or len([p for v in r.values for p in v.split()]) >= expected]
    if not wide:
        if rows:
            result.issues.append(Issue("warning", "table_unreadable", "table 四 found but no row of 15 values"))
        return result
    row = wide[0]
    cells, problem = _fit_values(row.values, expected)
    _note_fit(result, "四", "data", row, expected, problem)
    for i, ((proceeding, outcome), raw) in enumerate(zip(REVIEW_COLUMNS, cells)):
        parsed = parse_number(raw)
        _note_bad_value(result, parsed, raw, f"table 四 {proceeding}/{outcome}")
        result.add(Fact((proceeding, outcome), as_count(parsed), raw, row.evidence("四", i + 1, f"{proceeding} {outcome}")))
    return result


# --- table 二 --------------------------------------------------------------------

def _is_disclosure_table(keys: str) -> bool:
    return "第二十条" in keys or ("信息内容" in keys and any(h in keys for hs in DISCLOSURE_HEADERS.values() for h in hs))


def _item_for(label: str, items: list[ItemSpec]) -> ItemSpec | None:
    key = label_key(label)
    for spec in sorted(items, key=lambda s: -max(len(p) for p in s.patterns)):
        if any(key.startswith(p) or key.startswith("行政" + p) for p in spec.patterns):
            return spec
    return None


def read_disclosure(doc: Document, template: str) -> TableRead:
    """Table 二 (主动公开政府信息情况) as facts keyed (item, metric), in the table's own template."""
    result = TableRead()
    tables = [t for t in doc.tables if _is_disclosure_table(_table_keys(t))]
    if not tables:
        return result
    result.found = True
    keys = "".join(_table_keys(t) for t in tables)
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
            result.issues.append(Issue("warning", "duplicate_row", f"table 二 row {spec.key!r} printed again ({row.label}); first kept"))
            continue
        cells, problem = _fit_values(row.values, len(spec.metrics))
        _note_fit(result, "二", spec.key, row, len(spec.metrics), problem)
        for i, (metric, raw) in enumerate(zip(spec.metrics, cells)):
            parsed = parse_number(raw)
            _note_bad_value(result, parsed, raw or "", f"table 二 {spec.key}/{metric}")
            unit = None
            if metric == "amount":
                unit = parsed.unit or ("万元" if own_template == "2021" else None)
                if own_template == "2019" and parsed.value is not None and parsed.unit is None:
                    result.issues.append(Issue("info", "amount_unit_unknown", f"procurement amount {raw!r} printed without a unit (most likely 万元)"))
            value = parsed.value if parsed.status == "ok" else None
            result.add(Fact((spec.key, metric), value, raw, row.evidence("二", i + 1, metric), unit=unit))
    return result


# --- pre-2019 statistics tables ----------------------------------------------------

# (fact key, required substrings, excluded substrings); first match wins per row.
_STATS_ROWS: list[tuple[tuple[str, str], tuple[str, ...], tuple[str, ...]]] = [
    (("granted", "total"), ("同意公开",), ("部分",)),
    (("partially_granted", "total"), ("部分公开",), ()),
    (("new_received", "total"), ("申请",), ("当面", "网上", "网络", "信函", "传真", "电子邮件", "其它形式", "其他形式", "答复", "办结", "复议", "诉讼", "不予受理")),
    (("total_processed", "total"), ("答复",), ("同意", "部分", "不予", "否决", "其他类型", "其它类型", "不同意", "属于")),
    (("review", "total"), ("行政复议",), ()),
    (("litigation", "total"), ("行政诉讼",), ("接受", "举报")),
    (("proactive_total", "published"), ("主动公开",), ("其中", "规范性文件")),
]
_STATS_ANCHORS = ("受理", "答复", "主动公开", "申请", "行政复议")


def _stats_table(table: Table) -> bool:
    keys = _table_keys(table)
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
    for table in (t for t in doc.tables if _stats_table(t)):
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
                    result.add(Fact(key, value, raw, row.evidence("统计表", column + 1, "本年", row_label=row.labels[0])))
                    break
    return result


# --- tables flattened into text without separators --------------------------------

_RUN = re.compile(r"[^\d\-]{0,60}?(-?\d[\d .\-]*)")


def _flexible(anchor: str) -> re.Pattern[str]:
    """An anchor label that may have spaces between its characters."""
    return re.compile(r"\s*".join(map(re.escape, anchor)))


@dataclass(frozen=True)
class _Run:
    key: str
    anchor: str
    text: str  # the run as printed (digits, spaces, signs, points)

    @property
    def digits(self) -> str:
        return re.sub(r"\s", "", self.text)

    @property
    def boundaries(self) -> frozenset[int]:
        """Digit indices where the text had a space: cells end there."""
        cuts, count = set(), 0
        for char in self.text.strip():
            if char.isspace():
                cuts.add(count)
            elif char.isdigit():
                count += 1
        return frozenset(cuts)


def _runs_after(text: str, anchors: list[tuple[str, str]], start: int = 0) -> list[_Run]:
    """The value run printed after each anchor label found, in order, from `start`.

    A numbered sub-row (`2.其他…`) follows the previous row's digits directly, so a
    run ending in `N.` ends with the next label's number, not a value.
    """
    found: list[tuple[int, int, str, str]] = []
    position = start
    for key, anchor in anchors:
        match = _flexible(anchor).search(text, position)
        if match:
            found.append((match.start(), match.end(), key, anchor))
            position = match.end()
    runs = []
    for (_start, end, key, anchor), following in itertools.zip_longest(found, found[1:]):
        segment = text[end : following[0] if following else min(len(text), end + 200)]
        match = _RUN.match(segment)
        if not match:
            continue
        value = re.sub(r"\d\.\s*$", "", match.group(1).rstrip()).rstrip(" .-")
        if re.search(r"\d", value):
            runs.append(_Run(key, anchor, value))
    return runs


def _note_split(read: TableRead, table: str, run: _Run, values: list[int] | None, rule: str) -> None:
    if values is None:
        read.issues.append(Issue("warning", "concatenated_cells", f"table {table} row {run.key}: cells run together as {run.text!r}; no unique split ({rule}), values left NULL"))
    else:
        read.issues.append(Issue("warning", "concatenated_cells", f"table {table} row {run.key}: {run.text!r} split as {values}, the only split where {rule}"))


def _unique_split(run: _Run, parts: int, valid: Callable[[list[int]], bool]) -> list[int] | None:
    """The run's only reading: one digit per cell, or the one split that satisfies `valid`."""
    splits = _splits(run, parts, valid)
    return splits[0] if len(splits) == 1 else None


def _splits(run: _Run, parts: int, valid: Callable[[list[int]], bool]) -> list[list[int]]:
    if len(run.digits) == parts and run.digits.isdigit():
        return [[int(d) for d in run.digits]]  # one digit per cell: the only reading there is
    return split_digits(run.digits, parts, valid, run.boundaries)


MAX_COMBINATIONS = 20_000  # joint readings of the ambiguous rows tried against the column identities


def _resolve_by_columns(candidates: dict[str, list[list[int]]], components: list[str]) -> dict[str, list[int]]:
    """Choose among rows' splits with the column identities of table 三 (（七）总计 = the
    outcome rows; 新收 + 上年结转 = （七）总计 + 结转下年度), jointly over the ambiguous rows.

    A row is decided when every joint reading that passes all identities that can be
    checked agrees on it, and some identity involving the row could be checked.
    """
    known = {key: splits[0] for key, splits in candidates.items() if len(splits) == 1}
    open_rows = [key for key, splits in candidates.items() if len(splits) > 1]
    if not open_rows or math.prod(len(candidates[k]) for k in open_rows) > MAX_COMBINATIONS:
        return known
    identities = [(["total_processed"], components), (["new_received", "carried_over"], ["total_processed", "carried_forward"])]
    checkable = [(left, right) for left, right in identities if all(k in candidates for k in left + right)]
    decidable = {k for k in open_rows if any(k in left + right for left, right in checkable)}
    passing = []
    for combination in itertools.product(*(candidates[k] for k in open_rows)):
        trial = {**known, **dict(zip(open_rows, combination))}
        if all(sum(trial[k][c] for k in left) == sum(trial[k][c] for k in right) for left, right in checkable for c in range(len(APPLICANT_KEYS))):
            passing.append(trial)
    for key in decidable:
        readings = {tuple(trial[key]) for trial in passing}
        if len(readings) == 1:
            known[key] = list(readings.pop())
    return known


def _group_totals_are_sums(values: list[int]) -> bool:
    """Table 四 identities on a (partial) split: each complete group of five has 总计 = sum."""
    return all(values[i + 4] == sum(values[i : i + 4]) for i in range(0, len(values) - len(values) % 5, 5))


def read_concatenated(text: str, template: str) -> tuple[TableRead, TableRead, TableRead]:
    """Tables 二, 三 and 四 from text whose cells were run together (`予以公开6000017`).

    A row's digits are split only when exactly one split (no leading zeros; cells end
    where the text has a space) satisfies the table's own identities: 总计 = the six
    applicant columns (三), 总计 = the four outcomes of each proceeding (四). Table 二
    has no identity: a row is split only when its digits allow one reading at all
    (`规章000`), and a one-cell row is read whole. Every such row is reported as
    `concatenated_cells`; a row that cannot be split stays NULL, never guessed.
    """
    disclosure, outcomes, review = TableRead(), TableRead(), TableRead()
    text = clean_text(text)
    squashed = squash(text)
    if sum(a in squashed for a in _OUTCOME_ANCHORS) >= 4:
        shape = "2021" if "逾期不补正" in squashed or "收费通知" in squashed else "2019"
        outcomes.found, outcomes.shape = True, shape
        runs = _runs_after(text, [(spec.key, spec.patterns[0]) for spec in OUTCOME_ROWS[shape]])
        candidates = {run.key: _splits(run, len(APPLICANT_KEYS), _total_is_sum) for run in runs}
        decided = _resolve_by_columns(candidates, OUTCOME_COMPONENTS[shape])
        for run in runs:
            values = decided.get(run.key)
            _note_split(outcomes, "三", run, values, "总计 = sum of the applicant columns, and the column identities")
            for i, applicant in enumerate(APPLICANT_KEYS):
                value = values[i] if values else None
                outcomes.add(Fact((run.key, applicant), value, run.text, f"text after {run.anchor!r}: {run.text!r}, col {i + 1} ({APPLICANT_LABELS[applicant]})"))

    review_header = _flexible("复议后起诉").search(text)
    if review_header:
        anchor = [("review", "总计")] if "总计" in text[review_header.end() : review_header.end() + 200] else []
        runs = [r for r in _runs_after(text, anchor, review_header.end()) if len(r.digits) >= len(REVIEW_COLUMNS)]
        if runs:
            review.found = True
            values = _unique_split(runs[0], len(REVIEW_COLUMNS), _group_totals_are_sums)
            _note_split(review, "四", runs[0], values, "each 总计 = sum of its outcomes")
            for i, column in enumerate(REVIEW_COLUMNS):
                review.add(Fact(column, values[i] if values else None, runs[0].text, f"text of table 四: {runs[0].text!r}, col {i + 1}"))

    block = BLOCK_HEADER.search(text)
    if block and template in DISCLOSURE_ITEMS:
        disclosure.found, disclosure.shape = True, template
        items = DISCLOSURE_ITEMS[template]
        for run in _runs_after(text, [(item.key, item.patterns[0]) for item in items], block.start()):
            spec = next(item for item in items if item.key == run.key)
            whole = parse_number(run.digits)
            if len(spec.metrics) == 1 and whole.status == "ok":
                values: list[float | int] | None = [whole.value]  # type: ignore[list-item]
            elif re.fullmatch(r"\d+", run.digits):
                values = _unique_split(run, len(spec.metrics), lambda _values: True)  # type: ignore[assignment]
                _note_split(disclosure, "二", run, values, "the digits allow one reading")  # type: ignore[arg-type]
            else:
                values = None
                _note_split(disclosure, "二", run, None, "signed or decimal cells run together")
            for i, metric in enumerate(spec.metrics):
                unit = "万元" if metric == "amount" and template == "2021" else None
                disclosure.add(Fact((run.key, metric), values[i] if values else None, run.text, f"text after {run.anchor!r}: {run.text!r}, col {i + 1}", unit=unit))
    return disclosure, outcomes, review


def has_concatenated_stats(text: str) -> bool:
    """True when a pre-2019 statistics table survives only as run-together text."""
    squashed = squash(text)
    return "计量单位" in squashed and "累计" in squashed and bool(re.search(r"(?:条|件)\d{2,}", squashed))
