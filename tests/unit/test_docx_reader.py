"""The Word reader: merged cells from the XML (never repeated into every slot they
cover), headings, nested tables, titles and provenance."""

from functools import cache

import sample_documents as samples
from helpers import DOCUMENTS

from pipelines.parse.document import Document, Table
from pipelines.parse.normalise import squash
from pipelines.parse.readers.docx import read_docx


@cache
def docx(name: str) -> Document:
    return read_docx((DOCUMENTS / name).read_bytes())


def texts(table: Table) -> list[str]:
    return [squash(c.text) for row in table.rows for c in row]


def test_merged_header_and_group_cells_appear_once_with_their_spans() -> None:
    table = docx("004.docx").tables[1]  # table 三
    assert [(c.rowspan, c.colspan) for c in table.rows[0]] == [(3, 3), (1, 7)]
    spans = {squash(c.text): (c.rowspan, c.colspan) for row in table.rows for c in row}
    assert spans["三、本年度办理结果"] == (22, 1)
    assert spans["(三)不予公开"] == (8, 1) and spans["(四)无法提供"] == (3, 1) and spans["(六)其他处理"] == (3, 1)
    assert texts(table).count("三、本年度办理结果") == 1


def test_no_number_is_doubled() -> None:
    table = docx("004.docx").tables[1]
    new_received = next(row for row in table.rows if squash(row[0].text).startswith("一、本年新收"))
    assert [c.text for c in new_received] == ["一、本年新收政府信息公开申请数量", "71", "3", "0", "0", "0", "0", "74"]
    assert texts(table).count("74") == 1 and texts(table).count("75") == 1  # 新收 and （七）总计 totals


def test_the_blank_2021_template_has_the_official_grid() -> None:
    document = docx("template-2021-blank.docx")
    shapes = [(len(t.grid()), len(t.grid()[0])) for t in document.tables]
    assert shapes == [(14, 4), (28, 10), (4, 15)]
    merged = [sum(c.rowspan > 1 or c.colspan > 1 for row in t.rows for c in row) for t in document.tables]
    assert merged == [11, 16, 9]
    values = [c.text for t in document.tables for row in t.rows for c in row if c.text.strip().isdigit()]
    assert values == []


def test_provenance_and_dates() -> None:
    document = docx("004.docx")
    table = document.tables[1]
    assert table.where == "Word table 2"
    assert table.rows[3][1].where == "Word table 2, row 4, col 4"  # 71 sits in grid column 4 after the colspan-3 label
    assert document.format == "docx" and document.pages is None
    assert document.title == "平潭综合实验区2022年度政府信息公开工作年度报告" and document.meta == {}


def test_gridspan_and_vmerge_from_hand_written_xml_with_a_nested_table() -> None:
    def cell(text: str, properties: str = "") -> str:
        return f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    inner = (
        "<w:tbl>"
        + "<w:tr>"
        + cell("组", '<w:vMerge w:val="restart"/>')
        + cell("A")
        + cell("1")
        + "</w:tr>"
        + "<w:tr>"
        + cell("", "<w:vMerge/>")
        + cell("B")
        + cell("2")
        + "</w:tr>"
        + "<w:tr>"
        + cell("合计", '<w:gridSpan w:val="2"/>')
        + cell("3")
        + "</w:tr>"
        + "</w:tbl>"
    )
    layout = f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>前言</w:t></w:r></w:p>{inner}</w:tc></w:tr></w:tbl>"
    body = '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>⻓江局２０２０年⼀号报告</w:t></w:r></w:p>' + layout
    document = read_docx(samples.make_docx(body))
    assert document.title == "长江局2020年一号报告"  # radicals supplement, Kangxi radicals, full-width digits
    assert document.paragraphs == ["长江局2020年一号报告", "前言"]  # the layout table is read as text
    (table,) = document.tables
    assert [[(c.text, c.rowspan, c.colspan) for c in row] for row in table.rows] == [
        [("组", 2, 1), ("A", 1, 1), ("1", 1, 1)],
        [("B", 1, 1), ("2", 1, 1)],
        [("合计", 1, 2), ("3", 1, 1)],
    ]


def test_the_core_title_serves_only_when_the_body_has_none_and_dates_never() -> None:
    title = "某局2020年政府信息公开工作年度报告"
    document = read_docx(samples.make_docx("<w:p><w:r><w:t>正文第一段。</w:t></w:r></w:p>", core_title=title))
    assert document.title is None and document.meta == {"title": title}
    titled = '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>某局2021年政府信息公开工作年度报告</w:t></w:r></w:p>'
    document = read_docx(samples.make_docx(titled, core_title=title))
    assert document.title == "某局2021年政府信息公开工作年度报告" and document.meta == {}
