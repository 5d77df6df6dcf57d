"""`govreports` command line: build the warehouse without the UI, scrape one source or URL."""

import argparse
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from assets.instance_config import InstanceConfigConflict
from assets.run_command import configure_dagster_home, prepare_dbt_manifest, run_warehouse
from pipelines.settings import PROJECT_DIR, Settings


def prepare() -> int:
    """What a run needs before the code location loads: the instance's dagster.yaml keys,
    and the dbt manifest when sql/ changed since it was parsed."""
    try:
        added = configure_dagster_home()
    except InstanceConfigConflict as conflict:
        print(f"error: {conflict}", file=sys.stderr)
        return 2
    if added:
        print(f"dagster.yaml: added {', '.join(added)}")
    prepare_dbt_manifest(Settings.from_env())
    return 0


FIXTURES = PROJECT_DIR / "tests" / "fixtures"
# What `make eval` reads: the fixture documents of the embedded corpus, and the scans
# (kept out of data/raw: OCR takes seconds a page), each folder with its truth files.
EVAL_SOURCES = [(PROJECT_DIR / "data" / "raw" / "fixtures", FIXTURES), (FIXTURES / "scans", FIXTURES / "scans")]


def evaluate_accuracy(sources: list[tuple[Path, Path]], warehouse: Path | None) -> int:
    """Build a warehouse from the sources' documents through the normal run (unless one is
    given) and print field-level accuracy, per format and in total, against their truth files."""
    from pipelines.evaluate import evaluate, format_report

    if warehouse is None:
        scratch = Path(tempfile.mkdtemp(prefix="govreports-eval-"))
        raw = scratch / "raw"
        for folder, _truth in sources:
            for path in sorted(
                p for p in folder.iterdir() if p.is_file() and not p.name.endswith((".json", ".md", ".py"))
            ):
                raw.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, raw / path.name)
        warehouse = scratch / "warehouse.duckdb"
        os.environ.update(
            {
                "GOVREPORTS_RAW_DIR": str(raw),
                "GOVREPORTS_WAREHOUSE": str(warehouse),
                "GOVREPORTS_SOURCES": str(scratch / "no-sources.toml"),
                "DAGSTER_HOME": str(scratch / "dagster"),
            }
        )
        if run_warehouse() != 0:
            return 1
    print()
    print(format_report([result for _folder, truth in sources for result in evaluate(warehouse, truth)]))
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
    evaluation.add_argument("--raw", type=Path, help="documents to build from (default: the fixtures and scans)")
    evaluation.add_argument("--truth", type=Path, help="their truth files (default: beside each fixture folder)")
    evaluation.add_argument("--warehouse", type=Path, help="evaluate this warehouse instead of building one")
    scraping = commands.add_parser("scrape", help="fetch report pages of one source, or one page, into the raw folder")
    target = scraping.add_mutually_exclusive_group(required=True)
    target.add_argument("--source", help="name of a [[sources]] entry (fetched even if not enabled)")
    target.add_argument("--url", help="a single report page; its host is the only one contacted")
    scraping.add_argument("--sources", type=Path, help="sources file (default $GOVREPORTS_SOURCES or sources.toml)")
    commands.add_parser(
        "prepare", help="the Dagster instance's configuration and the dbt manifest (make install runs it)"
    )
    args = parser.parse_args(argv)
    if args.command == "run":
        return _exit_now(run_warehouse())
    if args.command == "eval":
        sources = [(args.raw, args.truth or args.raw)] if args.raw else EVAL_SOURCES
        return evaluate_accuracy(sources, args.warehouse)
    if args.command == "scrape":
        return scrape_pages(args.source, args.sources, args.url)
    if args.command == "prepare":
        return prepare()
    return 2


if __name__ == "__main__":
    sys.exit(main())
