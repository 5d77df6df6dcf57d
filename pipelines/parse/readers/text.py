"""Plain-text pages into the document model: lines are paragraphs, `|`-separated lines
become tables (the flattening the seeds use, TEMPLATES.md §6.4).
"""

from __future__ import annotations

import re

from pipelines.parse.decode import DecodedPage
from pipelines.parse.document import (
    Block,
    Cell,
    Document,
    Paragraph,
    Table,
    to_simplified_if_traditional,
)
from pipelines.parse.normalise import clean_text, parse_number

# --- text ---------------------------------------------------------------------

# Crawler exports put `key: value` lines above a separator (e.g. `==== 正文 ====`).
_HEADER_LINE = re.compile(r"^(标题|发布时间|发布日期|发布机构|来源|文号|栏目|原文链接|本地目录)\s*[:：]\s*(.*)$")
_BODY_SEPARATOR = re.compile(r"^=+\s*正文\s*=+$")
_META_KEYS = {
    "标题": "title",
    "发布时间": "pubdate",
    "发布日期": "pubdate",
    "发布机构": "publisher",
    "来源": "source",
    "原文链接": "url",
}


def _pipe_cells(line: str) -> list[Cell]:
    cells = [c.strip() for c in line.split("|")]
    while cells and not cells[-1]:
        cells.pop()  # trailing empty cells are padding (TEMPLATES.md §6.4)
    return [Cell(c) for c in cells]


_RULE = re.compile(r"^[\s|:\-—–]*-[\s|:\-—–]*$")
_NUMBERS_ONLY = re.compile(r"^[+\-]?\d+(?:\.\d+)?(?:\s+[+\-]?\d+(?:\.\d+)?)+$")
_MIN_CELL_LINES = 6  # lines of one cell each that make a table printed cell by cell


def _cell_of_line(line: str) -> str | None:
    """The cell a line of a table printed one cell per line holds: its text, `""` for a
    blank cell (a lone `|`), None for a separator (`||||`) or a line of several cells."""
    texts = [part.strip() for part in line.split("|") if part.strip()]
    if len(texts) == 1:
        return texts[0]
    return "" if not texts and line.count("|") == 1 else None


def _one_cell_per_line(lines: list[str]) -> bool:
    """A table flattened one cell per line (`规章 |` / `0 |` / `|` / `||||`)."""
    return len(lines) >= _MIN_CELL_LINES and all(len([p for p in line.split("|") if p.strip()]) <= 1 for line in lines)


def _regrouped(lines: list[str]) -> list[list[Cell]]:
    """The rows of a table printed one cell per line, rebuilt: each label starts a row and
    the values after it (numbers, and blank cells: a lone `|`) fill it, in order, so a
    blank cell keeps its column. Separator lines (`||||`) carry nothing."""
    rows: list[list[Cell]] = []
    for line in lines:
        text = _cell_of_line(line)
        if text is None:
            continue
        if parse_number(text).status in ("ok", "blank"):
            if rows:
                rows[-1].append(Cell(text))
        else:
            rows.append([Cell(text)])
    return rows


def read_text(page: DecodedPage) -> Document:
    """Read a plain-text page into a Document; `|` lines become flattened tables."""
    text, script = to_simplified_if_traditional(page.text)
    # Runs of spaces are kept: in text exports they often stand for lost line breaks.
    lines = [line.strip() for line in clean_text(text).splitlines()]
    meta: dict[str, str] = {}
    if any(_BODY_SEPARATOR.match(line) for line in lines[:30]):
        header_end = next(i for i, line in enumerate(lines) if _BODY_SEPARATOR.match(line))
        for line in lines[:header_end]:
            match = _HEADER_LINE.match(line)
            if match and match.group(1) in _META_KEYS and match.group(2):
                meta[_META_KEYS[match.group(1)]] = match.group(2).strip()
        lines = lines[header_end + 1 :]

    blocks: list[Block] = []
    table_rows: list[list[Cell]] = []
    table_lines: list[str] = []
    n_tables = 0

    def end_table() -> None:
        nonlocal n_tables
        if table_rows:
            n_tables += 1
            rows = _regrouped(table_lines) if _one_cell_per_line(table_lines) else list(table_rows)
            blocks.append(Table(rows, n_tables, flattened=True))
        table_rows.clear()
        table_lines.clear()

    for line in lines:
        if not line or (_RULE.match(line) and "|" in line):
            continue  # a markdown table's rule line (`|---|---|`) carries no cell
        if "|" in line:
            cells = _pipe_cells(line)
            if cells:
                table_rows.append(cells)
            table_lines.append(line)
            continue
        if table_rows and _NUMBERS_ONLY.match(line):
            table_rows.append([Cell(n) for n in line.split()])  # the table's value row, printed without `|`
            table_lines.append(line.replace(" ", " | "))
            continue
        end_table()
        blocks.append(Paragraph(line))
    end_table()
    return Document(
        format="text",
        script=script,
        encoding=page.encoding,
        title=meta.get("title"),
        meta=meta,
        blocks=blocks,
    )
