"""Numbers, labels and script (TEMPLATES.md §6.2, §6.3, §6.5)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.parse.normalise import (
    BIGINT_MAX,
    as_count,
    clean_text,
    is_traditional,
    label_key,
    parse_number,
    to_simplified,
)


@pytest.mark.parametrize(
    ("raw", "value", "unit", "status"),
    [
        ("0", 0, None, "ok"),
        ("338", 338, None, "ok"),
        ("2 0", 20, None, "ok"),  # a number split across Word runs
        ("减4", -4, None, "ok"),
        ("增3", 3, None, "ok"),
        ("-8", -8, None, "ok"),
        ("+1036", 1036, None, "ok"),
        ("－18", -18, None, "ok"),  # full-width minus
        ("无变化", 0, None, "ok"),
        ("251000元", 251000, "元", "ok"),
        ("197.3万", 197.3, "万元", "ok"),
        ("9116.36万元", 9116.36, "万元", "ok"),
        ("52.15", 52.15, None, "ok"),
        ("73802895.90 元", 73802895.9, "元", "ok"),
        ("1,234", 1234, None, "ok"),
        ("０件", 0, None, "ok"),
        ("１２", 12, None, "ok"),
        ("", None, None, "blank"),
        ("\u00a0", None, None, "blank"),
        ("/", None, None, "blank"),
        ("-", None, None, "blank"),
        ("—", None, None, "blank"),
        ("无", None, None, "blank"),
        ("1e308", None, None, "invalid"),
        ("见附件", None, None, "invalid"),
        ("９９９９９９９９９９９９９９９９９９９", None, None, "out_of_range"),
    ],
)
def test_parse_number(raw: str, value: float | None, unit: str | None, status: str) -> None:
    parsed = parse_number(raw)
    assert (parsed.value, parsed.unit, parsed.status) == (value, unit, status)


@given(st.text(max_size=200))
def test_parse_number_never_raises_and_counts_fit_bigint(raw: str) -> None:
    parsed = parse_number(raw)
    assert parsed.status in {"ok", "blank", "invalid", "out_of_range"}
    count = as_count(parsed)
    assert count is None or -BIGINT_MAX <= count <= BIGINT_MAX


@given(st.integers(min_value=0, max_value=10**17))
def test_parse_number_reads_every_printed_count(n: int) -> None:
    assert parse_number(str(n)).value == n
    assert parse_number(f"{n}件").value == n
    assert parse_number(f"减{n}").value == -n


def test_label_key_strips_whitespace_and_applies_aliases() -> None:
    assert label_key("商业 企业") == "商业企业"
    assert label_key("考研 机构") == "科研机构"
    assert label_key("(四)无法 提取") == "(四)无法提供"
    assert label_key("本列数据的钩稽关系") == "本列数据的勾稽关系"
    assert label_key("6.属于四类过程信息") == "6.属于四类过程性信息"
    assert label_key(clean_text("（一）予以公开")) == label_key("(一)予以公开")


def test_clean_text_removes_invisible_characters() -> None:
    assert clean_text("予\u200b以\u00ad公\ufeff开\x07") == "予以公开"
    assert clean_text("总\u3000计") == "总 计"


def test_traditional_with_taiwan_vocabulary_becomes_simplified() -> None:
    text = "政府資訊公開工作年度報告：規範性檔案、上一年專案數量、網路申請數、行政查詢事項"
    assert is_traditional(text)
    assert to_simplified(text) == "政府信息公开工作年度报告：规范性文件、上一年项目数量、网络申请数、行政查询事项"
    # copies converted without Taiwan vocabulary keep mainland words
    assert to_simplified("規範性文件") == "规范性文件"
    assert not is_traditional("政府信息公开工作年度报告，頭部開始")  # a few stray characters do not count
