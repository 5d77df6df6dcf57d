"""Bulk exports of the published warehouse: Parquet and CSV of every table and model.

After each publish, `export_warehouse` writes `exports/<build-id>/` beside the warehouse:

    parquet/<relation>/year=<year>/data_0.parquet   a relation with a year, or with a report_id
    csv/<relation>/year=<year>/data_0.csv           (the report's year, added as a column `year`);
                                                    rows without a year (or report): year=unknown
    parquet/<relation>.parquet, csv/<relation>.csv  a relation with neither: one file each
    manifest.json                                   rows, schema, sha256 of every file, build time,
                                                    parser version, and a content hash per partition

then points `exports/current` at it by replacing a symlink atomically. Every build but the one
`current` pointed to is removed before the new one is written, so the new one and the one before
it remain. A partition whose content hash (rows, schema and DuckDB's
hash of every row, summed) equals the previous build's is not written again: its files are
hard-linked from the previous build. A table with long text (`Column.long_text`: sections) is
read once and its rows handed out to one Parquet writer per year; any other relation is read
once per year, which for narrow rows is cheaper than moving them through Python. The staging views (mirrors of the tables) are not exported.
Every partitioned file holds its rows' `year` (NULL in year=unknown): read them with hive
partitioning off (`read_parquet(…, hive_partitioning = false)`), or the folder's `unknown`
turns the column into text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from pipelines.warehouse.schema import TABLES

CURRENT = "current"
MANIFEST = "manifest.json"
FORMATS = ("parquet", "csv")
UNKNOWN_YEAR = "unknown"
# Row groups capped in bytes, not rows: a row group of wide rows (fetch_log's lists of URLs)
# would otherwise need more memory than the connection's limit.
_COPY_OPTIONS = {
    "parquet": "FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE_BYTES '16MB'",
    "csv": "FORMAT csv, HEADER true",
}
_PARTITION = "export_year"  # the helper column naming a row's partition (not written)
# Tables read once and fanned out by year: decompressing their long text once per year
# partition would cost more than the whole export of the other tables.
_ONE_PASS = frozenset(name for name, spec in TABLES.items() if spec.has_long_text)
_BATCH_ROWS = 1 << 14
_ROW_GROUP_BYTES = 4 << 20  # rows of one partition buffered before they are written (4 MB per year partition)


@dataclass(frozen=True)
class Relation:
    """A table or model of schema main and how it is partitioned: by its own `year`, by the
    year of its report (`report_id`), or not at all."""

    name: str
    columns: list[tuple[str, str]]  # (name, type)
    partitioned_by: str | None  # "year", "report_id" or None

    @property
    def file_columns(self) -> list[tuple[str, str]]:
        """The columns of its data files."""
        return self.columns + ([("year", "INTEGER")] if self.partitioned_by == "report_id" else [])

    def source(self) -> str:
        """A query of the relation's rows with the partition helper column; a relation
        partitioned by its report gets the report's `year` as a column of its own."""
        if self.partitioned_by == "year":
            return f'SELECT t.*, coalesce(CAST(t."year" AS VARCHAR), \'{UNKNOWN_YEAR}\') AS {_PARTITION} FROM "{self.name}" t'
        if self.partitioned_by == "report_id":
            return (
                f"SELECT t.*, r.year AS year, coalesce(CAST(r.year AS VARCHAR), '{UNKNOWN_YEAR}') AS {_PARTITION} "
                f'FROM "{self.name}" t LEFT JOIN (SELECT report_id, year FROM reports) r ON t.report_id = r.report_id'
            )
        return f'SELECT t.* FROM "{self.name}" t'


@dataclass
class ExportResult:
    """What one export did."""

    build_id: str
    folder: Path
    relations: int
    partitions_written: int
    partitions_reused: int
    files: int
    bytes: int
    removed_builds: list[str] = field(default_factory=list)


def relations(con: duckdb.DuckDBPyConnection) -> list[Relation]:
    """Every base table of schema main (tables, models, seeds), in name order."""
    rows = con.execute(
        """
        SELECT c.table_name, c.column_name, c.data_type
          FROM information_schema.columns c
          JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE'
         ORDER BY c.table_name, c.ordinal_position
        """
    ).fetchall()
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        columns.setdefault(table, []).append((column, data_type))
    has_reports = "reports" in columns
    found = []
    for name, cols in columns.items():
        names = {c for c, _ in cols}
        by = "year" if "year" in names else "report_id" if "report_id" in names and has_reports else None
        found.append(Relation(name, cols, by))
    return found


