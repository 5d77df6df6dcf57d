"""The issue vocabulary: parse_issues rows in the making, and the error that stops a document."""

from __future__ import annotations

from dataclasses import dataclass


class DocumentError(Exception):
    """A document that cannot become a report.

    `code` is a parse_issues code from SCHEMA.md (`empty`, `binary`,
    `unsupported_format`, `encoding`, `too_large`, `not_a_report`, `truncated`, ...).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Issue:
    """A parse_issues row in the making."""

    severity: str
    code: str
    message: str
