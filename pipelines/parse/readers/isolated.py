"""Readers of binary formats run in a child process with a hard timeout and a memory cap.

PDF and Word reading goes through native code (pdfium, libxml2) that can hang or crash
on hostile files. The child is a long-lived worker (one per calling process and
thread, reused across documents; restarted after a crash, a timeout or running out of
memory), started with subprocess (fork and exec: safe from a process with threads).
It receives `(reader, bytes, GOVREPORTS_* settings)` and answers with the Document or an error code and
message over its stdin/stdout, each message a length-prefixed pickle. A hang becomes a
`timeout` DocumentError, a crash an `internal_error`, never a crashed caller.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from typing import Any

from pipelines.issues import Code, DocumentError
from pipelines.parse import time_limit
from pipelines.parse.document import Document

READ_TIME_LIMIT_SECONDS = 30.0
DEFAULT_MEMORY_BYTES = 3 * 1024**3  # address space of the reader process
_HEADER = struct.Struct(">Q")
_CHUNK = 1 << 20


def memory_limit() -> int:
    """The reader's address-space cap (GOVREPORTS_READER_MEMORY_BYTES, default 3 GiB)."""
    return int(os.environ.get("GOVREPORTS_READER_MEMORY_BYTES", DEFAULT_MEMORY_BYTES))


# --- the calling side ----------------------------------------------------------------


class _Worker:
    """One child process and its pipes."""

    def __init__(self) -> None:
        paths = [os.path.abspath(p or ".") for p in sys.path if os.path.isdir(p or ".")]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
        self.owner = os.getpid()
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from pipelines.parse.readers.isolated import serve; serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            close_fds=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.to_child = self.process.stdin.fileno()
        self.from_child = self.process.stdout.fileno()

    def call(self, request: bytes, deadline: float) -> bytes | None:
        """Send a request and wait for the answer until `deadline`; None when the child died."""
        try:
            _send(self.to_child, request, deadline)
        except (BrokenPipeError, ConnectionResetError):
            return None
        return self.receive(deadline)

    def receive(self, deadline: float) -> bytes | None:
        """The child's next message, waited for until `deadline`; None when the child died."""
        try:
            return _receive(self.from_child, deadline)
        except (BrokenPipeError, ConnectionResetError, EOFError):
            return None

    def stop(self) -> None:
        """Kill the child (a hang, a crash) and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass

    def death(self) -> str:
        """How the child ended, in words."""
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        if code < 0:
            return f"was killed by {signal.Signals(-code).name}"
        return f"exited with status {code}"


_idle: list[_Worker] = []
_answers: int | None = None  # in the worker: where its messages to the caller go
_lock = threading.Lock()


def _take() -> _Worker:
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.owner == os.getpid() and worker.process.poll() is None:
                return worker
    return _Worker()


def _give_back(worker: _Worker) -> None:
    with _lock:
        _idle.append(worker)


@atexit.register
def shutdown() -> None:
    """Stop the idle workers (closing their input ends their loop)."""
    with _lock:
        workers = [w for w in _idle if w.owner == os.getpid()]
        _idle.clear()
    for worker in workers:
        worker.stop()


def run_isolated(reader: str, data: bytes, timeout: float = READ_TIME_LIMIT_SECONDS) -> Document:
    """`reader` (`module:function`, taking bytes, returning a Document) applied to `data`
    in the worker process. Raises DocumentError: the reader's own, `timeout` when it runs
    over `timeout` seconds, `internal_error` when the process dies."""
    worker = _take()
    try:
        request = pickle.dumps((reader, data, _settings()), protocol=pickle.HIGHEST_PROTOCOL)
        deadline = time.monotonic() + timeout
        answer = worker.call(request, deadline)
        while answer is not None and (message := pickle.loads(answer))[0] == "extend":
            deadline += message[1]
            timeout += message[1]
            time_limit.extend(message[1])
            answer = worker.receive(deadline)
    except TimeoutError:
        worker.stop()
        raise DocumentError(Code.TIMEOUT, f"reading took more than {timeout:g} s; the reader was stopped") from None
    except BaseException:
        worker.stop()  # interrupted (the caller's own time limit): the child may still be busy
        raise
    if answer is None:
        death = worker.death()
        worker.stop()
        raise DocumentError(Code.INTERNAL_ERROR, f"the reader process {death} on this file")
    status, payload = pickle.loads(answer)
    if status == "retire":
        worker.stop()
    else:
        _give_back(worker)
    if status == "ok":
        return payload
    code, message = payload
    raise DocumentError(Code(code), message)  # type: ignore[call-arg]  # a lookup by value


def extend_deadline(seconds: float) -> None:
    """Called by a reader that found the document needs longer (pages to OCR): the caller
    waits `seconds` more. Outside a worker, the running time limit is extended instead."""
    if _answers is None:
        time_limit.extend(seconds)
    else:
        _send(_answers, pickle.dumps(("extend", seconds), protocol=pickle.HIGHEST_PROTOCOL), None)


def _settings() -> dict[str, str]:
    """The caller's GOVREPORTS_* variables, applied in the worker for each document (the
    worker outlives changes to the caller's environment)."""
    return {key: value for key, value in os.environ.items() if key.startswith("GOVREPORTS_")}


