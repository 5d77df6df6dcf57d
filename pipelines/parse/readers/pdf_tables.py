"""Ruled tables of one PDF page as cells with row and column spans.

pdfplumber finds the cells from the ruling lines; the spans come from the cells' boxes
against the table's row and column boundaries, as the HTML path reads rowspan and colspan.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pipelines.parse.normalise import parse_number
from pipelines.parse.readers.pdf_text import Char, chars_to_lines, join_lines

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom
SNAP = 3.0  # points: boundaries closer than this are one boundary
TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": SNAP,
    "join_tolerance": SNAP,
    "intersection_tolerance": SNAP,
    "edge_min_length": 3,
}


@dataclass
class PageCell:
    """A cell as found on its page: text, box, and its rows in its table (columns are
    computed from the box once the table is complete)."""

    text: str
    bbox: BBox
    page: int
    row: int
    rowspan: int


@dataclass
class PageTable:
    """A ruled table: its cells, row count, column boundaries and the pages it is on."""

    bbox: BBox
    xs: list[float]
    n_rows: int
    cells: list[PageCell]
    pages: list[int] = field(default_factory=list)


def cluster(values: list[float], tolerance: float = SNAP) -> list[float]:
    """Sorted values with those closer than `tolerance` to the previous one merged (the first kept)."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


def nearest(boundaries: list[float], value: float) -> int:
    """Index of the boundary nearest to `value`."""
    i = bisect.bisect_left(boundaries, value)
    candidates = [j for j in (i - 1, i) if 0 <= j < len(boundaries)]
    return min(candidates, key=lambda j: abs(boundaries[j] - value))


def _is_dark(color: Any) -> bool:
    """A colour dark enough to be a printed rule (white fills behind text are not)."""
    if color is None or isinstance(color, str):
        return True
    values = (color,) if isinstance(color, (int, float)) else tuple(color)
    if not all(isinstance(v, (int, float)) for v in values):
        return True
    if len(values) == 1:
        return values[0] < 0.6
    if len(values) == 3:
        return 0.3 * values[0] + 0.59 * values[1] + 0.11 * values[2] < 0.6
    if len(values) == 4:
        return (1 - values[3]) * (1 - max(values[:3])) < 0.6
    return True


def is_ruling(obj: dict[str, Any]) -> bool:
    """Objects kept for table finding: all but graphics that are not dark rules (white
    or tinted cell backgrounds would otherwise make every line of prose a table)."""
    kind = obj.get("object_type")
    if kind not in ("rect", "line", "curve"):
        return True
    stroked = (obj.get("stroke") or kind == "line") and _is_dark(obj.get("stroking_color"))
    filled = obj.get("fill") and kind != "line" and _is_dark(obj.get("non_stroking_color"))
    return bool(stroked or filled)


def closing_lines(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Horizontal rules where vertical rules end together without one: a table cut by a
    page break often lacks its bottom (or top) border."""
    ends: dict[int, list[float]] = defaultdict(list)
    for edge in edges:
        if edge.get("orientation") == "v" and edge["bottom"] - edge["top"] > 3:
            ends[round(edge["top"])].append(edge["x0"])
            ends[round(edge["bottom"])].append(edge["x0"])
    lines = []
    for y, xs in ends.items():
        if len(set(round(x) for x in xs)) >= 2:
            x0, x1 = min(xs), max(xs)
            lines.append(
                {
                    "object_type": "line",
                    "x0": x0,
                    "x1": x1,
                    "top": float(y),
                    "bottom": float(y),
                    "width": x1 - x0,
                    "height": 0.0,
                }
            )
    return lines


def ruled_tables(page: Any, edges: list[dict[str, Any]], chars: list[Char], page_number: int) -> list[PageTable]:
    """The tables pdfplumber finds from these rules (`page.filter(is_ruling).edges`, turned
    upright when the page is sideways): one-column tables (rules around prose) and tables
    with no text left out."""
    vertical = [e for e in edges if e.get("orientation") == "v"]
    horizontal = [e for e in edges if e.get("orientation") == "h"] + closing_lines(edges)
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    settings = dict(
        TABLE_SETTINGS,
        vertical_strategy="explicit",
        horizontal_strategy="explicit",
        explicit_vertical_lines=vertical,
        explicit_horizontal_lines=horizontal,
    )
    tables = []
    for found in page.find_tables(table_settings=settings):
        table = _read_table(found.cells, chars, page_number)
        if table is not None and len(table.xs) > 2 and any(c.text for c in table.cells):
            tables.append(table)
    return tables


def _read_table(boxes: list[BBox], chars: list[Char], page_number: int) -> PageTable | None:
    """Cells with their rows and text; uncovered grid slots that hold text become cells
    of one slot (a cell whose rules were not all drawn)."""
    if not boxes:
        return None
    xs = cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    owner: dict[tuple[int, int], int] = {}
    spans = []
    for index, (x0, top, x1, bottom) in enumerate(boxes):
        c0, c1, r0, r1 = nearest(xs, x0), nearest(xs, x1), nearest(ys, top), nearest(ys, bottom)
        spans.append((r0, max(1, r1 - r0)))
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner.setdefault((r, c), index)
    texts: dict[int, list[Char]] = defaultdict(list)
    holes: dict[tuple[int, int], list[Char]] = defaultdict(list)
    for char in chars:
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
            continue
        slot = (bisect.bisect_right(ys, y) - 1, bisect.bisect_right(xs, x) - 1)
        if slot in owner:
            texts[owner[slot]].append(char)
        else:
            holes[slot].append(char)
    cells = [
        PageCell(cell_text(texts[i]), _rounded(box), page_number, row, rowspan)
        for i, (box, (row, rowspan)) in enumerate(zip(boxes, spans))
    ]
    for (r, c), hole_chars in holes.items():
        text = cell_text(hole_chars)
        if text:
            cells.append(PageCell(text, _rounded((xs[c], ys[r], xs[c + 1], ys[r + 1])), page_number, r, 1))
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return PageTable(_rounded(bbox), xs, len(ys) - 1, cells, [page_number])


def cell_text(chars: list[Char]) -> str:
    """A cell's text: its lines top to bottom, joined without spaces between Chinese."""
    return join_lines([line.text for line in chars_to_lines(chars, 0)])


def _rounded(box: BBox) -> BBox:
    x0, top, x1, bottom = box
    return (round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1))


def is_value(text: str) -> bool:
    """A number as printed in a value cell (`0`, `9116.36`, `减4`)."""
    return bool(text.strip()) and parse_number(text).status == "ok"


def inside(char: Char, box: BBox, margin: float = 1.0) -> bool:
    """True when the character's centre lies in the box."""
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return box[0] - margin <= x <= box[2] + margin and box[1] - margin <= y <= box[3] + margin
