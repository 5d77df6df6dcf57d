"""The parsing library's error type: every reason a document cannot become a report is a DocumentError."""

from __future__ import annotations


class DocumentError(Exception):
    """A document that cannot become a report.

    `code` is a parse_issues code from SCHEMA.md (`empty`, `binary`,
    `unsupported_format`, `encoding`, `too_large`, `not_a_report`, `truncated`, ...).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
