"""Turn any tree into normal form: merged text runs, no empty containers or paragraphs.

Line breaks at the very start or end of a paragraph or heading (also inside the
emphasis that opens or closes it) carry nothing and are dropped: no output
format can show them, and Markdown cannot even write them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..model.build import inlines
from ..model.nodes import (
    Anthology,
    Block,
    BlockQuote,
    Div,
    Emph,
    Heading,
    Inline,
    LineBreak,
    Para,
    SmallCaps,
    SoftBreak,
    Span,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Underline,
)
from ..model.walk import walk_blocks

_WRAPPERS = (Emph, Strong, Underline, Strikeout, Superscript, Subscript, SmallCaps, Span)


def _trim(content: tuple[Inline, ...], end: int) -> tuple[Inline, ...]:
    """``content`` without line breaks at its start (``end=0``) or end (``end=-1``)."""
    while content:
        edge = content[end]
        if isinstance(edge, (SoftBreak, LineBreak)):
            content = content[1:] if end == 0 else content[:-1]
        elif isinstance(edge, _WRAPPERS):
            inner = _trim(edge.content, end)
            if inner == edge.content:
                return content
            new = dataclasses.replace(edge, content=inner)
            content = inlines((new, *content[1:]) if end == 0 else (*content[:-1], new))
        else:
            return content
    return content


def _edges(c: tuple[Inline, ...]) -> tuple[Inline, ...]:
    return _trim(_trim(inlines(c), 0), -1)


def _block(b: Block) -> Block | Sequence[Block] | None:
    match b:
        case Para(content=c):
            content = _edges(c)
            return dataclasses.replace(b, content=content) if content else []
        case Heading(content=c):
            content = _edges(c)
            return dataclasses.replace(b, content=content) if content else []
        case BlockQuote(blocks=()) | Div(blocks=()):
            return []
        case _:
            return None


def normalize(book: Anthology) -> Anthology:
    return walk_blocks(book, _block)
