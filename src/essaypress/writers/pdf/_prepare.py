"""Turn an essay's blocks into print-ready blocks: CJK emphasis dots, no lone last characters.

These are decisions about lines on a printed page, so they live in the PDF
writer, not in the transforms every output shares. They only wrap text in
``Span``s with classes the layout's CSS styles:

- word joiners (U+2060, not drawn, so not in the PDF's text) between the last
  two characters of a Chinese paragraph, so its last line never holds a
  single character; where that tail spans emphasis or a footnote call, a
  ``keep`` span (``white-space: nowrap``) instead;
- ``keep`` around a footnote call and the character before it, so a call
  never starts a line;
- ``em-dot``: one CJK character inside emphasis, which gets an emphasis dot
  (CJK fonts have no italic; CSS ``text-emphasis`` is not in WeasyPrint 70).

And a zero-width space goes before an opening and after a closing quotation
mark (“ ” ‘ ’) that touch CJK text: line breaking (UAX #14) glues these
ambiguous quotes to both neighbours, so "勞乎？”待" could only move to the
next line as a whole. The zero-width space is not drawn, so it is not in the
PDF's text either.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import Any

from ...model.build import inlines as normal
from ...model.nodes import (
    Attr,
    Block,
    Emph,
    Inline,
    Note,
    Para,
    Span,
    Str,
)
from ...model.text import plain
from ...model.walk import walk_blocks, walk_inlines
from ._cjk_justify import CJK, SHARED

_LETTERS = "\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_OPEN_QUOTE = re.compile(f"(?<=[{_LETTERS}，。、；：！？）」』》〉])(?=[“‘])")
_CLOSE_QUOTE = re.compile(f"(?<=[”’])(?=[{_LETTERS}「『（《〈])")
ZWSP = "\u200b"
WJ = "\u2060"  # word joiner: no line break on either side; like ZWSP, never drawn

KEEP = Attr(classes=("keep",))
DOT = Attr(classes=("em-dot",))
MAX_KEPT = 8  # characters: a longer unbreakable tail could not be justified
_IDEOGRAPHIC = CJK


def prepare_blocks(blocks: tuple[Block, ...], cjk: bool) -> tuple[Block, ...]:
    """The essay's blocks with the spans print needs (``cjk``: the essay is Chinese/Japanese)."""
    if not cjk:
        return walk_blocks(blocks, _para(_glue_notes))
    dotted = walk_inlines(walk_inlines(blocks, _quote_breaks), _dots)
    return walk_blocks(dotted, _para(lambda c: _keep_last(_glue_notes(c))))


def _quote_breaks(inline: Inline) -> Inline | None:
    if not isinstance(inline, Str) or not any(q in inline.text for q in "“”‘’"):
        return None
    return Str(_CLOSE_QUOTE.sub(ZWSP, _OPEN_QUOTE.sub(ZWSP, inline.text)))


def _para(fn: Any) -> Any:
    def visit(block: Block) -> Block | None:
        if isinstance(block, Para):
            return Para(fn(block.content))
        return None

    return visit


def is_letter(char: str) -> bool:
    """A character that counts on a line: not punctuation, not a space."""
    return unicodedata.category(char)[0] in "LNS" and not char.isspace()


# ------------------------------------------------------- emphasis dots


def _dots(inline: Inline) -> Inline | None:
    if not isinstance(inline, Emph):
        return None
    return Emph(normal(piece for i in inline.content for piece in _dotted(i)))


def _dotted(inline: Inline) -> list[Inline]:
    """A Str inside emphasis as runs of text and one ``em-dot`` span per CJK letter."""
    if not isinstance(inline, Str):
        return [inline]
    out: list[Inline] = []
    for char in inline.text:
        if _IDEOGRAPHIC.match(char) and is_letter(char):
            out.append(Span((Str(char),), DOT))
        elif out and isinstance(out[-1], Str):
            out[-1] = Str(out[-1].text + char)
        else:
            out.append(Str(char))
    return out


# ------------------------------------------------------ line endings


def _glue_notes(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Each footnote call shares a ``keep`` span with the character before it."""
    if not any(isinstance(i, Note) for i in content):
        return content
    out: list[Inline] = []
    for item in content:
        before = out[-1] if out else None
        if isinstance(item, Note) and isinstance(before, Str) and before.text.strip():
            out.pop()
            text = before.text.rstrip()
            if len(text) > 1:
                out.append(Str(text[:-1]))
            out.append(Span((Str(text[-1]), item), KEEP))
        else:
            out.append(item)
    return normal(out)


def _keep_last(content: tuple[Inline, ...], wanted: int = 2) -> tuple[Inline, ...]:
    """The paragraph's last two CJK letters, and what follows them, kept on one line.

    Within one run of text they are joined by word joiners; a tail that reaches
    into emphasis or a glued footnote call goes into a ``keep`` span. A tail with a
    Latin letter or a space, or longer than ``MAX_KEPT`` characters, is left alone.
    """
    letters = 0
    for i in range(len(content) - 1, -1, -1):
        item = content[i]
        if isinstance(item, Note):
            continue
        prefix: tuple[Inline, ...] = content[:i]
        tail: tuple[Inline, ...] = content[i:]
        if isinstance(item, Str):
            cut = _tail_start(item.text, wanted - letters)
            if cut is None:  # a Latin letter or a space first, or not enough letters here
                if any(
                    c.isspace() or (is_letter(c) and not _IDEOGRAPHIC.match(c)) for c in item.text
                ):
                    return content
                letters += sum(1 for c in item.text if is_letter(c))
                continue
            prefix = (*prefix, Str(item.text[:cut]))
            tail = (Str(item.text[cut:]), *content[i + 1 :])
        else:
            text = plain((item,))
            if any(is_letter(c) and not _IDEOGRAPHIC.match(c) for c in text):
                return content
            letters += sum(1 for c in text if is_letter(c))
            if letters < wanted:
                continue
        if len(plain(tail)) > MAX_KEPT:
            return content
        if len(tail) == 1 and isinstance(tail[0], Str):  # one run of text: word joiners
            return normal((*prefix, Str(_joined(tail[0].text))))
        return normal((*prefix, Span(normal(tail), KEEP)))
    return content


def _joined(text: str) -> str:
    """``text`` with a word joiner between its characters, but not inside "——" or "……".

    HarfBuzz forms the two-em dash and the ellipsis pair across a word joiner, and
    WeasyPrint then maps the ligature's glyph to no text at all.
    """
    text = text.replace(ZWSP, "")  # a break opportunity has no place in the kept tail
    out = text[:1]
    for before, char in itertools.pairwise(text):
        out += char if before in SHARED and char in SHARED else WJ + char
    return out


def _tail_start(text: str, wanted: int) -> int | None:
    """Where the run holding the last ``wanted`` CJK letters and trailing punctuation starts."""
    letters = 0
    for i in range(len(text) - 1, -1, -1):
        char = text[i]
        if is_letter(char):
            if not _IDEOGRAPHIC.match(char):
                return None
            letters += 1
            if letters == wanted:
                return i
        elif char.isspace():
            return None
    return None
