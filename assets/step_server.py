"""What the step server (the multiprocess executor's forkserver) imports once, so that every
step process forked from it starts with the code location and the Dagster instance's
storage already imported."""

import dagster._core.instance.factory  # noqa: F401
import dagster._core.storage.event_log.sqlite  # noqa: F401
import dagster._core.storage.runs.sqlite  # noqa: F401
import dagster._core.storage.schedules.sqlite  # noqa: F401
import dagster._core.storage.sqlite_storage  # noqa: F401

import assets.definitions  # noqa: F401
import pipelines.warehouse.batches  # noqa: F401  (the parser and polars: the parse steps need them)
