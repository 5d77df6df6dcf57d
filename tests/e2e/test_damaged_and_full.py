"""A damaged published warehouse is set aside and rebuilt from the raw folder; a full disk
fails the run with one clear line and leaves the published file as it was; a damaged
Dagster instance folder is named, with how to reset it. Each for real."""

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from helpers import Build, clone, warehouse_contents

from pipelines.settings import Settings
from pipelines.warehouse.damage import check_not_truncated
from pipelines.warehouse.plan import plan_run

DUCKDB_HEADER_BYTES = 3 * 4096  # the file header and two database headers
DUCKDB_BLOCK_BYTES = 262144


def _junk(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _not_duckdb(path: Path) -> None:
    path.write_text("这不是数据库文件\n" * 100, "utf-8")


def _other_version(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[12:20] = (999).to_bytes(8, "little")  # the storage version after the DUCK magic
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_junk, _truncated, _not_duckdb, _other_version], ids=lambda f: f.__name__[1:])
def test_every_kind_of_damage_is_seen_by_the_plan(seeds_build: Build, tmp_path: Path, damage) -> None:
    build = clone(seeds_build, tmp_path / "damaged")
    damage(build.warehouse)
    settings = Settings.from_env().with_paths(str(build.raw_dir), str(build.warehouse), None)
    run_plan = plan_run(settings)
    assert run_plan.damaged and not run_plan.nothing_changed
    assert run_plan.files.files_to_parse == run_plan.files.files_seen  # everything is parsed again


def test_a_damaged_published_file_is_set_aside_and_rebuilt(seeds_build: Build, tmp_path: Path) -> None:
    build = clone(seeds_build, tmp_path / "damaged")
    _junk(build.warehouse)
    damaged_bytes = build.warehouse.read_bytes()
    result = build.run()
    aside = list(build.root.glob("warehouse.duckdb.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged_bytes
    assert "set aside as" in result.stdout and "rebuilt from the raw folder" in result.stdout
    assert "fetch_log and load_runs" in result.stderr + result.stdout
    assert warehouse_contents(build.warehouse) == warehouse_contents(seeds_build.warehouse)


def _corrupt_a_data_block(path: Path) -> None:
    """Damage one block that holds a table's rows but neither the manifest (raw_files,
    load_runs) nor the tables' block lists, so that opening the file and planning work and
    reading the rows fails."""
    original = path.read_bytes()
    blocks = (len(original) - DUCKDB_HEADER_BYTES) // DUCKDB_BLOCK_BYTES
    for block in range(blocks):
        data = bytearray(original)
        at = DUCKDB_HEADER_BYTES + block * DUCKDB_BLOCK_BYTES + 100
        data[at : at + 64] = b"\xff" * 64
        path.write_bytes(bytes(data))
        try:
            with duckdb.connect(str(path), read_only=True) as con:
                con.execute("SELECT count(*) FROM raw_files").fetchall()
                con.execute("SELECT build FROM load_runs").fetchall()
                check_not_truncated(con, len(original))  # the plan reads every table's block list
        except (duckdb.Error, OSError):
            continue
        with duckdb.connect(str(path), read_only=True) as con:
            try:
                for table in ("sections", "application_outcomes", "parse_issues", "report_checks"):
                    con.execute(f"SELECT * FROM {table} LIMIT 10").fetchall()
            except duckdb.Error:
                return
    pytest.fail("no block of the warehouse holds rows apart from the manifest")


def test_a_checksum_error_later_in_a_run_fails_it_and_the_next_run_rebuilds(seeds_build: Build, tmp_path: Path) -> None:
    build = clone(seeds_build, tmp_path / "checksum")
    _corrupt_a_data_block(build.warehouse)
    damaged_bytes = build.warehouse.read_bytes()
    page = sorted(build.raw_dir.glob("*.txt"))[0]
    page.write_text(page.read_text("utf-8") + "\n补充说明。", "utf-8")
    failed = build.run(check=False)
    assert (
        failed.returncode == 1 and "is damaged" in failed.stderr and "the next run sets the file aside" in failed.stderr
    )
    assert build.warehouse.read_bytes() == damaged_bytes  # nothing published
    rebuilt = build.run()
    assert "set aside as" in rebuilt.stdout
    assert [p.read_bytes() for p in build.root.glob("warehouse.duckdb.damaged-*")] == [damaged_bytes]
    with duckdb.connect(str(build.warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw_files").fetchone() == (len(list(build.raw_dir.iterdir())),)


def test_a_damaged_dagster_instance_is_named_with_the_fix(seeds_build: Build, tmp_path: Path) -> None:
    build = clone(seeds_build, tmp_path / "instance")
    home = build.root / "dagster"
    (home / "history").mkdir(parents=True)
    (home / "history" / "runs.db").write_bytes(b"this is not an SQLite file" * 100)
    result = build.run(check=False)
    assert result.returncode == 1
    assert f"the Dagster instance in {home} cannot be read" in result.stderr
    assert f"mv {home} {home}.damaged" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 64 MB tmpfs for the warehouse folder alone (needs mount: root here and in CI)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to mount a tmpfs: {mounted.stderr.decode().strip()}")
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_fails_the_run_in_one_line_and_keeps_the_published_file(
    seeds_build: Build, tmp_path: Path, small_disk: Path
) -> None:
    build = clone(seeds_build, tmp_path / "full")
    warehouse = small_disk / "warehouse.duckdb"
    shutil.copy2(build.warehouse, warehouse)
    env = {"GOVREPORTS_WAREHOUSE": str(warehouse)}
    published = warehouse.read_bytes()
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * (free - 4 * 1024 * 1024))  # 4 MB left
    page = sorted(build.raw_dir.glob("*.txt"))[0]
    page.write_text(page.read_text("utf-8") + "\n补充说明。", "utf-8")
    result = build.run(check=False, **env)
    assert result.returncode == 1
    summary = result.stderr[result.stderr.rindex("run FAILED") :].splitlines()
    assert len(summary) == 2 and summary[1].startswith("  step warehouse_tables: no space left on"), summary
    assert f"no space left on {small_disk} (tmpfs) while copying the warehouse to staging" in summary[1]
    assert "the published warehouse is unchanged" in summary[1] and "MB needed" in summary[1]
    assert warehouse.read_bytes() == published
    runs = small_disk / ".warehouse.duckdb.work" / "runs"
    assert not list(runs.rglob("warehouse.duckdb")), "the staging copy is removed"
    assert list(runs.rglob("*.parquet")), "the parsed batches stay for a re-execution"
    (small_disk / "filler").unlink()
    build.run(**env)  # with room again, the next run publishes
    assert warehouse.read_bytes() != published
