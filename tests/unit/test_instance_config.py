"""The project's keys go into $DAGSTER_HOME/dagster.yaml: created when missing, added to a
file that lacks them (the user's other keys kept), refused with the exact lines to write
when the file sets one of them otherwise."""

import pytest
import yaml

from assets.instance_config import REQUIRED, InstanceConfigConflict, ensure_instance_config


def test_a_missing_file_is_created_with_every_key(tmp_path) -> None:
    added = ensure_instance_config(tmp_path / "home")
    assert set(added) == set(REQUIRED)
    assert yaml.safe_load((tmp_path / "home" / "dagster.yaml").read_text()) == REQUIRED


def test_an_older_file_gets_the_missing_keys_and_keeps_its_own(tmp_path) -> None:
    config = tmp_path / "dagster.yaml"
    config.write_text(
        "telemetry:\n  enabled: false\nrun_queue:\n  max_concurrent_runs: 1\ncode_servers:\n  local_startup_timeout: 120\n"
    )
    assert ensure_instance_config(tmp_path) == ["run_launcher", "run_monitoring"]
    written = yaml.safe_load(config.read_text())
    assert written["code_servers"] == {"local_startup_timeout": 120}
    assert written["run_monitoring"]["poll_interval_seconds"] == 30
    assert ensure_instance_config(tmp_path) == []  # nothing left to add


def test_a_conflicting_value_is_refused_with_the_lines_to_write(tmp_path) -> None:
    config = tmp_path / "dagster.yaml"
    config.write_text("run_queue:\n  max_concurrent_runs: 4\n")
    with pytest.raises(InstanceConfigConflict) as refused:
        ensure_instance_config(tmp_path)
    assert "run_queue.max_concurrent_runs is 4" in str(refused.value)
    assert "module: assets.run_monitoring" in str(refused.value)
    assert config.read_text() == "run_queue:\n  max_concurrent_runs: 4\n"  # left as the user wrote it
