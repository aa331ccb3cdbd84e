"""The EPUB writer: structure, metadata, navigation, notes, images, escaping, EPUBCheck."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import posixpath
import re
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from essaypress.errors import LayoutError
from essaypress.log import collect
from essaypress.model.nodes import (
    Anthology,
    Attr,
    BookMeta,
    Essay,
    Figure,
    Heading,
    Image,
    Link,
    Meta,
    Note,
    Para,
    Part,
    Person,
    Resource,
    Str,
)
from essaypress.options import WriterOptions
from essaypress.writers.epub import byline, write_epub
from tests.conftest import REPO, make_anthology, png_bytes
from tests.writers.conftest import EpubCheckReport

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} &amp;"


class Book:
    """An EPUB opened for inspection: its entries and parsed XML parts."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.opf = self.xml("EPUB/content.opf")
        self.nav = self.xml("EPUB/nav.xhtml")
        self.ncx = self.xml("EPUB/toc.ncx")

    def xml(self, name: str) -> Any:
        return etree.fromstring(self.zip.read(name))

    def manifest(self) -> dict[str, tuple[str, str]]:
        """href → (id, media type)."""
        return {
            i.get("href"): (i.get("id"), i.get("media-type"))
            for i in self.opf.iterfind("opf:manifest/opf:item", NS)
        }

    def spine(self) -> list[str]:
        ids = {v[0]: k for k, v in self.manifest().items()}
        return [ids[r.get("idref")] for r in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    def dc(self, name: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f"opf:metadata/dc:{name}", NS)]

    def doc(self, href: str) -> Any:
        return self.xml(f"EPUB/{href}")


def write(book: Anthology, opts: WriterOptions) -> Book:
    return Book(write_epub(book, opts))


def text_of(el: Any) -> str:
    return "".join(el.itertext())


# ------------------------------------------------------------------ structure


