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
from PIL import Image as PILImage
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
    Resource,
    Str,
)
from essaypress.model.text import plain, plain_blocks
from essaypress.options import WriterOptions
from essaypress.writers.pdf import RESOURCE_ORIGIN, SafeFetcher, book_html, write_pdf
from tests.conftest import png_bytes
from tests.writers.pdfcheck import (
    CJK,
    LEADER,
    font_rows,
    leader_entries,
    lines,
    listed,
    misplaced_footnotes,
    needs_poppler,
    opening_pages,
    outline_targets,
    outline_titles,
    pages_text,
    poppler,
    squeeze,
    text_lines,
)

pytestmark = needs_poppler
_CACHE: dict[tuple[object, ...], bytes] = {}


# ------------------------------------------------------------------ helpers


def rendered(book: Anthology, opts: WriterOptions) -> bytes:
    """``write_pdf``, once per (anthology, options): rendering takes about half a second."""
    key = (book, opts.layout.root, opts.layout.recto_openings, opts.date, opts.pdf)
    if key not in _CACHE:
        _CACHE[key] = write_pdf(book, opts)
    return _CACHE[key]


def all_essays(book: Anthology) -> tuple[Essay, ...]:
    return (*book.front, *book.essays, *book.back)


def titles(book: Anthology) -> list[str]:
    return [plain(e.meta.title) for e in all_essays(book)]


def book_text(book: Anthology) -> str:
    """Every piece of text the book shows: metadata, titles, bylines, bodies and notes."""
    m = book.meta
    parts = [m.title, m.subtitle, m.publisher, *(p.name for p in m.editors)]
    parts += [plain(p.title) for p in book.parts]
    for e in all_essays(book):
        parts += [plain(e.meta.title), plain(e.meta.subtitle), plain_blocks(e.blocks, notes=True)]
        parts += [f"{a.name} {a.affiliation}" for a in e.meta.authors]
    return "\n".join(parts)


def toc_and_openings(
    book: Anthology, pdf: bytes
) -> tuple[list[str], dict[str, int], dict[str, int]]:
    """The page texts, the TOC's entries (text → number) and each essay's opening page."""
    pages = pages_text(pdf)
    toc_page = next(i for i, p in enumerate(pages) if LEADER.search(p))
    entries = leader_entries([pages[toc_page]])
    return pages, entries, opening_pages(titles(book), pages)


def with_essay(book: Anthology, essay: Essay) -> Anthology:
    return dataclasses.replace(book, parts=(*book.parts, Part((), (essay,), "part-x")))


@pytest.fixture
def pdf(anthology: Anthology, writer_options: WriterOptions) -> bytes:
    return rendered(anthology, writer_options)


# -------------------------------------------------------------------- fonts


def test_every_font_is_embedded_and_subset(pdf: bytes) -> None:
    rows = font_rows(pdf)
    assert rows, "pdffonts listed no fonts"
    names = [row[0] for row in rows]
    assert all(row[-5] == "yes" and row[-4] == "yes" for row in rows), rows  # emb, sub
    assert any("Serif-CJK-TC" in n for n in names), names
    assert any(re.search(r"\+Noto-Serif$", n) for n in names), "English text uses Noto Serif"


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
    essay = Essay(
        Meta(title=(Str("缺字"),), lang="zh-Hant"),
        (Para((Str("私用區\ue000字"),)),),
        id="missing-glyph",
    )
    with log.collect() as diags:
        write_pdf(with_essay(anthology, essay), writer_options)
    assert any(d.code == "pdf-engine" and ".notdef" in d.message for d in diags), diags


def runs(pdf: bytes) -> list[tuple[str, str]]:
    """(font name, text) of every text run, in drawing order."""
    found: list[tuple[str, str]] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(
            visitor_text=lambda text, cm, tm, font, size: found.append(
                (str(font.get("/BaseFont", "")) if font else "", text)
            )
        )
    return found


def test_english_keeps_real_italics(pdf: bytes) -> None:
    assert any("Italic" in f for f, t in runs(pdf) if "Walden" in t)


