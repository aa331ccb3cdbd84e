"""Turn an Anthology into EPUB 3 bytes: layout templates wrap the shared HTML, ebooklib packages it.

Inside the zip, ``EPUB/`` holds ``content.opf``, ``toc.ncx``, ``nav.xhtml``,
``style/epub.css``, ``text/*.xhtml`` (cover, title page, colophon, front
matter, part title pages, one file per essay, back matter) and ``images/*``
(the cover image among them).

- ``documents``: render each document from the layout's ``epub/`` templates,
  essay bodies from the shared HTML translator (notes as ``aside``);
- ``finish``: parse them with lxml, make ids unique, unlink dead links, find
  the sections for the table of contents;
- ``pages``: the print edition's page breaks (``opts.page_map``) as markers
  and a page list;
- ``cover``: the cover image, given or made from the layout's ``cover.svg``;
- ``package``: metadata, nav, NCX and zip, through ebooklib (its only importer).
"""

from __future__ import annotations

import datetime as dt

from ...errors import ConfigError, LayoutError
from ...model.nodes import Anthology
from ...options import WriterOptions
from ..names import byline, script_of
from .documents import Context, documents
from .finish import check
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
    return package(book, docs, ctx, css, modified, pages)


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
