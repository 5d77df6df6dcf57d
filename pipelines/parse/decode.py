"""Raw bytes: the document format sniffed from the bytes, and text pages decoded with
their encoding detected (TEMPLATES.md §6.2)."""

from __future__ import annotations

import codecs
import io
import os
import re
import struct
import zipfile
from dataclasses import dataclass, field, replace

from pipelines.issues import Code, DocumentError, Issue

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # pages (HTML, text)
DEFAULT_MAX_DOCUMENT_BYTES = 200 * 1024 * 1024  # document files (PDF, Word, images)

PAGE = "page"  # the format key of text to decode: an HTML page or plain text (`html`, `text`)
# Document formats recognised by their first bytes: (magic, format key, description).
# `zip` and `ole` are containers: sniff_format looks inside for a Word document.
DOCUMENT_FORMATS: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "pdf", "PDF document"),
    (b"PK\x03\x04", "zip", "ZIP container (xlsx/pptx/odt/zip), not a Word document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "OLE document (xls/ppt/msg), not a Word document"),
    (b"{\\rtf", "rtf", "RTF document"),
    (b"\x89PNG\r\n\x1a\n", "image", "PNG image"),
    (b"\xff\xd8\xff", "image", "JPEG image"),
    (b"II*\x00", "image", "TIFF image"),
    (b"MM\x00*", "image", "TIFF image"),
]
# Formats found inside a container, and what they are.
CONTAINED_FORMATS = {"docx": "Word document (.docx)", "doc": "Word 97-2003 document (.doc)"}
_PDF_SEARCH = 1024  # readers accept `%PDF-` after junk in the first kilobyte
_BINARY = {
    b"GIF8": "GIF image",
    b"\x1f\x8b": "gzip data",
}
# A text may hold this share of control characters (other than tab, newline, carriage
# return and form feed; NUL counted) before it counts as binary data.
MAX_CONTROL_SHARE = 0.01
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HTML_SIGNS = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|meta|table|div|p|title)\b", re.I)
# Words every report has, in either script; used to choose between candidate decodings.
_REPORT_WORDS = ("信息", "公开", "政府", "报告", "資訊", "公開", "報告")
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "gb_2312-80", "euc-cn"}


@dataclass(frozen=True)
class DecodedPage:
    """A page as text: `kind` is `html` or `text`; `warnings` are issues to record with the report."""

    text: str
    kind: str
    encoding: str
    warnings: tuple[Issue, ...] = field(default=())


def check_size(size: int, max_bytes: int) -> None:
    """Refuse a page over the size cap before reading it."""
    if size > max_bytes:
        raise DocumentError(Code.TOO_LARGE, f"{size} bytes is over the {max_bytes}-byte cap; not read")


def describe_format(key: str) -> str:
    """What a format key stands for, in words."""
    if key in CONTAINED_FORMATS:
        return CONTAINED_FORMATS[key]
    return next((what for _magic, fmt, what in DOCUMENT_FORMATS if fmt == key), key)


def describe_format_of(data: bytes) -> str:
    """What the first bytes say a file is (`PNG image`), or `unknown format`."""
    return next((what for magic, _key, what in DOCUMENT_FORMATS if data.startswith(magic)), "unknown format")


