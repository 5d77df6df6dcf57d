"""Warehouse: the parsed batches loaded into the run's staging copy, with integrity checks."""

import hashlib
from collections.abc import Iterator
from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    AssetIn,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from assets.checks import CHECK_SPECS, check_results
from assets.metadata import column_schema, preview
from assets.models import project_digest
from assets.parse import ParsedPages
from assets.resources import Warehouse
from pipelines.parse.parser import PARSER_VERSION
from pipelines.raw.fetch_log import pending_fetch_logs
from pipelines.warehouse.fetch_log import discard_loaded_fetch_logs, load_fetch_logs
from pipelines.warehouse.integrity import row_counts
from pipelines.warehouse.load import connect, last_build, load
from pipelines.warehouse.publish import (
    ensure_staging,
    publish,
    published,
)
from pipelines.warehouse.schema import TABLES


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
def warehouse_tables(
    context: AssetExecutionContext, warehouse: Warehouse, parsed: ParsedPages
) -> Iterator[MaterializeResult | AssetCheckResult]:
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
    summary = load(
        staging, partition_dirs, parsed.removed, run_id=context.run_id, files_seen=parsed.files_seen, build=build
    )
    con = connect(staging)
    try:
        fetches, problems = load_fetch_logs(con, settings.raw_dir)
        for problem in problems:
            context.log.warning(f"fetch log not loaded: {problem}")
        counts = row_counts(con)
        for name in TABLES:
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
    context.log.info(
        f"loaded: {summary.files_parsed} files parsed, {summary.files_touched} touched, {summary.files_removed} removed, {fetches} fetches logged"
    )
