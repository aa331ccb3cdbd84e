"""Frozen option records passed from the pipeline to the transforms and the writers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .pagemap import PageMap


@dataclass(frozen=True, kw_only=True)
class Fonts:
    """Font families for one script, first choice first (CSS font-family order)."""

    serif: tuple[str, ...]
    sans: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Layout:
    """A layout folder (``layouts/<name>/``) and the settings of its ``layout.toml``."""

    name: str
    root: Path
    page_width_mm: float = 148.0
    page_height_mm: float = 210.0
    margin_top_mm: float = 18.0
    margin_bottom_mm: float = 20.0
    margin_inner_mm: float = 20.0
    margin_outer_mm: float = 15.0
    recto_openings: bool = True
    fonts: dict[str, Fonts] = field(default_factory=dict)  # key: "zh-Hant", "zh-Hans", "en"
    parent: Layout | None = None  # the layout named by `extends` in layout.toml

    def folder(self, part: str) -> Path:
        """The layout's ``pdf``/``epub``/``docx`` folder, or the one of the layout it extends."""
        own = self.root / part
        if own.is_dir() or self.parent is None:
            return own
        return self.parent.folder(part)

    def fonts_for(self, lang: str) -> Fonts:
        """The fonts for a language tag, falling back from ``zh-TW`` to ``zh-Hant`` to ``en``."""
        tag = lang.lower()
        if tag.startswith("zh"):
            simplified = any(x in tag for x in ("hans", "cn", "sg", "my"))
            key = "zh-Hans" if simplified else "zh-Hant"
        else:
            key = "en"
        return (
            self.fonts.get(key)
            or self.fonts.get("en")
            or Fonts(serif=("serif",), sans=("sans-serif",))
        )


MARKS = ("crop", "cross")
PDF_VARIANTS = ("pdf/a-2b", "pdf/a-3b", "pdf/ua-1", "pdf/x-4")
IMPOSITIONS = ("saddle",)
SHEETS = ("a4", "letter")


@dataclass(frozen=True, kw_only=True)
class PdfOptions:
    """Print production settings: ``[print]`` in anthology.toml, overridden by the CLI."""

    bleed_mm: float = 0.0
    marks: tuple[str, ...] = ()  # of MARKS
    variant: str = ""  # one of PDF_VARIANTS, or "" for plain PDF
    impose: str = ""  # one of IMPOSITIONS, or "" for none
    sheet: str = "a4"  # the paper the imposed booklet is printed on


@dataclass(frozen=True, kw_only=True)
class WriterOptions:
    """What every writer needs besides the anthology."""

    layout: Layout
    date: str  # ISO date of this edition, from the manifest or SOURCE_DATE_EPOCH
    pdf: PdfOptions = field(default_factory=PdfOptions)
    docx_reference: bytes | None = None  # a user's reference.docx named in anthology.toml
    docx_reference_name: str = ""  # its path, for messages
    page_map: PageMap | None = None  # the print edition's pages, for the EPUB's page list
    epub_embed_fonts: bool = False  # embed the layout's fonts, subset, in the EPUB


QUOTE_STYLES = ("auto", "corner", "curly", "keep")
EDITIONS = ("zh-Hant", "zh-Hans")


@dataclass(frozen=True, kw_only=True)
class TextOptions:
    """Editorial normalization settings: ``[text]`` in anthology.toml, ``--edition`` on top.

    ``quotes``: Chinese quotation marks — ``auto`` (zh-Hant 「」『』, zh-Hans “”‘’),
    ``corner`` (「」『』 for all Chinese), ``curly`` (“”‘’ for all Chinese) or ``keep``
    (every quote mark as typed, English included). ``cjk_latin_space``: put a space
    between Chinese characters and Latin letters or digits. ``edition``: convert the
    whole anthology to ``zh-Hant`` (Taiwan phrasing) or ``zh-Hans`` (mainland phrasing).
    """

    quotes: str = "auto"  # one of QUOTE_STYLES
    cjk_latin_space: bool = False
    edition: str = ""  # one of EDITIONS, or "" to keep each essay's script
