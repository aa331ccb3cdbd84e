"""Turn an Anthology (and its layout) into one self-contained HTML page for a browser preview.

The page holds the whole book: title block, contents with links, the preface,
the parts and their essays (title, byline, body, footnotes), styled for screen
reading with the layout's EPUB stylesheet plus a small screen sheet, and a
script that polls ``/__version`` and reloads when the book changes, keeping the
reader's place. Images are served by the preview server under content-hashed
paths (``Page.assets``). Every text of the book is escaped (``writers/html.py``
escapes essays; ``q`` escapes the rest); the page's own script runs under a
per-page nonce, so the ``Content-Security-Policy`` of ``serve.py`` blocks any
other script even if escaping were ever wrong.

An error page is the same page with a banner (``file:line: what is wrong — hint``)
above the last book that read without errors, or above nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from .log import Diagnostic
from .model.nodes import Anthology, Essay, Resource
from .model.text import plain
from .options import Layout
from .writers.html import Flavor, essay_html, inline_html, q
from .writers.names import byline, edition_date, editors_line, script_of, signature

_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_TOC = {"zh-Hant": "目錄", "zh-Hans": "目录", "en": "Contents"}
_EXT = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}
_GENERIC = {"serif": "serif", "sans": "sans-serif"}
VERSION_PATH = "/__version"
ASSET_PREFIX = "/r/"


@dataclass(frozen=True)
class Asset:
    """Bytes the page refers to (an image), with the media type to serve them as."""

    media_type: str
    data: bytes


@dataclass(frozen=True)
class Page:
    """One rendering of the preview: the document, its version, its script nonce, its images."""

    html: bytes  # UTF-8
    version: str
    nonce: str  # the nonce of the page's <script> and <style> elements, for the CSP header
    assets: Mapping[str, Asset]  # URL path ("/r/<hash>.png") → bytes


def render_page(
    book: Anthology | None,
    layout: Layout | None,
    *,
    version: str,
    error: str = "",
    note: str = "",
    warnings: Sequence[Diagnostic] = (),
) -> Page:
    """The preview of ``book``; with ``error``, a banner says what is wrong above it.

    ``note`` says what the book below the banner is (default: the last version that
    read without errors). ``book`` is ``None`` when nothing has read without errors
    yet: the page is the banner alone.
    """
    nonce = secrets.token_urlsafe(16)
    assets: dict[str, Asset] = {}
    lang = _lang(book.meta.lang, "zh-Hant") if book else "en"
    title = book.meta.title if book else "essaypress"
    parts = [
        "<!DOCTYPE html>\n",
        f'<html lang="{q(lang)}" data-version="{q(version)}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{q(('⚠ ' if error else '') + title)} — preview</title>\n",
        f'<style nonce="{nonce}">\n{_style_text(layout_css(layout))}</style>\n',
        f'<style nonce="{nonce}">\n{SCREEN_CSS}{_font_css(layout)}</style>\n',
        f'</head>\n<body class="{"has-error" if error else "ok"}">\n',
        '<div id="essaypress-bar" data-state="idle" role="status" aria-live="polite">'
        '<span id="essaypress-status">preview</span></div>\n',
    ]
    if error:
        if not note:
            note = (
                "Below: the last version that read without errors."
                if book
                else "Nothing has read without errors yet."
            )
        parts.append(
            '<div id="essaypress-error" class="essaypress-error" role="alert">'
            f'<p class="essaypress-error-title">Error — fix it and save; the preview reloads.</p>'
            f'<pre class="essaypress-error-message">{q(error)}</pre>'
            f'<p class="essaypress-error-note">{q(note)}</p></div>\n'
        )
    if warnings:
        parts.append(_warnings_html(warnings))
    if book is not None:
        parts.append(_book_html(book, _Assets(book, assets)))
    parts.append(f'<script nonce="{nonce}">\n{RELOAD_JS}</script>\n</body>\n</html>\n')
    return Page("".join(parts).encode("utf-8"), version, nonce, assets)


def _book_html(book: Anthology, assets: _Assets) -> str:
    """The ``<main>`` element: title block, contents, preface, parts and essays, back matter."""
    book_lang = _lang(book.meta.lang, "zh-Hant")
    script = script_of(book_lang)
    m = book.meta
    head = [f'<header class="book lang-scope script-{script}" lang="{q(book_lang)}">\n']
    if m.cover is not None:
        head.append(f'<p class="cover"><img src="{q(assets.url(m.cover))}" alt=""></p>\n')
    head.append(f'<h1 class="book-title">{q(m.title)}</h1>\n')
    for cls, value in (
        ("book-subtitle", m.subtitle),
        ("editors", editors_line(m.editors, book_lang)),
        ("publisher", m.publisher),
        ("date", edition_date(m.date, book_lang)),
    ):
        if value.strip():
            head.append(f'<p class="{cls}">{q(value)}</p>\n')
    head.append("</header>\n")

    seen: set[str] = set()  # essay ids made unique within the page

    def ident(e: Essay, n: int) -> Essay:
        name = e.id if e.id and e.id not in seen else f"essay-{n}"
        seen.add(name)
        return replace(e, id=name)

    count = iter(range(1, 1_000_000))
    front = [ident(e, next(count)) for e in book.front]
    parts = [
        (p.id or f"part-{i}", p, [ident(e, next(count)) for e in p.essays])
        for i, p in enumerate(book.parts, 1)
    ]
    back = [ident(e, next(count)) for e in book.back]

    toc = [
        f'<nav id="essaypress-toc" class="toc lang-scope script-{script}" lang="{q(book_lang)}">'
        f'\n<h1 class="toc-title">{_TOC[script]}</h1>\n<ol>\n'
    ]
    toc += [_toc_entry(e, "toc-front", book_lang, assets) for e in front]
    body: list[str] = []
    for pid, p, essays in parts:
        titled = bool(plain(p.title).strip())
        if titled:
            title = inline_html(p.title, Flavor(notes="aside"), f"{pid}-t")
            toc.append(f'<li class="toc-part"><a href="#{q(pid)}">{title}</a></li>\n')
            body.append(
                f'<section class="part lang-scope script-{script}" id="{q(pid)}" '
                f'lang="{q(book_lang)}">\n<h1 class="part-title">{title}</h1>\n</section>\n'
            )
        kind = "toc-essay in-part" if titled else "toc-essay"
        toc += [_toc_entry(e, kind, book_lang, assets) for e in essays]
        body += [_essay(e, "body", book_lang, assets) for e in essays]
    toc += [_toc_entry(e, "toc-back", book_lang, assets) for e in back]
    toc.append("</ol>\n</nav>\n")
    front_html = [_essay(e, "front", book_lang, assets) for e in front]
    back_html = [_essay(e, "back", book_lang, assets) for e in back]
    return "".join(["<main>\n", *head, *toc, *front_html, *body, *back_html, "</main>\n"])


def _toc_entry(e: Essay, kind: str, book_lang: str, assets: _Assets) -> str:
    lang = _lang(e.meta.lang, book_lang)
    flavor = Flavor(notes="aside", resource_url=assets.resolver(e))
    title = inline_html(e.meta.title, flavor, f"{e.id}-toc") or q(e.id)
    names = signature(e.meta.authors, lang) if kind != "toc-front" else ""
    who = f' <span class="toc-authors">{q(names)}</span>' if names else ""
    return (
        f'<li class="{kind}" lang="{q(lang)}"><a href="#{q(e.id)}">'
        f'<span class="toc-text">{title}</span>{who}</a></li>\n'
    )


def _essay(e: Essay, kind: str, book_lang: str, assets: _Assets) -> str:
    """One essay as an ``<article>``: header, body, footnotes, and where it came from."""
    lang = _lang(e.meta.lang, book_lang)
    flavor = Flavor(notes="aside", resource_url=assets.resolver(e))
    out = essay_html(e, flavor)
    title = inline_html(e.meta.title, flavor, f"{e.id}-t") or q(e.id)
    html = [
        f'<article class="essay {kind} lang-scope script-{script_of(lang)}" id="{q(e.id)}" '
        f'lang="{q(lang)}">\n<header>\n'
        f'<h1 class="essay-title" id="{q(e.id)}-title">{title}</h1>\n'
    ]
    if e.meta.subtitle:
        subtitle = inline_html(e.meta.subtitle, flavor, f"{e.id}-st")
        html.append(f'<p class="subtitle">{subtitle}</p>\n')
    if e.meta.authors and kind != "front":
        html.append(f'<p class="byline">{q(byline(e.meta.authors, lang))}</p>\n')
    if e.source is not None:
        html.append(f'<p class="essaypress-source">{q(e.source.path)}</p>\n')
    html.append(f'</header>\n<div class="essay-body">\n{out.body}</div>\n')
    if e.meta.authors and kind == "front":
        html.append(f'<p class="signature">{q(signature(e.meta.authors, lang))}</p>\n')
    if out.notes:
        html.append(f'<div class="footnotes">\n{out.notes}</div>\n')
    html.append("</article>\n")
    return "".join(html)


class _Assets:
    """Images of the book, served under content-hashed paths that the page's ``<img>`` use."""

    def __init__(self, book: Anthology, served: dict[str, Asset]) -> None:
        essays = (*book.front, *book.essays, *book.back)
        self.any = {r.key: r for e in essays for r in e.resources}
        self.served = served

    def url(self, resource: Resource) -> str:
        digest = hashlib.sha256(resource.data).hexdigest()[:24]
        path = f"{ASSET_PREFIX}{digest}{_EXT.get(resource.media_type, '.bin')}"
        self.served[path] = Asset(resource.media_type, resource.data)
        return path

    def resolver(self, essay: Essay) -> Callable[[str], str]:
        own = {r.key: r for r in essay.resources}

        def resource_url(key: str) -> str:
            found = own.get(key) or self.any.get(key)
            return self.url(found) if found else f"{ASSET_PREFIX}missing"

        return resource_url


