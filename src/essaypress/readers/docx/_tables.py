"""Turn table records into model tables (merged cells, header rows, cell alignment), and
caption paragraphs into the captions of the figures and tables beside them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ...model.nodes import Align, Block, Figure, Inline, Table, TableCell, TableRow
from ._records import BlockRecord, Paragraph, TableRecord, Text

_NUMERALS = "0-9０-９一二三四五六七八九十"


@dataclass
class _Cell:
    blocks: tuple[Block, ...]
    colspan: int
    align: Align
    rowspan: int = 1


def build_table(
    rec: TableRecord, blocks: Callable[[Sequence[BlockRecord]], list[Block]]
) -> Table | None:
    """The table, its cells' records made blocks by ``blocks``; None when it has no rows.

    Vertically merged cells become one cell with a row span; header rows are the rows
    marked to repeat as headers, else the first row when the table's style formats it.
    """
    built: list[list[_Cell]] = []
    active: dict[int, _Cell] = {}  # grid column → the cell a vertical merge started in
    for row in rec.rows:
        cells: list[_Cell] = []
        for cell in row.cells:
            if cell.vmerge == "continue" and cell.col in active:
                active[cell.col].rowspan += 1
                continue
            content = tuple(blocks(cell.blocks))
            draft = _Cell(content, cell.span, _cell_align(cell.blocks))
            cells.append(draft)
            if cell.vmerge:
                active[cell.col] = draft
            else:
                active.pop(cell.col, None)
        built.append(cells)
    rows = tuple(
        TableRow(
            tuple(
                TableCell(c.blocks, colspan=c.colspan, rowspan=c.rowspan, align=c.align)
                for c in cells
            )
        )
        for cells in built
    )
    if not rows:
        return None
    head = 0
    while head < len(rec.rows) and rec.rows[head].header:
        head += 1
    if head == 0 and rec.style_header and len(rows) > 1:
        head = 1
    return Table(rows[:head], rows[head:])


def _cell_align(records: Sequence[BlockRecord]) -> Align:
    """A cell's alignment: the one every paragraph with text in it has (justified: default)."""
    aligns = {
        r.align
        for r in records
        if isinstance(r, Paragraph) and any(isinstance(i, Text) and i.text.strip() for i in r.items)
    }
    if aligns == {"center"}:
        return "center"
    if aligns and aligns <= {"right", "end"}:
        return "right"
    if aligns and aligns <= {"left", "start"}:
        return "left"
    return "default"


_FIGURE_LABEL = re.compile(
    rf"^(?:圖|图|Figure|Fig\.|Abbildung)\s*[{_NUMERALS}]+(?:[\s.:：、．]|$)", re.I
)
_TABLE_LABEL = re.compile(rf"^(?:表|Table|Tabelle)\s*[{_NUMERALS}]+(?:[\s.:：、．]|$)", re.I)


def labelled(rec: Paragraph, out: Sequence[Block], following: Sequence[BlockRecord]) -> bool:
    """Whether a plain paragraph is a caption: ``圖 1 …``/``Figure 1.`` right after a figure,
    ``表 1 …``/``Table 1:`` right before or after a table, or a short centred line under a
    figure."""
    text = "".join(i.text for i in rec.items if isinstance(i, Text)).strip()
    if not text or len(text) > 200:
        return False
    after_figure = bool(out) and isinstance(out[-1], Figure) and not out[-1].caption
    after_table = bool(out) and isinstance(out[-1], Table) and not out[-1].caption
    before_table = bool(following) and isinstance(following[0], TableRecord)
    if after_figure and (_FIGURE_LABEL.match(text) or (rec.align == "center" and len(text) <= 40)):
        return True
    return bool(_TABLE_LABEL.match(text)) and (after_table or before_table)


def captionless(block: Block) -> bool:
    return isinstance(block, Figure | Table) and not block.caption


def with_caption(block: Block, caption: tuple[Inline, ...]) -> Block:
    if isinstance(block, Figure) and caption:
        return Figure(block.image, caption, block.attr)
    if isinstance(block, Table) and caption:
        return Table(block.head, block.body, caption, block.attr)
    return block
