"""Staging copies and publishing, without Dagster: one run's result never undoes another's."""

from pathlib import Path

import duckdb
import pytest

from pipelines.settings import Settings
from pipelines.warehouse.publish import (
    PublishConflict,
    ensure_staging,
    publish,
    published,
    published_identity,
    remove_abandoned_runs,
)
from pipelines.warehouse.workspace import run_dir


def settings_in(tmp_path: Path) -> Settings:
    return Settings(
        raw_dir=tmp_path / "raw", warehouse=tmp_path / "warehouse.duckdb", sources_file=tmp_path / "sources.toml"
    )


def mark(path: Path, value: str) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE OR REPLACE TABLE marker AS SELECT ? AS run", [value])
    finally:
        con.close()


def marker(settings: Settings) -> str:
    with published(settings) as con:
        return con.execute("SELECT run FROM marker").fetchone()[0]


def test_a_run_that_lost_the_race_publishes_nothing(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    mark(ensure_staging(settings, "first"), "first")
    publish(settings, "first")
    planned_on = published_identity(settings)

    mark(ensure_staging(settings, "slow", planned_on), "slow")  # starts from the same published state
    mark(ensure_staging(settings, "fast", planned_on), "fast")
    publish(settings, "fast")
    with pytest.raises(PublishConflict):
        publish(settings, "slow")
    assert marker(settings) == "fast"

    with pytest.raises(PublishConflict):  # planned against a file that is no longer published
        ensure_staging(settings, "late", planned_on)


def test_staging_starts_from_the_published_state_and_publish_replaces_it(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    mark(ensure_staging(settings, "one"), "one")
    publish(settings, "one")
    staging = ensure_staging(settings, "two")
    con = duckdb.connect(str(staging), read_only=True)
    try:
        assert con.execute("SELECT run FROM marker").fetchone()[0] == "one"  # incremental, not from empty
    finally:
        con.close()
    mark(staging, "two")
    assert marker(settings) == "one"  # nothing visible before publishing
    publish(settings, "two")
    assert marker(settings) == "two" and not run_dir(settings, "two").exists()


def test_abandoned_run_folders_are_removed(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    ensure_staging(settings, "killed")
    ensure_staging(settings, "running")
    assert remove_abandoned_runs(settings, keep={"running"}) == ["killed"]
    assert run_dir(settings, "running").exists() and not run_dir(settings, "killed").exists()


def test_run_ids_cannot_escape_the_work_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        run_dir(settings_in(tmp_path), "../../etc")
