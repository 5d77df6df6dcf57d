"""Benchmark the whole pipeline (`govreports run`) on N generated pages.

    python -m benchmarks.bench --n N [--seed S] [--out DIR] [--keep] [--skip-warm] [--baseline RESULTS]

Generates a corpus (benchmarks.generate) into OUT/corpus, then builds a warehouse from it
in a fresh OUT/run with the real command, as a subprocess: a cold run, a warm re-run with
nothing changed, and one after 1 % of the pages changed. Prints pages per second, the
warm runs as a share of the cold one, peak resident memory of the run's process tree,
the warehouse size, the BeautifulSoup floor on the same pages, the time of `dbt build`
and of `select *` on every model, each next to its target, and the time of the bulk exports
(every partition written, then nothing changed) and of the chart report. The figures are also written
to OUT/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks import generate

PROJECT_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin folder: govreports and dbt live beside python
SOUP_SAMPLE = 2000  # pages timed for the BeautifulSoup floor
SAMPLE_SECONDS = 0.2  # memory sampling interval
MUTATE_FRACTION = 0.01
GIB = 1024**3

# Targets.
COLD_VS_FLOOR = 0.8
WARM_UNCHANGED_SHARE = 0.03
WARM_CHANGED_SHARE = 0.05
LARGEST_PROCESS_BYTES = 1.5 * GIB
ALL_PROCESSES_BYTES = 3 * GIB
MEMORY_GROWTH = 1.2  # at N = 100,000 against N = 10,000
MODELS_SECONDS = 30.0
SELECT_SECONDS = 1.0
STAGING_PREFIX = "stg_"  # dbt staging views: one per pipeline table, selecting all of it
EMBEDDED_UNCHANGED_SECONDS = 5.0  # a nothing-changed run on the embedded corpus (data/raw)


# --- memory of a process tree, from /proc -------------------------------------------------


def _parents() -> dict[int, int]:
    """pid → parent pid of every process."""
    parents = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def _rss_bytes(pid: int) -> int:
    """VmRSS of a process (0 when it has gone or has none)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _command(pid: int) -> str:
    """A process's command line, its program without the folder."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            words = [w.decode("utf-8", "replace") for w in handle.read().split(b"\0") if w]
    except OSError:
        return "?"
    return " ".join([os.path.basename(words[0]), *words[1:]])[:100] if words else "?"


def _program(command: str) -> str:
    """The program a command line runs: `dbt` for `python3 /….venv/bin/dbt build`."""
    words = [os.path.basename(w) for w in command.split()]
    return next((w for w in words if not w.startswith("python")), words[0] if words else "?")


def _ancestors(pid: int, parents: dict[int, int], root: int) -> list[int]:
    """Parent, grandparent, … of a process, up to and including `root`."""
    chain: list[int] = []
    while pid != root and pid in parents:
        pid = parents[pid]
        chain.append(pid)
    return chain


@dataclass
class MemoryPeak:
    """The largest single process and the largest sum over the tree, each at one sample."""

    largest_bytes: int = 0
    largest_command: str = ""
    largest_pid: int = 0
    largest_ancestors: list[int] = field(default_factory=list)  # its parent, grandparent, … up to the run
    largest_step: str = ""  # the Dagster step that process (or its nearest ancestor) ran, from the run's log
    total_bytes: int = 0
    total_processes: int = 0


class TreeSampler:
    """Samples VmRSS of a process and all its descendants every SAMPLE_SECONDS, in a thread."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak = MemoryPeak()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while True:
            self._sample()
            if self._stop.wait(SAMPLE_SECONDS):
                return

    def _sample(self) -> None:
        parents = _parents()
        children: dict[int, list[int]] = {}
        for pid, parent in parents.items():
            children.setdefault(parent, []).append(pid)
        tree = [self.root]
        for pid in tree:
            tree.extend(children.get(pid, []))
        sizes = {pid: _rss_bytes(pid) for pid in tree}
        largest = max(sizes, key=sizes.__getitem__)
        if sizes[largest] > self.peak.largest_bytes:
            self.peak.largest_bytes = sizes[largest]
            self.peak.largest_command = _command(largest)
            self.peak.largest_pid = largest
            self.peak.largest_ancestors = _ancestors(largest, parents, self.root)
        total = sum(sizes.values())
        if total > self.peak.total_bytes:
            self.peak.total_bytes = total
            self.peak.total_processes = sum(1 for size in sizes.values() if size)


