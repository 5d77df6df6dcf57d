"""The report's title: chosen by what a line says (agency, year and the report's name) and
where it sits (the page's article title, `<h1>`, the heading above the body, the `<title>`
without the site's name), never a line of site furniture."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.parse.document import Document, Paragraph
from pipelines.parse.metadata.navigation import in_menu, is_navigation
from pipelines.parse.metadata.words import (
    NAME_END,
    REPORT_WORDS,
    YEAR,
    is_self_reference,
    without_citations,
)

GENERIC, PARTIAL, COMPLETE = 1, 2, 3  # what a title names: the report only; and a year or an agency; and both
_HEAD_LINES = 60  # lines of a page searched for its title
_MAX_TITLE = 80
_ABOUT_DISCLOSURE = re.compile(r"信息公开|政务公开|政务信息公开|政府信息")
# What a title of another kind of page ends with: a notice about the reports, a guide, rules.
_OTHER_PAGE = re.compile(
    r"(?:通知|通报|意见|方案|办法|制度|规定|细则|指南|须知|决定书|决定|批复|函|目录|说明|解读|提纲|格式|模板|范本)"
    r"(?:[(（][^()（）]{0,8}[)）])?$"
    r"|编制|报送|编发|发布工作|公布情况|部署会|培训|做好"
)
# Words of a sentence about the report (`现公布…年度报告`), not of its title.
_SENTENCE_WORDS = re.compile(
    r"现公布|现将|现就|现予|特向|予以公布|编制了|如下|根据|按照|为做好|特此|本报告|现发布|(?:发布|公布|印发)了?\s*(?:19|20)\d{2}"
)
_WRAPPER = re.compile(r"^(?P<issuer>.*?)关于(?P<inner>.*?年度?.*?)的(?:公告|通告)$")
_TITLE_YEAR = re.compile(YEAR + r"\s*年?(?:度)?")
_TITLE_SUFFIX = re.compile(
    r"(?:政府信息公开|政务公开|信息公开|政府信息|政务信息公开|政府信息工作公开|工作公开)?(?:工作)?(?:开展)?(?:年度)?(?:工作)?"
    r"(?:情况)?(?:报告|年报)$"
)
# A site's ordinal or section label before a title (`第一篇:2009年某市文化局…`, `一、`, `(二)`,
# `3.`): never part of the agency's name.
_LEADING_LABEL = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇两\d]{1,4}(?:篇|章|节|部分|期|辑)|[一二三四五六七八九十]{1,3}[、.．]"
    r"|\d{1,2}[、.．](?!\d)|[(（][一二三四五六七八九十\d]{1,3}[)）])\s*[:：、.．]?\s*"
)
_TITLE_PUNCTUATION = re.compile(r"^关于|的$|[《》“”\"'\[\]【】:：,，、\s_\-—|•·]")
_FIELD = re.compile(r"^[-•·]?\s*(?:标\s*题|名\s*称|信息名称|文件名称|文章标题)\s*[:：]?\s*(?P<value>\S.*)$")
_SITE_SEPARATORS = re.compile(r"[_|｜]|\s[-–—]\s")
_BODY_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.]")


def agency_in_title(title: str) -> str | None:
    """The agency a title names: what precedes its year (`平潭县海洋与渔业局2011年…`), or,
    when the year comes first (`2019年衡阳市行政审批服务局信息公开年报`), what follows it
    without the report words. `X办公厅关于<Y>…年度报告的公告` names Y's report."""
    title = _LEADING_LABEL.sub("", title.strip())
    wrapped = _WRAPPER.match(title)
    if wrapped:
        title = wrapped.group("inner")
    title = _TITLE_PUNCTUATION.sub("", title)
    year = _TITLE_YEAR.search(title)
    before = title[: year.start()] if year else ""
    after = _TITLE_SUFFIX.sub("", title[year.end() :] if year else title)
    precedes_year = len(before) >= 2
    name = before if precedes_year else after
    name = re.sub(r"关于$", "", _TITLE_SUFFIX.sub("", name))
    if wrapped and len(name) < 2:
        name = _TITLE_PUNCTUATION.sub("", wrapped.group("issuer"))
    if len(name) < 2 or is_self_reference(name):
        return None
    # What precedes the year is the name, whatever it ends in (…中学, …海关); words without a
    # year must end as a name does, or they are the report's words (`…年度报告【城区本级】`).
    if not precedes_year and not NAME_END.search(re.sub(r"\([^()]*\)$", "", name)):
        return None
    return name


def title_quality(text: str) -> int:
    """0 when the line cannot be a report's title; else GENERIC, PARTIAL or COMPLETE."""
    line = text.strip().strip("《》")
    if not line or len(line) > _MAX_TITLE or "。" in line or "《" in line or is_navigation(line):
        return 0
    if not REPORT_WORDS.search(line) or not _ABOUT_DISCLOSURE.search(line) or _OTHER_PAGE.search(line):
        return 0
    if _SENTENCE_WORDS.search(line):
        return 0
    named = agency_in_title(line) is not None
    dated = bool(_TITLE_YEAR.search(line))
    return COMPLETE if named and dated else PARTIAL if named or dated else GENERIC


