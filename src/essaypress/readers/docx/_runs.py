"""Turn the runs of one paragraph (text, breaks, notes, pictures, fields, equations, content
controls, tracked changes) into RunItem records, with formatting resolved through styles.

Containers that only wrap content are walked through (``w:ins``, ``w:moveTo``,
``w:smartTag``, ``w:customXml``, ``w:sdt``); deleted and moved-away text
(``w:del``, ``w:moveFrom``) and hidden text are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Literal

from lxml import etree

from ._context import State, alternate
from ._fields import Fields, LinkClose, LinkOpen, instruction
from ._images import Images
from ._math import linear
from ._ns import m, mc, r, w
from ._records import BlockRecord, Break, Fmts, Hyperlink, Math, NoteRef, RunItem, Text
from ._roles import compact
from ._styles import Fmt, on, run_settings, run_size
from ._symbols import CHECKBOX, decode, decode_text, is_box

Item = RunItem | LinkOpen | LinkClose

W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
_INLINE_WRAPPERS = frozenset(
    {w("ins"), w("moveTo"), w("smartTag"), w("customXml"), w("dir"), w("bdo")}
)
_FMT_NAMES: tuple[Fmt, ...] = (
    "strong", "emph", "underline", "strike", "sup", "sub", "smallcaps", "code",
)  # fmt: skip
_CODE_STYLES = frozenset(
    {
        "verbatimchar", "htmlcode", "htmltypewriter", "htmlkeyboard", "htmlsample",
        "sourcecodechar", "codechar", "inlinecode", "code",
    }
)  # fmt: skip


def sdt_content(sdt: etree._Element) -> etree._Element | None:
    """A content control's content, or None while it shows only its placeholder prompt."""
    props = sdt.find(w("sdtPr"))
    if props is not None and on(props.find(w("showingPlcHdr"))):
        return None
    return sdt.find(w("sdtContent"))


def fold(items: Iterable[Item]) -> tuple[RunItem, ...]:
    """Run items with the results of HYPERLINK fields folded into Hyperlink records."""
    stack: list[tuple[str, list[RunItem]]] = [("", [])]
    for item in items:
        if isinstance(item, LinkOpen):
            stack.append((item.url, []))
        elif isinstance(item, LinkClose):
            if len(stack) > 1:
                url, inner = stack.pop()
                stack[-1][1].append(Hyperlink(tuple(inner), url))
        else:
            stack[-1][1].append(item)
    while len(stack) > 1:
        url, inner = stack.pop()
        stack[-1][1].append(Hyperlink(tuple(inner), url))
    return tuple(stack[0][1])


