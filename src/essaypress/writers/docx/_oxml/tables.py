"""Turn table and picture details into XML: header rows, tidy cells, alt text, drawing ids."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from docx.oxml.ns import qn
from docx.shape import InlineShape
from docx.table import Table, _Cell, _Row

from .base import w


def use_header_row(table: Table, used: bool) -> None:
    """Whether the table style's first-row look (bold, a rule below) applies to this table.

    ``w:tblLook`` says it twice, as the ``firstRow`` attribute and as bit 0x0020 of
    ``w:val`` (older readers know only the bits).
    """
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = w("tblLook")
        table._tbl.tblPr.append(look)
    look.set(qn("w:firstRow"), "1" if used else "0")
    try:
        bits = int(look.get(qn("w:val"), "04A0"), 16)
    except ValueError:
        bits = 0x04A0
    bits = bits | 0x0020 if used else bits & ~0x0020
    look.set(qn("w:val"), f"{bits:04X}")


def mark_header_row(row: _Row) -> None:
    """Repeat the row at the top of each page the table spans."""
    row._tr.get_or_add_trPr().append(w("tblHeader"))


def tidy_cell(cell: _Cell) -> None:
    """Drop the empty paragraph a new cell starts with; keep a paragraph last, as Word requires."""
    tc = cell._tc
    blocks = [c for c in tc if c.tag in (qn("w:p"), qn("w:tbl"))]
    if len(blocks) > 1 and blocks[0].tag == qn("w:p") and blocks[0].find(qn("w:r")) is None:
        tc.remove(blocks[0])
    if blocks and tc[-1].tag == qn("w:tbl"):
        tc.append(w("p"))


def describe_picture(shape: InlineShape, alt: str, title: str) -> None:
    """Alternative text for a picture (``wp:docPr/@descr``), read aloud by screen readers."""
    doc_pr = shape._inline.docPr
    if alt:
        doc_pr.set("descr", alt)
    if title:
        doc_pr.set("title", title)


def renumber_drawings(roots: Iterable[Any]) -> None:
    """Give every picture a document-wide unique id (python-docx counts per part)."""
    n = 0
    for root in roots:
        for doc_pr in root.iter(qn("wp:docPr")):
            n += 1
            doc_pr.set("id", str(n))
