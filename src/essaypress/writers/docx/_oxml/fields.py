"""Turn page numbers, the table of contents and links into fields, bookmarks and hyperlinks."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

from .base import text_run, w


def _fld_char(kind: str, *, dirty: bool = False) -> BaseOxmlElement:
    r = w("r")
    r.append(w("fldChar", fldCharType=kind, **({"dirty": "true"} if dirty else {})))
    return r


def _instr(instr: str) -> BaseOxmlElement:
    r = w("r")
    t = w("instrText")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = f" {instr} "
    r.append(t)
    return r


def append_field(paragraph: Paragraph, instr: str, result: str) -> None:
    """A whole field (``PAGE``) at the end of the paragraph, showing ``result`` until updated."""
    p = paragraph._p
    for el in (_fld_char("begin"), _instr(instr), _fld_char("separate"), text_run(result),
               _fld_char("end")):  # fmt: skip
        p.append(el)


def begin_field(paragraph: Paragraph, instr: str) -> None:
    """Open a field spanning paragraphs (the TOC); Word recomputes it because it is dirty."""
    p = paragraph._p
    for el in (_fld_char("begin", dirty=True), _instr(instr), _fld_char("separate")):
        p.append(el)


def end_field(paragraph: Paragraph) -> None:
    paragraph._p.append(_fld_char("end"))


def remove_paragraph(paragraph: Paragraph) -> None:
    p = paragraph._p
    parent = p.getparent()
    assert parent is not None
    parent.remove(p)


def toc_entry(paragraph: Paragraph, text: str, bookmark: str) -> None:
    """One prefilled TOC line: the heading's text, linked to its bookmark, without a number.

    Word writes ``text<tab>PAGEREF`` lines; the tab and the number are left to
    the field's first update (Word asks on opening, ``updateFields``): a number
    guessed here would be wrong, LibreOffice does not recompute PAGEREF fields
    inside a TOC it has not updated, and a tab leader running to no number
    looks broken.
    """
    link = w("hyperlink", anchor=bookmark, history="1")
    link.append(text_run(text))
    paragraph._p.append(link)


def add_bookmark(paragraph: Paragraph, name: str, ident: int) -> None:
    """Enclose the paragraph's content in a bookmark (a TOC or link target)."""
    p = paragraph._p
    at = 1 if len(p) and p[0].tag == qn("w:pPr") else 0
    p.insert(at, w("bookmarkStart", id=str(ident), name=name))
    p.append(w("bookmarkEnd", id=str(ident)))


def content_mark(paragraph: Paragraph) -> int:
    """Where the paragraph's content ends now; pass it to ``wrap_hyperlink`` later."""
    return len(paragraph._p)


def wrap_hyperlink(paragraph: Paragraph, mark: int, *, rid: str = "", anchor: str = "",
                   tooltip: str = "") -> BaseOxmlElement:  # fmt: skip
    """Move the runs added since ``mark`` into a ``w:hyperlink`` (to ``rid`` or ``anchor``)."""
    p = paragraph._p
    attrs = {"anchor": anchor} if anchor else {}
    link = w("hyperlink", **attrs, **({"tooltip": tooltip} if tooltip else {}))
    if rid:
        link.set(qn("r:id"), rid)
    if anchor:
        link.set(qn("w:history"), "1")
    for child in list(p)[mark:]:
        link.append(child)
    p.append(link)
    return link


def set_link_anchor(link: BaseOxmlElement, anchor: str) -> None:
    link.set(qn("w:anchor"), anchor)


def unwrap(link: BaseOxmlElement) -> None:
    """Replace a hyperlink by its runs (its target was not found)."""
    parent = link.getparent()
    assert parent is not None
    at = parent.index(link)
    for i, child in enumerate(list(link)):
        parent.insert(at + i, child)
    parent.remove(link)
