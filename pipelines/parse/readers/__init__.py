"""The reader registry: one module per input format, each producing the document model.

A format is sniffed from the bytes (pipelines.parse.decode); text is decoded once and
read as an HTML page or plain text. To add a format, add a reader module and register
its format key in READERS; nothing after the readers depends on the format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipelines.issues import Code, DocumentError, Issue
from pipelines.parse.decode import PAGE, DecodedPage, decode, describe_format, sniff_format
from pipelines.parse.document import Document
from pipelines.parse.readers.html import read_html
from pipelines.parse.readers.text import read_text


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


READERS: dict[str, Reader] = {
    "html": _page_reader(read_html),
    "text": _page_reader(read_text),
}


def open_document(data: bytes, declared_encoding: str | None = None) -> RawDocument:
    """The document's format, and for text its decoding. Raises DocumentError for empty,
    binary, unsupported and undecodable input."""
    key = sniff_format(data)
    if key == PAGE:
        page = decode(data, declared_encoding)
        return RawDocument(data, page.kind, page)
    if key not in READERS:
        raise DocumentError(Code.UNSUPPORTED_FORMAT, f"{describe_format(key)}, not an HTML or text page")
    return RawDocument(data, key)


def read_document(raw: RawDocument) -> Document:
    """The document model of a raw document, by the reader registered for its format."""
    return READERS[raw.format](raw)