# --- the pipeline, dbt and DuckDB --------------------------------------------------------


@dataclass
class Run:
    """One `govreports run`: wall clock, exit code, memory peak, log file."""

    name: str
    seconds: float
    exit_code: int
    memory: MemoryPeak
    log: str


def run_pipeline(name: str, raw_dir: Path, run_dir: Path) -> Run:
    """`govreports run` on raw_dir, publishing run_dir/warehouse.duckdb."""
    env = os.environ | {
        "GOVREPORTS_RAW_DIR": str(raw_dir),
        "GOVREPORTS_WAREHOUSE": str(run_dir / "warehouse.duckdb"),
        "GOVREPORTS_SOURCES": str(run_dir / "no-sources.toml"),  # nothing to scrape
        "DAGSTER_HOME": str(run_dir / "dagster"),
    }
    log = run_dir / "logs" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(BIN / "govreports"), "run"], cwd=PROJECT_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        with TreeSampler(process.pid) as sampler:
            exit_code = process.wait()
        seconds = time.perf_counter() - started
    peak = sampler.peak
    peak.largest_step = step_of_process(log, [peak.largest_pid, *peak.largest_ancestors], peak.largest_command)
    return Run(name, seconds, exit_code, sampler.peak, str(log))


def time_unchanged_embedded(folder: Path) -> Run:
    """Build the embedded corpus (data/raw) once, then time a run with nothing changed."""
    shutil.rmtree(folder, ignore_errors=True)
    raw_dir = folder / "raw"
    shutil.copytree(PROJECT_DIR / "data" / "raw", raw_dir)
    first = run_pipeline("embedded-cold", raw_dir, folder)
    return first if first.exit_code else run_pipeline("embedded-unchanged", raw_dir, folder)


def step_of_process(log: Path, lineage: list[int], command: str) -> str:
    """The step the first of `lineage` (a process, then its ancestors) that was a step
    worker ran, from the `STEP_WORKER_STARTED` event the run logged for it."""
    marker = re.compile(r" - (\d+) - (\S+) - STEP_WORKER_STARTED ")
    steps: dict[int, str] = {}
    with open(log, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if found := marker.search(line):
                steps[int(found.group(1))] = found.group(2)
    for depth, pid in enumerate(lineage):
        if pid in steps:
            return steps[pid] if depth == 0 else f"{steps[pid]}, its subprocess {_program(command)}"
    return ""


@dataclass
class Models:
    """`dbt build` on a copy of the warehouse, and `select *` of every model."""

    build_seconds: float
    dbt_elapsed: float | None
    exit_code: int
    select_seconds: dict[str, float]
    rows: dict[str, int]


def time_models(warehouse: Path, run_dir: Path) -> Models:
    """Time `dbt build` of all SQL models on a copy of the published warehouse, then
    `select *` (all rows fetched, read-only) of every model table in the published file."""
    import duckdb

    from pipelines.warehouse.schema import FETCH_LOG, LOAD_RUNS, RAW_FILES, TABLES

    dbt_dir = run_dir / "dbt"
    dbt_dir.mkdir(parents=True, exist_ok=True)
    copy = dbt_dir / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    target = dbt_dir / "target"
    command = [
        str(BIN / "dbt"),
        "build",
        "--project-dir",
        str(PROJECT_DIR / "sql"),
        "--profiles-dir",
        str(PROJECT_DIR / "sql"),
        "--target-path",
        str(target),
        "--log-path",
        str(dbt_dir / "logs"),
        "--exclude",
        "test_type:unit",
        "--vars",
        json.dumps({"warehouse_path": str(copy)}),
    ]
    with open(run_dir / "logs" / "dbt.log", "wb") as output:
        started = time.perf_counter()
        exit_code = subprocess.run(
            command,
            cwd=PROJECT_DIR,
            stdout=output,
            stderr=subprocess.STDOUT,
        ).returncode
        build_seconds = time.perf_counter() - started
    try:
        dbt_elapsed = float(json.loads((target / "run_results.json").read_text("utf-8"))["elapsed_time"])
    except (OSError, ValueError, KeyError):
        dbt_elapsed = None

    pipeline_tables = {*TABLES, RAW_FILES.name, LOAD_RUNS.name, FETCH_LOG.name}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
            ).fetchall()
        ]
        select_seconds, rows = {}, {}
        for name in (n for n in names if n not in pipeline_tables):
            started = time.perf_counter()
            fetched = con.execute(f'SELECT * FROM "{name}"').to_arrow_table()
            select_seconds[name] = time.perf_counter() - started
            rows[name] = len(fetched)
    finally:
        con.close()
    return Models(build_seconds, dbt_elapsed, exit_code, select_seconds, rows)


