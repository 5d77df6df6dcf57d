"""Page images for the OCR reader: image files split into pages, and any page as 8-bit grey.

Imported only by the OCR reader, on first use (it loads Pillow, numpy and OpenCV).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from pipelines.issues import Code, DocumentError

MAX_SIDE = 3600  # pixels; larger pages are scaled down (about 300 dpi on A4)
A4_LONG_SIDE = 11.69  # inches: the dpi of an image without a believable one, assuming A4

PageImage = Any  # a PIL image or a numpy array (grey, RGB or RGBA)


def image_pages(data: bytes) -> list[Callable[[], PageImage]]:
    """One loader per frame of an image file (PNG, JPEG, TIFF, …); frames are decoded only
    when loaded. Raises DocumentError: `too_large` over Pillow's pixel limit,
    `unsupported_format` for data that does not decode."""
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
        except Image.DecompressionBombError as error:
            raise DocumentError(Code.TOO_LARGE, f"image frame {index + 1} over the pixel limit") from error
        except (OSError, ValueError, EOFError) as error:
            raise DocumentError(
                Code.UNSUPPORTED_FORMAT, f"image frame {index + 1} cannot be decoded: {error}"
            ) from error
        page.info.setdefault("dpi", image.info.get("dpi"))
        return page

    return [functools.partial(frame, i) for i in range(frames)]


def grey_page(image: PageImage, dpi: float | None = None) -> tuple[np.ndarray, float]:
    """An 8-bit grey page (transparency on white), scaled down beyond MAX_SIDE, and its dpi:
    `dpi` when the caller knows it, else the image's own unless the page size belies it
    (JPEGs often claim 72), else the dpi of an A4 page of that size."""
    claimed = None
    if isinstance(image, np.ndarray):
        array = image
    else:
        claimed = (image.info.get("dpi") or (None,))[0]
        if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
            image = image.convert("RGBA")
        elif image.mode not in ("L", "RGB", "I;16", "I", "F"):
            image = image.convert("RGB")
        array = np.asarray(image)
    if array.dtype != np.uint8:  # 16-bit or float pages: stretched to 0-255 (floats in 0-1 as they are)
        values = array.astype(np.float64)
        top = float(values.max()) if values.size else 0.0
        array = (values * (255.0 if top <= 1.0 else 255.0 / top)).clip(0, 255).astype(np.uint8)
    if array.ndim == 3 and array.shape[2] == 4:
        alpha = array[:, :, 3:4].astype(np.float64) / 255
        array = (array[:, :, :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
    if array.ndim == 3:
        array = cv2.cvtColor(array, cv2.COLOR_RGB2GRAY) if array.shape[2] == 3 else array[:, :, 0]
    if not dpi:
        estimate = max(array.shape) / A4_LONG_SIDE
        dpi = float(claimed) if claimed and estimate / 1.5 <= float(claimed) <= estimate * 1.5 else estimate
    scale = MAX_SIDE / max(array.shape)
    if scale < 1:
        array = cv2.resize(array, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        dpi *= scale
    return np.ascontiguousarray(array), float(dpi)
