"""One raw page in, the rows of every SCHEMA.md table out. Never raises."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.issues import DocumentError, Issue
from pipelines.parse.checks import (
    CheckResult,
    check_outcomes,
    check_prose_vs_table,
    check_review,
    derive_outcome_totals,
    derive_review_totals,
)
from pipelines.parse.decode import DEFAULT_MAX_BYTES, check_size, decode
from pipelines.parse.document import Document
from pipelines.parse.metadata import Metadata, is_government, read_metadata
from pipelines.parse.normalise import squash
from pipelines.parse.prose import ProseFigure, read_prose
from pipelines.parse.readers import parse_page
from pipelines.parse.sections import Section, split_sections
from pipelines.parse.tables.concatenated import (
    has_concatenated_stats,
    read_concatenated,
)
from pipelines.parse.tables.disclosure import read_disclosure
from pipelines.parse.tables.outcomes import read_outcomes
from pipelines.parse.tables.review import read_review_litigation
from pipelines.parse.tables.rows import Fact, TableRead
from pipelines.parse.tables.statistics import read_pre2019_stats
from pipelines.parse.templates import (
    POST2019_HEADINGS,
    decide_template,
    template_from_signatures,
)
from pipelines.warehouse.schema import TABLES

TIME_LIMIT_SECONDS = 30


def _parser_version() -> str:
    """A hash of the parse package's source files: any change to the parser re-parses every page."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return f"1.{digest.hexdigest()[:10]}"


PARSER_VERSION = _parser_version()


def report_id_for(source_uri: str) -> str:
    """Stable id of a source location: the first 16 hex digits of sha256(source_uri)."""
    return hashlib.sha256(source_uri.encode("utf-8")).hexdigest()[:16]


@dataclass
class ParsedDocument:
    """Rows for each warehouse table (SCHEMA.md column names) from one raw file."""

    source_uri: str
    report_id: str | None
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in TABLES})

    @property
    def is_report(self) -> bool:
        return bool(self.rows["reports"])

    @classmethod
    def failed(cls, source_uri: str, code: str, message: str) -> ParsedDocument:
        """A file that became no report: one error row in parse_issues, nothing else."""
        result = cls(source_uri, None)
        result.rows["parse_issues"].append(_issue_row(source_uri, None, Issue("error", code, message)))
        return result


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Raise _Timeout after `seconds` (only where signals can be used: the main thread)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_document(
    data: bytes,
    source_uri: str,
    *,
    raw_path: str | None = None,
    fetched_at: dt.datetime | None = None,
    declared_encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    content_sha256: str | None = None,
) -> ParsedDocument:
    """Parse one raw page. Whatever the input, the result has a reports row or a parse_issues row saying why not."""
    sha = content_sha256 or hashlib.sha256(data).hexdigest()
    out = ParsedDocument(source_uri, report_id_for(source_uri))
    try:
        with _time_limit(TIME_LIMIT_SECONDS):
            check_size(len(data), max_bytes)
            page = decode(data, declared_encoding)
            doc = parse_page(page)
            _build(
                out, doc, sha, raw_path or source_uri, fetched_at, [Issue("warning", c, m) for c, m in page.warnings]
            )
    except DocumentError as exc:
        return ParsedDocument.failed(source_uri, exc.code, exc.message)
    except _Timeout:
        return ParsedDocument.failed(
            source_uri, "timeout", f"parsing took more than {TIME_LIMIT_SECONDS} s; page not read"
        )
    except RecursionError:
        return ParsedDocument.failed(source_uri, "too_deep", "markup nested too deeply to read")
    except Exception as exc:  # noqa: BLE001 - one bad page never stops the others
        return ParsedDocument.failed(
            source_uri, "internal_error", f"parser failed: {type(exc).__name__}: {str(exc)[:300]}"
        )
    return out


