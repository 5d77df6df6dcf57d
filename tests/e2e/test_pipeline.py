"""End to end: `govreports run` (what `make run` calls) builds the warehouse with real
Dagster materializations into a real DuckDB file; re-runs are incremental and idempotent."""

import shutil
from pathlib import Path

import duckdb
import pytest
from helpers import FIXTURES_DIR, HOSTILE, RAW_DIR, Build, new_build

from pipelines.parse.parser import report_id_for

# The public contract (SCHEMA.md): table → columns. Written out here on purpose.
CONTRACT = {
    "reports": [
        "report_id",
        "source_uri",
        "content_sha256",
        "title",
        "agency",
        "province",
        "city",
        "county",
        "admin_level",
        "year",
        "published_date",
        "template",
        "script",
        "parse_status",
        "parser_version",
    ],
    "sections": ["report_id", "ordinal", "heading", "kind", "text"],
    "application_outcomes": [
        "report_id",
        "row_key",
        "applicant",
        "value",
        "raw_value",
        "derived",
        "source",
        "evidence",
    ],
    "disclosure_stats": [
        "report_id",
        "template",
        "item",
        "metric",
        "value",
        "unit",
        "raw_value",
        "derived",
        "source",
        "evidence",
    ],
    "review_litigation": ["report_id", "proceeding", "outcome", "value", "raw_value", "derived", "source", "evidence"],
    "report_checks": ["report_id", "check_name", "passed", "expected", "actual", "detail"],
    "parse_issues": ["source_uri", "report_id", "severity", "code", "message"],
}
MODELS = ["report_summary"]


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every row of every contract table and model, sorted."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in [*CONTRACT, *MODELS]}
    finally:
        con.close()


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def report(warehouse: Path, file_name: str) -> dict:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        result = con.execute("SELECT * FROM reports WHERE source_uri LIKE ?", [f"%{file_name}"])
        rows = result.fetchall()
        assert len(rows) == 1, f"{file_name}: {len(rows)} reports rows"
        return dict(zip([d[0] for d in result.description], rows[0]))
    finally:
        con.close()


def fact(warehouse: Path, table: str, report_id: str, a: str, b: str):
    columns = {
        "application_outcomes": ("row_key", "applicant"),
        "review_litigation": ("proceeding", "outcome"),
        "disclosure_stats": ("item", "metric"),
    }[table]
    rows = query(
        warehouse,
        f'SELECT value FROM "{table}" WHERE report_id = ? AND "{columns[0]}" = ? AND "{columns[1]}" = ?',
        [report_id, a, b],
    )
    return rows[0][0] if rows else "absent"


def test_every_contract_table_and_column_exists(sample_build: Build) -> None:
    for table, columns in CONTRACT.items():
        present = [
            r[0]
            for r in query(
                sample_build.warehouse,
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                [table],
            )
        ]
        assert set(columns) <= set(present), f"{table} lacks {set(columns) - set(present)}"
    assert (
        query(sample_build.warehouse, "SELECT count(*) FROM report_summary")[0][0]
        == query(sample_build.warehouse, "SELECT count(*) FROM reports")[0][0]
    )


def test_every_raw_file_is_a_report_or_an_issue(sample_build: Build) -> None:
    files = sorted(
        p.relative_to(sample_build.raw_dir).as_posix() for p in sample_build.raw_dir.rglob("*") if p.is_file()
    )
    reports = {r[0] for r in query(sample_build.warehouse, "SELECT source_uri FROM reports")}
    not_reports = {
        r[0] for r in query(sample_build.warehouse, "SELECT source_uri FROM parse_issues WHERE report_id IS NULL")
    }
    assert files and all(f in reports or f in not_reports for f in files)
    ids = [r[0] for r in query(sample_build.warehouse, "SELECT report_id FROM reports")]
    assert len(ids) == len(set(ids)) and all(
        i == report_id_for(u) for i, u in query(sample_build.warehouse, "SELECT report_id, source_uri FROM reports")
    )


