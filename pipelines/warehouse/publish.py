"""Staging copies and atomic publish: readers never see a half-built warehouse.

A run works on a copy of the published file (so it stays incremental) and, only
when everything succeeded, renames the copy over the published file. Readers that
have the old file open keep reading the old inode; new readers see the new file.
A run that fails or is killed leaves the published file untouched.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.settings import Settings
from pipelines.warehouse.load import connect, create_schema
from pipelines.warehouse.workspace import exclusive_lock, run_dir, staging_path

ABANDONED_AFTER_SECONDS = 6 * 3600
_BASE = "base.json"  # the published file a staging copy started from, and whether it was damaged


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class PublishConflict(RuntimeError):
    """Another run published while this one was working: its result would undo that one's."""


Identity = tuple[int, int, int]  # inode, size, modification time of the published file


def published_identity(settings: Settings) -> Identity | None:
    """Which published file this is (None when nothing is published)."""
    try:
        stat = settings.warehouse.stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _check_unchanged(settings: Settings, base: Identity | None) -> None:
    if published_identity(settings) != base:
        raise PublishConflict(f"{settings.warehouse} was published by another run while this one worked; run again")


def ensure_staging(
    settings: Settings, run_id: str, planned_on: Identity | None | bool = True, damaged: str | None = None
) -> Path:
    """The run's staging warehouse, created on first use as a copy of the published one
    (or empty, with the schema, when nothing is published yet or the published file is
    `damaged`: the reason is recorded for publishing, which sets that file aside).

    `planned_on` is the published file the run planned its work against (the default,
    True, accepts whatever is published now); the copy is refused if it has changed.
    Refused too, before copying, when the disk has no room for the run (DiskFull).
    """
    from pipelines.warehouse.disk import check_space

    staging = staging_path(settings, run_id)
    with exclusive_lock(staging.parent / ".lock"):
        if not staging.exists():
            base = published_identity(settings)
            if planned_on is not True:
                _check_unchanged(settings, planned_on)  # type: ignore[arg-type]
            check_space(settings, run_id, "copying the warehouse to staging")
            temporary = staging.with_name(f".{staging.name}.copy")
            if settings.warehouse.exists() and not damaged:
                shutil.copyfile(settings.warehouse, temporary)
            else:
                temporary.unlink(missing_ok=True)
            (staging.parent / _BASE).write_text(json.dumps({"identity": base, "damaged": damaged}))
            con = connect(temporary)
            try:
                create_schema(con)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            os.replace(temporary, staging)
    return staging


@contextmanager
def published(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only connection to the published warehouse, or None when nothing is published.

    Readers share the file; should a process hold it open for writing (against the
    README's advice), a private copy is read instead of failing the run.
    """
    if not settings.warehouse.exists():
        yield None
        return
    try:
        con = connect(settings.warehouse, read_only=True)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        scratch = Path(tempfile.mkdtemp(prefix="published-", dir=settings.warehouse.parent))
        try:
            shutil.copyfile(settings.warehouse, scratch / settings.warehouse.name)
            con = connect(scratch / settings.warehouse.name, read_only=True)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)  # an open connection keeps the inode
    try:
        yield con
    finally:
        con.close()


@dataclass(frozen=True)
class Published:
    """The published file, and where a damaged file it replaced was set aside."""

    path: Path
    set_aside: Path | None = None


def publish(settings: Settings, run_id: str) -> Published:
    """Atomically replace the published warehouse with the run's staging copy, under the
    publish lock; a published file the run found damaged is first moved aside beside it."""
    staging = staging_path(settings, run_id)
    if not staging.exists():
        raise FileNotFoundError(
            f"run {run_id} built no staging warehouse to publish: materialize the warehouse tables in the same run"
        )
    base = json.loads((staging.parent / _BASE).read_text())
    con = connect(staging)
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    target = settings.warehouse
    target.parent.mkdir(parents=True, exist_ok=True)
    set_aside = None
    with exclusive_lock(settings.work_dir / ".publish.lock"):
        identity = base["identity"]
        _check_unchanged(settings, tuple(identity) if identity else None)
        if base["damaged"] and target.exists():
            set_aside = target.with_name(f"{target.name}.damaged-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}")
            os.replace(target, set_aside)
        # A write-ahead log left beside the old file would be replayed onto the new one.
        Path(f"{target}.wal").unlink(missing_ok=True)
        os.replace(staging, target)
        _fsync_dir(target.parent)
    shutil.rmtree(run_dir(settings, run_id), ignore_errors=True)
    return Published(target, set_aside)


def _last_write(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.rglob("*")), default=folder.stat().st_mtime)


def remove_abandoned_runs(settings: Settings, keep: set[str]) -> list[str]:
    """Remove scratch folders of runs that ended without publishing (failed or killed).

    `keep` names the runs still in progress; a killed run may still be recorded as in
    progress, so a folder untouched for ABANDONED_AFTER_SECONDS goes anyway.
    """
    removed: list[str] = []
    runs = settings.work_dir / "runs"
    if not runs.exists():
        return removed
    now = time.time()
    for entry in runs.iterdir():
        if not entry.is_dir():
            continue
        if entry.name not in keep or now - _last_write(entry) > ABANDONED_AFTER_SECONDS:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed
