"""Turn how a first paragraph looks in Word (centred, enlarged, bold) into "this is the title".

Authors who do not use styles still make the title look like one. Only the
signals Word records are decided here; what the text says (bylines, numbered
heading lines) is the shared convention detection in ``transforms.conventions``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ...model.nodes import Inline, Para
from ...transforms.conventions import (
    all_bold,
    ends_sentence,
    heading_kind,
    is_short,
    only_text,
    parse_byline,
    text_of,
)
from ._records import BlockRecord, Paragraph, Text

ENLARGED = 1.2  # a title's font is at least this much larger than the body text's


@dataclass(frozen=True, slots=True)
class Look:
    """The document's body text size (half-points): the size most of its characters have."""

    body_size: int


def look_of(records: Sequence[BlockRecord], default_size: int) -> Look:
    sizes: Counter[int] = Counter()
    for rec in records:
        if isinstance(rec, Paragraph) and rec.size:
            sizes[rec.size] += sum(len(i.text) for i in rec.items if isinstance(i, Text))
    size = sizes.most_common(1)[0][0] if sizes else default_size
    return Look(size or default_size)


def is_title_line(rec: Paragraph, content: tuple[Inline, ...], look: Look, *, more: bool) -> bool:
    """Whether a first body paragraph is the essay's title by its look: short, no sentence,
    no byline or numbered heading, and centred, enlarged or all bold; something must follow."""
    if not more or not only_text(content):
        return False
    text = text_of(content)
    if not is_short(text) or ends_sentence(text) or parse_byline(text) is not None:
        return False
    if heading_kind(Para(content)) not in (None, "bold"):
        return False
    centred = rec.align == "center"
    enlarged = rec.size >= look.body_size * ENLARGED
    return centred or enlarged or all_bold(content)
