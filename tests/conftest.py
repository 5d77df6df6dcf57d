"""Session fixtures: warehouses built once by the real pipeline, shared by the tests that read them."""

import pytest
from helpers import RAW_DIR, Build, new_build


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`--dist loadgroup` keeps the tests of a named xdist_group (`daemons_and_browsers`: the
    tests that start a Dagster daemon or a browser) on one worker; every other test is grouped by
    its file, as `--dist loadfile` would, so a module's fixtures are built once. Runs before
    xdist reads the groups."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


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
