"""Parse: the new and changed pages into Parquet batches, one step per partition, in parallel."""

import math
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from dagster import (
    DynamicOut,
    DynamicOutput,
    MetadataValue,
    OpExecutionContext,
    graph_asset,
    op,
)

from assets.failures import explained_failures
from assets.pause import pause_if_asked
from assets.resources import Warehouse
from pipelines.raw.inventory import KnownFile, RawFile
from pipelines.warehouse.partition_summary import PartitionSummary
from pipelines.warehouse.plan import RunPlan
from pipelines.warehouse.publish import Identity
from pipelines.warehouse.workspace import run_dir


@dataclass(frozen=True)
class PartitionWork:
    """The files of one parse partition and what was last loaded for them."""

    key: str
    files: list[RawFile]
    previous: dict[str, KnownFile] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedPages:
    """What the partitions did, where they wrote their Parquet batches, and what the
    loader needs of the plan (not the plan itself: its file list grows with the corpus)."""

    summaries: list[PartitionSummary]
    removed: list[str]
    files_seen: int
    planned_on: Identity | None
    build: str
    damaged: str | None  # why the published file cannot be read: the run starts from an empty warehouse


# Partitions with this many pages to parse on average get a step each; fewer pages are
# grouped into at most one step per core, and a handful (SMALL_STEP_PAGES) into one step:
# a step costs a process start, which a small incremental run should not pay eight times.
OWN_STEP_PAGES = 1000
SMALL_STEP_PAGES = 100


def step_count(partitions: int, pages: int, cores: int) -> int:
    """How many parse steps to spread `pages` in `partitions` over."""
    if pages >= partitions * OWN_STEP_PAGES:
        return partitions
    return max(1, min(partitions, cores, math.ceil(pages / SMALL_STEP_PAGES)))


@op(out=DynamicOut(list))
def partition_work(raw_pages: RunPlan) -> Iterator[DynamicOutput[list[PartitionWork]]]:
    """The partitions (source and hash bucket) that have pages to parse, one step each —
    or several to a step when there are too few pages to keep a process busy."""
    plan = raw_pages.files
    works = [
        PartitionWork(key, files, {f.raw_path: plan.previous[f.raw_path] for f in files if f.raw_path in plan.previous})
        for key, files in plan.to_parse.items()
    ]
    steps = step_count(len(works), plan.files_to_parse, os.cpu_count() or 1)
    for group in (works[i::steps] for i in range(steps)):
        if group:
            yield DynamicOutput(group, mapping_key=group[0].key)


@op
def parse_partition_pages(
    context: OpExecutionContext, warehouse: Warehouse, works: list[PartitionWork]
) -> list[PartitionSummary]:
    """Parse partitions' pages into Parquet batches (no warehouse access: runs anywhere)."""
    from pipelines.warehouse.batches import parse_partition  # the parser: imported by the steps that parse

    settings = warehouse.settings
    pause_if_asked("parse")
    summaries = []
    for work in works:
        output_dir = run_dir(settings, context.run_id) / "parsed" / work.key
        shutil.rmtree(output_dir, ignore_errors=True)  # a retried step starts clean
        with explained_failures(settings, context.run_id, "parsing"):
            summary = parse_partition(
                work.key,
                work.files,
                settings.raw_dir,
                output_dir,
                work.previous,
                max_bytes=settings.max_page_bytes,
                batch_size=settings.batch_size,
            )
        context.log.info(
            f"{work.key}: {summary.files} files, {summary.reports} reports, {summary.not_reports} not reports, {summary.touched_only} unchanged bytes"
        )
        summaries.append(summary)
    return summaries


@op
def parse_summary(context: OpExecutionContext, raw_pages: RunPlan, steps: list[list[PartitionSummary]]) -> ParsedPages:
    """Gather the partitions' results."""
    summaries: list[PartitionSummary] = [summary for step in steps for summary in step]
    context.add_output_metadata(
        {
            "partitions": len(summaries),
            "files": sum(s.files for s in summaries),
            "parsed": sum(s.parsed for s in summaries),
            "reports": sum(s.reports for s in summaries),
            "not_reports": sum(s.not_reports for s in summaries),
            "issue_codes": MetadataValue.json(_merge_counts(s.issue_codes for s in summaries)),
        }
    )
    return ParsedPages(
        summaries=sorted(summaries, key=lambda s: s.partition_key),
        removed=raw_pages.files.removed,
        files_seen=raw_pages.files.files_seen,
        planned_on=raw_pages.planned_on,
        build=raw_pages.build,
        damaged=raw_pages.damaged,
    )


def _merge_counts(counts: Iterable[dict[str, int]]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for count in counts:
        for code, n in count.items():
            merged[code] = merged.get(code, 0) + n
    return dict(sorted(merged.items()))


@graph_asset(group_name="ingest")
def parsed_pages(raw_pages: RunPlan) -> ParsedPages:
    """The new and changed pages parsed into the rows of every warehouse table, one
    step per partition (source and a stable hash bucket of the source URI), in parallel."""
    return parse_summary(raw_pages, partition_work(raw_pages).map(parse_partition_pages).collect())
