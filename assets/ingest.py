"""Ingest: scraped pages → the raw folder's inventory → parsed partitions → warehouse tables."""


import hashlib
import math
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    DagsterRunStatus,
    RunsFilter,
    AssetIn,
    AssetSpec,
    DynamicOut,
    DynamicOutput,
    MaterializeResult,
    MetadataValue,
    OpExecutionContext,
    asset,
    graph_asset,
    multi_asset,
    op,
)

from assets.checks import CHECK_SPECS, check_results
from assets.models import project_digest
from assets.metadata import column_schema, preview
from assets.resources import Warehouse
from pipelines import scrape
from pipelines.corpus import KnownFile, Plan, RawFile, plan
from pipelines.load import (
    connect,
    discard_loaded_fetch_logs,
    known_files,
    last_build,
    load,
    load_fetch_logs,
    row_counts,
)
from pipelines.parse import PARSER_VERSION
from pipelines.partitions import PartitionSummary, parse_partition
from pipelines.publish import ensure_staging, publish, published, published_identity, remove_abandoned_runs, run_dir
from pipelines.scrape import pending_fetch_logs
from pipelines.schema import TABLES


@asset(group_name="ingest", kinds={"python"})
def scraped_pages(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    """Report pages fetched from the enabled sites of the sources file into the raw folder
    (`_scraped/<host>/…`); unchanged pages cost a 304. A failing site is recorded, not fatal."""
    settings = warehouse.settings
    sources = [s for s in scrape.load_sources(settings.sources_file) if s.enabled]
    if not sources:
        return MaterializeResult(metadata={"sources": 0, "note": f"no enabled source in {settings.sources_file}"})
    result = scrape.scrape(sources, settings.raw_dir, max_bytes=settings.max_page_bytes, log=context.log.info)
    failed = [s for s in result.sources if s.failed]
    for source in failed:
        context.log.warning(f"{source.name}: {source.failed} failed — {'; '.join(source.errors[:3])}")
    return MaterializeResult(metadata={
        "sources": len(result.sources),
        "pages_seen": sum(s.pages_seen for s in result.sources),
        "new": sum(s.new for s in result.sources),
        "changed": sum(s.changed for s in result.sources),
        "unchanged": sum(s.unchanged for s in result.sources),
        "failed": sum(s.failed for s in result.sources),
        "failed_sources": ", ".join(s.name for s in failed) or "none",
    })


_IN_PROGRESS = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]


def _active_runs(context: AssetExecutionContext) -> set[str]:
    return {run.run_id for run in context.instance.get_runs(RunsFilter(statuses=_IN_PROGRESS))}


@asset(group_name="ingest", kinds={"python"}, deps=[scraped_pages])
def raw_pages(context: AssetExecutionContext, warehouse: Warehouse) -> Plan:
    """The raw folder as an inventory: every page (dot-files skipped), and which are new,
    changed, re-read by a newer parser, or removed since the last published load."""
    settings = warehouse.settings
    remove_abandoned_runs(settings, keep=_active_runs(context))
    planned_on = published_identity(settings)
    with published(settings) as con:
        known = known_files(con) if con is not None else {}
    result = plan(settings.raw_dir, known, PARSER_VERSION, settings.parse_buckets)
    result.planned_on = planned_on
    context.add_output_metadata({
        "raw_dir": MetadataValue.path(str(settings.raw_dir)),
        "files_seen": result.files_seen,
        "to_parse": result.files_to_parse,
        "unchanged": result.unchanged,
        "removed": len(result.removed),
        "partitions": MetadataValue.json({k: len(v) for k, v in result.to_parse.items()}),
        "parser_version": PARSER_VERSION,
    })
    return result


@dataclass(frozen=True)
class PartitionWork:
    """The files of one parse partition and what was last loaded for them."""

    key: str
    files: list[RawFile]
    previous: dict[str, KnownFile] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedPages:
    """What the partitions did, where they wrote their Parquet batches, and what the
    loader needs of the plan (not the plan itself: its file list grows with the corpus)."""

    summaries: list[PartitionSummary]
    removed: list[str]
    files_seen: int
    planned_on: tuple[int, int, int] | None


# Partitions with this many pages to parse on average get a step each; fewer pages are
# grouped into at most one step per core, and a handful (SMALL_STEP_PAGES) into one step:
# a step costs a process start, which a small incremental run should not pay eight times.
OWN_STEP_PAGES = 1000
SMALL_STEP_PAGES = 100


def step_count(partitions: int, pages: int, cores: int) -> int:
    """How many parse steps to spread `pages` in `partitions` over."""
    if pages >= partitions * OWN_STEP_PAGES:
        return partitions
    return max(1, min(partitions, cores, math.ceil(pages / SMALL_STEP_PAGES)))


@op(out=DynamicOut(list))
def partition_work(raw_pages: Plan) -> Iterator[DynamicOutput[list[PartitionWork]]]:
    """The partitions (source and hash bucket) that have pages to parse, one step each —
    or several to a step when there are too few pages to keep a process busy."""
    works = [
        PartitionWork(key, files, {f.raw_path: raw_pages.previous[f.raw_path] for f in files if f.raw_path in raw_pages.previous})
        for key, files in raw_pages.to_parse.items()
    ]
    steps = step_count(len(works), raw_pages.files_to_parse, os.cpu_count() or 1)
    for group in (works[i::steps] for i in range(steps)):
        if group:
            yield DynamicOutput(group, mapping_key=group[0].key)


