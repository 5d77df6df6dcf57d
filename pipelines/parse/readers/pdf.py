"""PDF documents with a text layer into the document model, read with pdfplumber.

Runs in the reader's child process (pipelines.parse.readers.isolated): pdfplumber and
pdfminer are imported here only. Per page: the ruled tables (pdf_tables), the lines
outside them (pdf_text); then running headers and footers are dropped, lines become
paragraphs, and tables continued over a page break are stitched (pdf_stitch). Pages
whose text layer is garbage are not read: they are named in a `needs_ocr` issue.
"""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipelines.issues import Code, DocumentError, Issue, Severity
from pipelines.parse.document import Block, Document, Paragraph, Table
from pipelines.parse.normalise import clean_text, is_traditional, to_simplified
from pipelines.parse.readers.ocr import OcrResult
from pipelines.parse.readers.ocr_layout import join_continued_tables
from pipelines.parse.readers.pdf_rotate import sideways, turn_upright
from pipelines.parse.readers.pdf_stitch import same_columns, stitch, to_table
from pipelines.parse.readers.pdf_tables import PageTable, inside, is_ruling, ruled_tables
from pipelines.parse.readers.pdf_text import (
    Layout,
    Line,
    chars_to_lines,
    is_cjk,
    is_usable_char,
    join_lines,
    measure_layout,
    running_lines,
    starts_paragraph,
)
from pipelines.parse.readers.pdf_textgrid import text_tables
from pipelines.parse.readers.scans import read_pdf_pages

DEFAULT_MAX_PAGES = 500
_EOF_WINDOW = 64 * 1024  # `%%EOF` must be this near the end (a few servers append junk)
_MIN_TEXT_CHARS = 40  # a page drawn as an image or outlines with fewer readable glyphs needs OCR


def max_pages() -> int:
    """The page cap (GOVREPORTS_MAX_PAGES, default 500)."""
    return int(os.environ.get("GOVREPORTS_MAX_PAGES", DEFAULT_MAX_PAGES))


@dataclass
class PdfPage:
    """What one page gave: lines outside tables, ruled tables, or why it needs OCR."""

    number: int
    width: float
    height: float
    lines: list[Line]
    tables: list[PageTable]
    needs_ocr: str | None = None


def read_pdf(data: bytes) -> Document:
    """Read a PDF's text layer into a Document. Raises DocumentError (encrypted, damaged,
    truncated, too many pages, no readable page)."""
    start = data.find(b"%PDF-", 0, 1024)
    data = data[max(start, 0) :]
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise DocumentError(
            Code.TRUNCATED, "the PDF has no end-of-file marker: it was cut off (an interrupted download?)"
        )
    pdf = _open(data)
    pages = [_read_page(page) for page in _pages(pdf, max_pages())]
    unread = [page.number for page in pages if page.needs_ocr]
    document = _assemble(pages, read_pdf_pages(data, unread) if unread else None)
    if document.title is None and (title := _info_title(pdf)):
        document.meta["title"] = clean_text(title)
    return document


def _open(data: bytes) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return pdfplumber.open(io.BytesIO(data), password="")
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFEncryptionError):
            raise DocumentError(
                Code.ENCRYPTED, f"the PDF is encrypted and does not open without a password ({exc})"
            ) from None
        raise damaged(cause) from None


def damaged(cause: BaseException) -> DocumentError:
    """The error for a PDF that pdfminer cannot parse."""
    return DocumentError(
        Code.UNREADABLE, f"the PDF is damaged and could not be parsed: {type(cause).__name__}: {str(cause)[:200]}"
    )


