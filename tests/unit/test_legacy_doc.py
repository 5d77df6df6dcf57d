"""Legacy .doc files, converted with LibreOffice when it is installed."""

import os

import pytest
from helpers import DOCUMENTS

from pipelines.parse.parser import parse_document
from pipelines.parse.readers import legacy_doc


def need_soffice() -> None:
    """Skip without LibreOffice, except in CI (CI=…), where its absence is a failure."""
    if legacy_doc.soffice() is None:
        message = (
            "LibreOffice (soffice) is not installed: .doc files cannot be converted (Debian: libreoffice-writer-nogui)"
        )
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must install it")
        pytest.skip(message)


def test_a_doc_file_is_read_through_libreoffice() -> None:
    need_soffice()
    result = parse_document((DOCUMENTS / "002.doc").read_bytes(), "002.doc")
    assert result.is_report, result.all_issues
    report = result.report
    assert report.document.format == "doc" and report.metadata.year == 2020
    assert report.facts["application_outcomes"][("new_received", "total")].value == 21


def test_without_libreoffice_a_doc_is_unsupported_and_the_message_names_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(legacy_doc.shutil, "which", lambda name: None)
    result = parse_document((DOCUMENTS / "002.doc").read_bytes(), "002.doc")
    assert [str(i.code) for i in result.all_issues] == ["unsupported_format"]
    assert "libreoffice-writer-nogui" in result.all_issues[0].message
