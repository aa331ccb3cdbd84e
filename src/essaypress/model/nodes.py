"""The essaypress intermediate model: the ONLY definition of the document tree.

Every reader produces these nodes and every writer consumes them. The set is
closed: adding a node type is a deliberate change that bumps
``MODEL_VERSION`` in ``model/json.py``. Extensions go through ``Div`` and
``Span`` classes. Trees are immutable: frozen, slotted dataclasses whose
children are tuples.

Blocks read from a file carry ``source`` (a ``SourceRef`` to its line or paragraph)
for located messages; it is excluded from equality, hashing, ``repr`` and JSON,
and kept by ``dataclasses.replace`` and ``model.walk``.

Normal form (restored by ``model.build.inlines``): no empty ``Str``, no two
adjacent ``Str``, no empty ``Emph``/``Strong``/... containers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

__all__ = [
    "BLOCK_TYPES",
    "INLINE_TYPES",
    "NO_ATTR",
    "OTHER_TYPES",
    "Align",
    "Anthology",
    "Attr",
    "Block",
    "BlockQuote",
    "BookMeta",
    "BulletList",
    "Code",
    "CodeBlock",
    "Div",
    "Emph",
    "Essay",
    "Figure",
    "Heading",
    "HorizontalRule",
    "Image",
    "Inline",
    "LineBlock",
    "LineBreak",
    "Link",
    "ListStyle",
    "Meta",
    "Note",
    "OrderedList",
    "Para",
    "Part",
    "Person",
    "Resource",
    "SmallCaps",
    "SoftBreak",
    "SourceRef",
    "Span",
    "Str",
    "Strikeout",
    "Strong",
    "Subscript",
    "Superscript",
    "Table",
    "TableCell",
    "TableRow",
    "Underline",
]

# ---------------------------------------------------------------- attributes


@dataclass(frozen=True, slots=True)
class Attr:
    """Identifier, classes and key/value pairs, as in pandoc and Markdown attributes."""

    id: str = ""
    classes: tuple[str, ...] = ()
    kv: tuple[tuple[str, str], ...] = ()


NO_ATTR = Attr()

# ------------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Str:
    """A run of text, spaces included (CJK has no word spaces)."""

    text: str


@dataclass(frozen=True, slots=True)
class SoftBreak:
    """A line end in the source that is not a paragraph end."""


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break."""


@dataclass(frozen=True, slots=True)
class Emph:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Underline:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strikeout:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Superscript:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Subscript:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class SmallCaps:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    text: str
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True)
class Link:
    content: tuple[Inline, ...]
    url: str
    title: str = ""
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True)
class Image:
    """An image. ``src`` is a resource key (see ``Resource``) once the pipeline resolved it."""

    src: str
    alt: str = ""
    title: str = ""
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote: its blocks sit where the note is called."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Span:
    content: tuple[Inline, ...]
    attr: Attr = NO_ATTR


Inline: TypeAlias = (
    Str
    | SoftBreak
    | LineBreak
    | Emph
    | Strong
    | Underline
    | Strikeout
    | Superscript
    | Subscript
    | SmallCaps
    | Code
    | Link
    | Image
    | Note
    | Span
)

