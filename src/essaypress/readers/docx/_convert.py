"""Turn docx-shaped records into a model Essay (pandoc's Readers/Docx.hs).

Paragraph styles decide the block: Title/Subtitle/Author/Date fill the
metadata, Heading 1–6 (by id, name or outline level, through basedOn) make
headings, Quote/Intense Quote/Block Text group into block quotes, Caption
attaches to the figure or table beside it, a paragraph holding only images
becomes figures. Formatting a semantic style gives every run (a heading's
bold, a quote's italics) is its look, not emphasis, and is dropped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, assert_never

from ...log import warn
from ...model.nodes import (
    Block,
    BlockQuote,
    Essay,
    Figure,
    Heading,
    HorizontalRule,
    Image,
    Inline,
    LineBreak,
    Link,
    Meta,
    Note,
    Para,
    Person,
    Resource,
    SourceRef,
    Str,
    Table,
    TableCell,
    TableRow,
)
from ...model.text import plain, plain_blocks
from ._inlines import Formatted, nest, safe_url, strip
from ._meta import language, useful_creator
from ._records import (
    NO_FMT,
    BlockRecord,
    Break,
    Document,
    Fmts,
    Hyperlink,
    NoteRef,
    Paragraph,
    Picture,
    Rule,
    RunItem,
    TableRecord,
    Text,
)

Role = Literal["body", "title", "subtitle", "author", "date", "heading", "quote", "caption"]

_HEADING = re.compile(r"heading([1-9])")
_NAMED_ROLES: dict[str, Role] = {
    "title": "title",
    "subtitle": "subtitle",
    "author": "author",
    "date": "date",
    "quote": "quote",
    "intensequote": "quote",
    "blocktext": "quote",
    "blockquote": "quote",
    "caption": "caption",
    "imagecaption": "caption",
    "tablecaption": "caption",
}
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}


def role(p: Paragraph) -> tuple[Role, int]:
    """What a paragraph's style makes it, and the heading level (1–6) for headings."""
    for ref in p.styles:
        for key in (ref.id, ref.name):
            compact = re.sub(r"[\s_-]+", "", key.lower())
            if compact in _NAMED_ROLES:
                return _NAMED_ROLES[compact], 0
            match = _HEADING.fullmatch(compact)
            if match:
                return "heading", min(int(match.group(1)), 6)
    if p.outline is not None and p.outline < 9:
        return "heading", min(p.outline + 1, 6)
    return "body", 0


@dataclass
class _Cell:
    blocks: tuple[Block, ...]
    colspan: int
    rowspan: int = 1


@dataclass
class _Meta:
    title: tuple[Inline, ...] = ()
    subtitle: tuple[Inline, ...] = ()
    authors: tuple[Person, ...] = ()
    date: str = ""