def _send(fd: int, payload: bytes, deadline: float | None) -> None:
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        _wait(fd, deadline, writing=True)
        written = os.write(fd, view[:_CHUNK])
        view = view[written:]


def _receive(fd: int, deadline: float | None) -> bytes:
    header = _read_exactly(fd, _HEADER.size, deadline)
    return _read_exactly(fd, _HEADER.unpack(header)[0], deadline)


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left:
        _wait(fd, deadline, writing=False)
        chunk = os.read(fd, min(left, _CHUNK))
        if not chunk:
            raise EOFError("the reader process closed its output")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _wait(fd: int, deadline: float | None, writing: bool) -> None:
    """Block until `fd` is ready, or raise TimeoutError at `deadline` (None: wait for ever)."""
    remaining = None if deadline is None else deadline - time.monotonic()
    if remaining is not None and remaining <= 0:
        raise TimeoutError()
    ready = select.select([], [fd], [], remaining) if writing else select.select([fd], [], [], remaining)
    if not any(ready):
        raise TimeoutError()


# --- the worker side --------------------------------------------------------------------


def serve() -> None:
    """The worker's loop: read a request, run the reader, answer; exit when input ends."""
    import resource

    global _answers
    answers = _answers = os.dup(1)
    os.dup2(2, 1)  # stray prints from libraries must not corrupt the answers
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_limit()
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    while True:
        try:
            request = _receive(0, None)
        except EOFError:
            return
        reader, data, settings = pickle.loads(request)
        for key in [k for k in os.environ if k.startswith("GOVREPORTS_") and k not in settings]:
            del os.environ[key]
        os.environ.update(settings)
        answer = _run(reader, data)
        del request, data
        payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        _send(answers, payload, None)
        if answer[0] == "retire":
            return


def _run(reader: str, data: bytes) -> tuple[str, Any]:
    """("ok", Document), ("error", (code, message)), or ("retire", …) after running out of memory."""
    module, _, name = reader.partition(":")
    try:
        function = getattr(importlib.import_module(module), name)
        return "ok", function(data)
    except DocumentError as exc:
        return "error", (str(exc.code), exc.message)
    except RecursionError:
        return "error", (str(Code.TOO_DEEP), "objects nested too deeply to read")
    except MemoryError:
        limit = memory_limit() // 1024**2
        return "retire", (str(Code.TOO_LARGE), f"reading needs more than the reader's {limit} MiB of memory")
    except Exception as exc:  # noqa: BLE001 - any failure of one file is that file's issue
        return "error", (str(Code.INTERNAL_ERROR), f"reader failed: {type(exc).__name__}: {str(exc)[:300]}")
