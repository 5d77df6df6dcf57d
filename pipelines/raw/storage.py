"""Where scraped pages go in the raw folder, written atomically beside their sidecars."""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pipelines.raw.inventory import SCRAPED_DIR, read_sidecar
from pipelines.raw.sources import site_of

LIST_DIR = ".lists"  # list pages, kept for conditional requests; a dot-folder the loader skips

_PAGE_EXTENSIONS = (".html", ".htm", ".txt")


def page_name(url: str) -> str:
    """A safe, deterministic file name for a page: its last path segment reduced to
    `[A-Za-z0-9_-]` (at most 60), 12 hex of the URL's sha256, and .html, .htm or .txt."""
    segment = unquote(urlsplit(url).path).replace("\\", "/").rsplit("/", 1)[-1]
    stem, extension = os.path.splitext(segment)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_-")[:60] or "page"
    extension = extension.lower() if extension.lower() in _PAGE_EXTENSIONS else ".html"
    return f"{stem}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:12]}{extension}"


def page_path(raw_dir: Path, url: str, kind: str) -> Path:
    """`_scraped/<host>/<name>` for a report page, `_scraped/<host>/.lists/<name>` for a list page."""
    host = re.sub(r"[^a-z0-9.-]+", "_", site_of(url).lower()).strip(".") or "_"
    folder = raw_dir / SCRAPED_DIR / host
    return (folder / LIST_DIR if kind == "list" else folder) / page_name(url)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary dot-name in the same folder, then rename into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def stored_page(path: Path) -> tuple[bytes | None, dict[str, Any]]:
    """The stored page's bytes (None if absent), and its sidecar if it describes those bytes
    (a page whose write was interrupted after its sidecar's is fetched unconditionally)."""
    try:
        body = path.read_bytes()
    except FileNotFoundError:
        return None, {}
    meta = read_sidecar(path)
    return body, meta if meta.get("content_sha256") == hashlib.sha256(body).hexdigest() else {}


def conditional_headers(meta: dict[str, Any]) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from a stored page's sidecar: unchanged costs a 304."""
    headers = {"If-None-Match": meta.get("etag"), "If-Modified-Since": meta.get("last_modified")}
    return {name: value for name, value in headers.items() if isinstance(value, str) and value}
