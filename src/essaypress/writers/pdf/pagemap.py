"""Turn WeasyPrint's laid-out pages into a PageMap: where each page begins in which essay.

The book's HTML (``book.html.j2``) holds every essay as an ``article`` with
class ``essay`` (front, body and back matter in reading order), a ``header``
and a ``div.essay-body`` whose children are the blocks of the shared HTML
translator. Each page's boxes are walked in document order; the first box
that belongs to an essay's header or body block is where the page begins.
The character offset inside a block is found by aligning the text of the
block's boxes on earlier pages with the block's source text (``countable``
characters only, so a hyphen added at a line end is skipped). Footnote areas,
margin boxes and generated content (``::marker``, ``::before``) are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from weasyprint.formatting_structure import boxes

from ...pagemap import HEAD, PageMap, PageStart, countable

_NOTE_CLASSES = frozenset({"fn", "fn-para"})


def page_map(document: Any, root: Any) -> PageMap:
    """The map of a rendered ``weasyprint.Document`` whose HTML tree is ``root``."""
    blocks, sources = _blocks(root)
    consumed = dict.fromkeys(sources, 0)
    pages: list[PageStart] = []
    for number, page in enumerate(document.pages, 1):
        start: PageStart | None = None
        for key, text in _walk(page._page_box, blocks):
            if start is None:
                essay, block = key
                offset = consumed.get(key, 0)
                start = PageStart(str(number), essay, block, offset)
            if text and key in sources:
                consumed[key] = _advance(sources[key], consumed[key], text)
        if start is not None:
            pages.append(start)
    return PageMap(tuple(pages), len(document.pages))


def _blocks(root: Any) -> tuple[dict[int, tuple[int, int]], dict[tuple[int, int], str]]:
    """Element (by id) → (essay, block), and each block's countable source text."""
    owner: dict[int, tuple[int, int]] = {}
    sources: dict[tuple[int, int], str] = {}
    articles = [a for a in root.iter("article") if "essay" in (a.get("class") or "").split()]
    for n, article in enumerate(articles):
        for child in article:
            classes = (child.get("class") or "").split()
            if child.tag == "header":
                owner[id(child)] = (n, HEAD)
            elif "essay-body" in classes:
                for i, block in enumerate(b for b in child if isinstance(b.tag, str)):
                    owner[id(block)] = (n, i)
                    sources[(n, i)] = countable("".join(_text(block)))
    return owner, sources


def _text(el: Any) -> Iterator[str]:
    if _is_note(el):
        return
    yield el.text or ""
    for child in el:
        if isinstance(child.tag, str):
            yield from _text(child)
        yield child.tail or ""


def _is_note(el: Any) -> bool:
    return not _NOTE_CLASSES.isdisjoint((el.get("class") or "").split())


def _walk(page: Any, blocks: dict[int, tuple[int, int]]) -> Iterator[tuple[tuple[int, int], str]]:
    """(block, text) for the page's boxes inside essays, in order; text "" for non-text boxes."""
    for child in page.children:
        if isinstance(child, (boxes.MarginBox, boxes.FootnoteAreaBox)):
            continue
        yield from _descend(child, None, blocks)


def _descend(
    box: Any, key: tuple[int, int] | None, blocks: dict[int, tuple[int, int]]
) -> Iterator[tuple[tuple[int, int], str]]:
    tag = box.element_tag or ""
    if "::" in tag:  # generated content: list markers, footnote calls, ::before/::after
        return
    element = box.element
    if element is not None:
        if _is_note(element):
            return
        if key is None and id(element) in blocks:
            key = blocks[id(element)]
    if isinstance(box, boxes.TextBox):
        if key is not None:
            yield key, box.text
        return
    if key is not None:
        yield key, ""
    for child in getattr(box, "children", ()):
        yield from _descend(child, key, blocks)


def _advance(source: str, at: int, text: str) -> int:
    """Where the block's source text continues after the characters of one text box."""
    for char in countable(text):
        if at < len(source) and source[at].casefold() == char.casefold():
            at += 1
    return at
