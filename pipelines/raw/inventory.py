"""The raw folder as an inventory: which files exist, what each one's source is, and
which must be parsed this run (new, changed, or read by an older parser)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

SCRAPED_DIR = "_scraped"
LOCAL_SOURCE = "local"


@dataclass(frozen=True)
class RawFile:
    """A file of the raw folder and what the parse needs to know before reading it."""

    raw_path: str  # relative to the raw folder, '/'-separated
    source_uri: str  # URL of a scraped page, else raw_path
    size: int
    mtime_ns: int
    partition_key: str
    fetched_at: dt.datetime | None = None
    declared_encoding: str | None = None


@dataclass(frozen=True)
class KnownFile:
    """A file as the warehouse last loaded it (a raw_files row)."""

    source_uri: str
    size: int
    mtime_ns: int
    content_sha256: str
    parser_version: str


@dataclass
class Plan:
    """What this run has to do with the raw folder."""

    files_seen: int
    to_parse: dict[str, list[RawFile]] = field(default_factory=dict)  # by partition key
    removed: list[str] = field(default_factory=list)  # raw paths gone from the folder
    unchanged: int = 0
    previous: dict[str, KnownFile] = field(default_factory=dict)  # last load of each file to parse

    @property
    def files_to_parse(self) -> int:
        return sum(len(files) for files in self.to_parse.values())


def sidecar_path(page: Path) -> Path:
    """Where the scraper records a stored page's URL and headers (a dot-file the loader skips)."""
    return page.with_name(f".{page.name}.meta.json")


def read_sidecar(page: Path) -> dict[str, object]:
    try:
        return json.loads(sidecar_path(page).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def partition_key(raw_path: str, source_uri: str, buckets: int) -> str:
    """`<source>_<bucket>`: the page's source (scraped host, or `local`) and a stable hash
    bucket of its source URI. Known before parsing, so partitions can run anywhere."""
    parts = raw_path.split("/")
    source = parts[1] if parts[0] == SCRAPED_DIR and len(parts) > 2 else LOCAL_SOURCE
    source = re.sub(r"[^A-Za-z0-9]", "_", source)[:60]
    bucket = int(hashlib.sha256(source_uri.encode("utf-8")).hexdigest()[:8], 16) % buckets
    return f"{source}_{bucket:02d}"


def walk(raw_dir: Path) -> Iterator[tuple[str, os.stat_result]]:
    """(relative path, stat) of every file under raw_dir, skipping dot-files and dot-folders.

    Symlinked folders are not entered, so nothing outside the folder is read twice or looped over.
    """
    stack = [(str(raw_dir), "")]  # (folder, its path relative to raw_dir with a trailing "/")
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, f"{prefix}{entry.name}/"))
            elif entry.is_file():
                yield prefix + entry.name, entry.stat()


def _raw_file(raw_dir: Path, raw_path: str, stat: os.stat_result, buckets: int) -> RawFile:
    fetched_at = dt.datetime.fromtimestamp(stat.st_mtime_ns / 1e9, dt.UTC).replace(tzinfo=None)
    source_uri, declared = raw_path, None
    if raw_path.startswith(SCRAPED_DIR + "/"):
        meta = read_sidecar(raw_dir / raw_path)
        url = meta.get("url")
        if isinstance(url, str) and url:
            source_uri = url
        if isinstance(meta.get("fetched_at"), str):
            try:
                fetched_at = dt.datetime.fromisoformat(str(meta["fetched_at"])).replace(tzinfo=None)
            except ValueError:
                pass
        encoding = meta.get("encoding")
        declared = encoding if isinstance(encoding, str) else None
    return RawFile(
        raw_path,
        source_uri,
        stat.st_size,
        stat.st_mtime_ns,
        partition_key(raw_path, source_uri, buckets),
        fetched_at,
        declared,
    )


def plan(raw_dir: Path, known: Mapping[str, KnownFile], parser_version: str, buckets: int) -> Plan:
    """Compare the raw folder with what was loaded. A file whose size and modification
    time match the last load, read by the same parser version, is not read again."""
    result = Plan(files_seen=0)
    grouped: dict[str, list[RawFile]] = defaultdict(list)
    present: set[str] = set()
    for raw_path, stat in walk(raw_dir):
        result.files_seen += 1
        present.add(raw_path)
        previous = known.get(raw_path)
        if (
            previous is not None
            and previous.size == stat.st_size
            and previous.mtime_ns == stat.st_mtime_ns
            and previous.parser_version == parser_version
        ):
            result.unchanged += 1
            continue
        described = _raw_file(raw_dir, raw_path, stat, buckets)
        grouped[described.partition_key].append(described)
        if previous is not None:
            result.previous[raw_path] = previous
    result.to_parse = dict(sorted(grouped.items()))
    result.removed = sorted(set(known) - present)
    return result
