"""A sensor that starts the warehouse job when pages are added to, changed in or removed from the raw folder."""

import hashlib

from dagster import RunRequest, SensorEvaluationContext, SkipReason, sensor

from assets.resources import Warehouse
from assets.schedules import warehouse_job
from pipelines.raw.inventory import SCRAPED_DIR, walk


def raw_folder_fingerprint(warehouse: Warehouse) -> str:
    """A digest of every hand-placed file's path, size and modification time (scraped pages
    are left to the run that fetched them)."""
    digest = hashlib.sha256()
    for raw_path, stat in walk(warehouse.settings.raw_dir):
        if not raw_path.startswith(SCRAPED_DIR + "/"):
            digest.update(f"{raw_path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:20]


@sensor(job=warehouse_job, minimum_interval_seconds=60)
def raw_folder_sensor(context: SensorEvaluationContext, warehouse: Warehouse):  # noqa: ANN201
    """Run the warehouse job when the raw folder's files change."""
    fingerprint = raw_folder_fingerprint(warehouse)
    if fingerprint == context.cursor:
        return SkipReason("raw folder unchanged")
    context.update_cursor(fingerprint)
    # No run_key: a folder that returns to an earlier state (a file added, then removed)
    # must run again, and the cursor already prevents repeats.
    return RunRequest()
