"""Asset checks on the warehouse tables.

Pipeline integrity (every raw file accounted for, no duplicate keys, contract
columns present) is blocking: a failure stops the run before anything is
published. A report's own arithmetic is data, reported as WARN metadata.
"""


from collections.abc import Iterator

import duckdb
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec

from pipelines.load import duplicate_keys, missing_contract_columns, unaccounted_files
from pipelines.schema import TABLES

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


def evaluate(con: duckdb.DuckDBPyConnection) -> Iterator[AssetCheckResult]:
    """Run every check of CHECK_SPECS against a warehouse."""
    lost = unaccounted_files(con)
    yield AssetCheckResult(
        check_name="every_raw_file_accounted_for",
        asset_key="parse_issues",
        passed=not lost,
        metadata={"unaccounted_files": len(lost), "examples": ", ".join(lost[:5])},
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
    failing, checked = con.execute(
        "SELECT count(DISTINCT report_id) FILTER (WHERE NOT passed), count(DISTINCT report_id) FROM report_checks"
    ).fetchone() or (0, 0)
    by_rule = con.execute(
        "SELECT split_part(check_name, ':', 1) AS rule, count(DISTINCT report_id) FROM report_checks WHERE NOT passed GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    yield AssetCheckResult(
        check_name="reports_consistent",
        asset_key="report_checks",
        passed=failing == 0,
        severity=AssetCheckSeverity.WARN,
        metadata={"failing_reports": int(failing), "checked_reports": int(checked), **{f"failing:{rule}": int(n) for rule, n in by_rule}},
    )
    not_reports, issue_files = con.execute(
        "SELECT count(DISTINCT source_uri) FILTER (WHERE report_id IS NULL), count(DISTINCT source_uri) FROM parse_issues"
    ).fetchone() or (0, 0)
    by_code = con.execute("SELECT code, count(*) FROM parse_issues WHERE severity = 'error' GROUP BY 1 ORDER BY 2 DESC").fetchall()
    yield AssetCheckResult(
        check_name="pages_readable",
        asset_key="parse_issues",
        passed=not_reports == 0,
        severity=AssetCheckSeverity.WARN,
        metadata={"files_not_reports": int(not_reports), "files_with_issues": int(issue_files), **{f"error:{code}": int(n) for code, n in by_code}},
    )
