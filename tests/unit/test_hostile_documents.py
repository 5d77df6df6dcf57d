"""Hostile PDF and Word files, written small: each ends as one error row, in bounded
time and memory (the reader runs in a worker with a timeout and an address-space cap)."""

import time

import pytest
import sample_documents as samples
from helpers import DOCUMENTS

from pipelines.parse.parser import parse_document

HOSTILE = {
    "claims 100,000 pages": (samples.claims_many_pages(100_000), "too_large", "100000 pages"),
    "more pages than the cap": (samples.many_pages(600), "too_large", "more than 500 pages"),
    "deeply nested objects": (samples.deeply_nested_pdf(50_000), "too_deep", ""),
    "deeply nested page tree": (samples.deep_page_tree(5_000), "too_deep", ""),
    "truncated": ((DOCUMENTS / "002.pdf").read_bytes()[:130_000], "truncated", "end-of-file"),
    "zip bomb posing as docx": (samples.zip_bomb_docx(), "too_large", "word/document.xml"),
    "1 GB of document.xml": (samples.huge_xml_docx(1024**3), "too_large", "1073742"),
    "not a zip after its signature": (b"PK\x03\x04" + b"\x00" * 200, "unsupported_format", ""),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_document_is_one_error_in_bounded_time(name: str) -> None:
    data, code, words = HOSTILE[name]
    assert len(data) < 1_000_000  # small on disk
    started = time.monotonic()
    result = parse_document(data, name)
    assert time.monotonic() - started < 20
    assert not result.is_report
    assert [(str(i.severity), str(i.code)) for i in result.all_issues] == [("error", code)]
    assert words in result.all_issues[0].message


def test_the_page_cap_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREPORTS_MAX_PAGES", "5")
    result = parse_document((DOCUMENTS / "004.pdf").read_bytes(), "004.pdf")
    assert [str(i.code) for i in result.all_issues] == ["too_large"]
    assert "6 pages" in result.all_issues[0].message


def test_the_document_size_cap_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREPORTS_MAX_DOCUMENT_BYTES", "1000")
    result = parse_document((DOCUMENTS / "004.docx").read_bytes(), "004.docx")
    assert [str(i.code) for i in result.all_issues] == ["too_large"]
