"""The issue vocabulary is written once (pipelines/issues.py); its copies are kept equal."""

from __future__ import annotations

import re

from helpers import PROJECT_DIR

from pipelines.issues import Code, Severity


def readme_codes_table() -> str:
    return "\n".join(f"| `{code.value}` | {code.severity.value} | {code.meaning} |" for code in Code)


def test_the_readme_lists_every_code_as_the_enum_does() -> None:
    readme = (PROJECT_DIR / "README.md").read_text("utf-8")
    listed = "\n".join(re.findall(r"^\| `[a-z_]+` \| (?:error|warning|info) \| .*\|$", readme, re.M))
    assert listed == readme_codes_table(), f"README's code table should read:\n{readme_codes_table()}"


def test_every_code_has_a_severity_and_a_meaning() -> None:
    assert len({code.value for code in Code}) == len(Code)
    for code in Code:
        assert code.severity in Severity and code.meaning.strip(), code
