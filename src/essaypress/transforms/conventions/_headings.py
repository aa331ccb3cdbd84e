"""Turn typed section-heading lines (``●…●``, ``一、``, ``（一）``, ``1.``, ``○``, bold) into
Headings.

Chinese official documents number their levels ``一、`` › ``（一）`` › ``1.`` › ``（1）``;
essays also mark sections with ``●…●`` or ``○…`` lines, or with a short line in
bold. Each kind found in an essay gets a level by that order, so an essay using
only ``（一）`` and ``1.`` gets levels 1 and 2. A candidate line must be short
(≤ 30 CJK characters or ≤ 12 words) and not end a sentence (``●…●`` may);
two candidates of one kind in a row are a list, not headings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...model.nodes import Block, Heading, Para
from ._text import all_bold, ends_sentence, is_short, only_text, text_of, unwrap_look

_HAN_NUM = "一二三四五六七八九十百零〇"
_DIGITS = "0-9０-９"
# (kind, pattern) in level order; the first that matches names the line's kind.
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dots", re.compile(r"^[●◆■]\s*\S.*?\s*[●◆■]$")),
    ("bold", re.compile(r"(?!)")),  # decided by formatting, ranked here
    ("han", re.compile(rf"^[{_HAN_NUM}]+\s*[、．]\s*\S")),
    ("han-paren", re.compile(rf"^[（(]\s*[{_HAN_NUM}]+\s*[）)]\s*\S")),
    ("num", re.compile(rf"^[{_DIGITS}]{{1,2}}\s*(?:[、．]|\.(?![{_DIGITS}]))\s*\S")),
    ("num-paren", re.compile(rf"^[（(]\s*[{_DIGITS}]{{1,2}}\s*[）)]\s*\S")),
    ("circle", re.compile(r"^[○◎]\s*\S")),
)
_RANK = {kind: i for i, (kind, _) in enumerate(KINDS)}


def heading_kind(para: Para) -> str | None:
    """The kind of typed heading a paragraph is (see ``KINDS``), or None for body text."""
    text = text_of(para.content)
    if not is_short(text) or not only_text(para.content):
        return None
    for kind, pattern in KINDS:
        if pattern.match(text):
            return kind if kind == "dots" or not ends_sentence(text) else None
    if all_bold(para.content) and not ends_sentence(text):
        return "bold"
    return None


def typed_headings(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Top-level paragraphs that are typed headings made Headings (the caller checks that the
    essay has no real headings)."""
    kinds = [heading_kind(b) if isinstance(b, Para) else None for b in blocks]
    if kinds:
        kinds[-1] = None  # a heading heads something
    for i, kind in enumerate(kinds):
        if kind is None or kind == "dots":
            continue
        # Two candidates of one kind in a row are list items or verse, not headings.
        if (i + 1 < len(kinds) and kinds[i + 1] == kind) or (i > 0 and kinds[i - 1] == kind):
            for j in range(i, len(kinds)):
                if kinds[j] != kind:
                    break
                kinds[j] = "-" + kind
    used = sorted({k for k in kinds if k and not k.startswith("-")}, key=_RANK.__getitem__)
    levels = {kind: min(n + 1, 6) for n, kind in enumerate(used)}
    out: list[Block] = []
    for block, kind in zip(blocks, kinds, strict=True):
        if isinstance(block, Para) and kind in levels:
            out.append(Heading(levels[kind], unwrap_look(block.content), source=block.source))
        else:
            out.append(block)
    return tuple(out)