def max_document_bytes() -> int:
    """The size cap of document files (GOVREPORTS_MAX_DOCUMENT_BYTES, default 200 MB)."""
    return int(os.environ.get("GOVREPORTS_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES))


def sniff_format(data: bytes) -> str:
    """The document's format key from its bytes: `pdf`, `docx`, `doc`, `image`, another
    key of DOCUMENT_FORMATS (not readable), or PAGE for text. Raises DocumentError for
    empty and binary data."""
    if not data.strip():
        raise DocumentError(Code.EMPTY, "the file is empty or only whitespace")
    key = document_format(data)
    if key is not None:
        return key
    head = data[:8]
    for magic, what in _BINARY.items():
        if head.startswith(magic):
            raise DocumentError(Code.BINARY, f"{what}, not a page")
    window = data[:65536]
    if not any(data.startswith(bom) for bom, _ in _BOMS[1:]) and window.count(0) > len(window) * MAX_CONTROL_SHARE:
        raise DocumentError(Code.BINARY, "NUL bytes: binary data, not a page")
    return PAGE


def document_format(data: bytes) -> str | None:
    """The format key of a document file recognised by its first bytes, or None (a page, or binary data)."""
    head = data[:8]
    for magic, key, _what in DOCUMENT_FORMATS:
        if head.startswith(magic):
            return _inside_container(key, data)
    return "pdf" if _pdf_after_junk(data) else None


def _pdf_after_junk(data: bytes) -> bool:
    """`%PDF-` after a BOM or a few junk bytes (not in a page that merely mentions it)."""
    at = data.find(b"%PDF-", 0, _PDF_SEARCH)
    return at > 0 and not _HTML_SIGNS.search(data[:at].decode("latin-1"))


def _inside_container(key: str, data: bytes) -> str:
    """`docx` for a zip holding word/document.xml, `doc` for an OLE file holding a
    WordDocument stream; the container's own key otherwise."""
    if key == "zip":
        return "docx" if zip_holds(data, "word/document.xml") else key
    if key == "ole":
        return "doc" if "WordDocument" in ole_stream_names(data) else key
    return key


def zip_holds(data: bytes, name: str) -> bool:
    """True when the zip's central directory lists `name` (nothing is decompressed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(info.filename == name for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False


_OLE_FREE = 0xFFFFFFFA  # sector numbers from here up are markers (end of chain, free, …)
_OLE_MAX_ENTRIES = 100_000  # directory entries read before giving up


def ole_stream_names(data: bytes) -> set[str]:
    """Names in an OLE2 compound file's directory (a minimal reader: header, FAT, the
    directory chain). Empty for a damaged file."""
    try:
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if shift not in (9, 12):
            return set()
        size = 1 << shift
        fat = _ole_fat(data, size)
        names: set[str] = set()
        sector, seen = struct.unpack_from("<I", data, 0x30)[0], set()
        while sector < _OLE_FREE and sector not in seen and len(names) < _OLE_MAX_ENTRIES:
            seen.add(sector)
            base = (sector + 1) * size
            for entry in range(base, min(base + size, len(data)) - 127, 128):
                length = struct.unpack_from("<H", data, entry + 0x40)[0]
                if 2 <= length <= 64:
                    names.add(data[entry : entry + length - 2].decode("utf-16-le", "replace"))
            sector = fat[sector] if sector < len(fat) else _OLE_FREE
        return names
    except struct.error:
        return set()


def _ole_fat(data: bytes, size: int) -> list[int]:
    """The file allocation table: the FAT sectors the header and the DIFAT chain list, read in order."""
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _OLE_FREE]
    difat, seen = struct.unpack_from("<I", data, 0x44)[0], set()
    per_sector = size // 4
    while difat < _OLE_FREE and difat not in seen and (difat + 2) * size <= len(data):
        seen.add(difat)
        entries = struct.unpack_from(f"<{per_sector}I", data, (difat + 1) * size)
        fat_sectors += [s for s in entries[:-1] if s < _OLE_FREE]
        difat = entries[-1]
    fat: list[int] = []
    for sector in fat_sectors:
        offset = (sector + 1) * size
        if offset + size <= len(data):
            fat += struct.unpack_from(f"<{per_sector}I", data, offset)
    return fat


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:8192])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    if name in _GB_FAMILY:
        return "gb18030"  # a superset: pages declaring gb2312 often use GBK characters
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _kind(text: str) -> str:
    return "html" if _HTML_SIGNS.search(text[:4096]) else "text"


def _looks_like_report_text(text: str) -> bool:
    return any(word in text for word in _REPORT_WORDS)


def decode(data: bytes, declared: str | None = None) -> DecodedPage:
    """Decode page bytes: BOM, then strict UTF-8, the declared charset, GB18030, Big5.

    `declared` is a charset from outside the document (an HTTP header, a sources
    entry). A page that declares nothing or the wrong charset is still read; so is a
    text with a few stray control characters (removed, with a warning). Raises
    DocumentError for empty, binary, unsupported or undecodable input.
    """
    key = sniff_format(data)
    if key == "image":
        raise DocumentError(Code.BINARY, f"{describe_format_of(data)}, not a page")
    if key != PAGE:
        raise DocumentError(Code.UNSUPPORTED_FORMAT, f"{describe_format(key)}, not an HTML or text page")
    return _without_controls(_decode_text(data, declared))


def _without_controls(page: DecodedPage) -> DecodedPage:
    """The page with its stray control characters removed (a warning counts them); a text
    with more than MAX_CONTROL_SHARE of them is binary data."""
    controls = len(_CONTROLS.findall(page.text))
    if not controls:
        return page
    if controls > len(page.text) * MAX_CONTROL_SHARE:
        raise DocumentError(Code.BINARY, f"{controls} control characters in {len(page.text)}: binary data, not a page")
    warning = Issue.of(Code.CONTROL_CHARACTERS, f"{controls} stray control characters (NUL, ESC, …) removed")
    return replace(page, text=_CONTROLS.sub("", page.text), warnings=(*page.warnings, warning))


def _decode_text(data: bytes, declared: str | None) -> DecodedPage:
    """The text of page bytes, in the first encoding that decodes it (see decode)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DocumentError(Code.ENCODING, f"byte-order mark says {encoding} but: {exc}") from None
            return DecodedPage(text, _kind(text), encoding)

    candidates: list[str] = ["utf-8"]
    for name in (declared, _declared_charset(data)):
        if name and name not in candidates:
            candidates.append(name)
    candidates += [c for c in ("gb18030", "big5") if c not in candidates]

    first_ok: DecodedPage | None = None
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        page = DecodedPage(text, _kind(text), encoding)
        if _looks_like_report_text(text):
            return page
        first_ok = first_ok or page
    if first_ok is not None:
        return first_ok

    # Nothing decodes cleanly: accept a few bad bytes (a truncated download, a stray
    # byte), never a page that is mostly undecodable.
    best = min(("utf-8", "gb18030"), key=lambda enc: data.decode(enc, "replace").count("\ufffd"))
    text = data.decode(best, "replace")
    bad = text.count("\ufffd")
    if bad <= max(2, len(text) // 1000):
        return DecodedPage(
            text,
            _kind(text),
            best,
            (Issue.of(Code.ENCODING_REPAIRED, f"{bad} undecodable byte sequences replaced ({best})"),),
        )
    raise DocumentError(Code.ENCODING, f"not valid UTF-8, GB18030 or Big5 ({bad} bad sequences as {best})")
