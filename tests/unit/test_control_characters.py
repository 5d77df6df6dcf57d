"""A text with a few stray control characters is read (they are removed, with a warning);
one made mostly of them is binary data."""

from helpers import parse_rows

from pipelines.parse.decode import decode

REPORT = "某局2020年政府信息公开工作年度报告\n一、总体情况\n本局收到政府信息公开申请3件。\n二、主动公开政府信息情况\n"
BODY = "本年度主动公开政府信息，内容涉及机构职能、政策文件。" * 20


def test_stray_nul_and_esc_are_removed_with_a_warning() -> None:
    parsed = parse_rows((REPORT + "\x00" + BODY + "\x1b[0m").encode(), "report.txt")
    assert parsed.is_report
    warnings = [i for i in parsed.rows["parse_issues"] if i["code"] == "control_characters"]
    assert len(warnings) == 1 and warnings[0]["severity"] == "warning" and "2 stray" in warnings[0]["message"]
    assert "\x00" not in parsed.rows["sections"][0]["text"] and "\x1b" not in parsed.rows["sections"][1]["text"]


def test_an_html_page_with_a_nul_byte_is_read() -> None:
    page = f"<html><head><meta charset='gb18030'></head><body><p>{REPORT}</p>\x00<p>{BODY}</p></body></html>"
    decoded = decode(page.encode("gb18030"))
    assert decoded.kind == "html" and "\x00" not in decoded.text
    assert [w.code for w in decoded.warnings] == ["control_characters"]


def test_more_than_one_percent_of_controls_is_binary() -> None:
    parsed = parse_rows((REPORT + "\x00\x1b" * 40 + BODY[:200]).encode(), "junk.txt")
    assert not parsed.is_report
    assert [i["code"] for i in parsed.rows["parse_issues"]] == ["binary"]
