"""Turn an anthology into an editable Word document (.docx bytes) styled by a reference document.

The document is built on the layout's reference document (its styles,
numbering, settings): every paragraph and run takes its look from a named
style, so staff can restyle the whole book in Word, WPS or LibreOffice. See
``_book`` for the section structure, ``_blocks``/``_inlines`` for the content,
``_styles`` for the style of each node kind and ``_oxml`` for the raw XML
python-docx has no API for. Pure: the same anthology and options give the
same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import docx
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm, Twips

from ...errors import LayoutError
from ...layouts import DEFAULT_LAYOUT, builtin_layouts_dir
from ...log import warn
from ...model.nodes import Anthology, Resource
from ...options import Layout, WriterOptions
from ..names import editors_line
from ._book import write_book
from ._context import Shared, is_chinese, word_lang, xml_text
from ._oxml.document import fold_section_breaks, prepare_settings
from ._oxml.headers import RunningHeads
from ._oxml.notes import Footnotes
from ._oxml.numbering import Numbering
from ._oxml.styles import ensure_east_asian_font, retarget_fonts, set_default_lang, set_tab_stops
from ._oxml.tables import renumber_drawings
from ._reference import USER_REFERENCE, Reference, layout_reference, save, user_reference
from ._styles import Styles

__all__ = ["write_docx"]

_GENERIC = {"serif", "sans-serif", "monospace", "system-ui", "cursive", "fantasy"}
# The family names the built-in reference's styles.xml uses for each role.
_REFERENCE_FONTS = {"serif": "Noto Serif", "sans": "Noto Sans",
                    "cjk_serif": "Noto Serif CJK TC", "cjk_sans": "Noto Sans CJK TC"}  # fmt: skip
_TOC_STYLE_IDS = ("TOC1", "TOC2", "TOC3")


def write_docx(book: Anthology, opts: WriterOptions) -> bytes:
    """The anthology as .docx bytes.

    The styles come from ``opts.docx_reference`` (the bytes of the user's own
    reference.docx named in anthology.toml; ``opts.docx_reference_name`` is its
    path, for messages), else from the layout's reference document.
    """
    if opts.docx_reference is not None:
        name = opts.docx_reference_name or USER_REFERENCE
        ref = user_reference(opts.docx_reference, name)
    else:
        ref = layout_reference(opts.layout)
    doc = _open(ref)
    builtin = builtin_layouts_dir() / DEFAULT_LAYOUT / "docx" / "word"
    styles = Styles(doc, (builtin / "styles.xml").read_bytes())
    layout = opts.layout
    default_lang = word_lang(book.meta.lang, ("en-US", "zh-TW"))
    _prepare(doc, ref, book, layout, default_lang)
    styles.resolve_all()

    page_w, page_h = layout.page_width_mm, layout.page_height_mm
    shared = Shared(
        styles=styles,
        notes=Footnotes(doc.part),
        heads=RunningHeads(doc.part),
        numbering=Numbering(doc.part, (builtin / "numbering.xml").read_bytes()),
        images=_images(book),
        text_width=int(Mm(page_w - layout.margin_inner_mm - layout.margin_outer_mm)),
        text_height=int(Mm(page_h - layout.margin_top_mm - layout.margin_bottom_mm)),
        default_lang=default_lang,
    )
    write_book(doc, book, shared, recto=layout.recto_openings, date=opts.date)
    fold_section_breaks(doc.element.body)
    renumber_drawings([doc.element, shared.notes.part.element])
    stamp = _date(opts.date)
    _core_properties(doc, book, stamp)

    return save(doc, (min(stamp.year, 2107), stamp.month, stamp.day, 0, 0, 0))


def _open(ref: Reference) -> Document:
    try:
        doc = docx.Document(io.BytesIO(ref.data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise LayoutError(f"reference document cannot be opened ({exc})", path=ref.where,
                          hint="save it again from Word as a .docx") from None  # fmt: skip
    doc.element.body.clear_content()
    return doc


def _prepare(doc: Document, ref: Reference, book: Anthology, layout: Layout,
             default_lang: tuple[str, str]) -> None:  # fmt: skip
    """Fonts, language, settings and page geometry from the layout and the book."""
    styles_el = doc.styles.element
    cjk_lang = (
        book.meta.lang
        if is_chinese(book.meta.lang)
        else next(
            (e.meta.lang for e in (*book.front, *book.essays) if is_chinese(e.meta.lang)), "zh-Hant"
        )
    )
    fonts = _layout_fonts(layout, cjk_lang)
    if ref.unpacked:  # ours: the layout.toml decides fonts and the TOC's tab stop
        retarget_fonts(styles_el, {_REFERENCE_FONTS[k]: v for k, v in fonts.items()})
        text_width = layout.page_width_mm - layout.margin_inner_mm - layout.margin_outer_mm
        set_tab_stops(styles_el, _TOC_STYLE_IDS, _twips(text_width))
    else:  # a user's: keep their fonts, but never leave East Asian text on a theme font
        ensure_east_asian_font(styles_el, fonts.get("cjk_serif", "Noto Serif CJK TC"))
    set_default_lang(styles_el, *default_lang)
    prepare_settings(doc.settings.element, update_fields=True, lang=default_lang)

    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = Twips(_twips(layout.page_width_mm))
    section.page_height = Twips(_twips(layout.page_height_mm))
    section.top_margin = Twips(_twips(layout.margin_top_mm))
    section.bottom_margin = Twips(_twips(layout.margin_bottom_mm))
    section.left_margin = Twips(_twips(layout.margin_inner_mm))  # mirrored: inside
    section.right_margin = Twips(_twips(layout.margin_outer_mm))  # mirrored: outside
    distance = Twips(_twips(min(layout.margin_top_mm, layout.margin_bottom_mm) / 2))
    section.header_distance = section.footer_distance = distance
    section.gutter = Twips(0)
    section.different_first_page_header_footer = False
    for part in (section.header, section.even_page_header, section.first_page_header,
                 section.footer, section.even_page_footer, section.first_page_footer):  # fmt: skip
        part.is_linked_to_previous = True  # drop the reference's own headers and footers


def _layout_fonts(layout: Layout, cjk_lang: str) -> dict[str, str]:
    latin, cjk = layout.fonts_for("en"), layout.fonts_for(cjk_lang)
    latin_names = {*latin.serif, *latin.sans}
    chosen = {
        "serif": next((f for f in latin.serif if f not in _GENERIC), ""),
        "sans": next((f for f in latin.sans if f not in _GENERIC), ""),
        "cjk_serif": next((f for f in cjk.serif if f not in _GENERIC | latin_names), ""),
        "cjk_sans": next((f for f in cjk.sans if f not in _GENERIC | latin_names), ""),
    }
    return {k: v for k, v in chosen.items() if v}


def _images(book: Anthology) -> dict[str, Resource]:
    found: dict[str, Resource] = {}
    for essay in (*book.front, *book.essays, *book.back):
        for resource in essay.resources:
            found.setdefault(resource.key, resource)
    return found


def _core_properties(doc: Document, book: Anthology, stamp: datetime) -> None:
    meta = book.meta
    props = doc.core_properties
    tags = sorted({t for e in (*book.front, *book.essays, *book.back) for t in e.meta.tags})
    sep = "; "
    for name, value in (("title", meta.title), ("subject", meta.subtitle),
                        ("author", editors_line(meta.editors, meta.lang)),
                        ("keywords", sep.join(tags)), ("language", meta.lang),
                        ("comments", meta.description), ("identifier", meta.identifier),
                        ("category", ""), ("content_status", ""), ("last_modified_by", ""),
                        ("version", "")):  # fmt: skip
        setattr(props, name, xml_text(value)[:255])
    props.revision = 1
    props.created = props.modified = stamp


def _date(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value[:10]), datetime.min.time())
        except ValueError:
            warn("docx-date", f"edition date {value!r} is not an ISO date; 1980-01-01 is used")
            parsed = datetime(1980, 1, 1)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return max(parsed.astimezone(UTC), datetime(1980, 1, 1, tzinfo=UTC))


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)
