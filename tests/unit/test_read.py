"""Raw bytes to text: encodings, BOMs, and what is refused (SCHEMA.md parse_issues codes)."""

import codecs

import pytest
from helpers import RAW_DIR

from pipelines.issues import DocumentError
from pipelines.parse.decode import check_size, decode

REPORT = "<html><head><title>某局2020年政府信息公开工作年度报告</title></head><body><p>政府信息公开</p></body></html>"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "gbk"])
def test_undeclared_encodings_are_detected(encoding: str) -> None:
    page = decode(REPORT.encode(encoding))
    assert page.text == REPORT and page.kind == "html"


def test_wrong_declaration_is_overruled() -> None:
    markup = REPORT.replace("<head>", '<head><meta charset="utf-8">')
    assert decode(markup.encode("gbk")).text == markup
    markup = REPORT.replace("<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    assert decode(markup.encode("utf-8")).text == markup


def test_declared_big5_is_honoured() -> None:
    markup = (
        REPORT.replace("<head>", '<head><meta charset="big5">')
        .replace("信息公开", "資訊公開")
        .replace("年度报告", "年度報告")
    )
    markup = markup.replace("政府信息公开工作", "政府資訊公開工作")
    assert decode(markup.encode("big5")).text == markup


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_byte_order_marks(bom: bytes, encoding: str) -> None:
    assert decode(bom + REPORT.encode(encoding)).text.lstrip("\ufeff") == REPORT


def test_gb18030_fixture_without_charset() -> None:
    page = decode((RAW_DIR / "fixtures" / "404.html").read_bytes())
    assert page.encoding == "gb18030" and "政府信息公开工作年度报告" in page.text


def test_text_pages_are_text() -> None:
    assert decode("鼎城区应急管理局2020年政府信息公开工作年度报告\n一、总体情况".encode()).kind == "text"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b" \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (b"\x1f\x8b\x08\x00compressed", "binary"),
        (b"abc\x00def" * 10, "binary"),
        (b"%PDF-1.7\n", "unsupported_format"),
        (b"PK\x03\x04word/document.xml", "unsupported_format"),
        (bytes(range(128, 256)) * 50, "encoding"),
    ],
)
def test_refused_input(data: bytes, code: str) -> None:
    with pytest.raises(DocumentError) as caught:
        decode(data)
    assert caught.value.code == code


def test_a_few_bad_bytes_are_replaced_with_a_warning() -> None:
    data = ("政府信息公开工作年度报告" * 200).encode() + b"\xff"
    page = decode(data)
    assert page.warnings and page.warnings[0].code == "encoding_repaired" and page.text.endswith("\ufffd")


def test_size_cap() -> None:
    check_size(100, 100)
    with pytest.raises(DocumentError) as caught:
        check_size(101, 100)
    assert caught.value.code == "too_large"


def test_utf16_html_is_html() -> None:
    page = decode(codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le"))
    assert page.kind == "html"
