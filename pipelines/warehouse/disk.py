"""A full disk fails a run with one clear line, leaves the published file as it was, and
removes what the run wrote that takes the space (its staging copy, DuckDB's spill
folder); the parsed batches stay, so that a re-execution from the failure can load them."""

from __future__ import annotations

import errno
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.settings import Settings
from pipelines.warehouse.workspace import run_dir, staging_path

MB = 1024 * 1024
HEADROOM_BYTES = 16 * MB  # DuckDB's own files beside the data (write-ahead log, checkpoints)


class DiskFull(RuntimeError):
    """No space left for a step; the message is the one line the run says."""


def is_no_space(exc: BaseException) -> bool:
    """Whether an error is the disk being full (an OSError, or DuckDB's or dbt's words for it)."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    return "no space left on device" in str(exc).lower()


def device_of(path: Path) -> str:
    """The mount point (and device) holding `path`, as /proc/mounts names it."""
    path = path.resolve()
    best = ("/", "")
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        mounts = []
    for line in mounts:
        device, mount = line.split()[:2]
        if path.is_relative_to(mount) and len(mount) >= len(best[0]):
            best = (mount, device)
    return f"{best[0]} ({best[1]})" if best[1] else best[0]


def needed_bytes(settings: Settings, run_id: str) -> int:
    """What a run's staging needs: a copy of the published file, the parsed batches loaded
    into it (counted twice: DuckDB's layout is larger than compressed Parquet), headroom."""
    published = settings.warehouse.stat().st_size if settings.warehouse.exists() else 0
    parsed = run_dir(settings, run_id) / "parsed"
    batches = sum(p.stat().st_size for p in parsed.rglob("*.parquet")) if parsed.exists() else 0
    return published + 2 * batches + HEADROOM_BYTES


def _message(settings: Settings, run_id: str, step: str) -> str:
    need = needed_bytes(settings, run_id)
    return (
        f"no space left on {device_of(settings.warehouse.parent)} while {step}; "
        f"the published warehouse is unchanged; {need / MB:,.0f} MB needed"
    )


def check_space(settings: Settings, run_id: str, step: str) -> None:
    """Refuse to start a step that would fill the disk."""
    folder = settings.warehouse.parent
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.disk_usage(folder).free < needed_bytes(settings, run_id):
        raise DiskFull(_message(settings, run_id, step))


def remove_partial_files(settings: Settings, run_id: str) -> None:
    """Delete the run's staging copy (and its temporaries) and DuckDB's spill folder; keep the parsed batches."""
    staging = staging_path(settings, run_id)
    for path in (staging, staging.with_name(f".{staging.name}.copy"), Path(f"{staging}.wal")):
        path.unlink(missing_ok=True)
    shutil.rmtree(settings.warehouse.parent / f".{settings.warehouse.name}.tmp", ignore_errors=True)


@contextmanager
def disk_full_guard(settings: Settings, run_id: str, step: str) -> Iterator[None]:
    """Turn a full disk during `step` into DiskFull, after removing the run's partial files."""
    try:
        yield
    except DiskFull:
        remove_partial_files(settings, run_id)
        raise
    except Exception as exc:
        if not is_no_space(exc):
            raise
        remove_partial_files(settings, run_id)
        raise DiskFull(_message(settings, run_id, step)) from None
