"""Turn ``中文English中文`` into ``中文 English 中文``: a space between Chinese characters and
Latin letters or digits (optional, ``[text] cjk_latin_space = true``)."""

from __future__ import annotations

import re

from ..model.nodes import Anthology
from ._runs import map_book

_HAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_LATIN = "A-Za-z0-9\u00c0-\u024f"
_GAP = re.compile(rf"(?<=[{_HAN}])(?=[{_LATIN}])|(?<=[{_LATIN}])(?=[{_HAN}])")


def spaced(text: str, before: str, after: str) -> str:
    """One Str's text with a space wherever Chinese meets Latin letters or digits."""
    whole = text + after[:1]  # a gap at the very start belongs to the Str before
    if not whole:
        return text
    spaced_text = _GAP.sub(" ", whole)
    return spaced_text[: len(spaced_text) - len(after[:1])]


def space_cjk_latin(book: Anthology) -> Anthology:
    return map_book(book, lambda _lang: spaced)