@dataclass(frozen=True)
class _Candidate:
    text: str
    quality: int
    rank: int  # where it sits: 0 the page's own article title … 3 a line of the body


def _head_lines(doc: Document) -> tuple[list[str], set[int]]:
    """The first lines of the page (paragraphs, and table rows as `|` lines), and which of
    them are headings (`<h1>`-`<h3>`)."""
    lines: list[str] = []
    headings: set[int] = set()
    for block in doc.blocks:
        if len(lines) >= _HEAD_LINES:
            break
        if isinstance(block, Paragraph):
            if block.heading:
                headings.add(len(lines))
            lines.append(block.text)
        else:
            lines.extend(" | ".join(c.text for c in row) for row in block.rows[:10])
    return lines[:_HEAD_LINES], headings


def _named_fields(doc: Document, lines: list[str]) -> list[str]:
    """Titles given as fields: the export's `标题`, a meta tag, a `标题 | …` or `信息名称:` line."""
    values = [doc.meta[key] for key in ("articletitle", "title") if doc.meta.get(key)]
    for line in lines:
        cells = [c.strip() for c in line.split("|")]
        for i, cell in enumerate(cells[:-1]):
            if re.fullmatch(r"(?:标\s*题|名\s*称|信息名称|文件名称)\s*[:：]?", cell) and cells[i + 1]:
                values.append(cells[i + 1])
        field = _FIELD.match(line)
        if field and "|" not in line:
            values.append(field.group("value"))
    return values


def _site_title_parts(doc: Document) -> list[str]:
    """The `<title>` without the site's name: `…年度报告_某县人民政府` → `…年度报告`."""
    if not doc.title:
        return []
    return [p.strip() for p in _SITE_SEPARATORS.split(doc.title) if p.strip()]


def _joined(lines: list[str], i: int) -> str | None:
    """A title split over two lines: an agency line before (or after) a title that names no
    agency (`云岭镇人民政府` / `2021年政府信息公开工作年度报告`), or a phrase cut mid-way."""
    for j in (i - 1, i + 1):
        if not 0 <= j < len(lines):
            continue
        other = lines[j].strip()
        if not other or len(other) > 30 or "。" in other or is_navigation(other) or REPORT_WORDS.search(other):
            continue
        joined = f"{other}{lines[i].strip()}" if j < i else f"{lines[i].strip()}{other}"
        names = NAME_END.search(other) or _TITLE_YEAR.search(other) or other.endswith("年")
        if j < i and names and title_quality(joined) == COMPLETE:
            return joined
    return None


def _body_candidates(lines: list[str], headings: set[int]) -> list[_Candidate]:
    candidates = []
    for i, line in enumerate(lines):
        if in_menu(lines, i) or "|" in line:
            continue
        quality = title_quality(line)
        # A line ending a split title may be a fragment (`…政府信息公开工` / `作年度报告`).
        if quality < COMPLETE and REPORT_WORDS.search(line) and (joined := _joined(lines, i)):
            candidates.append(_Candidate(joined, COMPLETE, 2))
        elif quality:
            candidates.append(_Candidate(line.strip().strip("《》"), quality, 1 if i in headings else 2))
    return candidates


_LEADING_TITLE = re.compile(
    r"([\u4e00-\u9fff()]{2,40}?\s*" + YEAR + r"\s*年[^。，,:：]{0,30}?(?:年度报告|年报|工作报告))"
)


def find_title(doc: Document) -> str | None:
    """The report's title, or None when the page prints none (its body starts with its
    first paragraph)."""
    lines, headings = _head_lines(doc)
    start = body_start(lines)
    candidates = [_Candidate(v, title_quality(v), 0) for v in _named_fields(doc, lines)]
    candidates += [_Candidate(p, title_quality(p), 1) for p in _site_title_parts(doc)]
    candidates += _body_candidates(lines[: max(start + 1, 12)], headings)
    candidates = [c for c in candidates if c.quality]
    if candidates:
        best = max(candidates, key=lambda c: (c.quality, -c.rank))
        return best.text
    # Text that kept no line breaks: a title at the very start of the body.
    for line in lines[:3]:
        text = without_citations(line[:300])
        match = _LEADING_TITLE.search(text) if len(line) > _MAX_TITLE else None
        if (
            match
            and title_quality(match.group(1)) >= PARTIAL
            and not _OTHER_PAGE.search(text[match.end() : match.end() + 12])
        ):
            return match.group(1).strip()
    return None


def body_start(lines: list[str]) -> int:
    """Where the article's text begins: its first sentence or numbered heading."""
    for i, line in enumerate(lines):
        text = line.strip()
        if _BODY_HEADING.match(text) or (len(text) >= 30 and "。" in text and not is_navigation(text)):
            return i
    return len(lines)
