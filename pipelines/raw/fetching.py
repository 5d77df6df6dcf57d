"""HTTP fetching under the politeness and security rules: allowed hosts only, no private
addresses, robots.txt, per-host delay and concurrency, timeouts, retries, size caps.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import ipaddress
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from pipelines.raw.sources import Source, site_of

USER_AGENT = "govreports/0.1 (archiver of government information-disclosure annual reports)"
ROBOTS_AGENT = "govreports"  # the name robots.txt rules are matched against
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: at least 500 KiB must be read


class FetchFailure(Exception):
    """A fetch that did not give a page: `outcome` is `failed`, `refused` or `skipped`."""

    def __init__(self, outcome: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.message = message
        self.status = status


@dataclass(frozen=True)
class FetchPolicy:
    """How patient the fetcher is. The defaults suit slow government sites; tests shrink them."""

    timeout: float = 30.0  # seconds to connect, and between bytes
    total_timeout: float = 300.0  # seconds for a whole response (a server trickling bytes)
    retries: int = 3  # after a timeout, a network error, 429 or 5xx
    backoff: float = 2.0  # seconds before the first retry, doubled for each further one
    max_retry_after: float = 300.0  # a server asking for a longer wait is given up on
    max_redirects: int = 5


# --- the fetcher -----------------------------------------------------------------------


def resolve(host: str) -> list[str]:
    """The addresses a host name resolves to."""
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)})


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 scope
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def is_literal_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def retry_after(value: str | None) -> float | None:
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
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def describe_error(exc: httpx.HTTPError) -> str:
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "network error"
    return f"{kind} ({type(exc).__name__}{': ' + str(exc) if str(exc) else ''})"


class HostPace:
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


def host_limits(sources: list[Source]) -> dict[str, HostPace]:
    """One HostPace per site; a site named by several sources gets the strictest limits."""
    limits: dict[str, tuple[float, int]] = {}
    for source in sources:
        for site in source.sites:
            delay, concurrency = limits.get(site, (source.delay, source.concurrency))
            limits[site] = (max(delay, source.delay), min(concurrency, source.concurrency))
    return {site: HostPace(delay, concurrency) for site, (delay, concurrency) in limits.items()}


@dataclass
class Response:
    status: int
    url: str
    headers: httpx.Headers
    body: bytes = b""
    location: str | None = None  # where a redirect points, resolved


class Fetcher:
    """GETs under the rules: the sources' hosts only, no private addresses, robots.txt,
    per-host pace, timeouts, retries and size caps; redirects followed hop by hop."""

    def __init__(self, client: httpx.AsyncClient, sources: list[Source], policy: FetchPolicy) -> None:
        self.client = client
        self.policy = policy
        self.hosts = host_limits(sources)
        self._robots: dict[str, asyncio.Future[RobotFileParser | str]] = {}
        self._addresses: dict[str, asyncio.Future[tuple[str, str] | None]] = {}

    async def _send(self, url: str, headers: dict[str, str], max_bytes: int) -> Response:
        """One GET; the body is read (decoded, at most max_bytes) only for a 200."""
        try:
            async with asyncio.timeout(self.policy.total_timeout):
                async with self.client.stream("GET", url, headers=headers) as response:
                    status, location = response.status_code, response.headers.get("location")
                    if response.is_redirect and location:
                        return Response(status, url, response.headers, location=urldefrag(urljoin(url, location)).url)
                    if status != 200:
                        return Response(status, url, response.headers)
                    length = response.headers.get("content-length", "")
                    if length.isdigit() and int(length) > max_bytes:
                        raise FetchFailure(
                            "refused", f"Content-Length {length} is over the {max_bytes}-byte cap; not read", status
                        )
                    chunks, size = [], 0
                    async for chunk in response.aiter_bytes():  # decoded: a gzip bomb is cut off too
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchFailure(
                                "refused", f"body over the {max_bytes}-byte cap once decoded; not stored", status
                            )
                        chunks.append(chunk)
                    return Response(status, url, response.headers, b"".join(chunks))
        except TimeoutError:
            raise FetchFailure("failed", f"no complete response within {self.policy.total_timeout:g} s") from None

    async def _request(self, url: str, headers: dict[str, str], max_bytes: int) -> Response:
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
                    raise FetchFailure("failed", describe_error(exc)) from None
                host.pause(backoff)
            else:
                if last or not (response.status == 429 or response.status >= 500):
                    return response
                wait = retry_after(response.headers.get("retry-after"))
                if wait is not None and wait > self.policy.max_retry_after:
                    raise FetchFailure(
                        "failed",
                        f"HTTP {response.status}, retry after {wait:.0f} s: longer than we wait",
                        response.status,
                    )
                host.pause(backoff if wait is None else wait)
            attempt += 1

    async def get(
        self, source: Source, url: str, headers: dict[str, str], max_bytes: int, *, check_robots: bool = True
    ) -> Response:
        """A 200 or 304 for `url`, following redirects within the source's hosts."""
        for _ in range(self.policy.max_redirects + 1):
            await self._check_allowed(source, url, check_robots)
            response = await self._request(url, headers, max_bytes)
            if response.location is None:
                if response.status in (200, 304):
                    return response
                raise FetchFailure("failed", f"HTTP {response.status}", response.status)
            url = response.location
        raise FetchFailure(
            "failed", f"more than {self.policy.max_redirects} redirects (the last to {url})", response.status
        )

    # What may be fetched.

    def _shared(
        self, cache: dict[str, asyncio.Future[Any]], key: str, make: Callable[[], Awaitable[Any]]
    ) -> asyncio.Future[Any]:
        """Compute once per scrape, however many tasks ask at the same time."""
        if key not in cache:
            cache[key] = asyncio.ensure_future(make())
        return cache[key]

    async def _check_allowed(self, source: Source, url: str, check_robots: bool) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchFailure("refused", f"not an http(s) URL: {url[:200]}")
        site = site_of(url)
        if site not in source.sites:
            raise FetchFailure(
                "refused",
                f"{site} is not a host of source {source.name!r} (allowed: {', '.join(sorted(source.sites))})",
            )
        host = parts.hostname or ""
        if not is_literal_ip(host):  # a literal address is allowed: the source names it
            problem = await self._shared(self._addresses, host, lambda: self._address_problem(host))
            if problem is not None:
                raise FetchFailure(*problem)
        if check_robots:
            origin = f"{parts.scheme}://{parts.netloc}"
            rules = await self._shared(self._robots, origin, lambda: self._load_robots(source, origin))
            if isinstance(rules, str):
                raise FetchFailure(
                    "failed", f"{origin}/robots.txt could not be read ({rules}); the site is not crawled"
                )
            if not rules.can_fetch(ROBOTS_AGENT, url):
                raise FetchFailure("refused", f"robots.txt of {origin} disallows {url[:200]}")

    async def _address_problem(self, host: str) -> tuple[str, str] | None:
        """(outcome, message) if the host name must not be contacted."""
        try:
            addresses = await asyncio.to_thread(resolve, host)
        except OSError as exc:
            return "failed", f"cannot resolve {host}: {exc}"
        private = [a for a in addresses if not is_public(a)]
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
            response = await self.get(source, origin + "/robots.txt", {}, ROBOTS_MAX_BYTES, check_robots=False)
        except FetchFailure as failure:
            if failure.status is None or not 400 <= failure.status < 500:
                return failure.message
            rules.parse([])
            return rules
        rules.parse(response.body.decode("utf-8", "replace").splitlines())
        return rules