@dataclass
class Exports:
    """The bulk exports of the published warehouse (pipelines.exports) and the chart report."""

    full_seconds: float  # every partition written (a first export)
    unchanged_seconds: float  # every partition reused from the previous build (hashes only)
    report_seconds: float
    partitions: int
    files: int
    bytes: int


def time_exports(warehouse: Path, run_dir: Path) -> Exports:
    """Export the published warehouse into a fresh folder (all written), export it again (all
    unchanged), and draw the chart report: what the `warehouse_exports` and `chart_report` steps
    do after a publish."""
    import duckdb

    from pipelines.chart_report import write_report
    from pipelines.exports import export_warehouse
    from pipelines.warehouse.load import connect

    folder = run_dir / "exports-bench"
    shutil.rmtree(folder, ignore_errors=True)
    reader = lambda path: connect(path, read_only=True)  # noqa: E731 - the pipeline's bounded connection
    started = time.perf_counter()
    full = export_warehouse(warehouse, folder, "full", parser_version="bench", connect=reader)
    full_seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = export_warehouse(warehouse, folder, "unchanged", parser_version="bench", connect=reader)
    unchanged_seconds = time.perf_counter() - started
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        started = time.perf_counter()
        write_report(con, again.folder, build_id=again.build_id, parser_version="bench")
        report_seconds = time.perf_counter() - started
    finally:
        con.close()
    return Exports(full_seconds, unchanged_seconds, report_seconds, full.partitions_written, full.files, full.bytes)


