"""Scraping report pages from government sites (see issue 5). Interface only for now:
sources are read; enabled sources are refused until the fetcher lands."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any



@dataclass(frozen=True)
class Source:
    name: str
    list_urls: tuple[str, ...]
    enabled: bool = True


@dataclass
class SourceResult:
    name: str
    pages_seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class ScrapeResult:
    sources: list[SourceResult]
    fetch_log: list[dict[str, Any]]


def load_sources(path: Path) -> list[Source]:
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text("utf-8"))
    return [
        Source(e["name"], tuple(e.get("list_urls") or [e["list_url"]]), bool(e.get("enabled", True)))
        for e in data.get("sources", [])
    ]


def scrape(sources: list[Source], raw_dir: Path, *, max_bytes: int, log: Callable[[str], None] = print) -> ScrapeResult:
    raise NotImplementedError("the fetcher is not written yet")

