"""Text boxes into table cells and lines: which crops to recognise, and how their text joins.

A detected text box is read within each cell it overlaps, clipped to the cell: a line
the detector ran over a rule (`情8` across a label and a value cell) is split at it. A
cell with marks but no detected box (a lone small digit) is read from its marks' box.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from pipelines.parse.readers.ocr_tables import Box, TableBox, crop, ink_box, intersection, text_lines

CellKey = tuple[int, int]  # (table index on the page, cell index in the table)


def _table_at(box: Box, tables: list[TableBox]) -> int | None:
    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    for t, table in enumerate(tables):
        b = table.box
        if b.x0 <= cx <= b.x1 and b.y0 <= cy <= b.y1:
            return t
    return None


def assign_pieces(boxes: list[Box], tables: list[TableBox], unit: float) -> tuple[dict[CellKey, list[Box]], list[Box]]:
    """Each text box inside a table cut into its parts per cell; the boxes outside tables."""
    pieces: dict[CellKey, list[Box]] = {}
    outside: list[Box] = []
    for box in boxes:
        t = _table_at(box, tables)
        if t is None:
            outside.append(box)
            continue
        for k, cell in enumerate(tables[t].cells):
            inner = cell.box.shrink(1)
            part = intersection(box, inner)
            if part is None or part.width < 3 * unit:
                continue
            if part.height >= 0.5 * min(box.height, inner.height):
                pieces.setdefault((t, k), []).append(part)
    return {key: _merged(parts) for key, parts in pieces.items()}, outside


def _merged(parts: list[Box]) -> list[Box]:
    """Pieces of one cell that overlap on the same line united (a neighbour's box that
    bled over the rule covers text another box already holds)."""
    merged: list[Box] = []
    for part in sorted(parts, key=lambda b: (b.y0, b.x0)):
        for i, other in enumerate(merged):
            same_line = min(other.y1, part.y1) - max(other.y0, part.y0) >= 0.5 * min(other.height, part.height)
            if same_line and min(other.x1, part.x1) > max(other.x0, part.x0):
                merged[i] = Box(
                    min(other.x0, part.x0), min(other.y0, part.y0), max(other.x1, part.x1), max(other.y1, part.y1)
                )
                break
        else:
            merged.append(part)
    return merged


def glyph_height(boxes: list[Box], text_ink: np.ndarray, unit: float) -> float | None:
    """The page's usual character height: the median ink height of its one-line text boxes
    (None with fewer than three)."""
    heights = [m.height for b in boxes if b.width >= 2.5 * b.height and (m := ink_box(text_ink, b, int(6 * unit)))]
    return float(sorted(heights)[len(heights) // 2]) if len(heights) >= 3 else None


def cell_crops(
    clean: np.ndarray,
    text_ink: np.ndarray,
    tables: list[TableBox],
    pieces: dict[CellKey, list[Box]],
    glyph: float,
    unit: float,
) -> tuple[list[np.ndarray], list[tuple[CellKey, Box]]]:
    """One crop per line of text in each cell (rules whitened, padded), and the cell and box
    each belongs to. A cell's text is where the detector found it; a cell with marks the
    detector missed is read where its marks are."""
    crops: list[np.ndarray] = []
    owners: list[tuple[CellKey, Box]] = []
    pad, mark = max(2, int(4 * unit)), max(3, int(8 * unit))
    for t, table in enumerate(tables):
        for k, cell in enumerate(table.cells):
            inner = cell.box.shrink(1)
            # Pieces without a mark the size of a character are slivers of a neighbour's box.
            parts = [p for p in pieces.get((t, k), []) if ink_box(text_ink, p, mark) is not None]
            if not parts and (t, k) not in pieces:
                parts = [m for m in [ink_box(text_ink, inner.shrink(1), mark)] if m is not None]
            if not parts:
                continue
            region = Box(
                min(p.x0 for p in parts), min(p.y0 for p in parts), max(p.x1 for p in parts), max(p.y1 for p in parts)
            )
            for line in text_lines(text_ink, region, glyph, mark):
                grown = Box(line.x0 - pad, line.y0 - pad // 2, line.x1 + pad, line.y1 + pad // 2)
                clipped = intersection(grown, inner) or line
                crops.append(crop(clean, clipped, pad=pad))
                owners.append(((t, k), clipped))
    return crops, owners


def lines_of(items: Iterable[tuple[Box, str]]) -> list[tuple[Box, str]]:
    """Text pieces grouped into lines (pieces that overlap vertically), top to bottom, each
    line's pieces joined left to right; returns each line's box and text."""
    lines: list[list[tuple[Box, str]]] = []
    for box, text in sorted(items, key=lambda item: (item[0].y0 + item[0].y1) / 2):
        if lines:
            last = lines[-1]
            top, bottom = min(b.y0 for b, _ in last), max(b.y1 for b, _ in last)
            overlap = min(bottom, box.y1) - max(top, box.y0)
            if overlap >= 0.5 * min(bottom - top, box.height):
                last.append((box, text))
                continue
        lines.append([(box, text)])
    joined = []
    for line in lines:
        line.sort(key=lambda item: item[0].x0)
        box = Box(
            min(b.x0 for b, _ in line),
            min(b.y0 for b, _ in line),
            max(b.x1 for b, _ in line),
            max(b.y1 for b, _ in line),
        )
        joined.append((box, join([t for _, t in line])))
    return joined


def join(parts: list[str]) -> str:
    """Text pieces in order, with a space only between two Latin letters or digits."""
    out = ""
    for part in (p.strip() for p in parts):
        if out and part and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def text_of(owners: list[tuple[CellKey, Box]], texts: list[str]) -> dict[int, dict[int, str]]:
    """Each cell's text: its pieces' readings as lines, joined (table → cell → text)."""
    by_cell: dict[CellKey, list[tuple[Box, str]]] = {}
    for (key, box), text in zip(owners, texts):
        if text.strip():
            by_cell.setdefault(key, []).append((box, text))
    out: dict[int, dict[int, str]] = {}
    for (t, k), items in by_cell.items():
        out.setdefault(t, {})[k] = join([text for _, text in lines_of(items)])
    return out
