"""Turn a zip's raw structure into a verdict before it is unpacked: bounded directory, no overlaps.

Two zip bombs get past checks on the members' declared sizes: a central
directory with millions of entries (slow and large to list), and entries whose
data overlap, so one compressed stream is unpacked many times (David Fifield's
"non-recursive zip bomb"; Python before 3.11.8 does not detect it). Both are
refused here, along with two members of the same name (which one would be read
is ambiguous). Anything this module cannot make sense of is left to ``zipfile``,
whose own errors the package reports.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from itertools import pairwise

from ...errors import ReaderError
from ...model.nodes import SourceRef

MAX_DIRECTORY_BYTES = 2 * 1024 * 1024
"""Largest central directory read: room for ~5000 members with long names."""

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_LOCAL = b"PK\x03\x04"
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
               ValueError, NotImplementedError, RuntimeError, struct.error)  # fmt: skip
_HINT = "this is not an ordinary Word document; open it in Word and save it again"


def check_zip(data: bytes, source: SourceRef) -> None:
    """Raise ``ReaderError`` if the zip in ``data`` is built to make unpacking explode."""

    def refuse(message: str) -> ReaderError:
        return ReaderError(f"refused: {message}", path=source.path, hint=_HINT)

    size = _directory_size(data)
    if size is not None and size > MAX_DIRECTORY_BYTES:
        raise refuse(
            f"the zip's directory is {size // 1024} KB, far more than a Word document needs "
            "(tens of thousands of members?)"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        directory_start = int(getattr(archive, "start_dir", len(data)))
    except _ZIP_ERRORS:
        return  # not a zip that zipfile reads: the package says so
    seen: set[str] = set()
    for info in infos:
        name = info.filename.lower()
        if name in seen:
            raise refuse(f"the zip holds two members named {info.filename!r}")
        seen.add(name)
    spans = sorted((_span(data, info), info.filename) for info in infos)
    for ((_, end), name), ((next_start, _), next_name) in pairwise(spans):
        if end > next_start:
            raise refuse(f"zip members {name!r} and {next_name!r} overlap (a zip bomb?)")
    if spans and spans[-1][0][1] > directory_start:
        raise refuse(f"zip member {spans[-1][1]!r} overlaps the zip's directory (a zip bomb?)")


def _span(data: bytes, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Where a member's local header starts and its compressed data ends."""
    start = info.header_offset
    header = data[start : start + 30]
    if len(header) < 30 or not header.startswith(_LOCAL):
        return start, start + 1  # zipfile refuses it when read ("bad magic number")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    return start, start + 30 + name_len + extra_len + info.compress_size


def _directory_size(data: bytes) -> int | None:
    """The central directory's size from the end record (found as ``zipfile`` finds it)."""
    end = data.rfind(_EOCD, max(0, len(data) - 22 - 65535))
    if end < 0 or len(data) - end < 22:
        return None
    (size,) = struct.unpack("<I", data[end + 12 : end + 16])
    locator = end - 20
    if locator >= 56 and data[locator : locator + 4] == _EOCD64_LOCATOR:
        record = data[locator - 56 : locator]
        if record.startswith(b"PK\x06\x06"):
            (size,) = struct.unpack("<Q", record[40:48])
    return int(size)