def test_latin_letters_in_chinese_use_the_latin_face_and_shared_punctuation_the_cjk_face(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    essay = Essay(
        Meta(title=(Str("混排"),), lang="zh-Hans"),
        (Para((Str("他说“Walter Benjamin”——是……吗？"),)),),
        id="mixed",
    )
    found = runs(rendered(with_essay(anthology, essay), writer_options))
    fonts: dict[str, set[str]] = {}
    for font, text in found:
        for char in text:
            fonts.setdefault(char, set()).add(font)
    for char in "“”—…":  # in Chinese text: the full-width CJK forms
        assert fonts[char] and all("CJK" in f for f in fonts[char]), (char, fonts[char])
    for char in "WaltrBenjm":
        assert all("CJK" not in f for f in fonts[char]), (char, fonts[char])


def test_each_essay_gets_the_cjk_face_of_its_own_language(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    """A Simplified Chinese essay in a Traditional Chinese book is set in the SC face."""
    essay = Essay(
        Meta(title=(Str("简体"),), lang="zh-Hans"),
        (Para((Str("这是简体中文的段落。"),)),),
        id="hans",
    )
    found = runs(rendered(with_essay(anthology, essay), writer_options))
    hans = {f for f, t in found if "简体中文" in t}
    hant = {f for f, t in found if "我們沿著溪走" in t}
    assert hans and all("Serif-CJK-SC" in f for f in hans), hans
    assert hant and all("Serif-CJK-TC" in f for f in hant), hant


def test_chinese_emphasis_shows_as_dots_under_each_character(
    anthology: Anthology, writer_options: WriterOptions, pdf: bytes
) -> None:
    html = book_html(anthology, writer_options)
    assert '<em><span class="em-dot">強</span><span class="em-dot">調</span></em>' in html
    # the dots are drawn: dark pixels below 強調 and none below the unemphasised 溪走
    page = next(n for n, p in enumerate(pages_text(pdf, layout=False), 1) if "強調" in p)
    below = {}
    for ln in text_lines(pdf):
        if ln.page == page and "強調" in ln.text:
            start = ln.text.index("強調")
            width = (ln.x1 - ln.x0) / len(ln.text)  # full-width line: every glyph one em
            for word, at in (("強調", start), ("溪走", ln.text.index("溪走"))):
                below[word] = (ln.x0 + at * width, ln.y1, ln.x0 + (at + 2) * width, ln.y1 + 4)
    dark = {word: _dark_pixels(pdf, page, box) for word, box in below.items()}
    assert dark["強調"] > 10 and dark["溪走"] == 0, dark


def _dark_pixels(pdf: bytes, page: int, box: tuple[float, float, float, float]) -> int:
    scale = 4  # pixels per point at 288 dpi
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "288",
                "-gray",
                "-f",
                str(page),
                "-l",
                str(page),
                str(path),
                str(Path(tmp) / "p"),
            ],
            check=True,
        )
        image = PILImage.open(next(Path(tmp).glob("p*.pgm")))
        x0, y0, x1, y1 = (round(v * scale) for v in box)
        region = image.crop((x0, y0, x1, y1))
        return sum(1 for v in region.tobytes() if v < 128)


# ---------------------------------------------------------- book structure


def test_front_matter_cover_half_title_title_colophon(anthology: Anthology, pdf: bytes) -> None:
    pages = [squeeze(p) for p in pages_text(pdf)]
    cover, blank, half, blank2, title, colophon = pages[:6]
    for text in ("山與火：散文選集", "第一屆徵文得獎作品", "陳編輯", "主編", "某某出版社"):
        assert text in cover
    assert blank == blank2 == ""
    assert half == "山與火：散文選集"
    for text in ("山與火：散文選集", "第一屆徵文得獎作品", "陳編輯", "某某出版社", "2026年1月"):
        assert text in title
    for text in ("書名", "出版者某某出版社", "出版日期2026年1月"):
        assert text in colophon
    assert not re.search(r"\d+$", cover + title + colophon), "no folio on the front matter"


