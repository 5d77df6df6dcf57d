"""Scraping report pages from government sites (issue 5) under the security rules of issue 7.

A source (an entry of the sources file) names the list pages of a site's 政府信息公开年报
column. The list pages are followed page by page (下一页 links, TRS `createPageHTML`
pagers, else index_1.htm, index_2.htm, … guessed until one is missing), and every report
page they link to is stored under `<raw>/_scraped/<host>/` beside a
`.<name>.meta.json` sidecar holding its URL and validators. Every fetch is a fetch-log row.

Only the hosts of a source's own URLs are contacted, over http(s), and never a host name
that resolves to a private address (an address written literally in the source is
allowed). robots.txt, a per-host delay and concurrency, timeouts, retries, a cap on the
decoded body and a redirect cap apply to every request.
"""

from __future__ import annotations

import asyncio
import codecs
import datetime as dt
import email.utils
import hashlib
import ipaddress
import json
import os
import re
import socket
import time
import tomllib
import uuid
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx
import soupsieve
from bs4 import BeautifulSoup, Tag

from pipelines.corpus import SCRAPED_DIR, read_sidecar, sidecar_path
from pipelines.errors import DocumentError
from pipelines.read import decode
from pipelines.schema import FETCH_LOG

USER_AGENT = "govreports/0.1 (archiver of government information-disclosure annual reports)"
ROBOTS_AGENT = "govreports"  # the name robots.txt rules are matched against
LIST_DIR = ".lists"  # list pages, kept for conditional requests; a dot-folder the loader skips
FETCH_LOG_DIR = ".fetch_log"
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: at least 500 KiB must be read

_PAGE_EXTENSIONS = (".html", ".htm", ".txt")
_DEFAULT_PORTS = (None, 80, 443)
# Titles of report links, simplified or traditional: …年度报告, …信息公开年报 (资讯/資訊 too).
_REPORT_TITLE = re.compile(r"年度[报報]告|[信資资][息訊讯]公[开開]年[报報]")
# A year, so that a link to the column itself (政府信息公开年报) is not taken for a report.
_YEAR = re.compile(r"(?:19|20)\d\d|[一二][〇○零一二三四五六七八九]{3}")
_NEXT_TEXTS = {"下一页", "下页", "下一頁", "下頁", "后一页", "後一頁", "next"}
_PAGER = re.compile(r"createPageHTML\s*\(([^)]*)\)")  # TRS WCM: createPageHTML(pages, current, "index", "htm")
_INDEX_PAGE = re.compile(r"(?P<stem>index|list|default)(?:_(?P<n>\d+))?\.(?P<ext>s?html?)", re.I)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


class SourceError(ValueError):
    """A sources-file entry that cannot be scraped; the message says which and why."""


