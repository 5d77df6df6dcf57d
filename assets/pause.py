"""Named points where a test can hold a run, to kill it there (`GOVREPORTS_TEST_PAUSE_AT`).

Only tests set the variable: a run that reaches the named point writes
`$DAGSTER_HOME/paused-at-<point>` and sleeps until it is killed.
"""

import os
import time
from pathlib import Path

PAUSE_VARIABLE = "GOVREPORTS_TEST_PAUSE_AT"
POINTS = ("parse", "load", "dbt", "publish")


def pause_if_asked(point: str) -> None:
    """Hold the run here when a test asked for this point."""
    if os.environ.get(PAUSE_VARIABLE) != point:
        return
    home = Path(os.environ.get("DAGSTER_HOME", "."))
    (home / f"paused-at-{point}").write_text(str(os.getpid()))
    while True:
        time.sleep(3600)
