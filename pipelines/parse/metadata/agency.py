"""The report's agency when its title names none (many pages print no title line: the body
starts with its first paragraph): the name in the sentence that publishes the report, the
body that compiled it, the signature, the contact line, the 来源 line, the name the
report uses for itself. A name is read out of its frame (`现公布<A>2020年…年度报告`),
never with the frame's verbs, never a self-reference (`我局`) or a scope (`全县`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from pipelines.parse.document import Document
from pipelines.parse.metadata.title import body_start
from pipelines.parse.metadata.words import NAME_CHARS, NAME_END, REPORT_NAME, YEAR, is_self_reference, without_citations

_OPENING_PARAGRAPHS = 12  # paragraphs after the header read for the sentence that names the report
_OPENING_CHARS = 3000
# A report named in a sentence: `现公布<A>2020年政府信息公开工作年度报告`, `特向社会公布2020年<A>政府
# 信息公开工作年度报告`, `<B>编制了2019年<A>政府信息公开工作年度报告` (A, not the compiler B).
_REPORT_NAMED = re.compile(
    rf"(?P<pre>{NAME_CHARS}{{0,40}}?)(?P<year>{YEAR})\s*年?度?\s*(?P<post>{NAME_CHARS}{{0,30}})(?:{REPORT_NAME})"
)
_COMPILED_BY = re.compile(
    rf"(?:^|报告|[,，。;；])\s*由(?P<name>{NAME_CHARS}{{2,40}}?)(?:负责)?(?:编制|制作|撰写|汇总|起草)"
)
_COMPILES = re.compile(rf"(?P<name>{NAME_CHARS}{{2,40}}?)(?:编制|制作|撰写)(?:完成)?了?本(?:年度)?报告")
_COMBINED_WITH = re.compile(rf"结合(?P<name>{NAME_CHARS}{{2,40}}?)(?:政府)?(?:信息公开|政务公开|政务信息公开)工作")
# Frame words around a name: what precedes it (`现公布`, `由`, `结合`) and follows it (`编制的`).
_LEADING_WORDS = re.compile(
    r"^.*(?:公布|发布|现将|现就|特将|关于|结合|编制了|编制|制作了|制作|印发|撰写|报送|汇总|向社会|根据|按照|特此)|^由"
)
_TRAILING_WORDS = re.compile(r"(?:负责)?(?:编制|制作|撰写|发布|公布|印发|汇总)?(?:完成)?(?:了|的)?$")
_REMARK = re.compile(r"\([^()]*\)$")
_SCOPE = re.compile(r"^(?:全|各|本级|所属|下属|有关|相关)")
# Contact lines: `请与<A>办公室联系`, `请联系:<A>`; the unit inside the agency is not the agency.
_CONTACT = re.compile(
    rf"(?:请|可|直接|或)(?:与|和|向)(?P<a>{NAME_CHARS}{{2,40}}?)联系|请联系[:：]?\s*(?P<b>{NAME_CHARS}{{2,40}}?)[,，。;；(（\s]"
    rf"|联系单位[:：]\s*(?P<c>{NAME_CHARS}{{2,40}}?)[,，。;；(（\s]"
)
_UNIT_WITHIN = re.compile(
    r"(?:的)?(?:党政综合办公室|党政办公室|党政办|综合办公室|办公室|办公厅|综合科|综合股|政务公开办公室|信息公开办公室|政务公开办"
    r"|政务公开科|信息公开科|政务服务中心|信息公开受理机构|政府信息公开工作机构|信息公开工作机构|政府信息公开中心"
    r"|信息公开中心)$"
)
_SIGNATURE_DATE = re.compile(
    YEAR
    + r"\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[一二三四五六七八九〇○零]{4}年[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?"
)
_SOURCE_LINE = re.compile(rf"(?:文章|信息)?来源\s*[:：]\s*(?P<name>{NAME_CHARS}{{2,40}}?)(?=\s|$|[|,，;；])")
_NOT_A_SUBJECT = ("根据", "按照", "依据", "依照", "为", "本", "对", "在", "结合", "围绕", "今年", "全年")
_SELF_NAME = re.compile(
    rf"^(?:{YEAR}年度?\s*[,，]?\s*)?(?:我|本)?(?P<name>{NAME_CHARS}{{1,20}}?(?:局|委|办|厅|院|署|中心|政府))"
)


def clean_name(raw: str | None) -> str | None:
    """A name without its frame's words, or None when what remains is no agency's name:
    a self-reference (`我局`), a scope (`全县`), or words that end in no agency or place."""
    if not raw:
        return None
    name = _LEADING_WORDS.sub("", _TRAILING_WORDS.sub("", raw.strip()))
    name = _balanced(name.strip("·"))
    if name.endswith("人民"):
        name += "政府"
    bare = _REMARK.sub("", name)  # `…办公室(公共资源交易管理委员会办公室)`: the name before its remark
    if not 2 <= len(name) <= 40 or is_self_reference(name) or _SCOPE.match(name) or not NAME_END.search(bare):
        return None
    return name


def _balanced(name: str) -> str:
    """Without a bracket its partner is missing from (a frame cut a name's remark in two)."""
    while name.endswith("(") or (name.endswith(")") and name.count("(") < name.count(")")):
        name = name[:-1]
    while name.startswith(")") or (name.startswith("(") and name.count(")") < name.count("(")):
        name = name[1:]
    return name


def _post_name(post: str) -> str:
    """The name after a report's year, without the 政府 of `政府信息公开…` (`开平市农业农村局政府`
    → `开平市农业农村局`), but with that of a people's government (`北溪区人民政府`)."""
    if post.endswith(("政府", "政务")) and not post.endswith("人民政府"):
        return post[:-2]
    return post


def opening_text(doc: Document) -> str:
    """The first sentences of the report, without the documents they cite."""
    paragraphs = doc.paragraphs
    start = body_start(paragraphs[:60])
    text = "\n".join(paragraphs[max(0, start - 3) : start + _OPENING_PARAGRAPHS])[:_OPENING_CHARS]
    return without_citations(text)


def named_report(text: str) -> tuple[str | None, int | None]:
    """The agency and year of the report a sentence names (`现公布<A>2020年…年度报告`):
    the name inside the report's name wins over the subject that compiled it."""
    first_year = None
    for match in _REPORT_NAMED.finditer(text):
        year = int(match.group("year"))
        first_year = first_year or year
        name = clean_name(_post_name(match.group("post"))) or clean_name(match.group("pre"))
        if name:
            return name, year
    return None, first_year


def from_opening(doc: Document) -> str | None:
    opening = opening_text(doc)
    name, _year = named_report(opening)
    if name:
        return name
    for frame in (_COMPILED_BY, _COMPILES, _COMBINED_WITH):
        for match in frame.finditer(opening):
            if name := clean_name(match.group("name")):
                return name
    return None


def from_contact_line(doc: Document) -> str | None:
    """`如对本报告有任何疑问,请与<A>办公室联系` → A."""
    for line in reversed(doc.paragraphs):
        for match in _CONTACT.finditer(line):
            raw = match.group("a") or match.group("b") or match.group("c")
            name = clean_name(raw)
            if name:
                return _body_of(name)
    return None


def _body_of(name: str) -> str:
    """The agency a unit within it belongs to: `丽水市人民政府办公室政府信息公开中心` →
    `丽水市人民政府`; a name that is no unit's is itself."""
    for _ in range(2):
        body = clean_name(_UNIT_WITHIN.sub("", name))
        if body is None or body == name:
            break
        name = body
    return name


def from_signature(doc: Document) -> str | None:
    """The name above (or beside) the date that signs the report at its end."""
    tail = doc.paragraphs[-25:]
    for i in range(len(tail) - 1, -1, -1):
        match = _SIGNATURE_DATE.search(tail[i])
        if not match or len(tail[i]) > 60:
            continue
        before = tail[i][: match.start()].strip() or (tail[i - 1].strip() if i > 0 else "")
        parts = before.split()
        name = clean_name(parts[-1]) if parts and "。" not in before and len(before) <= 40 else None
        if name:
            return name
    return None


def from_source_line(doc: Document) -> str | None:
    for line in doc.paragraphs[:80]:
        match = _SOURCE_LINE.search(line)
        if match and (name := clean_name(match.group("name"))):
            return name
    return None


def _from_self_name(doc: Document) -> str | None:
    """The name the report uses for itself at the start of its first sentence (`2020年,省人防办认真…`)."""
    paragraphs = doc.paragraphs
    for line in paragraphs[body_start(paragraphs[:60]) : 40]:
        if len(line) < 20:
            continue
        match = _SELF_NAME.match(line)
        if not match or match.group("name").startswith(_NOT_A_SUBJECT):
            return None
        return clean_name(match.group("name"))
    return None


FALLBACKS: tuple[Callable[[Document], str | None], ...] = (
    from_opening,
    from_signature,
    from_contact_line,
    from_source_line,
    _from_self_name,
)


def agency_from_text(doc: Document) -> str | None:
    """The agency of a report whose title names none, from the first source that names one."""
    for finder in FALLBACKS:
        if name := finder(doc):
            return name
    return None
