"""Turn the layout's font choices into CSS font stacks and ``@font-face`` rules, per language.

Latin letters should use the Latin face and CJK characters the CJK face, so
the Latin face comes first in every stack. But Latin fonts also have the
punctuation Chinese shares with English (“ ” ‘ ’ — … ·), and in Chinese text
those must be the CJK font's full-width forms. So in Chinese text the first
family is a copy of the Latin face restricted (``unicode-range``) to what it
covers minus that shared punctuation; in English text the Latin face is used
as is. The Latin face's files are found through fontconfig and read by the
fetcher (the only system files it reads).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError  # type: ignore[import-untyped]
from markupsafe import Markup
from weasyprint.text.ffi import ffi, fontconfig

from ...options import Layout
from ._cjk_justify import SHARED

LATIN_SUFFIX = " Latin"
_FACES = (
    ("normal", "normal", "Regular"),
    ("italic", "normal", "Italic"),
    ("normal", "bold", "Bold"),
    ("italic", "bold", "Bold Italic"),
)


@dataclass(frozen=True)
class FontRule:
    """CSS font stacks for one language tag, already quoted for a style sheet."""

    lang: str
    serif: Markup
    sans: Markup


@dataclass(frozen=True)
class FontFace:
    """One ``@font-face`` rule: a Latin face limited to what Chinese text should take from it."""

    family: Markup
    src: str
    style: str
    weight: str
    unicode_range: str


@dataclass(frozen=True)
class Fonts:
    rules: tuple[FontRule, ...]
    faces: tuple[FontFace, ...]
    files: frozenset[Path]  # the font files the fetcher may read


def css_string(name: str) -> str:
    """A font family name as a CSS string, safe inside a ``<style>`` element."""
    escaped = name.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + re.sub(r"[\x00-\x1f\x7f]", " ", escaped) + '"'


def is_cjk_lang(lang: str) -> bool:
    return lang.lower().split("-")[0] in ("zh", "ja", "ko")


def font_setup(layout: Layout, langs: Iterable[str], book_lang: str) -> Fonts:
    """Stacks for every language used (longer tags later, so they win) and the faces they need."""
    latin, home = layout.fonts_for("en"), layout.fonts_for(book_lang)
    faces: list[FontFace] = []
    restricted: dict[str, str] = {}
    for role, families in (("serif", latin.serif), ("sans", latin.sans)):
        name = families[0] + LATIN_SUFFIX if families else ""
        made = _restricted_faces(families[0], name) if families else ()
        if made:
            faces.extend(made)
            restricted[role] = name
    rules = []
    for lang in sorted(set(langs) | {book_lang}, key=lambda t: (len(t), t)):
        own = layout.fonts_for(lang)
        stacks = []
        for role in ("serif", "sans"):
            lat, mine, book = (getattr(f, role) for f in (latin, own, home))
            first = (restricted[role],) if is_cjk_lang(lang) and role in restricted else ()
            names = dict.fromkeys(
                (*first, *lat, *mine, *book) if not first else (*first, *mine, *book, *lat)
            )
            generic = "serif" if role == "serif" else "sans-serif"
            stacks.append(Markup(", ".join([*map(css_string, names), generic])))
        rules.append(FontRule(lang, stacks[0], stacks[1]))
    files = frozenset(Path(f.src.removeprefix("file://")) for f in faces)
    return Fonts(tuple(rules), tuple(faces), files)


def _restricted_faces(family: str, name: str) -> tuple[FontFace, ...]:
    faces = []
    for style, weight, fc_style in _FACES:
        path = font_file(family, fc_style)
        if path is None:
            continue
        ranges = _unicode_ranges(str(path))
        if ranges:
            faces.append(FontFace(Markup(css_string(name)), path.as_uri(), style, weight, ranges))
    return tuple(faces)


@functools.cache
def _fc_config() -> object:
    return ffi.gc(fontconfig.FcInitLoadConfigAndFonts(), fontconfig.FcConfigDestroy)


@functools.cache
def font_file(family: str, style: str) -> Path | None:
    """The file of an installed face (``"Noto Serif"``, ``"Bold Italic"``), if fontconfig has it."""
    config = _fc_config()
    pattern = ffi.gc(fontconfig.FcPatternCreate(), fontconfig.FcPatternDestroy)
    fontconfig.FcPatternAddString(pattern, b"family", family.encode())
    fontconfig.FcPatternAddString(pattern, b"style", style.encode())
    fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
    fontconfig.FcDefaultSubstitute(pattern)
    result = ffi.new("FcResult *")
    match = fontconfig.FcFontMatch(config, pattern, result)
    if match == ffi.NULL:
        return None
    match = ffi.gc(match, fontconfig.FcPatternDestroy)
    found = {}
    for key in (b"family", b"style", b"file"):
        value = ffi.new("FcChar8 **")
        if fontconfig.FcPatternGetString(match, key, 0, value) != 0:  # FcResultMatch
            return None
        found[key] = ffi.string(value[0]).decode("utf-8", "replace")
    if found[b"family"].lower() != family.lower() or found[b"style"].lower() != style.lower():
        return None
    path = Path(found[b"file"])
    return path if path.suffix.lower() in (".ttf", ".otf") else None


@functools.cache
def _unicode_ranges(path: str) -> str:
    """What the font covers, minus the shared punctuation, as a CSS ``unicode-range`` value."""
    try:
        font = TTFont(path, lazy=True, fontNumber=0)
        cmap = font.getBestCmap() or {}
        font.close()
    except (OSError, TTLibError):
        return ""
    points = sorted(c for c in cmap if c > 0x1F and chr(c) not in SHARED)
    ranges: list[list[int]] = []
    for c in points:
        if ranges and c == ranges[-1][1] + 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in ranges)
