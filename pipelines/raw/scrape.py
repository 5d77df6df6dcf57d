"""Scraping report pages from government sites into the raw folder.

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
import hashlib
import json
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from pipelines.issues import DocumentError
from pipelines.raw.fetch_log import new_fetch_row, utc_now, write_fetch_log
from pipelines.raw.fetching import (
    USER_AGENT,
    Fetcher,
    FetchFailure,
    FetchPolicy,
    Response,
)
from pipelines.raw.inventory import sidecar_path
from pipelines.raw.listing import guess_next_page, list_links
from pipelines.raw.sources import Source
from pipelines.raw.storage import conditional_headers, page_path, stored_page, write_atomic

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


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


# --- list pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    url: str  # after redirects
    body: bytes
    encoding: str | None  # declared by the server or the source


@dataclass(frozen=True)
class _Link:
    """Where a report link was found: the list page, and the link's anchor text."""

    list_url: str
    text: str | None


class _Scraper:
    """One scrape: the fetcher, where pages are stored, the fetch log and the report URLs claimed."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        sources: list[Source],
        raw_dir: Path,
        max_bytes: int,
        policy: FetchPolicy,
        log: Callable[[str], None],
        rows: list[dict[str, Any]],
    ) -> None:
        self.fetcher = Fetcher(client, sources, policy)
        self.raw_dir = raw_dir
        self.max_bytes = max_bytes
        self.log = log
        self.rows = rows
        self.claimed: set[str] = set()  # report URLs already taken by a source this scrape

    # Pages.

    async def fetch_page(
        self, source: Source, url: str, kind: str, *, guessed: bool = False, link: _Link | None = None
    ) -> tuple[dict[str, Any], _Page | None]:
        """Fetch a list or report page, store it unless its bytes are unchanged, log the
        fetch (a report page with the list page and anchor text that linked to it). A
        guessed list page that is missing (4xx) is `skipped`, not a failure."""
        row = new_fetch_row(source.name, url, kind)
        if link is not None:
            row.update(list_url=link.list_url, link_text=link.text)
        page = None
        try:
            path = page_path(self.raw_dir, url, kind)
            stored, meta = stored_page(path)
            response = await self.fetcher.get(source, url, conditional_headers(meta), self.max_bytes)
            row.update(
                final_url=response.url,
                status=response.status,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                content_type=response.headers.get("content-type"),
            )
            page = self._keep(path, response, source, stored, meta, row)
            row["raw_path"] = path.relative_to(self.raw_dir).as_posix()
        except FetchFailure as failure:
            missing = guessed and failure.status is not None and 400 <= failure.status < 500
            row.update(outcome="skipped" if missing else failure.outcome, status=failure.status, error=failure.message)
        except (httpx.HTTPError, OSError, ValueError) as exc:  # a malformed URL, a full disk
            row.update(outcome="failed", error=f"{type(exc).__name__}: {exc}")
        row["fetched_at"] = row["fetched_at"] or utc_now()
        self.rows.append(row)
        return row, page

    def _keep(
        self,
        path: Path,
        response: Response,
        source: Source,
        stored: bytes | None,
        meta: dict[str, Any],
        row: dict[str, Any],
    ) -> _Page:
        """Record a 200 or 304: the sidecar first, then the page if its bytes changed."""
        if response.status == 304:
            if stored is None or not meta:
                raise FetchFailure("failed", "HTTP 304 to a request that was not conditional", 304)
            row.update(outcome="not_modified", bytes=0, content_sha256=meta["content_sha256"], fetched_at=utc_now())
            return _Page(response.url, stored, meta.get("encoding"))
        body = response.body
        digest = hashlib.sha256(body).hexdigest()
        charset = _CHARSET.search(response.headers.get("content-type", ""))
        encoding = source.encoding or (charset.group(1).lower() if charset else None)
        fetched_at = utc_now()
        outcome = (
            "new" if stored is None else "unchanged" if hashlib.sha256(stored).hexdigest() == digest else "changed"
        )
        sidecar = {
            "url": row["url"],
            "final_url": response.url,
            "etag": row["etag"],
            "last_modified": row["last_modified"],
            "fetched_at": fetched_at,
            "encoding": encoding,
            "content_sha256": digest,
            "status": response.status,
        }
        write_atomic(sidecar_path(path), json.dumps(sidecar, ensure_ascii=False, indent=1).encode("utf-8"))
        if outcome != "unchanged":  # same bytes: the page keeps its mtime and is not parsed again
            write_atomic(path, body)
        row.update(outcome=outcome, bytes=len(body), content_sha256=digest, fetched_at=fetched_at)
        return _Page(response.url, body, encoding)

    # Sources.

    async def _crawl_lists(self, source: Source, result: SourceResult) -> dict[str, _Link]:
        """Report links of the source's list pages, each with the first list page that
        listed it, following pagination (at most `max_list_pages` pages). A page is guessed
        only after one that gave new links. Each list page's fetch-log row names the report
        links it listed (`listed_urls`)."""
        queue = deque((url, False) for url in source.list_urls)
        queued = set(source.list_urls)
        reports: dict[str, _Link] = {}
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
            row["listed_urls"] = links.reports
            new = [u for u in links.reports if u not in reports]
            reports.update({u: _Link(url, links.texts.get(u)) for u in new})
            guess = guess_next_page(page.url) if new and not links.next_pages else None
            for next_url, is_guess in [(u, False) for u in links.next_pages] + ([(guess, True)] if guess else []):
                if next_url not in queued:
                    queued.add(next_url)
                    queue.append((next_url, is_guess))
            self.log(f"{source.name}: list page {fetched}: {len(new)} new report links, {len(reports)} so far")
        if queue:
            self.log(f"{source.name}: stopped after max_list_pages={source.max_list_pages} list pages")
        return reports

    async def _scrape(self, source: Source, result: SourceResult) -> None:
        found = await self._crawl_lists(source, result)
        urls = [u for u in dict.fromkeys([*source.report_urls, *found]) if u not in self.claimed]
        self.claimed.update(urls)
        self.log(f"{source.name}: {len(urls)} report pages to fetch")

        async def fetch(url: str) -> None:
            row, _ = await self.fetch_page(source, url, "report", link=found.get(url))
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


async def _scrape_all(
    sources: list[Source],
    raw_dir: Path,
    max_bytes: int,
    policy: FetchPolicy,
    log: Callable[[str], None],
    rows: list[dict[str, Any]],
) -> list[SourceResult]:
    async with httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(policy.timeout),
        limits=httpx.Limits(max_connections=None),
        follow_redirects=False,  # followed by hand: every hop is checked
        trust_env=False,  # no proxy from the environment: addresses are checked here
    ) as client:
        scraper = _Scraper(client, sources, raw_dir, max_bytes, policy, log, rows)
        return list(await asyncio.gather(*(scraper.scrape_source(s) for s in sources)))


def scrape(
    sources: list[Source],
    raw_dir: Path,
    *,
    max_bytes: int,
    log: Callable[[str], None] = print,
    policy: FetchPolicy | None = None,
) -> ScrapeResult:
    """Fetch the sources' report pages into `raw_dir/_scraped/` (sources in parallel, each
    host at its own pace). Never raises for a failing site: failures are counted, listed
    and logged. The fetch log is written to `_scraped/.fetch_log/` and returned."""
    rows: list[dict[str, Any]] = []
    try:
        results = asyncio.run(_scrape_all(sources, raw_dir, max_bytes, policy or FetchPolicy(), log, rows))
    finally:
        write_fetch_log(raw_dir, rows)
    return ScrapeResult(results, rows)
