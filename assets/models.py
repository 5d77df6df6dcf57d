"""The SQL models in sql/ (a dbt project), as assets downstream of the warehouse tables."""

import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from dagster import AssetExecutionContext
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from packaging import version

from assets.resources import Warehouse
from pipelines.settings import PROJECT_DIR, Settings
from pipelines.warehouse.publish import exclusive_lock

DBT_PROJECT_DIR = PROJECT_DIR / "sql"

# The dbt of this environment, also when its bin folder is not on PATH.
DBT_EXECUTABLE = shutil.which("dbt") or str(Path(sys.executable).with_name("dbt"))

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class _DbtCli(DbtCliResource):
    """dagster-dbt's dbt resource, told the dbt version by the installed package: it
    would otherwise run `dbt --version` (three seconds of dbt start-up) for every build."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))


dbt_resource = _DbtCli(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


def _project_files() -> list[Path]:
    """The dbt project's own files: models, macros, seeds and configuration."""
    files = (p for p in DBT_PROJECT_DIR.rglob("*") if p.suffix in {".sql", ".yml", ".yaml", ".csv"})
    return sorted(
        p for p in files if "target" not in p.relative_to(DBT_PROJECT_DIR).parts and not p.name.startswith(".")
    )


def project_digest() -> str:
    """A digest of the dbt project's files: changes when a model, seed or test does."""
    digest = hashlib.sha256()
    for path in _project_files():
        digest.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _manifest_is_stale() -> bool:
    """No loadable manifest (a fresh clone, a killed parse), or a model, seed, macro or
    config edited since it was written."""
    try:
        json.loads(dbt_project.manifest_path.read_bytes())
    except (OSError, ValueError):
        return True
    built = dbt_project.manifest_path.stat().st_mtime
    return any(p.stat().st_mtime > built for p in _project_files())


def _dbt_database_path(settings: Settings) -> Path:
    """The one path dbt's profile sees (a link to the run's staging warehouse)."""
    return settings.work_dir / "dbt" / "warehouse.duckdb"


def _prepare_manifest() -> None:
    """`dbt parse` (no database needed) into a scratch folder, then move the manifest and
    dbt's partial-parse state into place, so a kill never leaves a half-written one. The
    profile is the one runs use, so runs can reuse the parse."""
    scratch = Path(tempfile.mkdtemp(prefix=".parse-", dir=DBT_PROJECT_DIR))
    os.environ["GOVREPORTS_DBT_DB"] = str(_dbt_database_path(Settings.from_env()))
    try:
        dbt_resource.cli(["parse", "--quiet"], target_path=scratch).wait()
        dbt_project.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        for name in ("partial_parse.msgpack", "manifest.json"):  # the manifest last: it marks the parse done
            os.replace(scratch / name, dbt_project.manifest_path.with_name(name))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if _manifest_is_stale():
    _prepare_manifest()


class _Translator(DagsterDbtTranslator):
    """dbt models and seeds in the `models` group; dbt tests become asset checks."""

    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_spec(self, manifest, unique_id, project):  # noqa: ANN001, ANN201 - dagster-dbt's signature
        spec = super().get_asset_spec(manifest, unique_id, project)
        return spec.replace_attributes(group_name="models") if unique_id.startswith(("model.", "seed.")) else spec


@contextmanager
def _dbt_database(settings: Settings, staging: Path) -> Iterator[tuple[Path, Path]]:
    """The staging warehouse under one stable path, and a stable dbt target folder.

    dbt re-parses the whole project when its profile changes; a per-run database path
    would do that every run. A hard link at a fixed path keeps the profile (and dbt's
    partial parse) the same. One dbt build at a time uses it.
    """
    link = _dbt_database_path(settings)
    with exclusive_lock(link.with_name(".lock")):
        for stale in (link, Path(f"{link}.wal")):
            stale.unlink(missing_ok=True)
        os.link(staging, link)
        try:
            yield link, link.with_name("target")
        finally:
            link.unlink(missing_ok=True)


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=_Translator())
def sql_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse) -> Iterator[object]:
    """Build and test the SQL models in the run's staging warehouse (`dbt build`)."""
    staging = warehouse.staging(context.run_id)
    with _dbt_database(warehouse.settings, staging) as (database, target):
        os.environ["GOVREPORTS_DBT_DB"] = str(database)
        yield from dbt.cli(["build"], context=context, target_path=target).stream()
