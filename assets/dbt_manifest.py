"""The dbt project's manifest, prepared ahead of loading the code location.

`make install` runs `prepare_manifest` (and `govreports run` does when sql/ changed since);
loading the code location only reads the manifest, it never runs dbt. Every dbt command
gets the database path as `--vars`, always the same linked path for a deployment, so the
partial parse written here holds for the runs.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipelines.settings import PROJECT_DIR, Settings
from pipelines.warehouse.build import sql_project_files

DBT_PROJECT_DIR = PROJECT_DIR / "sql"
MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
# The dbt of this environment, also when its bin folder is not on PATH.
DBT_EXECUTABLE = shutil.which("dbt") or str(Path(sys.executable).with_name("dbt"))


def dbt_vars(database: Path) -> str:
    """The `--vars` of every dbt command: the database the profile opens."""
    return json.dumps({"warehouse_path": str(database)})


def dbt_database_path(settings: Settings) -> Path:
    """The one path dbt's profile sees for a deployment (a link to the run's staging warehouse)."""
    return settings.work_dir / "dbt" / "warehouse.duckdb"


def manifest_is_stale() -> bool:
    """No manifest (a fresh clone; a killed parse leaves none, as `prepare_manifest` moves it
    into place whole), or a model, seed, macro or config edited since it was written."""
    try:
        built = MANIFEST.stat()
    except OSError:
        return True
    return built.st_size == 0 or any(p.stat().st_mtime > built.st_mtime for p in sql_project_files(DBT_PROJECT_DIR))


def prepare_manifest(settings: Settings) -> None:
    """`dbt parse` (no database needed) into a scratch folder, then move the manifest and
    dbt's partial-parse state into place, so a kill never leaves a half-written one."""
    scratch = DBT_PROJECT_DIR / "target" / f".parse-{os.getpid()}"
    command = [DBT_EXECUTABLE, "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR)]
    command += ["--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(scratch), "--log-path", str(scratch)]
    command += ["--vars", dbt_vars(dbt_database_path(settings))]
    try:
        subprocess.run(command, check=True, cwd=DBT_PROJECT_DIR, timeout=600)
        for name in ("partial_parse.msgpack", "manifest.json"):  # the manifest last: it marks the parse done
            os.replace(scratch / name, MANIFEST.with_name(name))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
