"""The bench command (benchmarks/bench.py) runs end to end on a few pages. No timing is asserted."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from helpers import PROJECT_DIR


def test_bench_runs_end_to_end(tmp_path: Path) -> None:
    """The real pipeline three times on 20 pages, dbt build and the selects (a few minutes)."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench", "--n", "20", "--out", str(tmp_path)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout
    assert output.startswith("$ ") and "benchmarks.bench --n 20" in output.splitlines()[0]
    for figure in (
        "cold run",
        "BeautifulSoup floor",
        "cold / floor",
        "warm run, nothing changed",
        "warm run, 1 % changed",
        "nothing changed, embedded corpus",
        "peak memory, largest process",
        "peak memory, all processes",
        "warehouse size",
        "SQL models (dbt build)",
        "select * from ",
    ):
        assert figure in output, figure
    assert re.search(r"reports in warehouse +20 of 20 pages", output)
    results = json.loads((tmp_path / "results.json").read_text("utf-8"))
    assert [run["name"] for run in results["runs"]] == ["cold", "warm", "warm-1pct"]
