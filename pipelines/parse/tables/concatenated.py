"""Tables 二, 三 and 四 from text whose cells were run together without separators."""

from __future__ import annotations

import itertools
import re

from pipelines.issues import Code, Issue
from pipelines.parse.normalise import clean_text, parse_number, squash
from pipelines.parse.tables.digits import (
    DigitRun,
    digit_splits,
    group_totals_are_sums,
    resolve_by_columns,
    signed_split,
    total_is_sum,
    unique_split,
)
from pipelines.parse.tables.outcomes import OUTCOME_ANCHORS
from pipelines.parse.tables.rows import Fact, TableRead
from pipelines.parse.templates import Template, template_from_outcome_markers
from pipelines.parse.templates.common import APPLICANT_KEYS, APPLICANT_LABELS, BLOCK_HEADER, REVIEW_COLUMNS

# --- tables flattened into text without separators --------------------------------

_RUN = re.compile(r"[^\d\-]{0,60}?(-?\d[\d .\-+−]*)")
# A count with its unit (`予以公开3件`): a sentence's figure, not a table cell.
_COUNTED = re.compile(r"^\s*(?:件|条|项|份|次|起|宗|个|人次)")
# A line that is one number: a table printed one cell per line.
_NUMBER_LINE = re.compile(r"\n[ \t]*([+\-]?\d+(?:\.\d+)?)[ \t]*\|?[ \t]*(?=\n|$)")


def _cells_on_lines(text: str) -> str:
    """A table printed one cell per line (`一、本年新收…` / `3` / `0` / …): its number lines
    joined to the line above with spaces, so that each line break stays a cell boundary."""
    return _NUMBER_LINE.sub(r" \1", text)


def _flexible(anchor: str) -> re.Pattern[str]:
    """An anchor label that may have spaces between its characters."""
    return re.compile(r"\s*".join(map(re.escape, anchor)))


def _runs_after(text: str, anchors: list[tuple[str, str]], start: int = 0) -> list[DigitRun]:
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
        if _COUNTED.match(segment[match.end() :]):
            continue  # `予以公开3件`: a sentence listing outcomes, not a row of the table
        if re.search(r"\d", value):
            runs.append(DigitRun(key, anchor, value))
    return runs


def _note_split(read: TableRead, table: str, run: DigitRun, values: list[int] | None, rule: str) -> None:
    """Say how a run of digits was split, or that it could not be; a run whose every cell
    is delimited (`3 0 0 0 0 0 3`, a table printed one cell per line) needs no note."""
    if values is not None and [int(p) for p in run.text.split() if p.isdigit()] == values:
        return
    if values is None:
        read.issues.append(
            Issue.of(
                Code.CONCATENATED_CELLS,
                f"table {table} row {run.key}: cells run together as {run.text!r}; no unique split ({rule}), values left NULL",
            )
        )
    else:
        read.issues.append(
            Issue.of(
                Code.CONCATENATED_CELLS,
                f"table {table} row {run.key}: {run.text!r} split as {values}, the only split where {rule}",
            )
        )


def read_concatenated(text: str, template: Template) -> tuple[TableRead, TableRead, TableRead]:
    """Tables 二, 三 and 四 from text whose cells were run together (`予以公开6000017`).

    A row's digits are split only when exactly one split (no leading zeros; cells end
    where the text has a space) satisfies the table's own identities: 总计 = the six
    applicant columns (三), 总计 = the four outcomes of each proceeding (四). Table 二
    has no identity: a row is split only when its digits allow one reading at all
    (`规章000`), and a one-cell row is read whole. Every such row is reported as
    `concatenated_cells`; a row that cannot be split stays NULL, never guessed.
    """
    text = _cells_on_lines(clean_text(text))
    return _disclosure_from_text(text, template), _outcomes_from_text(text), _review_from_text(text)


