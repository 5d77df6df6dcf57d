"""Readers: one module per input format, each producing the document model."""

from __future__ import annotations

from pipelines.parse.decode import DecodedPage
from pipelines.parse.document import Document
from pipelines.parse.readers.html import parse_html
from pipelines.parse.readers.text import parse_text


def parse_page(page: DecodedPage) -> Document:
    """Read a decoded page (HTML or text) into a Document."""
    return parse_html(page) if page.kind == "html" else parse_text(page)
