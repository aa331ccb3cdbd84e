"""Turn a parsed document into the Essay: body blocks, metadata from the body, the typed
conventions, then document properties for what is still missing."""

from __future__ import annotations

import dataclasses

from ...model.nodes import Block, Essay, Heading, Meta, Person, SourceRef, Str
from ...model.text import plain, plain_blocks
from ...transforms.conventions import apply_conventions
from ._convert import Converter, MetaDraft
from ._meta import language, useful_creator, useful_title
from ._records import Document
from ._visual import look_of


def convert(doc: Document, source: SourceRef) -> Essay:
    """The Essay of a parsed document (``id`` empty; the pipeline assigns it).

    The title comes from a Title paragraph, else a lone Heading 1 opening the
    document, else a first line that looks like a title; then the conventions
    the author typed (bylines, ``——`` subtitle, numbered heading lines) are read
    with the same code the transforms use; the core properties' title and
    creator fill in only what is still missing (a typed byline wins over them).
    """
    conv = Converter(doc, source, look_of(doc.body, doc.body_size))
    blocks = conv.blocks(doc.body, top=True)
    meta = conv.meta
    if not meta.title:
        blocks = _promote_title(blocks, meta)
    essay = Essay(
        Meta(title=meta.title, subtitle=meta.subtitle, authors=meta.authors, date=meta.date),
        tuple(blocks),
        id="",
        resources=tuple(conv.resources.values()),
        source=source,
    )
    essay = apply_conventions(essay)
    found = essay.meta
    if not found.title and useful_title(doc.core_title):
        found = dataclasses.replace(found, title=(Str(doc.core_title),))
    if not found.authors and useful_creator(doc.core_creator):
        found = dataclasses.replace(found, authors=(Person(doc.core_creator),))
    text = plain(found.title) + plain_blocks(essay.blocks)
    found = dataclasses.replace(found, lang=language(doc.lang_val, doc.lang_east_asia, text))
    return dataclasses.replace(essay, meta=found)


def _promote_title(blocks: list[Block], meta: MetaDraft) -> list[Block]:
    """A lone Heading 1 opening a document without a Title is its title; other headings move up."""
    if not blocks or not isinstance(blocks[0], Heading) or blocks[0].level != 1:
        return blocks
    if any(isinstance(b, Heading) and b.level == 1 for b in blocks[1:]):
        return blocks
    meta.title = blocks[0].content
    return [
        dataclasses.replace(b, level=max(b.level - 1, 1)) if isinstance(b, Heading) else b
        for b in blocks[1:]
    ]
