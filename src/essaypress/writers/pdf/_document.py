"""Turn an Anthology into the one HTML document the layout's ``book.html.j2`` makes of it.

This gathers what the template needs (essays as HTML, parts, contributors,
fonts, page geometry, print settings) and decides which URLs serve which
resources; the template decides the book's structure and the CSS its looks.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from ... import log
from ...errors import UsageError
from ...model.nodes import Anthology, Attr, Essay, Person, Resource
from ...model.text import plain
from ...model.walk import query
from ...options import Layout, WriterOptions
from ..html import Flavor, essay_html, inline_html
from ..names import byline_parts, edition_date, editors_line, join_names, script_of
from ..templates import render
from ._fetch import RESOURCE_ORIGIN, Served
from ._fonts import FontFace, FontRule, font_setup, is_cjk_lang
from ._prepare import prepare_blocks

TEMPLATE = "book.html.j2"
_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_OL_START = re.compile(r'<ol ([^>]*?)start="(-?\d+)"')


@dataclass(frozen=True)
class EssayView:
    """One essay as the template sees it: HTML fragments are ``Markup``, the rest plain text."""

    id: str
    lang: str
    script: str  # "zh-Hant", "zh-Hans" or "en": picks labels and the byline format
    title: Markup
    title_text: str
    subtitle: Markup
    authors: tuple[Person, ...]
    body: Markup


@dataclass(frozen=True)
class PartView:
    id: str
    title: Markup  # empty: the part has no title page
    title_text: str
    essays: tuple[EssayView, ...]


@dataclass(frozen=True)
class ContributorView:
    """One entry of the contributors index: a person and the essays they wrote."""

    name: str
    affiliation: str
    essays: tuple[EssayView, ...]


@dataclass(frozen=True)
class ProofView:
    """The one essay of a proof (``proof`` in the template), as the book would place it."""

    essay: EssayView
    kind: str  # "front", "body" or "back", as the template's essay macro takes it
    in_part: bool  # a body essay in a part with a title page
    first_page: int  # the folio of its first page; an even one is a left-hand page


@dataclass(frozen=True)
class Document:
    html: str
    resources: dict[str, Served]
    folders: tuple[Path, ...]  # the layout's pdf/ folder, then those of the layouts it extends
    font_files: frozenset[Path]


def pdf_folders(layout: Layout) -> tuple[Path, ...]:
    """The ``pdf/`` folders of a layout and of the layouts it extends, nearest first."""
    found: list[Path] = []
    current: Layout | None = layout
    while current is not None:
        folder = current.folder("pdf")
        if folder.is_dir() and folder not in found:
            found.append(folder)
        current = current.parent
    return tuple(found) or (layout.folder("pdf"),)


def build_document(
    book: Anthology, opts: WriterOptions, *, proof: tuple[str, int] | None = None
) -> Document:
    """The book's HTML; with ``proof=(essay id, first page)`` only that essay's pages.

    A proof is the same template and styles with ``proof`` set: the template
    leaves out everything but the essay, numbers its first page ``first page``
    and puts it on the same side as the book does; the fonts are the whole
    book's. An essay id not in the book is a ``UsageError``.
    """
    book_lang = _lang_tag(book.meta.lang, "zh-Hant", "anthology.toml")
    served: dict[str, Served] = {}
    counter = iter(range(1, 1_000_000))

    def view(essay: Essay) -> EssayView:
        n = next(counter)
        ident = essay.id or f"essay-{n}"
        lang = _lang_tag(essay.meta.lang, book_lang, essay.source or ident)
        own = {r.key: r for r in essay.resources}

        def resource_url(key: str) -> str:
            url = f"{RESOURCE_ORIGIN}{n}/{quote(key, safe='')}"
            served[url] = Served(own.get(key) or _any_resource(book, key), key, essay)
            return url

        flavor = Flavor(notes="float", resource_url=resource_url)
        blocks = prepare_blocks(essay.blocks, is_cjk_lang(lang))
        body = essay_html(replace(essay, id=ident, blocks=blocks), flavor)
        return EssayView(
            id=ident,
            lang=lang,
            script=script_of(lang),
            title=Markup(inline_html(essay.meta.title, flavor, ident)),
            title_text=plain(essay.meta.title),
            subtitle=Markup(inline_html(essay.meta.subtitle, flavor, ident)),
            authors=essay.meta.authors,
            body=Markup(_ol_start(body.body)),
        )

    proof_view: ProofView | None = None
    if proof is None:
        # a part title has no resources of its own: any image in it is refused
        no_files = Flavor(
            notes="float", resource_url=lambda key: f"{RESOURCE_ORIGIN}0/{quote(key)}"
        )
        front = tuple(view(e) for e in book.front)
        parts = tuple(
            PartView(
                part.id or f"part-{i}",
                Markup(inline_html(part.title, no_files)),
                plain(part.title),
                tuple(view(e) for e in part.essays),
            )
            for i, part in enumerate(book.parts, 1)
        )
        back = tuple(view(e) for e in book.back)
    else:
        n, kind, in_part, essay = _find_essay(book, proof[0])
        counter = iter(range(n, n + 1))  # its resource URLs are the book's
        proof_view = ProofView(view(essay), kind, in_part, proof[1])
        front, parts, back = (), (), ()
    cover = ""
    if book.meta.cover is not None:
        cover = f"{RESOURCE_ORIGIN}cover/{quote(book.meta.cover.key, safe='')}"
        served[cover] = Served(book.meta.cover, book.meta.cover.key, None)
    fonts = font_setup(opts.layout, _langs(book, book_lang), book_lang)
    folders = pdf_folders(opts.layout)
    template_folder = next((f for f in folders if (f / TEMPLATE).is_file()), folders[0])
    html = render(
        template_folder,
        TEMPLATE,
        book=book.meta,
        lang=book_lang,
        script=script_of(book_lang),
        date=opts.date,
        created=opts.date,
        keywords=", ".join(_keywords(book)),
        page=page_geometry(opts.layout),
        recto_openings=opts.layout.recto_openings,
        print=_print_settings(opts),
        cover=cover,
        fonts=fonts.rules,
        font_faces=fonts.faces,
        front=front,
        parts=parts,
        back=back,
        contributors=contributors(tuple(v for p in parts for v in p.essays), book_lang),
        join_names=join_names,
        byline_parts=byline_parts,
        editors_line=editors_line,
        edition_date=edition_date,
        proof=proof_view,
    )
    return Document(html, served, folders, fonts.files)


def essay_number(book: Anthology, ident: str) -> int:
    """The place of essay ``ident`` in reading order (front, parts, back), from 1."""
    return _find_essay(book, ident)[0]


def _find_essay(book: Anthology, ident: str) -> tuple[int, str, bool, Essay]:
    """The essay called ``ident``: its number in reading order (from 1), its kind, whether it
    is in a part with a title page, and the essay; a ``UsageError`` listing the ids if none is."""
    placed = [("front", False, e) for e in book.front]
    for part in book.parts:
        placed += [("body", bool(part.title), e) for e in part.essays]
    placed += [("back", False, e) for e in book.back]
    ids = [essay.id or f"essay-{n}" for n, (_, _, essay) in enumerate(placed, 1)]
    if ident not in ids:
        close = difflib.get_close_matches(ident, ids, n=3)
        some = ", ".join(close or ids[:8]) + ("" if close or len(ids) <= 8 else ", …")
        hint = f"did you mean {some}?" if close else f"the essays are {some or '(none)'}"
        raise UsageError(f"no essay {ident!r} in the book", hint=hint)
    n = ids.index(ident)
    return (n + 1, *placed[n])


def page_geometry(layout: Layout) -> dict[str, float]:
    """Page geometry in millimetres for the template's ``@page`` rules."""
    return {
        "width": layout.page_width_mm,
        "height": layout.page_height_mm,
        "top": layout.margin_top_mm,
        "bottom": layout.margin_bottom_mm,
        "inner": layout.margin_inner_mm,
        "outer": layout.margin_outer_mm,
        "content_height": layout.page_height_mm - layout.margin_top_mm - layout.margin_bottom_mm,
        "content_width": layout.page_width_mm - layout.margin_inner_mm - layout.margin_outer_mm,
    }


