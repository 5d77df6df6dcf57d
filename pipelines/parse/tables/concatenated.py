"""Tables 二, 三 and 四 from text whose cells were run together without separators."""

from __future__ import annotations

import itertools
import re

from pipelines.issues import Issue
from pipelines.parse.normalise import clean_text, parse_number, squash
from pipelines.parse.tables.digits import (
    DigitRun,
    digit_splits,
    group_totals_are_sums,
    resolve_by_columns,
    total_is_sum,
    unique_split,
)
from pipelines.parse.tables.outcomes import OUTCOME_ANCHORS
from pipelines.parse.tables.rows import Fact, TableRead
from pipelines.parse.templates import (
    APPLICANT_KEYS,
    APPLICANT_LABELS,
    BLOCK_HEADER,
    DISCLOSURE_ITEMS,
    OUTCOME_COMPONENTS,
    OUTCOME_ROWS,
    REVIEW_COLUMNS,
)

# --- tables flattened into text without separators --------------------------------

_RUN = re.compile(r"[^\d\-]{0,60}?(-?\d[\d .\-]*)")


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
        if re.search(r"\d", value):
            runs.append(DigitRun(key, anchor, value))
    return runs


def _note_split(read: TableRead, table: str, run: DigitRun, values: list[int] | None, rule: str) -> None:
    if values is None:
        read.issues.append(
            Issue(
                "warning",
                "concatenated_cells",
                f"table {table} row {run.key}: cells run together as {run.text!r}; no unique split ({rule}), values left NULL",
            )
        )
    else:
        read.issues.append(
            Issue(
                "warning",
                "concatenated_cells",
                f"table {table} row {run.key}: {run.text!r} split as {values}, the only split where {rule}",
            )
        )


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
    if sum(a in squashed for a in OUTCOME_ANCHORS) >= 4:
        shape = "2021" if "逾期不补正" in squashed or "收费通知" in squashed else "2019"
        outcomes.found, outcomes.shape = True, shape
        runs = _runs_after(text, [(spec.key, spec.patterns[0]) for spec in OUTCOME_ROWS[shape]])
        candidates = {run.key: digit_splits(run, len(APPLICANT_KEYS), total_is_sum) for run in runs}
        decided = resolve_by_columns(candidates, OUTCOME_COMPONENTS[shape])
        for run in runs:
            values = decided.get(run.key)
            _note_split(outcomes, "三", run, values, "总计 = sum of the applicant columns, and the column identities")
            for i, applicant in enumerate(APPLICANT_KEYS):
                value = values[i] if values else None
                outcomes.add(
                    Fact(
                        (run.key, applicant),
                        value,
                        run.text,
                        f"text after {run.anchor!r}: {run.text!r}, col {i + 1} ({APPLICANT_LABELS[applicant]})",
                    )
                )

    review_header = _flexible("复议后起诉").search(text)
    if review_header:
        anchor = [("review", "总计")] if "总计" in text[review_header.end() : review_header.end() + 200] else []
        runs = [r for r in _runs_after(text, anchor, review_header.end()) if len(r.digits) >= len(REVIEW_COLUMNS)]
        if runs:
            review.found = True
            values = unique_split(runs[0], len(REVIEW_COLUMNS), group_totals_are_sums)
            _note_split(review, "四", runs[0], values, "each 总计 = sum of its outcomes")
            for i, column in enumerate(REVIEW_COLUMNS):
                review.add(
                    Fact(
                        column,
                        values[i] if values else None,
                        runs[0].text,
                        f"text of table 四: {runs[0].text!r}, col {i + 1}",
                    )
                )

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
                values = unique_split(run, len(spec.metrics), lambda _values: True)  # type: ignore[assignment]
                _note_split(disclosure, "二", run, values, "the digits allow one reading")  # type: ignore[arg-type]
            else:
                values = None
                _note_split(disclosure, "二", run, None, "signed or decimal cells run together")
            for i, metric in enumerate(spec.metrics):
                unit = "万元" if metric == "amount" and template == "2021" else None
                disclosure.add(
                    Fact(
                        (run.key, metric),
                        values[i] if values else None,
                        run.text,
                        f"text after {run.anchor!r}: {run.text!r}, col {i + 1}",
                        unit=unit,
                    )
                )
    return disclosure, outcomes, review


def has_concatenated_stats(text: str) -> bool:
    """True when a pre-2019 statistics table survives only as run-together text."""
    squashed = squash(text)
    return "计量单位" in squashed and "累计" in squashed and bool(re.search(r"(?:条|件)\d{2,}", squashed))
