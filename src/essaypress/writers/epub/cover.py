"""Turn the book's cover image, or its title set on the layout's SVG template, into the cover file.

``anthology.toml``'s ``cover`` (PNG, JPEG, GIF or WebP) is used as given;
without one, ``epub/cover.svg`` (Jinja2: title lines, subtitle lines,
editors, publisher, lang) makes a typographic cover. SVG has no line
breaking, so titles are broken here into lines of at most ``width`` units
(a CJK character counts 2, anything else 1).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ...log import warn
from ...model.nodes import BookMeta
from ..names import editors_line
from ..templates import render
from .images import Images, sniff
from .names import clean, xml_safe

RASTER = ("image/png", "image/jpeg", "image/gif", "image/webp")


def make_cover(meta: BookMeta, folder: Path, lang: str, untitled: str, images: Images) -> None:
    """Add the cover file to ``images`` and remember it as ``images.cover``."""
    given = meta.cover
    if given is not None:
        media_type = sniff(given.data, given.media_type)
        if media_type in RASTER:
            assert media_type is not None
            images.cover = (images.add_file("cover", media_type, given.data), media_type)
            return
        warn(
            "epub-cover",
            f"cover {given.key!r} is not PNG, JPEG, GIF or WebP; the EPUB uses a title cover",
            "anthology.toml",
        )
    title = clean(meta.title) or untitled
    svg = render(
        folder,
        "cover.svg",
        lang=lang,
        title_lines=wrap(title, 16),
        subtitle_lines=wrap(clean(meta.subtitle), 28),
        editors=clean(editors_line(meta.editors, lang)),
        publisher=clean(meta.publisher),
    )
    data = xml_safe(svg).encode("utf-8")
    images.cover = (images.add_file("cover", "image/svg+xml", data), "image/svg+xml")


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` units, broken at spaces or between CJK characters."""
    lines: list[str] = []
    line, used = "", 0
    for word in _words(text):
        size = sum(_units(c) for c in word)
        if line and used + size > width:
            lines.append(line.strip())
            line, used = "", 0
            word = word.lstrip()
            size = sum(_units(c) for c in word)
        line += word
        used += size
    if line.strip():
        lines.append(line.strip())
    return lines


def _words(text: str) -> list[str]:
    """Breakable pieces: a CJK character (with the punctuation that must stay with it) or a word."""
    out: list[str] = []
    for c in text:
        wide = _units(c) == 2
        closing = unicodedata.category(c) in ("Pe", "Pf", "Po") and bool(out)
        if out and (closing or (not wide and not c.isspace() and not _ends_wide(out[-1]))):
            out[-1] += c
        elif out and c.isspace():
            out.append(c)
        else:
            out.append(c)
    return out


def _ends_wide(piece: str) -> bool:
    return bool(piece) and (_units(piece[-1]) == 2 or piece[-1].isspace())


def _units(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
