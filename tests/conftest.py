"""Shared fixtures: paths, and warehouses built by the real pipeline (`govreports run`)."""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
RAW_DIR = PROJECT_DIR / "data" / "raw"
FIXTURES_DIR = PROJECT_DIR / "tests" / "fixtures"
GOVREPORTS = Path(sys.executable).with_name("govreports")


@dataclass
class Build:
    """A scratch deployment: its raw folder, warehouse path and Dagster home."""

    root: Path

    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "GOVREPORTS_RAW_DIR": str(self.raw_dir),
            "GOVREPORTS_WAREHOUSE": str(self.warehouse),
            "GOVREPORTS_SOURCES": str(self.root / "sources.toml"),
            "DAGSTER_HOME": str(self.root / "dagster"),
            **extra,
        }

    def run(self, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        """`govreports run` (the command behind `make run`) on this deployment."""
        result = subprocess.run(
            [str(GOVREPORTS), "run"], env=self.env(**extra), capture_output=True, text=True, timeout=600
        )
        if check and result.returncode != 0:
            raise AssertionError(f"govreports run failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
        return result


def new_build(root: Path, source: Path | None = RAW_DIR) -> Build:
    build = Build(root)
    if source is not None:
        shutil.copytree(source, build.raw_dir)
    else:
        build.raw_dir.mkdir(parents=True)
    return build


def clone(build: Build, root: Path) -> Build:
    """A copy of a built deployment (raw folder with its file times, and the published
    warehouse), so a test can change it without building from scratch."""
    copy = Build(root)
    shutil.copytree(build.raw_dir, copy.raw_dir)
    shutil.copy2(build.warehouse, copy.warehouse)
    return copy


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The embedded sample corpus (data/raw), built once by the real pipeline."""
    build = new_build(tmp_path_factory.mktemp("sample"))
    build.run()
    return build


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The five seed documents, built once; tests change clones of it."""
    build = new_build(tmp_path_factory.mktemp("seeds"), RAW_DIR / "seeds")
    build.run()
    return build
