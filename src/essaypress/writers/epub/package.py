"""Turn finished XHTML documents, images and metadata into EPUB zip bytes with ebooklib.

The only module that imports ebooklib. Its traps (libraries.md §3.1) and how
they are avoided here: documents are handed over finished (``_Page``), so
ebooklib neither re-parses them as HTML nor rebuilds their heads, nor fails on
an XML declaration or an empty body; every TOC entry has a title; the bogus
page-list is off (``epub3_pages``); there is no cover page, so no OPF-096; the
stylesheet is linked by the documents' own relative ``<link>``; the NCX gets
its page list and play order afterwards (``ncx``); the zip is rewritten with
fixed timestamps and ``mimetype`` first and stored.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
import zipfile
from collections.abc import Sequence
from typing import Any

from ebooklib import epub
from lxml import etree

from ...log import warn
from ...model.nodes import Anthology, BookMeta
from ..names import script_of
from .documents import CSS_PATH, Context, Documents, Entry
from .finish import XHTML, images, serialize
from .fonts import FontFile
from .names import clean
from .ncx import finish_ncx
from .pages import page_list_nav

NAV = "EPUB/nav.xhtml"
NCX = "EPUB/toc.ncx"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class _Page(epub.EpubHtml):  # type: ignore[misc]
    """An XHTML document that ebooklib writes exactly as given."""

    def get_content(self, default: bytes | None = None) -> bytes:
        content: bytes = self.content
        return content


def package(
    book: Anthology,
    docs: Documents,
    ctx: Context,
    css: bytes,
    modified: dt.datetime,
    pages: list[tuple[str, str]] | None = None,
    page_count: int = 0,
    fonts: Sequence[FontFile] = (),
) -> bytes:
    """The EPUB file: OPF metadata, manifest, spine, nav (toc, landmarks, page list), NCX.

    ``pages``: the print edition's page list as (label, href), ``None`` without a
    page map; ``page_count``: the print edition's pages; ``fonts``: embedded fonts.
    """
    eb = epub.EpubBook()
    _metadata(eb, book, ctx, docs, modified, pages)
    eb.add_item(epub.EpubItem(uid="style", file_name=CSS_PATH, media_type="text/css", content=css))
    nav = epub.EpubNav(title=ctx.labels["toc"])
    nav.add_link(href=CSS_PATH, rel="stylesheet", type="text/css")
    eb.add_item(nav)
    eb.add_item(epub.EpubNcx())
    items = []
    for doc in docs.all():
        page = _Page(uid=doc.uid, file_name=doc.name, title=doc.title, lang=doc.lang)
        page.content = serialize(doc)
        items.append(eb.add_item(page))
    cover = ctx.images.cover[0] if ctx.images.cover else None
    for i, (name, media_type, data) in enumerate(ctx.images.files.values(), 1):
        image = epub.EpubImage(uid=f"img-{i}", file_name=name, media_type=media_type, content=data)
        if name == cover:
            image.id = "cover-image"
            image.properties = ["cover-image"]
        eb.add_item(image)
    for i, font in enumerate(fonts, 1):
        eb.add_item(
            epub.EpubItem(
                uid=f"font-{i}", file_name=font.name, media_type=font.media_type, content=font.data
            )
        )
    if cover:  # EPUB 2 readers find the cover by this
        eb.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    split = next(i for i, d in enumerate(docs.all()) if d.kind == "titlepage") + 1
    eb.spine = [*items[:split], nav, *items[split:]]
    eb.toc = _toc(docs)
    eb.guide = _landmarks(docs, ctx)
    buffer = io.BytesIO()
    options = {
        "epub3_pages": False,  # ebooklib takes every element with epub:type and id for a page
        "epub2_guide": False,  # landmarks replace the EPUB 2 guide
        "landmark_title": ctx.labels["landmarks"],
        "mtime": modified,  # dcterms:modified, otherwise "now"
        "raise_exceptions": True,
    }
    writer = epub.EpubWriter(buffer, eb, options)
    writer.process()
    writer.write()
    data = buffer.getvalue()
    written = zipfile.ZipFile(io.BytesIO(data))
    nav_xml = written.read(NAV)
    if pages:
        nav_xml = with_page_list(nav_xml, page_list_nav(pages, ctx.labels["pages"]))
    ncx_xml = finish_ncx(written.read(NCX), docs.all(), pages, ctx.labels["pages"], page_count)
    return normalize_zip(data, modified, {NAV: nav_xml, NCX: ncx_xml})


def _metadata(
    eb: Any,
    book: Anthology,
    ctx: Context,
    docs: Documents,
    modified: dt.datetime,
    pages: list[tuple[str, str]] | None,
) -> None:
    m = book.meta
    title = clean(m.title) or ctx.labels["untitled"]
    derived = uuid.uuid5(uuid.NAMESPACE_URL, "essaypress:" + title)
    eb.set_identifier(clean(m.identifier) or f"urn:uuid:{derived}")
    eb.title = title
    eb.add_metadata("DC", "title", title, {"id": "title"})
    if clean(m.subtitle):
        eb.add_metadata("DC", "title", clean(m.subtitle), {"id": "subtitle"})
        _refine(eb, "title", "title-type", "main")
        _refine(eb, "subtitle", "title-type", "subtitle")
    eb.set_language(ctx.lang)
    for lang in dict.fromkeys(d.lang for d in docs.all()):
        if lang.lower() != ctx.lang.lower():
            eb.add_metadata("DC", "language", lang)
    editors = [clean(p.name) for p in m.editors if clean(p.name)]
    essays = (*book.front, *book.essays, *book.back)
    authors = [clean(p.name) for e in essays for p in e.meta.authors if clean(p.name)]
    authors = [a for a in dict.fromkeys(authors) if a not in editors]
    for i, name in enumerate(editors, 1):
        eb.add_metadata("DC", "creator", name, {"id": f"editor-{i}"})
        _refine(eb, f"editor-{i}", "role", "edt", scheme="marc:relators")
    kind = "contributor" if editors else "creator"
    for i, name in enumerate(authors, 1):
        eb.add_metadata("DC", kind, name, {"id": f"author-{i}"})
        _refine(eb, f"author-{i}", "role", "aut", scheme="marc:relators")
    if clean(m.publisher):
        eb.add_metadata("DC", "publisher", clean(m.publisher))
    date = m.date or modified.date().isoformat()
    if _DATE.match(date):
        eb.add_metadata("DC", "date", date)
    else:
        warn("epub-date", f"date {date!r} is not YYYY-MM-DD; left out of the EPUB", "anthology")
    if clean(m.description):
        eb.add_metadata("DC", "description", clean(m.description))
    if clean(m.rights):
        eb.add_metadata("DC", "rights", clean(m.rights))
    if pages:
        source = print_edition(m, ctx.labels["untitled"])
        eb.add_metadata("DC", "source", source, {"id": "print-source"})
        # EPUB 3.3's way (EPUBCheck 5.3 does not know EPUB Accessibility 1.1's
        # a11y:pageBreakSource yet: OPF-027)
        _refine(eb, "print-source", "source-of", "pagination")
    _accessibility(eb, docs, ctx.lang, bool(pages), clean(m.publisher) or "essaypress")


def print_edition(m: BookMeta, untitled: str) -> str:
    """The print edition the page numbers come from: its ISBN as a URN, else its title."""
    digits = "".join(c for c in m.isbn if c.isdigit() or c in "Xx")
    if len(digits) in (10, 13):
        return f"urn:isbn:{digits.upper()}"
    title = clean(m.title) or untitled
    return f"{title} ({clean(m.edition)})" if clean(m.edition) else title


_SUMMARY = {
    "zh-Hant": "本書為可重排文字，有目錄、標題結構與依閱讀順序排列的內容；註腳雙向連結。",
    "zh-Hans": "本书为可重排文字，有目录、标题结构与依阅读顺序排列的内容；脚注双向链接。",
    "en": "Reflowable text with a table of contents, headings and a logical reading order; "
    "footnotes are linked both ways.",
}
_SUMMARY_PAGES = {
    "zh-Hant": "頁碼標記與頁碼清單對應印刷版的頁碼。",
    "zh-Hans": "页码标记与页码列表对应印刷版的页码。",
    "en": "Page break markers and a page list match the print edition.",
}
_SUMMARY_ALT = {
    "zh-Hant": "每張圖片都有替代文字。",
    "zh-Hans": "每张图片都有替代文字。",
    "en": "Every image has a text alternative.",
}
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def _accessibility(eb: Any, docs: Documents, lang: str, pages: bool, certifier: str) -> None:
    """schema.org accessibility metadata, from what the documents really contain.

    The conformance statement is made only when it holds for this book: every
    image (the cover too) has a text alternative.
    """
    imgs = images(docs.all())
    alt = all(clean(i.get("alt", "")) for i in imgs)
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if pages:
        features += ["pageBreakMarkers", "pageNavigation", "printPageNumbers"]
    if imgs and alt:
        features.append("alternativeText")
    script = script_of(lang)
    summary = _SUMMARY[script]
    if pages:
        summary += (" " if script == "en" else "") + _SUMMARY_PAGES[script]
    if imgs and alt:
        summary += (" " if script == "en" else "") + _SUMMARY_ALT[script]
    values = {
        "accessMode": ["textual", "visual"] if imgs else ["textual"],
        "accessibilityFeature": features,
        "accessModeSufficient": ["textual"] + (["textual,visual"] if imgs else [])
        if alt
        else ["textual,visual"],
        "accessibilityHazard": ["none"],
        "accessibilitySummary": [summary],
    }
    for prop, items in values.items():
        for value in items:
            eb.add_metadata(None, "meta", value, {"property": f"schema:{prop}"})
    if alt:
        eb.add_metadata(None, "meta", CONFORMANCE, {"property": "dcterms:conformsTo"})
        eb.add_metadata(None, "meta", certifier, {"property": "a11y:certifiedBy"})


def _refine(eb: Any, ident: str, prop: str, value: str, scheme: str = "") -> None:
    attrs = {"refines": f"#{ident}", "property": prop} | ({"scheme": scheme} if scheme else {})
    eb.add_metadata(None, "meta", value, attrs)


def _toc(docs: Documents) -> list[Any]:
    """Front matter, then parts › essays › sections, then back matter (nav and NCX)."""
    entries = [Entry(d.title, d.name, d.sections) for d in docs.front if d.kind == "preface"]
    for head, essays in docs.body:
        items = [Entry(d.title, d.name, d.sections) for d in essays]
        if head is None:
            entries += items
        else:
            entries.append(Entry(head.title, head.name, items))
    entries += [Entry(d.title, d.name, d.sections) for d in docs.back]
    if not entries:  # a nav toc and an NCX navMap may not be empty
        first = next(d for d in docs.front if d.kind == "titlepage")
        entries = [Entry(first.title, first.name)]
    counter = iter(range(1, 1 << 30))

    def item(e: Entry) -> Any:
        if e.children:
            return (epub.Section(e.title, href=e.href), [item(c) for c in e.children])
        return epub.Link(e.href, e.title, f"nav-{next(counter)}")

    return [item(e) for e in entries]


def _landmarks(docs: Documents, ctx: Context) -> list[dict[str, str]]:
    front, body = docs.front, docs.body_docs()
    kinds = {d.kind: d for d in reversed(front)}  # the first of each kind
    marks = []
    if "cover" in kinds:
        marks.append({"type": "cover", "href": kinds["cover"].name, "title": ctx.labels["cover"]})
    marks += [
        {"type": "titlepage", "href": kinds["titlepage"].name, "title": ctx.labels["titlepage"]},
        {"type": "toc", "href": "nav.xhtml", "title": ctx.labels["toc"]},
    ]
    if "preface" in kinds:
        marks.append(
            {"type": "preface", "href": kinds["preface"].name, "title": kinds["preface"].title}
        )
    if body:
        marks.append({"type": "bodymatter", "href": body[0].name, "title": ctx.labels["body"]})
    if docs.back:
        marks.append({"type": "backmatter", "href": docs.back[0].name, "title": ctx.labels["back"]})
    return marks


def with_page_list(nav_xml: bytes, page_list: Any) -> bytes:
    """The navigation document with the page list after its table of contents."""
    root = etree.fromstring(nav_xml, etree.XMLParser(resolve_entities=False, no_network=True))
    toc = root.find(f".//{{{XHTML}}}nav")
    if toc is None:
        root[-1].append(page_list)  # the body
    else:
        toc.addnext(page_list)
        page_list.tail, toc.tail = toc.tail, "\n"
    out: bytes = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return out


def normalize_zip(data: bytes, when: dt.datetime, replace: dict[str, bytes] | None = None) -> bytes:
    """The same zip with ``mimetype`` first and stored, fixed timestamps and attributes.

    ``replace``: new contents for some entries (the navigation document).
    """
    replace = replace or {}
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        for name in ["mimetype", *(n for n in names if n != "mimetype")]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            stored = name == "mimetype" or name.endswith(".woff2")  # already compressed
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            content = replace[name] if name in replace else src.read(name)
            dst.writestr(info, content, compresslevel=None if stored else 9)
    return out.getvalue()
