"""Turn missing or clashing essay and part ids into unique, stable, ASCII ones."""

from __future__ import annotations

import dataclasses
import re

from ..model.nodes import Anthology, Essay

_UNSAFE = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """An ASCII id fragment from a file stem or title; empty when nothing ASCII is left."""
    s = _UNSAFE.sub("-", text.lower()).strip("-")
    if s and not s[0].isalpha():
        s = "e" + s
    return s[:40].rstrip("-")


def assign_ids(book: Anthology) -> Anthology:
    used: set[str] = set()
    counter = 0

    def unique(base: str, fallback: str) -> str:
        nonlocal counter
        counter += 1
        candidate = slug(base) or f"{fallback}-{counter}"
        n, result = 1, candidate
        while result in used:
            n += 1
            result = f"{candidate}-{n}"
        used.add(result)
        return result

    def essay(e: Essay) -> Essay:
        return dataclasses.replace(e, id=unique(e.id, "essay"))

    front = tuple(essay(e) for e in book.front)
    parts = tuple(
        dataclasses.replace(p, id=unique(p.id, "part"), essays=tuple(essay(e) for e in p.essays))
        for p in book.parts
    )
    back = tuple(essay(e) for e in book.back)
    return dataclasses.replace(book, front=front, parts=parts, back=back)
