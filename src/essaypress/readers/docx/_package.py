"""Turn the bytes of a .docx into checked parts: a bounded zip, safe XML, resolved relationships.

Every failure here becomes a one-line ``ReaderError`` naming the file: not a
zip, an encrypted or legacy (OLE) document, a zip bomb, a missing main part,
damaged XML. Strict OOXML namespaces are rewritten to the transitional ones.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from ...errors import ReaderError
from ...model.nodes import SourceRef
from ._ns import CT_NS, PKG_REL_NS, STRICT_PREFIX, STRICT_TO_TRANSITIONAL, W_NS
from ._zipcheck import check_zip

MAX_MEMBERS = 5000
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_PART_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024  # ratios are only checked above this uncompressed size

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)
_RESAVE = "open it in Word and save it again as .docx"


@dataclass(frozen=True, slots=True)
class Rel:
    """One relationship: its type's last path segment, and a part name or an external URL."""

    kind: str
    target: str
    external: bool


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def _unstrict(root: etree._Element) -> None:
    """Rewrite Strict OOXML namespace URIs (tags and attributes) to the transitional ones."""
    for el in root.iter():
        tag = el.tag
        if isinstance(tag, str) and tag.startswith("{" + STRICT_PREFIX):
            uri, _, local = tag[1:].partition("}")
            if uri in STRICT_TO_TRANSITIONAL:
                el.tag = f"{{{STRICT_TO_TRANSITIONAL[uri]}}}{local}"
        for key in [str(k) for k in el.attrib if str(k).startswith("{" + STRICT_PREFIX)]:
            uri, _, local = key[1:].partition("}")
            if uri in STRICT_TO_TRANSITIONAL:
                value = el.attrib.pop(key)
                el.set(f"{{{STRICT_TO_TRANSITIONAL[uri]}}}{local}", value)


class Package:
    """A .docx opened for reading: parts by name, XML parsed safely, relationships resolved."""

    def __init__(self, data: bytes, source: SourceRef) -> None:
        self.source = source
        _sniff(data, source)
        check_zip(data, source)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except _ZIP_ERRORS:
            raise self.error(
                "not a Word document (not a zip file)", "save it as .docx from Word"
            ) from None
        _check_bomb(infos, self)
        self._names = {info.filename.lower(): info for info in infos if not info.is_dir()}
        self._rels: dict[str, dict[str, Rel]] = {}
        self.content_types = self._content_types()
        self.main = self._main_part()

    def error(self, message: str, hint: str = "") -> ReaderError:
        return ReaderError(message, path=self.source.path, hint=hint)

    # ----------------------------------------------------------------- parts

    def has(self, name: str) -> bool:
        return name.lower() in self._names

    def read(self, name: str) -> bytes | None:
        """The bytes of a part, or None when the package has no such part."""
        info = self._names.get(name.lower())
        if info is None:
            return None
        try:
            return self._zip.read(info)
        except _ZIP_ERRORS:
            raise self.error(
                f"damaged Word document ({name} cannot be unpacked)", _RESAVE
            ) from None

    def xml(self, name: str) -> etree._Element | None:
        """The parsed root of an XML part, or None when the part is missing."""
        data = self.read(name)
        if data is None:
            return None
        try:
            root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as exc:
            line = exc.lineno or 0
            msg = (exc.msg or "XML error").splitlines()[0]
            raise self.error(
                f"damaged Word document ({name}, line {line}: {msg})", _RESAVE
            ) from None
        if getattr(root.getroottree().docinfo, "doctype", ""):
            raise self.error(f"damaged Word document ({name} declares a DTD)", _RESAVE)
        if any(
            isinstance(uri, str) and uri.startswith(STRICT_PREFIX) for uri in root.nsmap.values()
        ):
            _unstrict(root)
        return root

    def media_type(self, name: str) -> str:
        key = "/" + name.lower()
        if key in self.content_types:
            return self.content_types[key]
        return self.content_types.get(posixpath.splitext(key)[1].lstrip("."), "")

    # --------------------------------------------------------- relationships

    def rels(self, part: str) -> dict[str, Rel]:
        """The relationships of ``part`` ("" for the package), by id."""
        if part in self._rels:
            return self._rels[part]
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        out: dict[str, Rel] = {}
        root = self.xml(rels_name)
        if root is not None:
            for el in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
                rid, kind, target = el.get("Id"), el.get("Type", ""), el.get("Target", "")
                if not rid:
                    continue
                kind = kind.rstrip("/").rsplit("/", 1)[-1]
                if el.get("TargetMode", "") == "External":
                    out[rid] = Rel(kind, target, True)
                else:
                    out[rid] = Rel(kind, _resolve(folder, target), False)
        self._rels[part] = out
        return out

    def related(self, part: str, kind: str) -> str | None:
        """The first internal part that ``part`` relates to with relationship type ``kind``."""
        for rel in self.rels(part).values():
            if rel.kind == kind and not rel.external and self.has(rel.target):
                return rel.target
        return None

    # --------------------------------------------------------------- private

    def _content_types(self) -> dict[str, str]:
        root = self.xml("[Content_Types].xml")
        out: dict[str, str] = {}
        if root is None:
            return out
        for el in root:
            if el.tag == f"{{{CT_NS}}}Default":
                out[el.get("Extension", "").lower()] = el.get("ContentType", "")
            elif el.tag == f"{{{CT_NS}}}Override":
                out[el.get("PartName", "").lower()] = el.get("ContentType", "")
        return out

    def _main_part(self) -> str:
        main = self.related("", "officeDocument") or "word/document.xml"
        if not self.has(main):
            if self.has("xl/workbook.xml"):
                raise self.error("this is an Excel workbook, not a Word document")
            if self.has("ppt/presentation.xml"):
                raise self.error("this is a PowerPoint presentation, not a Word document")
            raise self.error(
                "not a Word document (the zip has no word/document.xml)",
                "save it as .docx from Word",
            )
        return main


def _resolve(folder: str, target: str) -> str:
    target = unquote(target.split("#", 1)[0])
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    return posixpath.normpath(path).lstrip("/")


def _sniff(data: bytes, source: SourceRef) -> None:
    def fail(message: str, hint: str) -> ReaderError:
        return ReaderError(message, path=source.path, hint=hint)

    if not data:
        raise fail("the file is empty", "save the essay again as .docx")
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_INFO in data:
            raise fail(
                "the Word document is password-protected (encrypted)",
                "remove the password in Word (File › Info › Protect Document) and save again",
            )
        raise fail(
            "this is an old Word 97–2003 .doc file, not .docx", "open it in Word and save as .docx"
        )
    if data.startswith(b"{\\rtf"):
        raise fail("this is an RTF file, not .docx", "open it in Word and save as .docx")


def _check_bomb(infos: list[zipfile.ZipInfo], pkg: Package) -> None:
    if len(infos) > MAX_MEMBERS:
        raise pkg.error(
            f"refused: the zip has {len(infos)} members (limit {MAX_MEMBERS})",
            "this is not an ordinary Word document",
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise pkg.error(
                f"refused: unpacks to more than {MAX_TOTAL_BYTES // 2**20} MB (a zip bomb?)",
                "make the document smaller (compress its pictures) and save it again",
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise pkg.error(
                f"refused: {info.filename} is compressed more than {MAX_RATIO}:1 (a zip bomb?)",
                "this is not an ordinary Word document",
            )


def is_word_root(root: etree._Element) -> bool:
    return bool(root.tag == f"{{{W_NS}}}document")
