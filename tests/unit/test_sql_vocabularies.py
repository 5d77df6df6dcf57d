"""The SQL side of the vocabularies: the staging models' accepted_values tests list exactly the
values the Python registries define, and no model compares a template key or year literally."""

import re
from pathlib import Path

import yaml

from pipelines.issues import Code, Severity
from pipelines.parse.tables.rows import EXTRACTIONS
from pipelines.parse.templates import TEMPLATES, UNKNOWN, all_outcome_rows
from pipelines.parse.templates.common import APPLICANT_KEYS, OUTCOMES, PROCEEDINGS, SECTION_KINDS, UNSPLIT_LAWSUITS
from pipelines.raw.fetch_log import FETCH_KINDS, FETCH_OUTCOMES
from pipelines.settings import PROJECT_DIR

MODELS_DIR = PROJECT_DIR / "sql" / "models"


_FACT_MODELS = ("stg_disclosure_stats", "stg_application_outcomes", "stg_review_litigation")


def python_vocabularies() -> dict[tuple[str, str], set[str]]:
    items = {item for t in TEMPLATES.values() for item in t.disclosure_items}
    return {
        ("stg_reports", "template"): {*TEMPLATES, UNKNOWN},
        ("stg_disclosure_stats", "template"): {t.key for t in TEMPLATES.values() if t.disclosure_items},
        ("stg_disclosure_stats", "item"): {item.key for item in items},
        ("stg_disclosure_stats", "metric"): {metric for item in items for metric in item.metrics},
        ("stg_application_outcomes", "row_key"): set(all_outcome_rows()),
        ("stg_application_outcomes", "applicant"): set(APPLICANT_KEYS),
        ("stg_review_litigation", "proceeding"): {*PROCEEDINGS, UNSPLIT_LAWSUITS},
        ("stg_review_litigation", "outcome"): {key for key, _ in OUTCOMES},
        ("stg_parse_issues", "severity"): {str(s) for s in Severity},
        ("stg_parse_issues", "code"): {str(c) for c in Code},
        ("stg_sections", "kind"): {kind for kind, _ in SECTION_KINDS},
        **{(model, "extraction"): set(EXTRACTIONS) for model in _FACT_MODELS},
        ("stg_fetch_log", "kind"): set(FETCH_KINDS),
        ("stg_fetch_log", "outcome"): set(FETCH_OUTCOMES),
    }


def staging_accepted_values() -> dict[tuple[str, str], set[str]]:
    found = {}
    for path in (MODELS_DIR / "staging").glob("*.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            for column in model.get("columns", []):
                for test in column.get("data_tests", []):
                    if isinstance(test, dict) and "accepted_values" in test:
                        values = test["accepted_values"]["arguments"]["values"]
                        found[(model["name"], column["name"])] = {str(v) for v in values}
    return found


def test_staging_accepted_values_are_the_python_vocabularies() -> None:
    expected, actual = python_vocabularies(), staging_accepted_values()
    assert set(actual) == set(expected), "every vocabulary column has one accepted_values test"
    for key, values in expected.items():
        assert actual[key] == values, (
            f"{key}: only in YAML {actual[key] - values}, only in Python {values - actual[key]}"
        )


def sql_files() -> list[Path]:
    return sorted(MODELS_DIR.rglob("*.sql")) + sorted((PROJECT_DIR / "sql" / "macros").glob("*.sql"))


def test_no_template_key_or_year_literal_in_sql() -> None:
    """Template eras are data (the templates and row_keys seeds): the SQL never names one."""
    keys = "|".join(re.escape(key) for key in TEMPLATES)
    quoted_key = re.compile(rf"'({keys})'")
    year_rule = re.compile(r"\byear\s*(<=|>=|<|>|=|between)\s*\d{4}", re.IGNORECASE)
    for path in sql_files():
        code = "\n".join(line.split("--")[0] for line in path.read_text(encoding="utf-8").splitlines())
        assert not quoted_key.search(code), f"{path}: {quoted_key.search(code).group(0)}"
        assert not year_rule.search(code), f"{path}: {year_rule.search(code).group(0)}"