def test_seed_004_dingcheng(sample_build: Build) -> None:
    w = sample_build.warehouse
    r = report(w, "004_540522f8d1d44ca2.txt")
    assert (r["template"], r["agency"], r["county"], r["city"], r["province"], r["year"]) == (
        "2019",
        "鼎城区应急管理局",
        "鼎城区",
        "常德市",
        "湖南省",
        2020,
    )
    rid = r["report_id"]
    assert fact(w, "disclosure_stats", rid, "normative_documents", "new_made") == 11
    assert [fact(w, "disclosure_stats", rid, "licensing", m) for m in ("prior_year_count", "change", "decisions")] == [
        338,
        89,
        249,
    ]
    assert [fact(w, "disclosure_stats", rid, "penalty", m) for m in ("prior_year_count", "change", "decisions")] == [
        134,
        60,
        74,
    ]
    assert fact(w, "disclosure_stats", rid, "procurement", "projects") == 5
    assert query(
        w,
        "SELECT value, unit FROM disclosure_stats WHERE report_id = ? AND item = 'procurement' AND metric = 'amount'",
        [rid],
    ) == [(197.3, "万元")]
    totals = query(
        w, "SELECT row_key, value FROM application_outcomes WHERE report_id = ? AND applicant = 'total'", [rid]
    )
    assert len(totals) == 23
    assert all(v == 0 for k, v in totals if k != "partially_granted")
    assert dict(totals)["partially_granted"] is None  # the one short row
    assert {
        v for (v,) in query(w, "SELECT value FROM review_litigation WHERE report_id = ? AND outcome = 'total'", [rid])
    } == {0}
    assert (
        query(
            w,
            "SELECT count(*) FROM parse_issues WHERE report_id = ? AND code = 'short_row' AND message LIKE '%partially_granted%'",
            [rid],
        )[0][0]
        == 1
    )


def test_seed_001_anhui_2012(sample_build: Build) -> None:
    r = report(sample_build.warehouse, "001_6989afdc1d4f2322.txt")
    assert (r["year"], str(r["published_date"]), r["template"], r["province"]) == (
        2012,
        "2013-03-27",
        "pre2019",
        "安徽省",
    )


def test_seed_002_baishan_2017(sample_build: Build) -> None:
    w = sample_build.warehouse
    r = report(w, "002_6abc71d2abd9d69f.txt")
    assert (r["template"], r["city"], r["province"], r["year"]) == ("pre2019", "白山市", "吉林省", 2017)
    assert fact(w, "disclosure_stats", r["report_id"], "proactive_total", "published") == 46
    assert fact(w, "application_outcomes", r["report_id"], "new_received", "total") == 0
    # the 2013-2017 website chart is not table 二, 三 or 四
    assert (
        query(w, "SELECT count(*) FROM disclosure_stats WHERE report_id = ? AND source = 'table'", [r["report_id"]])[0][
            0
        ]
        == 0
    )


def test_seed_000_hunan_traditional(sample_build: Build) -> None:
    w = sample_build.warehouse
    r = report(w, "000_0e935963c5f9d0b1.txt")
    assert (r["script"], r["year"], r["province"], r["parse_status"], r["agency"]) == (
        "traditional",
        2020,
        "湖南省",
        "partial",
        "湖南省人防办",
    )
    texts = " ".join(
        t for (t,) in query(w, "SELECT heading || text FROM sections WHERE report_id = ?", [r["report_id"]])
    )
    assert "信息公开" in texts and "資訊" not in texts and "開" not in texts  # stored simplified
    assert (
        query(
            w, "SELECT count(*) FROM parse_issues WHERE report_id = ? AND code = 'region_inferred'", [r["report_id"]]
        )[0][0]
        == 1
    )


def test_seed_003_hengyang(sample_build: Build) -> None:
    r = report(sample_build.warehouse, "003_946f814199ade964.txt")
    assert (r["year"], r["template"], r["city"]) == (2019, "2019", "衡阳市")


def test_second_run_changes_nothing(sample_build: Build) -> None:
    before = snapshot(sample_build.warehouse)
    published = sample_build.warehouse.stat()
    exports = sample_build.warehouse.parent / "exports"
    exported = {p: p.stat().st_mtime_ns for p in exports.rglob("*")}
    build_id = (exports / "current").resolve().name
    result = sample_build.run()
    assert snapshot(sample_build.warehouse) == before
    after = sample_build.warehouse.stat()
    assert (after.st_ino, after.st_mtime_ns) == (published.st_ino, published.st_mtime_ns)  # not even rewritten
    assert "nothing changed" in result.stdout + result.stderr
    # The exports and the chart report are skipped with everything else: left as they were.
    assert (exports / "current").resolve().name == build_id
    assert {p: p.stat().st_mtime_ns for p in exports.rglob("*")} == exported
    assert (exports / "current" / "report.html").is_file() and (exports / "current" / "manifest.json").is_file()


