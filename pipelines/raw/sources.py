"""The sources file: which sites' report columns to scrape, validated before anything is fetched."""

from __future__ import annotations

import codecs
import re
import tomllib
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import soupsieve

DEFAULT_PORTS = (None, 80, 443)


class SourceError(ValueError):
    """A sources-file entry that cannot be scraped; the message says which and why."""


@dataclass(frozen=True)
class Source:
    """A site's report column: an entry of the sources file (its keys are explained there)."""

    name: str
    list_urls: tuple[str, ...] = ()
    report_urls: tuple[str, ...] = ()
    enabled: bool = True
    link_selector: str | None = None
    link_pattern: str | None = None
    next_selector: str | None = None
    max_list_pages: int = 50
    encoding: str | None = None
    delay: float = 1.0
    concurrency: int = 2

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise SourceError("every source needs a non-empty `name`")
        where = f"source {self.name!r}"
        if not self.list_urls and not self.report_urls:
            raise SourceError(f"{where}: give `list_url`, `list_urls` or `report_urls`")
        for url in (*self.list_urls, *self.report_urls):
            _check_source_url(url, where)
        _check_option(isinstance(self.enabled, bool), where, "`enabled` must be true or false")
        _check_option(
            isinstance(self.delay, (int, float)) and self.delay >= 0, where, "`delay` must be a number of seconds ≥ 0"
        )
        _check_option(
            isinstance(self.concurrency, int) and self.concurrency >= 1, where, "`concurrency` must be an integer ≥ 1"
        )
        _check_option(
            isinstance(self.max_list_pages, int) and self.max_list_pages >= 1,
            where,
            "`max_list_pages` must be an integer ≥ 1",
        )
        try:
            if self.link_pattern is not None:
                re.compile(self.link_pattern)
            for selector in (self.link_selector, self.next_selector):
                if selector is not None:
                    soupsieve.compile(selector)
            if self.encoding is not None:
                codecs.lookup(self.encoding)
        except (re.error, soupsieve.SelectorSyntaxError, LookupError, TypeError) as exc:
            raise SourceError(f"{where}: {exc}") from None

    @cached_property
    def sites(self) -> frozenset[str]:
        """The hosts (with any non-default port) this source may contact."""
        return frozenset(site_of(url) for url in (*self.list_urls, *self.report_urls))


# --- sources ---------------------------------------------------------------------------

_LIST_KEYS = {"list_url", "list_urls", "report_urls"}
_KEYS = {f.name for f in fields(Source)} | _LIST_KEYS


def _check_option(ok: bool, where: str, message: str) -> None:
    if not ok:
        raise SourceError(f"{where}: {message}")


def _check_source_url(url: object, where: str) -> None:
    if not isinstance(url, str):
        raise SourceError(f"{where}: URLs must be strings, not {url!r}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise SourceError(f"{where}: bad URL {url!r}: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise SourceError(f"{where}: only http and https URLs can be scraped, not {url!r}")
    if not parts.hostname:
        raise SourceError(f"{where}: no host in {url!r}")


def _url_list(entry: dict[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if key == "list_url":
        value = [value]
    if not isinstance(value, list):
        raise SourceError(f"`{key}` must be a list of URLs")
    return tuple(value)


def _entry_source(entry: Any) -> Source:
    if not isinstance(entry, dict) or "name" not in entry:
        raise SourceError("every [[sources]] entry needs a `name`")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise SourceError(f"unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})")
    if "list_url" in entry and "list_urls" in entry:
        raise SourceError("give `list_url` or `list_urls`, not both")
    options = {k: v for k, v in entry.items() if k not in _LIST_KEYS}
    list_urls = _url_list(entry, "list_url" if "list_url" in entry else "list_urls")
    return Source(list_urls=list_urls, report_urls=_url_list(entry, "report_urls"), **options)


def load_sources(path: Path) -> list[Source]:
    """The `[[sources]]` entries of a TOML file (a missing file has none). Raises
    SourceError, naming the entry, for anything that cannot be scraped safely."""
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: {exc}") from None
    sources = []
    for number, entry in enumerate(data.get("sources", []), 1):
        try:
            sources.append(_entry_source(entry))
        except SourceError as exc:
            raise SourceError(f"{path}, source #{number}: {exc}") from None
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SourceError(f"{path}: duplicate source name(s) {', '.join(duplicates)}")
    return sources


def page_source(url: str) -> Source:
    """A source of one report page (`govreports scrape --url`): its host is the only one allowed."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None  # Source names the malformed URL
    return Source(name=host or url, report_urls=(url,))


# --- where pages go --------------------------------------------------------------------


def site_of(url: str) -> str:
    """`host`, or `host:port` for a non-default port: the unit of the allow-list, of the
    politeness limits and of the storage folder."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    return host if parts.port in DEFAULT_PORTS else f"{host}:{parts.port}"
