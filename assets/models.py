"""The SQL models in sql/ (a dbt project), as assets downstream of the warehouse tables.

Loading this module reads the dbt manifest prepared ahead (assets.dbt_manifest); it never
runs dbt. dbt models and seeds are assets of the `models` group, dbt tests their checks.
"""

import errno
import importlib.metadata
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from assets.dbt_manifest import DBT_EXECUTABLE, DBT_PROJECT_DIR, MANIFEST, dbt_database_path, dbt_vars
from assets.failures import explained_failures
from assets.pause import pause_if_asked
from assets.resources import Warehouse
from pipelines.settings import Settings
from pipelines.warehouse.build import build_fingerprint
from pipelines.warehouse.disk import HEADROOM_BYTES
from pipelines.warehouse.load import build_before, connect
from pipelines.warehouse.workspace import exclusive_lock

# Model logic is tested by dbt unit tests in `make test`, not in every pipeline run.
UNIT_TESTS = "test_type:unit"


def _manifest() -> Path:
    if not MANIFEST.exists():
        raise FileNotFoundError(
            f"{MANIFEST} is missing: the dbt manifest is prepared by `make install` (or `govreports run`)"
        )
    return MANIFEST


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class DbtCli(DbtCliResource):
    """dagster-dbt's dbt resource, told the dbt version by the installed package: it
    would otherwise run `dbt --version` (dbt's whole start-up) for every build. It runs dbt
    only as a command."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> Any:
        """No adapter: dagster-dbt opens one in the step only to fetch row counts and column
        metadata, which these assets do not ask for, and opening it imports dbt-core (a second)."""
        return None


dbt_resource = DbtCli(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


class _Translator(DagsterDbtTranslator):
    """dbt models and seeds in the `models` group; dbt tests become asset checks."""

    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_spec(self, manifest: Any, unique_id: str, project: Any) -> Any:
        spec = super().get_asset_spec(manifest, unique_id, project)
        return spec.replace_attributes(group_name="models") if unique_id.startswith(("model.", "seed.")) else spec


@contextmanager
def _dbt_database(settings: Settings, staging: Path) -> Iterator[tuple[Path, Path]]:
    """The staging warehouse under one stable path, and a stable dbt target folder.

    dbt re-parses the whole project when its vars change; a per-run database path would do
    that every run. A hard link at a fixed path keeps them (and dbt's partial parse) the
    same. One dbt build at a time uses it.
    """
    link = dbt_database_path(settings)
    with exclusive_lock(link.with_name(".lock")):
        for stale in (link, Path(f"{link}.wal")):
            stale.unlink(missing_ok=True)
        os.link(staging, link)
        try:
            yield link, link.with_name("target")
        finally:
            link.unlink(missing_ok=True)


def _full_refresh(settings: Settings, staging: Path, run_id: str) -> list[str]:
    """`--full-refresh` when the copy's models were built by another build (parser, schema or
    SQL): an incremental model (text_reuse) keeps rows between builds, which only the same
    build may do. A new warehouse has no models to refresh."""
    with closing(connect(staging, read_only=True)) as con:
        built_by = build_before(con, run_id)
    return ["--full-refresh"] if built_by not in (None, build_fingerprint(settings.sql_dir)) else []


@dbt_assets(manifest=_manifest(), project=dbt_project, dagster_dbt_translator=_Translator(), exclude=UNIT_TESTS)
def sql_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse) -> Iterator[object]:
    """Build and test the SQL models in the run's staging warehouse (`dbt build`)."""
    pause_if_asked("dbt")
    settings = warehouse.settings
    staging = warehouse.staging(context.run_id)
    with explained_failures(settings, context.run_id, "building the SQL models"):
        full_refresh = _full_refresh(settings, staging, context.run_id)
        if full_refresh:
            context.log.info(
                "building every model afresh (--full-refresh): the warehouse was built by another parser, schema or SQL"
            )
        with _dbt_database(settings, staging) as (database, target):
            try:
                yield from dbt.cli(
                    ["build", "--vars", dbt_vars(database), *full_refresh], context=context, target_path=target
                ).stream()
            except Exception as exc:
                # dbt's own report of a full disk stays in its log: the free space tells.
                if shutil.disk_usage(staging.parent).free < HEADROOM_BYTES:
                    raise OSError(errno.ENOSPC, f"dbt build failed with the disk full: {exc}") from None
                raise
