"""Fonts in the EPUB on request (``[epub] embed_fonts``): found, subset, declared, valid, stable."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import posixpath
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from essaypress.config import load_manifest
from essaypress.errors import ConfigError
from essaypress.layouts import load_layout
from essaypress.log import collect
from essaypress.model.nodes import Anthology
from essaypress.options import Fonts, WriterOptions
from essaypress.writers.epub import write_epub
from essaypress.writers.epub.fonts import (
    WOFF2,
    Face,
    find_face,
    subset_font,
    with_font_faces,
)
from essaypress.writers.names import script_of
from tests.conftest import REPO, make_anthology, missing, need_tool
from tests.writers.conftest import EpubCheckReport
from tests.writers.test_epub import Book, assert_clean

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FONT_FACE = re.compile(r"@font-face\s*\{(.*?)\}", re.S)


@pytest.fixture
def fontconfig() -> None:
    need_tool("fc-match", "fonts are found through fontconfig")


needs_fontconfig = pytest.mark.usefixtures("fontconfig")


def embedding(opts: WriterOptions) -> WriterOptions:
    return dataclasses.replace(opts, epub_embed_fonts=True)


# ------------------------------------------------------------------ anthology.toml


def manifest(tmp_path: Path, table: str) -> Path:
    (tmp_path / "a.md").write_text("# A\n\ntext\n", encoding="utf-8")
    (tmp_path / "anthology.toml").write_text(
        f'title = "T"\nessays = ["a.md"]\n{table}', encoding="utf-8"
    )
    return tmp_path


def test_the_epub_table_asks_for_fonts(tmp_path: Path) -> None:
    assert load_manifest(manifest(tmp_path, "")).epub_embed_fonts is False
    assert load_manifest(manifest(tmp_path, "[epub]\nembed_fonts = true\n")).epub_embed_fonts
    assert not load_manifest(manifest(tmp_path, "[epub]\n")).epub_embed_fonts


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[epub]\nembed_fonts = "yes"\n', "epub.embed_fonts: must be true or false"),
        ("[epub]\nembed_font = true\n", "epub.embed_font: unknown key; known keys: embed_fonts"),
        ('epub = "fonts"\n', "epub: must be a table: [epub]"),
    ],
)
def test_a_wrong_epub_table_is_a_one_line_error(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_manifest(manifest(tmp_path, table))
    assert message in str(info.value) and "anthology.toml" in str(info.value)
    assert "\n" not in str(info.value)


def test_the_scaffold_documents_the_epub_table() -> None:
    text = (REPO / "src/essaypress/scaffold/sources/anthology.toml").read_text(encoding="utf-8")
    assert "[epub]\nembed_fonts = false" in text and "# The EPUB." in text


# ------------------------------------------------------------------ what is in the package


def fonts_of(book: Book) -> dict[str, tuple[str, Any]]:
    """href → (media type, TTFont) of every font in the manifest."""
    out = {}
    for href, (_, media_type) in book.manifest().items():
        if media_type.startswith("font/"):
            data = book.zip.read(f"EPUB/{href}")
            out[href] = (media_type, TTFont(io.BytesIO(data)))
    return out


def name_of(font: Any) -> tuple[str, str]:
    names = font["name"]
    family = names.getDebugName(16) or names.getDebugName(1)
    return family, names.getDebugName(17) or names.getDebugName(2)


def font_faces(css: str) -> list[dict[str, str]]:
    rules = []
    for body in FONT_FACE.findall(css):
        decl = dict(
            (k.strip(), v.strip())
            for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d)
        )
        rules.append(decl)
    return rules


def texts_by_face(book: Book) -> dict[tuple[str, bool], set[str]]:
    """(script, in a Chinese heading h1–h3) → the characters of the documents and the nav."""
    out: dict[tuple[str, bool], set[str]] = {}

    def walk(el: Any, script: str, heading: bool) -> None:
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "head":
            return
        lang = el.get(XML_LANG) or el.get("lang")
        script = script_of(lang) if lang else script
        heading = heading or tag in ("h1", "h2", "h3")
        out.setdefault((script, heading), set()).update(el.text or "")
        for child in el:
            if isinstance(child.tag, str):
                walk(child, script, heading)
            out.setdefault((script, heading), set()).update(child.tail or "")

    for href in book.spine():
        root = book.doc(href)
        walk(root, script_of(root.get("lang")), False)
    return {k: {c for c in v if not c.isspace()} for k, v in out.items()}


def check_fonts_cover_the_text(book: Book) -> list[tuple[str, str]]:
    """Every font is a subset declared by one @font-face rule, and has every character
    of the text it renders that the installed font has; returns (family, style) of each."""
    layout = load_layout("booklet-a5")
    fonts = fonts_of(book)
    assert fonts, "fonts are embedded"
    css = book.zip.read("EPUB/style/epub.css").decode()
    rules = font_faces(css)
    assert len(rules) == len(fonts)
    by_face = {}
    for rule in rules:
        url = re.fullmatch(r'url\("([^"]+)"\) format\("(\w+)"\)', rule["src"])
        assert url is not None, rule
        href = posixpath.normpath(posixpath.join("style", url[1]))
        media_type, font = fonts.pop(href)
        assert url[2] == {"font/woff2": "woff2", "font/otf": "opentype"}.get(media_type, "truetype")
        assert media_type == ("font/woff2" if WOFF2 else media_type)
        family, style = name_of(font)
        assert rule["font-family"] == f'"{family}"'
        weight = "bold" if "Bold" in style else "normal"
        italic = "italic" if "Italic" in style else "normal"
        assert (rule["font-weight"], rule["font-style"]) == (weight, italic), (rule, style)
        face = Face(family, weight == "bold", italic == "italic")
        original = find_face(face)
        assert original is not None
        with TTFont(str(original[0]), fontNumber=original[1], lazy=True) as installed:
            assert name_of(installed) == (family, style), "the right face of the collection"
            glyphs, full = len(font.getGlyphOrder()), installed["maxp"].numGlyphs
            assert glyphs < full / 5, f"{family} {style}: {glyphs} of {full} glyphs"
            by_face[face] = (font.getBestCmap(), installed.getBestCmap())
    assert not fonts, f"fonts no rule declares: {sorted(fonts)}"
    for (script, heading), chars in texts_by_face(book).items():
        fonts_for = layout.fonts_for(script)
        body = Face(fonts_for.serif[0])
        faces = [body, Face(fonts_for.sans[0], bold=True)] if heading and script != "en" else [body]
        for face in faces:
            subset, installed = by_face[face]
            wanted = {c for c in chars if ord(c) in installed}
            missing = sorted(c for c in wanted if ord(c) not in subset)
            assert not missing, (face, script, heading, missing[:20])
            if script != "en":  # the Chinese faces have every character but private-use ones
                lacking = {c for c in chars if ord(c) not in installed}
                assert all(unicodedata.category(c) == "Co" for c in lacking), (face, lacking)
    return sorted((f.family, f.style) for f in by_face)


@needs_fontconfig
def test_fonts_are_embedded_subset_and_declared(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    book = Book(write_epub(anthology, embedding(writer_options)))
    faces = check_fonts_cover_the_text(book)
    assert faces == [
        ("Noto Sans CJK TC", "Bold"),
        ("Noto Serif", "Bold"),
        ("Noto Serif", "Bold Italic"),
        ("Noto Serif", "Italic"),
        ("Noto Serif", "Regular"),
        ("Noto Serif CJK TC", "Bold"),  # the kiln essay's <strong>
        ("Noto Serif CJK TC", "Regular"),
    ]
    names = [n for n in book.zip.namelist() if n.startswith("EPUB/fonts/")]
    assert all(n.isascii() and n.endswith(".woff2" if WOFF2 else (".otf", ".ttf")) for n in names)
    css = book.zip.read("EPUB/style/epub.css").decode()
    # @font-face after @namespace, as CSS requires, and the layout's rules unchanged after
    assert css.index("@namespace") < css.index("@font-face")
    layout_css = (REPO / "layouts/booklet-a5/epub/epub.css").read_text(encoding="utf-8")
    assert css.replace("\n", "").endswith(layout_css.split("\n", 2)[2].replace("\n", ""))
    # the layout's stacks name the embedded families first
    assert re.search(r'html \{\s*font-family: "Noto Serif",', css)
    total = sum(len(book.zip.read(n)) for n in names)
    print(f"{len(names)} fonts, {total / 1024:.0f} KB")
    assert total < 200 * 1024


def test_without_the_key_there_are_no_fonts(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    book = Book(write_epub(anthology, writer_options))
    assert not fonts_of(book)
    assert not [n for n in book.zip.namelist() if "/fonts/" in n]
    css = book.zip.read("EPUB/style/epub.css")
    assert css == (REPO / "layouts/booklet-a5/epub/epub.css").read_bytes()
    assert b"@font-face {" not in css


@needs_fontconfig
def test_a_face_of_a_collection_is_the_one_named() -> None:
    for family, number in (("Noto Serif CJK TC", None), ("Noto Serif CJK SC", None)):
        found = find_face(Face(family))
        if found is None:
            missing(f"{family} is not installed (fonts-noto-cjk); `make test` installs it")
        path, number = found
        assert path.suffix == ".ttc"
        with TTFont(str(path), fontNumber=number, lazy=True) as font:
            assert name_of(font) == (family, "Regular")
        data, sfnt = subset_font(str(path), number, "永和九年")
        cut = TTFont(io.BytesIO(data))
        assert name_of(cut) == (family, "Regular") and sfnt == "OTTO"
        assert {chr(c) for c in cut.getBestCmap()} >= set("永和九年")
    assert find_face(Face("Noto Serif CJK TC", italic=True)) is None, "no such face: synthesized"


def other_latin_font(opts: WriterOptions, family: str, root: Path, *, named: bool) -> WriterOptions:
    """The options with ``family`` as the layout's English serif, named by epub.css or not."""
    shutil.copytree(opts.layout.folder("epub"), root / "epub")
    if named:
        css = root / "epub" / "epub.css"
        text = css.read_text(encoding="utf-8")
        css.write_text(text.replace('font-family: "Noto Serif",', f'font-family: "{family}",', 1))
    fonts = dict(opts.layout.fonts)
    fonts["en"] = Fonts(serif=(family,), sans=("Noto Sans",))
    layout = dataclasses.replace(opts.layout, root=root, fonts=fonts)
    return embedding(dataclasses.replace(opts, layout=layout))


