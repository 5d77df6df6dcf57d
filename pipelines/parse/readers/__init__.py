"""The reader registry: one module per input format, each producing the document model.

A format is sniffed from the bytes (pipelines.parse.decode); text is decoded once and
read as an HTML page or plain text. PDF and Word files are read in a worker process
(pipelines.parse.readers.isolated), so their libraries are imported only there. To add
a format, add a reader module and register its format key in READERS; nothing after
the readers depends on the format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipelines.issues import Code, DocumentError, Issue
from pipelines.parse.decode import (
    DEFAULT_MAX_BYTES,
    PAGE,
    DecodedPage,
    check_size,
    decode,
    describe_format,
    document_format,
    max_document_bytes,
    sniff_format,
)
from pipelines.parse.document import Document
from pipelines.parse.readers.html import read_html
from pipelines.parse.readers.isolated import run_isolated
from pipelines.parse.readers.legacy_doc import convert_to_docx
from pipelines.parse.readers.text import read_text

PDF_READER = "pipelines.parse.readers.pdf:read_pdf"
DOCX_READER = "pipelines.parse.readers.docx:read_docx"
IMAGE_READER = "pipelines.parse.readers.scans:read_image"


@dataclass(frozen=True)
class RawDocument:
    """A document's bytes, its format key, and for text formats the decoded page."""

    data: bytes
    format: str
    page: DecodedPage | None = None

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """Issues found while decoding, to record with the report."""
        return self.page.warnings if self.page else ()


Reader = Callable[[RawDocument], Document]


def _page_reader(read: Callable[[DecodedPage], Document]) -> Reader:
    def reader(raw: RawDocument) -> Document:
        assert raw.page is not None
        return read(raw.page)

    return reader


def _isolated(target: str) -> Reader:
    """A reader that runs `target` (module:function) in the worker process."""

    def reader(raw: RawDocument) -> Document:
        return run_isolated(target, raw.data)

    return reader


def _read_doc(raw: RawDocument) -> Document:
    """A .doc: converted to .docx by LibreOffice, then read as one."""
    document = run_isolated(DOCX_READER, convert_to_docx(raw.data))
    document.format = "doc"
    return document


READERS: dict[str, Reader] = {
    "html": _page_reader(read_html),
    "text": _page_reader(read_text),
    "pdf": _isolated(PDF_READER),
    "docx": _isolated(DOCX_READER),
    "doc": _read_doc,
    "image": _isolated(IMAGE_READER),
}


def open_document(
    data: bytes, declared_encoding: str | None = None, *, max_page_bytes: int = DEFAULT_MAX_BYTES
) -> RawDocument:
    """The document's format, and for text its decoding. Raises DocumentError for empty,
    binary, unsupported, undecodable and oversized input (a page over `max_page_bytes`,
    a document file over the document cap)."""
    if len(data) > max_page_bytes and document_format(data) is None:
        check_size(len(data), max_page_bytes)  # a page over the page cap is not even sniffed
    key = sniff_format(data)
    if key == PAGE:
        page = decode(data, declared_encoding)
        return RawDocument(data, page.kind, page)
    if key not in READERS:
        raise DocumentError(Code.UNSUPPORTED_FORMAT, f"{describe_format(key)}: no reader for this format")
    cap = max_document_bytes()
    if len(data) > cap:
        raise DocumentError(Code.TOO_LARGE, f"{len(data)} bytes is over the {cap}-byte document cap; not read")
    return RawDocument(data, key)


def read_document(raw: RawDocument) -> Document:
    """The document model of a raw document, by the reader registered for its format."""
    return READERS[raw.format](raw)
