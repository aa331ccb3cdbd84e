"""Turn the title page, front matter, part titles and essays into XHTML from layout templates."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from markupsafe import Markup

from ...log import warn
from ...model.nodes import Anthology, Essay, Inline, Part
from ...model.text import plain
from ...options import WriterOptions
from ..html import Flavor, essay_html, inline_html, q
from ..names import byline, edition_date, editors_line, join_names, script_of
from ..templates import render
from .cover import make_cover
from .images import Images
from .names import LABELS, Names, clean, ncname, xml_safe

CSS_PATH = "style/epub.css"
Matter = Literal["frontmatter", "bodymatter", "backmatter"]
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass
class Entry:
    """A line of the table of contents."""

    title: str
    href: str
    children: list[Entry] = field(default_factory=list)


@dataclass
class Doc:
    """One XHTML document of the book, from template text to a checked tree."""

    name: str  # path inside EPUB/, e.g. "text/kiln.xhtml"
    title: str  # plain text: <title>, nav, NCX
    lang: str
    xhtml: str
    where: str  # for warnings
    kind: str = "chapter"  # cover, titlepage, colophon, preface, part, chapter, back
    essay: int | None = None  # index in (*front, *body essays, *back): for the page map
    tree: Any = None  # lxml ElementTree, set by finish.check
    sections: list[Entry] = field(default_factory=list)

    @property
    def uid(self) -> str:
        return "doc-" + posixpath.splitext(posixpath.basename(self.name))[0]


@dataclass
class Documents:
    """The documents in reading order: cover, title page, colophon, front matter, parts, back."""

    front: list[Doc]
    body: list[tuple[Doc | None, list[Doc]]]  # (part title page or None, its essays)
    back: list[Doc]

    def all(self) -> list[Doc]:
        return [*self.front, *self.body_docs(), *self.back]

    def body_docs(self) -> list[Doc]:
        return [d for head, essays in self.body for d in ([head] if head else []) + essays]


class Context:
    """What every document needs: the layout folder, file names, images and the book's language."""

    def __init__(self, book: Anthology, opts: WriterOptions) -> None:
        self.folder = opts.layout.folder("epub")
        self.lang = lang_tag(book.meta.lang, "und", "anthology")
        self.labels = LABELS[script_of(self.lang)]
        self.names = Names()
        self.date = opts.date
        self.images = Images(book, self.names)

    def render(
        self, template: str, name: str, *, lang: str, title: str, matter: Matter, **context: Any
    ) -> str:
        css_href = posixpath.relpath(CSS_PATH, posixpath.dirname(name))
        return xml_safe(
            render(
                self.folder,
                template,
                lang=lang,
                title=title,
                css_href=css_href,
                matter=matter,
                **context,
            )
        )


def lang_tag(tag: str, fallback: str, where: str) -> str:
    """``tag`` if it is a well-formed BCP 47 tag (EPUBCheck insists), else ``fallback``."""
    if not tag:
        return fallback
    if _LANG.match(tag):
        return tag
    warn("epub-lang", f"language {tag!r} is not a BCP 47 tag such as zh-Hant or en", where)
    return fallback


def documents(book: Anthology, ctx: Context) -> Documents:
    """Every document of the book, rendered; essays are numbered for fallback ids."""
    title = titlepage(book, ctx)
    front = [*cover_page(book, ctx), title, colophon(book, ctx)]
    front += [essay(e, i, "preface.xhtml", "frontmatter", ctx) for i, e in enumerate(book.front, 1)]
    count = len(book.front)
    body: list[tuple[Doc | None, list[Doc]]] = []
    for n, p in enumerate(book.parts, 1):
        head = part(p, n, ctx) if plain(p.title).strip() else None
        essays = [
            essay(e, count + i, "essay.xhtml", "bodymatter", ctx) for i, e in enumerate(p.essays, 1)
        ]
        count += len(p.essays)
        body.append((head, essays))
    back = [
        essay(e, count + i, "essay.xhtml", "backmatter", ctx) for i, e in enumerate(book.back, 1)
    ]
    return Documents(front, body, back)


def titlepage(book: Anthology, ctx: Context) -> Doc:
    m = book.meta
    title = clean(m.title) or ctx.labels["untitled"]
    fields = {
        "title": title,
        "subtitle": m.subtitle,
        "editors_line": editors_line(m.editors, ctx.lang),
        "publisher": m.publisher,
        "date": edition_date(m.date, ctx.lang),
    }
    name = ctx.names.claim("text/titlepage", ".xhtml")
    xhtml = ctx.render(
        "titlepage.xhtml", name, lang=ctx.lang, title=title, matter="frontmatter", book=fields
    )
    return Doc(name, title, ctx.lang, xhtml, "title page", kind="titlepage")


