"""The dbt seeds that restate the Python registries for the SQL models, generated here.

`python -m pipelines.seeds` writes them into sql/seeds; the unit tests fail when a
committed seed differs from what this module generates. Edit the registries, never the
CSV files:

- row_keys.csv: every table 三 row key of every template era and the group it adds up
  into (pipelines.parse.templates, RowSpec.group);
- templates.csv: each era's years, required tables and sections, and publication
  deadlines (pipelines.parse.templates, Template);
- agency_categories.csv: the kinds of agency (pipelines.parse.agencies, AGENCY_CATEGORIES);
- formats.csv: the input formats, in order of preference (FORMATS below).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pipelines.parse.agencies import AGENCY_CATEGORIES
from pipelines.parse.templates import TEMPLATES
from pipelines.settings import PROJECT_DIR

SEEDS_DIR = PROJECT_DIR / "sql" / "seeds"
REGENERATE = "python -m pipelines.seeds"

Rows = list[dict[str, object]]


@dataclass(frozen=True)
class Format:
    """An input format (a key of pipelines.parse.readers.READERS, or one a reader is planned
    for) and how faithful a copy of a report it is: lower preference is the better copy."""

    key: str
    preference: int
    description: str


# The reader formats, best copy first: when the same report was ingested in several formats,
# agency_year keeps the copy whose format comes first here. A unit test checks that every
# key of READERS has a row.
FORMATS: tuple[Format, ...] = (
    Format("html", 1, "an HTML page as the site serves it: tables with their cells"),
    Format("docx", 2, "a Word document (Office Open XML): tables with their cells"),
    Format("pdf", 3, "a PDF file: text and table cells placed by position"),
    Format("doc", 4, "a legacy Word document (binary .doc)"),
    Format("text", 5, "plain text, e.g. an archive's copy: table rows may run together"),
    Format("image", 6, "a scanned page: everything read from pixels"),
)


def _years(year: int | None) -> object:
    return "" if year is None else year


def row_keys() -> Rows:
    """One row per template and table 三 row key, in the order the template prints them
    (for an era without the table, the rows its reports state)."""
    return [
        {"row_key": spec.key, "template": template.key, "row_group": spec.group, "label": spec.label}
        for template in TEMPLATES.values()
        for spec in template.outcome_rows
    ]


def templates() -> Rows:
    """One row per template era: its years, what a complete report has, and its deadlines."""
    return [
        {
            "template": t.key,
            "description": t.description,
            "first_year": _years(t.first_year),
            "last_year": _years(t.last_year),
            "required_tables": " ".join(t.required_tables),
            "required_sections": " ".join(t.required_sections),
            "government_deadline_month": t.government_deadline.month,
            "government_deadline_day": t.government_deadline.day,
            "department_deadline_month": t.department_deadline.month,
            "department_deadline_day": t.department_deadline.day,
        }
        for t in TEMPLATES.values()
    ]


def agency_categories() -> Rows:
    """The kinds of agency, in order of priority."""
    return [
        {"priority": c.priority, "category": c.key, "label": c.label, "pattern": c.pattern, "note": c.note}
        for c in AGENCY_CATEGORIES
    ]


def formats() -> Rows:
    """The input formats and their preference."""
    return [{"format": f.key, "preference": f.preference, "description": f.description} for f in FORMATS]


SEEDS = {
    "row_keys": row_keys,
    "templates": templates,
    "agency_categories": agency_categories,
    "formats": formats,
}


def render(rows: Rows) -> str:
    """Rows as CSV text: a header, `\\n` line ends, quotes only where needed."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def generated() -> dict[str, str]:
    """Each seed's file name and the text the registries give it."""
    return {f"{name}.csv": render(make()) for name, make in SEEDS.items()}


def write(seeds_dir: Path = SEEDS_DIR) -> list[Path]:
    """Write every seed whose text changed; return the files written."""
    written = []
    for file_name, text in generated().items():
        path = seeds_dir / file_name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def main() -> None:
    written = write()
    for path in written:
        print(f"wrote {path.relative_to(PROJECT_DIR)}")
    if not written:
        print("seeds are up to date")


if __name__ == "__main__":
    main()
