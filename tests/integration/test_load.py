"""The loader without Dagster: chunked inserts give the same warehouse as one insert,
and a load repeated on the same staging copy (a retried step) changes nothing."""

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from helpers import RAW_DIR

import pipelines.warehouse.load as load_module
from pipelines.parse.version import PARSER_VERSION
from pipelines.raw.inventory import plan
from pipelines.warehouse.batches import parse_partition
from pipelines.warehouse.compaction import compact_if_needed, stored_rows
from pipelines.warehouse.integrity import duplicate_keys
from pipelines.warehouse.load import connect, create_schema, known_files, load
from pipelines.warehouse.schema import TABLES


def parse_sample(output: Path, known: dict | None = None) -> tuple[list[Path], list[str]]:
    """Parse the embedded corpus into Parquet batches of one page each."""
    work = plan(RAW_DIR, known or {}, PARSER_VERSION, buckets=3)
    dirs = []
    for key, files in work.to_parse.items():
        summary = parse_partition(key, files, RAW_DIR, output / key, work.previous, max_bytes=20_000_000, batch_size=1)
        dirs.append(Path(summary.output_dir))
    return dirs, work.removed


def contents(path: Path) -> dict[str, list[tuple]]:
    con = connect(path, read_only=True)
    try:
        return {
            name: sorted(map(repr, con.execute(f'SELECT * FROM "{name}"').fetchall()))
            for name in (*TABLES, "raw_files")
        }
    finally:
        con.close()


def test_chunked_load_equals_one_insert_and_a_repeated_load_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dirs, removed = parse_sample(tmp_path / "parsed")
    assert sum(1 for d in dirs for _ in (d / "reports").glob("part-*.parquet")) > 3  # several batches to chunk

    whole = load(tmp_path / "whole.duckdb", dirs, removed, run_id="a", files_seen=0, build="b")
    monkeypatch.setattr(load_module, "LOAD_CHUNK_FILES", 2)
    chunked = load(tmp_path / "chunked.duckdb", dirs, removed, run_id="a", files_seen=0, build="b")

    assert chunked.rows_inserted == whole.rows_inserted
    assert whole.tables_compacted == []  # nothing deleted in a new warehouse
    assert chunked.rows_inserted["reports"] > 3
    assert contents(tmp_path / "chunked.duckdb") == contents(tmp_path / "whole.duckdb")

    before = contents(tmp_path / "chunked.duckdb")
    again = load(tmp_path / "chunked.duckdb", dirs, removed, run_id="b", files_seen=0, build="b")
    assert again.files_parsed == chunked.files_parsed
    assert contents(tmp_path / "chunked.duckdb") == before


def test_a_reload_replaces_the_rows_of_reparsed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "LOAD_CHUNK_FILES", 1)
    warehouse = tmp_path / "w.duckdb"
    dirs, removed = parse_sample(tmp_path / "first")
    load(warehouse, dirs, removed, run_id="a", files_seen=0, build="b")
    first = contents(warehouse)

    con = connect(warehouse)
    try:
        known = known_files(con)
    finally:
        con.close()
    stale = {path: replace(file, parser_version="older-parser") for path, file in known.items()}
    dirs, removed = parse_sample(tmp_path / "second", stale)  # every file re-parsed, as after a parser upgrade
    assert removed == []
    load(warehouse, dirs, removed, run_id="b", files_seen=0, build="b")
    assert contents(warehouse) == first


