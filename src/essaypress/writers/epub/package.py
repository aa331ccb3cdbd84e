"""Turn finished XHTML documents, images and metadata into EPUB zip bytes with ebooklib.

The only module that imports ebooklib. Its traps (libraries.md §3.1) and how
they are avoided here: documents are handed over finished (``_Page``), so
ebooklib neither re-parses them as HTML nor rebuilds their heads, nor fails on
an XML declaration or an empty body; every TOC entry has a title; the bogus
page-list is off (``epub3_pages``); there is no cover page, so no OPF-096; the
stylesheet is linked by the documents' own relative ``<link>``; the zip is
rewritten with fixed timestamps and ``mimetype`` first and stored.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
import zipfile
from typing import Any

from ebooklib import epub

from ...log import warn
from ...model.nodes import Anthology
from .documents import CSS_PATH, Context, Documents, Entry
from .finish import images, serialize
from .names import clean

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class _Page(epub.EpubHtml):  # type: ignore[misc]
    """An XHTML document that ebooklib writes exactly as given."""

    def get_content(self, default: bytes | None = None) -> bytes:
        content: bytes = self.content
        return content


def package(
    book: Anthology, docs: Documents, ctx: Context, css: bytes, modified: dt.datetime
) -> bytes:
    """The EPUB file: OPF metadata, manifest, spine, nav (toc and landmarks), NCX, documents."""
    eb = epub.EpubBook()
    _metadata(eb, book, ctx, docs, modified)
    eb.add_item(epub.EpubItem(uid="style", file_name=CSS_PATH, media_type="text/css", content=css))
    nav = epub.EpubNav(title=ctx.labels["toc"])
    nav.add_link(href=CSS_PATH, rel="stylesheet", type="text/css")
    eb.add_item(nav)
    eb.add_item(epub.EpubNcx())
    pages = []
    for doc in docs.all():
        page = _Page(uid=doc.uid, file_name=doc.name, title=doc.title, lang=doc.lang)
        page.content = serialize(doc)
        pages.append(eb.add_item(page))
    for i, (name, media_type, data) in enumerate(ctx.images.files.values(), 1):
        eb.add_item(
            epub.EpubImage(uid=f"img-{i}", file_name=name, media_type=media_type, content=data)
        )
    eb.spine = [pages[0], nav, *pages[1:]]
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
    return normalize_zip(buffer.getvalue(), modified)


def _metadata(
    eb: Any, book: Anthology, ctx: Context, docs: Documents, modified: dt.datetime
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
    _accessibility(eb, docs)


def _accessibility(eb: Any, docs: Documents) -> None:
    """schema.org accessibility metadata, from what the documents really contain."""
    imgs = images(docs.all())
    alt = all(clean(i.get("alt", "")) for i in imgs)
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    values = {
        "accessMode": ["textual", "visual"] if imgs else ["textual"],
        "accessibilityFeature": features + (["alternativeText"] if imgs and alt else []),
        "accessModeSufficient": ["textual" if alt else "textual,visual"],
        "accessibilityHazard": ["none"],
        "accessibilitySummary": [
            "Text with headings, a table of contents and footnotes linked both ways."
        ],
    }
    for prop, items in values.items():
        for value in items:
            eb.add_metadata(None, "meta", value, {"property": f"schema:{prop}"})


def _refine(eb: Any, ident: str, prop: str, value: str, scheme: str = "") -> None:
    attrs = {"refines": f"#{ident}", "property": prop} | ({"scheme": scheme} if scheme else {})
    eb.add_metadata(None, "meta", value, attrs)


def _toc(docs: Documents) -> list[Any]:
    """Front matter, then parts › essays › sections, then back matter (nav and NCX)."""
    entries = [Entry(d.title, d.name, d.sections) for d in docs.front[1:]]
    for head, essays in docs.body:
        items = [Entry(d.title, d.name, d.sections) for d in essays]
        if head is None:
            entries += items
        else:
            entries.append(Entry(head.title, head.name, items))
    entries += [Entry(d.title, d.name, d.sections) for d in docs.back]
    if not entries:  # a nav toc and an NCX navMap may not be empty
        entries = [Entry(docs.front[0].title, docs.front[0].name)]
    counter = iter(range(1, 1 << 30))

    def item(e: Entry) -> Any:
        if e.children:
            return (epub.Section(e.title, href=e.href), [item(c) for c in e.children])
        return epub.Link(e.href, e.title, f"nav-{next(counter)}")

    return [item(e) for e in entries]


def _landmarks(docs: Documents, ctx: Context) -> list[dict[str, str]]:
    front, body = docs.front, docs.body_docs()
    marks = [
        {"type": "titlepage", "href": front[0].name, "title": ctx.labels["titlepage"]},
        {"type": "toc", "href": "nav.xhtml", "title": ctx.labels["toc"]},
    ]
    if len(front) > 1:
        marks.append({"type": "preface", "href": front[1].name, "title": front[1].title})
    if body:
        marks.append({"type": "bodymatter", "href": body[0].name, "title": ctx.labels["body"]})
    if docs.back:
        marks.append({"type": "backmatter", "href": docs.back[0].name, "title": ctx.labels["back"]})
    return marks


def normalize_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with ``mimetype`` first and stored, fixed timestamps and attributes."""
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        for name in ["mimetype", *(n for n in names if n != "mimetype")]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            stored = name == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name), compresslevel=None if stored else 9)
    return out.getvalue()
