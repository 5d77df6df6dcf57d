"""A run is dead when the process its tags name is gone, is another process now, or the
machine has restarted since; alive otherwise. A run with no process recorded is undecided."""

import os
import subprocess

from assets.run_monitoring import TAG_BOOT_ID, TAG_PID, TAG_PID_START, process_tags, worker_alive


def test_this_process_is_alive() -> None:
    assert worker_alive(process_tags()) is True


def test_a_process_that_ended_is_dead() -> None:
    child = subprocess.Popen(["true"])
    tags = process_tags(child.pid)
    child.wait()
    assert worker_alive(tags) is False


def test_a_reused_pid_is_another_process() -> None:
    tags = {**process_tags(), TAG_PID_START: "1"}  # this pid, but started at another time
    assert worker_alive(tags) is False


def test_a_run_from_before_a_reboot_is_dead() -> None:
    tags = {**process_tags(), TAG_BOOT_ID: "00000000-0000-0000-0000-000000000000"}
    assert worker_alive(tags) is False


def test_a_run_that_recorded_no_process_is_undecided() -> None:
    assert worker_alive({}) is None
    assert worker_alive({TAG_PID: str(os.getpid())}) is None
