"""Where things are: every path and limit, from the environment with project defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from pipelines.parse.decode import DEFAULT_MAX_BYTES

PROJECT_DIR = Path(__file__).resolve().parent.parent


def _path(variable: str, default: Path) -> Path:
    value = os.environ.get(variable)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Configuration of a run.

    GOVREPORTS_RAW_DIR        input folder (default data/raw)
    GOVREPORTS_WAREHOUSE      the published DuckDB file (default data/warehouse.duckdb)
    GOVREPORTS_SOURCES        sites to scrape (default sources.toml)
    GOVREPORTS_MAX_PAGE_BYTES pages above this size are refused unread (default 20 MB)
    GOVREPORTS_PARSE_BUCKETS  hash buckets per source for the parse partitions (default 8)
    GOVREPORTS_BATCH_SIZE     pages per Parquet batch in a parse partition (default 200)
    """

    raw_dir: Path
    warehouse: Path
    sources_file: Path
    max_page_bytes: int = DEFAULT_MAX_BYTES
    parse_buckets: int = 8
    batch_size: int = 200

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            raw_dir=_path("GOVREPORTS_RAW_DIR", PROJECT_DIR / "data" / "raw"),
            warehouse=_path("GOVREPORTS_WAREHOUSE", PROJECT_DIR / "data" / "warehouse.duckdb"),
            sources_file=_path("GOVREPORTS_SOURCES", PROJECT_DIR / "sources.toml"),
            max_page_bytes=int(os.environ.get("GOVREPORTS_MAX_PAGE_BYTES", DEFAULT_MAX_BYTES)),
            parse_buckets=max(1, int(os.environ.get("GOVREPORTS_PARSE_BUCKETS", 8))),
            batch_size=max(1, int(os.environ.get("GOVREPORTS_BATCH_SIZE", 200))),
        )

    def with_paths(self, raw_dir: str | None, warehouse: str | None, sources_file: str | None) -> Settings:
        """These settings with the paths a caller sets (None keeps the setting)."""
        return replace(
            self,
            raw_dir=Path(raw_dir) if raw_dir else self.raw_dir,
            warehouse=Path(warehouse) if warehouse else self.warehouse,
            sources_file=Path(sources_file) if sources_file else self.sources_file,
        )

    @property
    def sql_dir(self) -> Path:
        """The dbt project of the SQL models."""
        return PROJECT_DIR / "sql"

    @property
    def exports_dir(self) -> Path:
        """Bulk exports and the chart report (pipelines.exports), beside the warehouse."""
        return self.warehouse.parent / "exports"

    @property
    def work_dir(self) -> Path:
        """Run-scoped scratch space (staging copies, parsed batches), beside the warehouse."""
        return self.warehouse.parent / f".{self.warehouse.name}.work"
