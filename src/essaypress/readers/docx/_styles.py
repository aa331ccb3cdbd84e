"""Turn styles.xml into resolved run formatting, style chains and the default language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from ._ns import w

Fmt = Literal["strong", "emph", "underline", "strike", "sup", "sub", "smallcaps", "hidden"]
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


@dataclass(frozen=True, slots=True)
class Style:
    id: str
    name: str
    kind: str
    based_on: str
    run: Settings = field(default_factory=dict)
    outline: int | None = None


class Styles:
    """The document's styles, with basedOn chains resolved on demand."""

    def __init__(self, root: etree._Element | None) -> None:
        self._by_id: dict[str, Style] = {}
        self.default_para = ""
        self.defaults: Settings = {}
        self.lang_val = ""
        self.lang_east_asia = ""
        self._fmt_cache: dict[tuple[str, str], Settings] = {}
        if root is None:
            return
        rpr_default = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        if rpr_default is not None:
            self.defaults = run_settings(rpr_default)
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
    outline: int | None = None
    if ppr is not None:
        outline = outline_level(ppr)
    return Style(
        id=el.get(w("styleId"), ""),
        name=name_el.get(w("val"), "") if name_el is not None else "",
        kind=el.get(w("type"), "paragraph"),
        based_on=based.get(w("val"), "") if based is not None else "",
        run=run_settings(el.find(w("rPr"))),
        outline=outline,
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
