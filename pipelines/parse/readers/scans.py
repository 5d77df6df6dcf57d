"""Scanned pages read by OCR inside the reader's worker process: image files, and the
pages of a PDF without a usable text layer. Each page to read gives the document
OCR_SECONDS_PER_PAGE more time (the limit is 30 s plus that per OCR page)."""

from __future__ import annotations

from collections.abc import Sequence

from pipelines.parse.document import Document
from pipelines.parse.readers.isolated import extend_deadline
from pipelines.parse.readers.ocr import OcrResult, OcrSettings, read_image_document, read_pages

OCR_SECONDS_PER_PAGE = 15


def _pages_to_read(pages: int, settings: OcrSettings) -> int:
    return min(pages, settings.max_pages) if settings.enabled else 0


def read_image(data: bytes) -> Document:
    """An image file (PNG, JPEG, TIFF) read by OCR."""
    from pipelines.parse.readers.ocr_images import image_pages

    settings = OcrSettings.from_env()
    extend_deadline(OCR_SECONDS_PER_PAGE * _pages_to_read(len(image_pages(data)), settings))
    return read_image_document(data, settings)


def read_pdf_pages(data: bytes, numbers: Sequence[int]) -> OcrResult:
    """The given pages of a PDF (1-based), rendered and read by OCR."""
    from pipelines.parse.readers.ocr_raster import pdf_page_loaders

    settings = OcrSettings.from_env()
    extend_deadline(OCR_SECONDS_PER_PAGE * _pages_to_read(len(numbers), settings))
    return read_pages(pdf_page_loaders(data, numbers), page_numbers=numbers, settings=settings)
