"""Resources: where the raw pages and the warehouse are, shared by every asset."""

from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext

from pipelines.settings import Settings
from pipelines.warehouse.publish import ensure_staging

_DEFAULTS = Settings.from_env()


class Warehouse(ConfigurableResource):
    """The raw folder and the DuckDB warehouse (defaults from $GOVREPORTS_* variables).

    Each run writes a staging copy of the published file; `published_warehouse`
    renames it into place when the whole run has succeeded.
    """

    raw_dir: str = str(_DEFAULTS.raw_dir)
    warehouse: str = str(_DEFAULTS.warehouse)
    sources_file: str = str(_DEFAULTS.sources_file)
    max_page_bytes: int = _DEFAULTS.max_page_bytes
    parse_buckets: int = _DEFAULTS.parse_buckets
    batch_size: int = _DEFAULTS.batch_size

    @property
    def settings(self) -> Settings:
        return Settings(
            raw_dir=Path(self.raw_dir),
            warehouse=Path(self.warehouse),
            sources_file=Path(self.sources_file),
            max_page_bytes=self.max_page_bytes,
            parse_buckets=self.parse_buckets,
            batch_size=self.batch_size,
        )

    def staging(self, run_id: str) -> Path:
        """The run's staging copy of the warehouse, created from the published file on first use."""
        return ensure_staging(self.settings, run_id)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        Path(self.raw_dir).mkdir(parents=True, exist_ok=True)
