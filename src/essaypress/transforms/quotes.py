"""Turn quotation marks into the style of each essay's language: zh-Hant 「」『』, zh-Hans
“”‘’ (``[text] quotes`` chooses for Chinese), English curly quotes for straight ones.

Straight quotes (``"`` and ``'``) are paired within a paragraph: in Chinese the
first opens and the next closes; in English a quote after a space or an opening
bracket opens. An apostrophe between letters (``don't``, ``don’t``) stays one.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from ..model.nodes import (
    Anthology,
    Block,
    BookMeta,
    Essay,
    Figure,
    Heading,
    LineBlock,
    Para,
    Part,
    Person,
    Table,
)
from ..model.walk import walk_blocks
from ._runs import map_run_texts, script

_TO_CORNER = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})
_TO_CURLY = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})
_APOSTROPHE = re.compile(r"(?<=[A-Za-z\u00c0-\u024f])[’'](?=[A-Za-z\u00c0-\u024f])")
_OPENERS = " \t\n([{<“‘「『（【《—–-/\u3000"
_MARK = "\ue000"  # stands for an apostrophe while quotes are mapped


def _chinese_straight(texts: list[str]) -> list[str]:
    """Straight quotes paired by order in the paragraph: “…” and ‘…’."""
    state = {'"': False, "'": False}
    pairs = {'"': ("“", "”"), "'": ("‘", "’")}

    def one(m: re.Match[str]) -> str:
        ch = m.group(0)
        state[ch] = not state[ch]
        return pairs[ch][0] if state[ch] else pairs[ch][1]

    return [re.sub("[\"']", one, t) for t in texts]


def _english_straight(texts: list[str]) -> list[str]:
    """Straight quotes made curly by what precedes them (a space or bracket opens)."""
    out: list[str] = []
    prev = ""
    for t in texts:
        chars = []
        for ch in t:
            if ch in "\"'":
                opening = not prev or prev in _OPENERS
                ch = ("“" if opening else "”") if ch == '"' else ("‘" if opening else "’")
            chars.append(ch)
            prev = ch
        out.append("".join(chars))
    return out


def _protect(texts: list[str]) -> list[str]:
    return [_APOSTROPHE.sub(_MARK, t) for t in texts]


def _restore(texts: list[str], mark: str) -> list[str]:
    return [t.replace(_MARK, mark) for t in texts]


def chinese(style: str) -> Callable[[list[str]], list[str]]:
    """The quote mapping of a Chinese paragraph's texts in ``corner`` or ``curly`` style."""
    table = _TO_CORNER if style == "corner" else _TO_CURLY

    def fn(texts: list[str]) -> list[str]:
        protected = _chinese_straight(_protect(texts))
        return _restore([t.translate(table) for t in protected], "’")

    return fn


def english(texts: list[str]) -> list[str]:
    return _restore(_english_straight(_protect(texts)), "’")


def _blocks(fn: Callable[[list[str]], list[str]]) -> Callable[[Block], Block | None]:
    def block(b: Block) -> Block | None:
        match b:
            case Para(content=c) | Heading(content=c):
                new = map_run_texts(c, fn)
                return None if new is c else dataclasses.replace(b, content=new)
            case LineBlock(lines=lines):
                return dataclasses.replace(b, lines=tuple(map_run_texts(x, fn) for x in lines))
            case Figure(caption=c) | Table(caption=c) if c:
                return dataclasses.replace(b, caption=map_run_texts(c, fn))
            case _:
                return None

    return block


def quote_style(lang: str, quotes: str) -> Callable[[list[str]], list[str]] | None:
    """The mapping for a language under the ``quotes`` setting; None leaves the text as typed."""
    kind = script(lang)
    if quotes == "keep":
        return None
    if kind == "other":
        return english
    if quotes == "auto":
        return chinese("curly" if kind == "zh-Hans" else "corner")
    return chinese(quotes)


def _book_meta(m: BookMeta, fn: Callable[[list[str]], list[str]]) -> BookMeta:
    def one(text: str) -> str:
        return fn([text])[0] if text else text

    def person(p: Person) -> Person:
        return Person(one(p.name), one(p.affiliation))

    return dataclasses.replace(
        m,
        title=one(m.title),
        subtitle=one(m.subtitle),
        editors=tuple(person(p) for p in m.editors),
        publisher=one(m.publisher),
        description=one(m.description),
        rights=one(m.rights),
    )


def style_quotes(quotes: str = "auto") -> Callable[[Anthology], Anthology]:
    """The transform giving every essay the quotation marks of its language."""

    def essay(e: Essay, book_lang: str) -> Essay:
        fn = quote_style(e.meta.lang or book_lang, quotes)
        if fn is None:
            return e
        out = walk_blocks(e, _blocks(fn))
        meta = dataclasses.replace(
            out.meta, title=map_run_texts(out.meta.title, fn),
            subtitle=map_run_texts(out.meta.subtitle, fn),
        )  # fmt: skip
        return out if meta == out.meta else dataclasses.replace(out, meta=meta)

    def transform(book: Anthology) -> Anthology:
        lang = book.meta.lang
        fn = quote_style(lang, quotes)
        parts = tuple(
            Part(
                map_run_texts(p.title, fn) if fn else p.title,
                tuple(essay(e, lang) for e in p.essays),
                p.id,
            )
            for p in book.parts
        )
        return dataclasses.replace(
            book,
            meta=_book_meta(book.meta, fn) if fn else book.meta,
            front=tuple(essay(e, lang) for e in book.front),
            parts=parts,
            back=tuple(essay(e, lang) for e in book.back),
        )

    return transform
