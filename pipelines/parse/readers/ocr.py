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
import io
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipelines.issues import Code, DocumentError, Issue
from pipelines.parse.document import Block, Cell, Document, Paragraph, Table
from pipelines.parse.normalise import clean_text, is_traditional, to_simplified

if TYPE_CHECKING:
    import numpy as np

    from pipelines.parse.readers.ocr_tables import Box, TableBox

DEFAULT_MAX_OCR_PAGES = 30
MAX_SIDE = 3600  # pixels; larger pages are scaled down (about 300 dpi on A4)
MIN_SCORE = 0.3  # recogniser confidence below which a reading is noise
A4_LONG_SIDE = 11.69  # inches: the dpi of an image without a usable dpi, assuming A4

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
    """Pages read from pixels (in order), and what could not be read or did not fit."""

    pages: list[OcrPage] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    script: str = "simplified"  # traditional when any page was (its text is converted)

    @property
    def blocks(self) -> list[Block]:
        return [block for page in self.pages for block in page.blocks]

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
    for number, source in zip(numbers[:cap], images[:cap]):
        image = source() if callable(source) else source
        grey, page_dpi = grey_page(image, dpi)
        page, issues = read_page(grey, number, page_dpi)
        result.pages.append(page)
        result.issues.extend(issues)
    if any(_simplify(page) for page in result.pages):
        result.script = "traditional"
    _renumber_tables(result.blocks)
    return result


def read_image_document(data: bytes, settings: OcrSettings | None = None) -> Document:
    """An image file (PNG, JPEG, TIFF; every frame of a multi-page TIFF is a page) read by OCR.

    Raises DocumentError: `unsupported_format` for undecodable data, `too_large` for an
    image over Pillow's pixel limit, `needs_ocr` when OCR is off or capped to no page."""
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


