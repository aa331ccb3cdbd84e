"""Whole books through the pipeline: the sample anthology and 30 essays of the shared corpus.

For each: the numbers printed in the contents and in the contributors index
are the pages where the essays begin, every essay begins on an odd page, the
outline lists every essay, every footnote sits on its call's page, every
font is embedded; the sample is also imposed and its booklet checked.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from pypdf import PdfReader

from essaypress import log
from essaypress.config import load_manifest
from essaypress.model.nodes import Anthology
from essaypress.model.text import plain
from essaypress.pipeline import assemble, build
from tests.conftest import REPO, corpus_anthology
from tests.writers.pdfcheck import (
    font_rows,
    leader_entries,
    lines,
    listed,
    misplaced_footnotes,
    needs_poppler,
    opening_pages,
    outline_targets,
    pages_text,
    poppler,
    squeeze,
)

pytestmark = [needs_poppler, pytest.mark.slow]


def check_book(book: Anthology, pdf: bytes) -> dict[str, int]:
    """The properties every built book must have; returns each essay's opening page."""
    pages = pages_text(pdf)
    titles = [plain(e.meta.title) for e in (*book.front, *book.essays, *book.back)]
    openings = opening_pages(titles, pages)
    toc = next(i for i, p in enumerate(pages) if lines(p)[:1] in (["目錄"], ["目录"], ["Contents"]))
    index = next(i for i, p in enumerate(pages) if lines(p)[:1] in (["作者索引"], ["Contributors"]))
    contents = leader_entries(pages[toc:index], 0)
    contributors = leader_entries(pages[index:])
    targets = outline_targets(pdf)
    for title, page in openings.items():
        assert listed(contents, title) == [page], (title, page)
        assert page % 2 == 1, (title, page)
        assert targets.get(title) == page, f"the outline lists {title!r}"
    for essay in book.essays:  # every contributor's essay, with its page
        if any(a.name.strip() for a in essay.meta.authors):
            title = plain(essay.meta.title)
            assert listed(contributors, title) == [openings[title]], title
    checked, wrong = misplaced_footnotes(book, pages_text(pdf, layout=False))
    assert wrong == []
    rows = font_rows(pdf)
    assert rows and all(row[-5] == "yes" for row in rows), rows
    return {"footnotes": checked, "essays": len(openings), "pages": len(pages)}


def test_the_sample_anthology_and_its_booklet(tmp_path: Path) -> None:
    sources = REPO / "sources"
    with log.collect():
        build(
            sources,
            tmp_path,
            ["pdf"],
            pdf={"impose": "saddle", "bleed": "3mm", "marks": ["crop", "cross"]},
        )
        book = assemble(load_manifest(sources))
    pdf = (tmp_path / "anthology.pdf").read_bytes()
    found = check_book(book, pdf)
    assert found["essays"] == 8 and found["footnotes"] >= 3, found

    booklet = (tmp_path / "anthology-booklet.pdf").read_bytes()
    count = found["pages"]
    padded = math.ceil(count / 4) * 4
    reader = PdfReader(io.BytesIO(booklet))
    assert len(reader.pages) == math.ceil(count / 4) * 2
    width = float(reader.pages[0].mediabox.width)
    height = float(reader.pages[0].mediabox.height)
    assert width > height, "landscape sheets"
    pages = [squeeze(p) for p in pages_text(pdf)]

    def half(side: int, left: bool) -> str:
        x = 0 if left else int(width / 2) + 1
        return squeeze(
            poppler(
                "pdftotext",
                booklet,
                "-f",
                str(side),
                "-l",
                str(side),
                "-x",
                str(x),
                "-y",
                "0",
                "-W",
                str(int(width / 2) - 1),
                "-H",
                str(int(height)),
                "-layout",
            )
        )

    assert half(1, left=False) == pages[0], "the first side's right half is page 1"
    assert half(1, left=True) == (pages[padded - 1] if padded <= count else "")
    assert half(2, left=True) == pages[1]
    middle = padded // 4  # the innermost sheet's back: the two middle pages
    assert half(2 * middle, left=True) == pages[padded // 2 - 1]
    assert half(2 * middle, left=False) == pages[padded // 2]


def test_thirty_corpus_essays(corpus: Path, tmp_path: Path) -> None:
    sources = corpus_anthology(corpus, tmp_path / "sources", meta='isbn = "978-986-00-0000-9"\n')
    with log.collect():
        build(sources, tmp_path / "out", ["pdf"])
        book = assemble(load_manifest(sources))
    assert len(book.essays) == 30
    pdf = (tmp_path / "out" / "anthology.pdf").read_bytes()
    found = check_book(book, pdf)
    assert found["essays"] == 30
