"""Report or not: a page is a disclosure report when its title or its first lines name a
政府信息公开工作年度报告 (年报) of a year, or when it is about disclosure and has a
report's sections or tables. Pages about the reports that are not one — notices on
compiling them, guides, rules, news, review decisions, lists of reports — are refused
by what marks them, even when they name a report of a year."""

from __future__ import annotations

import re

from pipelines.parse.document import Document
from pipelines.parse.metadata.agency import named_report, opening_text
from pipelines.parse.metadata.title import COMPLETE, PARTIAL, title_quality
from pipelines.parse.normalise import squash
from pipelines.parse.sections import Section

_HEAD = 60  # paragraphs read for what kind of page it is
# `各县（市、区）人民政府，市政府各部门：` — the addressees of a notice.
_SALUTATION = re.compile(r"^各(?:省|自治区|市|州|盟|县|区|旗|乡|镇|街道|部门|单位|有关|直属|委|局|级)[^。]{0,80}[:：]$")
_NOTICE = re.compile(
    r"通知如下|特此通知|特此通报|请认真贯彻执行|请遵照执行|请认真遵照执行|印发给你们|现予印发|请各.{0,20}于.{0,12}前"
)
_GUIDE = re.compile(r"(?:编制|制定|编制了)本指南|本指南(?:适用|所称|自)")
_NEWS = re.compile(r"[(（]?记者|通讯员|报告显示")  # a news story about a report
_NEWS_FOOTER = re.compile(r"责任编辑|新闻发布会")  # also in the footers of reports' pages
# News of a meeting (`XX县召开2023年度政府信息公开工作年报编制和发布部署会`): its headline
# names the meeting held, its text what the meeting stressed. A report's title never says 召开.
_MEETING_HEADLINE = re.compile(r"召开[^。；;，,]{0,60}?(?:年报|年度报告)[^。；;，,]{0,30}?会议?\s*$")
_MEETING_SAYS = re.compile(r"会议(?:强调|要求|指出|听取|传达|部署)|会上")
_PUBLISHES = re.compile(r"现将.{0,40}(?:公布|报告如下)|现予公布|现公布|予以公布|向社会公布|公布如下|报告如下")
_YEAR_IN_TITLE = re.compile(r"(?:19|20)\d{2}")


def other_page_kind(doc: Document, sections: list[Section], named: bool = False) -> str | None:
    """What a page about the reports is when it is not one (`notice`, `guide`, …), or None.
    A page `named` as a report (a full title, or an opening naming its agency's report) is
    not taken for news by an editor's name in its footer."""
    lines = doc.paragraphs[:_HEAD]
    text = "\n".join(lines)
    if any(_SALUTATION.match(line.strip()) for line in lines[:40]) or _NOTICE.search(text):
        return "notice"
    starts = [line.strip()[:3] for line in lines]
    if "第一条" in starts and "第二条" in starts:
        return "rules"
    if _GUIDE.search(text):
        return "guide"
    if re.search(r"(?:^|\n)\s*申请人\s*[:：]", text) and re.search(r"被申请人\s*[:：]", text):
        return "review decision"
    if "各位代表" in text:
        return "government work report"
    if len(sections) < 2 and (_NEWS.search(text) or (not named and _NEWS_FOOTER.search(text))):
        return "news"
    if len(sections) < 2 and _is_meeting_news(lines):
        return "news"
    if len(sections) < 2 and _lists_reports(lines):
        return "list of reports"
    return None


def _is_meeting_news(lines: list[str]) -> bool:
    """News of a meeting on the reports: a headline among the first lines that names the
    meeting held, a text telling what the meeting stressed or required, and no sentence
    publishing a report (a report under a sidebar's headline)."""
    text = "\n".join(lines)
    headline = any(len(line) <= 80 and _MEETING_HEADLINE.search(line.strip()) for line in lines[:6])
    return headline and bool(_MEETING_SAYS.search(text)) and not _PUBLISHES.search(text)


def _lists_reports(lines: list[str]) -> bool:
    """Two or more report titles of different years or agencies, and no prose: an index of reports."""
    if any(len(line) > 40 and "。" in line for line in lines):
        return False
    titles = {squash(line) for line in lines if title_quality(re.sub(r"\s*\d{4}-\d{2}-\d{2}.*$", "", line)) >= PARTIAL}
    return len(titles) >= 2


def looks_like_report(
    doc: Document, title: str | None, year: int | None, sections: list[Section], has_tables: bool
) -> bool:
    """An annual report: titled as one (even when its text is elsewhere, e.g. in an
    attachment), naming itself in its first lines, or about disclosure with a report's
    sections or tables — and not a page of another kind."""
    agency, named_year = named_report(opening_text(doc))
    named = bool(title and title_quality(title) == COMPLETE) or agency is not None
    if other_page_kind(doc, sections, named):
        return False
    if title and title_quality(title) >= PARTIAL and (_YEAR_IN_TITLE.search(title) or year):
        return True
    if named_year is not None:
        return True
    head = squash((title or "") + "".join(doc.paragraphs[:80]))
    about_disclosure = any(w in head for w in ("信息公开", "政务公开", "信息公開"))
    return about_disclosure and (len(sections) >= 2 or has_tables)