def test_colophon_shows_edition_isbn_rights_and_the_cover_image(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    cover = Resource("img/cover.png", "image/png", png_bytes(300, 200))
    meta = dataclasses.replace(
        anthology.meta,
        edition="初版",
        isbn="978-986-00-0000-9",
        rights="版權所有・翻印必究",
        cover=cover,
    )
    pdf = rendered(dataclasses.replace(anthology, meta=meta), writer_options)
    colophon = squeeze(pages_text(pdf)[5])
    for text in ("版次初版", "ISBN978-986-00-0000-9", "版權所有・翻印必究"):
        assert text in colophon
    drawn = [row.split()[:5] for row in poppler("pdfimages", pdf, "-list").splitlines()[2:]]
    assert [(r[0], r[3], r[4]) for r in drawn if r[0] == "1"] == [("1", "300", "200")]


def test_toc_page_numbers_are_the_pages_where_essays_begin(
    anthology: Anthology, pdf: bytes
) -> None:
    pages, entries, openings = toc_and_openings(anthology, pdf)
    assert len(openings) == 3
    for title, page in openings.items():
        assert listed(entries, title) == [page], (title, entries)
        assert pages[page - 1].count(title) == 1  # no running head on an opening page
        assert lines(pages[page - 1])[-1] == str(page)  # the folio printed there
    targets = outline_targets(pdf)
    assert all(targets[t] == p for t, p in openings.items())


def test_essays_start_on_odd_pages_after_a_blank_verso(anthology: Anthology, pdf: bytes) -> None:
    pages, _, openings = toc_and_openings(anthology, pdf)
    body = {t: p for t, p in openings.items() if t != "編者的話"}
    assert all(p % 2 == 1 for p in openings.values()), openings
    assert all(not lines(pages[p - 2]) for p in body.values())  # the verso before is blank


def test_without_recto_openings_an_essay_may_open_on_a_verso(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    layout = dataclasses.replace(writer_options.layout, recto_openings=False)
    pdf = rendered(anthology, dataclasses.replace(writer_options, layout=layout))
    pages, entries, openings = toc_and_openings(anthology, pdf)
    assert any(p % 2 == 0 for p in openings.values()), openings
    for title, page in openings.items():
        assert lines(pages[page - 1])[0] == title  # the left head is off the opening page too
        assert listed(entries, title) == [page]


def test_contributors_index_lists_authors_affiliations_essays_and_pages(
    anthology: Anthology, pdf: bytes
) -> None:
    pages, _, openings = toc_and_openings(anthology, pdf)
    index = next(i for i, p in enumerate(pages) if lines(p) and lines(p)[0] == "作者索引")
    assert index % 2 == 0, "the index opens on a right-hand page"
    text = squeeze(pages[index])
    assert text.index("林曉雯") < text.index("AdaLane"), "authors in order of appearance"
    assert "某某單位政治部" in text and "OfficeofRecords" in text
    assert "編輯委員會" not in text, "the preface's signer is not a contributor"
    entries = leader_entries([pages[index]])
    assert listed(entries, "窯火與晨光") == [openings["窯火與晨光"]]
    assert listed(entries, "OnReadingWalden") == [openings["On Reading Walden"]]
    assert outline_targets(pdf)["作者索引"] == index + 1


def test_running_heads_book_title_left_essay_title_right(
    anthology: Anthology, writer_options: WriterOptions, pdf: bytes
) -> None:
    pages, _, openings = toc_and_openings(anthology, pdf)
    kiln = openings["窯火與晨光"]
    assert lines(pages[kiln])[0] == anthology.meta.title  # the verso after the opening
    long_book = long_anthology(essays=2, paragraphs=14)
    pdf2 = rendered(long_book, writer_options)
    pages2, _, openings2 = toc_and_openings(long_book, pdf2)
    first = openings2["第1篇散文"]
    assert lines(pages2[first])[0] == "長篇選集"  # verso: the book
    assert lines(pages2[first + 1])[0] == "第1篇散文"  # recto: the essay
    assert pages2[first - 1].count("長篇選集") == 0


def test_footnotes_sit_on_the_page_of_their_call_numbered_per_essay(
    anthology: Anthology, pdf: bytes
) -> None:
    checked, wrong = misplaced_footnotes(anthology, pages_text(pdf, layout=False))
    assert checked == 3
    assert wrong == []


# ---------------------------------------------------------- PDF structure


def test_outline_has_parts_essays_headings_and_index_but_not_the_toc(pdf: bytes) -> None:
    assert outline_titles(pdf) == [
        "編者的話",
        "第一輯",
        ["窯火與晨光", ["一、返鄉", ["（一）窯"]]],
        "第二輯",
        ["On Reading Walden", ["Small things"]],
        "作者索引",
    ]


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
        anthology,
        parts=(dataclasses.replace(anthology.parts[0], essays=(tagged,)), *anthology.parts[1:]),
    )
    meta = PdfReader(io.BytesIO(rendered(book, writer_options))).metadata
    assert meta is not None and str(meta["/Keywords"]) == "散文, 返鄉 窯"


def test_every_essay_carries_its_language(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    html = book_html(anthology, writer_options)
    assert '<html lang="zh-Hant">' in html
    assert re.search(r'<article class="essay body in-part" id="walden" lang="en">', html)
    assert re.search(r'<article class="essay front" id="preface" lang="zh-Hant">', html)


def test_two_renders_are_byte_identical(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    assert write_pdf(anthology, writer_options) == write_pdf(anthology, writer_options)


def test_markup_and_template_syntax_in_titles_print_literally(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    hostile = "<script>alert(1)</script> {{ 7*7 }}"
    essay = Essay(Meta(title=(Str(hostile),), lang="en"), (Para((Str("Body."),)),), id="hostile")
    book = with_essay(
        dataclasses.replace(anthology, meta=dataclasses.replace(anthology.meta, title=hostile)),
        essay,
    )
    pdf = rendered(book, writer_options)
    text = "".join(pages_text(pdf, layout=False))
    assert text.count(hostile) >= 5  # cover, half-title, title page, colophon, TOC, essay
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
        (
            Figure(Image(f"{server}/x.png", alt="remote")),
            Figure(Image("file:///etc/passwd")),
            Para(
                (
                    Link(
                        (Str("secret"),),
                        "file:///etc/passwd",
                        attr=Attr(kv=(("rel", "attachment"),)),
                    ),
                    Image("../layout.toml"),
                )
            ),
        ),
        id="outside",
    )
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
        ".essay-subtitle { background: url(../layout.toml) }\n"
        "@font-face { font-family: x; src: url(file:///usr/share/fonts/truetype/dejavu/x.ttf) }\n",
        encoding="utf-8",
    )
    layout = dataclasses.replace(writer_options.layout, root=root)
    with log.collect() as diags:
        write_pdf(anthology, dataclasses.replace(writer_options, layout=layout))
    assert _Counter.hits == []
    refused = sorted(d.message for d in diags if d.code == "pdf-url-refused")
    assert len(refused) == 5, diags
    assert any("/etc/passwd" in m for m in refused)
    assert any("layout.toml" in m for m in refused)
    assert any("dejavu" in m for m in refused), "only the fonts the writer chose are read"


def test_fetcher_serves_resources_and_layout_files_only(writer_options: WriterOptions) -> None:
    folder = writer_options.layout.root / "pdf"
    fetcher = SafeFetcher({}, folder)
    svg = fetcher.fetch((folder / "footnote-rule.svg").as_uri())
    assert svg.read().startswith(b"<svg")
    for url in (
        (folder.parent / "layout.toml").as_uri(),
        f"{folder.as_uri()}/../layout.toml",
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "data:text/plain,hi",
        f"{RESOURCE_ORIGIN}1/img%2Fkiln.png",
    ):
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
                blocks.append(
                    Heading(
                        1, (Str(f"第{j // 5 + 1}節" if lang != "en" else f"Section {j // 5 + 1}"),)
                    )
                )
            note = Note((Para((Str(f"注釋 {i}-{j}"),)),))
            blocks.append(Para((Str(text), note) if j % 3 == 0 else (Str(text),)))
        title = f"第{i + 1}篇散文" if lang != "en" else f"Essay Number {i + 1}"
        body.append(
            Essay(
                Meta(title=(Str(title),), authors=(Person(f"作者{i + 1}", "單位"),), lang=lang),
                tuple(blocks),
                id=f"e{i + 1}",
            )
        )
    half = essays // 2
    return Anthology(
        BookMeta(title="長篇選集", editors=(Person("編者"),), date="2026-01-01"),
        (Essay(Meta(title=(Str("序"),)), (Para((Str("序文。"),)),), id="pre"),),
        (
            Part((Str("上編"),), tuple(body[:half]), "p1"),
            Part((Emph((Str("下編"),)),), tuple(body[half:]), "p2"),
        ),
    )


@pytest.mark.slow
def test_long_book_toc_and_index_numbers_and_recto_openings(
    writer_options: WriterOptions,
) -> None:
    book = long_anthology()
    pdf = write_pdf(book, writer_options)
    pages, entries, openings = toc_and_openings(book, pdf)
    assert len(pages) >= 50
    assert len(openings) == 13
    index = leader_entries(
        pages, next(i for i, p in enumerate(pages) if "作者索引" in lines(p)[:1])
    )
    for title, page in openings.items():
        assert listed(entries, title) == [page], title
        assert page % 2 == 1
        if title != "序":
            assert listed(index, title) == [page], title
