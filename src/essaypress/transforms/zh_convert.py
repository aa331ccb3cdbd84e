"""Turn an anthology into one Chinese edition with OpenCC: zh-Hant with Taiwan phrasing
(``s2twp``) or zh-Hans with mainland phrasing (``tw2sp``); find stray characters of the
other script.

Text and metadata are converted — every ``Str``, titles, names, affiliations,
tags, image descriptions, the book's metadata and part titles — never code,
URLs, image sources, attributes, dates or identifiers. Each ``Str`` is
converted on its own, so the tree keeps its shape. Chinese essays and the book
take the edition's language tag, so fonts, ``lang`` attributes and the quote
style follow it. This is the only module that imports ``opencc``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cache

import opencc

from ..model.nodes import Anthology, BookMeta, Essay, Image, Inline, Meta, Part, Person, Str
from ..model.walk import walk_inlines
from ._runs import script

CONFIGS = {"zh-Hant": "s2twp", "zh-Hans": "tw2sp"}


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def convert_text(text: str, edition: str) -> str:
    """``text`` in the edition's script and phrasing (``zh-Hant`` or ``zh-Hans``)."""
    if not text or text.isascii():
        return text
    return str(_converter(CONFIGS[edition]).convert(text))


def _encodable(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def stray_characters(text: str, lang: str) -> list[str]:
    """Characters of the other script in Chinese text of ``lang``, in order of first use:
    Simplified ones in zh-Hant text, Traditional ones in zh-Hans text.

    A character counts when OpenCC changes it in context (``s2tw`` or ``t2s``, so
    phrases decide: 皇后 stays, 后来 does not) and the script's own character set
    lacks it (Big5 for Traditional, GB 2312 for Simplified), so characters both
    scripts write (台, 只, 乾) never count.
    """
    kind = script(lang)
    if kind not in ("zh-Hant", "zh-Hans") or text.isascii():
        return []
    config, own = ("s2tw", "cp950") if kind == "zh-Hant" else ("t2s", "gb2312")
    converted = str(_converter(config).convert(text))
    if len(converted) != len(text):
        return []
    found: dict[str, None] = {}
    for old, new in zip(text, converted, strict=True):
        if old != new and not _encodable(old, own):
            found.setdefault(old)
    return list(found)


def _inline(edition: str) -> Callable[[Inline], Inline | None]:
    def fn(node: Inline) -> Inline | None:
        match node:
            case Str(text=t):
                new = convert_text(t, edition)
                return None if new == t else Str(new)
            case Image(alt=alt, title=title):
                a, t = convert_text(alt, edition), convert_text(title, edition)
                return None if (a, t) == (alt, title) else dataclasses.replace(node, alt=a, title=t)
            case _:
                return None

    return fn


def _person(p: Person, edition: str) -> Person:
    return Person(convert_text(p.name, edition), convert_text(p.affiliation, edition))


def _lang(lang: str, edition: str) -> str:
    return edition if script(lang) != "other" else lang


def _essay(e: Essay, edition: str) -> Essay:
    fn = _inline(edition)
    out = walk_inlines(e, fn)  # the title and subtitle too
    m = out.meta
    meta = Meta(
        title=m.title,
        subtitle=m.subtitle,
        authors=tuple(_person(p, edition) for p in m.authors),
        date=m.date,
        lang=_lang(m.lang, edition) if m.lang else m.lang,
        tags=tuple(convert_text(t, edition) for t in m.tags),
    )
    return out if meta == m else dataclasses.replace(out, meta=meta)


def _book_meta(m: BookMeta, edition: str) -> BookMeta:
    c = convert_text
    return dataclasses.replace(
        m,
        title=c(m.title, edition),
        subtitle=c(m.subtitle, edition),
        editors=tuple(_person(p, edition) for p in m.editors),
        publisher=c(m.publisher, edition),
        lang=_lang(m.lang, edition),
        description=c(m.description, edition),
        edition=c(m.edition, edition),
        rights=c(m.rights, edition),
    )


def to_edition(edition: str) -> Callable[[Anthology], Anthology]:
    """The transform converting a whole anthology to ``edition`` (``zh-Hant``/``zh-Hans``)."""
    if edition not in CONFIGS:
        raise ValueError(f"unknown edition {edition!r}")

    def transform(book: Anthology) -> Anthology:
        fn = _inline(edition)
        return dataclasses.replace(
            book,
            meta=_book_meta(book.meta, edition),
            front=tuple(_essay(e, edition) for e in book.front),
            parts=tuple(
                Part(
                    walk_inlines(p.title, fn),
                    tuple(_essay(e, edition) for e in p.essays),
                    p.id,
                )
                for p in book.parts
            ),
            back=tuple(_essay(e, edition) for e in book.back),
        )

    return transform