@op
def parse_partition_pages(context: OpExecutionContext, warehouse: Warehouse, works: list[PartitionWork]) -> list[PartitionSummary]:
    """Parse partitions' pages into Parquet batches (no warehouse access: runs anywhere)."""
    settings = warehouse.settings
    summaries = []
    for work in works:
        output_dir = run_dir(settings, context.run_id) / "parsed" / work.key
        shutil.rmtree(output_dir, ignore_errors=True)  # a retried step starts clean
        summary = parse_partition(
            work.key, work.files, settings.raw_dir, output_dir, work.previous,
            max_bytes=settings.max_page_bytes, batch_size=settings.batch_size,
        )
        context.log.info(f"{work.key}: {summary.files} files, {summary.reports} reports, {summary.not_reports} not reports, {summary.touched_only} unchanged bytes")
        summaries.append(summary)
    return summaries


@op
def parse_summary(context: OpExecutionContext, raw_pages: Plan, steps: list[list[PartitionSummary]]) -> ParsedPages:
    """Gather the partitions' results."""
    summaries: list[PartitionSummary] = [summary for step in steps for summary in step]
    context.add_output_metadata({
        "partitions": len(summaries),
        "files": sum(s.files for s in summaries),
        "parsed": sum(s.parsed for s in summaries),
        "reports": sum(s.reports for s in summaries),
        "not_reports": sum(s.not_reports for s in summaries),
        "issue_codes": MetadataValue.json(_merge_counts(s.issue_codes for s in summaries)),
    })
    return ParsedPages(sorted(summaries, key=lambda s: s.partition_key), raw_pages.removed, raw_pages.files_seen, raw_pages.planned_on)


def _merge_counts(counts: Iterable[dict[str, int]]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for count in counts:
        for code, n in count.items():
            merged[code] = merged.get(code, 0) + n
    return dict(sorted(merged.items()))


@graph_asset(group_name="ingest")
def parsed_pages(raw_pages: Plan) -> ParsedPages:
    """The new and changed pages parsed into the rows of every warehouse table, one
    step per partition (source and a stable hash bucket of the source URI), in parallel."""
    return parse_summary(raw_pages, partition_work(raw_pages).map(parse_partition_pages).collect())


def _publish_fetch_logs(context: AssetExecutionContext, warehouse: Warehouse, parsed: ParsedPages) -> None:
    """Append pending fetch records to the published warehouse, through a staging copy."""
    settings = warehouse.settings
    con = connect(ensure_staging(settings, context.run_id, parsed.planned_on))
    try:
        fetches, problems = load_fetch_logs(con, settings.raw_dir)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    for problem in problems:
        context.log.warning(f"fetch log not loaded: {problem}")
    publish(settings, context.run_id)
    with published(settings) as con:
        discard_loaded_fetch_logs(con, settings.raw_dir)
    context.log.info(f"appended {fetches} fetch records to the published fetch_log")


def build_fingerprint() -> str:
    """What builds the warehouse: the parser version, the table schema and the SQL models."""
    digest = hashlib.sha256(PARSER_VERSION.encode())
    digest.update("".join(spec.ddl() for spec in TABLES.values()).encode())
    digest.update(project_digest().encode())
    return digest.hexdigest()[:16]


@multi_asset(
    specs=[
        AssetSpec(
            name,
            description=spec.description,
            group_name="warehouse",
            kinds={"duckdb"},
            deps=["raw_pages", "parsed_pages"],
            skippable=True,
            metadata={"dagster/column_schema": column_schema(spec), "dagster/table_name": name},
        )
        for name, spec in TABLES.items()
    ],
    check_specs=CHECK_SPECS,
    ins={"parsed": AssetIn("parsed_pages")},
    name="warehouse_tables",
)
def warehouse_tables(context: AssetExecutionContext, warehouse: Warehouse, parsed: ParsedPages) -> Iterator[MaterializeResult | AssetCheckResult]:
    """Load the parsed partitions into the run's staging warehouse (the single writer),
    replacing the rows of changed and removed files, then check the pipeline's integrity.
    When no table changes — no page changed, nor the parser, schema or SQL models that
    built the published warehouse — the tables are checked and left as they are, and
    the models and publish steps are skipped; only new scraper fetch records, if any,
    are appended to the published file's fetch_log (a staging copy, renamed into place)."""
    settings = warehouse.settings
    build = build_fingerprint()
    if not parsed.summaries and not parsed.removed:
        with published(settings) as con:
            unchanged = con is not None and last_build(con) == build
        if unchanged:
            context.log.info("no table changed since the published load")
            if pending_fetch_logs(settings.raw_dir):
                _publish_fetch_logs(context, warehouse, parsed)
            with published(settings) as con:
                yield from check_results(con)
            return
    staging = ensure_staging(settings, context.run_id, parsed.planned_on)
    partition_dirs = [Path(s.output_dir) for s in parsed.summaries]
    summary = load(staging, partition_dirs, parsed.removed, run_id=context.run_id, files_seen=parsed.files_seen, build=build)
    con = connect(staging)
    try:
        fetches, problems = load_fetch_logs(con, settings.raw_dir)
        for problem in problems:
            context.log.warning(f"fetch log not loaded: {problem}")
        counts = row_counts(con)
        for name, spec in TABLES.items():
            yield MaterializeResult(
                asset_key=name,
                metadata={
                    "dagster/row_count": counts[name],
                    "rows_inserted_this_run": summary.rows_inserted.get(name, 0),
                    "preview": preview(con, name),
                    "warehouse": MetadataValue.path(str(settings.warehouse)),
                },
            )
        yield from check_results(con)
    finally:
        con.close()
    context.log.info(f"loaded: {summary.files_parsed} files parsed, {summary.files_touched} touched, {summary.files_removed} removed, {fetches} fetches logged")