def _warnings_html(warnings: Sequence[Diagnostic]) -> str:
    counts = {s: sum(d.severity == s for d in warnings) for s in ("error", "warning", "info")}
    summary = ", ".join(f"{n} {s}{'s' if n > 1 else ''}" for s, n in counts.items() if n)
    items = "".join(f'<li class="{q(d.severity)}">{q(str(d))}</li>\n' for d in warnings)
    return (
        f'<details class="essaypress-warnings"><summary>{summary} '
        f"(as <code>essaypress check</code> reports them)</summary>\n<ul>\n{items}</ul>\n"
        "</details>\n"
    )


def layout_css(layout: Layout | None) -> str:
    """The layout's EPUB stylesheet, its ``html:lang(…)`` rules scoped to each essay instead.

    In an EPUB every essay is a document whose ``<html>`` carries its language; in
    the one-page preview each essay's ``<article class="lang-scope">`` carries it.
    """
    if layout is None:
        return ""
    path = layout.folder("epub") / "epub.css"
    try:
        css = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    css = re.sub(r"^\s*@charset[^;]*;", "", css)
    return re.sub(r"\bhtml:lang\(", ".lang-scope:lang(", css)


def _style_text(css: str) -> str:
    """CSS that cannot end its ``<style>`` element early."""
    return css.replace("</", "<\\/")


