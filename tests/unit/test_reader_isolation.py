"""PDF and Word readers run in a worker process: a hang becomes `timeout`, a crash or
memory exhaustion an issue, and the worker is reused between documents."""

import subprocess
import sys
import time

import pytest
from helpers import DOCUMENTS

import pipelines.parse.parser as parser
from pipelines.issues import DocumentError
from pipelines.parse import readers
from pipelines.parse.readers.isolated import run_isolated

PROBES = "isolation_probes"


def test_the_worker_is_reused_across_documents() -> None:
    first = run_isolated(f"{PROBES}:echo", "一".encode())
    second = run_isolated(f"{PROBES}:echo", "二".encode())
    assert first.paragraphs == ["一"] and second.paragraphs == ["二"]
    assert first.meta["pid"] == second.meta["pid"]


def test_a_hanging_reader_is_stopped_at_the_timeout_and_the_next_document_is_read() -> None:
    started = time.monotonic()
    with pytest.raises(DocumentError) as caught:
        run_isolated(f"{PROBES}:hang", b"", timeout=1.0)
    assert caught.value.code == "timeout" and time.monotonic() - started < 10
    assert run_isolated(f"{PROBES}:echo", b"ok").paragraphs == ["ok"]


def test_a_crash_in_the_reader_is_an_internal_error_not_a_crashed_caller() -> None:
    with pytest.raises(DocumentError) as caught:
        run_isolated(f"{PROBES}:crash", b"")
    assert caught.value.code == "internal_error" and "SIGABRT" in caught.value.message
    assert run_isolated(f"{PROBES}:echo", b"ok").paragraphs == ["ok"]


def test_running_out_of_the_address_space_cap_is_too_large_and_retires_the_worker() -> None:
    before = run_isolated(f"{PROBES}:echo", b"").meta["pid"]
    with pytest.raises(DocumentError) as caught:
        run_isolated(f"{PROBES}:hog", b"")
    assert caught.value.code == "too_large"
    assert run_isolated(f"{PROBES}:echo", b"").meta["pid"] != before


def test_parse_document_turns_a_hanging_pdf_reader_into_a_timeout_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(readers.READERS, "pdf", lambda raw: run_isolated(f"{PROBES}:hang", raw.data, timeout=1.0))
    result = parser.parse_document((DOCUMENTS / "004.pdf").read_bytes(), "004.pdf")
    assert [i.code for i in result.all_issues] == ["timeout"] and not result.is_report


def test_the_callers_own_time_limit_stops_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parser, "TIME_LIMIT_SECONDS", 1)
    monkeypatch.setitem(readers.READERS, "pdf", lambda raw: run_isolated(f"{PROBES}:hang", raw.data, timeout=60))
    started = time.monotonic()
    result = parser.parse_document((DOCUMENTS / "004.pdf").read_bytes(), "004.pdf")
    assert [i.code for i in result.all_issues] == ["timeout"] and time.monotonic() - started < 10
    assert run_isolated(f"{PROBES}:echo", b"ok").paragraphs == ["ok"]


def test_reading_html_loads_no_pdf_or_word_library() -> None:
    script = (
        "import sys\n"
        "from pipelines.parse.parser import parse_document\n"
        "r = parse_document('<html><title>某局2020年政府信息公开工作年度报告</title><p>一、总体情况</p></html>'.encode(), 'a.html')\n"
        "assert r.is_report\n"
        "loaded = {'pdfplumber', 'pdfminer', 'pypdfium2', 'docx'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
