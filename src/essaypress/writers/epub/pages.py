"""Turn the print edition's PageMap into page-break markers in the essays and a nav page list.

Each page of the map becomes ``<span epub:type="pagebreak" role="doc-pagebreak"
id="page-N" aria-label="N"/>`` in the essay it begins in: before the essay's
title for the page where the essay begins, else before the first character
of that page inside the block (counted as ``pagemap.countable`` counts, note
numbers left out, so the position is the one the PDF writer measured),
inside whatever inline markup holds that character.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from ...log import warn
from ...pagemap import HEAD, PageMap, PageStart, countable
from .documents import Doc
from .names import clean

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
_NSMAP: Any = {None: XHTML, "epub": EPUB}


def mark_pages(page_map: PageMap, essays: dict[int, Doc]) -> list[tuple[str, str]]:
    """Insert the markers; the page list as (label, href) in page order."""
    out: list[tuple[str, str]] = []
    blocks: dict[int, tuple[Any, list[Any]]] = {}  # essay → section, body blocks (before markers)
    taken: dict[int, set[str]] = {}  # essay → the ids used in it
    for start in page_map.pages:
        doc = essays.get(start.essay)
        label = clean(start.label)
        if doc is None or doc.tree is None or not label:
            continue
        if start.essay not in blocks:
            blocks[start.essay] = _blocks(doc)
            taken[start.essay] = {el.get("id") for el in doc.tree.iter() if el.get("id")}
        section, body = blocks[start.essay]
        ident = _free_id(
            taken[start.essay], "page-" + "".join(c if c.isalnum() else "-" for c in label)
        )
        if _place(section, body, start, _marker(ident, label)):
            out.append((label, f"{doc.name}#{ident}"))
        else:
            warn("epub-page", f"page {label} of the print edition has no place here", doc.where)
    return out


def _blocks(doc: Doc) -> tuple[Any, list[Any]]:
    """The essay's section and the top-level blocks of its body."""
    root = doc.tree.getroot()
    section = root.find(f".//{{{XHTML}}}section")
    for div in root.iter(f"{{{XHTML}}}div"):
        if "essay-body" in (div.get("class") or "").split():
            return section, [b for b in div if isinstance(b.tag, str)]
    return section, []


def _marker(ident: str, label: str) -> Any:
    span = etree.Element(f"{{{XHTML}}}span", nsmap=_NSMAP)
    span.set(f"{{{EPUB}}}type", "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("id", ident)
    span.set("aria-label", label)
    return span


def _free_id(taken: set[str], ident: str) -> str:
    """``ident``, or ``ident-2``, ``ident-3``… if taken; the one chosen is taken from now on."""
    name, n = ident, 1
    while name in taken:
        n += 1
        name = f"{ident}-{n}"
    taken.add(name)
    return name


def _place(section: Any, blocks: list[Any], start: PageStart, marker: Any) -> bool:
    if start.block == HEAD:
        if section is None:
            return False
        section.insert(0, marker)
        return True
    if not 0 <= start.block < len(blocks):
        return False
    block = blocks[start.block]
    if start.offset > 0 and _insert_at(block, start.offset, marker):
        return True
    if start.offset > 0:  # the page begins after the block's last character
        block.addnext(marker)
        marker.tail, block.tail = block.tail, None
        return True
    block.addprevious(marker)
    return True


def _insert_at(block: Any, offset: int, marker: Any) -> bool:
    """Put the marker before the countable character number ``offset`` (from 0) of the block."""
    seen = 0
    for owner, is_tail in _texts(block):
        text = (owner.tail if is_tail else owner.text) or ""
        for i, char in enumerate(text):
            if not countable(char):
                continue
            if seen == offset:
                before, after = text[:i], text[i:]
                if is_tail:
                    owner.tail = before
                    owner.addnext(marker)
                else:
                    owner.text = before
                    owner.insert(0, marker)
                marker.tail = after
                return True
            seen += 1
    return False


def _texts(el: Any) -> Iterator[tuple[Any, bool]]:
    """The text nodes inside ``el`` in order, as (element, is its tail); note numbers left out."""
    if el.get(f"{{{EPUB}}}type") == "noteref":
        return
    yield el, False
    for child in el:
        if isinstance(child.tag, str):
            yield from _texts(child)
        yield child, True


def page_list_nav(pages: list[tuple[str, str]], title: str) -> Any:
    """``<nav epub:type="page-list">`` for the navigation document (hidden from the text)."""
    nav = etree.Element(f"{{{XHTML}}}nav", nsmap=_NSMAP)
    nav.set(f"{{{EPUB}}}type", "page-list")
    nav.set("id", "page-list")
    nav.set("hidden", "hidden")
    nav.set("aria-label", title)
    heading = etree.SubElement(nav, f"{{{XHTML}}}h2")
    heading.text = title
    ol = etree.SubElement(nav, f"{{{XHTML}}}ol")
    for label, href in pages:
        a = etree.SubElement(etree.SubElement(ol, f"{{{XHTML}}}li"), f"{{{XHTML}}}a")
        a.set("href", href)
        a.text = label
    return nav