@needs_fontconfig
@pytest.mark.parametrize(
    ("named", "message"),
    [(True, "is not installed"), (False, "epub.css does not name font")],
)
def test_a_font_that_is_missing_or_unused_is_not_embedded(
    anthology: Anthology, writer_options: WriterOptions, tmp_path: Path, named: bool, message: str
) -> None:
    opts = other_latin_font(writer_options, "No Such Family Anywhere", tmp_path, named=named)
    with collect() as warnings:
        book = Book(write_epub(anthology, opts))
    assert [w.code for w in warnings] == ["epub-font"]
    assert "'No Such Family Anywhere'" in warnings[0].message and message in warnings[0].message
    families = {name_of(font)[0] for _, font in fonts_of(book).values()}
    assert families == {"Noto Serif CJK TC", "Noto Sans CJK TC"}


def test_without_fontconfig_nothing_is_embedded_and_that_is_said(
    anthology: Anthology, writer_options: WriterOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with collect() as warnings:
        book = Book(write_epub(anthology, embedding(writer_options)))
    assert [w.code for w in warnings] == ["epub-font"]
    assert "fc-match" in warnings[0].message
    assert not fonts_of(book)
    assert b"@font-face {" not in book.zip.read("EPUB/style/epub.css")


def test_font_face_rules_go_after_the_preamble() -> None:
    rule = "@font-face { font-family: x; }\n"
    css = b'@charset "utf-8";\n/* c */\n@namespace epub "x";\n\nhtml { color: red }\n'
    out = with_font_faces(css, rule)
    assert out.index(b"@namespace") < out.index(b"@font-face") < out.index(b"html {")
    assert with_font_faces(b"p { margin: 0 }", rule).startswith(b"/* fonts")
    assert with_font_faces(css, "") == css


# ------------------------------------------------------------------ EPUBCheck, determinism


@pytest.mark.slow
@needs_fontconfig
def test_epubcheck_passes_with_embedded_fonts(
    anthology: Anthology,
    writer_options: WriterOptions,
    epubcheck: Callable[[bytes], EpubCheckReport],
) -> None:
    report = epubcheck(write_epub(anthology, embedding(writer_options)))
    print(report)
    assert_clean(report, usages=False)
    # the only remarks: "Use of Font-face declaration", EPUBCheck's note that fonts are used
    assert {m.split()[1] for m in report.messages} == {"CSS-028"}, report


_WRITE_IN_A_NEW_PROCESS = """
import dataclasses, hashlib, sys
from essaypress.layouts import load_layout
from essaypress.options import WriterOptions
from essaypress.writers.epub import write_epub
from tests.conftest import make_anthology
opts = WriterOptions(layout=load_layout("booklet-a5"), date="2026-01-01", epub_embed_fonts=True)
sys.stdout.write(hashlib.sha256(write_epub(make_anthology(), opts)).hexdigest())
"""


@pytest.mark.slow
@needs_fontconfig
def test_fonts_are_cut_the_same_every_time(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    opts = embedding(writer_options)
    subset_font.cache_clear()
    first = write_epub(anthology, opts)
    subset_font.cache_clear()
    assert write_epub(make_anthology(), opts) == first
    proc = subprocess.run(
        [sys.executable, "-c", _WRITE_IN_A_NEW_PROCESS],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "7"},
        cwd=REPO,
        check=True,
    )
    assert proc.stdout == hashlib.sha256(first).hexdigest()
