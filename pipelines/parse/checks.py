"""Consistency checks of a report's own numbers (TEMPLATES.md §5), and derived totals.

A failed check is data about the report, never a reason not to load it. Blank
cells are NULL in the warehouse and count as 0 only here, in validation; a rule
whose cells are all blank emits no row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from pipelines.issues import Code, Issue
from pipelines.parse.normalise import parse_number
from pipelines.parse.prose import ProseFigure
from pipelines.parse.tables.rows import Fact
from pipelines.parse.templates import TABLE_TEMPLATES, Template, all_outcome_rows
from pipelines.parse.templates.common import APPLICANT_KEYS, OUTCOMES, PROCEEDINGS

FactMap = Mapping[tuple[str, str], Fact]
_APPLICANT_PARTS = APPLICANT_KEYS[:-1]
_OUTCOME_PARTS = [o for o, _ in OUTCOMES if o != "total"]


@dataclass(frozen=True)
class CheckResult:
    """One report_checks row."""

    check_name: str
    passed: bool
    expected: float
    actual: float
    detail: str


def _value(facts: FactMap, key: tuple[str, str]) -> int | float | None:
    fact = facts.get(key)
    return None if fact is None else fact.value


def _sum(values: Iterable[int | float | None]) -> float:
    return float(sum(v for v in values if v is not None))


# --- derived totals ----------------------------------------------------------------


def _derive(
    facts: dict[tuple[str, str], Fact],
    total: tuple[str, str],
    parts: list[tuple[str, str]],
    what: str,
    issues: list[Issue],
) -> None:
    """Fill a blank total from its components when every component is present."""
    fact = facts.get(total)
    if fact is None or fact.value is not None or parse_number(fact.raw).status != "blank" or fact.raw is None:
        return  # only a printed blank (``, `/`, `-`) is filled; a cell a short row lacks stays unknown
    values = [_value(facts, p) for p in parts]
    if any(v is None for v in values):
        return
    derived = sum(values)  # type: ignore[arg-type]
    facts[total] = replace(
        fact, value=derived, derived=True, evidence=f"{fact.evidence}; blank, derived as the sum of {what}"
    )
    issues.append(Issue.of(Code.DERIVED_VALUE, f"{total[0]}/{total[1]} was blank; derived {derived} from {what}"))


def outcome_components(template: Template, facts: FactMap) -> tuple[str, ...]:
    """The rows that add up to （七）总计 in this table: the template's, except that a group the
    table printed as one row (（六）其他处理 as `other` in a 2021-format table) counts as that row."""
    present = {row for row, _ in facts}
    rows = all_outcome_rows()
    components: list[str] = []
    for key in template.outcome_components:
        group = rows[key].group
        unsplit = group in present and group in rows and group not in template.outcome_components
        if not unsplit or any(rows[k].group == group and k in present for k in template.outcome_components):
            components.append(key)
        elif group not in components:
            components.append(group)
    return tuple(components)


def derive_outcome_totals(facts: dict[tuple[str, str], Fact], template: Template | None, issues: list[Issue]) -> None:
    """Blank 总计 cells from their row's six applicant cells, and blank （七）总计 cells from the outcome rows."""
    rows = {row for row, _ in facts}
    for row in rows:
        _derive(facts, (row, "total"), [(row, a) for a in _APPLICANT_PARTS], "the six applicant columns", issues)
    components = outcome_components(template, facts) if template and template.has_tables else ()
    if components and "total_processed" in rows:
        for applicant in APPLICANT_KEYS:
            _derive(
                facts, ("total_processed", applicant), [(r, applicant) for r in components], "the outcome rows", issues
            )


def derive_review_totals(facts: dict[tuple[str, str], Fact], issues: list[Issue]) -> None:
    """Blank 总计 cells of table 四 from their proceeding's four outcomes."""
    for proceeding in PROCEEDINGS:
        _derive(
            facts,
            (proceeding, "total"),
            [(proceeding, o) for o in _OUTCOME_PARTS],
            f"the four {proceeding} outcomes",
            issues,
        )


# --- identities -----------------------------------------------------------------------


def _check(
    name: str, expected_parts: list[int | float | None], actual_parts: list[int | float | None], detail: str
) -> CheckResult | None:
    if all(v is None for v in expected_parts + actual_parts):
        return None
    expected, actual = _sum(expected_parts), _sum(actual_parts)
    return CheckResult(name, expected == actual, expected, actual, detail)


def check_outcomes(facts: FactMap, template: Template | None) -> list[CheckResult]:
    """Table 三: balance per column, outcomes_sum per column, applicant_sum per row."""
    results: list[CheckResult | None] = []
    # A report whose format has no table 三 is checked against the first format that has one.
    fmt = template if template and template.has_tables else TABLE_TEMPLATES[-1]
    components = outcome_components(fmt, facts)
    for applicant in APPLICANT_KEYS:
        v = lambda row, applicant=applicant: _value(facts, (row, applicant))  # noqa: E731
        results.append(
            _check(
                f"balance:{applicant}",
                [v("new_received"), v("carried_over")],
                [v("total_processed"), v("carried_forward")],
                "新收 + 上年结转 = （七）总计 + 结转下年度 (expected: left side, actual: right side)",
            )
        )
        if facts.get(("total_processed", applicant)) is not None:
            results.append(
                _check(
                    f"outcomes_sum:{applicant}",
                    [v(row) for row in components],
                    [v("total_processed")],
                    "（七）总计 = sum of the outcome rows (expected: sum, actual: printed total)",
                )
            )
    for row in sorted({r for r, _ in facts}):
        if (row, "total") in facts:
            results.append(
                _check(
                    f"applicant_sum:{row}",
                    [_value(facts, (row, a)) for a in _APPLICANT_PARTS],
                    [_value(facts, (row, "total"))],
                    "总计 = sum of the six applicant columns (expected: sum, actual: printed total)",
                )
            )
    return [r for r in results if r is not None]


def check_review(facts: FactMap) -> list[CheckResult]:
    """Table 四: each proceeding's 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    results = [
        _check(
            f"group_sum:{proceeding}",
            [_value(facts, (proceeding, o)) for o in _OUTCOME_PARTS],
            [_value(facts, (proceeding, "total"))],
            "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 (expected: sum, actual: printed total)",
        )
        for proceeding in PROCEEDINGS
        if (proceeding, "total") in facts
    ]
    return [r for r in results if r is not None]


def check_prose_vs_table(
    prose: Mapping[tuple[str, str], ProseFigure], outcomes: FactMap, review: FactMap
) -> list[CheckResult]:
    """Where the text and a table both give a figure: the table's is stored, a mismatch is recorded."""
    results = []
    for key, figure in prose.items():
        if key[0] in ("new_received", "total_processed", "granted", "partially_granted"):
            table_value = _value(outcomes, key)
        elif key[0] == "review":
            table_value = _value(review, key)
        elif key[0] == "litigation":
            parts = [
                _value(review, ("litigation_direct", "total")),
                _value(review, ("litigation_after_review", "total")),
            ]
            unsplit = _value(review, ("litigation", "total"))
            table_value = unsplit if unsplit is not None else (None if all(p is None for p in parts) else _sum(parts))
        else:
            continue
        if table_value is None:
            continue
        results.append(
            CheckResult(
                f"prose_vs_table:{key[0]}",
                float(table_value) == float(figure.value),
                float(table_value),
                float(figure.value),
                f"table {table_value}, text {figure.value}: {figure.evidence[:200]}",
            )
        )
    return results
