"""Readers never block the run; a killed or failed run never changes the published warehouse."""

import json
import os
import signal
import subprocess
import time

import duckdb
from helpers import GOVREPORTS, RAW_DIR, Build, clone
from test_pipeline import snapshot


def counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    return con.execute("SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM application_outcomes)").fetchone()


def test_a_reader_holding_the_file_neither_blocks_the_run_nor_sees_it_half_built(tmp_path, seeds_build: Build) -> None:
    build = clone(seeds_build, tmp_path)
    reader = duckdb.connect(str(build.warehouse), read_only=True)
    try:
        before = counts(reader)
        (build.raw_dir / "more").mkdir()
        (build.raw_dir / "more" / "002.html").write_bytes((RAW_DIR / "fixtures" / "002.html").read_bytes())
        build.run()
        assert counts(reader) == before  # the open reader keeps its consistent old state
    finally:
        reader.close()
    fresh = duckdb.connect(str(build.warehouse), read_only=True)
    try:
        after = counts(fresh)
    finally:
        fresh.close()
    assert after[0] == before[0] + 1 and after[1] > before[1]  # a new reader sees the whole new state
    assert not list(build.root.glob("*.wal")) and not list(build.root.glob(".*work/runs/*"))  # no leftovers


def test_a_run_killed_at_any_moment_leaves_the_published_file_and_the_next_run_finishes(
    tmp_path, sample_build: Build
) -> None:
    build = clone(sample_build, tmp_path)
    published = snapshot(build.warehouse)
    (build.raw_dir / "fixtures" / "009.html").unlink()  # work for the killed runs to do
    for delay in (3.0, 9.0, 16.0):
        process = subprocess.Popen(
            [str(GOVREPORTS), "run"],
            env=build.env(),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        if process.returncode == 0:
            break  # finished before the kill: nothing left to interrupt
        assert snapshot(build.warehouse) == published  # untouched by the killed run
    (build.raw_dir / "fixtures" / "009.html").write_bytes((RAW_DIR / "fixtures" / "009.html").read_bytes())
    os.utime(build.raw_dir / "fixtures" / "009.html", ns=(os.stat(RAW_DIR / "fixtures" / "009.html").st_mtime_ns,) * 2)
    build.run()
    assert snapshot(build.warehouse) == snapshot(sample_build.warehouse)
    assert not [p for p in build.raw_dir.rglob(".*") if p.is_file()]  # no partial files in the raw folder


def test_a_failed_blocking_check_publishes_nothing(tmp_path, seeds_build: Build) -> None:
    build = clone(seeds_build, tmp_path)
    published = snapshot(build.warehouse)
    host = build.raw_dir / "_scraped" / "example.gov.cn"
    host.mkdir(parents=True)
    for name in ("a.html", "b.html"):  # two stored pages claiming one URL: duplicate report ids
        (host / name).write_bytes((RAW_DIR / "fixtures" / "004.html").read_bytes())
        (host / f".{name}.meta.json").write_text(json.dumps({"url": "https://example.gov.cn/report.htm"}))
    result = build.run(check=False)
    assert result.returncode != 0
    assert "unique_keys" in result.stdout + result.stderr and "not changed" in result.stderr
    assert snapshot(build.warehouse) == published
