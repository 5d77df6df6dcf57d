"""The Dagster code location: what `dagster dev` shows (assets, checks, lineage, schedule, sensor)."""

import subprocess
import sys
from contextlib import closing
from pathlib import Path

from dagster import AssetKey, DagsterInstance, RunRequest, build_sensor_context
from helpers import PROJECT_DIR

from assets.definitions import defs
from assets.models import _full_refresh
from assets.parse import step_count
from assets.resources import Warehouse
from assets.sensors import raw_folder_sensor
from pipelines.settings import Settings
from pipelines.warehouse.build import build_fingerprint
from pipelines.warehouse.load import connect, create_schema
from pipelines.warehouse.schema import TABLES


def test_every_table_and_stage_is_an_asset_with_lineage() -> None:
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"scraped_pages", "raw_pages", "parsed_pages", "report_summary", "published_warehouse", *TABLES} <= keys
    assert AssetKey("reports") in graph.get(AssetKey("stg_reports")).parent_keys  # the staging view of the table
    assert AssetKey("stg_reports") in graph.get(AssetKey("report_summary")).parent_keys
    assert AssetKey("parsed_pages") in graph.get(AssetKey("reports")).parent_keys
    assert AssetKey("raw_pages") in graph.get(AssetKey("parsed_pages")).parent_keys
    assert AssetKey("scraped_pages") in graph.get(AssetKey("raw_pages")).parent_keys
    assert AssetKey("report_summary") in graph.get(AssetKey("published_warehouse")).parent_keys


def test_integrity_checks_block_and_report_checks_warn() -> None:
    specs = {
        (spec.asset_key.to_user_string(), spec.name): spec
        for assets_def in defs.resolve_asset_graph().assets_defs
        for spec in assets_def.check_specs
    }
    assert specs[("parse_issues", "every_raw_file_accounted_for")].blocking
    assert specs[("reports", "contract_columns_present")].blocking
    assert all(specs[(t, "unique_keys")].blocking for t, spec in TABLES.items() if spec.key)
    assert not specs[("report_checks", "reports_consistent")].blocking
    assert specs[("report_summary", "unique_report_summary_report_id")].blocking  # a dbt key test


def test_nightly_schedule_at_two_in_shanghai() -> None:
    schedule = defs.resolve_schedule_def("nightly_warehouse")
    assert (schedule.cron_schedule, schedule.execution_timezone, schedule.job_name) == (
        "0 2 * * *",
        "Asia/Shanghai",
        "warehouse_job",
    )
    job = defs.resolve_job_def("warehouse_job")
    assert {k.to_user_string() for k in job.asset_layer.selected_asset_keys} >= {
        "scraped_pages",
        "reports",
        "report_summary",
        "published_warehouse",
    }


def test_sensor_requests_a_run_when_the_raw_folder_changes(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    warehouse = Warehouse(raw_dir=str(raw), warehouse=str(tmp_path / "w.duckdb"))
    with DagsterInstance.ephemeral() as instance:
        context = build_sensor_context(instance=instance, cursor=None, resources={"warehouse": warehouse})
        assert isinstance(raw_folder_sensor(context), RunRequest)
        empty = context.cursor
        assert "unchanged" in raw_folder_sensor(context).skip_message
        (raw / "new.html").write_text("<html></html>")
        assert isinstance(raw_folder_sensor(context), RunRequest) and context.cursor != empty
        (raw / "new.html").unlink()  # back to an earlier state: must run again, to remove the rows
        assert isinstance(raw_folder_sensor(context), RunRequest) and context.cursor == empty
        (raw / "_scraped").mkdir()
        (raw / "_scraped" / "page.html").write_text("<html></html>")  # left to the run that fetched it
        assert "unchanged" in raw_folder_sensor(context).skip_message


def test_dagster_cli_loads_the_code_location() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("dagster")), "definitions", "validate", "-m", "assets.definitions"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Validation successful" in result.stderr + result.stdout


def test_parse_steps_one_per_large_partition_few_for_small_runs() -> None:
    assert step_count(partitions=8, pages=100_000, cores=2) == 8  # a cold run: a step per partition
    assert step_count(partitions=8, pages=1_000, cores=2) == 2  # 1 % changed: one step per core
    assert step_count(partitions=8, pages=1_000, cores=16) == 8  # never more steps than partitions
    assert step_count(partitions=8, pages=150, cores=4) == 2  # a handful of pages: few steps
    assert step_count(partitions=3, pages=3, cores=2) == 1
    assert step_count(partitions=1, pages=0, cores=2) == 1


def test_models_are_built_afresh_only_when_another_build_built_the_copy(tmp_path: Path) -> None:
    """dbt's --full-refresh (incremental models start over) when the copy's models were built by
    another parser, schema or SQL; not for the same build, nor for a new warehouse."""
    settings = Settings(raw_dir=tmp_path, warehouse=tmp_path / "w.duckdb", sources_file=tmp_path / "s.toml")
    staging = tmp_path / "staging.duckdb"
    with closing(connect(staging)) as con:
        create_schema(con)
    assert _full_refresh(settings, staging, "this-run") == []  # a new warehouse
    current = build_fingerprint(settings.sql_dir)
    for build, expected in (("an-older-build", ["--full-refresh"]), (current, [])):
        with closing(connect(staging)) as con:
            con.execute("DELETE FROM load_runs")
            con.execute(
                "INSERT INTO load_runs VALUES ('earlier-run', TIMESTAMP '2026-01-01', 1, 1, 0, ?),"
                " ('this-run', TIMESTAMP '2026-01-02', 1, 1, 0, ?)",
                [build, current],
            )
        assert _full_refresh(settings, staging, "this-run") == expected, build
