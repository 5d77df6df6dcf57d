"""HTML pages into the document model, read with BeautifulSoup."""

from __future__ import annotations

import html as html_lib
import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from pipelines.parse.decode import DecodedPage
from pipelines.parse.document import (
    MAX_SPAN,
    Block,
    Cell,
    Document,
    Paragraph,
    Table,
    to_simplified_if_traditional,
)
from pipelines.parse.normalise import clean_text, to_simplified

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
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "main",
    "aside",
    "blockquote",
    "center",
    "pre",
    "hr",
    "dd",
    "dt",
    "dl",
    "form",
    "body",
    "caption",
}
_WS = re.compile(r"\s+")
_TITLE_HEADINGS = {"h1", "h2", "h3"}  # headings that may print a page's title


def _html_head(markup: str) -> tuple[str | None, dict[str, str]]:
    """The <title> text and the <meta name=… content=…> pairs (names lower-cased)."""
    head = markup[:65536]
    title_match = _TITLE.search(head)
    title = html_lib.unescape(title_match.group(1)).strip() if title_match else None
    meta: dict[str, str] = {}
    for match in _META.finditer(head):
        attrs = {
            m.group(1).lower(): (m.group(2) or m.group(3) or m.group(4) or "") for m in _ATTR.finditer(match.group(1))
        }
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
    spans = (
        " ".join(f'{m.group(1).lower()}="{m.group(2)}"' for m in _SPAN_ATTR.finditer(attributes))
        if "span" in attributes.lower()
        else ""
    )
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
        rows.append(
            [
                Cell(_cell_text(td), _span(td, "rowspan"), _span(td, "colspan"))
                for td in tr.find_all(("td", "th"), recursive=False)
            ]
        )
    return Table(rows, number)


def _walk(body: Tag) -> list[Block]:
    """Blocks in document order. Tables without nested tables are data tables; tables
    around other tables are layout, read as text containers."""
    blocks: list[Block] = []
    buffer: list[str] = []
    # Tables that contain tables are layout: found once, from the inside (linear time).
    layout = {id(parent) for table in body.find_all("table") if (parent := table.find_parent("table")) is not None}

    def flush(heading: bool = False) -> None:
        text = _WS.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            blocks.append(Paragraph(text, heading=heading))

    stack: list[tuple[object, bool]] = [(body, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            flush(isinstance(node, Tag) and node.name in _TITLE_HEADINGS)
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


def read_html(page: DecodedPage) -> Document:
    """Read an HTML page into a Document."""
    title, meta = _html_head(page.text)
    markup = preclean_html(page.text)
    markup, script = to_simplified_if_traditional(markup)
    # NFKC turns full-width ＜ ＞ ＆ into markup characters: escape them first.
    markup = clean_text(markup.replace("＜", "&lt;").replace("＞", "&gt;").replace("＆", "&amp;"))
    if title and script == "traditional":
        title = to_simplified(title)
    meta = {k: (to_simplified(v) if script == "traditional" else v) for k, v in meta.items()}
    soup = BeautifulSoup(markup, "lxml")
    body = soup.body or soup
    document = Document(
        format="html",
        script=script,
        encoding=page.encoding,
        title=clean_text(title) if title else None,
        meta={k: clean_text(v) for k, v in meta.items()},
        blocks=_walk(body),
    )
    # A page cut off in its head leaves no paragraph and no closing tag in its text.
    document.possibly_truncated = not document.paragraphs and "</html" not in document.text()[-2000:].lower()
    return document
