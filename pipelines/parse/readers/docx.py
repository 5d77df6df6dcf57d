"""Word (.docx) documents into the document model, read with python-docx.

Runs in the reader's child process (pipelines.parse.readers.isolated). Tables are
built from the `w:tc` elements themselves: `w:gridSpan` gives the colspan and
`w:vMerge` restart/continue the rowspan. python-docx's own `cell.text` repeats a merged
cell in every slot it covers, which would count its numbers twice. A table that holds
tables is layout (as in the HTML reader): its cells are read as body content.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from pipelines.issues import Code, DocumentError
from pipelines.parse.document import MAX_SPAN, Block, Cell, Document, Paragraph, Table
from pipelines.parse.normalise import clean_text, is_traditional, to_simplified

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MAX_PART_BYTES = 64 * 1024 * 1024  # an XML part larger than this unpacked is refused
MAX_UNPACKED_BYTES = 512 * 1024 * 1024  # the whole package, unpacked
MAX_RATIO = 200  # compression ratio above which a large member is a zip bomb
_SKIPPED = {W + "del", W + "moveFrom", _FALLBACK, W + "instrText", W + "delInstrText"}
_TEXT = {W + "t": None, W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}


def check_package(data: bytes) -> None:
    """Refuse a package whose directory promises too much unpacked data, before anything
    is decompressed: a zip bomb, or a part of a gigabyte."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise DocumentError(Code.UNREADABLE, f"the Word file is damaged: {exc}") from None
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise DocumentError(Code.TOO_LARGE, f"the Word file unpacks to {total} bytes (cap {MAX_UNPACKED_BYTES})")
    for member in members:
        is_xml = member.filename.endswith((".xml", ".rels"))
        if is_xml and member.file_size > MAX_PART_BYTES:
            raise DocumentError(
                Code.TOO_LARGE, f"{member.filename} unpacks to {member.file_size} bytes (cap {MAX_PART_BYTES})"
            )
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise DocumentError(
                Code.TOO_LARGE,
                f"{member.filename} is compressed {member.file_size // max(member.compress_size, 1)}:1 (a zip bomb)",
            )


