"""The PDF writer, checked by the PDF's properties with pypdf and poppler (pdffonts, pdftotext)."""

from __future__ import annotations

import dataclasses
import http.server
import io
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pypdf import PdfReader

from essaypress import log
from essaypress.model.nodes import (
    Anthology,
    Attr,
    BookMeta,
    Emph,
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
    Str,
)
from essaypress.model.text import plain, plain_blocks
from essaypress.options import WriterOptions
from essaypress.writers.pdf import RESOURCE_ORIGIN, SafeFetcher, book_html, write_pdf

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="poppler-utils (pdftotext, pdffonts) is not installed",
)

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
LEADER = re.compile(r"\.(?: ?\.){3,}")
_CACHE: dict[tuple[object, ...], bytes] = {}


# ------------------------------------------------------------------ helpers


def rendered(book: Anthology, opts: WriterOptions) -> bytes:
    """``write_pdf``, once per (anthology, layout, date): rendering takes about half a second."""
    key = (book, opts.layout.root, opts.layout.recto_openings, opts.date)
    if key not in _CACHE:
        _CACHE[key] = write_pdf(book, opts)
    return _CACHE[key]


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.pdf"
        path.write_bytes(pdf)
        result = subprocess.run([tool, *args, str(path), "-"] if tool == "pdftotext"
                                else [tool, *args, str(path)],
                                capture_output=True, text=True, check=True)  # fmt: skip
    return result.stdout


def pages_text(pdf: bytes, *, layout: bool = True) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    text = poppler("pdftotext", pdf, *(["-layout"] if layout else []))
    return text.split("\f")[:-1]


def lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def all_essays(book: Anthology) -> tuple[Essay, ...]:
    return (*book.front, *book.essays, *book.back)


def book_text(book: Anthology) -> str:
    """Every piece of text the book shows: metadata, titles, bylines, bodies and notes."""
    m = book.meta
    parts = [m.title, m.subtitle, m.publisher, *(p.name for p in m.editors)]
    parts += [plain(p.title) for p in book.parts]
    for e in all_essays(book):
        parts += [plain(e.meta.title), plain(e.meta.subtitle), plain_blocks(e.blocks, notes=True)]
        parts += [f"{a.name} {a.affiliation}" for a in e.meta.authors]
    return "\n".join(parts)


def toc_numbers(pages: list[str]) -> tuple[int, dict[str, int]]:
    """The last page of the table of contents and each TOC line's text → its page number."""
    toc_pages = [i for i, page in enumerate(pages) if LEADER.search(page)]
    assert toc_pages, "no table of contents with dot leaders found"
    entries = {}
    for i in toc_pages:
        for line in lines(pages[i]):
            m = re.fullmatch(r"(.*?)\s*\.(?: ?\.)+\s*(\d+)", line)
            if m:
                entries[m[1]] = int(m[2])
    return toc_pages[-1], entries


def opening_pages(book: Anthology, pages: list[str], after: int) -> dict[str, int]:
    """Each essay title → the 1-based page after the TOC that first starts with that title."""
    firsts = [squeeze(lines(p)[0]) if lines(p) else "" for p in pages]
    found = {}
    for e in all_essays(book):
        title = plain(e.meta.title)
        found[title] = next(i + 1 for i in range(after + 1, len(pages))
                            if firsts[i] == squeeze(title))  # fmt: skip
    return found


def outline_titles(pdf: bytes) -> list[Any]:
    """The outline as nested lists of titles: [title, [children…], title, …]."""
    reader = PdfReader(io.BytesIO(pdf))

    def walk(items: list[Any]) -> list[Any]:
        return [walk(i) if isinstance(i, list) else i.title for i in items]

    return walk(reader.outline)


def with_essay(book: Anthology, essay: Essay) -> Anthology:
    return dataclasses.replace(book, parts=(*book.parts, Part((), (essay,), "part-x")))


@pytest.fixture
def pdf(anthology: Anthology, writer_options: WriterOptions) -> bytes:
    return rendered(anthology, writer_options)


# -------------------------------------------------------------------- fonts


