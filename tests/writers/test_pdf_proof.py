"""Proofs of one essay: its pages as the whole book prints them, without laying out the book.

The sample anthology is built in full, each chosen essay's pages are taken
from the full book's page map, and the essay's proof (numbered from the
essay's first page there) must be those pages: the same count, the same
text on each (lines, running heads, footnotes, folios, as pdftotext lays
them out), the same page sizes and the same pixels (pdftoppm). Two books:
booklet-a5 as shipped (essays open on right-hand pages) and booklet-a5 with
essays opening on any page, bleed and crop marks, where some essays open
on left-hand pages.
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from essaypress import log
from essaypress.config import load_manifest
from essaypress.errors import EssaypressError, UsageError
from essaypress.layouts import load_layout
from essaypress.model.nodes import Anthology, Essay
from essaypress.model.text import plain
from essaypress.options import PdfOptions, WriterOptions
from essaypress.pagemap import HEAD, PageMap
from essaypress.pipeline import assemble
from essaypress.writers.pdf import render_pdf, write_proof
from tests.conftest import REPO, need_tool
from tests.writers.pdfcheck import lines, needs_poppler, pages_text

SOURCES = REPO / "sources"
DATE = "2026-11-01"


@dataclass(frozen=True)
class Book:
    anthology: Anthology
    opts: WriterOptions
    pdf: bytes
    pages: PageMap
    text: list[str]  # pdftotext -layout, per page

    @property
    def essays(self) -> tuple[Essay, ...]:
        a = self.anthology
        return (*a.front, *a.essays, *a.back)

    def essay_pages(self, index: int) -> list[int]:
        """The 1-based pages of essay ``index``: from the page where it opens (its HEAD entry)
        to the last page before the next essay opens that holds its text (blank pages and a
        part title page in between are not the essay's)."""
        opening = [int(p.label) for p in self.pages.pages if p.essay == index and p.block == HEAD]
        assert len(opening) == 1, f"essay {index} opens once"
        own = [int(p.label) for p in self.pages.pages if p.essay == index]
        assert own == list(range(opening[0], opening[0] + len(own))), "one run of pages"
        return own


@pytest.fixture(scope="module")
def anthology() -> Anthology:
    with log.collect():
        return assemble(load_manifest(SOURCES))


def _book(anthology: Anthology, opts: WriterOptions) -> Book:
    with log.collect():
        pdf, pages = render_pdf(anthology, opts)
    return Book(anthology, opts, pdf, pages, pages_text(pdf))


@pytest.fixture(scope="module")
def books(anthology: Anthology) -> dict[str, Book]:
    layout = load_layout("booklet-a5", SOURCES)
    anywhere = dataclasses.replace(layout, recto_openings=False)
    marked = PdfOptions(bleed_mm=3.0, marks=("crop", "cross"))
    return {
        "recto": _book(anthology, WriterOptions(layout=layout, date=DATE)),
        "any": _book(anthology, WriterOptions(layout=anywhere, date=DATE, pdf=marked)),
    }


def raster(pdf: bytes, first: int, last: int) -> list[bytes]:
    """Pages ``first``…``last`` as greyscale bitmaps at 50 dpi (enough to see any shift)."""
    exe = need_tool("pdftoppm", "poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.pdf"
        path.write_bytes(pdf)
        command = [exe, "-r", "50", "-gray", "-f", str(first), "-l", str(last)]
        subprocess.run([*command, str(path), str(Path(tmp) / "p")], check=True)
        return [p.read_bytes() for p in sorted(Path(tmp).glob("p*.pgm"))]


def sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [
        (float(p.mediabox.width), float(p.mediabox.height))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def folio(page: str) -> str:
    return lines(page)[-1]


def chosen(book: Book) -> dict[str, int]:
    """The essays whose proofs are checked: preface, first, middle and last essay, and in a
    book where essays open on any page, the first essay opening on a left-hand page."""
    last = len(book.essays) - 1
    picks = {"preface": 0, "first": 1, "middle": last // 2 + 1, "last": last}
    assert book.essays[0] in book.anthology.front, "the sample has a preface"
    if not book.opts.layout.recto_openings:
        even = [k for k in range(len(book.essays)) if book.essay_pages(k)[0] % 2 == 0]
        assert even, "some essay opens on a left-hand page"
        picks["left-opening"] = even[0]
    return picks


CASES = [
    ("recto", "preface"),
    ("recto", "first"),
    ("recto", "middle"),
    ("recto", "last"),
    ("any", "preface"),
    ("any", "first"),
    ("any", "middle"),
    ("any", "last"),
    ("any", "left-opening"),
]


@needs_poppler
@pytest.mark.slow
@pytest.mark.parametrize(("kind", "pick"), CASES)
def test_a_proof_is_the_essays_pages_in_the_book(
    books: dict[str, Book], kind: str, pick: str
) -> None:
    book = books[kind]
    index = chosen(book)[pick]
    own = book.essay_pages(index)
    with log.collect() as warned:
        proof = write_proof(book.anthology, book.essays[index].id, book.opts, own[0])
    assert warned == []
    text = pages_text(proof)
    assert len(text) == len(own), (pick, own)
    for n, page in zip(own, text, strict=True):
        assert page == book.text[n - 1], f"page {n} of {plain(book.essays[index].meta.title)}"
        assert folio(page) == str(n)
    assert sizes(proof) == [sizes(book.pdf)[n - 1] for n in own]
    assert raster(proof, 1, len(own)) == raster(book.pdf, own[0], own[-1])


@needs_poppler
@pytest.mark.slow
def test_the_first_page_number_sets_folios_sides_and_running_heads(
    books: dict[str, Book],
) -> None:
    book = books["recto"]
    essay = book.essays[1]
    title = re.sub(r"\s+", "", plain(essay.meta.title))
    book_title = re.sub(r"\s+", "", book.anthology.meta.title)
    assert len(book.essay_pages(1)) >= 3
    for first in (13, 14):
        with log.collect():
            text = pages_text(write_proof(book.anthology, essay.id, book.opts, first))
        assert [folio(p) for p in text] == [str(first + i) for i in range(len(text))]
        heads = [re.sub(r"\s+", "", lines(p)[0]) for p in text[1:3]]
        # right-hand (odd) pages carry the essay's title, left-hand ones the book's
        expected = [title if (first + i) % 2 else book_title for i in (1, 2)]
        assert heads == expected, first


@needs_poppler
@pytest.mark.slow
def test_a_template_without_proofs_cuts_the_essay_from_the_whole_book(
    books: dict[str, Book], tmp_path: Path
) -> None:
    book = books["recto"]
    layout = book.opts.layout
    template = (layout.folder("pdf") / "book.html.j2").read_text(encoding="utf-8")
    old = re.sub(r"\{%(-?) if proof %\}", r"{%\1 if false %}", template)
    assert old != template
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "book.html.j2").write_text(old, encoding="utf-8")
    opts = dataclasses.replace(
        book.opts, layout=dataclasses.replace(layout, name="old", root=tmp_path, parent=layout)
    )
    own = book.essay_pages(3)
    with log.collect() as warned:
        proof = write_proof(book.anthology, book.essays[3].id, opts, own[0])
    assert [w.code for w in warned] == ["pdf-proof"]
    assert pages_text(proof) == [book.text[n - 1] for n in own]


def test_an_essay_not_in_the_book_is_a_usage_error(anthology: Anthology) -> None:
    opts = WriterOptions(layout=load_layout("booklet-a5", SOURCES), date=DATE)
    with pytest.raises(UsageError) as caught:
        write_proof(anthology, "no-such-essay", opts, 1)
    message = str(caught.value)
    assert "no-such-essay" in message and anthology.essays[0].id in message
    assert isinstance(caught.value, EssaypressError)
    with pytest.raises(ValueError, match="first_page"):
        write_proof(anthology, anthology.essays[0].id, opts, 0)
