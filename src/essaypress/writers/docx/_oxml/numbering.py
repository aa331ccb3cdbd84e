"""Turn lists into Word numbering: one ``w:num`` instance per list over shared definitions."""

from __future__ import annotations

from copy import deepcopy
from typing import Any, cast

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.parts.document import DocumentPart
from docx.parts.numbering import NumberingPart
from docx.text.paragraph import Paragraph

from .base import W_NS

LIST_KINDS = ("bullet", "decimal", "lower-alpha", "upper-alpha", "lower-roman", "upper-roman",
              "cjk-hant", "cjk-hans")  # fmt: skip


class Numbering:
    """List instances: one ``w:num`` per list, over the reference's abstract definitions.

    ``LIST_KINDS[i]`` is abstractNum ``i`` in the built-in numbering.xml; a
    reference whose numbering differs gets those definitions copied in.
    """

    def __init__(self, document_part: DocumentPart, builtin_numbering: bytes) -> None:
        try:
            part = document_part.part_related_by(RT.NUMBERING)
        except KeyError:
            package = document_part.package
            assert package is not None
            element = parse_xml(f'<w:numbering xmlns:w="{W_NS}"/>')
            part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element,
                                 package)  # fmt: skip
            document_part.relate_to(part, RT.NUMBERING)
        self._el = cast(Any, part).element
        source = parse_xml(builtin_numbering)
        wanted = [source.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{i}']")
                  for i in range(len(LIST_KINDS))]  # fmt: skip
        have = {a.get(qn("w:abstractNumId")): a for a in self._el.findall(qn("w:abstractNum"))}
        same = all(
            w is not None and str(i) in have and _formats(have[str(i)]) == _formats(w)
            for i, w in enumerate(wanted)
        )
        if same:
            self._abstract = {k: i for i, k in enumerate(LIST_KINDS)}
            return
        base = max([-1, *(int(k or 0) for k in have)]) + 1
        first_num = self._el.find(qn("w:num"))
        self._abstract = {}
        for i, (kind, a) in enumerate(zip(LIST_KINDS, wanted, strict=True)):
            assert a is not None
            copy = deepcopy(a)
            copy.set(qn("w:abstractNumId"), str(base + i))
            if first_num is not None:
                first_num.addprevious(copy)
            else:
                self._el.append(copy)
            self._abstract[kind] = base + i

    def new_list(self, kind: str, start: int, level: int) -> int:
        """A new list instance whose numbering restarts at ``start`` on ``level``."""
        num = self._el.add_num(self._abstract[kind])
        num.add_lvlOverride(ilvl=level).add_startOverride(max(0, start))
        return int(num.numId)


def _formats(abstract: Any) -> list[str | None]:
    return [f.get(qn("w:val")) for f in abstract.iter(qn("w:numFmt"))]


def set_list_level(paragraph: Paragraph, num_id: int, level: int) -> None:
    num_pr = cast(Any, paragraph._p.get_or_add_pPr()).get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
