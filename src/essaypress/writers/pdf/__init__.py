"""Turn an Anthology into print-ready PDF bytes with the layout's templates, its CSS and WeasyPrint.

The layout's ``pdf/`` folder owns everything visual: ``book.html.j2`` (the
book's structure; page geometry comes from ``layout.toml``), ``book.css``
(typography) and ``layout.css`` (the sizes that depend on the page). A
layout that extends another may hold only the files it changes.

This package is the only place that imports WeasyPrint:

- ``_document``: the anthology as one HTML document (views for the template);
- ``_prepare``: print-only spans (CJK emphasis dots, no lone last character);
- ``_fonts``: font stacks per language, Latin faces without shared punctuation;
- ``_fetch``: the sandboxed URL fetcher and WeasyPrint's log as warnings;
- ``_cjk_justify``: CJK inter-character justification, pinned to WeasyPrint 70;
- ``_production``: PDF variants, reproducible PDF/X identifiers;
- ``pagemap``: where each page begins in the essays, for the EPUB's print page numbers;
- ``proof``: one essay's pages as the book prints them (``essaypress proof``).
"""

from __future__ import annotations

from collections.abc import Callable

from ...model.nodes import Anthology
from ...options import WriterOptions
from ...pagemap import PageMap
from ._cjk_justify import cjk_justification
from ._document import build_document, pdf_folders
from ._fetch import RESOURCE_ORIGIN, SafeFetcher, engine_warnings
from ._render import lay_out, write_document
from ._speedups import fast_pages
from .proof import write_proof


def write_pdf(book: Anthology, opts: WriterOptions) -> bytes:
    """The anthology as a PDF booklet, typeset with the layout in ``opts``."""
    return render_pdf(book, opts)[0]


def render_pdf(
    book: Anthology,
    opts: WriterOptions,
    *,
    pdf_bytes: bool = True,
    on_layout: Callable[[PageMap], None] | None = None,
) -> tuple[bytes, PageMap]:
    """The PDF and where its pages begin in the essays (``pagemap``) for the EPUB's page list.

    ``pdf_bytes=False`` lays the book out without writing the PDF (returns ``b""``).
    ``on_layout`` is given the page map as soon as the book is laid out, before the
    PDF's bytes are written (the pipeline starts the EPUB then).
    """
    doc = build_document(book, opts)
    with engine_warnings(), cjk_justification(), fast_pages():
        document, pages = lay_out(doc)
        if on_layout is not None:
            on_layout(pages)
        if not pdf_bytes:
            return b"", pages
        return write_document(document, doc, opts.pdf), pages


def book_html(book: Anthology, opts: WriterOptions) -> str:
    """The whole book as one HTML document, as WeasyPrint gets it (for tests and debugging)."""
    return build_document(book, opts).html


__all__ = [
    "RESOURCE_ORIGIN",
    "SafeFetcher",
    "book_html",
    "engine_warnings",
    "pdf_folders",
    "render_pdf",
    "write_pdf",
    "write_proof",
]
