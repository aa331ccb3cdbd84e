"""Turn styles.xml into resolved run formatting, paragraph properties, style chains and the
default language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from ._ns import w

Fmt = Literal["strong", "emph", "underline", "strike", "sup", "sub", "smallcaps", "hidden", "code"]
Settings = dict[Fmt, bool]

_TOGGLES: dict[str, Fmt] = {
    w("b"): "strong",
    w("i"): "emph",
    w("strike"): "strike",
    w("dstrike"): "strike",
    w("smallCaps"): "smallcaps",
    w("vanish"): "hidden",
}
_FALSE = frozenset({"0", "false", "off", "none"})
MAX_CHAIN = 32


def on(el: etree._Element | None) -> bool:
    """The value of an OOXML on/off property: present without ``w:val``, or ``w:val`` true."""
    return el is not None and el.get(w("val"), "true").strip().lower() not in _FALSE


def run_settings(rpr: etree._Element | None) -> Settings:
    """The formatting a ``w:rPr`` sets explicitly (on or off); unset properties are absent."""
    out: Settings = {}
    if rpr is None:
        return out
    for child in rpr:
        tag = child.tag
        if tag in _TOGGLES:
            key = _TOGGLES[tag]
            out[key] = on(child) or (key == "strike" and out.get("strike", False))
        elif tag == w("u"):
            out["underline"] = child.get(w("val"), "single").lower() not in _FALSE
        elif tag == w("em"):  # East Asian emphasis marks: CJK's italics
            out["emph"] = child.get(w("val"), "none").lower() != "none"
        elif tag == w("vertAlign"):
            val = child.get(w("val"), "baseline")
            out["sup"] = val == "superscript"
            out["sub"] = val == "subscript"
    return out


def run_size(rpr: etree._Element | None) -> int | None:
    """The font size a ``w:rPr`` sets, in half-points."""
    return _int_attr(rpr.find(w("sz")) if rpr is not None else None, w("val"))


@dataclass(frozen=True, slots=True)
class ParaProps:
    """Paragraph properties the reader uses; None where the ``w:pPr`` does not set them.

    ``left`` and ``hanging`` are in twips (``hanging`` negative for a first-line indent);
    ``num_id``/``ilvl`` name the list the paragraph belongs to (``num_id`` "0" removes it).
    """

    jc: str | None = None
    left: int | None = None
    hanging: int | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None

    def over(self, base: ParaProps) -> ParaProps:
        """These properties where set, ``base``'s elsewhere."""
        return ParaProps(
            self.jc if self.jc is not None else base.jc,
            self.left if self.left is not None else base.left,
            self.hanging if self.hanging is not None else base.hanging,
            self.num_id if self.num_id is not None else base.num_id,
            self.ilvl if self.ilvl is not None else base.ilvl,
            self.outline if self.outline is not None else base.outline,
        )


NO_PROPS = ParaProps()
_CHAR_TWIPS = 210  # a ten-and-a-half-point CJK character: ``leftChars`` is in 1/100 of one


def para_props(ppr: etree._Element | None) -> ParaProps:
    """The properties a ``w:pPr`` sets explicitly."""
    if ppr is None:
        return NO_PROPS
    jc_el = ppr.find(w("jc"))
    jc = jc_el.get(w("val")) if jc_el is not None else None
    left = hanging = None
    ind = ppr.find(w("ind"))
    if ind is not None:
        chars = _int_attr(ind, w("leftChars"))
        if chars is None:
            chars = _int_attr(ind, w("startChars"))
        left = chars * _CHAR_TWIPS // 100 if chars is not None else None
        if left is None:
            left = _int_attr(ind, w("left"))
        if left is None:
            left = _int_attr(ind, w("start"))
        hanging = _int_attr(ind, w("hanging"))
        if hanging is None and _int_attr(ind, w("firstLine")) is not None:
            hanging = -(_int_attr(ind, w("firstLine")) or 0)
    num_id = ilvl = None
    num = ppr.find(w("numPr"))
    if num is not None:
        num_el = num.find(w("numId"))
        num_id = num_el.get(w("val")) if num_el is not None else None
        ilvl = _int_attr(num.find(w("ilvl")), w("val"))
    return ParaProps(jc, left, hanging, num_id, ilvl, outline_level(ppr))


def _int_attr(el: etree._Element | None, name: str) -> int | None:
    if el is None:
        return None
    try:
        return int(float(el.get(name, "")))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Style:
    id: str
    name: str
    kind: str
    based_on: str
    run: Settings = field(default_factory=dict)
    outline: int | None = None
    para: ParaProps = NO_PROPS
    size: int | None = None
    first_row: bool = False  # a table style that formats the header row