class _Converter:
    def __init__(self, doc: Document, source: SourceRef) -> None:
        self.doc = doc
        self.source = source
        self.meta = _Meta()
        self.resources: dict[str, Resource] = {}
        self.keys: dict[str, str] = {}
        self.warned_link = False

    # ---------------------------------------------------------------- blocks

    def blocks(self, records: Sequence[BlockRecord], *, top: bool) -> list[Block]:
        out: list[Block] = []
        quote: list[Block] = []
        pending_caption: tuple[Inline, ...] = ()

        def flush() -> None:
            if quote:
                out.append(BlockQuote(tuple(quote)))
                quote.clear()

        carry: tuple[RunItem, ...] = ()  # a drop cap waiting for its paragraph
        for index, rec in enumerate(records):
            if isinstance(rec, Paragraph) and carry:
                rec, carry = replace(rec, items=carry + rec.items), ()
            if isinstance(rec, Paragraph) and rec.drop_cap:
                carry = rec.items
                continue
            if isinstance(rec, TableRecord):
                flush()
                table = self.table(rec)
                if table is not None:
                    out.append(_with_caption(table, pending_caption))
                pending_caption = ()
                continue
            kind, level = role(rec)
            figures, content = self.paragraph(rec, NO_FMT if kind == "body" else rec.style_fmt)
            if figures:
                flush()
                out.extend(figures)
            rule = rec.rule_after or any(isinstance(i, Rule) for i in rec.items)
            if rule and not content:
                flush()
                out.append(HorizontalRule())
                continue
            if not content:
                continue
            if kind != "quote":
                flush()
            if top and self._meta(kind, content):
                continue
            if kind == "heading":
                out.append(Heading(level, content))
            elif kind == "quote":
                quote.append(Para(content))
            elif kind == "caption" and out and _captionless(out[-1]):
                out[-1] = _with_caption(out[-1], content)
            elif (
                kind == "caption"
                and index + 1 < len(records)
                and isinstance(records[index + 1], TableRecord)
            ):
                pending_caption = content
            else:
                out.append(Para(content))
            if rule:
                flush()
                out.append(HorizontalRule())
        if carry:
            out.append(Para(strip(nest(self.runs(carry, NO_FMT)))))
        flush()
        return [b for b in out if not (isinstance(b, Para) and not b.content)]

    def _meta(self, kind: Role, content: tuple[Inline, ...]) -> bool:
        """Store a metadata paragraph (the first title, first subtitle, authors, date)."""
        if kind == "title" and not self.meta.title:
            self.meta.title = content
        elif kind == "subtitle" and not self.meta.subtitle:
            self.meta.subtitle = content
        elif kind == "author":
            self.meta.authors += (Person(plain(content).strip()),)
        elif kind == "date" and not self.meta.date:
            self.meta.date = plain(content).strip()
        else:
            return False
        return True

    def paragraph(self, rec: Paragraph, drop: Fmts) -> tuple[list[Block], tuple[Inline, ...]]:
        """Figures pulled out of the paragraph, and its remaining inlines (stripped)."""
        items = rec.items
        floats = [i for i in items if isinstance(i, Picture) and i.floating]
        if floats:
            rest = tuple(i for i in items if not (isinstance(i, Picture) and i.floating))
            if _has_text(rest):
                figures: list[Block] = [Figure(self.image(p)) for p in floats]
                return figures, strip(nest(self.runs(rest, drop)))
        content = strip(nest(self.runs(items, drop)))
        if content and all(
            isinstance(x, Image) or (isinstance(x, Str) and not x.text.strip()) for x in content
        ):
            return [Figure(x) for x in content if isinstance(x, Image)], ()
        return [], content

    def table(self, rec: TableRecord) -> Table | None:
        built: list[list[_Cell]] = []
        active: dict[int, _Cell] = {}  # grid column → the cell a vertical merge started in
        for row in rec.rows:
            cells: list[_Cell] = []
            for cell in row.cells:
                if cell.vmerge == "continue" and cell.col in active:
                    active[cell.col].rowspan += 1
                    continue
                draft = _Cell(tuple(self.blocks(cell.blocks, top=False)), cell.span)
                cells.append(draft)
                if cell.vmerge:
                    active[cell.col] = draft
                else:
                    active.pop(cell.col, None)
            built.append(cells)
        rows = tuple(
            TableRow(
                tuple(TableCell(c.blocks, colspan=c.colspan, rowspan=c.rowspan) for c in cells)
            )
            for cells in built
        )
        if not rows:
            return None
        head = 0
        while head < len(rec.rows) and rec.rows[head].header:
            head += 1
        return Table(rows[:head], rows[head:])

    # --------------------------------------------------------------- inlines

    def runs(self, items: Sequence[RunItem], drop: Fmts) -> list[Formatted]:
        """Each run item as (formatting, inline); ``drop`` is formatting that is only the look."""
        out: list[Formatted] = []
        for item in items:
            match item:
                case Text(text=text, fmt=fmt):
                    out.append((fmt - drop, Str(text)))
                case Break(fmt=fmt):
                    out.append((fmt - drop, LineBreak()))
                case NoteRef():
                    note = self.note(item)
                    if note is not None:
                        out.append((NO_FMT, note))
                case Picture():
                    out.append((NO_FMT, self.image(item)))
                case Hyperlink(items=inner_items, url=url):
                    inner = self.runs(inner_items, drop)
                    if url and safe_url(url):
                        out.append((NO_FMT, Link(nest(inner), url)))
                        continue
                    if url and not self.warned_link:
                        self.warned_link = True
                        warn(
                            "docx-link-scheme",
                            f"link to {url[:60]!r} is not a web or mail address; "
                            "kept its text without the link",
                            self.source,
                        )
                    out.extend(inner)
                case Rule():
                    pass  # made a HorizontalRule block by ``blocks``
                case _:
                    assert_never(item)
        return out

    def note(self, ref: NoteRef) -> Note | None:
        notes = self.doc.footnotes if ref.kind == "footnote" else self.doc.endnotes
        records = notes.get(ref.id)
        if records is None:
            warn("docx-note-missing", f"{ref.kind} {ref.id} is missing; left out", self.source)
            return None
        blocks = self.blocks(records, top=False)
        return Note(tuple(blocks)) if blocks else None

    def image(self, pic: Picture) -> Image:
        key = self.keys.get(pic.part)
        if key is None:
            data, media_type = self.doc.media[pic.part]
            digest = hashlib.sha256(data).hexdigest()[:16]
            key = f"docx/{digest}.{_EXTENSIONS.get(media_type, 'bin')}"
            self.keys[pic.part] = key
            self.resources.setdefault(key, Resource(key, media_type, data))
        return Image(key, alt=pic.alt, title=pic.title)


