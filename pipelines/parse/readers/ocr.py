"""Scanned pages into the document model: ruled tables cell by cell, other text as paragraphs.

rapidocr (its PP-OCR models ship inside the wheel and run offline on onnxruntime), OpenCV,
numpy and Pillow are imported on first use, so importing this module is cheap and runs
of HTML pages never load them. OCR runs on one onnxruntime and one OpenCV thread: the
pipeline's process pool is the only parallelism.

A page is deskewed, its ruling lines found (readers.ocr_tables), and the text detector
run once over the page. Each text box is read within the cell it falls in (clipped to
the cell, rules whitened), so a line that runs over a rule is split at it; boxes outside
tables become paragraphs. Every block is marked `ocr=True`; cells give their box in
points (page pixels × 72 / dpi, from the top-left corner of the deskewed page).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipelines.issues import Code, DocumentError, Issue
from pipelines.parse.document import Block, Document

if TYPE_CHECKING:
    import numpy as np

    from pipelines.parse.readers.ocr_tables import Box

DEFAULT_MAX_OCR_PAGES = 30
MIN_SCORE = 0.3  # recogniser confidence below which a reading is noise
GLYPH_AT_150 = 25  # pixels: the ink height of body text (10.5-12 pt) at 150 dpi

PageImage = Any  # a PIL image or a numpy array (grey, RGB or RGBA)
PageSource = Any  # a PageImage, or a function that returns one (called only if the page is read)


@dataclass(frozen=True)
class OcrSettings:
    """Whether pages are read from pixels, and at most how many per document."""

    enabled: bool = True
    max_pages: int = DEFAULT_MAX_OCR_PAGES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> OcrSettings:
        """GOVREPORTS_OCR=off disables OCR; GOVREPORTS_MAX_OCR_PAGES caps it (default 30)."""
        env = os.environ if environ is None else environ
        enabled = env.get("GOVREPORTS_OCR", "on").strip().lower() not in ("off", "0", "false", "no")
        try:
            max_pages = max(0, int(env.get("GOVREPORTS_MAX_OCR_PAGES", DEFAULT_MAX_OCR_PAGES)))
        except ValueError:
            max_pages = DEFAULT_MAX_OCR_PAGES
        return cls(enabled, max_pages)


@dataclass
class OcrPage:
    """The blocks read from one page, and the rotation (degrees) that straightened it."""

    number: int
    blocks: list[Block]
    skew: float = 0.0


@dataclass
class OcrResult:
    """What was read from pixels: the blocks (tables cut by a page break joined again), the
    pages as read, and what could not be read or did not fit."""

    blocks: list[Block] = field(default_factory=list)
    pages: list[OcrPage] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    script: str = "simplified"  # traditional when any page was (its text is converted)

    @property
    def ocr_pages(self) -> int:
        return len(self.pages)


def page_ranges(numbers: Sequence[int]) -> str:
    """`p. 3`, `pp. 31-33, 35`: page numbers in words for a message."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    text = ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else f"{r[0]}" for r in runs)
    return f"{'p.' if len(numbers) == 1 else 'pp.'} {text}"


def read_pages(
    images: Sequence[PageSource],
    first_page_number: int = 1,
    *,
    page_numbers: Sequence[int] | None = None,
    dpi: float | None = None,
    settings: OcrSettings | None = None,
) -> OcrResult:
    """Read page images into blocks. Pages are numbered from `first_page_number`, or by
    `page_numbers`; `dpi` overrides the images' own (else A4 is assumed). With OCR off, or
    beyond the page cap, pages are not read and a `needs_ocr` warning names them (the
    caller makes it an error when no page of the document could be read)."""
    settings = settings or OcrSettings.from_env()
    numbers = list(page_numbers) if page_numbers is not None else [first_page_number + i for i in range(len(images))]
    if len(numbers) != len(images):
        raise ValueError(f"{len(images)} images but {len(numbers)} page numbers")
    result = OcrResult()
    if not numbers:
        return result
    if not settings.enabled:
        result.issues.append(
            Issue.of(Code.NEEDS_OCR, f"OCR is off (GOVREPORTS_OCR=off): {page_ranges(numbers)} not read")
        )
        return result
    cap = settings.max_pages
    if len(numbers) > cap:
        result.issues.append(
            Issue.of(
                Code.NEEDS_OCR,
                f"{page_ranges(numbers[cap:])} not read: over the OCR cap of {cap} pages (GOVREPORTS_MAX_OCR_PAGES)",
            )
        )
    from pipelines.parse.readers.ocr_images import grey_page
    from pipelines.parse.readers.ocr_layout import join_continued_tables, simplified

    engine()  # one OpenCV thread from the first page on
    for number, source in zip(numbers[:cap], images[:cap]):
        image = source() if callable(source) else source
        grey, page_dpi = grey_page(image, dpi)
        page, issues = read_page(grey, number, page_dpi)
        page.blocks, traditional = simplified(page.blocks)
        result.script = "traditional" if traditional else result.script
        result.pages.append(page)
        result.issues.extend(issues)
    result.blocks = join_continued_tables([block for page in result.pages for block in page.blocks])
    return result


