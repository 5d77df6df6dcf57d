"""Parse one partition of the raw folder into Parquet batches, in bounded memory.

A partition's output is a folder of `<table>/part-NNNNN.parquet` files plus
`manifest/part-NNNNN.parquet` (one row per file: what the loader must record).
Nothing here touches the warehouse: any number of partitions can run at once,
on any machine that sees the raw folder, and one writer loads their output.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.issues import Code, DocumentError
from pipelines.parse.decode import check_size, max_document_bytes
from pipelines.parse.parser import ParseResult, parse_document
from pipelines.parse.version import PARSER_VERSION
from pipelines.raw.inventory import KnownFile, RawFile
from pipelines.warehouse.partition_summary import PartitionSummary
from pipelines.warehouse.rows import to_rows
from pipelines.warehouse.schema import BATCH_MANIFEST, RAW_FILES, TABLES

# The manifest batch: raw_files columns plus what happened to the file this run.
MANIFEST_SCHEMA: dict[str, pl.DataType] = {**RAW_FILES.polars_schema, "action": pl.Utf8()}


def write_parquet(frame: pl.DataFrame, path: Path) -> None:
    """Write a Parquet file under a temporary name and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    frame.write_parquet(temporary, compression="zstd", statistics=False)
    os.replace(temporary, path)


class _BatchWriter:
    def __init__(self, output_dir: Path) -> None:
        self.output_dir = output_dir
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in (*TABLES, BATCH_MANIFEST)}
        self.batch = 0
        self.pending = 0

    def add(self, parsed: ParseResult | None, manifest_row: dict[str, Any]) -> None:
        if parsed is not None:
            for table, rows in to_rows(parsed).items():
                self.rows[table].extend(rows)
        self.rows[BATCH_MANIFEST].append(manifest_row)
        self.pending += 1

    def flush(self) -> None:
        if not self.pending:
            return
        for table, rows in self.rows.items():
            if not rows:
                continue
            schema = MANIFEST_SCHEMA if table == BATCH_MANIFEST else TABLES[table].polars_schema
            frame = pl.DataFrame(rows, schema=schema)
            write_parquet(frame, self.output_dir / table / f"part-{self.batch:05d}.parquet")
            rows.clear()
        self.batch += 1
        self.pending = 0


def _read_file(raw_dir: Path, file: RawFile, max_bytes: int) -> tuple[bytes | None, ParseResult | None]:
    """The file's bytes (at most `max_bytes`: the larger of the page and document caps), or
    a ParseResult carrying the reason they were not read."""
    try:
        check_size(file.size, max_bytes)
        with open(raw_dir / file.raw_path, "rb") as handle:
            data = handle.read(max_bytes + 1)
        check_size(len(data), max_bytes)
        return data, None
    except DocumentError as exc:
        return None, ParseResult.failed(file.source_uri, exc.code, exc.message)
    except OSError as exc:
        return None, ParseResult.failed(
            file.source_uri, Code.UNREADABLE, f"could not read the file: {exc.strerror or exc}"
        )


def parse_partition(
    partition_key: str,
    files: list[RawFile],
    raw_dir: Path,
    output_dir: Path,
    known: Mapping[str, KnownFile],
    *,
    max_bytes: int,
    batch_size: int,
) -> PartitionSummary:
    """Parse `files` and write their rows as Parquet batches under `output_dir`.

    A file whose bytes hash to what was loaded before (only its time changed) is not
    parsed again: its manifest row is refreshed and its warehouse rows stay.
    """
    summary = PartitionSummary(partition_key, str(output_dir))
    writer = _BatchWriter(output_dir)
    for file in files:
        summary.files += 1
        data, failed = _read_file(raw_dir, file, max(max_bytes, max_document_bytes()))
        sha = hashlib.sha256(data).hexdigest() if data is not None else ""
        previous = known.get(file.raw_path)
        touched = (
            data is not None
            and previous is not None
            and previous.content_sha256 == sha
            and previous.parser_version == PARSER_VERSION
            and previous.source_uri == file.source_uri
        )
        parsed: ParseResult | None = None
        if touched:
            summary.touched_only += 1
        else:
            parsed = failed or _parse(file, data or b"", sha, max_bytes)
            summary.count(parsed)
        writer.add(parsed, _manifest_row(partition_key, file, sha, parsed, touched))
        if writer.pending >= batch_size:
            writer.flush()
    writer.flush()
    return summary


def _parse(file: RawFile, data: bytes, sha: str, max_bytes: int) -> ParseResult:
    return parse_document(
        data,
        file.source_uri,
        raw_path=file.raw_path,
        fetched_at=file.fetched_at,
        declared_encoding=file.declared_encoding,
        max_bytes=max_bytes,
        content_sha256=sha,
    )


def _manifest_row(
    partition_key: str, file: RawFile, sha: str, parsed: ParseResult | None, touched: bool
) -> dict[str, Any]:
    """What the loader records of a file: raw_files columns and what happened to it this run."""
    return {
        "source_uri": file.source_uri,
        "raw_path": file.raw_path,
        "size": file.size,
        "mtime_ns": file.mtime_ns,
        "content_sha256": sha,
        "parser_version": PARSER_VERSION,
        "partition_key": partition_key,
        "is_report": parsed.is_report if parsed is not None else None,
        "action": "touched" if touched else "parsed",
    }