def _font_css(layout: Layout | None) -> str:
    """Font stacks from layout.toml per script: Latin faces first, as in the PDF."""
    if layout is None:
        return ""
    rules = []
    latin = layout.fonts_for("en")
    for script in ("zh-Hant", "zh-Hans", "en"):
        fonts = layout.fonts_for(script)
        for role in ("serif", "sans"):
            names = getattr(fonts, role)
            if script != "en":
                names = (*getattr(latin, role), *names)
            stack = ", ".join([*(_css_string(n) for n in names if _plain_name(n)), _GENERIC[role]])
            where = f".script-{script}" if role == "serif" else f".script-{script} :is(h1, h2, h3)"
            rules.append(f"{where} {{ font-family: {stack}; }}\n")
    return "".join(rules)


def _plain_name(name: str) -> bool:
    return bool(name) and all(c.isprintable() and c not in '<>"\\;{}' for c in name)


def _css_string(name: str) -> str:
    return f'"{name}"'


def _lang(tag: str, fallback: str) -> str:
    return tag if tag and _LANG.match(tag) else fallback


SCREEN_CSS = """\
:root { --ink: #1f1f1f; --paper: #fbfaf6; --muted: #6b6b6b; --rule: #ddd8cc; }
html { background: var(--paper); color: var(--ink); }
body { margin: 0; padding: 0 1.25rem 5rem; font-size: 1.125rem; line-height: 1.75; }
main { max-width: 36em; margin: 0 auto; }
.script-en { line-height: 1.6; hyphens: auto; -webkit-hyphens: auto; }
img { max-width: 100%; height: auto; }
header.book { text-align: center; padding: 3rem 0 2rem; }
header.book p { text-indent: 0; text-align: center; margin: .3em 0; }
header.book .cover img { max-height: 60vh; }
.book-title { font-size: 2em; margin: .5em 0 .3em; line-height: 1.3; }
nav.toc { border-top: 1px solid var(--rule); padding: 1rem 0; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li { margin: .25em 0; }
nav.toc a { color: inherit; text-decoration: none; }
nav.toc a:hover .toc-text { text-decoration: underline; }
nav.toc .toc-part { font-weight: bold; margin-top: .8em; }
nav.toc .in-part { padding-left: 1.5em; }
.toc-authors { color: var(--muted); font-size: .85em; margin-left: .6em; }
.toc-title { font-size: 1.3em; text-align: left; margin: 0 0 .5em; }
section.part { border-top: 3px double var(--rule); margin-top: 4rem; padding: 3rem 0 1rem; }
section.part h1.part-title { margin: 0; }
article.essay { border-top: 1px solid var(--rule); margin-top: 4rem; padding-top: 1rem; }
section.part + article.essay { border-top: 0; margin-top: 0; }
.essay-body p { margin: 0 0 .2em; }
.signature { text-align: right; text-indent: 0; margin-top: 1em; }
.essaypress-source { font: 12px/1.4 system-ui, sans-serif; color: var(--muted);
  text-align: center; text-indent: 0; margin: 0 0 1rem; }
.footnotes { font-size: .9em; }
:target { scroll-margin-top: 4rem; }
#essaypress-bar { position: fixed; right: .75rem; bottom: .75rem; z-index: 20;
  font: 12px/1.4 system-ui, sans-serif; color: #fff; background: #2e7d32;
  padding: .3em .8em; border-radius: 1em; opacity: .9; max-width: 60vw; }
#essaypress-bar[data-state="building"] { background: #8d6e00; }
#essaypress-bar[data-state="error"] { background: #b00020; }
#essaypress-bar[data-state="offline"] { background: #757575; }
.essaypress-error { position: sticky; top: 0; z-index: 10; margin: 0 -1.25rem 1rem;
  padding: .8rem 1.25rem; background: #b00020; color: #fff;
  font: 15px/1.5 system-ui, sans-serif; box-shadow: 0 2px 6px rgba(0,0,0,.3); }
.essaypress-error p { margin: 0; text-indent: 0; }
.essaypress-error-title { font-weight: bold; }
.essaypress-error-message { margin: .4em 0; white-space: pre-wrap; word-break: break-word;
  font: 14px/1.5 ui-monospace, Menlo, Consolas, monospace; }
.has-error main { opacity: .75; }
.essaypress-warnings { max-width: 36em; margin: 1rem auto; padding: .4em 1em;
  font: 13px/1.5 system-ui, sans-serif; background: #fff8e1; border: 1px solid #e6c65c; }
.essaypress-warnings ul { margin: .4em 0; padding-left: 1.2em; }
.essaypress-warnings li.error { color: #b00020; }
@media (min-width: 76em) {
  body { padding-left: 18rem; }
  nav.toc { position: fixed; top: 0; left: 0; width: 16rem; height: 100vh; overflow: auto;
    box-sizing: border-box; margin: 0; padding: 1.5rem 1rem; font-size: .85rem;
    border-top: 0; border-right: 1px solid var(--rule); background: var(--paper); }
}
"""

