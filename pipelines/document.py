"""The document model: a page as a title, metadata, and an ordered list of blocks.

A block is a `Paragraph` (a run of text) or a `Table` (rows of cells as printed,
with rowspan/colspan, and a resolved grid). HTML is read with BeautifulSoup;
text pages keep their lines, and `|`-separated lines become tables (the
flattening the seeds use, TEMPLATES.md §6.4).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from pipelines.errors import DocumentError
from pipelines.normalise import clean_text, is_traditional, to_simplified
from pipelines.read import DecodedPage

MAX_SPAN = 1000  # a rowspan/colspan above this is a broken page, not a layout
MAX_GRID_CELLS = 250_000  # grid positions one table may fill before it is unreadable


@dataclass(frozen=True)
class Cell:
    """A table cell as printed: normalised text, and its spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    """A table: `rows` as printed (one list of cells per row), `number` 1-based in the page."""

    rows: list[list[Cell]]
    number: int
    flattened: bool = False  # read from `|`-separated text, spans unknown
    _grid: list[list[Cell | None]] | None = field(default=None, repr=False)

    def grid(self) -> list[list[Cell | None]]:
        """Rows with rowspan/colspan resolved: a spanned cell appears in every position it covers.

        Raises DocumentError (`table_unreadable`) when the spans would fill more than
        MAX_GRID_CELLS positions.
        """
        if self._grid is None:
            self._grid = resolve_grid(self.rows)
        return self._grid


def resolve_grid(rows: list[list[Cell]]) -> list[list[Cell | None]]:
    """Place cells on a grid, honouring rowspan and colspan (spans are clipped to the table)."""
    n_rows = len(rows)
    occupied: dict[tuple[int, int], Cell] = {}
    width = 0
    filled = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            rowspan = max(1, min(cell.rowspan, n_rows - r))
            colspan = max(1, cell.colspan)
            filled += rowspan * colspan
            if filled > MAX_GRID_CELLS:
                raise DocumentError("table_unreadable", f"spans fill more than {MAX_GRID_CELLS} grid positions")
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied[(r + dr, c + dc)] = cell
            c += colspan
            width = max(width, c)
    return [[occupied.get((r, c)) for c in range(width)] for r in range(n_rows)]


@dataclass(frozen=True)
class Paragraph:
    """A run of text between block boundaries."""

    text: str


Block = Paragraph | Table


@dataclass
class Document:
    """A page read into blocks. All text is NFKC-normalised and in simplified script."""

    kind: str  # html | text
    script: str  # simplified | traditional (of the source)
    encoding: str
    title: str | None
    meta: dict[str, str]
    blocks: list[Block]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Paragraph)]

    def text(self) -> str:
        """The body as plain text, tables as `|`-separated lines."""
        lines = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                lines.extend(" | ".join(cell.text for cell in row) for row in block.rows)
        return "\n".join(lines)


# --- HTML ---------------------------------------------------------------------

_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_META = re.compile(r"<meta\b([^>]*)>", re.I)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# Tags whose content is not page text.
_DROP_ELEMENTS = ("script", "style", "noscript", "textarea", "select", "svg", "object", "iframe", "head")
_IN_TAG = r"""[^'">]*(?:(?:"[^"]*"|'[^']*')[^'">]*)*"""  # a tag's inside, quoted '>' allowed
_ANY_TAG = re.compile(r"<(/?)([a-zA-Z][\w:.-]*)(" + _IN_TAG + r")>|<!\[[^>]*\]>")
# Inline tags: removed, their text kept. Word exports wrap every run in these.
_INLINE_TAGS = frozenset(
    "span font b i u s strong em a ins del sup sub small big label abbr strike nobr wbr img input button".split()
)
_SPAN_ATTR = re.compile(r"""\b(rowspan|colspan)\s*=\s*["']?\s*(\d{1,12})""", re.I)
_BETWEEN_TAGS = re.compile(r">\s+<")


_BREAKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "table", "tbody", "thead", "tfoot", "section", "article", "header", "footer", "nav", "main",
    "aside", "blockquote", "center", "pre", "hr", "dd", "dt", "dl", "form", "body", "caption",
}
_WS = re.compile(r"\s+")


def _html_head(markup: str) -> tuple[str | None, dict[str, str]]:
    """The <title> text and the <meta name=… content=…> pairs (names lower-cased)."""
    head = markup[:65536]
    title_match = _TITLE.search(head)
    title = html_lib.unescape(title_match.group(1)).strip() if title_match else None
    meta: dict[str, str] = {}
    for match in _META.finditer(head):
        attrs = {m.group(1).lower(): (m.group(2) or m.group(3) or m.group(4) or "") for m in _ATTR.finditer(match.group(1))}
        name = attrs.get("name") or attrs.get("property") or attrs.get("http-equiv")
        if name and "content" in attrs:
            meta.setdefault(name.lower(), html_lib.unescape(attrs["content"]).strip())
    return title, meta


_DROP_OPEN = re.compile(r"<!--|<(" + "|".join(_DROP_ELEMENTS) + r")\b")


def _drop_hidden(markup: str) -> str:
    """Remove comments and the elements of _DROP_ELEMENTS, in one linear pass.

    An unclosed comment or element drops the rest of the page.
    """
    lower = markup.lower()
    out, pos = [], 0
    for match in _DROP_OPEN.finditer(lower):
        if match.start() < pos:
            continue
        closer = "-->" if match.group(1) is None else f"</{match.group(1)}"
        end = lower.find(closer, match.end())
        out.append(markup[pos : match.start()])
        if end < 0:
            return "".join(out)
        end = lower.find(">", end) if closer != "-->" else end + 2
        pos = len(markup) if end < 0 else end + 1
        out.append(" ")
    out.append(markup[pos:])
    return "".join(out)


