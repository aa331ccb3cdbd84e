"""Turn a byline paragraph at the top of an essay (``—— 某某單位政治部 姓名``) into its authors.

First cut of the convention detection: dash-led byline paragraphs at the top of
an essay. What the author typed wins over metadata (Word's "creator" is often
just "User"); several byline paragraphs in a row give several authors. The
editorial-conventions issue widens the patterns.
"""

from __future__ import annotations

import dataclasses
import re

from ..model.nodes import Anthology, Essay, Para, Part, Person
from ..model.text import plain

_BYLINE = re.compile(r"^\s*(?:——|—|──|--)\s*(?P<who>\S.{0,60})$")


def parse_byline(text: str) -> tuple[Person, ...] | None:
    """The people a byline names: ``—— 單位 姓名`` → Person(姓名, 單位)."""
    m = _BYLINE.match(text.strip())
    if not m:
        return None
    words = m.group("who").replace("\u3000", " ").split()
    if not words:
        return None
    name, affiliation = words[-1], " ".join(words[:-1])
    return (Person(name, affiliation),)


def _essay(e: Essay) -> Essay:
    people: list[Person] = []
    taken = 0
    for block in e.blocks:
        found = parse_byline(plain(block.content)) if isinstance(block, Para) else None
        if found is None:
            break
        people.extend(found)
        taken += 1
    if not taken:
        return e
    meta = dataclasses.replace(e.meta, authors=tuple(people))
    return dataclasses.replace(e, meta=meta, blocks=e.blocks[taken:])


def detect_bylines(book: Anthology) -> Anthology:
    return dataclasses.replace(
        book,
        front=tuple(_essay(e) for e in book.front),
        parts=tuple(Part(p.title, tuple(_essay(e) for e in p.essays), p.id) for p in book.parts),
        back=tuple(_essay(e) for e in book.back),
    )
