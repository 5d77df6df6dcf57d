"""The scraper's fetch log: one row per HTTP fetch, kept as JSON-lines files until the
warehouse has loaded them.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from pipelines.raw.inventory import SCRAPED_DIR
from pipelines.raw.storage import write_atomic
from pipelines.warehouse.schema import FETCH_LOG

FETCH_LOG_DIR = ".fetch_log"
# The vocabularies of fetch_log.kind and fetch_log.outcome (stg_fetch_log tests them).
FETCH_KINDS = ("list", "report")
FETCH_OUTCOMES = ("new", "changed", "unchanged", "not_modified", "failed", "refused", "skipped")


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


# --- fetch log -------------------------------------------------------------------------


def new_fetch_row(source: str, url: str, kind: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(FETCH_LOG.column_names)
    row.update(fetch_id=uuid.uuid4().hex, source=source, url=url, kind=kind)
    return row


def write_fetch_log(raw_dir: Path, rows: list[dict[str, Any]]) -> Path | None:
    """Write a scrape's rows to `_scraped/.fetch_log/<UTC time>-<uuid>.jsonl` (atomically)."""
    if not rows:
        return None
    name = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex}.jsonl"
    path = raw_dir / SCRAPED_DIR / FETCH_LOG_DIR / name
    write_atomic(path, "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8"))
    return path


def pending_fetch_logs(raw_dir: Path) -> list[Path]:
    """Fetch-log files not yet loaded (the loader deletes them once published), oldest first."""
    folder = raw_dir / SCRAPED_DIR / FETCH_LOG_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.jsonl") if not p.name.startswith("."))


def read_fetch_logs(paths: list[Path]) -> list[dict[str, Any]]:
    """The rows of fetch-log files (`fetched_at` an ISO 8601 UTC string). Raises ValueError
    naming the file and line for a line that is not a JSON object."""
    rows = []
    for path in paths:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                row = None
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{number}: not a fetch-log row")
            rows.append(row)
    return rows
