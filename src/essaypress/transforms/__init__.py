"""Turn an assembled Anthology into its publishable form: ordered, pure, idempotent steps.

``STRUCTURE`` finds what the text means (titles, bylines, headings, clean
whitespace); ``essaypress check`` looks at the anthology after it, before the
editorial steps (``editorial(options)``: edition, punctuation, quotes, spacing,
ids) change what the authors typed.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model.nodes import Anthology
from ..options import TextOptions
from .cjk_breaks import join_cjk_breaks
from .conventions import detect_conventions
from .ids import assign_ids
from .normalize import normalize
from .punctuation import punctuate
from .quotes import style_quotes
from .sanitize import sanitize
from .spacing import space_cjk_latin
from .whitespace import normalize_whitespace

Transform = Callable[[Anthology], Anthology]
Steps = tuple[tuple[str, Transform], ...]

STRUCTURE: Steps = (
    ("sanitize", sanitize),
    ("normalize", normalize),
    ("whitespace", normalize_whitespace),
    ("cjk_breaks", join_cjk_breaks),
    ("conventions", detect_conventions),
)


_DEFAULT_OPTIONS = TextOptions()


def editorial(options: TextOptions = _DEFAULT_OPTIONS) -> Steps:
    """The steps that change typed text into house style, for these options."""
    steps: list[tuple[str, Transform]] = []
    if options.edition:
        from .zh_convert import to_edition  # the only place opencc is loaded

        steps.append(("edition", to_edition(options.edition)))
    steps.append(("punctuation", punctuate))
    steps.append(("quotes", style_quotes(options.quotes)))
    if options.cjk_latin_space:
        steps.append(("cjk_latin_space", space_cjk_latin))
    steps.append(("ids", assign_ids))
    steps.append(("normalize_again", normalize))
    return tuple(steps)


def transforms_for(options: TextOptions = _DEFAULT_OPTIONS) -> Steps:
    """Every step, in order, for these options."""
    return STRUCTURE + editorial(options)


DEFAULT_TRANSFORMS: Steps = transforms_for(_DEFAULT_OPTIONS)


def apply_transforms(book: Anthology, transforms: Steps = DEFAULT_TRANSFORMS) -> Anthology:
    for _name, transform in transforms:
        book = transform(book)
    return book
