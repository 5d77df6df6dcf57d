"""`govreports run`: the nightly job once, as a Dagster run the UI shows, and what happened."""

from __future__ import annotations

import multiprocessing
import os
import sys
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

from assets.instance_config import InstanceConfigConflict, ensure_instance_config
from pipelines.settings import PROJECT_DIR, Settings


def dagster_home() -> Path:
    """$DAGSTER_HOME (default .dagster, set for the libraries when unset)."""
    return Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_DIR / ".dagster")))


def configure_dagster_home() -> list[str]:
    """Put the project's keys in $DAGSTER_HOME/dagster.yaml; the keys added."""
    return ensure_instance_config(dagster_home())


def prepare_dbt_manifest(settings: Settings) -> None:
    """Parse the dbt project again when sql/ changed since its manifest was written."""
    from assets.dbt_manifest import manifest_is_stale, prepare_manifest

    if manifest_is_stale():
        print("sql/ changed: parsing the dbt project", flush=True)
        prepare_manifest(settings)


def _start_step_server() -> None:
    """Start the executor's step server now, so that it imports the code location while
    this process does the same (the executor finds it running and forks its steps from it)."""
    multiprocessing.get_context("forkserver").set_forkserver_preload(["assets.step_server"])
    forkserver.ensure_running()


def _open_instance(home: Path) -> Any:
    """The Dagster instance, or a clear line on what is wrong with its folder and how to reset it."""
    from dagster import DagsterInstance

    try:
        instance = DagsterInstance.get()
        instance.get_runs(limit=1)
        return instance
    except Exception as exc:  # noqa: BLE001 - whatever the storage raises, the fix is the same
        print(
            f"the Dagster instance in {home} cannot be read ({type(exc).__name__}: {str(exc)[:200]}).\n"
            f"It holds only run history; the warehouse is not affected. To reset it, move it aside and run again:\n"
            f"  mv {home} {home}.damaged && make run",
            file=sys.stderr,
        )
        return None


def run_warehouse() -> int:
    """Materialize every asset (the nightly job) once, and say what happened."""
    try:
        configure_dagster_home()
        home = dagster_home()
    except InstanceConfigConflict as conflict:
        print(f"error: {conflict}", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    prepare_dbt_manifest(settings)
    _start_step_server()
    from dagster import execute_job, reconstructable

    from assets.definitions import warehouse_job_def
    from assets.run_monitoring import end_dead_runs, process_tags

    print(f"raw pages: {settings.raw_dir}\nwarehouse: {settings.warehouse}", flush=True)
    instance = _open_instance(home)
    if instance is None:
        return 1
    with instance:
        for line in end_dead_runs(instance):
            print(line, flush=True)
        result = execute_job(
            reconstructable(warehouse_job_def),
            instance=instance,
            tags=process_tags(),
            run_config={
                "loggers": {"console": {"config": {"log_level": os.environ.get("GOVREPORTS_LOG_LEVEL", "INFO")}}}
            },
        )
        events = list(result.all_events)
    _print_failed_checks(events)
    if not result.success:
        print("\nrun FAILED; the published warehouse was not changed.", file=sys.stderr)
        for event in (e for e in events if e.is_step_failure):
            print(f"  step {event.step_key}: {_failure_line(event.event_specific_data.error)}", file=sys.stderr)
        return 1
    skipped = {e.step_key for e in events if e.event_type_value == "STEP_SKIPPED"}
    _print_set_aside(events)
    _print_warehouse(settings, unchanged="published_warehouse" in skipped)
    return 0


def _print_set_aside(events: list[Any]) -> None:
    """Say where a damaged published file went, when the run replaced one."""
    for event in events:
        if event.event_type_value != "ASSET_MATERIALIZATION":
            continue
        materialization = event.event_specific_data.materialization
        aside = materialization.metadata.get("damaged_file_set_aside")
        if aside is not None and str(aside.value) != "none":
            print(f"the published warehouse was damaged: set aside as {aside.value}, rebuilt from the raw folder")


def _failure_line(error: Any) -> str:
    """A step's error in one line: an explained failure's own words, else the error's first line."""
    if error is None:
        return "failed"
    message = error.message.strip()
    if error.cls_name == "Failure":
        return message.split(": ", 1)[-1]
    return message.splitlines()[0] if message else error.cls_name


def _print_failed_checks(events: list[Any]) -> None:
    for event in events:
        check = event.event_specific_data
        if event.event_type_value != "ASSET_CHECK_EVALUATION" or check.passed:
            continue
        level = "WARN " if check.severity.value == "WARN" else "ERROR"
        details = ", ".join(f"{k}={v.value}" for k, v in check.metadata.items())
        print(f"check {level} {check.asset_key.to_user_string()}:{check.check_name} failed ({details})")


def _print_warehouse(settings: Settings, *, unchanged: bool) -> None:
    from pipelines.warehouse.integrity import issue_counts, row_counts
    from pipelines.warehouse.load import connect

    con = connect(settings.warehouse, read_only=True)
    try:
        counts = row_counts(con)
        issues = issue_counts(con)
    finally:
        con.close()
    if unchanged:
        print(f"\nnothing changed since the last run: {settings.warehouse} is as it was")
    else:
        print("\npublished " + str(settings.warehouse))
    for table, n in counts.items():
        print(f"  {table:22} {n:>10,} rows")
    if issues:
        print("parse issues: " + ", ".join(f"{sev}/{code} {n}" for sev, code, n in issues))
