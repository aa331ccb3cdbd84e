"""Frozen option records passed from the pipeline to the writers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, kw_only=True)
class Fonts:
    """Font families for one script, first choice first (CSS font-family order)."""

    serif: tuple[str, ...]
    sans: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Layout:
    """A layout folder (``layouts/<name>/``) and the settings of its ``layout.toml``."""

    name: str
    root: Path
    page_width_mm: float = 148.0
    page_height_mm: float = 210.0
    margin_top_mm: float = 18.0
    margin_bottom_mm: float = 20.0
    margin_inner_mm: float = 20.0
    margin_outer_mm: float = 15.0
    recto_openings: bool = True
    fonts: dict[str, Fonts] = field(default_factory=dict)  # key: "zh-Hant", "zh-Hans", "en"

    def fonts_for(self, lang: str) -> Fonts:
        """The fonts for a language tag, falling back from ``zh-TW`` to ``zh-Hant`` to ``en``."""
        tag = lang.lower()
        if tag.startswith("zh"):
            simplified = any(x in tag for x in ("hans", "cn", "sg", "my"))
            key = "zh-Hans" if simplified else "zh-Hant"
        else:
            key = "en"
        return (
            self.fonts.get(key)
            or self.fonts.get("en")
            or Fonts(serif=("serif",), sans=("sans-serif",))
        )


@dataclass(frozen=True, kw_only=True)
class WriterOptions:
    """What every writer needs besides the anthology."""

    layout: Layout
    date: str  # ISO date of this edition, from the manifest or SOURCE_DATE_EPOCH
