"""Turn formatted runs into nested model inlines (pandoc's Docx/Combine.hs).

Adjacent runs that share a format are merged under one wrapper: the format
that spans the most runs from the current position becomes the outer
wrapper, so ``bold``, ``bold+italic`` gives ``Strong[a, Emph[b]]``.
Whitespace at the edges of a wrapper moves outside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ...model.build import inlines
from ...model.nodes import (
    Emph,
    Inline,
    LineBreak,
    SmallCaps,
    Str,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Underline,
)
from ._records import Fmts
from ._styles import Fmt

Formatted = tuple[Fmts, Inline]

_ORDER: tuple[Fmt, ...] = ("strong", "emph", "underline", "strike", "sup", "sub", "smallcaps")
_WRAP: dict[Fmt, Callable[[tuple[Inline, ...]], Inline]] = {
    "strong": Strong,
    "emph": Emph,
    "underline": Underline,
    "strike": Strikeout,
    "sup": Superscript,
    "sub": Subscript,
    "smallcaps": SmallCaps,
}


def nest(pairs: Sequence[Formatted]) -> tuple[Inline, ...]:
    """Inlines in normal form from (formats, inline) pairs."""
    out: list[Inline] = []
    i, n = 0, len(pairs)
    while i < n:
        fmts, node = pairs[i]
        if not fmts:
            out.append(node)
            i += 1
            continue
        best: Fmt = _ORDER[0]
        end = i
        for fmt in _ORDER:
            if fmt in fmts:
                j = i
                while j < n and fmt in pairs[j][0]:
                    j += 1
                if j > end:
                    best, end = fmt, j
        group = [(f - {best}, node) for f, node in pairs[i:end]]
        out.extend(_wrap(best, nest(group)))
        i = end
    return inlines(out)


def _wrap(fmt: Fmt, content: tuple[Inline, ...]) -> list[Inline]:
    items = list(content)
    lead = trail = ""
    if items and isinstance(items[0], Str):
        text = items[0].text
        kept = text.lstrip()
        lead, items[0] = text[: len(text) - len(kept)], Str(kept)
    if items and isinstance(items[-1], Str):
        text = items[-1].text
        kept = text.rstrip()
        trail, items[-1] = text[len(kept) :], Str(kept)
    inner = inlines(items)
    if not inner:
        return [Str(lead + trail)]
    return [Str(lead), _WRAP[fmt](inner), Str(trail)]


def strip(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Drop whitespace (indents with spaces or U+3000, tabs) and line breaks at both ends."""
    return _strip_end(_strip_start(content))


def _strip_start(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    items = list(content)
    while items:
        first = items[0]
        if isinstance(first, LineBreak):
            items.pop(0)
        elif isinstance(first, Str):
            kept = first.text.lstrip()
            if kept:
                items[0] = Str(kept)
                break
            items.pop(0)
        elif isinstance(first, Emph | Strong | Underline | Strikeout | Superscript | Subscript):
            inner = _strip_start(first.content)
            if inner:
                items[0] = type(first)(inner)
                break
            items.pop(0)
        else:
            break
    return inlines(items)


def _strip_end(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    items = list(content)
    while items:
        last = items[-1]
        if isinstance(last, LineBreak):
            items.pop()
        elif isinstance(last, Str):
            kept = last.text.rstrip()
            if kept:
                items[-1] = Str(kept)
                break
            items.pop()
        elif isinstance(last, Emph | Strong | Underline | Strikeout | Superscript | Subscript):
            inner = _strip_end(last.content)
            if inner:
                items[-1] = type(last)(inner)
                break
            items.pop()
        else:
            break
    return inlines(items)


_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "ftps", "tel"})


def safe_url(url: str) -> bool:
    """Whether a hyperlink target may become a link (no ``javascript:``, ``file:`` and the like)."""
    scheme, colon, _ = url.partition(":")
    return bool(colon) and scheme.strip().lower() in _SAFE_SCHEMES
