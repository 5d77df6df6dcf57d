"""Raw bytes: the document format sniffed from the bytes, and text pages decoded with
their encoding detected (TEMPLATES.md §6.2)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from pipelines.issues import Code, DocumentError, Issue

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

PAGE = "page"  # the format key of text to decode: an HTML page or plain text (`html`, `text`)
# Document formats recognised by their first bytes: (magic, format key, description).
DOCUMENT_FORMATS: list[tuple[bytes, str, str]] = [
    (b"%PDF", "pdf", "PDF document"),
    (b"PK\x03\x04", "zip", "ZIP container (docx/xlsx/odt)"),
    (b"\xd0\xcf\x11\xe0", "ole", "OLE document (doc/xls)"),
    (b"{\\rtf", "rtf", "RTF document"),
]
_BINARY = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x1f\x8b": "gzip data",
}
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
    return next((what for _magic, fmt, what in DOCUMENT_FORMATS if fmt == key), key)


def sniff_format(data: bytes) -> str:
    """The document's format key from its bytes: a document format of DOCUMENT_FORMATS, or
    PAGE for text. Raises DocumentError for empty and binary data."""
    if not data.strip():
        raise DocumentError(Code.EMPTY, "the file is empty or only whitespace")
    head = data[:8]
    for magic, key, _what in DOCUMENT_FORMATS:
        if head.startswith(magic):
            return key
    for magic, what in _BINARY.items():
        if head.startswith(magic):
            raise DocumentError(Code.BINARY, f"{what}, not a page")
    if not any(data.startswith(bom) for bom, _ in _BOMS[1:]) and b"\x00" in data[:65536]:
        raise DocumentError(Code.BINARY, "NUL bytes: binary data, not a page")
    return PAGE


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
    entry). A page that declares nothing or the wrong charset is still read. Raises
    DocumentError for empty, binary, unsupported or undecodable input.
    """
    key = sniff_format(data)
    if key != PAGE:
        raise DocumentError(Code.UNSUPPORTED_FORMAT, f"{describe_format(key)}, not an HTML or text page")
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
