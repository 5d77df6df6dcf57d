"""Bulk exports (pipelines.exports) of a small DuckDB file: the layout by year, the manifest,
the atomic `current` link, one previous build kept, unchanged partitions reused."""

import hashlib
import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.exports import CURRENT, MANIFEST, export_warehouse


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE reports (report_id VARCHAR, agency VARCHAR, year INTEGER)")
    con.execute("INSERT INTO reports VALUES ('a', '甲局', 2020), ('b', '乙局', 2021), ('c', '丙局', NULL)")
    con.execute("CREATE TABLE parse_issues (source_uri VARCHAR, report_id VARCHAR, code VARCHAR)")
    con.execute("INSERT INTO parse_issues VALUES ('a.html', 'a', 'short_row'), ('x.bin', NULL, 'binary')")
    con.execute("CREATE TABLE agencies (agency VARCHAR, failed VARCHAR[])")
    con.execute("INSERT INTO agencies VALUES ('甲局', ['x', 'y'])")
    con.execute("CREATE VIEW stg_reports AS SELECT * FROM reports")
    con.close()
    return path


def export(warehouse: Path, build_id: str):  # noqa: ANN201 - ExportResult
    return export_warehouse(warehouse, warehouse.parent / "exports", build_id, parser_version="test-1")


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_every_table_by_year_with_a_manifest(warehouse: Path) -> None:
    result = export(warehouse, "b1")

    current = warehouse.parent / "exports" / CURRENT
    assert current.is_symlink() and current.resolve() == result.folder
    assert files(current) == {
        MANIFEST,
        *(f"{fmt}/reports/year={y}/data_0.{fmt}" for fmt in ("parquet", "csv") for y in ("2020", "2021", "unknown")),
        *(f"{fmt}/parse_issues/year={y}/data_0.{fmt}" for fmt in ("parquet", "csv") for y in ("2020", "unknown")),
        "parquet/agencies.parquet",
        "csv/agencies.csv",
    }  # views (stg_*) are not exported
    issues = pl.read_parquet(current / "parquet" / "parse_issues", hive_partitioning=False)
    assert sorted(issues.select("code", "year").rows(), key=str) == [("binary", None), ("short_row", 2020)]
    reports = pl.read_parquet(current / "parquet" / "reports", hive_partitioning=False)
    assert reports.schema["year"] == pl.Int32 and reports.height == 3
    assert (current / "csv/reports/year=2020/data_0.csv").read_text("utf-8").splitlines() == [
        "report_id,agency,year",
        "a,甲局,2020",
    ]
    manifest = json.loads((current / MANIFEST).read_text("utf-8"))
    assert manifest["parser_version"] == "test-1" and manifest["build_id"] == "b1" and manifest["built_at"]
    assert manifest["tables"]["reports"]["rows"] == 3
    assert manifest["tables"]["parse_issues"]["schema"][-1] == {"name": "year", "type": "INTEGER"}
    for table in manifest["tables"].values():
        for partition in table["partitions"].values():
            for file in partition["files"].values():
                data = (current / file["path"]).read_bytes()
                assert (len(data), hashlib.sha256(data).hexdigest()) == (file["bytes"], file["sha256"])
    assert manifest["tables"]["agencies"]["partitions"][""]["rows"] == 1


def test_only_changed_partitions_are_written_and_one_previous_build_is_kept(warehouse: Path) -> None:
    first = export(warehouse, "b1")
    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE reports SET agency = '乙局（新）' WHERE report_id = 'b'")
    con.close()

    second = export(warehouse, "b2")

    assert (second.partitions_written, second.partitions_reused) == (1, 5)  # reports year=2021 only
    same = "parquet/reports/year=2020/data_0.parquet"
    assert (second.folder / same).stat().st_ino == (first.folder / same).stat().st_ino  # hard-linked
    changed = "csv/reports/year=2021/data_0.csv"
    assert "乙局（新）" in (second.folder / changed).read_text("utf-8")
    assert "乙局（新）" not in (first.folder / changed).read_text("utf-8")  # the old build is untouched

    third = export(warehouse, "b3")
    assert (third.partitions_written, third.partitions_reused) == (0, 6)
    assert third.removed_builds == ["b1"]
    assert sorted(p.name for p in (warehouse.parent / "exports").iterdir()) == ["b2", "b3", CURRENT]
    assert (warehouse.parent / "exports" / CURRENT).resolve().name == "b3"
