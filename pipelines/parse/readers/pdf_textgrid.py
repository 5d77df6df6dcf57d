"""Tables drawn with only some ruling lines (a rule above, below the header and below
the table, as Word's simple styles draw them): columns from the text positions.

pdfplumber's line strategy finds no cell in such a table. Between two long horizontal
rules of the same width, the rows are the printed lines and the columns the gaps that
no word of a row with figures crosses; at least half the rows must have figures, so
prose between a header rule and a footer rule stays prose. Cells exist only where text is; an empty
position stays empty, so no value moves to another column.
"""

from __future__ import annotations

import bisect
from typing import Any

from pipelines.parse.readers.pdf_tables import BBox, PageCell, PageTable, cell_text, inside, is_value
from pipelines.parse.readers.pdf_text import Char, chars_to_lines

MIN_RULE_LENGTH = 100.0  # points: shorter horizontal lines are underlines, not table rules
_SAME_EDGE = 6.0  # rules of one table start and end within this distance


def text_tables(edges: list[dict[str, Any]], chars: list[Char], found: list[BBox], page: int) -> list[PageTable]:
    """Tables between horizontal rules that no ruled table covers, read from text positions."""
    rules = sorted(
        (
            e
            for e in edges
            if e.get("orientation") == "h"
            and e["x1"] - e["x0"] >= MIN_RULE_LENGTH
            and not any(b[0] - 3 <= e["x0"] and e["x1"] <= b[2] + 3 and b[1] - 3 <= e["top"] <= b[3] + 3 for b in found)
        ),
        key=lambda e: e["top"],
    )
    tables = []
    for group in _rule_groups(rules):
        region = (min(e["x0"] for e in group), group[0]["top"], max(e["x1"] for e in group), group[-1]["bottom"])
        table = _grid(region, [c for c in chars if inside(c, region, 0.0)], page)
        if table is not None:
            tables.append(table)
    return tables


def _rule_groups(rules: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Runs of rules of the same extent, top to bottom (two at least)."""
    groups: list[list[dict[str, Any]]] = []
    for rule in rules:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and abs(rule["x0"] - last["x0"]) <= _SAME_EDGE
            and abs(rule["x1"] - last["x1"]) <= _SAME_EDGE
            and rule["top"] - last["top"] > 3
        ):
            groups[-1].append(rule)
        else:
            groups.append([rule])
    return [g for g in groups if len(g) >= 2]


def _words(chars: list[Char]) -> list[list[Char]]:
    """A line's characters split where the gap is wider than one character."""
    words: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: c["x0"]):
        if not char["text"].strip():
            continue
        if words and char["x0"] - words[-1][-1]["x1"] <= 0.8 * char["size"]:
            words[-1].append(char)
        else:
            words.append([char])
    return words


def _grid(region: BBox, chars: list[Char], page: int) -> PageTable | None:
    """Rows from lines, columns from the gaps between the words of rows with figures."""
    lines = chars_to_lines(chars, page)
    if len(lines) < 2:
        return None
    rows = [[c for c in chars if line.top - 0.5 <= (c["top"] + c["bottom"]) / 2 <= line.bottom + 0.5] for line in lines]
    spans: list[tuple[float, float]] = []
    data_rows = 0
    for row in rows:
        words = _words(row)
        if len(words) >= 2 and any(is_value(cell_text(w)) for w in words):
            data_rows += 1
            spans += [(w[0]["x0"], w[-1]["x1"]) for w in words]
    if data_rows < max(2, len(lines) // 2):
        return None  # prose between two rules (a running header and footer), not a table
    columns: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if columns and x0 <= columns[-1][1] + 1:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    if len(columns) < 2:
        return None
    xs = [region[0]] + [(a[1] + b[0]) / 2 for a, b in zip(columns, columns[1:])] + [region[2]]
    ys = [region[1]] + [(a.bottom + b.top) / 2 for a, b in zip(lines, lines[1:])] + [region[3]]
    cells = []
    for r, row in enumerate(rows):
        by_column: dict[int, list[Char]] = {}
        for word in _words(row):  # a word belongs to the column it starts in (headers are wider)
            column = min(max(bisect.bisect_right(xs, word[0]["x0"]) - 1, 0), len(xs) - 2)
            by_column.setdefault(column, []).extend(word)
        for c, column_chars in sorted(by_column.items()):
            box = (xs[c], ys[r], xs[c + 1], ys[r + 1])
            cells.append(PageCell(cell_text(column_chars), tuple(round(v, 1) for v in box), page, r, 1))  # type: ignore[arg-type]
    return PageTable(tuple(round(v, 1) for v in region), xs, len(lines), cells, [page])  # type: ignore[arg-type]
