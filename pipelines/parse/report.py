"""A report assembled from its document in named steps: extract → reconcile → validate.

`extract` reads metadata, sections and tables and decides the template; `reconcile`
merges what the statistics tables and the prose state into the facts; `validate` runs
the identities and says whether the report is complete. The result is a typed
`Report`; pipelines.warehouse.rows turns it into warehouse rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from pipelines.issues import Code, DocumentError, Issue
from pipelines.parse.agencies import is_government
from pipelines.parse.checks import (
    CheckResult,
    check_outcomes,
    check_prose_vs_table,
    check_review,
    derive_outcome_totals,
    derive_review_totals,
)
from pipelines.parse.document import Document, Paragraph
from pipelines.parse.metadata import Metadata, read_metadata
from pipelines.parse.normalise import squash
from pipelines.parse.page_kind import looks_like_report
from pipelines.parse.prose import ProseFigure, read_prose
from pipelines.parse.sections import Section, split_sections
from pipelines.parse.tables import DISCLOSURE, OUTCOMES, REVIEW, TABLE_LABELS, fact_table_of
from pipelines.parse.tables.concatenated import has_concatenated_stats, read_concatenated
from pipelines.parse.tables.disclosure import read_disclosure
from pipelines.parse.tables.outcomes import read_outcomes
from pipelines.parse.tables.review import read_review_litigation
from pipelines.parse.tables.rows import Fact, FactKey, TableRead
from pipelines.parse.tables.statistics import read_pre2019_stats
from pipelines.parse.templates import (
    UNKNOWN,
    Template,
    decide_template,
    template_from_signatures,
    template_named,
)


@dataclass(frozen=True)
class SourceFile:
    """Where a document came from: its stable id and location, and its bytes' hash."""

    source_uri: str
    report_id: str
    content_sha256: str
    raw_path: str
    fetched_at: dt.datetime | None = None


