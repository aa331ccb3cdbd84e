"""Turn ebooklib's NCX into the finished one: the print page list, every target in reading order.

EPUB 2 readers take the print page numbers from the NCX ``pageList``
(``pageTarget type="normal" value="N"``, one per page of the nav page list).
Every ``navPoint`` and ``pageTarget`` gets a ``playOrder``: its target's rank
in reading order (spine document, then the target element's position in it),
so targets that are the same share a number and the numbers have no gaps, as
the NCX schema EPUBCheck applies demands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from lxml import etree

from .documents import Doc

NCX = "http://www.daisy.org/z3986/2005/ncx/"
_ROMAN = re.compile(r"^[ivxlcdm]+$", re.I)


def finish_ncx(
    ncx_xml: bytes,
    docs: Sequence[Doc],
    pages: Sequence[tuple[str, str]] | None,
    title: str,
    page_count: int,
) -> bytes:
    """The NCX with a ``pageList`` (when there are ``pages``) and ``playOrder`` everywhere.

    ``pages``: (label, href) in page order, as in the nav page list; ``title``
    labels the list; ``page_count``: the pages of the print edition.
    """
    root = etree.fromstring(ncx_xml, etree.XMLParser(resolve_entities=False, no_network=True))
    nav_map = root.find(f"{{{NCX}}}navMap")
    if pages and nav_map is not None:
        nav_map.addnext(_page_list(pages, title))
        numbers = [int(label) for label, _ in pages if label.isdigit()]
        _head_meta(root, "dtb:totalPageCount", str(max(page_count, len(pages))))
        _head_meta(root, "dtb:maxPageNumber", str(max(numbers, default=0)))
    _play_order(root, docs)
    out: bytes = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return out


def _page_list(pages: Sequence[tuple[str, str]], title: str) -> Any:
    page_list = etree.Element(f"{{{NCX}}}pageList")
    _label(page_list, title)
    for n, (label, href) in enumerate(pages, 1):
        target = etree.SubElement(page_list, f"{{{NCX}}}pageTarget")
        target.set("id", f"pagetarget-{n}")
        if label.isdigit():
            target.set("type", "normal")
            target.set("value", str(int(label)))
        else:
            target.set("type", "front" if _ROMAN.match(label) else "special")
        _label(target, label)
        etree.SubElement(target, f"{{{NCX}}}content").set("src", href)
    return page_list


def _label(parent: Any, text: str) -> None:
    label = etree.SubElement(parent, f"{{{NCX}}}navLabel")
    etree.SubElement(label, f"{{{NCX}}}text").text = text


def _head_meta(root: Any, name: str, content: str) -> None:
    head = root.find(f"{{{NCX}}}head")
    if head is None:
        return
    for meta in head.iterfind(f"{{{NCX}}}meta"):
        if meta.get("name") == name:
            meta.set("content", content)
            return
    etree.SubElement(head, f"{{{NCX}}}meta", name=name, content=content)


def _play_order(root: Any, docs: Sequence[Doc]) -> None:
    """Number every navPoint and pageTarget by its target's place in reading order."""
    points = [
        el
        for el in root.iter(f"{{{NCX}}}navPoint", f"{{{NCX}}}pageTarget")
        if el.find(f"{{{NCX}}}content") is not None
    ]
    spine = {d.name: i for i, d in enumerate(docs)}
    trees = {d.name: d.tree for d in docs}
    positions: dict[str, dict[str, int]] = {}

    def place(src: str) -> tuple[int, int, str]:
        path, _, frag = src.partition("#")
        if path not in spine:  # not expected: after everything, in a stable order
            return (len(spine), 0, src)
        if not frag:
            return (spine[path], -1, "")
        if path not in positions:
            tree = trees[path]
            positions[path] = {}
            for n, el in enumerate(tree.iter() if tree is not None else ()):
                ident = el.get("id") if isinstance(el.tag, str) else None
                if ident is not None:
                    positions[path].setdefault(ident, n)
        return (spine[path], positions[path].get(frag, -1), frag)

    srcs = {el: el.find(f"{{{NCX}}}content").get("src", "") for el in points}
    ranks = {src: n for n, src in enumerate(sorted(set(srcs.values()), key=place), 1)}
    for el in points:
        el.set("playOrder", str(ranks[srcs[el]]))
