"""What was read on a page into blocks: tables with where each cell is, paragraphs from
lines, and tables that run over a page break joined again."""

from __future__ import annotations

import re

from pipelines.parse.document import Block, Cell, Paragraph, Table
from pipelines.parse.normalise import clean_text, is_traditional, to_simplified
from pipelines.parse.readers.ocr_cells import join
from pipelines.parse.readers.ocr_tables import Box, TableBox

_SPACE = re.compile(r"\s+")
_BBOX = re.compile(r"bbox ([\d.]+),[\d.]+,([\d.]+),[\d.]+")
_PAGES = re.compile(r"p\. (\d+)(?:-(\d+))?")
# A page number printed in the margin: `- 3 -`, `3`, `第3页`, `3/6`, `第 3 页 共 6 页`.
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／共]\s*\d{1,4}\s*页?)?[-—–\s]*$")
_ENDS = set("。！？；：.!?;:")  # a line ending in these may end its paragraph
EDGE_TOLERANCE = 6.0  # points: a continued table's left and right edges are where they were


def where(box: Box, number: int, dpi: float) -> str:
    """`p. N, bbox x0,top,x1,bottom` in points (pixels × 72 / dpi) from the page's top left."""
    k = 72 / dpi
    return f"p. {number}, bbox {box.x0 * k:.1f},{box.y0 * k:.1f},{box.x1 * k:.1f},{box.y1 * k:.1f}"


def table_of(table: TableBox, texts: dict[int, str], number: int, dpi: float) -> Table:
    """A ruled table's cells and their texts as printed rows (cells by their top-left position)."""
    rows: list[list[Cell]] = [[] for _ in range(table.n_rows)]
    for k, cell in enumerate(table.cells):
        text = _SPACE.sub(" ", clean_text(texts.get(k, ""))).strip()
        rows[cell.row].append(Cell(text, cell.rowspan, cell.colspan, where(cell.box, number, dpi)))
    return Table(rows, 0, where=f"p. {number}", ocr=True)


def _starts_paragraph(box: Box, last: Box, last_text: str, pitch: float, height: int, left: int, right: int) -> bool:
    """A line starts a paragraph after a wider gap than the page's line pitch, at an
    indent, or after a line that stops short at a full stop (or before mid-width)."""
    if box.y0 - last.y0 > 1.45 * pitch or box.x0 > left + 1.5 * height:
        return True
    short = last.x1 < right - 2 * height
    return short and (last_text.rstrip()[-1:] in _ENDS or last.x1 < left + 0.6 * (right - left))


def paragraph_blocks(lines: list[tuple[Box, str]], number: int) -> list[tuple[int, Block]]:
    """Lines (top to bottom) into paragraphs (see `_starts_paragraph`). Returns (top, paragraph) pairs."""
    if not lines:
        return []
    height = sorted(box.height for box, _ in lines)[len(lines) // 2]
    steps = sorted(b.y0 - a.y0 for (a, _), (b, _) in zip(lines, lines[1:]))
    pitch = float(steps[len(steps) // 2]) if len(steps) >= 2 else 1.25 * height
    left, right = min(box.x0 for box, _ in lines), max(box.x1 for box, _ in lines)
    groups: list[list[tuple[Box, str]]] = []
    for box, text in lines:
        if not groups or _starts_paragraph(box, groups[-1][-1][0], groups[-1][-1][1], pitch, height, left, right):
            groups.append([])
        groups[-1].append((box, text))
    paragraphs: list[tuple[int, Block]] = []
    for group in groups:
        text = _SPACE.sub(" ", clean_text(join([t for _, t in group]))).strip()
        if text:
            paragraphs.append((group[0][0].y0, Paragraph(text, f"p. {number}", ocr=True)))
    return paragraphs


def simplified(blocks: list[Block]) -> tuple[list[Block], bool]:
    """The blocks in simplified script, and whether they were traditional."""
    text = "".join(b.text if isinstance(b, Paragraph) else "".join(c.text for r in b.rows for c in r) for b in blocks)
    if not is_traditional(text):
        return blocks, False
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out.append(Paragraph(to_simplified(b.text), b.where, b.ocr))
        else:
            rows = [[Cell(to_simplified(c.text), c.rowspan, c.colspan, c.where) for c in row] for row in b.rows]
            out.append(Table(rows, b.number, b.flattened, b.where, b.ocr))
    return out, True


def _pages(block: Block) -> tuple[int, int] | None:
    match = _PAGES.match(block.where or "")
    return (int(match.group(1)), int(match.group(2) or match.group(1))) if match else None


def _edges(table: Table) -> tuple[float, float] | None:
    boxes = [m for row in table.rows for c in row if (m := _BBOX.search(c.where or ""))]
    if not boxes:
        return None
    return min(float(m.group(1)) for m in boxes), max(float(m.group(2)) for m in boxes)


def _joined(before: Table, after: Table) -> Table | None:
    """The two tables as one when `after` continues `before` on the next page, else None."""
    pages_before, pages_after = _pages(before), _pages(after)
    edges_before, edges_after = _edges(before), _edges(after)
    if pages_before is None or pages_after is None or edges_before is None or edges_after is None:
        return None
    if pages_after[0] != pages_before[1] + 1:
        return None
    if any(abs(a - b) > EDGE_TOLERANCE for a, b in zip(edges_before, edges_after)):
        return None
    return Table(before.rows + after.rows, before.number, False, f"p. {pages_before[0]}-{pages_after[1]}", True)


def join_continued_tables(blocks: list[Block]) -> list[Block]:
    """A table that opens a page and continues the table that closed the page before (same
    left and right edges; nothing but a page number between) joined to it: its rows appended,
    `where` the page range. Spanned cells cut by the break stay two cells, as printed."""
    out: list[Block] = []
    for block in blocks:
        previous = next((i for i in range(len(out) - 1, -1, -1) if not _is_page_number(out[i])), None)
        before = out[previous] if previous is not None else None
        if previous is not None and isinstance(block, Table) and isinstance(before, Table):
            joined = _joined(before, block)
            if joined is not None:
                out[previous] = joined
                continue
        out.append(block)
    for n, table in enumerate((b for b in out if isinstance(b, Table)), start=1):
        table.number = n
    return out


def _is_page_number(block: Block) -> bool:
    return isinstance(block, Paragraph) and bool(_PAGE_NUMBER.match(block.text))
