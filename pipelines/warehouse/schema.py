"""The warehouse tables: columns, types and keys (the contract in ../shared/SCHEMA.md, plus our additions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

# The per-batch list of the raw files a parse step read (Parquet beside the table batches).
BATCH_MANIFEST = "manifest"


def polars_type(sql_type: str) -> pl.DataType:
    """The polars type of a column's SQL type (polars is imported by the steps that write
    batches, not by the process that only orchestrates the run)."""
    import polars as pl

    return {
        "VARCHAR": pl.Utf8(),
        "BIGINT": pl.Int64(),
        "INTEGER": pl.Int32(),
        "DOUBLE": pl.Float64(),
        "BOOLEAN": pl.Boolean(),
        "DATE": pl.Date(),
        "TIMESTAMP": pl.Datetime("us"),
        "VARCHAR[]": pl.List(pl.Utf8()),
    }[sql_type]


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    contract: bool = True  # named in SCHEMA.md (a public interface); False: our addition
    # Long prose, stored zstd-compressed: DuckDB's default string compressions leave it
    # uncompressed, and it then makes most of the file (every run copies the file to stage).
    long_text: bool = False

    @property
    def ddl(self) -> str:
        """The column's definition in CREATE TABLE."""
        return f'"{self.name}" {self.type}' + (" USING COMPRESSION zstd" if self.long_text else "")


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    replaced_by: str | None = None  # the column a changed or removed file's rows are found by

    @property
    def polars_schema(self) -> dict[str, pl.DataType]:
        return {c.name: polars_type(c.type) for c in self.columns}

    @property
    def has_long_text(self) -> bool:
        return any(c.long_text for c in self.columns)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def ddl(self, name: str | None = None) -> str:
        """CREATE TABLE of the table (or of a table of the same columns called `name`)."""
        cols = ",\n  ".join(c.ddl for c in self.columns)
        return f'CREATE TABLE IF NOT EXISTS "{name or self.name}" (\n  {cols}\n)'


