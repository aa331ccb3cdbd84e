"""Whole books through the pipeline, PDF and EPUB together: EPUBCheck and the page list vs the PDF.

The books: 30 essays of the shared corpus (Traditional and Simplified Chinese,
English) and the 100-essay benchmark corpus. The page list is checked against
the PDF read back with poppler, in both directions: every PDF page that
begins or continues body text (found by its text, not by the page map) has
exactly one entry and no other page has one; each entry's label is the folio
printed on its page; the entry of the page where an essay begins leads into
that essay's file, before its title. The NCX page list says the same, and
its play order follows the reading order. With ``[epub] embed_fonts`` the
fonts cover the text, EPUBCheck stays clean and two builds give the same bytes.
"""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from essaypress import log
from essaypress.config import load_manifest
from essaypress.model.nodes import Anthology
from essaypress.model.text import plain, plain_blocks
from essaypress.pagemap import countable
from essaypress.pipeline import assemble, build
from essaypress.writers.epub.fonts import subset_font
from tests.conftest import REPO, corpus_anthology
from tests.writers.conftest import EpubCheckReport
from tests.writers.pdfcheck import LEADER, lines, needs_poppler, opening_pages, pages_text
from tests.writers.test_epub import NS, Book, assert_clean
from tests.writers.test_epub_fonts import check_fonts_cover_the_text

pytestmark = [needs_poppler, pytest.mark.slow]

WINDOW = 12  # countable characters a page must share with an essay's body to count as body text
NCX_NS = "{http://www.daisy.org/z3986/2005/ncx/}"


