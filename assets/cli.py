"""`govreports` command line: build the warehouse without the UI, scrape one source or URL."""

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

from pipelines.settings import PROJECT_DIR, Settings


def _dagster_home() -> Path:
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_DIR / ".dagster")))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():  # as the Makefile writes it
        config.write_text("telemetry:\n  enabled: false\nrun_queue:\n  max_concurrent_runs: 1\n")
    return home


def _start_step_server() -> None:
    """Start the executor's step server now, so that it imports the code location while
    this process does the same (the executor finds it running and forks its steps from it)."""
    import multiprocessing
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(["assets.step_server"])
    forkserver.ensure_running()


def _prepare_dbt_manifest(settings: Settings) -> None:
    """Parse the dbt project again when sql/ changed since its manifest was written."""
    from assets.dbt_manifest import manifest_is_stale, prepare_manifest

    if manifest_is_stale():
        print("sql/ changed: parsing the dbt project", flush=True)
        prepare_manifest(settings)


def run_warehouse() -> int:
    """Materialize every asset (the nightly job) once, and say what happened."""
    _dagster_home()
    settings = Settings.from_env()
    _prepare_dbt_manifest(settings)
    _start_step_server()
    from dagster import DagsterInstance, execute_job, reconstructable

    from assets.definitions import warehouse_job_def
    from pipelines.warehouse.integrity import issue_counts, row_counts
    from pipelines.warehouse.load import connect

    print(f"raw pages: {settings.raw_dir}\nwarehouse: {settings.warehouse}", flush=True)
    with DagsterInstance.get() as instance:
        result = execute_job(
            reconstructable(warehouse_job_def),
            instance=instance,
            run_config={
                "loggers": {"console": {"config": {"log_level": os.environ.get("GOVREPORTS_LOG_LEVEL", "INFO")}}}
            },
        )
        failures = [e for e in result.all_events if e.is_step_failure]
        skipped = {e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"}
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
        issues = issue_counts(con)
    finally:
        con.close()
    if "published_warehouse" in skipped:
        print(f"\nnothing changed since the last run: {settings.warehouse} is as it was")
    else:
        print("\npublished " + str(settings.warehouse))
    for table, n in counts.items():
        print(f"  {table:22} {n:>10,} rows")
    if issues:
        print("parse issues: " + ", ".join(f"{sev}/{code} {n}" for sev, code, n in issues))
    return 0


def evaluate_accuracy(raw_dir: Path, truth_dir: Path, warehouse: Path | None) -> int:
    """Build a warehouse from `raw_dir` through the normal run (unless one is given) and
    print field-level accuracy against the truth files."""
    from pipelines.evaluate import evaluate, format_report

    if warehouse is None:
        scratch = Path(tempfile.mkdtemp(prefix="govreports-eval-"))
        warehouse = scratch / "warehouse.duckdb"
        os.environ.update(
            {
                "GOVREPORTS_RAW_DIR": str(raw_dir.resolve()),
                "GOVREPORTS_WAREHOUSE": str(warehouse),
                "GOVREPORTS_SOURCES": str(scratch / "no-sources.toml"),
                "DAGSTER_HOME": str(scratch / "dagster"),
            }
        )
        if run_warehouse() != 0:
            return 1
    print()
    print(format_report(evaluate(warehouse, truth_dir)))
    return 0


def scrape_pages(source_name: str | None, sources_file: Path | None, url: str | None) -> int:
    """Fetch one source of the sources file (enabled or not), or one report page, into the
    raw folder, and say what happened."""
    from pipelines.raw.scrape import scrape
    from pipelines.raw.sources import SourceError, load_sources, page_source

    settings = Settings.from_env()
    try:
        if url is not None:
            sources = [page_source(url)]
        else:
            path = sources_file or settings.sources_file
            available = load_sources(path)
            sources = [s for s in available if s.name == source_name]
            if not sources:
                names = ", ".join(s.name for s in available) or "none"
                print(f"no source named {source_name!r} in {path} (sources: {names})", file=sys.stderr)
                return 2
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = scrape(sources, settings.raw_dir, max_bytes=settings.max_page_bytes)
    print()
    for source in result.sources:
        print(
            f"{source.name}: {source.pages_seen} report pages: {source.new} new, {source.changed} changed, "
            f"{source.unchanged} unchanged, {source.failed} failed"
        )
        for error in source.errors[:20]:
            print(f"  {error}")
        if len(source.errors) > 20:
            print(f"  … and {len(source.errors) - 20} more (see the fetch log)")
    print(
        f"pages are in {settings.raw_dir / '_scraped'}; `make run` (or `govreports run`) parses them into the warehouse."
    )
    return 1 if any(s.failed for s in result.sources) else 0


def _exit_now(code: int) -> int:
    """End the process once the run is over and its output flushed, without the
    interpreter's teardown of every module Dagster and dbt imported (nothing is left
    open: the instance and the warehouse connections are closed)."""
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="govreports", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="build the warehouse: scrape enabled sources, parse, load, SQL models, publish")
    evaluation = commands.add_parser("eval", help="accuracy of the parser on pages with hand-checked answers")
    evaluation.add_argument(
        "--raw", type=Path, default=PROJECT_DIR / "data" / "raw" / "fixtures", help="pages to build from"
    )
    evaluation.add_argument(
        "--truth", type=Path, default=PROJECT_DIR / "tests" / "fixtures", help="folder of NNN.truth.json"
    )
    evaluation.add_argument("--warehouse", type=Path, help="evaluate this warehouse instead of building one")
    scraping = commands.add_parser("scrape", help="fetch report pages of one source, or one page, into the raw folder")
    target = scraping.add_mutually_exclusive_group(required=True)
    target.add_argument("--source", help="name of a [[sources]] entry (fetched even if not enabled)")
    target.add_argument("--url", help="a single report page; its host is the only one contacted")
    scraping.add_argument("--sources", type=Path, help="sources file (default $GOVREPORTS_SOURCES or sources.toml)")
    commands.add_parser("prepare", help="parse the dbt project into sql/target (make install runs it)")
    args = parser.parse_args(argv)
    if args.command == "run":
        return _exit_now(run_warehouse())
    if args.command == "eval":
        return evaluate_accuracy(args.raw, args.truth, args.warehouse)
    if args.command == "scrape":
        return scrape_pages(args.source, args.sources, args.url)
    if args.command == "prepare":
        from assets.dbt_manifest import prepare_manifest

        prepare_manifest(Settings.from_env())
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
