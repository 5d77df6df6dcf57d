"""What builds the warehouse: the parser, the table schema and the SQL models. A published
warehouse built by the same fingerprint from the same files needs no rebuild."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipelines.parse.version import PARSER_VERSION
from pipelines.warehouse.schema import FETCH_LOG, TABLES

SQL_PROJECT_SUFFIXES = {".sql", ".yml", ".yaml", ".csv"}


def sql_project_files(sql_dir: Path) -> list[Path]:
    """The dbt project's own files: models, macros, seeds, tests and configuration."""
    files = (p for p in sql_dir.rglob("*") if p.suffix in SQL_PROJECT_SUFFIXES and p.is_file())
    return sorted(p for p in files if "target" not in p.relative_to(sql_dir).parts and not p.name.startswith("."))


def sql_project_digest(sql_dir: Path) -> str:
    """A digest of the dbt project's files: changes when a model, seed or test does."""
    digest = hashlib.sha256()
    for path in sql_project_files(sql_dir):
        digest.update(path.relative_to(sql_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_fingerprint(sql_dir: Path) -> str:
    """The parser version, the table schema (with the fetch log the models read) and the SQL
    models, as one short digest."""
    digest = hashlib.sha256(PARSER_VERSION.encode())
    digest.update("".join(spec.ddl() for spec in (*TABLES.values(), FETCH_LOG)).encode())
    digest.update(sql_project_digest(sql_dir).encode())
    return digest.hexdigest()[:16]
