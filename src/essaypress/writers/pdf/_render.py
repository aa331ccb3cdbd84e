"""Turn the book's HTML document into laid-out pages, then into reproducible PDF bytes.

The two steps every PDF of essaypress takes, the whole book's and a proof's:
``lay_out`` (WeasyPrint's layout with the sandboxed fetcher and a font
configuration kept between renders) and ``write_document`` (the print
variant's options, a stable document id, the layout's garbage freed first).
"""

from __future__ import annotations

import functools
import gc
import warnings
from pathlib import Path
from typing import Any

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from ...options import PdfOptions
from ...pagemap import PageMap
from ._document import Document
from ._fetch import SafeFetcher
from ._production import check_output_intent, pdf_options, stable_document_id
from .pagemap import page_map


@functools.lru_cache(maxsize=4)
def font_config(files: frozenset[Path]) -> FontConfiguration:
    """One font configuration per set of ``@font-face`` files, kept between renders.

    Loading the faces makes fontconfig and Pango forget their caches, which costs
    about half a second per render; a configuration that has them already is reused
    (WeasyPrint skips a face it has loaded).
    """
    return FontConfiguration()


def lay_out(doc: Document) -> tuple[Any, PageMap]:
    """The laid-out ``weasyprint.Document`` and its page map (call inside the patches)."""
    fetcher = SafeFetcher(doc.resources, doc.folders, doc.font_files)
    html = weasyprint.HTML(
        string=doc.html, base_url=doc.folders[0].as_uri() + "/", url_fetcher=fetcher
    )
    document = html.render(font_config=font_config(doc.font_files))
    return document, page_map(document, html.etree_element)


def write_document(document: Any, doc: Document, opts: PdfOptions) -> bytes:
    """The PDF's bytes: the same document and options give the same bytes.

    The layout leaves a great deal of cyclic garbage (about 200,000 objects for
    1,700 pages); it is collected first, so writing reuses that memory instead of
    adding to the build's peak (−80 MB for 1,700 pages, for about 4 % of the time).
    """
    gc.collect()
    options = pdf_options(opts)
    check_output_intent(opts, document.color_profiles)
    with (
        stable_document_id(doc.html + repr(sorted(options.items()))),
        warnings.catch_warnings(),
    ):
        # WeasyPrint 70 leaves its sRGB profile file open for PDF/A (a ResourceWarning)
        warnings.simplefilter("ignore", ResourceWarning)
        pdf: bytes = document.write_pdf(**options)
    return pdf
