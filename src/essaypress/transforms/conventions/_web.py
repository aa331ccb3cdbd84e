"""Turn what web pages add around an article into structure or nothing: an editor's note
(``編者按：``) becomes a Div, trailers (``分享到：``, ``相關文章：``, ``責任編輯：``,
``來源：``) at the end are removed with a warning naming the file."""

from __future__ import annotations

import dataclasses
import re

from ...log import warn
from ...model.nodes import Attr, Block, BulletList, Div, Essay, Link, OrderedList, Para
from ...model.walk import query
from ._text import text_of

EDITOR_NOTE_CLASS = "editor-note"
_EDITOR_NOTE = re.compile(r"^(?:編者按|编者按|編按|编按|編者的話|编者的话)\s*[：:]")
_TRAILER = re.compile(
    r"^(?:分享到|分享至|分享|相關文章|相关文章|相關閱讀|相关阅读|延伸閱讀|延伸阅读|推薦閱讀|推荐阅读|"
    r"責任編輯|责任编辑|責編|责编|來源|来源|原文網址|原文网址|原文連結|原文链接)\s*[：:]"
)
_WINDOW = 12
_SHORT = 40


def is_editor_note(block: Block) -> bool:
    return isinstance(block, Div) and EDITOR_NOTE_CLASS in block.attr.classes


def editor_notes(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Top-level ``編者按：`` paragraphs wrapped in ``Div.editor-note``."""
    if not any(isinstance(b, Para) and _EDITOR_NOTE.match(text_of(b.content)) for b in blocks):
        return blocks
    return tuple(
        Div((b,), Attr(classes=(EDITOR_NOTE_CLASS,)))
        if isinstance(b, Para) and _EDITOR_NOTE.match(text_of(b.content))
        else b
        for b in blocks
    )


def _trailing(block: Block) -> bool:
    """Whether a block may follow a trailer line: another trailer, a list of links, a short line."""
    if isinstance(block, BulletList | OrderedList):
        return True
    if not isinstance(block, Para):
        return False
    text = text_of(block.content)
    return bool(_TRAILER.match(text)) or len(text) <= _SHORT or bool(query(block.content, Link))


def _cut(blocks: tuple[Block, ...]) -> int:
    for i in range(max(1, len(blocks) - _WINDOW), len(blocks)):
        b = blocks[i]
        trailer = isinstance(b, Para) and bool(_TRAILER.match(text_of(b.content)))
        if trailer and all(_trailing(x) for x in blocks[i + 1 :]):
            return i
    return len(blocks)


def drop_trailers(essay: Essay) -> Essay:
    """The essay without web-page trailers at its end (warns once, naming the file)."""
    blocks = essay.blocks
    while (cut := _cut(blocks)) < len(blocks):
        blocks = blocks[:cut]
    if blocks == essay.blocks:
        return essay
    removed = essay.blocks[len(blocks) :]
    first = text_of(removed[0].content) if isinstance(removed[0], Para) else ""
    warn(
        "web-trailer",
        f"removed {len(removed)} block(s) pasted from a web page at the end of the essay "
        f"(from {first[:24]!r}) — they are not part of the essay",
        essay.source,
    )
    return dataclasses.replace(essay, blocks=blocks)
