"""Asset checks on the warehouse tables.

Pipeline integrity (every raw file accounted for, no duplicate keys, contract
columns present) is blocking: a failure stops the run before anything is
published. A report's own arithmetic is data, reported as WARN metadata.
"""

from collections.abc import Iterator

import duckdb
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec

from pipelines.warehouse.integrity import (
    duplicate_keys,
    failing_reports,
    files_not_reports,
    issue_counts,
    missing_contract_columns,
    unaccounted_files,
)
from pipelines.warehouse.schema import TABLES

CHECK_SPECS: list[AssetCheckSpec] = [
    AssetCheckSpec(
        "every_raw_file_accounted_for",
        asset="parse_issues",
        blocking=True,
        description="Every file of the raw folder has a reports row or a parse_issues row: nothing is dropped silently.",
    ),
    *[
        AssetCheckSpec(
            "unique_keys",
            asset=name,
            blocking=True,
            description=f"No two rows of {name} share the key ({', '.join(spec.key)}).",
        )
        for name, spec in TABLES.items()
        if spec.key
    ],
    AssetCheckSpec(
        "contract_columns_present",
        asset="reports",
        blocking=True,
        description="Every table and column of SCHEMA.md (the public contract) exists.",
    ),
    AssetCheckSpec(
        "reports_consistent",
        asset="report_checks",
        description="Reports whose numbers break an identity of their own tables (WARN: the reports still load).",
    ),
    AssetCheckSpec(
        "pages_readable",
        asset="parse_issues",
        description="Files that did not become a report (WARN: each has a parse_issues row saying why).",
    ),
]


def check_results(con: duckdb.DuckDBPyConnection) -> Iterator[AssetCheckResult]:
    """Run every check of CHECK_SPECS against a warehouse."""
    lost, examples = unaccounted_files(con)
    yield AssetCheckResult(
        check_name="every_raw_file_accounted_for",
        asset_key="parse_issues",
        passed=lost == 0,
        metadata={"unaccounted_files": lost, "examples": ", ".join(examples)},
    )
    duplicates = duplicate_keys(con)
    for name, spec in TABLES.items():
        if spec.key:
            yield AssetCheckResult(
                check_name="unique_keys",
                asset_key=name,
                passed=name not in duplicates,
                metadata={"duplicated_keys": duplicates.get(name, 0)},
            )
    missing = missing_contract_columns(con)
    yield AssetCheckResult(
        check_name="contract_columns_present",
        asset_key="reports",
        passed=not missing,
        metadata={"missing": "; ".join(f"{t}: {', '.join(c)}" for t, c in missing.items()) or "none"},
    )
    failing, checked, by_rule = failing_reports(con)
    yield AssetCheckResult(
        check_name="reports_consistent",
        asset_key="report_checks",
        passed=failing == 0,
        severity=AssetCheckSeverity.WARN,
        metadata={
            "failing_reports": failing,
            "checked_reports": checked,
            **{f"failing:{rule}": n for rule, n in by_rule.items()},
        },
    )
    not_reports = files_not_reports(con)
    yield AssetCheckResult(
        check_name="pages_readable",
        asset_key="parse_issues",
        passed=not_reports == 0,
        severity=AssetCheckSeverity.WARN,
        metadata={"files_not_reports": not_reports, **{f"{sev}:{code}": n for sev, code, n in issue_counts(con)}},
    )