class RunWalker:
    """Walks the inline content of one part (document, notes) with that part's relationships."""

    def __init__(
        self,
        state: State,
        part: str,
        blocks: Callable[[etree._Element], list[BlockRecord]],
        *,
        in_note: bool = False,
    ) -> None:
        self.state = state
        self.styles = state.styles
        self.part = part
        self.rels = state.pkg.rels(part)
        self.in_note = in_note
        self.images = Images(state, self.rels, blocks)
        self.fields = Fields()
        self.max_size = 0  # the largest font size of text in the current paragraph

    def inline(self, container: etree._Element, pstyle: str) -> Iterator[Item]:
        for child in container:
            tag = child.tag
            if tag == w("r"):
                yield from self.run(child, pstyle)
            elif tag == w("hyperlink"):
                yield self.hyperlink(child, pstyle)
            elif tag in _INLINE_WRAPPERS:
                yield from self.inline(child, pstyle)
            elif tag == w("fldSimple"):
                yield from self.simple_field(child, pstyle)
            elif tag == w("sdt"):
                yield from self.control(child, pstyle)
            elif tag == mc("AlternateContent"):
                for el in alternate(child):
                    yield from self.inline(el, pstyle)
            elif tag == m("oMath") and not self.fields.hidden:
                yield self.math(child, display=False)
            elif tag == m("oMathPara") and not self.fields.hidden:
                for eq in child.iter(m("oMath")):
                    yield self.math(eq, display=True)

    def math(self, el: etree._Element, *, display: bool) -> Math:
        self.state.warn_once(
            "docx-equation",
            "equations are kept as linear text (a/b, x^2, √x), not typeset — "
            "check them in the outputs",
        )
        return Math(linear(el), display)

    def control(self, sdt: etree._Element, pstyle: str) -> Iterator[Item]:
        """A content control's content; a checkbox control as ☐ or ☒."""
        content = sdt_content(sdt)
        props = sdt.find(w("sdtPr"))
        box = props.find(f"{{{W14_NS}}}checkbox") if props is not None else None
        items = list(self.inline(content, pstyle)) if content is not None else []
        if box is None:
            yield from items
            return
        if any(isinstance(i, Text) and is_box(i.text) for i in items):
            yield from items
            return
        checked = box.find(f"{{{W14_NS}}}checked")
        ticked = checked is not None and checked.get(f"{{{W14_NS}}}val", "1") in ("1", "true")
        yield Text(CHECKBOX[ticked])

    def simple_field(self, el: etree._Element, pstyle: str) -> Iterator[Item]:
        kind, url = instruction(el.get(w("instr"), ""))
        if kind == "toc":
            return
        if kind == "link":
            yield Hyperlink(fold(self.inline(el, pstyle)), url)
            return
        yield from self.inline(el, pstyle)

    def hyperlink(self, el: etree._Element, pstyle: str) -> Hyperlink:
        items = fold(self.inline(el, pstyle))
        rel = self.rels.get(el.get(r("id"), ""))
        url = rel.target if rel is not None and rel.external else ""
        if url and el.get(w("anchor")):
            url = f"{url}#{el.get(w('anchor'))}"
        return Hyperlink(items, url)

    def run(self, run: etree._Element, pstyle: str) -> Iterator[Item]:
        rpr = run.find(w("rPr"))
        cstyle = font = ""
        size: int | None = None
        if rpr is not None:
            cs = rpr.find(w("rStyle"))
            cstyle = cs.get(w("val"), "") if cs is not None else ""
            fonts = rpr.find(w("rFonts"))
            if fonts is not None:
                font = fonts.get(w("ascii"), "") or fonts.get(w("hAnsi"), "")
            size = run_size(rpr)
        settings = dict(self.styles.run_settings(pstyle, cstyle))
        settings.update(run_settings(rpr))
        if settings.get("hidden"):
            return
        chain = self.styles.chain(cstyle) if cstyle else ()
        if any("hyperlink" in s.id.lower() for s in chain):
            settings["underline"] = False  # the link look, not an emphasis
        if any(compact(s.id) in _CODE_STYLES or compact(s.name) in _CODE_STYLES for s in chain):
            settings["code"] = True
        if not self.fields.hidden and any((t.text or "").strip() for t in run.iter(w("t"))):
            self.max_size = max(self.max_size, size or self.styles.size(pstyle, cstyle))
        fmt = frozenset(k for k in _FMT_NAMES if settings.get(k))
        yield from self._run_children(run, fmt, font)

    def _run_children(
        self, children: Iterable[etree._Element], fmt: Fmts, font: str = ""
    ) -> Iterator[Item]:
        fields = self.fields
        for child in children:
            tag = child.tag
            if tag == w("fldChar"):
                yield from fields.fld_char(child)
            elif tag == w("instrText"):
                fields.instr_text(child.text or "")
            elif fields.hidden:
                continue
            elif tag == w("t"):
                if child.text:
                    text = decode_text(child.text, font) if font else child.text
                    yield Text(text, fmt)
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
                yield from self._run_children(alternate(child), fmt, font)
            elif tag == w("commentReference"):
                self.state.warn_once(
                    "docx-comments", "comments in the document are never published; left out"
                )


def _symbol(el: etree._Element) -> str:
    try:
        code = int(el.get(w("char"), ""), 16)
    except ValueError:
        return ""
    return decode(code, el.get(w("font"), ""))
