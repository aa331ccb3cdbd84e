"""Print production: bleed and marks, PDF variants, reproducible bytes, the a4 layout."""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from essaypress import log
from essaypress.layouts import load_layout
from essaypress.model.nodes import Anthology
from essaypress.options import PdfOptions, WriterOptions
from essaypress.writers.pdf import book_html, pdf_folders, write_pdf
from tests.writers.pdfcheck import (
    MM,
    font_rows,
    leader_entries,
    listed,
    needs_poppler,
    opening_pages,
    pages_text,
)

pytestmark = needs_poppler


def printed(opts: WriterOptions, **pdf: object) -> WriterOptions:
    return dataclasses.replace(opts, pdf=PdfOptions(**pdf))  # type: ignore[arg-type]


def xmp_of(pdf: bytes) -> str:
    """The XMP metadata stream of a PDF, as text."""
    stream: Any = PdfReader(io.BytesIO(pdf)).root_object["/Metadata"]
    return str(stream.get_object().get_data().decode())


def box(page: object, name: str) -> list[float]:
    return [round(float(v), 2) for v in getattr(page, name)]


def test_bleed_and_marks_surround_the_trimmed_page(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    pdf = write_pdf(anthology, printed(writer_options, bleed_mm=3, marks=("crop", "cross")))
    reader = PdfReader(io.BytesIO(pdf))
    width, height = 148 * MM, 210 * MM
    bleed = 3 * MM
    for page in reader.pages:
        assert box(page, "trimbox") == [0, 0, round(width, 2), round(height, 2)]
        assert box(page, "bleedbox") == [
            round(-bleed, 2),
            round(-bleed, 2),
            round(width + bleed, 2),
            round(height + bleed, 2),
        ]
    plain = PdfReader(io.BytesIO(write_pdf(anthology, writer_options))).pages[0]
    assert box(plain, "mediabox") == [0, 0, round(width, 2), round(height, 2)]
    # the marks are drawn: the blank verso has content only with marks
    marked = reader.pages[1].get_contents()
    assert marked is not None and len(marked.get_data()) > 0


def test_marks_need_no_bleed_to_be_asked_for(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    html = book_html(anthology, printed(writer_options, marks=("crop",)))
    assert "bleed: 0.0mm; marks: crop }" in html
    html = book_html(anthology, printed(writer_options, bleed_mm=3))
    assert "bleed: 3.0mm; marks: none }" in html


@pytest.mark.slow
@pytest.mark.parametrize(
    ("variant", "catalog_keys", "header"),
    [
        ("pdf/a-2b", {"/Metadata", "/OutputIntents"}, b"%PDF-1.7"),
        ("pdf/a-3b", {"/Metadata", "/OutputIntents"}, b"%PDF-1.7"),
        ("pdf/ua-1", {"/Metadata", "/StructTreeRoot", "/MarkInfo"}, b"%PDF-1.7"),
        ("pdf/x-4", {"/Metadata"}, b"%PDF-1.6"),
    ],
)
def test_pdf_variants_are_marked_embed_every_font_and_are_reproducible(
    anthology: Anthology,
    writer_options: WriterOptions,
    variant: str,
    catalog_keys: set[str],
    header: bytes,
) -> None:
    opts = printed(writer_options, variant=variant, bleed_mm=3, marks=("crop", "cross"))
    with log.collect() as diags:
        first = write_pdf(anthology, opts)
    assert first.startswith(header)
    catalog = PdfReader(io.BytesIO(first)).root_object
    assert catalog_keys <= set(catalog.keys())
    xmp = xmp_of(first)
    part = variant.split("-")[1]  # "2b", "3b", "1", "4"
    assert f">{part[0]}<" in xmp or f'part="{part[0]}"' in xmp or f"PDF/X-{part[0]}" in xmp
    assert all(row[-5] == "yes" for row in font_rows(first))
    assert write_pdf(anthology, opts) == first, "same sources, same bytes"
    warned = [d.code for d in diags]
    assert warned == (["pdf-x-intent"] if variant.startswith("pdf/x") else [])


@pytest.mark.slow
def test_pdf_x4_document_id_comes_from_the_content(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    opts = printed(writer_options, variant="pdf/x-4")
    with log.collect():
        one = write_pdf(anthology, opts)
        other = write_pdf(
            dataclasses.replace(
                anthology, meta=dataclasses.replace(anthology.meta, title="另一本書")
            ),
            opts,
        )

    def document_id(pdf: bytes) -> str:
        xmp = xmp_of(pdf)
        start = xmp.index("xmp.did:")
        return xmp[start : start + 44]

    assert document_id(one) != document_id(other)
    assert document_id(one) == document_id(write_pdf(anthology, opts))


# ------------------------------------------------------------------ layouts


def test_the_a4_layout_extends_booklet_a5_with_its_own_sizes(anthology: Anthology) -> None:
    a4 = load_layout("a4")
    assert a4.parent is not None and a4.parent.name == "booklet-a5"
    folders = pdf_folders(a4)
    assert [f.parent.name for f in folders] == ["a4", "booklet-a5"]
    assert not (folders[0] / "book.html.j2").exists(), "a4 reuses the booklet's template"
    assert a4.folder("docx") == a4.parent.folder("docx")
    opts = WriterOptions(layout=a4, date="2026-01-01")
    with log.collect() as diags:
        pdf = write_pdf(anthology, opts)
    assert [str(d) for d in diags] == []
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert box(page, "mediabox") == [0, 0, round(210 * MM, 2), round(297 * MM, 2)]
    pages = pages_text(pdf)
    titles = ["編者的話", "窯火與晨光", "On Reading Walden"]
    openings = opening_pages(titles, pages)
    entries = leader_entries(pages[:12])
    for title, number in openings.items():
        assert listed(entries, title) == [number]
        assert number % 2 == 1


@pytest.mark.slow
def test_a_layout_overrides_one_file_and_inherits_the_rest(
    anthology: Anthology, tmp_path: Path
) -> None:
    """A user's layout that extends booklet-a5 and changes only its layout.css."""
    project = tmp_path / "project"
    mine = project / "layouts" / "mine"
    (mine / "pdf").mkdir(parents=True)
    (mine / "layout.toml").write_text('extends = "booklet-a5"\nname = "mine"\n', encoding="utf-8")
    base = load_layout("booklet-a5").folder("pdf") / "layout.css"
    css = base.read_text(encoding="utf-8").replace("--body-size: 10.5pt", "--body-size: 14pt")
    (mine / "pdf" / "layout.css").write_text(css, encoding="utf-8")
    layout = load_layout("mine", project)
    opts = WriterOptions(layout=layout, date="2026-01-01")
    with log.collect() as diags:
        pdf = write_pdf(anthology, opts)
    assert [str(d) for d in diags] == []
    default = write_pdf(
        anthology, WriterOptions(layout=load_layout("booklet-a5"), date="2026-01-01")
    )
    assert len(pages_text(pdf)) > len(pages_text(default)), "the larger type takes more pages"
    shutil.rmtree(mine / "pdf")  # without a pdf/ folder of its own it is booklet-a5
    inherited = dataclasses.replace(opts, layout=load_layout("mine", project))
    assert write_pdf(anthology, inherited) == default
