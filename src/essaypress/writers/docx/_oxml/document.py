"""Turn document-wide choices into XML: settings, footnote numbering and section breaks.

Footnote numbering restarts with each section, that is with each essay, as
in the PDF. It is said once, in the settings (``w:footnotePr/w:numRestart
eachSect``, ECMA-376 §17.11.12: a section without footnote properties of its
own uses the document-wide ones), which Word honours. Repeating it in every
``w:sectPr`` (§17.11.11) would be equally valid, but LibreOffice 7.4 then
turns it into footnote counting "per chapter", finds no chapters (its
chapters are outline-numbered headings) and shows every note after the first
as "0", with or without ``w:numStart w:val="1"``. With the settings alone
LibreOffice numbers the notes through the whole book, which stays readable.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

from .base import get_or_insert

SETTINGS_ORDER = """writeProtection view zoom removePersonalInformation removeDateAndTime
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
_FOOTNOTE_PR_ORDER = ("pos", "numFmt", "numStart", "numRestart", "footnote")


def prepare_settings(settings: Any, *, update_fields: bool, lang: tuple[str, str]) -> None:
    """Mirror margins, even/odd running heads, TOC update on open, the theme font language,
    footnotes numbered per essay (unless the reference document chose otherwise)."""
    get_or_insert(settings, "mirrorMargins", SETTINGS_ORDER)
    get_or_insert(settings, "evenAndOddHeaders", SETTINGS_ORDER)
    if update_fields:
        get_or_insert(settings, "updateFields", SETTINGS_ORDER).set(qn("w:val"), "true")
    footnote_pr = get_or_insert(settings, "footnotePr", SETTINGS_ORDER)
    if footnote_pr.find(qn("w:numRestart")) is None:
        restart = get_or_insert(footnote_pr, "numRestart", _FOOTNOTE_PR_ORDER)
        restart.set(qn("w:val"), "eachSect")
    theme_lang = get_or_insert(settings, "themeFontLang", SETTINGS_ORDER)
    theme_lang.set(qn("w:val"), lang[0])
    theme_lang.set(qn("w:eastAsia"), lang[1])
    for rsids in settings.findall(qn("w:rsids")):
        settings.remove(rsids)


def fold_section_breaks(body: Any) -> None:
    """Move each section break from its own empty paragraph into the paragraph before it.

    python-docx's ``add_section`` ends a section with an empty paragraph that
    carries the ``w:sectPr``; Word users end it on their last paragraph, and the
    empty one can spill onto a page of its own. A paragraph holding a field
    character keeps its own: LibreOffice drops the headers and footers of a
    section whose break sits in the paragraph that ends the TOC field.
    """
    for p in list(body.findall(qn("w:p"))):
        ppr = p.find(qn("w:pPr"))
        sect = ppr.find(qn("w:sectPr")) if ppr is not None else None
        prev = p.getprevious()
        if sect is None or len(p) != 1 or len(ppr) != 1 or prev is None or prev.tag != qn("w:p"):
            continue
        if prev.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            continue
        if next(prev.iter(qn("w:fldChar")), None) is not None:
            continue
        prev.get_or_add_pPr().append(sect)
        body.remove(p)
