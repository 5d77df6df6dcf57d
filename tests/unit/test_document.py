"""The document model: blocks in order, tables as grids with spans resolved."""

from helpers import document_of
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.parse.document import Cell, Table, resolve_grid


def html_page(body: str) -> str:
    return f"<html><head><title>测试</title></head><body>{body}</body></html>"


@st.composite
def layouts(draw: st.DrawFn) -> list[list[int]]:
    """A random grid partitioned into rectangles: grid[r][c] = id of the cell covering it."""
    rows, cols = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    grid = [[-1] * cols for _ in range(rows)]
    next_id = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != -1:
                continue
            max_w = next((w for w in range(1, cols - c + 1) if c + w < cols and grid[r][c + w] != -1), cols - c)
            width = draw(st.integers(1, max_w))
            height = draw(st.integers(1, rows - r))
            while any(grid[r + dr][c + dc] != -1 for dr in range(height) for dc in range(width)):
                height -= 1
            for dr in range(height):
                for dc in range(width):
                    grid[r + dr][c + dc] = next_id
            next_id += 1
    return grid


def render(grid: list[list[int]]) -> str:
    """The grid as an HTML table, each cell at its top-left position with its spans."""
    rows = []
    seen: set[int] = set()
    for r, row in enumerate(grid):
        cells = []
        for c, cid in enumerate(row):
            if cid in seen:
                continue
            seen.add(cid)
            height = sum(1 for rr in range(r, len(grid)) if grid[rr][c] == cid)
            width = sum(1 for cc in range(c, len(row)) if row[cc] == cid)
            cells.append(f'<td rowspan="{height}" colspan="{width}">c{cid}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


@settings(max_examples=150, deadline=None)
@given(layouts())
def test_random_grids_with_random_spans_round_trip(grid: list[list[int]]) -> None:
    doc = document_of(html_page(render(grid)).encode())
    (table,) = doc.tables
    resolved = [[cell.text if cell else None for cell in row] for row in table.grid()]
    expected = [[f"c{cid}" for cid in row] for row in grid]
    assert resolved == expected


def test_spans_are_clipped_to_the_table() -> None:
    rows = [[Cell("a", rowspan=10**9, colspan=2), Cell("b")], [Cell("c")]]
    assert [[c.text if c else None for c in row] for row in resolve_grid(rows)] == [["a", "a", "b"], ["a", "a", "c"]]


def test_blocks_keep_document_order_and_layout_tables_are_not_data() -> None:
    body = (
        "<div><p>一、总体情况</p><p>正文第一段。</p></div>"
        "<table><tr><td><p>二、主动公开政府信息情况</p>"  # a layout table around the content
        "<table><tr><td>信息内容</td><td>本年新制作数量</td></tr><tr><td>规章</td><td>1</td></tr></table>"
        "</td></tr></table><p>三、收到和处理政府信息公开申请情况</p>"
    )
    doc = document_of(html_page(body).encode())
    kinds = [("T" if isinstance(b, Table) else b.text) for b in doc.blocks]
    assert kinds == [
        "一、总体情况",
        "正文第一段。",
        "二、主动公开政府信息情况",
        "T",
        "三、收到和处理政府信息公开申请情况",
    ]
    assert [[c.text for c in row] for row in doc.tables[0].rows] == [["信息内容", "本年新制作数量"], ["规章", "1"]]


def test_word_markup_is_read_as_text() -> None:
    body = (
        '<p class=MsoNormal><span style="font-size:12pt">本年新<br>制作</span><span>数量</span><o:p></o:p></p>'
        "<!--[if !supportLists]-->7、<!--[endif]--><p>全角＜标签＞不是标记</p><script>var x = '<p>no</p>';</script>"
    )
    doc = document_of(html_page(body).encode())
    assert doc.paragraphs[:3] == ["本年新", "制作数量", "7、"]
    assert doc.paragraphs[3] == "全角<标签>不是标记"
    assert all("no" not in p for p in doc.paragraphs)


def test_pipe_flattened_text_becomes_tables() -> None:
    text = "二、主动公开政府信息情况\n信息内容 | 本年新 制作数量 | |||\n规章 | 0 | 0 | 0 | |||\n三、收到和处理政府信息公开申请情况"
    doc = document_of(text.encode())
    (table,) = doc.tables
    assert table.flattened and [[c.text for c in row] for row in table.rows] == [
        ["信息内容", "本年新 制作数量"],
        ["规章", "0", "0", "0"],
    ]
    assert doc.paragraphs == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]


def test_traditional_page_is_stored_simplified() -> None:
    body = "<p>政府資訊公開工作年度報告</p><table><tr><td>規範性檔案</td><td>5</td></tr></table>" * 3
    doc = document_of(html_page(body).encode())
    assert doc.script == "traditional"
    assert doc.paragraphs[0] == "政府信息公开工作年度报告" and doc.tables[0].rows[0][0].text == "规范性文件"
