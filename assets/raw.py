"""Raw: scraped pages into the raw folder, and the raw folder's inventory (what this run must parse)."""

from dagster import (
    AssetExecutionContext,
    DagsterRunStatus,
    MaterializeResult,
    MetadataValue,
    RunsFilter,
    asset,
)

from assets.resources import Warehouse
from pipelines.parse.parser import PARSER_VERSION
from pipelines.raw.inventory import Plan, plan
from pipelines.raw.scrape import scrape
from pipelines.raw.sources import load_sources
from pipelines.warehouse.load import known_files
from pipelines.warehouse.publish import (
    published,
    published_identity,
    remove_abandoned_runs,
)


@asset(group_name="ingest", kinds={"python"})
def scraped_pages(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    """Report pages fetched from the enabled sites of the sources file into the raw folder
    (`_scraped/<host>/…`); unchanged pages cost a 304. A failing site is recorded, not fatal."""
    settings = warehouse.settings
    sources = [s for s in load_sources(settings.sources_file) if s.enabled]
    if not sources:
        return MaterializeResult(metadata={"sources": 0, "note": f"no enabled source in {settings.sources_file}"})
    result = scrape(sources, settings.raw_dir, max_bytes=settings.max_page_bytes, log=context.log.info)
    failed = [s for s in result.sources if s.failed]
    for source in failed:
        context.log.warning(f"{source.name}: {source.failed} failed — {'; '.join(source.errors[:3])}")
    return MaterializeResult(
        metadata={
            "sources": len(result.sources),
            "pages_seen": sum(s.pages_seen for s in result.sources),
            "new": sum(s.new for s in result.sources),
            "changed": sum(s.changed for s in result.sources),
            "unchanged": sum(s.unchanged for s in result.sources),
            "failed": sum(s.failed for s in result.sources),
            "failed_sources": ", ".join(s.name for s in failed) or "none",
        }
    )


_IN_PROGRESS = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]


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
    context.add_output_metadata(
        {
            "raw_dir": MetadataValue.path(str(settings.raw_dir)),
            "files_seen": result.files_seen,
            "to_parse": result.files_to_parse,
            "unchanged": result.unchanged,
            "removed": len(result.removed),
            "partitions": MetadataValue.json({k: len(v) for k, v in result.to_parse.items()}),
            "parser_version": PARSER_VERSION,
        }
    )
    return result
