"""Turn model nodes into HTML fragments: the one translator shared by the PDF and EPUB writers.

The output is also well-formed XHTML (void elements self-closed, everything
escaped), so the EPUB writer can use it as is. Two things differ by flavour:
footnotes (``float``: the note's text sits inline in a ``span.fn`` for CSS
``float: footnote``; ``aside``: a numbered ``noteref`` link and an
``<aside epub:type="footnote">`` after the essay) and the ``epub:type``
attributes.

Coverage: every node type of ``model.nodes`` (dispatch is exhaustive).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from typing import Literal, assert_never
from urllib.parse import urlsplit

from ..model.nodes import (
    Attr,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Div,
    Emph,
    Essay,
    Figure,
    Heading,
    HorizontalRule,
    Image,
    Inline,
    LineBlock,
    LineBreak,
    Link,
    Note,
    OrderedList,
    Para,
    SmallCaps,
    SoftBreak,
    Span,
    Str,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    TableRow,
    Underline,
)
from ..model.text import plain, plain_blocks

NoteStyle = Literal["float", "aside"]
SAFE_SCHEMES = frozenset({"http", "https", "mailto", ""})
_LIST_TYPES = {
    "decimal": "1",
    "lower-alpha": "a",
    "upper-alpha": "A",
    "lower-roman": "i",
    "upper-roman": "I",
    "cjk": "1",
}


@dataclass(frozen=True, kw_only=True)
class Flavor:
    """How the HTML is meant to be used."""

    notes: NoteStyle
    epub: bool = False
    resource_url: Callable[[str], str] = lambda key: key


@dataclass
class _Context:
    flavor: Flavor
    prefix: str
    heading_offset: int
    notes: list[str] = field(default_factory=list)
    headings: int = 0


@dataclass(frozen=True)
class EssayHtml:
    """An essay's body as HTML, its notes (for ``aside`` flavour) and its section headings."""

    body: str
    notes: str
    note_count: int


def q(text: str) -> str:
    """Escape text for an HTML/XHTML attribute or element."""
    return escape(text, quote=True)


def attrs(attr: Attr, *, extra_classes: Iterable[str] = ()) -> str:
    """An ``Attr`` as HTML attributes (with a leading space), or ``""``."""
    out = []
    if attr.id:
        out.append(f' id="{q(attr.id)}"')
    classes = [*extra_classes, *attr.classes]
    if classes:
        out.append(f' class="{q(" ".join(classes))}"')
    for key, value in attr.kv:
        if key in ("lang", "title", "dir") or key.startswith("data-"):
            out.append(f' {q(key)}="{q(value)}"')
        if key == "lang":
            out.append(f' xml:lang="{q(value)}"')
    return "".join(out)


