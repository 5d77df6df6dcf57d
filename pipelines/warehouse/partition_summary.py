"""What one parse partition did: the step's output, read by the loader and shown in the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.parse.parser import ParseResult


@dataclass
class PartitionSummary:
    """What one partition did."""

    partition_key: str
    output_dir: str
    files: int = 0
    parsed: int = 0
    reports: int = 0
    not_reports: int = 0
    touched_only: int = 0  # same bytes, new modification time: nothing to re-parse
    issue_codes: dict[str, int] = field(default_factory=dict)

    def count(self, parsed: ParseResult) -> None:
        """Count a parsed file: a report or not, and its issues by code."""
        self.parsed += 1
        self.reports += int(parsed.is_report)
        self.not_reports += int(not parsed.is_report)
        for issue in parsed.all_issues:
            self.issue_codes[str(issue.code)] = self.issue_codes.get(str(issue.code), 0) + 1
