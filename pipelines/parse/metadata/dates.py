"""When the page says it published the report, and the year the report is about.

A published date is one the page labels (发布时间, 发布日期, a metadata table's cell) or
prints in the article's header beside the source, the site name, or the byline
(`2021-02-07 18:07 来源:…`, `来源:… 2021-03-30 16:42:10`, `www.gov.cn 2011年05月09日`).
Never: a date shown as today's in the site header, a signature date, a statistics
period, a document file's own metadata, or a date later than the page was fetched.
Of several, the article header's wins over the sidebar's and the lists'.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipelines.parse.document import Document
from pipelines.parse.metadata.title import body_start
from pipelines.parse.metadata.words import YEAR

# A date; the day may be glued to the time (`2020-01-1509:30`), never to other digits.
_DATE = re.compile(
    rf"(?P<y>{YEAR})\s*(?:[-/.]|年)\s*(?P<m>\d{{1,2}})\s*(?:[-/.]|月)\s*(?P<d>\d{{1,2}})(?=\d{{2}}:\d{{2}}|\D|$)"
)
_LABEL = re.compile(
    r"(?P<label>(?:发布|发表|公开|发文|上线|成文|公文生成|生成|更新|修改|上载|印发)(?:日期|时间)"
    r"|(?<![\u4e00-\u9fff])(?:日期|时间)(?=\s*[\]】]?\s*[:：]))\s*[\]】]?\s*[:：]?\s*$"
)
_CELL_LABEL = re.compile(
    r"^[\s\[【]*(?P<label>(?:发布|发表|公开|发文|上线|成文|公文生成|生成|更新|修改|上载|印发)?(?:日期|时间))[\s\]】:：]*$"
)
_STRICT_LABEL = re.compile(r"发布(?:日期|时间)\s*[\]】]?\s*[:：]?\s*$")  # the only labels of a document file
_WEAK = ("成文", "公文生成", "生成", "更新", "修改", "上载", "印发")  # dates that are not the publication's
# What sits beside the date in an article's header.
_ANCHOR = re.compile(
    r"来源|作者|发布\s*[:：]|点击|浏览|访问|阅读|字体|字号|打印|分享|www\.|网站|门户|编辑|发布者|信息来源"
)
# A line that is a date and a time of day: a system's stamp, never a signature.
_STAMP = re.compile(
    r"^\s*[(（]?\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*\d{1,2}:\d{2}(?::\d{2})?\s*[)）]?\s*$"
)
_BARE = re.compile(r"^\s*(?:19|20)\d{2}-\d{1,2}-\d{1,2}\s*$")  # `2021-01-29` on its own, above `【字体:`
# The issuing office and a date in figures on a header line of their own, either way round
# (`辽宁省人民政府办公厅 2016-04-15`, `某省政务公开办  2018/3/26`). A signature's date is
# written in words (`2021年1月19日`) and sits below the text, so neither is taken for one.
_OFFICE = r"[\u4e00-\u9fff（）()]{2,30}?(?:人民政府|政府|办公厅|办公室|公开办|办|局|厅|委员会|委|中心|署|网站|网)"
_NUMERIC_DATE = r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_OFFICE_AND_DATE = re.compile(rf"^\s*(?:{_OFFICE}\s+{_NUMERIC_DATE}|{_NUMERIC_DATE}\s+{_OFFICE})\s*$")
_TODAY = re.compile(r"(?:今天|今日|当前日期|当前时间|现在是|today|Today)[^\d]{0,6}$")
_WEEKDAY_AFTER = re.compile(r"^\s*(?:日)?\s*(?:星期|周)[一二三四五六日天]")
_PERIOD_BEFORE = re.compile(r"(?:自|至|截至|截止|从|于)\s*$")
_PERIOD_AFTER = re.compile(r"^\s*日?\s*(?:起|至|止|前|以前|以来|施行)")
_DOCUMENT_FORMATS = ("pdf", "docx", "doc", "image")
_META_DATE_KEYS = (
    "pubdate",
    "publishdate",
    "firstpublishedtime",
    "publishtime",
    "article:published_time",
    "dcterms.issued",
    "dc.date",
)
_TIME_ZONE_SLACK = dt.timedelta(hours=8)
META, LABELLED, HEADER, WEAK = 0, 1, 2, 3  # kinds of candidate, most trusted first


@dataclass(frozen=True)
class _Candidate:
    date: dt.date
    kind: int
    outside_header: bool
    distance: int  # from the title's line (from the page's start when the page prints none)


def _parse(match: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def _is_decoy(line: str, match: re.Match[str]) -> bool:
    """Today's date in a site header, or a date of a period or a law (`自2020年1月1日起`)."""
    before, after = line[: match.start()], line[match.end() :]
    return bool(
        _TODAY.search(before[-16:])
        or _WEEKDAY_AFTER.match(after)
        or _PERIOD_BEFORE.search(before[-4:])
        or _PERIOD_AFTER.match(after)
    )


def _label_kind(label: str) -> int:
    return WEAK if label.startswith(_WEAK) else LABELLED


