"""Turn element names and schema orders into well-placed OOXML elements."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from docx.blkcntnr import BlockItemContainer
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.story import StoryPart
from docx.shared import Length
from docx.table import Table
from docx.text.paragraph import Paragraph

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RPR_ORDER = """rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss
    imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight
    u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath""".split()  # noqa: SIM905


def w(tag: str, **attrs: str) -> BaseOxmlElement:
    """A new ``w:tag`` element with ``w:`` attributes."""
    element = OxmlElement(f"w:{tag}", attrs={qn(f"w:{k}"): v for k, v in attrs.items()})
    return cast(BaseOxmlElement, element)


def insert_ordered(parent: Any, child: Any, order: Sequence[str]) -> Any:
    """Insert ``child`` among ``parent``'s children where the schema sequence wants it."""
    local = child.tag.rpartition("}")[2]
    later = {qn(f"w:{t}") for t in order[order.index(local) + 1 :]}
    for i, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def get_or_insert(parent: Any, tag: str, order: Sequence[str]) -> Any:
    found = parent.find(qn(f"w:{tag}"))
    return found if found is not None else insert_ordered(parent, w(tag), order)


def text_run(text: str) -> CT_R:
    r = cast(CT_R, w("r"))
    r.text = text
    return r


class _PartHolder:
    def __init__(self, part: StoryPart) -> None:
        self._part = part

    @property
    def part(self) -> StoryPart:
        return self._part


class Story(BlockItemContainer):
    """Paragraphs and tables of a story python-docx has no container for: a footnote's body,
    a header or footer made by ``headers.RunningHeads``."""

    def __init__(self, element: BaseOxmlElement, part: StoryPart) -> None:
        super().__init__(cast(Any, element), _PartHolder(part))

    def _add_paragraph(self) -> Paragraph:
        p = cast(CT_P, OxmlElement("w:p"))
        self._element.append(p)
        return Paragraph(p, self)

    def add_table(self, rows: int, cols: int, width: Length) -> Table:
        tbl = CT_Tbl.new_tbl(rows, cols, width)
        self._element.append(tbl)
        return Table(tbl, self)


def new_paragraph(parent: BaseOxmlElement, style_id: str) -> CT_P:
    """A ``w:p`` in ``style_id`` at the end of ``parent`` (before the body's final
    ``w:sectPr``): what ``add_paragraph`` and ``style =`` do, without python-docx's search
    for each child's place, which is a third of the writing time of a long book."""
    p = cast(CT_P, w("p"))
    ppr = w("pPr")
    ppr.append(w("pStyle", val=style_id))
    p.append(ppr)
    last = parent[-1] if len(parent) else None
    if last is not None and last.tag == _SECT_PR:
        last.addprevious(p)
    else:
        parent.append(p)
    return p


def new_run(p: CT_P, style_id: str, text: str) -> CT_R:
    """A ``w:r`` in the character style ``style_id`` (none if empty) at the end of ``p``.

    ``text`` without tabs and line breaks is set here; python-docx's ``Run.text`` turns
    those into ``w:tab`` and ``w:br`` for the rest."""
    r = cast(CT_R, w("r"))
    if style_id:
        rpr = w("rPr")
        rpr.append(w("rStyle", val=style_id))
        r.append(rpr)
    if text and not _CONTROL.search(text):
        t = w("t")
        t.text = text
        if text != text.strip():
            t.set(_XML_SPACE, "preserve")
        r.append(t)
    elif text:
        r.text = text
    p.append(r)
    return r


_SECT_PR = qn("w:sectPr")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CONTROL = re.compile("[\t\n\r]")
