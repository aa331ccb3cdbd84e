"""Turn an OMML equation (``m:oMath``) into linear text, close to UnicodeMath: ``(a+b)/2``,
``x^2``, ``x_i``, ``√(x)``, ``∑_(i=1)^n a_i``, ``[a, b; c, d]``.

The essay keeps the equation's content readable in every output; it is not
typeset (the reader warns once per document).
"""

from __future__ import annotations

import re

from lxml import etree

from ._ns import M_NS, W_NS

_INVISIBLE = re.compile("[\u2061-\u2064\u200b]")
_ATOM = re.compile(r"^(?:\w+|.)$")
_ROOTS = {"2": "√", "3": "∛", "4": "∜"}


def _local(el: etree._Element) -> tuple[str, str]:
    tag = el.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return "", ""
    uri, _, local = tag[1:].partition("}")
    return uri, local


def _val(props: etree._Element | None, name: str, default: str) -> str:
    if props is None:
        return default
    el = props.find(f"{{{M_NS}}}{name}")
    if el is None:
        return default
    return str(el.get(f"{{{M_NS}}}val", default))


def _wrap(text: str) -> str:
    """The text as one operand: itself if it is one symbol or word, else in parentheses."""
    text = text.strip()
    if _ATOM.match(text) or (text.startswith("(") and text.endswith(")")):
        return text
    return f"({text})"


class _Linear:
    def __init__(self) -> None:
        self.depth = 0

    def children(self, el: etree._Element) -> str:
        return "".join(self.node(child) for child in el)

    def part(self, el: etree._Element, name: str) -> str:
        found = el.find(f"{{{M_NS}}}{name}")
        return self.children(found).strip() if found is not None else ""

    def node(self, el: etree._Element) -> str:
        uri, name = _local(el)
        if uri == W_NS:
            return "".join(t.text or "" for t in el.iter(f"{{{W_NS}}}t"))
        if uri != M_NS or name.endswith("Pr"):
            return ""
        self.depth += 1
        if self.depth > 64:
            raise RecursionError("equation nested too deeply")
        try:
            return self._element(el, name)
        finally:
            self.depth -= 1

    def _element(self, el: etree._Element, name: str) -> str:
        props = el.find(f"{{{M_NS}}}{name}Pr")
        match name:
            case "r":
                return "".join(t.text or "" for t in el.iter(f"{{{M_NS}}}t"))
            case "f":
                num, den = self.part(el, "num"), self.part(el, "den")
                return f"{_wrap(num)}/{_wrap(den)}"
            case "sSup":
                return f"{_wrap(self.part(el, 'e'))}^{_wrap(self.part(el, 'sup'))}"
            case "sSub":
                return f"{_wrap(self.part(el, 'e'))}_{_wrap(self.part(el, 'sub'))}"
            case "sSubSup":
                base, sub, sup = (self.part(el, n) for n in ("e", "sub", "sup"))
                return f"{_wrap(base)}_{_wrap(sub)}^{_wrap(sup)}"
            case "sPre":
                base, sub, sup = (self.part(el, n) for n in ("e", "sub", "sup"))
                return f"_{_wrap(sub)}^{_wrap(sup)}{_wrap(base)}"
            case "rad":
                deg, base = self.part(el, "deg"), self.part(el, "e")
                if deg in _ROOTS or not deg:
                    return f"{_ROOTS.get(deg, '√')}{_wrap(base)}"
                return f"√({deg}&{base})"
            case "nary":
                op = _val(props, "chr", "∫")
                sub, sup, base = (self.part(el, n) for n in ("sub", "sup", "e"))
                limits = (f"_{_wrap(sub)}" if sub else "") + (f"^{_wrap(sup)}" if sup else "")
                return f"{op}{limits} {base}"
            case "d":
                beg, end = _val(props, "begChr", "("), _val(props, "endChr", ")")
                sep = _val(props, "sepChr", "|")
                parts = [self.children(e).strip() for e in el.findall(f"{{{M_NS}}}e")]
                return f"{beg}{sep.join(parts)}{end}"
            case "func":
                fname, arg = self.part(el, "fName"), self.part(el, "e")
                return f"{fname}{arg}" if arg[:1] in "([{|" else f"{fname} {arg}"
            case "acc":
                return self.part(el, "e") + _val(props, "chr", "\u0302")
            case "bar":
                return self.part(el, "e") + "\u0305"
            case "limLow":
                return f"{self.part(el, 'e')}_{_wrap(self.part(el, 'lim'))}"
            case "limUpp":
                return f"{self.part(el, 'e')}^{_wrap(self.part(el, 'lim'))}"
            case "eqArr":
                return "; ".join(self.children(e).strip() for e in el.findall(f"{{{M_NS}}}e"))
            case "m":
                rows = [
                    ", ".join(self.children(e).strip() for e in mr.findall(f"{{{M_NS}}}e"))
                    for mr in el.findall(f"{{{M_NS}}}mr")
                ]
                return f"[{'; '.join(rows)}]"
            case "phant" if _val(props, "show", "on") in ("off", "0", "false"):
                return ""
            case _:
                return self.children(el)


def linear(el: etree._Element) -> str:
    """The linear text of an ``m:oMath`` (or any OMML element)."""
    text = _INVISIBLE.sub("", _Linear().node(el))
    return " ".join(text.split())