def _has_text(items: Sequence[RunItem]) -> bool:
    """Whether the items show anything besides whitespace, breaks and rules."""
    for item in items:
        match item:
            case Text(text=text) if text.strip():
                return True
            case NoteRef() | Picture():
                return True
            case Hyperlink(items=inner) if _has_text(inner):
                return True
            case Text() | Break() | Hyperlink() | Rule():
                pass
            case _:
                assert_never(item)
    return False


def _captionless(block: Block) -> bool:
    return isinstance(block, Figure | Table) and not block.caption


def _with_caption(block: Block, caption: tuple[Inline, ...]) -> Block:
    if isinstance(block, Figure) and caption:
        return Figure(block.image, caption, block.attr)
    if isinstance(block, Table) and caption:
        return Table(block.head, block.body, caption, block.attr)
    return block


def convert(doc: Document, source: SourceRef) -> Essay:
    """The Essay of a parsed document (``id`` empty; the pipeline assigns it)."""
    conv = _Converter(doc, source)
    blocks = conv.blocks(doc.body, top=True)
    meta = conv.meta
    if not meta.title:
        blocks = _promote_title(blocks, meta)
    if not meta.title and doc.core_title:
        meta.title = (Str(doc.core_title),)
    if not meta.authors and useful_creator(doc.core_creator):
        meta.authors = (Person(doc.core_creator),)
    text = plain(meta.title) + plain_blocks(blocks)
    return Essay(
        Meta(
            title=meta.title,
            subtitle=meta.subtitle,
            authors=meta.authors,
            date=meta.date,
            lang=language(doc.lang_val, doc.lang_east_asia, text),
        ),
        tuple(blocks),
        id="",
        resources=tuple(conv.resources.values()),
        source=source,
    )


def _promote_title(blocks: list[Block], meta: _Meta) -> list[Block]:
    """A lone Heading 1 opening a document without a Title is its title; other headings move up."""
    if not blocks or not isinstance(blocks[0], Heading) or blocks[0].level != 1:
        return blocks
    if any(isinstance(b, Heading) and b.level == 1 for b in blocks[1:]):
        return blocks
    meta.title = blocks[0].content
    return [
        Heading(max(b.level - 1, 1), b.content, b.attr) if isinstance(b, Heading) else b
        for b in blocks[1:]
    ]
