"""The document model: a report as a title, metadata, and an ordered list of blocks.

A block is a `Paragraph` (a run of text) or a `Table` (rows of cells as printed,
with rowspan/colspan, and a resolved grid). Every reader (pipelines.parse.readers)
produces this model; nothing after the readers depends on the input format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.issues import Code, DocumentError, Issue
from pipelines.parse.normalise import is_traditional, to_simplified

MAX_SPAN = 1000  # a rowspan/colspan above this is a broken page, not a layout
MAX_GRID_CELLS = 250_000  # grid positions one table may fill before it is unreadable


@dataclass(frozen=True)
class Cell:
    """A table cell as printed: normalised text, its spans, and where it is in the source
    when the reader knows (`p. 4, bbox 72.0,310.5,140.2,332.0` for a PDF cell)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    where: str | None = None


@dataclass
class Table:
    """A table: `rows` as printed (one list of cells per row), `number` 1-based in the page."""

    rows: list[list[Cell]]
    number: int
    flattened: bool = False  # read from `|`-separated text, spans unknown
    where: str | None = None  # where the table is in the source (`p. 3-4`, `Word table 2`)
    ocr: bool = False  # read from pixels
    _grid: list[list[Cell | None]] | None = field(default=None, repr=False)

    def grid(self) -> list[list[Cell | None]]:
        """Rows with rowspan/colspan resolved: a spanned cell appears in every position it covers.

        Raises DocumentError (`table_unreadable`) when the spans would fill more than
        MAX_GRID_CELLS positions.
        """
        if self._grid is None:
            self._grid = resolve_grid(self.rows)
        return self._grid


def resolve_grid(rows: list[list[Cell]]) -> list[list[Cell | None]]:
    """Place cells on a grid, honouring rowspan and colspan (spans are clipped to the table)."""
    n_rows = len(rows)
    occupied: dict[tuple[int, int], Cell] = {}
    width = 0
    filled = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            rowspan = max(1, min(cell.rowspan, n_rows - r))
            colspan = max(1, cell.colspan)
            filled += rowspan * colspan
            if filled > MAX_GRID_CELLS:
                raise DocumentError(Code.TABLE_UNREADABLE, f"spans fill more than {MAX_GRID_CELLS} grid positions")
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied[(r + dr, c + dc)] = cell
            c += colspan
            width = max(width, c)
    return [[occupied.get((r, c)) for c in range(width)] for r in range(n_rows)]


@dataclass(frozen=True)
class Paragraph:
    """A run of text between block boundaries."""

    text: str
    where: str | None = None  # where it is in the source (`p. 2`)
    ocr: bool = False  # read from pixels
    heading: bool = False  # printed as a heading of the page (`<h1>`-`<h3>`)


Block = Paragraph | Table


@dataclass
class Document:
    """A page read into blocks. All text is NFKC-normalised and in simplified script."""

    format: str  # the reader's format key (html, text, …)
    script: str  # simplified | traditional (of the source)
    encoding: str
    title: str | None
    meta: dict[str, str]
    blocks: list[Block]
    possibly_truncated: bool = False  # the reader saw signs that the file was cut off
    pages: int | None = None  # pages of a paged format (PDF, images)
    ocr_pages: int = 0  # pages read from pixels
    issues: list[Issue] = field(default_factory=list)  # what the reader found: pages it could not read, …

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Paragraph)]

    def text(self) -> str:
        """The body as plain text, tables as `|`-separated lines."""
        lines = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                lines.extend(" | ".join(cell.text for cell in row) for row in block.rows)
        return "\n".join(lines)


def to_simplified_if_traditional(text: str) -> tuple[str, str]:
    if is_traditional(text):
        return to_simplified(text), "traditional"
    return text, "simplified"
