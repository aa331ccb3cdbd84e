"""Turn inline nodes into python-docx runs: character styles, links, pictures and footnotes.

A run gets at most one character style (Verbatim Char, Hyperlink, Strong,
Emphasis or Emphasis Mark, in that order of precedence); formatting nested
inside it is added as on/off properties (bold, italic, underline, strike,
super/subscript, small caps), never as a font, size or colour. Emphasis on
Chinese text uses the "Emphasis Mark" style (dots under the characters),
because Word fakes italics for CJK by slanting the glyphs.

Coverage: every inline node type of ``model.nodes`` (dispatch is exhaustive).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import assert_never

from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ...log import warn
from ...model.nodes import (
    Block,
    Code,
    Emph,
    Image,
    Inline,
    LineBreak,
    Link,
    Note,
    SmallCaps,
    SoftBreak,
    Span,
    Str,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Underline,
)
from ...model.text import plain_blocks
from ..html import safe_url
from ._context import Ctx, has_cjk, xml_text
from ._oxml.base import new_run
from ._oxml.fields import content_mark, wrap_hyperlink
from ._oxml.notes import Footnotes, add_footnote_reference
from ._oxml.styles import set_emphasis_mark, set_run_lang
from ._oxml.tables import describe_picture


@dataclass(frozen=True)
class Fmt:
    """The character formatting in force where a run is written."""

    emph: bool = False
    strong: bool = False
    underline: bool = False
    strike: bool = False
    sup: bool = False
    sub: bool = False
    smallcaps: bool = False
    code: bool = False
    link: bool = False


PLAIN = Fmt()


def emit_inlines(par: Paragraph, content: Iterable[Inline], ctx: Ctx, fmt: Fmt = PLAIN) -> None:
    """Append ``content`` to the paragraph as runs."""
    for node in content:
        match node:
            case Str(text=t):
                text_run(par, t, ctx, fmt)
            case SoftBreak():
                text_run(par, " ", ctx, fmt)
            case LineBreak():
                styled_run(par, ctx, fmt, "").add_break()
            case Emph(content=c):
                emit_inlines(par, c, ctx, replace(fmt, emph=True))
            case Strong(content=c):
                emit_inlines(par, c, ctx, replace(fmt, strong=True))
            case Underline(content=c):
                emit_inlines(par, c, ctx, replace(fmt, underline=True))
            case Strikeout(content=c):
                emit_inlines(par, c, ctx, replace(fmt, strike=True))
            case Superscript(content=c):
                emit_inlines(par, c, ctx, replace(fmt, sup=True, sub=False))
            case Subscript(content=c):
                emit_inlines(par, c, ctx, replace(fmt, sub=True, sup=False))
            case SmallCaps(content=c):
                emit_inlines(par, c, ctx, replace(fmt, smallcaps=True))
            case Code(text=t):
                text_run(par, t, ctx, replace(fmt, code=True))
            case Link():
                _link(par, node, ctx, fmt)
            case Image():
                picture_run(par, node, ctx, max_height_ratio=1.0)
            case Note(blocks=bs):
                _note(par, bs, ctx)
            case Span(content=c):
                emit_inlines(par, c, ctx, fmt)
            case _:
                assert_never(node)


def text_run(par: Paragraph, text: str, ctx: Ctx, fmt: Fmt = PLAIN) -> Run:
    return styled_run(par, ctx, fmt, xml_text(text))


def styled_run(par: Paragraph, ctx: Ctx, fmt: Fmt, text: str) -> Run:
    """A new run of ``text`` carrying the character style and on/off properties for ``fmt``."""
    styles = ctx.shared.styles
    cjk_emph = fmt.emph and has_cjk(text)
    style = ("code" if fmt.code else "hyperlink" if fmt.link else "strong" if fmt.strong
             else ("emphasis_cjk" if cjk_emph else "emphasis") if fmt.emph else "")  # fmt: skip
    run = Run(new_run(par._p, styles.style_id(style) if style else "", text), par)
    if fmt.strong and style != "strong":
        run.bold = True
    if fmt.emph and not style.startswith("emphasis"):
        if cjk_emph:
            set_emphasis_mark(run)
        else:
            run.italic = True
    if fmt.underline and style != "hyperlink":
        run.underline = True
    if fmt.strike:
        run.font.strike = True
    if fmt.sup:
        run.font.superscript = True
    if fmt.sub:
        run.font.subscript = True
    if fmt.smallcaps:
        run.font.small_caps = True
    if ctx.run_lang is not None:
        set_run_lang(run, *ctx.run_lang)
    return run


def _link(par: Paragraph, link: Link, ctx: Ctx, fmt: Fmt) -> None:
    if ctx.plain or ctx.in_link:
        emit_inlines(par, link.content, ctx, fmt)
        return
    inner = replace(ctx, in_link=True)
    mark = content_mark(par)
    if link.url.startswith("#") and len(link.url) > 1:
        emit_inlines(par, link.content, inner, replace(fmt, link=True))
        element = wrap_hyperlink(par, mark, anchor="_pending", tooltip=xml_text(link.title))
        ctx.shared.pending_links.append((element, link.url[1:], ctx.where))
        return
    href = safe_url(link.url)
    if not href or link.url.startswith("#"):
        emit_inlines(par, link.content, ctx, fmt)
        return
    emit_inlines(par, link.content, inner, replace(fmt, link=True))
    rid = par.part.relate_to(href, RT.HYPERLINK, is_external=True)
    wrap_hyperlink(par, mark, rid=rid, tooltip=xml_text(link.title))


def picture_run(par: Paragraph, image: Image, ctx: Ctx, *, max_height_ratio: float) -> bool:
    """Add the image as an inline picture fitted to the text block; its alt text if it cannot be."""
    resource = ctx.shared.images.get(image.src)
    problem = ""
    if resource is None:
        problem = f"image {image.src!r} is not among the essay's resources"
    else:
        try:  # the header of an untrusted file: any parse failure means "not an image we can use"
            native = DocxImage.from_blob(resource.data)
            width, height = int(native.width), int(native.height)
        except Exception as exc:
            problem = f"image {image.src!r} cannot be placed in Word ({type(exc).__name__})"
    if problem or resource is None:
        warn("docx-image", f"{problem}; its description is written instead", ctx.where or None)
        if image.alt:
            text_run(par, f"[{image.alt}]", ctx)
        return False
    max_w = ctx.shared.text_width
    max_h = int(ctx.shared.text_height * max_height_ratio)
    scale = min(1.0, max_w / max(width, 1), max_h / max(height, 1))
    run = par.add_run()
    shape = run.add_picture(io.BytesIO(resource.data), width=max(1, int(width * scale)),
                            height=max(1, int(height * scale)))  # fmt: skip
    describe_picture(shape, xml_text(image.alt), xml_text(image.title))
    return True


def _note(par: Paragraph, blocks: tuple[Block, ...], ctx: Ctx) -> None:
    if ctx.plain:
        return
    if ctx.in_note:  # Word has no notes inside notes: keep the text in parentheses
        warn(
            "docx-nested-note", "a note inside a note is written in parentheses", ctx.where or None
        )
        text_run(par, f"（{plain_blocks(blocks)}）" if ctx.lang.startswith("zh")
                 else f" ({plain_blocks(blocks)})", ctx)  # fmt: skip
        return
    styles = ctx.shared.styles
    run = par.add_run()
    styles.apply(run, "footnote_ref")
    note_id, body = ctx.shared.notes.new()
    add_footnote_reference(run, note_id)
    note_ctx = replace(ctx, role="note", in_note=True, in_link=False, list_depth=0,
                       after_heading=False)  # fmt: skip
    ctx.write_note(body, blocks, note_ctx)
    Footnotes.mark(body, styles.style_id("footnote_ref"), styles.style_id("footnote_text"))
