"""Turn an Anthology into print-ready PDF bytes with the layout's templates, its CSS and WeasyPrint.

The layout's ``pdf/`` folder owns everything visual: ``book.html.j2`` (the
book's structure, page geometry from ``layout.toml``) and ``book.css``
(typography). This module only gathers what the template needs, serves
images from memory and turns WeasyPrint's log into essaypress warnings.

Safety: the URL fetcher never touches the network. It serves the anthology's
resources (under ``RESOURCE_ORIGIN``) and files inside the layout's ``pdf/``
folder; everything else is refused with a warning.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote, unquote, urlsplit
from urllib.request import url2pathname

import weasyprint
from markupsafe import Markup
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .. import log
from ..model.nodes import Anthology, Attr, Essay, Person, Resource
from ..model.text import plain
from ..model.walk import query
from ..options import Layout, WriterOptions
from .html import Flavor, essay_html, inline_html
from .templates import render

TEMPLATE = "book.html.j2"
RESOURCE_ORIGIN = "https://essaypress.invalid/resource/"
_REFUSED = "essaypress refused"
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
class FontRule:
    """CSS font stacks for one language tag, already quoted for a style sheet."""

    lang: str
    serif: Markup
    sans: Markup


def write_pdf(book: Anthology, opts: WriterOptions) -> bytes:
    """The anthology as a PDF booklet, typeset with the layout in ``opts``."""
    html, resources = _book_html(book, opts)
    folder = opts.layout.folder("pdf")
    fetcher = SafeFetcher(resources, folder)
    with engine_warnings():
        document = weasyprint.HTML(string=html, base_url=folder.as_uri() + "/",
                                   url_fetcher=fetcher).render()  # fmt: skip
        pdf: bytes = document.write_pdf()
    return pdf


def book_html(book: Anthology, opts: WriterOptions) -> str:
    """The whole book as one HTML document, as WeasyPrint gets it (for tests and debugging)."""
    return _book_html(book, opts)[0]


# --------------------------------------------------------------- the document


def _book_html(book: Anthology, opts: WriterOptions) -> tuple[str, dict[str, _Served]]:
    book_lang = _lang_tag(book.meta.lang, "zh-Hant", "anthology.toml")
    served: dict[str, _Served] = {}
    counter = iter(range(1, 1_000_000))

    def view(essay: Essay) -> EssayView:
        n = next(counter)
        ident = essay.id or f"essay-{n}"
        lang = _lang_tag(essay.meta.lang, book_lang, essay.source or ident)
        own = {r.key: r for r in essay.resources}

        def resource_url(key: str) -> str:
            url = f"{RESOURCE_ORIGIN}{n}/{quote(key, safe='')}"
            served[url] = _Served(own.get(key) or _any_resource(book, key), key, essay)
            return url

        flavor = Flavor(notes="float", resource_url=resource_url)
        body = essay_html(replace(essay, id=ident), flavor)
        return EssayView(
            id=ident, lang=lang, script=_script(lang),
            title=Markup(inline_html(essay.meta.title, flavor, ident)),
            title_text=plain(essay.meta.title),
            subtitle=Markup(inline_html(essay.meta.subtitle, flavor, ident)),
            authors=essay.meta.authors,
            body=Markup(_ol_start(body.body)),
        )  # fmt: skip

    # a part title has no resources of its own: any image in it is refused
    no_files = Flavor(notes="float", resource_url=lambda key: f"{RESOURCE_ORIGIN}0/{quote(key)}")
    front = tuple(view(e) for e in book.front)
    parts = tuple(
        PartView(part.id or f"part-{i}", Markup(inline_html(part.title, no_files)),
                 plain(part.title), tuple(view(e) for e in part.essays))
        for i, part in enumerate(book.parts, 1)
    )  # fmt: skip
    back = tuple(view(e) for e in book.back)
    views = (*front, *(v for p in parts for v in p.essays), *back)
    html = render(
        opts.layout.folder("pdf"), TEMPLATE,
        book=book.meta, lang=book_lang, script=_script(book_lang),
        date=opts.date, created=opts.date,
        keywords=", ".join(_keywords(book)),
        page=_page(opts.layout), recto_openings=opts.layout.recto_openings,
        fonts=_font_rules(opts.layout, book, book_lang, {v.lang for v in views}),
        front=front, parts=parts, back=back,
    )  # fmt: skip
    return html, served


def _page(layout: Layout) -> dict[str, float]:
    """Page geometry in millimetres for the template's ``@page`` rules."""
    return {
        "width": layout.page_width_mm,
        "height": layout.page_height_mm,
        "top": layout.margin_top_mm,
        "bottom": layout.margin_bottom_mm,
        "inner": layout.margin_inner_mm,
        "outer": layout.margin_outer_mm,
        "content_height": layout.page_height_mm - layout.margin_top_mm - layout.margin_bottom_mm,
    }


