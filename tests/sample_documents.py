"""Small PDF, DOCX and OLE files written by hand for the reader tests: garbled text
layers, scans, and hostile files (each a few kilobytes on disk)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def make_pdf(objects: list[bytes], eof: bool = True, info: bytes | None = None) -> bytes:
    """A PDF of the numbered objects (1 is the catalog), with a correct cross-reference
    table; `info` is the document information dictionary."""
    if info is not None:
        objects = [*objects, info]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info_ref = b" /Info %d 0 R" % len(objects) if info is not None else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n" % (len(objects) + 1, info_ref, xref)
    if eof:
        out += b"%%EOF\n"
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def text_pdf(lines_per_page: list[list[str]], info: bytes | None = None) -> bytes:
    """Pages of ASCII lines in Helvetica (no font embedded)."""
    n = len(lines_per_page)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for lines in lines_per_page:
        content = b"BT /F1 12 Tf 72 760 Td 16 TL " + b"".join(b"(%s) Tj T* " % line.encode("latin-1") for line in lines)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
            % (len(objects) + 2)
        )
        objects.append(_stream(content + b"ET"))
    return make_pdf(objects, info=info)


def type3_pdf(glyph_count: int = 300, text_page: list[str] | None = None) -> bytes:
    """A page of text in a Type3 font whose glyphs have no Unicode map (no ToUnicode,
    glyph names outside the Adobe list): the text layer gives `(cid:N)`. With `text_page`,
    a readable Helvetica page comes first."""
    names = b" ".join(b"/g%d" % i for i in range(1, 11))
    procs = b" ".join(b"/g%d 6 0 R" % i for i in range(1, 11))
    font = (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
        b"/CharProcs << %s >> /Encoding << /Type /Encoding /Differences [1 %s] >> "
        b"/FirstChar 1 /LastChar 10 /Widths [%s] >>" % (procs, names, b" ".join([b"1000"] * 10))
    )
    text = bytes((i % 10) + 1 for i in range(glyph_count))
    escaped = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    content = b"BT /F1 12 Tf 72 760 Td 16 TL " + b"".join(
        b"(%s) Tj T* " % escaped[i : i + 30] for i in range(0, len(escaped), 30)
    )
    kids = b"[4 0 R]" if text_page is None else b"[7 0 R 4 0 R]"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids %s /Count %d >>" % (kids, 1 if text_page is None else 2),
        font,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        _stream(content + b"ET"),
        _stream(b"1000 0 0 0 1000 1000 d1 0 0 1000 1000 re f"),
    ]
    if text_page is not None:
        readable = b"BT /F2 12 Tf 72 760 Td 16 TL " + b"".join(b"(%s) Tj T* " % t.encode("latin-1") for t in text_page)
        objects += [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F2 9 0 R >> >> /Contents 8 0 R >>",
            _stream(readable + b"ET"),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    return make_pdf(objects)


def scan_pdf() -> bytes:
    """One page that is a picture (a grey image drawn over the whole page), no text."""
    pixels = zlib.compress(bytes([128]) * 64)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
        _stream(
            pixels,
            b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
        ),
    ]
    return make_pdf(objects)


def three_line_table_pdf(rows: list[list[str]], rules_after: tuple[int, ...] = (0,)) -> bytes:
    """One page with a table drawn with horizontal rules only: above the table, after the
    rows in `rules_after`, and below it. Cells are placed at fixed columns; an empty
    string leaves its position blank."""
    columns = [72, 250, 330, 410]
    top, height = 700, 20
    content = b"0.8 w "
    rule_rows = [-1, *rules_after, len(rows) - 1]
    for r in rule_rows:
        y = top - (r + 1) * height + 5
        content += b"70 %d m 480 %d l S " % (y, y)
    content += b"BT /F1 11 Tf "
    for r, row in enumerate(rows):
        for x, text in zip(columns, row):
            if text:
                content += b"1 0 0 1 %d %d Tm (%s) Tj " % (x, top - (r + 1) * height + 10, text.encode("latin-1"))
    content += b"1 0 0 1 72 760 Tm (Table 4 follows) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        _stream(content),
    ]
    return make_pdf(objects)


def claims_many_pages(count: int = 100_000) -> bytes:
    """A page tree that claims `count` pages (and holds one)."""
    pdf = text_pdf([["Annual report"]])
    return pdf.replace(b"/Count 1 >>", b"/Count %d >>" % count)


def many_pages(count: int) -> bytes:
    """`count` real (empty) pages, with a page tree that claims only one."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count 1 >>" % kids]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count
    return make_pdf(objects)


def deeply_nested_pdf(depth: int = 50_000) -> bytes:
    """A page whose MediaBox is an array nested `depth` levels deep."""
    box = b"[" * depth + b"0 0 595 842" + b"]" * depth
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox %s >>" % box,
    ]
    return make_pdf(objects)


def deep_page_tree(depth: int = 5_000) -> bytes:
    """A page tree of `depth` nested /Pages nodes above a single page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (3 + level))
    objects.append(b"<< /Type /Page /MediaBox [0 0 595 842] >>")
    return make_pdf(objects)


# --- Word ---------------------------------------------------------------------------------

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    b"</Relationships>"
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


_CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title>'
    '<dcterms:created xsi:type="dcterms:W3CDTF">2021-01-05T08:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2021-01-06T08:00:00Z</dcterms:modified></cp:coreProperties>'
)


def make_docx(body: str, core_title: str | None = None) -> bytes:
    """A minimal .docx whose body is the given WordprocessingML; with `core_title`, core
    properties with that title and created/modified dates."""
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    )
    types, rels = _CONTENT_TYPES, _RELS
    if core_title is not None:
        types = types.replace(
            b"</Types>",
            b'<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>',
        )
        rels = rels.replace(
            b"</Relationships>",
            b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document.encode())
        if core_title is not None:
            archive.writestr("docProps/core.xml", _CORE.format(title=core_title).encode())
    return out.getvalue()


def zip_bomb_docx(unpacked: int = 100 * 1024 * 1024) -> bytes:
    """A .docx whose document.xml is `unpacked` bytes of spaces compressed about 1000:1."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def huge_xml_docx(claimed: int = 1024**3) -> bytes:
    """A .docx whose directory says document.xml unpacks to `claimed` bytes (1 GB)."""
    data = bytearray(make_docx("<w:p><w:r><w:t>x</w:t></w:r></w:p>"))
    name = b"word/document.xml"
    local = data.find(b"PK\x03\x04" + data[4:4])  # first local header
    while local >= 0:
        if data[local + 30 : local + 30 + len(name)] == name:
            struct.pack_into("<I", data, local + 22, claimed)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        if data[central + 46 : central + 46 + len(name)] == name:
            struct.pack_into("<I", data, central + 24, claimed)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


# --- OLE2 -----------------------------------------------------------------------------------


def make_ole(stream_names: list[str]) -> bytes:
    """A minimal OLE2 compound file (512-byte sectors) whose directory lists these streams
    (empty). Sector 0 is the FAT, sector 1 the directory."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9)
    struct.pack_into("<H", header, 0x20, 6)
    struct.pack_into("<I", header, 0x2C, 1)  # one FAT sector
    struct.pack_into("<I", header, 0x30, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 0x38, 4096)
    struct.pack_into("<III", header, 0x3C, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)
    directory = bytearray(512)
    for i, name in enumerate(["Root Entry", *stream_names][:4]):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry = i * 128
        directory[entry : entry + len(encoded)] = encoded
        struct.pack_into("<HB", directory, entry + 0x40, len(encoded), 5 if i == 0 else 2)
    return bytes(header + fat + directory)
