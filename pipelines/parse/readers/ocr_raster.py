"""PDF pages as images for the OCR reader, rendered with pypdfium2 (pdfplumber's renderer).

Kept apart from readers.ocr so that the OCR reader takes images from any source; the PDF
reader passes these loaders to `read_pages`, which renders only the pages it reads.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

DEFAULT_DPI = 150.0  # scans are usually 150-300 dpi; 150 reads 10.5 pt text reliably


def pdf_page_loaders(data: bytes, page_numbers: Sequence[int], dpi: float = DEFAULT_DPI) -> list[Callable[[], Any]]:
    """One loader per page number (1-based): each renders its page as a grey PIL image
    whose `info['dpi']` is `dpi`."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)

    def render(number: int) -> Any:
        bitmap = pdf[number - 1].render(scale=dpi / 72, grayscale=True)
        image = bitmap.to_pil()
        image.info["dpi"] = (dpi, dpi)
        return image

    return [functools.partial(render, n) for n in page_numbers]
