"""Turn pasted whitespace into plain spaces: no zero-width characters, NBSP, tabs, space runs,
nor spaces (full-width ones included) at the ends of a paragraph or of its lines.

Full-width spaces *inside* a line stay (``第一輯　手上的溫度``); those opening a
paragraph or a wrapped line are indents, which the layout makes, so they go.
Zero-width joiners (emoji, Indic scripts) stay.
"""

from __future__ import annotations

import re

from ..model.nodes import Anthology
from ._runs import map_book

_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u180e]")
_HARD_SPACE = re.compile("[\u00a0\t\u2000-\u200a\u205f]")
_RUN = re.compile(" {2,}")
_EDGE = " \u3000"


def clean_spaces(text: str, before: str, after: str) -> str:
    """One Str's text with its whitespace normalized (``before``/``after``: the run around it)."""
    text = _RUN.sub(" ", _HARD_SPACE.sub(" ", _INVISIBLE.sub("", text)))
    left = _INVISIBLE.sub("", before)
    right = _INVISIBLE.sub("", after)
    if not left or left.endswith("\n") or (left.endswith(" ") and text.startswith(" ")):
        text = text.lstrip(_EDGE) if not left or left.endswith("\n") else text.lstrip(" ")
    if not right or right.startswith("\n"):
        text = text.rstrip(_EDGE)
    return text


def normalize_whitespace(book: Anthology) -> Anthology:
    return map_book(book, lambda _lang: clean_spaces)
