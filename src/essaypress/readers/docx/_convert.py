"""Turn docx-shaped records into model blocks and the metadata the body states (pandoc's Docx.hs).

Paragraph styles decide the block (see ``_roles``): Title/Subtitle/Author/Date
at the top fill the metadata, headings make headings, Quote styles and
indented paragraphs group into block quotes, code styles into code blocks,
numbered paragraphs into lists, Caption attaches to the figure or table beside
it, a paragraph holding only images becomes figures, table-of-contents entries
are dropped. Formatting a semantic style gives every run (a heading's bold, a
quote's italics) is its look, not emphasis, and is dropped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import assert_never

from ...log import warn
from ...model.nodes import (
    Attr,
    Block,
    BlockQuote,
    Code,
    CodeBlock,
    Figure,
    Heading,
    HorizontalRule,
    Image,
    Inline,
    LineBlock,
    LineBreak,
    Link,
    Note,
    Para,
    Person,
    Resource,
    SourceRef,
    Span,
    Str,
    Table,
)
from ...model.text import plain
from ...transforms.conventions import parse_people, unwrap_look
from ._inlines import Formatted, nest, safe_url, strip
from ._lists import Item, build_lists
from ._records import (
    NO_FMT,
    BlockRecord,
    Box,
    Break,
    Document,
    Fmts,
    Hyperlink,
    Math,
    NoteRef,
    Paragraph,
    Picture,
    Rule,
    RunItem,
    TableRecord,
    Text,
)
from ._roles import Role, compact, role
from ._tables import build_table, captionless, labelled, with_caption
from ._visual import Look, is_title_line

_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}
QUOTE_INDENT = 360  # twips (a quarter inch) of left indent that make a paragraph a quote
_MATH = Attr(classes=("math",))
_DISPLAY_MATH = Attr(classes=("math", "display"))


@dataclass
class MetaDraft:
    title: tuple[Inline, ...] = ()
    subtitle: tuple[Inline, ...] = ()
    authors: tuple[Person, ...] = ()
    date: str = ""


class _Groups:
    """Paragraphs collected into one block: quote paragraphs, code lines, list items."""

    def __init__(self, out: list[Block]) -> None:
        self.out = out
        self.quote: list[Block] = []
        self.code: list[str] = []
        self.items: list[Item] = []

    def flush(self, keep: str = "") -> None:
        """Emit every group except ``keep`` (the one the next paragraph continues)."""
        if self.quote and keep != "quote":
            self.out.append(BlockQuote(tuple(self.quote)))
            self.quote.clear()
        if self.code and keep != "code":
            self.out.append(CodeBlock("\n".join(self.code)))
            self.code.clear()
        if self.items and keep != "list":
            self.out.extend(build_lists(self.items))
            self.items.clear()


class Converter:
    def __init__(self, doc: Document, source: SourceRef, look: Look) -> None:
        self.doc = doc
        self.source = source
        self.look = look
        self.meta = MetaDraft()
        self.resources: dict[str, Resource] = {}
        self.keys: dict[str, str] = {}
        self.warned_link = False

    # ---------------------------------------------------------------- blocks

    def blocks(
        self, records: Sequence[BlockRecord], *, top: bool = False, cell: bool = False
    ) -> list[Block]:
        out: list[Block] = []
        groups = _Groups(out)
        pending_caption: tuple[Inline, ...] = ()
        leading = top  # metadata styles count only before the body text starts
        records = _joined(records)
        for index, rec in enumerate(records):
            if isinstance(rec, TableRecord):
                groups.flush()
                table = self.table(rec)
                if table is not None:
                    out.append(with_caption(table, pending_caption))
                    leading = False
                pending_caption = ()
                continue
            kind, level = role(rec)
            if kind == "toc":
                continue
            following = records[index + 1 : index + 2]
            if kind == "body" and not (top and leading) and labelled(rec, out, following):
                kind = "caption"
            if kind == "code":
                groups.flush("code")
                groups.code.append(_code_text(rec.items))
                continue
            if kind == "rule":
                groups.flush()
                out.append(HorizontalRule())
                continue
            drop = NO_FMT if kind == "body" else rec.style_fmt
            figures, content, boxed = self.paragraph(rec, drop)
            where = SourceRef(self.source.path, paragraph=rec.index) if rec.index else None
            number = self.list_number(rec) if kind in ("body", "quote", "heading") else None
            if kind == "body" and not cell and number is None and not rec.unnumbered:
                kind = "quote" if self.quoted(rec) else kind
            rule = rec.rule_after or any(isinstance(i, Rule) for i in rec.items)
            if kind == "heading" or figures or not content:
                number = None
            group = "quote" if kind == "quote" else ""
            if number is not None or (rec.unnumbered and kind == "body"):
                group = "list"
            groups.flush(group)
            out.extend(figures)
            if not content:
                if figures and len(boxed) == 1 and isinstance(boxed[0], Para):
                    out[-1] = with_caption(out[-1], boxed[0].content)  # a text-box caption
                else:
                    out.extend(boxed)
                if rule:
                    out.append(HorizontalRule())
                continue
            if top and leading and self._meta(kind, content):
                continue
            if (
                top
                and leading
                and not self.meta.title
                and not _texts(out)
                and kind == "body"
                and number is None
                and is_title_line(rec, content, self.look, more=index + 1 < len(records))
            ):
                self.meta.title = unwrap_look(content)
                continue
            # A first Heading 1 may become the title: metadata paragraphs may still follow it.
            leading = kind == "heading" and level == 1 and not _texts(out) and not self.meta.title
            if kind == "body" and rec.unnumbered and groups.items:
                last = groups.items[-1]  # a further paragraph of the list item
                groups.items[-1] = replace(
                    last, blocks=(*last.blocks, Para(content, where), *boxed)
                )
                continue
            if number is not None:
                groups.items.append(self.item(rec, number, (Para(content, where), *boxed)))
                continue
            if kind == "heading":
                out.append(Heading(level, content, source=where))
            elif kind == "verse":
                out.append(LineBlock(_lines(content), where))
            elif kind == "quote":
                groups.quote.append(Para(content, where))
            elif kind == "caption" and out and captionless(out[-1]):
                out[-1] = with_caption(out[-1], content)
            elif (
                kind == "caption"
                and index + 1 < len(records)
                and isinstance(records[index + 1], TableRecord)
            ):
                pending_caption = content
            else:
                out.append(Para(content, where))
            if boxed or rule:
                groups.flush()
                out.extend(boxed)
                if rule:
                    out.append(HorizontalRule())
        groups.flush()
        return [b for b in out if not (isinstance(b, Para) and not b.content)]

    def item(self, rec: Paragraph, number: int, blocks: tuple[Block, ...]) -> Item:
        level = self.doc.numbering.level(rec.num_id, rec.ilvl) if self.doc.numbering else None
        assert level is not None
        return Item(rec.ilvl, rec.num_id, level.bullet, level.style, number, blocks)

    def list_number(self, rec: Paragraph) -> int | None:
        """The number Word shows for a numbered paragraph, or None when it is no list item."""
        numbering = self.doc.numbering
        if not rec.num_id or numbering is None:
            return None
        level = numbering.level(rec.num_id, rec.ilvl)
        if level is None or level.silent:
            return None
        return numbering.count(rec.num_id, rec.ilvl)

    def quoted(self, rec: Paragraph) -> bool:
        """An indented body paragraph (not a list paragraph) reads as a block quote."""
        if rec.indent < QUOTE_INDENT:
            return False
        return not any("list" in compact(s.name or s.id) for s in rec.styles)

    def _meta(self, kind: Role, content: tuple[Inline, ...]) -> bool:
        """Store a metadata paragraph (the first title, first subtitle, authors, date)."""
        if kind == "title" and not self.meta.title:
            self.meta.title = content
        elif kind == "subtitle" and not self.meta.subtitle:
            self.meta.subtitle = content
        elif kind == "author":
            text = plain(content).strip()
            self.meta.authors += parse_people(text) or (Person(text),)
        elif kind == "date" and not self.meta.date:
            self.meta.date = plain(content).strip()
        else:
            return False
        return True

    def paragraph(
        self, rec: Paragraph, drop: Fmts
    ) -> tuple[list[Block], tuple[Inline, ...], list[Block]]:
        """Figures pulled out of the paragraph, its remaining inlines (stripped), and the
        blocks of the text boxes it anchors."""
        boxed: list[Block] = []
        for box in (i for i in rec.items if isinstance(i, Box)):
            boxed.extend(self.blocks(box.blocks))
        items = tuple(i for i in rec.items if not isinstance(i, Box))
        floats = [i for i in items if isinstance(i, Picture) and i.floating]
        if floats:
            rest = tuple(i for i in items if not (isinstance(i, Picture) and i.floating))
            if _has_text(rest):
                figures: list[Block] = [Figure(self.image(p)) for p in floats]
                return figures, strip(nest(self.runs(rest, drop))), boxed
        content = strip(nest(self.runs(items, drop)))
        if content and all(
            isinstance(x, Image) or (isinstance(x, Str) and not x.text.strip()) for x in content
        ):
            return [Figure(x) for x in content if isinstance(x, Image)], (), boxed
        return [], content, boxed

    def table(self, rec: TableRecord) -> Table | None:
        return build_table(rec, lambda records: self.blocks(records, cell=True))

    # --------------------------------------------------------------- inlines

    def runs(self, items: Sequence[RunItem], drop: Fmts) -> list[Formatted]:
        """Each run item as (formatting, inline); ``drop`` is formatting that is only the look."""
        out: list[Formatted] = []
        for item in items:
            match item:
                case Text(text=text, fmt=fmt) if "code" in fmt:
                    fmts = fmt - drop - {"code"}
                    last = out[-1] if out else None
                    if last is not None and last[0] == fmts and isinstance(last[1], Code):
                        out[-1] = (fmts, Code(last[1].text + text))
                    else:
                        out.append((fmts, Code(text)))
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
                case Math(text=text, display=display):
                    if text:
                        out.append(
                            (NO_FMT, Span((Str(text),), _DISPLAY_MATH if display else _MATH))
                        )
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
                case Rule() | Box():
                    pass  # made blocks by ``blocks``
                case _:
                    assert_never(item)
        return out

    def note(self, ref: NoteRef) -> Note | None:
        notes = self.doc.footnotes if ref.kind == "footnote" else self.doc.endnotes
        records = notes.get(ref.id)
        if records is None:
            warn("docx-note-missing", f"{ref.kind} {ref.id} is missing; left out", self.source)
            return None
        blocks = self.blocks(records)
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


def _texts(out: Sequence[Block]) -> bool:
    """Whether any text block (not a figure or rule) has been read yet."""
    return any(not isinstance(b, Figure | HorizontalRule) for b in out)


def _lines(content: tuple[Inline, ...]) -> tuple[tuple[Inline, ...], ...]:
    """A verse paragraph's lines: its inlines split at line breaks."""
    lines: list[list[Inline]] = [[]]
    for node in content:
        if isinstance(node, LineBreak):
            lines.append([])
        else:
            lines[-1].append(node)
    return tuple(tuple(line) for line in lines)


