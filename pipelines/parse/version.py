"""The parser's version: a hash of the parse package's source files, so that any change to
the parser re-parses every page. Read without importing the parser."""

import hashlib
from pathlib import Path


def _parser_version() -> str:
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return f"1.{digest.hexdigest()[:10]}"


PARSER_VERSION = _parser_version()
