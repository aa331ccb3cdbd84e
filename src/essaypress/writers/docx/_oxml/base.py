"""Turn element names and schema orders into well-placed OOXML elements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement

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
