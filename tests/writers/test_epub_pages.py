"""The EPUB's print page numbers: markers where the PDF's pages begin, a page list, metadata."""

from __future__ import annotations

import dataclasses
import io
import time
from collections.abc import Callable
from typing import Any

import pypdf
import pytest
from lxml import etree

from essaypress.config import load_manifest
from essaypress.model.nodes import Anthology
from essaypress.options import WriterOptions
from essaypress.pagemap import HEAD, PageMap, PageStart, countable
from essaypress.pipeline import assemble
from essaypress.writers.epub import write_epub
from essaypress.writers.pdf import render_pdf
from tests.conftest import REPO
from tests.writers.conftest import EpubCheckReport
from tests.writers.test_epub import NS, Book, assert_clean

PAGEBREAK = ".//x:span[@epub:type='pagebreak']"


def page_list(book: Book) -> list[tuple[str, str]]:
    nav = book.nav.find(".//x:nav[@epub:type='page-list']", NS)
    return [(a.text, a.get("href")) for a in nav.iter("{*}a")] if nav is not None else []


def text_after(doc: Any, ident: str, count: int = 8) -> str:
    """The first ``count`` countable characters after marker ``ident``, note numbers left out."""
    marker = doc.find(f".//*[@id='{ident}']")
    out: list[str] = []
    started = False
    for el in doc.iter():
        if el is marker:
            started = True
            out.append(el.tail or "")
            continue
        if not started or not isinstance(el.tag, str):
            continue
        if any(
            a.get("{http://www.idpf.org/2007/ops}type") == "noteref" for a in el.iterancestors()
        ):
            out.append(el.tail or "")
            continue
        if el.get("{http://www.idpf.org/2007/ops}type") == "noteref":
            out.append(el.tail or "")
            continue
        out += [el.text or "", el.tail or ""]
        if len(countable("".join(out))) >= count:
            break
    return countable("".join(out))[:count]


def marked(anthology: Anthology, opts: WriterOptions, pages: tuple[PageStart, ...]) -> Book:
    return Book(write_epub(anthology, dataclasses.replace(opts, page_map=PageMap(pages, 99))))


