"""Bulk exports (pipelines.exports) of a small DuckDB file: the layout by year, the manifest,
the atomic `current` link, one previous build kept, unchanged partitions reused."""

import hashlib
import io
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
    con.execute("CREATE TABLE sections (report_id VARCHAR, ordinal INTEGER, text VARCHAR)")  # long text: one pass
    con.execute(
        "INSERT INTO sections SELECT ['a', 'b', 'c', 'z'][1 + i % 4], i, repeat('公开', 1 + i % 50) FROM range(5000) t(i)"
    )
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
        *(f"{fmt}/sections/year={y}/data_0.{fmt}" for fmt in ("parquet", "csv") for y in ("2020", "2021", "unknown")),
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
    assert (current / "csv/reports/year=unknown/data_0.csv").read_text("utf-8").splitlines() == [
        "report_id,agency,year",
        "c,丙局,",  # the year is NULL, not the folder's name
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


def test_a_table_with_long_text_is_split_by_year_in_one_pass(warehouse: Path) -> None:
    current = export(warehouse, "b1").folder
    expected = duckdb.connect(str(warehouse), read_only=True).execute(
        "SELECT s.*, r.year FROM sections s LEFT JOIN reports r USING (report_id)"
    )
    expected_rows = sorted(expected.fetchall(), key=str)
    for year, report_ids in (("2020", {"a"}), ("2021", {"b"}), ("unknown", {"c", "z"})):
        parquet = pl.read_parquet(current / f"parquet/sections/year={year}/data_0.parquet")
        csv_bytes = (current / f"csv/sections/year={year}/data_0.csv").read_bytes()
        csv = pl.read_csv(io.BytesIO(csv_bytes), schema=parquet.schema)  # not its path: the folder's year
        assert set(parquet["report_id"]) == report_ids and parquet.equals(csv)
    written = pl.read_parquet(current / "parquet" / "sections", hive_partitioning=False)
    assert written.schema == {"report_id": pl.Utf8, "ordinal": pl.Int32, "text": pl.Utf8, "year": pl.Int32}
    assert sorted(written.rows(), key=str) == expected_rows


def test_only_changed_partitions_are_written_and_one_previous_build_is_kept(warehouse: Path) -> None:
    first = export(warehouse, "b1")
    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE reports SET agency = '乙局（新）' WHERE report_id = 'b'")
    con.close()

    second = export(warehouse, "b2")

    assert (second.partitions_written, second.partitions_reused) == (1, 8)  # reports year=2021 only
    same = "parquet/reports/year=2020/data_0.parquet"
    assert (second.folder / same).stat().st_ino == (first.folder / same).stat().st_ino  # hard-linked
    changed = "csv/reports/year=2021/data_0.csv"
    assert "乙局（新）" in (second.folder / changed).read_text("utf-8")
    assert "乙局（新）" not in (first.folder / changed).read_text("utf-8")  # the old build is untouched

    (warehouse.parent / "exports" / ".b0.partial").mkdir()  # what a failed export left
    third = export(warehouse, "b3")
    assert (third.partitions_written, third.partitions_reused) == (0, 9)
    assert third.removed_builds == [".b0.partial", "b1"]
    assert sorted(p.name for p in (warehouse.parent / "exports").iterdir()) == ["b2", "b3", CURRENT]
    assert (warehouse.parent / "exports" / CURRENT).resolve().name == "b3"
