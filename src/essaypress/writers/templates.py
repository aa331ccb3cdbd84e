"""Turn a layout's Jinja2 templates into text: autoescape on, undefined names are errors."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

from ..errors import LayoutError


@functools.lru_cache(maxsize=16)
def environment(folder: Path) -> jinja2.Environment:
    """A Jinja2 environment over one folder of a layout (``pdf/`` or ``epub/``).

    Kept per folder, so a template is compiled once per process, not once per
    essay; Jinja2 still checks the file's time on every load, so an edited
    template (``essaypress watch``) is read again.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render(folder: Path, name: str, **context: Any) -> str:
    """Render ``folder/name``; a missing template or variable is a ``LayoutError`` naming it."""
    try:
        return environment(folder).get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise LayoutError(f"template {exc.name!r} not found", path=str(folder)) from None
    except jinja2.UndefinedError as exc:
        raise LayoutError(f"{exc.message}", path=str(folder / name)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise LayoutError(
            f"template syntax: {exc.message}", path=str(folder / name), line=exc.lineno
        ) from None
