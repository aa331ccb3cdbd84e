"""Turn a package into the state every part's walk shares: styles, media found, warnings given."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ...log import warn
from ._ns import mc
from ._package import Package
from ._styles import Styles


@dataclass
class State:
    """What every part's walk shares: the package, styles, media found, warnings given."""

    pkg: Package
    styles: Styles
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    warned: set[str] = field(default_factory=set)
    paragraphs: int = 0
    dropped_images: list[str] = field(default_factory=list)

    def warn_once(self, code: str, message: str) -> None:
        if code not in self.warned:
            self.warned.add(code)
            warn(code, message, self.pkg.source)

    def report(self) -> None:
        """Warnings summed up over the document (one per kind, not one per image)."""
        if self.dropped_images:
            names = sorted(set(self.dropped_images))
            more = f" and {len(names) - 3} more" if len(names) > 3 else ""
            warn(
                "docx-image-format",
                f"{len(names)} image(s) not in PNG, JPEG or GIF (or over 30 MB) left out: "
                f"{', '.join(names[:3])}{more} — save them as PNG or JPEG and insert them again",
                self.pkg.source,
            )


def alternate(el: etree._Element) -> list[etree._Element]:
    """The children of the branch of ``mc:AlternateContent`` we read (the first Choice)."""
    branch = el.find(mc("Choice"))
    if branch is None:
        branch = el.find(mc("Fallback"))
    return list(branch) if branch is not None else []