def _outcomes_from_text(text: str) -> TableRead:
    outcomes = TableRead()
    squashed = squash(text)
    if sum(a in squashed for a in OUTCOME_ANCHORS) < 4:
        return outcomes
    shape = template_from_outcome_markers(squashed)
    runs = _runs_after(text, [(spec.key, spec.patterns[0]) for spec in shape.outcome_rows])
    if not runs:
        return outcomes  # the labels are named in sentences, with no row of values after them
    outcomes.found, outcomes.shape = True, shape
    candidates = {run.key: digit_splits(run, len(APPLICANT_KEYS), total_is_sum) for run in runs}
    decided = resolve_by_columns(candidates, list(shape.outcome_components))
    for run in runs:
        values = decided.get(run.key)
        _note_split(outcomes, "三", run, values, "总计 = sum of the applicant columns, and the column identities")
        for i, applicant in enumerate(APPLICANT_KEYS):
            value = values[i] if values else None
            evidence = f"text after {run.anchor!r}: {run.text!r}, col {i + 1} ({APPLICANT_LABELS[applicant]})"
            outcomes.add(Fact((run.key, applicant), value, run.text, evidence))
    return outcomes


def _review_from_text(text: str) -> TableRead:
    review = TableRead()
    review_header = _flexible("复议后起诉").search(text)
    if not review_header:
        return review
    anchor = [("review", "总计")] if "总计" in text[review_header.end() : review_header.end() + 200] else []
    runs = [r for r in _runs_after(text, anchor, review_header.end()) if len(r.digits) >= len(REVIEW_COLUMNS)]
    if not runs:
        return review
    review.found = True
    values = unique_split(runs[0], len(REVIEW_COLUMNS), group_totals_are_sums)
    _note_split(review, "四", runs[0], values, "each 总计 = sum of its outcomes")
    for i, column in enumerate(REVIEW_COLUMNS):
        evidence = f"text of table 四: {runs[0].text!r}, col {i + 1}"
        review.add(Fact(column, values[i] if values else None, runs[0].text, evidence))
    return review


def _disclosure_from_text(text: str, template: Template) -> TableRead:
    disclosure = TableRead()
    block = BLOCK_HEADER.search(text)
    if not block or not template.has_tables:
        return disclosure
    disclosure.found, disclosure.shape = True, template
    items = template.disclosure_items
    for run in _runs_after(text, [(item.key, item.patterns[0]) for item in items], block.start()):
        spec = next(item for item in items if item.key == run.key)
        values = _disclosure_values(disclosure, run, len(spec.metrics))
        for i, metric in enumerate(spec.metrics):
            unit = template.amount_unit if metric == "amount" else None
            evidence = f"text after {run.anchor!r}: {run.text!r}, col {i + 1}"
            disclosure.add(Fact((run.key, metric), values[i] if values else None, run.text, evidence, unit=unit))
    return disclosure


def _disclosure_values(disclosure: TableRead, run: DigitRun, cells: int) -> list[int | float | None] | None:
    """A table 二 row's values from its run: a one-cell row read whole, a signed 本年增/减 split
    at its sign, else the one reading its digits allow."""
    whole = parse_number(run.digits)
    if cells == 1 and whole.status == "ok" and whole.value is not None:
        return [whole.value]
    if re.fullmatch(r"\d+", run.digits):
        split = unique_split(run, cells, lambda _values: True)
        _note_split(disclosure, "二", run, split, "the digits allow one reading")
        return list(split) if split else None
    signed = signed_split(run.digits, cells)
    if signed is not None:
        read = [v for v in signed if v is not None] if None not in signed else None
        _note_split(disclosure, "二", run, read, "the sign ends 上一年项目数量 and 上一年 + 增/减 gives the third cell")
        return list(signed)
    _note_split(disclosure, "二", run, None, "signed or decimal cells run together")
    return None


def has_concatenated_stats(text: str) -> bool:
    """True when a pre-2019 statistics table survives only as run-together text."""
    squashed = squash(text)
    return "计量单位" in squashed and "累计" in squashed and bool(re.search(r"(?:条|件)\d{2,}", squashed))
