"""A published warehouse that cannot be read is set aside and rebuilt, never a dead end.

The warehouse is derived data: when the published file cannot be opened or its manifest
read (truncated, junk, not a DuckDB file, written by another DuckDB version) the run
rebuilds it from the raw folder, and publishing moves the damaged file aside beside it
(`<name>.damaged-<UTC time>`). A damaged block found later in a run (a checksum error on
the staging copy) fails that run and marks the published file, so that the next run
sets it aside. Only what lived in the file alone is lost: the fetch_log and load_runs.
"""

from __future__ import annotations

import json

import duckdb

from pipelines.settings import Settings
from pipelines.warehouse.publish import published_identity

LOST_WITH_IT = "the fetch_log and load_runs history it held"
_MARKER = "published-damaged.json"
_CORRUPTION = ("checksum", "corrupt", "not a valid duckdb", "database file", "version number", "serializ")


def is_corruption(exc: BaseException) -> bool:
    """Whether DuckDB's error says the file's bytes are damaged, not that a query is wrong."""
    message = str(exc).lower()
    return isinstance(exc, duckdb.Error) and any(word in message for word in _CORRUPTION)


_HEADER_BYTES = 3 * 4096  # DuckDB's file header and its two database headers, before the blocks


def check_not_truncated(con: duckdb.DuckDBPyConnection, size: int) -> None:
    """Raise OSError when a block a table uses lies past the end of the file (`size` bytes):
    DuckDB opens a file cut short and fails only when a query reaches such a block."""
    database = "database_name = current_database()"
    block_size = con.execute(f"SELECT block_size FROM pragma_database_size() WHERE {database}").fetchone()
    highest = -1
    for (table,) in con.execute(f"SELECT table_name FROM duckdb_tables() WHERE {database}").fetchall():
        quoted = table.replace("'", "''")
        row = con.execute(f"SELECT max(block_id) FROM pragma_storage_info('{quoted}')").fetchone()
        if row and row[0] is not None:
            highest = max(highest, int(row[0]))
    needed = _HEADER_BYTES + (highest + 1) * int(block_size[0]) if block_size else 0
    if size < needed:
        raise OSError(f"truncated: {size:,} bytes, its tables use blocks up to byte {needed:,}")


def mark_damaged(settings: Settings, reason: str) -> None:
    """Record that the published file (as it is now) is damaged, for the next run."""
    marker = settings.work_dir / _MARKER
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"identity": published_identity(settings), "reason": reason}))


def marked_damaged(settings: Settings) -> str | None:
    """The reason recorded for the published file as it is now, if a run found it damaged."""
    try:
        marker = json.loads((settings.work_dir / _MARKER).read_text())
    except (OSError, ValueError):
        return None
    identity = published_identity(settings)
    if identity is not None and marker.get("identity") == list(identity):
        return str(marker.get("reason"))
    return None


def clear_damage_mark(settings: Settings) -> None:
    (settings.work_dir / _MARKER).unlink(missing_ok=True)


def damage_message(settings: Settings, reason: str) -> str:
    """The one line a run says about a damaged published file."""
    return (
        f"the published warehouse {settings.warehouse} is damaged ({reason}): it is rebuilt from the raw folder "
        f"and set aside as {settings.warehouse.name}.damaged-<UTC time>; lost with it: {LOST_WITH_IT}"
    )