def _issue_row(source_uri: str, report_id: str | None, issue: Issue) -> dict[str, Any]:
    return {
        "source_uri": source_uri,
        "report_id": report_id,
        "severity": issue.severity,
        "code": issue.code,
        "message": issue.message,
    }


def _fact_rows(report_id: str, facts: dict[tuple[str, str], Fact], key_names: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "report_id": report_id,
            key_names[0]: key[0],
            key_names[1]: key[1],
            "value": fact.value,
            "raw_value": fact.raw,
            "derived": fact.derived,
            "source": fact.source,
            "evidence": fact.evidence,
        }
        for key, fact in facts.items()
    ]


def _prose_fact(figure: ProseFigure) -> Fact:
    return Fact(figure.key, figure.value, figure.phrase, figure.evidence, source="prose")


_REPORT_TITLE = re.compile(r"(?:19|20)\d{2}\s*年.*(?:年度报告|年报|工作报告|公开报告)")


def _looks_like_report(doc: Document, title: str | None, sections: list[Section], has_tables: bool) -> bool:
    """An annual report: titled as one (even when its text is elsewhere, e.g. in an
    attachment), or about disclosure with a report's sections or tables."""
    if title and _REPORT_TITLE.search(title) and "信息" in title:
        return True
    head = squash((title or "") + "".join(doc.paragraphs[:80]))
    about_disclosure = any(w in head for w in ("信息公开", "政务公开", "信息公開"))
    return about_disclosure and (len(sections) >= 2 or has_tables)


