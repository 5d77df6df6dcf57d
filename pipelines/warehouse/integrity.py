"""Integrity queries: the blocking checks of SCHEMA.md and the counts the UI shows."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from pipelines.warehouse.schema import TABLES

# --- integrity (the blocking checks of SCHEMA.md) ------------------------------------------


def row_counts(con: duckdb.DuckDBPyConnection, tables: Iterable[str] = TABLES) -> dict[str, int]:
    return {name: int(con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in tables}  # type: ignore[index]


def unaccounted_files(con: duckdb.DuckDBPyConnection, examples: int = 5) -> tuple[int, list[str]]:
    """Files of the manifest with neither a reports row nor a parse_issues row (silently
    lost): how many, and the first few."""
    rows = con.execute(
        """
        SELECT f.source_uri, count(*) OVER () FROM raw_files f
         WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.source_uri = f.source_uri)
           AND NOT EXISTS (SELECT 1 FROM parse_issues i WHERE i.source_uri = f.source_uri)
         ORDER BY 1 LIMIT ?
        """,
        [examples],
    ).fetchall()
    return (int(rows[0][1]) if rows else 0), [r[0] for r in rows]


def duplicate_keys(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Per keyed table, how many key values occur more than once.

    First the number of distinct 64-bit hashes of the key against the row count: equal
    means no duplicate (equal keys hash alike), and it needs far less memory than grouping
    millions of text keys. Only a table where they differ (duplicates, or in theory a hash
    collision) has its keys grouped to count them exactly."""
    found: dict[str, int] = {}
    for spec in TABLES.values():
        if not spec.key:
            continue
        key = ", ".join(f'"{c}"' for c in spec.key)
        (surplus,) = con.execute(f'SELECT count(*) - count(DISTINCT hash({key})) FROM "{spec.name}"').fetchone() or (0,)
        if not surplus:
            continue
        count = con.execute(
            f'SELECT count(*) FROM (SELECT {key} FROM "{spec.name}" GROUP BY {key} HAVING count(*) > 1)'
        ).fetchone()
        if count and count[0]:
            found[spec.name] = int(count[0])
    return found


def failing_reports(con: duckdb.DuckDBPyConnection) -> tuple[int, int, dict[str, int]]:
    """Reports with at least one failed consistency check, reports checked, and the
    failing reports per rule (`balance`, `outcomes_sum`, …)."""
    failing, checked = con.execute(
        "SELECT count(DISTINCT report_id) FILTER (WHERE NOT passed), count(DISTINCT report_id) FROM report_checks"
    ).fetchone() or (0, 0)
    by_rule = con.execute(
        "SELECT split_part(check_name, ':', 1), count(DISTINCT report_id) FROM report_checks WHERE NOT passed GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    return int(failing), int(checked), {rule: int(n) for rule, n in by_rule}


def issue_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(severity, code, rows) of parse_issues, errors first, most frequent first."""
    return con.execute(
        "SELECT severity, code, count(*) AS n FROM parse_issues GROUP BY severity, code "
        "ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, n DESC, code"
    ).fetchall()


def files_not_reports(con: duckdb.DuckDBPyConnection) -> int:
    """Files that became no report (an error row in parse_issues)."""
    row = con.execute("SELECT count(DISTINCT source_uri) FROM parse_issues WHERE report_id IS NULL").fetchone()
    return int(row[0]) if row else 0


def missing_contract_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """SCHEMA.md columns absent from the warehouse, per table."""
    present: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
    ).fetchall():
        present.setdefault(table, set()).add(column)
    missing = {}
    for spec in TABLES.values():
        absent = [c.name for c in spec.columns if c.contract and c.name not in present.get(spec.name, set())]
        if absent:
            missing[spec.name] = absent
    return missing
