"""Resources: where the raw pages and the warehouse are, shared by every asset."""

from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext

from pipelines.settings import Settings
from pipelines.warehouse.publish import ensure_staging


class Warehouse(ConfigurableResource):
    """The raw folder, the sources file and the DuckDB warehouse.

    A path left unset comes from its $GOVREPORTS_* variable (pipelines.settings) when a run
    uses it, not when the code location is loaded. Each run writes a staging copy of the
    published file; `published_warehouse` renames it into place when the whole run succeeded.
    """

    raw_dir: str | None = None
    warehouse: str | None = None
    sources_file: str | None = None

    @property
    def settings(self) -> Settings:
        return Settings.from_env().with_paths(self.raw_dir, self.warehouse, self.sources_file)

    def staging(self, run_id: str) -> Path:
        """The run's staging copy of the warehouse, created from the published file on first use."""
        return ensure_staging(self.settings, run_id)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self.settings.raw_dir.mkdir(parents=True, exist_ok=True)
