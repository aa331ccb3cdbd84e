"""Turn a package into the state every part's walk shares: styles, media found, warnings given."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ...log import warn
from ._ns import A_NS, M_NS, O_NS, PIC_NS, R_NS, V_NS, W_NS, WP_NS, mc
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


# Namespaces whose markup the reader understands (a Choice requiring only these is read).
_KNOWN = frozenset(
    {
        W_NS, WP_NS, A_NS, PIC_NS, M_NS, V_NS, O_NS, R_NS,
        "urn:schemas-microsoft-com:office:word",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
        "http://schemas.microsoft.com/office/word/2010/wordml",
        "http://schemas.microsoft.com/office/word/2012/wordml",
        "http://schemas.microsoft.com/office/drawing/2010/main",
    }
)  # fmt: skip


def _understood(choice: etree._Element) -> bool:
    prefixes = choice.get("Requires", "").split()
    nsmap = choice.nsmap
    return bool(prefixes) and all(nsmap.get(p) in _KNOWN for p in prefixes)


def alternate(el: etree._Element) -> list[etree._Element]:
    """The children of the branch of ``mc:AlternateContent`` we read: the first Choice whose
    required namespaces we understand, else the Fallback."""
    for choice in el.findall(mc("Choice")):
        if _understood(choice):
            return list(choice)
    branch = el.find(mc("Fallback"))
    return list(branch) if branch is not None else []