def cover_page(book: Anthology, ctx: Context) -> list[Doc]:
    """The cover as a page of its own (the image is ``ctx.images.cover``), or none."""
    make_cover(book.meta, ctx.folder, ctx.lang, ctx.labels["untitled"], ctx.images)
    if ctx.images.cover is None:
        return []
    name = ctx.names.claim("text/cover", ".xhtml")
    title = clean(book.meta.title) or ctx.labels["untitled"]
    src = posixpath.relpath(ctx.images.cover[0], posixpath.dirname(name))
    xhtml = ctx.render(
        "cover.xhtml",
        name,
        lang=ctx.lang,
        title=ctx.labels["cover"],
        matter="frontmatter",
        cover={"src": src, "alt": title},
    )
    return [Doc(name, ctx.labels["cover"], ctx.lang, xhtml, "cover", kind="cover")]


def colophon(book: Anthology, ctx: Context) -> Doc:
    """The copyright page: title, editors, publisher, date, edition, ISBN, rights."""
    m = book.meta
    labels = ctx.labels
    rows = [(labels["title"], clean(m.title) or labels["untitled"])]
    if clean(m.subtitle):
        rows[0] = (labels["title"], f"{rows[0][1]} {clean(m.subtitle)}")
    names = join_names((p.name for p in m.editors), ctx.lang)
    rows += [(labels["editors"], names)] if clean(names) else []
    rows += [(labels["publisher"], clean(m.publisher))] if clean(m.publisher) else []
    date = edition_date(m.date or ctx.date, ctx.lang)
    rows += [(labels["date"], clean(date))] if clean(date) else []
    rows += [(labels["edition"], clean(m.edition))] if clean(m.edition) else []
    rows += [("ISBN", clean(m.isbn))] if clean(m.isbn) else []
    name = ctx.names.claim("text/colophon", ".xhtml")
    xhtml = ctx.render(
        "colophon.xhtml",
        name,
        lang=ctx.lang,
        title=labels["colophon"],
        matter="frontmatter",
        rows=rows,
        rights=clean(m.rights),
    )
    return Doc(name, labels["colophon"], ctx.lang, xhtml, "colophon", kind="colophon")


def part(p: Part, n: int, ctx: Context) -> Doc:
    anchor = ncname(p.id, f"part-{n}")
    name = ctx.names.claim(f"text/{anchor}", ".xhtml")
    text = clean(plain(p.title))
    xhtml = ctx.render(
        "part.xhtml",
        name,
        lang=ctx.lang,
        title=text,
        matter="bodymatter",
        anchor=anchor,
        part={"title": _inline(p.title, f"{anchor}-t")},
    )
    return Doc(name, text, ctx.lang, xhtml, f"part {text!r}", kind="part")


def essay(e: Essay, n: int, template: str, matter: Matter, ctx: Context) -> Doc:
    anchor = ncname(e.id, f"essay-{n}")
    name = ctx.names.claim(f"text/{anchor}", ".xhtml")
    where = str(e.source) if e.source else anchor
    lang = lang_tag(e.meta.lang, ctx.lang, where)
    resource_url = ctx.images.resolver(e, posixpath.dirname(name), where)
    out = essay_html(
        replace(e, id=anchor), Flavor(notes="aside", epub=True, resource_url=resource_url)
    )
    title, title_html = clean(plain(e.meta.title)), _inline(e.meta.title, f"{anchor}-t")
    if not title:
        title = LABELS[script_of(lang)]["untitled"]
        title_html = Markup(q(title))
        warn("epub-untitled", f"essay has no title; the EPUB calls it {title!r}", where)
    fields = {
        "title": title_html,
        "subtitle": _inline(e.meta.subtitle, f"{anchor}-st"),
        "byline": byline(e.meta.authors, lang),
        "authors": [{"name": p.name, "affiliation": p.affiliation} for p in e.meta.authors],
        "body": Markup(out.body),
        "notes": Markup(out.notes),
    }
    script = "en" if script_of(lang) == "en" else "zh"
    xhtml = ctx.render(
        template,
        name,
        lang=lang,
        title=title,
        matter=matter,
        anchor=anchor,
        script=script,
        essay=fields,
    )
    kind = {"frontmatter": "preface", "bodymatter": "chapter", "backmatter": "back"}[matter]
    return Doc(name, title, lang, xhtml, where, kind=kind, essay=n - 1)


def _inline(content: tuple[Inline, ...], prefix: str) -> Markup:
    return Markup(inline_html(content, Flavor(notes="aside", epub=True), prefix))
