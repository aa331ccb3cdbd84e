"""Turn model nodes into plain text (pandoc's ``stringify``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import assert_never

from .nodes import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Div,
    Emph,
    Figure,
    Heading,
    HorizontalRule,
    Image,
    Inline,
    LineBlock,
    LineBreak,
    Link,
    Note,
    OrderedList,
    Para,
    SmallCaps,
    SoftBreak,
    Span,
    Str,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    Underline,
)


def plain(content: Iterable[Inline], *, notes: bool = False) -> str:
    """The text of inlines; notes are left out unless ``notes`` is true."""
    parts: list[str] = []
    for node in content:
        match node:
            case Str(text=t):
                parts.append(t)
            case Code(text=t):
                parts.append(t)
            case SoftBreak():
                parts.append(" ")
            case LineBreak():
                parts.append("\n")
            case (
                Emph(content=c)
                | Strong(content=c)
                | Underline(content=c)
                | Strikeout(content=c)
                | Superscript(content=c)
                | Subscript(content=c)
                | SmallCaps(content=c)
                | Span(content=c)
                | Link(content=c)
            ):
                parts.append(plain(c, notes=notes))
            case Image(alt=alt):
                parts.append(alt)
            case Note(blocks=b):
                if notes:
                    parts.append(" " + plain_blocks(b, notes=notes).replace("\n\n", " "))
            case _:
                assert_never(node)
    return "".join(parts)


def plain_blocks(blocks: Iterable[Block], *, notes: bool = False) -> str:
    """The text of blocks, one paragraph per line pair."""
    out: list[str] = []
    for block in blocks:
        match block:
            case Para(content=c) | Heading(content=c):
                out.append(plain(c, notes=notes))
            case BlockQuote(blocks=b) | Div(blocks=b):
                out.append(plain_blocks(b, notes=notes))
            case BulletList(items=items) | OrderedList(items=items):
                out.extend(plain_blocks(item, notes=notes) for item in items)
            case LineBlock(lines=lines):
                out.append("\n".join(plain(line, notes=notes) for line in lines))
            case CodeBlock(text=t):
                out.append(t)
            case Figure(image=img, caption=cap):
                out.append(plain(cap, notes=notes) or img.alt)
            case Table(head=head, body=body, caption=cap):
                rows = [*head, *body]
                if cap:
                    out.append(plain(cap, notes=notes))
                out.extend(
                    "\t".join(plain_blocks(c.blocks, notes=notes) for c in row.cells)
                    for row in rows
                )
            case HorizontalRule():
                out.append("* * *")
            case _:
                assert_never(block)
    return "\n\n".join(s for s in out if s)
