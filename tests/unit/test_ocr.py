"""The OCR reader on real pixels: the scan fixtures' tables as grids the table readers read,
a page drawn here with merged cells, models that load offline, HTML runs without the OCR
stack. Four OCR pages in all (a few seconds each), plus one small line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES_DIR, PROJECT_DIR

from pipelines.parse.document import Document, Paragraph, Table
from pipelines.parse.readers.ocr import OcrSettings, read_image_document, read_pages
from pipelines.parse.tables.disclosure import read_disclosure
from pipelines.parse.tables.outcomes import read_outcomes
from pipelines.parse.tables.review import read_review_litigation
from pipelines.parse.templates import template_named

SCANS = FIXTURES_DIR / "scans"
IN_CI = bool(os.environ.get("CI"))
ON = OcrSettings(enabled=True, max_pages=30)


def require(condition: bool, reason: str) -> None:
    """Skip when a local machine lacks what the test needs; in CI, fail instead."""
    if not condition:
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


def _installed(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module", autouse=True)
def ocr_stack() -> None:
    require(_installed("rapidocr") and _installed("onnxruntime"), "rapidocr/onnxruntime not installed")


def truth(name: str) -> dict:
    return json.loads((SCANS / f"{name}.truth.json").read_text(encoding="utf-8"))


def values_of(table: Table, label: str) -> list[str]:
    """The value cells of the row whose own label contains `label`."""
    for row in table.rows:
        texts = [c.text for c in row]
        if any(label in t for t in texts):
            return [t for t in texts if t and not any("\u4e00" <= ch <= "\u9fff" for ch in t)]
    raise AssertionError(f"no row labelled {label}")


@pytest.fixture(scope="module")
def png() -> Document:
    """004-p3.png: table 二 and the first rows of table 三 (1 OCR page)."""
    return read_image_document((SCANS / "004-p3.png").read_bytes(), ON)


@pytest.fixture(scope="module")
def jpeg() -> Document:
    """002-p12.jpg: the end of table 三 and all of table 四 (1 OCR page)."""
    return read_image_document((SCANS / "002-p12.jpg").read_bytes(), ON)


def test_png_table_three_is_a_grid_with_the_template_labels_and_the_truth_values(png: Document) -> None:
    assert (png.format, png.pages, png.ocr_pages) == ("image", 1, 1)
    assert all(b.ocr for b in png.blocks) and all(b.where and b.where.startswith("p. 1") for b in png.blocks)
    table = next(t for t in png.tables if any("本年新收" in c.text for r in t.rows for c in r))
    header = table.rows[0]
    assert (header[0].rowspan, header[0].colspan) == (3, 3) and "勾稽关系" in header[0].text
    assert (header[1].text, header[1].colspan) == ("申请人情况", 7)
    assert [c.text for c in table.rows[2]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    group = next(c for r in table.rows for c in r if "本年度办理结果" in c.text)
    assert group.rowspan == 3 and group.text == "三、本年度办理结果"
    t3 = truth("004-p3.png")["table3"]
    new = values_of(table, "一、本年新收政府信息公开申请数量")
    assert new == [str(t3["natural_person_new"]), "3", "0", "0", "0", "0", str(t3["new_received_total"])]
    assert values_of(table, "二、上年结转政府信息公开申请数量")[-1] == str(t3["carried_over_total"])
    assert values_of(table, "(一)予以公开")[-1] == str(t3["granted_total"])
    assert values_of(table, "(二)部分公开")[-1] == str(t3["partially_granted_total"])
    assert len(table.grid()[-1]) == 10  # 3 label columns and 7 value columns, spans resolved
    cell = table.rows[3][1]
    x0, top, x1, bottom = map(float, cell.where.split("bbox ")[1].split(","))
    assert 0 < x0 < x1 <= 596 and 0 < top < bottom <= 842  # points on an A4 page (150 dpi image)


def test_png_blocks_feed_the_table_readers(png: Document) -> None:
    t3, t2 = truth("004-p3.png")["table3"], truth("004-p3.png")["table2"]
    outcomes = read_outcomes(png)
    facts = {key: fact.value for key, fact in outcomes.facts.items()}
    assert facts[("new_received", "total")] == t3["new_received_total"]
    assert facts[("new_received", "natural_person")] == t3["natural_person_new"]
    assert facts[("carried_over", "total")] == t3["carried_over_total"]
    assert facts[("granted", "total")] == t3["granted_total"]
    assert facts[("partially_granted", "total")] == t3["partially_granted_total"]
    assert not outcomes.issues
    disclosure = {key: fact.value for key, fact in read_disclosure(png, template_named("2021")).facts.items()}
    assert disclosure[("regulations", "issued")] == t2["regulations_new"]
    assert disclosure[("normative_documents", "issued")] == t2["normative_docs_new"]
    assert disclosure[("licensing", "decisions")] == t2["licensing_decisions"]
    assert disclosure[("penalty", "decisions")] == t2["penalty_decisions"]


def test_jpeg_table_four_reads_its_fifteen_values(jpeg: Document) -> None:
    t3, t4 = truth("002-p12.jpg")["table3"], truth("002-p12.jpg")["table4"]
    review = read_review_litigation(jpeg)
    assert len(review.facts) == 15 and not review.issues
    assert all(fact.value == 0 for fact in review.facts.values())
    assert review.facts[("review", "total")].value == t4["review_total"]
    assert review.facts[("litigation_direct", "total")].value == t4["litigation_direct_total"]
    assert review.facts[("litigation_after_review", "total")].value == t4["litigation_after_review_total"]
    outcomes = {key: fact.value for key, fact in read_outcomes(jpeg).facts.items()}
    assert outcomes[("total_processed", "total")] == t3["outcomes_total"]
    assert outcomes[("total_processed", "natural_person")] == 20
    assert outcomes[("carried_forward", "total")] == t3["carried_forward_total"]
    assert any(isinstance(b, Paragraph) and b.text.startswith("五、存在的主要问题") for b in jpeg.blocks)


def _cjk_font() -> str | None:
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh-cn"], capture_output=True, text=True).stdout
        if found.endswith((".ttc", ".otf", ".ttf")) and "CJK" in found:
            return found
    return next((str(p) for p in Path("/usr/share/fonts").rglob("*CJK*Regular*.tt[cf]")), None)


def test_a_page_drawn_here_gives_its_merged_cells_as_spans() -> None:
    from PIL import Image, ImageDraw, ImageFont

    font_file = _cjk_font()
    require(font_file is not None, "no CJK font (apt-get install fonts-noto-cjk)")
    font = ImageFont.truetype(font_file, 26)
    page = Image.new("L", (900, 460), 255)
    draw = ImageDraw.Draw(page)
    draw.text((60, 20), "三、收到和处理政府信息公开申请情况", font=font, fill=0)
    xs, ys = [60, 260, 460, 650, 840], [80, 140, 200, 260, 320]
    cells = [  # (row, col, rowspan, colspan, text)
        (0, 0, 2, 1, "项目"),
        (0, 1, 1, 3, "申请人情况"),
        (1, 1, 1, 1, "自然人"),
        (1, 2, 1, 1, "法人"),
        (1, 3, 1, 1, "总计"),
        (2, 0, 1, 1, "本年新收"),
        (2, 1, 1, 1, "12"),
        (2, 2, 1, 1, "3"),
        (2, 3, 1, 1, "15"),
        (3, 0, 1, 1, "上年结转"),
        (3, 1, 1, 1, "0"),
        (3, 2, 1, 1, "7"),
        (3, 3, 1, 1, "7"),
    ]
    for r, c, rs, cs, text in cells:
        draw.rectangle((xs[c], ys[r], xs[c + cs], ys[r + rs]), outline=0, width=2)
        draw.text((xs[c] + 12, ys[r] + 14 + (rs - 1) * 30), text, font=font, fill=0)
    draw.text((60, 360), "以上数据截至2023年12月31日。", font=font, fill=0)
    result = read_pages([page], 7, dpi=150, settings=ON)
    kinds = [type(b).__name__ for b in result.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"] and result.ocr_pages == 1
    table = result.blocks[1]
    got = [[(c.text, c.rowspan, c.colspan) for c in row] for row in table.rows]
    expected: list[list[tuple[str, int, int]]] = [[] for _ in range(4)]
    for r, _c, rs, cs, text in cells:
        expected[r].append((text, rs, cs))
    assert got == expected
    assert result.blocks[2].text == "以上数据截至2023年12月31日。" and result.blocks[2].where == "p. 7"


def test_the_models_load_and_run_without_network() -> None:
    """In a fresh process (models not yet loaded), with every socket call refused."""
    script = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network access attempted")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from PIL import Image
from pipelines.parse.readers.ocr import OcrSettings, read_pages
page = Image.open("tests/fixtures/scans/002-p12.jpg").crop((110, 1100, 1241, 1300))
result = read_pages([page], dpi=150, settings=OcrSettings(True, 1))
print(result.blocks[0].text)
"""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "存在的主要问题" in done.stdout


def test_an_html_run_does_not_import_the_ocr_stack() -> None:
    script = """
import sys
import pipelines.parse.readers.ocr
from pipelines.parse.parser import parse_document
result = parse_document(open("data/raw/fixtures/004.html", "rb").read(), "004.html")
assert result.is_report
print(sorted(m for m in ("rapidocr", "onnxruntime", "cv2", "PIL") if m in sys.modules))
"""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
