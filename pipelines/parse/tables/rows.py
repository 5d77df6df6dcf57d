"""Rows of a document's tables split into labels and values, and the facts read from them.

Rows are found by their labels and their values read in sequence, never by grid
position: header spans and data spans often disagree in real pages (TEMPLATES.md
§6.4). Grids (rowspans) only supply the group labels that cover a row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pipelines.issues import Code, DocumentError, Issue
from pipelines.parse.document import Cell, Table
from pipelines.parse.normalise import ParsedNumber, label_key, parse_number
from pipelines.parse.templates import Template

EXTRACTIONS = ("text", "ocr")  # how a value was read: from text (HTML, text, Word, a PDF's text layer), from pixels
FactKey = tuple[str, str]  # (row_key, applicant), (proceeding, outcome) or (item, metric)


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
    extraction: str = "text"  # `ocr` when read from pixels


@dataclass
class TableRead:
    """What was read for one template table: facts by key, issues, and whether it was found."""

    facts: dict[tuple[str, str], Fact] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    found: bool = False
    shape: Template | None = None  # the template the table itself follows (its rows, its headers)

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
    places: tuple[str | None, ...] = ()  # where each value cell is in the source, when the reader knows

    @property
    def label(self) -> str:
        return " ".join(self.labels)

    @property
    def extraction(self) -> str:
        """How the row's values were read: `ocr` from pixels, else `text`."""
        return "ocr" if self.table.ocr else "text"

    def evidence(
        self, table_name: str, column: int, column_label: str, row_label: str | None = None, source: int | None = None
    ) -> str:
        """Where a value is: table, row and column; and the cell's place in the source
        (`p. 4, bbox …`, `Word table 2, row 4, col 4`) when value cell `source` has one."""
        row_label = row_label or (self.labels[-1] if self.labels else None)
        label = f" ({row_label})" if row_label else ""
        where = self.places[source] if source is not None and source < len(self.places) else None
        place = f"; {where}" if where else ""
        return f"table {table_name} (page table {self.table.number}), row {self.number}{label}, col {column} ({column_label}){place}"


_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_value(text: str) -> bool:
    """A value cell: a number, a blank (`/`, `-`, `无`), or junk with no label text in it (`1e308`)."""
    return parse_number(text).status != "invalid" or not _CJK.search(text)


def split_row(cells: list[Cell]) -> tuple[list[str], list[Cell]]:
    """(label texts, value cells): labels run up to the last cell that is text, not a value."""
    texts = [c.text for c in cells]
    last_label = max((i for i, t in enumerate(texts) if not is_value(t)), default=-1)
    labels = [t for t in texts[: last_label + 1] if t]
    return labels, cells[last_label + 1 :]


def data_rows(table: Table) -> Iterator[DataRow]:
    """The rows of a table that carry at least one value cell."""
    try:
        grid = table.grid() if not table.flattened else None
    except DocumentError:
        grid = None
    for r, cells in enumerate(table.rows):
        labels, value_cells = split_row(cells)
        values = [c.text for c in value_cells]
        if not values or (not labels and not any(v.strip() for v in values)):
            continue
        context: list[str] = []
        if grid is not None and r < len(grid):
            own = {id(c) for c in cells}
            seen: set[int] = set()
            for cell in grid[r]:
                if (
                    cell is not None
                    and id(cell) not in own
                    and id(cell) not in seen
                    and cell.text
                    and not is_value(cell.text)
                ):
                    seen.add(id(cell))
                    context.append(cell.text)
        places = tuple(c.where for c in value_cells)
        yield DataRow(table, r + 1, tuple(labels), tuple(context), tuple(values), places)


def table_keys(table: Table) -> str:
    return label_key("".join(cell.text for row in table.rows for cell in row))


@dataclass(frozen=True)
class Fitted:
    """A row's values fitted to its table: exactly the expected cells (None: not printed),
    the printed value cell each came from, and the issue code when the row had to be fitted."""

    cells: list[str | None]
    sources: list[int | None]
    problem: Code | None = None


def fit_values(values: tuple[str, ...], expected: int) -> Fitted:
    """Exactly `expected` value cells.

    Padding blanks beyond `expected` are dropped; a row of fewer cells keeps its values
    from the left (the rest None: not printed) and is a `short_row`; whitespace-separated numbers in
    too few cells are split only when that gives exactly `expected` values.
    """
    cells: list[str | None] = list(values)
    sources: list[int | None] = list(range(len(values)))
    if len(cells) > expected:
        while len(cells) > expected and not (cells[-1] or "").strip():
            cells.pop()
            sources.pop()
        while len(cells) > expected and not (cells[0] or "").strip():
            cells.pop(0)
            sources.pop(0)
        if len(cells) > expected:
            return Fitted(cells[:expected], sources[:expected], Code.EXTRA_CELLS)
    if len(cells) < expected:
        spread = [(part, i) for i, cell in enumerate(values) for part in (cell.split() or [""])]
        if len(spread) == expected and all(is_value(p) for p, _i in spread):
            return Fitted([p for p, _i in spread], [i for _p, i in spread])
        missing = expected - len(cells)
        return Fitted(cells + [None] * missing, sources + [None] * missing, Code.SHORT_ROW)
    return Fitted(cells, sources)


def note_fit(result: TableRead, table: str, row_name: str, row: DataRow, expected: int, problem: Code | None) -> None:
    """Report a row that had to be fitted to its template's cell count (fit_values)."""
    if problem is Code.SHORT_ROW:
        message = f"table {table} row {row_name} ({row.label}) has {len(row.values)} of {expected} values; the missing cells are left blank, nothing shifted"
    elif problem is Code.EXTRA_CELLS:
        message = (
            f"table {table} row {row_name} ({row.label}) has {len(row.values)} values; the first {expected} are kept"
        )
    else:
        return
    result.issues.append(Issue.of(problem, message))


def note_bad_value(result: TableRead, parsed: ParsedNumber, raw: str, where: str) -> None:
    if parsed.status in ("invalid", "out_of_range"):
        result.issues.append(
            Issue.of(Code.BAD_VALUE, f"{where}: {raw[:40]!r} is not a count ({parsed.status}); stored as NULL")
        )
