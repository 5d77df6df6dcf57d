"""Publishing: the run's staging warehouse replaces the published file, atomically."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from assets.models import sql_models
from assets.resources import Warehouse
from assets.warehouse import warehouse_tables
from pipelines.warehouse.fetch_log import discard_loaded_fetch_logs
from pipelines.warehouse.integrity import row_counts
from pipelines.warehouse.load import connect
from pipelines.warehouse.publish import publish


@asset(group_name="publish", kinds={"duckdb"}, deps=[warehouse_tables, sql_models])
def published_warehouse(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    """The DuckDB file analysts query. Only when every asset and blocking check of the run
    has succeeded does the run's staging copy replace it, by an atomic rename: open
    readers keep the old state, new readers see the whole new one."""
    settings = warehouse.settings
    path = publish(settings, context.run_id)
    con = connect(path, read_only=True)
    try:
        counts = row_counts(con)
        discard_loaded_fetch_logs(con, settings.raw_dir)
    finally:
        con.close()
    context.log.info(f"published {path}")
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(path)),
            "size_bytes": path.stat().st_size,
            **{f"rows:{table}": n for table, n in counts.items()},
        }
    )