RELOAD_JS = """\
(function () {
  "use strict";
  var version = document.documentElement.getAttribute("data-version");
  var key = "essaypress-place";
  var bar = document.getElementById("essaypress-bar");
  var status = document.getElementById("essaypress-status");
  if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }
  function show(text, state) { status.textContent = text; bar.setAttribute("data-state", state); }
  function save() {
    var marks = document.querySelectorAll("main [id]"), best = null;
    for (var i = 0; i < marks.length; i++) {
      if (marks[i].getBoundingClientRect().top > 1) { break; }
      best = marks[i];
    }
    var place = {y: window.scrollY};
    if (best) { place.id = best.id; place.dy = -best.getBoundingClientRect().top; }
    try { sessionStorage.setItem(key, JSON.stringify(place)); } catch (e) { /* private mode */ }
  }
  var place = null;
  try { place = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { place = null; }
  function restore() {
    if (!place) { return; }
    var el = place.id ? document.getElementById(place.id) : null;
    var y = el ? el.getBoundingClientRect().top + window.scrollY + place.dy : place.y;
    window.scrollTo(0, y);
  }
  restore();
  window.addEventListener("load", function () {
    restore();
    place = null;
    try { sessionStorage.removeItem(key); } catch (e) { /* private mode */ }
  });
  function poll() {
    fetch("/__version", {cache: "no-store"}).then(function (r) { return r.json(); }).then(
      function (v) {
        show(v.status, v.state);
        if (v.version !== version) { save(); location.reload(); return; }
        setTimeout(poll, 500);
      },
      function () {
        show("the preview server stopped: run essaypress watch again", "offline");
        setTimeout(poll, 2000);
      });
  }
  setTimeout(poll, 500);
})();
"""
