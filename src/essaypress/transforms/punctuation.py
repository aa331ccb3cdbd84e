"""Turn half-width punctuation typed in Chinese text into full-width: ``,.;:?!()`` between
Chinese characters, ``...``/``。。。`` into ``……``, ``--``/``－－`` into ``——``.

Only text touching Chinese characters changes, so English, numbers (``3.14``),
code and URLs keep their punctuation.
"""

from __future__ import annotations

import re

from ..model.nodes import Anthology
from ._runs import map_book, sub_inside

# Han, kana, CJK punctuation and full-width forms: what "Chinese context" means here.
CJK_CLASS = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\U00020000-\U0003ffff"
)
_C = f"[{CJK_CLASS}]"
_FULL = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！"}

HALF_BETWEEN = re.compile(rf"(?<={_C})[ \t]*([,.;:?!])[ \t]*(?={_C})")
_PAREN = re.compile(rf"\(([^()\n]*{_C}[^()\n]*)\)")
_ELLIPSIS = re.compile(rf"(?:(?<={_C})[ \t]*(?:\.{{3,}}|。{{3,}}|…{{3,}}|(?<!…)…(?!…))"
                       rf"|(?:\.{{3,}}|。{{3,}}|…{{3,}}|(?<!…)…(?!…))(?={_C}))")  # fmt: skip
_DASH = re.compile(rf"(?<={_C})[ \t]*(?:-{{2,3}}|－{{2}}|(?<!—)—(?!—))[ \t]*(?={_C})"
                   rf"|(?<={_C})(?:-{{2,3}}|－{{2}})|(?:-{{2,3}}|－{{2}})(?={_C})")  # fmt: skip


def full_width(text: str, before: str, after: str) -> str:
    """One Str's text with the punctuation of its Chinese context made full-width."""
    text = sub_inside(HALF_BETWEEN, lambda m: _FULL[m.group(1)], text, before, after)
    text = sub_inside(_PAREN, lambda m: f"（{m.group(1)}）", text, before, after)
    text = sub_inside(_ELLIPSIS, lambda m: "……", text, before, after)
    return sub_inside(_DASH, lambda m: "——", text, before, after)


def punctuate(book: Anthology) -> Anthology:
    return map_book(book, lambda _lang: full_width)
