"""Turn notes into real Word footnotes: the footnotes part, its separators, references, marks."""

from __future__ import annotations

from typing import cast

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.oxml.text.run import CT_R
from docx.parts.document import DocumentPart
from docx.parts.story import StoryPart
from docx.text.run import Run

from .base import W_NS, Story, w


class Footnotes:
    """The document's footnotes part, emptied of the reference's sample notes."""

    def __init__(self, document_part: DocumentPart) -> None:
        partname, element = PackURI("/word/footnotes.xml"), None
        for rid, rel in list(document_part.rels.items()):
            if rel.reltype == RT.FOOTNOTES and not rel.is_external:
                old = rel.target_part
                partname, element = old.partname, parse_xml(old.blob)
                document_part.drop_rel(rid)
        if element is None:
            element = parse_xml(f'<w:footnotes xmlns:w="{W_NS}"/>')
        kept = {"separator", "continuationSeparator", "continuationNotice"}
        for fn in element.findall(qn("w:footnote")):
            if fn.get(qn("w:type")) not in kept:
                element.remove(fn)
        if element.find(qn("w:footnote")) is None:
            for ident, kind in (("-1", "separator"), ("0", "continuationSeparator")):
                note = w("footnote", type=kind, id=ident)
                note.append(w("p"))
                note[0].append(w("r"))
                note[0][0].append(w(kind))
                element.append(note)
        ids = [int(fn.get(qn("w:id"), "0")) for fn in element.findall(qn("w:footnote"))]
        self._next = max([0, *ids]) + 1
        package = document_part.package
        assert package is not None
        self.part = StoryPart(partname, CT.WML_FOOTNOTES, element, package)
        document_part.relate_to(self.part, RT.FOOTNOTES)

    def new(self) -> tuple[int, Story]:
        """A new, empty footnote: its id and its body."""
        ident, self._next = self._next, self._next + 1
        note = w("footnote", id=str(ident))
        self.part.element.append(note)
        return ident, Story(note, self.part)

    @staticmethod
    def mark(body: Story, ref_style_id: str, text_style_id: str) -> None:
        """Put the note's number (``w:footnoteRef``) at the start of its first paragraph."""
        element = body._element
        first = element[0] if len(element) else None
        if first is None or first.tag != qn("w:p"):
            first = w("p")
            first.append(w("pPr"))
            first[0].append(w("pStyle", val=text_style_id))
            element.insert(0, first)
        ref = w("r")
        ref.append(w("rPr"))
        ref[0].append(w("rStyle", val=ref_style_id))
        ref.append(w("footnoteRef"))
        space = cast(CT_R, w("r"))
        space.text = " "
        at = 1 if len(first) and first[0].tag == qn("w:pPr") else 0
        first.insert(at, ref)
        first.insert(at + 1, space)


def add_footnote_reference(run: Run, note_id: int) -> None:
    run._r.append(w("footnoteReference", id=str(note_id)))
