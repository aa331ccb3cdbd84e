"""Turn the characters the EPUB's documents use into subset font files and ``@font-face`` rules.

Only when anthology.toml asks (``[epub] embed_fonts = true``). The families are
the layout's (``layout.toml`` ``[fonts]``), which the layout's ``epub.css``
names first in its stacks; each embedded face keeps its family name, so the
stylesheet's rules pick it up unchanged. Which face renders which text follows
``epub.css``: in Chinese, headings ``h1``–``h3`` in the sans family (bold),
other bold text (``h4``–``h6``, ``strong``, ``b``, ``th``) in the serif bold,
the rest in the serif regular, which also gets every character of the script
(so a character never lacks a glyph in the body face); Latin faces are small,
so each of the four styles of the English family gets every character of the
English documents. Subsets are cut with fontTools to those characters, plus
what the stylesheet and the reader generate (list numbers, bullets, the scene
break's asterisks, hyphens, the other case of every letter for small caps),
without hinting, without ``locl`` (the face found is the script's own), as
WOFF2 when brotli is installed, else as the font's own format (OTF or TTF).
Font files are found through fontconfig (``fc-match``); a face of a ``.ttc``
collection is checked against its name table. The same fonts and text give
the same bytes (no timestamps are recomputed).
"""

from __future__ import annotations

import functools
import importlib.util
import io
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTCollection, TTFont, TTLibError  # type: ignore[import-untyped]

from ...log import warn
from ...options import Layout
from ..names import script_of
from .documents import Doc
from .names import Names, ncname

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_BOLD = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "th"})
_SANS_IN_CHINESE = frozenset({"h1", "h2", "h3"})  # epub.css: Chinese headings are sans
_SKIP = frozenset({"head", "script", "style"})
GENERATED = " \u00a00123456789.*•◦▪-\u2010"  # list markers, scene break, hyphenation
_DROPPED_FEATURES = frozenset({"locl"})
_STYLES = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic"}
_STYLES[(True, True)] = "Bold Italic"
WOFF2 = importlib.util.find_spec("brotli") is not None


@dataclass(frozen=True, order=True)
class Face:
    """One face of a family, as CSS selects it."""

    family: str
    bold: bool = False
    italic: bool = False

    @property
    def style(self) -> str:
        """The face's fontconfig style name: Regular, Bold, Italic or Bold Italic."""
        return _STYLES[(self.bold, self.italic)]


@dataclass(frozen=True)
class FontFile:
    """A subset font in the package."""

    name: str  # path inside EPUB/, e.g. "fonts/noto-serif-cjk-tc-regular.woff2"
    media_type: str
    data: bytes
    face: Face


def faces_needed(
    docs: Sequence[Doc], nav_text: Iterable[str], nav_heading: str, layout: Layout, lang: str
) -> dict[Face, str]:
    """Each face the documents need and the characters it must have, sorted.

    ``nav_text``: the navigation document's link texts, ``nav_heading`` the
    text of its headings (both shown in the book's language ``lang``).
    """
    by_context: dict[tuple[str, bool, bool], set[str]] = {}
    for doc in docs:
        if doc.tree is not None:
            _collect(doc.tree.getroot(), script_of(doc.lang), False, False, by_context)
    book = script_of(lang)
    by_context.setdefault((book, False, False), set()).update("".join(nav_text))
    by_context.setdefault((book, True, True), set()).update(nav_heading)
    faces: dict[Face, set[str]] = {}
    for (script, bold, sans), chars in sorted(by_context.items()):
        fonts = layout.fonts_for(script)
        if not fonts.serif:
            continue
        serif = fonts.serif[0]
        if script == "en":
            for key in _STYLES:
                faces.setdefault(Face(serif, *key), set()).update(chars)
            continue
        faces.setdefault(Face(serif), set()).update(chars)
        if sans and fonts.sans:
            faces.setdefault(Face(fonts.sans[0], bold=True), set()).update(chars)
        elif bold:
            faces.setdefault(Face(serif, bold=True), set()).update(chars)
    return {face: _with_generated(chars) for face, chars in sorted(faces.items()) if _real(chars)}


