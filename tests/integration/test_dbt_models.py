"""The SQL models' logic, by dbt's own unit tests (the `unit_tests:` in sql/models/**/*.yml), and
what the dbt project promises about itself: every model and column documented, key tests that
block publishing, data-quality tests that only warn.

dbt runs a unit test only when every input relation exists: a scratch DuckDB gets the warehouse
tables from the project's own DDL (pipelines.warehouse.load.create_schema), `dbt build --empty`
adds the seeds and the (empty) models, then `dbt test --select test_type:unit` runs the tests.
"""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from helpers import PROJECT_DIR

from pipelines.warehouse.load import create_schema
from pipelines.warehouse.schema import FETCH_LOG, TABLES

SQL_DIR = PROJECT_DIR / "sql"
DBT = str(Path(sys.executable).with_name("dbt"))
UNIT_TESTS = "test_type:unit"
KEY_TESTS = {"unique", "not_null", "unique_combination_of_columns", "accepted_values", "relationships"}


@dataclass
class Scratch:
    """A scratch warehouse with the project's sources, seeds and empty models, and dbt runs on it."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "warehouse.duckdb"

    def dbt(self, name: str, *args: str, database: Path | None = None) -> subprocess.CompletedProcess[str]:
        """dbt with its target and logs in `root/name` (never sql/target)."""
        out = self.root / name
        command = [DBT, *args, "--no-use-colors", "--project-dir", str(SQL_DIR), "--profiles-dir", str(SQL_DIR)]
        command += ["--target-path", str(out), "--log-path", str(out / "logs")]
        command += ["--vars", json.dumps({"warehouse_path": str(database or self.database)})]
        env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)

    def results(self, name: str) -> dict[str, str]:
        """Status of each node of the last run into `root/name`, by unique_id."""
        run_results = json.loads((self.root / name / "run_results.json").read_text())
        return {r["unique_id"]: r["status"] for r in run_results["results"]}

    def manifest(self) -> dict[str, Any]:
        return json.loads((self.root / "build" / "manifest.json").read_text())

    def columns(self, relation: str) -> list[str]:
        con = duckdb.connect(str(self.database), read_only=True)
        try:
            rows = con.execute(
                "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
                [relation],
            ).fetchall()
        finally:
            con.close()
        return [r[0] for r in rows]


def output(result: subprocess.CompletedProcess[str]) -> str:
    return f"dbt exited {result.returncode}:\n{result.stdout[-12000:]}\n{result.stderr[-3000:]}"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Scratch:
    scratch = Scratch(tmp_path_factory.mktemp("dbt_models"))
    con = duckdb.connect(str(scratch.database))
    try:
        create_schema(con)
    finally:
        con.close()
    result = scratch.dbt("build", "build", "--empty", "--exclude", UNIT_TESTS)
    assert result.returncode == 0, output(result)
    return scratch


def models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}


def test_unit_tests_pass_and_cover_every_mart_and_quality_model(scratch: Scratch) -> None:
    result = scratch.dbt("unit", "test", "--select", UNIT_TESTS)
    assert result.returncode == 0, output(result)
    statuses = scratch.results("unit")
    assert statuses and all(uid.startswith("unit_test.") for uid in statuses)
    assert set(statuses.values()) == {"pass"}, output(result)
    tested = {uid.split(".")[2] for uid in statuses}
    layered = {name for name, node in models(scratch.manifest()).items() if "staging" not in node["fqn"]}
    assert layered <= tested, f"models without a unit test: {sorted(layered - tested)}"


def test_every_model_seed_and_column_is_documented(scratch: Scratch) -> None:
    manifest = scratch.manifest()
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")]
    assert {"report_summary", "agency_year", "data_quality", "stg_reports", "row_keys"} <= {n["name"] for n in nodes}
    for node in nodes:
        assert node["description"].strip(), node["name"]
        assert node["schema"] == "main", node["name"]  # the marts stay where users query them
        documented = {name for name, column in node["columns"].items() if column["description"].strip()}
        built = scratch.columns(node["name"])
        assert built and set(built) <= documented, f"{node['name']}: undocumented {set(built) - documented}"


def test_staging_views_mirror_the_warehouse_tables(scratch: Scratch) -> None:
    nodes = models(scratch.manifest())
    for table, spec in {**TABLES, FETCH_LOG.name: FETCH_LOG}.items():
        node = nodes[f"stg_{table}"]
        assert node["config"]["materialized"] == "view"
        assert scratch.columns(f"stg_{table}") == spec.column_names, table
    # Every mart is a table users query and the exports write (an incremental model is one too).
    assert {n["config"]["materialized"] for n in nodes.values() if "staging" not in n["fqn"]} <= {
        "table",
        "incremental",
    }


def test_key_tests_block_and_data_quality_tests_only_warn(scratch: Scratch, tmp_path: Path) -> None:
    tests = [n for n in scratch.manifest()["nodes"].values() if n["resource_type"] == "test"]
    for test in tests:
        if (test.get("test_metadata") or {}).get("name") in KEY_TESTS:
            assert test["config"]["severity"].lower() == "error", test["name"]
    assert any(t["config"]["severity"].lower() == "warn" for t in tests)

    # Duplicate keys and figures that break the soft rules, in a copy of the scratch warehouse.
    broken = tmp_path / "broken.duckdb"
    shutil.copy(scratch.database, broken)
    con = duckdb.connect(str(broken))
    try:
        con.execute(
            "insert into report_summary (report_id, non_null_facts, disclosure_rate) values ('r1', 3, 0.5), ('r1', 3, 7.0)"
        )
        con.execute(
            "insert into agency_year (agency, year, report_id, copies, chosen_because, agency_category)"
            " values ('a', 2020, 'r1', 1, 'only_copy', 'other'), ('a', 2020, 'r1', 1, 'only_copy', 'other')"
        )
        con.execute(
            "insert into carryover_consistency (agency, prior_year, year, prior_report_id, report_id, flagged)"
            " values ('a', 2020, 2021, 'r0', 'r1', true)"
        )
    finally:
        con.close()
    selection = ["--select", "report_summary", "agency_year", "carryover_consistency", "--exclude", UNIT_TESTS]
    result = scratch.dbt("broken", "test", *selection, database=broken)
    assert result.returncode != 0, output(result)
    statuses = {uid.split(".")[2]: status for uid, status in scratch.results("broken").items()}
    assert statuses["unique_report_summary_report_id"] == "fail"
    assert statuses["unique_combination_of_columns_agency_year_agency__year"] == "fail"
    assert statuses["unique_agency_year_report_id"] == "fail"
    assert statuses["accepted_range_report_summary_disclosure_rate__1__0"] == "warn"
    assert statuses["expression_is_true_carryover_consistency_not_flagged"] == "warn"