def test_long_text_is_stored_compressed_in_a_new_warehouse_and_an_old_file_still_loads(tmp_path: Path) -> None:
    dirs, removed = parse_sample(tmp_path / "parsed")
    load(tmp_path / "new.duckdb", dirs, removed, run_id="a", files_seen=0, build="b")
    old = tmp_path / "old.duckdb"
    duckdb.connect(str(old), config={"storage_compatibility_version": "v1.0.0"}).close()  # an older file format
    load(old, dirs, removed, run_id="a", files_seen=0, build="b")

    def text_compression(path: Path) -> set[str]:
        con = connect(path, read_only=True)
        try:
            info = "SELECT DISTINCT compression FROM pragma_storage_info('sections') WHERE column_name = 'text'"
            return {row[0] for row in con.execute(info).fetchall()} - {"Constant"}
        finally:
            con.close()

    assert text_compression(tmp_path / "new.duckdb") == {"ZSTD"}
    assert text_compression(old) == {"Uncompressed"}  # the old format has no zstd: kept, not an error
    assert contents(old) == contents(tmp_path / "new.duckdb")


def test_duplicate_keys_are_counted_per_table(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    try:
        create_schema(con)
        columns = TABLES["application_outcomes"].column_names
        row = {"report_id": "r1", "row_key": "granted", "applicant": "total", "value": 1}

        def insert(**changes: object) -> None:
            values = [{**row, **changes}.get(c) for c in columns]
            con.execute(f"INSERT INTO application_outcomes VALUES ({', '.join('?' for _ in columns)})", values)

        insert()
        insert(applicant="natural_person")
        insert(report_id="r2")
        assert duplicate_keys(con) == {}
        insert(value=2)  # the key of the first row again
        insert(report_id="r2", value=3)
        insert(report_id="r2", value=4)
        assert duplicate_keys(con) == {"application_outcomes": 2}  # key values, not rows
    finally:
        con.close()


@pytest.mark.parametrize("deleted_share, rewritten", [(0.1, False), (0.3, True)])
def test_a_table_is_rewritten_once_a_fifth_of_its_stored_rows_are_deleted(
    tmp_path: Path, deleted_share: float, rewritten: bool
) -> None:
    con = connect(tmp_path / "w.duckdb")
    try:
        create_schema(con)
        con.execute(
            "INSERT INTO sections SELECT 'r' || (i // 10), i % 10, 'heading', 'overview', repeat('text ', 50) || i "
            "FROM range(20000) t(i)"
        )
        con.execute("CHECKPOINT")
        con.execute("DELETE FROM sections WHERE hash(report_id) % 1000 < ?", [int(deleted_share * 1000)])
        con.execute("CHECKPOINT")
        live = sorted(con.execute("SELECT * FROM sections").fetchall())
        assert stored_rows(con, "sections").dead_share > deleted_share / 2  # the deleted rows are still stored

        assert compact_if_needed(con, [TABLES["sections"]]) == (["sections"] if rewritten else [])
        rows = stored_rows(con, "sections")
        assert (rows.stored == rows.live) is rewritten
        assert sorted(con.execute("SELECT * FROM sections").fetchall()) == live
        compressions = con.execute(
            "SELECT DISTINCT compression FROM pragma_storage_info('sections') "
            "WHERE column_name = 'text' AND segment_type <> 'VALIDITY'"
        ).fetchall()
        assert compressions == [("ZSTD",)]  # the table's DDL, not a plain copy
    finally:
        con.close()


def test_one_table_is_rewritten_per_load_the_most_wasteful_first(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    try:
        create_schema(con)
        con.execute("INSERT INTO sections (report_id, ordinal, text) SELECT 'r' || i, 1, 'text' FROM range(5000) t(i)")
        con.execute("INSERT INTO reports (report_id, agency) SELECT 'r' || i, '甲局' FROM range(5000) t(i)")
        con.execute("CHECKPOINT")
        con.execute("DELETE FROM sections WHERE hash(report_id) % 10 < 4")  # about 40 %
        con.execute("DELETE FROM reports WHERE hash(report_id) % 10 >= 7")  # about 30 %
        con.execute("CHECKPOINT")
        specs = [TABLES["reports"], TABLES["sections"]]
        assert compact_if_needed(con, specs) == ["sections"]
        assert compact_if_needed(con, specs) == ["reports"]
        assert compact_if_needed(con, specs) == []
    finally:
        con.close()
