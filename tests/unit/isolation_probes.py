"""Readers that misbehave on purpose, run in the reader's worker process by the isolation tests."""

from __future__ import annotations

import os
import time

from pipelines.parse.document import Document, Paragraph


def echo(data: bytes) -> Document:
    """A document naming the worker's process id and the bytes it was given."""
    return Document("text", "simplified", "utf-8", None, {"pid": str(os.getpid())}, [Paragraph(data.decode())])


def hang(data: bytes) -> Document:
    time.sleep(600)
    raise AssertionError("not reached")


def crash(data: bytes) -> Document:
    os.abort()


def hog(data: bytes) -> Document:
    """Allocates far beyond the worker's address-space cap."""
    blocks = [bytearray(256 * 1024 * 1024) for _ in range(64)]
    raise AssertionError(f"allocated {len(blocks)} blocks")
