"""The chart report: one static HTML page of what a researcher looks at first, rebuilt with
the warehouse. Everything is inline (SVG drawn by pipelines.charts, CSS): it opens offline,
from the file, in any browser.

Charts: new applications and the disclosure rate over the years by province (region_year),
the distribution of disclosure_rate across agencies (indicators), the coverage matrix of
provinces × years (coverage_summary) as a heat map, and publication timeliness by year
(publication_timeliness).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from html import escape
from pathlib import Path

import duckdb

from pipelines import charts

REPORT_NAME = "report.html"
TOP_PROVINCES = 8  # lines per chart: the provinces with the most new applications
FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
TIMELINESS = ("on_time", "late", "unknown")


@dataclass(frozen=True)
class Figure:
    title: str
    svg: str
    caption: str


def _has(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ?", [relation]
    ).fetchone()
    return bool(row and row[0])


def _province_series(con: duckdb.DuckDBPyConnection) -> tuple[charts.Series, charts.Series]:
    """New applications and disclosure rate by year for the provinces with the most applications."""
    rows = con.execute(
        """
        WITH top AS (
            SELECT region FROM region_year WHERE region_level = 'province'
             GROUP BY region ORDER BY coalesce(sum(new_received), 0) DESC, region LIMIT ?
        )
        SELECT region, year, new_received, disclosure_rate FROM region_year
         WHERE region_level = 'province' AND region IN (SELECT region FROM top) ORDER BY region, year
        """,
        [TOP_PROVINCES],
    ).fetchall()
    applications: charts.Series = {}
    rates: charts.Series = {}
    for region, year, new_received, rate in rows:
        if new_received is not None:
            applications.setdefault(region, {})[year] = float(new_received)
        if rate is not None:
            rates.setdefault(region, {})[year] = float(rate)
    return applications, rates


def _figures(con: duckdb.DuckDBPyConnection) -> list[Figure]:
    applications, rates = _province_series(con)
    values = [
        r[0]
        for r in con.execute(
            "SELECT disclosure_rate FROM indicators WHERE disclosure_rate IS NOT NULL AND NOT small_sample"
        ).fetchall()
    ]
    cells = {
        (province or "（省份不明）", year): (rate, f"{present}/{agencies}")
        for province, year, rate, present, agencies in con.execute(
            "SELECT province, year, coverage_rate, present, agencies FROM coverage_summary"
        ).fetchall()
    }
    timeliness: dict[int, dict[str, int]] = {}
    for year, status, n in con.execute(
        "SELECT year, timeliness, count(*) FROM publication_timeliness WHERE year IS NOT NULL GROUP BY ALL"
    ).fetchall():
        timeliness.setdefault(year, {})[status] = n
    return [
        Figure(
            "新收申请数 · New applications by province",
            charts.line_chart("New applications by province", applications),
            f"region_year.new_received at the province level; the {TOP_PROVINCES} provinces with the most applications.",
        ),
        Figure(
            "公开率 · Disclosure rate by province",
            charts.line_chart("Disclosure rate by province", rates, percent=True),
            "region_year.disclosure_rate: (granted + partially granted) / processed over the province's chosen reports.",
        ),
        Figure(
            "公开率分布 · Distribution of the disclosure rate across agencies",
            charts.histogram("Distribution of disclosure_rate", values),
            "indicators.disclosure_rate of every agency and year with 30 or more applications processed (not small_sample).",
        ),
        Figure(
            "覆盖矩阵 · Coverage: agencies that reported / agencies expected",
            charts.heat_map("Coverage by province and year", cells),
            "coverage_summary: present / agencies per province and year; darker is more complete.",
        ),
        Figure(
            "按时发布 · Publication timeliness",
            charts.stacked_bars("Publication timeliness by year", timeliness, TIMELINESS),
            "publication_timeliness: on time, late or unknown against the statutory deadline (seed templates).",
        ),
    ]


def _summary(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    row = con.execute(
        """
        SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM agency_year),
               (SELECT count(DISTINCT agency) FROM agency_year), (SELECT min(year) FROM agency_year),
               (SELECT max(year) FROM agency_year)
        """
    ).fetchone() or (0, 0, 0, None, None)
    reports, agency_years, agencies, first, last = row
    return [
        ("reports ingested", f"{reports:,}"),
        ("agency-years (chosen copies)", f"{agency_years:,}"),
        ("agencies", f"{agencies:,}"),
        ("years", f"{first}–{last}" if first is not None else "none"),
    ]


def render(con: duckdb.DuckDBPyConnection, *, build_id: str, parser_version: str) -> str:
    """The report page of a published warehouse (the models must exist), as HTML text."""
    if not all(_has(con, m) for m in ("region_year", "indicators", "coverage_summary", "publication_timeliness")):
        figures = [Figure("No models", charts.empty_chart("No models", "the SQL models are not built"), "")]
    else:
        figures = _figures(con)
    summary = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in _summary(con))
    body = "".join(
        f"<figure><h2>{escape(f.title)}</h2>{f.svg}<figcaption>{escape(f.caption)}</figcaption></figure>"
        for f in figures
    )
    built = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return f"""<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政府信息公开工作年度报告 · govreports</title>
<style>
body {{ font-family: {FONT_FAMILY}; margin: 2em auto; max-width: 960px; color: #222; background: #fff; }}
svg {{ font-family: {FONT_FAMILY}; max-width: 100%; height: auto; }}
figure {{ margin: 2em 0; }} figcaption {{ color: #555; font-size: 0.9em; }}
dl {{ display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }} dt {{ color: #555; }}
h2 {{ font-size: 1.1em; }}
</style></head>
<body>
<h1>政府信息公开工作年度报告 · 数据概览</h1>
<p>Build {escape(build_id)}, parser {escape(parser_version)}, drawn {escape(built)}. Every figure is a query
of the published warehouse; the data files are in the parquet/ and csv/ folders beside this page.</p>
<dl>{summary}</dl>
{body}
</body></html>
"""


def write_report(con: duckdb.DuckDBPyConnection, folder: Path, *, build_id: str, parser_version: str) -> Path:
    """Write report.html into `folder` (a temporary file renamed into place)."""
    target = folder / REPORT_NAME
    temporary = folder / f".{REPORT_NAME}.{os.getpid()}"
    temporary.write_text(render(con, build_id=build_id, parser_version=parser_version), "utf-8")
    os.replace(temporary, target)
    return target
