"""Turn the anthology's structure into Word sections: title page, contents, preface, parts, essays.

Section by section: the title page (no running heads); the table of contents
(a real ``TOC`` field, prefilled); then every essay of the front matter, the
parts and the back matter in a section of its own that opens on a new page
(a right-hand page when the layout has recto openings), with the essay's
title as the right-hand running head, the book's title as the left-hand one,
none on the essay's first page, and the page number (a ``PAGE`` field) in
the footer. A part with a title gets a part title page of its own.

Heading levels: part titles use the "Part Title" style, which has outline
level 1 like Heading 1, so both parts and essays are level-1 entries of the
navigation pane and the TOC; an essay's title is Heading 1 and its sections
``Heading(level=n)`` are Heading n+1.

The contents are prefilled with exactly the lines Word's update of the field
makes (parts, essay titles, essay sections; linked to their headings), but
without page numbers: Word paginates differently from the PDF, so its numbers
would be wrong; LibreOffice does not recompute PAGEREF fields in a TOC it has
not updated; and a dotted tab leader running to no number looks broken. No
authors either: Word's update would drop them, and lines that vanish when the
field is updated confuse the staff who edit the file. Word asks to update the
field on opening (``updateFields``) and then adds the numbers.

Known LibreOffice 7.4 behaviour: a section that opens on an odd page *and*
has a different first page is imported as three page styles, a right-only
copy of the first-page style followed by the first-page style itself, so the
second page of every essay (a left-hand page) shows the first page's empty
header instead of the book title. Tried without success: an explicit empty
first-page header (what is written), no first-page header or footer at all
(inherited), no mirrored margins. Only dropping the different first page or
the odd-page openings avoids it, which would cost Word the clean opening page
or the right-hand openings, so the arrangement stays as Word wants it.
"""

from __future__ import annotations

from dataclasses import replace

from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.section import Section
from docx.text.paragraph import Paragraph

from ...log import warn
from ...model.nodes import Anthology, Essay, Inline, Str
from ..names import byline, edition_date, editors_line, script_of, signature
from ._blocks import emit_blocks, paragraph, titled, write_note
from ._context import Ctx, Shared, word_lang, xml_text
from ._inlines import PLAIN, emit_inlines, styled_run, text_run
from ._oxml.fields import (
    append_field,
    begin_field,
    end_field,
    remove_paragraph,
    set_link_anchor,
    toc_entry,
    unwrap,
)
from ._oxml.headers import Page

TOC_FIELD = 'TOC \\o "1-2" \\h \\z \\u'
TOC_TITLE = {"zh-Hant": "目錄", "zh-Hans": "目录", "en": "Contents"}


def write_book(doc: Document, book: Anthology, shared: Shared, *, recto: bool, date: str) -> None:
    """Write the whole anthology into ``doc``, whose body is empty; ``date`` is the edition's."""
    start = WD_SECTION.ODD_PAGE if recto else WD_SECTION.NEW_PAGE
    body = doc._body
    book_ctx = Ctx(shared, write_note, lang=book.meta.lang, where="anthology.toml")
    _title_page(doc, book, book_ctx, date)

    toc_section = doc.add_section(start)
    _running_heads(toc_section, book_ctx, odd=(), even=(), folio=True, first_plain=False)
    text_run(
        paragraph(body, "toc_heading", book_ctx), TOC_TITLE[script_of(book.meta.lang)], book_ctx
    )
    placeholder = paragraph(body, "toc1", book_ctx)

    for essay in book.front:
        _essay(doc, essay, book, shared, start, signed=True)
    for part in book.parts:
        if part.title:
            section = doc.add_section(start)
            _running_heads(section, book_ctx, odd=(), even=(), folio=False, first_plain=False)
            titled(body, "part", part.title, book_ctx, toc_level=1, anchor=part.id)
        for essay in part.essays:
            _essay(doc, essay, book, shared, start)
    for essay in book.back:
        _essay(doc, essay, book, shared, start, signed=True)

    _fill_toc(placeholder, shared)
    _resolve_links(shared)