def safe_url(url: str) -> str:
    """The URL if its scheme is harmless for a link, else ``""``."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in SAFE_SCHEMES else ""


def essay_html(essay: Essay, flavor: Flavor, *, heading_offset: int = 1) -> EssayHtml:
    """The body of one essay; its sections start at ``<h{1 + heading_offset}>``."""
    ctx = _Context(flavor, essay.id or "essay", heading_offset)
    body = blocks_html(essay.blocks, ctx)
    return EssayHtml(body, "".join(ctx.notes), len(ctx.notes))


def inline_html(content: Iterable[Inline], flavor: Flavor, prefix: str = "x") -> str:
    """Inlines outside an essay body (titles, captions); notes are dropped."""
    ctx = _Context(flavor, prefix, 1)
    return _inlines(tuple(i for i in content if not isinstance(i, Note)), ctx)


def blocks_html(blocks: Iterable[Block], ctx: _Context) -> str:
    return "".join(_block(b, ctx) for b in blocks)


def _block(b: Block, ctx: _Context) -> str:
    match b:
        case Para(content=c):
            return f"<p>{_inlines(c, ctx)}</p>\n"
        case Heading(level=n, content=c, attr=a):
            ctx.headings += 1
            level = min(6, n + ctx.heading_offset)
            ident = a.id or f"{ctx.prefix}-s{ctx.headings}"
            return f"<h{level}{attrs(Attr(ident, a.classes, a.kv))}>{_inlines(c, ctx)}</h{level}>\n"
        case BlockQuote(blocks=bs):
            return f"<blockquote>\n{blocks_html(bs, ctx)}</blockquote>\n"
        case BulletList(items=items):
            lis = "".join(f"<li>{_item(i, ctx)}</li>\n" for i in items)
            return f"<ul>\n{lis}</ul>\n"
        case OrderedList(items=items, start=start, style=style):
            lis = "".join(f"<li>{_item(i, ctx)}</li>\n" for i in items)
            start_attr = f' start="{start}"' if start != 1 else ""
            cls = ' class="cjk"' if style == "cjk" else ""
            return f'<ol type="{_LIST_TYPES[style]}"{start_attr}{cls}>\n{lis}</ol>\n'
        case LineBlock(lines=lines):
            inner = "".join(
                f'<span class="line">{_inlines(line, ctx)}</span><br/>\n' for line in lines
            )
            return f'<div class="verse">\n{inner}</div>\n'
        case CodeBlock(text=t, attr=a):
            return f"<pre{attrs(a)}><code>{q(t)}</code></pre>\n"
        case Figure(image=img, caption=cap, attr=a):
            caption = f"<figcaption>{_inlines(cap, ctx)}</figcaption>" if cap else ""
            return f"<figure{attrs(a)}>{_image(img, ctx)}{caption}</figure>\n"
        case Table(head=head, body=body, caption=cap, attr=a):
            caption = f"<caption>{_inlines(cap, ctx)}</caption>\n" if cap else ""
            thead = f"<thead>\n{_rows(head, 'th', ctx)}</thead>\n" if head else ""
            return (
                f"<table{attrs(a)}>\n{caption}{thead}"
                f"<tbody>\n{_rows(body, 'td', ctx)}</tbody>\n</table>\n"
            )
        case HorizontalRule():
            return '<hr class="scene-break"/>\n'
        case Div(blocks=bs, attr=a):
            return f"<div{attrs(a)}>\n{blocks_html(bs, ctx)}</div>\n"
        case _:
            assert_never(b)


def _item(blocks: tuple[Block, ...], ctx: _Context) -> str:
    if len(blocks) == 1 and isinstance(blocks[0], Para):
        return _inlines(blocks[0].content, ctx)  # tight item
    return blocks_html(blocks, ctx)


def _rows(rows: tuple[TableRow, ...], tag: str, ctx: _Context) -> str:
    out = []
    for row in rows:
        cells = []
        for cell in row.cells:
            span = ""
            if cell.colspan > 1:
                span += f' colspan="{cell.colspan}"'
            if cell.rowspan > 1:
                span += f' rowspan="{cell.rowspan}"'
            if cell.align != "default":
                span += f' class="align-{cell.align}"'
            cells.append(f"<{tag}{span}>{_item(cell.blocks, ctx)}</{tag}>")
        out.append(f"<tr>{''.join(cells)}</tr>\n")
    return "".join(out)


def _image(img: Image, ctx: _Context) -> str:
    title = f' title="{q(img.title)}"' if img.title else ""
    src = q(ctx.flavor.resource_url(img.src))
    return f'<img src="{src}" alt="{q(img.alt)}"{title}{attrs(img.attr)}/>'


def _note(blocks: tuple[Block, ...], ctx: _Context) -> str:
    n = len(ctx.notes) + 1
    ident = f"{ctx.prefix}-fn{n}"
    if ctx.flavor.notes == "float":
        paras = []
        for b in blocks:
            inner = _inlines(b.content, ctx) if isinstance(b, Para) else q(plain_blocks((b,)))
            paras.append(f'<span class="fn-para">{inner}</span>')
        ctx.notes.append("")
        return f'<span class="fn" id="{ident}">{"".join(paras)}</span>'
    ctx.notes.append("")  # reserve the number before rendering nested content
    body = blocks_html(blocks, ctx)
    back = f'<a class="fn-back" href="#{ident}-ref" role="doc-backlink">{n}</a> '
    body = f"<p>{back}{body[3:]}" if body.startswith("<p>") else f"<p>{back}</p>\n{body}"
    ctx.notes[n - 1] = (
        f'<aside id="{ident}" class="footnote" epub:type="footnote" '
        f'role="doc-footnote">\n{body}</aside>\n'
    )
    return (
        f'<a id="{ident}-ref" class="noteref" href="#{ident}" epub:type="noteref" '
        f'role="doc-noteref">{n}</a>'
    )


def _inlines(content: Iterable[Inline], ctx: _Context) -> str:
    return "".join(_inline(i, ctx) for i in content)


def _inline(i: Inline, ctx: _Context) -> str:
    match i:
        case Str(text=t):
            return q(t)
        case SoftBreak():
            return "\n"
        case LineBreak():
            return "<br/>\n"
        case Emph(content=c):
            return f"<em>{_inlines(c, ctx)}</em>"
        case Strong(content=c):
            return f"<strong>{_inlines(c, ctx)}</strong>"
        case Underline(content=c):
            return f'<span class="underline">{_inlines(c, ctx)}</span>'
        case Strikeout(content=c):
            return f"<del>{_inlines(c, ctx)}</del>"
        case Superscript(content=c):
            return f"<sup>{_inlines(c, ctx)}</sup>"
        case Subscript(content=c):
            return f"<sub>{_inlines(c, ctx)}</sub>"
        case SmallCaps(content=c):
            return f'<span class="smallcaps">{_inlines(c, ctx)}</span>'
        case Code(text=t, attr=a):
            return f"<code{attrs(a)}>{q(t)}</code>"
        case Link(content=c, url=url, title=title, attr=a):
            href = safe_url(url)
            inner = _inlines(c, ctx)
            if not href:
                return f"<span{attrs(a)}>{inner}</span>"
            t = f' title="{q(title)}"' if title else ""
            return f'<a href="{q(href)}"{t}{attrs(a)}>{inner}</a>'
        case Image():
            return _image(i, ctx)
        case Note(blocks=bs):
            return _note(bs, ctx)
        case Span(content=c, attr=a):
            return f"<span{attrs(a)}>{_inlines(c, ctx)}</span>"
        case _:
            assert_never(i)


__all__ = ["EssayHtml", "Flavor", "attrs", "essay_html", "inline_html", "plain", "q", "safe_url"]
