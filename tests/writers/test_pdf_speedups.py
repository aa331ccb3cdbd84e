"""The layout speed-ups change nothing in the PDF: same bytes with and without them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import weasyprint
from pypdf import PdfReader

from essaypress.config import load_manifest
from essaypress.layouts import load_layout
from essaypress.options import WriterOptions
from essaypress.reading import assemble
from essaypress.writers.pdf import _speedups, render_pdf

REPO = Path(__file__).resolve().parents[2]

# margin boxes on several page types (named, first, left/right, blank), a fixed box on every
# page, and enough text for many pages
_HTML = (
    """<!doctype html><html lang="en"><head><style>
@page { size: A6; margin: 20mm 15mm; @bottom-center { content: counter(page) } }
@page :left { @top-left { content: string(title) } }
@page :right { @top-right { content: "right" } }
@page :first { @top-center { content: "first" } }
@page :blank { @bottom-center { content: none } }
@page part { @top-center { content: "part" } }
h1 { string-set: title content(); break-before: right }
section.part { page: part }
.fixed { position: fixed; top: 0; left: 0; font-size: 6pt }
</style></head><body><div class="fixed">draft</div>
"""
    + "".join(
        f"<section{' class=part' if i % 3 == 0 else ''}><h1>Chapter {i}</h1>"
        + "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit. </p>" * 40
        + "</section>"
        for i in range(8)
    )
    + "</body></html>"
)


def _pdf(html: str) -> bytes:
    data: bytes = weasyprint.HTML(string=html).write_pdf()
    return data


def test_the_replacements_are_for_the_installed_weasyprint() -> None:
    """Fails when WeasyPrint changes: re-check _speedups against the new source, re-pin."""
    assert weasyprint.__version__ == _speedups.PINNED_VERSION
    assert _speedups.fingerprints() == _speedups.FINGERPRINTS
    assert _speedups.applicable()


def test_a_document_with_margin_boxes_and_fixed_boxes_is_the_same_with_and_without() -> None:
    plain = _pdf(_HTML)
    with _speedups.fast_pages() as active:
        assert active
        fast = _pdf(_HTML)
    assert fast == plain
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(plain)).pages]
    assert len(pages) > 10 and all("draft" in text for text in pages)  # the fixed box
    assert any("part" in text for text in pages) and any("right" in text for text in pages)


@pytest.mark.slow
def test_the_sample_pdf_is_the_same_with_and_without(monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = load_manifest(REPO / "sources")
    layout = load_layout(manifest.layout, REPO / "sources")
    book = assemble(manifest, layout=layout)
    opts = WriterOptions(layout=layout, date=book.meta.date, pdf=manifest.pdf)
    fast, fast_pages = render_pdf(book, opts)
    monkeypatch.setattr(_speedups, "applicable", lambda: False)
    plain, plain_pages = render_pdf(book, opts)
    assert fast == plain
    assert fast_pages == plain_pages
