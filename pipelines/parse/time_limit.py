"""The parse's time limit: a hang becomes a `timeout` issue, never a stuck run.

A reader that learns the document needs longer (pages to read by OCR) extends the limit
while it runs (`extend`), also from the reader's worker process (pipelines.parse.readers.isolated).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class TimeLimitExceeded(Exception):
    """Raised in the parsing thread when its time limit expires."""


def _can_use_signals() -> bool:
    return threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded after `seconds` (only where signals can be used: the main thread)."""
    if not _can_use_signals():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extend(seconds: float) -> None:
    """Give the running time limit `seconds` more (nothing when none is running)."""
    if not _can_use_signals():
        return
    remaining, _interval = signal.getitimer(signal.ITIMER_REAL)
    if remaining > 0:
        signal.setitimer(signal.ITIMER_REAL, remaining + seconds)