def named_in(faces: dict[Face, str], css: bytes) -> dict[Face, str]:
    """The faces whose family the stylesheet names; the others would never be used."""
    text = css.decode("utf-8", "replace").lower()
    unused = sorted({f.family for f in faces if f.family.lower() not in text})
    for family in unused:
        warn(
            "epub-font",
            f"the layout's epub.css does not name font {family!r}, so it is not embedded",
            "layout.toml",
        )
    return {face: chars for face, chars in faces.items() if face.family not in unused}


def font_files(faces: dict[Face, str], names: Names) -> list[FontFile]:
    """The installed faces found and subset; a family found in no style is warned about."""
    out: list[FontFile] = []
    if faces and shutil.which("fc-match") is None:
        warn(
            "epub-font",
            "fc-match (fontconfig) is not installed, so no fonts are embedded — install fontconfig",
            "anthology.toml",
        )
        return out
    missing: set[str] = set()
    for face, chars in faces.items():
        found = find_face(face)
        if found is None:
            missing.add(face.family)
            continue
        path, number = found
        try:
            data, sfnt = subset_font(str(path), number, chars)
        except (OSError, TTLibError, ValueError, AssertionError) as exc:
            warn("epub-font", f"{face.family} {face.style} cannot be subset: {exc}", path)
            continue
        ext, media_type = (".woff2", "font/woff2") if WOFF2 else _SFNT[sfnt]
        name = names.claim(f"fonts/{ncname(f'{face.family} {face.style}'.lower(), 'font')}", ext)
        out.append(FontFile(name, media_type, data, face))
    embedded = {f.face.family for f in out}
    for family in sorted(missing - embedded):
        warn(
            "epub-font",
            f"font {family!r} is not installed; the EPUB names it without embedding it",
            "layout.toml",
        )
    return out


_SFNT = {"OTTO": (".otf", "font/otf"), "true": (".ttf", "font/ttf")}


def font_face_rules(files: Sequence[FontFile], css_dir: str) -> str:
    """``@font-face`` rules for the files, with URLs relative to the stylesheet's folder."""
    rules = []
    for f in files:
        url = "../" * len([p for p in css_dir.split("/") if p]) + f.name
        fmt = "woff2" if f.media_type == "font/woff2" else "opentype"
        if f.media_type == "font/ttf":
            fmt = "truetype"
        rules.append(
            "@font-face {\n"
            f"  font-family: {css_string(f.face.family)};\n"
            f"  font-style: {'italic' if f.face.italic else 'normal'};\n"
            f"  font-weight: {'bold' if f.face.bold else 'normal'};\n"
            f'  src: url("{url}") format("{fmt}");\n'
            "}\n"
        )
    return "".join(rules)


_PREAMBLE = re.compile(rb"\s+|/\*.*?\*/|(@(?:charset|import|namespace)\b[^;]*;)", re.S)


def with_font_faces(css: bytes, rules: str) -> bytes:
    """The stylesheet with ``rules`` after its ``@charset``/``@import``/``@namespace`` lines."""
    if not rules:
        return css
    end, at = 0, 0
    while (token := _PREAMBLE.match(css, at)) is not None and token.end() > at:
        at = token.end()
        if token.group(1):  # after the last @-statement, before any comment that follows it
            end = at
    head = css[:end].rstrip()
    block = ("/* fonts embedded by essaypress ([epub] embed_fonts) */\n" + rules).encode()
    return head + (b"\n\n" if head else b"") + block + b"\n" + css[end:].lstrip()


def css_string(name: str) -> str:
    """A family name as a CSS string."""
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", " ", escaped) + '"'