def _title_page(doc: Document, book: Anthology, ctx: Ctx, date: str) -> None:
    """Title, subtitle, editors, publisher and date; the colophon on the back of the leaf."""
    body = doc._body
    meta = book.meta
    text_run(paragraph(body, "title", ctx), meta.title, ctx)
    if meta.subtitle:
        text_run(paragraph(body, "subtitle", ctx), meta.subtitle, ctx)
    if meta.editors:
        text_run(paragraph(body, "author", ctx), editors_line(meta.editors, meta.lang), ctx)
    if meta.publisher:
        text_run(paragraph(body, "publisher", ctx), meta.publisher, ctx)
    if meta.date or date:
        text_run(paragraph(body, "date", ctx), edition_date(meta.date or date, meta.lang), ctx)
    lines = [meta.rights, meta.edition, f"ISBN {meta.isbn}" if meta.isbn else ""]
    for i, line in enumerate(x for x in lines if x):
        p = paragraph(body, "colophon", ctx)
        if i == 0:  # the title page's verso, as Ctrl+Enter would do
            styled_run(p, ctx, PLAIN, "").add_break(WD_BREAK.PAGE)
        text_run(p, line, ctx)


def _essay(doc: Document, essay: Essay, book: Anthology, shared: Shared, start: WD_SECTION,
           *, signed: bool = False) -> None:  # fmt: skip
    """One essay in a section of its own; front and back matter are signed at the end."""
    lang = essay.meta.lang or book.meta.lang
    tags = word_lang(lang, shared.default_lang)
    where = str(essay.source) if essay.source is not None else essay.id
    ctx = Ctx(shared, write_note, lang=lang, where=where,
              run_lang=None if tags == shared.default_lang else tags)  # fmt: skip
    section = doc.add_section(start)
    even = (Str(book.meta.title),) if book.meta.title else ()
    _running_heads(section, ctx, odd=essay.meta.title, even=even, folio=True, first_plain=True)
    body = doc._body
    if essay.meta.title:
        titled(body, "heading1", essay.meta.title, ctx, toc_level=1, anchor=essay.id)
    if essay.meta.subtitle:
        emit_inlines(paragraph(body, "essay_subtitle", ctx), essay.meta.subtitle, ctx)
    if essay.meta.authors and not signed:
        text_run(paragraph(body, "byline", ctx), byline(essay.meta.authors, lang), ctx)
    ctx.after_heading = True
    emit_blocks(body, essay.blocks, ctx)
    names = signature(essay.meta.authors, lang)
    if signed and names:
        text_run(paragraph(body, "signature", ctx), names, ctx)


def _running_heads(section: Section, ctx: Ctx, *, odd: tuple[Inline, ...],
                   even: tuple[Inline, ...], folio: bool, first_plain: bool) -> None:  # fmt: skip
    """Give the section its own headers and footers rather than inheriting the previous ones.

    ``odd`` is the right-hand head, ``even`` the left-hand one, ``folio`` puts
    the page number in the footers; with ``first_plain`` the section's first
    page has a page number but no head.
    """
    heads = ctx.shared.heads
    header_style = ctx.shared.styles.style_id("header")
    footer_style = ctx.shared.styles.style_id("footer")
    plain_ctx = replace(ctx, plain=True)
    section.different_first_page_header_footer = first_plain
    pages: tuple[Page, ...] = ("default", "even", "first") if first_plain else ("default", "even")
    content = {"default": odd, "even": even, "first": ()}
    for page in pages:
        emit_inlines(heads.add(section, "header", page, header_style), content[page], plain_ctx)
        p = heads.add(section, "footer", page, footer_style)
        if folio:
            append_field(p, "PAGE", "1")


def _fill_toc(placeholder: Paragraph, shared: Shared) -> None:
    """Replace the placeholder by the TOC field, prefilled with one line per entry."""
    styles = shared.styles
    entries = shared.toc
    if not entries:
        begin_field(placeholder, TOC_FIELD)
        end_field(placeholder)
        return
    lines = [placeholder.insert_paragraph_before() for _ in entries]
    begin_field(lines[0], TOC_FIELD)
    for line, entry in zip(lines, entries, strict=True):
        styles.apply(line, f"toc{min(entry.level, 3)}")
        toc_entry(line, xml_text(entry.text), entry.bookmark)
    end_field(lines[-1])
    remove_paragraph(placeholder)


def _resolve_links(shared: Shared) -> None:
    """Point internal links (``#id``) at their bookmarks; unlink those whose target is missing."""
    for element, target, where in shared.pending_links:
        name = shared.anchors.get(target)
        if name:
            set_link_anchor(element, name)
        else:
            warn("docx-link-target", f"link to #{target} has no target; it is written as text",
                 where or None)  # fmt: skip
            unwrap(element)
