"""Digits read from pixels, checked against what their cell can hold.

Counts are whole numbers; amounts (a 金额 or 万元 column or row) may have decimals. A
letter OCR confuses with a digit (O/0, l/1, S/5, …) is read as the digit only in a
number cell and only when the whole cell then reads as a number: a correction never adds
or removes a digit, and a cell that still does not read as a number stays as read (the
table readers store NULL and warn).
"""

from __future__ import annotations

import re

from pipelines.issues import Code, Issue
from pipelines.parse.document import Cell, Table
from pipelines.parse.normalise import parse_number

_CONFUSABLE = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0", "l": "1", "I": "1", "|": "1", "i": "1", "!": "1"}
    | {"S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "b": "6", "g": "9", "q": "9"}
)
_DIGITISH = re.compile(r"[-+]?[\dOoDQ〇lI|i!SsBZzbgq]+(?:[.,][\dOoDQ〇lI|i!SsBZzbgq]+)*")
_NUMBER = re.compile(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?")
_AMOUNT_WORDS = ("金额", "万元", "(元)", "(单位:元", "亿元")
# A leading 一 (the numeral one) before digits is a minus sign read as a CJK character.
_CJK_MINUS = re.compile(r"^[一—－]\s*(?=\d)")


def corrected_number(text: str, number_cell: bool) -> str:
    """The cell's text with confusable letters read as digits, when that makes the whole
    cell a number; otherwise the text unchanged. Outside number cells only a text that
    already has a digit is corrected (`1O` → `10`)."""
    compact = re.sub(r"\s+", "", text)
    signed = _CJK_MINUS.sub("-", compact)
    if number_cell and signed != compact and _NUMBER.fullmatch(signed):
        return signed
    if not compact or _NUMBER.fullmatch(compact) or not _DIGITISH.fullmatch(compact):
        return text
    if not (number_cell or any(ch.isdigit() for ch in compact)):
        return text
    fixed = compact.translate(_CONFUSABLE)
    return fixed if _NUMBER.fullmatch(fixed) else text


def _is_number(text: str) -> bool:
    return parse_number(text).status == "ok" and any(ch.isdigit() for ch in text)


def _number_columns(grid: list[list[Cell | None]]) -> set[int]:
    """Grid columns whose single-column cells are mostly numbers, or read as numbers once
    corrected (the value columns)."""
    columns: set[int] = set()
    width = max((len(row) for row in grid), default=0)
    for c in range(width):
        cells = [row[c] for row in grid if c < len(row)]
        texts = [cell.text for cell in cells if cell is not None and cell.colspan == 1]
        texts = [t for t in texts if t.strip()]
        if texts and sum(_is_number(corrected_number(t, True)) for t in texts) * 2 >= len(texts):
            columns.add(c)
    return columns


def _is_amount(grid: list[list[Cell | None]], r: int, c: int) -> bool:
    """An amount cell: its row's label or a header above it names an amount or a unit."""
    context = [cell.text for cell in grid[r][:c] if cell is not None]
    above = [grid[row][c] for row in range(r) if c < len(grid[row])]
    context += [cell.text for cell in above if cell is not None]
    return any(
        word in text.replace("（", "(").replace("）", ")").replace("：", ":")
        for text in context
        for word in _AMOUNT_WORDS
    )


def check_table(table: Table, where: str) -> tuple[Table, list[Issue]]:
    """The table with number cells corrected as `corrected_number` allows, and a warning
    for each number that its cell cannot hold (a decimal point where a count belongs; the table
    readers would store it as NULL without saying why). Such values stay as read."""
    grid = table.grid()
    numeric = _number_columns(grid)
    issues: list[Issue] = []
    position: dict[int, tuple[int, int]] = {}
    for r, grid_row in enumerate(grid):
        for c, grid_cell in enumerate(grid_row):
            if grid_cell is not None:
                position.setdefault(id(grid_cell), (r, c))
    rows = []
    for row in table.rows:
        new_row = []
        for cell in row:
            r, c = position.get(id(cell), (0, 0))
            text = corrected_number(cell.text, c in numeric and cell.colspan == 1)
            if text != cell.text:
                cell = Cell(text, cell.rowspan, cell.colspan, cell.where)
            problem = _doubt(text, _is_amount(grid, r, c))
            if problem:
                issues.append(
                    Issue.of(Code.BAD_VALUE, f"{where}, row {r + 1}, col {c + 1}: OCR read {text!r}, {problem}")
                )
            new_row.append(cell)
        rows.append(new_row)
    return Table(rows, table.number, table.flattened, table.where, table.ocr), issues


def _doubt(text: str, amount: bool) -> str | None:
    """Why a number read from pixels cannot be what its cell holds, or None."""
    compact = re.sub(r"\s+", "", text)
    if _NUMBER.fullmatch(compact) and "." in compact and not amount:
        return "a decimal point where a count belongs; kept as read"
    return None
