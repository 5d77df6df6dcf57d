"""Session fixtures: warehouses built once by the real pipeline, shared by the tests that read them."""

import pytest
from helpers import RAW_DIR, Build, new_build


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
