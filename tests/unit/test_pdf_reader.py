"""The PDF reader: tables stitched over page breaks into the template's rows, span
grids, provenance, running lines, garbage text layers, encryption (read in-process)."""

import re
from functools import cache

import pytest
import sample_documents as samples
from helpers import DOCUMENTS, TEST_DOCUMENTS

from pipelines.issues import DocumentError
from pipelines.parse.document import Document, Table
from pipelines.parse.normalise import squash
from pipelines.parse.readers.pdf import read_pdf
from pipelines.parse.readers.pdf_stitch import stitch, to_table
from pipelines.parse.readers.pdf_tables import PageCell, PageTable
from pipelines.parse.tables.outcomes import read_outcomes
from pipelines.parse.templates import template_named

CELL_WHERE = re.compile(r"^p\. \d+, bbox \d+\.\d,\d+\.\d,\d+\.\d,\d+\.\d$")


@cache
def pdf(name: str) -> Document:
    return read_pdf((DOCUMENTS / name).read_bytes())


def outcome_table(document: Document) -> Table:
    tables = [t for t in document.tables if "勾稽" in "".join(c.text for row in t.rows for c in row)]
    assert len(tables) == 1
    return tables[0]


def cells(table: Table) -> dict[str, list]:
    found: dict[str, list] = {}
    for row in table.rows:
        for cell in row:
            found.setdefault(squash(cell.text), []).append(cell)
    return found


@pytest.mark.parametrize(
    ("name", "template", "pages", "allowed"),
    [
        ("002.pdf", "2019", "p. 10-12", set()),
        ("004.pdf", "2021", "p. 3-5", set()),
        # 701 prints （六）其他处理 as one row (the 2019 rows) and misspells 2.其他法律行政止公开.
        ("701.pdf", "2019", "p. 3-4", {"labels_lost"}),
    ],
)
def test_table_three_crossing_page_breaks_is_one_table_with_the_templates_rows(
    name: str, template: str, pages: str, allowed: set[str]
) -> None:
    document = pdf(name)
    table = outcome_table(document)
    assert table.where == pages
    read = read_outcomes(document)
    assert tuple(dict.fromkeys(key for key, _applicant in read.facts)) == template_named(template).row_keys
    assert {issue.code for issue in read.issues} <= allowed
    assert not any(c.text == "" and c.where is None for row in table.rows for c in row)  # no placeholder cells


def test_the_header_spans_are_those_of_the_html_table() -> None:
    first_row = outcome_table(pdf("004.pdf")).rows[0]
    assert [(c.rowspan, c.colspan) for c in first_row] == [(3, 3), (1, 7)]
    assert squash(first_row[1].text) == "申请人情况"


def test_labels_cut_by_a_page_break_are_rejoined() -> None:
    found = cells(outcome_table(pdf("004.pdf")))
    assert [c.rowspan for c in found["(三)不予公开"]] == [8]  # "（三）" on p. 3, "不予公开" on p. 4
    assert [c.rowspan for c in found["(六)其他处理"]] == [3]  # "（六）其他处" on p. 4, "理" on p. 5
    assert "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in found  # a row split over p. 4-5
    assert [c.rowspan for c in found["三、本年度办理结果"]] == [22]
    found = cells(outcome_table(pdf("002.pdf")))
    assert [c.rowspan for c in found["(三)不予公开"]] == [8]
    assert len(found["三、本年度办理结果"]) == 2  # printed as two merged cells, as in the HTML


def test_a_header_repeated_on_the_continuation_page_is_dropped() -> None:
    def page_table(page: int, rows: list[list[str]]) -> PageTable:
        made = [
            PageCell(text, (50.0 + 100 * c, 100.0 + 20 * r, 150.0 + 100 * c, 120.0 + 20 * r), page, r, 1)
            for r, row in enumerate(rows)
            for c, text in enumerate(row)
        ]
        return PageTable((50.0, 100.0, 250.0, 100.0 + 20 * len(rows)), [50.0, 150.0, 250.0], len(rows), made, [page])

    first = page_table(1, [["项目", "数量"], ["一、甲", "1"]])
    second = page_table(2, [["项目", "数量"], ["二、乙", "2"]])
    table = to_table(stitch(first, second), 1, str)
    assert [[c.text for c in row] for row in table.rows] == [["项目", "数量"], ["一、甲", "1"], ["二、乙", "2"]]
    assert table.where == "p. 1-2"


def test_provenance_names_pages_and_cell_boxes() -> None:
    document = pdf("002.pdf")
    assert document.pages == 13 and document.format == "pdf"
    table = outcome_table(document)
    assert all(CELL_WHERE.match(c.where or "") for row in table.rows for c in row)
    total = next(row for row in table.rows if squash(row[0].text) == "(七)总计")
    assert total[-1].text == "21" and total[-1].where.startswith("p. 12, bbox ")
    assert all(re.fullmatch(r"p\. \d+", p.where or "") for p in document.blocks if not isinstance(p, Table))


def test_title_from_the_first_lines_and_no_file_dates_in_meta() -> None:
    document = pdf("701.pdf")
    assert document.title == "洪泽区人民政府2023年政府信息公开工作年度报告"
    assert document.meta == {}  # the PDF's Title and CreationDate are not used when the body has a title


