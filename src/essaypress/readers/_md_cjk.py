"""Turn markdown-it's CommonMark emphasis and soft-break handling CJK-aware.

Two problems of CommonMark with Chinese and Japanese text (measured in
``research/libraries.md`` §4):

1. The flanking rules refuse ``**「粗體」**後``, ``這是**粗體。**接著`` and
   ``*『書名』*測試``: a delimiter between CJK punctuation and a CJK letter is
   neither left- nor right-flanking. ``install_cjk_emphasis`` fixes that for
   one parser instance: on the far side of a punctuation-adjacent delimiter a
   CJK character counts like whitespace or punctuation. Delimiters with no CJK
   neighbour are scanned by markdown-it itself, so CommonMark behaviour for
   other text is unchanged (``tests/readers/test_markdown.py`` checks this on
   every example of the CommonMark spec). The override relies on
   ``StateInline.scanDelims(start, canSplitWord) -> Scanned`` and on
   ``ParserInline.parse``; markdown-it-py is pinned ``<5`` in pyproject for
   that reason and the tests fail loudly if either changes.
2. A line end between two CJK characters is not a word space.
   ``join_cjk_softbreaks`` drops such soft breaks from an inline token list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline.state_inline import Scanned, StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType

# Han, kana, bopomofo, CJK punctuation, full-width forms; not Hangul (Korean uses word spaces).
CJK = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u33ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe6f\uff00-\uff9f\uffe0-\uffef"
    "\U00020000-\U0003ffff]"
)
# Punctuation shared by CJK and Western text: it takes the script of what it stands next to.
_NEUTRAL = frozenset("“”‘’\"'—–…·()")
_LOOK = 8  # how many neutral characters to look past


def is_cjk(ch: str) -> bool:
    """Whether a single character is CJK (ideograph, kana, CJK punctuation or full-width form)."""
    return CJK.match(ch) is not None


class _CJKStateInline(StateInline):
    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        scanned = super().scanDelims(start, canSplitWord)
        last = self.src[start - 1] if start > 0 else " "
        end = start + scanned.length
        nxt = self.src[end] if end < self.posMax else " "
        lc, nc = is_cjk(last), is_cjk(nxt)
        if not (lc or nc):
            return scanned
        lp = isMdAsciiPunct(ord(last)) or isPunctChar(last)
        np_ = isMdAsciiPunct(ord(nxt)) or isPunctChar(nxt)
        lw, nw = isWhiteSpace(ord(last)), isWhiteSpace(ord(nxt))
        left = not (nw or (np_ and not (lw or lp or lc)))
        right = not (lw or (lp and not (nw or np_ or nc)))
        can_open = left and (canSplitWord or not right or lp)
        can_close = right and (canSplitWord or not left or np_)
        return Scanned(can_open, can_close, scanned.length)


class _CJKParserInline(ParserInline):
    def parse(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> list[Token]:
        # Same as ParserInline.parse, with the CJK-aware state.
        state = _CJKStateInline(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


def install_cjk_emphasis(md: MarkdownIt) -> MarkdownIt:
    """Make this parser instance (and only it) read emphasis next to CJK punctuation."""
    if type(md.inline) is ParserInline:
        md.inline.__class__ = _CJKParserInline
    elif not isinstance(md.inline, _CJKParserInline):
        raise TypeError(f"unexpected inline parser {type(md.inline)!r}: re-check _md_cjk")
    return md


# ------------------------------------------------------------- soft breaks

_MARKUP = ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close",
           "link_open", "link_close", "footnote_ref")  # fmt: skip


def _chars(children: list[Token], index: int, step: int) -> Iterator[str]:
    """Characters next to ``children[index]`` going in direction ``step``, across markup."""
    i = index + step
    while 0 <= i < len(children):
        tok = children[i]
        if tok.type in ("text", "text_special", "code_inline"):
            yield from (reversed(tok.content) if step < 0 else tok.content)
        elif tok.type not in _MARKUP:
            return
        i += step


def _neighbour(children: list[Token], index: int, step: int) -> str:
    for n, ch in enumerate(_chars(children, index, step)):
        if ch not in _NEUTRAL or n >= _LOOK:
            return ch
    return ""


def join_cjk_softbreaks(children: list[Token]) -> list[Token]:
    """``children`` without the soft breaks that stand between two CJK characters.

    Neutral punctuation (quotes, dashes, ellipses) next to the break is looked
    past: ``……”⏎“好`` joins, ``said,”⏎“Yes`` keeps its space. Image alt text is
    handled too.
    """
    out: list[Token] = []
    for i, tok in enumerate(children):
        if tok.type == "image" and tok.children:
            tok.children = join_cjk_softbreaks(tok.children)
        if (
            tok.type == "softbreak"
            and is_cjk(_neighbour(children, i, -1) or " ")
            and is_cjk(_neighbour(children, i, 1) or " ")
        ):
            continue
        out.append(tok)
    return out