class _FetchFailure(Exception):
    """A fetch that did not give a page: `outcome` is `failed`, `refused` or `skipped`."""

    def __init__(self, outcome: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.message = message
        self.status = status


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
        _check_option(isinstance(self.delay, (int, float)) and self.delay >= 0, where, "`delay` must be a number of seconds ≥ 0")
        _check_option(isinstance(self.concurrency, int) and self.concurrency >= 1, where, "`concurrency` must be an integer ≥ 1")
        _check_option(isinstance(self.max_list_pages, int) and self.max_list_pages >= 1, where, "`max_list_pages` must be an integer ≥ 1")
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


@dataclass
class SourceResult:
    """What scraping one source did. `pages_seen` and the outcome counts are of report
    pages; `failed` also counts failed and refused list pages."""

    name: str
    pages_seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0  # same bytes, or a 304
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class ScrapeResult:
    sources: list[SourceResult]
    fetch_log: list[dict[str, Any]]  # rows with the columns of schema.FETCH_LOG


@dataclass(frozen=True)
class FetchPolicy:
    """How patient the fetcher is. The defaults suit slow government sites; tests shrink them."""

    timeout: float = 30.0  # seconds to connect, and between bytes
    total_timeout: float = 300.0  # seconds for a whole response (a server trickling bytes)
    retries: int = 3  # after a timeout, a network error, 429 or 5xx
    backoff: float = 2.0  # seconds before the first retry, doubled for each further one
    max_retry_after: float = 300.0  # a server asking for a longer wait is given up on
    max_redirects: int = 5


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
    return host if parts.port in _DEFAULT_PORTS else f"{host}:{parts.port}"


def page_name(url: str) -> str:
    """A safe, deterministic file name for a page: its last path segment reduced to
    `[A-Za-z0-9_-]` (at most 60), 12 hex of the URL's sha256, and .html, .htm or .txt."""
    segment = unquote(urlsplit(url).path).replace("\\", "/").rsplit("/", 1)[-1]
    stem, extension = os.path.splitext(segment)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_-")[:60] or "page"
    extension = extension.lower() if extension.lower() in _PAGE_EXTENSIONS else ".html"
    return f"{stem}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:12]}{extension}"


def page_path(raw_dir: Path, url: str, kind: str) -> Path:
    """`_scraped/<host>/<name>` for a report page, `_scraped/<host>/.lists/<name>` for a list page."""
    host = re.sub(r"[^a-z0-9.-]+", "_", site_of(url).lower()).strip(".") or "_"
    folder = raw_dir / SCRAPED_DIR / host
    return (folder / LIST_DIR if kind == "list" else folder) / page_name(url)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary dot-name in the same folder, then rename into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _stored(path: Path) -> tuple[bytes | None, dict[str, Any]]:
    """The stored page's bytes (None if absent), and its sidecar if it describes those bytes
    (a page whose write was interrupted after its sidecar's is fetched unconditionally)."""
    try:
        body = path.read_bytes()
    except FileNotFoundError:
        return None, {}
    meta = read_sidecar(path)
    return body, meta if meta.get("content_sha256") == hashlib.sha256(body).hexdigest() else {}


def _conditional_headers(meta: dict[str, Any]) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from a stored page's sidecar: unchanged costs a 304."""
    headers = {"If-None-Match": meta.get("etag"), "If-Modified-Since": meta.get("last_modified")}
    return {name: value for name, value in headers.items() if isinstance(value, str) and value}


def _utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


# --- fetch log -------------------------------------------------------------------------


def _fetch_row(source: str, url: str, kind: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(FETCH_LOG.column_names)
    row.update(fetch_id=uuid.uuid4().hex, source=source, url=url, kind=kind)
    return row


def write_fetch_log(raw_dir: Path, rows: list[dict[str, Any]]) -> Path | None:
    """Write a scrape's rows to `_scraped/.fetch_log/<UTC time>-<uuid>.jsonl` (atomically)."""
    if not rows:
        return None
    name = f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex}.jsonl"
    path = raw_dir / SCRAPED_DIR / FETCH_LOG_DIR / name
    _write_atomic(path, "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8"))
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


# --- list pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    url: str  # after redirects
    body: bytes
    encoding: str | None  # declared by the server or the source


@dataclass(frozen=True)
class ListLinks:
    reports: list[str]
    next_pages: list[str]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _absolute(base: str, href: Any) -> str | None:
    """`href` resolved against the base URL, without its fragment; None unless http(s)."""
    if not isinstance(href, str) or not href.strip():
        return None
    try:
        url = urldefrag(urljoin(base, href.strip())).url
        return url if urlsplit(url).scheme in ("http", "https") else None
    except ValueError:
        return None


def _is_report_link(anchor: Tag, url: str, source: Source) -> bool:
    if source.link_pattern is not None:
        return re.search(source.link_pattern, url) is not None
    if source.link_selector is not None:
        return True
    titles = (_squash(anchor.get_text()), _squash(str(anchor.get("title") or "")))
    return any(_REPORT_TITLE.search(t) and _YEAR.search(t) for t in titles)


def _pager_pages(html: str, base: str) -> list[str]:
    """The pages a TRS `createPageHTML(count, current, "index", "htm")` pager draws."""
    for match in _PAGER.finditer(html):  # the first call, not the function's definition
        arguments = [a.strip() for a in match.group(1).split(",")]
        numbers = [int(a) for a in arguments if a.isdigit()]
        names = [a.strip("\"'") for a in arguments if a[:1] in "\"'" and len(a) > 1]
        if numbers and len(names) >= 2:
            stem, extension = names[-2:]
            return [urljoin(base, f"{stem}_{n}.{extension}") for n in range(1, numbers[0])]
    return []


