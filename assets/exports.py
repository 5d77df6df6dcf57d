"""Data products of the published warehouse: bulk Parquet/CSV exports and the chart report.

Both run after `published_warehouse` in the same run, so a run that changed nothing (it ends
after planning) leaves them as they were.
"""

from collections.abc import Iterator

from dagster import AssetExecutionContext, AssetKey, AssetOut, MetadataValue, Output, multi_asset

from assets.publish import published_warehouse
from assets.resources import Warehouse
from pipelines.chart_report import write_report
from pipelines.exports import CURRENT, export_warehouse, new_build_id
from pipelines.parse.version import PARSER_VERSION
from pipelines.warehouse.load import connect


@multi_asset(
    outs={
        "warehouse_exports": AssetOut(
            group_name="publish",
            kinds={"parquet", "csv"},
            description=(
                "Parquet and CSV of every table and model of the published warehouse, partitioned by year, "
                "with a manifest, in `exports/<build-id>/` beside the warehouse; `exports/current` then "
                "points at it (one previous build kept). Unchanged year partitions are hard-linked from the "
                "previous build, not written again."
            ),
        ),
        "chart_report": AssetOut(
            group_name="publish",
            kinds={"html"},
            description=(
                "A static HTML page of charts (applications and disclosure rate by province over the years, "
                "the spread of disclosure rates, the coverage matrix, timeliness), drawn as inline SVG from "
                "the published warehouse into the current export build: `exports/current/report.html`. It "
                "opens offline, from the file."
            ),
        ),
    },
    deps=[published_warehouse],
    internal_asset_deps={
        "warehouse_exports": {published_warehouse.key},
        "chart_report": {AssetKey("warehouse_exports")},
    },
)
def exports_and_charts(context: AssetExecutionContext, warehouse: Warehouse) -> Iterator[Output[None]]:
    """The bulk exports, then the chart report drawn into the new export build. One step:
    the report needs nothing but the build the exports just switched `current` to."""
    yield Output(None, output_name="warehouse_exports", metadata=_export(context, warehouse))
    yield Output(None, output_name="chart_report", metadata=_chart_report(context, warehouse))


def _export(context: AssetExecutionContext, warehouse: Warehouse) -> dict[str, object]:
    settings = warehouse.settings
    result = export_warehouse(
        settings.warehouse,
        settings.exports_dir,
        new_build_id(context.run_id),
        parser_version=PARSER_VERSION,
        connect=lambda path: connect(path, read_only=True),
    )
    context.log.info(
        f"exported {result.relations} tables and models to {result.folder}: {result.partitions_written} partitions "
        f"written, {result.partitions_reused} unchanged (linked)"
    )
    return {
        "build_id": result.build_id,
        "folder": MetadataValue.path(str(result.folder)),
        "current": MetadataValue.path(str(settings.exports_dir / CURRENT)),
        "manifest": MetadataValue.path(str(result.folder / "manifest.json")),
        "relations": result.relations,
        "partitions_written": result.partitions_written,
        "partitions_reused": result.partitions_reused,
        "files": result.files,
        "bytes": result.bytes,
        "removed_builds": ", ".join(result.removed_builds) or "none",
    }


def _chart_report(context: AssetExecutionContext, warehouse: Warehouse) -> dict[str, object]:
    settings = warehouse.settings
    build = (settings.exports_dir / CURRENT).resolve()
    con = connect(settings.warehouse, read_only=True)
    try:
        path = write_report(con, build, build_id=build.name, parser_version=PARSER_VERSION)
    finally:
        con.close()
    stable = settings.exports_dir / CURRENT / path.name
    context.log.info(f"chart report: {stable}")
    return {
        "report": MetadataValue.path(str(stable)),
        "open": MetadataValue.url(stable.as_uri()),
        "build_id": build.name,
        "bytes": path.stat().st_size,
    }
