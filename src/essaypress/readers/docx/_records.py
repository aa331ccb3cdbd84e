"""Turn OOXML into small docx-shaped records: the types ``_parse`` makes and ``_convert`` reads.

They stay close to OOXML (paragraphs with their style chain, runs with resolved
formatting, note references, pictures, tables with grid spans and vertical
merges), so that the mapping to the model lives in one place (``_convert``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from ._numbering import Numbering
from ._styles import Fmt

Fmts: TypeAlias = frozenset[Fmt]
NO_FMT: Fmts = frozenset()


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    fmt: Fmts = NO_FMT


@dataclass(frozen=True, slots=True)
class Break:
    """``w:br`` (text wrapping) or ``w:cr``: a line break inside the paragraph."""

    fmt: Fmts = NO_FMT


@dataclass(frozen=True, slots=True)
class NoteRef:
    kind: Literal["footnote", "endnote"]
    id: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A VML horizontal line (``o:hr``): a scene break."""


@dataclass(frozen=True, slots=True)
class Picture:
    """An embedded image: the part holding its bytes, alt text, and whether it floats."""

    part: str
    alt: str = ""
    title: str = ""
    floating: bool = False


@dataclass(frozen=True, slots=True)
class Math:
    """An equation (OMML) as linear text; ``display`` for one standing as its own paragraph."""

    text: str
    display: bool = False


@dataclass(frozen=True, slots=True)
class Box:
    """The paragraphs of a text box, shape or SmartArt anchored in a run: read after the
    paragraph that holds it."""

    blocks: tuple[BlockRecord, ...]


@dataclass(frozen=True, slots=True)
class Hyperlink:
    """``w:hyperlink``: ``url`` is empty for internal anchors (the text is kept, not the link)."""

    items: tuple[RunItem, ...]
    url: str = ""


RunItem: TypeAlias = Text | Break | NoteRef | Picture | Hyperlink | Rule | Math | Box


@dataclass(frozen=True, slots=True)
class StyleRef:
    """A style as the paragraph names it: id, display name, and the same for its basedOn chain."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """``w:p``: its style chain (most derived first), outline level, runs, and the
    formatting its paragraph style gives every run (stripped where the style *is* the meaning).

    ``drop_cap``: a framed drop-cap letter that begins the next paragraph.
    ``rule_after``: a bottom border only (Word's ``---`` autoformat): a rule follows.
    ``num_id``/``ilvl``: the list it is an item of (``num_id`` empty for none);
    ``unnumbered``: numbering explicitly removed (``w:numId`` 0): a list item's next paragraph.
    ``align``: ``w:jc`` (direct or from the style); ``indent``: left indent less the
    hanging one, in twips; ``size``: the largest font size of its text, half-points.
    ``joined``: its paragraph mark is a tracked deletion, so it runs into the next one.
    """

    styles: tuple[StyleRef, ...]
    outline: int | None
    items: tuple[RunItem, ...]
    style_fmt: Fmts = NO_FMT
    index: int = 0
    drop_cap: bool = False
    rule_after: bool = False
    num_id: str = ""
    ilvl: int = 0
    unnumbered: bool = False
    align: str = ""
    indent: int = 0
    size: int = 0
    joined: bool = False


@dataclass(frozen=True, slots=True)
class Cell:
    blocks: tuple[BlockRecord, ...]
    col: int
    span: int = 1
    vmerge: Literal["", "restart", "continue"] = ""


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    header: bool = False


@dataclass(frozen=True, slots=True)
class TableRecord:
    rows: tuple[Row, ...]
    style_header: bool = False  # the table style formats the first row as a header


BlockRecord: TypeAlias = Paragraph | TableRecord


@dataclass(frozen=True, slots=True)
class Document:
    """Everything ``_convert`` needs, read out of the package."""

    body: tuple[BlockRecord, ...]
    footnotes: dict[str, tuple[BlockRecord, ...]] = field(default_factory=dict)
    endnotes: dict[str, tuple[BlockRecord, ...]] = field(default_factory=dict)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    numbering: Numbering | None = None
    body_size: int = 20
    core_title: str = ""
    core_creator: str = ""
    lang_val: str = ""
    lang_east_asia: str = ""