class Styles:
    """The document's styles, with basedOn chains resolved on demand."""

    def __init__(self, root: etree._Element | None) -> None:
        self._by_id: dict[str, Style] = {}
        self.default_para = ""
        self.defaults: Settings = {}
        self.lang_val = ""
        self.lang_east_asia = ""
        self.default_size = 20  # Word's 10 points when docDefaults set nothing
        self.default_table = ""
        self._fmt_cache: dict[tuple[str, str], Settings] = {}
        self._props_cache: dict[str, ParaProps] = {}
        if root is None:
            return
        rpr_default = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        if rpr_default is not None:
            self.defaults = run_settings(rpr_default)
            self.default_size = run_size(rpr_default) or self.default_size
            lang = rpr_default.find(w("lang"))
            if lang is not None:
                self.lang_val = lang.get(w("val"), "")
                self.lang_east_asia = lang.get(w("eastAsia"), "")
        for el in root.iter(w("style")):
            style = _style(el)
            if style.id and style.id not in self._by_id:
                self._by_id[style.id] = style
                if style.kind == "paragraph" and on_attr(el.get(w("default"))):
                    self.default_para = style.id
                if style.kind == "table" and on_attr(el.get(w("default"))):
                    self.default_table = style.id

    def get(self, style_id: str) -> Style | None:
        return self._by_id.get(style_id)

    def chain(self, style_id: str) -> tuple[Style, ...]:
        """The style and the styles it is based on, most derived first (cycles cut)."""
        out: list[Style] = []
        seen: set[str] = set()
        current = style_id
        while current and current not in seen and len(out) < MAX_CHAIN:
            seen.add(current)
            style = self._by_id.get(current)
            if style is None:
                break
            out.append(style)
            current = style.based_on
        return tuple(out)

    def outline(self, style_id: str) -> int | None:
        """The outline level (0 = top, 9 = body text) the style or one it is based on declares."""
        for style in self.chain(style_id):
            if style.outline is not None:
                return style.outline
        return None

    def props(self, style_id: str) -> ParaProps:
        """Paragraph properties the style and the styles it is based on set."""
        if style_id not in self._props_cache:
            out = NO_PROPS
            for style in self.chain(style_id):
                out = out.over(style.para)
            self._props_cache[style_id] = out
        return self._props_cache[style_id]

    def numbering_styles(self) -> dict[str, str]:
        """Numbering styles (what ``w:numStyleLink`` names) and the list each one uses."""
        return {
            s.id: s.para.num_id
            for s in self._by_id.values()
            if s.kind == "numbering" and s.para.num_id
        }

    def size(self, para_style: str, char_style: str = "") -> int:
        """The font size (half-points) runs in these styles have without direct formatting."""
        for style in (*self.chain(char_style), *self.chain(para_style)):
            if style.size is not None:
                return style.size
        return self.default_size

    def first_row(self, table_style: str) -> bool:
        """Whether the table style (or one it is based on) formats a header row."""
        return any(s.first_row for s in self.chain(table_style or self.default_table))

    def _chain_settings(self, style_id: str) -> Settings:
        out: Settings = {}
        for style in reversed(self.chain(style_id)):
            out.update(style.run)
        return out

    def para_settings(self, para_style: str) -> Settings:
        """Run formatting every run of a paragraph in ``para_style`` starts from."""
        key = (para_style, "")
        if key not in self._fmt_cache:
            out = dict(self.defaults)
            out.update(self._chain_settings(para_style))
            self._fmt_cache[key] = out
        return self._fmt_cache[key]

    def run_settings(self, para_style: str, char_style: str) -> Settings:
        """Formatting from defaults, paragraph style chain and character style chain."""
        key = (para_style, char_style)
        if key not in self._fmt_cache:
            out = dict(self.para_settings(para_style))
            out.update(self._chain_settings(char_style))
            self._fmt_cache[key] = out
        return self._fmt_cache[key]


def on_attr(value: str | None) -> bool:
    return value is not None and value.strip().lower() not in _FALSE


def _style(el: etree._Element) -> Style:
    name_el = el.find(w("name"))
    based = el.find(w("basedOn"))
    ppr = el.find(w("pPr"))
    props = para_props(ppr)
    first_row = any(t.get(w("type")) == "firstRow" and len(t) > 0 for t in el.iter(w("tblStylePr")))
    return Style(
        id=el.get(w("styleId"), ""),
        name=name_el.get(w("val"), "") if name_el is not None else "",
        kind=el.get(w("type"), "paragraph"),
        based_on=based.get(w("val"), "") if based is not None else "",
        run=run_settings(el.find(w("rPr"))),
        outline=props.outline,
        para=props,
        size=run_size(el.find(w("rPr"))),
        first_row=first_row,
    )


def outline_level(ppr: etree._Element) -> int | None:
    """The ``w:outlineLvl`` of a ``w:pPr``: 0–8 for headings, 9 for body text, None if absent."""
    el = ppr.find(w("outlineLvl"))
    if el is None:
        return None
    try:
        level = int(el.get(w("val"), ""))
    except ValueError:
        return None
    return level if 0 <= level <= 9 else None