def _in_line(line: str, strict: bool, beside: str = "", header: bool = False) -> list[tuple[int, dt.date]]:
    """(kind, date) of the dates of one line: labelled, or beside an article header's words
    on the line or, for a line that is only the date, on the lines next to it (`beside`), or,
    on a line of the article's `header`, beside the name of the office that issued it."""
    found = []
    for match in _DATE.finditer(line):
        date = _parse(match)
        if date is None or _is_decoy(line, match):
            continue
        before = line[max(0, match.start() - 14) : match.start()]
        label = (_STRICT_LABEL if strict else _LABEL).search(before)
        if label:
            found.append((LABELLED if strict else _label_kind(label.group(0)), date))
        elif not strict and len(line) <= 200 and "。" not in line and (_ANCHOR.search(line) or _STAMP.match(line)):
            found.append((HEADER, date))
        elif not strict and _BARE.match(line) and _ANCHOR.search(beside):
            found.append((HEADER, date))
        elif not strict and header and _OFFICE_AND_DATE.match(line):
            found.append((HEADER, date))
    return found


def _in_cells(cells: list[str], strict: bool) -> list[tuple[int, dt.date]]:
    """Dates of a metadata table's row: a date cell belongs to the nearest label before it
    (`成文日期 | 发布日期 | 2023-04-07` is published on 2023-04-07)."""
    found = []
    for i, cell in enumerate(cells):
        match = _DATE.search(cell)
        if not match or (date := _parse(match)) is None:
            continue
        if match.start() > 0 or len([c for c in cells if c.strip()]) == 1:
            # A date inside a cell's text, or a row of one cell: a header line read as a table
            # for a stray `|` (`2021-02-09 发布:某县人民政府办公室 点击数: | ||||`).
            found += _in_line(cell, strict)
            continue
        label = next((c for c in reversed(cells[:i]) if c.strip()), "")
        if strict and _STRICT_LABEL.search(label):
            found.append((LABELLED, date))
        elif not strict and (hit := _CELL_LABEL.match(label)):
            found.append((_label_kind(hit.group("label")), date))
    return found


def _title_line(paragraphs: list[str], title: str | None) -> int:
    """The line the title is printed on (a split title: its last part), else 0."""
    if not title:
        return 0
    tail = title[-8:]
    return next((i for i, line in enumerate(paragraphs) if tail in line and len(line) <= 2 * len(title)), 0)


def _candidates(doc: Document, fetched: dt.date | None, title: str | None) -> list[_Candidate]:
    strict = doc.format in _DOCUMENT_FORMATS
    found: list[_Candidate] = []
    if not strict:
        for key in _META_DATE_KEYS:
            match = _DATE.search(doc.meta.get(key, ""))
            if match and (date := _parse(match)):
                found.append(_Candidate(date, META, False, 0))
    paragraphs = doc.paragraphs[:80]
    header_end = body_start(paragraphs) + 1
    at = _title_line(paragraphs, title)
    for i, line in enumerate(paragraphs):
        beside = " ".join(paragraphs[max(0, i - 1) : i] + paragraphs[i + 1 : i + 2]) if i <= header_end else ""
        in_line = _in_line(line[:400], strict, beside[:200], header=i <= header_end)
        distance = 2 * abs(i - at) + (i < at)  # of two as near, the one below the title
        found += [_Candidate(d, kind, i > header_end, distance) for kind, d in in_line]
    for n, table in enumerate(doc.tables[:3]):
        for r, row in enumerate(table.rows[:12]):
            cells = [c.text for c in row]
            found += [_Candidate(d, kind, n > 0, 100 + r) for kind, d in _in_cells(cells, strict)]
    return [c for c in found if fetched is None or c.date <= fetched]


def find_published_date(
    doc: Document, fetched_at: dt.datetime | None = None, title: str | None = None
) -> dt.date | None:
    """The page's publication date, or None when it prints none (see the module's note).
    Of dates of the same standing, the one nearest the title wins."""
    # The fetch time is UTC, a page's date China's (UTC+8): it may be a day ahead of the fetch's.
    fetched = (fetched_at + _TIME_ZONE_SLACK).date() if fetched_at else None
    candidates = _candidates(doc, fetched, title)
    if not candidates:
        return None
    # The article header's date wins over a sidebar's or a list's, labelled or not; a date that
    # is not the publication's (成文日期, 更新时间) only stands in when no other is printed.
    return min(candidates, key=lambda c: (c.kind == WEAK, c.outside_header, c.kind, c.distance)).date


# --- the reporting year -----------------------------------------------------------------

_YEAR_IN = re.compile(rf"({YEAR})\s*(?:年|(?=政府|政务|信息))")
_PERIOD = re.compile(rf"({YEAR})\s*年\s*1\s*月\s*1\s*日[^。]{{0,6}}?至\s*(?:{YEAR}\s*年\s*)?12\s*月\s*31\s*日")


def find_year(title: str | None, doc: Document, named_year: int | None, published: dt.date | None) -> int | None:
    """The year the report is about: the title's, that of the report its opening sentence
    names, the statistics period's, the opening's, or the year before publication."""
    this_year = dt.date.today().year
    candidates: list[int] = []
    if title:
        candidates += [int(y) for y in _YEAR_IN.findall(title)]
    if named_year:
        candidates.append(named_year)
    period = _PERIOD.search("\n".join(doc.paragraphs[:200]))
    if period:
        candidates.append(int(period.group(1)))
    for line in doc.paragraphs[:40]:
        match = re.match(rf"^\s*({YEAR})\s*年", line)
        if match and len(line) > 20:
            candidates.append(int(match.group(1)))
            break
    if published:
        candidates.append(published.year - 1)
    return next((year for year in candidates if 2007 <= year <= this_year), None)
