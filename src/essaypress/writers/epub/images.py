"""Turn the essays' image resources into the EPUB's image files: ASCII names, sniffed types."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable

from ...log import warn
from ...model.nodes import Anthology, Essay, Resource
from .names import Names, ncname

MEDIA_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
}
PLACEHOLDER = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" '
    b'viewBox="0 0 300 200"><rect x="1" y="1" width="298" height="198" '
    b'fill="#eeeeee" stroke="#999999"/></svg>\n'
)


class Images:
    """The image files of the book: one per distinct picture, added when first referenced."""

    def __init__(self, book: Anthology, names: Names) -> None:
        self.names = names
        self.anywhere: dict[str, Resource] = {}
        for essay in (*book.front, *book.essays, *book.back):
            for res in essay.resources:
                self.anywhere.setdefault(res.key, res)
        self.files: dict[tuple[str, str], tuple[str, str, bytes]] = {}  # → name, type, bytes
        self.cover: tuple[str, str] | None = None  # name and media type of the cover image

    def resolver(self, essay: Essay, from_dir: str, where: str) -> Callable[[str], str]:
        """The ``resource_url`` for one essay: its own resources first, then the book's."""
        own = {r.key: r for r in essay.resources}

        def url(key: str) -> str:
            name = self._file(own.get(key) or self.anywhere.get(key), key, where)
            return posixpath.relpath(name, from_dir)

        return url

    def _file(self, res: Resource | None, key: str, where: str) -> str:
        media_type = sniff(res.data, res.media_type) if res else None
        if res is None or media_type is None:
            why = (
                "is missing"
                if res is None
                else f"is {res.media_type}, not PNG, JPEG, GIF, WebP or SVG"
            )
            warn("epub-image", f"image {key!r} {why}; the EPUB shows an empty frame", where)
            return self._add(("", "placeholder"), "missing", "image/svg+xml", PLACEHOLDER)
        stem = posixpath.splitext(posixpath.basename(res.key))[0]
        ident = (res.key, hashlib.sha256(res.data).hexdigest())
        return self._add(ident, ncname(stem, "image"), media_type, res.data)

    def add_file(self, stem: str, media_type: str, data: bytes) -> str:
        """Add a file of its own (the cover) and return its name."""
        return self._add(("", "file:" + stem), stem, media_type, data)

    def _add(self, ident: tuple[str, str], stem: str, media_type: str, data: bytes) -> str:
        if ident not in self.files:
            name = self.names.claim(f"images/{stem}", MEDIA_TYPES[media_type])
            self.files[ident] = (name, media_type, data)
        return self.files[ident][0]


def sniff(data: bytes, declared: str) -> str | None:
    """The media type the bytes really have, if every EPUB reader must support it."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if declared == "image/svg+xml" and b"<svg" in data[:4096]:
        return "image/svg+xml"
    return None
