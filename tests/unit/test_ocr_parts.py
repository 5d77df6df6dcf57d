"""The OCR reader's parts that need no recogniser: ruled tables from pixels, deskew, digit
checks, page cap and switch, tables joined over a page break."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.issues import Code, DocumentError, Severity
from pipelines.parse.document import Cell, Paragraph, Table, resolve_grid
from pipelines.parse.readers import ocr
from pipelines.parse.readers.ocr import OcrPage, OcrSettings, read_image_document, read_pages
from pipelines.parse.readers.ocr_digits import check_table, corrected_number
from pipelines.parse.readers.ocr_layout import join_continued_tables
from pipelines.parse.readers.ocr_tables import deskew, find_tables, ink_mask, ruling_lines, skew_angle

# --- ruled tables from pixels -------------------------------------------------------------


@st.composite
def layouts(draw: st.DrawFn) -> list[list[int]]:
    """A grid partitioned into rectangles: grid[r][c] = id of the cell covering it."""
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(2, 6))
    grid = [[-1] * cols for _ in range(rows)]
    next_id = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != -1:
                continue
            width = draw(st.integers(1, next((w for w in range(1, cols - c) if grid[r][c + w] != -1), cols - c)))
            height = draw(st.integers(1, rows - r))
            while any(grid[r + dr][c + dc] != -1 for dr in range(height) for dc in range(width)):
                height -= 1
            for dr in range(height):
                for dc in range(width):
                    grid[r + dr][c + dc] = next_id
            next_id += 1
    return grid


def draw_table(grid: list[list[int]], xs: list[int], ys: list[int]) -> tuple[np.ndarray, set[tuple[int, ...]]]:
    """A white page with the grid's cells ruled, and the cells' boxes."""
    page = np.full((ys[-1] + 60, xs[-1] + 60), 255, np.uint8)
    boxes = set()
    for cell in {v for row in grid for v in row}:
        where = [(r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if v == cell]
        r0, c0 = min(r for r, _ in where), min(c for _, c in where)
        r1, c1 = max(r for r, _ in where) + 1, max(c for _, c in where) + 1
        cv2.rectangle(page, (xs[c0], ys[r0]), (xs[c1], ys[r1]), 0, 2)
        boxes.add((xs[c0], ys[r0], xs[c1], ys[r1]))
    return page, boxes


@settings(max_examples=40, deadline=None)
@given(layouts(), st.data())
def test_ruled_cells_and_spans_come_back_from_pixels(grid: list[list[int]], data: st.DataObject) -> None:
    widths = data.draw(st.lists(st.integers(45, 160), min_size=len(grid[0]), max_size=len(grid[0])))
    heights = data.draw(st.lists(st.integers(40, 90), min_size=len(grid), max_size=len(grid)))
    xs = [30 + sum(widths[:i]) for i in range(len(widths) + 1)]
    ys = [30 + sum(heights[:i]) for i in range(len(heights) + 1)]
    page, expected = draw_table(grid, xs, ys)
    if len(expected) < 2:
        return  # one box is a frame, not a table
    horizontal, vertical = ruling_lines(ink_mask(page, 1.0), 1.0)
    (table,) = find_tables(horizontal, vertical, 1.0)
    found = {(c.box.x0, c.box.y0, c.box.x1, c.box.y1) for c in table.cells}
    assert len(found) == len(expected)
    for box in expected:  # rules are found within 2 px of where they were drawn
        assert any(all(abs(a - b) <= 2 for a, b in zip(box, f)) for f in found)
    rows: list[list[Cell]] = [[] for _ in range(table.n_rows)]
    for cell in table.cells:
        rows[cell.row].append(Cell(f"{cell.row},{cell.col}", cell.rowspan, cell.colspan))
    resolved = resolve_grid(rows)
    for cell in table.cells:  # spans resolve each cell to where it is
        assert resolved[cell.row][cell.col].text == f"{cell.row},{cell.col}"


def test_cells_joined_by_a_broken_rule_into_no_rectangle_are_not_spanned() -> None:
    page, _ = draw_table([[0, 1], [2, 3]], [30, 130, 230], [30, 80, 130])
    page[80:130, 129:132] = 255  # the rule between the lower cells is gone
    page[79:82, 131:230] = 255  # and so is the one above the lower right cell: an L of three cells
    (table,) = find_tables(*ruling_lines(ink_mask(page, 1.0), 1.0), 1.0)
    assert [(c.row, c.col, c.rowspan, c.colspan) for c in table.cells] == [
        (0, 0, 1, 1),
        (0, 1, 1, 1),
        (1, 0, 1, 1),
        (1, 1, 1, 1),
    ]


def test_skew_is_measured_and_removed() -> None:
    grid = [[0, 1, 2], [3, 3, 4], [5, 6, 7]]
    page, _ = draw_table(grid, [40, 300, 500, 700], [40, 100, 160, 220])
    h, w = page.shape
    tilted = cv2.warpAffine(page, cv2.getRotationMatrix2D((w / 2, h / 2), 1.2, 1.0), (w, h), borderValue=255)
    assert skew_angle(tilted) == pytest.approx(-1.2, abs=0.1)
    straight, angle = deskew(tilted)
    (table,) = find_tables(*ruling_lines(ink_mask(straight, 1.0), 1.0), 1.0)
    assert angle == pytest.approx(-1.2, abs=0.1) and len(table.cells) == 8
    assert skew_angle(page) == 0.0


# --- digits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, number_cell, expected",
    [
        ("O", True, "0"),  # a letter O in a number column is the digit
        ("1O", False, "10"),  # a cell with a digit in it, anywhere
        ("l2", True, "12"),
        ("一18", True, "-18"),  # a minus read as the numeral 一
        ("O", False, "O"),  # no digit, not a number column: not a number
        ("", True, ""),  # a blank stays blank: no value is invented
        ("一", True, "一"),
        ("/", True, "/"),
        ("1a", True, "1a"),  # `a` is no digit confusion: the cell stays as read
        ("OK", True, "OK"),
        ("结果", True, "结果"),
        ("1 2", True, "1 2"),  # already a number (2 cells' digits or 12): as read
        ("9116.36", True, "9116.36"),
    ],
)
def test_confusable_letters_become_digits_only_when_the_cell_is_then_a_number(
    text: str, number_cell: bool, expected: str
) -> None:
    assert corrected_number(text, number_cell) == expected


def test_corrections_never_change_how_many_digits_a_cell_has() -> None:
    for text in ["O", "lO", "S8", "1,O00", "2.5", "Bl", "IIl"]:
        fixed = corrected_number(text, True)
        assert len([ch for ch in fixed if ch.isdigit()]) in (0, len(text.replace(",", "").replace(".", "")))


def _table(*rows: list[str]) -> Table:
    return Table([[Cell(t) for t in row] for row in rows], 1, ocr=True)


def test_number_cells_are_checked_against_what_they_hold() -> None:
    table = _table(
        ["信息内容", "本年新收", "本年收费金额(单位:万元)"],
        ["行政许可", "O", "91l6.36"],
        ["行政处罚", "1.5", "1,23"],
        ["行政强制", "", "l"],
    )
    checked, issues = check_table(table, "p. 3, table 1")
    assert [c.text for c in checked.rows[1]] == ["行政许可", "0", "9116.36"]
    assert [c.text for c in checked.rows[3]] == ["行政强制", "", "1"]
    # Kept as read: 1.5 with a warning, 1,23 for the table readers (not a number: NULL, bad_value).
    assert [c.text for c in checked.rows[2]] == ["行政处罚", "1.5", "1,23"]
    (issue,) = issues
    assert issue.code == Code.BAD_VALUE and issue.severity == Severity.WARNING
    assert "row 3, col 2" in issue.message and "decimal point where a count belongs" in issue.message


# --- switch, cap, image files ------------------------------------------------------------------


def test_settings_come_from_the_environment_or_the_caller() -> None:
    assert OcrSettings.from_env({}) == OcrSettings(True, 30)
    assert OcrSettings.from_env({"GOVREPORTS_OCR": "off", "GOVREPORTS_MAX_OCR_PAGES": "5"}) == OcrSettings(False, 5)
    assert OcrSettings.from_env({"GOVREPORTS_MAX_OCR_PAGES": "many"}).max_pages == 30


@pytest.fixture
def fake_pages(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """read_page stubbed: the page numbers it was asked to read."""
    seen: list[int] = []

    def read_page(grey: np.ndarray, number: int, dpi: float) -> tuple[OcrPage, list]:
        seen.append(number)
        return OcrPage(number, [Paragraph(f"page {number}", f"p. {number}", ocr=True)]), []

    monkeypatch.setattr(ocr, "read_page", read_page)
    return seen


def test_pages_over_the_cap_are_not_read_and_are_named(fake_pages: list[int]) -> None:
    blank = np.full((200, 140), 255, np.uint8)
    loaded: list[int] = []

    def loader(n: int) -> np.ndarray:
        loaded.append(n)
        return blank

    result = read_pages([lambda n=n: loader(n) for n in range(5)], 4, settings=OcrSettings(True, 2))
    assert fake_pages == [4, 5] and loaded == [0, 1] and result.ocr_pages == 2  # later pages never rendered
    (issue,) = result.issues
    assert issue.code == Code.NEEDS_OCR and issue.severity == Severity.WARNING
    assert "pp. 6-8" in issue.message and "cap of 2" in issue.message


def test_ocr_off_reads_nothing(fake_pages: list[int]) -> None:
    result = read_pages([np.zeros((10, 10), np.uint8)] * 2, settings=OcrSettings(False, 30))
    assert fake_pages == [] and result.blocks == [] and result.ocr_pages == 0
    assert [i.code for i in result.issues] == [Code.NEEDS_OCR] and "pp. 1-2" in result.issues[0].message


def _tiff(frames: int) -> bytes:
    import io

    from PIL import Image

    images = [Image.new("L", (120, 170), 255) for _ in range(frames)]
    out = io.BytesIO()
    images[0].save(out, format="TIFF", save_all=True, append_images=images[1:])
    return out.getvalue()


def test_a_multipage_tiff_is_one_document_and_the_cap_applies(fake_pages: list[int]) -> None:
    doc = read_image_document(_tiff(3), OcrSettings(True, 2))
    assert (doc.format, doc.pages, doc.ocr_pages, fake_pages) == ("image", 3, 2, [1, 2])
    assert [i.code for i in doc.issues] == [Code.NEEDS_OCR] and "p. 3 not read" in doc.issues[0].message


def test_an_image_with_ocr_off_or_no_page_allowed_is_an_error(fake_pages: list[int]) -> None:
    for setting in (OcrSettings(False, 30), OcrSettings(True, 0)):
        with pytest.raises(DocumentError) as caught:
            read_image_document(_tiff(1), setting)
        assert caught.value.code == Code.NEEDS_OCR
    with pytest.raises(DocumentError) as caught:
        read_image_document(b"\x89PNG\r\n\x1a\n broken")
    assert caught.value.code == Code.UNSUPPORTED_FORMAT


# --- layout -----------------------------------------------------------------------------------


def _ocr_table(page: int, left: float, right: float, *labels: str) -> Table:
    rows = [[Cell(label, where=f"p. {page}, bbox {left},100.0,{right},120.0")] for label in labels]
    return Table(rows, 0, where=f"p. {page}", ocr=True)


def test_a_table_cut_by_a_page_break_is_joined_again() -> None:
    blocks = [
        Paragraph("三、收到和处理政府信息公开申请情况", "p. 3", ocr=True),
        _ocr_table(3, 54.0, 583.3, "一、本年新收"),
        Paragraph("- 3 -", "p. 3", ocr=True),  # a page number between is no break
        _ocr_table(4, 54.5, 583.0, "（四）无法提供"),
        _ocr_table(5, 54.0, 583.3, "（七）总计"),
        Paragraph("四、政府信息公开行政复议、行政诉讼情况", "p. 5", ocr=True),
        _ocr_table(5, 54.0, 500.0, "行政复议"),
        _ocr_table(6, 80.0, 400.0, "another table"),  # other edges: not a continuation
    ]
    joined = join_continued_tables(blocks)
    tables = [b for b in joined if isinstance(b, Table)]
    assert [t.where for t in tables] == ["p. 3-5", "p. 5", "p. 6"]
    assert [row[0].text for row in tables[0].rows] == ["一、本年新收", "（四）无法提供", "（七）总计"]
    assert [t.number for t in tables] == [1, 2, 3] and all(t.ocr for t in tables)