_FACT_PROVENANCE = (
    Column("raw_value", "VARCHAR", "the cell or phrase as printed; NULL when the row printed no such cell"),
    Column("derived", "BOOLEAN", "true when computed (a blank total filled from its components), not read"),
    Column("source", "VARCHAR", "`table` or `prose`"),
    Column("extraction", "VARCHAR", "`text` (HTML, text, Word, a PDF's text layer) or `ocr` (read from pixels)"),
    Column("evidence", "VARCHAR", "where the value is in the source: table, row and column, or the sentence"),
)

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in [
        TableSpec(
            "reports",
            "One row per ingested report.",
            (
                Column("report_id", "VARCHAR", "stable id: sha256 of source_uri, 16 hex digits"),
                Column("source_uri", "VARCHAR", "URL of a scraped page, or the path relative to the raw folder"),
                Column("content_sha256", "VARCHAR", "sha256 of the raw bytes"),
                Column("title", "VARCHAR", "report title as printed (simplified script)"),
                Column("agency", "VARCHAR", "issuing agency, without year and report words"),
                Column("province", "VARCHAR", "province of the agency (湖南省)"),
                Column("city", "VARCHAR", "city of the agency (常德市)"),
                Column("county", "VARCHAR", "county or district of the agency (鼎城区)"),
                Column("admin_level", "VARCHAR", "`province`, `city`, `county` or NULL"),
                Column("year", "INTEGER", "the year the report is about"),
                Column("published_date", "DATE", "when the page says it was published"),
                Column("template", "VARCHAR", "`2021`, `2019`, `pre2019` or `unknown`"),
                Column("script", "VARCHAR", "`simplified` or `traditional` (of the source)"),
                Column("parse_status", "VARCHAR", "`ok` or `partial`"),
                Column("parser_version", "VARCHAR", "version of the parser that read the page"),
                Column(
                    "is_government",
                    "BOOLEAN",
                    "a people's government (…人民政府, …管委会, a bare region name): due 31 March, not 31 January",
                    contract=False,
                ),
                Column(
                    "agency_category",
                    "VARCHAR",
                    "kind of agency (seed agency_categories), NULL without an agency",
                    contract=False,
                ),
                Column(
                    "agency_category_matched_by",
                    "VARCHAR",
                    "what decided the kind: `bare region name` or `pattern <regex>`",
                    contract=False,
                ),
                Column("format", "VARCHAR", "`html`, `text`, `pdf`, `docx`, `doc` or `image`, sniffed from the bytes"),
                Column("pages", "INTEGER", "page count of a PDF or image file; NULL for web pages, text and Word"),
                Column("ocr_pages", "INTEGER", "pages read by OCR (no usable text layer); 0 when none"),
                Column("encoding", "VARCHAR", "the encoding the page was decoded with", contract=False),
                Column("raw_path", "VARCHAR", "path of the stored page, relative to the raw folder", contract=False),
                Column(
                    "fetched_at",
                    "TIMESTAMP",
                    "when the page was fetched (file time for hand-placed files)",
                    contract=False,
                ),
            ),
            ("report_id",),
            "report_id",
        ),
        TableSpec(
            "sections",
            "One row per top-level section of a report.",
            (
                Column("report_id", "VARCHAR", "the report"),
                Column("ordinal", "INTEGER", "1..n in the order printed"),
                Column("heading", "VARCHAR", "heading as printed (simplified)"),
                Column(
                    "kind",
                    "VARCHAR",
                    "canonical section: overview, proactive, applications, fees, review_litigation, problems, other, or NULL",
                ),
                Column("text", "VARCHAR", "the section's body text", long_text=True),
            ),
            ("report_id", "ordinal"),
            "report_id",
        ),
        TableSpec(
            "disclosure_stats",
            "Table 二 (主动公开政府信息情况), long format; 2019 and 2021 metrics are never mapped onto each other.",
            (
                Column("report_id", "VARCHAR", "the report"),
                Column("template", "VARCHAR", "`2019`, `2021` or `pre2019`: whose item/metric vocabulary"),
                Column(
                    "item",
                    "VARCHAR",
                    "regulations, normative_documents, licensing, other_services, penalty, coercion, fees, procurement, proactive_total",
                ),
                Column(
                    "metric",
                    "VARCHAR",
                    "new_made, new_published, total_published, prior_year_count, change, decisions, projects, amount, issued, repealed, in_force, published",
                ),
                Column("value", "DOUBLE", "the value as printed (amounts in `unit`)"),
                Column("unit", "VARCHAR", "`元`, `万元` or NULL, for amounts"),
                *_FACT_PROVENANCE,
            ),
            ("report_id", "item", "metric"),
            "report_id",
        ),
        TableSpec(
            "application_outcomes",
            "Table 三 (收到和处理政府信息公开申请情况), long format.",
            (
                Column("report_id", "VARCHAR", "the report"),
                Column("row_key", "VARCHAR", "canonical row (new_received, granted, …, carried_forward)"),
                Column(
                    "applicant",
                    "VARCHAR",
                    "natural_person, commercial, research, social_welfare, legal_service, other_org, total",
                ),
                Column("value", "BIGINT", "the count; NULL for a blank cell"),
                *_FACT_PROVENANCE,
            ),
            ("report_id", "row_key", "applicant"),
            "report_id",
        ),
        TableSpec(
            "review_litigation",
            "Table 四 (行政复议、行政诉讼), long format.",
            (
                Column("report_id", "VARCHAR", "the report"),
                Column(
                    "proceeding",
                    "VARCHAR",
                    "review, litigation_direct, litigation_after_review, or litigation (unsplit)",
                ),
                Column("outcome", "VARCHAR", "upheld, corrected, other, pending, total"),
                Column("value", "BIGINT", "the count; NULL for a blank cell"),
                *_FACT_PROVENANCE,
            ),
            ("report_id", "proceeding", "outcome"),
            "report_id",
        ),
        TableSpec(
            "report_checks",
            "One row per report per consistency rule; a failed check is data about the report.",
            (
                Column("report_id", "VARCHAR", "the report"),
                Column("check_name", "VARCHAR", "rule and the column or row it checks, e.g. balance:natural_person"),
                Column("passed", "BOOLEAN", "whether the report's numbers satisfy the rule"),
                Column("expected", "DOUBLE", "what the rule predicts (e.g. the sum of the components)"),
                Column("actual", "DOUBLE", "what the report prints"),
                Column("detail", "VARCHAR", "the rule in words, or the text the prose figure came from"),
            ),
            ("report_id", "check_name"),
            "report_id",
        ),
        TableSpec(
            "parse_issues",
            "What could not be read, and why: every file that is not a clean report has a row.",
            (
                Column("source_uri", "VARCHAR", "the file or URL"),
                Column("report_id", "VARCHAR", "the report, or NULL when the file became no report"),
                Column("severity", "VARCHAR", "error (no report), warning, info"),
                Column(
                    "code",
                    "VARCHAR",
                    "empty, binary, unsupported_format, encoding, too_large, not_a_report, truncated, short_row, …",
                ),
                Column("message", "VARCHAR", "what happened, in words"),
            ),
            (),
            "source_uri",
        ),
    ]
}

