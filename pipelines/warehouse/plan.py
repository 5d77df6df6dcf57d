"""A run's plan: the raw folder compared with the published warehouse, decided once.

The plan says which files to parse, which were removed, whether the published file is
damaged (then everything is parsed again), and whether anything at all changed — no file,
no pending fetch record, and the same parser, schema and models as built the published
warehouse — so that later steps act on the decision, not re-make it.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines.parse.version import PARSER_VERSION
from pipelines.raw.fetch_log import pending_fetch_logs
from pipelines.raw.inventory import KnownFile, Plan, plan
from pipelines.settings import Settings
from pipelines.warehouse.build import build_fingerprint
from pipelines.warehouse.damage import check_not_truncated, marked_damaged
from pipelines.warehouse.load import known_files, last_build
from pipelines.warehouse.publish import Identity, published, published_identity


@dataclass(frozen=True)
class RunPlan:
    """The raw folder's plan, what the published warehouse is, and what this run builds."""

    files: Plan
    planned_on: Identity | None  # the published file compared with
    build: str  # fingerprint of what this run builds with
    published_build: str | None  # fingerprint of what built the published warehouse
    pending_fetch_logs: int
    damaged: str | None = None  # why the published file cannot be read: the run rebuilds it

    @property
    def nothing_changed(self) -> bool:
        """No file to parse or remove, no fetch record to load, and the same build."""
        return (
            self.planned_on is not None
            and self.damaged is None
            and not self.files.to_parse
            and not self.files.removed
            and not self.pending_fetch_logs
            and self.build == self.published_build
        )


def plan_run(settings: Settings) -> RunPlan:
    """Compare the raw folder with the published warehouse's manifest."""
    planned_on = published_identity(settings)
    known: dict[str, KnownFile] = {}
    built_by = None
    damaged = marked_damaged(settings)
    if damaged is None:
        try:
            with published(settings) as con:
                if con is not None:
                    check_not_truncated(con, settings.warehouse.stat().st_size)
                known = known_files(con) if con is not None else {}
                built_by = last_build(con) if con is not None else None
        except (duckdb.Error, OSError) as exc:
            damaged = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    files = plan(settings.raw_dir, known, PARSER_VERSION, settings.parse_buckets)
    return RunPlan(
        files=files,
        planned_on=planned_on,
        build=build_fingerprint(settings.sql_dir),
        published_build=built_by,
        pending_fetch_logs=len(pending_fetch_logs(settings.raw_dir)),
        damaged=damaged,
    )