@pytest.fixture(scope="module")
def changing_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Seeds plus bad files; built once, then changed by the test below."""
    build = new_build(tmp_path_factory.mktemp("changing"), RAW_DIR / "seeds")
    bad = build.raw_dir / "bad"
    bad.mkdir()
    (bad / "empty.html").write_bytes(b"")
    (bad / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (bad / "binary.dat").write_bytes(b"\x00\x01\x02garbage\x00" * 100)
    (bad / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (bad / "huge.html").write_bytes(b"<html><body>" + b"x" * 3_000_000 + b"</body></html>")
    with open(bad / "sparse-50mb.html", "wb") as handle:  # refused by its size, never read
        handle.truncate(50 * 1024 * 1024)
    for name, markup in HOSTILE.items():
        (bad / f"hostile-{name}.html").write_text(markup, "utf-8")
    (bad / "notice.html").write_text(
        "<html><body><p>关于端午节放假安排的通知</p><p>各单位：端午节放假一天。</p></body></html>", "utf-8"
    )
    (bad / "undecodable.txt").write_bytes(bytes(range(128, 256)) * 40)
    shutil.copy(FIXTURES_DIR / "list_page.html", bad / "list_page.html")
    (build.raw_dir / ".partial.html.tmp").write_bytes(b"being written")
    build.run(GOVREPORTS_MAX_PAGE_BYTES=str(2 * 1024 * 1024))
    return build


def test_bad_input_becomes_parse_issues(changing_build: Build) -> None:
    issues = dict(
        query(
            changing_build.warehouse,
            "SELECT source_uri, code FROM parse_issues WHERE report_id IS NULL AND source_uri NOT LIKE 'bad/hostile-%'",
        )
    )
    assert issues == {
        "bad/sparse-50mb.html": "too_large",
        "bad/empty.html": "empty",
        "bad/image.png": "unsupported_format",
        "bad/binary.dat": "binary",
        "bad/report.pdf": "truncated",
        "bad/huge.html": "too_large",
        "bad/notice.html": "not_a_report",
        "bad/undecodable.txt": "encoding",
        "bad/list_page.html": "not_a_report",
    }
    assert query(changing_build.warehouse, "SELECT count(*) FROM reports WHERE source_uri NOT LIKE 'bad/%'")[0][0] == 5
    uris = {
        u
        for (u,) in query(
            changing_build.warehouse, "SELECT source_uri FROM parse_issues UNION SELECT source_uri FROM reports"
        )
    }
    assert not any(".partial" in u for u in uris)  # dot-files are skipped
    hostile = {f"bad/hostile-{name}.html" for name in HOSTILE}
    assert hostile <= uris  # every hostile page is a report or an issue
    codes = {
        c
        for (c,) in query(
            changing_build.warehouse, "SELECT code FROM parse_issues WHERE source_uri LIKE 'bad/hostile-%'"
        )
    }
    assert not codes & {"timeout", "internal_error"}


def test_changed_new_and_removed_pages_are_picked_up(changing_build: Build) -> None:
    w, raw = changing_build.warehouse, changing_build.raw_dir
    seed = raw / "004_540522f8d1d44ca2.txt"
    seed.write_text(seed.read_text("utf-8").replace("行政许可 | 338 | 89 | 249", "行政许可 | 338 | 89 | 250"), "utf-8")
    (raw / "copy").mkdir()
    shutil.copy(raw / "003_946f814199ade964.txt", raw / "copy" / "003.txt")
    (raw / "001_6989afdc1d4f2322.txt").unlink()
    (raw / "bad" / "empty.html").unlink()
    unchanged_before = query(
        w, "SELECT * FROM sections WHERE report_id = ?", [report_id_for("002_6abc71d2abd9d69f.txt")]
    )
    changing_build.run(GOVREPORTS_MAX_PAGE_BYTES=str(2 * 1024 * 1024))
    rid = report_id_for("004_540522f8d1d44ca2.txt")
    assert fact(w, "disclosure_stats", rid, "licensing", "decisions") == 250
    assert (
        query(
            w,
            "SELECT count(*) FROM disclosure_stats WHERE report_id = ? AND item = 'licensing' AND metric = 'decisions'",
            [rid],
        )[0][0]
        == 1
    )
    assert report(w, "copy/003.txt")["city"] == "衡阳市"
    gone = report_id_for("001_6989afdc1d4f2322.txt")
    for table in ("reports", "sections", "application_outcomes", "report_checks", "report_summary"):
        assert query(w, f"SELECT count(*) FROM {table} WHERE report_id = ?", [gone])[0][0] == 0
    assert query(w, "SELECT count(*) FROM parse_issues WHERE source_uri = 'bad/empty.html'")[0][0] == 0
    assert (
        query(w, "SELECT * FROM sections WHERE report_id = ?", [report_id_for("002_6abc71d2abd9d69f.txt")])
        == unchanged_before
    )
    assert query(w, "SELECT files_parsed, files_removed FROM load_runs ORDER BY loaded_at DESC LIMIT 1")[0] == (2, 2)
