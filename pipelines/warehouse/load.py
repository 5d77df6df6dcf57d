"""The DuckDB side: schema, the single-writer load of parsed batches.

Every statement takes its data as parameters or from Parquet files; no SQL is built
from data. Table and column names come from pipelines.warehouse.schema only.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.raw.inventory import KnownFile
from pipelines.warehouse.compaction import compact_if_needed
from pipelines.warehouse.schema import BATCH_MANIFEST, FETCH_LOG, LOAD_RUNS, RAW_FILES, TABLES

BOOKKEEPING = (RAW_FILES, LOAD_RUNS, FETCH_LOG)


# DuckDB's own memory per connection: joins, aggregates and loads over larger tables spill
# to disk. DuckDB's use goes beyond this figure by what one connection has appended, so
# the loader also inserts in chunks on fresh connections (LOAD_CHUNK_FILES): its peak then
# does not grow with the corpus (`make bench` measures it).
MEMORY_LIMIT = "150MB"
# Parquet batches inserted per connection: 40,000 pages at the default batch size.
LOAD_CHUNK_FILES = 200
# The on-disk format of a warehouse file this code creates: the oldest that stores long text
# zstd-compressed (`Column.long_text`). DuckDB 1.2 and later read it. A file created in an
# older format keeps it, and stores such columns uncompressed.
STORAGE_VERSION = "v1.2.0"


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a warehouse file with bounded memory (spilling to a temp folder beside it)."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": MEMORY_LIMIT,
        # Loads stream instead of buffering to keep row order, which no query relies on
        # and which would make a load's memory grow with its size.
        "preserve_insertion_order": False,
        "threads": max(1, os.cpu_count() or 1),
        "temp_directory": str(path.parent / f".{path.name}.tmp"),
        "storage_compatibility_version": STORAGE_VERSION,
        # No vacuum at checkpoints: the loader compacts tables itself (compaction.py).
        "max_vacuum_tasks": 0,
    }
    return duckdb.connect(str(path), read_only=read_only, config=config)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables, and add columns that newer versions of the schema have."""
    for spec in (*TABLES.values(), *BOOKKEEPING):
        con.execute(spec.ddl())
        present = {
            row[0]
            for row in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ?",
                [spec.name],
            ).fetchall()
        }
        for column in spec.columns:
            if column.name not in present:
                con.execute(f'ALTER TABLE "{spec.name}" ADD COLUMN "{column.name}" {column.type}')


def known_files(con: duckdb.DuckDBPyConnection) -> dict[str, KnownFile]:
    """The manifest: raw path → what was loaded for it."""
    rows = con.execute(
        "SELECT raw_path, source_uri, size, mtime_ns, content_sha256, parser_version FROM raw_files"
    ).fetchall()
    return {raw_path: KnownFile(uri, size, mtime, sha, version) for raw_path, uri, size, mtime, sha, version in rows}


@dataclass(frozen=True)
class LoadSummary:
    files_parsed: int
    files_touched: int
    files_removed: int
    rows_inserted: dict[str, int]
    tables_compacted: list[str]


def _parquet_files(partition_dirs: list[Path], table: str) -> list[str]:
    return sorted(str(p) for d in partition_dirs for p in (d / table).glob("part-*.parquet"))


def _chunks(files: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(files), LOAD_CHUNK_FILES):
        yield files[start : start + LOAD_CHUNK_FILES]


def _read_manifest(con: duckdb.DuckDBPyConnection, manifest_files: list[str], removed: list[str]) -> None:
    """Temp tables `_batch` (the manifest rows of this load) and `_gone` (raw paths whose
    rows are replaced: re-parsed or removed files)."""
    if manifest_files:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _batch AS SELECT * FROM read_parquet(?, union_by_name = true)",
            [manifest_files],
        )
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE _batch AS SELECT *, ''::VARCHAR AS action FROM raw_files WHERE false")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _gone AS SELECT raw_path FROM _batch WHERE action = 'parsed' UNION SELECT unnest(?::VARCHAR[])",
        [removed],
    )


def load(
    path: Path,
    partition_dirs: list[Path],
    removed: list[str],
    *,
    run_id: str,
    files_seen: int,
    build: str,
) -> LoadSummary:
    """Replace the rows of every re-parsed or removed file in the warehouse at `path` with
    the partitions' output, and record the load (with `build`, what built it) in load_runs.

    Meant for a run's staging copy, which is published only when the whole run succeeds:
    the load is three steps, each repeatable — delete the replaced rows; insert the
    batches, LOAD_CHUNK_FILES Parquet files per connection (so memory stays bounded
    whatever the corpus size); then update raw_files and load_runs. Last, the tables whose
    deleted rows piled up are rewritten (compaction.py)."""
    manifest_files = _parquet_files(partition_dirs, BATCH_MANIFEST)
    _delete_replaced(path, manifest_files, removed)
    inserted = _insert_batches(path, partition_dirs)
    parsed, touched = _record_files(path, manifest_files, removed, run_id=run_id, files_seen=files_seen, build=build)
    with closing(connect(path)) as con:
        compacted = compact_if_needed(con, [*TABLES.values(), RAW_FILES])
    return LoadSummary(parsed, touched, len(removed), inserted, compacted)


