"""Turn an Anthology into EPUB 3 bytes: layout templates wrap the shared HTML, ebooklib packages it.

Inside the zip, ``EPUB/`` holds ``content.opf``, ``toc.ncx``, ``nav.xhtml``,
``style/epub.css``, ``text/*.xhtml`` (cover, title page, colophon, front
matter, part title pages, one file per essay, back matter) and ``images/*``
(the cover image among them), and ``fonts/*`` when fonts are embedded.

- ``documents``: render each document from the layout's ``epub/`` templates,
  essay bodies from the shared HTML translator (notes as ``aside``);
- ``finish``: parse them with lxml, make ids unique, unlink dead links, find
  the sections for the table of contents;
- ``pages``: the print edition's page breaks (``opts.page_map``) as markers
  and a page list;
- ``cover``: the cover image, given or made from the layout's ``cover.svg``;
- ``fonts``: with ``[epub] embed_fonts``, the layout's fonts cut to the book's
  characters (``fonts/*``) and their ``@font-face`` rules;
- ``package``: metadata, nav and zip, through ebooklib (its only importer);
  ``ncx``: the NCX's page list and play order.
"""

from __future__ import annotations

import datetime as dt
import posixpath

from ...errors import ConfigError, LayoutError
from ...model.nodes import Anthology
from ...options import WriterOptions
from ..names import byline, script_of
from .documents import CSS_PATH, Context, Documents, Entry, documents
from .finish import check
from .fonts import (
    FontFile,
    faces_needed,
    font_face_rules,
    font_files,
    named_in,
    with_font_faces,
)
from .package import package
from .pages import mark_pages


def write_epub(book: Anthology, opts: WriterOptions) -> bytes:
    """The anthology as an EPUB 3 file; the same input and options give the same bytes."""
    modified = edition_time(opts.date)
    ctx = Context(book, opts)
    css = _stylesheet(ctx)
    docs = documents(book, ctx)
    check(docs.all())
    pages = None
    if opts.page_map is not None:
        essays = {d.essay: d for d in docs.all() if d.essay is not None}
        pages = mark_pages(opts.page_map, essays)
    fonts: list[FontFile] = []
    if opts.epub_embed_fonts:
        headings = "".join(ctx.labels[k] for k in ("toc", "landmarks", "pages"))
        nav = _nav_text(docs, pages) + list(ctx.labels.values())
        faces = faces_needed(docs.all(), nav, headings, opts.layout, ctx.lang)
        fonts = font_files(named_in(faces, css), ctx.names)
        css = with_font_faces(css, font_face_rules(fonts, posixpath.dirname(CSS_PATH)))
    page_count = opts.page_map.page_count if opts.page_map else 0
    return package(book, docs, ctx, css, modified, pages, page_count, fonts)


def _nav_text(docs: Documents, pages: list[tuple[str, str]] | None) -> list[str]:
    """What the navigation document shows: every TOC entry's title and the page labels."""
    out: list[str] = []
    entries = [Entry(d.title, d.name, d.sections) for d in docs.all()]
    while entries:
        entry = entries.pop()
        out.append(entry.title)
        entries += entry.children
    return out + [label for label, _ in pages or []]


def edition_time(date: str) -> dt.datetime:
    """The edition date as a naive UTC datetime (``dcterms:modified``, zip timestamps)."""
    if not date:
        return dt.datetime(1980, 1, 1)
    try:
        when = dt.datetime.fromisoformat(date)
    except ValueError:
        raise ConfigError(
            f"edition date {date!r} is not an ISO date", hint="write it as YYYY-MM-DD"
        ) from None
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when


def _stylesheet(ctx: Context) -> bytes:
    path = ctx.folder / "epub.css"
    try:
        return path.read_bytes()
    except OSError:
        raise LayoutError(
            "the EPUB stylesheet is missing",
            path=str(path),
            hint="copy epub/epub.css from the booklet-a5 layout",
        ) from None


__all__ = ["byline", "edition_time", "script_of", "write_epub"]