def _collect(
    el: Any, script: str, bold: bool, sans: bool, out: dict[tuple[str, bool, bool], set[str]]
) -> None:
    """Add the text inside ``el`` to ``out`` under the script and weight it is shown in."""
    tag = el.tag.rsplit("}", 1)[-1]
    if tag in _SKIP:
        return
    lang = el.get(XML_LANG) or el.get("lang")
    if lang:
        script = script_of(lang)
    bold = bold or tag in _BOLD
    sans = sans or (tag in _SANS_IN_CHINESE)
    key = (script, bold, sans and script != "en")
    if el.text:
        out.setdefault(key, set()).update(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _collect(child, script, bold, sans, out)
        if child.tail:
            out.setdefault(key, set()).update(child.tail)


def _real(chars: set[str]) -> bool:
    return any(not c.isspace() for c in chars)


def _with_generated(chars: set[str]) -> str:
    more = set(chars) | set(GENERATED)
    for c in chars:
        for other in (c.upper(), c.lower()):
            if len(other) == 1:
                more.add(other)
    return "".join(sorted(c for c in more if c.isprintable() or c == " "))


@functools.cache
def find_face(face: Face) -> tuple[Path, int] | None:
    """The installed file and collection index of ``face``, if fontconfig has that very face."""
    pattern = f"{_fc_escape(face.family)}:style={_fc_escape(face.style)}"
    try:
        proc = subprocess.run(
            ["fc-match", "-f", "%{file}\n%{index}\n%{family}\n%{style}", pattern],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = proc.stdout.split("\n")
    if proc.returncode != 0 or len(lines) < 4:
        return None
    file, index, families, styles = lines[:4]
    if face.family.lower() not in _names(families) or face.style.lower() not in _names(styles):
        return None
    path = Path(file)
    if path.suffix.lower() not in (".ttf", ".otf", ".ttc", ".otc") or not path.is_file():
        return None
    number = _face_number(path, int(index) if index.isdigit() else 0, face)
    return None if number is None else (path, number)


def _names(value: str) -> set[str]:
    """fontconfig's list of names (``A,B``, commas inside a name escaped) in lower case."""
    return {n.replace("\\,", ",").strip().lower() for n in re.split(r"(?<!\\),", value)}


def _fc_escape(text: str) -> str:
    return re.sub(r"([\\:,=\-])", r"\\\1", text)


def _face_number(path: Path, index: int, face: Face) -> int | None:
    """The face of a collection that is ``face`` (fontconfig's index first), else None."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    try:
        with TTCollection(str(path), lazy=True) as collection:
            count = len(collection.fonts)
            for i in [index, *(i for i in range(count) if i != index)]:
                if i < count and _is_face(collection.fonts[i], face):
                    return i
    except (OSError, TTLibError):
        return None
    return None


def _is_face(font: Any, face: Face) -> bool:
    names = font["name"]
    family = names.getDebugName(16) or names.getDebugName(1) or ""
    style = names.getDebugName(17) or names.getDebugName(2) or ""
    return bool(family.lower() == face.family.lower() and style.lower() == face.style.lower())


@functools.lru_cache(maxsize=16)
def subset_font(path: str, number: int, chars: str) -> tuple[bytes, str]:
    """Face ``number`` of the font at ``path`` cut to ``chars``; the bytes and the sfnt tag.

    Cached: a second build of the same book in one process does not cut again.
    """
    font = TTFont(path, fontNumber=number, lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    try:
        sfnt = "OTTO" if "CFF " in font or "CFF2" in font else "true"
        options = subset.Options()
        options.layout_features = [f for f in options.layout_features if f not in _DROPPED_FEATURES]
        options.hinting = False
        options.desubroutinize = True
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # with the copyright and the licence
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted({ord(c) for c in chars}))
        subsetter.subset(font)
        font.flavor = "woff2" if WOFF2 else None
        out = io.BytesIO()
        font.save(out, reorderTables=True)
    finally:
        font.close()
    return out.getvalue(), sfnt
