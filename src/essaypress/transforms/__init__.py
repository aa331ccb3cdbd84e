"""Turn an assembled Anthology into its publishable form: ordered, pure, idempotent steps."""

from __future__ import annotations

from collections.abc import Callable

from ..model.nodes import Anthology
from .bylines import detect_bylines
from .cjk_breaks import join_cjk_breaks
from .ids import assign_ids
from .normalize import normalize

Transform = Callable[[Anthology], Anthology]

DEFAULT_TRANSFORMS: tuple[tuple[str, Transform], ...] = (
    ("normalize", normalize),
    ("cjk_breaks", join_cjk_breaks),
    ("bylines", detect_bylines),
    ("ids", assign_ids),
    ("normalize_again", normalize),
)


def apply_transforms(
    book: Anthology, transforms: tuple[tuple[str, Transform], ...] = DEFAULT_TRANSFORMS
) -> Anthology:
    for _name, transform in transforms:
        book = transform(book)
    return book
