"""The nightly schedule and the job it runs."""

from dagster import AssetSelection, ScheduleDefinition, define_asset_job

warehouse_job = define_asset_job(
    "warehouse_job",
    selection=AssetSelection.all(),
    description="Scrape, parse, load, build the SQL models and publish the warehouse.",
)

nightly_schedule = ScheduleDefinition(
    name="nightly_warehouse",
    job=warehouse_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    description="Every night at 02:00 Beijing time: the whole warehouse, incrementally.",
)
