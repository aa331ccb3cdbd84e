"""Turn the conventions authors type instead of styles into structure (one implementation for
every reader): a title line, a ``——`` subtitle, bylines, typed section headings, manual indents.

``apply_conventions`` works on one essay and reaches its fixed point in one call,
so running it again changes nothing (the transform is idempotent):

- no title yet: a short first paragraph that ends no sentence and is not a byline
  or a typed heading becomes the title;
- a short ``——…`` line at the top that names no person becomes the subtitle;
- byline paragraphs at the top (``—— 單位 姓名``, ``文／姓名``, ``作者：姓名``,
  ``by Name``) become the authors, replacing document metadata (Word's creator is
  often just "User"), all of them in one pass;
- when the essay has no real headings, typed heading lines become headings
  (see ``_headings``);
- a paragraph of three or more ornaments only (``* * *``, ``＊＊＊``, ``◇◇◇``,
  ``———``) is a scene break;
- paragraphs lose their full-width-space and manual indents;
- an editor's note (``編者按：…``) becomes ``Div.editor-note`` (titles and bylines are
  still found after a leading one); web-page trailers at the end (``分享到：``,
  ``相關文章：``, ``責任編輯：``, ``來源：``) are removed with a warning (see ``_web``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ...model.nodes import (
    Anthology,
    Block,
    Essay,
    Heading,
    HorizontalRule,
    Para,
    Part,
    Person,
    Str,
)
from ...model.walk import query, walk_blocks
from ._bylines import dash_led, dash_subtitle, parse_byline, parse_people
from ._headings import heading_kind, typed_headings
from ._text import (
    all_bold,
    ends_sentence,
    is_short,
    only_text,
    stripped_para,
    text_of,
    unwrap_look,
)
from ._web import drop_trailers, editor_notes, is_editor_note

__all__ = [
    "all_bold",
    "apply_conventions",
    "detect_conventions",
    "ends_sentence",
    "heading_kind",
    "is_short",
    "only_text",
    "parse_byline",
    "parse_people",
    "scene_break",
    "text_of",
    "unwrap_look",
]


def _first_para(blocks: Sequence[Block]) -> tuple[Para, str] | None:
    if blocks and isinstance(blocks[0], Para):
        return blocks[0], text_of(blocks[0].content)
    return None


def _take_title(e: Essay) -> Essay | None:
    first = _first_para(e.blocks)
    if e.meta.title or first is None or len(e.blocks) < 2:
        return None
    para, text = first
    if not only_text(para.content) or not is_short(text) or ends_sentence(text):
        return None
    if dash_led(text):
        return None
    if parse_byline(text) is not None or heading_kind(para) not in (None, "bold"):
        return None
    meta = dataclasses.replace(e.meta, title=unwrap_look(para.content))
    return dataclasses.replace(e, meta=meta, blocks=e.blocks[1:])


def _drop_repeated_title(e: Essay) -> Essay | None:
    """Without a plain first paragraph that repeats the title the essay already had (front
    matter, manifest): pasted texts often start with their title again."""
    first = _first_para(e.blocks)
    if not e.meta.title or first is None or len(e.blocks) < 2:
        return None
    if not all(isinstance(i, Str) for i in unwrap_look(first[0].content)):
        return None
    if "".join(first[1].split()) != "".join(text_of(e.meta.title).split()):
        return None
    return dataclasses.replace(e, blocks=e.blocks[1:])


def _take_subtitle(e: Essay) -> Essay | None:
    first = _first_para(e.blocks)
    if e.meta.subtitle or not e.meta.title or first is None:
        return None
    _, text = first
    words = dash_subtitle(text)
    if not words or parse_byline(text) is not None or not is_short(words):
        return None
    if ends_sentence(words):
        return None
    meta = dataclasses.replace(e.meta, subtitle=(Str(words),))
    return dataclasses.replace(e, meta=meta, blocks=e.blocks[1:])


def _take_bylines(e: Essay) -> Essay | None:
    people: list[Person] = []
    taken = 0
    for block in e.blocks:
        found = parse_byline(text_of(block.content)) if isinstance(block, Para) else None
        if found is None:
            break
        people.extend(found)
        taken += 1
    if not taken:
        return None
    fuller = [a.name for a in e.meta.authors]
    if fuller and all(any(p.name in f and p.name != f for f in fuller) for p in people):
        people = list(e.meta.authors)  # ``·鲁迅·`` repeats "鲁迅 (Lu Xun, 1881–1936)"
    meta = dataclasses.replace(e.meta, authors=tuple(people))
    return dataclasses.replace(e, meta=meta, blocks=e.blocks[taken:])


_ORNAMENTS = frozenset("*＊·•∙◇◆○●◎※～~—―─-_=#§❖⁂✻✽❦☆★ \t\u3000")


def scene_break(para: Para) -> bool:
    """Whether a paragraph is a typed scene break: three or more ornaments and nothing else."""
    text = text_of(para.content)
    return sum(not ch.isspace() for ch in text) >= 3 and set(text) <= _ORNAMENTS


def _strip_indents(b: Block) -> Block | None:
    return stripped_para(b) if isinstance(b, Para) else None


def apply_conventions(essay: Essay) -> Essay:
    """The essay with its typed conventions turned into structure (idempotent)."""
    e = drop_trailers(walk_blocks(essay, _strip_indents))
    e = dataclasses.replace(e, blocks=editor_notes(e.blocks)) if e.blocks else e
    lead = 0
    while lead < len(e.blocks) and is_editor_note(e.blocks[lead]):
        lead += 1
    notes, e = e.blocks[:lead], dataclasses.replace(e, blocks=e.blocks[lead:])
    if any(isinstance(b, Para) and scene_break(b) for b in e.blocks):
        blocks = tuple(
            HorizontalRule() if isinstance(b, Para) and scene_break(b) else b for b in e.blocks
        )
        e = dataclasses.replace(e, blocks=blocks)
    for _ in range(len(e.blocks) + 1):
        for step in (_take_title, _drop_repeated_title, _take_subtitle, _take_bylines):
            changed = step(e)
            if changed is not None:
                e = changed
                break
        else:
            break
    if not query(e.blocks, Heading):
        blocks = typed_headings(e.blocks)
        if blocks != e.blocks:
            e = dataclasses.replace(e, blocks=blocks)
    return dataclasses.replace(e, blocks=notes + e.blocks) if notes else e


def detect_conventions(book: Anthology) -> Anthology:
    return dataclasses.replace(
        book,
        front=tuple(apply_conventions(e) for e in book.front),
        parts=tuple(
            Part(p.title, tuple(apply_conventions(e) for e in p.essays), p.id) for p in book.parts
        ),
        back=tuple(apply_conventions(e) for e in book.back),
    )
