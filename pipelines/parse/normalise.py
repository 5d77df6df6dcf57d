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


def clean_text(text: str) -> str:
    """NFKC, with invisible characters removed and exotic spaces made plain spaces."""
    text = unicodedata.normalize("NFKC", text)
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