def test_every_font_is_embedded(pdf: bytes) -> None:
    rows = poppler("pdffonts", pdf).splitlines()[2:]
    assert rows, "pdffonts listed no fonts"
    names = [row.split()[0] for row in rows]
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded
    assert any("Serif-CJK-TC" in n for n in names), names
    assert any(re.search(r"\+Noto-Serif$", n) for n in names), "Latin text should use Noto Serif"


def test_every_cjk_character_of_the_anthology_is_in_the_pdf_text(
    anthology: Anthology, pdf: bytes
) -> None:
    wanted = {c for c in CJK.findall(book_text(anthology)) if not c.isspace()}
    shown = set("".join(pages_text(pdf, layout=False)))
    assert len(wanted) > 50
    assert wanted - shown == set()


def test_the_fixture_renders_without_engine_warnings(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    """No unknown CSS in our own style sheet, no missing glyph (.notdef), nothing refused."""
    with log.collect() as diags:
        write_pdf(anthology, writer_options)
    assert [str(d) for d in diags] == []


def test_a_character_no_font_has_is_reported(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    essay = Essay(Meta(title=(Str("缺字"),), lang="zh-Hant"), (Para((Str("私用區\ue000字"),)),),
                  id="missing-glyph")  # fmt: skip
    with log.collect() as diags:
        write_pdf(with_essay(anthology, essay), writer_options)
    assert any(d.code == "pdf-engine" and ".notdef" in d.message for d in diags), diags


def test_chinese_emphasis_is_visible_and_english_keeps_italics(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    runs: list[tuple[str, str]] = []
    for page in reader.pages:
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: runs.append(
            (str(font.get("/BaseFont", "")) if font else "", text)))  # fmt: skip
    emphasised = {f for f, t in runs if "強調" in t}
    around = {f for f, t in runs if "我們沿著溪走" in t}
    assert emphasised and around and emphasised.isdisjoint(around)
    assert all("Sans-CJK" in f for f in emphasised)
    assert any("Italic" in f for f, t in runs if "Walden" in t)


# ------------------------------------------------------------- page layout


def test_toc_page_numbers_are_the_pages_where_essays_begin(
    anthology: Anthology, pdf: bytes
) -> None:
    pages = pages_text(pdf)
    last_toc, entries = toc_numbers(pages)
    openings = opening_pages(anthology, pages, last_toc)
    for title, page in openings.items():
        listed = [n for text, n in entries.items() if text.startswith(title)]
        assert listed == [page], (title, entries)
        assert lines(pages[page - 1])[0] == title  # no running head on an opening page
        assert pages[page - 1].count(title) == 1
        assert lines(pages[page - 1])[-1] == str(page)  # the folio printed there
    reader = PdfReader(io.BytesIO(pdf))
    targets = {i.title: reader.get_destination_page_number(i) for i in _flatten(reader.outline)}
    assert all(targets[t] == p - 1 for t, p in openings.items())


def _flatten(items: list[Any]) -> Iterator[Any]:
    for i in items:
        if isinstance(i, list):
            yield from _flatten(i)
        else:
            yield i


def test_essays_start_on_odd_pages(anthology: Anthology, pdf: bytes) -> None:
    pages = pages_text(pdf)
    openings = opening_pages(anthology, pages, toc_numbers(pages)[0])
    assert len(openings) == 3
    assert all(p % 2 == 1 for p in openings.values()), openings
    assert all(not lines(pages[p - 2]) for p in openings.values())  # the verso before is blank


def test_without_recto_openings_an_essay_may_open_on_a_verso(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    layout = dataclasses.replace(writer_options.layout, recto_openings=False)
    pdf = rendered(anthology, dataclasses.replace(writer_options, layout=layout))
    pages = pages_text(pdf)
    last_toc, entries = toc_numbers(pages)
    openings = opening_pages(anthology, pages, last_toc)
    assert any(p % 2 == 0 for p in openings.values()), openings
    for title, page in openings.items():
        assert lines(pages[page - 1])[0] == title  # the left head is off the opening page too
        assert [n for text, n in entries.items() if text.startswith(title)] == [page]


def test_running_heads_book_title_left_essay_title_right(anthology: Anthology, pdf: bytes) -> None:
    pages = pages_text(pdf)
    openings = opening_pages(anthology, pages, toc_numbers(pages)[0])
    kiln = openings["窯火與晨光"]
    assert lines(pages[kiln])[0] == anthology.meta.title  # the verso after the opening
    assert lines(pages[0])[0] == anthology.meta.title  # title page: no head above the title
    assert all(len(lines(p)) > 0 for p in pages[kiln - 1 : kiln + 1])


def test_title_page_shows_the_book(anthology: Anthology, pdf: bytes) -> None:
    first = squeeze(pages_text(pdf)[0])
    for text in ("山與火：散文選集", "第一屆徵文得獎作品", "陳編輯", "某某出版社", "2026年1月"):
        assert text in first


def test_footnotes_sit_on_the_page_of_their_call_numbered_per_essay(
    anthology: Anthology, pdf: bytes
) -> None:
    pages = [squeeze(p) for p in pages_text(pdf, layout=False)]
    checked = 0
    for essay in anthology.essays:
        n = 0
        for block in essay.blocks:
            if not isinstance(block, Para):
                continue
            before = ""
            for inline in block.content:
                if isinstance(inline, Note):
                    n += 1
                    call = squeeze(before)[-4:] + str(n)
                    note = f"{n}." + squeeze(plain_blocks(inline.blocks))
                    on = [i for i, p in enumerate(pages) if call in p]
                    assert len(on) == 1, (call, on)
                    assert note in pages[on[0]], (note, on)
                    checked += 1
                before += plain((inline,))
    assert checked == 3


# ---------------------------------------------------------- PDF structure


def test_outline_has_parts_essays_and_headings_but_not_the_toc(pdf: bytes) -> None:
    assert outline_titles(pdf) == [
        "編者的話",
        "第一輯", ["窯火與晨光", ["一、返鄉", ["（一）窯"]]],
        "第二輯", ["On Reading Walden", ["Small things"]],
    ]  # fmt: skip


def test_metadata_title_language_authors_and_fixed_dates(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "山與火：散文選集"
    assert meta.author == "陳編輯"
    assert meta.subject == "徵文得獎散文"
    assert str(meta["/CreationDate"]) == str(meta["/ModDate"]) == "D:20260101"
    assert str(reader.root_object["/Lang"]) == "zh-Hant"
    assert "/EmbeddedFiles" not in reader.root_object.get("/Names", {})


def test_essay_tags_become_keywords(anthology: Anthology, writer_options: WriterOptions) -> None:
    kiln = anthology.parts[0].essays[0]
    tagged = dataclasses.replace(
        kiln, meta=dataclasses.replace(kiln.meta, tags=("散文", "返鄉, 窯"))
    )
    book = dataclasses.replace(
        anthology, parts=(dataclasses.replace(anthology.parts[0], essays=(tagged,)),
                          *anthology.parts[1:]))  # fmt: skip
    meta = PdfReader(io.BytesIO(rendered(book, writer_options))).metadata
    assert meta is not None and str(meta["/Keywords"]) == "散文, 返鄉 窯"


def test_every_essay_carries_its_language(anthology: Anthology,
                                          writer_options: WriterOptions) -> None:  # fmt: skip
    html = book_html(anthology, writer_options)
    assert '<html lang="zh-Hant">' in html
    assert re.search(r'<article class="essay body in-part" id="walden" lang="en">', html)
    assert re.search(r'<article class="essay front" id="preface" lang="zh-Hant">', html)


def test_two_renders_are_byte_identical(anthology: Anthology,
                                        writer_options: WriterOptions) -> None:  # fmt: skip
    assert write_pdf(anthology, writer_options) == write_pdf(anthology, writer_options)


def test_markup_and_template_syntax_in_titles_print_literally(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    hostile = "<script>alert(1)</script> {{ 7*7 }}"
    essay = Essay(Meta(title=(Str(hostile),), lang="en"), (Para((Str("Body."),)),), id="hostile")
    book = with_essay(dataclasses.replace(
        anthology, meta=dataclasses.replace(anthology.meta, title=hostile)), essay)  # fmt: skip
    pdf = rendered(book, writer_options)
    text = "".join(pages_text(pdf, layout=False))
    assert text.count(hostile) >= 3  # title page, TOC, essay title (and running heads)
    assert PdfReader(io.BytesIO(pdf)).metadata.title == hostile  # type: ignore[union-attr]


# ------------------------------------------------------------------- safety


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """A loopback HTTP server that records every request it gets."""
    _Counter.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_images_outside_the_resources_are_not_loaded(
    anthology: Anthology, writer_options: WriterOptions, server: str
) -> None:
    essay = Essay(
        Meta(title=(Str("Outside"),), lang="en"),
        (Figure(Image(f"{server}/x.png", alt="remote")), Figure(Image("file:///etc/passwd")),
         Para((Link((Str("secret"),), "file:///etc/passwd", attr=Attr(kv=(("rel", "attachment"),))),
               Image("../layout.toml")))),
        id="outside",
    )  # fmt: skip
    book = with_essay(anthology, essay)
    assert 'rel="attachment"' not in book_html(book, writer_options)
    with log.collect() as diags:
        pdf = write_pdf(book, writer_options)
    assert _Counter.hits == []
    refused = [d for d in diags if d.code == "pdf-url-refused"]
    assert len(refused) == 3, diags
    assert all("not among the essay's files" in d.message for d in refused)
    assert "/EmbeddedFiles" not in PdfReader(io.BytesIO(pdf)).root_object.get("/Names", {})


def test_layout_css_cannot_reach_the_network_or_other_files(
    anthology: Anthology, writer_options: WriterOptions, server: str, tmp_path: Path
) -> None:
    root = tmp_path / "layout"
    shutil.copytree(writer_options.layout.root, root)
    css = root / "pdf" / "book.css"
    css.write_text(
        f'@import url("{server}/extra.css");\n'
        + css.read_text(encoding="utf-8")
        + f"\n.essay-title {{ background: url({server}/bg.png) }}\n"
        ".byline { background: url(file:///etc/passwd) }\n"
        ".essay-subtitle { background: url(../layout.toml) }\n",
        encoding="utf-8",
    )
    layout = dataclasses.replace(writer_options.layout, root=root)
    with log.collect() as diags:
        write_pdf(anthology, dataclasses.replace(writer_options, layout=layout))
    assert _Counter.hits == []
    refused = sorted(d.message for d in diags if d.code == "pdf-url-refused")
    assert len(refused) == 4, diags
    assert any("/etc/passwd" in m for m in refused)
    assert any("layout.toml" in m for m in refused)


def test_fetcher_serves_resources_and_layout_files_only(writer_options: WriterOptions) -> None:
    folder = writer_options.layout.root / "pdf"
    fetcher = SafeFetcher({}, folder)
    svg = fetcher.fetch((folder / "footnote-rule.svg").as_uri())
    assert svg.read().startswith(b"<svg")
    for url in ((folder.parent / "layout.toml").as_uri(), f"{folder.as_uri()}/../layout.toml",
                "file:///etc/passwd", "http://127.0.0.1:9/x.png", "data:text/plain,hi",
                f"{RESOURCE_ORIGIN}1/img%2Fkiln.png"):  # fmt: skip
        with log.collect(), pytest.raises(ValueError, match="essaypress refused"):
            fetcher.fetch(url)


def test_the_essay_image_is_embedded(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    # WeasyPrint shares one resource dictionary between pages: count distinct images
    images = {img.data: img for page in reader.pages for img in page.images}
    assert len(images) == 1
    (image,) = images.values()
    assert image.image is not None and image.image.size == (120, 80)


def test_engine_warnings_become_located_warnings(
    anthology: Anthology, writer_options: WriterOptions, tmp_path: Path
) -> None:
    root = tmp_path / "layout"
    shutil.copytree(writer_options.layout.root, root)
    with (root / "pdf" / "book.css").open("a", encoding="utf-8") as f:
        f.write("\np { frobnicate: 3 }\n")
    layout = dataclasses.replace(writer_options.layout, root=root)
    with log.collect() as diags:
        write_pdf(anthology, dataclasses.replace(writer_options, layout=layout))
    assert any(d.code == "pdf-engine" and "frobnicate" in d.message for d in diags), diags


# -------------------------------------------------------------- a long book


def long_anthology(essays: int = 12, paragraphs: int = 14) -> Anthology:
    """About 60 A5 pages: Chinese and English essays with notes and headings."""
    zh = "山路彎彎，溪水長流，老窯的火光照亮了整個村子。" * 6
    en = "The kiln burned through the night while the village slept and the river ran on. " * 4
    body = []
    for i in range(essays):
        lang = "en" if i % 4 == 3 else "zh-Hant"
        text = en if lang == "en" else zh
        blocks: list[Any] = []
        for j in range(paragraphs):
            if j % 5 == 0:
                blocks.append(Heading(1, (Str(f"第{j // 5 + 1}節" if lang != "en" else
                                              f"Section {j // 5 + 1}"),)))  # fmt: skip
            note = Note((Para((Str(f"注釋 {i}-{j}"),)),))
            blocks.append(Para((Str(text), note) if j % 3 == 0 else (Str(text),)))
        title = f"第{i + 1}篇散文" if lang != "en" else f"Essay Number {i + 1}"
        body.append(Essay(Meta(title=(Str(title),), authors=(Person(f"作者{i + 1}", "單位"),),
                               lang=lang), tuple(blocks), id=f"e{i + 1}"))  # fmt: skip
    half = essays // 2
    return Anthology(
        BookMeta(title="長篇選集", editors=(Person("編者"),), date="2026-01-01"),
        (Essay(Meta(title=(Str("序"),)), (Para((Str("序文。"),)),), id="pre"),),
        (Part((Str("上編"),), tuple(body[:half]), "p1"),
         Part((Emph((Str("下編"),)),), tuple(body[half:]), "p2")),
    )  # fmt: skip


@pytest.mark.slow
def test_long_book_toc_numbers_and_recto_openings(writer_options: WriterOptions) -> None:
    book = long_anthology()
    pdf = write_pdf(book, writer_options)
    pages = pages_text(pdf)
    assert len(pages) >= 50
    last_toc, entries = toc_numbers(pages)
    openings = opening_pages(book, pages, last_toc)
    assert len(openings) == 13
    for title, page in openings.items():
        assert [n for text, n in entries.items() if text.startswith(title)] == [page], title
        assert page % 2 == 1


def corpus_essay(path: Path) -> Essay:
    """A corpus essay as plain paragraphs (front matter read, no Markdown reader needed)."""
    import yaml

    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(front)
    joiner = "" if str(meta["language"]).startswith("zh") else " "
    paras = [re.sub(r"\s*\n\s*", joiner, p.strip().lstrip("\u3000"))
             for p in re.split(r"\n\s*\n", body) if p.strip()]  # fmt: skip
    return Essay(Meta(title=(Str(str(meta["title"])),), lang=str(meta["language"]),
                      authors=(Person(str(meta["author"]).split(" (")[0]),)),
                 tuple(Para((Str(p),)) for p in paras), id=path.stem)  # fmt: skip


@pytest.mark.slow
def test_real_chinese_essays_render_without_missing_glyphs(
    corpus: Path, writer_options: WriterOptions
) -> None:
    essays = tuple(corpus_essay(p) for p in sorted((corpus / "essays" / "zh").glob("*.md")))
    assert essays, "no Chinese essays in the corpus"
    book = Anthology(BookMeta(title="語料選集"), (), (Part((), essays),))
    with log.collect() as diags:
        pdf = write_pdf(book, writer_options)
    private_use = re.compile(r"U\+(E[0-9A-F]{3}|F[0-8][0-9A-F]{2})\)")  # no font has these
    assert [str(d) for d in diags if not private_use.search(d.message)] == []
    wanted = {c for c in CJK.findall(book_text(book)) if not c.isspace()}
    assert wanted - set("".join(pages_text(pdf, layout=False))) == set()
    pages = pages_text(pdf)
    last_toc, entries = toc_numbers(pages)
    for title, page in opening_pages(book, pages, last_toc).items():
        assert [n for text, n in entries.items() if text.startswith(title)] == [page], title
        assert page % 2 == 1
