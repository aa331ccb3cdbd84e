"""Turn style choices into XML: style references, fonts, language tags, styles copied in."""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from typing import Any

from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .base import RPR_ORDER, get_or_insert, w

_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_FONT_ATTRS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")


def set_style(target: Paragraph | Run, style_id: str) -> None:
    """``w:pStyle`` or ``w:rStyle``: the only formatting essaypress puts on its own."""
    if isinstance(target, Paragraph):
        target._p.style = style_id
    else:
        target._r.style = style_id


def retarget_fonts(styles: Any, mapping: dict[str, str]) -> None:
    """Replace font names in every ``w:rFonts`` and drop theme fonts, which would override them."""
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in _THEME_FONT_ATTRS:
            rfonts.attrib.pop(qn(attr), None)
        for attr in _FONT_ATTRS:
            value = rfonts.get(qn(attr))
            if value in mapping:
                rfonts.set(qn(attr), mapping[value])


def _default_rpr(styles: Any) -> Any:
    doc_defaults = styles.find(qn("w:docDefaults"))
    if doc_defaults is None:
        doc_defaults = w("docDefaults")
        styles.insert(0, doc_defaults)
    rpr_default = doc_defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = w("rPrDefault")
        doc_defaults.insert(0, rpr_default)
    return get_or_insert(rpr_default, "rPr", ["rPr"])


def ensure_east_asian_font(styles: Any, serif: str) -> None:
    """Give the document defaults an explicit East Asian font if they only name a theme font."""
    rfonts = get_or_insert(_default_rpr(styles), "rFonts", RPR_ORDER)
    if rfonts.get(qn("w:eastAsia")) is None:
        rfonts.set(qn("w:eastAsia"), serif)
        rfonts.attrib.pop(qn("w:eastAsiaTheme"), None)


def set_default_lang(styles: Any, val: str, east_asia: str) -> None:
    lang = get_or_insert(_default_rpr(styles), "lang", RPR_ORDER)
    lang.set(qn("w:val"), val)
    lang.set(qn("w:eastAsia"), east_asia)


def set_tab_stops(styles: Any, style_ids: Iterable[str], pos: int) -> None:
    """Move the right-aligned tab stops of some styles (the TOC's) to ``pos`` twips."""
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) in style_ids:
            for tab in style.iter(qn("w:tab")):
                if tab.get(qn("w:val")) == "right":
                    tab.set(qn("w:pos"), str(pos))


def set_run_lang(run: Run, val: str, east_asia: str) -> None:
    lang = get_or_insert(run._r.get_or_add_rPr(), "lang", RPR_ORDER)
    lang.set(qn("w:val"), val)
    lang.set(qn("w:eastAsia"), east_asia)


def set_emphasis_mark(run: Run) -> None:
    """Chinese emphasis dots (着重號) where the Emphasis Mark style cannot be the run's style."""
    get_or_insert(run._r.get_or_add_rPr(), "em", RPR_ORDER).set(qn("w:val"), "underDot")


def copy_style(styles: Any, builtin_styles: bytes, style_id: str) -> None:
    """Copy a style (and the styles it is based on) from the built-in reference, if absent."""
    source = parse_xml(builtin_styles)
    have = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    while style_id and style_id not in have:
        found = source.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
        if found is None:
            return
        styles.append(deepcopy(found))
        have.add(style_id)
        based = found.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val"), "") if based is not None else ""
