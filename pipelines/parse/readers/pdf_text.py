"""PDF characters into lines and paragraphs, with running headers and footers dropped.

Works on pdfplumber's character dicts (text, x0, x1, top, bottom, size, upright) and
needs no pdfplumber import: the PDF reader hands the characters over.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Char = dict[str, Any]


@dataclass(frozen=True)
class Line:
    """One printed line: its text and box (points from the page's top-left) and font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    lead: float = 0.0  # width of the first word (a Latin run, or a character and its closing punctuation)


@dataclass(frozen=True)
class Layout:
    """The body text's geometry over the whole document: size, left and right margins, line gap."""

    size: float
    left: float
    right: float
    gap: float


def is_cjk(char: str) -> bool:
    """Ideographs and CJK punctuation: scripts written without spaces between words."""
    return bool(char) and ("\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef")


def _space_between(left: Char, right: Char) -> bool:
    """A space where the gap is wider than the scripts' own spacing (Word adds about a
    quarter em between Chinese and Latin text without a space character)."""
    gap = right["x0"] - left["x1"]
    size = max(left["size"], 1.0)
    a, b = left["text"][-1:], right["text"][:1]
    if is_cjk(a) and is_cjk(b):
        return gap > 1.0 * size
    if is_cjk(a) or is_cjk(b):
        return gap > 0.5 * size
    return gap > 0.2 * size


def _join_chars(chars: list[Char]) -> str:
    parts: list[str] = []
    previous: Char | None = None
    for char in chars:
        text = char["text"]
        if previous is not None:
            if text == previous["text"] and abs(char["x0"] - previous["x0"]) < 0.25 * (char["x1"] - char["x0"]):
                continue  # drawn twice, slightly offset, for a bold effect
            if text.strip() and _space_between(previous, char):
                parts.append(" ")
        parts.append(text)
        previous = char
    return re.sub(r"\s+", " ", "".join(parts)).strip()


_OPENING = set("（《「『“‘〔【〈([")
_CLOSING = set("，。、；：！？）》」』”’〕】〉,.;:!?)]%")


def _lead(chars: list[Char]) -> float:
    """The width of the line's first word, which would have to fit on the line above: opening
    brackets, then a character or a Latin run, then closing punctuation (kept together
    by line breaking)."""
    visible = [c for c in chars if c["text"].strip()]
    i = 0
    while i < len(visible) - 1 and visible[i]["text"] in _OPENING:
        i += 1
    if i >= len(visible):
        return 0.0
    if not is_cjk(visible[i]["text"][:1]):
        while i + 1 < len(visible) and not is_cjk(visible[i + 1]["text"][:1]):
            if visible[i + 1]["x0"] - visible[i]["x1"] > 0.2 * visible[i + 1]["size"]:
                break
            i += 1
    while i + 1 < len(visible) and visible[i + 1]["text"] in _CLOSING:
        i += 1
    return visible[i]["x1"] - visible[0]["x0"]


def chars_to_lines(chars: Iterable[Char], page: int) -> list[Line]:
    """Upright characters grouped into lines (by vertical overlap), top to bottom."""
    rows: list[list[Char]] = []
    for char in sorted((c for c in chars if c.get("upright", True)), key=lambda c: (c["top"], c["x0"])):
        if rows:
            last = rows[-1]
            anchor = last[0]
            middle = (char["top"] + char["bottom"]) / 2
            if anchor["top"] - 0.5 <= middle <= anchor["bottom"] + 0.5:
                last.append(char)
                continue
        rows.append([char])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        text = _join_chars(row)
        if text:
            visible = [c for c in row if c["text"].strip()] or row
            lines.append(
                Line(
                    text,
                    min(c["x0"] for c in visible),
                    max(c["x1"] for c in visible),
                    min(c["top"] for c in row),
                    max(c["bottom"] for c in row),
                    statistics.median(c["size"] for c in visible),
                    page,
                    _lead(row),
                )
            )
    return lines


def join_lines(texts: Sequence[str]) -> str:
    """Wrapped lines of one paragraph or cell: no space where either side is Chinese."""
    out = ""
    for text in texts:
        if out and not (is_cjk(out[-1]) or is_cjk(text[0])):
            out += " "
        out += text
    return out


# --- running headers and footers -------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^[-—–－·•\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*(?:/|of|共)\s*\d{1,4}\s*页?)?[-—–－·•\s]*$", re.I
)
_DIGITS = re.compile(r"\d+")