def _rewrite_tag(match: re.Match[str]) -> str:
    """Drop inline and Office (`o:p`, `st1:…`) tags and conditional markers; keep other
    tags bare, with their rowspan and colspan."""
    name = match.group(2)
    if name is None:
        return ""
    name = name.lower()
    if name in _INLINE_TAGS or ":" in name:
        return ""
    if match.group(1):
        return f"</{name}>"
    attributes = match.group(3)
    spans = " ".join(f'{m.group(1).lower()}="{m.group(2)}"' for m in _SPAN_ATTR.finditer(attributes)) if "span" in attributes.lower() else ""
    return f"<{name} {spans}>" if spans else f"<{name}>"


def preclean_html(markup: str) -> str:
    """Strip what carries no text (scripts, styles, comments, inline tags, attributes,
    whitespace between tags).

    Word-exported pages are mostly markup; parsing a tenth of it gives the same text
    and tables several times faster. rowspan and colspan are the only attributes kept.
    """
    markup = _ANY_TAG.sub(_rewrite_tag, _drop_hidden(markup))
    return _BETWEEN_TAGS.sub("><", markup)


def _span(tag: Tag, name: str) -> int:
    value = tag.get(name)
    if not value:
        return 1
    try:
        return max(1, min(int(str(value)), MAX_SPAN))
    except ValueError:
        return 1


def _cell_text(tag: Tag) -> str:
    return _WS.sub(" ", " ".join(tag.stripped_strings)).strip()


def _read_table(tag: Tag, number: int) -> Table:
    rows: list[list[Cell]] = []
    for tr in tag.find_all("tr"):
        # Rows without cells are kept: rowspans from above still count them.
        rows.append([
            Cell(_cell_text(td), _span(td, "rowspan"), _span(td, "colspan"))
            for td in tr.find_all(("td", "th"), recursive=False)
        ])
    return Table(rows, number)


def _walk(body: Tag) -> list[Block]:
    """Blocks in document order. Tables without nested tables are data tables; tables
    around other tables are layout, read as text containers."""
    blocks: list[Block] = []
    buffer: list[str] = []
    # Tables that contain tables are layout: found once, from the inside (linear time).
    layout = {id(parent) for table in body.find_all("table") if (parent := table.find_parent("table")) is not None}

    def flush() -> None:
        text = _WS.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            blocks.append(Paragraph(text))

    stack: list[tuple[object, bool]] = [(body, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            flush()
            continue
        if isinstance(node, (Comment, Doctype, ProcessingInstruction)):
            continue
        if isinstance(node, NavigableString):
            buffer.append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if name == "table" and id(node) not in layout:
            flush()
            table = _read_table(node, sum(isinstance(b, Table) for b in blocks) + 1)
            if any(table.rows):
                blocks.append(table)
            continue
        if name in _BREAKS:
            flush()
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    flush()
    return blocks


def _to_simplified_if_traditional(text: str) -> tuple[str, str]:
    if is_traditional(text):
        return to_simplified(text), "traditional"
    return text, "simplified"


def parse_html(page: DecodedPage) -> Document:
    """Read an HTML page into a Document."""
    title, meta = _html_head(page.text)
    markup = preclean_html(page.text)
    markup, script = _to_simplified_if_traditional(markup)
    # NFKC turns full-width ＜ ＞ ＆ into markup characters: escape them first.
    markup = clean_text(markup.replace("＜", "&lt;").replace("＞", "&gt;").replace("＆", "&amp;"))
    if title and script == "traditional":
        title = to_simplified(title)
    meta = {k: (to_simplified(v) if script == "traditional" else v) for k, v in meta.items()}
    soup = BeautifulSoup(markup, "lxml")
    body = soup.body or soup
    return Document(
        kind="html",
        script=script,
        encoding=page.encoding,
        title=clean_text(title) if title else None,
        meta={k: clean_text(v) for k, v in meta.items()},
        blocks=_walk(body),
    )


# --- text ---------------------------------------------------------------------

# Crawler exports put `key: value` lines above a separator (e.g. `==== 正文 ====`).
_HEADER_LINE = re.compile(r"^(标题|发布时间|发布日期|发布机构|来源|文号|栏目|原文链接|本地目录)\s*[:：]\s*(.*)$")
_BODY_SEPARATOR = re.compile(r"^=+\s*正文\s*=+$")
_META_KEYS = {"标题": "title", "发布时间": "pubdate", "发布日期": "pubdate", "发布机构": "publisher", "来源": "source", "原文链接": "url"}


def _pipe_cells(line: str) -> list[Cell]:
    cells = [c.strip() for c in line.split("|")]
    while cells and not cells[-1]:
        cells.pop()  # trailing empty cells are padding (TEMPLATES.md §6.4)
    return [Cell(c) for c in cells]


def parse_text(page: DecodedPage) -> Document:
    """Read a plain-text page into a Document; `|` lines become flattened tables."""
    text, script = _to_simplified_if_traditional(page.text)
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
    n_tables = 0

    def end_table() -> None:
        nonlocal n_tables
        if table_rows:
            n_tables += 1
            blocks.append(Table(list(table_rows), n_tables, flattened=True))
            table_rows.clear()

    for line in lines:
        if not line:
            continue
        if "|" in line:
            cells = _pipe_cells(line)
            if cells:
                table_rows.append(cells)
            continue
        end_table()
        blocks.append(Paragraph(line))
    end_table()
    return Document(
        kind="text",
        script=script,
        encoding=page.encoding,
        title=meta.get("title"),
        meta=meta,
        blocks=blocks,
    )


def parse_page(page: DecodedPage) -> Document:
    """Read a decoded page (HTML or text) into a Document."""
    return parse_html(page) if page.kind == "html" else parse_text(page)
