"""Page geometry for OCR: deskew, ink, ruling lines, and ruled tables as cell boxes with spans.

Pure OpenCV/numpy, no text recognition: the OCR reader (readers.ocr) reads the text of
each cell box. Lengths are in pixels at 150 dpi and scaled by `unit` (dpi / 150), so a
page rendered at any resolution gives the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

Image = np.ndarray  # a 2-D uint8 array: grey page (255 white) or mask (255 set)


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in page pixels: x0, y0 inclusive, x1, y1 exclusive."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def shrink(self, by: int) -> Box:
        return Box(self.x0 + by, self.y0 + by, max(self.x0 + by, self.x1 - by), max(self.y0 + by, self.y1 - by))


@dataclass(frozen=True)
class CellBox:
    """A cell of a ruled table: its top-left grid position, its spans and its box."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: Box


@dataclass(frozen=True)
class TableBox:
    """A ruled table: its outline, grid size and cells (row-major by top-left position)."""

    box: Box
    n_rows: int
    n_cols: int
    cells: tuple[CellBox, ...]


# --- deskew ------------------------------------------------------------------------

MAX_SKEW = 5.0  # degrees; a page tilted further is a photo to straighten by hand


def _profile_sharpness(ink: Image, angle: float) -> float:
    h, w = ink.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rotated = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    rows = rotated.sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(rows)).sum())


def _sharpest(ink: Image, angles: np.ndarray) -> float:
    """The angle of the sharpest profile; near-ties go to the smallest rotation."""
    scores = [_profile_sharpness(ink, float(a)) for a in angles]
    top = max(scores)
    return float(min((a for a, s in zip(angles, scores) if s >= top * 0.999), key=abs))


def skew_angle(gray: Image) -> float:
    """The rotation (degrees, counter-clockwise) that makes text lines and rules horizontal:
    the angle whose row profile of ink is sharpest, searched coarse then fine."""
    scale = min(1.0, 1000 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = (small < 128).astype(np.uint8)
    if ink.sum() < 50:
        return 0.0
    best = _sharpest(ink, np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5))
    return round(_sharpest(ink, np.round(np.arange(best - 0.5, best + 0.51, 0.05), 2)), 2)


def deskew(gray: Image) -> tuple[Image, float]:
    """The page rotated upright (same size, white fill) and the angle applied."""
    angle = skew_angle(gray)
    if abs(angle) < 0.1:
        return gray, 0.0
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255), angle


def crop(grey: Image, box: Box, margin: int = 0, pad: int = 0) -> Image:
    """The box (grown by `margin`, clipped to the page), with `pad` white pixels around it."""
    h, w = grey.shape
    part = grey[max(0, box.y0 - margin) : min(h, box.y1 + margin), max(0, box.x0 - margin) : min(w, box.x1 + margin)]
    return cv2.copyMakeBorder(part, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255) if pad else part


def intersection(a: Box, b: Box) -> Box | None:
    box = Box(max(a.x0, b.x0), max(a.y0, b.y0), min(a.x1, b.x1), min(a.y1, b.y1))
    return box if box.width > 0 and box.height > 0 else None


def ink_box(ink: Image, box: Box, size: int) -> Box | None:
    """The bounding box of the marks in `box` at least `size` tall or wide (specks ignored)."""
    marks = _marks(ink, box, size)
    if not marks:
        return None
    x0, y0 = min(m[0] for m in marks), min(m[1] for m in marks)
    x1, y1 = max(m[0] + m[2] for m in marks), max(m[1] + m[3] for m in marks)
    return Box(box.x0 + x0, box.y0 + y0, box.x0 + x1, box.y0 + y1)


def _marks(ink: Image, box: Box, size: int) -> list[tuple[int, int, int, int]]:
    """Connected marks in `box` at least `size` tall or wide, as (x, y, w, h) relative to it."""
    region = ink[box.y0 : box.y1, box.x0 : box.x1]
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(region, connectivity=8)
    return [
        (int(stats[i][0]), int(stats[i][1]), int(stats[i][2]), int(stats[i][3]))
        for i in range(1, n)
        if max(stats[i][2], stats[i][3]) >= size
    ]


