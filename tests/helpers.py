"""Shared test helpers: paths, and scratch deployments built by the real pipeline (`govreports run`)."""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.parse.document import Document
from pipelines.parse.parser import parse_document
from pipelines.parse.readers import open_document, read_document
from pipelines.warehouse.rows import to_rows

PROJECT_DIR = Path(__file__).resolve().parent.parent
RAW_DIR = PROJECT_DIR / "data" / "raw"
FIXTURES_DIR = PROJECT_DIR / "tests" / "fixtures"
# PDF and Word reports (in the embedded corpus; their answers in FIXTURES_DIR), and test-only ones.
DOCUMENTS = RAW_DIR / "fixtures"
TEST_DOCUMENTS = FIXTURES_DIR / "documents"
GOVREPORTS = Path(sys.executable).with_name("govreports")


@dataclass
class Build:
    """A scratch deployment: its raw folder, warehouse path and Dagster home."""

    root: Path

    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "GOVREPORTS_RAW_DIR": str(self.raw_dir),
            "GOVREPORTS_WAREHOUSE": str(self.warehouse),
            "GOVREPORTS_SOURCES": str(self.root / "sources.toml"),
            "DAGSTER_HOME": str(self.root / "dagster"),
            **extra,
        }

    def run(self, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        """`govreports run` (the command behind `make run`) on this deployment."""
        result = subprocess.run(
            [str(GOVREPORTS), "run"], env=self.env(**extra), capture_output=True, text=True, timeout=600
        )
        if check and result.returncode != 0:
            raise AssertionError(f"govreports run failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
        return result


def new_build(root: Path, source: Path | None = RAW_DIR) -> Build:
    build = Build(root)
    if source is not None:
        shutil.copytree(source, build.raw_dir)
    else:
        build.raw_dir.mkdir(parents=True)
    return build


def clone(build: Build, root: Path) -> Build:
    """A copy of a built deployment (raw folder with its file times, and the published
    warehouse), so a test can change it without building from scratch."""
    copy = Build(root)
    shutil.copytree(build.raw_dir, copy.raw_dir)
    shutil.copy2(build.warehouse, copy.warehouse)
    return copy


# Hostile documents (a page each): every one must become a report or a parse_issues row, in bounded time.
HEAD = "<html><head><title>某局2020年政府信息公开工作年度报告</title></head><body><p>一、总体情况</p><p>政府信息公开</p><p>二、主动公开政府信息情况</p>"
TAIL = "</body></html>"
OUTCOME_TABLE = "<table><tr><td>{label}</td>{cells}</tr><tr><td>（一）予以公开</td>{cells}</tr><tr><td>（七）总计</td>{cells}</tr></table>"

HOSTILE = {
    "deep_nesting": HEAD + "<div>" * 50_000 + "政府信息公开" + "</div>" * 50_000 + TAIL,
    "deeply_nested_tables": HEAD + "<table><tr><td>" * 20_000 + "x" + "</td></tr></table>" * 20_000 + TAIL,
    "ten_thousand_columns": HEAD
    + "<table><tr>"
    + "<td>自然人</td>" * 10_000
    + "</tr><tr><td>本年新收</td>"
    + "<td>1</td>" * 10_000
    + "</tr></table>"
    + TAIL,
    "rowspan_1e9": HEAD
    + '<table><tr><td rowspan="1000000000" colspan="1000000000">一、本年新收政府信息公开申请数量</td><td>1</td></tr><tr><td>（一）予以公开</td><td>2</td></tr></table>'
    + TAIL,
    "unclosed_comments": HEAD + "<!--" * 100_000 + TAIL,
    "unclosed_script": HEAD + "<script>" + "x" * 100_000,
    "many_tables": HEAD + "<table><tr><td>自然人</td><td>1</td></tr></table>" * 5_000 + TAIL,
    "long_digit_run": "某局2020年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n本年新收政府信息公开申请数量"
    + "1" * 5000
    + "上年结转予以公开部分公开国家秘密不掌握信访重复申请其他处理结转下年度",
}


@dataclass
class ParsedRows:
    """A parsed file as the warehouse rows it contributes."""

    rows: dict[str, list[dict[str, Any]]]
    is_report: bool


def parse_rows(data: bytes, source_uri: str, **kwargs: Any) -> ParsedRows:
    """`parse_document` on one file, as warehouse rows (what a test usually checks)."""
    result = parse_document(data, source_uri, **kwargs)
    return ParsedRows(to_rows(result), result.is_report)


def document_of(data: bytes) -> Document:
    """The document model of raw bytes, as the reader registry reads them."""
    return read_document(open_document(data))


# What a warehouse holds for a reader: the contract tables and the models, without the
# bookkeeping that differs between any two builds (logs of loads and fetches, the manifest).
BOOKKEEPING = {"raw_files", "load_runs", "fetch_log"}


def warehouse_contents(path: Path) -> dict[str, list[tuple[str, ...]]]:
    """Every table and model of a warehouse as sorted rows (values as text), bookkeeping excluded."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        ]
        contents = {}
        for name in sorted(set(names) - BOOKKEEPING):
            columns = [
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                    [name],
                ).fetchall()
                if c != "parser_version"
            ]
            query = "SELECT " + ", ".join(f'"{c}"' for c in columns) + f' FROM "{name}"'
            contents[name] = sorted(tuple(str(v) for v in row) for row in con.execute(query).fetchall())
        return contents
    finally:
        con.close()


def page(lines: list[str], title: str | None = None, heading: str | None = None) -> bytes:
    """A minimal web page: `<title>`, an `<h1>` heading, and one `<p>` per line."""
    head = f"<title>{title}</title>" if title else ""
    h1 = f"<h1>{heading}</h1>" if heading else ""
    body = "".join(f"<p>{line}</p>" for line in lines)
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{h1}{body}</body></html>".encode()


def report_of(data: bytes, source_uri: str = "p.html", **kwargs: Any) -> dict[str, Any]:
    """The `reports` row of a file that must be a report."""
    parsed = parse_rows(data, source_uri, **kwargs)
    assert parsed.is_report, parsed.rows["parse_issues"]
    return parsed.rows["reports"][0]
