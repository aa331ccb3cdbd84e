"""Turn loose inline sequences into the model's normal form."""

from __future__ import annotations

from collections.abc import Iterable

from .nodes import (
    Emph,
    Inline,
    Link,
    SmallCaps,
    Span,
    Str,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Underline,
)

_WRAPPERS = (Emph, Strong, Underline, Strikeout, Superscript, Subscript, SmallCaps)


def inlines(items: Iterable[Inline]) -> tuple[Inline, ...]:
    """Merge adjacent ``Str``, drop empty ``Str`` and empty wrappers; recurse into wrappers.

    Text runs are collected and joined once, so long inputs stay linear.
    """
    out: list[Inline] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(Str("".join(run)))
            run.clear()

    for item in items:
        match item:
            case Str(text=t):
                if t:
                    run.append(t)
                continue
            case (
                Emph()
                | Strong()
                | Underline()
                | Strikeout()
                | Superscript()
                | Subscript()
                | (SmallCaps())
            ):
                content = inlines(item.content)
                if not content:
                    continue
                item = type(item)(content)
            case Span(content=c, attr=a):
                content = inlines(c)
                if not content and a.id == "":
                    continue
                item = Span(content, a)
            case Link(content=c):
                item = Link(inlines(c), item.url, item.title, item.attr)
            case _:
                pass
        flush()
        out.append(item)
    flush()
    return tuple(out)


def text(s: str) -> tuple[Inline, ...]:
    """A plain string as normal-form inlines."""
    return (Str(s),) if s else ()
