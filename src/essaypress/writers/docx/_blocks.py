"""Turn block nodes into python-docx paragraphs and tables, each in a named style.

The paragraph style follows the flow the block sits in: body text (First
Paragraph after a heading or scene break, Body Text otherwise), a quotation
(Block Text), a footnote (Footnote Text), a table cell (Table Text / Table
Heading) or a list item's continuation (List Continue n). Lists get real Word
numbering: one numbering instance per list, so each restarts at its start.

Coverage: every block node type of ``model.nodes`` (dispatch is exhaustive).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import assert_never

from docx.blkcntnr import BlockItemContainer
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Emu
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from ...model.nodes import (
    Attr,
    Block,
    BlockQuote,
    BulletList,
    CodeBlock,
    Div,
    Figure,
    Heading,
    HorizontalRule,
    Inline,
    LineBlock,
    OrderedList,
    Para,
    Table,
    TableCell,
    TableRow,
)
from ...model.text import plain
from ..names import script_of
from ._context import Ctx, Role, TocEntry, xml_text
from ._inlines import PLAIN, Fmt, emit_inlines, picture_run, styled_run, text_run
from ._oxml.base import Story, new_paragraph
from ._oxml.fields import add_bookmark
from ._oxml.numbering import set_list_level
from ._oxml.tables import mark_header_row, tidy_cell, use_header_row

SCENE_BREAK = "* * *"
TOC_DEPTH = 2  # Word heading levels listed in the table of contents (TOC \o "1-2")
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}  # fmt: skip


def emit_blocks(container: BlockItemContainer, blocks: Iterable[Block], ctx: Ctx) -> None:
    for block in blocks:
        _block(container, block, ctx)


def write_note(body: Story, blocks: tuple[Block, ...], ctx: Ctx) -> None:
    """The content of one footnote (``Ctx.write_note``)."""
    emit_blocks(body, blocks, ctx)


def paragraph(container: BlockItemContainer, key: str, ctx: Ctx) -> Paragraph:
    """A new paragraph at the end of ``container`` in the style for ``key``."""
    p = new_paragraph(container._element, ctx.shared.styles.style_id(key))
    return Paragraph(p, container)


def titled(container: BlockItemContainer, key: str, content: tuple[Inline, ...], ctx: Ctx, *,
           toc_level: int = 0, anchor: str = "") -> Paragraph:  # fmt: skip
    """A heading-like paragraph; bookmarked when it is listed in the TOC or is a link target."""
    p = paragraph(container, key, ctx)
    emit_inlines(p, content, ctx)
    if toc_level or anchor:
        shared = ctx.shared
        name, ident = shared.new_bookmark()
        add_bookmark(p, name, ident)
        if anchor:
            shared.anchors.setdefault(anchor, name)
        if toc_level:
            shared.toc.append(TocEntry(toc_level, xml_text(plain(content)), name))
    ctx.after_heading = True
    return p


def _para_key(ctx: Ctx) -> str:
    match ctx.role:
        case "body":
            return "first" if ctx.after_heading else "body"
        case "quote":
            return "quote"
        case "note":
            return "footnote_text"
        case "cell":
            return "table_text"
        case "cell_head":
            return "table_heading"
        case "list":
            return f"list_continue{min(max(ctx.list_depth, 1), 3)}"
        case _:
            assert_never(ctx.role)


def _block(container: BlockItemContainer, block: Block, ctx: Ctx) -> None:
    match block:
        case Para(content=c):
            emit_inlines(paragraph(container, _para_key(ctx), ctx), c, ctx)
            ctx.after_heading = False
        case Heading(level=n, content=c, attr=a):
            _heading(container, n, c, a, ctx)
        case BlockQuote(blocks=bs):
            role = "quote" if ctx.role in ("body", "list") else ctx.role
            emit_blocks(container, bs, replace(ctx, role=role, after_heading=False))
            ctx.after_heading = False
        case BulletList(items=items):
            _list(container, items, "bullet", 1, ctx)
        case OrderedList(items=items, start=start, style=style):
            cjk = "cjk-hans" if script_of(ctx.lang) == "zh-Hans" else "cjk-hant"
            _list(container, items, cjk if style == "cjk" else style, start, ctx)
        case LineBlock(lines=lines):
            key = "verse" if ctx.role in ("body", "quote", "list") else _para_key(ctx)
            p = paragraph(container, key, ctx)
            for i, line in enumerate(lines):
                if i:
                    styled_run(p, ctx, PLAIN, "").add_break()
                emit_inlines(p, line, ctx)
            ctx.after_heading = False
        case CodeBlock(text=t):
            text_run(paragraph(container, "code_block", ctx), t.rstrip("\n"), ctx)
            ctx.after_heading = False
        case Figure(image=img, caption=cap):
            picture_run(paragraph(container, "figure", ctx), img, ctx, max_height_ratio=0.7)
            if cap:
                emit_inlines(paragraph(container, "caption", ctx), cap, ctx)
            ctx.after_heading = False
        case Table():
            _table(container, block, ctx)
        case HorizontalRule():
            text_run(paragraph(container, "scene_break", ctx), SCENE_BREAK, ctx)
            ctx.after_heading = True
        case Div(blocks=bs):
            emit_blocks(container, bs, ctx)
        case _:
            assert_never(block)


def _heading(container: BlockItemContainer, level: int, content: tuple[Inline, ...], attr: Attr,
             ctx: Ctx) -> None:  # fmt: skip
    if ctx.role != "body":  # a heading inside a note, cell or quote: no outline level there
        emit_inlines(paragraph(container, _para_key(ctx), ctx), content, ctx, Fmt(strong=True))
        return
    word_level = min(6, level + 1)  # Heading 1 is the essay's title
    titled(container, f"heading{word_level}", content, ctx,
           toc_level=word_level if word_level <= TOC_DEPTH else 0, anchor=attr.id)  # fmt: skip


def _list(container: BlockItemContainer, items: tuple[tuple[Block, ...], ...], kind: str,
          start: int, ctx: Ctx) -> None:  # fmt: skip
    depth = min(ctx.list_depth, 8)
    num = ctx.shared.numbering.new_list(kind, start, depth)
    key = "list_bullet" if kind == "bullet" else "list_number"
    role = "list" if ctx.role in ("body", "quote", "list") else ctx.role
    inner = replace(ctx, role=role, list_depth=depth + 1, after_heading=False)
    for item in items:
        p = paragraph(container, key, ctx)
        set_list_level(p, num, depth)
        rest = item
        if item and isinstance(item[0], Para):
            emit_inlines(p, item[0].content, inner)
            rest = item[1:]
        emit_blocks(container, rest, inner)
    ctx.after_heading = False


def _table(container: BlockItemContainer, table: Table, ctx: Ctx) -> None:
    if table.caption:  # Word's convention: a table's caption goes above it
        emit_inlines(paragraph(container, "caption", ctx), table.caption, ctx)
    rows = (*table.head, *table.body)
    placed, ncols = _grid(rows)
    ctx.after_heading = False
    if not placed:
        return
    if isinstance(container, _Cell):
        docx_table: DocxTable = container.add_table(len(rows), ncols)
    else:
        docx_table = container.add_table(len(rows), ncols, Emu(ctx.shared.text_width))
    docx_table.style = ctx.shared.styles.table("table")
    use_header_row(docx_table, bool(table.head))
    for r in range(len(table.head)):
        mark_header_row(docx_table.rows[r])
    for r, c, cell, rowspan, colspan in placed:
        target = docx_table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            target = target.merge(docx_table.cell(r + rowspan - 1, c + colspan - 1))
        role: Role = "cell_head" if r < len(table.head) else "cell"
        emit_blocks(target, cell.blocks, replace(ctx, role=role, list_depth=0, after_heading=False))
        if cell.align != "default":
            for p in target.paragraphs:
                p.alignment = _ALIGN[cell.align]
        tidy_cell(target)


def _grid(rows: tuple[TableRow, ...]) -> tuple[list[tuple[int, int, TableCell, int, int]], int]:
    """Where each cell goes on the table's grid, honouring row and column spans."""
    taken: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, TableCell, int, int]] = []
    ncols = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row.cells:
            while (r, c) in taken:
                c += 1
            colspan = max(1, cell.colspan)
            rowspan = max(1, min(cell.rowspan, len(rows) - r))
            taken.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
            placed.append((r, c, cell, rowspan, colspan))
            c += colspan
            ncols = max(ncols, c)
    return placed, ncols