def count_reports(warehouse: Path) -> tuple[int, int]:
    """(reports, reports with parse_status ok) in a published warehouse."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute("SELECT count(*), count(*) FILTER (WHERE parse_status = 'ok') FROM reports").fetchone()
    finally:
        con.close()
    return (int(row[0]), int(row[1])) if row else (0, 0)


# --- the BeautifulSoup floor ----------------------------------------------------------------


def page_files(pages_dir: Path) -> list[Path]:
    return sorted(pages_dir.rglob("*.html"))


def soup_seconds(pages: list[Path]) -> list[float]:
    """Seconds of BeautifulSoup(page_bytes, "lxml") for each of an evenly spaced sample of pages."""
    from bs4 import BeautifulSoup

    sample = pages[:: max(1, len(pages) // SOUP_SAMPLE)][:SOUP_SAMPLE]
    seconds = []
    for path in sample:
        data = path.read_bytes()
        started = time.perf_counter()
        BeautifulSoup(data, "lxml")
        seconds.append(time.perf_counter() - started)
    return seconds


# --- report ---------------------------------------------------------------------------------


def _line(label: str, figure: str, target: str = "", passed: bool | None = None) -> str:
    verdict = "" if passed is None else "PASS" if passed else "FAIL"
    return f"{label:<36} {figure:<60} {target:<18} {verdict}".rstrip()


def _load() -> str:
    """The 1-minute load average: other work on the machine skews every figure."""
    return Path("/proc/loadavg").read_text().split()[0]


def _mib(size: int) -> str:
    return f"{size / GIB:.2f} GiB" if size >= GIB else f"{size / 2**20:.0f} MiB"


def _failed(run: Run) -> str:
    tail = Path(run.log).read_text("utf-8", errors="replace").splitlines()[-30:]
    return f"{run.name} run failed (exit {run.exit_code}); last lines of {run.log}:\n" + "\n".join(tail)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, required=True, help="pages in the corpus")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--out", type=Path, default=PROJECT_DIR / "benchmarks" / "out", help="bench folder (default benchmarks/out)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="reuse OUT/corpus when it has the same n and seed and was never mutated"
    )
    parser.add_argument("--skip-warm", action="store_true", help="no warm re-runs")
    parser.add_argument(
        "--baseline", type=Path, help="results.json of a smaller run (N = 10,000): memory must stay within 1.2x of it"
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be positive")
    print(
        "$ " + shlex.join([sys.executable, "-m", "benchmarks.bench", *(sys.argv[1:] if argv is None else argv)]),
        flush=True,
    )

    out: Path = args.out.resolve()
    corpus, run_dir = out / "corpus", out / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    (out / "results.json").unlink(missing_ok=True)
    pages_dir = corpus / generate.PAGES_DIR
    reuse = (
        args.keep
        and (corpus / generate.CORPUS_FILE).exists()
        and {k: generate.read_corpus(corpus).get(k) for k in ("n", "seed", "mutations")}
        == {"n": args.n, "seed": args.seed, "mutations": 0}
    )
    started = time.perf_counter()
    if not reuse:
        generate.generate(corpus, args.n, args.seed)
    generated = time.perf_counter() - started
    pages = page_files(pages_dir)
    sizes = sorted(p.stat().st_size for p in pages)
    how = "reused (--keep)" if reuse else f"generated in {generated:.1f} s"
    print(_line("corpus", f"{len(pages):,} pages, {sum(sizes) / 1e6:,.1f} MB, {how}"))
    print(
        _line(
            "page sizes",
            f"{sizes[0] / 1024:.0f} KB min, {statistics.median(sizes) / 1024:.0f} KB median, {sizes[-1] / 1024:.0f} KB max",
        )
    )
    cores, load = os.cpu_count() or 1, _load()
    print(
        _line("machine", f"{cores} cores, Python {sys.version.split()[0]}, load average {load} before the runs"),
        flush=True,
    )

    soup = soup_seconds(pages)
    soup_mean = statistics.fmean(soup)
    floor = cores / soup_mean

    warehouse = run_dir / "warehouse.duckdb"
    runs = [run_pipeline("cold", pages_dir, run_dir)]
    if runs[0].exit_code:
        print(_failed(runs[0]), file=sys.stderr)
        return 1
    cold = runs[0].seconds
    cold_size = warehouse.stat().st_size
    reports, reports_ok = count_reports(warehouse)
    changed = 0
    if not args.skip_warm:
        runs.append(run_pipeline("warm", pages_dir, run_dir))
        changed = len(generate.mutate(corpus, MUTATE_FRACTION))
        runs.append(run_pipeline("warm-1pct", pages_dir, run_dir))
        for run in runs[1:]:
            if run.exit_code:
                print(_failed(run), file=sys.stderr)
                return 1
    embedded = time_unchanged_embedded(out / "embedded")
    if embedded.exit_code:
        print(_failed(embedded), file=sys.stderr)
        return 1
    models = time_models(warehouse, run_dir)
    if models.exit_code:
        print(f"dbt build failed (exit {models.exit_code}); see {run_dir / 'logs' / 'dbt.log'}", file=sys.stderr)
        return 1

    exports = time_exports(warehouse, run_dir)

    pages_per_second = len(pages) / cold
    print()
    print(_line("cold run", f"{len(pages):,} pages in {cold:.1f} s = {pages_per_second:.2f} pages/s"))
    print(_line("reports in warehouse", f"{reports:,} of {len(pages):,} pages ({reports_ok:,} parse_status ok)"))
    print(
        _line(
            "BeautifulSoup floor",
            f"{cores} cores / {soup_mean:.4f} s per page ({len(soup):,} pages) = {floor:.2f} pages/s",
        )
    )
    print(
        _line(
            "cold / floor",
            f"{pages_per_second / floor:.2f}",
            f"target >= {COLD_VS_FLOOR}",
            pages_per_second >= COLD_VS_FLOOR * floor,
        )
    )
    if args.skip_warm:
        print(_line("warm runs", "skipped (--skip-warm)"))
    else:
        warm, warm_changed = runs[1].seconds, runs[2].seconds
        print(
            _line(
                "warm run, nothing changed",
                f"{warm:.1f} s = {100 * warm / cold:.1f} % of cold",
                f"target <= {WARM_UNCHANGED_SHARE:.0%}",
                warm <= WARM_UNCHANGED_SHARE * cold,
            )
        )
        print(
            _line(
                f"warm run, 1 % changed ({changed:,})",
                f"{warm_changed:.1f} s = {100 * warm_changed / cold:.1f} % of cold",
                f"target <= {WARM_CHANGED_SHARE:.0%}",
                warm_changed <= WARM_CHANGED_SHARE * cold,
            )
        )
    print(
        _line(
            "nothing changed, embedded corpus",
            f"{embedded.seconds:.1f} s (data/raw, a Dagster run that ends after planning)",
            f"target <= {EMBEDDED_UNCHANGED_SECONDS:.0f} s",
            embedded.seconds <= EMBEDDED_UNCHANGED_SECONDS,
        )
    )
    largest = max(runs, key=lambda r: r.memory.largest_bytes)
    heaviest = max(runs, key=lambda r: r.memory.total_bytes)
    print(
        _line(
            "peak memory, largest process",
            f"{_mib(largest.memory.largest_bytes)} ({largest.name} run: {largest.memory.largest_step or largest.memory.largest_command[:40]})",
            "target < 1.5 GiB",
            largest.memory.largest_bytes < LARGEST_PROCESS_BYTES,
        )
    )
    print(
        _line(
            "peak memory, all processes",
            f"{_mib(heaviest.memory.total_bytes)} ({heaviest.name} run, {heaviest.memory.total_processes} processes)",
            "target < 3 GiB",
            heaviest.memory.total_bytes < ALL_PROCESSES_BYTES,
        )
    )
    if args.baseline:
        base = json.loads(args.baseline.read_text("utf-8"))
        for label, ours, theirs in (
            ("largest process", largest.memory.largest_bytes, max(r["memory"]["largest_bytes"] for r in base["runs"])),
            ("all processes", heaviest.memory.total_bytes, max(r["memory"]["total_bytes"] for r in base["runs"])),
        ):
            print(
                _line(
                    f"  {label} vs N = {base['n']:,}",
                    f"{ours / theirs:.2f} x ({_mib(theirs)} there)",
                    f"target <= {MEMORY_GROWTH}x",
                    ours <= MEMORY_GROWTH * theirs,
                )
            )
    final_size = warehouse.stat().st_size
    print(_line("warehouse size", f"{cold_size:,} bytes after the cold run ({final_size:,} after the last run)"))
    dbt_own = (
        f"dbt's own elapsed {models.dbt_elapsed:.1f} s"
        if models.dbt_elapsed is not None
        else "dbt's own elapsed unknown"
    )
    print(
        _line(
            "SQL models (dbt build)",
            f"{models.build_seconds:.1f} s ({dbt_own})",
            f"target < {MODELS_SECONDS:.0f} s",
            models.build_seconds < MODELS_SECONDS,
        )
    )
    for name, seconds in models.select_seconds.items():
        figure = f"{seconds:.3f} s ({models.rows[name]:,} rows, as Arrow)"
        if name.startswith(STAGING_PREFIX):  # a view of a whole pipeline table: read time, not a model's
            print(_line(f"select * from {name}", figure, "(staging view of a table)"))
            continue
        print(_line(f"select * from {name}", figure, f"target < {SELECT_SECONDS:.0f} s", seconds < SELECT_SECONDS))
    if not models.select_seconds:
        print(_line("select * from models", "no model tables in the warehouse"))
    print(
        _line(
            "exports, every partition written",
            f"{exports.full_seconds:.1f} s ({exports.partitions:,} partitions, {exports.files:,} Parquet and CSV files, "
            f"{_mib(exports.bytes)})",
        )
    )
    print(_line("exports, nothing changed", f"{exports.unchanged_seconds:.1f} s (content hashes; files hard-linked)"))
    print(_line("chart report", f"{exports.report_seconds:.2f} s"))

    results = {
        "command": sys.argv,
        "n": len(pages),
        "seed": args.seed,
        "cores": cores,
        "load_average_before": float(load),
        "page_bytes": {"min": sizes[0], "median": statistics.median(sizes), "max": sizes[-1], "total": sum(sizes)},
        "runs": [asdict(run) for run in runs],
        "cold_pages_per_second": pages_per_second,
        "reports": reports,
        "reports_ok": reports_ok,
        "soup_seconds_per_page": soup_mean,
        "soup_pages_sampled": len(soup),
        "soup_floor_pages_per_second": floor,
        "pages_changed": changed,
        "warehouse_bytes_cold": cold_size,
        "warehouse_bytes_final": final_size,
        "models": asdict(models),
        "embedded_unchanged_seconds": embedded.seconds,
        "exports": asdict(exports),
    }
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"\nfigures written to {out / 'results.json'}; logs in {run_dir / 'logs'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
