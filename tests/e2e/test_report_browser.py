"""The chart report of the sample corpus, opened in a real browser (headless Chromium): the
charts are drawn (SVG elements in the rendered DOM), the page is not blank, and it needs no
network. Skipped with the reason when Chromium is missing; a failure in CI, which installs it
(.ci/run)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import Build
from PIL import Image

# One worker runs every test that starts a daemon or a browser.
pytestmark = pytest.mark.xdist_group("daemons_and_browsers")

CHARTS = 5  # applications and disclosure rate by province, the rate's distribution, coverage, timeliness


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        reason = "chromium is not installed (apt-get install -y --no-install-recommends chromium fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI installs it in .ci/run")
        pytest.skip(reason)
    return found


def headless(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def report_of(build: Build) -> Path:
    report = build.warehouse.parent / "exports" / "current" / "report.html"
    assert report.is_file(), f"no chart report beside {build.warehouse}"
    return report


def test_the_report_draws_every_chart_offline(sample_build: Build, tmp_path: Path) -> None:
    report = report_of(sample_build)
    html = report.read_text("utf-8")
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing to fetch
    assert "https://" not in html and "<script" not in html

    result = headless(tmp_path, "--dump-dom", report.as_uri())

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.count("<svg") == CHARTS
    assert "福建省" in result.stdout and "Noto Sans CJK SC" in result.stdout


def test_the_screenshot_is_not_blank(sample_build: Build, tmp_path: Path) -> None:
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    if not fonts.strip():
        reason = "no Chinese font (apt-get install fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    shot = tmp_path / "report.png"

    result = headless(
        tmp_path,
        "--hide-scrollbars",
        "--window-size=1000,1800",
        f"--screenshot={shot}",
        report_of(sample_build).as_uri(),
    )

    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 10  # lines, bars, shades and text, not one flat colour
    white = sum(n for n, rgb in colours if min(rgb) >= 245)
    assert 1 - white / (image.width * image.height) > 0.03  # enough drawn on the page
