"""Turn what python-docx has no API for into raw OOXML: the only DOCX module that edits XML.

Footnotes (the part, its separators, references and marks), fields (PAGE,
TOC), bookmarks, hyperlinks, list numbering instances, East Asian
fonts and language tags, settings, section-break folding and table details.
Everything else goes through python-docx's proxies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import deepcopy
from typing import Any, cast

from docx.blkcntnr import BlockItemContainer
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement, parse_xml
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.document import DocumentPart
from docx.parts.numbering import NumberingPart
from docx.parts.story import StoryPart
from docx.shape import InlineShape
from docx.shared import Length
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_FONT_ATTRS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
_RPR_ORDER = """rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss
    imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight
    u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath""".split()  # noqa: SIM905
_SETTINGS_ORDER = """writeProtection view zoom removePersonalInformation removeDateAndTime
    doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText
    printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts
    saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges bordersDoNotSurroundHeader
    bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors hideGrammaticalErrors
    activeWritingStyle proofState formsDesign attachedTemplate linkStyles
    stylePaneFormatFilter stylePaneSortMethod documentType mailMerge revisionView
    trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection autoFormatOverride
    styleLockTheme styleLockQFSet defaultTabStop autoHyphenation consecutiveHyphenLimit
    hyphenationZone doNotHyphenateCaps showEnvelope summaryLength clickAndTypeStyle
    defaultTableStyle evenAndOddHeaders bookFoldRevPrinting bookFoldPrinting
    bookFoldPrintingSheets drawingGridHorizontalSpacing drawingGridVerticalSpacing
    displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery
    doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin drawingGridVerticalOrigin
    doNotShadeFormData noPunctuationKerning characterSpacingControl printTwoOnOne
    strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore savePreviewPicture
    doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText
    doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags
    alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat docVars
    rsids mathPr attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats
    doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType
    schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator""".split()  # noqa: SIM905


def _w(tag: str, **attrs: str) -> BaseOxmlElement:
    element = OxmlElement(f"w:{tag}", attrs={qn(f"w:{k}"): v for k, v in attrs.items()})
    return cast(BaseOxmlElement, element)


def _insert_ordered(parent: Any, child: Any, order: Sequence[str]) -> Any:
    """Insert ``child`` among ``parent``'s children where the schema sequence wants it."""
    local = child.tag.rpartition("}")[2]
    later = {qn(f"w:{t}") for t in order[order.index(local) + 1 :]}
    for i, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def _get_or_insert(parent: Any, tag: str, order: Sequence[str]) -> Any:
    found = parent.find(qn(f"w:{tag}"))
    return found if found is not None else _insert_ordered(parent, _w(tag), order)


# ------------------------------------------------------------------ footnotes


class _PartHolder:
    def __init__(self, part: StoryPart) -> None:
        self._part = part

    @property
    def part(self) -> StoryPart:
        return self._part


class NoteBody(BlockItemContainer):
    """The body of one footnote, filled with python-docx paragraphs and tables."""

    def __init__(self, element: BaseOxmlElement, part: StoryPart) -> None:
        super().__init__(cast(Any, element), _PartHolder(part))

    def _add_paragraph(self) -> Paragraph:
        p = cast(CT_P, OxmlElement("w:p"))
        self._element.append(p)
        return Paragraph(p, self)

    def add_table(self, rows: int, cols: int, width: Length) -> Table:
        tbl = CT_Tbl.new_tbl(rows, cols, width)
        self._element.append(tbl)
        return Table(tbl, self)


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
                note = _w("footnote", type=kind, id=ident)
                note.append(_w("p"))
                note[0].append(_w("r"))
                note[0][0].append(_w(kind))
                element.append(note)
        ids = [int(fn.get(qn("w:id"), "0")) for fn in element.findall(qn("w:footnote"))]
        self._next = max([0, *ids]) + 1
        package = document_part.package
        assert package is not None
        self.part = StoryPart(partname, CT.WML_FOOTNOTES, element, package)
        document_part.relate_to(self.part, RT.FOOTNOTES)

    def new(self) -> tuple[int, NoteBody]:
        """A new, empty footnote: its id and its body."""
        ident, self._next = self._next, self._next + 1
        note = _w("footnote", id=str(ident))
        self.part.element.append(note)
        return ident, NoteBody(note, self.part)

    @staticmethod
    def mark(body: NoteBody, ref_style_id: str, text_style_id: str) -> None:
        """Put the note's number (``w:footnoteRef``) at the start of its first paragraph."""
        element = body._element
        first = element[0] if len(element) else None
        if first is None or first.tag != qn("w:p"):
            first = _w("p")
            first.append(_w("pPr"))
            first[0].append(_w("pStyle", val=text_style_id))
            element.insert(0, first)
        ref = _w("r")
        ref.append(_w("rPr"))
        ref[0].append(_w("rStyle", val=ref_style_id))
        ref.append(_w("footnoteRef"))
        space = cast(CT_R, _w("r"))
        space.text = " "
        at = 1 if len(first) and first[0].tag == qn("w:pPr") else 0
        first.insert(at, ref)
        first.insert(at + 1, space)


