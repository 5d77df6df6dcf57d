"""One raw document in, a report (or the reason there is none) out. Never raises."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from pipelines.issues import Code, DocumentError, Issue, Severity
from pipelines.parse.decode import DEFAULT_MAX_BYTES
from pipelines.parse.readers import open_document, read_document
from pipelines.parse.report import Report, SourceFile, assemble
from pipelines.parse.time_limit import TimeLimitExceeded, time_limit

TIME_LIMIT_SECONDS = 30


def report_id_for(source_uri: str) -> str:
    """Stable id of a source location: the first 16 hex digits of sha256(source_uri)."""
    return hashlib.sha256(source_uri.encode("utf-8")).hexdigest()[:16]


@dataclass
class ParseResult:
    """What one raw file became: a report, or the issues that say why not."""

    source_uri: str
    report: Report | None = None
    issues: list[Issue] = field(default_factory=list)  # of a file that became no report

    @property
    def is_report(self) -> bool:
        return self.report is not None

    @property
    def all_issues(self) -> list[Issue]:
        return self.report.issues if self.report else self.issues

    @classmethod
    def failed(cls, source_uri: str, code: Code, message: str) -> ParseResult:
        """A file that became no report: one error, nothing else."""
        return cls(source_uri, None, [Issue(Severity.ERROR, code, message)])


def parse_document(
    data: bytes,
    source_uri: str,
    *,
    raw_path: str | None = None,
    fetched_at: dt.datetime | None = None,
    declared_encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    content_sha256: str | None = None,
) -> ParseResult:
    """Parse one raw file. Whatever the input, the result is a report or an error saying why not."""
    source = SourceFile(
        source_uri,
        report_id_for(source_uri),
        content_sha256 or hashlib.sha256(data).hexdigest(),
        raw_path or source_uri,
        fetched_at,
    )
    try:
        with time_limit(TIME_LIMIT_SECONDS):
            raw = open_document(data, declared_encoding, max_page_bytes=max_bytes)
            document = read_document(raw)
            return ParseResult(source_uri, assemble(document, source, [*raw.warnings, *document.issues]))
    except DocumentError as exc:
        return ParseResult.failed(source_uri, exc.code, exc.message)
    except TimeLimitExceeded:
        return ParseResult.failed(
            source_uri, Code.TIMEOUT, f"parsing took more than {TIME_LIMIT_SECONDS} s; page not read"
        )
    except RecursionError:
        return ParseResult.failed(source_uri, Code.TOO_DEEP, "markup nested too deeply to read")
    except Exception as exc:  # noqa: BLE001 - one bad page never stops the others
        message = f"parser failed: {type(exc).__name__}: {str(exc)[:300]}"
        return ParseResult.failed(source_uri, Code.INTERNAL_ERROR, message)