# -------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Para:
    content: tuple[Inline, ...]
    source: SourceRef | None = field(default=None, compare=False, repr=False)  # for messages


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading inside an essay; level 1 is the highest section level."""

    level: int
    content: tuple[Inline, ...]
    attr: Attr = NO_ATTR
    source: SourceRef | None = field(default=None, compare=False, repr=False)  # for messages


@dataclass(frozen=True, slots=True)
class BlockQuote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[tuple[Block, ...], ...]


ListStyle = Literal["decimal", "lower-alpha", "upper-alpha", "lower-roman", "upper-roman", "cjk"]


@dataclass(frozen=True, slots=True)
class OrderedList:
    items: tuple[tuple[Block, ...], ...]
    start: int = 1
    style: ListStyle = "decimal"


@dataclass(frozen=True, slots=True)
class LineBlock:
    """Verse: lines kept as written."""

    lines: tuple[tuple[Inline, ...], ...]
    source: SourceRef | None = field(default=None, compare=False, repr=False)  # for messages


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str
    attr: Attr = NO_ATTR
    source: SourceRef | None = field(default=None, compare=False, repr=False)  # for messages


@dataclass(frozen=True, slots=True)
class Figure:
    """An image shown as a block, with an optional caption."""

    image: Image
    caption: tuple[Inline, ...] = ()
    attr: Attr = NO_ATTR
    source: SourceRef | None = field(default=None, compare=False, repr=False)  # for messages


Align = Literal["default", "left", "center", "right"]


@dataclass(frozen=True, slots=True)
class TableCell:
    blocks: tuple[Block, ...]
    colspan: int = 1
    rowspan: int = 1
    align: Align = "default"


@dataclass(frozen=True, slots=True)
class TableRow:
    cells: tuple[TableCell, ...]


@dataclass(frozen=True, slots=True)
class Table:
    head: tuple[TableRow, ...]
    body: tuple[TableRow, ...]
    caption: tuple[Inline, ...] = ()
    attr: Attr = NO_ATTR
    source: SourceRef | None = field(default=None, compare=False, repr=False)  # for messages


@dataclass(frozen=True, slots=True)
class HorizontalRule:
    """A thematic break; in essays, a scene break."""


@dataclass(frozen=True, slots=True)
class Div:
    blocks: tuple[Block, ...]
    attr: Attr = NO_ATTR


Block: TypeAlias = (
    Para
    | Heading
    | BlockQuote
    | BulletList
    | OrderedList
    | LineBlock
    | CodeBlock
    | Figure
    | Table
    | HorizontalRule
    | Div
)

# ---------------------------------------------------------------- containers


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where something came from, for messages: a path and optionally a line (Markdown) or
    a paragraph number (DOCX, counting every paragraph of the body from 1)."""

    path: str
    line: int | None = None
    paragraph: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}"
        if self.paragraph is not None:
            return f"{self.path}: paragraph {self.paragraph}"
        return self.path


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    affiliation: str = ""


@dataclass(frozen=True, slots=True)
class Resource:
    """Bytes an essay refers to (an image), under the key its ``Image.src`` uses."""

    key: str
    media_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Meta:
    """An essay's metadata."""

    title: tuple[Inline, ...] = ()
    subtitle: tuple[Inline, ...] = ()
    authors: tuple[Person, ...] = ()
    date: str = ""
    lang: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Essay:
    meta: Meta
    blocks: tuple[Block, ...]
    id: str = ""
    resources: tuple[Resource, ...] = ()
    source: SourceRef | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Part:
    """A group of essays; an empty title means the essays stand without a part title page."""

    title: tuple[Inline, ...]
    essays: tuple[Essay, ...]
    id: str = ""


@dataclass(frozen=True, slots=True)
class BookMeta:
    """The anthology's own metadata, from the manifest."""

    title: str
    subtitle: str = ""
    editors: tuple[Person, ...] = ()
    publisher: str = ""
    date: str = ""
    lang: str = "zh-Hant"
    identifier: str = ""
    description: str = ""
    edition: str = ""  # e.g. "初版" / "First edition"
    isbn: str = ""
    rights: str = ""  # the copyright line of the colophon
    cover: Resource | None = None  # an image for the cover, if the manifest gives one


@dataclass(frozen=True, slots=True)
class Anthology:
    meta: BookMeta
    front: tuple[Essay, ...]
    parts: tuple[Part, ...]
    back: tuple[Essay, ...] = ()

    @property
    def essays(self) -> tuple[Essay, ...]:
        """The essays of the body, in reading order (front and back matter excluded)."""
        return tuple(e for p in self.parts for e in p.essays)


INLINE_TYPES: tuple[type, ...] = (
    Str,
    SoftBreak,
    LineBreak,
    Emph,
    Strong,
    Underline,
    Strikeout,
    Superscript,
    Subscript,
    SmallCaps,
    Code,
    Link,
    Image,
    Note,
    Span,
)
BLOCK_TYPES: tuple[type, ...] = (
    Para,
    Heading,
    BlockQuote,
    BulletList,
    OrderedList,
    LineBlock,
    CodeBlock,
    Figure,
    Table,
    HorizontalRule,
    Div,
)
OTHER_TYPES: tuple[type, ...] = (
    Attr,
    TableCell,
    TableRow,
    SourceRef,
    Person,
    Resource,
    Meta,
    Essay,
    Part,
    BookMeta,
    Anthology,
)
