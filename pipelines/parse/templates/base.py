"""What a template era declares: its rows, items, signatures, required parts and deadlines.

Label patterns are matched against `normalise.label_key` text (NFKC, simplified,
no whitespace, aliases applied), as substrings, most specific first.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowSpec:
    """A canonical row of table 三: its key, the label as the template prints it, match
    patterns, and the group the row adds up into (`denied` for the eight 不予公开 rows)."""

    key: str
    label: str
    patterns: tuple[str, ...]
    group: str


@dataclass(frozen=True)
class ItemSpec:
    """A row of table 二: item key, the labels that name it, and its metrics in column order."""

    key: str
    patterns: tuple[str, ...]
    metrics: tuple[str, ...]


@dataclass(frozen=True)
class Deadline:
    """A publication deadline: this month and day of the year after the reporting year."""

    month: int
    day: int


@dataclass(frozen=True)
class Template:
    """A report format and the reporting years it is used for (SCHEMA.md, TEMPLATES.md §1-§4)."""

    key: str
    description: str
    first_year: int | None  # None: since the first reports
    last_year: int | None  # None: still in use
    # Table labels only this template prints (SCHEMA.md template rule 1).
    signatures: tuple[str, ...] = ()
    # Section headings of this format, absent from the reports before it (rule 3).
    identifying_headings: tuple[str, ...] = ()
    # Table 三 rows in printed order; for a format without the table, the rows its reports state.
    outcome_rows: tuple[RowSpec, ...] = ()
    # Table 三 labels only this template prints, recognisable in run-together text.
    outcome_markers: tuple[str, ...] = ()
    disclosure_items: tuple[ItemSpec, ...] = ()
    disclosure_headers: tuple[str, ...] = ()
    amount_unit: str | None = None  # the unit of an amount printed without one, when the format fixes it
    required_tables: tuple[str, ...] = ()  # warehouse fact tables a complete report has
    required_sections: tuple[str, ...] = ()  # section kinds the regulation requires
    reads_statistics_tables: bool = False  # figures may come from a local statistics table (统计表)
    lawsuit_proceedings: tuple[str, ...] = ()  # how table 四 (or the prose) counts lawsuits
    government_deadline: Deadline = Deadline(3, 31)
    department_deadline: Deadline = Deadline(3, 31)

    def covers(self, year: int) -> bool:
        """Whether reports on `year` use this format."""
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )

    @property
    def has_tables(self) -> bool:
        """Whether the format prints the national tables 二, 三 and 四."""
        return bool(self.required_tables)

    @property
    def outcome_components(self) -> tuple[str, ...]:
        """The table 三 rows that add up to （七）总计 (TEMPLATES.md §5.1); none without the table."""
        if not self.has_tables:
            return ()
        totals = ("new_received", "carried_over", "total_processed", "carried_forward")
        return tuple(row.key for row in self.outcome_rows if row.group not in totals)

    @property
    def row_keys(self) -> tuple[str, ...]:
        return tuple(row.key for row in self.outcome_rows)
