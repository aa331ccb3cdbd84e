"""Turn a layout name or folder into a validated ``Layout`` (``layouts/<name>/layout.toml``)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .errors import ConfigError, LayoutError
from .options import Fonts, Layout

DEFAULT_LAYOUT = "booklet-a5"
_PAGE_KEYS = {
    "width_mm": "page_width_mm",
    "height_mm": "page_height_mm",
    "margin_top_mm": "margin_top_mm",
    "margin_bottom_mm": "margin_bottom_mm",
    "margin_inner_mm": "margin_inner_mm",
    "margin_outer_mm": "margin_outer_mm",
}


def builtin_layouts_dir() -> Path:
    """The layouts shipped with essaypress (the repository's ``layouts/`` folder)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_layouts", here.parent.parent / "layouts"):
        if candidate.is_dir():
            return candidate
    raise LayoutError("the built-in layouts folder is missing", hint="reinstall essaypress")


def available_layouts(project_dir: Path | None = None) -> list[str]:
    names = {p.parent.name for p in builtin_layouts_dir().glob("*/layout.toml")}
    if project_dir is not None:
        names |= {p.parent.name for p in (project_dir / "layouts").glob("*/layout.toml")}
    return sorted(names)


def find_layout(name_or_path: str, project_dir: Path | None = None) -> Path:
    """The folder of a layout: a path, the project's ``layouts/<name>``, or a built-in one."""
    candidates = []
    if "/" in name_or_path or name_or_path.startswith("."):
        base = project_dir or Path.cwd()
        candidates.append((base / name_or_path).resolve())
    else:
        if project_dir is not None:
            candidates.append(project_dir / "layouts" / name_or_path)
        candidates.append(builtin_layouts_dir() / name_or_path)
    for c in candidates:
        if (c / "layout.toml").is_file():
            return c
    known = ", ".join(available_layouts(project_dir))
    raise LayoutError(f"no layout named {name_or_path!r}", hint=f"use one of: {known}")


def load_layout(
    name_or_path: str, project_dir: Path | None = None, _seen: frozenset[Path] = frozenset()
) -> Layout:
    """The layout called ``name_or_path``, with the settings of the layout it extends."""
    root = find_layout(name_or_path, project_dir)
    if root in _seen:
        raise ConfigError("extends: layouts extend each other in a circle", path=str(root))
    path = root / "layout.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise ConfigError("not valid TOML: nested too deeply", path=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=str(path)) from None
    parent = None
    if "extends" in data:
        base = data.pop("extends")
        if not isinstance(base, str):
            raise ConfigError("extends: must name another layout", path=str(path))
        parent = load_layout(base, project_dir, _seen | {root})
    return _layout_from(data, root, str(path), parent)


def _layout_from(data: dict[str, Any], root: Path, where: str, parent: Layout | None) -> Layout:
    """Settings from layout.toml; what it leaves out comes from the parent layout."""

    def bad(key: str, why: str) -> ConfigError:
        return ConfigError(f"{key}: {why}", path=where)

    unknown = set(data) - {"name", "description", "page", "book", "fonts"}
    if unknown:
        raise bad(sorted(unknown)[0], "unknown key")
    kw: dict[str, Any] = {}
    if parent is not None:
        kw = {f: getattr(parent, f) for f in (*_PAGE_KEYS.values(), "recto_openings")}
    for key, value in data.get("page", {}).items():
        if key not in _PAGE_KEYS:
            raise bad(f"page.{key}", "unknown key")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
            raise bad(f"page.{key}", "must be a positive number of millimetres")
        kw[_PAGE_KEYS[key]] = float(value)
    for key, value in data.get("book", {}).items():
        if key != "recto_openings":
            raise bad(f"book.{key}", "unknown key")
        if not isinstance(value, bool):
            raise bad(f"book.{key}", "must be true or false")
        kw["recto_openings"] = value
    fonts: dict[str, Fonts] = dict(parent.fonts) if parent else {}
    for lang, table in data.get("fonts", {}).items():
        if lang not in ("zh-Hant", "zh-Hans", "en") or not isinstance(table, dict):
            raise bad(f"fonts.{lang}", "expected a table named zh-Hant, zh-Hans or en")
        families: dict[str, tuple[str, ...]] = {}
        for role in ("serif", "sans"):
            names = table.get(role)
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise bad(f"fonts.{lang}.{role}", "must be a list of font family names")
            families[role] = tuple(names)
        fonts[lang] = Fonts(serif=families["serif"], sans=families["sans"])
    return Layout(
        name=str(data.get("name", root.name)), root=root, fonts=fonts, parent=parent, **kw
    )
