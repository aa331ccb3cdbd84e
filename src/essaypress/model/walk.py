"""Walk and rewrite model trees generically (pandoc's ``walk`` and ``query``).

A filter function gets every node of the kind it asks for, bottom-up, and
returns ``None`` to keep the node, a node to replace it, or a sequence of
nodes to splice in its place (an empty sequence deletes it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from .nodes import BLOCK_TYPES, INLINE_TYPES, Block, Inline

T = TypeVar("T")

InlineFilter = Callable[[Inline], "Inline | Sequence[Inline] | None"]
BlockFilter = Callable[[Block], "Block | Sequence[Block] | None"]


def _rebuild(value: Any, kinds: tuple[type, ...], fn: Callable[[Any], Any]) -> Any:
    if isinstance(value, tuple):
        out: list[Any] = []
        changed = False
        for item in value:
            new = _rebuild(item, kinds, fn)
            if isinstance(item, kinds):
                result = fn(new)
                if result is None:
                    result = new
                if isinstance(result, (list, tuple)):
                    out.extend(result)
                    changed = True
                    continue
                new = result
            changed = changed or new is not item
            out.append(new)
        return tuple(out) if changed else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            if not f.compare:
                continue
            old = getattr(value, f.name)
            new = _rebuild(old, kinds, fn)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def walk_inlines(tree: T, fn: InlineFilter) -> T:
    """Apply ``fn`` to every inline in ``tree``, children first."""
    result: T = _rebuild(tree, INLINE_TYPES, fn)
    return result


def walk_blocks(tree: T, fn: BlockFilter) -> T:
    """Apply ``fn`` to every block in ``tree``, children first."""
    result: T = _rebuild(tree, BLOCK_TYPES, fn)
    return result


def iter_nodes(tree: object) -> Iterator[object]:
    """Every dataclass node in ``tree``, parents before children, in document order."""
    if isinstance(tree, tuple):
        for item in tree:
            yield from iter_nodes(item)
    elif dataclasses.is_dataclass(tree) and not isinstance(tree, type):
        yield tree
        for f in dataclasses.fields(tree):
            if f.compare:
                yield from iter_nodes(getattr(tree, f.name))


def query(tree: object, kind: type[T]) -> list[T]:
    """All nodes of one type in ``tree``, in document order."""
    return [n for n in iter_nodes(tree) if isinstance(n, kind)]
