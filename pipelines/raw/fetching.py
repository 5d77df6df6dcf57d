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
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from pipelines.raw.sources import Source

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
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)})


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