def _pages(pdf: Any, cap: int) -> list[Any]:
    """The pdfplumber pages, refusing more than `cap` (claimed by the page tree or found)."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1
    from pdfplumber.page import Page

    tree = resolve1(pdf.doc.catalog.get("Pages"))
    claimed = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
    if isinstance(claimed, int) and claimed > cap:
        raise DocumentError(Code.TOO_LARGE, f"the PDF has {claimed} pages, over the {cap}-page cap; not read")
    pages: list[Any] = []
    doctop = 0.0
    for index, page_object in enumerate(PDFPage.create_pages(pdf.doc)):
        if index >= cap:
            raise DocumentError(Code.TOO_LARGE, f"the PDF has more than {cap} pages, over the page cap; not read")
        page = Page(pdf, page_object, page_number=index + 1, initial_doctop=doctop)
        doctop += page.height
        pages.append(page)
    return pages


def _read_page(page: Any) -> PdfPage:
    """A page's lines and tables; a page whose content cannot be parsed is marked unread."""
    try:
        return _page_content(page)
    except (RecursionError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a damaged page
        reason = f"its content could not be parsed ({type(exc).__name__})"
        return PdfPage(page.page_number, page.width, page.height, [], [], reason)


def _page_content(page: Any) -> PdfPage:
    chars = page.chars
    reason = needs_ocr(page, chars)
    if reason:
        return PdfPage(page.page_number, page.width, page.height, [], [], reason)
    usable = [c for c in chars if is_usable_char(c["text"])]
    edges = page.filter(is_ruling).edges
    width, height = page.width, page.height
    if direction := sideways(usable):
        usable = [turn_upright(c, direction, width, height) for c in usable]
        edges = [turn_upright(e, direction, width, height) for e in edges]
        width, height = height, width
    tables = ruled_tables(page, edges, usable, page.page_number)
    tables += text_tables(edges, usable, [t.bbox for t in tables], page.page_number)
    outside = [c for c in usable if not any(inside(c, t.bbox) for t in tables)]
    return PdfPage(page.page_number, width, height, chars_to_lines(outside, page.page_number), tables)


def needs_ocr(page: Any, chars: list[dict[str, Any]]) -> str | None:
    """Why the page's text layer cannot be read, or None: glyphs without Unicode text,
    or a page drawn as an image or outlines with next to no text."""
    visible = [c for c in chars if c["text"].strip()]
    bad = sum(not is_usable_char(c["text"]) for c in visible)
    if bad >= 5 and bad > 0.1 * len(visible):
        return f"{bad} of {len(visible)} glyphs have no Unicode text (fonts without a Unicode map)"
    accented = sum("\u00a0" < c["text"][:1] <= "\u024f" for c in visible)
    if accented >= 20 and accented > 0.3 * len(visible):
        return (
            f"{accented} of {len(visible)} glyphs read as accented Latin letters (Chinese bytes without a Unicode map)"
        )
    if len(visible) - bad >= _MIN_TEXT_CHARS:
        return None
    area = max(page.width * page.height, 1.0)
    pictured = sum(
        max(0.0, min(i["x1"], page.width) - max(i["x0"], 0))
        * max(0.0, min(i["bottom"], page.height) - max(i["top"], 0))
        for i in page.images
    )
    if pictured > 0.4 * area or len(page.curves) > 200:
        return f"the page is drawn (an image or outlines) with {len(visible) - bad} readable characters"
    return None


def _assemble(pages: list[PdfPage], ocr: OcrResult | None) -> Document:
    """The document from the pages' text layers and, for pages without one, from OCR."""
    read_by_ocr = {page.number: page.blocks for page in ocr.pages} if ocr else {}
    unread = [p for p in pages if p.needs_ocr and p.number not in read_by_ocr]
    not_read_by_ocr = [i.message for i in ocr.issues if i.code is Code.NEEDS_OCR] if ocr else []
    why = "; ".join(not_read_by_ocr) or "they need OCR"
    if not read_by_ocr and not any(p.lines or p.tables for p in pages):
        reason = unread[0].needs_ocr if unread else "no text"
        raise DocumentError(Code.NEEDS_OCR, f"no page could be read: {_page_list(unread or pages)} ({reason}); {why}")
    issues = [i for i in ocr.issues if i.code is not Code.NEEDS_OCR] if ocr else []
    if unread:
        message = f"{_page_list(unread)} of {len(pages)} not read: no usable text layer ({unread[0].needs_ocr}); {why}"
        issues.append(Issue(Severity.WARNING, Code.NEEDS_OCR, message))
    text_pages = [p for p in pages if p.number not in read_by_ocr]
    width = max((p.width for p in text_pages), default=595.0)
    layout = measure_layout((line for page in text_pages for line in page.lines), width)
    _drop_running_lines(text_pages, layout.size)
    layout = measure_layout((line for page in text_pages for line in page.lines), width)
    raw_text = "\n".join(line.text for page in text_pages for line in page.lines)
    raw_text += "".join(c.text for page in text_pages for t in page.tables for c in t.cells)
    traditional = is_traditional(raw_text) or (ocr is not None and ocr.script == "traditional")

    def clean(text: str) -> str:
        text = clean_text(text)
        return " ".join((to_simplified(text) if traditional else text).split())

    title = _title(pages[0].lines if pages else [], layout)
    return Document(
        format="pdf",
        script="traditional" if traditional else "simplified",
        encoding="unicode",
        title=clean(title) if title else None,
        meta={},
        blocks=_in_page_order(pages, read_by_ocr, layout, clean),
        pages=len(pages),
        ocr_pages=len(read_by_ocr),
        issues=issues,
    )


def _in_page_order(
    pages: list[PdfPage], read_by_ocr: dict[int, list[Block]], layout: Layout, clean: Callable[[str], str]
) -> list[Block]:
    """The blocks of runs of text-layer pages and runs of OCR'd pages, in page order; a
    table cut by a page break is joined within a run. Tables are numbered in order."""
    blocks: list[Block] = []
    for by_ocr, run in itertools.groupby(pages, key=lambda page: page.number in read_by_ocr):
        run_pages = list(run)
        if by_ocr:
            blocks += join_continued_tables([b for page in run_pages for b in read_by_ocr[page.number]])
        else:
            blocks += _blocks(run_pages, layout, clean)
    for number, table in enumerate((b for b in blocks if isinstance(b, Table)), 1):
        table.number = number
    return blocks


def _page_list(pages: list[PdfPage]) -> str:
    numbers = [p.number for p in pages]
    ranges: list[str] = []
    start = previous = numbers[0]
    for number in numbers[1:] + [None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        ranges.append(f"{start}" if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(ranges)


def _drop_running_lines(pages: list[PdfPage], body_size: float) -> None:
    dropped = running_lines([p.lines for p in pages], [p.height for p in pages], body_size)
    for p, page in enumerate(pages):
        page.lines = [line for i, line in enumerate(page.lines) if (p, i) not in dropped]


def _blocks(pages: list[PdfPage], layout: Layout, clean: Callable[[str], str]) -> list[Block]:
    """Paragraphs and tables in reading order; a table that opens a page continues the
    table that closed the previous page when their columns agree."""
    items: list[Line | PageTable] = []
    for page in pages:
        ordered: list[tuple[float, Line | PageTable]] = [(line.top, line) for line in page.lines]
        ordered += [(table.bbox[1], table) for table in page.tables]
        ordered.sort(key=lambda pair: pair[0])
        for position, (_top, item) in enumerate(ordered):
            previous = items[-1] if items else None
            if (
                position == 0
                and isinstance(item, PageTable)
                and isinstance(previous, PageTable)
                and previous.pages[-1] == page.number - 1
                and same_columns(previous, item)
            ):
                items[-1] = stitch(previous, item)
            else:
                items.append(item)
    return _paragraphs(items, layout, clean)


def _paragraphs(items: list[Line | PageTable], layout: Layout, clean: Callable[[str], str]) -> list[Block]:
    blocks: list[Block] = []
    lines: list[Line] = []

    def flush() -> None:
        text = clean(join_lines([line.text for line in lines]))
        if text:
            blocks.append(Paragraph(text, where=f"p. {lines[0].page}"))
        lines.clear()

    previous: Line | None = None
    for item in items:
        if isinstance(item, PageTable):
            flush()
            blocks.append(to_table(item, sum(isinstance(b, Table) for b in blocks) + 1, clean))
            previous = None
            continue
        if starts_paragraph(previous, item, layout):
            flush()
        lines.append(item)
        previous = item
    flush()
    return blocks


def _title(lines: list[Line], layout: Layout) -> str | None:
    """The report title: the first lines of page 1 printed larger than the body text or
    centred (up to four)."""
    title: list[Line] = []
    middle = (layout.left + layout.right) / 2
    for line in lines[:4]:
        centred = abs((line.x0 + line.x1) / 2 - middle) < line.size and line.x1 - line.x0 < 0.8 * (
            layout.right - layout.left
        )
        if line.size <= layout.size + 1 and not centred:
            break
        title.append(line)
    text = join_lines([line.text for line in title])
    return text if title and len(text) <= 100 and any(is_cjk(ch) for ch in text) else None


def _info_title(pdf: Any) -> str | None:
    """The Title of the PDF's document information, decoded (UTF-16 with either byte order)."""
    from pdfminer.pdftypes import resolve1

    for info in pdf.doc.info:
        value = resolve1(info.get("Title")) if isinstance(info, dict) else None
        if isinstance(value, bytes):
            for bom, codec in ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")):
                if value.startswith(bom):
                    return value[2:].decode(codec, "replace").strip() or None
            return value.decode("utf-8", "replace").strip() or None
        if isinstance(value, str):
            return value.strip() or None
    return None
