"""Turn a byline paragraph at the top of an essay (``—— 某某單位政治部 姓名``) into its authors.

First cut of the convention detection: only essays without authors, only the
first paragraph, only dash-led bylines. The editorial-conventions issue widens it.
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
    if e.meta.authors or not e.blocks or not isinstance(e.blocks[0], Para):
        return e
    people = parse_byline(plain(e.blocks[0].content))
    if people is None:
        return e
    return dataclasses.replace(
        e, meta=dataclasses.replace(e.meta, authors=people), blocks=e.blocks[1:]
    )


def detect_bylines(book: Anthology) -> Anthology:
    return dataclasses.replace(
        book,
        front=tuple(_essay(e) for e in book.front),
        parts=tuple(Part(p.title, tuple(_essay(e) for e in p.essays), p.id) for p in book.parts),
        back=tuple(_essay(e) for e in book.back),
    )