def image_pages(data: bytes) -> list[Callable[[], PageImage]]:
    """One loader per frame of an image file; frames are decoded only when read."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1)
    except Image.DecompressionBombError as error:
        raise DocumentError(Code.TOO_LARGE, f"image over the pixel limit: {error}") from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise DocumentError(Code.UNSUPPORTED_FORMAT, f"an image that cannot be decoded: {error}") from error

    def frame(index: int) -> PageImage:
        try:
            image.seek(index)
            page = ImageOps.exif_transpose(image.copy())
        except (OSError, ValueError, EOFError) as error:
            raise DocumentError(
                Code.UNSUPPORTED_FORMAT, f"image frame {index + 1} cannot be decoded: {error}"
            ) from error
        page.info.setdefault("dpi", image.info.get("dpi"))
        return page

    return [functools.partial(frame, i) for i in range(frames)]


# --- images ----------------------------------------------------------------------------


def grey_page(image: PageImage, dpi: float | None = None) -> tuple[np.ndarray, float]:
    """An 8-bit grey page (transparency on white) and its dpi, scaled down beyond MAX_SIDE."""
    import cv2
    import numpy as np

    if isinstance(image, np.ndarray):
        array = image
    else:
        info_dpi = (image.info.get("dpi") or (None,))[0]
        dpi = dpi or (float(info_dpi) if info_dpi else None)
        if image.mode in ("RGBA", "LA", "PA", "P") and (image.mode != "P" or "transparency" in image.info):
            image = image.convert("RGBA")
        elif image.mode not in ("L", "RGB", "I;16", "I", "F"):
            image = image.convert("RGB")
        array = np.asarray(image)
    if array.dtype != np.uint8:
        top = float(array.max()) if array.size else 1.0
        array = (array.astype(np.float64) * (255.0 / (top if top > 0 else 1.0))).clip(0, 255).astype(np.uint8)
    if array.ndim == 3 and array.shape[2] == 4:
        alpha = array[:, :, 3:4].astype(np.float64) / 255
        array = (array[:, :, :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
    if array.ndim == 3:
        array = cv2.cvtColor(array, cv2.COLOR_RGB2GRAY) if array.shape[2] == 3 else array[:, :, 0]
    estimate = max(array.shape) / A4_LONG_SIDE
    if not dpi or not estimate / 1.5 <= dpi <= estimate * 1.5:
        dpi = estimate  # no dpi, or one the page size belies (JPEGs often claim 72)
    scale = MAX_SIDE / max(array.shape)
    if scale < 1:
        array = cv2.resize(array, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        dpi *= scale
    return np.ascontiguousarray(array), float(dpi)


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


def read_page(grey: np.ndarray, number: int, dpi: float) -> tuple[OcrPage, list[Issue]]:
    """One grey page into blocks in reading order, with the issues its numbers raise."""
    import cv2

    from pipelines.parse.readers import ocr_tables as geometry
    from pipelines.parse.readers.ocr_cells import assign_pieces, cell_crops, lines_of, text_of
    from pipelines.parse.readers.ocr_digits import check_table

    unit = dpi / 150
    grey, angle = geometry.deskew(grey)
    ink = geometry.ink_mask(grey, unit)
    horizontal, vertical = geometry.ruling_lines(ink, unit)
    tables = geometry.find_tables(horizontal, vertical, unit)
    rules = cv2.dilate(cv2.bitwise_or(horizontal, vertical), geometry.kernel(3, 3))
    clean = grey.copy()
    clean[rules > 0] = 255
    boxes = _detect(grey)
    pieces, outside = assign_pieces(boxes, tables, unit)
    crops, owners = cell_crops(clean, cv2.bitwise_and(ink, cv2.bitwise_not(rules)), tables, pieces, unit)
    line_crops = [geometry.crop(grey, box, int(3 * unit)) for box in outside]
    texts = _recognise(crops + line_crops)
    cell_texts = text_of(owners, texts[: len(crops)])
    lines = [(box, text) for box, text in zip(outside, texts[len(crops) :]) if text.strip()]

    issues: list[Issue] = []
    placed: list[tuple[int, Block]] = []
    for t, table in enumerate(tables):
        checked, found = check_table(_table(table, cell_texts.get(t, {}), number, dpi), f"p. {number}, table {t + 1}")
        placed.append((table.box.y0, checked))
        issues.extend(found)
    placed += _paragraph_blocks(lines_of(lines), number)
    blocks = [block for _y, block in sorted(placed, key=lambda pair: pair[0])]
    return OcrPage(number, blocks, angle), issues


def _where(box: Box, number: int, dpi: float) -> str:
    k = 72 / dpi
    return f"p. {number}, bbox {box.x0 * k:.1f},{box.y0 * k:.1f},{box.x1 * k:.1f},{box.y1 * k:.1f}"


def _table(table: TableBox, texts: dict[int, str], number: int, dpi: float) -> Table:
    rows: list[list[Cell]] = [[] for _ in range(table.n_rows)]
    for k, cell in enumerate(table.cells):
        text = clean_text(texts.get(k, "")).strip()
        rows[cell.row].append(Cell(text, cell.rowspan, cell.colspan, _where(cell.box, number, dpi)))
    return Table(rows, 0, where=f"p. {number}", ocr=True)


_SPACE = re.compile(r"\s+")


def _paragraph_blocks(lines: list[tuple[Box, str]], number: int) -> list[tuple[int, Block]]:
    """Lines into paragraphs: a new one after a gap, at an indent, or after a short line."""
    from pipelines.parse.readers.ocr_cells import join

    if not lines:
        return []
    height = sorted(box.height for box, _ in lines)[len(lines) // 2]
    left, right = min(box.x0 for box, _ in lines), max(box.x1 for box, _ in lines)
    groups: list[list[tuple[Box, str]]] = []
    for box, text in lines:
        if groups:
            last = groups[-1][-1][0]
            new = box.y0 - last.y1 > 0.8 * height or box.x0 > left + 1.5 * height or last.x1 < right - 2 * height
        else:
            new = True
        if new:
            groups.append([])
        groups[-1].append((box, text))
    paragraphs = []
    for group in groups:
        text = _SPACE.sub(" ", clean_text(join([t for _, t in group]))).strip()
        if text:
            paragraphs.append((group[0][0].y0, Paragraph(text, f"p. {number}", ocr=True)))
    return paragraphs


def _simplify(page: OcrPage) -> bool:
    """Convert a page read in traditional script to simplified; True when it was."""
    text = "".join(
        b.text if isinstance(b, Paragraph) else "".join(c.text for r in b.rows for c in r) for b in page.blocks
    )
    if not is_traditional(text):
        return False
    page.blocks = [
        Paragraph(to_simplified(b.text), b.where, b.ocr)
        if isinstance(b, Paragraph)
        else Table(
            [[Cell(to_simplified(c.text), c.rowspan, c.colspan, c.where) for c in row] for row in b.rows],
            b.number,
            b.flattened,
            b.where,
            b.ocr,
        )
        for b in page.blocks
    ]
    return True


def _renumber_tables(blocks: list[Block]) -> None:
    for n, table in enumerate((b for b in blocks if isinstance(b, Table)), start=1):
        table.number = n