def text_lines(ink: Image, box: Box, glyph: float, size: int) -> list[Box]:
    """The lines of text in `box`, top to bottom, each as wide as the box: bands of rows with
    marks, a band joined to the one above while both fit in 1.3 glyph heights (so `二`
    stays one line and one character a line, `结/果/维/持`, is four)."""
    bands: list[list[int]] = []
    rows = np.zeros(box.height, dtype=bool)
    for _x, y, _w, h in _marks(ink, box, size):
        rows[y : y + h] = True
    edges = np.flatnonzero(np.diff(np.concatenate(([0], rows.astype(np.int8), [0]))))
    for top, bottom in zip(edges[::2], edges[1::2]):
        if bands and bottom - bands[-1][0] <= 1.3 * glyph:
            bands[-1][1] = int(bottom)
        else:
            bands.append([int(top), int(bottom)])
    return [Box(box.x0, box.y0 + top, box.x1, box.y0 + bottom) for top, bottom in bands]


# --- ink and ruling lines --------------------------------------------------------------


def ink_mask(gray: Image, unit: float) -> Image:
    """Dark pixels against their neighbourhood (robust to uneven lighting in photos)."""
    block = int(31 * unit) | 1
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 20)


def kernel(width: int, height: int) -> Image:
    return cv2.getStructuringElement(cv2.MORPH_RECT, (max(1, width), max(1, height)))


def ruling_lines(ink: Image, unit: float) -> tuple[Image, Image]:
    """Horizontal and vertical rule masks: ink runs longer than any character stroke,
    with small breaks (scan noise) closed."""
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel(int(40 * unit), 1))
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, kernel(int(6 * unit), 3))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel(1, int(30 * unit)))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, kernel(3, int(6 * unit)))
    return horizontal, vertical


def _segments(mask: Image, axis: int) -> list[tuple[int, int, int]]:
    """Connected line segments as (position across, start along, end along)."""
    n, _labels, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    found = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if axis == 0:  # horizontal: position is y
            found.append((round(centroids[i][1]), x, x + w))
        else:
            found.append((round(centroids[i][0]), y, y + h))
    return found


def _cluster(positions: list[int], tolerance: float) -> list[int]:
    """Positions within `tolerance` of their neighbour merged into their mean."""
    groups: list[list[int]] = []
    for p in sorted(positions):
        if groups and p - groups[-1][-1] <= tolerance:
            groups[-1].append(p)
        else:
            groups.append([p])
    return [round(sum(g) / len(g)) for g in groups]


# --- tables ---------------------------------------------------------------------------


def find_tables(horizontal: Image, vertical: Image, unit: float) -> list[TableBox]:
    """Ruled tables of two or more cells, top to bottom."""
    grid = cv2.dilate(cv2.bitwise_or(horizontal, vertical), kernel(5, 5))
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(grid, connectivity=8)
    tables = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if w < 60 * unit or h < 20 * unit:
            continue
        box = Box(x, y, x + w, y + h)
        table = _table_in(horizontal[y : y + h, x : x + w], vertical[y : y + h, x : x + w], box, unit)
        if table is not None and len(table.cells) >= 2:
            tables.append(table)
    return sorted(tables, key=lambda t: (t.box.y0, t.box.x0))


def _grid_lines(horizontal: Image, vertical: Image, unit: float) -> tuple[list[int], list[int]]:
    """Row and column rule positions (relative to the crop); a side whose rule is missing
    gets a virtual rule where the other rules end."""
    h_segments = [s for s in _segments(horizontal, 0) if s[2] - s[1] >= 20 * unit]
    v_segments = [s for s in _segments(vertical, 1) if s[2] - s[1] >= 15 * unit]
    if not h_segments or not v_segments:
        return [], []
    ys = _cluster([s[0] for s in h_segments], 8 * unit)
    xs = _cluster([s[0] for s in v_segments], 8 * unit)
    margin = 10 * unit
    left, right = min(s[1] for s in h_segments), max(s[2] for s in h_segments)
    top, bottom = min(s[1] for s in v_segments), max(s[2] for s in v_segments)
    if left < xs[0] - margin:
        xs.insert(0, left)
    if right > xs[-1] + margin:
        xs.append(right - 1)
    if top < ys[0] - margin:
        ys.insert(0, top)
    if bottom > ys[-1] + margin:
        ys.append(bottom - 1)
    return ys, xs


