"""Turn a node kind into the named Word style of the reference document that formats it.

The table below is the whole vocabulary of the DOCX writer: every paragraph,
run and table it writes gets one of these styles and no direct font, size or
colour. Styles are looked up by name first (Word stores built-in names in
lower case, ``heading 1``; pandoc's reference capitalises them), then by style
id, so a user's reference.docx from Word, WPS, LibreOffice or pandoc works.
A style the reference lacks is copied from the built-in booklet-a5 reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.styles.style import BaseStyle, _TableStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ._oxml.styles import copy_style, set_style

Kind = Literal["paragraph", "character", "table"]


@dataclass(frozen=True)
class StyleSpec:
    name: str  # Word's internal name (built-ins in lower case, as Word writes them)
    style_id: str  # the id in the built-in reference
    kind: Kind = "paragraph"


STYLES: dict[str, StyleSpec] = {
    # title page
    "title": StyleSpec("Title", "Title"),
    "subtitle": StyleSpec("Subtitle", "Subtitle"),
    "author": StyleSpec("Author", "Author"),
    "publisher": StyleSpec("Publisher", "Publisher"),
    "date": StyleSpec("Date", "Date"),
    "colophon": StyleSpec("Colophon", "Colophon"),
    # structure: parts and essays (essay title = Heading 1, its sections Heading 2-6)
    "part": StyleSpec("Part Title", "PartTitle"),
    **{f"heading{n}": StyleSpec(f"heading {n}", f"Heading{n}") for n in range(1, 7)},
    "essay_subtitle": StyleSpec("Essay Subtitle", "EssaySubtitle"),
    "byline": StyleSpec("Byline", "Byline"),
    "signature": StyleSpec("Signature", "Signature"),
    # body
    "body": StyleSpec("Body Text", "BodyText"),
    "first": StyleSpec("First Paragraph", "FirstParagraph"),
    "quote": StyleSpec("Block Text", "BlockText"),
    "verse": StyleSpec("Verse", "Verse"),
    "code_block": StyleSpec("Source Code", "SourceCode"),
    "scene_break": StyleSpec("Scene Break", "SceneBreak"),
    "figure": StyleSpec("Figure", "Figure"),
    "caption": StyleSpec("caption", "Caption"),
    "table_text": StyleSpec("Table Text", "TableText"),
    "table_heading": StyleSpec("Table Heading", "TableHeading"),
    "list_bullet": StyleSpec("List Bullet", "ListBullet"),
    "list_number": StyleSpec("List Number", "ListNumber"),
    "list_continue1": StyleSpec("List Continue", "ListContinue"),
    "list_continue2": StyleSpec("List Continue 2", "ListContinue2"),
    "list_continue3": StyleSpec("List Continue 3", "ListContinue3"),
    "footnote_text": StyleSpec("footnote text", "FootnoteText"),
    # running heads and contents
    "header": StyleSpec("header", "Header"),
    "footer": StyleSpec("footer", "Footer"),
    "toc_heading": StyleSpec("TOC Heading", "TOCHeading"),
    "toc1": StyleSpec("toc 1", "TOC1"),
    "toc2": StyleSpec("toc 2", "TOC2"),
    "toc3": StyleSpec("toc 3", "TOC3"),
    # characters
    "emphasis": StyleSpec("Emphasis", "Emphasis", "character"),
    "emphasis_cjk": StyleSpec("Emphasis Mark", "EmphasisMark", "character"),
    "strong": StyleSpec("Strong", "Strong", "character"),
    "hyperlink": StyleSpec("Hyperlink", "Hyperlink", "character"),
    "code": StyleSpec("Verbatim Char", "VerbatimChar", "character"),
    "footnote_ref": StyleSpec("footnote reference", "FootnoteReference", "character"),
    # tables
    "table": StyleSpec("Table", "Table", "table"),
}

_TYPES = {"paragraph": WD_STYLE_TYPE.PARAGRAPH, "character": WD_STYLE_TYPE.CHARACTER,
          "table": WD_STYLE_TYPE.TABLE}  # fmt: skip


class Styles:
    """The reference document's styles, resolved once per key."""

    def __init__(self, doc: Document, builtin_styles: bytes | None) -> None:
        """``builtin_styles`` is the built-in styles.xml to copy missing styles from."""
        self._doc = doc
        self._builtin = builtin_styles
        self._cache: dict[str, BaseStyle] = {}

    def table(self, key: str) -> _TableStyle:
        style = self._get(key)
        assert isinstance(style, _TableStyle), key
        return style

    def style_id(self, key: str) -> str:
        return self._get(key).style_id

    def apply(self, target: Paragraph | Run, key: str) -> None:
        """Give a paragraph or run the style for ``key``.

        The same as ``target.style = ...``, without python-docx's search for the
        default style on every call (half the writer's time on a long book).
        """
        set_style(target, self._get(key).style_id)

    def resolve_all(self) -> None:
        """Resolve every style now, so a missing one is copied before any is used."""
        for key in STYLES:
            self._get(key)

    def _get(self, key: str) -> BaseStyle:
        if key in self._cache:
            return self._cache[key]
        spec = STYLES[key]
        style = self._find(spec)
        if style is None and self._builtin is not None:
            copy_style(self._doc.styles.element, self._builtin, spec.style_id)
            style = self._find(spec)
        if style is None:
            raise KeyError(f"the reference document has no {spec.kind} style {spec.name!r}")
        self._cache[key] = style
        return style

    def _find(self, spec: StyleSpec) -> BaseStyle | None:
        wanted = _TYPES[spec.kind]
        by_id: BaseStyle | None = None
        style: BaseStyle
        for style in self._doc.styles:
            if style.type != wanted:
                continue
            if (style.name or "").lower() == spec.name.lower():
                return style
            if style.style_id == spec.style_id:
                by_id = style
        return by_id
