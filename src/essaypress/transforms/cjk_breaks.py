"""Turn soft line breaks inside Chinese text into nothing (no stray spaces in Chinese)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ..model.build import inlines
from ..model.nodes import Anthology, Block, Heading, Inline, Para, SoftBreak, Str
from ..model.walk import walk_blocks

# CJK ideographs, CJK punctuation, full-width forms, kana, Hangul syllables
CJK = re.compile(
    r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
)


def is_cjk(ch: str) -> bool:
    return bool(ch) and CJK.match(ch) is not None


# Punctuation shared by Chinese and English text: a line wrapped next to it joins when
# the other side is Chinese (``不但“`` / ``正视”``).
_SHARED = frozenset("“”‘’—…·•")


def joins(before: str, after: str) -> bool:
    """Whether a line break between these two characters is no space (Chinese text)."""
    if is_cjk(before):
        return is_cjk(after) or after in _SHARED
    return before in _SHARED and is_cjk(after)


def join_soft_breaks(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """The inlines without the soft breaks that sit inside Chinese text."""
    out: list[Inline] = []
    for i, node in enumerate(content):
        if isinstance(node, SoftBreak) and 0 < i < len(content) - 1:
            before, after = content[i - 1], content[i + 1]
            if (
                isinstance(before, Str)
                and isinstance(after, Str)
                and joins(before.text[-1:], after.text[:1])
            ):
                continue
        out.append(node)
    return inlines(out)


def _block(b: Block) -> Block | Sequence[Block] | None:
    match b:
        case Para(content=c) | Heading(content=c):
            return dataclasses.replace(b, content=join_soft_breaks(c))
        case _:
            return None


def join_cjk_breaks(book: Anthology) -> Anthology:
    return walk_blocks(book, _block)
