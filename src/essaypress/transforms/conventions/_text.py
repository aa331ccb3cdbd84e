"""Turn paragraph inlines into the measures the conventions test: text, length, ending, bold."""

from __future__ import annotations

import dataclasses
import re

from ...model.build import inlines
from ...model.nodes import Emph, Image, Inline, Note, Para, Str, Strong, Underline
from ...model.text import plain
from ...model.walk import query
from ..cjk_breaks import CJK

WORD_LIMIT = 12
CJK_LIMIT = 30

_CLOSERS = "」』）)〕】》〉\"'”’»›*"
_FINAL = "。．.！!？?；;：:，,、…"
_SPACE = " \t\u3000\u00a0\u2002\u2003\u2009"


def text_of(content: tuple[Inline, ...]) -> str:
    """The paragraph's text on one line, without edge whitespace (notes left out)."""
    return " ".join(plain(content).split())


def only_text(content: tuple[Inline, ...]) -> bool:
    """Whether the inlines hold no picture and no note (a title or heading line holds neither)."""
    return not query(content, Image) and not query(content, Note)


def is_short(text: str) -> bool:
    """At most 30 CJK characters (CJK text) or 12 words (other text)."""
    if not text:
        return False
    cjk = len(CJK.findall(text))
    if cjk:
        return len(re.sub(r"\s", "", text)) <= CJK_LIMIT
    return len(text.split()) <= WORD_LIMIT


def ends_sentence(text: str) -> bool:
    """Whether the text ends with sentence punctuation (closing quotes looked through)."""
    core = text.rstrip(_SPACE + _CLOSERS)
    return bool(core) and core[-1] in _FINAL


def unwrap_look(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """A paragraph's inlines without a bold/italic/underline wrapping all of them (the look)."""
    while len(content) == 1 and isinstance(content[0], Strong | Emph | Underline):
        content = content[0].content
    return content


def all_bold(content: tuple[Inline, ...]) -> bool:
    """Whether every visible character of the paragraph is inside ``Strong``."""
    seen = False
    for node in content:
        if isinstance(node, Strong):
            seen = True
        elif isinstance(node, Str) and not node.text.strip(_SPACE):
            continue
        else:
            return False
    return seen


def strip_indent(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Inlines without leading/trailing spaces, full-width spaces and manual indents."""
    items = list(content)
    if items and isinstance(items[0], Str):
        items[0] = Str(items[0].text.lstrip(_SPACE))
    if items and isinstance(items[-1], Str):
        items[-1] = Str(items[-1].text.rstrip(_SPACE))
    return inlines(items)


def stripped_para(block: Para) -> Para:
    content = strip_indent(block.content)
    return block if content == block.content else dataclasses.replace(block, content=content)
