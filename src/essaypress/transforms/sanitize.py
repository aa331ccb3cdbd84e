"""Turn text holding control characters or lone surrogates into clean text, warning per essay.

Pasted text and hand-edited metadata can carry C0/C1 control characters,
U+FFFE/U+FFFF and lone surrogates (e.g. ``"\\ud800"`` in YAML). XML 1.0 cannot
hold them, so DOCX and EPUB would break, and the PDF shows them as boxes. This
transform removes them from every string of the anthology (text, metadata,
attributes, the manifest's fields) and says where: one warning per essay, one
for the anthology's own metadata. Tab, line feed and carriage return stay.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Any

from ..log import warn
from ..model.build import inlines
from ..model.nodes import INLINE_TYPES, Anthology, Essay, Resource

_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class _Found:
    """The characters removed from one essay (or the anthology's metadata) and where first."""

    def __init__(self) -> None:
        self.removed: Counter[str] = Counter()
        self.context = ""

    def clean(self, text: str) -> str:
        first = _BAD.search(text)
        if first is None:
            return text
        for ch in _BAD.findall(text):
            self.removed[ch] += 1
        if not self.context:
            i = first.start()
            self.context = _BAD.sub("", text[max(0, i - 12) : i + 12]).strip()
        return _BAD.sub("", text)

    def report(self, where: object) -> None:
        if not self.removed:
            return
        total = sum(self.removed.values())
        codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(self.removed)[:4])
        more = ", …" if len(self.removed) > 4 else ""
        near = f" (first near {self.context!r})" if self.context else ""
        warn(
            "control-characters",
            f"removed {total} control character(s) or lone surrogate(s) ({codes}{more}) "
            f"from the text{near} — they cannot be printed or stored in DOCX/EPUB; "
            "check the text there and save the file again",
            where,
        )


def _clean(value: Any, found: _Found) -> Any:
    """``value`` with every string cleaned; the same object when nothing changed."""
    if isinstance(value, str):
        return found.clean(value)
    if isinstance(value, tuple):
        items = tuple(_clean(v, found) for v in value)
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        if items and all(isinstance(i, INLINE_TYPES) for i in items):
            return inlines(items)  # a run emptied of its only characters goes away
        return items
    if isinstance(value, Resource) or not dataclasses.is_dataclass(value):
        return value  # images are bytes; their keys are made by essaypress
    if isinstance(value, type):
        return value
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        if f.compare:
            old = getattr(value, f.name)
            new = _clean(old, found)
            if new is not old:
                changes[f.name] = new
    return dataclasses.replace(value, **changes) if changes else value


def _essay(essay: Essay) -> Essay:
    found = _Found()
    cleaned: Essay = _clean(essay, found)
    found.report(essay.source or essay.id or None)
    return cleaned


def sanitize(book: Anthology) -> Anthology:
    """The anthology without characters that XML cannot hold; warns naming each essay."""
    front = tuple(_essay(e) for e in book.front)
    found = _Found()  # the manifest's text: book metadata and part titles
    parts = tuple(
        dataclasses.replace(p, title=_clean(p.title, found), essays=tuple(map(_essay, p.essays)))
        for p in book.parts
    )
    back = tuple(_essay(e) for e in book.back)
    meta = _clean(book.meta, found)
    found.report("anthology.toml")
    if (
        meta is book.meta
        and _same(front, book.front)
        and _same(back, book.back)
        and all(
            new.title is old.title and _same(new.essays, old.essays)
            for new, old in zip(parts, book.parts, strict=True)
        )
    ):
        return book
    return dataclasses.replace(book, meta=meta, front=front, parts=parts, back=back)


def _same(new: tuple[Any, ...], old: tuple[Any, ...]) -> bool:
    return all(a is b for a, b in zip(new, old, strict=True))
