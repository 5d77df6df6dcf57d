"""The dbt seeds restate the Python registries (pipelines.seeds): committed CSVs equal
what the registries generate, and the registries keep the promises the SQL models rely on."""

import csv
from collections import defaultdict

import pytest

from pipelines import seeds
from pipelines.parse.readers import READERS
from pipelines.parse.templates import TEMPLATES, UNKNOWN
from pipelines.parse.templates.common import SECTION_KINDS
from pipelines.warehouse.rows import FACT_TABLES


@pytest.mark.parametrize("file_name", sorted(seeds.generated()))
def test_committed_seed_is_generated_from_the_registries(file_name: str) -> None:
    path = seeds.SEEDS_DIR / file_name
    committed = path.read_text(encoding="utf-8") if path.exists() else ""
    assert committed == seeds.generated()[file_name], (
        f"sql/seeds/{file_name} differs from the Python registries: run `{seeds.REGENERATE}` and commit it"
    )


def test_no_other_csv_in_the_seeds_folder() -> None:
    """Every seed is generated: a hand-kept CSV would be knowledge kept twice."""
    assert {p.name for p in seeds.SEEDS_DIR.glob("*.csv")} == set(seeds.generated())


def test_write_regenerates_a_changed_seed(tmp_path) -> None:
    (tmp_path / "formats.csv").write_text("format,preference,description\n", encoding="utf-8")
    written = seeds.write(tmp_path)
    assert {p.name for p in written} == set(seeds.generated())
    assert seeds.write(tmp_path) == []  # nothing changed the second time
    with open(tmp_path / "templates.csv", encoding="utf-8") as f:
        assert [row["template"] for row in csv.DictReader(f)] == list(TEMPLATES)


def test_every_reader_format_has_a_preference() -> None:
    formats = {f.key: f.preference for f in seeds.FORMATS}
    assert set(READERS) <= set(formats), f"add {set(READERS) - set(formats)} to pipelines.seeds.FORMATS"
    assert len(set(formats.values())) == len(formats), "preferences must be distinct: they rank the copies"
    assert formats["html"] < formats["text"]


def test_a_row_key_adds_up_into_one_group_in_every_template() -> None:
    """report_summary joins row_keys on row_key alone."""
    groups = defaultdict(set)
    for row in seeds.row_keys():
        groups[row["row_key"]].add(row["row_group"])
    assert {key: g for key, g in groups.items() if len(g) > 1} == {}


def test_template_eras_cover_the_years_once() -> None:
    """data_quality finds a report's deadline by the era whose years hold its year, and holds a
    report of unknown template to the era without a last year."""
    eras = sorted(TEMPLATES.values(), key=lambda t: t.first_year or 0)
    assert eras[0].first_year is None and eras[-1].last_year is None
    for earlier, later in zip(eras, eras[1:]):
        assert earlier.last_year is not None and later.first_year == earlier.last_year + 1
    assert UNKNOWN not in TEMPLATES


def test_required_parts_are_warehouse_tables_and_section_kinds() -> None:
    """data_quality looks the required tables up by table name and the sections by kind."""
    for template in TEMPLATES.values():
        assert set(template.required_tables) <= set(FACT_TABLES), template.key
        assert set(template.required_sections) <= {kind for kind, _ in SECTION_KINDS}, template.key
