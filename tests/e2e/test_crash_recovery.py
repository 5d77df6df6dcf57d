"""Runs killed at every point (a power cut: the whole process group; or the main process
alone, its steps orphaned) leave nothing stuck: the next run ends them as dead and builds
what an uninterrupted run builds, and with the daemon running a queued run starts."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from helpers import GOVREPORTS, PROJECT_DIR, Build, clone, new_build, warehouse_contents

from assets.pause import PAUSE_VARIABLE

# One worker runs every test that starts a daemon or a browser.
pytestmark = pytest.mark.xdist_group("daemons_and_browsers")
BIN = GOVREPORTS.parent


def _start_paused(build: Build, point: str) -> subprocess.Popen[bytes]:
    """A `govreports run` that holds at `point` (its own process group, like a service)."""
    marker = build.root / "dagster" / f"paused-at-{point}"
    marker.unlink(missing_ok=True)
    process = subprocess.Popen(
        [str(GOVREPORTS), "run"],
        env=build.env(**{PAUSE_VARIABLE: point}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    while not marker.exists():
        assert process.poll() is None, f"the run ended before reaching {point}"
        assert time.monotonic() < deadline, f"the run never reached {point}"
        time.sleep(0.2)
    return process


def _kill(process: subprocess.Popen[bytes], whole_group: bool) -> None:
    if whole_group:
        os.killpg(process.pid, signal.SIGKILL)
    else:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()


def _touch_a_page(build: Build, n: int) -> None:
    """Change one page so that the next run has work to do."""
    page = sorted(build.raw_dir.glob("*.txt"))[0]
    page.write_text(page.read_text("utf-8") + f"\n补充说明{n}。", "utf-8")


def _end_groups(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_runs_killed_at_every_point_leave_nothing_stuck(seeds_build: Build, tmp_path: Path) -> None:
    build = clone(seeds_build, tmp_path / "killed")
    killed = []
    try:
        for n, (point, whole_group) in enumerate([("parse", True), ("load", False), ("dbt", True), ("publish", False)]):
            _touch_a_page(build, n)
            killed.append(_start_paused(build, point))
            _kill(killed[-1], whole_group)
        before = build.warehouse.read_bytes()
        result = build.run()  # orphaned steps of the main-only kills are still paused
    finally:
        _end_groups(killed)
    # Each run ends the runs it finds dead before it starts: the last one found one left.
    assert [line for line in result.stdout.splitlines() if line.startswith("ended run")], result.stdout[-3000:]
    assert _statuses(build) == ["FAILURE"] * 4 + ["SUCCESS"]
    assert before != build.warehouse.read_bytes()
    reference = new_build(tmp_path / "uninterrupted", build.raw_dir)
    reference.run()
    assert warehouse_contents(build.warehouse) == warehouse_contents(reference.warehouse)


def test_the_daemon_starts_a_queued_run_after_killed_runs(seeds_build: Build, tmp_path: Path) -> None:
    build = clone(seeds_build, tmp_path / "queued")
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for n in range(2):  # two power cuts: two runs left STARTED, more than the queue allows
            _touch_a_page(build, n)
            processes.append(_start_paused(build, "load"))
            _kill(processes[-1], whole_group=True)
        shutil.copy2(PROJECT_DIR / "sources.toml", build.root / "sources.toml")
        daemon = subprocess.Popen(
            [str(BIN / "dagster-daemon"), "run", "-m", "assets.definitions"],
            cwd=PROJECT_DIR,
            env=build.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        processes.append(daemon)
        launched = subprocess.run(
            [str(BIN / "dagster"), "job", "launch", "-m", "assets.definitions", "-j", "warehouse_job"],
            cwd=PROJECT_DIR,
            env=build.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert launched.returncode == 0, launched.stderr[-2000:]
        submitted = time.monotonic()
        status = _wait_for_queued_run(build, deadline=submitted + 150)
        assert status == "SUCCESS", status
        assert time.monotonic() - submitted < 150
    finally:
        _end_groups(processes)


def _statuses(build: Build) -> list[str]:
    """The statuses of the deployment's runs, oldest first."""
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(build.root / "dagster")) as instance:
        return [run.status.value for run in reversed(instance.get_runs())]


def _wait_for_queued_run(build: Build, deadline: float) -> str:
    """The final status of the run submitted to the queue (the newest run)."""
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(build.root / "dagster")) as instance:
        while time.monotonic() < deadline:
            run = instance.get_runs(limit=1)[0]
            if run.status.value in ("SUCCESS", "FAILURE", "CANCELED"):
                return run.status.value
            time.sleep(2)
        return f"still {instance.get_runs(limit=1)[0].status.value} after the deadline"
