"""`govreports` command line: build the warehouse without the UI, scrape one source or URL."""

import argparse
import os
import sys
from pathlib import Path

from pipelines.settings import PROJECT_DIR, Settings


def _dagster_home() -> Path:
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_DIR / ".dagster")))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n")
    return home


def run_warehouse() -> int:
    """Materialize every asset (the nightly job) once, and say what happened."""
    _dagster_home()
    from dagster import DagsterInstance, execute_job, reconstructable

    from assets.definitions import warehouse_job_def
    from pipelines.load import connect, row_counts

    settings = Settings.from_env()
    print(f"raw pages: {settings.raw_dir}\nwarehouse: {settings.warehouse}", flush=True)
    with DagsterInstance.get() as instance:
        result = execute_job(
            reconstructable(warehouse_job_def),
            instance=instance,
            run_config={"loggers": {"console": {"config": {"log_level": os.environ.get("GOVREPORTS_LOG_LEVEL", "INFO")}}}},
        )
        failures = [e for e in result.all_events if e.is_step_failure]
        failed_checks = [
            e.event_specific_data
            for e in result.all_events
            if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed  # type: ignore[union-attr]
        ]
    for check in failed_checks:
        level = "WARN " if check.severity.value == "WARN" else "ERROR"
        details = ", ".join(f"{k}={v.value}" for k, v in check.metadata.items())
        print(f"check {level} {check.asset_key.to_user_string()}:{check.check_name} failed ({details})")
    if not result.success:
        print("\nrun FAILED; the published warehouse was not changed.", file=sys.stderr)
        for event in failures:
            error = event.event_specific_data.error  # type: ignore[union-attr]
            print(f"  step {event.step_key}: {error.message.strip() if error else 'failed'}", file=sys.stderr)
        return 1
    con = connect(settings.warehouse, read_only=True)
    try:
        counts = row_counts(con)
        issues = con.execute("SELECT severity, code, count(*) FROM parse_issues GROUP BY ALL ORDER BY 1, 3 DESC").fetchall()
    finally:
        con.close()
    print("\npublished " + str(settings.warehouse))
    for table, n in counts.items():
        print(f"  {table:22} {n:>10,} rows")
    if issues:
        print("parse issues: " + ", ".join(f"{sev}/{code} {n}" for sev, code, n in issues))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="govreports", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="build the warehouse: scrape enabled sources, parse, load, SQL models, publish")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run_warehouse()
    return 2


if __name__ == "__main__":
    sys.exit(main())