def running_lines(pages: list[list[Line]], heights: list[float], body_size: float) -> set[tuple[int, int]]:
    """(page index, line index) of page numbers and running headers and footers: the first
    or last two lines of a page, in its top or bottom margin, no larger than the body
    text (a title is larger), that are page numbers or recur (digits aside) on other pages."""
    edges: list[tuple[int, int, str]] = []
    for p, lines in enumerate(pages):
        for i in sorted({0, 1, len(lines) - 2, len(lines) - 1}):
            if 0 <= i < len(lines):
                edges.append((p, i, _DIGITS.sub("#", re.sub(r"\s", "", lines[i].text))))
    pages_with = Counter(key for _p, key in {(p, key) for p, _i, key in edges})
    dropped: set[tuple[int, int]] = set()
    for p, i, key in edges:
        line = pages[p][i]
        in_margin = line.top < 0.12 * heights[p] or line.bottom > 0.88 * heights[p]
        if not in_margin or line.size > body_size + 1:
            continue
        if _PAGE_NUMBER.match(line.text) or (len(pages) >= 3 and pages_with[key] >= max(3, len(pages) // 2)):
            dropped.add((p, i))
    return dropped


# --- paragraphs --------------------------------------------------------------------------

_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*、|[（(][一二三四五六七八九十]{1,3}[）)])")


def measure_layout(lines: Iterable[Line], page_width: float) -> Layout:
    """The body text's size, margins and usual line gap, from the most common values. With
    few lines the right margin is taken as the mirror of the left one."""
    lines = list(lines)
    if not lines:
        return Layout(12.0, 0.0, page_width, 6.0)
    sizes = Counter(round(line.size) for line in lines for _ in line.text)
    size = float(sizes.most_common(1)[0][0])
    body = [line for line in lines if round(line.size) == size] or lines
    left = float(Counter(round(line.x0) for line in body).most_common(1)[0][0])
    right = sorted(line.x1 for line in body)[int(0.95 * (len(body) - 1))] if len(body) >= 10 else page_width - left
    gaps = [b.top - a.bottom for a, b in zip(body, body[1:]) if a.page == b.page and 0 <= b.top - a.bottom < 3 * size]
    return Layout(size, left, right, statistics.median(gaps) if gaps else size / 2)


def starts_paragraph(previous: Line | None, line: Line, layout: Layout) -> bool:
    """A line starts a paragraph after a line that had room for its first word, when
    indented or centred, at a change of size, after a wide gap, and at a section number
    (一、 （一）)."""
    if previous is None:
        return True
    size = max(line.size, 1.0)
    if previous.x1 + line.lead < layout.right - 0.25 * size or line.x0 > layout.left + 1.0 * size:
        return True
    if abs(line.size - previous.size) > 0.15 * size or _HEADING_START.match(line.text):
        return True
    if previous.page == line.page and line.top - previous.bottom > 1.6 * layout.gap + 3:
        return True
    return False


def is_usable_char(text: str) -> bool:
    """False for glyphs a text layer gives without a Unicode map: `(cid:N)`, private-use,
    control and replacement characters."""
    if text.startswith("(cid:") or "\ufffd" in text:
        return False
    return not any(unicodedata.category(ch) in ("Co", "Cc", "Cs") and ch not in "\t\n\r" for ch in text)
