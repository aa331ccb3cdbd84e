"""Turn a run of numbered paragraphs into nested bullet and ordered lists.

Each item knows its level (``w:ilvl``), its list (``w:numId``), whether it is a
bullet, its number style and the number Word shows for it. A deeper item nests
in the item before it; an item of another list, kind or style at the same
level starts a new list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...model.nodes import Block, BulletList, ListStyle, OrderedList


@dataclass(frozen=True, slots=True)
class Item:
    level: int
    num_id: str
    bullet: bool
    style: ListStyle
    number: int
    blocks: tuple[Block, ...]

    def continues(self, before: Item) -> bool:
        """Whether this item continues the list ``before`` (an item at the same level) is in:
        the same list, or an ordered list of the same style numbered on from it."""
        if (self.bullet, self.style) != (before.bullet, before.style):
            return False
        return self.num_id == before.num_id or (
            not self.bullet and self.number == before.number + 1
        )


def build_lists(items: Sequence[Item]) -> list[Block]:
    """The lists a run of items makes (usually one)."""
    out: list[Block] = []
    i = 0
    while i < len(items):
        block, i = _list(items, i, items[i].level)
        out.append(block)
    return out


def _list(items: Sequence[Item], i: int, level: int) -> tuple[Block, int]:
    first = last = items[i]
    entries: list[list[Block]] = []
    while i < len(items) and items[i].level >= level:
        item = items[i]
        if item.level == level:
            if entries and not item.continues(last):
                break
            entries.append(list(item.blocks))
            last = item
            i += 1
        else:
            sub, i = _list(items, i, item.level)
            if entries:
                entries[-1].append(sub)
            else:
                entries.append([sub])
    tupled = tuple(tuple(e) for e in entries)
    if first.bullet:
        return BulletList(tupled), i
    return OrderedList(tupled, first.number, first.style), i