def _coverage(mask: Image, across: int, start: int, end: int, tolerance: int, vertical: bool) -> float:
    """The share of a rule's expected run (start..end) that has rule pixels near `across`."""
    if end <= start:
        return 1.0
    if vertical:
        window = mask[start:end, max(0, across - tolerance) : across + tolerance + 1]
        hits = window.any(axis=1)
    else:
        window = mask[max(0, across - tolerance) : across + tolerance + 1, start:end]
        hits = window.any(axis=0)
    return float(hits.mean()) if hits.size else 0.0


def _rules(
    horizontal: Image, vertical: Image, ys: list[int], xs: list[int], unit: float
) -> tuple[list[list[bool]], list[list[bool]]]:
    """walls[r][c]: a rule left of grid cell (r, c); floors[r][c]: a rule above it."""
    pad, tol = max(2, int(4 * unit)), max(2, int(3 * unit))
    walls = [
        [_coverage(vertical, xs[c], ys[r] + pad, ys[r + 1] - pad, tol, True) >= 0.8 for c in range(len(xs))]
        for r in range(len(ys) - 1)
    ]
    floors = [
        [_coverage(horizontal, ys[r], xs[c] + pad, xs[c + 1] - pad, tol, False) >= 0.8 for c in range(len(xs) - 1)]
        for r in range(len(ys))
    ]
    return walls, floors


def _table_in(horizontal: Image, vertical: Image, box: Box, unit: float) -> TableBox | None:
    ys, xs = _grid_lines(horizontal, vertical, unit)
    if len(ys) < 2 or len(xs) < 2:
        return None
    walls, floors = _rules(horizontal, vertical, ys, xs, unit)
    # A rule position that separates nothing (a long character stroke, a stray mark) is dropped.
    keep_x = [0] + [c for c in range(1, len(xs) - 1) if any(row[c] for row in walls)] + [len(xs) - 1]
    keep_y = [0] + [r for r in range(1, len(ys) - 1) if any(floors[r])] + [len(ys) - 1]
    if len(keep_x) != len(xs) or len(keep_y) != len(ys):
        ys, xs = [ys[r] for r in keep_y], [xs[c] for c in keep_x]
        walls, floors = _rules(horizontal, vertical, ys, xs, unit)
    return _cells(walls, floors, ys, xs, box)


def _cells(walls: list[list[bool]], floors: list[list[bool]], ys: list[int], xs: list[int], box: Box) -> TableBox:
    """Grid cells not separated by a rule merged into spanning cells (union-find)."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not walls[r][c + 1]:
                parent[find(r * n_cols + c)] = find(r * n_cols + c + 1)
            if r + 1 < n_rows and not floors[r + 1][c]:
                parent[find(r * n_cols + c)] = find((r + 1) * n_cols + c)
    regions: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            regions.setdefault(find(r * n_cols + c), []).append((r, c))
    cells = []
    for members in regions.values():
        r0, r1 = min(r for r, _ in members), max(r for r, _ in members) + 1
        c0, c1 = min(c for _, c in members), max(c for _, c in members) + 1
        if len(members) != (r1 - r0) * (c1 - c0):  # not a rectangle (a rule broken off): no span
            cells += [CellBox(r, c, 1, 1, _grid_box(box, xs, ys, r, c, r + 1, c + 1)) for r, c in members]
        else:
            cells.append(CellBox(r0, c0, r1 - r0, c1 - c0, _grid_box(box, xs, ys, r0, c0, r1, c1)))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return TableBox(box, n_rows, n_cols, tuple(cells))


def _grid_box(table: Box, xs: list[int], ys: list[int], r0: int, c0: int, r1: int, c1: int) -> Box:
    return Box(table.x0 + xs[c0], table.y0 + ys[r0], table.x0 + xs[c1], table.y0 + ys[r1])
