"""Turn running heads and folios into header and footer parts, made directly and cheaply.

python-docx's ``is_linked_to_previous = False`` names each new part and
relationship by walking the whole package and every relationship (quadratic:
two thirds of the writing time of a 100-essay book). Here names and ids come
from counters, checked against those the reference document already uses.
"""

from __future__ import annotations

from typing import Literal, cast

from docx.enum.section import WD_HEADER_FOOTER
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.parser import parse_xml
from docx.oxml.text.paragraph import CT_P
from docx.parts.document import DocumentPart
from docx.parts.hdrftr import FooterPart, HeaderPart
from docx.section import Section
from docx.text.paragraph import Paragraph

from .base import W_NS, Story

Kind = Literal["header", "footer"]
Page = Literal["default", "even", "first"]
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = {"default": WD_HEADER_FOOTER.PRIMARY, "even": WD_HEADER_FOOTER.EVEN_PAGE,
          "first": WD_HEADER_FOOTER.FIRST_PAGE}  # fmt: skip


class RunningHeads:
    """Header and footer parts of one document."""

    def __init__(self, document_part: DocumentPart) -> None:
        self._part = document_part
        package = document_part.package
        assert package is not None
        self._package = package
        self._names = {str(p.partname) for p in package.iter_parts()}
        self._next = {"header": 1, "footer": 1}
        self._rid = 1

    def add(self, section: Section, kind: Kind, page: Page, style_id: str) -> Paragraph:
        """A new header or footer of ``section`` for ``page``; its one paragraph, styled."""
        n = self._next[kind]
        while f"/word/{kind}{n}.xml" in self._names:
            n += 1
        self._next[kind] = n + 1
        name = f"/word/{kind}{n}.xml"
        self._names.add(name)
        tag = "hdr" if kind == "header" else "ftr"
        element = parse_xml(
            f'<w:{tag} xmlns:w="{W_NS}" xmlns:r="{_R_NS}"><w:p><w:pPr>'
            f'<w:pStyle w:val="{style_id}"/></w:pPr></w:p></w:{tag}>'
        )
        if kind == "header":
            part: HeaderPart | FooterPart = HeaderPart(PackURI(name), CT.WML_HEADER, element,
                                                       self._package)  # fmt: skip
        else:
            part = FooterPart(PackURI(name), CT.WML_FOOTER, element, self._package)
        rels = self._part.rels
        while f"rId{self._rid}" in rels:
            self._rid += 1
        rid = f"rId{self._rid}"
        rels.add_relationship(RT.HEADER if kind == "header" else RT.FOOTER, part, rid)
        sect_pr = section._sectPr
        for old in sect_pr.xpath(f"w:{kind}Reference[@w:type='{_TYPES[page].xml_value}']"):
            sect_pr.remove(old)
        if kind == "header":
            sect_pr.add_headerReference(_TYPES[page], rid)
        else:
            sect_pr.add_footerReference(_TYPES[page], rid)
        return Paragraph(cast(CT_P, element[0]), Story(element, part))
