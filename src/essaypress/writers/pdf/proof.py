"""Turn one essay of an Anthology into its proof: that essay's pages as the book prints them.

``essaypress proof ESSAY`` shows an editor one essay's pages without laying
out the whole book. The book's own template renders with ``proof`` set (see
``book.html.j2``): the essay alone, with the book's styles, page geometry and
fonts, its first page numbered ``first_page`` and on the book's side of the
spread (odd: right-hand), so its lines, running heads, footnotes and folios
are the book's as long as the pages before it have not changed.

A layout whose ``book.html.j2`` ignores ``proof`` (a copy made before proofs
existed) lays out the whole book instead; the essay's pages are cut from it,
with the book's folios: slower, still right, and said in a warning.
"""

from __future__ import annotations

from ... import log
from ...model.nodes import Anthology
from ...options import WriterOptions
from ...pagemap import HEAD, PageMap, PageStart
from ._cjk_justify import cjk_justification
from ._document import TEMPLATE, build_document, essay_number
from ._fetch import engine_warnings
from ._render import lay_out, write_document


def write_proof(book: Anthology, essay_id: str, opts: WriterOptions, first_page: int) -> bytes:
    """The pages of essay ``essay_id`` (front, body or back matter) as a PDF, typeset as in
    the book with its first page numbered ``first_page`` (an even number: a left-hand page).

    An id not in the book is a ``UsageError`` naming the book's ids; a ``first_page``
    below 1 is a ``ValueError``.
    """
    if first_page < 1:
        raise ValueError(f"first_page must be 1 or more, not {first_page}")
    doc = build_document(book, opts, proof=(essay_id, first_page))
    with engine_warnings(), cjk_justification():
        document, pages = lay_out(doc)
        if not _is_proof(pages):
            log.warn(
                "pdf-proof",
                f"the layout's {TEMPLATE} does not know proofs (it never uses `proof`): "
                "laying out the whole book for one essay — copy the new template from "
                "layouts/booklet-a5/pdf/ to make proofs fast",
                str(doc.folders[0]),
            )
            essay = essay_number(book, essay_id) - 1
            doc = build_document(book, opts)
            document, pages = lay_out(doc)
            keep = [int(p.label) - 1 for p in pages.pages if p.essay == essay]
            document = document.copy([document.pages[i] for i in keep])
        return write_document(document, doc, opts.pdf)


def _is_proof(pages: PageMap) -> bool:
    """Whether the template made a proof: one essay, opening on the first page."""
    opening = PageStart("1", 0, HEAD, 0)
    return bool(pages.pages) and pages.pages[0] == opening and {p.essay for p in pages.pages} == {0}
