"""Turn an assembled Anthology into its publishable form: ordered, pure, idempotent steps."""

from __future__ import annotations

from collections.abc import Callable

from ..model.nodes import Anthology
from .cjk_breaks import join_cjk_breaks
from .conventions import detect_conventions
from .ids import assign_ids
from .normalize import normalize
from .sanitize import sanitize

Transform = Callable[[Anthology], Anthology]

DEFAULT_TRANSFORMS: tuple[tuple[str, Transform], ...] = (
    ("sanitize", sanitize),
    ("normalize", normalize),
    ("cjk_breaks", join_cjk_breaks),
    ("conventions", detect_conventions),
    ("ids", assign_ids),
    ("normalize_again", normalize),
)


def apply_transforms(
    book: Anthology, transforms: tuple[tuple[str, Transform], ...] = DEFAULT_TRANSFORMS
) -> Anthology:
    for _name, transform in transforms:
        book = transform(book)
    return book