def partition_hashes(con: duckdb.DuckDBPyConnection, relation: Relation) -> dict[str, dict[str, Any]]:
    """Rows and a content hash of each partition ("" for an unpartitioned relation): the
    relation's schema, the row count and the sum of DuckDB's hash of every row."""
    schema = json.dumps(relation.file_columns, ensure_ascii=False)
    if relation.partitioned_by is None:
        query = f"SELECT '' AS p, count(*), CAST(coalesce(sum(hash(s)), 0) AS VARCHAR) FROM ({relation.source()}) s"
    else:
        query = (
            f"SELECT {_PARTITION}, count(*), CAST(sum(hash(s)) AS VARCHAR) FROM ({relation.source()}) s "
            f"GROUP BY {_PARTITION}"
        )
    hashes = {}
    for partition, rows, row_hash in con.execute(query).fetchall():
        digest = hashlib.sha256(f"{duckdb.__version__}\0{schema}\0{rows}\0{row_hash}".encode()).hexdigest()
        hashes[str(partition)] = {"rows": int(rows), "content_hash": digest}
    return hashes


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_path(relation: Relation, fmt: str, partition: str) -> str:
    """A data file's path relative to the build folder."""
    if relation.partitioned_by is None:
        return f"{fmt}/{relation.name}.{fmt}"
    return f"{fmt}/{relation.name}/year={partition}/data_0.{fmt}"


def _write(con: duckdb.DuckDBPyConnection, relation: Relation, partitions: list[str], build: Path) -> dict[str, str]:
    """Write the partitions: each one's Parquet file (streamed from the warehouse), then its
    CSV file from that Parquet file, which is cheaper than reading the warehouse again; two
    partitions at a time (a cursor each). Each file is hashed by its writer. The sha256 of
    each file, by path."""
    for partition in partitions:
        for fmt in FORMATS:
            (build / _file_path(relation, fmt, partition)).parent.mkdir(parents=True, exist_ok=True)
    one_pass = relation.name in _ONE_PASS and relation.partitioned_by is not None
    if one_pass:
        _write_parquet_in_one_pass(con, relation, partitions, build)
    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(_write_partition, con, relation, p, build, write_parquet=not one_pass) for p in partitions]
        return {path: sha for job in jobs for path, sha in job.result().items()}


def _write_partition(
    con: duckdb.DuckDBPyConnection, relation: Relation, partition: str, build: Path, *, write_parquet: bool
) -> dict[str, str]:
    parquet, csv = (_file_path(relation, fmt, partition) for fmt in FORMATS)
    cursor = con.cursor()
    try:
        if write_parquet:
            query, parameters = _partition_query(relation, partition)
            cursor.execute(f"COPY ({query}) TO '{_quoted(build / parquet)}' ({_COPY_OPTIONS['parquet']})", parameters)
        cursor.execute(
            f"COPY (SELECT * FROM read_parquet('{_quoted(build / parquet)}', hive_partitioning = false)) TO '{_quoted(build / csv)}' "
            f"({_COPY_OPTIONS['csv']})"
        )
    finally:
        cursor.close()
    return {path: _sha256(build / path) for path in (parquet, csv)}


def _partition_query(relation: Relation, partition: str) -> tuple[str, list[str]]:
    if relation.partitioned_by is None:
        return relation.source(), []
    return f"SELECT * EXCLUDE ({_PARTITION}) FROM ({relation.source()}) s WHERE {_PARTITION} = ?", [partition]


def _write_parquet_in_one_pass(
    con: duckdb.DuckDBPyConnection, relation: Relation, partitions: list[str], build: Path
) -> None:
    """The partitions' Parquet files from one scan of the relation: each batch of rows is
    split by partition, and each partition's rows are buffered up to a row group's size."""
    import pyarrow as pa  # here: the process that only orchestrates a run imports this module
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = ", ".join("?" for _ in partitions)
    query = f"SELECT * FROM ({relation.source()}) s WHERE {_PARTITION} IN ({wanted})"
    cursor = con.cursor()
    try:
        reader = cursor.execute(query, partitions).to_arrow_reader(_BATCH_ROWS)
        schema = reader.schema.remove(reader.schema.get_field_index(_PARTITION))
        writers = {
            p: pq.ParquetWriter(build / _file_path(relation, "parquet", p), schema, compression="zstd")
            for p in partitions
        }
        pending: dict[str, list[Any]] = {p: [] for p in partitions}  # record batches

        def flush(partition: str) -> None:
            writers[partition].write_table(pa.Table.from_batches(pending[partition], schema))
            pending[partition] = []

        try:
            for batch in reader:
                keys = batch.column(_PARTITION)
                rows = batch.drop_columns([_PARTITION])
                for partition in pc.unique(keys).to_pylist():
                    pending[partition].append(rows.filter(pc.equal(keys, partition)))
                    if sum(b.nbytes for b in pending[partition]) >= _ROW_GROUP_BYTES:
                        flush(partition)
            for partition in partitions:
                if pending[partition]:
                    flush(partition)
        finally:
            for writer in writers.values():
                writer.close()
    finally:
        cursor.close()


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _reuse(previous: Path, build: Path, relation: Relation, partition: str) -> bool:
    """Hard-link a partition's files from the previous build; False when one is missing."""
    sources = [previous / _file_path(relation, fmt, partition) for fmt in FORMATS]
    if not all(s.is_file() for s in sources):
        return False
    for fmt, source in zip(FORMATS, sources):
        target = build / _file_path(relation, fmt, partition)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copy2(source, target)
    return True


