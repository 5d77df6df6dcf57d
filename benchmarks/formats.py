"""Benchmark the document readers: text-layer PDFs against pdfplumber's own floor, and OCR.

    python -m benchmarks.formats --n N [--scans K] [--out DIR]

The corpus is the committed PDF fixtures (data/raw/fixtures/*.pdf) copied N times in
turn, each copy with a different trailing comment (one varied line: a new file to the
pipeline, the same pages to read). A cold `govreports run` on it gives text-PDF pages per
second; the floor is what this design cannot beat: cores ÷ the mean single-process time,
per page, of `pdfplumber.open` + `extract_words()` + `find_tables()` on the same pages,
measured in the same run. `--scans K` copies the scanned PDFs (tests/fixtures/scans) K
times and times a cold run of them: OCR seconds per page with all cores.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from benchmarks.bench import PROJECT_DIR, _line, count_reports, run_pipeline

PDF_FIXTURES = PROJECT_DIR / "data" / "raw" / "fixtures"
SCANS = PROJECT_DIR / "tests" / "fixtures" / "scans"
PDF_VS_FLOOR = 0.8


def copies(sources: list[Path], n: int, folder: Path) -> list[Path]:
    """`n` files made from `sources` in turn, each with its own trailing comment line."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        source = sources[i % len(sources)]
        target = folder / f"{source.stem}-{i:06d}.pdf"
        target.write_bytes(source.read_bytes() + f"\n%copy {i}\n".encode())
        made.append(target)
    return made


def page_count(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def floor_seconds_per_page(pdfs: list[Path]) -> float:
    """Mean seconds per page of open + extract_words + find_tables, single process."""
    import pdfplumber

    timings = []
    for path in pdfs:
        data = path.read_bytes()
        for number in range(page_count(path)):
            started = time.perf_counter()
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                page = pdf.pages[number]
                page.extract_words()
                page.find_tables()
            timings.append(time.perf_counter() - started)
    return statistics.fmean(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="text-layer PDFs to generate (default 100)")
    parser.add_argument("--scans", type=int, default=0, help="copies of the scanned PDFs to OCR (default none)")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "benchmarks" / "out-formats")
    args = parser.parse_args(argv)
    shutil.rmtree(args.out, ignore_errors=True)
    cores = os.cpu_count() or 1
    print(f"$ {' '.join([Path(sys.executable).name, '-m', 'benchmarks.formats', *sys.argv[1:]])}", flush=True)

    sources = sorted(PDF_FIXTURES.glob("*.pdf"))
    corpus = copies(sources, args.n, args.out / "pdf" / "raw")
    pages = sum(page_count(path) for path in corpus)
    floor = cores / floor_seconds_per_page(sources)
    run = run_pipeline("pdf-cold", corpus[0].parent, args.out / "pdf")
    if run.exit_code:
        print(f"the cold run failed; see {run.log}", file=sys.stderr)
        return 1
    reports, _ok = count_reports(args.out / "pdf" / "warehouse.duckdb")
    rate = pages / run.seconds
    print()
    print(
        _line(
            "text PDFs, cold run", f"{len(corpus):,} PDFs, {pages:,} pages in {run.seconds:.1f} s = {rate:.2f} pages/s"
        )
    )
    print(_line("reports in warehouse", f"{reports:,} of {len(corpus):,} PDFs"))
    print(_line("pdfplumber floor", f"{cores} cores / open+words+tables per page = {floor:.2f} pages/s"))
    print(_line("cold / floor", f"{rate / floor:.2f}", f"target >= {PDF_VS_FLOOR}", rate >= PDF_VS_FLOOR * floor))

    if args.scans:
        scans = copies(sorted(SCANS.glob("*.scan.pdf")), args.scans * 2, args.out / "scans" / "raw")
        ocr_pages = sum(page_count(path) for path in scans)
        ocr = run_pipeline("ocr-cold", scans[0].parent, args.out / "scans")
        if ocr.exit_code:
            print(f"the OCR run failed; see {ocr.log}", file=sys.stderr)
            return 1
        per_page = ocr.seconds / ocr_pages
        print(_line("scanned PDFs, cold run", f"{len(scans):,} PDFs, {ocr_pages:,} pages OCR'd in {ocr.seconds:.1f} s"))
        print(
            _line("OCR seconds per page", f"{per_page:.2f} s with {cores} cores ({per_page * cores:.2f} s of one core)")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