def _delete_replaced(path: Path, manifest_files: list[str], removed: list[str]) -> None:
    """Delete the rows of the old and new source URI of every re-parsed or removed file."""
    with closing(connect(path)) as con:
        con.execute("BEGIN TRANSACTION")
        create_schema(con)
        _read_manifest(con, manifest_files, removed)
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE _replaced AS
            SELECT source_uri FROM raw_files WHERE raw_path IN (SELECT raw_path FROM _gone)
            UNION SELECT source_uri FROM _batch WHERE action = 'parsed'
            """
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _replaced_reports AS "
            "SELECT report_id FROM reports WHERE source_uri IN (SELECT source_uri FROM _replaced)"
        )
        for spec in TABLES.values():
            if spec.replaced_by == "report_id":
                con.execute(f'DELETE FROM "{spec.name}" WHERE report_id IN (SELECT report_id FROM _replaced_reports)')
            else:
                con.execute(f'DELETE FROM "{spec.name}" WHERE source_uri IN (SELECT source_uri FROM _replaced)')
        con.execute("COMMIT")


def _insert_batches(path: Path, partition_dirs: list[Path]) -> dict[str, int]:
    """Insert the Parquet batches, a fresh connection per chunk: DuckDB's memory beyond its
    limit grows with what one connection has appended, so the peak stays that of one chunk."""
    inserted: dict[str, int] = {}
    for spec in TABLES.values():
        columns = ", ".join(f'"{c}"' for c in spec.column_names)
        for files in _chunks(_parquet_files(partition_dirs, spec.name)):
            with closing(connect(path)) as con:
                count = con.execute(
                    f'INSERT INTO "{spec.name}" ({columns}) SELECT {columns} FROM read_parquet(?, union_by_name = true)',
                    [files],
                ).fetchone()
            inserted[spec.name] = inserted.get(spec.name, 0) + (int(count[0]) if count else 0)
    return inserted


def _record_files(
    path: Path, manifest_files: list[str], removed: list[str], *, run_id: str, files_seen: int, build: str
) -> tuple[int, int]:
    """Update raw_files from the manifest batches and append the load to load_runs:
    (files parsed, files only touched)."""
    with closing(connect(path)) as con:
        con.execute("BEGIN TRANSACTION")
        _read_manifest(con, manifest_files, removed)
        con.execute("DELETE FROM raw_files WHERE raw_path IN (SELECT raw_path FROM _gone)")
        columns = ", ".join(f'"{c}"' for c in RAW_FILES.column_names)
        con.execute(f"INSERT INTO raw_files ({columns}) SELECT {columns} FROM _batch WHERE action = 'parsed'")
        con.execute(
            """
            UPDATE raw_files SET size = b.size, mtime_ns = b.mtime_ns
              FROM _batch b WHERE raw_files.raw_path = b.raw_path AND b.action = 'touched'
            """
        )
        parsed, touched = con.execute(
            "SELECT count(*) FILTER (WHERE action = 'parsed'), count(*) FILTER (WHERE action = 'touched') FROM _batch"
        ).fetchone() or (0, 0)
        columns = ", ".join(f'"{c}"' for c in LOAD_RUNS.column_names)
        con.execute(
            f"INSERT INTO load_runs ({columns}) VALUES (?, ?, ?, ?, ?, ?)",
            [run_id, dt.datetime.now(dt.UTC).replace(tzinfo=None), files_seen, parsed, len(removed), build],
        )
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    return int(parsed), int(touched)


def last_build(con: duckdb.DuckDBPyConnection) -> str | None:
    """What built the warehouse at its last load (load_runs.build), or None."""
    row = con.execute("SELECT build FROM load_runs ORDER BY loaded_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def build_before(con: duckdb.DuckDBPyConnection, run_id: str) -> str | None:
    """What built the warehouse before the run `run_id` loaded it: the build of the latest load
    of another run (None for a new warehouse). In a run's staging copy, that is what built the
    models the copy holds."""
    row = con.execute(
        "SELECT build FROM load_runs WHERE run_id <> ? ORDER BY loaded_at DESC LIMIT 1", [run_id]
    ).fetchone()
    return row[0] if row else None
