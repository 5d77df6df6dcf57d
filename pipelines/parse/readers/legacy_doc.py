"""Legacy Word (.doc, Word 97-2003) documents: converted to .docx with LibreOffice, then
read by the .docx reader.

LibreOffice is optional: without `soffice` on the PATH a .doc is `unsupported_format`
with a message naming the package that fixes it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from pipelines.issues import Code, DocumentError

CONVERT_TIME_LIMIT_SECONDS = 25.0
INSTALL_HINT = "install LibreOffice (Debian: libreoffice-writer-nogui) to read .doc files"


def soffice() -> str | None:
    """The LibreOffice command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, timeout: float = CONVERT_TIME_LIMIT_SECONDS) -> bytes:
    """The .docx LibreOffice makes of a .doc, converted in a scratch folder with its own
    profile (so conversions never share or lock a user's profile)."""
    command = soffice()
    if command is None:
        raise DocumentError(Code.UNSUPPORTED_FORMAT, f"Word 97-2003 document (.doc): {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="govreports-doc-") as folder:
        work = Path(folder)
        source = work / "document.doc"
        source.write_bytes(data)
        arguments = [
            command,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        output = _run(arguments, timeout, {**os.environ, "HOME": folder})
        converted = work / "out" / "document.docx"
        if not converted.is_file():
            raise DocumentError(Code.UNREADABLE, f"LibreOffice could not convert the .doc: {output[-300:]}")
        return converted.read_bytes()


def _run(arguments: list[str], timeout: float, env: dict[str, str]) -> str:
    """Run LibreOffice in its own process group, killed whole when it runs over `timeout`."""
    process = subprocess.Popen(
        arguments,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except BaseException as exc:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        if isinstance(exc, subprocess.TimeoutExpired):
            raise DocumentError(
                Code.TIMEOUT, f"converting the .doc with LibreOffice took more than {timeout:g} s"
            ) from None
        raise
    return output.decode("utf-8", "replace")
