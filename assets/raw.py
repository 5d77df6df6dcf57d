"""Raw: scraped pages into the raw folder, and the raw folder's inventory (what this run must parse)."""

from collections.abc import Iterator

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetOut,
    DagsterRunStatus,
    MetadataValue,
    Output,
    RunsFilter,
    multi_asset,
)

from assets.resources import Warehouse
from pipelines.raw.scrape import scrape
from pipelines.raw.sources import load_sources
from pipelines.warehouse.damage import damage_message
from pipelines.warehouse.plan import RunPlan, plan_run
from pipelines.warehouse.publish import remove_abandoned_runs


def _scrape(context: AssetExecutionContext, warehouse: Warehouse) -> dict[str, str | int]:
    """Fetch the enabled sites' report pages into the raw folder: what happened, as metadata."""
    settings = warehouse.settings
    sources = [s for s in load_sources(settings.sources_file) if s.enabled]
    if not sources:
        return {"sources": 0, "note": f"no enabled source in {settings.sources_file}"}
    result = scrape(sources, settings.raw_dir, max_bytes=settings.max_page_bytes, log=context.log.info)
    failed = [s for s in result.sources if s.failed]
    for source in failed:
        context.log.warning(f"{source.name}: {source.failed} failed — {'; '.join(source.errors[:3])}")
    return {
        "sources": len(result.sources),
        "pages_seen": sum(s.pages_seen for s in result.sources),
        "new": sum(s.new for s in result.sources),
        "changed": sum(s.changed for s in result.sources),
        "unchanged": sum(s.unchanged for s in result.sources),
        "failed": sum(s.failed for s in result.sources),
        "failed_sources": ", ".join(s.name for s in failed) or "none",
    }


_IN_PROGRESS = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]


def _active_runs(context: AssetExecutionContext) -> set[str]:
    return {run.run_id for run in context.instance.get_runs(RunsFilter(statuses=_IN_PROGRESS))}


@multi_asset(
    outs={
        "scraped_pages": AssetOut(
            group_name="ingest",
            kinds={"python"},
            description="Report pages fetched from the enabled sites of the sources file into the raw "
            "folder (`_scraped/<host>/…`); unchanged pages cost a 304. A failing site is recorded, not fatal.",
        ),
        "raw_pages": AssetOut(
            group_name="ingest",
            kinds={"python"},
            is_required=False,
            description="The raw folder as an inventory: every page (dot-files skipped), and which are new, "
            "changed, re-read by a newer parser, or removed since the last published load. When nothing "
            "changed at all, the run ends here: no later step runs.",
        ),
    },
    internal_asset_deps={"raw_pages": {AssetKey("scraped_pages")}},
)
def scrape_and_plan(context: AssetExecutionContext, warehouse: Warehouse) -> Iterator[Output[None] | Output[RunPlan]]:
    """Scrape, then plan the run from the raw folder. One step, so that a run with nothing to
    do starts a single process before it ends."""
    yield Output(None, output_name="scraped_pages", metadata=_scrape(context, warehouse))
    settings = warehouse.settings
    remove_abandoned_runs(settings, keep=_active_runs(context))
    run_plan = plan_run(settings)
    files = run_plan.files
    if run_plan.damaged:
        context.log.warning(damage_message(settings, run_plan.damaged))
    if run_plan.nothing_changed:
        context.log.info(f"nothing changed since the published load ({files.files_seen} files): the run ends here")
        return
    yield Output(
        run_plan,
        output_name="raw_pages",
        metadata={
            "raw_dir": MetadataValue.path(str(settings.raw_dir)),
            "files_seen": files.files_seen,
            "to_parse": files.files_to_parse,
            "unchanged": files.unchanged,
            "removed": len(files.removed),
            "pending_fetch_logs": run_plan.pending_fetch_logs,
            "partitions": MetadataValue.json({k: len(v) for k, v in files.to_parse.items()}),
            "build": run_plan.build,
            "published_build": run_plan.published_build or "none",
            "published_damaged": run_plan.damaged or "no",
        },
    )