def _build(
    out: ParsedDocument, doc: Document, sha: str, raw_path: str, fetched_at: dt.datetime | None, issues: list[Issue]
) -> None:
    report_id = out.report_id
    assert report_id is not None
    meta: Metadata = read_metadata(doc)
    issues += [Issue(sev, code, msg) for sev, code, msg in meta.notes]
    sections = split_sections(doc)
    text = doc.text()

    outcomes = read_outcomes(doc)
    review = read_review_litigation(doc)
    stats = read_pre2019_stats(doc)
    if not stats.found and has_concatenated_stats(text):
        issues.append(
            Issue(
                "warning",
                "concatenated_cells",
                "statistics table cells run together without separators; not split (ambiguous), figures taken from the text",
            )
        )

    label_text = squash("".join(c.text for t in doc.tables for row in t.rows for c in row)) or squash(text)
    post2019 = outcomes.found or review.found or any(h in squash(text) for h in POST2019_HEADINGS)
    template = decide_template(template_from_signatures(label_text), outcomes.shape, post2019, meta.year)
    disclosure = read_disclosure(doc, template) if template in ("2019", "2021") else TableRead()
    if template in ("2019", "2021") and not (outcomes.found and review.found and disclosure.found):
        # Tables that survive only as text with their cells run together.
        flat_disclosure, flat_outcomes, flat_review = read_concatenated(text, template)
        disclosure = disclosure if disclosure.found else flat_disclosure
        outcomes = outcomes if outcomes.found else flat_outcomes
        review = review if review.found else flat_review

    if not _looks_like_report(
        doc, meta.title, sections, outcomes.found or review.found or disclosure.found or stats.found
    ):
        truncated = doc.kind == "html" and "</html" not in text[-2000:].lower() and not doc.paragraphs
        code = "truncated" if truncated else "not_a_report"
        raise DocumentError(code, "no report title, sections or report tables found")

    outcome_facts = dict(outcomes.facts)
    review_facts = dict(review.facts)
    if template == "pre2019":
        for key, fact in stats.facts.items():
            target = review_facts if key[0] in ("review", "litigation") else outcome_facts
            if key[0] != "proactive_total":
                target.setdefault(key, fact)
    derive_outcome_totals(outcome_facts, template, issues)
    derive_review_totals(review_facts, issues)

    prose = read_prose(sections, text, is_government(meta.agency))
    checks: list[CheckResult] = []
    checks += check_outcomes(outcome_facts, template) if outcomes.found else []
    checks += check_review(review_facts) if review.found else []
    checks += check_prose_vs_table(prose, outcome_facts, review_facts)

    # Prose fills in only what no table gives: pre-2019 reports and missing tables.
    disclosure_facts = dict(disclosure.facts)
    disclosure_template = disclosure.shape or template
    for key, figure in prose.items():
        if key[0] in ("review", "litigation"):
            if not review.found and not any(k[0] == key[0] for k in review_facts):
                review_facts[key] = _prose_fact(figure)
        elif key[0] != "proactive_total" and not outcomes.found and key not in outcome_facts:
            outcome_facts[key] = _prose_fact(figure)
    proactive = ("proactive_total", "published")
    if template == "pre2019" and (proactive in stats.facts or proactive in prose):
        disclosure_facts[proactive] = stats.facts.get(proactive) or _prose_fact(prose[proactive])
        disclosure_template = "pre2019"

    for read in (outcomes, review, disclosure, stats):
        issues += read.issues
    status_problems = _status_problems(template, meta, sections, outcomes, review, disclosure)
    issues += status_problems
    parse_status = "partial" if status_problems else "ok"

    out.rows["reports"].append(
        {
            "report_id": report_id,
            "source_uri": out.source_uri,
            "content_sha256": sha,
            "title": meta.title,
            "agency": meta.agency,
            "province": meta.region.province,
            "city": meta.region.city,
            "county": meta.region.county,
            "admin_level": meta.region.admin_level,
            "year": meta.year,
            "published_date": meta.published_date,
            "template": template,
            "script": doc.script,
            "parse_status": parse_status,
            "parser_version": PARSER_VERSION,
            "format": doc.kind,
            "encoding": doc.encoding,
            "raw_path": raw_path,
            "fetched_at": fetched_at,
        }
    )
    out.rows["sections"] = [
        {"report_id": report_id, "ordinal": s.ordinal, "heading": s.heading, "kind": s.kind, "text": s.text}
        for s in sections
    ]
    out.rows["application_outcomes"] = _fact_rows(report_id, outcome_facts, ("row_key", "applicant"))
    out.rows["review_litigation"] = _fact_rows(report_id, review_facts, ("proceeding", "outcome"))
    out.rows["disclosure_stats"] = [
        {
            "report_id": report_id,
            "template": disclosure_template,
            "item": key[0],
            "metric": key[1],
            "value": None if fact.value is None else float(fact.value),
            "unit": fact.unit,
            "raw_value": fact.raw,
            "derived": fact.derived,
            "source": fact.source,
            "evidence": fact.evidence,
        }
        for key, fact in disclosure_facts.items()
    ]
    out.rows["report_checks"] = [
        {
            "report_id": report_id,
            "check_name": c.check_name,
            "passed": c.passed,
            "expected": c.expected,
            "actual": c.actual,
            "detail": c.detail,
        }
        for c in checks
    ]
    out.rows["parse_issues"] = [_issue_row(out.source_uri, report_id, issue) for issue in issues]


def _status_problems(
    template: str,
    meta: Metadata,
    sections: list[Section],
    outcomes: TableRead,
    review: TableRead,
    disclosure: TableRead,
) -> list[Issue]:
    """Why a report is `partial` rather than `ok` (SCHEMA.md, parse_status); empty when ok."""
    problems: list[Issue] = []
    if meta.year is None:
        problems.append(Issue("warning", "year_unknown", "the reporting year could not be determined"))
    if template == "unknown":
        problems.append(Issue("warning", "template_unknown", "no table labels, headings or year decide the template"))
    if not sections:
        problems.append(Issue("warning", "sections_missing", "no numbered top-level sections found"))
    if template in ("2019", "2021"):
        for name, read in (("二", disclosure), ("三", outcomes), ("四", review)):
            if not read.found:
                problems.append(Issue("warning", "table_missing", f"table {name} of the {template} template not found"))
            elif not read.facts:
                problems.append(Issue("warning", "table_unreadable", f"table {name} found but no values could be read"))
    return problems
