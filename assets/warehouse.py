"""Warehouse: the parsed batches loaded into the run's staging copy, with integrity checks."""

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
from assets.failures import explained_failures
from assets.metadata import column_schema, preview
from assets.parse import ParsedPages
from assets.pause import pause_if_asked
from assets.resources import Warehouse
from pipelines.settings import Settings
from pipelines.warehouse.damage import damage_message
from pipelines.warehouse.fetch_log import load_fetch_logs
from pipelines.warehouse.integrity import row_counts
from pipelines.warehouse.load import LoadSummary, connect, load
from pipelines.warehouse.publish import ensure_staging
from pipelines.warehouse.schema import FETCH_LOG, TABLES


@multi_asset(
    specs=[
        AssetSpec(
            name,
            description=spec.description,
            group_name="warehouse",
            kinds={"duckdb"},
            deps=["raw_pages", "parsed_pages"],
            metadata={"dagster/column_schema": column_schema(spec), "dagster/table_name": name},
        )
        for name, spec in {**TABLES, FETCH_LOG.name: FETCH_LOG}.items()
    ],
    check_specs=CHECK_SPECS,
    ins={"parsed": AssetIn("parsed_pages")},
    name="warehouse_tables",
)
def warehouse_tables(
    context: AssetExecutionContext, warehouse: Warehouse, parsed: ParsedPages
) -> Iterator[MaterializeResult | AssetCheckResult]:
    """Load the parsed partitions and the scraper's pending fetch records (fetch_log) into the run's
    staging warehouse (the single writer), replacing the rows of changed and removed
    files, then check the pipeline's integrity. The published file is not touched."""
    settings = warehouse.settings
    pause_if_asked("load")
    if parsed.damaged:
        context.log.warning(damage_message(settings, parsed.damaged))
    with explained_failures(settings, context.run_id, "loading the warehouse", parsed.damaged):
        staging = ensure_staging(settings, context.run_id, parsed.planned_on, damaged=parsed.damaged)
        partition_dirs = [Path(s.output_dir) for s in parsed.summaries]
        summary = load(
            staging,
            partition_dirs,
            parsed.removed,
            run_id=context.run_id,
            files_seen=parsed.files_seen,
            build=parsed.build,
        )
        results = _fetch_logs_and_checks(context, settings, staging, summary)
    yield from results


def _fetch_logs_and_checks(
    context: AssetExecutionContext, settings: Settings, staging: Path, summary: LoadSummary
) -> list[MaterializeResult | AssetCheckResult]:
    """Append the pending fetch records, then the tables' materializations and the integrity checks."""
    con = connect(staging)
    try:
        fetches, problems = load_fetch_logs(con, settings.raw_dir)
        for problem in problems:
            context.log.warning(f"fetch log not loaded: {problem}")
        counts = row_counts(con, (*TABLES, FETCH_LOG.name))
        results: list[MaterializeResult | AssetCheckResult] = [
            MaterializeResult(
                asset_key=name,
                metadata={
                    "dagster/row_count": counts[name],
                    "rows_inserted_this_run": summary.rows_inserted.get(name, 0),
                    "preview": preview(con, name),
                    "warehouse": MetadataValue.path(str(settings.warehouse)),
                },
            )
            for name in (*TABLES, FETCH_LOG.name)
        ]
        results += list(check_results(con))
    finally:
        con.close()
    context.log.info(
        f"loaded: {summary.files_parsed} files parsed, {summary.files_touched} touched, "
        f"{summary.files_removed} removed, {fetches} fetches logged"
        + (
            f"; rewritten to drop deleted rows: {', '.join(summary.tables_compacted)}"
            if summary.tables_compacted
            else ""
        )
    )
    return results
