"""The issue vocabulary of `parse_issues`: severities and codes, each code explained once.

The README's table of codes and the dbt `accepted_values` of the staging models are
checked against these enums by the unit tests, so this is the one place to add a code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad an issue is: `error` means the file became no report."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Code(StrEnum):
    """A `parse_issues.code`, with the severity it is raised at and what it means."""

    severity: Severity
    meaning: str

    def __new__(cls, value: str, severity: Severity, meaning: str) -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity = severity
        member.meaning = meaning
        return member

    # The file became no report.
    EMPTY = "empty", Severity.ERROR, "the file is empty or only whitespace"
    BINARY = "binary", Severity.ERROR, "binary data (an image, an archive, NUL bytes), not a document"
    UNSUPPORTED_FORMAT = "unsupported_format", Severity.ERROR, "a document format the readers cannot read"
    ENCODING = "encoding", Severity.ERROR, "the text decodes as none of UTF-8, the declared charset, GB18030, Big5"
    TOO_LARGE = "too_large", Severity.ERROR, "over the size cap; refused unread"
    UNREADABLE = "unreadable", Severity.ERROR, "the file could not be read from disk"
    NOT_A_REPORT = (
        "not_a_report",
        Severity.ERROR,
        "no report title, sections or report tables: a notice, a guide, a list",
    )
    TRUNCATED = "truncated", Severity.ERROR, "the page ends before its body: a cut-off download"
    TIMEOUT = "timeout", Severity.ERROR, "reading took longer than the time limit"
    TOO_DEEP = "too_deep", Severity.ERROR, "markup nested too deeply to read"
    ENCRYPTED = "encrypted", Severity.ERROR, "the PDF is encrypted and does not open with an empty password"
    INTERNAL_ERROR = (
        "internal_error",
        Severity.ERROR,
        "the parser failed on this file (a bug); other files are unaffected",
    )
    # The report loaded, with something missing or odd.
    ENCODING_REPAIRED = "encoding_repaired", Severity.WARNING, "a few undecodable bytes were replaced"
    CONTROL_CHARACTERS = (
        "control_characters",
        Severity.WARNING,
        "stray control characters (NUL, ESC, …) removed from an otherwise readable text",
    )
    SHORT_ROW = (
        "short_row",
        Severity.WARNING,
        "a row printed fewer cells than its table has; the missing cells are NULL",
    )
    EXTRA_CELLS = "extra_cells", Severity.WARNING, "a row printed more values than its table has; the first are kept"
    CONCATENATED_CELLS = (
        "concatenated_cells",
        Severity.WARNING,
        "cells run together without separators; split only where one split fits the identities",
    )
    TABLE_UNREADABLE = "table_unreadable", Severity.WARNING, "a table was found but no values could be read from it"
    TABLE_MISSING = "table_missing", Severity.WARNING, "a table the report's template requires was not found"
    DUPLICATE_ROW = "duplicate_row", Severity.WARNING, "a table printed a row twice; the first is kept"
    BAD_VALUE = "bad_value", Severity.WARNING, "a cell that is not a count or an amount; stored as NULL"
    LABELS_LOST = "labels_lost", Severity.WARNING, "rows without labels assigned to the template's rows by position"
    YEAR_UNKNOWN = "year_unknown", Severity.WARNING, "the reporting year could not be determined"
    TEMPLATE_UNKNOWN = (
        "template_unknown",
        Severity.WARNING,
        "no table labels decide the template and the year is unknown",
    )
    SECTIONS_MISSING = "sections_missing", Severity.WARNING, "no numbered top-level sections found"
    NEEDS_OCR = (
        "needs_ocr",
        Severity.WARNING,
        "pages with no usable text layer (scans, glyphs without a Unicode map) not read, named; an error when no page could be read",
    )
    OCR_IDENTITY_FAILED = (
        "ocr_identity_failed",
        Severity.WARNING,
        "numbers read by OCR break the report's identities (the check is named); they stay as read",
    )
    # Information about how a value was read.
    AMOUNT_UNIT_UNKNOWN = "amount_unit_unknown", Severity.INFO, "an amount printed without a unit (most likely 万元)"
    REGION_INFERRED = "region_inferred", Severity.INFO, "the agency's region was inferred from the text"
    DERIVED_VALUE = (
        "derived_value",
        Severity.INFO,
        "a blank total was filled from its components, or a pre-2019 report's zeros from its 'no application' sentence",
    )
    OTHER_NOT_SPLIT = (
        "other_not_split",
        Severity.INFO,
        "table 三 printed （六）其他处理 as one row; stored as `other` whatever the template",
    )


@dataclass(frozen=True)
class Issue:
    """A parse_issues row in the making."""

    severity: Severity
    code: Code
    message: str

    @classmethod
    def of(cls, code: Code, message: str) -> Issue:
        """An issue at its code's usual severity."""
        return cls(code.severity, code, message)


class DocumentError(Exception):
    """A document that cannot become a report: it leaves one `error` row in parse_issues."""

    def __init__(self, code: Code, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