def _print_settings(opts: WriterOptions) -> dict[str, object]:
    marks = " ".join(m for m in opts.pdf.marks if m in ("crop", "cross"))
    return {"bleed_mm": max(0.0, float(opts.pdf.bleed_mm)), "marks": marks or "none"}


def contributors(essays: tuple[EssayView, ...], book_lang: str) -> tuple[ContributorView, ...]:
    """Every author of the body's essays with their essays: by surname in English, else in order."""
    found: dict[str, tuple[str, list[EssayView]]] = {}
    for essay in essays:
        for person in essay.authors:
            name = person.name.strip()
            if not name:
                continue
            _, written = found.setdefault(name, (person.affiliation, []))
            if essay not in written:
                written.append(essay)
    entries = [ContributorView(n, a, tuple(w)) for n, (a, w) in found.items()]
    if script_of(book_lang) == "en":
        entries.sort(key=lambda c: (c.name.split()[-1].casefold(), c.name.casefold()))
    return tuple(entries)


def _lang_tag(value: str, default: str, where: object) -> str:
    """A BCP 47-shaped language tag, or ``default`` (with a warning if ``value`` was malformed)."""
    if _LANG_TAG.fullmatch(value):
        return value
    if value:
        log.warn("pdf-lang", f"language tag {value!r} is not valid; using {default!r}", where)
    return default


def _langs(book: Anthology, book_lang: str) -> set[str]:
    """The language tags of the whole book (a proof's fonts are the book's)."""
    everything = (*book.front, *book.essays, *book.back)
    langs = {e.meta.lang if _LANG_TAG.fullmatch(e.meta.lang) else book_lang for e in everything}
    for essay in everything:
        for attr in query(essay.blocks, Attr):
            langs.update(v for k, v in attr.kv if k == "lang" and _LANG_TAG.fullmatch(v))
    return langs


def _keywords(book: Anthology) -> list[str]:
    seen: dict[str, None] = {}
    for essay in (*book.front, *book.essays, *book.back):
        for tag in essay.meta.tags:
            seen.setdefault(" ".join(tag.replace(",", " ").split()), None)
    return [k for k in seen if k]


def _ol_start(html: str) -> str:
    """WeasyPrint ignores ``<ol start>``: express it as the list-item counter's start value."""
    return _OL_START.sub(
        lambda m: f'<ol {m[1]}start="{m[2]}" style="counter-reset: list-item {int(m[2]) - 1}"',
        html,
    )


def _any_resource(book: Anthology, key: str) -> Resource | None:
    for essay in (*book.front, *book.essays, *book.back):
        for r in essay.resources:
            if r.key == key:
                return r
    return None


__all__ = [
    "ContributorView",
    "Document",
    "EssayView",
    "FontFace",
    "FontRule",
    "PartView",
    "ProofView",
    "build_document",
    "contributors",
    "essay_number",
    "page_geometry",
    "pdf_folders",
    "script_of",
]
