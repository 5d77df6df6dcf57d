"""A copy of a real report column served on 127.0.0.1, scraped by the normal run."""

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest
from helpers import FIXTURES_DIR, RAW_DIR, Build, new_build
from test_pipeline import snapshot

COLUMN = "/zwgk/zfxxgk/zfxxgknb/"
PAGES = {  # the list page's report links, served with real fixture pages
    "202603/t20260313_105587.htm": "004.html",
    "202503/t20250310_97791.htm": "404.html",
    "202403/t20240308_87885.htm": "004.html",
    "202302/t20230220_80629.htm": "004.html",
    "202202/t20220208_80613.htm": "302.html",
    "202103/t20210305_80595.htm": "002.html",
    "202001/t20200120_80576.htm": "302.html",
    "201901/t20190110_80529.htm": "014.html",
    "201801/t20180123_80506.htm": "009.html",
    "201701/t20170118_80485.htm": "009.html",
}


class Site:
    """A static site with ETags, recording every request."""

    def __init__(self) -> None:
        self.files = {COLUMN + "index.htm": (FIXTURES_DIR / "list_page.html").read_bytes()}
        self.files.update({COLUMN + path: (RAW_DIR / "fixtures" / name).read_bytes() for path, name in PAGES.items()})
        self.requests: list[tuple[str, str | None]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                site.requests.append((self.path, self.headers.get("If-None-Match")))
                body = site.files.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header(
                    "Content-Type", "text/html; charset=utf-8" if b"charset" in body[:2000] else "text/html"
                )
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    served = Site()
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    yield served
    served.server.shutdown()


def reports_from(build: Build, site: Site) -> dict[str, str]:
    con = duckdb.connect(str(build.warehouse), read_only=True)
    try:
        return dict(
            con.execute(
                "SELECT source_uri, report_id FROM reports WHERE source_uri LIKE ?", [site.url + "%"]
            ).fetchall()
        )
    finally:
        con.close()


def test_scraped_pages_land_in_the_warehouse_incrementally(tmp_path, site: Site) -> None:
    build = new_build(tmp_path, source=None)
    (build.root / "sources.toml").write_text(
        f'[[sources]]\nname = "pingtan-copy"\nlist_url = "{site.url}{COLUMN}index.htm"\ndelay = 0\n', "utf-8"
    )

    build.run()
    landed = reports_from(build, site)
    assert sorted(landed) == sorted(f"{site.url}{COLUMN}{path}" for path in PAGES)
    assert {path for path, _ in site.requests} <= set(site.files) | {"/robots.txt", COLUMN + "index_1.htm"}
    assert all(p.is_relative_to(build.raw_dir / "_scraped") for p in build.raw_dir.rglob("*") if p.is_file())

    check_link_texts_and_first_seen(build, site)

    before, requests = snapshot(build.warehouse), len(site.requests)
    build.run()
    assert snapshot(build.warehouse) == before
    revisits = site.requests[requests:]
    assert all(
        etag for path, etag in revisits if path.endswith(".htm") and "index" not in path
    )  # conditional requests: 304s

    changed = COLUMN + "202103/t20210305_80595.htm"
    site.files[changed] = site.files[changed].replace(b">278<", b">279<")
    build.run()
    con = duckdb.connect(str(build.warehouse), read_only=True)
    try:
        decisions = con.execute(
            "SELECT value FROM disclosure_stats WHERE report_id = ? AND item = 'licensing' AND metric = 'decisions'",
            [landed[site.url + changed]],
        ).fetchall()
        fetches = con.execute("SELECT count(*), count(DISTINCT fetch_id) FROM fetch_log").fetchone()
    finally:
        con.close()
    assert decisions == [(279.0,)]
    assert fetches[0] == fetches[1] >= 3 * (len(PAGES) + 1)  # append-only, one row per fetch
    assert not list((build.raw_dir / "_scraped" / ".fetch_log").glob("*.jsonl"))  # loaded, then cleared
    # Three publishes, three export builds: the last two kept, the unchanged partitions shared.
    exports = build.warehouse.parent / "exports"
    builds = sorted(p.name for p in exports.iterdir() if p.name != "current")
    assert len(builds) == 2 and (exports / "current").resolve().name == builds[-1]
    linked = [p for p in (exports / builds[-1]).rglob("*.parquet") if p.stat().st_nlink > 1]
    assert linked and (exports / builds[-1] / "report.html").is_file()


def check_link_texts_and_first_seen(build: Build, site: Site) -> None:
    """Each report fetch names its list page and anchor text; the list page's fetch lists them;
    every scraped report has a first_seen, and nothing was backdated."""
    con = duckdb.connect(str(build.warehouse), read_only=True)
    try:
        links = con.execute(
            "SELECT count(*) FROM fetch_log WHERE kind = 'report' AND list_url = ? AND link_text LIKE '%年度报告%'",
            [f"{site.url}{COLUMN}index.htm"],
        ).fetchone()
        listed = con.execute(
            "SELECT len(listed_urls) FROM fetch_log WHERE kind = 'list' AND url = ?", [f"{site.url}{COLUMN}index.htm"]
        ).fetchall()
        seen = con.execute(
            "SELECT count(first_seen), count(*) FILTER (WHERE backdated) FROM publication_timeliness t "
            "JOIN reports r USING (report_id) WHERE r.source_uri LIKE ?",
            [site.url + "%"],
        ).fetchone()
        placed = con.execute("SELECT count(*) FROM coverage_unplaced").fetchone()
    finally:
        con.close()
    assert links == (len(PAGES),) and listed == [(len(PAGES),)]
    assert seen == (len(PAGES), 0)
    assert placed == (0,)  # every link became a report
