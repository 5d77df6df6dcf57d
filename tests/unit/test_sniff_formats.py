"""Formats are sniffed from the bytes, never the file name."""

import io
import zipfile

import pytest
import sample_documents as samples
from helpers import DOCUMENTS

from pipelines.issues import DocumentError
from pipelines.parse.decode import PAGE, decode, ole_stream_names, sniff_format
from pipelines.parse.readers import READERS, open_document


def zipped(names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, b"<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ((DOCUMENTS / "002.pdf").read_bytes(), "pdf"),
        (b"\xef\xbb\xbf%PDF-1.4\n" + b"x" * 100, "pdf"),  # after a byte-order mark
        (b"\r\n  junk\r\n%PDF-1.7\n" + b"x" * 100, "pdf"),  # after a few junk bytes
        ((DOCUMENTS / "004.docx").read_bytes(), "docx"),
        (zipped(["[Content_Types].xml", "word/document.xml"]), "docx"),
        (zipped(["[Content_Types].xml", "xl/workbook.xml"]), "zip"),  # an .xlsx
        ((DOCUMENTS / "002.doc").read_bytes(), "doc"),
        (samples.make_ole(["WordDocument", "1Table"]), "doc"),
        (samples.make_ole(["Workbook"]), "ole"),  # an .xls
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 50, "image"),
        (b"II*\x00" + b"\x00" * 50, "image"),
        (b"MM\x00*" + b"\x00" * 50, "image"),
        ("<html><body><p>下载 %PDF-1.4 格式</p></body></html>".encode(), PAGE),  # a page that mentions it
    ],
)
def test_format_from_bytes(data: bytes, key: str) -> None:
    assert sniff_format(data) == key


def test_the_ole_directory_is_read() -> None:
    assert {"WordDocument", "1Table"} <= ole_stream_names((DOCUMENTS / "002.doc").read_bytes())
    assert ole_stream_names(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 100) == set()  # damaged: no names


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (zipped(["xl/workbook.xml"]), "unsupported_format"),
        (samples.make_ole(["Workbook"]), "unsupported_format"),
        (b"{\\rtf1 hello}", "unsupported_format"),
    ],
)
def test_formats_without_a_reader(data: bytes, code: str) -> None:
    with pytest.raises(DocumentError) as caught:
        open_document(data)
    assert caught.value.code == code


def test_images_are_read_by_the_ocr_reader() -> None:
    raw = open_document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    assert raw.format == "image" and "image" in READERS


def test_decode_still_refuses_documents_as_pages() -> None:
    with pytest.raises(DocumentError) as caught:
        decode((DOCUMENTS / "002.pdf").read_bytes())
    assert caught.value.code == "unsupported_format"
