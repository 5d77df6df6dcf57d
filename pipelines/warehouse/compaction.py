"""Rewriting a table whose deleted rows pile up.

Every load deletes the rows of the re-parsed files and inserts their new rows, so deleted rows
stay in the file. DuckDB's own clean-up at checkpoints (vacuum) merges row groups thinned by
deletes, but only where their live rows fit in fewer groups: after a change scattered over a
table it rewrote row groups of every table at each load and still left most deleted rows in
place. The loader turns it off (`max_vacuum_tasks = 0` in `load.connect`) and, after a load,
rewrites a table whose deleted rows reach DEAD_SHARE of the rows it stores: the waste stays
bounded, and a table is rewritten about once every DEAD_SHARE ÷ (share changed per load) loads.
One table per load at most (the one with the largest share), so that no load pays for
rewriting them all: they reach the share together when every load changes a little of each.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines.warehouse.schema import TableSpec

DEAD_SHARE = 0.2
_NEW = "_compacted_"  # prefix of the rewritten copy while it is built


@dataclass(frozen=True)
class StoredRows:
    stored: int  # rows in the table's row groups, deleted ones included
    live: int

    @property
    def dead_share(self) -> float:
        return (self.stored - self.live) / self.stored if self.stored else 0.0


def stored_rows(con: duckdb.DuckDBPyConnection, table: str) -> StoredRows:
    """Rows stored (the data segments of the table's first column, deleted rows included)
    and rows live."""
    stored = con.execute(
        "SELECT coalesce(sum(count), 0) FROM pragma_storage_info(?) WHERE column_id = 0 AND segment_type <> 'VALIDITY'",
        [table],
    ).fetchone()
    live = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    return StoredRows(int(stored[0]) if stored else 0, int(live[0]) if live else 0)


def compact_if_needed(con: duckdb.DuckDBPyConnection, specs: list[TableSpec]) -> list[str]:
    """Rewrite the table with the largest share of deleted rows, if that share reaches
    DEAD_SHARE: in one transaction, a copy with the table's DDL, filled from its live rows,
    takes its name. A table whose columns differ from its spec is left alone. The table
    rewritten (an empty list when none)."""
    candidates = sorted(
        ((stored_rows(con, spec.name).dead_share, spec) for spec in specs if _columns_match(con, spec)),
        key=lambda candidate: candidate[0],
        reverse=True,
    )
    if not candidates or candidates[0][0] < DEAD_SHARE:
        return []
    spec = candidates[0][1]
    columns = ", ".join(f'"{c}"' for c in spec.column_names)
    copy = f"{_NEW}{spec.name}"
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(spec.ddl(copy))
        con.execute(f'INSERT INTO "{copy}" ({columns}) SELECT {columns} FROM "{spec.name}"')
        con.execute(f'DROP TABLE "{spec.name}"')
        con.execute(f'ALTER TABLE "{copy}" RENAME TO "{spec.name}"')
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise
    con.execute("CHECKPOINT")
    return [spec.name]


def _columns_match(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> bool:
    present = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ?",
        [spec.name],
    ).fetchall()
    return sorted(r[0] for r in present) == sorted(spec.column_names)