def _joined(records: Sequence[BlockRecord]) -> list[BlockRecord]:
    """Paragraphs whose mark was deleted (tracked) run into the next one; a drop-cap letter
    joins the paragraph it begins."""
    out: list[BlockRecord] = []
    carry: tuple[RunItem, ...] = ()
    for rec in records:
        if not isinstance(rec, Paragraph):
            if carry:
                out.append(Paragraph((), None, carry))
                carry = ()
            out.append(rec)
            continue
        if carry:
            rec, carry = replace(rec, items=carry + rec.items), ()
        if rec.drop_cap or rec.joined:
            carry = rec.items
            continue
        out.append(rec)
    if carry:
        out.append(Paragraph((), None, carry))
    return out


def _code_text(items: Sequence[RunItem]) -> str:
    parts: list[str] = []
    for item in items:
        if isinstance(item, Text):
            parts.append(item.text)
        elif isinstance(item, Break):
            parts.append("\n")
        elif isinstance(item, Hyperlink):
            parts.append(_code_text(item.items))
    return "".join(parts)


def _has_text(items: Sequence[RunItem]) -> bool:
    """Whether the items show anything besides whitespace, breaks and rules."""
    for item in items:
        match item:
            case Text(text=text) if text.strip():
                return True
            case NoteRef() | Picture() | Math():
                return True
            case Hyperlink(items=inner) if _has_text(inner):
                return True
            case Text() | Break() | Hyperlink() | Rule() | Box():
                pass
            case _:
                assert_never(item)
    return False
