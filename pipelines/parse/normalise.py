"""Character, script, label and number normalisation (TEMPLATES.md §6.5, steps 2-6)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Zero-width, bidi and C0/C1 control characters (tab and newline are kept).
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_WHITESPACE = re.compile(r"\s+")


# CJK Radicals Supplement (U+2E80-U+2EFF) as the unified ideograph each stands for
# (Unicode's EquivalentUnifiedIdeograph.txt). PDF text layers often carry these radicals
# where the page shows an ordinary character (⻓ for 长); NFKC maps the Kangxi radicals
# (U+2F00-U+2FD5) but leaves this block alone.
_RADICAL_PAIRS = """
2E81 5382 2E82 4E5B 2E83 4E5A 2E84 4E59 2E85 4EBB 2E86 5182 2E87 20628 2E88 5200 2E89 5202 2E8A 535C
2E8B 353E 2E8C 5C0F 2E8D 5C0F 2E8E 5140 2E8F 5C23 2E90 5C22 2E91 21BC2 2E92 5DF3 2E93 5E7A 2E94 5F51
2E95 2B739 2E96 5FC4 2E97 5FC3 2E98 624C 2E99 6535 2E9B 65E1 2E9C 65E5 2E9D 6708 2E9E 6B7A 2E9F 6BCD
2EA0 6C11 2EA1 6C35 2EA2 6C3A 2EA3 706C 2EA4 722B 2EA5 722B 2EA6 4E2C 2EA7 725B 2EA8 72AD 2EA9 738B
2EAA 24D14 2EAB 76EE 2EAC 793A 2EAD 793B 2EAE 25AD7 2EAF 7CF9 2EB0 7E9F 2EB1 7F53 2EB2 7F52 2EB3 34C1
2EB4 5197 2EB5 2626B 2EB6 7F8A 2EB7 2634C 2EB8 2634B 2EB9 8002 2EBA 8080 2EBB 807F 2EBC 8089 2EBD 26951
2EBE 8279 2EBF 8279 2EC0 8279 2EC1 864E 2EC2 8864 2EC3 8980 2EC4 897F 2EC5 89C1 2EC6 89D2 2EC7 278B2
2EC8 8BA0 2EC9 8D1D 2ECA 27FB7 2ECB 8F66 2ECC 8FB6 2ECD 8FB6 2ECE 8FB6 2ECF 9091 2ED0 9485 2ED1 9577
2ED2 9578 2ED3 957F 2ED4 95E8 2ED5 28E0F 2ED6 961D 2ED7 96E8 2ED8 9752 2ED9 97E6 2EDA 9875 2EDB 98CE
2EDC 98DE 2EDD 98DF 2EDE 2967F 2EDF 98E0 2EE0 9963 2EE1 29810 2EE2 9A6C 2EE3 9AA8 2EE4 9B3C 2EE5 9C7C
2EE6 9E1F 2EE7 5364 2EE8 9EA6 2EE9 9EC4 2EEA 9EFE 2EEB 6589 2EEC 9F50 2EED 6B6F 2EEE 9F7F 2EEF 7ADC
2EF0 9F99 2EF1 9F9C 2EF2 4E80 2EF3 9F9F
""".split()
RADICALS_SUPPLEMENT: dict[int, str] = {
    int(radical, 16): chr(int(ideograph, 16)) for radical, ideograph in zip(_RADICAL_PAIRS[::2], _RADICAL_PAIRS[1::2])
}
_HAS_RADICAL = re.compile("[\u2e80-\u2eff]")


def clean_text(text: str) -> str:
    """NFKC and the radicals supplement mapped to ideographs, with invisible characters
    removed and exotic spaces made plain spaces."""
    text = unicodedata.normalize("NFKC", text)
    if _HAS_RADICAL.search(text):
        text = text.translate(RADICALS_SUPPLEMENT)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text)


def squash(text: str) -> str:
    """Remove all whitespace (labels are matched without it: `商业 企业` == `商业企业`)."""
    return _WHITESPACE.sub("", text)


# --- script -----------------------------------------------------------------

# Frequent characters of these reports that differ between the two scripts.
_TRADITIONAL_MARKS = "開資報處與為會實請國機關書辦條訊規範檔門網統計們這來發務總結"
_SIMPLIFIED_MARKS = "开资报处与为会实请国机关书办条讯规范档门网统计们这来发务总结"


def is_traditional(text: str) -> bool:
    """True when the text is written mostly in traditional characters."""
    trad = sum(text.count(ch) for ch in _TRADITIONAL_MARKS)
    simp = sum(text.count(ch) for ch in _SIMPLIFIED_MARKS)
    return trad >= 5 and trad > simp


@lru_cache(maxsize=1)
def _converter() -> Any:  # opencc has no type information
    import opencc

    return opencc.OpenCC("t2s")


# Taiwan vocabulary that converters put into traditional copies (TEMPLATES.md §6.2), after
# character conversion. Character-level t2s plus this short map is used rather than
# OpenCC's phrase-level tw2sp, which also rewrites mainland words (文件→文档, 查询→查找)
# in copies converted without Taiwan vocabulary.
TAIWAN_VOCABULARY = {
    "资讯": "信息",
    "档案": "文件",
    "专案": "项目",
    "入口网站": "门户网站",
    "网路": "网络",
    "软体": "软件",
}
_TAIWAN_RE = re.compile("|".join(map(re.escape, TAIWAN_VOCABULARY)))


def to_simplified(text: str) -> str:
    """Convert traditional script, with or without Taiwan vocabulary, to simplified."""
    return _TAIWAN_RE.sub(lambda m: TAIWAN_VOCABULARY[m.group(0)], _converter().convert(text))


# --- labels -------------------------------------------------------------------

# Known misspellings and converter artefacts in fixed labels (TEMPLATES.md §6.1, §6.2).
LABEL_ALIASES: dict[str, str] = {
    "考研机构": "科研机构",
    "无法提取": "无法提供",
    "钩稽": "勾稽",
    "规范性档案": "规范性文件",
    "行政事业收费": "行政事业性收费",
    "过程信息": "过程性信息",
}
_ALIAS_RE = re.compile("|".join(map(re.escape, LABEL_ALIASES)))
_PUNCT = str.maketrans({"【": "[", "】": "]", "〔": "[", "〕": "]", "“": '"', "”": '"', "‘": "'", "’": "'"})


def label_key(text: str) -> str:
    """The form labels are compared in: no whitespace, unified punctuation, aliases applied."""
    key = squash(text).translate(_PUNCT)
    return _ALIAS_RE.sub(lambda m: LABEL_ALIASES[m.group(0)], key)


# --- numbers ------------------------------------------------------------------

BIGINT_MAX = 2**63 - 1
_MAX_DIGITS = 18  # anything longer cannot be a count in these reports
_NULL_TOKENS = {"", "/", "\\", "-", "--", "—", "——", "–", "－", "−", "无", "N/A", "NA", "n/a", "…", "...", "×", "x"}
_ZERO_WORDS = {"无变化", "持平", "不变", "零"}
_COUNT_UNITS = "件条个次项家人份篇起"
_NUMBER = re.compile(
    r"^(?P<sign>[+\-−]|增加?|减少?|增|减)?"
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)"
    r"(?P<unit>万元|亿元|元|万|亿|[" + _COUNT_UNITS + r"])?$"
)
_UNIT_NAMES = {"元": "元", "万元": "万元", "万": "万元", "亿元": "亿元", "亿": "亿元"}


@dataclass(frozen=True)
class ParsedNumber:
    """A cell or phrase read as a number: `status` is ok, blank, invalid or out_of_range."""

    value: int | float | None
    unit: str | None
    status: str


BLANK = ParsedNumber(None, None, "blank")


@lru_cache(maxsize=8192)
def parse_number(raw: str | None) -> ParsedNumber:
    """Parse a printed value: `减4` → -4, `197.3万` → 197.3 万元, `/` → blank, `2 0` → 20.

    Never raises. Numbers that cannot be a count (scientific notation, more than
    18 digits) are `out_of_range` or `invalid`, with value None.
    """
    if raw is None:
        return BLANK
    text = squash(clean_text(raw)).strip("。，,;；:：")
    if text in _NULL_TOKENS:
        return BLANK
    if text in _ZERO_WORDS:
        return ParsedNumber(0, None, "ok")
    match = _NUMBER.match(text) if len(text) <= 40 else None
    if not match:
        return ParsedNumber(None, None, "invalid")
    digits = match["num"].replace(",", "")
    integer_part = digits.split(".")[0]
    if len(integer_part.lstrip("0")) > _MAX_DIGITS:
        return ParsedNumber(None, None, "out_of_range")
    value: int | float = float(digits) if "." in digits else int(digits)
    if match["sign"] and match["sign"][0] in "-−减":
        value = -value
    unit = _UNIT_NAMES.get(match["unit"] or "")
    return ParsedNumber(value, unit, "ok")


def as_count(parsed: ParsedNumber) -> int | None:
    """The value as a BIGINT count, or None when it is not a whole number in range."""
    value = parsed.value
    if value is None:
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    return value if -BIGINT_MAX <= value <= BIGINT_MAX else None
