"""Turn any tree into normal form: merged text runs, no empty containers or paragraphs."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..model.build import inlines
from ..model.nodes import Anthology, Block, BlockQuote, Div, Heading, Para
from ..model.walk import walk_blocks


def _block(b: Block) -> Block | Sequence[Block] | None:
    match b:
        case Para(content=c):
            content = inlines(c)
            return dataclasses.replace(b, content=content) if content else []
        case Heading(content=c):
            content = inlines(c)
            return dataclasses.replace(b, content=content) if content else []
        case BlockQuote(blocks=()) | Div(blocks=()):
            return []
        case _:
            return None


def normalize(book: Anthology) -> Anthology:
    return walk_blocks(book, _block)