def list_links(page: bytes, url: str, source: Source, declared: str | None = None) -> ListLinks:
    """The report links and next-page links of a list page (absolute URLs, in page order).

    Report links: `link_selector` / `link_pattern` if the source has them, else links whose
    text or title reads like a report title with a year. Next pages: `next_selector` if
    set, else 下一页 links and the pages of a TRS `createPageHTML` pager. Raises
    DocumentError for a page that cannot be decoded.
    """
    html = decode(page, declared).text
    soup = BeautifulSoup(html, "lxml")
    base_tag = soup.find("base", href=True)
    base = _absolute(url, base_tag["href"]) if isinstance(base_tag, Tag) else None
    base = base or url
    anchors = soup.select(source.link_selector) if source.link_selector else soup.find_all("a", href=True)
    reports = [u for a in anchors if (u := _absolute(base, a.get("href"))) and _is_report_link(a, u, source)]
    if source.next_selector:
        next_pages = [u for a in soup.select(source.next_selector) if (u := _absolute(base, a.get("href")))]
    else:
        next_anchors = [a for a in soup.find_all("a", href=True) if _squash(a.get_text()).strip("<>»›«‹").lower() in _NEXT_TEXTS]
        next_pages = [u for a in next_anchors if (u := _absolute(base, a.get("href")))] + _pager_pages(html, base)
    return ListLinks(list(dict.fromkeys(reports)), list(dict.fromkeys(next_pages)))


def guess_next_page(url: str) -> str | None:
    """The next page of a static CMS list: index.htm → index_1.htm → index_2.htm (also
    `list_N` and `default_N`, .html and .shtml); None for any other URL."""
    parts = urlsplit(url)
    folder, _, segment = parts.path.rpartition("/")
    match = _INDEX_PAGE.fullmatch(segment)
    if not match or parts.query:
        return None
    number = int(match["n"] or 0) + 1
    return urlunsplit(parts._replace(path=f"{folder}/{match['stem']}_{number}.{match['ext']}", fragment=""))


# --- the fetcher -----------------------------------------------------------------------


