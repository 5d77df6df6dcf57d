"""Report metadata: title, agency, region, admin level, reporting year, published date."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from pipelines.issues import Code, Issue
from pipelines.parse.document import Document
from pipelines.parse.normalise import squash

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_REPORT_WORDS = re.compile(r"年度报告|年报|工作报告|公开报告")
_LEADING_TITLE = re.compile(
    r"([\u4e00-\u9fff（）()]{2,40}?\s*(?:19|20)\d{2}\s*年[^。，,:：]{0,30}?(?:年度报告|年报|工作报告))"
)
_TITLE_YEAR = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?")
_TITLE_SUFFIX = re.compile(
    r"(?:政府信息公开|政务公开|信息公开|政府信息|政务信息公开|政府信息工作公开|工作公开)?(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)$"
)
_TITLE_PUNCTUATION = re.compile(r"^关于|的$|[《》“”\"'\[\]【】:：,，、\s_\-—|]")
_AGENCY_SUFFIX = (
    r"(?:人民政府|政府|管委会|管理委员会|委员会|办公室|办公厅|人防办|管理局|局|厅|委|办|院|中心|署|所|站|队|处|公司)"
)
_SELF_NAME = re.compile(
    r"^(?:(?:19|20)\d{2}年度?\s*[,，]?\s*)?(?:我|本)?(?P<name>[\u4e00-\u9fff]{1,20}?" + _AGENCY_SUFFIX + r")"
)
_SIGNATURE_DATE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_SOURCE_LINE = re.compile(r"(?:文章)?来源\s*[:：]\s*([\u4e00-\u9fff（）()]{2,40}?" + _AGENCY_SUFFIX + r")")
_DATE = r"((?:19|20)\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})"
_DATE_LABEL = re.compile(r"(?:发布时间|发布日期|发文日期|公开日期|成文日期|日期|时间)\s*[:：]\s*" + _DATE)
_META_DATE_KEYS = (
    "pubdate",
    "publishdate",
    "firstpublishedtime",
    "publishtime",
    "article:published_time",
    "dcterms.issued",
    "dc.date",
)
_PERIOD = re.compile(
    r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日[^。]{0,6}?至\s*(?:(?:19|20)\d{2}\s*年\s*)?12\s*月\s*31\s*日"
)
# Zones that the gazetteer does not list: name -> (province, city, county).
SPECIAL_ZONES: dict[str, tuple[str, str | None, str | None]] = {
    "平潭综合实验区": ("福建省", "平潭综合实验区", None),
    "雄安新区": ("河北省", "雄安新区", None),
    "兰州新区": ("甘肃省", "兰州市", "兰州新区"),
    "两江新区": ("重庆市", None, "两江新区"),
}
_MUNICIPAL_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None

    @property
    def admin_level(self) -> str | None:
        if self.county:
            return "county"
        if self.city:
            return "city"
        if self.province:
            return "province"
        return None


@dataclass
class Metadata:
    title: str | None
    agency: str | None
    region: Region
    year: int | None
    published_date: dt.date | None
    notes: list[Issue] = field(default_factory=list)


# --- title and agency -----------------------------------------------------------


def find_title(doc: Document) -> str | None:
    """The report's title: the page's article title, else the first heading-like line naming a report."""
    for key in ("articletitle", "title"):
        value = doc.meta.get(key)
        if value and _REPORT_WORDS.search(value):
            return value.strip()
    if doc.title:
        parts = [p.strip() for p in re.split(r"[_|]|\s-\s", doc.title) if p.strip()]
        for part in parts:
            if _REPORT_WORDS.search(part):
                return part
    paragraphs = doc.paragraphs
    for i, line in enumerate(paragraphs[:60]):
        if len(line) > 60 or not _REPORT_WORDS.search(line) or "。" in line:
            continue
        if (
            _agency_from_title(line) is None
            and i > 0
            and len(paragraphs[i - 1]) <= 30
            and "。" not in paragraphs[i - 1]
        ):
            return f"{paragraphs[i - 1]}{line}"
        return line
    # Text that kept no line breaks: a title at the very start of the body.
    for line in paragraphs[:3]:
        match = _LEADING_TITLE.search(line[:200])
        if match:
            return match.group(1).strip()
    return None


def _agency_from_title(title: str) -> str | None:
    """The agency a title names: what precedes its year (`平潭县海洋与渔业局2011年…`), or,
    when the year comes first (`2019年衡阳市行政审批服务局信息公开年报`), what follows it
    without the report words."""
    title = _TITLE_PUNCTUATION.sub("", title)
    year = _TITLE_YEAR.search(title)
    before = title[: year.start()] if year else ""
    name = before if len(before) >= 2 else _TITLE_SUFFIX.sub("", title[year.end() :] if year else title)
    name = re.sub(r"关于$", "", _TITLE_SUFFIX.sub("", name))
    return name if len(name) >= 2 else None


def _agency_from_signature(doc: Document) -> str | None:
    tail = doc.paragraphs[-25:]
    for i in range(len(tail) - 1, -1, -1):
        line = tail[i]
        match = _SIGNATURE_DATE.search(line)
        if not match:
            continue
        before = line[: match.start()].strip() or (tail[i - 1].strip() if i > 0 else "")
        name = before.split()[-1] if before.split() else ""
        if 2 <= len(name) <= 30 and re.search(_AGENCY_SUFFIX + "$", name) and "。" not in name:
            return name
    return None


def _agency_from_source_line(doc: Document) -> str | None:
    for line in doc.paragraphs[:80]:
        match = _SOURCE_LINE.search(line)
        if match:
            return match.group(1)
    return None


def _agency_from_first_sentence(doc: Document, title: str | None) -> str | None:
    for line in doc.paragraphs[:40]:
        if len(line) < 20 or line == title:
            continue
        match = _SELF_NAME.match(line)
        if match and not match.group("name").startswith(("根据", "按照", "为", "本", "对", "在")):
            return match.group("name")
        return None
    return None


# --- region -------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def region_of(name: str) -> Region:
    """Province, city and county named in an agency name, from the cpca gazetteer."""
    for zone, (province, city, county) in SPECIAL_ZONES.items():
        if zone in name:
            return Region(province, city, county)
    import cpca

    # cpca.transform builds a pandas frame per call; its per-string function does not.
    record = cpca._get_one_addr(name, False, {})  # noqa: SLF001 - pinned cpca 0.5.5
    city = record.get("市")
    county = record.get("区")
    return Region(
        record.get("省"),
        None if city in _MUNICIPAL_PLACEHOLDERS else city,
        None if county in _MUNICIPAL_PLACEHOLDERS else county,
    )


def infer_region_from_text(text: str) -> Region:
    """The province (and city) a text mentions most, e.g. `湖南人防`, `《湖南省…》`."""
    import cpca

    provinces: Counter[str] = Counter()
    cities: Counter[tuple[str, str]] = Counter()
    for record in cpca._extract_addrs(text[:20000], False, {}, truncate_pos=False, new_entry_when_not_belong=True):  # noqa: SLF001
        if record.get("省"):
            provinces[record["省"]] += 1
            if record.get("市") and record["市"] not in _MUNICIPAL_PLACEHOLDERS:
                cities[(record["省"], record["市"])] += 1
    if not provinces:
        return Region()
    province, _ = provinces.most_common(1)[0]
    city = next((c for (p, c), _ in cities.most_common() if p == province), None)
    return Region(province, city)


# --- year and dates ---------------------------------------------------------------------


def _parse_date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def find_published_date(doc: Document) -> dt.date | None:
    """The page's publication date (meta tags, or a 发布时间/时间 line), never a signature date."""
    for key in _META_DATE_KEYS:
        match = re.search(_DATE, doc.meta.get(key, ""))
        if match and (date := _parse_date(*match.groups())):
            return date
    for line in doc.paragraphs[:80]:
        match = _DATE_LABEL.search(line[:400])
        if match and (date := _parse_date(*match.groups())):
            return date
    return None