def _script(lang: str) -> str:
    tag = lang.lower()
    if not tag.startswith("zh"):
        return "en"
    return "zh-Hans" if any(x in tag for x in ("hans", "cn", "sg", "my")) else "zh-Hant"


def _lang_tag(value: str, default: str, where: object) -> str:
    """A BCP 47-shaped language tag, or ``default`` (with a warning if ``value`` was malformed)."""
    if _LANG_TAG.fullmatch(value):
        return value
    if value:
        log.warn("pdf-lang", f"language tag {value!r} is not valid; using {default!r}", where)
    return default


def _keywords(book: Anthology) -> list[str]:
    seen: dict[str, None] = {}
    for essay in (*book.front, *book.essays, *book.back):
        for tag in essay.meta.tags:
            seen.setdefault(" ".join(tag.replace(",", " ").split()), None)
    return [k for k in seen if k]


def _css_string(name: str) -> str:
    """A font family name as a CSS string, safe inside a ``<style>`` element."""
    escaped = name.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + re.sub(r"[\x00-\x1f\x7f]", " ", escaped) + '"'


def _font_rules(layout: Layout, book: Anthology, book_lang: str,
                essay_langs: set[str]) -> tuple[FontRule, ...]:  # fmt: skip
    """Serif and sans stacks for every language used: Latin faces first, then the script's own."""
    langs = {book_lang, *essay_langs}
    for essay in (*book.front, *book.essays, *book.back):
        for attr in query(essay.blocks, Attr):
            langs.update(v for k, v in attr.kv if k == "lang" and _LANG_TAG.fullmatch(v))
    latin, home = layout.fonts_for("en"), layout.fonts_for(book_lang)
    rules = []
    for lang in sorted(langs, key=lambda t: (len(t), t)):  # longer tags win: they come later
        own = layout.fonts_for(lang)
        serif = _dedupe((*latin.serif, *own.serif, *home.serif))
        sans = _dedupe((*latin.sans, *own.sans, *home.sans))
        rules.append(
            FontRule(
                lang,
                Markup(", ".join([*map(_css_string, serif), "serif"])),
                Markup(", ".join([*map(_css_string, sans), "sans-serif"])),
            )
        )
    return tuple(rules)


def _dedupe(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _ol_start(html: str) -> str:
    """WeasyPrint ignores ``<ol start>``: express it as the list-item counter's start value."""
    return _OL_START.sub(
        lambda m: f'<ol {m[1]}start="{m[2]}" style="counter-reset: list-item {int(m[2]) - 1}"',
        html,
    )


# ----------------------------------------------------------------- resources


@dataclass(frozen=True)
class _Served:
    resource: Resource | None
    key: str
    essay: Essay


def _any_resource(book: Anthology, key: str) -> Resource | None:
    for essay in (*book.front, *book.essays, *book.back):
        for r in essay.resources:
            if r.key == key:
                return r
    return None


class SafeFetcher(URLFetcher):  # type: ignore[misc]
    """Serve the anthology's images from memory and the layout's ``pdf/`` files; refuse the rest."""

    def __init__(self, resources: dict[str, _Served], folder: Path) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self._resources = resources
        self._root = folder.resolve()
        self._warned: set[str] = set()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith(RESOURCE_ORIGIN):
            served = self._resources.get(url)
            if served is not None and served.resource is not None:
                r = served.resource
                return URLFetcherResponse(url, r.data, {"Content-Type": r.media_type})
            key = served.key if served else unquote(url.rsplit("/", 1)[-1])
            where = (served.essay.source or served.essay.id) if served else None
            self._refuse(url, f"image {key[:200]!r} is not among the essay's files; "
                              "it is left out of the PDF", where)  # fmt: skip
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.is_relative_to(self._root) and path.is_file():
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
        self._refuse(url, f"not loaded: {url[:200]} — the PDF reads only the essays' images "
                          f"and files inside the layout's folder {self._root}", None)  # fmt: skip

    def _refuse(self, url: str, message: str, where: object) -> NoReturn:
        if url not in self._warned:
            self._warned.add(url)
            log.warn("pdf-url-refused", message, where)
        raise ValueError(f"{_REFUSED} {url[:200]}")


# ------------------------------------------------------------------ warnings


class _EngineHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if _REFUSED in message:  # already reported, with its location, by SafeFetcher
            return
        log.warn("pdf-engine", message.splitlines()[0] if message else record.levelname)


@contextmanager
def engine_warnings() -> Iterator[None]:
    """Turn WeasyPrint's WARNING+ log records into ``pdf-engine`` warnings while rendering."""
    logger = logging.getLogger("weasyprint")
    handler = _EngineHandler(logging.WARNING)
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


__all__ = ["RESOURCE_ORIGIN", "SafeFetcher", "book_html", "engine_warnings", "write_pdf"]
