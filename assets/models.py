"""The SQL models in sql/ (a dbt project), as assets downstream of the warehouse tables."""


import os
import shutil
import sys
from pathlib import Path

from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from assets.resources import Warehouse
from pipelines.settings import PROJECT_DIR

DBT_PROJECT_DIR = PROJECT_DIR / "sql"

# The dbt of this environment, also when its bin folder is not on PATH.
DBT_EXECUTABLE = shutil.which("dbt") or str(Path(sys.executable).with_name("dbt"))

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_resource = DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


def _manifest_is_stale() -> bool:
    """No manifest yet (a fresh clone), or a model, seed, macro or config edited since."""
    if not dbt_project.manifest_path.exists():
        return True
    built = dbt_project.manifest_path.stat().st_mtime
    sources = (p for p in DBT_PROJECT_DIR.rglob("*") if p.suffix in {".sql", ".yml", ".yaml", ".csv"})
    return any(p.stat().st_mtime > built for p in sources if "target" not in p.parts)


if _manifest_is_stale():
    # Parsing needs no database; it takes a few seconds.
    dbt_resource.cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()


class _Translator(DagsterDbtTranslator):
    """Models and seeds in the `models` group; tests become asset checks."""

    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=_Translator())
def sql_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):  # noqa: ANN201
    """Build and test the SQL models in the run's staging warehouse (`dbt build`)."""
    staging: Path = warehouse.staging(context.run_id)
    os.environ["GOVREPORTS_DBT_DB"] = str(staging)
    yield from dbt.cli(["build"], context=context).stream()