def find_year(title: str | None, doc: Document, published: dt.date | None) -> int | None:
    """The year the report is about: the title's year, the statistics period, the opening, or publication − 1."""
    this_year = dt.date.today().year
    candidates: list[int] = []
    if title:
        candidates += [int(y) for y in _YEAR.findall(title)]
    text_head = "\n".join(doc.paragraphs[:200])
    period = _PERIOD.search(text_head)
    if period:
        candidates.append(int(period.group(1)))
    for line in doc.paragraphs[:40]:
        match = re.match(r"^\s*((?:19|20)\d{2})\s*年", line)
        if match and len(line) > 20:
            candidates.append(int(match.group(1)))
            break
    if published:
        candidates.append(published.year - 1)
    for year in candidates:
        if 2007 <= year <= this_year:
            return year
    return None


def read_metadata(doc: Document) -> Metadata:
    """Title, agency, region, year and published date of a report."""
    notes: list[Issue] = []
    title = find_title(doc)
    agency = _agency_from_title(title) if title else None
    if agency and region_of(squash(agency)).province is None:
        # `公安局2009年度…` with `来源：平潭县公安局办公室`: the fuller name says where.
        for fuller in (_agency_from_source_line(doc), _agency_from_signature(doc)):
            if fuller and agency in fuller and region_of(squash(fuller)).province:
                agency = fuller[: fuller.index(agency) + len(agency)]
                break
    for fallback in (_agency_from_signature, _agency_from_source_line):
        if agency:
            break
        agency = fallback(doc)
    if not agency:
        agency = _agency_from_first_sentence(doc, title)
    region = region_of(squash(agency)) if agency else Region()
    if agency and region.province is None:
        inferred = infer_region_from_text(doc.text())
        if inferred.province:
            notes.append(
                Issue.of(
                    Code.REGION_INFERRED,
                    f"agency {agency!r} names no region; {inferred.province} inferred from the text",
                )
            )
            agency = _complete_agency(agency, inferred)
            region = region_of(squash(agency))
            if region.province is None:
                region = Region(inferred.province)
    published = find_published_date(doc)
    year = find_year(title, doc, published)
    return Metadata(title, agency, region, year, published, notes)


def _complete_agency(agency: str, region: Region) -> str:
    """`省人防办` + 湖南省 → `湖南省人防办`; `市人防办` + 常德市 → `常德市人防办`."""
    if agency.startswith("省") and region.province:
        return region.province + agency[1:]
    if agency.startswith("市") and region.city:
        return region.city + agency[1:]
    return agency