# Bookkeeping tables (not in SCHEMA.md): the loader's manifest and append-only logs.
RAW_FILES = TableSpec(
    "raw_files",
    "The loader's manifest: every file of the raw folder as last loaded (the warehouse mirrors it).",
    (
        Column("source_uri", "VARCHAR", "URL or relative path", contract=False),
        Column("raw_path", "VARCHAR", "path relative to the raw folder", contract=False),
        Column("size", "BIGINT", "bytes", contract=False),
        Column("mtime_ns", "BIGINT", "modification time, ns", contract=False),
        Column("content_sha256", "VARCHAR", "sha256 of the bytes", contract=False),
        Column("parser_version", "VARCHAR", "parser that produced the rows", contract=False),
        Column("partition_key", "VARCHAR", "parse partition (source and hash bucket)", contract=False),
        Column("is_report", "BOOLEAN", "became a reports row", contract=False),
    ),
    ("source_uri",),
)
LOAD_RUNS = TableSpec(
    "load_runs",
    "Append-only history of loads: one row per run that published the warehouse.",
    (
        Column("run_id", "VARCHAR", "Dagster run id", contract=False),
        Column("loaded_at", "TIMESTAMP", "when the load committed", contract=False),
        Column("files_seen", "BIGINT", "files in the raw folder", contract=False),
        Column("files_parsed", "BIGINT", "new or changed files parsed", contract=False),
        Column("files_removed", "BIGINT", "files gone from the raw folder", contract=False),
        Column(
            "build",
            "VARCHAR",
            "fingerprint of the parser, schema and SQL models that built the warehouse",
            contract=False,
        ),
    ),
    (),
)
FETCH_LOG = TableSpec(
    "fetch_log",
    "Append-only history of every HTTP fetch the scraper made.",
    (
        Column("fetch_id", "VARCHAR", "unique id of the fetch (a UUID)", contract=False),
        Column("fetched_at", "TIMESTAMP", "when the response arrived (UTC)", contract=False),
        Column("source", "VARCHAR", "sources-file entry name", contract=False),
        Column("url", "VARCHAR", "requested URL", contract=False),
        Column("final_url", "VARCHAR", "URL after redirects", contract=False),
        Column("kind", "VARCHAR", "`list` page or `report` page", contract=False),
        Column("status", "INTEGER", "HTTP status, NULL when no response", contract=False),
        Column("outcome", "VARCHAR", "new, changed, unchanged, not_modified, failed, refused, skipped", contract=False),
        Column("etag", "VARCHAR", "ETag header", contract=False),
        Column("last_modified", "VARCHAR", "Last-Modified header", contract=False),
        Column("content_type", "VARCHAR", "Content-Type header", contract=False),
        Column("bytes", "BIGINT", "body size", contract=False),
        Column("content_sha256", "VARCHAR", "sha256 of the body", contract=False),
        Column("raw_path", "VARCHAR", "where the page is stored, relative to the raw folder", contract=False),
        Column("error", "VARCHAR", "what went wrong", contract=False),
        Column(
            "list_url",
            "VARCHAR",
            "report pages: the list page whose link led to this one (NULL for a URL the sources file names)",
            contract=False,
        ),
        Column(
            "link_text",
            "VARCHAR",
            "report pages: the link's anchor text on that list page (its title attribute when the text is cut short)",
            contract=False,
        ),
        Column(
            "listed_urls",
            "VARCHAR[]",
            "list pages: the report links the page listed, in page order (NULL when it could not be read)",
            contract=False,
        ),
    ),
    ("fetch_id",),
)