def read_image_document(data: bytes, settings: OcrSettings | None = None) -> Document:
    """An image file (PNG, JPEG, TIFF; every frame of a multi-page TIFF is a page) read by OCR.

    Raises DocumentError: `unsupported_format` for undecodable data, `too_large` for an
    image over Pillow's pixel limit, `needs_ocr` when OCR is off or capped to no page."""
    from pipelines.parse.readers.ocr_images import image_pages

    settings = settings or OcrSettings.from_env()
    loaders = image_pages(data)
    result = read_pages(loaders, settings=settings)
    if not result.pages:
        message = result.issues[0].message if result.issues else "no page read"
        raise DocumentError(Code.NEEDS_OCR, message)
    return Document(
        format="image",
        script=result.script,
        encoding="binary",
        title=None,
        meta={},
        blocks=result.blocks,
        pages=len(loaders),
        ocr_pages=result.ocr_pages,
        issues=result.issues,
    )


# --- the engine ------------------------------------------------------------------------


@functools.cache
def engine() -> Any:
    """The rapidocr engine on the models inside its wheel (no download), one thread."""
    import cv2

    cv2.setNumThreads(1)
    import rapidocr

    models = Path(rapidocr.__file__).resolve().parent / "models"
    return rapidocr.RapidOCR(
        params={
            "Global.log_level": "warning",
            "Global.use_cls": False,
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "Det.model_path": str(models / "PP-OCRv6_det_small.onnx"),
            "Rec.model_path": str(models / "PP-OCRv6_rec_small.onnx"),
            "Cls.model_path": str(models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
        }
    )


def _detect(grey: np.ndarray) -> list[Box]:
    """Text line boxes of the page (axis-aligned)."""
    import cv2

    from pipelines.parse.readers.ocr_tables import Box

    found = engine()(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), use_det=True, use_cls=False, use_rec=False)
    if getattr(found, "boxes", None) is None:
        return []
    h, w = grey.shape
    boxes = []
    for quad in found.boxes:
        xs, ys = [int(round(p[0])) for p in quad], [int(round(p[1])) for p in quad]
        box = Box(max(0, min(xs)), max(0, min(ys)), min(w, max(xs)), min(h, max(ys)))
        if box.width > 1 and box.height > 1:
            boxes.append(box)
    return boxes


def _recognise(crops: list[np.ndarray]) -> list[str]:
    """The text of each crop (one line each); readings below MIN_SCORE are noise, ''."""
    import cv2

    if not crops:
        return []
    found = engine().recognize_txt([cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) for c in crops])
    return [t if s >= MIN_SCORE else "" for t, s in zip(found.txts, found.scores)]


# --- one page --------------------------------------------------------------------------


def _masks(grey: np.ndarray, unit: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Horizontal rules, vertical rules, all rules (grown a pixel), and the ink that is not a rule."""
    import cv2

    from pipelines.parse.readers import ocr_tables as geometry

    ink = geometry.ink_mask(grey, unit)
    horizontal, vertical = geometry.ruling_lines(ink, unit)
    rules = cv2.dilate(cv2.bitwise_or(horizontal, vertical), geometry.kernel(3, 3))
    return horizontal, vertical, rules, cv2.bitwise_and(ink, cv2.bitwise_not(rules))


def read_page(grey: np.ndarray, number: int, dpi: float) -> tuple[OcrPage, list[Issue]]:
    """One grey page into blocks in reading order, with the issues its numbers raise.

    Lengths scale with the print: by the dpi, unless the page's characters say otherwise
    (a photo, or an image whose dpi is wrong)."""
    from pipelines.parse.readers import ocr_tables as geometry
    from pipelines.parse.readers.ocr_cells import assign_pieces, cell_crops, glyph_height, lines_of, text_of
    from pipelines.parse.readers.ocr_digits import check_table
    from pipelines.parse.readers.ocr_layout import paragraph_blocks, table_of

    grey, angle = geometry.deskew(grey)
    boxes = _detect(grey)
    unit = dpi / 150
    glyph = glyph_height(boxes, _masks(grey, unit)[3], unit)
    if glyph is not None and not 0.8 <= glyph / (GLYPH_AT_150 * unit) <= 1.25:
        unit = glyph / GLYPH_AT_150
    horizontal, vertical, rules, text_ink = _masks(grey, unit)
    tables = geometry.find_tables(horizontal, vertical, unit)
    clean = grey.copy()
    clean[rules > 0] = 255
    pieces, outside = assign_pieces(boxes, tables, unit)
    crops, owners = cell_crops(clean, text_ink, tables, pieces, glyph or GLYPH_AT_150 * unit, unit)
    line_crops = [geometry.crop(grey, box, int(3 * unit)) for box in outside]
    texts = _recognise(crops + line_crops)
    cell_texts = text_of(owners, texts[: len(crops)])
    lines = [(box, text) for box, text in zip(outside, texts[len(crops) :]) if text.strip()]

    issues: list[Issue] = []
    placed: list[tuple[int, Block]] = []
    for t, table in enumerate(tables):
        checked, found = check_table(table_of(table, cell_texts.get(t, {}), number, dpi), f"p. {number}, table {t + 1}")
        placed.append((table.box.y0, checked))
        issues.extend(found)
    placed += paragraph_blocks(lines_of(lines), number)
    blocks = [block for _y, block in sorted(placed, key=lambda pair: pair[0])]
    return OcrPage(number, blocks, angle), issues
