"""Turn an empty folder into a ready anthology project (``essaypress new DIR``).

The project is copied from the package's ``scaffold/`` folder: ``sources/`` with a
commented ``anthology.toml``, a Chinese (zh-Hant) and an English example essay
and ``layouts/README.md`` (how to copy a built-in layout), plus a ``.gitignore``
for ``build/``. ``cd DIR && essaypress build`` builds it at once.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import OutputError, UsageError

__all__ = ["new_project"]

_RENAMED = {"gitignore": ".gitignore"}  # dot files are kept without the dot in the package


def new_project(target: Path) -> list[Path]:
    """Create the project in ``target`` (missing or empty); return the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(
            f"{target} is not an empty folder",
            hint="give the name of a new folder, e.g. essaypress new my-anthology",
        )
    written: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        _copy(files("essaypress") / "scaffold", target, written)
    except OSError as exc:
        raise OutputError(
            f"cannot write: {exc.strerror}", path=str(exc.filename or target)
        ) from None
    return written


def _copy(source: Traversable, dest: Path, written: list[Path]) -> None:
    for item in sorted(source.iterdir(), key=lambda t: t.name):
        path = dest / _RENAMED.get(item.name, item.name)
        if item.is_dir():
            path.mkdir(exist_ok=True)
            _copy(item, path, written)
        elif not item.name.endswith((".pyc", ".pyo")):
            path.write_bytes(item.read_bytes())
            written.append(path)
