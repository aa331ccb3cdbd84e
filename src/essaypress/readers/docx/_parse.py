"""Turn the OOXML parts of a package into docx-shaped records (pandoc's Docx/Parse.hs).

The walk is our own, not python-docx's: python-docx silently drops content
inside ``w:ins``, ``w:sdt``, ``w:fldSimple`` and ``w:smartTag``. This module
walks blocks (paragraphs, tables, content controls, tracked changes) and reads
the parts beside the document (styles, numbering, notes, core properties);
``_runs`` walks what is inside a paragraph.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from lxml import etree

from ...log import warn
from ...model.nodes import SourceRef
from ._context import State, alternate
from ._ns import CP_NS, DC_NS, mc, w
from ._numbering import Numbering
from ._package import Package, is_word_root
from ._records import BlockRecord as Block
from ._records import Cell, Document, Paragraph, Row, StyleRef, TableRecord
from ._runs import RunWalker, fold, sdt_content
from ._styles import Fmt, Styles, on, para_props

MAX_SPAN = 1000
# Wrappers whose children are read as if they stood in the wrapper's place.
_BLOCK_WRAPPERS = frozenset({w("customXml"), w("ins"), w("moveTo"), w("smartTag")})
_FMT_NAMES: tuple[Fmt, ...] = ("strong", "emph", "underline", "strike", "sup", "sub", "smallcaps")


def parse(pkg: Package) -> Document:
    """Read the main part, its notes, core properties, styles and numbering into records."""
    root = pkg.xml(pkg.main)
    if root is None or not is_word_root(root):
        raise pkg.error(
            f"not a Word document ({pkg.main} is not a WordprocessingML document)",
            "save it as .docx from Word",
        )
    styles_part = pkg.related(pkg.main, "styles")
    styles = Styles(pkg.xml(styles_part) if styles_part else None)
    numbering_part = pkg.related(pkg.main, "numbering")
    numbering = Numbering(
        pkg.xml(numbering_part) if numbering_part else None, styles.numbering_styles()
    )
    state = State(pkg, styles)
    body = root.find(w("body"))
    if body is not None:
        _review_marks(state, body)
    records = _Walker(state, pkg.main).blocks(body) if body is not None else []
    footnotes = _notes(state, "footnotes", "footnote")
    endnotes = _notes(state, "endnotes", "endnote")
    if pkg.related(pkg.main, "comments"):
        state.warn_once("docx-comments", "comments in the document are never published; left out")
    title, creator = _core(pkg)
    state.report()
    return Document(
        body=tuple(records),
        footnotes=footnotes,
        endnotes=endnotes,
        media=state.media,
        numbering=numbering,
        body_size=styles.size(styles.default_para),
        core_title=title,
        core_creator=creator,
        lang_val=styles.lang_val,
        lang_east_asia=styles.lang_east_asia,
    )


_COMMENT_TAGS = frozenset({w("commentReference"), w("commentRangeStart")})
_CHANGE_TAGS = frozenset(
    {w("ins"), w("del"), w("moveFrom"), w("moveTo"), w("rPrChange"), w("pPrChange")}
)


def _review_marks(state: State, body: etree._Element) -> None:
    """Warn, at the first paragraph holding one, about comments and tracked changes left in
    the document (``essaypress check`` lists them: they are rarely meant to be published)."""
    first_comment = first_change = 0
    for number, p in enumerate(body.iter(w("p")), start=1):
        for el in p.iter():
            if not first_comment and el.tag in _COMMENT_TAGS:
                first_comment = number
            if not first_change and el.tag in _CHANGE_TAGS:
                first_change = number
        if first_comment and first_change:
            break
    path = state.pkg.source.path
    if first_comment:
        state.warned.add("docx-comments")
        where = SourceRef(path, paragraph=first_comment)
        warn("docx-comments", "comments in the document are never published; left out", where)
    if first_change:
        where = SourceRef(path, paragraph=first_change)
        warn("docx-tracked-changes", "tracked changes left in the document: insertions are "
             "kept and deletions dropped, as if accepted — accept or reject them in Word",
             where)  # fmt: skip


def _notes(state: State, kind: str, tag: str) -> dict[str, tuple[Block, ...]]:
    part = state.pkg.related(state.pkg.main, kind)
    root = state.pkg.xml(part) if part else None
    if part is None or root is None:
        return {}
    walker = _Walker(state, part, in_note=True)
    out: dict[str, tuple[Block, ...]] = {}
    for note in root.iter(w(tag)):
        if note.get(w("type"), "normal") != "normal":
            continue  # separator, continuationSeparator, continuationNotice
        note_id = note.get(w("id"))
        if note_id is not None and note_id not in out:
            out[note_id] = tuple(walker.blocks(note))
    return out


def _core(pkg: Package) -> tuple[str, str]:
    part = pkg.related("", "core-properties") or "docProps/core.xml"
    root = pkg.xml(part) if pkg.has(part) else None
    if root is None or root.tag != f"{{{CP_NS}}}coreProperties":
        return "", ""
    title = root.findtext(f"{{{DC_NS}}}title") or ""
    creator = root.findtext(f"{{{DC_NS}}}creator") or ""
    return " ".join(title.split()), " ".join(creator.split())


class _Walker(RunWalker):
    """Walks the blocks of one part (document, footnotes or endnotes)."""

    def __init__(self, state: State, part: str, *, in_note: bool = False) -> None:
        super().__init__(state, part, self.blocks, in_note=in_note)

    def blocks(self, container: etree._Element) -> list[Block]:
        out: list[Block] = []
        for child in self._block_children(container):
            if child.tag == w("p"):
                out.append(self.paragraph(child))
            elif child.tag == w("tbl"):
                out.append(self.table(child))
        return out

    def _block_children(self, container: etree._Element) -> Iterator[etree._Element]:
        for child in container:
            tag = child.tag
            if tag in (w("p"), w("tbl")):
                yield child
            elif tag in _BLOCK_WRAPPERS:
                yield from self._block_children(child)
            elif tag == w("sdt"):
                content = sdt_content(child)
                if content is not None and not _table_of_contents(child):
                    yield from self._block_children(content)
            elif tag == mc("AlternateContent"):
                for el in alternate(child):
                    yield from self._block_children(el)
            elif tag == w("altChunk"):
                self.state.warn_once("docx-altchunk", "an embedded document (altChunk) is left out")

    def paragraph(self, p: etree._Element) -> Paragraph:
        self.state.paragraphs += 1
        ppr = p.find(w("pPr"))
        style_el = ppr.find(w("pStyle")) if ppr is not None else None
        style_id = style_el.get(w("val"), "") if style_el is not None else ""
        style_id = style_id or self.styles.default_para
        direct = para_props(ppr)
        props = direct.over(self.styles.props(style_id))
        frame = ppr.find(w("framePr")) if ppr is not None else None
        drop_cap = frame is not None and frame.get(w("dropCap"), "none") != "none"
        rule_after = _bottom_border_only(ppr.find(w("pBdr")) if ppr is not None else None)
        mark = ppr.find(w("rPr")) if ppr is not None else None
        joined = mark is not None and (
            mark.find(w("del")) is not None or mark.find(w("moveFrom")) is not None
        )
        chain = self.styles.chain(style_id)
        refs = tuple(StyleRef(s.id, s.name) for s in chain) or (StyleRef(style_id, ""),)
        settings = self.styles.para_settings(style_id)
        style_fmt = frozenset(k for k in _FMT_NAMES if settings.get(k))
        self.max_size = 0
        opened = self.fields.open_links()
        items = fold([*opened, *self.inline(p, style_id)])
        num_id = props.num_id if props.num_id not in (None, "0") else ""
        left, hanging = props.left or 0, props.hanging or 0
        return Paragraph(
            refs,
            props.outline,
            items,
            style_fmt,
            self.state.paragraphs,
            drop_cap,
            rule_after,
            num_id=num_id or "",
            ilvl=max(0, min(props.ilvl or 0, 8)),
            unnumbered=props.num_id == "0",
            align=props.jc or "",
            indent=left - max(hanging, 0),
            size=self.max_size,
            joined=joined,
        )

    def table(self, tbl: etree._Element) -> TableRecord:
        rows: list[Row] = []
        for tr in self._children(tbl, w("tr")):
            trpr = tr.find(w("trPr"))
            if trpr is not None and trpr.find(w("del")) is not None:
                continue  # a deleted row (tracked change)
            header = trpr is not None and on(trpr.find(w("tblHeader")))
            col = _int_val(trpr.find(w("gridBefore")) if trpr is not None else None, 0)
            cells: list[Cell] = []
            for tc in self._children(tr, w("tc")):
                tcpr = tc.find(w("tcPr"))
                span = 1
                vmerge: Literal["", "restart", "continue"] = ""
                if tcpr is not None:
                    span = min(max(_int_val(tcpr.find(w("gridSpan")), 1), 1), MAX_SPAN)
                    vm = tcpr.find(w("vMerge"))
                    if vm is not None:
                        vmerge = "restart" if vm.get(w("val")) == "restart" else "continue"
                cells.append(Cell(tuple(self.blocks(tc)), col, span, vmerge))
                col += span
            rows.append(Row(tuple(cells), header))
        return TableRecord(tuple(rows), self._style_header(tbl))

    def _style_header(self, tbl: etree._Element) -> bool:
        """Whether the table's style formats its first row as a header and the table uses it."""
        tblpr = tbl.find(w("tblPr"))
        if tblpr is None:
            return False
        style_el = tblpr.find(w("tblStyle"))
        style = style_el.get(w("val"), "") if style_el is not None else ""
        look = tblpr.find(w("tblLook"))
        if look is None:
            return False
        first = look.get(w("firstRow"))
        if first is None:
            try:
                first = "1" if int(look.get(w("val"), "0"), 16) & 0x0020 else "0"
            except ValueError:
                first = "0"
        return first in ("1", "true", "on") and self.styles.first_row(style)

    def _children(self, parent: etree._Element, tag: str) -> Iterator[etree._Element]:
        """Children named ``tag``, looking through content controls and custom XML."""
        for child in parent:
            if child.tag == tag:
                yield child
            elif child.tag in _BLOCK_WRAPPERS:
                yield from self._children(child, tag)
            elif child.tag == w("sdt"):
                content = sdt_content(child)
                if content is not None:
                    yield from self._children(content, tag)


def _table_of_contents(sdt: etree._Element) -> bool:
    """Whether a block content control is Word's table of contents (a document part)."""
    props = sdt.find(w("sdtPr"))
    gallery = props.find(f"{w('docPartObj')}/{w('docPartGallery')}") if props is not None else None
    return gallery is not None and "contents" in gallery.get(w("val"), "").lower()


def _bottom_border_only(borders: etree._Element | None) -> bool:
    if borders is None:
        return False
    drawn = {el.tag for el in borders if el.get(w("val"), "none") not in ("none", "nil")}
    return drawn == {w("bottom")}


def _int_val(el: etree._Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(w("val"), ""))
    except ValueError:
        return default