def test_markers_go_inside_inline_markup_and_skip_note_numbers(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    # the kiln essay (index 1) opens with 清晨五點，×8, then <strong>「窯火」</strong>還沒熄。
    # [note]父親說
    pages = (
        PageStart("3", 1, HEAD, 0),
        PageStart("4", 1, 0, 41),  # before 窯, inside <strong>
        PageStart("5", 1, 0, 48),  # after the note call, before 父
        PageStart("6", 1, 3, 0),  # before the fourth block, the block quote
    )
    book = marked(anthology, writer_options, pages)
    assert page_list(book) == [(n, f"text/kiln.xhtml#page-{n}") for n in "3456"]
    doc = book.doc("text/kiln.xhtml")
    spans = doc.findall(PAGEBREAK, NS)
    assert [s.get("aria-label") for s in spans] == ["3", "4", "5", "6"]
    assert all(s.get("role") == "doc-pagebreak" and not len(s) for s in spans)
    assert spans[0].getparent().tag.endswith("section")
    assert spans[0].getnext().tag.endswith("header")
    assert spans[1].getparent().tag.endswith("strong") and spans[1].tail == "窯火」"
    assert spans[1].getparent().text == "「"
    assert spans[2].tail.startswith("父親說")
    assert spans[2].getprevious().get("{http://www.idpf.org/2007/ops}type") == "noteref"
    assert spans[3].getnext().tag.endswith("blockquote")
    source = book.opf.find("opf:metadata/dc:source", NS)
    assert source.text == "山與火：散文選集"
    refines = book.opf.find("opf:metadata/opf:meta[@refines='#print-source']", NS)
    assert (refines.get("property"), refines.text) == ("source-of", "pagination")
    features = [
        m.text
        for m in book.opf.iterfind("opf:metadata/opf:meta[@property]", NS)
        if m.get("property") == "schema:accessibilityFeature"
    ]
    assert {"pageBreakMarkers", "pageNavigation", "printPageNumbers"} <= set(features)


def test_without_a_page_map_there_are_no_page_numbers(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    book = Book(write_epub(anthology, writer_options))
    assert page_list(book) == []
    assert book.dc("source") == []
    assert not list(book.doc("text/kiln.xhtml").iterfind(PAGEBREAK, NS))


def test_a_position_past_the_text_is_dropped_with_a_warning(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    from essaypress.log import collect

    with collect() as warnings:
        book = marked(anthology, writer_options, (PageStart("9", 1, 999, 0),))
    assert [w.code for w in warnings] == ["epub-page"]
    assert page_list(book) == []


def sample() -> Anthology:
    return assemble(load_manifest(REPO / "sources"))


def pdf_pages(pdf: bytes) -> list[str]:
    return [countable(p.extract_text() or "") for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def check_pages_match(book: Book, pdf: bytes, page_map: PageMap) -> None:
    """Every page-list entry leads to the text its PDF page begins with."""
    texts = pdf_pages(pdf)
    entries = page_list(book)
    assert len(entries) == len(page_map.pages) > 0
    labels = [int(label) for label, _ in entries]
    assert labels == sorted(set(labels))
    for (label, href), start in zip(entries, page_map.pages, strict=True):
        path, _, ident = href.partition("#")
        doc = book.doc(path)
        marker = doc.find(f".//*[@id='{ident}']")
        assert marker.get("aria-label") == label
        after = text_after(doc, ident)
        page = texts[int(label) - 1]
        if start.block == HEAD:  # the essay's title (the print byline may sit elsewhere)
            assert marker.getnext().tag.endswith("header"), href
            after = countable("".join(marker.getnext().find(".//{*}h1").itertext()))[:8]
        # the running head and folio come first in the PDF's text; the body follows soon
        assert after and after in page[:120], (label, after, page[:120])


@pytest.mark.slow
def test_sample_page_list_matches_the_pdf(
    writer_options: WriterOptions, epubcheck: Callable[[bytes], EpubCheckReport]
) -> None:
    anthology = sample()
    opts = dataclasses.replace(writer_options, date=anthology.meta.date)
    start = time.perf_counter()
    _, layout_only = render_pdf(anthology, opts, pdf_bytes=False)
    layout_seconds = time.perf_counter() - start
    start = time.perf_counter()
    pdf, page_map = render_pdf(anthology, opts)
    pdf_seconds = time.perf_counter() - start
    assert layout_only == page_map
    data = write_epub(anthology, dataclasses.replace(opts, page_map=page_map))
    assert data == write_epub(sample(), dataclasses.replace(opts, page_map=page_map))
    book = Book(data)
    check_pages_match(book, pdf, page_map)
    # each essay's first page leads to its title; every essay appears
    firsts = [s for s in page_map.pages if s.block == HEAD]
    assert len(firsts) == len(anthology.front) + len(anthology.essays)
    print(f"layout only {layout_seconds:.2f} s, layout + PDF {pdf_seconds:.2f} s")
    report = epubcheck(data)
    print(report)
    assert_clean(report)


def test_page_list_nav_is_hidden_and_after_the_toc(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    book = marked(anthology, writer_options, (PageStart("3", 1, HEAD, 0),))
    navs = book.nav.findall(".//x:nav", NS)
    kinds = [n.get("{http://www.idpf.org/2007/ops}type") for n in navs]
    assert kinds == ["toc", "page-list", "landmarks"]
    assert navs[1].get("hidden") == "hidden"
    assert etree.tostring(navs[1]).count(b"<li") == 1


NCX = "{http://www.daisy.org/z3986/2005/ncx/}"


def play_order(book: Book) -> list[str]:
    """The NCX's targets by playOrder; the same target always has the same number."""
    order: dict[str, int] = {}
    for el in book.ncx.iter(f"{NCX}navPoint", f"{NCX}pageTarget"):
        src = el.find(f"{NCX}content").get("src")
        assert order.setdefault(src, int(el.get("playOrder"))) == int(el.get("playOrder")), src
    assert sorted(order.values()) == list(range(1, len(order) + 1))
    return sorted(order, key=order.__getitem__)


def test_the_ncx_has_the_page_list_in_reading_order(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    pages = (
        PageStart("3", 1, HEAD, 0),
        PageStart("4", 1, 0, 41),
        PageStart("5", 1, 3, 0),  # the block quote, after the first section heading
        PageStart("7", 2, HEAD, 0),
    )
    book = marked(anthology, writer_options, pages)
    targets = list(book.ncx.iterfind(f"{NCX}pageList/{NCX}pageTarget"))
    assert [
        (t.findtext(f"{NCX}navLabel/{NCX}text"), t.find(f"{NCX}content").get("src"))
        for t in targets
    ] == page_list(book)
    assert [(t.get("type"), t.get("value")) for t in targets] == [("normal", n) for n in "3457"]
    assert book.ncx.findtext(f"{NCX}pageList/{NCX}navLabel/{NCX}text") == "頁碼"
    assert play_order(book) == [
        "text/preface.xhtml",
        "text/part-1.xhtml",
        "text/kiln.xhtml",
        "text/kiln.xhtml#page-3",
        "text/kiln.xhtml#page-4",
        "text/kiln.xhtml#kiln-s1",
        "text/kiln.xhtml#page-5",
        "text/kiln.xhtml#kiln-s2",
        "text/part-2.xhtml",
        "text/walden.xhtml",
        "text/walden.xhtml#page-7",
        "text/walden.xhtml#small-things",
    ]
    meta = {m.get("name"): m.get("content") for m in book.ncx.iter(f"{NCX}meta")}
    assert (meta["dtb:totalPageCount"], meta["dtb:maxPageNumber"]) == ("99", "7")


def test_without_a_page_map_the_ncx_has_no_page_list(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    book = Book(write_epub(anthology, writer_options))
    assert book.ncx.find(f"{NCX}pageList") is None
    assert play_order(book)[:3] == ["text/preface.xhtml", "text/part-1.xhtml", "text/kiln.xhtml"]
    meta = {m.get("name"): m.get("content") for m in book.ncx.iter(f"{NCX}meta")}
    assert (meta["dtb:totalPageCount"], meta["dtb:maxPageNumber"]) == ("0", "0")