def test_the_info_title_is_used_only_when_the_body_has_none_and_dates_never() -> None:
    title = "某局2020年政府信息公开工作年度报告".encode("utf-16-be")
    info = b"<< /Title <feff%s> /CreationDate (D:20210305120000) /ModDate (D:20210306120000) >>" % title.hex().encode()
    document = read_pdf(samples.text_pdf([["Annual report of the bureau"]], info=info))
    assert document.title is None and document.meta == {"title": "某局2020年政府信息公开工作年度报告"}


def test_page_numbers_are_dropped_and_ruled_prose_stays_prose() -> None:
    document = pdf("701.pdf")
    assert not any(re.fullmatch(r"[-—\s]*\d+[-—\s]*", p) for p in document.paragraphs)
    assert len(document.tables) == 3  # lines of prose on white cell backgrounds are not tables
    assert any(p.startswith("本报告由淮安市洪泽区人民政府办公室根据") for p in document.paragraphs)
    assert "一、总体情况" in document.paragraphs and "六、其他需要报告的事项" in document.paragraphs


def test_a_paragraph_continues_over_a_page_break() -> None:
    paragraphs = pdf("701.pdf").paragraphs
    assert any("严格执行“分级审核、先审后发”程序" in p for p in paragraphs)


def test_a_text_layer_without_unicode_needs_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREPORTS_OCR", "off")  # the triage alone: pages it marks are not read
    with pytest.raises(DocumentError) as caught:
        read_pdf(samples.type3_pdf())
    assert caught.value.code == "needs_ocr" and "page 1" in caught.value.message


def test_a_garbled_page_among_readable_ones_is_a_warning_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREPORTS_OCR", "off")  # the triage alone: pages it marks are not read
    document = read_pdf(samples.type3_pdf(text_page=["Annual report", "Section one"]))
    assert document.paragraphs[0] == "Annual report"
    assert [(i.severity, i.code) for i in document.issues] == [("warning", "needs_ocr")]
    assert "page 2 of 2" in document.issues[0].message
    assert not any("cid" in p for p in document.paragraphs)


def test_a_scanned_page_needs_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREPORTS_OCR", "off")  # the triage alone: pages it marks are not read
    with pytest.raises(DocumentError) as caught:
        read_pdf(samples.scan_pdf())
    assert caught.value.code == "needs_ocr"


def test_encrypted_pdfs_open_with_an_empty_password_or_are_refused() -> None:
    with pytest.raises(DocumentError) as caught:
        read_pdf((TEST_DOCUMENTS / "encrypted-open-password.pdf").read_bytes())
    assert caught.value.code == "encrypted"
    opened = read_pdf((TEST_DOCUMENTS / "encrypted-owner-password-only.pdf").read_bytes())
    assert "一、总体情况" in opened.paragraphs


def test_a_table_with_only_horizontal_rules_is_read_from_text_positions() -> None:
    rows = [["Item", "This year", "Last year", "Change"], ["Review", "3", "1", "2"], ["Litigation", "0", "", "0"]]
    document = read_pdf(samples.three_line_table_pdf(rows))
    (table,) = document.tables
    assert [[c.text for c in row] for row in table.rows] == rows  # the blank stays in its column
    assert document.paragraphs == ["Table 4 follows"]


@pytest.mark.parametrize("rotate", [90, 270])
def test_a_page_printed_sideways_is_turned_upright(rotate: int) -> None:
    rows = [["Item", "This year", "Last year", "Change"], ["Review", "3", "1", "2"], ["Litigation", "0", "", "0"]]
    data = samples.three_line_table_pdf(rows).replace(
        b"/MediaBox [0 0 595 842]", b"/MediaBox [0 0 595 842] /Rotate %d" % rotate
    )
    document = read_pdf(data)
    assert [[c.text for c in row] for row in document.tables[0].rows] == rows
    assert document.paragraphs == ["Table 4 follows"]


def test_chinese_bytes_read_as_latin_letters_need_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREPORTS_OCR", "off")  # the triage alone: pages it marks are not read
    mojibake = "Æ½Ì¶×ÛºÏÊµÑéÇø2020Äê¶ÈÕþ¸®ÐÅÏ¢¹«¿ª¹¤×÷Äê¶È±¨¸æ"  # GBK bytes shown as Latin-1
    with pytest.raises(DocumentError) as caught:
        data = samples.text_pdf([[mojibake, mojibake]])
        read_pdf(data.replace(b"/BaseFont /Helvetica >>", b"/BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"))
    assert caught.value.code == "needs_ocr" and "Latin" in caught.value.message


def test_a_running_header_is_dropped() -> None:
    header = "Annual report of the bureau 2020"
    words = ["alpha", "beta", "gamma", "delta"]
    pages = [[header, *(f"Section {w} line {n}: {w * 3}" for n in range(6))] for w in words]
    document = read_pdf(samples.text_pdf(pages))
    assert header not in document.text()
    assert document.paragraphs[0].startswith("Section alpha line 0")