def resolve(host: str) -> list[str]:
    """The addresses a host name resolves to."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)})


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 scope
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _is_literal_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _retry_after(value: str | None) -> float | None:
    """Seconds asked for by a Retry-After header (a number or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def _describe(exc: httpx.HTTPError) -> str:
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "network error"
    return f"{kind} ({type(exc).__name__}{': ' + str(exc) if str(exc) else ''})"


class _Host:
    """Politeness towards one host: at most `concurrency` requests at once, and `delay`
    seconds between the starts of two requests (longer after a backoff or Retry-After)."""

    def __init__(self, delay: float, concurrency: int) -> None:
        self.delay = delay
        self._slots = asyncio.Semaphore(concurrency)
        self._lock = asyncio.Lock()
        self._next_start = 0.0

    def pause(self, seconds: float) -> None:
        self._next_start = max(self._next_start, time.monotonic() + seconds)

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        async with self._slots:
            async with self._lock:
                while (wait := self._next_start - time.monotonic()) > 0:
                    await asyncio.sleep(wait)
                self._next_start = time.monotonic() + self.delay
            yield


def _host_limits(sources: list[Source]) -> dict[str, _Host]:
    """One _Host per site; a site named by several sources gets the strictest limits."""
    limits: dict[str, tuple[float, int]] = {}
    for source in sources:
        for site in source.sites:
            delay, concurrency = limits.get(site, (source.delay, source.concurrency))
            limits[site] = (max(delay, source.delay), min(concurrency, source.concurrency))
    return {site: _Host(delay, concurrency) for site, (delay, concurrency) in limits.items()}


@dataclass
class _Response:
    status: int
    url: str
    headers: httpx.Headers
    body: bytes = b""
    location: str | None = None  # where a redirect points, resolved


class _Scraper:
    """One scrape: the HTTP client, per-host limits, robots.txt and DNS verdicts, the log."""

    def __init__(self, client: httpx.AsyncClient, sources: list[Source], raw_dir: Path, max_bytes: int,
                 policy: FetchPolicy, log: Callable[[str], None], rows: list[dict[str, Any]]) -> None:
        self.client = client
        self.raw_dir = raw_dir
        self.max_bytes = max_bytes
        self.policy = policy
        self.log = log
        self.rows = rows
        self.hosts = _host_limits(sources)
        self.claimed: set[str] = set()  # report URLs already taken by a source this scrape
        self._robots: dict[str, asyncio.Future[RobotFileParser | str]] = {}
        self._addresses: dict[str, asyncio.Future[tuple[str, str] | None]] = {}

    # Requests.

    async def _send(self, url: str, headers: dict[str, str], max_bytes: int) -> _Response:
        """One GET; the body is read (decoded, at most max_bytes) only for a 200."""
        try:
            async with asyncio.timeout(self.policy.total_timeout):
                async with self.client.stream("GET", url, headers=headers) as response:
                    status, location = response.status_code, response.headers.get("location")
                    if response.is_redirect and location:
                        return _Response(status, url, response.headers, location=urldefrag(urljoin(url, location)).url)
                    if status != 200:
                        return _Response(status, url, response.headers)
                    length = response.headers.get("content-length", "")
                    if length.isdigit() and int(length) > max_bytes:
                        raise _FetchFailure("refused", f"Content-Length {length} is over the {max_bytes}-byte cap; not read", status)
                    chunks, size = [], 0
                    async for chunk in response.aiter_bytes():  # decoded: a gzip bomb is cut off too
                        size += len(chunk)
                        if size > max_bytes:
                            raise _FetchFailure("refused", f"body over the {max_bytes}-byte cap once decoded; not stored", status)
                        chunks.append(chunk)
                    return _Response(status, url, response.headers, b"".join(chunks))
        except TimeoutError:
            raise _FetchFailure("failed", f"no complete response within {self.policy.total_timeout:g} s") from None

    async def _request(self, url: str, headers: dict[str, str], max_bytes: int) -> _Response:
        """GET with retries after timeouts, network errors, 429 and 5xx: exponential
        backoff, or the server's Retry-After. The whole host waits, not just this URL."""
        host = self.hosts[site_of(url)]
        attempt = 0
        while True:
            backoff = self.policy.backoff * 2**attempt
            last = attempt == self.policy.retries
            try:
                async with host.turn():
                    response = await self._send(url, headers, max_bytes)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                if last:
                    raise _FetchFailure("failed", _describe(exc)) from None
                host.pause(backoff)
            else:
                if last or not (response.status == 429 or response.status >= 500):
                    return response
                wait = _retry_after(response.headers.get("retry-after"))
                if wait is not None and wait > self.policy.max_retry_after:
                    raise _FetchFailure("failed", f"HTTP {response.status}, retry after {wait:.0f} s: longer than we wait", response.status)
                host.pause(backoff if wait is None else wait)
            attempt += 1

    async def _get(self, source: Source, url: str, headers: dict[str, str], max_bytes: int, *, check_robots: bool = True) -> _Response:
        """A 200 or 304 for `url`, following redirects within the source's hosts."""
        for _ in range(self.policy.max_redirects + 1):
            await self._check_allowed(source, url, check_robots)
            response = await self._request(url, headers, max_bytes)
            if response.location is None:
                if response.status in (200, 304):
                    return response
                raise _FetchFailure("failed", f"HTTP {response.status}", response.status)
            url = response.location
        raise _FetchFailure("failed", f"more than {self.policy.max_redirects} redirects (the last to {url})", response.status)

    # What may be fetched.

    def _shared(self, cache: dict[str, asyncio.Future[Any]], key: str, make: Callable[[], Awaitable[Any]]) -> asyncio.Future[Any]:
        """Compute once per scrape, however many tasks ask at the same time."""
        if key not in cache:
            cache[key] = asyncio.ensure_future(make())
        return cache[key]

    async def _check_allowed(self, source: Source, url: str, check_robots: bool) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise _FetchFailure("refused", f"not an http(s) URL: {url[:200]}")
        site = site_of(url)
        if site not in source.sites:
            raise _FetchFailure("refused", f"{site} is not a host of source {source.name!r} (allowed: {', '.join(sorted(source.sites))})")
        host = parts.hostname or ""
        if not _is_literal_ip(host):  # a literal address is allowed: the source names it
            problem = await self._shared(self._addresses, host, lambda: self._address_problem(host))
            if problem is not None:
                raise _FetchFailure(*problem)
        if check_robots:
            origin = f"{parts.scheme}://{parts.netloc}"
            rules = await self._shared(self._robots, origin, lambda: self._load_robots(source, origin))
            if isinstance(rules, str):
                raise _FetchFailure("failed", f"{origin}/robots.txt could not be read ({rules}); the site is not crawled")
            if not rules.can_fetch(ROBOTS_AGENT, url):
                raise _FetchFailure("refused", f"robots.txt of {origin} disallows {url[:200]}")

    async def _address_problem(self, host: str) -> tuple[str, str] | None:
        """(outcome, message) if the host name must not be contacted."""
        try:
            addresses = await asyncio.to_thread(resolve, host)
        except OSError as exc:
            return "failed", f"cannot resolve {host}: {exc}"
        private = [a for a in addresses if not _is_public(a)]
        if private:
            return (
                "refused",
                f"{host} resolves to {private[0]}, a private, loopback, link-local or reserved address; "
                "write the address itself in the source's URL to allow it",
            )
        return None if addresses else ("failed", f"{host} resolves to no address")

    async def _load_robots(self, source: Source, origin: str) -> RobotFileParser | str:
        """The site's robots.txt rules; a missing one (4xx) allows everything, one that
        cannot be fetched (network error, 5xx) gives the reason instead (RFC 9309)."""
        rules = RobotFileParser()
        try:
            response = await self._get(source, origin + "/robots.txt", {}, ROBOTS_MAX_BYTES, check_robots=False)
        except _FetchFailure as failure:
            if failure.status is None or not 400 <= failure.status < 500:
                return failure.message
            rules.parse([])
            return rules
        rules.parse(response.body.decode("utf-8", "replace").splitlines())
        return rules

    # Pages.

    async def fetch_page(self, source: Source, url: str, kind: str, *, guessed: bool = False) -> tuple[dict[str, Any], _Page | None]:
        """Fetch a list or report page, store it unless its bytes are unchanged, log the
        fetch. A guessed list page that is missing (4xx) is `skipped`, not a failure."""
        row = _fetch_row(source.name, url, kind)
        page = None
        try:
            path = page_path(self.raw_dir, url, kind)
            stored, meta = _stored(path)
            response = await self._get(source, url, _conditional_headers(meta), self.max_bytes)
            row.update(
                final_url=response.url, status=response.status, etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"), content_type=response.headers.get("content-type"),
            )
            page = self._keep(path, response, source, stored, meta, row)
            row["raw_path"] = path.relative_to(self.raw_dir).as_posix()
        except _FetchFailure as failure:
            missing = guessed and failure.status is not None and 400 <= failure.status < 500
            row.update(outcome="skipped" if missing else failure.outcome, status=failure.status, error=failure.message)
        except (httpx.HTTPError, OSError, ValueError) as exc:  # a malformed URL, a full disk
            row.update(outcome="failed", error=f"{type(exc).__name__}: {exc}")
        row["fetched_at"] = row["fetched_at"] or _utc_now()
        self.rows.append(row)
        return row, page

    def _keep(self, path: Path, response: _Response, source: Source, stored: bytes | None,
              meta: dict[str, Any], row: dict[str, Any]) -> _Page:
        """Record a 200 or 304: the sidecar first, then the page if its bytes changed."""
        if response.status == 304:
            if stored is None or not meta:
                raise _FetchFailure("failed", "HTTP 304 to a request that was not conditional", 304)
            row.update(outcome="not_modified", bytes=0, content_sha256=meta["content_sha256"], fetched_at=_utc_now())
            return _Page(response.url, stored, meta.get("encoding"))
        body = response.body
        digest = hashlib.sha256(body).hexdigest()
        charset = _CHARSET.search(response.headers.get("content-type", ""))
        encoding = source.encoding or (charset.group(1).lower() if charset else None)
        fetched_at = _utc_now()
        outcome = "new" if stored is None else "unchanged" if hashlib.sha256(stored).hexdigest() == digest else "changed"
        sidecar = {
            "url": row["url"], "final_url": response.url, "etag": row["etag"], "last_modified": row["last_modified"],
            "fetched_at": fetched_at, "encoding": encoding, "content_sha256": digest, "status": response.status,
        }
        _write_atomic(sidecar_path(path), json.dumps(sidecar, ensure_ascii=False, indent=1).encode("utf-8"))
        if outcome != "unchanged":  # same bytes: the page keeps its mtime and is not parsed again
            _write_atomic(path, body)
        row.update(outcome=outcome, bytes=len(body), content_sha256=digest, fetched_at=fetched_at)
        return _Page(response.url, body, encoding)

    # Sources.

    async def _crawl_lists(self, source: Source, result: SourceResult) -> list[str]:
        """Report links of the source's list pages, following pagination (at most
        `max_list_pages` pages). A page is guessed only after one that gave new links."""
        queue = deque((url, False) for url in source.list_urls)
        queued = set(source.list_urls)
        reports: dict[str, None] = {}
        fetched = 0
        while queue and fetched < source.max_list_pages:
            url, guessed = queue.popleft()
            fetched += 1
            row, page = await self.fetch_page(source, url, "list", guessed=guessed)
            _tally(result, row)
            if page is None:
                continue
            try:
                links = list_links(page.body, page.url, source, page.encoding)
            except DocumentError as exc:  # fetched (and logged as such) but empty or binary
                result.failed += 1
                result.errors.append(f"{url}: list page not readable: {exc}")
                continue
            new = [u for u in links.reports if u not in reports]
            reports.update(dict.fromkeys(new))
            guess = guess_next_page(page.url) if new and not links.next_pages else None
            for next_url, is_guess in [(u, False) for u in links.next_pages] + ([(guess, True)] if guess else []):
                if next_url not in queued:
                    queued.add(next_url)
                    queue.append((next_url, is_guess))
            self.log(f"{source.name}: list page {fetched}: {len(new)} new report links, {len(reports)} so far")
        if queue:
            self.log(f"{source.name}: stopped after max_list_pages={source.max_list_pages} list pages")
        return list(reports)

    async def _scrape(self, source: Source, result: SourceResult) -> None:
        found = await self._crawl_lists(source, result)
        urls = [u for u in dict.fromkeys([*source.report_urls, *found]) if u not in self.claimed]
        self.claimed.update(urls)
        self.log(f"{source.name}: {len(urls)} report pages to fetch")

        async def fetch(url: str) -> None:
            row, _ = await self.fetch_page(source, url, "report")
            _tally(result, row)
            if result.pages_seen % 10 == 0 or result.pages_seen == len(urls):
                self.log(f"{source.name}: {result.pages_seen}/{len(urls)} report pages seen")

        await asyncio.gather(*(fetch(url) for url in urls))

    async def scrape_source(self, source: Source) -> SourceResult:
        result = SourceResult(source.name)
        try:
            await self._scrape(source, result)
        except Exception as exc:  # noqa: BLE001 - one source's failure must not stop the others
            result.failed += 1
            result.errors.append(f"unexpected error: {exc!r}")
        self.log(
            f"{source.name}: done: {result.pages_seen} report pages, {result.new} new, {result.changed} changed, "
            f"{result.unchanged} unchanged, {result.failed} failed"
        )
        return result


def _tally(result: SourceResult, row: dict[str, Any]) -> None:
    outcome = row["outcome"]
    if outcome in ("failed", "refused"):
        result.failed += 1
        result.errors.append(f"{row['url']}: {row['error']}")
    if row["kind"] != "report":
        return
    result.pages_seen += 1
    if outcome == "new":
        result.new += 1
    elif outcome == "changed":
        result.changed += 1
    elif outcome in ("unchanged", "not_modified"):
        result.unchanged += 1


async def _scrape_all(sources: list[Source], raw_dir: Path, max_bytes: int, policy: FetchPolicy,
                      log: Callable[[str], None], rows: list[dict[str, Any]]) -> list[SourceResult]:
    async with httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(policy.timeout),
        limits=httpx.Limits(max_connections=None),
        follow_redirects=False,  # followed by hand: every hop is checked
        trust_env=False,  # no proxy from the environment: addresses are checked here
    ) as client:
        scraper = _Scraper(client, sources, raw_dir, max_bytes, policy, log, rows)
        return list(await asyncio.gather(*(scraper.scrape_source(s) for s in sources)))


def scrape(sources: list[Source], raw_dir: Path, *, max_bytes: int, log: Callable[[str], None] = print,
           policy: FetchPolicy | None = None) -> ScrapeResult:
    """Fetch the sources' report pages into `raw_dir/_scraped/` (sources in parallel, each
    host at its own pace). Never raises for a failing site: failures are counted, listed
    and logged. The fetch log is written to `_scraped/.fetch_log/` and returned."""
    rows: list[dict[str, Any]] = []
    try:
        results = asyncio.run(_scrape_all(sources, raw_dir, max_bytes, policy or FetchPolicy(), log, rows))
    finally:
        write_fetch_log(raw_dir, rows)
    return ScrapeResult(results, rows)