def set_style(target: Paragraph | Run, style_id: str) -> None:
    """``w:pStyle`` or ``w:rStyle``: the only formatting essaypress puts on its own."""
    if isinstance(target, Paragraph):
        target._p.style = style_id
    else:
        target._r.style = style_id


def add_footnote_reference(run: Run, note_id: int) -> None:
    run._r.append(_w("footnoteReference", id=str(note_id)))


# --------------------------------------------------------------------- fields


def _fld_char(kind: str, *, dirty: bool = False) -> BaseOxmlElement:
    r = _w("r")
    r.append(_w("fldChar", fldCharType=kind, **({"dirty": "true"} if dirty else {})))
    return r


def _instr(instr: str) -> BaseOxmlElement:
    r = _w("r")
    t = _w("instrText")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = f" {instr} "
    r.append(t)
    return r


def _text_run(text: str) -> CT_R:
    r = cast(CT_R, _w("r"))
    r.text = text
    return r


def append_field(paragraph: Paragraph, instr: str, result: str) -> None:
    """A whole field (``PAGE``) at the end of the paragraph, showing ``result`` until updated."""
    p = paragraph._p
    for el in (_fld_char("begin"), _instr(instr), _fld_char("separate"), _text_run(result),
               _fld_char("end")):  # fmt: skip
        p.append(el)


def begin_field(paragraph: Paragraph, instr: str) -> None:
    """Open a field spanning paragraphs (the TOC); Word recomputes it because it is dirty."""
    p = paragraph._p
    for el in (_fld_char("begin", dirty=True), _instr(instr), _fld_char("separate")):
        p.append(el)


def end_field(paragraph: Paragraph) -> None:
    paragraph._p.append(_fld_char("end"))


def remove_paragraph(paragraph: Paragraph) -> None:
    p = paragraph._p
    parent = p.getparent()
    assert parent is not None
    parent.remove(p)


def toc_entry(paragraph: Paragraph, text: str, bookmark: str) -> None:
    """One prefilled TOC line: the heading's text, linked to its bookmark.

    The page number (a tab and a ``PAGEREF`` field) is left to the first
    update of the field: Word does it on opening (``updateFields``), and a
    number guessed here would be wrong, while an empty one shows a dotted
    leader to nowhere.
    """
    link = _w("hyperlink", anchor=bookmark, history="1")
    link.append(_text_run(text))
    paragraph._p.append(link)


# ------------------------------------------------------- bookmarks and links


def add_bookmark(paragraph: Paragraph, name: str, ident: int) -> None:
    """Enclose the paragraph's content in a bookmark (a TOC or link target)."""
    p = paragraph._p
    at = 1 if len(p) and p[0].tag == qn("w:pPr") else 0
    p.insert(at, _w("bookmarkStart", id=str(ident), name=name))
    p.append(_w("bookmarkEnd", id=str(ident)))


def content_mark(paragraph: Paragraph) -> int:
    """Where the paragraph's content ends now; pass it to ``wrap_hyperlink`` later."""
    return len(paragraph._p)


def wrap_hyperlink(paragraph: Paragraph, mark: int, *, rid: str = "", anchor: str = "",
                   tooltip: str = "") -> BaseOxmlElement:  # fmt: skip
    """Move the runs added since ``mark`` into a ``w:hyperlink`` (to ``rid`` or ``anchor``)."""
    p = paragraph._p
    attrs = {"anchor": anchor} if anchor else {}
    link = _w("hyperlink", **attrs, **({"tooltip": tooltip} if tooltip else {}))
    if rid:
        link.set(qn("r:id"), rid)
    if anchor:
        link.set(qn("w:history"), "1")
    for child in list(p)[mark:]:
        link.append(child)
    p.append(link)
    return link


def set_link_anchor(link: BaseOxmlElement, anchor: str) -> None:
    link.set(qn("w:anchor"), anchor)


def unwrap(link: BaseOxmlElement) -> None:
    """Replace a hyperlink by its runs (its target was not found)."""
    parent = link.getparent()
    assert parent is not None
    at = parent.index(link)
    for i, child in enumerate(list(link)):
        parent.insert(at + i, child)
    parent.remove(link)