def test_zip_has_mimetype_first_and_stored(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    book = write(anthology, writer_options)
    first = book.zip.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert first.extra == b""
    assert book.zip.read("mimetype") == b"application/epub+zip"
    # the raw file starts with the mimetype entry, as EPUB OCF requires
    assert book.data[30:38] == b"mimetype" and book.data[38:58] == b"application/epub+zip"
    container = book.xml("META-INF/container.xml")
    assert container.find(".//{*}rootfile").get("full-path") == "EPUB/content.opf"
    assert all(name.isascii() for name in book.zip.namelist())
    assert book.zip.testzip() is None


def test_one_xhtml_per_essay_in_reading_order(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    book = write(anthology, writer_options)
    assert book.spine() == [
        "text/cover.xhtml",
        "text/titlepage.xhtml",
        "nav.xhtml",
        "text/colophon.xhtml",
        "text/preface.xhtml",
        "text/part-1.xhtml",
        "text/kiln.xhtml",
        "text/part-2.xhtml",
        "text/walden.xhtml",
    ]
    manifest = book.manifest()
    for href in book.spine():
        assert manifest[href][1] == "application/xhtml+xml"
    assert manifest["nav.xhtml"][0] == "nav"
    nav_item = book.opf.find("opf:manifest/opf:item[@href='nav.xhtml']", NS)
    assert nav_item.get("properties") == "nav"
    assert book.opf.find("opf:spine", NS).get("toc") == manifest["toc.ncx"][0]
    kiln = book.doc("text/kiln.xhtml")
    assert kiln.find(".//x:h1", NS).text == "窯火與晨光"
    assert "清晨五點" in text_of(kiln.find(".//x:body", NS))
    assert "Thoreau" not in text_of(kiln)


def test_opf_metadata(anthology: Anthology, writer_options: WriterOptions) -> None:
    book = write(anthology, writer_options)
    assert book.dc("identifier") == ["urn:uuid:0d5c5a38-0000-4000-8000-000000000001"]
    assert book.dc("title") == ["山與火：散文選集", "第一屆徵文得獎作品"]
    assert book.dc("language") == ["zh-Hant", "en"]
    assert book.dc("creator") == ["陳編輯"]
    assert book.dc("contributor") == ["編輯委員會", "林曉雯", "Ada Lane"]
    assert book.dc("publisher") == ["某某出版社"]
    assert book.dc("date") == ["2026-01-01"]
    assert book.dc("description") == ["徵文得獎散文"]
    metas = {
        (m.get("refines"), m.get("property")): m.text
        for m in book.opf.iterfind("opf:metadata/opf:meta", NS)
        if m.get("property")
    }
    assert metas[(None, "dcterms:modified")] == "2026-01-01T00:00:00Z"
    assert metas[("#editor-1", "role")] == "edt"
    assert metas[("#author-2", "role")] == "aut"
    assert metas[("#subtitle", "title-type")] == "subtitle"
    assert metas[(None, "schema:accessibilityHazard")] == "none"
    unique = book.opf.get("unique-identifier")
    assert book.opf.find(f"opf:metadata/dc:identifier[@id='{unique}']", NS) is not None


def test_identifier_is_derived_from_the_title(writer_options: WriterOptions) -> None:
    def ident(title: str) -> str:
        book = dataclasses.replace(make_anthology(), meta=BookMeta(title=title, lang="en"))
        return write(book, writer_options).dc("identifier")[0]

    first = ident("Fire and Morning")
    assert first == ident("Fire and Morning")
    assert first != ident("Fire and Evening")
    assert uuid.UUID(first.removeprefix("urn:uuid:")).version == 5


def test_nav_has_parts_essays_and_sections(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    book = write(anthology, writer_options)
    toc = book.nav.find(".//x:nav[@epub:type='toc']", NS)
    top = [text_of(li.find("x:a", NS)) for li in toc.findall("x:ol/x:li", NS)]
    assert top == ["編者的話", "第一輯", "第二輯"]
    part1 = toc.findall("x:ol/x:li", NS)[1]
    essay = part1.find("x:ol/x:li", NS)
    assert essay.find("x:a", NS).get("href") == "text/kiln.xhtml"
    assert essay.find("x:a", NS).text == "窯火與晨光"
    section = essay.find("x:ol/x:li", NS)
    assert section.find("x:a", NS).text == "一、返鄉"
    sub = section.find("x:ol/x:li/x:a", NS)
    assert sub.text == "（一）窯"
    # every TOC link points at an element that exists
    for a in toc.iter("{http://www.w3.org/1999/xhtml}a"):
        path, _, frag = a.get("href").partition("#")
        target = book.doc(path)
        if frag:
            assert target.find(f".//*[@id='{frag}']") is not None, a.get("href")
    landmarks = book.nav.find(".//x:nav[@epub:type='landmarks']", NS)
    kinds = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.iter("{*}a")}
    assert kinds == {
        "cover": "text/cover.xhtml",
        "titlepage": "text/titlepage.xhtml",
        "toc": "nav.xhtml",
        "preface": "text/preface.xhtml",
        "bodymatter": "text/part-1.xhtml",
    }
    assert book.nav.find(".//x:nav[@epub:type='page-list']", NS) is None
    ncx_labels = [t.text for t in book.ncx.iterfind(".//ncx:navLabel/ncx:text", NS)]
    assert ncx_labels[:5] == ["編者的話", "第一輯", "窯火與晨光", "一、返鄉", "（一）窯"]
    assert "On Reading Walden" in ncx_labels


def test_section_titles_leave_out_note_numbers(writer_options: WriterOptions) -> None:
    essay = Essay(
        Meta(title=(Str("Noted"),), lang="en"),
        (Heading(1, (Str("Before"), Note((Para((Str("a note"),)),)), Str(" after"))),),
        id="noted",
    )
    anthology = dataclasses.replace(make_anthology(), parts=(Part((), (essay,)),), front=())
    book = write(anthology, writer_options)
    labels = [text_of(a) for a in book.nav.iter("{*}a")]
    assert "Before after" in labels
    assert book.doc("text/noted.xhtml").find(".//x:h2/x:a", NS).text == "1"


def test_parts_without_titles_have_no_title_page(writer_options: WriterOptions) -> None:
    anthology = make_anthology()
    parts = tuple(Part((), p.essays, p.id) for p in anthology.parts)
    book = write(dataclasses.replace(anthology, parts=parts), writer_options)
    assert book.spine()[4:] == ["text/preface.xhtml", "text/kiln.xhtml", "text/walden.xhtml"]
    toc = book.nav.find(".//x:nav[@epub:type='toc']", NS)
    top = [text_of(li.find("x:a", NS)) for li in toc.findall("x:ol/x:li", NS)]
    assert top == ["編者的話", "窯火與晨光", "On Reading Walden"]


def test_semantics_language_and_byline(anthology: Anthology, writer_options: WriterOptions) -> None:
    book = write(anthology, writer_options)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for href, lang, kind, line in [
        ("text/kiln.xhtml", "zh-Hant", "chapter", "—— 某某單位政治部 林曉雯"),
        ("text/walden.xhtml", "en", "chapter", "Ada Lane, Office of Records"),
        ("text/preface.xhtml", "zh-Hant", "preface", "—— 編輯委員會"),
    ]:
        doc = book.doc(href)
        assert doc.get("lang") == doc.get(xml_lang) == lang
        section = doc.find(".//x:section", NS)
        assert section.get(EPUB_TYPE) == kind and section.get("role") == f"doc-{kind}"
        assert doc.find(".//x:p[@class='byline']", NS).text == line
    part = book.doc("text/part-1.xhtml").find(".//x:section", NS)
    assert (part.get(EPUB_TYPE), part.get("role")) == ("part", "doc-part")
    title = book.doc("text/titlepage.xhtml")
    assert title.find(".//x:section", NS).get(EPUB_TYPE) == "titlepage"
    assert title.find(".//x:h1", NS).text == "山與火：散文選集"
    assert title.find(".//x:p[@class='editors']", NS).text == "陳編輯　主編"
    assert book.doc("text/walden.xhtml").find(".//x:title", NS).text == "On Reading Walden"


def test_byline_conventions() -> None:
    two = (Person("甲", "某單位"), Person("乙"))
    assert byline(two, "zh-Hans") == "—— 某單位 甲、乙"
    assert byline((Person("Ada Lane"), Person("Bo Chen")), "en") == "Ada Lane and Bo Chen"
    assert byline((), "en") == ""


def test_footnotes_are_asides_linked_both_ways(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    book = write(anthology, writer_options)
    for href, count in (("text/kiln.xhtml", 2), ("text/walden.xhtml", 1)):
        doc = book.doc(href)
        refs = doc.findall(".//x:a[@epub:type='noteref']", NS)
        assert len(refs) == count
        for ref in refs:
            aside = doc.find(f".//x:aside[@id='{ref.get('href')[1:]}']", NS)
            assert aside is not None
            assert aside.get(EPUB_TYPE) == "footnote" and aside.get("role") == "doc-footnote"
            back = aside.find(".//x:a[@role='doc-backlink']", NS)
            assert back.get("href") == "#" + ref.get("id")
    notes = book.doc("text/kiln.xhtml").findall(".//x:aside", NS)
    assert "窯火：燒製陶器的火。" in text_of(notes[0])


def test_images_are_items_with_relative_paths(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    book = write(anthology, writer_options)
    img = book.doc("text/kiln.xhtml").find(".//x:img", NS)
    assert img.get("alt") == "老窯的側面"
    path = posixpath.normpath(posixpath.join("text", img.get("src")))
    assert book.manifest()[path][1] == "image/png"
    assert book.zip.read(f"EPUB/{path}") == anthology.essays[0].resources[0].data
    assert path.isascii()


def test_stylesheet_is_linked_relative_to_each_document(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    book = write(anthology, writer_options)
    assert book.manifest()["style/epub.css"][1] == "text/css"
    css = book.zip.read("EPUB/style/epub.css").decode()
    assert "text-indent: 2em" in css and "Noto Serif CJK TC" in css
    for href in book.spine():
        link = book.doc(href).find(".//x:head/x:link[@rel='stylesheet']", NS)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(href), link.get("href")))
        assert target == "style/epub.css", href


# --------------------------------------------------------------- determinism


def test_two_writes_give_identical_bytes(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    first = write_epub(anthology, writer_options)
    assert write_epub(make_anthology(), writer_options) == first
    infos = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert {i.date_time for i in infos} == {(2026, 1, 1, 0, 0, 0)}


_WRITE_IN_A_NEW_PROCESS = """
import hashlib, sys
from essaypress.layouts import load_layout
from essaypress.options import WriterOptions
from essaypress.writers.epub import write_epub
from tests.conftest import make_anthology
opts = WriterOptions(layout=load_layout("booklet-a5"), date="2026-01-01")
sys.stdout.write(hashlib.sha256(write_epub(make_anthology(), opts)).hexdigest())
"""


def test_processes_with_other_hash_seeds_agree(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", _WRITE_IN_A_NEW_PROCESS],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            check=True,
        )
        digests.add(proc.stdout)
    assert digests == {hashlib.sha256(write_epub(anthology, writer_options)).hexdigest()}


def test_edition_date_sets_modified(anthology: Anthology, writer_options: WriterOptions) -> None:
    later = dataclasses.replace(writer_options, date="2027-03-04")
    book = write(anthology, later)
    modified = book.opf.find("opf:metadata/opf:meta[@property='dcterms:modified']", NS)
    assert modified.text == "2027-03-04T00:00:00Z"


# ------------------------------------------------------------------ escaping


def hostile_anthology() -> Anthology:
    essay = Essay(
        Meta(title=(Str(HOSTILE),), authors=(Person(HOSTILE, HOSTILE),), lang="en"),
        (Heading(1, (Str(HOSTILE),)), Para((Str(HOSTILE), Note((Para((Str(HOSTILE),)),))))),
        id="hostile",
    )
    meta = BookMeta(
        title=HOSTILE,
        subtitle=HOSTILE,
        editors=(Person(HOSTILE),),
        publisher=HOSTILE,
        description=HOSTILE,
        lang="en",
    )
    return Anthology(meta, (), (Part((Str(HOSTILE),), (essay,), "p1"),))


def test_everything_is_escaped(writer_options: WriterOptions) -> None:
    book = write(hostile_anthology(), writer_options)
    for name in book.zip.namelist():
        if name.endswith((".xhtml", ".opf", ".ncx")):
            root = book.xml(name)
            assert not list(root.iter("{*}script")), name
            assert "49" not in text_of(root), name
    doc = book.doc("text/hostile.xhtml")
    assert doc.find(".//x:h1", NS).text == HOSTILE
    assert doc.find(".//x:title", NS).text == HOSTILE
    assert doc.find(".//x:h2", NS).text == HOSTILE
    assert doc.find(".//x:p[@class='byline']", NS).text == f"{HOSTILE}, {HOSTILE}"
    assert book.doc("text/titlepage.xhtml").find(".//x:h1", NS).text == HOSTILE
    assert book.doc("text/p1.xhtml").find(".//x:h1", NS).text == HOSTILE
    assert HOSTILE in book.dc("title") and HOSTILE in book.dc("publisher")
    labels = [text_of(a) for a in book.nav.iter("{*}a")]
    assert labels.count(HOSTILE) == 3  # part, essay, section


def test_characters_xml_cannot_carry_are_dropped(writer_options: WriterOptions) -> None:
    anthology = make_anthology()
    essay = anthology.parts[1].essays[0]
    odd = dataclasses.replace(
        essay, meta=dataclasses.replace(essay.meta, title=(Str("A\x0cB\x00"),))
    )
    parts = (anthology.parts[0], Part(anthology.parts[1].title, (odd,), "part-2"))
    book = write(dataclasses.replace(anthology, parts=parts), writer_options)
    assert book.doc("text/walden.xhtml").find(".//x:h1", NS).text == "AB"


# ------------------------------------------------------ awkward inputs, warned


def test_untitled_empty_essay_gets_a_title_and_a_warning(writer_options: WriterOptions) -> None:
    empty = Essay(Meta(lang="zh-Hant"), (), id="blank")
    anthology = dataclasses.replace(make_anthology(), parts=(Part((), (empty,)),), front=())
    with collect() as warnings:
        book = write(anthology, writer_options)
    assert [w.code for w in warnings] == ["epub-untitled"]
    assert book.doc("text/blank.xhtml").find(".//x:h1", NS).text == "無題"
    assert "無題" in [text_of(a) for a in book.nav.iter("{*}a")]


def test_missing_image_becomes_a_placeholder(writer_options: WriterOptions) -> None:
    essay = Essay(
        Meta(title=(Str("Pictures"),), lang="en"),
        (Figure(Image("img/gone.png", alt="gone")), Figure(Image("img/tiff", alt="tiff"))),
        id="pics",
        resources=(Resource("img/tiff", "image/tiff", b"II*\x00rest"),),
    )
    anthology = dataclasses.replace(make_anthology(), parts=(Part((), (essay,)),), front=())
    with collect() as warnings:
        book = write(anthology, writer_options)
    assert [w.code for w in warnings] == ["epub-image", "epub-image"]
    srcs = {img.get("src") for img in book.doc("text/pics.xhtml").iter("{*}img")}
    assert srcs == {"../images/missing.svg"}
    assert book.manifest()["images/missing.svg"][1] == "image/svg+xml"


def test_links_that_lead_nowhere_are_unlinked(writer_options: WriterOptions) -> None:
    essay = Essay(
        Meta(title=(Str("Links"),), lang="en"),
        (
            Heading(1, (Str("Here"),), Attr("here")),
            Para(
                (
                    Link((Str("ok"),), "#here"),
                    Link((Str("web"),), "https://example.org/"),
                    Link((Str("bad"),), "#_Toc123"),
                    Link((Str("file"),), "other.md"),
                )
            ),
        ),
        id="links",
    )
    anthology = dataclasses.replace(make_anthology(), parts=(Part((), (essay,)),), front=())
    with collect() as warnings:
        book = write(anthology, writer_options)
    assert [w.code for w in warnings] == ["epub-link", "epub-link"]
    hrefs = {a.text: a.get("href") for a in book.doc("text/links.xhtml").iter("{*}a")}
    assert hrefs == {"ok": "#here", "web": "https://example.org/", "bad": None, "file": None}


def test_duplicate_ids_are_renamed(writer_options: WriterOptions) -> None:
    essay = Essay(
        Meta(title=(Str("Twice"),), lang="en"),
        (Heading(1, (Str("One"),), Attr("same")), Heading(1, (Str("Two"),), Attr("same"))),
        id="twice",
    )
    anthology = dataclasses.replace(make_anthology(), parts=(Part((), (essay,)),), front=())
    with collect() as warnings:
        book = write(anthology, writer_options)
    assert [w.code for w in warnings] == ["epub-duplicate-id"]
    ids = [h.get("id") for h in book.doc("text/twice.xhtml").iter("{*}h2")]
    assert ids == ["same", "same-2"]


def test_a_layout_without_epub_templates_is_a_layout_error(
    anthology: Anthology, writer_options: WriterOptions, tmp_path: Path
) -> None:
    bare = dataclasses.replace(writer_options.layout, root=tmp_path)
    with pytest.raises(LayoutError, match=re.escape("epub.css")):
        write_epub(anthology, dataclasses.replace(writer_options, layout=bare))
    (tmp_path / "epub").mkdir()
    (tmp_path / "epub" / "epub.css").write_text("p { margin: 0 }")
    with pytest.raises(LayoutError, match=re.escape("titlepage.xhtml")):
        write_epub(anthology, dataclasses.replace(writer_options, layout=bare))


# ------------------------------------------------------------------ EPUBCheck


def assert_clean(report: EpubCheckReport, *, usages: bool = True) -> None:
    counts = (report.fatal, report.error, report.warning) + ((report.usage,) if usages else ())
    assert not any(counts), str(report)


@pytest.mark.slow
def test_epubcheck_passes_on_the_fixture_anthology(
    anthology: Anthology,
    writer_options: WriterOptions,
    epubcheck: Callable[[bytes], EpubCheckReport],
) -> None:
    report = epubcheck(write_epub(anthology, writer_options))
    print(report)
    assert_clean(report)


def corpus_anthology(corpus: Path, count: int = 30) -> Anthology:
    """Essays of the shared corpus as a model, by a deliberately simple text conversion."""
    zh = sorted((corpus / "essays" / "zh").glob("*.md"))
    en = sorted((corpus / "essays" / "en").glob("*.md"))
    files = zh[: count // 2] + en[: count - count // 2]
    parts: dict[str, list[Essay]] = {}
    for i, path in enumerate(files):
        _, front, text = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        lang = str(meta["language"])
        joiner = " " if lang == "en" else ""
        paras = [
            joiner.join(line.strip() for line in chunk.splitlines())
            for chunk in re.split(r"\n\s*\n", text)
            if chunk.strip()
        ]
        title = str(meta["title"])
        if paras and paras[0].replace(" ", "").startswith(title.replace(" ", "")[:4]):
            paras = paras[1:]
        blocks: list[Any] = []
        for n, p in enumerate(paras):
            if n and n % 12 == 0:
                blocks.append(Heading(1, (Str(f"§ {n // 12}"),)))
            if n == 0:
                blocks.append(Para((Str(p), Note((Para((Str(str(meta["collection"])),)),)))))
            else:
                blocks.append(Para((Str(p),)))
        if i == 0:
            blocks.append(Figure(Image("img/plate.png", alt="A plate"), (Str("Plate 1"),)))
            blocks.append(Para((Link((Str("nowhere"),), "#missing"),)))
            blocks.append(Figure(Image("img/gone.png", alt="gone")))
        author = str(meta["author"]).split(" (")[0]
        essay = Essay(
            Meta(
                title=(Str(title),), authors=(Person(author, str(meta["collection"])),), lang=lang
            ),
            tuple(blocks),
            id=path.stem,
            resources=(Resource("img/plate.png", "image/png", png_bytes(300, 200)),)
            if i == 0
            else (),
        )
        parts.setdefault(str(meta["collection"]), []).append(essay)
    untitled = Essay(Meta(lang="en"), (), id="untitled")
    book_parts = [
        Part((Str(name),), tuple(es), f"part-{n}") for n, (name, es) in enumerate(parts.items(), 1)
    ]
    book_parts.append(Part((), (untitled,)))
    meta = BookMeta(
        title="散文選：古今中外", editors=(Person("陳編輯"),), lang="zh-Hant", date="2026-01-01"
    )
    preface = Essay(Meta(title=(Str("編者的話"),)), (Para((Str("選文三十篇。"),)),), id="preface")
    return Anthology(meta, (preface,), tuple(book_parts))


@pytest.mark.slow
def test_epubcheck_passes_on_thirty_corpus_essays(
    corpus: Path, writer_options: WriterOptions, epubcheck: Callable[[bytes], EpubCheckReport]
) -> None:
    anthology = corpus_anthology(corpus)
    assert len(anthology.essays) == 31
    start = time.perf_counter()
    with collect() as warnings:
        data = write_epub(anthology, writer_options)
    seconds = time.perf_counter() - start
    assert sorted(w.code for w in warnings) == ["epub-image", "epub-link", "epub-untitled"]
    book = Book(data)
    part_pages = sum(1 for p in anthology.parts if p.title)
    assert len([h for h in book.spine() if h.startswith("text/")]) == 4 + part_pages + 31
    report = epubcheck(data)
    print(f"write_epub: {seconds:.2f} s, {len(data) / 1024:.0f} KB")
    print(report)
    assert_clean(report)


# ------------------------------------------------------------ cover, colophon


def test_cover_from_the_template_or_the_manifest(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    book = write(anthology, writer_options)
    item = book.opf.find("opf:manifest/opf:item[@properties='cover-image']", NS)
    assert (item.get("href"), item.get("media-type")) == ("images/cover.svg", "image/svg+xml")
    svg = book.xml("EPUB/images/cover.svg")
    assert "山與火：散文選集" in "".join(t.text or "" for t in svg.iter("{*}text"))
    page = book.doc("text/cover.xhtml").find(".//x:img", NS)
    assert page.get("src") == "../images/cover.svg" and page.get("alt") == "山與火：散文選集"
    given = Resource("images/cover.png", "image/png", png_bytes(60, 90))
    meta = dataclasses.replace(anthology.meta, cover=given, isbn="978-957-000-000-1", rights="©")
    book = write(dataclasses.replace(anthology, meta=meta), writer_options)
    item = book.opf.find("opf:manifest/opf:item[@properties='cover-image']", NS)
    assert item.get("href") == "images/cover.png"
    assert book.zip.read("EPUB/images/cover.png") == given.data
    colophon = text_of(book.doc("text/colophon.xhtml"))
    assert "978-957-000-000-1" in colophon and "某某出版社" in colophon
    assert book.dc("rights") == ["©"]
