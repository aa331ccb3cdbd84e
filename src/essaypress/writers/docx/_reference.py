"""Turn a layout's unpacked reference document (or a user's reference.docx) into .docx bytes.

The built-in reference lives unpacked as pretty-printed XML under
``layouts/<name>/docx/`` so that it diffs; it is zipped here at build time
(comments stripped, fixed member order and timestamps). A layout may instead
hold a ready ``docx/reference.docx``, and a user may pass one from
anthology.toml: those are checked (a real Word package, bounded size) and used
as they are. ``save`` zips python-docx's parts byte-reproducibly.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from docx.opc.pkgwriter import _ContentTypesItem
from lxml import etree

from ...errors import LayoutError, ReaderError
from ...layouts import DEFAULT_LAYOUT, builtin_layouts_dir
from ...model.nodes import SourceRef
from ...options import Layout
from ...readers.docx._zipcheck import check_zip

USER_REFERENCE = "reference.docx"
MAX_MEMBERS = 2000
MAX_UNPACKED = 64 * 1024 * 1024  # bytes; a reference is styles, not content
_TEMPLATE_CT = b"wordprocessingml.template.main+xml"
_DOCUMENT_CT = b"wordprocessingml.document.main+xml"
_FIRST = ("[Content_Types].xml", "_rels/.rels")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
               ValueError, NotImplementedError, RuntimeError, struct.error)  # fmt: skip
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                          remove_blank_text=True)  # fmt: skip


@dataclass(frozen=True)
class Reference:
    """A reference document: its bytes, where it came from, and whether essaypress owns it.

    ``unpacked`` is true for a layout's XML folder: its fonts and tab stops are
    then retargeted to the layout's settings. A user's own .docx is left as is.
    """

    data: bytes
    where: str
    unpacked: bool


def layout_reference(layout: Layout) -> Reference:
    """The reference document of a layout: ``docx/reference.docx``, else the unpacked ``docx/``.

    A layout without a ``docx/`` folder uses the one of the layout it extends,
    else the built-in booklet-a5 reference.
    """
    folder = layout.folder("docx")
    packed = folder / USER_REFERENCE
    if packed.is_file():
        return user_reference(packed.read_bytes(), str(packed))
    if not (folder / "[Content_Types].xml").is_file():
        folder = builtin_layouts_dir() / DEFAULT_LAYOUT / "docx"
    return Reference(zip_folder(folder), str(folder), unpacked=True)


def user_reference(data: bytes, where: str) -> Reference:
    """Check a user's reference.docx (or .dotx) and make it loadable by python-docx."""
    hint = "give a .docx saved by Word, WPS or LibreOffice"
    try:
        check_zip(data, SourceRef(where))  # a zip bomb's directory or overlapping members
    except ReaderError as exc:
        raise LayoutError(exc.message, path=where, hint=hint) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise LayoutError(
                    "reference document is too large when unpacked",
                    path=where,
                    hint="a reference document holds styles, not content",
                )
            names = [i.filename for i in infos]
            if "[Content_Types].xml" not in names or "word/styles.xml" not in names:
                raise LayoutError("reference document has no Word styles", path=where, hint=hint)
            members = [(i, zf.read(i)) for i in infos]
    except _ZIP_ERRORS as exc:  # also a password-protected file, an unknown compression
        raise LayoutError(f"reference document is not a Word file ({exc})", path=where,
                          hint=hint) from None  # fmt: skip
    if not any(_TEMPLATE_CT in body for info, body in members if info.filename == _FIRST[0]):
        return Reference(data, where, unpacked=False)
    out = io.BytesIO()  # a .dotx: python-docx only opens the document content type
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, body in members:
            if info.filename == _FIRST[0]:
                body = body.replace(_TEMPLATE_CT, _DOCUMENT_CT)
            zf.writestr(info, body)
    return Reference(out.getvalue(), where, unpacked=False)


def zip_folder(folder: Path) -> bytes:
    """Zip an unpacked Word package; each XML part is checked and its comments dropped."""
    members: dict[str, bytes] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if not name.endswith((".xml", ".rels", ".png", ".jpeg", ".jpg", ".emf", ".wmf")):
            continue  # README, editor backups, .DS_Store, the packed reference.docx
        if any(part.startswith((".", "~$")) and part != ".rels" for part in name.split("/")):
            continue
        data = path.read_bytes()
        if name.endswith((".xml", ".rels")):
            try:
                tree = etree.fromstring(data, _PARSER)
            except etree.XMLSyntaxError as exc:
                raise LayoutError(
                    f"not well-formed XML: {exc}",
                    path=str(path),
                    hint="fix it or copy it again from the built-in layout",
                ) from None
            data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
        members[name] = data
    missing = [n for n in _FIRST if n not in members]
    if missing:
        raise LayoutError(f"reference document folder has no {missing[0]}", path=str(folder))
    return _write_zip(list(members.items()), (1980, 1, 1, 0, 0, 0))


def save(doc: Document, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The document as .docx bytes: python-docx's members in its order, zipped once, with
    fixed timestamps and modes (``Document.save`` stamps the time of day)."""
    package = doc.part.package
    assert package is not None
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
    members = [("[Content_Types].xml", types.blob),
               ("_rels/.rels", package.rels.xml)]  # fmt: skip
    for part in parts:
        members.append((part.partname.membername, part.blob))
        if len(part.rels):
            members.append((part.partname.rels_uri.membername, part.rels.xml))
    return _write_zip(members, date_time)


def _write_zip(members: list[tuple[str, bytes]], date_time: tuple[int, int, int, int, int, int]
               ) -> bytes:  # fmt: skip
    first = [m for name in _FIRST for m in members if m[0] == name]
    rest = [m for m in members if m[0] not in _FIRST]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in first + rest:
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, body, compresslevel=6)
    return out.getvalue()
