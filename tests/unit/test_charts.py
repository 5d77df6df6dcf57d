"""The chart report's SVG (pipelines.charts): well-formed, escaped, Chinese text kept as text."""

import xml.etree.ElementTree as ET

from pipelines import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def test_line_chart_draws_a_line_per_series_with_chinese_labels() -> None:
    root = parse(charts.line_chart("t", {"湖南省": {2020: 5, 2021: 7}, "福建<省>": {2021: 2}}))
    assert len(root.findall(f"{SVG}polyline")) == 1  # a series of one year is a point
    assert len(root.findall(f"{SVG}circle")) == 3
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "湖南省" in texts and "福建<省>" in texts and "2021" in texts


def test_histogram_heat_map_and_bars() -> None:
    histogram = parse(charts.histogram("d", [0.0, 0.05, 0.5, 1.0, 1.2]))
    heights = [float(r.get("height")) for r in histogram.iter(f"{SVG}rect")]
    assert sum(h > 0 for h in heights) == 4  # 0–5 %, 5–10 %, 50–55 %, 95–100 % (1.0 and 1.2 in the last bin)
    heat = parse(charts.heat_map("c", {("湖南省", 2020): (0.5, "1/2"), ("福建省", 2021): (None, "")}))
    assert len(heat.findall(f"{SVG}rect")) == 4  # every province × year cell, known or not
    bars = parse(charts.stacked_bars("b", {2020: {"on_time": 2, "late": 1}}, ("on_time", "late", "unknown")))
    assert any(r.get("fill") == charts.TIMELINESS_COLOURS["late"] for r in bars.iter(f"{SVG}rect"))


def test_no_data_is_said_not_drawn() -> None:
    for svg in (charts.line_chart("a", {}), charts.histogram("b", []), charts.heat_map("c", {})):
        assert [t.text for t in parse(svg).iter(f"{SVG}text")] == ["no data"]
