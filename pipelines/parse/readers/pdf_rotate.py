"""Pages printed sideways (a wide table turned a quarter turn to fit a portrait page):
their characters and rules turned upright before lines and tables are read."""

from __future__ import annotations

from typing import Any

from pipelines.parse.readers.pdf_text import Char


def sideways(chars: list[Char]) -> str | None:
    """`down` or `up` when most of the page's text runs vertically (reading top to bottom
    or bottom to top), else None."""
    turned = [c for c in chars if not c.get("upright", True) and c["text"].strip()]
    if len(turned) <= len([c for c in chars if c["text"].strip()]) / 2:
        return None
    down = sum(1 for c in turned if (c.get("matrix") or (0, 0))[1] < 0)
    return "down" if down >= len(turned) / 2 else "up"


def turn_upright(obj: dict[str, Any], direction: str, width: float, height: float) -> dict[str, Any]:
    """The object with its box in the coordinates of the page turned so the text is upright
    (its width becomes the page's height): a copy; characters become upright."""
    x0, x1, top, bottom = obj["x0"], obj["x1"], obj["top"], obj["bottom"]
    if direction == "down":  # reading downwards: turn the page a quarter counter-clockwise
        box = {"x0": top, "x1": bottom, "top": width - x1, "bottom": width - x0}
    else:
        box = {"x0": height - bottom, "x1": height - top, "top": x0, "bottom": x1}
    turned = {**obj, **box, "width": box["x1"] - box["x0"], "height": box["bottom"] - box["top"]}
    if "orientation" in obj:
        turned["orientation"] = "h" if obj["orientation"] == "v" else "v"
    if "upright" in obj:
        turned["upright"] = True
        turned["size"] = obj.get("size", turned["height"])
    return turned