# ------------------------------------------------------------------ numbering

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


# ------------------------------------------------------ fonts and languages


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
        doc_defaults = _w("docDefaults")
        styles.insert(0, doc_defaults)
    rpr_default = doc_defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = _w("rPrDefault")
        doc_defaults.insert(0, rpr_default)
    return _get_or_insert(rpr_default, "rPr", ["rPr"])


def ensure_east_asian_font(styles: Any, serif: str) -> None:
    """Give the document defaults an explicit East Asian font if they only name a theme font."""
    rfonts = _get_or_insert(_default_rpr(styles), "rFonts", _RPR_ORDER)
    if rfonts.get(qn("w:eastAsia")) is None:
        rfonts.set(qn("w:eastAsia"), serif)
        rfonts.attrib.pop(qn("w:eastAsiaTheme"), None)


def set_default_lang(styles: Any, val: str, east_asia: str) -> None:
    lang = _get_or_insert(_default_rpr(styles), "lang", _RPR_ORDER)
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
    lang = _get_or_insert(run._r.get_or_add_rPr(), "lang", _RPR_ORDER)
    lang.set(qn("w:val"), val)
    lang.set(qn("w:eastAsia"), east_asia)


def set_emphasis_mark(run: Run) -> None:
    """Chinese emphasis dots (着重號) where the Emphasis Mark style cannot be the run's style."""
    _get_or_insert(run._r.get_or_add_rPr(), "em", _RPR_ORDER).set(qn("w:val"), "underDot")


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


# ------------------------------------------------------------------- settings


def prepare_settings(settings: Any, *, update_fields: bool, lang: tuple[str, str]) -> None:
    """Mirror margins, even/odd running heads, TOC update on open, the theme font language."""
    _get_or_insert(settings, "mirrorMargins", _SETTINGS_ORDER)
    _get_or_insert(settings, "evenAndOddHeaders", _SETTINGS_ORDER)
    if update_fields:
        _get_or_insert(settings, "updateFields", _SETTINGS_ORDER).set(qn("w:val"), "true")
    theme_lang = _get_or_insert(settings, "themeFontLang", _SETTINGS_ORDER)
    theme_lang.set(qn("w:val"), lang[0])
    theme_lang.set(qn("w:eastAsia"), lang[1])
    for rsids in settings.findall(qn("w:rsids")):
        settings.remove(rsids)


# -------------------------------------------------------- sections and tables


def fold_section_breaks(body: Any) -> None:
    """Move each section break from its own empty paragraph into the paragraph before it.

    python-docx's ``add_section`` ends a section with an empty paragraph that
    carries the ``w:sectPr``; Word users end it on their last paragraph, and the
    empty one can spill onto a page of its own.
    """
    for p in list(body.findall(qn("w:p"))):
        ppr = p.find(qn("w:pPr"))
        sect = ppr.find(qn("w:sectPr")) if ppr is not None else None
        prev = p.getprevious()
        if sect is None or len(p) != 1 or len(ppr) != 1 or prev is None or prev.tag != qn("w:p"):
            continue
        if prev.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            continue
        prev.get_or_add_pPr().append(sect)
        body.remove(p)


def mark_header_row(row: _Row) -> None:
    """Repeat the row at the top of each page the table spans."""
    row._tr.get_or_add_trPr().append(_w("tblHeader"))


def tidy_cell(cell: _Cell) -> None:
    """Drop the empty paragraph a new cell starts with; keep a paragraph last, as Word requires."""
    tc = cell._tc
    blocks = [c for c in tc if c.tag in (qn("w:p"), qn("w:tbl"))]
    if len(blocks) > 1 and blocks[0].tag == qn("w:p") and blocks[0].find(qn("w:r")) is None:
        tc.remove(blocks[0])
    if blocks and tc[-1].tag == qn("w:tbl"):
        tc.append(_w("p"))


def describe_picture(shape: InlineShape, alt: str, title: str) -> None:
    """Alternative text for a picture (``wp:docPr/@descr``), read aloud by screen readers."""
    doc_pr = shape._inline.docPr
    if alt:
        doc_pr.set("descr", alt)
    if title:
        doc_pr.set("title", title)


def renumber_drawings(roots: Iterable[Any]) -> None:
    """Give every picture a document-wide unique id (python-docx counts per part)."""
    n = 0
    for root in roots:
        for doc_pr in root.iter(qn("wp:docPr")):
            n += 1
            doc_pr.set("id", str(n))
