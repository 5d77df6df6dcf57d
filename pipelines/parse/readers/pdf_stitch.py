"""Tables continued across a page break, stitched into one table.

A continuation is the first block of a page, right after a table that ended the
previous page, with the same column layout. Word and WPS print a merged label cut by
the break on both pages (`（四）无` / `法提供`), split a row whose label did not fit
(`1.申请人无正当理由逾期不补` / `正、行政机关不再处理…`), and may repeat the header rows:
each is undone here, so the table has the rows the HTML copy has.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipelines.parse.document import Cell, Table
from pipelines.parse.normalise import squash
from pipelines.parse.readers.pdf_tables import SNAP, PageCell, PageTable, cluster, is_value, nearest

# A label that starts a row of its own: 一、 （一） 1.
_ROW_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]|\d{1,2}\s*[.、．])"
)
_MAX_HEADER_ROWS = 4


def same_columns(a: PageTable, b: PageTable) -> bool:
    """The same outer edges, and one table's column boundaries a subset of the other's."""
    if abs(a.xs[0] - b.xs[0]) > 2 * SNAP or abs(a.xs[-1] - b.xs[-1]) > 2 * SNAP:
        return False

    def subset(small: list[float], large: list[float]) -> bool:
        return all(min(abs(x - y) for y in large) <= SNAP for x in small[1:-1])

    return subset(a.xs, b.xs) or subset(b.xs, a.xs)


def stitch(a: PageTable, b: PageTable) -> PageTable:
    """B appended to A: a repeated header dropped, a split row or cut labels rejoined."""
    b_cells = _without_repeated_header(a, b)
    offset = a.n_rows  # B's first row lands here
    xs = cluster(a.xs + b.xs)
    label_end = _label_end(a.cells + b_cells, xs)
    first = min((c.row for c in b_cells), default=0)
    first_row = [c for c in b_cells if c.row == first]
    bottom = {_columns(c, xs): c for c in a.cells if c.row + c.rowspan >= a.n_rows}
    rest = [c for c in b_cells if c.row != first]
    if _is_split_row(first_row, bottom, xs):
        for cell in first_row:
            _extend(bottom[_columns(cell, xs)], cell, cell.rowspan - 1)
        offset -= 1
    else:
        for cell in first_row:
            upper = bottom.get(_columns(cell, xs))
            if upper is not None and _continues(upper, cell, xs, label_end):
                _extend(upper, cell, cell.rowspan)
            else:
                rest.append(cell)
    moved = [PageCell(c.text, c.bbox, c.page, c.row - first + offset, c.rowspan) for c in rest]
    n_rows = max([a.n_rows] + [c.row + c.rowspan for c in moved])
    return PageTable(a.bbox, xs, n_rows, a.cells + moved, a.pages + [p for p in b.pages if p not in a.pages])


def _columns(cell: PageCell, xs: list[float]) -> tuple[int, int]:
    return nearest(xs, cell.bbox[0]), nearest(xs, cell.bbox[2])


def _row_texts(cells: list[PageCell], row: int) -> list[str]:
    return [squash(c.text) for c in sorted(cells, key=lambda c: c.bbox[0]) if c.row == row]


def _without_repeated_header(a: PageTable, b: PageTable) -> list[PageCell]:
    """B's cells without its leading rows that repeat A's first rows word for word."""
    start = min((c.row for c in b.cells), default=0)
    repeated = 0
    while repeated < _MAX_HEADER_ROWS:
        row = _row_texts(b.cells, start + repeated)
        if not row or not any(row) or row != _row_texts(a.cells, repeated):
            break
        repeated += 1
    if repeated and any(c.row >= start + repeated for c in b.cells):
        return [c for c in b.cells if c.row >= start + repeated]
    return list(b.cells)


def _label_end(cells: list[PageCell], xs: list[float]) -> int:
    """The first column that holds values: label columns lie left of it."""
    return min((nearest(xs, c.bbox[0]) for c in cells if is_value(c.text)), default=len(xs))


def _is_split_row(first_row: list[PageCell], bottom: dict[tuple[int, int], PageCell], xs: list[float]) -> bool:
    """The first row continues A's last row: no values, no label starting a row, and every
    cell under a cell of A's last row."""
    texts = [c.text for c in first_row if c.text.strip()]
    return (
        bool(texts)
        and not any(is_value(t) or _ROW_MARKER.match(t) for t in texts)
        and all(_columns(c, xs) in bottom for c in first_row)
    )


def _continues(upper: PageCell, cell: PageCell, xs: list[float], label_end: int) -> bool:
    """A label cell under a label cell that spans rows, and not a label of its own (no
    row number): one merged cell cut by the break. An empty label cell continues too."""
    if nearest(xs, cell.bbox[2]) > label_end or is_value(upper.text):
        return False
    if not cell.text.strip():
        return True
    return (cell.rowspan > 1 or upper.rowspan > 1) and not _ROW_MARKER.match(cell.text) and not is_value(cell.text)


def _extend(upper: PageCell, cell: PageCell, rows: int) -> None:
    """The upper cell takes the lower one's text and covers `rows` more rows."""
    upper.text = upper.text + cell.text
    upper.rowspan += rows


def to_table(table: PageTable, number: int, clean: Callable[[str], str]) -> Table:
    """The document model's table: rows of cells with spans, holes before a cell filled
    with empty cells so every cell keeps its column."""
    xs = table.xs
    by_row: dict[int, list[tuple[int, int, PageCell]]] = {}
    for cell in table.cells:
        c0, c1 = _columns(cell, xs)
        by_row.setdefault(cell.row, []).append((c0, max(1, c1 - c0), cell))
    covered: set[tuple[int, int]] = set()
    rows: list[list[Cell]] = []
    for r in range(table.n_rows):
        row: list[Cell] = []
        column = 0
        for c0, colspan, cell in sorted(by_row.get(r, []), key=lambda item: item[0]):
            while column < c0:
                if (r, column) not in covered:
                    row.append(Cell(""))
                column += 1
            x0, top, x1, bottom = cell.bbox
            where = f"p. {cell.page}, bbox {x0:.1f},{top:.1f},{x1:.1f},{bottom:.1f}"
            row.append(Cell(clean(cell.text), cell.rowspan, colspan, where))
            covered.update((r + dr, c0 + dc) for dr in range(cell.rowspan) for dc in range(colspan))
            column = c0 + colspan
        rows.append(row)
    pages = table.pages
    where = f"p. {pages[0]}" if len(pages) == 1 else f"p. {pages[0]}-{pages[-1]}"
    return Table(rows, number, where=where)
