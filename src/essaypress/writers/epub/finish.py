"""Turn rendered XHTML into checked trees: well-formed, unique ids, live links, TOC sections."""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from ...errors import LayoutError
from ...log import warn
from .documents import Doc, Entry
from .names import clean

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def check(docs: list[Doc]) -> None:
    """Parse every document, make ids unique, unlink links that lead nowhere, find sections."""
    for doc in docs:
        try:
            doc.tree = etree.fromstring(doc.xhtml.encode("utf-8"), _PARSER).getroottree()
        except etree.XMLSyntaxError as exc:
            raise LayoutError(
                f"{doc.name} is not well-formed XHTML: {exc}",
                hint="check the layout's epub/ templates",
            ) from None
    ids = {doc.name: _unique_ids(doc) for doc in docs}
    for doc in docs:
        for a in doc.tree.iter(f"{{{XHTML}}}a"):
            href = a.get("href")
            if href is not None and not _resolves(href, doc.name, ids):
                del a.attrib["href"]
                warn(
                    "epub-link", f"link {href!r} leads nowhere in the EPUB; kept as text", doc.where
                )
        doc.sections = _sections(doc)


def serialize(doc: Doc) -> bytes:
    data: bytes = etree.tostring(doc.tree, encoding="utf-8", xml_declaration=True)
    return data


def _unique_ids(doc: Doc) -> set[str]:
    seen: set[str] = set()
    for el in doc.tree.iter():
        ident = el.get("id")
        if ident is None:
            continue
        if ident in seen:
            n = 2
            while f"{ident}-{n}" in seen:
                n += 1
            el.set("id", f"{ident}-{n}")
            warn("epub-duplicate-id", f"id {ident!r} is used twice; renamed", doc.where)
        seen.add(el.get("id"))
    return seen


def _resolves(href: str, base: str, ids: dict[str, set[str]]) -> bool:
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    if parts.scheme or parts.netloc:
        return True
    path = unquote(parts.path)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(base), path)) if path else base
    return target in ids and (not parts.fragment or unquote(parts.fragment) in ids[target])


def _sections(doc: Doc) -> list[Entry]:
    """The essay's h2 and h3 headings (its section levels 1 and 2) as nested TOC entries."""
    out: list[Entry] = []
    for h in doc.tree.iter(f"{{{XHTML}}}h2", f"{{{XHTML}}}h3"):
        if any(a.tag == f"{{{XHTML}}}aside" for a in h.iterancestors()):
            continue
        text, ident = clean(_text(h)), h.get("id")
        if not text or not ident:
            continue
        entry = Entry(text, f"{doc.name}#{ident}")
        if h.tag == f"{{{XHTML}}}h3" and out:
            out[-1].children.append(entry)
        else:
            out.append(entry)
    return out


def _text(el: Any) -> str:
    """An element's text without the numbers of note references."""
    if el.get(f"{{{EPUB}}}type") == "noteref":
        return ""
    return (el.text or "") + "".join(_text(c) + (c.tail or "") for c in el)


def images(docs: list[Doc]) -> list[Any]:
    """Every ``<img>`` of the documents, for the accessibility metadata."""
    return [img for d in docs for img in d.tree.iter(f"{{{XHTML}}}img")]
