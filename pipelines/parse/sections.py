"""Split a report into its top-level sections (一、… 二、… ), printed as lines or inline."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.parse.document import Document, Paragraph, Table
from pipelines.parse.templates.common import section_kind

NUMERALS = "一二三四五六七八九十"
_LINE_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.]\s*\S")
# Inline: a numeral marker after a sentence end or a gap, then the heading up to a gap
# of two spaces or a heading word (archived text that kept no line breaks).
_INLINE_MARKER = re.compile(r"(?<![\u4e00-\u9fff\d、])([一二三四五六七八九十]{1,3})、")
_HEADING_END = re.compile(
    r"(?:问题及改进(?:措施|情况)|问题和改进(?:措施|情况)|改进措施|改进情况|情况统计表|统计表|情况|概述|事项|附表|问题)"
)
_MAX_HEADING = 80


@dataclass(frozen=True)
class Section:
    """A top-level section: 1-based ordinal, heading as printed, canonical kind, body text."""

    ordinal: int
    heading: str
    kind: str | None
    text: str


def numeral_value(numeral: str) -> int:
    """一 → 1 … 十 → 10, 十一 → 11, 二十 → 20."""
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + NUMERALS.index(numeral[1]) + 1
    if numeral.endswith("十"):
        return (NUMERALS.index(numeral[0]) + 1) * 10
    if "十" in numeral:
        tens, ones = numeral.split("十")
        return (NUMERALS.index(tens) + 1) * 10 + NUMERALS.index(ones) + 1
    return NUMERALS.index(numeral[0]) + 1 if len(numeral) == 1 else 0


def _lines(doc: Document) -> list[tuple[str, bool]]:
    """(text, is_paragraph) in order; table rows become `|` lines that are never headings."""
    out: list[tuple[str, bool]] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append((block.text, True))
        elif isinstance(block, Table):
            out.extend((" | ".join(c.text for c in row), False) for row in block.rows)
    return out


def _next_in_sequence(numeral: str, heading: str, expected: int) -> bool:
    """The heading continues 一、二、三…: the expected number, one skipped, or a repeated
    number (a typo) when the heading names a section of the regulation."""
    value = numeral_value(numeral)
    if value in (expected, expected + 1) and (value == expected or expected > 1):
        return True
    return value == expected - 1 and expected > 1 and section_kind(heading) is not None


def _line_sections(lines: list[tuple[str, bool]]) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = []
    expected = 1
    for text, is_paragraph in lines:
        match = _LINE_HEADING.match(text) if is_paragraph and len(text) <= _MAX_HEADING else None
        if match and _next_in_sequence(match.group(1), text, expected):
            sections.append((text, []))
            expected = max(expected, numeral_value(match.group(1))) + 1
        elif sections:
            sections[-1][1].append(text)
    return sections


def _inline_sections(text: str) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = []
    expected, cursor = 1, 0
    starts: list[tuple[int, int, str]] = []  # (start, heading end, heading)
    for match in _INLINE_MARKER.finditer(text):
        window = text[match.end() : match.end() + 60]
        if match.start() < cursor or not _next_in_sequence(match.group(1), window[:40], expected):
            continue
        gap = re.search(r"\s{2,}", window)
        word = _HEADING_END.search(window[:40])
        ends = [gap.start()] if gap else []
        ends += [word.end()] if word else []
        if not ends:
            continue
        end = match.end() + min(ends)
        starts.append((match.start(), end, text[match.start() : end].strip()))
        expected = max(expected, numeral_value(match.group(1))) + 1
        cursor = end
    for (_start, end, heading), following in zip(starts, starts[1:] + [(len(text), 0, "")]):
        sections.append((heading, [text[end : following[0]].strip()]))
    return sections


def split_sections(doc: Document) -> list[Section]:
    """The report's top-level sections, in order. Headings must run 一、二、三… in sequence."""
    lines = _lines(doc)
    found = _line_sections(lines)
    if len(found) < 2:
        inline = _inline_sections(doc.text())
        if len(inline) > len(found):
            found = inline
    return [
        Section(i + 1, heading, section_kind(heading), "\n".join(body).strip())
        for i, (heading, body) in enumerate(found)
    ]
