"""Materialization metadata helpers: row counts, previews and schemas for the UI."""

from typing import Any

import duckdb
from dagster import MetadataValue, TableColumn, TableSchema

from pipelines.warehouse.schema import TableSpec


def column_schema(spec: TableSpec) -> TableSchema:
    return TableSchema(columns=[TableColumn(c.name, c.type, description=c.description) for c in spec.columns])


def markdown_table(columns: list[str], rows: list[tuple[Any, ...]], width: int = 40) -> str:
    def cell(value: Any) -> str:
        text = "" if value is None else str(value)
        text = text.replace("|", "\\|").replace("\n", " ")
        return text if len(text) <= width else text[: width - 1] + "…"

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def preview(con: duckdb.DuckDBPyConnection, table: str, limit: int = 10) -> MetadataValue:
    """The first rows of a table, as markdown."""
    result = con.execute(f'SELECT * FROM "{table}" LIMIT ?', [limit])
    columns = [d[0] for d in result.description]
    return MetadataValue.md(markdown_table(columns, result.fetchall()))