def _previous_build(exports_dir: Path) -> tuple[Path | None, dict[str, Any]]:
    """The build `current` points to, and its manifest (empty when unreadable)."""
    current = exports_dir / CURRENT
    if not current.is_symlink():
        return None, {}
    folder = current.resolve()
    try:
        return folder, json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return folder, {}


def _export_relation(
    con: duckdb.DuckDBPyConnection, relation: Relation, build: Path, previous: Path | None, old: dict[str, Any]
) -> tuple[dict[str, Any], int, int]:
    """Export one relation (changed partitions written, the others reused): its manifest
    entry, partitions written, partitions reused."""
    hashes = partition_hashes(con, relation)
    old_partitions = old.get("partitions", {})
    reused = [
        p
        for p, h in hashes.items()
        if previous is not None
        and old_partitions.get(p, {}).get("content_hash") == h["content_hash"]
        and _reuse(previous, build, relation, p)
    ]
    changed = [p for p in hashes if p not in reused]
    written = _write(con, relation, changed, build) if changed else {}
    partitions = {}
    for partition, entry in sorted(hashes.items()):
        files = {}
        for fmt in FORMATS:
            path = _file_path(relation, fmt, partition)
            known = old_partitions.get(partition, {}).get("files", {}).get(fmt)
            sha = written.get(path) or (known["sha256"] if known else _sha256(build / path))
            files[fmt] = {"path": path, "bytes": (build / path).stat().st_size, "sha256": sha}
        partitions[partition] = {**entry, "files": files}
    manifest_entry = {
        "partitioned_by": relation.partitioned_by,
        "rows": sum(h["rows"] for h in hashes.values()),
        "schema": [{"name": n, "type": t} for n, t in relation.file_columns],
        "partitions": partitions,
    }
    return manifest_entry, len(changed), len(reused)


def _switch_current(exports_dir: Path, build_id: str) -> None:
    """Point `current` at the build: a new symlink renamed over the old one (atomic)."""
    temporary = exports_dir / f".{CURRENT}.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(build_id)
    os.replace(temporary, exports_dir / CURRENT)


def _remove_old_builds(exports_dir: Path, keep: set[str]) -> list[str]:
    removed = []
    for entry in sorted(exports_dir.iterdir()):
        if entry.is_dir() and not entry.is_symlink() and entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed


def export_warehouse(
    warehouse: Path,
    exports_dir: Path,
    build_id: str,
    *,
    parser_version: str,
    connect: Callable[[Path], duckdb.DuckDBPyConnection] | None = None,
) -> ExportResult:
    """Export every table and model of `warehouse` to `exports_dir/<build_id>/`, reusing the
    unchanged partitions of the build `current` points to, then switch `current` to it. Other
    builds (older ones, unfinished ones) are removed first: the new one and that previous one
    remain."""
    exports_dir.mkdir(parents=True, exist_ok=True)
    build = exports_dir / build_id
    if build.exists():
        raise FileExistsError(f"{build} exists: a build id is used once")
    previous, old_manifest = _previous_build(exports_dir)
    partial = exports_dir / f".{build_id}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    # The builds before the previous one go first: their disk space (and the memory caching
    # their files) is free for this one.
    removed = _remove_old_builds(exports_dir, {partial.name, *([previous.name] if previous else [])})
    con = (
        connect(warehouse)
        if connect
        else duckdb.connect(str(warehouse), read_only=True, config={"preserve_insertion_order": False})
    )
    written = reused = 0
    tables: dict[str, Any] = {}
    try:
        for relation in relations(con):
            if relation.name.startswith("stg_"):
                continue
            old = old_manifest.get("tables", {}).get(relation.name, {})
            tables[relation.name], w, r = _export_relation(con, relation, partial, previous, old)
            written, reused = written + w, reused + r
    finally:
        con.close()
    manifest = {
        "build_id": build_id,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "parser_version": parser_version,
        "duckdb_version": duckdb.__version__,
        "warehouse": str(warehouse),
        "previous_build": previous.name if previous else None,
        "tables": tables,
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    os.replace(partial, build)
    _switch_current(exports_dir, build_id)
    files = [f for t in tables.values() for p in t["partitions"].values() for f in p["files"].values()]
    return ExportResult(
        build_id, build, len(tables), written, reused, len(files), sum(f["bytes"] for f in files), removed
    )


def new_build_id(run_id: str) -> str:
    """`<UTC time>-<first 8 characters of the run id>`: sorts by time, unique per run."""
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}-{run_id[:8]}"