def bench_project(out: Path, n: int) -> Path:
    """``bench/make_corpus.py``'s synthetic project of ``n`` Chinese essays."""
    spec = importlib.util.spec_from_file_location("make_corpus", REPO / "bench" / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path: Path = module.make_project(out, n)
    return path


def build_both(sources: Path, out: Path) -> tuple[Anthology, bytes, bytes]:
    """The anthology as the pipeline reads it, and its PDF and EPUB from one real build."""
    with log.collect():
        build(sources, out, formats=("pdf", "epub"))
        book = assemble(load_manifest(sources))
    return book, (out / "anthology.pdf").read_bytes(), (out / "anthology.epub").read_bytes()


# ------------------------------------------------------------------ the checks


def body_pages(book: Anthology, pages: list[str]) -> set[int]:
    """The 1-based PDF pages that show text of an essay's body (the PDF alone decides).

    A page shares a run of ``WINDOW`` countable characters with some essay's
    body and is no contents or index page (those have dot leaders; a title can
    repeat words of a body).
    """
    runs: set[str] = set()
    for essay in (*book.front, *book.essays, *book.back):
        text = countable(plain_blocks(essay.blocks))
        runs.update(text[i : i + WINDOW] for i in range(len(text) - WINDOW + 1))
    found = set()
    for n, page in enumerate(pages, 1):
        text = countable(page)
        if LEADER.search(page):
            continue
        if any(text[i : i + WINDOW] in runs for i in range(len(text) - WINDOW + 1)):
            found.add(n)
    return found


def nav_page_list(book: Book) -> list[tuple[str, str]]:
    nav = book.nav.find(".//x:nav[@epub:type='page-list']", NS)
    assert nav is not None, "the nav has a page list"
    return [(a.text, a.get("href")) for a in nav.iter("{*}a")]


def ncx_page_list(book: Book) -> list[tuple[str, str]]:
    page_list = book.ncx.find(f"{NCX_NS}pageList")
    assert page_list is not None, "the NCX has a pageList"
    out = []
    for target in page_list.iterfind(f"{NCX_NS}pageTarget"):
        label = target.findtext(f"{NCX_NS}navLabel/{NCX_NS}text")
        assert (target.get("type"), target.get("value")) == ("normal", label)
        out.append((label, target.find(f"{NCX_NS}content").get("src")))
    return out


def essay_files(book: Book) -> dict[str, str]:
    """Each essay's title (as the PDF prints it) → its XHTML file."""
    out = {}
    for href in book.spine():
        if not href.startswith("text/"):
            continue
        h1 = book.doc(href).find(".//x:h1[@class='essay-title']", NS)
        if h1 is not None:
            out["".join(h1.itertext())] = href
    return out


def check_page_list(book: Anthology, pdf: bytes, data: bytes) -> dict[str, int]:
    """The page list against the PDF, both ways; returns counts for the report."""
    pages = pages_text(pdf, layout=False)
    epub = Book(data)
    entries = nav_page_list(epub)
    assert ncx_page_list(epub) == entries, "the NCX page list is the nav's"
    labels = [int(label) for label, _ in entries]
    assert len(labels) == len(set(labels)), "one entry per page"
    expected = body_pages(book, pages)
    assert sorted(expected - set(labels)) == [], "pages with body text but no entry"
    assert sorted(set(labels) - expected) == [], "entries for pages without body text"
    for label, href in entries:  # the label is the folio printed on that page
        assert lines(pages[int(label) - 1])[-1] == label, (label, lines(pages[int(label) - 1]))
        path, _, ident = href.partition("#")
        marker = epub.doc(path).find(f".//*[@id='{ident}']")
        assert marker is not None and marker.get("aria-label") == label, href
    files = essay_files(epub)
    titles = [plain(e.meta.title) for e in (*book.front, *book.essays, *book.back)]
    by_label = dict(entries)
    for title, page in opening_pages(titles, pages).items():
        opening = by_label.get(str(page))
        assert opening is not None, f"no entry for page {page}, where {title!r} begins"
        path, _, ident = opening.partition("#")
        assert path == files[title], (title, page, opening)
        marker = epub.doc(path).find(f".//*[@id='{ident}']")
        assert marker.getnext().tag.endswith("header"), "the marker comes before the title"
    return {"pages": len(pages), "entries": len(entries), "essays": len(titles)}


def ebook_report(data: bytes, epubcheck: Callable[[bytes], EpubCheckReport]) -> EpubCheckReport:
    report = epubcheck(data)
    print(f"EPUB {len(data) / 1024:.0f} KB")
    print(report)
    return report


def page_targets(ncx: Any) -> list[Any]:
    return list(ncx.iter(f"{NCX_NS}pageTarget"))


def check_play_order(book: Book) -> None:
    points = list(book.ncx.iter(f"{NCX_NS}navPoint", f"{NCX_NS}pageTarget"))
    assert page_targets(book.ncx), "the book has a page list"
    order: dict[str, int] = {}
    for el in points:
        src = el.find(f"{NCX_NS}content").get("src")
        assert order.setdefault(src, int(el.get("playOrder"))) == int(el.get("playOrder")), src
    assert sorted(order.values()) == list(range(1, len(order) + 1)), "no gaps, no doubles"
    spine = book.spine()
    by_number = sorted(order, key=order.__getitem__)
    docs = [spine.index(src.partition("#")[0]) for src in by_number]
    assert docs == sorted(docs), "play order follows the spine"
    meta = {m.get("name"): m.get("content") for m in book.ncx.iter(f"{NCX_NS}meta")}
    values = [int(t.get("value")) for t in page_targets(book.ncx)]
    assert meta["dtb:maxPageNumber"] == str(max(values))
    assert int(meta["dtb:totalPageCount"]) >= max(values)
    assert re.fullmatch(r"\d+", meta["dtb:totalPageCount"])
    raw = etree.tostring(book.ncx)
    assert raw.index(b"</navMap>") < raw.index(b"<pageList")


# ------------------------------------------------------------------ the books


def test_thirty_corpus_essays_with_print_page_numbers(
    corpus: Path, tmp_path: Path, epubcheck: Callable[[bytes], EpubCheckReport]
) -> None:
    sources = corpus_anthology(corpus, tmp_path / "sources")
    book, pdf, data = build_both(sources, tmp_path / "out")
    assert len(book.essays) == 30
    counts = check_page_list(book, pdf, data)
    check_play_order(Book(data))
    print(counts)
    assert counts["entries"] > 100
    assert not any(
        n.startswith("EPUB/fonts/") for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
    )
    assert_clean(ebook_report(data, epubcheck))


def test_hundred_benchmark_essays_with_print_page_numbers(
    tmp_path: Path, epubcheck: Callable[[bytes], EpubCheckReport]
) -> None:
    sources = bench_project(tmp_path / "project", 100)
    book, pdf, data = build_both(sources, tmp_path / "out")
    assert len(book.essays) == 100
    counts = check_page_list(book, pdf, data)
    check_play_order(Book(data))
    print(counts)
    assert counts["entries"] > 300
    assert_clean(ebook_report(data, epubcheck))


def test_thirty_corpus_essays_with_embedded_fonts(
    corpus: Path, tmp_path: Path, epubcheck: Callable[[bytes], EpubCheckReport]
) -> None:
    sources = corpus_anthology(
        corpus, tmp_path / "sources", tables="\n[epub]\nembed_fonts = true\n"
    )
    book, pdf, data = build_both(sources, tmp_path / "out")
    fonts = check_fonts_cover_the_text(Book(data))
    families = {family for family, _ in fonts}
    assert {"Noto Serif CJK TC", "Noto Serif CJK SC", "Noto Serif"} <= families
    check_page_list(book, pdf, data)
    report = ebook_report(data, epubcheck)
    assert_clean(report, usages=False)
    assert {m.split()[1] for m in report.messages} <= {"CSS-028"}, report


def test_sample_with_fonts_builds_the_same_bytes_twice(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(REPO / "sources", sources)
    with (sources / "anthology.toml").open("a", encoding="utf-8") as f:
        f.write("\n[epub]\nembed_fonts = true\n")
    subset_font.cache_clear()
    _, _, data = build_both(sources, tmp_path / "one")
    subset_font.cache_clear()
    _, _, again = build_both(sources, tmp_path / "two")
    assert data == again
    book = Book(data)
    assert [n for n in book.zip.namelist() if n.startswith("EPUB/fonts/")]
    check_play_order(book)
