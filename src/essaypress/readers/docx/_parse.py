"""Turn the OOXML parts of a package into docx-shaped records (pandoc's Docx/Parse.hs).

The walk is our own, not python-docx's: python-docx silently drops content
inside ``w:ins``, ``w:sdt``, ``w:fldSimple`` and ``w:smartTag``. Containers
that only wrap content are walked through; deleted text is skipped; what
this first cut cannot represent (text boxes, charts, equations, comments) is
reported once per document as a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from lxml import etree

from ._context import State, alternate
from ._images import Images
from ._ns import CP_NS, DC_NS, m, mc, r, w
from ._package import Package, is_word_root
from ._records import BlockRecord as Block
from ._records import (
    Break,
    Cell,
    Document,
    Fmts,
    Hyperlink,
    NoteRef,
    Paragraph,
    Row,
    RunItem,
    StyleRef,
    TableRecord,
    Text,
)
from ._styles import Fmt, Styles, on, outline_level, run_settings

MAX_SPAN = 1000
# Wrappers whose children are read as if they stood in the wrapper's place.
_BLOCK_WRAPPERS = frozenset({w("customXml"), w("ins"), w("moveTo"), w("smartTag")})
_INLINE_WRAPPERS = frozenset(
    {w("ins"), w("moveTo"), w("smartTag"), w("customXml"), w("fldSimple"), w("dir"), w("bdo")}
)
_FMT_NAMES: tuple[Fmt, ...] = ("strong", "emph", "underline", "strike", "sup", "sub", "smallcaps")
_SYMBOL = {
    **dict(zip(range(0x41, 0x5B), "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ", strict=True)),
    **dict(zip(range(0x61, 0x7B), "αβχδεφγηιϕκλμνοπθρστυϖωξψζ", strict=True)),
    **dict(zip(b"\"$'*-@\\^", "∀∃∋∗−≅∴⊥", strict=True)),
    **dict(zip(range(0xA3, 0xBD), "≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…", strict=True)),
    **dict(zip(range(0xC4, 0xE0), "⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓", strict=True)),
    0xE0: "◊", 0xE1: "〈", 0xE5: "∑", 0xF1: "〉", 0xF2: "∫",
}  # fmt: skip


def parse(pkg: Package) -> Document:
    """Read the main part, its notes, core properties and styles into records."""
    root = pkg.xml(pkg.main)
    if root is None or not is_word_root(root):
        raise pkg.error(
            f"not a Word document ({pkg.main} is not a WordprocessingML document)",
            "save it as .docx from Word",
        )
    styles_part = pkg.related(pkg.main, "styles")
    styles = Styles(pkg.xml(styles_part) if styles_part else None)
    state = State(pkg, styles)
    body = root.find(w("body"))
    records = _Walker(state, pkg.main).blocks(body) if body is not None else []
    footnotes = _notes(state, "footnotes", "footnote")
    endnotes = _notes(state, "endnotes", "endnote")
    title, creator = _core(pkg)
    state.report()
    return Document(
        body=tuple(records),
        footnotes=footnotes,
        endnotes=endnotes,
        media=state.media,
        core_title=title,
        core_creator=creator,
        lang_val=styles.lang_val,
        lang_east_asia=styles.lang_east_asia,
    )


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


class _Walker:
    """Walks one part (document, footnotes or endnotes) with that part's relationships."""

    def __init__(self, state: State, part: str, *, in_note: bool = False) -> None:
        self.state = state
        self.styles = state.styles
        self.part = part
        self.rels = state.pkg.rels(part)
        self.in_note = in_note
        self.images = Images(state, self.rels)

    # ---------------------------------------------------------------- blocks

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
                content = _sdt_content(child)
                if content is not None:
                    yield from self._block_children(content)
            elif tag == mc("AlternateContent"):
                for el in alternate(child):
                    yield from self._block_children(el)
            elif tag == w("altChunk"):
                self.state.warn_once("docx-altchunk", "an embedded document (altChunk) is left out")

    def paragraph(self, p: etree._Element) -> Paragraph:
        self.state.paragraphs += 1
        ppr = p.find(w("pPr"))
        style_id = ""
        outline: int | None = None
        drop_cap = rule_after = False
        if ppr is not None:
            style_el = ppr.find(w("pStyle"))
            style_id = style_el.get(w("val"), "") if style_el is not None else ""
            outline = outline_level(ppr)
            frame = ppr.find(w("framePr"))
            drop_cap = frame is not None and frame.get(w("dropCap"), "none") != "none"
            rule_after = _bottom_border_only(ppr.find(w("pBdr")))
        style_id = style_id or self.styles.default_para
        chain = self.styles.chain(style_id)
        refs = tuple(StyleRef(s.id, s.name) for s in chain) or (StyleRef(style_id, ""),)
        if outline is None:
            outline = self.styles.outline(style_id)
        settings = self.styles.para_settings(style_id)
        style_fmt = frozenset(k for k in _FMT_NAMES if settings.get(k))
        items = tuple(self.inline(p, style_id))
        return Paragraph(
            refs, outline, items, style_fmt, self.state.paragraphs, drop_cap, rule_after
        )

    def table(self, tbl: etree._Element) -> TableRecord:
        rows: list[Row] = []
        for tr in self._children(tbl, w("tr")):
            trpr = tr.find(w("trPr"))
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
        return TableRecord(tuple(rows))

    def _children(self, parent: etree._Element, tag: str) -> Iterator[etree._Element]:
        """Children named ``tag``, looking through content controls and custom XML."""
        for child in parent:
            if child.tag == tag:
                yield child
            elif child.tag in _BLOCK_WRAPPERS:
                yield from self._children(child, tag)
            elif child.tag == w("sdt"):
                content = _sdt_content(child)
                if content is not None:
                    yield from self._children(content, tag)

    # --------------------------------------------------------------- inlines

    def inline(self, container: etree._Element, pstyle: str) -> Iterator[RunItem]:
        for child in container:
            tag = child.tag
            if tag == w("r"):
                yield from self.run(child, pstyle)
            elif tag == w("hyperlink"):
                yield self.hyperlink(child, pstyle)
            elif tag in _INLINE_WRAPPERS:
                yield from self.inline(child, pstyle)
            elif tag == w("sdt"):
                content = _sdt_content(child)
                if content is not None:
                    yield from self.inline(content, pstyle)
            elif tag == mc("AlternateContent"):
                for el in alternate(child):
                    yield from self.inline(el, pstyle)
            elif tag in (m("oMath"), m("oMathPara")):
                self.state.warn_once("docx-equation", "equations are left out")

    def hyperlink(self, el: etree._Element, pstyle: str) -> Hyperlink:
        items = tuple(self.inline(el, pstyle))
        rel = self.rels.get(el.get(r("id"), ""))
        url = rel.target if rel is not None and rel.external else ""
        if url and el.get(w("anchor")):
            url = f"{url}#{el.get(w('anchor'))}"
        return Hyperlink(items, url)

    def run(self, run: etree._Element, pstyle: str) -> Iterator[RunItem]:
        rpr = run.find(w("rPr"))
        cstyle = ""
        if rpr is not None:
            cs = rpr.find(w("rStyle"))
            cstyle = cs.get(w("val"), "") if cs is not None else ""
        settings = dict(self.styles.run_settings(pstyle, cstyle))
        settings.update(run_settings(rpr))
        if settings.get("hidden"):
            return
        if cstyle and any("hyperlink" in s.id.lower() for s in self.styles.chain(cstyle)):
            settings["underline"] = False  # the link look, not an emphasis
        fmt = frozenset(k for k in _FMT_NAMES if settings.get(k))
        yield from self._run_children(run, fmt)

    def _run_children(self, children: Iterable[etree._Element], fmt: Fmts) -> Iterator[RunItem]:
        for child in children:
            tag = child.tag
            if tag == w("t"):
                if child.text:
                    yield Text(child.text, fmt)
            elif tag in (w("tab"), w("ptab")):
                yield Text("\t", fmt)
            elif tag == w("br"):
                if child.get(w("type"), "textWrapping") == "textWrapping":
                    yield Break(fmt)
            elif tag == w("cr"):
                yield Break(fmt)
            elif tag == w("noBreakHyphen"):
                yield Text("\u2011", fmt)
            elif tag == w("sym"):
                yield Text(_symbol(child), fmt)
            elif tag in (w("footnoteReference"), w("endnoteReference")):
                if not self.in_note and child.get(w("id")) is not None:
                    kind: Literal["footnote", "endnote"] = (
                        "footnote" if tag == w("footnoteReference") else "endnote"
                    )
                    yield NoteRef(kind, child.get(w("id"), ""))
            elif tag == w("drawing"):
                yield from self.images.drawing(child)
            elif tag in (w("pict"), w("object")):
                yield from self.images.vml(child)
            elif tag == mc("AlternateContent"):
                yield from self._run_children(alternate(child), fmt)
            elif tag == w("commentReference"):
                self.state.warn_once("docx-comments", "comments in the document are left out")

    # ---------------------------------------------------------------- images


def _sdt_content(sdt: etree._Element) -> etree._Element | None:
    """A content control's content, or None while it shows only its placeholder prompt."""
    props = sdt.find(w("sdtPr"))
    if props is not None and on(props.find(w("showingPlcHdr"))):
        return None
    return sdt.find(w("sdtContent"))


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


def _symbol(el: etree._Element) -> str:
    try:
        code = int(el.get(w("char"), ""), 16)
    except ValueError:
        return ""
    font = el.get(w("font"), "").lower()
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    if font == "symbol":
        return _SYMBOL.get(code, "")
    if font.startswith(("wingdings", "webdings")):
        return ""  # pictographs with no faithful Unicode mapping
    return chr(code) if 0x20 <= code < 0xD800 or 0xE000 <= code <= 0x10FFFF else ""
