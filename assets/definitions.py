"""The Dagster code location: `dagster dev` loads `defs` from here."""

import os

from dagster import Definitions

from assets.exports import exports_and_charts
from assets.models import dbt_resource, sql_models
from assets.parse import parsed_pages
from assets.publish import published_warehouse
from assets.raw import scrape_and_plan
from assets.resources import Warehouse
from assets.run_monitoring import recorded_multiprocess_executor
from assets.schedules import nightly_schedule, warehouse_job
from assets.sensors import raw_folder_sensor
from assets.warehouse import warehouse_tables

defs = Definitions(
    assets=[
        scrape_and_plan,
        parsed_pages,
        warehouse_tables,
        sql_models,
        published_warehouse,
        exports_and_charts,
    ],
    jobs=[warehouse_job],
    schedules=[nightly_schedule],
    sensors=[raw_folder_sensor],
    resources={"warehouse": Warehouse(), "dbt": dbt_resource},
    # One process per step, as many at once as there are cores. Steps fork from a server
    # that has imported this code location once, so a step starts in milliseconds. The
    # executor first records the run's process on the run (assets.run_monitoring).
    executor=recorded_multiprocess_executor.configured(
        {
            "max_concurrent": os.cpu_count() or 1,
            "start_method": {"forkserver": {"preload_modules": ["assets.step_server"]}},
        }
    ),
)


def warehouse_job_def():  # noqa: ANN201 - a JobDefinition, reconstructable by name
    """The warehouse job, for `execute_job(reconstructable(...))` (the `govreports run` command)."""
    return defs.resolve_job_def("warehouse_job")