def read_docx(data: bytes) -> Document:
    """Read a .docx into a Document. Raises DocumentError for a damaged or oversized file."""
    check_package(data)
    import docx
    from lxml import etree

    try:
        word = docx.Document(io.BytesIO(data))
    except (etree.XMLSyntaxError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DocumentError(Code.UNREADABLE, f"the Word file is damaged: {type(exc).__name__}: {exc}") from None
    reader = _Body(_style_names(word))
    reader.walk(word.element.body)
    raw = "\n".join(reader.texts())
    traditional = is_traditional(raw)

    def clean(text: str) -> str:
        text = clean_text(text)
        return " ".join((to_simplified(text) if traditional else text).split())

    blocks = reader.blocks(clean)
    title = clean(reader.title_text()) or None
    meta: dict[str, str] = {}
    try:
        core_title = (word.core_properties.title or "").strip()
    except (AttributeError, ValueError, KeyError):  # core properties of a type python-docx cannot read
        core_title = ""
    if title is None and core_title:
        meta["title"] = clean(core_title)
    return Document(
        format="docx",
        script="traditional" if traditional else "simplified",
        encoding="utf-8",
        title=title,
        meta=meta,
        blocks=blocks,
    )


def _style_names(word: Any) -> dict[str, str]:
    """Paragraph style ids → lower-case names (`heading 1`, `title`, `标题 1`)."""
    return {style.style_id: (style.name or "").lower() for style in word.styles if style.style_id}


@dataclass
class _Para:
    text: str
    heading: bool
    centred: bool


@dataclass
class _Grid:
    """A table as read: rows of [text, rowspan, colspan, row, col] lists."""

    number: int
    rows: list[list[list[Any]]] = field(default_factory=list)


class _Body:
    """Walks the body in order, collecting paragraphs and tables."""

    def __init__(self, styles: dict[str, str]) -> None:
        self.styles = styles
        self.items: list[_Para | _Grid] = []
        self.tables = 0

    def walk(self, parent: Any) -> None:
        for child in parent.iterchildren():
            tag = child.tag
            if tag == W + "p":
                self.items.append(self._paragraph(child))
            elif tag == W + "tbl":
                self._table(child)
            elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
                self.walk(child)

    def _paragraph(self, p: Any) -> _Para:
        properties = p.find(W + "pPr")
        style, outline, centred = "", False, False
        if properties is not None:
            style_element = properties.find(W + "pStyle")
            if style_element is not None:
                style = self.styles.get(style_element.get(W + "val", ""), "")
            outline = properties.find(W + "outlineLvl") is not None
            alignment = properties.find(W + "jc")
            centred = alignment is not None and alignment.get(W + "val") == "center"
        heading = outline or style.startswith(("heading", "title", "标题"))
        return _Para(paragraph_text(p), heading, centred)

    def _table(self, tbl: Any) -> None:
        if tbl.find(f".//{W}tc//{W}tbl") is not None:
            for tc in tbl.iter(W + "tc"):
                if _owning_table(tc) is tbl:
                    self.walk(tc)
            return
        self.tables += 1
        self.items.append(_Grid(self.tables, table_rows(tbl)))

    def texts(self) -> list[str]:
        out = []
        for item in self.items:
            if isinstance(item, _Para):
                out.append(item.text)
            else:
                out.extend(cell[0] for row in item.rows for cell in row)
        return out

    def title_text(self) -> str:
        """The leading headings or centred paragraphs (up to four): the report's title."""
        parts: list[str] = []
        for item in self.items:
            if isinstance(item, _Para) and not item.text.strip():
                continue
            if not isinstance(item, _Para) or not (item.heading or item.centred) or len(parts) == 4:
                break
            parts.append(item.text.strip())
        return "".join(parts) if len("".join(parts)) <= 100 else ""

    def blocks(self, clean: Any) -> list[Block]:
        blocks: list[Block] = []
        for item in self.items:
            if isinstance(item, _Para):
                blocks += [Paragraph(text) for line in item.text.split("\n") if (text := clean(line))]
                continue
            rows = [
                [
                    Cell(clean(text), rowspan, colspan, f"Word table {item.number}, row {r + 1}, col {c + 1}")
                    for text, rowspan, colspan, r, c in row
                ]
                for row in item.rows
            ]
            blocks.append(Table(rows, item.number, where=f"Word table {item.number}"))
        return blocks


def _ancestor(element: Any, tag: str) -> Any:
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _owning_table(tc: Any) -> Any:
    return _ancestor(tc, W + "tbl")


def _nearest_cell(p: Any) -> Any:
    return _ancestor(p, W + "tc")


def paragraph_text(p: Any) -> str:
    """A paragraph's text in document order: runs, tabs and breaks, without deleted text."""
    parts: list[str] = []
    stack = [p]
    while stack:
        element = stack.pop()
        tag = element.tag
        if tag in _TEXT:
            text = _TEXT[tag]
            parts.append(text if text is not None else str(element.text or ""))
            continue
        if tag in _SKIPPED or tag == W + "tbl":
            continue
        stack.extend(reversed(list(element)))
    return "".join(parts)


def _int(element: Any, name: str, default: int = 1) -> int:
    found = element.find(name) if element is not None else None
    try:
        value = int(found.get(W + "val")) if found is not None else default
    except (TypeError, ValueError):
        return default
    return max(0, min(value, MAX_SPAN))


def _cells(tr: Any) -> list[Any]:
    """A row's cells, including those wrapped in content controls."""
    cells = []
    for child in tr.iterchildren():
        if child.tag == W + "tc":
            cells.append(child)
        elif child.tag in (W + "sdt", W + "customXml"):
            cells += [tc for tc in child.iter(W + "tc") if tc.getparent().tag != W + "tr" or tc.getparent() is tr]
    return cells


def table_rows(tbl: Any) -> list[list[list[Any]]]:
    """Rows of [text, rowspan, colspan, row, grid column]: gridSpan → colspan; a vMerge
    continuation adds a row to the cell it continues and is not a cell itself."""
    rows: list[list[list[Any]]] = []
    open_merges: dict[int, list[Any]] = {}  # grid column → the restart cell still open there
    for r, tr in enumerate(tbl.iterchildren(W + "tr")):
        row: list[list[Any]] = []
        column = _int(tr.find(W + "trPr"), W + "gridBefore", 0)
        if column:
            row.append(["", 1, column, r, 0])
        for tc in _cells(tr):
            properties = tc.find(W + "tcPr")
            span = max(1, _int(properties, W + "gridSpan"))
            merge = properties.find(W + "vMerge") if properties is not None else None
            restart = merge is not None and merge.get(W + "val") == "restart"
            upper = open_merges.get(column)
            if merge is not None and not restart and upper is not None and upper[2] == span:
                upper[1] += 1
            else:
                text = " ".join(paragraph_text(p) for p in tc.iter(W + "p") if _nearest_cell(p) is tc)
                cell = [" ".join(text.split()), 1, span, r, column]
                row.append(cell)
                for covered in range(column, column + span):
                    open_merges.pop(covered, None)
                if merge is not None:
                    open_merges[column] = cell
            column += span
        rows.append(row)
    return rows
