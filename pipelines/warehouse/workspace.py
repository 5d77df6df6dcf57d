"""A run's scratch space beside the warehouse: its folder, its staging copy, and locks."""

from __future__ import annotations

import fcntl
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.settings import Settings

_SAFE_RUN_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def run_dir(settings: Settings, run_id: str) -> Path:
    """Scratch folder of one run (staging copy, parsed batches)."""
    if not _SAFE_RUN_ID.match(run_id):
        raise ValueError(f"unexpected run id {run_id!r}")
    return settings.work_dir / "runs" / run_id


def staging_path(settings: Settings, run_id: str) -> Path:
    return run_dir(settings, run_id) / settings.warehouse.name


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing) for the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
