"""Failures a run explains in one line: a full disk, a damaged published warehouse."""

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
from dagster import Failure

from pipelines.settings import Settings
from pipelines.warehouse.damage import LOST_WITH_IT, is_corruption, mark_damaged
from pipelines.warehouse.disk import DiskFull, disk_full_guard


@contextmanager
def explained_failures(settings: Settings, run_id: str, step: str, damaged: str | None = None) -> Iterator[None]:
    """Run `step` so that a full disk or a damaged published file fails it with one clear line.

    A full disk: the run's partial files are removed, the published file stays as it was.
    A damaged block in the staging copy (a byte copy of the published file, unless the run
    already knew it `damaged`): the published file is marked, and the next run sets it aside.
    """
    try:
        with disk_full_guard(settings, run_id, step):
            yield
    except DiskFull as full:
        raise Failure(description=str(full)) from None
    except duckdb.Error as exc:
        if damaged is not None or not is_corruption(exc):
            raise
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        mark_damaged(settings, reason)
        raise Failure(
            description=(
                f"the published warehouse {settings.warehouse} is damaged ({reason}) while {step}; this run published "
                f"nothing; the next run sets the file aside and rebuilds it from the raw folder (lost with it: "
                f"{LOST_WITH_IT})"
            )
        ) from None
