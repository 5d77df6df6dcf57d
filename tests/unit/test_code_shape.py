"""The shape the code keeps so that each change stays local: small modules and functions,
and template eras known only to their registry (pipelines/parse/templates/)."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import PROJECT_DIR

from pipelines.parse.templates import TEMPLATES

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
PACKAGES = ("pipelines", "assets")
TEMPLATE_REGISTRY = PROJECT_DIR / "pipelines" / "parse" / "templates"


def _modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (PROJECT_DIR / package).rglob("*.py"))


def test_no_module_is_over_the_line_limit() -> None:
    long = {
        str(p.relative_to(PROJECT_DIR)): n
        for p in _modules()
        if (n := len(p.read_text("utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_function_is_over_the_line_limit() -> None:
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(PROJECT_DIR)}:{node.lineno} {node.name} ({lines} lines)")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def _years() -> set[int]:
    """The years that bound a template era."""
    return {y for t in TEMPLATES.values() for y in (t.first_year, t.last_year) if y is not None}


def test_no_template_literals_in_python_outside_the_registry() -> None:
    keys, years = set(TEMPLATES), _years() | {y + 1 for y in _years()} | {y - 1 for y in _years()}
    found = []
    for path in _modules():
        if path.is_relative_to(TEMPLATE_REGISTRY):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Compare):
                for operand in [node.left, *node.comparators]:
                    constants = operand.elts if isinstance(operand, (ast.Tuple, ast.List, ast.Set)) else [operand]
                    for constant in constants:
                        if isinstance(constant, ast.Constant) and (constant.value in keys or constant.value in years):
                            found.append(
                                f"{path.relative_to(PROJECT_DIR)}:{node.lineno} compares with {constant.value!r}"
                            )
    assert not found, found