@dataclass
class Report:
    """A document read as a report: what each step found, and what it concluded."""

    source: SourceFile
    document: Document
    metadata: Metadata
    sections: list[Section]
    template_key: str
    tables: dict[str, TableRead]  # by fact table, as read
    statistics: TableRead
    facts: dict[str, dict[FactKey, Fact]] = field(default_factory=dict)  # by fact table, reconciled
    prose: dict[FactKey, ProseFigure] = field(default_factory=dict)
    checks: list[CheckResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    parse_status: str = "ok"

    @property
    def template(self) -> Template | None:
        return template_named(self.template_key)

    def facts_template(self, table: str) -> str:
        """Whose vocabulary a fact table's keys are in: the table's own template, else the report's."""
        shape = self.tables[table].shape
        return shape.key if shape else self.template_key


def assemble(document: Document, source: SourceFile, issues: list[Issue]) -> Report:
    """The report in a document. Raises DocumentError when the document is not a report."""
    report = extract(document, source, issues)
    reconcile(report)
    _refuse_blank_form(report)
    validate(report)
    return report


def _refuse_blank_form(report: Report) -> None:
    """A form with no reporting year anywhere and no value in any cell or sentence is the
    template itself, not a report."""
    has_value = any(f.value is not None for facts in report.facts.values() for f in facts.values())
    if report.metadata.year is None and not has_value and not report.prose:
        raise DocumentError(Code.NOT_A_REPORT, "blank form: no year, no values")


# --- extract --------------------------------------------------------------------------------


def extract(document: Document, source: SourceFile, issues: list[Issue]) -> Report:
    """Metadata, sections and tables as read, and the template they imply."""
    metadata = read_metadata(document, source.fetched_at)
    sections = split_sections(document)
    text = document.text()
    tables = {OUTCOMES: read_outcomes(document), REVIEW: read_review_litigation(document)}
    statistics = read_pre2019_stats(document)
    if not statistics.found and has_concatenated_stats(text):
        message = (
            "statistics table cells run together without separators; not split (ambiguous), figures taken from the text"
        )
        issues.append(Issue.of(Code.CONCATENATED_CELLS, message))
    template_key = _template(document, text, tables[OUTCOMES], metadata.year)
    template = template_named(template_key)
    tables[DISCLOSURE] = read_disclosure(document, template) if template and template.has_tables else TableRead()
    if template and template.has_tables and not all(read.found for read in tables.values()):
        # Tables that survive only as text with their cells run together.
        flattened = dict(zip((DISCLOSURE, OUTCOMES, REVIEW), read_concatenated(text, template)))
        if document.ocr_pages:  # text partly read from pixels: its figures may be
            for read in flattened.values():
                read.facts = {key: replace(fact, extraction="ocr") for key, fact in read.facts.items()}
        tables = {name: read if read.found else flattened[name] for name, read in tables.items()}
    has_tables = statistics.found or any(t.found for t in tables.values())
    if not looks_like_report(document, metadata.title, metadata.year, sections, has_tables):
        code = Code.TRUNCATED if document.possibly_truncated else Code.NOT_A_REPORT
        raise DocumentError(code, "no report title, sections or report tables found")
    return Report(
        source, document, metadata, sections, template_key, tables, statistics, issues=[*issues, *metadata.notes]
    )


def _template(document: Document, text: str, outcomes: TableRead, year: int | None) -> str:
    label_text = squash("".join(c.text for t in document.tables for row in t.rows for c in row)) or squash(text)
    return decide_template(template_from_signatures(label_text), outcomes.shape, year)


# --- reconcile ------------------------------------------------------------------------------


def reconcile(report: Report) -> None:
    """One figure per key: tables first, then a statistics table's, then the prose's; blank
    totals derived from complete components."""
    template = report.template
    facts = {name: dict(read.facts) for name, read in report.tables.items()}
    if template is not None and template.reads_statistics_tables:
        for key, fact in report.statistics.facts.items():
            table = fact_table_of(key)
            if table != DISCLOSURE:
                facts[table].setdefault(key, fact)
    if template and template.has_tables and _unsplit_groups(template, facts[OUTCOMES]):
        message = f"table 三 printed （六）其他处理 as one row; stored as `other` although the {template.key} format splits it"
        report.issues.append(Issue.of(Code.OTHER_NOT_SPLIT, message))
    derive_outcome_totals(facts[OUTCOMES], template, report.issues)
    derive_review_totals(facts[REVIEW], report.issues)
    report.prose = read_prose(report.sections, report.document.text(), is_government(report.metadata.agency))
    _fill_from_prose(report, facts)
    _derive_none_received(report, facts[OUTCOMES])
    report.facts = facts


def _unsplit_groups(template: Template, facts: dict[FactKey, Fact]) -> set[str]:
    """Groups of rows the template splits that the table printed as one row."""
    rows = {row for row, _ in facts}
    return (rows & {spec.group for spec in template.outcome_rows}) - set(template.row_keys)


def _yields_values(read: TableRead) -> bool:
    """A table read with at least one value: one found but unreadable does not count."""
    return any(fact.value is not None for fact in read.facts.values())


def _fill_from_prose(report: Report, facts: dict[str, dict[FactKey, Fact]]) -> None:
    """Prose fills in only what no table gives: pre-2019 reports, and tables missing or
    found but unreadable (no value read: its blank cells do not hide the text's figures)."""
    for key, figure in report.prose.items():
        table = fact_table_of(key)
        if table == REVIEW:
            given = any(k[0] == key[0] and f.value is not None for k, f in facts[REVIEW].items())
            if not _yields_values(report.tables[REVIEW]) and not given:
                facts[REVIEW][key] = _prose_fact(figure, report.document)
        elif table == OUTCOMES and not _yields_values(report.tables[OUTCOMES]):
            if facts[OUTCOMES].get(key) is None or facts[OUTCOMES][key].value is None:
                facts[OUTCOMES][key] = _prose_fact(figure, report.document)
    template = report.template
    if template is None or template.has_tables:
        return
    # A format without table 二 states its proactive-disclosure figures in a statistics table or the prose.
    for item in template.disclosure_items:
        for metric in item.metrics:
            key = (item.key, metric)
            stated = report.statistics.facts.get(key) or (
                _prose_fact(report.prose[key], report.document) if key in report.prose else None
            )
            if stated is not None:
                facts[DISCLOSURE][key] = stated


_CARRIED_OVER = re.compile(r"(?:上年度?|往年)结转[^,，。;；\d]{0,20}?[1-9]")
_FOLLOWS_FROM_NONE = ("granted", "partially_granted", "total_processed")


def _derive_none_received(report: Report, outcomes: dict[FactKey, Fact]) -> None:
    """A report without table 三 that says it received no applications, and states none
    carried over from the year before, granted, partly granted and answered none: those
    figures are 0, derived from its sentence. A report that says nothing keeps NULL."""
    template = report.template
    received = outcomes.get(("new_received", "total"))
    if template is None or template.has_tables or received is None or received.value != 0:
        return
    if received.source != "prose" or _CARRIED_OVER.search(squash(report.document.text())):
        return
    evidence = f"{received.evidence}; derived: no application received and none carried over"
    derived = [row for row in _FOLLOWS_FROM_NONE if outcomes.get((row, "total")) is None]
    for row in derived:
        outcomes[(row, "total")] = replace(received, key=(row, "total"), raw=None, evidence=evidence, derived=True)
    if derived:
        message = f"{', '.join(derived)} derived as 0: the report received no application and carried none over"
        report.issues.append(Issue.of(Code.DERIVED_VALUE, message))


def _prose_fact(figure: ProseFigure, document: Document) -> Fact:
    """A figure read from a sentence; `ocr` when the sentence was read from pixels."""
    sentence = squash(figure.evidence)[:40]
    from_pixels = any(p.ocr and sentence in squash(p.text) for p in document.blocks if isinstance(p, Paragraph))
    extraction = "ocr" if from_pixels else "text"
    return Fact(figure.key, figure.value, figure.phrase, figure.evidence, source="prose", extraction=extraction)


# --- validate -------------------------------------------------------------------------------


def validate(report: Report) -> None:
    """The report's identities as checks, and its parse status with the reasons."""
    facts = report.facts
    if _yields_values(report.tables[OUTCOMES]):
        report.checks += check_outcomes(facts[OUTCOMES], report.template)
    if _yields_values(report.tables[REVIEW]):
        report.checks += check_review(facts[REVIEW])
    # The prose is compared with what the tables give, not with the figures it filled in.
    from_tables = {name: {k: f for k, f in facts[name].items() if f.source != "prose"} for name in (OUTCOMES, REVIEW)}
    report.checks += check_prose_vs_table(report.prose, from_tables[OUTCOMES], from_tables[REVIEW])
    for read in (report.tables[OUTCOMES], report.tables[REVIEW], report.tables[DISCLOSURE], report.statistics):
        report.issues += read.issues
    report.issues += _ocr_identity_failures(report)
    problems = _status_problems(report)
    report.issues += problems
    unread_pages = any(issue.code is Code.NEEDS_OCR for issue in report.issues)
    report.parse_status = "partial" if problems or unread_pages else "ok"


_CHECKED_TABLE = {"balance": OUTCOMES, "outcomes_sum": OUTCOMES, "applicant_sum": OUTCOMES, "group_sum": REVIEW}


def _ocr_identity_failures(report: Report) -> list[Issue]:
    """A failed identity of a table read from pixels is named: the numbers stay as read."""
    failures = []
    for check in report.checks:
        table = _CHECKED_TABLE.get(check.check_name.split(":")[0])
        if check.passed or table is None:
            continue
        if any(f.extraction == "ocr" for f in report.facts[table].values()):
            message = f"{check.check_name}: OCR'd numbers give {check.actual:g}, the identity {check.expected:g}; kept as read"
            failures.append(Issue.of(Code.OCR_IDENTITY_FAILED, message))
    return failures


def _status_problems(report: Report) -> list[Issue]:
    """Why a report is `partial` rather than `ok` (SCHEMA.md, parse_status); empty when ok."""
    problems: list[Issue] = []
    if report.metadata.year is None:
        problems.append(Issue.of(Code.YEAR_UNKNOWN, "the reporting year could not be determined"))
    if report.template_key == UNKNOWN:
        problems.append(Issue.of(Code.TEMPLATE_UNKNOWN, "no table labels, headings or year decide the template"))
    if not report.sections:
        problems.append(Issue.of(Code.SECTIONS_MISSING, "no numbered top-level sections found"))

    template = report.template
    if template is None:
        return problems
    for table in template.required_tables:
        read, label = report.tables[table], TABLE_LABELS[table]
        if not read.found:
            problems.append(Issue.of(Code.TABLE_MISSING, f"table {label} of the {template.key} template not found"))
        elif not read.facts:
            problems.append(Issue.of(Code.TABLE_UNREADABLE, f"table {label} found but no values could be read"))
    return problems
