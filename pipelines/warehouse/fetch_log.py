"""The append-only fetch_log table, loaded from the scraper's pending fetch-log files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from pipelines.warehouse.schema import FETCH_LOG


def append_fetch_log(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> int:
    """Append scraper fetch records to the append-only fetch_log, once per fetch_id."""
    if not rows:
        return 0
    import polars as pl

    def typed(row: dict) -> dict:
        record = {c: row.get(c) for c in FETCH_LOG.column_names}
        if isinstance(record["fetched_at"], str):
            record["fetched_at"] = (
                dt.datetime.fromisoformat(record["fetched_at"]).astimezone(dt.UTC).replace(tzinfo=None)
            )
        return record

    frame = pl.DataFrame([typed(row) for row in rows], schema=FETCH_LOG.polars_schema)
    con.register("_fetches", frame)
    try:
        columns = ", ".join(f'"{c}"' for c in FETCH_LOG.column_names)
        count = con.execute(
            f"INSERT INTO fetch_log ({columns}) SELECT {columns} FROM _fetches f "
            "WHERE NOT EXISTS (SELECT 1 FROM fetch_log l WHERE l.fetch_id = f.fetch_id)"
        ).fetchone()
    finally:
        con.unregister("_fetches")
    return int(count[0]) if count else 0


def load_fetch_logs(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> tuple[int, list[str]]:
    """Append the scraper's pending fetch-log files to fetch_log: (rows added, problems).
    A malformed file is reported and left in place, never a reason to fail the load."""
    from pipelines.raw.fetch_log import pending_fetch_logs, read_fetch_logs

    added, problems = 0, []
    for path in pending_fetch_logs(raw_dir):
        try:
            added += append_fetch_log(con, read_fetch_logs([path]))
        except (ValueError, OSError) as exc:
            problems.append(str(exc))
    return added, problems


def discard_loaded_fetch_logs(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> int:
    """Delete pending fetch-log files whose every row the (published) warehouse holds."""
    from pipelines.raw.fetch_log import pending_fetch_logs, read_fetch_logs

    removed = 0
    for path in pending_fetch_logs(raw_dir):
        try:
            ids = [str(row.get("fetch_id")) for row in read_fetch_logs([path])]
        except (ValueError, OSError):
            continue
        held = con.execute(
            "SELECT count(DISTINCT fetch_id) FROM fetch_log WHERE fetch_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
        ).fetchone()
        if held and held[0] == len(set(ids)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
