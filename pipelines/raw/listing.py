"""List pages of a report column: the report links they hold and the pages after them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from pipelines.parse.decode import decode
from pipelines.raw.sources import Source

# Titles of report links, simplified or traditional: …年度报告, …信息公开年报 (资讯/資訊 too).
_REPORT_TITLE = re.compile(r"年度[报報]告|[信資资][息訊讯]公[开開]年[报報]")
# A year, so that a link to the column itself (政府信息公开年报) is not taken for a report.
_YEAR = re.compile(r"(?:19|20)\d\d|[一二][〇○零一二三四五六七八九]{3}")
_NEXT_TEXTS = {"下一页", "下页", "下一頁", "下頁", "后一页", "後一頁", "next"}
_PAGER = re.compile(r"createPageHTML\s*\(([^)]*)\)")  # TRS WCM: createPageHTML(pages, current, "index", "htm")
_INDEX_PAGE = re.compile(r"(?P<stem>index|list|default)(?:_(?P<n>\d+))?\.(?P<ext>s?html?)", re.I)


@dataclass(frozen=True)
class ListLinks:
    reports: list[str]
    next_pages: list[str]
    # The anchor text of each report link (its `title` attribute when the text is empty or
    # cut short with an ellipsis), whitespace removed: what the list page calls the report.
    texts: dict[str, str] = field(default_factory=dict)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _absolute(base: str, href: Any) -> str | None:
    """`href` resolved against the base URL, without its fragment; None unless http(s)."""
    if not isinstance(href, str) or not href.strip():
        return None
    try:
        url = urldefrag(urljoin(base, href.strip())).url
        return url if urlsplit(url).scheme in ("http", "https") else None
    except ValueError:
        return None


def _is_report_link(anchor: Tag, url: str, source: Source) -> bool:
    if source.link_pattern is not None:
        return re.search(source.link_pattern, url) is not None
    if source.link_selector is not None:
        return True
    titles = (_squash(anchor.get_text()), _squash(str(anchor.get("title") or "")))
    return any(_REPORT_TITLE.search(t) and _YEAR.search(t) for t in titles)


def link_text(anchor: Tag) -> str | None:
    """What a list page calls the report it links to: the anchor's text, or its `title`
    attribute when the text is empty or cut short (`…`, `...`) and the title is longer."""
    text = _squash(anchor.get_text())
    title = _squash(str(anchor.get("title") or ""))
    if title and (not text or (text.endswith(("…", "...")) and len(title) > len(text.rstrip("….")))):
        return title
    return text or None


def _pager_pages(html: str, base: str) -> list[str]:
    """The pages a TRS `createPageHTML(count, current, "index", "htm")` pager draws."""
    for match in _PAGER.finditer(html):  # the first call, not the function's definition
        arguments = [a.strip() for a in match.group(1).split(",")]
        numbers = [int(a) for a in arguments if a.isdigit()]
        names = [a.strip("\"'") for a in arguments if a[:1] in "\"'" and len(a) > 1]
        if numbers and len(names) >= 2:
            stem, extension = names[-2:]
            return [urljoin(base, f"{stem}_{n}.{extension}") for n in range(1, numbers[0])]
    return []


def list_links(page: bytes, url: str, source: Source, declared: str | None = None) -> ListLinks:
    """The report links and next-page links of a list page (absolute URLs, in page order).

    Report links: `link_selector` / `link_pattern` if the source has them, else links whose
    text or title reads like a report title with a year. Next pages: `next_selector` if
    set, else 下一页 links and the pages of a TRS `createPageHTML` pager. Raises
    DocumentError for a page that cannot be decoded.
    """
    html = decode(page, declared).text
    soup = BeautifulSoup(html, "lxml")
    base_tag = soup.find("base", href=True)
    base = _absolute(url, base_tag["href"]) if isinstance(base_tag, Tag) else None
    base = base or url
    anchors = soup.select(source.link_selector) if source.link_selector else soup.find_all("a", href=True)
    texts: dict[str, str] = {}
    for anchor in anchors:
        url_of = _absolute(base, anchor.get("href"))
        if url_of and _is_report_link(anchor, url_of, source):
            text = link_text(anchor)
            if url_of not in texts or (text and not texts[url_of]):
                texts[url_of] = text or ""
    if source.next_selector:
        next_pages = [u for a in soup.select(source.next_selector) if (u := _absolute(base, a.get("href")))]
    else:
        next_anchors = [
            a for a in soup.find_all("a", href=True) if _squash(a.get_text()).strip("<>»›«‹").lower() in _NEXT_TEXTS
        ]
        next_pages = [u for a in next_anchors if (u := _absolute(base, a.get("href")))] + _pager_pages(html, base)
    return ListLinks(list(texts), list(dict.fromkeys(next_pages)), {u: t for u, t in texts.items() if t})


def guess_next_page(url: str) -> str | None:
    """The next page of a static CMS list: index.htm → index_1.htm → index_2.htm (also
    `list_N` and `default_N`, .html and .shtml); None for any other URL."""
    parts = urlsplit(url)
    folder, _, segment = parts.path.rpartition("/")
    match = _INDEX_PAGE.fullmatch(segment)
    if not match or parts.query:
        return None
    number = int(match["n"] or 0) + 1
    return urlunsplit(parts._replace(path=f"{folder}/{match['stem']}_{number}.{match['ext']}", fragment=""))
