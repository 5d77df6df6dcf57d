"""Identities as checks, derived totals, and prose against tables (SCHEMA.md report_checks)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.parse.checks import (
    check_outcomes,
    check_prose_vs_table,
    check_review,
    derive_outcome_totals,
    derive_review_totals,
)
from pipelines.parse.prose import ProseFigure
from pipelines.parse.tables.rows import Fact
from pipelines.parse.templates import TEMPLATES
from pipelines.parse.templates.common import APPLICANT_KEYS, REVIEW_COLUMNS


def facts(rows: dict[str, list[int | None]], raw_blank: str = "") -> dict:
    return {
        (row, applicant): Fact((row, applicant), value, raw_blank if value is None else str(value), "test")
        for row, values in rows.items()
        for applicant, value in zip(APPLICANT_KEYS, values)
    }


@st.composite
def consistent_outcomes(draw: st.DrawFn, template: str) -> dict[str, list[int]]:
    counts = st.integers(0, 500)
    components = TEMPLATES[template].outcome_components
    rows = {k: [draw(counts) for _ in range(6)] for k in components}
    processed = [sum(rows[k][i] for k in components) for i in range(6)]
    carried_over = [draw(st.integers(0, p)) for p in processed]
    forward = [draw(counts) for _ in range(6)]
    rows.update(
        total_processed=processed,
        carried_over=carried_over,
        carried_forward=forward,
        new_received=[p + f - c for p, f, c in zip(processed, forward, carried_over)],
    )
    return {k: v + [sum(v)] for k, v in rows.items()}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["2019", "2021"]).flatmap(lambda t: st.tuples(st.just(t), consistent_outcomes(t))))
def test_identities_on_consistent_tables_always_pass(case) -> None:
    template, rows = case
    results = check_outcomes(facts(rows), TEMPLATES[template])
    assert results and all(r.passed for r in results)
    assert {r.check_name for r in results} >= {f"balance:{a}" for a in APPLICANT_KEYS} | {
        f"outcomes_sum:{a}" for a in APPLICANT_KEYS
    }


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=12, max_size=12))
def test_review_identities_on_consistent_tables_always_pass(parts: list[int]) -> None:
    values = []
    for i in range(3):
        group = parts[i * 4 : i * 4 + 4]
        values += group + [sum(group)]
    review = {k: Fact(k, v, str(v), "test") for k, v in zip(REVIEW_COLUMNS, values)}
    results = check_review(review)
    assert len(results) == 3 and all(r.passed for r in results)


def test_a_printed_total_is_never_overwritten() -> None:
    rows = {"granted": [5, 1, 0, 0, 0, 0, 0]}  # printed 总计 0 beside cells 5 and 1
    table = facts(rows)
    derive_outcome_totals(table, TEMPLATES["2019"], issues := [])
    assert table[("granted", "total")].value == 0 and not table[("granted", "total")].derived
    (check,) = [r for r in check_outcomes(table, TEMPLATES["2019"]) if r.check_name == "applicant_sum:granted"]
    assert (check.passed, check.expected, check.actual) == (False, 6.0, 0.0)
    assert issues == []


def test_a_blank_total_is_derived_from_complete_components_only() -> None:
    table = facts({"granted": [5, 1, 0, 0, 0, 0, None], "partially_granted": [2, None, 0, 0, 0, 0, None]})
    derive_outcome_totals(table, TEMPLATES["2019"], issues := [])
    assert (table[("granted", "total")].value, table[("granted", "total")].derived) == (6, True)
    assert table[("partially_granted", "total")].value is None  # a component is blank: never invented
    assert [i.code for i in issues] == ["derived_value"]


def test_a_cell_a_short_row_lacks_is_not_derived() -> None:
    table = facts({"granted": [5, 1, 0, 0, 0, 0, None]}, raw_blank=None)
    derive_outcome_totals(table, TEMPLATES["2019"], [])
    assert table[("granted", "total")].value is None


def test_blank_review_totals_are_derived() -> None:
    review = {
        k: Fact(k, None if k[1] == "total" else 1, "" if k[1] == "total" else "1", "test") for k in REVIEW_COLUMNS
    }
    derive_review_totals(review, issues := [])
    assert review[("review", "total")].value == 4 and review[("review", "total")].derived and len(issues) == 3


def test_a_rule_with_all_cells_blank_emits_no_row() -> None:
    table = facts({k: [None] * 7 for k in ("new_received", "carried_over", "total_processed", "carried_forward")})
    assert [r for r in check_outcomes(table, TEMPLATES["2019"]) if r.check_name.startswith("balance")] == []


def test_prose_against_table() -> None:
    table = facts({"new_received": [71, 3, 0, 0, 0, 0, 74]})
    review = {
        ("litigation_direct", "total"): Fact(("litigation_direct", "total"), 1, "1", "t"),
        ("litigation_after_review", "total"): Fact(("litigation_after_review", "total"), 0, "0", "t"),
    }
    prose = {
        ("new_received", "total"): ProseFigure(
            ("new_received", "total"), 75, "收到政府信息公开申请75件", "全区收到政府信息公开申请75件"
        ),
        ("litigation", "total"): ProseFigure(("litigation", "total"), 1, "行政诉讼案件1件", "共有行政诉讼案件1件"),
    }
    results = {r.check_name: r for r in check_prose_vs_table(prose, table, review)}
    assert (
        results["prose_vs_table:new_received"].passed,
        results["prose_vs_table:new_received"].expected,
        results["prose_vs_table:new_received"].actual,
    ) == (False, 74.0, 75.0)
    assert results["prose_vs_table:litigation"].passed
