"""Key numbers stated in prose, with the sentence each came from (TEMPLATES.md §4.4).

Pre-2019 reports often give their figures only in text, and later reports repeat
table values in text. A prose number is the agency's own figure for the year, or
it is not taken: not a region-wide figure quoted by a department (全市…), not a
cumulative one (累计), not a count of enquiries (咨询) or of items (依申请公开信息 N 条).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.parse.sections import Section

_UNIT = r"(?:件|条|次|份|个|宗|起|例|人次|项)"
_NUM = r"(\d{1,9})"
_GAP = r"[^，,。；;:：\d]{0,12}?"
# One character of the words before 申请 in "received N applications": not the start of
# 复议/诉讼 (收到…行政复议申请 N 件 counts appeals, not information requests).
_NOT_APPEAL = r"(?:(?!复议|诉讼)[^，,。；;\d])"


@dataclass(frozen=True)
class ProseFigure:
    """A figure read from a sentence: fact key, value, and the sentence as evidence."""

    key: tuple[str, str]
    value: int
    phrase: str  # the words the figure was read from, as printed
    evidence: str


# (fact key, [patterns]); group 1 is the number, or the pattern states zero (no group).
_PATTERNS: list[tuple[tuple[str, str], list[re.Pattern[str]]]] = [
    (
        ("new_received", "total"),
        [
            re.compile(
                r"(?<!不予)(?:受理|收到|接到|接收|新收)(?:了)?" + _NOT_APPEAL + r"{0,20}?申请" + _GAP + _NUM + _UNIT
            ),
            re.compile(r"(?<!不予)(?:受理|收到)" + _NOT_APPEAL + r"{0,12}?申请(?:数量|总数|件数)?(?:为|共|计)" + _NUM),
            # The count before the noun: 收到3件政府信息公开申请, 共收到6件依申请公开.
            re.compile(
                r"(?<!不予)(?:受理|收到|接到|接收)(?:了)?(?:各类)?"
                + _NUM
                + r"(?:件|份|起|条|宗|个)"
                + _NOT_APPEAL
                + r"{0,12}?申请"
            ),
            # None received: 未收到…申请, 未共收到…, 没有接到…, 未接收到有关依申请公开….
            re.compile(r"(?:未|没有)共?(?:受理|收到|接到|接收)(?:过|到)?" + _NOT_APPEAL + r"{0,16}?(?:公开)?申请"),
            # 无依申请公开情况; 依申请公开政府信息的数量:无.
            re.compile(r"(?:^|[,，;；])无依申请公开(?:政府信息)?(?:的)?(?:情况|事项|申请)"),
            re.compile(r"依申请公开(?:政府信息)?(?:的)?(?:数量|情况)[:：]无"),
        ],
    ),
    (
        ("total_processed", "total"),
        [
            re.compile(r"(?:已答复|答复)(?:了)?[^，,。；;\d]{0,15}?" + _NUM + _UNIT),
            re.compile(r"办结(?:了)?[^，,。；;\d]{0,10}?(?:信息公开|公开)?申请" + _GAP + _NUM + _UNIT),
        ],
    ),
    (
        ("granted", "total"),
        [
            re.compile(
                r"(?<![及或和与])(?:同意公开|予以公开)(?!及|或|和|与)[\"']?(?:答复)?(?:的)?(?:件数|数)?(?:为|共)?"
                + _NUM
                + _UNIT
                + "?"
            ),
        ],
    ),
    (
        ("partially_granted", "total"),
        [
            re.compile(
                r"(?<![及或和与])(?:同意)?部分公开[\"']?(?:答复)?(?:的)?(?:件数|数)?(?:为|共)?" + _NUM + _UNIT + "?"
            ),
        ],
    ),
    (
        ("review", "total"),
        [
            re.compile(r"行政复议(?:案件|案|申请|类)?" + _GAP + _NUM + _UNIT),
            re.compile(r"(?:信息公开类)?复议" + _NUM + _UNIT),
            # The count before the noun: 收到1份有关政府信息公开行政复议申请.
            re.compile(r"(?:收到|受理|接到|发生)(?:了)?" + _NUM + _UNIT + r"[^，,。；;\d]{0,16}?行政复议"),
        ],
    ),
    (
        ("litigation", "total"),
        [
            re.compile(r"行政诉讼(?:案件|案|类)?" + _GAP + _NUM + _UNIT),
            re.compile(r"复议\d+" + _UNIT + r"[，,、]\s*(?:行政)?诉讼" + _NUM + _UNIT),
        ],
    ),
    (
        ("proactive_total", "published"),
        [
            re.compile(
                r"主动公开[^，,。；;\d]{0,12}?(?:政府)?信息(?:共计?|合计|总数为?|总量为?|数量?为?)?" + _NUM + r"条"
            ),
            re.compile(r"(?:共|全年)(?:主动)?(?:公开|公布|发布)(?:政府)?信息" + _NUM + r"条"),
            # The count with no noun: 主动公开907条 (never 主动公开规范性文件5件: a noun between).
            re.compile(r"主动公开(?:共计?|合计)?" + _NUM + r"条"),
            # A list ending in 等…信息 between the verb and the count, within the sentence and
            # its clause (no comma): 主动公开疫情防控数据、财政数据…等政府信息7074条,
            # 向社会公开政务要闻、政府文件…等政府信息共计4891条, …等领域信息共1777条.
            re.compile(
                r"(?:主动|向社会)公开[^，,。；;:：\d]{0,100}?等[^，,。；;:：\d、]{0,6}?信息(?:共计?|合计)?"
                + _NUM
                + r"条"
            ),
            # A count with no unit after 数量/总数: 主动公开的各类政府信息数量12688.
            re.compile(
                r"主动公开的?(?:各类)?(?:政府)?信息(?:总数量?|数量|总量)(?:为|是|共)?"
                + _NUM
                + r"(?![\d.．%％万件个项])"
            ),
        ],
    ),
]
# Statements that there were no reviews or lawsuits (未发生…行政复议、行政诉讼…).
_NO_REVIEW = re.compile(
    r"(?:未|没有|无)(?:发生|出现|收到|接到|因|产生)?[^，,。；;\d]{0,25}?(?:行政)?复议"
    r"|(?:行政)?复议[^，,。；;\d]{0,30}?情况[:：]无"
)
_NO_LITIGATION = re.compile(
    r"(?:未|没有|无)(?:发生|出现|收到|接到|因|产生)?[^，,。；;\d]{0,40}?(?:行政)?诉讼"
    r"|(?:行政)?诉讼[^，,。；;\d]{0,30}?情况[:：]无"
)
_SCOPE_WORDS = (
    "全市",
    "全省",
    "全区",
    "全县",
    "全州",
    "全盟",
    "全旗",
    "全镇",
    "各级",
    "全系统",
    "系统内",
    "各部门",
    "各单位",
    "各乡镇",
)
_EXCLUDE_WORDS = ("咨询", "累计", "留言", "来信", "来电", "信箱", "上年结转", "结转", "应主动公开", "类信息")
_SENTENCE = re.compile(r"[^。；;!?！？\n]+")
# Which sections each figure is looked for in first.
_PREFERRED_SECTIONS = {
    "new_received": ("applications", "overview"),
    "total_processed": ("applications", "overview"),
    "granted": ("applications", "overview"),
    "partially_granted": ("applications", "overview"),
    "review": ("review_litigation", "applications", "overview"),
    "litigation": ("review_litigation", "applications", "overview"),
    "proactive_total": ("proactive", "overview"),
}


# Labels of the template tables: a "sentence" with two of them is a table's text.
_TABLE_LABELS = (
    "第二十条",
    "信息内容",
    "本列数据",
    "本年新收",
    "上年结转",
    "本年度办理结果",
    "结果维持",
    "尚未审结",
    "申请人情况",
    "法律服务机构",
)


def _sentences(text: str) -> list[tuple[str, str]]:
    """(sentence, its matching form) for sentences of running text: without whitespace,
    with straight quotes. Table rows (`|` lines, run-together table text) are not prose."""
    return [
        (s.strip(), re.sub(r"\s+", "", s).replace("“", '"').replace("”", '"'))
        for s in _SENTENCE.findall(text)
        if s.strip() and "|" not in s and not _is_table_text(s)
    ]


def _is_table_text(sentence: str) -> bool:
    """Run-together table text: two table labels and no count with its unit (a sentence
    that restates the rows, `本年新收…申请数量0件，上年结转…0件`, is prose)."""
    return sum(label in sentence for label in _TABLE_LABELS) >= 2 and not re.search(r"\d\s*" + _UNIT, sentence)


def _acceptable(sentence: str, match: re.Match[str], own_scope: bool) -> bool:
    window = sentence[max(0, match.start() - 12) : match.end()]
    if any(word in window for word in _EXCLUDE_WORDS):
        return False
    if not own_scope and any(word in sentence[: match.end()] for word in _SCOPE_WORDS):
        return False
    return True


# Words a sentence must contain for a figure to be about information-disclosure applications.
_CONTEXT = {"new_received": "申请", "total_processed": "申请", "granted": "公开", "partially_granted": "公开"}


def _search(
    sentences: list[tuple[str, str]], key: tuple[str, str], own_scope: bool, about_applications: bool
) -> ProseFigure | None:
    """The first figure for `key` in these sentences. Outside the applications section a
    sentence must itself say it is about applications (`申请`)."""
    patterns = dict(_PATTERNS)[key]
    for sentence, squashed in sentences:
        if not about_applications and _CONTEXT.get(key[0], "") not in squashed:
            continue
        for pattern in patterns:
            for match in pattern.finditer(squashed):
                if not _acceptable(squashed, match, own_scope):
                    continue
                value = int(match.group(1)) if match.groups() else 0
                return ProseFigure(key, value, match.group(0), sentence[:300])
        for proceeding, none_stated, some in (
            ("review", _NO_REVIEW, r"复议\D{0,6}[1-9]"),
            ("litigation", _NO_LITIGATION, r"诉讼\D{0,6}[1-9]"),
        ):
            stated = none_stated.search(squashed) if key[0] == proceeding else None
            if stated and not re.search(some, squashed):
                return ProseFigure(key, 0, stated.group(0), sentence[:300])
    return None


def read_prose(sections: list[Section], full_text: str, government: bool) -> dict[tuple[str, str], ProseFigure]:
    """Figures stated in the text, keyed like the fact tables (`(new_received, total)`, …).

    `government` says the report is a people's government's, whose region-wide
    (全区…) figures are its own; a department's are not.
    """
    figures: dict[tuple[str, str], ProseFigure] = {}
    everywhere = _sentences(full_text)
    by_section = {id(s): _sentences(s.text) for s in sections if s.kind}
    for key, _patterns in _PATTERNS:
        preferred = _PREFERRED_SECTIONS[key[0]]
        ordered = [s for kind in preferred for s in sections if s.kind == kind]
        scopes = [(by_section[id(s)], s.kind == "applications") for s in ordered] + [(everywhere, False)]
        for sentences, about_applications in scopes:
            figure = _search(sentences, key, government, about_applications)
            if figure:
                figures[key] = figure
                break
    return figures
