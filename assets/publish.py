"""Publishing: the run's staging warehouse replaces the published file, atomically."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from assets.failures import explained_failures
from assets.models import sql_models
from assets.pause import pause_if_asked
from assets.resources import Warehouse
from assets.warehouse import warehouse_tables
from pipelines.warehouse.damage import LOST_WITH_IT, clear_damage_mark
from pipelines.warehouse.fetch_log import discard_loaded_fetch_logs
from pipelines.warehouse.integrity import row_counts
from pipelines.warehouse.load import connect
from pipelines.warehouse.publish import publish


@asset(group_name="publish", kinds={"duckdb"}, deps=[warehouse_tables, sql_models])
def published_warehouse(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    """The DuckDB file analysts query. Only when every asset and blocking check of the run
    has succeeded does the run's staging copy replace it, by an atomic rename: open
    readers keep the old state, new readers see the whole new one. This is the only
    step that writes the published file."""
    pause_if_asked("publish")
    settings = warehouse.settings
    with explained_failures(settings, context.run_id, "publishing"):
        published = publish(settings, context.run_id)
    if published.set_aside:
        clear_damage_mark(settings)
        context.log.warning(
            f"the damaged warehouse was set aside as {published.set_aside} and replaced by a rebuild from the "
            f"raw folder; lost with it: {LOST_WITH_IT}"
        )
    con = connect(published.path, read_only=True)
    try:
        counts = row_counts(con)
        discard_loaded_fetch_logs(con, settings.raw_dir)
    finally:
        con.close()
    context.log.info(f"published {published.path}")
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(published.path)),
            "size_bytes": published.path.stat().st_size,
            "damaged_file_set_aside": MetadataValue.path(str(published.set_aside)) if published.set_aside else "none",
            **{f"rows:{table}": n for table, n in counts.items()},
        }
    )
