"""Turn every run of text in an anthology into new text, Str by Str, seeing the text around it.

A *run* is the inline content of one paragraph, heading, verse line, caption or
title. ``map_runs`` hands each ``Str`` of a run to a function together with the
characters just before and after it in the run (a line break reads as ``"\\n"``,
code and pictures as ``"\\ufffc"``), so rules such as "between two Chinese
characters" hold across ``Str`` boundaries. Code, URLs, image sources and
attributes are never text here. The tree keeps its shape: only ``Str`` texts
change (an emptied ``Str`` disappears).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator

from ..model.build import inlines
from ..model.nodes import (
    Anthology,
    Block,
    Code,
    Essay,
    Figure,
    Heading,
    Image,
    Inline,
    LineBlock,
    LineBreak,
    Note,
    Para,
    Part,
    SoftBreak,
    Str,
    Table,
)
from ..model.walk import walk_blocks

TextFn = Callable[[str, str, str], str]
"""``(text, before, after) -> new text``; ``before``/``after`` are up to 8 characters."""

_CONTEXT = 8
_OBJECT = "\ufffc"
_ROUNDS = 6


def _flatten(content: tuple[Inline, ...], out: list[tuple[bool, str]]) -> None:
    for node in content:
        match node:
            case Str(text=t):
                out.append((True, t))
            case SoftBreak() | LineBreak():
                out.append((False, "\n"))
            case Code() | Image():
                out.append((False, _OBJECT))
            case Note():
                pass
            case _:
                inner = getattr(node, "content", None)
                if isinstance(inner, tuple):
                    _flatten(inner, out)


def run_text(content: tuple[Inline, ...]) -> str:
    """The text of a run as the rules see it: breaks as ``"\\n"``, code and pictures as
    ``"\\ufffc"``, notes left out."""
    items: list[tuple[bool, str]] = []
    _flatten(content, items)
    return "".join(t for _, t in items)


def _rebuild(content: tuple[Inline, ...], texts: Iterator[str]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in content:
        if isinstance(node, Str):
            out.append(Str(next(texts)))
        elif isinstance(node, Note | Code | Image | SoftBreak | LineBreak):
            out.append(node)
        else:
            inner = getattr(node, "content", None)
            if isinstance(inner, tuple):
                out.append(dataclasses.replace(node, content=_rebuild(inner, texts)))
            else:
                out.append(node)
    return inlines(out)


def map_run(content: tuple[Inline, ...], fn: TextFn) -> tuple[Inline, ...]:
    """The run with every Str's text replaced by ``fn(text, before, after)``, repeated until
    nothing changes (so a rule that looks at its neighbours is still idempotent)."""
    items: list[tuple[bool, str]] = []
    _flatten(content, items)
    if not any(is_str for is_str, _ in items):
        return content
    original = [t for is_str, t in items if is_str]
    for _ in range(_ROUNDS):
        changed = False
        for i, (is_str, text) in enumerate(items):
            if not is_str:
                continue
            before = "".join(t for _, t in items[max(0, i - _CONTEXT) : i])[-_CONTEXT:]
            after = "".join(t for _, t in items[i + 1 : i + 1 + _CONTEXT])[:_CONTEXT]
            new = fn(text, before, after)
            if new != text:
                items[i] = (True, new)
                changed = True
        if not changed:
            break
    texts = [t for is_str, t in items if is_str]
    if texts == original:
        return content
    return _rebuild(content, iter(texts))


def map_run_texts(
    content: tuple[Inline, ...], fn: Callable[[list[str]], list[str]]
) -> tuple[Inline, ...]:
    """The run with its Str texts replaced by ``fn(texts)`` (same count), for rules that need
    the whole run at once (pairing quotes). Breaks and objects are left out of ``texts``."""
    items: list[tuple[bool, str]] = []
    _flatten(content, items)
    texts = [t for is_str, t in items if is_str]
    if not texts:
        return content
    new = fn(texts)
    return content if new == texts else _rebuild(content, iter(new))


def sub_inside(
    pattern: re.Pattern[str],
    repl: Callable[[re.Match[str]], str],
    text: str,
    before: str,
    after: str,
) -> str:
    """``pattern.sub`` on ``before + text + after``, changing only matches inside ``text``."""
    whole = before + text + after
    lo, hi = len(before), len(before) + len(text)

    def one(m: re.Match[str]) -> str:
        return repl(m) if lo <= m.start() and m.end() <= hi else m.group(0)

    parts: list[str] = []
    pos = lo
    for m in pattern.finditer(whole):
        if m.start() < lo or m.end() > hi:
            continue
        parts.append(whole[pos : m.start()])
        parts.append(one(m))
        pos = m.end()
    parts.append(whole[pos:hi])
    return "".join(parts)


def _block(fn: TextFn) -> Callable[[Block], Block | None]:
    def block(b: Block) -> Block | None:
        match b:
            case Para(content=c):
                new = map_run(c, fn)
                return None if new is c else dataclasses.replace(b, content=new)
            case Heading(content=c):
                new = map_run(c, fn)
                return None if new is c else dataclasses.replace(b, content=new)
            case LineBlock(lines=lines):
                return dataclasses.replace(b, lines=tuple(map_run(line, fn) for line in lines))
            case Figure(caption=c) | Table(caption=c) if c:
                return dataclasses.replace(b, caption=map_run(c, fn))
            case _:
                return None

    return block


def map_essay(essay: Essay, fn: TextFn) -> Essay:
    """The essay with its title, subtitle and every text run mapped."""
    out = walk_blocks(essay, _block(fn))
    meta = out.meta
    title, subtitle = map_run(meta.title, fn), map_run(meta.subtitle, fn)
    if title is not meta.title or subtitle is not meta.subtitle:
        out = dataclasses.replace(
            out, meta=dataclasses.replace(meta, title=title, subtitle=subtitle)
        )
    return out


def map_book(book: Anthology, fn_for: Callable[[str], TextFn | None]) -> Anthology:
    """Every essay mapped with the function for its language (``None``: left alone);
    part titles with the function for the book's language."""

    def essay(e: Essay) -> Essay:
        fn = fn_for(e.meta.lang or book.meta.lang)
        return e if fn is None else map_essay(e, fn)

    book_fn = fn_for(book.meta.lang)
    parts = tuple(
        Part(
            map_run(p.title, book_fn) if book_fn else p.title,
            tuple(essay(e) for e in p.essays),
            p.id,
        )
        for p in book.parts
    )
    return dataclasses.replace(
        book,
        front=tuple(essay(e) for e in book.front),
        parts=parts,
        back=tuple(essay(e) for e in book.back),
    )


def script(lang: str) -> str:
    """``zh-Hant``, ``zh-Hans``, ``zh`` (Chinese, script unknown) or ``other``."""
    tag = lang.lower()
    if not tag.startswith("zh"):
        return "other"
    if any(x in tag for x in ("hans", "-cn", "-sg", "-my")):
        return "zh-Hans"
    if any(x in tag for x in ("hant", "-tw", "-hk", "-mo")):
        return "zh-Hant"
    return "zh"
