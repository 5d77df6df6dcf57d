"""The scraper against real HTTP servers on 127.0.0.1 (started here, ephemeral ports)."""

from __future__ import annotations

import gzip
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import FIXTURES_DIR, PROJECT_DIR
from hypothesis import given
from hypothesis import strategies as st

import pipelines.raw.fetching as fetching
from assets.cli import main
from pipelines.raw.fetch_log import pending_fetch_logs, read_fetch_logs
from pipelines.raw.fetching import FetchPolicy
from pipelines.raw.inventory import plan, read_sidecar
from pipelines.raw.scrape import ScrapeResult, scrape
from pipelines.raw.sources import Source, SourceError, load_sources, page_source
from pipelines.raw.storage import page_name
from pipelines.warehouse.schema import FETCH_LOG

FIXTURES = FIXTURES_DIR
PROJECT = PROJECT_DIR
FAST = FetchPolicy(timeout=0.5, total_timeout=5, retries=2, backoff=0.01, max_retry_after=5, max_redirects=5)


# --- a real HTTP server whose every response a test chooses ---------------------------


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    delay: float = 0.0


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


Route = Reply | list[Reply] | Callable[[Seen], Reply]


class Site:
    """ThreadingHTTPServer on 127.0.0.1: `routes` maps a path (with its query) to a Reply,
    a list of Replies served in turn (the last repeats) or a function of the request;
    anything else is a 404 (or `fallback`). Every request is recorded in `seen`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.fallback: Route | None = None
        self.seen: list[Seen] = []
        self.in_flight = self.max_in_flight = 0
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server interface
                request = Seen(self.path, dict(self.headers), time.monotonic())
                with site._lock:
                    site.seen.append(request)
                    site.in_flight += 1
                    site.max_in_flight = max(site.max_in_flight, site.in_flight)
                    reply = site._reply(request)
                try:
                    time.sleep(reply.delay)
                    self.send_response(reply.status)
                    headers = {"Content-Length": str(len(reply.body)), **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the client gave up (a timeout test)
                finally:
                    with site._lock:
                        site.in_flight -= 1

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def _reply(self, request: Seen) -> Reply:
        route = self.routes.get(request.path, self.fallback)
        if route is None:
            return Reply(b"not found", 404)
        if isinstance(route, list):
            return route.pop(0) if len(route) > 1 else route[0]
        return route(request) if callable(route) else route

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [s.path for s in self.seen if s.path != "/robots.txt"]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sites() -> Iterator[Callable[[], Site]]:
    started: list[Site] = []

    def start() -> Site:
        started.append(Site())
        return started[-1]

    yield start
    for site in started:
        site.close()


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    return tmp_path / "raw"


def list_html(*links: tuple[str, str], extra: str = "", charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    anchors = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return f"<html><head>{meta}<title>政府信息公开年报</title></head><body><ul>{anchors}</ul>{extra}</body></html>"


def report_html(year: int, note: str = "") -> bytes:
    return f"<html><head><meta charset='utf-8'><title>{year}年政府信息公开工作年度报告</title></head><body><p>{note}</p></body></html>".encode()


def source(name: str, *list_urls: str, **options: object) -> Source:
    return Source(name, list_urls=list_urls, **{"delay": 0, **options})  # type: ignore[arg-type]


def run(sources: list[Source], raw: Path, max_bytes: int = 1_000_000, policy: FetchPolicy = FAST) -> ScrapeResult:
    return scrape(sources, raw, max_bytes=max_bytes, log=lambda message: None, policy=policy)


def stored(raw: Path) -> dict[str, Path]:
    """Stored report pages by the URL in their sidecar (list pages and logs excluded)."""
    pages = {}
    for path in (raw / "_scraped").rglob("*"):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(raw).parts):
            pages[str(read_sidecar(path).get("url"))] = path
    return pages


def rows(result: ScrapeResult, **where: object) -> list[dict[str, object]]:
    return [r for r in result.fetch_log if all(r[k] == v for k, v in where.items())]


# --- list pages and pagination -------------------------------------------------------


def test_index_pagination_relative_links_and_stored_pages(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes = {
        "/nb/index.htm": Reply(
            list_html(
                ("./202001/t20200120_1.htm", "2019年度政府信息公开工作年度报告"),
                ("../other/202101/t20210101_2.htm", "平潭2020年政府信息公开年报"),
                ("/zwgk/nlist.htm", "政府信息公开年报"),
            ).encode(),
            headers={"Content-Type": "text/html; charset=UTF-8"},
        ),
        "/nb/index_1.htm": Reply(list_html(("202201/t3.htm", "2021年度報告")).encode()),
        "/nb/index_2.htm": Reply(list_html(("./202301/t4.htm", "二〇二二年政府資訊公開年報")).encode()),
    }
    for path in (
        "/nb/202001/t20200120_1.htm",
        "/other/202101/t20210101_2.htm",
        "/nb/202201/t3.htm",
        "/nb/202301/t4.htm",
    ):
        site.routes[path] = Reply(report_html(2020, path))

    result = run([source("pt", site.url("/nb/index.htm"))], raw)

    assert site.paths()[:3] == ["/nb/index.htm", "/nb/index_1.htm", "/nb/index_2.htm"]
    assert "/zwgk/nlist.htm" not in site.paths()  # the column link has no year: not a report
    pages = stored(raw)
    assert sorted(pages) == sorted(
        site.url(p)
        for p in (
            "/nb/202001/t20200120_1.htm",
            "/other/202101/t20210101_2.htm",
            "/nb/202201/t3.htm",
            "/nb/202301/t4.htm",
        )
    )
    for url, path in pages.items():
        assert path.parent == raw / "_scraped" / f"127.0.0.1_{site.port}"
        assert urlsplit(url).path.encode() in path.read_bytes()
        assert read_sidecar(path)["final_url"] == url
    # index_3.htm is missing: the end of the list, not a failure.
    assert [(r["url"], r["outcome"], r["status"]) for r in rows(result, kind="list", outcome="skipped")] == [
        (site.url("/nb/index_3.htm"), "skipped", 404)
    ]
    [summary] = result.sources
    assert (summary.pages_seen, summary.new, summary.failed) == (4, 4, 0)
    assert read_sidecar(raw / rows(result, url=site.url("/nb/index.htm"))[0]["raw_path"])["encoding"] == "utf-8"
    # The loader sees every stored page with its URL as source_uri.
    inventory = plan(raw, {}, "test", 4)
    assert sorted(f.source_uri for files in inventory.to_parse.values() for f in files) == sorted(pages)
    assert not list(raw.rglob("*.tmp"))


def test_next_link_and_base_href(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes = {
        "/col/list.jsp?page=1": Reply(
            list_html(("t1.htm", "2021年度报告"), ("list.jsp?page=2", "下一页 &gt;")).encode()
        ),
        "/col/list.jsp?page=2": Reply(list_html(("t2.htm", "2020年度报告"), extra='<base href="/archive/">').encode()),
        "/col/t1.htm": Reply(report_html(2021)),
        "/archive/t2.htm": Reply(report_html(2020)),
    }

    result = run([source("col", site.url("/col/list.jsp?page=1"))], raw)

    assert sorted(stored(raw)) == [site.url("/archive/t2.htm"), site.url("/col/t1.htm")]
    assert not rows(result, outcome="skipped")  # list.jsp?page=N is not guessed
    assert result.sources[0].failed == 0


def test_trs_pager_on_a_folder_url(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()

    def page(current: int) -> Reply:
        pager = f'<script>function createPageHTML(n, i, name, ext) {{}}</script><script>createPageHTML(3, {current}, "index", "shtml");</script>'
        return Reply(list_html((f"./t{current}.shtml", f"{2022 - current}年度报告"), extra=pager).encode())

    site.routes = {"/nb/": page(0), "/nb/index_1.shtml": page(1), "/nb/index_2.shtml": page(2)}
    for n in range(3):
        site.routes[f"/nb/t{n}.shtml"] = Reply(report_html(2022 - n))

    result = run([source("trs", site.url("/nb/"))], raw)

    assert len(stored(raw)) == 3
    assert sorted(r["url"] for r in rows(result, kind="list")) == [
        site.url(p) for p in ("/nb/", "/nb/index_1.shtml", "/nb/index_2.shtml")
    ]


def test_list_pages_stop_at_max_list_pages(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.fallback = lambda request: Reply(list_html((f"r{request.path.strip('/')}", "2020年度报告")).encode())

    result = run([source("endless", site.url("/index.html"), max_list_pages=4)], raw)

    assert [r["url"] for r in rows(result, kind="list")] == [
        site.url(p) for p in ("/index.html", "/index_1.html", "/index_2.html", "/index_3.html")
    ]
    assert result.sources[0].pages_seen == 4


@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=utf-8", "text/html; charset=iso-8859-1"])
def test_gbk_list_page_without_or_with_a_wrong_charset(sites: Callable[[], Site], raw: Path, content_type: str) -> None:
    site = sites()
    page = list_html(("./t1.htm", "2020年政府信息公开工作年度报告"), charset=None).encode("gbk")
    site.routes = {
        "/index.htm": Reply(page, headers={"Content-Type": content_type}),
        "/t1.htm": Reply(report_html(2020)),
    }

    result = run([source("gbk", site.url("/index.htm"))], raw)

    assert list(stored(raw)) == [site.url("/t1.htm")]  # the link text is only readable as GBK
    assert result.sources[0].new == 1


def test_source_encoding_is_recorded_for_the_parser(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes = {"/t1.htm": Reply(report_html(2020), headers={"Content-Type": "text/html; charset=utf-8"})}

    run([Source("enc", report_urls=(site.url("/t1.htm"),), delay=0, encoding="gb18030")], raw)

    assert read_sidecar(stored(raw)[site.url("/t1.htm")])["encoding"] == "gb18030"


def test_the_real_pingtan_list_page(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes["/zwgk/zfxxgk/zfxxgknb/index.htm"] = Reply((FIXTURES / "list_page.html").read_bytes())
    site.fallback = Reply(report_html(2020))

    run([source("pingtan", site.url("/zwgk/zfxxgk/zfxxgknb/index.htm"), max_list_pages=1)], raw)

    reports = [p for p in site.paths() if p != "/zwgk/zfxxgk/zfxxgknb/index.htm"]
    assert len(reports) == 10
    assert "/zwgk/zfxxgk/zfxxgknb/202001/t20200120_80576.htm" in reports
    assert all(p.startswith("/zwgk/zfxxgk/zfxxgknb/20") for p in reports)


# --- failures, retries and politeness -------------------------------------------------


def test_slow_and_unreachable_hosts_fail_alone(sites: Callable[[], Site], raw: Path) -> None:
    slow, good = sites(), sites()
    slow.routes["/index.htm"] = Reply(list_html(), delay=3)
    good.routes = {
        "/index.htm": Reply(list_html(("t.htm", "2020年度报告")).encode()),
        "/t.htm": Reply(report_html(2020)),
    }
    closed = sites()
    closed.close()

    started = time.monotonic()
    result = run(
        [
            source("slow", slow.url("/index.htm")),
            source("closed", closed.url("/index.htm")),
            source("good", good.url("/index.htm")),
        ],
        raw,
    )

    by_name = {s.name: s for s in result.sources}
    assert by_name["good"].new == 1 and by_name["good"].failed == 0
    assert by_name["slow"].failed == 1 and "timed out" in by_name["slow"].errors[0]
    assert by_name["closed"].failed == 1
    assert len([p for p in slow.paths() if p == "/index.htm"]) == FAST.retries + 1
    assert time.monotonic() - started < 3


def test_500_then_success_is_retried(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes["/t.htm"] = [Reply(b"busy", 500), Reply(b"busy", 503), Reply(report_html(2020))]

    result = run([Source("retry", report_urls=(site.url("/t.htm"),), delay=0)], raw)

    assert site.paths() == ["/t.htm"] * 3
    assert rows(result, kind="report")[0]["outcome"] == "new"
    assert site.url("/t.htm") in stored(raw)


def test_500_every_time_is_a_recorded_failure(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes["/t.htm"] = Reply(b"down", 500)

    result = run([Source("down", report_urls=(site.url("/t.htm"),), delay=0)], raw)

    [row] = rows(result, kind="report")
    assert (row["outcome"], row["status"], row["error"]) == ("failed", 500, "HTTP 500")
    assert stored(raw) == {}


def test_429_waits_for_retry_after(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes["/t.htm"] = [Reply(b"slow down", 429, {"Retry-After": "1"}), Reply(report_html(2020))]

    run([Source("polite", report_urls=(site.url("/t.htm"),), delay=0)], raw)

    first, second = [s.at for s in site.seen if s.path == "/t.htm"]
    assert second - first >= 0.95  # the backoff alone would be 0.01 s
    assert site.url("/t.htm") in stored(raw)


def test_delay_and_concurrency_per_host(sites: Callable[[], Site], raw: Path) -> None:
    spaced, parallel = sites(), sites()
    spaced.fallback = Reply(report_html(2020))
    parallel.fallback = Reply(report_html(2020), delay=0.3)

    run(
        [
            Source("spaced", report_urls=tuple(spaced.url(f"/{i}.htm") for i in range(3)), delay=0.2, concurrency=4),
            Source("parallel", report_urls=tuple(parallel.url(f"/{i}.htm") for i in range(6)), delay=0, concurrency=2),
        ],
        raw,
    )

    starts = [s.at for s in spaced.seen]
    assert len(starts) == 4 and starts[-1] - starts[0] >= 0.55  # robots.txt + 3 pages, 0.2 s apart (0.01 s without)
    assert parallel.max_in_flight == 2


def test_redirect_loop_ends_as_a_failure(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes["/loop.htm"] = Reply(headers={"Location": "/loop.htm"}, status=302)

    result = run([Source("loop", report_urls=(site.url("/loop.htm"),), delay=0)], raw)

    [row] = rows(result, kind="report")
    assert row["outcome"] == "failed" and "redirects" in row["error"]
    assert site.paths() == ["/loop.htm"] * (FAST.max_redirects + 1)
    assert stored(raw) == {}


def test_oversized_page_is_refused(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes["/big.htm"] = Reply(b"x" * 5000)

    result = run([Source("big", report_urls=(site.url("/big.htm"),), delay=0)], raw, max_bytes=1000)

    [row] = rows(result, kind="report")
    assert row["outcome"] == "refused" and "Content-Length 5000 is over the 1000-byte cap" in row["error"]  # not read
    assert not (raw / "_scraped" / f"127.0.0.1_{site.port}").exists()


def test_gzip_bomb_is_cut_off(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    bomb = gzip.compress(b"<html>" + b" " * 5_000_000)
    site.routes["/bomb.htm"] = Reply(bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})

    result = run([Source("bomb", report_urls=(site.url("/bomb.htm"),), delay=0)], raw, max_bytes=100_000)

    assert len(bomb) < 100_000
    [row] = rows(result, kind="report")
    assert row["outcome"] == "refused" and "once decoded" in row["error"]
    assert stored(raw) == {}


# --- what may be contacted ------------------------------------------------------------


def test_other_hosts_are_never_contacted(sites: Callable[[], Site], raw: Path) -> None:
    site, other = sites(), sites()
    site.routes = {
        "/index.htm": Reply(list_html((other.url("/t1.htm"), "2020年度报告"), ("/jump.htm", "2021年度报告")).encode()),
        "/jump.htm": Reply(status=302, headers={"Location": other.url("/t2.htm")}),
    }
    other.fallback = Reply(report_html(2020))

    result = run([source("one", site.url("/index.htm"))], raw)

    assert other.seen == []
    refused = rows(result, kind="report", outcome="refused")
    assert sorted(r["url"] for r in refused) == sorted([other.url("/t1.htm"), site.url("/jump.htm")])
    assert all("is not a host of source 'one'" in r["error"] for r in refused)


def test_robots_txt_is_honoured(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes = {
        "/robots.txt": Reply(b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}),
        "/ok.htm": Reply(report_html(2020)),
        "/private/secret.htm": Reply(report_html(2021)),
    }

    result = run([Source("robots", report_urls=(site.url("/ok.htm"), site.url("/private/secret.htm")), delay=0)], raw)

    assert "/private/secret.htm" not in site.paths()
    assert list(stored(raw)) == [site.url("/ok.htm")]
    [refused] = rows(result, outcome="refused")
    assert "robots.txt" in refused["error"]


def test_robots_txt_that_cannot_be_read_stops_the_site(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes = {"/robots.txt": Reply(b"error", 503), "/ok.htm": Reply(report_html(2020))}

    result = run([Source("robots", report_urls=(site.url("/ok.htm"),), delay=0)], raw)

    assert site.paths() == []
    assert "robots.txt could not be read" in result.sources[0].errors[0]


def test_file_urls_are_refused_in_the_sources_file(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[sources]]\nname = "local"\nlist_url = "file:///etc/passwd"\n')

    with pytest.raises(SourceError, match="only http and https URLs can be scraped"):
        load_sources(sources)
    with pytest.raises(SourceError, match="only http and https"):
        page_source("file:///etc/passwd")


def test_a_name_resolving_to_a_private_address_is_refused(
    sites: Callable[[], Site], raw: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = sites()
    site.fallback = Reply(report_html(2020))
    monkeypatch.setattr(fetching, "resolve", lambda host: {"intranet.example": ["93.184.216.34", "10.1.2.3"]}[host])

    result = run(
        [
            Source("intranet", report_urls=(f"http://intranet.example:{site.port}/t.htm",), delay=0),
            Source("literal", report_urls=(site.url("/t.htm"),), delay=0),
        ],
        raw,
    )

    errors = {s.name: s.errors for s in result.sources}
    assert "intranet.example resolves to 10.1.2.3, a private" in errors["intranet"][0]
    assert errors["literal"] == []  # 127.0.0.1 is written in the source itself
    assert site.paths() == ["/t.htm"]


def test_localhost_is_refused_by_the_real_resolver(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.fallback = Reply(report_html(2020))

    result = run([Source("localhost", report_urls=(f"http://localhost:{site.port}/t.htm",), delay=0)], raw)

    assert "a private, loopback, link-local or reserved address" in result.sources[0].errors[0]
    assert site.seen == []


def test_hostile_urls_stay_in_the_host_folder(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.fallback = Reply(report_html(2020))
    hostile = [
        "/../../etc/passwd",
        "/a/%2e%2e%2f%2e%2e%2fescape.htm",
        "/%2E%2E/.hidden.htm",
        "/x/..%5c..%5cwin.txt",
        "/" + "n" * 3000 + ".htm",
        "/a?name=../../../x",
        "/nb/",
    ]

    run([Source("hostile", report_urls=tuple(site.url(p) for p in hostile), delay=0)], raw)

    folder = raw / "_scraped" / f"127.0.0.1_{site.port}"
    pages = stored(raw)
    assert len(pages) == len(hostile)
    for path in pages.values():
        assert path.parent == folder and not path.name.startswith(".") and len(path.name) <= 80
    assert sorted(p.name for p in raw.parent.iterdir()) == ["raw"]


@given(st.text(max_size=300))
def test_page_names_are_safe(path: str) -> None:
    assert re.fullmatch(
        r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}-[0-9a-f]{12}\.(html|htm|txt)", page_name("http://h.gov.cn/" + path)
    )


# --- re-fetching -----------------------------------------------------------------------


def test_304_on_refetch_leaves_the_page_alone(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    validators = {"ETag": '"v1"', "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT", "Content-Type": "text/html"}
    site.routes["/t.htm"] = lambda request: (
        Reply(status=304, headers=validators)
        if request.headers.get("If-None-Match") == '"v1"'
        else Reply(report_html(2020), headers=validators)
    )
    sources = [Source("etag", report_urls=(site.url("/t.htm"),), delay=0)]

    run(sources, raw)
    page = stored(raw)[site.url("/t.htm")]
    mtime = page.stat().st_mtime_ns
    time.sleep(0.01)
    second = run(sources, raw)

    request = [s for s in site.seen if s.path == "/t.htm"][-1]
    assert request.headers["If-None-Match"] == '"v1"'
    assert request.headers["If-Modified-Since"] == "Wed, 01 Jan 2025 00:00:00 GMT"
    assert rows(second, kind="report")[0]["outcome"] == "not_modified"
    assert second.sources[0].unchanged == 1 and second.sources[0].new == 0
    assert page.stat().st_mtime_ns == mtime
    assert page.read_bytes() == report_html(2020)


def test_unchanged_and_changed_pages(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes["/t.htm"] = [
        Reply(report_html(2020, "v1")),
        Reply(report_html(2020, "v1")),
        Reply(report_html(2020, "v2")),
    ]
    sources = [Source("plain", report_urls=(site.url("/t.htm"),), delay=0)]

    first = run(sources, raw)
    page = stored(raw)[site.url("/t.htm")]
    mtime = page.stat().st_mtime_ns
    time.sleep(0.01)
    second = run(sources, raw)
    assert page.stat().st_mtime_ns == mtime  # same bytes: not rewritten, not re-parsed
    third = run(sources, raw)

    outcomes = [rows(r, kind="report")[0]["outcome"] for r in (first, second, third)]
    assert outcomes == ["new", "unchanged", "changed"]
    assert b"v2" in page.read_bytes()
    assert read_sidecar(page)["content_sha256"] == rows(third, kind="report")[0]["content_sha256"]


def test_an_interrupted_write_is_refetched_unconditionally(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes["/t.htm"] = lambda request: (
        Reply(status=304) if "If-None-Match" in request.headers else Reply(report_html(2020), headers={"ETag": '"v1"'})
    )
    sources = [Source("torn", report_urls=(site.url("/t.htm"),), delay=0)]
    run(sources, raw)
    page = stored(raw)[site.url("/t.htm")]
    page.write_bytes(b"old bytes the new sidecar does not describe")

    result = run(sources, raw)

    assert "If-None-Match" not in site.seen[-1].headers
    assert rows(result, kind="report")[0]["outcome"] == "changed"
    assert page.read_bytes() == report_html(2020)


# --- the fetch log, the sources file and the command line -----------------------------


def test_fetch_log_is_written_and_read_back(sites: Callable[[], Site], raw: Path) -> None:
    site = sites()
    site.routes = {
        "/index.htm": Reply(list_html(("t.htm", "2020年度报告")).encode()),
        "/t.htm": Reply(report_html(2020)),
    }

    result = run([source("log", site.url("/index.htm"))], raw)

    [log_file] = pending_fetch_logs(raw)
    assert log_file.parent == raw / "_scraped" / ".fetch_log"
    assert read_fetch_logs([log_file]) == result.fetch_log
    assert {(r["kind"], r["outcome"]) for r in result.fetch_log} == {
        ("list", "new"),
        ("report", "new"),
        ("list", "skipped"),
    }
    for row in result.fetch_log:
        assert list(row) == FETCH_LOG.column_names
        assert row["fetched_at"].endswith("+00:00")
    assert len({r["fetch_id"] for r in result.fetch_log}) == 3
    assert not [p for p in log_file.parent.iterdir() if p != log_file]  # no temporary file left


def test_fetch_log_names_each_links_anchor_text_and_what_each_list_page_listed(
    sites: Callable[[], Site], raw: Path
) -> None:
    site = sites()
    cut = (
        '<li><a href="b.htm" title="常德市教育局2021年政府信息公开工作年度报告">常德市教育局2021年政府信息...</a></li>'
    )
    site.routes = {
        "/index.htm": Reply(list_html(("a.htm", "鼎城区应急管理局 2020年度报告"), extra=f"<ul>{cut}</ul>").encode()),
        "/a.htm": Reply(report_html(2020)),
        "/b.htm": Reply(b"gone", 404),
    }

    result = run([source("texts", site.url("/index.htm"))], raw)

    [listing] = rows(result, kind="list", outcome="new")
    assert listing["listed_urls"] == [site.url("/a.htm"), site.url("/b.htm")]
    assert listing["link_text"] is None and listing["list_url"] is None
    [a] = rows(result, url=site.url("/a.htm"))
    assert (a["list_url"], a["link_text"], a["listed_urls"]) == (
        site.url("/index.htm"),
        "鼎城区应急管理局2020年度报告",
        None,
    )
    [b] = rows(result, url=site.url("/b.htm"))  # a failed link keeps its text: coverage places it
    assert (b["outcome"], b["link_text"]) == ("failed", "常德市教育局2021年政府信息公开工作年度报告")
    [skipped] = rows(result, kind="list", outcome="skipped")  # a guessed page that is missing lists nothing
    assert skipped["listed_urls"] is None


def test_shipped_sources_file_is_valid_and_offline() -> None:
    sources = load_sources(PROJECT / "sources.toml")

    assert "pingtan" in [s.name for s in sources]
    assert sources and not [s.name for s in sources if s.enabled]


def test_sources_file_entries(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    assert load_sources(path) == []
    path.write_text(
        '[[sources]]\nname = "a"\nlist_urls = ["https://a.gov.cn/nb/index.htm", "https://a.gov.cn/nb2/"]\n'
        'link_pattern = "/t\\\\d+_\\\\d+\\\\.htm$"\ndelay = 2.5\n'
    )
    [entry] = load_sources(path)
    assert entry.list_urls == ("https://a.gov.cn/nb/index.htm", "https://a.gov.cn/nb2/")
    assert (entry.enabled, entry.delay, entry.concurrency, entry.max_list_pages) == (True, 2.5, 2, 50)

    path.write_text('[[sources]]\nname = "a"\nlist_url = "https://a.gov.cn/"\nlinkselector = "a"\n')
    with pytest.raises(SourceError, match="unknown key"):
        load_sources(path)
    path.write_text('[[sources]]\nname = "a"\nlist_url = "https://a.gov.cn/"\nlink_pattern = "("\n')
    with pytest.raises(SourceError, match="source #1"):
        load_sources(path)


def test_cli_scrape_a_source_and_a_url(
    sites: Callable[[], Site], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = sites()
    site.routes = {
        "/index.htm": Reply(list_html(("t.htm", "2020年度报告")).encode()),
        "/t.htm": Reply(report_html(2020)),
        "/one.htm": Reply(report_html(2021)),
    }
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[sources]]\nname = "test"\nlist_url = "{site.url("/index.htm")}"\ndelay = 0\nenabled = false\n'
    )
    monkeypatch.setenv("GOVREPORTS_RAW_DIR", str(tmp_path / "raw"))

    assert main(["scrape", "--source", "test", "--sources", str(sources)]) == 0
    assert main(["scrape", "--url", site.url("/one.htm")]) == 0
    assert main(["scrape", "--source", "missing", "--sources", str(sources)]) == 2

    out = capsys.readouterr()
    assert "test: 1 report pages: 1 new" in out.out and "govreports run" in out.out
    assert "no source named 'missing'" in out.err
    assert sorted(stored(tmp_path / "raw")) == [site.url("/one.htm"), site.url("/t.htm")]
    assert len(pending_fetch_logs(tmp_path / "raw")) == 2
