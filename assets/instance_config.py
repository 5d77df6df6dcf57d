"""The Dagster instance's configuration (`$DAGSTER_HOME/dagster.yaml`) that this project needs.

`make install` and `govreports run` add the project's keys to the file, creating it when
missing and keeping every other key a user set. A key the user set to something else is
not overwritten: the command refuses, printing the exact lines to put in the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# No telemetry; one run at a time; dead runs detected every 30 s (assets.run_monitoring).
REQUIRED: dict[str, Any] = {
    "telemetry": {"enabled": False},
    "run_queue": {"max_concurrent_runs": 1},
    "run_launcher": {"module": "assets.run_monitoring", "class": "GovreportsRunLauncher"},
    "run_monitoring": {"enabled": True, "poll_interval_seconds": 30, "start_timeout_seconds": 180},
}


class InstanceConfigConflict(RuntimeError):
    """dagster.yaml sets one of the project's keys to another value."""


def _missing(current: dict[str, Any], required: dict[str, Any], path: str = "") -> dict[str, Any]:
    """The parts of `required` that `current` lacks; raises for a conflicting value."""
    missing: dict[str, Any] = {}
    for key, value in required.items():
        if key not in current:
            missing[key] = value
        elif isinstance(value, dict) and isinstance(current[key], dict):
            below = _missing(current[key], value, f"{path}{key}.")
            if below:
                missing[key] = below
        elif current[key] != value:
            raise InstanceConfigConflict(f"{path}{key} is {current[key]!r}, the project needs {value!r}")
    return missing


def _merge(current: dict[str, Any], missing: dict[str, Any]) -> None:
    for key, value in missing.items():
        if isinstance(value, dict) and isinstance(current.get(key), dict):
            _merge(current[key], value)
        else:
            current[key] = value


def ensure_instance_config(dagster_home: Path) -> list[str]:
    """Add the project's keys to `dagster_home/dagster.yaml`; the keys added. Raises
    InstanceConfigConflict (with the lines to write) when the file sets them otherwise."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    path = dagster_home / "dagster.yaml"
    current = (yaml.safe_load(path.read_text("utf-8")) if path.exists() else None) or {}
    if not isinstance(current, dict):
        raise InstanceConfigConflict(f"{path} is not a YAML mapping")
    try:
        missing = _missing(current, REQUIRED)
    except InstanceConfigConflict as conflict:
        lines = yaml.safe_dump(REQUIRED, sort_keys=False, allow_unicode=True)
        raise InstanceConfigConflict(f"{path}: {conflict}. Set these keys as follows:\n{lines}") from None
    if missing:
        _merge(current, missing)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(yaml.safe_dump(current, sort_keys=False, allow_unicode=True), "utf-8")
        temporary.replace(path)
    return sorted(missing)
