"""Dead runs detected and ended, so that a killed run never blocks the schedule.

Every run records which process executes it (tags `govreports/boot_id`, `govreports/pid`,
`govreports/pid_start`): `govreports run` when it creates the run, and the executor in
whatever process runs it (the UI's and the daemon's runs). A run is dead when the machine
has restarted since (another boot id), its process is gone, or that pid now belongs to
another process (another start time). The run launcher answers Dagster's run monitoring
with that verdict; `govreports run` applies it before it starts. A run whose process is
alive is never ended.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter, executor, multiprocess_executor
from dagster._core.definitions.executor_definition import multiple_process_executor_requirements
from dagster._core.events import DagsterEvent
from dagster._core.execution.retries import RetryMode
from dagster._core.execution.step_dependency_config import StepDependencyConfig
from dagster._core.executor.base import Executor
from dagster._core.executor.init import InitExecutorContext
from dagster._core.launcher import CheckRunHealthResult, DefaultRunLauncher, WorkerStatus
from dagster._core.storage.dagster_run import DagsterRun

TAG_BOOT_ID = "govreports/boot_id"
TAG_PID = "govreports/pid"
TAG_PID_START = "govreports/pid_start"
# A run that started but recorded no process within this long died while starting.
UNRECORDED_GRACE_SECONDS = 180
# Runs that can be dead; a starting run is left to Dagster's start timeout (run_monitoring).
MONITORED = [DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]


def _boot_id() -> str:
    return Path("/proc/sys/kernel/random/boot_id").read_text().strip()


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def process_tags(pid: int | None = None) -> dict[str, str]:
    """The tags that identify the process executing a run (this one by default)."""
    pid = pid or os.getpid()
    return {TAG_BOOT_ID: _boot_id(), TAG_PID: str(pid), TAG_PID_START: _start_time(pid) or ""}


def worker_alive(tags: Mapping[str, str]) -> bool | None:
    """Whether the process a run's tags name is still the one running it; None without tags."""
    if TAG_PID not in tags or TAG_BOOT_ID not in tags:
        return None
    if tags[TAG_BOOT_ID] != _boot_id():
        return False
    started = _start_time(int(tags[TAG_PID]))
    return started is not None and started == tags.get(TAG_PID_START)


def dead_run_reason(instance: DagsterInstance, run: DagsterRun) -> str | None:
    """Why a started run is dead, or None when it is alive (or may still be starting)."""
    if run.status not in MONITORED:
        return None
    alive = worker_alive(run.tags)
    if alive:
        return None
    if alive is False:
        if run.tags.get(TAG_BOOT_ID) != _boot_id():
            return "the machine restarted while it ran"
        return f"its process {run.tags[TAG_PID]} is gone (killed, or the machine ran out of memory)"
    record = instance.get_run_record_by_id(run.run_id)
    started = record.start_time if record else None
    if started is not None and time.time() - started > UNRECORDED_GRACE_SECONDS:
        return f"it started {UNRECORDED_GRACE_SECONDS} s ago and no process ever recorded itself"
    return None


def end_dead_runs(instance: DagsterInstance) -> list[str]:
    """Mark every dead run in progress as failed; one line per run ended."""
    ended = []
    for run in instance.get_runs(RunsFilter(statuses=MONITORED)):
        reason = dead_run_reason(instance, run)
        if reason is not None:
            instance.report_run_failed(run, f"run ended as dead: {reason}")
            ended.append(f"ended run {run.run_id} ({run.job_name}, {run.status.value}): {reason}")
    return ended


class GovreportsRunLauncher(DefaultRunLauncher):
    """Dagster's default launcher, with the health check its run monitoring needs."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        reason = dead_run_reason(self._instance, run)
        if reason is None:
            return CheckRunHealthResult(WorkerStatus.RUNNING, "the run's process is alive or starting")
        return CheckRunHealthResult(WorkerStatus.FAILED, reason)


class _RecordingExecutor(Executor):
    """An executor that first records, on the run, the process executing it."""

    def __init__(self, inner: Executor) -> None:
        self._inner = inner

    @property
    def retries(self) -> RetryMode:
        return self._inner.retries

    @property
    def step_dependency_config(self) -> StepDependencyConfig:
        return self._inner.step_dependency_config

    def execute(self, plan_context: Any, execution_plan: Any) -> Iterator[DagsterEvent]:
        plan_context.instance.add_run_tags(plan_context.run_id, process_tags())
        yield from self._inner.execute(plan_context, execution_plan)


@executor(
    name="multiprocess_recorded",
    config_schema=multiprocess_executor.config_schema,
    requirements=multiple_process_executor_requirements(),
)
def recorded_multiprocess_executor(init_context: InitExecutorContext) -> Executor:
    """The multiprocess executor, recording the run's process first (see end_dead_runs)."""
    creation = multiprocess_executor.executor_creation_fn
    assert creation is not None
    return _RecordingExecutor(creation(init_context))
